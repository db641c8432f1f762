"""More role rules, one test per class of mistake: containers, reference points,
attacks and past events, judicial seats, agency datelines, searches without arrests,
districts named with their city, and place names that open with an English word.

The sentences are invented wire copy; a small fake gazetteer answers for the towns,
and real GeoNames for the names of the last class.
"""

import pytest
from extract_fakes import FakeResolver, places_of, role_of, runner

from mapapp.extract import PlaceLookup, extract_article
from mapapp.extract.clauses import CITY_OF_DISTRICT, DISTRICT, PAST, SEARCHED
from mapapp.extract.roles import ATTACK, COURT, DATELINE, REFERENCE, SEAT
from places import Resolver

# name -> (lat, lon, country, precision)
TOWNS = {
    "Granada": (37.18, -3.60, "ES", "city"),
    "Malaga": (36.72, -4.42, "ES", "city"),
    "Ronda": (36.74, -5.17, "ES", "city"),
    "Marbella": (36.51, -4.88, "ES", "city"),
    "Algeciras": (36.13, -5.45, "ES", "city"),
    "Leganes": (40.33, -3.76, "ES", "city"),
    "Albaicin": (37.18, -3.59, "ES", "city"),
    "Triana": (37.38, -6.00, "ES", "city"),
    "Seville": (37.39, -5.98, "ES", "city"),
    "Hayfield": (52.00, -1.00, "GB", "city"),
    "Andalusia": (37.5, -4.7, "ES", "admin area"),
    "Lyon": (45.76, 4.83, "FR", "city"),
    "Grenoble": (45.19, 5.72, "FR", "city"),
    "Vienne": (45.52, 4.87, "FR", "city"),
    "Sousse": (35.83, 10.64, "TN", "city"),
    "Monastir": (35.78, 10.83, "TN", "city"),
}


@pytest.fixture
def run():
    return runner(FakeResolver(TOWNS))


def test_region_is_dropped_when_the_operation_has_towns(run):
    result = run("Police arrested three men in Algeciras and Marbella, Andalusia, on Friday.")
    assert places_of(result) == [["Algeciras", "Marbella"]]
    alone = run("The Guardia Civil dismantled a cell whose members lived in Andalusia.")
    assert [[p.precision for p in op.places] for op in alone.operations] == [["admin area"]]


@pytest.mark.parametrize(
    "text",
    [
        "Officers arrested a man in Ronda, a town just north of Malaga.",
        "Officers arrested a man in Ronda, south-east of Malaga.",
        "Officers arrested a man in Ronda and Marbella, in the greater Malaga area.",
        "Officers arrested a man in Ronda and another close to Malaga.",
    ],
)
def test_direction_area_and_closeness_make_reference_points(run, text):
    result = run(text)
    assert places_of(result)[0][0] == "Ronda"
    assert role_of(result, "Malaga") == REFERENCE
    assert "Malaga" not in places_of(result)[0]


def test_edge_and_outskirts_are_the_town_itself(run):
    result = run(
        "The cell was broken up on the edge of Ronda, about 100 kilometres west of "
        "Granada, and a second man was held on the outskirts of Marbella."
    )
    assert places_of(result) == [["Ronda", "Marbella"]]
    assert role_of(result, "Granada") == REFERENCE


def test_area_alone_is_still_the_arrest_place(run):
    assert places_of(run("Police arrested a jihadist in the Malaga area.")) == [["Malaga"]]


def test_attack_narratives_and_dated_past_events_are_not_arrests(run):
    result = run(
        "Police arrested two suspects in Granada on Monday. Since March 2004, when a "
        "cell formed in the town of Leganes carried out the train bombings, police "
        "have arrested hundreds of suspects.\n\n"
        "A cell based in Ronda carried out the attack, killing 12 people.\n\n"
        "A man was detained in Lyon over the assault on the museum in Sousse."
    )
    assert places_of(result) == [["Granada"], ["Lyon"]]
    assert role_of(result, "Leganes") == PAST
    assert role_of(result, "Ronda") == ATTACK
    assert role_of(result, "Sousse") == ATTACK


