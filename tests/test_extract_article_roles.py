"""Roles of places in arrest sentences of many countries (issue 11).

Table-driven: a sentence in, the arrest places out. The sentences are our own,
written in the shapes English wire copy uses outside the Moroccan seed articles:
lists after a colon or "the following cities", lists opened by "among them",
apposition ("the capital, X"), arrest verbs the first rules missed ("picked up",
"held", "arrested from", "detained outside"), searches of addresses, "in and
around", states and governorates, compass words, and a person's residence ("X,
42, of Y").
"""

import pytest
from extract_fakes import FakeResolver, runner

from mapapp.extract.roles import ARREST, REFERENCE

TOWNS = {
    "Ankara": (39.93, 32.86, "TR", "city"),
    "Sakarya": (40.78, 30.4, "TR", "city"),
    "Konya": (37.87, 32.48, "TR", "city"),
    "Surakarta": (-7.57, 110.82, "ID", "city"),
    "Sukoharjo": (-7.68, 110.84, "ID", "city"),
    "Boyolali": (-7.53, 110.6, "ID", "city"),
    "Pristina": (42.67, 21.17, "XK", "city"),
    "Gjilan": (42.46, 21.47, "XK", "city"),
    "Chennai": (13.09, 80.28, "IN", "city"),
    "Abuja": (9.06, 7.49, "NG", "city"),
    "Bauchi": (10.31, 9.84, "NG", "city"),
    "Antwerp": (51.22, 4.4, "BE", "city"),
    "Barcelona": (41.39, 2.16, "ES", "city"),
    "Peshawar": (34.01, 71.58, "PK", "city"),
    "Phang Nga": (8.45, 98.53, "TH", "city"),
    "London": (51.51, -0.13, "GB", "city"),
    "Lackawanna": (42.83, -78.82, "US", "city"),
    "Hesse": (50.6, 9.0, "DE", "city"),
    "Kassel": (51.32, 9.5, "DE", "city"),
    "Thika": (-1.03, 37.07, "KE", "city"),
    "Mombasa": (-4.05, 39.67, "KE", "city"),
    "Aden": (12.78, 45.04, "YE", "city"),
}


@pytest.fixture(scope="module")
def run():
    return runner(FakeResolver(TOWNS))


