"""The bundled records: the Morocco dataset of issue 12, and the invariants it keeps.

Built by ``scripts/build_morocco_records.py`` from ``datasets/morocco`` (see the README's
"The bundled dataset"). These checks read only the shipped files, so they hold for any
rebuild: every record sourced and summarised, every place placed by the offline
geocoder, and no two records that the merge rule of ``ingest`` takes for one operation.
"""

import sys
from pathlib import Path

import pandas as pd
import pytest

from mapapp import bundled
from mapapp.records import load_records
from mapapp.records.figures import load_national_figures
from mapapp.records.merge import merge_operations
from places import Resolver

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "datasets" / "morocco"

#: What the dataset holds today; the floor a rebuild must not go under.
MIN_OPERATIONS = 110
MIN_SOURCE_URLS = 150
MIN_YEARS = 15


@pytest.fixture(scope="module")
def records():
    return load_records(bundled.RECORDS)


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    r = Resolver(cache_path=tmp_path_factory.mktemp("bundled") / "geocode.sqlite")
    yield r
    r.close()


def source_urls(records):
    return {s["url"] for sources in records["sources"] for s in sources if s["url"]}


def test_counts_urls_and_years(records):
    assert len(records) >= MIN_OPERATIONS
    assert len(source_urls(records)) >= MIN_SOURCE_URLS
    years = {int(d[:4]) for d in records["date"] if d}
    assert all(2002 <= year <= 2026 for year in years)
    assert len(years) >= MIN_YEARS


def test_every_record_has_a_source_url_a_title_and_a_summary_in_our_words(records):
    for record in records.to_dict("records"):
        assert record["sources"], record["id"]
        assert all(s["url"] and s["name"] for s in record["sources"]), record["id"]
        summary = record["summary"]
        assert len(summary) >= 30, record["id"]
        assert "not yet reviewed" not in summary, record["id"]  # ingest's placeholder
        assert summary not in record["evidence"], record["id"]  # not the source's sentence


def test_ids_are_readable_and_unique(records):
    assert records["id"].is_unique
    assert all(i[:3] in {f"{c.lower()}-" for c in records["country"]} for i in records["id"])


def test_unknown_stays_unknown(records):
    """No day without a day-precision date, and counts and groups are left empty when unsaid."""
    undated = records[records["date"] == ""]
    assert (undated["date_precision"] == "unknown").all()
    assert len(undated) > 0  # undated reports stay undated
    assert records["arrested"].isna().any()  # a report without a count keeps none
    assert (records["affiliation"] == "unknown").any()
    for record in records[records["date_precision"] == "day"].to_dict("records"):
        assert len(record["date"]) == 10


def test_joint_operations_with_spain_and_arrests_abroad_on_a_moroccan_tip(records):
    countries = set(records["country"])
    assert {"MA", "ES"} <= countries
    assert countries - {"MA", "ES"}  # France, Germany, the Netherlands...
    spanish = records[records["country"] == "ES"]
    assert any({"DGST", "BCIJ"} & set(agencies) for agencies in spanish["agencies"]), (
        "a Spanish arrest credited with Moroccan services"
    )
    # A joint operation is one record per country, dated alike: Nador and Melilla, 26 Sept 2014.
    day = records[records["date"] == "2014-09-26"]
    assert set(day["country"]) == {"MA", "ES"}


def test_several_reports_of_one_operation_are_one_record_with_all_sources(records):
    several = records[records["sources"].map(len) > 1]
    assert len(several) >= 20
    in_guercif = records["places"].map(lambda p: "Guercif" in p)
    lions = records[in_guercif & records["date"].str.startswith("2025")]
    assert len(lions) == 1  # the "Lions of the Caliphate" cell, reported by many outlets
    assert in_guercif.sum() == 2  # and the MUJAO recruitment cell of November 2012
    assert len(lions.iloc[0]["sources"]) >= 5


def test_every_place_is_placed_by_the_offline_geocoder(records, resolver):
    missing = []
    for record in records.to_dict("records"):
        answers = resolver.resolve_many(list(record["places"]), country=record["country"] or None)
        missing += [(record["id"], name) for name, res in answers.items() if not res.points]
    assert missing == []


def test_the_merge_rule_finds_no_two_records_that_are_one_operation(records, resolver):
    report = merge_operations(records.iloc[:0], records, resolver)
    assert report.merged == []
    assert len(report.added) == len(records)


def test_national_figures_cover_the_years_of_the_quoted_totals():
    figures = load_national_figures()
    assert len(figures) >= 40
    years = {d.year for d in figures["date_start"] if pd.notna(d)}
    assert {2002, 2015, 2016, 2017, 2019} <= years
    assert (figures["country"] == "MA").all()


@pytest.mark.slow
def test_the_build_script_reproduces_the_shipped_files(tmp_path):
    """The records and figures are data built from datasets/morocco, not hand edits."""
    if not DATASET.is_dir():
        pytest.skip("datasets/morocco is not beside the package")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_morocco_records as build
    finally:
        sys.path.pop(0)
    out = tmp_path / "records.csv"
    assert build.main(["--out", str(out), "--check"]) == 0
    frame, _ = build.build(DATASET)
    assert sorted(frame["id"]) == sorted(load_records(bundled.RECORDS)["id"])
