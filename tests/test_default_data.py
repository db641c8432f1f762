"""The seed records: clean, complete for the seed articles, and in our own words.

These were the bundled records until issue 12 replaced them with the Morocco dataset
(checked in test_bundled_data.py); the five rows are kept as a fixture.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

from mapapp.records import load_records
from mapapp.records.affiliations import fold
from mapapp.records.figures import load_national_figures

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
RUN = 8  # words in a row that would mean a sentence was copied
SEED_RECORDS = Path(__file__).resolve().parent / "fixtures" / "seed_records.csv"  # 5 seed rows


@pytest.fixture(scope="module")
def records():
    return load_records(SEED_RECORDS)


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(
            "../shared/seeds not present: seed cross-checks need the shared folder beside the repo"
        )
    return SEEDS


def test_bundled_records_load_cleanly(records):
    assert len(records) == 5
    assert records["id"].is_unique
    assert sum(len(places) for places in records["places"]) == 13
    inezgane = [p for places in records["places"] for p in places if "Inezgane" in p]
    assert inezgane == ["Inezgane-Ait Melloul"]


def test_dates_never_invented(records):
    dated = records.set_index("id")
    assert dated.loc["ma-2022-01-04-casablanca-cell", ["date", "date_precision"]].tolist() == [
        "2022-01-04",
        "day",
    ]
    assert dated.loc["ma-2017-tetouan-fnideq-cell", ["date", "date_precision"]].tolist() == [
        "2017",
        "year",
    ]
    assert "2017" in dated.loc["ma-2017-tetouan-fnideq-cell", "summary"]
    undated = dated[dated["date_precision"] == "unknown"]
    assert len(undated) == 3
    assert (undated["date"] == "").all()
    assert undated["date_start"].isna().all()


def test_country_hints(records):
    by_place = {
        places[0]: country
        for places, country in zip(records["places"], records["country"], strict=True)
    }
    assert by_place == {
        "Casablanca": "MA",
        "Melilla": "MA",
        "Tetouan": "MA",
        "Verviers": "BE",
    }


def test_every_gold_operation_is_bundled(records, seeds):
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    by_places = {
        frozenset(map(fold, places)): row
        for row in records.itertuples()
        for places in [row.places]
    }
    operations = [op for article in gold["articles"] for op in article["operations"]]
    assert len(operations) == len(records)
    for op in operations:
        names = frozenset(fold(place["name"]) for place in op["arrest_places"])
        assert names in by_places, f"no bundled record for {sorted(names)}"
        row = by_places[names]
        arrested = None if pd.isna(row.arrested) else int(row.arrested)
        assert arrested == op["arrested"]
        assert row.affiliation == op["affiliation"]
        if "affiliation_as_written" in op:
            assert row.affiliation_as_written == op["affiliation_as_written"]
        if op["date"] is not None:
            assert (row.date, row.date_precision) == (op["date"], op["date_precision"])
        elif row.date_precision != "unknown":
            # Only a year the gold's own hint gives may be filled in.
            assert row.date_precision == "year"
            assert row.date in op["date_hint"]


def _runs(text: str) -> set[tuple[str, ...]]:
    words = fold(text).split()
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_sentence_of_the_seeds_is_copied(records, seeds):
    articles = {
        path.name: _runs(path.read_text(encoding="utf-8")) for path in sorted(seeds.glob("0*.txt"))
    }
    assert len(articles) == 5
    ours = [*records["summary"], *records["evidence"], *load_national_figures()["note"]]
    for text in ours:
        for name, runs in articles.items():
            common = _runs(text) & runs
            assert not common, f"{name}: {' '.join(sorted(common)[0])!r} copied in {text!r}"