def arrest_places(result):
    return sorted(r.mention.text for r in result.roles if r.role == ARREST)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # "The operations took place in X, Y": an arrest story's operations.
        (
            "The CTD arrested seven terrorists. The operations took place in Peshawar and Abuja.",
            ["Abuja", "Peshawar"],
        ),
        # A court, jail or office one is arrested at is in the arrest place.
        ("Police arrested a suspect near a jail in Peshawar on Friday.", ["Peshawar"]),
        ("He was arrested at the provincial health office hospital in Chennai.", ["Chennai"]),
        ("A suspect was caught, in Abuja, on Monday.", ["Abuja"]),
        # Earlier cases after "already" or "previously" are not this operation.
        (
            "Four men were arrested in Antwerp, after sting operations that have "
            "already caught suspects in London.",
            ["Antwerp"],
        ),
        (
            "Police arrested two men in Peshawar; officers had previously detained a man in "
            "Abuja.",
            ["Peshawar"],
        ),
        # Class 1: a list after a colon, or after "the following cities".
        (
            "Ten suspects were arrested in four regions: Surakarta, Sukoharjo and Boyolali.",
            ["Boyolali", "Sukoharjo", "Surakarta"],
        ),
        (
            "Police detained 27 people in the following provinces: Ankara, Sakarya and Konya.",
            ["Ankara", "Konya", "Sakarya"],
        ),
        (
            "Kenyan police arrested three men in the following towns: Thika and Mombasa.",
            ["Mombasa", "Thika"],
        ),
        # A list opened by "among them" after the places' noun.
        (
            "The 27 suspects were detained in raids in 13 provinces, among them Ankara, "
            "Sakarya and Konya.",
            ["Ankara", "Konya", "Sakarya"],
        ),
        # Apposition: "the capital, X".
        (
            "Police arrested four men at five locations in the capital, Pristina, and in Gjilan.",
            ["Gjilan", "Pristina"],
        ),
        # Arrest verbs and phrases of English news beyond the first rules.
        ("Two suspects were picked up on Dec. 28 in Phang Nga.", ["Phang Nga"]),
        ("Four militants held in Peshawar raid", ["Peshawar"]),
        ("Mustafa was arrested from Chennai on Tuesday.", ["Chennai"]),
        ("Two commanders were arrested outside the capital Abuja on May 5.", ["Abuja"]),
        (
            "Two commanders of the Islamic State in West Africa (ISWA) were arrested "
            "outside the capital Abuja.",
            ["Abuja"],
        ),
        ("Police arrested two men outside Abuja on Friday.", ["Abuja"]),
        (
            "A third suspect was taken into custody in the northeastern state of Bauchi.",
            ["Bauchi"],
        ),
        ("Three suspects were stopped in Thika and taken into custody.", ["Thika"]),
        (
            "Officers arrested 13 people after raiding a number of addresses around the "
            "port city of Antwerp.",
            ["Antwerp"],
        ),
        (
            "Police arrested six suspects and searched premises in and around Barcelona.",
            ["Barcelona"],
        ),
        ("A 27-year-old man was arrested at an address in east London.", ["London"]),
        ("Police arrested two men after searching homes in the states of Hesse.", ["Hesse"]),
        # A person's residence, "NAME, AGE, of PLACE", in an arrest paragraph.
        ("Arafat Nagi, 42, of Lackawanna, was arrested by the FBI.", ["Lackawanna"]),
    ],
)
def test_arrest_places_of_unseen_sentence_shapes(run, text, places):
    assert arrest_places(run(text)) == places


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # Distances still make reference points, whatever verb comes before.
        ("Two men were arrested 30 km outside Aden.", "Aden"),
        ("The suspects were detained in a village 20 km north of Kassel.", "Kassel"),
        ("Police arrested a man in a town around 40 miles from Mombasa.", "Mombasa"),
    ],
)
def test_distances_stay_reference_points(run, text, place):
    roles = {r.mention.text: r.role for r in run(text).roles}
    assert roles[place] == REFERENCE


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # "from" after anything but an arrest verb is still an origin or travel.
        ("The suspects, who came from Mombasa, were arrested on Tuesday.", "Mombasa"),
        # A meeting "held in" a town is no arrest.
        ("A meeting held in Ankara on Monday discussed the arrests.", "Ankara"),
    ],
)
def test_from_and_held_need_an_arrest_verb_or_people(run, text, place):
    roles = {r.mention.text: r.role for r in run(text).roles}
    assert roles[place] != ARREST


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # Searches in one paragraph, the arrests in the next: one story.
        (
            "Officers searched eight apartments in the cities of Kassel and Hesse.\n\n"
            "Six Syrians were arrested on suspicion of planning an attack.",
            ["Hesse", "Kassel"],
        ),
        # A headline over the lead that speaks of the arrests.
        (
            "Four militants held in Peshawar\n\nPolice arrested them after a gunfight.",
            ["Peshawar"],
        ),
        # Three paragraphs away, the searches are another story.
        (
            "Six Syrians were arrested on suspicion of planning an attack.\n\n"
            "The interior minister praised the police.\n\n"
            "The opposition asked questions in parliament.\n\n"
            "Officers searched eight apartments in the cities of Kassel and Hesse last year.",
            [],
        ),
    ],
)
def test_strong_cues_read_arrests_in_the_paragraphs_beside(run, text, places):
    assert arrest_places(run(text)) == places


ABROAD = {
    "Cabo": (-8.29, -35.03, "BR", "city"),
    "Java": (42.39, 43.92, "GE", "city"),
    "Mocimboa da Praia": (-11.35, 40.35, "MZ", "city"),
    "Solo": (-7.57, 110.82, "ID", "city"),
    "Nairobi": (-1.28, 36.82, "KE", "city"),
}


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        # A piece of an unknown longer name, matched on another continent.
        (
            "Police arrested 24 suspects in Mocimboa da Praia, Cabo Delgado province.",
            ["Mocimboa da Praia"],
            ["Cabo"],
        ),
        ("Densus 88 detained ten suspects in Central Java and in Solo.", ["Solo"], ["Java"]),
        # A piece placed in the article's own country stays ("Thika Town").
        (
            "Kenyan police arrested three men in Thika Town and in Nairobi.",
            ["Nairobi", "Thika"],
            [],
        ),
    ],
)
def test_pieces_of_unknown_names_placed_abroad_are_dropped(text, kept, dropped):
    result = runner(FakeResolver({**TOWNS, **ABROAD}))(text)
    located = sorted(
        r.mention.text for r in result.roles if r.role == ARREST and r.mention.located
    )
    assert located == kept
    for name in dropped:
        assert name not in located
