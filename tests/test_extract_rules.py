"""One test per extraction rule, on small invented sentences and a fake gazetteer."""

import datetime as dt

import pytest
from extract_fakes import places_of, role_of, runner

from mapapp.extract.roles import (
    ATTACK,
    COARSE,
    CONFLICT,
    COURT,
    DATELINE,
    ORIGIN,
    REFERENCE,
)


@pytest.fixture
def run():
    return runner()


def test_list_of_towns_shares_the_arrest_role(run):
    result = run("Police arrested four suspects in Fes, Oujda and Agadir on Monday.")
    assert places_of(result) == [["Fes", "Oujda", "Agadir"]]


def test_the_cities_of_and_living_in_are_arrest_places(run):
    result = run("The cell had seven members living in the eastern cities of Oujda and Nador.")
    assert places_of(result) == [["Oujda", "Nador"]]


def test_dateline_is_not_an_arrest_place(run):
    for text in (
        "RABAT - Police arrested two men in Fes.",
        "Rabat – Police arrested two men in Fes.",
        "RABAT, Jan 5 (Reuters) - Police arrested two men in Fes.",
    ):
        result = run(text)
        assert role_of(result, "RABAT" if "RABAT" in text else "Rabat") == DATELINE
        assert places_of(result) == [["Fes"]]


def test_reference_point_is_not_an_arrest_place(run):
    result = run("Officers detained a man in Sale, 10 km north of Rabat, and another near Madrid.")
    assert places_of(result) == [["Sale"]]
    assert role_of(result, "Rabat") == REFERENCE
    assert role_of(result, "Madrid") == REFERENCE


def test_reference_point_inside_parentheses(run):
    result = run("A cell of three was dismantled in Agadir (400 kilometres south of Rabat).")
    assert places_of(result) == [["Agadir"]]
    assert role_of(result, "Rabat") == REFERENCE


def test_conflict_zone_and_travel_are_not_arrest_places(run):
    result = run(
        "Police arrested a man in Tangier who planned to travel to Girona and had fought in Syria."
    )
    assert places_of(result) == [["Tangier"]]
    assert role_of(result, "Girona") == CONFLICT
    assert role_of(result, "Syria") == COARSE


def test_origin_is_not_an_arrest_place(run):
    result = run("A suspect from Nador, a native of Agadir born in Ceuta, was arrested in Oujda.")
    assert places_of(result) == [["Oujda"]]
    assert {role_of(result, n) for n in ("Nador", "Agadir", "Ceuta")} == {ORIGIN}


def test_past_attack_and_court_are_not_arrest_places(run):
    result = run(
        "The man, arrested in Liege over the Paris attacks, will appear before a court in Madrid."
    )
    assert places_of(result) == [["Liege"]]
    assert role_of(result, "Paris") == ATTACK
    assert role_of(result, "Madrid") == COURT


def test_countries_are_never_arrest_places(run):
    result = run("Police dismantled a cell active in Morocco and Spain.")
    assert result.operations == []


def test_place_without_arrest_words_is_not_an_operation(run):
    assert run("The minister met his counterpart in Madrid on Monday.").operations == []


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Police arrested six members of a cell in Fes.", 6),
        ("The raid in Fes ended with 11 arrests.", 11),
        ("Police arrested a 23-year-old man in Fes.", 1),
        ("Police detained two pro-ISIS individuals in Fes.", 2),
        ("A four-member cell was dismantled in Fes.", 4),
        ("Police arrested Twenty-one suspected militants in Fes.", 21),
        ("Police arrested men aged between 20 and 45 in Fes.", None),
    ],
)
def test_counts_in_words_and_digits(run, sentence, count):
    assert run(sentence).operations[0].arrested == count


def test_group_and_agencies(run):
    result = run("The BCIJ, acting on DGST information, dismantled a Daesh-linked cell in Fes.")
    op = result.operations[0]
    assert (op.affiliation, op.affiliation_as_written) == ("ISIS", "Daesh")
    assert op.agencies == ("BCIJ", "DGST")


def test_weekday_needs_a_publication_date(run):
    text = "Police arrested three suspects in Fes on Wednesday."
    assert run(text).operations[0].date_precision == "unknown"
    dated = run(text, published=dt.date(2023, 3, 10)).operations[0]
    assert (dated.date, dated.date_precision) == ("2023-03-08", "day")


def test_publication_date_found_in_the_text(run):
    text = "Published: 10 March 2023\n\nPolice arrested three suspects in Fes on Wednesday."
    op = run(text).operations[0]
    assert (op.date, op.date_precision) == ("2023-03-08", "day")


def test_weekday_with_day_and_month_fixes_the_year_from_the_years_mentioned(run):
    text = (
        "Police arrested two men in Fes on Sunday, March 5. A report in 2022 had warned "
        "of such cells."
    )
    op = run(text).operations[0]
    assert (op.date, op.date_precision) == ("2023-03-05", "day")


def test_explicit_date_and_year_only(run):
    assert run("Police arrested two men in Fes on 4 May 2019.").operations[0].date == "2019-05-04"
    op = run("In 2018, police arrested two men in Fes.").operations[0]
    assert (op.date, op.date_precision) == ("2018", "year")


def test_country_hint_comes_from_agencies_or_the_user(run):
    assert run("The Guardia Civil arrested a man in Ceuta.").country == "ES"
    assert run("The BCIJ arrested a man in Fes.").country == "MA"
    assert run("Police arrested a man in Fes.", country="BE").country == "BE"


def test_national_figures_are_not_operations(run):
    text = (
        "Since 2002, the services have dismantled more than 200 cells and arrested over "
        "3,000 people. In 2020, police arrested at least 60 suspects."
    )
    result = run(text)
    assert result.operations == []
    figures = {f.period_label: f for f in result.figures}
    assert figures["since 2002"].cells_dismantled == 200
    assert figures["since 2002"].arrested == 3000
    assert figures["since 2002"].qualifier == "more than"
    assert (figures["2020"].arrested, figures["2020"].qualifier) == (60, "at least")


def test_two_operations_in_one_article(run):
    text = (
        "Police arrested five suspects in Fes and Agadir on Monday.\n\n"
        "The ministry recalled an earlier joint operation that led to 9 arrests in "
        "Ceuta and Nador."
    )
    result = run(text)
    assert places_of(result) == [["Fes", "Agadir"], ["Ceuta", "Nador"]]
    assert [op.arrested for op in result.operations] == [5, 9]


def test_unplaced_arrest_place_is_reported_with_its_reason(run):
    result = run("Police arrested two men in Fes and Zzyzxville.")
    op = result.operations[0]
    assert [p.name for p in op.places] == ["Fes"]
    assert [u.name for u in op.unresolved] == ["Zzyzxville"]
    assert "not found" in op.unresolved[0].reason


def test_json_line_has_the_contract_fields(run):
    line = run("Police arrested two men in Fes.").operations[0].to_json()
    assert {
        "source",
        "date",
        "date_precision",
        "places",
        "arrested",
        "affiliation",
        "affiliation_as_written",
        "agencies",
        "evidence",
        "confidence",
        "unresolved",
    } <= set(line)
    assert {"name", "lat", "lon", "country_code", "geonameid", "precision"} <= set(
        line["places"][0]
    )
