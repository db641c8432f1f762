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
from pathlib import Path
from typing import IO

import pandas as pd

from mapapp.records import parse_count, parse_country, parse_date, read_csv_rows

FIGURE_COLUMNS = (
    "country", "period_start", "period_end", "period_label", "cells_dismantled", "arrested",
    "plots_foiled", "qualifier", "note", "source_name",
)
QUALIFIERS = ("exact", "at least", "more than")
_COUNTS = ("cells_dismantled", "arrested", "plots_foiled")
BUNDLED_FIGURES = Path(__file__).resolve().parent / "data" / "national_figures.csv"


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
    source = BUNDLED_FIGURES if path is None else path
    table = read_csv_rows(source, FIGURE_COLUMNS, name=name)
    rows = []
    for line, row in table.rows:
        record = dict(row)
        try:
            record["country"] = parse_country(row.get("country", ""))
        except ValueError as error:
            table.report(line, "country", str(error))
        if not record.get("country") and "country" in row:
            table.report(line, "country", "empty: a national figure belongs to a country")
        start = parse_date(row.get("period_start", ""))
        end = parse_date(row.get("period_end", ""))
        for column, parsed in (("period_start", start), ("period_end", end)):
            if parsed is None:
                table.report(line, column, f"{row[column]!r} is not a date (YYYY[-MM[-DD]])")
        if start == ("unknown", None, None) and "period_start" in row:
            table.report(line, "period_start", "empty: a figure covers a period with a start")
        if start and end and start[1] and end[2] and start[1] > end[2]:
            table.report(line, "period_end", "the period ends before it starts")
        for column in _COUNTS:
            try:
                record[column] = parse_count(row.get(column, ""))
            except ValueError as error:
                table.report(line, column, str(error))
                record[column] = None
        if all(record[column] is None for column in _COUNTS):
            table.report(line, None, f"no figure given: fill one of {', '.join(_COUNTS)}")
        if row.get("qualifier", "exact") not in QUALIFIERS:
            table.report(
                line, "qualifier",
                f"{row['qualifier']!r} is not one of: {', '.join(QUALIFIERS)}",
            )
        record["date_start"] = start[1] if start else None
        record["date_end"] = end[2] if end else None
        rows.append(record)
    table.raise_if_problems()
    frame = pd.DataFrame(rows, columns=[*FIGURE_COLUMNS, "date_start", "date_end"])
    for column in _COUNTS:
        frame[column] = pd.array(frame[column].astype(object), dtype="Int64")
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column].astype(object), format="%Y-%m-%d")
    return frame
