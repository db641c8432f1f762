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
    The group (normalised on load, see :mod:`mapapp.affiliations`) and the source's own
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

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, and records hold text from news reports, which anyone can write.
So, as OWASP advises against CSV injection, such a cell is written with a leading
``'`` (which spreadsheets show as text and do not display), and the loader takes that
``'`` off again: the text reads back exactly as it was.

Writers that read the file, change it and write it back (``ingest``, the review page)
go through :func:`update_records`, which holds the file's lock and merges with what
the file holds at the time of writing, so two writers never lose each other's records
and a hand edit saved meanwhile is kept.
"""

import calendar
import csv
import gc
import hashlib
import io
import os
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import IO, TypeVar

import pandas as pd
import pyarrow as pa

from mapapp.affiliations import UNKNOWN, fold, normalise_affiliation
from mapapp.errors import MapappError
from mapapp.files import atomic_write, fingerprint, locked, replace_if_unchanged

COLUMNS = (
    "id", "date", "date_precision", "places", "country", "arrested", "affiliation",
    "affiliation_as_written", "agencies", "summary", "source_name", "source_title",
    "source_url", "source_published", "evidence",
)
SOURCE_COLUMNS = ("source_name", "source_title", "source_url", "source_published")
SOURCE_KEYS = ("name", "title", "url", "published")
LIST_SEPARATOR = ";"
DATE_PRECISIONS = ("day", "month", "year", "unknown")
MAX_RECORDS_BYTES = 100 * 1024 * 1024
BUNDLED_RECORDS = Path(__file__).resolve().parent / "data" / "records.csv"

# ISO 3166-1 alpha-2, officially assigned, plus XK (Kosovo), which GeoNames uses.
COUNTRY_CODES = frozenset(re.findall(r"[A-Z]{2}", """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS XK YE YT ZA ZM ZW
"""))

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_COUNT = re.compile(r"\d+")
_ABSOLUTE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+\S*")

#: A cell a spreadsheet would run as a formula (OWASP's list of first characters: = + - @
#: tab, carriage return), after any ``'`` already there: it is written with one more ``'``.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")


class RecordsError(MapappError, ValueError):
    """A file that cannot be loaded, with every problem found in it.

    Parameters
    ----------
    problems : iterable of str
        One message per problem, each naming file, line and column where they apply.
    """

    max_listed = 20

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        shown = self.problems[: self.max_listed]
        lines = [f"{len(self.problems)} problem(s):", *(f"  {p}" for p in shown)]
        if len(self.problems) > len(shown):
            lines.append(f"  … and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)


class CsvTable:
    """A CSV file checked for structure, whose cells are then validated column by column.

    Validation works on columns and parses each distinct value once (files repeat their
    dates, countries and groups), which keeps 100,000 rows fast. Physical line numbers
    are worked out only when a problem is reported, and problems are sorted by line and
    column at the end, so they read as if checked row by row.

    Parameters
    ----------
    name : str
        What to call the file in messages.
    columns : sequence of str
        The expected columns, in their canonical order.
    text : str
        The file's text, to find line numbers in.
    records : list of list of str
        The file parsed by ``csv.reader``, one list per CSV record (blank ones included,
        so an index is also a position in the file).
    """

    def __init__(self, name: str, columns: Sequence[str], text: str, records: list[list[str]]):
        self.name = name
        self._text = text
        self._lines: list[int] | None = None
        self._order = {column: position for position, column in enumerate(columns)}
        self._problems: list[tuple[int, int, str]] = []
        # Blank rows, and rows of empty cells that spreadsheets leave, are not records.
        used = [i for i, cells in enumerate(records) if any(cells) and any(map(str.strip, cells))]
        if not used:
            expected = ", ".join(columns)
            raise RecordsError([f"{name}: file is empty; expected a header row: {expected}"])
        header = [field.strip() for field in records[used[0]]]
        self._report_record(used[0], None, _header_problems(header, columns))
        width = len(header)
        self._rows = [i for i in used[1:] if len(records[i]) == width]
        for i in used[1:]:
            if len(records[i]) != width:
                self._report_record(i, None, [
                    f"row has {len(records[i])} fields, expected {width} (one per column)"
                ])
        rows = [records[i] for i in self._rows]
        self.size = len(rows)
        # Every row has the header's width, so zip transposes rows into columns in one
        # pass of C, several times faster than picking each column out of every row.
        transposed = zip(*rows, strict=True) if rows else ((),) * width
        self._cells = {
            column: _unquoted(cells)
            for column, cells in zip(header, transposed, strict=True) if column in self._order
        }

    def has(self, column: str) -> bool:
        """Whether the file has this column (a missing one is reported once, not per row)."""
        return column in self._cells

    def column(self, column: str) -> list[str]:
        """The stripped cells of a column (empty strings when the column is missing)."""
        return list(self._cells.get(column, [""] * self.size))

    def line(self, row: int) -> int:
        """The physical line where a row starts (counting lines inside quoted cells)."""
        return self._record_line(self._rows[row])

    def _record_line(self, record: int) -> int:
        if self._lines is None:  # only files with problems pay for a second reading
            self._lines = record_lines(self._text, self.name)
        return self._lines[record]

    def report(self, row: int, column: str | None, message: str) -> None:
        """Record a problem in a row (an index into the rows) and column."""
        self._add(self.line(row), column, [message])

    def _report_record(self, record: int, column: str | None, messages: list[str]) -> None:
        if messages:
            self._add(self._record_line(record), column, messages)

    def _add(self, line: int, column: str | None, messages: list[str]) -> None:
        where = f"line {line}" if column is None else f"line {line}, column {column}"
        position = self._order.get(column, -1)
        self._problems += [(line, position, f"{self.name} {where}: {m}") for m in messages]

    def check(self, column: str, values: Sequence[Hashable], parse: Callable) -> list:
        """Parse every value, reporting each row whose value raises ``ValueError``.

        Parameters
        ----------
        column : str
            The column to name in messages; nothing is reported when the file lacks it.
        values : sequence
            One value per row (a cell, or a tuple of cells for checks across columns).
        parse : callable
            Returns the parsed value or raises ``ValueError`` with the message.

        Returns
        -------
        list
            The parsed value per row, None where parsing failed.
        """
        parsed, failed = {}, {}
        for value in set(values):
            try:
                parsed[value] = parse(value)
            except ValueError as error:
                failed[value] = str(error)
        if failed and self.has(column):
            for row, value in enumerate(values):
                if value in failed:
                    self.report(row, column, failed[value])
        return list(map(parsed.get, values))

    def raise_if_problems(self) -> None:
        """Stop with every problem, in file order, so nothing is half-loaded."""
        if self._problems:
            raise RecordsError([message for *_, message in sorted(self._problems)])


def _unquoted(cells: Iterable[str]) -> list[str]:
    """Stripped cells, without the ``'`` that :func:`_quoted` put before a formula."""
    return [
        cell[1:] if cell[:1] == "'" and _NEEDS_QUOTE.match(cell, 1) else cell
        for cell in map(str.strip, cells)
    ]


