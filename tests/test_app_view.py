"""The map page on the bundled data: where it opens, the year chart, coverage, filters."""

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "mapapp" / "app" / "main.py")
SEED_RECORDS = Path(__file__).resolve().parent / "fixtures" / "seed_records.csv"
FIT = re.compile(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]")


def started(monkeypatch, records=None):
    if records is not None:
        monkeypatch.setattr("sys.argv", ["app.py", "--records", str(records)])
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def opening_bounds(at):
    """(south, west, north, east) the map in the page opens on."""
    (component,) = at.get("component_instance")
    script = json.loads(component.proto.json_args)["script"]
    (bounds,) = FIT.findall(script)
    return tuple(float(x) for x in bounds)


def chart_rows(at):
    """The rows the year chart draws (its one dataset, sent as Arrow)."""
    (chart,) = at.get("vega_lite_chart")
    (dataset,) = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def test_opens_on_the_data_not_on_a_far_outlier(app):
    south, west, north, east = opening_bounds(app)
    # Morocco and Spain, down to the Western Sahara; Essen and Sittard are drawn, not framed.
    assert 20 < south < 30
    assert -20 < west < -10
    assert 35 < north < 46
    assert -5 < east < 8


def test_seed_records_open_on_morocco_without_verviers(monkeypatch):
    at = started(monkeypatch, SEED_RECORDS)
    south, west, north, east = opening_bounds(at)
    assert north < 37
    assert east < 0
    assert at.metric[0].value == "5"  # Verviers is still among the operations


def test_year_chart_has_every_year_and_undated_said_apart(app):
    rows = chart_rows(app)
    years = [int(y) for y in rows["year"]]
    assert years == list(range(years[0], years[-1] + 1))  # no year skipped, even empty ones
    assert {"operations", "arrested", "without_count"} <= set(rows.columns)
    undated = [c.value for c in app.caption if c.value.startswith("Not in the chart:")]
    assert len(undated) == 1
    said = r"Not in the chart: (\d+) operation\(s\) with no known date, \d+ people arrested\."
    assert int(re.fullmatch(said, undated[0]).group(1)) > 0
    assert rows["operations"].sum() + int(re.fullmatch(said, undated[0]).group(1)) == int(
        app.metric[0].value.replace(",", "")
    )


def test_coverage_panel_sets_yearly_official_figures_beside_the_map(app):
    assert "The map against the national figures" in [s.value for s in app.subheader]
    tables = [d.value for d in app.dataframe if "map / officials" in d.value.columns]
    (table,) = tables
    assert {
        "year", "operations (map)", "cells (officials)", "arrested (map)",
        "arrested (officials)", "map / officials",
    } <= set(table.columns)  # fmt: skip
    assert 2015 in set(table["year"])  # the figures for 2015 the bundled table holds
    assert table["year"].is_monotonic_increasing
    assert (table["arrested (officials)"] != "").any()
    # The other figures ("since 2002", several years), in the fold: blanks, never "None".
    (others,) = [d.value for d in app.dataframe if "period" in d.value.columns]
    assert len(others) > 0
    assert not others.isna().any().any()
    assert "–" in set(others["share on the map"])  # an open period is not compared


def test_agency_filter_offers_one_choice_per_agency_however_spelt(tmp_path, monkeypatch):
    text = SEED_RECORDS.read_text(encoding="utf-8-sig")
    spelt_out = "Central Bureau of Judicial Investigation"
    text = text.replace("BCIJ;Spanish security services", spelt_out)
    records = tmp_path / "records.csv"
    records.write_text(text, encoding="utf-8")
    at = started(monkeypatch, records)
    agency = at.multiselect(key="agencies")
    assert "BCIJ" in agency.options
    assert spelt_out not in agency.options
    agency.select("BCIJ").run()
    assert not at.exception
    assert at.metric[0].value == "3"  # two written BCIJ, one spelt out


def test_country_filter_shows_names_and_moves_the_view(monkeypatch):
    at = started(monkeypatch, SEED_RECORDS)
    country = at.multiselect(key="countries")
    assert "Belgium (BE)" in country.options
    country.select("BE").run()
    assert not at.exception
    south, west, north, east = opening_bounds(at)
    assert south > 50
    assert east > 5
