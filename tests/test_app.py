"""The Streamlit page, run headless through ``streamlit.testing.v1.AppTest``."""

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.records import load_records

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "mapapp" / "app" / "main.py")
SEED_RECORDS = Path(__file__).resolve().parent / "fixtures" / "seed_records.csv"  # 5 seed rows


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def seed_app(monkeypatch):
    """The app on the five seed operations, whose counts the filter tests know."""
    monkeypatch.setattr("sys.argv", ["app.py", "--records", str(SEED_RECORDS)])
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at):
    return {m.label: m.value for m in at.metric}


def table_rows(at):
    return len(at.dataframe[0].value)


def test_starts_clean_on_the_bundled_records(app):
    # Every bundled operation has a place; the undated ones are included by default.
    assert metrics(app)["Operations"] == f"{len(load_records()):,}"
    assert not app.error
    assert [w for w in app.warning] == []  # every bundled place is placed


def test_group_filter_changes_counts_and_table(seed_app):
    app = seed_app
    app.multiselect(key="groups").select("ISIS").run()
    assert not app.exception
    assert metrics(app)["Operations"] == "3"
    assert table_rows(app) == 3
    assert set(app.dataframe[0].value["group"]) == {"ISIS"}


def test_date_filter_changes_counts_and_table(seed_app):
    app = seed_app
    app.checkbox(key="undated").uncheck().run()
    assert metrics(app)["Operations"] == "2"  # 4 January 2022 and the 2017 one
    app.slider(key="dates").set_value((dt.date(2022, 1, 1), dt.date(2022, 1, 4))).run()
    assert not app.exception
    assert metrics(app)["Operations"] == "1"
    assert metrics(app)["People arrested (reported)"] == "6"
    assert list(app.dataframe[0].value["places"]) == ["Casablanca; Mohammedia; Azilal"]


def test_bad_records_file_shows_the_problem_instead_of_crashing(tmp_path, monkeypatch):
    """A broken records file becomes a message naming the line and column."""
    bad = tmp_path / "bad.csv"
    header = (ROOT / "mapapp" / "data" / "records.csv").read_text().splitlines()[0]
    bad.write_text(header + "\nx1,2022-13-45,day,Rabat,MA,,,,,,,,,,\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["app.py", "--records", str(bad)])
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.error
    assert "bad.csv line 2, column date" in at.code[0].value  # shown as text, not Markdown
    assert not at.metric  # nothing half-loaded is shown