def _quoted(cells: Iterable[str]) -> list[str]:
    """Cells with a ``'`` before each that a spreadsheet would run as a formula."""
    return ["'" + cell if _NEEDS_QUOTE.match(cell) else cell for cell in cells]


def record_lines(text: str, name: str) -> list[int]:
    """The physical line where each CSV record of ``text`` starts.

    Raises
    ------
    RecordsError
        At the first record that is not valid CSV, naming the line where it starts.
    """
    # strict: a stray quote is an error, not a cell that silently swallows later rows.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    starts, line = [], 1
    try:
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    except csv.Error as error:
        raise RecordsError([f"{name} line {line}: row is not readable as CSV ({error})"]) from None
    return starts


def _source_name(source, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return getattr(source, "name", None) or "<uploaded file>"


def _read_bytes(source, name: str, max_bytes: int) -> bytes:
    """Read the whole file, refusing one over ``max_bytes`` before reading it."""

    def refuse_if_too_big(size: int) -> None:
        if size > max_bytes:
            raise RecordsError([
                f"{name}: file is {size:,} bytes, over the limit of {max_bytes:,} bytes"
            ])

    if isinstance(source, str | os.PathLike):
        refuse_if_too_big(os.path.getsize(source))
        return Path(source).read_bytes()
    if isinstance(source, bytes | bytearray):
        refuse_if_too_big(len(source))
        return bytes(source)
    if source.seekable():
        start = source.tell()
        refuse_if_too_big(source.seek(0, io.SEEK_END) - start)
        source.seek(start)
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RecordsError([f"{name}: file is over the limit of {max_bytes:,} bytes"])
    return data


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RecordsError([
            f"{name} line {line}: file is not UTF-8 text (first bad byte "
            f"0x{data[error.start]:02X}); save it as 'CSV UTF-8' from the spreadsheet"
        ]) from None


def _header_problems(header: list[str], columns: Sequence[str]) -> list[str]:
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
        if len(header) == 1 and LIST_SEPARATOR in header[0]:
            problems.append("the file seems to use ';' between columns; use ','")
    if unknown:
        problems.append(
            f"unknown column(s): {', '.join(map(repr, unknown))}; "
            f"expected exactly: {', '.join(columns)}"
        )
    if repeated:
        problems.append(f"column(s) named twice: {', '.join(repeated)}")
    return problems


def read_csv_table(
    source: str | os.PathLike | bytes | IO[bytes],
    columns: Sequence[str],
    *,
    name: str | None = None,
    max_bytes: int = MAX_RECORDS_BYTES,
) -> CsvTable:
    """Read a CSV file and check its structure against the expected columns.

    Shared by every table the project loads, so they all report problems the same way.
    A problem that stops reading (too big, not UTF-8, empty, broken quoting) is raised at
    once; header and field-count problems are kept in the table, to be raised together
    with the cell problems.

    Parameters
    ----------
    source : path, bytes or binary file object
        The file. An upload can be passed as bytes or a ``BytesIO``.
    columns : sequence of str
        The exact set of columns expected, in any order in the file.
    name : str, optional
        What to call the file in messages; defaults to the file name.
    max_bytes : int
        Size limit, checked before reading.

    Returns
    -------
    CsvTable
        Blank rows and rows whose cells are all empty (spreadsheets leave them) are
        skipped.

    Raises
    ------
    RecordsError
        When the file cannot be read as CSV at all.
    """
    name = _source_name(source, name)
    text = _decode(_read_bytes(source, name, max_bytes), name)
    # The csv module refuses fields over 128 KiB by default; a long evidence passage
    # is a legitimate field, and the file as a whole is already held to max_bytes.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        record_lines(text, name)  # raises, naming the line where the bad record starts
        raise
    return CsvTable(name, columns, text, records)


@lru_cache(maxsize=65536)
def date_span(text: str) -> tuple[str, str | None, str | None]:
    """Read a date of day, month or year precision.

    Parameters
    ----------
    text : str
        ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty.

    Returns
    -------
    (precision, first_day, last_day)
        The precision the form implies and the ISO days the date spans; both days are
        None for an empty date, whose precision is ``unknown``.

    Raises
    ------
    ValueError
        When the text is not such a date.
    """
    if not text:
        return "unknown", None, None
    match = _DATE.fullmatch(text)
    try:
        year, month, day = (int(part) if part else None for part in match.groups())
        if day is not None:
            first = last = date(year, month, day)
        elif month is not None:
            first = date(year, month, 1)
            last = first.replace(day=calendar.monthrange(year, month)[1])
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
    except (AttributeError, ValueError):
        raise ValueError(
            f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
        ) from None
    precision = "day" if day is not None else "month" if month is not None else "year"
    return precision, first.isoformat(), last.isoformat()


def parse_count(text: str) -> int | None:
    """Read a whole number >= 0, or None for an empty cell; raise ``ValueError`` otherwise."""
    if not text:
        return None
    if not _COUNT.fullmatch(text):
        raise ValueError(f"{text!r} is not a whole number >= 0 (or empty)")
    if len(text) > 9:  # beyond any real count, and it must fit pandas' Int64
        raise ValueError(f"{text!r} is too large for a count")
    return int(text)


def parse_country(text: str) -> str:
    """Read an ISO 3166-1 alpha-2 code (any case) or empty; raise ``ValueError`` otherwise."""
    code = text.upper()
    if code and code not in COUNTRY_CODES:
        raise ValueError(f"{text!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def split_list(text: str) -> tuple[str, ...]:
    """Split a ``;``-separated cell into its non-empty, stripped items."""
    return tuple(filter(None, map(str.strip, text.split(LIST_SEPARATOR))))


def _precision(text: str) -> str:
    if text not in DATE_PRECISIONS:
        raise ValueError(f"{text!r} is not a date precision ({', '.join(DATE_PRECISIONS)})")
    return text


def _check_precisions_match(
    table: CsvTable, precisions: list[str], dates: list[str], spans: list
) -> None:
    """Report each row whose precision disagrees with the form of its date.

    The dates are parsed already (``spans``, None where the date itself is reported), so
    comparing each row's precision with the one its date implies is enough; checking
    every (precision, date) pair through :meth:`CsvTable.check` cost ten times more.
    """
    if not (table.has("date") and table.has("date_precision")):
        return
    for row, (precision, span) in enumerate(zip(precisions, spans, strict=True)):
        if span and precision != span[0] and precision in DATE_PRECISIONS:
            date_text = dates[row]
            form = f"date {date_text!r} has {span[0]} precision" if date_text else "no date"
            table.report(row, "date_precision", f"{precision!r} does not match: {form}")


def _places(text: str) -> tuple[str, ...]:
    places = split_list(text)
    if not places:
        raise ValueError("empty: an operation needs at least one place")
    return places


def _items(text: str) -> list[str]:
    return list(map(str.strip, text.split(LIST_SEPARATOR))) if text else []


def _urls(text: str) -> None:
    if LIST_SEPARATOR not in text and (not text or _ABSOLUTE_URL.fullmatch(text)):
        return  # the usual single, valid URL
    for number, url in enumerate(_items(text), 1):
        if url and not _ABSOLUTE_URL.fullmatch(url):
            raise ValueError(f"{url!r} is not an absolute URL (source {number})")


def _published(text: str) -> None:
    for number, day in enumerate(_items(text), 1):
        try:
            precision = date_span(day)[0]
        except ValueError:
            precision = None
        if precision not in ("day", "unknown"):
            raise ValueError(f"{day!r} is not a date YYYY-MM-DD (source {number})")


def _sources(cells: tuple[str, str, str, str]) -> tuple[dict[str, str], ...]:
    """Zip the four parallel source columns into one dict per source."""
    lists = [_items(cell) for cell in cells]
    counts = {len(items) for items in lists if items}
    if len(counts) > 1:
        sizes = ", ".join(
            f"{column} has {len(items)}"
            for column, items in zip(SOURCE_COLUMNS, lists, strict=True) if items
        )
        raise ValueError(
            f"source columns are parallel lists and need as many ';'-separated items: {sizes}"
        )
    count = counts.pop() if counts else 0
    return tuple(
        {key: items[i] if items else "" for key, items in zip(SOURCE_KEYS, lists, strict=True)}
        for i in range(count)
    )


def _check_sources(table: CsvTable) -> list[tuple[dict[str, str], ...] | None]:
    """The sources of each row, from the four parallel source columns."""
    cells = [table.column(column) for column in SOURCE_COLUMNS]
    table.check("source_url", cells[2], _urls)
    table.check("source_published", cells[3], _published)
    if any(LIST_SEPARATOR in "".join(column) for column in cells):
        return table.check("source_name", list(zip(*cells, strict=True)), _sources)
    # No row has several sources: skip the zipping and checking of lists (a fast path).
    return [
        ({"name": n, "title": t, "url": u, "published": p},) if n or t or u or p else ()
        for n, t, u, p in zip(*cells, strict=True)
    ]


def derive_id(
    date_text: str, places: Iterable[str], sources: Iterable[dict], arrested: int | None
) -> str:
    """Derive a stable id from what identifies an operation.

    The same operation typed again (places reordered or differently accented) gets the
    same id, and a re-sorted file keeps its ids, unlike row numbers.

    Returns
    -------
    str
        ``op-`` and 16 hex digits of a SHA-256 of date, sorted folded places, source
        URLs, titles and names, and count.
    """
    parts = [date_text, *sorted(map(fold, places))]
    for source in sources:
        parts += [source["url"], source["title"], source["name"]]
    parts.append("" if arrested is None else str(arrested))
    return "op-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _affiliation(pair: tuple[str, str]) -> tuple[str, str]:
    """Normalise the group; keep the source's word, or the cell's when it is a name."""
    written, as_written = pair
    affiliation = normalise_affiliation(written or as_written)
    if not as_written and normalise_affiliation(written) != UNKNOWN:
        as_written = written
    return affiliation, as_written


def load_records(
    path_or_buffer: str | os.PathLike | bytes | IO[bytes] = BUNDLED_RECORDS,
    *,
    name: str | None = None,
    max_bytes: int | None = None,
) -> pd.DataFrame:
    """Load and validate a records CSV.

    Parameters
    ----------
    path_or_buffer : path, bytes or binary file object
        The CSV (see the module docstring for the format); the bundled records by default.
    name : str, optional
        What to call the file in messages (an upload's name, say).
    max_bytes : int, optional
        Size limit; ``MAX_RECORDS_BYTES`` when not given.

    Returns
    -------
    pandas.DataFrame
        One row per operation: the CSV columns, with ``places`` and ``agencies`` as
        tuples of str, ``arrested`` as ``Int64``, the source columns combined into
        ``sources`` (a tuple of dicts with keys name, title, url, published), and
        ``date_start`` / ``date_end``: the first and last day the date covers (NaT when
        unknown). Empty text cells stay empty strings.

    Raises
    ------
    RecordsError
        With every problem in the file; nothing is returned then.
    """
    limit = MAX_RECORDS_BYTES if max_bytes is None else max_bytes
    with cyclic_gc_paused():
        return _records_frame(read_csv_table(path_or_buffer, COLUMNS, name=name, max_bytes=limit))


@contextmanager
def cyclic_gc_paused():
    """Pause the cycle collector while building many small containers.

    Loading 100,000 rows creates millions of lists, tuples and dicts, which keeps
    triggering full collections that find nothing (records hold no cycles): about a
    quarter of the load time. The map payload is built under it for the same reason.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _records_frame(table: CsvTable) -> pd.DataFrame:
    """Validate every cell and build the records DataFrame, or raise every problem."""
    dates = table.column("date")
    spans = table.check("date", dates, date_span)
    precisions = list(map(str.lower, table.column("date_precision")))
    table.check("date_precision", precisions, _precision)
    _check_precisions_match(table, precisions, dates, spans)
    places = table.check("places", table.column("places"), _places)
    arrested = table.check("arrested", table.column("arrested"), parse_count)
    country = table.check("country", table.column("country"), parse_country)
    sources = _check_sources(table)
    ids = table.column("id")
    for row in [row for row, record_id in enumerate(ids) if not record_id]:
        # A row that failed a check has None there; the file is rejected anyway.
        ids[row] = derive_id(dates[row], places[row] or (), sources[row] or (), arrested[row])
    _check_unique_ids(table, ids)
    written = zip(table.column("affiliation"), table.column("affiliation_as_written"), strict=True)
    affiliations = table.check("affiliation", list(written), _affiliation)
    table.raise_if_problems()
    return pd.DataFrame({
        "id": _text(ids),
        "date": _text(dates),
        "date_precision": _text(precisions),
        "date_start": _timestamps(map(itemgetter(1), spans)),
        "date_end": _timestamps(map(itemgetter(2), spans)),
        "places": _objects(places),
        "country": _text(country),
        "arrested": pd.array(arrested, dtype="Int64"),
        "affiliation": _text(map(itemgetter(0), affiliations)),
        "affiliation_as_written": _text(map(itemgetter(1), affiliations)),
        "agencies": _objects(table.check("agencies", table.column("agencies"), split_list)),
        "summary": _text(table.column("summary")),
        "sources": _objects(sources),
        "evidence": _text(table.column("evidence")),
    })


def _check_unique_ids(table: CsvTable, ids: list[str]) -> None:
    if len(set(ids)) == len(ids):
        return
    first_row: dict[str, int] = {}
    explicit = table.column("id")
    for row, record_id in enumerate(ids):
        if record_id in first_row:
            hint = "" if explicit[row] else "; derived from content: add an id to tell apart"
            first_line = table.line(first_row[record_id])
            table.report(
                row, "id", f"duplicate id {record_id!r} (first on line {first_line}){hint}"
            )
        first_row.setdefault(record_id, row)


def _timestamps(days: Iterable[str | None]) -> pd.Series:
    return pd.to_datetime(pd.Series(list(days), dtype=object), format="%Y-%m-%d")


#: Whether pandas' "str" dtype is stored in Arrow (pandas 3; object arrays before).
_ARROW_STR = getattr(pd.array([], dtype="str").dtype, "storage", None) == "pyarrow"


def _text(values: Iterable[str]) -> pd.Series:
    # Naming the dtype skips pandas' type inference, several times slower on 100k rows.
    # The cells are all str already, so Arrow can convert them directly: pandas' own
    # conversion re-checks every value and takes twice as long.
    if _ARROW_STR:
        return pd.Series(pd.array(pa.array(list(values), type=pa.large_string()), dtype="str"))
    return pd.Series(list(values), dtype="str")


def _objects(values: list) -> pd.Series:
    # dtype=object keeps tuples whole instead of letting pandas unpack them.
    return pd.Series(values, dtype=object)


def _join(items: Sequence[str], what: str, record_id: str) -> str:
    joined = LIST_SEPARATOR.join(items)
    if LIST_SEPARATOR in joined and joined.count(LIST_SEPARATOR) >= len(items):
        item = next(item for item in items if LIST_SEPARATOR in item)
        raise RecordsError([
            f"record {record_id!r}, {what}: {item!r} contains {LIST_SEPARATOR!r}, "
            "which separates list items in the CSV"
        ])
    return joined


def _source_cells(sources: Sequence[dict], record_id: str) -> list[str]:
    """The four source cells of a record; a field empty in every source is an empty cell."""
    if len(sources) == 1:  # the usual case: nothing to join
        cells = [sources[0].get(key) or "" for key in SOURCE_KEYS]
        if LIST_SEPARATOR not in "".join(cells):
            return cells
    cells = []
    for key, column in zip(SOURCE_KEYS, SOURCE_COLUMNS, strict=True):
        values = [source.get(key) or "" for source in sources]
        cells.append(_join(values, column, record_id) if any(values) else "")
    return cells


def _csv_cells(records: pd.DataFrame) -> dict[str, list[str]]:
    """The CSV cells of every record, column by column (fast for many rows)."""
    # tolist() rather than iterating a Series: element-wise iteration is far slower.
    cells = {column: records[column].tolist() for column in COLUMNS if column in records}
    ids = cells["id"]
    for column in ("places", "agencies"):
        cells[column] = [_join(v, column, i) for v, i in zip(cells[column], ids, strict=True)]
    cells["arrested"] = ["" if pd.isna(v) else str(int(v)) for v in cells["arrested"]]
    sources = records["sources"].tolist()
    rows = [_source_cells(s, i) for s, i in zip(sources, ids, strict=True)]
    for position, column in enumerate(SOURCE_COLUMNS):
        cells[column] = [row[position] for row in rows]
    return cells


def records_csv_text(records: pd.DataFrame) -> str:
    """Render records in the CSV format :func:`load_records` reads.

    The text starts with a byte-order mark (U+FEFF): spreadsheets need it to recognise
    UTF-8 and would otherwise garble accented place names. The loader accepts it. A
    cell a spreadsheet would run as a formula gets a leading ``'`` (see the module
    docstring), which the loader removes.

    Parameters
    ----------
    records : pandas.DataFrame
        Records as :func:`load_records` returns them (a filtered subset is fine).

    Returns
    -------
    str
        The whole file.

    Raises
    ------
    RecordsError
        When a list item contains ``;``, which the format cannot represent.
    """
    with cyclic_gc_paused():
        cells = _csv_cells(records)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, lineterminator="\n").writerows(
        [COLUMNS, *zip(*(_quoted(cells[column]) for column in COLUMNS), strict=True)]
    )
    return buffer.getvalue()


def save_records(records: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write records as :func:`records_csv_text` renders them, atomically.

    See :mod:`mapapp.files`: a crash leaves the old file or the new one, a symbolic
    link keeps pointing at the file it names, and the file keeps its mode. To change a
    file other writers may change too, use :func:`update_records`.

    Parameters
    ----------
    records : pandas.DataFrame
        Records as :func:`load_records` returns them.
    path : path
        The CSV file to write or replace.

    Raises
    ------
    RecordsError
        When a list item contains ``;``, which the format cannot represent.
    """
    atomic_write(path, records_csv_text(records))


def empty_records() -> pd.DataFrame:
    """A records frame with no rows, typed as :func:`load_records` types it."""
    return load_records(",".join(COLUMNS).encode(), name="(empty)")


def is_bundled(path: str | os.PathLike) -> bool:
    """Whether ``path`` is the records file shipped with the tool (never written to)."""
    return Path(path).resolve() == BUNDLED_RECORDS.resolve()


def refuse_bundled(path: str | os.PathLike) -> None:
    """Raise :class:`RecordsError` if ``path`` is the bundled records."""
    if is_bundled(path):
        raise RecordsError([f"{path}: the bundled records are never written to; "
                            "use a records file of your own"])  # fmt: skip


Change = TypeVar("Change")

#: How often :func:`update_records` starts again when the file changes under it.
UPDATE_ATTEMPTS = 5


def update_records(
    path: str | os.PathLike, change: Callable[[pd.DataFrame], tuple[pd.DataFrame, Change]]
) -> Change:
    """Change a records file without losing what anyone else wrote to it.

    Holds the file's lock (so other writers of this tool wait), reads the file as it
    is now, applies ``change`` to it and writes the result. A program that does not
    take the lock (a spreadsheet saving a hand edit) may still replace the file
    meanwhile: the file is checked again just before the new one is renamed into
    place (:func:`mapapp.files.replace_if_unchanged`), and if it changed, the change
    is applied again to what it now holds.

    Parameters
    ----------
    path : path
        The records CSV; created when missing. Never the bundled records.
    change : callable
        Takes the current records and returns ``(new records, result)``. It may be
        called more than once, so it must not have other effects.

    Returns
    -------
    object
        The ``result`` of the call whose records were written.

    Raises
    ------
    RecordsError
        When the file is the bundled records, cannot be loaded, or kept changing.
    """
    refuse_bundled(path)
    with locked(path):
        for _ in range(UPDATE_ATTEMPTS):
            before = fingerprint(path)
            current = load_records(path) if before else empty_records()
            records, result = change(current)
            if replace_if_unchanged(path, records_csv_text(records), before):
                return result
    raise RecordsError([f"{path}: the file kept changing while it was being updated; "
                        "close other programs writing it and try again"])  # fmt: skip
