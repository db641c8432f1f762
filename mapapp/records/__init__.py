"""Operation records: the CSV exchange format, its validation, loading and saving.

Analysts edit records in a spreadsheet, so the format is a plain CSV (UTF-8, comma
separated, one header row) with exactly these columns, in any order:

``id``
    Stable identifier. May be left empty: an id is then derived from the content (date,
    places, sources, count), never from the row number, so it survives re-sorting.
    Ids must be unique in a file.
``date``, ``date_precision``
    ``YYYY-MM-DD`` / ``day``, ``YYYY-MM`` / ``month``, ``YYYY`` / ``year``, or empty /
    ``unknown``. The precision must agree with the date's form: a day is never invented.
``places``
    Place names as the source writes them, separated by ``;``. At least one.
``country``
    ISO 3166-1 alpha-2 code of the country the operation is reported in, or empty. It is
    a hint for the geocoder, not a constraint on every place.
``arrested``
    Number of people arrested, a whole number >= 0, or empty when not reported. A total
    for several places stays on the operation.
``affiliation``, ``affiliation_as_written``
    The group (normalised on load, see :mod:`mapapp.records.affiliations`) and the source's own
    word for it. An empty ``affiliation_as_written`` is filled from ``affiliation``.
``agencies``
    Agencies credited with the operation, separated by ``;``. May be empty.
``summary``, ``evidence``
    Free text: what happened, and the passage of the source that supports it.
``source_name``, ``source_title``, ``source_url``, ``source_published``
    The sources, as parallel ``;``-separated lists aligned by position: the second name,
    title, URL and publication date all describe the second source. A column left empty
    is empty for every source. ``source_url`` items are absolute URLs,
    ``source_published`` items ``YYYY-MM-DD`` dates; either may be empty.

Because ``;`` separates list items, no place, agency or source value may contain one.

Loading is all or nothing: every problem in the file is collected and reported with the
file name, the physical line (where the row starts, counting the lines of multi-line
quoted cells) and the column, in one :class:`RecordsError`.

A cell a spreadsheet would run as a formula is written with a leading ``'`` and read
back without it (:mod:`mapapp.records.table`). Writers that change a file others may
change too go through :func:`update_records` (:mod:`mapapp.records.store`).

The stage in modules: :mod:`~mapapp.records.table` reads a CSV and reports its
problems, :mod:`~mapapp.records.schema` holds each column's rule and builds the
frame, :mod:`~mapapp.records.store` loads, saves and updates files,
:mod:`~mapapp.records.figures` reads the national figures and
:mod:`~mapapp.records.merge` merges reports of one operation.
"""

from mapapp.records.schema import (
    COLUMNS,
    COUNTRY_CODES,
    DATE_PRECISIONS,
    LIST_SEPARATOR,
    SOURCE_COLUMNS,
    date_span,
    derive_id,
    parse_count,
    parse_country,
    split_list,
)
from mapapp.records.store import (
    BUNDLED_RECORDS,
    empty_records,
    is_bundled,
    load_records,
    records_csv_text,
    refuse_bundled,
    save_records,
    update_records,
)
from mapapp.records.table import (
    MAX_RECORDS_BYTES,
    CsvTable,
    RecordsError,
    cyclic_gc_paused,
    read_csv_table,
)

__all__ = (
    "BUNDLED_RECORDS",
    "COLUMNS",
    "COUNTRY_CODES",
    "DATE_PRECISIONS",
    "LIST_SEPARATOR",
    "MAX_RECORDS_BYTES",
    "SOURCE_COLUMNS",
    "CsvTable",
    "RecordsError",
    "cyclic_gc_paused",
    "date_span",
    "derive_id",
    "empty_records",
    "is_bundled",
    "load_records",
    "parse_count",
    "parse_country",
    "read_csv_table",
    "records_csv_text",
    "refuse_bundled",
    "save_records",
    "split_list",
    "update_records",
)