def test_victims_of_an_attack_are_not_counted_as_arrested(run):
    op = run(
        "Police arrested a man in Lyon over the bombing in Vienne that killed nine people."
    ).operations[0]
    assert [p.name for p in op.places] == ["Lyon"]
    assert op.arrested == 1


@pytest.mark.parametrize(
    ("text", "seat", "role"),
    [
        (
            "The three men arrested in Grenoble were placed in custody by the judicial pole for "
            "counter-terrorism in Lyon.",
            "Lyon",
            COURT,
        ),
        (
            "The suspects detained in Grenoble will be brought before an investigating judge in "
            "Lyon.",
            "Lyon",
            COURT,
        ),
        ("The unit, headquartered in Lyon, arrested two men in Grenoble.", "Lyon", SEAT),
        (
            "Two men arrested in Grenoble were taken to the police headquarters in Lyon.",
            "Lyon",
            SEAT,
        ),
    ],
)
def test_judicial_and_institutional_seats_are_not_arrest_places(run, text, seat, role):
    result = run(text)
    assert places_of(result) == [["Grenoble"]]
    assert role_of(result, seat) == role


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("GRANADA, 9 June (EFE) - Police arrested two men in Malaga.", "GRANADA"),
        ("Granada (EFE).- Police arrested two men in Malaga.", "Granada"),
        ("SOUSSE, June 9 (TAP) – Security units arrested three men in Monastir.", "SOUSSE"),
        ("Lyon, Oct. 2 (Reuters) — French police arrested a man in Grenoble.", "Lyon"),
    ],
)
def test_agency_datelines_are_not_arrest_places(run, text, dateline):
    result = run("Two held in raids\n\n" + text)
    assert role_of(result, dateline) == DATELINE
    assert len(places_of(result)) == 1
    assert dateline not in places_of(result)[0]


def test_searches_without_arrests_are_not_arrest_places(run):
    result = run(
        "Police arrested two men in Granada. A flat in Malaga was also searched, but "
        "nobody was detained there.\n\nOfficers raided homes in Lyon and arrested a "
        "man, but no arrests were made in Vienne."
    )
    assert places_of(result) == [["Granada"], ["Lyon"]]
    assert role_of(result, "Malaga") == SEARCHED
    assert role_of(result, "Vienne") == SEARCHED


@pytest.mark.parametrize(
    ("text", "kept", "other", "role"),
    [
        (
            "Police arrested a man in Albaicin, Granada, on Tuesday.",
            "Albaicin",
            "Granada",
            CITY_OF_DISTRICT,
        ),
        (
            "Police arrested a man in the Triana district of Seville.",
            "Triana",
            "Seville",
            CITY_OF_DISTRICT,
        ),
        (
            "Police arrested a man in Zaidin, a neighbourhood of Granada.",
            "Granada",
            "Zaidin",
            DISTRICT,
        ),
        (
            "Police arrested a man in the Hayfield district of Granada.",
            "Granada",
            "Hayfield",
            DISTRICT,
        ),
    ],
)
def test_district_and_city_are_one_arrest_location(run, text, kept, other, role):
    result = run(text)
    assert places_of(result) == [[kept]]
    assert not result.operations[0].unresolved
    assert role_of(result, other) == role


@pytest.fixture(scope="module")
def geonames(tmp_path_factory):
    resolver = Resolver(cache_path=tmp_path_factory.mktemp("names") / "c.sqlite")
    yield PlaceLookup(resolver)
    resolver.close()


def test_place_name_opening_with_an_english_word_is_tried_whole(geonames):
    text = (
        "Police arrested four suspects in Kenitra, Tiddas and Had Kourt, and a fifth "
        "in the town of Had Bouhssoussen. They had pledged allegiance to ISIS."
    )
    result = extract_article(text, lookup=geonames, country="MA")
    assert places_of(result) == [["Kenitra", "Tiddas", "Had Kourt", "Had Bouhssoussen"]]
