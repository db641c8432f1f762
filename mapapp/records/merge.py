"""Merge newly found operations into the records without losing a hand edit.

Several outlets report the same raid, each spelling the towns its own way
("Tetuan", "Tétouan") and rounding the count differently. Two reports are one
operation when they are placed at the same points, their dates (read at their
precision) fall within a few days of each other, and their counts and groups do
not contradict each other. The merged record keeps everything the analyst wrote
and only gains: the new source, and the values of fields that were empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from mapapp.points.join import resolve_places
from mapapp.records.affiliations import UNKNOWN
from places import Resolver

#: How far apart two dated reports of one operation may be.
DATE_SLACK = pd.Timedelta(days=3)


def _place_keys(places: Iterable[str], country: str, answers) -> frozenset:
    """Where an operation is: its GeoNames ids (or coordinates), whatever the spelling."""
    keys = set()
    for place in places:
        res = answers[(place, country or "")]
        if res.points:
            keys.update(p.geonameid or (round(p.lat, 2), round(p.lon, 2)) for p in res.points)
        else:
            keys.add(place.casefold())
    return frozenset(keys)


def _dates_compatible(a: dict, b: dict) -> bool:
    a_dated, b_dated = pd.notna(a["date_start"]), pd.notna(b["date_start"])
    if a_dated and b_dated:
        return (
            a["date_start"] - DATE_SLACK <= b["date_end"]
            and b["date_start"] - DATE_SLACK <= a["date_end"]
        )
    # An undated report matches only another undated one: a date would be a guess.
    return not a_dated and not b_dated


def _counts_compatible(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return True
    return abs(int(a) - int(b)) <= max(1, round(0.25 * max(int(a), int(b))))


def same_operation(a: dict, b: dict, a_keys: frozenset, b_keys: frozenset) -> bool:
    """Whether two records report the same operation (see the module docstring)."""
    if not a_keys or not b_keys:
        return False
    overlap = len(a_keys & b_keys) / len(a_keys | b_keys)
    groups = {a["affiliation"], b["affiliation"]} - {UNKNOWN}
    return (
        overlap >= 0.5
        and _dates_compatible(a, b)
        and _counts_compatible(a["arrested"], b["arrested"])
        and len(groups) <= 1
    )


def _combine(kept: dict, new: dict) -> dict:
    """``kept`` with the new report's sources and whatever ``kept`` left empty."""
    merged = dict(kept)
    seen = {(s["url"] or s["name"], s["title"]) for s in kept["sources"]}
    merged["sources"] = kept["sources"] + tuple(
        s for s in new["sources"] if (s["url"] or s["name"], s["title"]) not in seen
    )
    for column in ("summary", "evidence", "affiliation_as_written"):
        if not kept[column] and new[column]:
            merged[column] = new[column]
    if pd.isna(kept["arrested"]) and pd.notna(new["arrested"]):
        merged["arrested"] = new["arrested"]
    if kept["affiliation"] == UNKNOWN and new["affiliation"] != UNKNOWN:
        merged["affiliation"] = new["affiliation"]
        merged["affiliation_as_written"] = new["affiliation_as_written"]
    if not kept["agencies"]:
        merged["agencies"] = new["agencies"]
    return merged


@dataclass
class MergeReport:
    """The merged records and what became of each candidate."""

    records: pd.DataFrame
    added: list[str] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (candidate id, record id)


class _ByPlace:
    """The rows at each place key: every row sharing a point with a candidate is checked.

    The index of the first version (quadratic when many operations share a town), kept
    as the reference the tests and the benchmark compare :class:`_ByPlaceAndPeriod` with.
    """

    def __init__(self):
        self._at: dict = {}

    def add(self, i: int, keys: frozenset, row: dict) -> None:
        for key in keys:
            self._at.setdefault(key, []).append(i)

    def nearby(self, keys: frozenset, row: dict) -> list[int]:
        return sorted({i for key in keys for i in self._at.get(key, ())})


#: Width of a period bucket of :class:`_ByPlaceAndPeriod`, in nanoseconds (32 days).
_BUCKET_NS = 32 * 86_400 * 10**9
#: A row spanning more buckets than this is kept in a per-place list checked by every
#: dated candidate there, so that a range of centuries costs no memory.
_MAX_BUCKETS = 64


def _span_ns(row: dict) -> tuple[int, int] | None:
    """``(start, end)`` of a dated row in nanoseconds, or None when it has no end."""
    end = row["date_end"]
    if pd.isna(end):  # a start without an end is compatible with no date
        return None
    return pd.Timestamp(row["date_start"]).value, pd.Timestamp(end).value


