"""Reading CSV tables: structure first, then cells column by column, every problem kept.

Shared by every table the project loads (records, national figures), so they all
report problems the same way: file name, physical line (where the row starts,
counting the lines of multi-line quoted cells) and column, all in one
:class:`RecordsError`, so nothing is half loaded.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, and the tables hold text from news reports, which
anyone can write. So, as OWASP advises against CSV injection, :func:`quoted` writes
such a cell with a leading ``'`` (which spreadsheets show as text and do not
display), and the reader takes that ``'`` off again: the text reads back exactly as
it was.
"""

import csv
import gc
import io
import os
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from mapapp.errors import MapappError

MAX_RECORDS_BYTES = 100 * 1024 * 1024


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
                self._report_record(
                    i,
                    None,
                    [f"row has {len(records[i])} fields, expected {width} (one per column)"],
                )
        rows = [records[i] for i in self._rows]
        self.size = len(rows)
        # Every row has the header's width, so zip transposes rows into columns in one
        # pass of C, several times faster than picking each column out of every row.
        transposed = zip(*rows, strict=True) if rows else ((),) * width
        self._cells = {
            column: _unquoted(cells)
            for column, cells in zip(header, transposed, strict=True)
            if column in self._order
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


def quoted(cells: Iterable[str]) -> list[str]:
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
            raise RecordsError(
                [f"{name}: file is {size:,} bytes, over the limit of {max_bytes:,} bytes"]
            )

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
        raise RecordsError(
            [
                f"{name} line {line}: file is not UTF-8 text (first bad byte "
                f"0x{data[error.start]:02X}); save it as 'CSV UTF-8' from the spreadsheet"
            ]
        ) from None


def _header_problems(header: list[str], columns: Sequence[str]) -> list[str]:
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
        if len(header) == 1 and ";" in header[0]:
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
