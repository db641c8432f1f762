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


def merge_operations(
    records: pd.DataFrame, candidates: pd.DataFrame, resolver: Resolver
) -> MergeReport:
    """Merge ``candidates`` (records-shaped) into ``records``.

    A candidate that matches an existing record is folded into it; one that
    matches an earlier candidate of the same batch is folded into that one; the
    rest are added. Rows are never reordered, so a diff of the CSV shows only
    what changed.
    """
    both = pd.concat([records, candidates], ignore_index=True)
    answers = resolve_places(both, resolver)
    rows = records.to_dict("records")
    keys = [_place_keys(r["places"], r["country"], answers) for r in rows]
    at_place: dict = {}  # place key -> rows there: only those can be the same operation
    for i, row_keys in enumerate(keys):
        for key in row_keys:
            at_place.setdefault(key, []).append(i)
    report = MergeReport(records)
    for candidate in candidates.to_dict("records"):
        cand_keys = _place_keys(candidate["places"], candidate["country"], answers)
        nearby = sorted({i for key in cand_keys for i in at_place.get(key, ())})
        match = next(
            (i for i in nearby if same_operation(rows[i], candidate, keys[i], cand_keys)), None
        )
        if match is None:
            rows.append(candidate)
            keys.append(cand_keys)
            for key in cand_keys:
                at_place.setdefault(key, []).append(len(rows) - 1)
            report.added.append(candidate["id"])
        else:
            rows[match] = _combine(rows[match], candidate)
            report.merged.append((candidate["id"], rows[match]["id"]))
    report.records = pd.DataFrame(rows, columns=records.columns)
    return report
