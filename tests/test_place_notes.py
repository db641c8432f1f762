"""What to check about a place, in words: the review page's columns and the map's popups.

A spelling variant says the gazetteer name it matched ("spelling matched as
Rawalpindi"), a close choice names the runner-up ("close call: also Córdoba,
Argentina"), and the map's point labels carry both into the popup, as text.
"""

import json

import pytest
from map_fixtures import records_from_rows

from mapapp.map.layer import build_payload, point_label, script_json
from mapapp.points.join import join_places, resolve_places
from mapapp.points.notes import (
    NotedResolution,
    match_note,
    noted,
    place_text,
    precision_text,
    runner_up,
)
from places import Resolver
from places.resolver import Point, Resolution


@pytest.fixture
def resolver(tmp_path):
    r = Resolver(cache_path=tmp_path / "geocode.sqlite")
    yield r
    r.close()


RAWALPINDI = Point("Rawalpindi", 33.6, 73.04, "PK", 1166993)


@pytest.mark.parametrize(
    ("resolution", "precision", "note"),
    [
        (Resolution("Rabat", (Point("Rabat", 34.0, -6.8, "MA", 1),), precision="city"),
         "town", ""),
        (
            Resolution("Rawalpindy", (RAWALPINDI,), precision="city", fuzzy=True),
            "town",
            "spelling matched as Rawalpindi",
        ),
        (
            Resolution(
                "Sindh", (Point("Sindh", 26.0, 68.8, "PK", None),), precision="admin area",
                radius_km=204.0,
            ),
            "province, state or district (within ~204 km)",
            "",
        ),
        (
            Resolution("Cordoba", (Point("Córdoba", 37.9, -4.8, "ES", 2),), precision="city",
                       close=True),
            "town",
            "close call: another place of this name was nearly as likely",
        ),
        (
            NotedResolution("Cordoba", (Point("Córdoba", 37.9, -4.8, "ES", 2),),
                            precision="city", close=True, runner_up="Córdoba, Argentina"),
            "town",
            "close call: also Córdoba, Argentina",
        ),
        (Resolution("Charleston International Airport",
                    (Point("Charleston", 32.8, -79.9, "US", 3),), precision="sub-city"),
         "part of a town, shown at the town", ""),
        (Resolution("Atlantis", error="not found: no place"), "", ""),
    ],
)  # fmt: skip
def test_precision_and_note_in_words(resolution, precision, note):
    assert precision_text(resolution) == precision
    assert match_note(resolution) == note


def test_place_text_names_the_country_once():
    assert place_text(Resolution("Rawalpindy", (RAWALPINDI,))) == "Rawalpindi, Pakistan"
    pakistan = Resolution("Pakistan", (Point("Pakistan", 30.0, 70.0, "PK", None),))
    assert place_text(pakistan) == "Pakistan"


@pytest.mark.parametrize(
    ("name", "hint", "chosen", "other"),
    [
        ("Cordoba", "ES", "ES", "Córdoba, Argentina"),
        ("Santiago", "US", "CL", "Santiago, Philippines"),
    ],
)
def test_the_runner_up_of_a_close_choice(resolver, name, hint, chosen, other):
    resolution = resolver.resolve(name, hint)
    assert resolution.close
    assert resolution.points[0].country_code == chosen
    assert runner_up(resolver, resolution, hint) == other
    assert match_note(noted(resolution, other)) == f"close call: also {other}"


def test_a_clear_choice_has_no_runner_up(resolver):
    assert runner_up(resolver, resolver.resolve("Casablanca", "MA"), "MA") is None


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (("Casablanca", "Casablanca"), "Casablanca"),
        (("Rawalpindy", "Rawalpindi", "Punjab", "spelling matched as Rawalpindi"),
         "Rawalpindy, Punjab — spelling matched as Rawalpindi"),
        (("Cordoba", "Córdoba", "Andalusia", "close call: also Córdoba, Argentina"),
         "Cordoba (Córdoba), Andalusia — close call: also Córdoba, Argentina"),
    ],
)  # fmt: skip
def test_point_label_carries_the_note(args, label):
    assert point_label(*args) == label


def test_the_popup_says_when_a_match_was_fuzzy_or_close(tmp_path, resolver):
    recs = records_from_rows(
        tmp_path,
        "a,2023-05-02,day,Rawalpindy,PK,3,,,,,,,,,",
        "b,2023-05-03,day,Seville;Cordoba,ES,4,ISIS,,,,,,,,",
        "c,2023-05-04,day,Bavaria,DE,2,,,,,,,,,",
    )
    points, unresolved = join_places(recs, resolve_places(recs, resolver))
    assert unresolved.empty
    notes = dict(zip(points["place"], points["place_note"], strict=True))
    assert notes == {
        "Rawalpindy": "spelling matched as Rawalpindi",
        "Seville": "",
        "Cordoba": "close call: also Córdoba, Argentina",
        "Bavaria": "",
    }
    payload = build_payload(points)
    stride = len(payload["fields"]["point"])
    at = payload["fields"]["point"].index("label")
    labels = [payload["s"][i] for i in payload["pts"][at::stride]]
    fuzzy = " — spelling matched as Rawalpindi"
    assert any(label.startswith("Rawalpindy") and label.endswith(fuzzy) for label in labels)
    assert any(label.endswith(" — close call: also Córdoba, Argentina") for label in labels)
    assert not any("—" in label for label in labels if label.startswith(("Seville", "Bavaria")))


def test_notes_reach_the_page_as_escaped_text(tmp_path, resolver):
    """The label is record text: script_json escapes it, and the layer sets it as text."""
    recs = records_from_rows(tmp_path, "a,2023-05-03,day,Cordoba,ES,4,,,,,,,,,")
    points, _ = join_places(recs, resolve_places(recs, resolver))
    points["place"] = "<img src=x onerror=alert(1)>"
    text = script_json(build_payload(points))
    assert "<img" not in text
    assert "close call: also Córdoba, Argentina" in json.loads(text)["s"][-1]


def test_the_review_page_says_when_an_article_names_no_place(monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    page = Path(__file__).resolve().parents[1] / "mapapp" / "app" / "pages" / "review.py"
    monkeypatch.setattr("sys.argv", ["review.py"])
    at = AppTest.from_file(str(page), default_timeout=120).run()
    at.text_area(key="pasted").input("Nothing happened today, officials said.").run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert "No place name of the gazetteer was found in this article." in infos
    assert not at.table
