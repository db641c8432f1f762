"""The indexed merge (by place and period) decides exactly as comparing every row.

:func:`merge_operations` looks a candidate's possible matches up by its points and
its period; :func:`merge_operations_by_place` (the former merge) compares it with
every row at its points, and a plain loop over all rows is the rule itself. On
generated reports (thousands, several countries, day, month and year dates,
undated ones, repeated reports of one operation with shifted dates and counts) all
three give the same records, the same additions and the same merges.
"""

import csv
import random
from datetime import date, timedelta

import pandas as pd
import pytest

from mapapp.records import COLUMNS, empty_records, load_records
from mapapp.records.merge import _merge, _rows, merge_operations, merge_operations_by_place
from places import Resolver

TOWNS = {
    "MA": ["Casablanca", "Rabat", "Tetouan", "Tétouan", "Fes", "Oujda", "Tangier", "Salé",
           "Nador", "Larache", "Agadir", "Marrakesh", "Zagora"],
    "ES": ["Madrid", "Barcelona", "Ceuta", "Melilla", "Badalona", "Granada"],
    "BE": ["Brussels", "Antwerp", "Verviers"],
    "FR": ["Paris", "Lyon", "Marseille", "Nice"],
    "TN": ["Tunis", "Sousse", "Kasserine"],
    "XX": ["Nowhere-on-map", "Qqqzzville"],  # not placed: matched by name
}  # fmt: skip
GROUPS = [("ISIS", "Daesh"), ("AQIM", "AQIM"), ("Al-Qaeda", "al-Qaida"), ("unknown", "")]


def _when(rng, day: date) -> tuple[str, str]:
    kind = rng.random()
    if kind < 0.65:
        return day.isoformat(), "day"
    if kind < 0.78:
        return day.isoformat()[:7], "month"
    if kind < 0.86:
        return day.isoformat()[:4], "year"
    return "", "unknown"


def write_reports(path, n: int, seed: int) -> None:
    """``n`` reports: about half retell an earlier operation a little differently."""
    rng = random.Random(seed)
    first_day = date(2010, 1, 1)
    told = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS)
        for i in range(n):
            if told and rng.random() < 0.5:
                cc, places, day, count, group = rng.choice(told)
                day += timedelta(days=rng.randint(-4, 4))
                if count and rng.random() < 0.5:
                    count = max(1, count + rng.randint(-2, 2))
                if rng.random() < 0.3:
                    group = rng.choice(GROUPS)
                if len(places) > 1 and rng.random() < 0.3:
                    places = places[:-1]
            else:
                cc = rng.choice(list(TOWNS))
                places = rng.sample(TOWNS[cc], k=min(len(TOWNS[cc]), rng.choice((1, 1, 2, 3))))
                day = first_day + timedelta(days=rng.randrange(900))  # crowded: 2.5 years
                count = rng.choice([None, *range(1, 12)])
                group = rng.choice(GROUPS)
                told.append((cc, places, day, count, group))
            when, precision = _when(rng, day)
            out.writerow([
                f"gen-{seed}-{i:05d}", when, precision, ";".join(places),
                "" if cc == "XX" else cc, "" if count is None else count, group[0],
                group[1], "BCIJ" if cc == "MA" else "", f"Report {i}.", f"Wire {i % 7}", "",
                f"https://example.org/{seed}/{i}", "", "",
            ])  # fmt: skip


class _EveryRow:
    """The rule with no index at all: every row is compared, in row order."""

    def __init__(self):
        self.rows = 0

    def add(self, i, keys, row):
        self.rows = max(self.rows, i + 1)

    def nearby(self, keys, row):
        return list(range(self.rows))


@pytest.fixture(scope="module")
def resolver(tmp_path_factory, index_path):
    r = Resolver(cache_path=tmp_path_factory.mktemp("merge") / "geocode.sqlite")
    yield r
    r.close()


def _frames(tmp_path, n, seed, existing):
    path = tmp_path / f"reports-{seed}.csv"
    write_reports(path, n, seed)
    reports = load_records(path)
    records = reports.iloc[:existing].reset_index(drop=True)
    candidates = reports.iloc[existing:].reset_index(drop=True)
    return records, candidates


def _same(a, b):
    pd.testing.assert_frame_equal(a.records, b.records)
    assert a.added == b.added
    assert a.merged == b.merged


@pytest.mark.parametrize(("n", "seed", "existing"), [(4000, 1, 0), (3000, 2, 800)])
def test_indexed_merge_equals_the_merge_by_place(tmp_path, resolver, n, seed, existing):
    records, candidates = _frames(tmp_path, n, seed, existing)
    indexed = merge_operations(records, candidates, resolver)
    by_place = merge_operations_by_place(records, candidates, resolver)
    _same(indexed, by_place)
    # The generated reports do exercise the rule: many merges, undated ones too.
    assert len(indexed.merged) > n // 5
    undated = set(candidates.loc[candidates["date_start"].isna(), "id"])
    assert any(c in undated for c, _ in indexed.merged)
    assert len(set(candidates["country"])) >= 5


def test_indexed_merge_equals_comparing_every_row(tmp_path, resolver):
    records, candidates = _frames(tmp_path, 900, 3, 200)
    _same(
        merge_operations(records, candidates, resolver),
        _merge(records, candidates, resolver, _EveryRow()),
    )


def test_long_and_inverted_spans_are_still_found(resolver):
    """A range of decades, or a start after its end, meets its matches like any span."""
    rows = []
    for i, (start, end) in enumerate(
        [
            ("2001-01-01", "2030-12-31"),
            ("2015-03-20", "2015-03-02"),
            ("2015-03-10", "2015-03-10"),
            ("2015-03-12", "2015-03-12"),
            ("1990-01-01", "2040-01-01"),
        ]  # fmt: skip
    ):
        rows.append({
            "id": f"s{i}", "date": start, "date_precision": "day", "places": ("Rabat",),
            "country": "MA", "arrested": pd.NA, "affiliation": "unknown",
            "affiliation_as_written": "", "agencies": (), "summary": "", "evidence": "",
            "sources": ({"name": f"s{i}", "title": "", "url": "", "published": ""},),
            "date_start": pd.Timestamp(start), "date_end": pd.Timestamp(end),
        })  # fmt: skip
    template = empty_records()
    frame = pd.DataFrame(rows, columns=template.columns).astype(template.dtypes.to_dict())
    for existing in range(len(rows)):
        records = frame.iloc[:existing].reset_index(drop=True)
        candidates = frame.iloc[existing:].reset_index(drop=True)
        _same(
            merge_operations(records, candidates, resolver),
            _merge(records, candidates, resolver, _EveryRow()),
        )


def test_rows_are_what_to_dict_gives(tmp_path):
    records, candidates = _frames(tmp_path, 600, 4, 0)
    for frame in (candidates, empty_records(), candidates.iloc[:0]):
        expected, got = frame.to_dict("records"), _rows(frame)
        assert len(expected) == len(got)
        for a, b in zip(expected, got, strict=True):
            assert list(a) == list(b)
            assert [(type(v), repr(v)) for v in a.values()] == [
                (type(v), repr(v)) for v in b.values()
            ]
