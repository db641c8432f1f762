"""Figures shown beside the map: counts, arrests over time, national coverage.

Kept apart from the Streamlit page so they can be tested without it. The
number arrested belongs to an operation, not to each of its towns, so every
sum here is taken over distinct operations, never over map points.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Counts:
    """The three headline numbers of a selection."""

    operations: int
    arrested: int
    places: int
    operations_without_count: int


def operations_of(points: pd.DataFrame) -> pd.DataFrame:
    """One row per operation present in ``points`` (first point's copy of its fields)."""
    return points.drop_duplicates("op_id")


def headline_counts(points: pd.DataFrame) -> Counts:
    """Operations, people arrested (reported totals) and distinct places on the map."""
    ops = operations_of(points)
    places = points.drop_duplicates(["place_name", "country_code"]) if len(points) else points
    return Counts(
        operations=len(ops),
        arrested=int(ops["arrested"].sum(skipna=True)) if len(ops) else 0,
        places=len(places),
        operations_without_count=int(ops["arrested"].isna().sum()) if len(ops) else 0,
    )


def arrests_by_year(points: pd.DataFrame) -> pd.DataFrame:
    """Operations and reported arrests per year, for the dated operations only.

    An operation known to the month or day counts in its year; one known only
    to the year counts there too. Undated operations have no year and are left
    out (the page says how many).
    """
    ops = operations_of(points)
    dated = ops[ops["date_start"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=["operations", "arrested"], index=pd.Index([], name="year"))
    year = dated["date_start"].dt.year.rename("year")
    table = dated.groupby(year).agg(
        operations=("op_id", "size"), arrested=("arrested", lambda s: int(s.sum(skipna=True)))
    )
    return table.sort_index()


def coverage(points: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """For each national figure, how many of its reported arrests the map accounts for.

    An operation counts towards a period when its whole date range lies inside
    the period; undated operations count towards none. The result keeps the
    figure's own wording (``qualifier``: exact, at least, more than).
    """
    ops = operations_of(points)
    dated = ops[ops["date_start"].notna()]
    rows = []
    for fig in figures.itertuples(index=False):
        start, end = pd.Timestamp(fig.period_start), pd.Timestamp(fig.period_end)
        inside = dated[(dated["date_start"] >= start) & (dated["date_end"] <= end)]
        on_map = int(inside["arrested"].sum(skipna=True))
        reported = fig.arrested
        rows.append(
            {
                "country": fig.country,
                "period": fig.period_label,
                "cells dismantled (reported)": fig.cells_dismantled,
                "arrested (reported)": reported,
                "as reported": fig.qualifier,
                "operations on the map": len(inside),
                "arrested on the map": on_map,
                "share on the map": (
                    f"{on_map / reported:.0%}" if pd.notna(reported) and reported else "–"
                ),
            }
        )
    return pd.DataFrame(rows)
