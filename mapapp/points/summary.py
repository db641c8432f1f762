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
    out (the page says how many). Every year from the first to the last is a row,
    a year with no operation one of zeros, so that a chart of it shows the gaps.
    ``without_count`` is the number of the year's operations that give no number
    arrested.
    """
    ops = operations_of(points)
    dated = ops[ops["date_start"].notna()]
    columns = ["operations", "arrested", "without_count"]
    if dated.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="year"), dtype=int)
    year = dated["date_start"].dt.year.astype(int).rename("year")
    table = dated.groupby(year).agg(
        operations=("op_id", "size"),
        arrested=("arrested", lambda s: int(s.sum(skipna=True))),
        without_count=("arrested", lambda s: int(s.isna().sum())),
    )
    every = pd.RangeIndex(int(table.index.min()), int(table.index.max()) + 1, name="year")
    return table.reindex(every, fill_value=0)[columns].astype(int)


def is_calendar_year(figures: pd.DataFrame) -> pd.Series:
    """Which national figures cover exactly one calendar year (1 January to 31 December)."""
    start, end = figures["date_start"], figures["date_end"]
    return (
        end.notna()
        & (start.dt.month == 1)
        & (start.dt.day == 1)
        & (end.dt.month == 12)
        & (end.dt.day == 31)
        & (start.dt.year == end.dt.year)
    )


def _in_country(points: pd.DataFrame, country: str) -> pd.DataFrame:
    """The points of the operations with at least one place in ``country``."""
    ops = points.loc[points["country_code"] == country, "op_id"]
    return points[points["op_id"].isin(ops)]


def _official(values: pd.Series, qualifiers: pd.Series) -> str:
    """A year's figures as one short text: "275", "273–276" when reports differ, "≥ 55"."""
    given = values.notna()
    values, qualifiers = values[given].astype(int), qualifiers[given]
    if values.empty:
        return ""
    low, high = int(values.min()), int(values.max())
    if low != high:
        return f"{low:,}–{high:,}"
    sign = {"at least": "≥ ", "more than": "> "}.get(qualifiers.iloc[0], "")
    return f"{sign}{low:,}"


def coverage_by_year(points: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Year by year, the totals officials gave for the year beside what the map holds.

    Only figures covering one whole calendar year are used (the others, "since
    2002" or "January to October", are :func:`coverage`'s). A figure of a country
    is set against the operations with a place in that country, counted in their
    year as :func:`arrests_by_year` counts them. A year is a row when officials gave
    a figure for it (the chart of :func:`arrests_by_year` shows every year of the
    map). When several reports give a year's figure and differ, the range is shown;
    the share is taken of the highest.

    Returns
    -------
    pandas.DataFrame
        ``country``, ``year``, ``operations (map)``, ``cells (officials)``,
        ``arrested (map)``, ``arrested (officials)`` (texts: "273–276", "≥ 55"),
        ``map / officials`` (the arrests on the map as a share of the officials').
    """
    yearly = figures[is_calendar_year(figures)]
    yearly = yearly.assign(year=yearly["date_start"].dt.year.astype(int))
    rows = []
    for country in sorted(set(yearly["country"])):
        mine = yearly[yearly["country"] == country]
        mapped = arrests_by_year(_in_country(points, country))
        years = sorted(set(mine["year"]))
        for year in years:
            figs = mine[mine["year"] == year]
            operations = int(mapped["operations"].get(year, 0))
            arrested = int(mapped["arrested"].get(year, 0))
            highest = figs["arrested"].max() if figs["arrested"].notna().any() else None
            rows.append(
                {
                    "country": country,
                    "year": year,
                    "operations (map)": operations,
                    "cells (officials)": _official(figs["cells_dismantled"], figs["qualifier"]),
                    "arrested (map)": arrested,
                    "arrested (officials)": _official(figs["arrested"], figs["qualifier"]),
                    "map / officials": f"{arrested / highest:.0%}" if highest else "",
                }
            )
    columns = ["country", "year", "operations (map)", "cells (officials)", "arrested (map)",
               "arrested (officials)", "map / officials"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def coverage(points: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """For each national figure, how many of its reported arrests the map accounts for.

    An operation counts towards a period when its whole date range lies inside
    the period and it has a place in the figure's country; undated operations count
    towards none. A period with no end given ("since 2002", in an undated article)
    cannot be compared: its map columns are empty. The result keeps the figure's own
    wording (``qualifier``: exact, at least, more than).
    """
    ops = operations_of(points)
    dated = ops[ops["date_start"].notna()]
    rows = []
    for fig in figures.itertuples(index=False):
        start, end = pd.Timestamp(fig.period_start), fig.date_end
        reported = fig.arrested
        row = {
            "country": fig.country,
            "period": fig.period_label,
            "cells dismantled (reported)": fig.cells_dismantled,
            "arrested (reported)": reported,
            "as reported": fig.qualifier,
            "operations on the map": None,
            "arrested on the map": None,
            "share on the map": "–",
        }
        if pd.notna(end):
            in_country = dated[dated["op_id"].isin(_in_country(points, fig.country)["op_id"])]
            inside = in_country[
                (in_country["date_start"] >= start) & (in_country["date_end"] <= end)
            ]
            on_map = int(inside["arrested"].sum(skipna=True))
            row["operations on the map"] = len(inside)
            row["arrested on the map"] = on_map
            if pd.notna(reported) and reported:
                row["share on the map"] = f"{on_map / reported:.0%}"
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table):
        for column in ("operations on the map", "arrested on the map"):
            table[column] = table[column].astype("Int64")
    return table
