"""The agencies table: one sentence in, the agencies and their country out.

Reports from many countries name the counter-terrorism service that made the
arrests by its acronym, its full name or a translation; each lands on one short
name (``mapapp/extract/data/agencies.csv``), which also points at the country.
"""

import pytest

from mapapp.extract.agencies import AGENCIES, DEMONYMS, country_votes, find_agencies
from mapapp.records.affiliations import vocabulary_lookup


def names(sentence):
    return list(dict.fromkeys(m.name for m in find_agencies(sentence)))


@pytest.mark.parametrize(
    ("sentence", "agencies", "country"),
    [
        # The Moroccan seeds' services keep their names.
        ("The BCIJ, acting on DGST information, dismantled a cell.", ["BCIJ", "DGST"], "MA"),
        (
            "The Central Bureau of Judicial Investigations said five men were held.",
            ["BCIJ"],
            "MA",
        ),
        ("In coordination with Spanish security services.", ["Spanish security services"], "ES"),
        ("The Guardia Civil and the Policia Nacional arrested two men.", None, "ES"),
        ("Officers of the Mossos d'Esquadra detained nine.", ["Mossos d'Esquadra"], "ES"),
        ("The DGSI arrested seven men in Brest.", ["DGSI"], "FR"),
        ("The Federal Criminal Police Office (BKA) said.", ["BKA"], "DE"),
        (
            "Counter Terrorism Policing arrested a man in Leeds.",
            ["Counter Terrorism Policing"],
            "GB",
        ),
        (
            "Special Agents from the FBI's Joint Terrorism Task Force (JTTF).",
            ["FBI", "JTTF"],
            "US",
        ),
        ("The Royal Canadian Mounted Police charged a youth.", ["RCMP"], "CA"),
        ("Officers of the NSW Police Force raided homes.", ["NSW Police"], "AU"),
        ("Densus 88, the police's counterterrorism unit, held 12.", ["Densus 88"], "ID"),
        ("The National Investigation Agency (NIA) searched 16 places.", ["NIA"], "IN"),
        ("The Counter-Terrorism Department (CTD) arrested four.", ["CTD"], "PK"),
        ("The Rapid Action Battalion (RAB) and a RAB-14 team.", ["RAB"], "BD"),
        ("The National Directorate of Security detained 26.", ["NDS"], "AF"),
        ("Russia's Federal Security Service (FSB) said.", ["FSB"], "RU"),
        ("Kazakhstan's National Security Committee detained a man.", ["KNB"], "KZ"),
        ("The Department of State Services (DSS) arrested three.", ["DSS"], "NG"),
        ("The Anti-Terror Police Unit arrested two in Mombasa.", ["ATPU"], "KE"),
        ("The Uganda Police Force said 16 were held.", ["Uganda Police"], "UG"),
        ("The joint investigation by the Shabak and the Israel Police.", None, "IL"),
        ("The General Intelligence Department foiled the plot.", ["GID"], "JO"),
        ("Norway's Police Security Service (PST) said.", ["PST"], "NO"),
        ("Four were arrested by Swedish security police Säpo.", ["Säpo"], "SE"),
        ("Turkey's National Intelligence Organization (MİT) said.", ["MIT"], "TR"),
        ("The Philippine National Police said.", ["PNP"], "PH"),
        ("The Royal Thai Police arrested a suspect in Pattani.", ["Royal Thai Police"], "TH"),
        ("Officers of Policía Nacional de Colombia arrested five.", None, "CO"),
        ("The Internal Security Department detained a teenager.", ["ISD"], "SG"),
        ("Agents of the Iraqi National Intelligence Service said.", None, "IQ"),
        ("Kosovo Police arrested three men in Pristina.", ["Kosovo Police"], "XK"),
    ],
)
def test_sentence_in_agencies_out(sentence, agencies, country):
    found = names(sentence)
    assert found, sentence
    if agencies is not None:
        assert found == agencies
    assert country_votes(sentence).most_common(1)[0][0] == country


def test_international_and_shared_names_point_nowhere():
    assert [
        (m.name, m.country) for m in find_agencies("Europol and the Interior Ministry said.")
    ] == [
        ("Europol", ""),
        ("Interior Ministry", ""),
    ]
    assert not country_votes("The interior ministry said.")


@pytest.mark.parametrize(
    "sentence",
    [
        "The cni of the report",  # acronyms count only in capitals
        "Troops returned to the rab of the valley",
        "A pet was found in the flat.",
    ],
)
def test_acronyms_count_only_in_capitals(sentence):
    assert find_agencies(sentence) == ()


def test_a_named_agency_weighs_more_than_a_nationality():
    votes = country_votes("The BCIJ, in coordination with Spanish services, held two men.")
    assert votes.most_common(1)[0][0] == "MA"


def test_the_table_covers_many_countries_and_every_spelling_is_one_agency():
    vocabulary_lookup(a.spellings for a in AGENCIES)  # raises on a shared spelling
    countries = {a.country for a in AGENCIES if a.country}
    assert len(countries) >= 30
    assert all(a.kind for a in AGENCIES)
    assert {code for code in DEMONYMS.values()} >= {"MA", "ES", "FR", "ID", "PK", "UG"}


def test_letters_that_matching_allows_but_folding_keeps_apart_are_no_crash():
    assert names("Brıtish police and Dıgos officers, with Interpol") == ["Interpol"]
