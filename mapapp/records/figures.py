"""National figures: cells dismantled and people arrested over a period, as officials report.

These are totals, not operations: they name no place and cannot go on the map. They are
kept in their own table so the app can show how much of a reported total the mapped
operations cover. The CSV has the columns ``FIGURE_COLUMNS``:

``country``
    ISO 3166-1 alpha-2 code of the reporting country.
``period_start``, ``period_end``
    The period the figure covers, as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (its form is
    its precision). ``period_end`` may be empty when the source does not say when the
    count stopped (an undated article's "since 2002").
``period_label``
    The period in words, as the source puts it ("2002 to early 2017").
``cells_dismantled``, ``arrested``, ``plots_foiled``
    Whole numbers >= 0, or empty when not given; at least one is given.
``qualifier``
    ``exact``, ``at least`` or ``more than``: how the source qualifies its numbers.
``note``, ``source_name``
    Free text.
"""

import os
from typing import IO

import pandas as pd

from mapapp import bundled
from mapapp.records import date_span, parse_count, parse_country, read_csv_table

FIGURE_COLUMNS = (
    "country",
    "period_start",
    "period_end",
    "period_label",
    "cells_dismantled",
    "arrested",
    "plots_foiled",
    "qualifier",
    "note",
    "source_name",
)
QUALIFIERS = ("exact", "at least", "more than")
_COUNTS = ("cells_dismantled", "arrested", "plots_foiled")
BUNDLED_FIGURES = bundled.NATIONAL_FIGURES


def load_national_figures(
    path: str | os.PathLike | bytes | IO[bytes] | None = None, *, name: str | None = None
) -> pd.DataFrame:
    """Load and validate a national-figures CSV.

    Parameters
    ----------
    path : path, bytes or binary file object, optional
        The CSV; the bundled figures when not given.
    name : str, optional
        What to call the file in messages.

    Returns
    -------
    pandas.DataFrame
        The CSV columns (counts as ``Int64``) plus ``date_start`` and ``date_end``: the
        first day of ``period_start`` and the last day of ``period_end`` (NaT when open).

    Raises
    ------
    mapapp.records.RecordsError
        With every problem (file, line, column); nothing is returned then.
    """
    table = read_csv_table(BUNDLED_FIGURES if path is None else path, FIGURE_COLUMNS, name=name)
    countries = table.check("country", table.column("country"), _country)
    starts = table.check("period_start", table.column("period_start"), _period_start)
    ends = table.check("period_end", table.column("period_end"), date_span)
    for row, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start and end and end[2] and start[1] > end[2]:
            table.report(row, "period_end", "the period ends before it starts")
    cells = {column: table.column(column) for column in _COUNTS}
    counts = {column: table.check(column, cells[column], parse_count) for column in _COUNTS}
    for row, given in enumerate(zip(*cells.values(), strict=True)):
        if not any(given):
            table.report(row, None, f"no figure given: fill one of {', '.join(_COUNTS)}")
    table.check("qualifier", table.column("qualifier"), _qualifier)
    table.raise_if_problems()
    frame = pd.DataFrame({column: table.column(column) for column in FIGURE_COLUMNS})
    frame["country"] = countries
    for column, values in counts.items():
        frame[column] = pd.array(values, dtype="Int64")
    frame["date_start"] = pd.to_datetime([start[1] for start in starts], format="%Y-%m-%d")
    frame["date_end"] = pd.to_datetime([end[2] for end in ends], format="%Y-%m-%d")
    return frame


def _country(text: str) -> str:
    if not text:
        raise ValueError("empty: a national figure belongs to a country")
    return parse_country(text)


def _period_start(text: str) -> tuple[str, str | None, str | None]:
    if not text:
        raise ValueError("empty: a figure covers a period with a start")
    return date_span(text)


def _qualifier(text: str) -> str:
    if text not in QUALIFIERS:
        raise ValueError(f"{text!r} is not one of: {', '.join(QUALIFIERS)}")
    return text