class _ByPlaceAndPeriod:
    """The rows at each place key, dated ones by 32-day period.

    A dated row is filed under every period its span widened by :data:`DATE_SLACK`
    on both sides touches, and a dated candidate looks only in the periods its own
    span touches: two spans within the slack of each other always share one, so no
    row that :func:`same_operation` could accept is missed, and the rows compared are
    those of a few weeks at the candidate's towns instead of all of them. An undated
    row can only be the same as an undated one, so those are filed apart.
    """

    def __init__(self):
        self._undated: dict = {}  # key -> rows without a date
        self._periods: dict = {}  # (key, period) -> dated rows
        self._wide: dict = {}  # key -> dated rows spanning more than _MAX_BUCKETS
        self._dated: dict = {}  # key -> every dated row, for a candidate's long span
        self._spans: dict[int, tuple[int, int]] = {}  # dated row -> (start, end) in ns
        self._slack = DATE_SLACK.value

    @staticmethod
    def _buckets(lo: int, hi: int) -> range:
        lo, hi = min(lo, hi), max(lo, hi)  # an inverted span still meets its matches
        return range(lo // _BUCKET_NS, hi // _BUCKET_NS + 1)

    def add(self, i: int, keys: frozenset, row: dict) -> None:
        if pd.isna(row["date_start"]):
            for key in keys:
                self._undated.setdefault(key, []).append(i)
            return
        span = _span_ns(row)
        if span is None:
            return  # matches nothing (see _dates_compatible), so never looked for
        self._spans[i] = span
        buckets = self._buckets(span[0] - self._slack, span[1] + self._slack)
        for key in keys:
            self._dated.setdefault(key, []).append(i)
            if len(buckets) > _MAX_BUCKETS:
                self._wide.setdefault(key, []).append(i)
            else:
                for bucket in buckets:
                    self._periods.setdefault((key, bucket), []).append(i)

    def nearby(self, keys: frozenset, row: dict) -> list[int]:
        found: set[int] = set()
        if pd.isna(row["date_start"]):
            for key in keys:
                found.update(self._undated.get(key, ()))
            return sorted(found)
        span = _span_ns(row)
        if span is None:
            return []
        buckets = self._buckets(*span)
        for key in keys:
            if len(buckets) > _MAX_BUCKETS:  # a long span: every dated row there
                found.update(self._dated.get(key, ()))
                continue
            found.update(self._wide.get(key, ()))
            for bucket in buckets:
                found.update(self._periods.get((key, bucket), ()))
        # A period holds rows of its neighbours too: keep those whose dates are within
        # the slack (the test of _dates_compatible, on integers).
        start, end = span
        slack, spans = self._slack, self._spans
        return sorted(
            i for i in found if spans[i][0] - slack <= end and start - slack <= spans[i][1]
        )


def merge_operations(
    records: pd.DataFrame, candidates: pd.DataFrame, resolver: Resolver
) -> MergeReport:
    """Merge ``candidates`` (records-shaped) into ``records``.

    A candidate that matches an existing record is folded into it; one that
    matches an earlier candidate of the same batch is folded into that one; the
    rest are added. Rows are never reordered, so a diff of the CSV shows only
    what changed. Each candidate is compared, in row order, only with the rows at its
    points and in its period (:class:`_ByPlaceAndPeriod`), so the merge grows about
    linearly with the candidates; the first row that :func:`same_operation` accepts
    takes it, as if every row were compared.
    """
    return _merge(records, candidates, resolver, _ByPlaceAndPeriod())


def merge_operations_by_place(
    records: pd.DataFrame, candidates: pd.DataFrame, resolver: Resolver
) -> MergeReport:
    """:func:`merge_operations` comparing each candidate with every row at its points.

    The former merge, quadratic in the operations a town has; kept as the reference
    the indexed merge is tested and measured against.
    """
    return _merge(records, candidates, resolver, _ByPlace())


def _rows(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``, column by column (four times faster on Arrow columns).

    The values are the same objects ``to_dict`` gives: a missing value of a nullable
    column (``pd.NA``) becomes None, as there.
    """
    columns = list(frame.columns)
    values = [[None if v is pd.NA else v for v in frame[column].tolist()] for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _merge(records: pd.DataFrame, candidates: pd.DataFrame, resolver: Resolver, index):
    both = pd.concat([records, candidates], ignore_index=True)
    answers = resolve_places(both, resolver)
    rows = _rows(records)
    keys = [_place_keys(r["places"], r["country"], answers) for r in rows]
    # Only rows at the same points (and, indexed, in the same period) can be the same
    # operation; a merge changes neither a row's points nor its dates.
    for i, (row, row_keys) in enumerate(zip(rows, keys, strict=True)):
        index.add(i, row_keys, row)
    report = MergeReport(records)
    for candidate in _rows(candidates):
        cand_keys = _place_keys(candidate["places"], candidate["country"], answers)
        nearby = index.nearby(cand_keys, candidate)
        match = next(
            (i for i in nearby if same_operation(rows[i], candidate, keys[i], cand_keys)), None
        )
        if match is None:
            rows.append(candidate)
            keys.append(cand_keys)
            index.add(len(rows) - 1, cand_keys, candidate)
            report.added.append(candidate["id"])
        else:
            rows[match] = _combine(rows[match], candidate)
            report.merged.append((candidate["id"], rows[match]["id"]))
    report.records = pd.DataFrame(rows, columns=records.columns)
    return report
