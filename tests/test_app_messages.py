"""Issue 9 in the app: text from files shown as text, extraction off the server's threads.

Through AppTest: a records file whose header and cells hold Markdown (an image that
would be fetched, a phishing link) must appear only in a code block, with the bad
value visible; a damaged geocode cache is one message, not a traceback.
"""

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from mapapp.app.review import extract_in_subprocess
from mapapp.errors import MapappError
from mapapp.records import BUNDLED_RECORDS

PAGES = Path(__file__).resolve().parents[1] / "mapapp" / "app" / "pages"
IMAGE = "![x](http://attacker.example/img.png)"
PHISH = "[Click here to fix your file](http://attacker.example/phish)"

SEED_RECORDS = Path(__file__).resolve().parent / "fixtures" / "seed_records.csv"  # 5 seed rows


def open_map(monkeypatch, records: Path) -> AppTest:
    monkeypatch.setattr("sys.argv", ["map.py", "--records", str(records)])
    return AppTest.from_file(str(PAGES / "map.py"), default_timeout=120).run()


def markdown_shown(at: AppTest) -> str:
    """Everything the page renders as Markdown (errors, warnings, text, captions)."""
    elements = [*at.error, *at.warning, *at.success, *at.info, *at.markdown, *at.caption]
    return "\n".join(str(e.value) for e in elements)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda text: text.replace("date,", f"date{IMAGE},", 1), id="header"),
        pytest.param(lambda text: text.replace("2022-01-04,day", f"{PHISH},day", 1), id="cell"),
    ],
)
def test_record_text_in_an_error_is_shown_as_text(monkeypatch, tmp_path, edit):
    records = tmp_path / "records.csv"
    records.write_text(edit(SEED_RECORDS.read_text(encoding="utf-8")), encoding="utf-8")
    at = open_map(monkeypatch, records)
    assert not at.exception
    assert at.error, "the broken file must be reported"
    assert "attacker.example" not in markdown_shown(at)
    code = "\n".join(c.value for c in at.code)
    assert "attacker.example" in code  # the bad value is visible, verbatim, as text
    assert "records.csv line" in code


def test_a_cache_that_is_not_a_database_is_one_message(monkeypatch, tmp_path):
    cache = tmp_path / "not-a-cache.sqlite"
    cache.write_text("these are my notes, not a database\n" * 100)
    monkeypatch.setenv("PLACES_CACHE", str(cache))
    st.cache_resource.clear()  # the bundled records may be loaded already, by another test
    at = open_map(monkeypatch, BUNDLED_RECORDS)
    assert not at.exception
    assert at.error
    assert str(cache) in "\n".join(c.value for c in at.code)
    assert cache.read_text().startswith("these are my notes")  # never deleted


def test_extraction_runs_in_a_child_process_and_returns_the_operations(index_path):
    article = ("RABAT - Morocco's BCIJ on Thursday arrested three suspected Islamic State "
               "supporters in Oujda and Berkane, the interior ministry said.")  # fmt: skip
    result = extract_in_subprocess(article, "MA", dt.date(2023, 5, 12))
    (op,) = result.operations
    assert {p.name for p in op.places} == {"Oujda", "Berkane"}
    assert op.date == "2023-05-11"


def test_an_extraction_past_its_time_is_stopped_with_a_message(index_path):
    with pytest.raises(MapappError, match="was stopped"):
        extract_in_subprocess("Arrested in Rabat. " * 1000, timeout=0.05)


def test_an_error_in_the_child_reaches_the_page_as_the_same_error(monkeypatch, tmp_path):
    from places.exc import CacheError

    cache = tmp_path / "notes.sqlite"
    cache.write_text("not a database\n" * 100)
    monkeypatch.setenv("PLACES_CACHE", str(cache))
    with pytest.raises(CacheError, match="notes.sqlite"):
        extract_in_subprocess("Arrested in Rabat.")
