"""The cue files (one per language) and what each lexicon does, table-driven.

Every ``mapapp/extract/data/cues_*.json`` is read with the others under the same
keys, so a file with a misspelt key, a preposition that maps to no English one or a
number that is not a number would silently do nothing. Then one table per lexicon:
a sentence in, the role, date or count out, in English and in Spanish.
"""

import datetime as dt
import json
from importlib import resources

import pytest
from extract_fakes import FakeResolver, runner

from mapapp.extract.dates import date_in
from mapapp.extract.numbers import count_people, parse_number
from mapapp.extract.roles import ARREST, OTHER, PREPOSITIONS, TRIGGER, left_cue

DATA = resources.files("mapapp.extract").joinpath("data")
FILES = sorted(p.name for p in DATA.iterdir() if p.name.startswith("cues_"))
ENGLISH = json.loads(DATA.joinpath("cues_en.json").read_text(encoding="utf-8"))


def test_there_is_more_than_one_language():
    assert {"cues_en.json", "cues_es.json"} <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_a_cue_file_uses_only_the_known_keys(name):
    data = json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))
    assert set(data) <= set(ENGLISH), f"{name}: unknown top-level keys"
    for section in ("words", "phrases", "values"):
        assert set(data.get(section, {})) <= set(ENGLISH[section]), (
            f"{name}: unknown {section} keys"
        )
    for key, lines in data.get("words", {}).items():
        assert all(line == line.lower() and line.strip() for line in lines), (name, key)
    for word, english in data.get("prepositions", {}).items():
        assert english in ENGLISH["prepositions"], f"{name}: {word!r} -> {english!r}"
    for word, english in data.get("relative_dates", {}).items():
        assert english in ENGLISH["relative_dates"], f"{name}: {word!r} -> {english!r}"
    for key, table in data.get("values", {}).items():
        assert all(isinstance(v, int) for v in table.values()), (name, key)


@pytest.mark.parametrize(
    ("word", "english"),
    [("en", "in"), ("de", "of"), ("desde", "from"), ("in", "in"), ("y", "and")],
)
def test_prepositions_read_as_english(word, english):
    assert PREPOSITIONS[word] == english


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("Police arrested three men in", "arrest"),
        ("The men had travelled to fight in", "conflict zone or travel"),
        ("Tres personas fueron detenidas en la ciudad de", "arrest"),
        ("el operativo se desarrolló en las ciudades de", "arrest"),
        ("en el norte de", "reference point"),
        ("tras el atentado con bomba en", "attack or target"),
    ],
)
def test_left_cues_in_two_languages(prefix, kind):
    assert left_cue(prefix)[0] == kind


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Police detained four men", True),
        ("La policía detuvo a cuatro hombres", True),
        ("Fueron desarticuladas dos células", True),
        ("The minister visited the city", False),
        ("El ministro visitó la ciudad", False),
    ],
)
def test_triggers_in_two_languages(text, found):
    assert bool(TRIGGER.search(text)) is found


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("fueron detenidos el 12 de septiembre de 2014", None, ("2014-09-12", "day")),
        ("fueron detenidos este viernes", dt.date(2014, 9, 13), ("2014-09-12", "day")),
        ("fueron detenidos ayer", dt.date(2014, 9, 13), ("2014-09-12", "day")),
        ("detenidos en marzo de 2019", None, ("2019-03", "month")),
        ("arrested on 12 September 2014", None, ("2014-09-12", "day")),
    ],
)
def test_date_words_in_two_languages(text, published, expected):
    assert date_in(text, published=published) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("tres detenidos", 3),
        ("la policía detuvo a cinco sospechosos", 5),
        ("veinte yihadistas", 20),
        ("police arrested seven suspects", 7),
        ("twenty-one militants", 21),
    ],
)
def test_number_words_in_two_languages(text, count):
    assert count_people(text) == count


def test_number_words_parse():
    assert (parse_number("dieciséis"), parse_number("sixteen"), parse_number("mil")) == (
        16,
        16,
        1000,
    )


@pytest.fixture(scope="module")
def run():
    return runner(
        FakeResolver(
            {
                "Antofagasta": (-23.65, -70.4, "CL", "city"),
                "Chile": (-33.4, -70.6, "CL", "country"),
                "Bogotá": (4.61, -74.08, "CO", "city"),
                "Manizales": (5.07, -75.52, "CO", "city"),
                "Venezuela": (8.0, -66.0, "VE", "country"),
            }
        )
    )


@pytest.mark.parametrize(
    ("text", "arrests", "others"),
    [
        (
            "Tres personas fueron arrestadas este viernes en la ciudad de Antofagasta, en "
            "el norte de Chile.",
            ["Antofagasta"],
            [],
        ),
        (
            "Según un comunicado, el operativo se desarrolló en las ciudades de Bogotá y "
            "Manizales, cerca de la frontera con Venezuela.",
            ["Bogotá", "Manizales"],
            [],
        ),
        ("El ministro visitó Bogotá y Manizales la semana pasada.", [], ["Bogotá", "Manizales"]),
    ],
)
def test_spanish_sentences(run, text, arrests, others):
    result = run(text)
    assert sorted(r.mention.text for r in result.roles if r.role == ARREST) == arrests
    assert sorted(r.mention.text for r in result.roles if r.role == OTHER) == others
