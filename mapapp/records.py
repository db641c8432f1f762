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
"""

import calendar
import csv
import hashlib
import io
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import pandas as pd

from mapapp.affiliations import UNKNOWN, fold, normalise_affiliation

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
COUNTRY_CODES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS XK YE YT ZA ZM ZW
""".split())

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_COUNT = re.compile(r"\d+")


class RecordsError(ValueError):
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


@dataclass
class CsvRows:
    """The rows of a CSV file checked for structure, before any cell is validated.

    Attributes
    ----------
    name : str
        What to call the file in messages.
    rows : list of (int, dict)
        Physical line where each row starts, and its cells (stripped) by column. Rows with
        the wrong number of fields are reported and left out; columns missing from the
        header are absent from the dicts, so validators check only what is there.
    problems : list of str
        Problems found so far; validators add theirs with :meth:`report`.
    """

    name: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def report(self, line: int, column: str | None, message: str) -> None:
        """Record a problem at a line (and column, when it concerns one cell)."""
        where = f"line {line}" if column is None else f"line {line}, column {column}"
        self.problems.append(f"{self.name} {where}: {message}")

    def raise_if_problems(self) -> None:
        """Stop with every problem, so nothing is half-loaded."""
        if self.problems:
            raise RecordsError(self.problems)


def _source_name(source: str | os.PathLike | bytes | IO[bytes], name: str | None) -> str:
    if name:
        return name
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return getattr(source, "name", None) or "<uploaded file>"


def _read_bytes(source, name: str, max_bytes: int) -> bytes:
    """Read the whole file, refusing one over ``max_bytes`` before reading it."""
    too_big = f"{name}: file is {{:,}} bytes, over the limit of {max_bytes:,} bytes"
    if isinstance(source, bytes | bytearray):
        if len(source) > max_bytes:
            raise RecordsError([too_big.format(len(source))])
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        size = os.path.getsize(source)
        if size > max_bytes:
            raise RecordsError([too_big.format(size)])
        return Path(source).read_bytes()
    if source.seekable():
        start = source.tell()
        size = source.seek(0, io.SEEK_END) - start
        source.seek(start)
        if size > max_bytes:
            raise RecordsError([too_big.format(size)])
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RecordsError([f"{name}: file is over the limit of {max_bytes:,} bytes"])
    return data


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start]
        raise RecordsError([
            f"{name} line {line}: file is not UTF-8 text (first bad byte 0x{bad:02X}); "
            "save it as 'CSV UTF-8' from the spreadsheet"
        ]) from None


def read_csv_rows(
    source: str | os.PathLike | bytes | IO[bytes],
    columns: Sequence[str],
    *,
    name: str | None = None,
    max_bytes: int = MAX_RECORDS_BYTES,
) -> CsvRows:
    """Read a CSV file and check its structure against the expected columns.

    Shared by every table the project loads, so they all report problems the same way.
    A problem that stops reading (too big, not UTF-8, empty, broken quoting) is raised at
    once; header and field-count problems are collected in the result for the caller to
    raise together with its own.

    Parameters
    ----------
    source : path, bytes or binary file object
        The file. An upload can be passed as bytes or a ``BytesIO``.
    columns : sequence of str
        The exact set of columns expected (any order).
    name : str, optional
        What to call the file in messages; defaults to the file name.
    max_bytes : int
        Size limit, checked before reading.

    Returns
    -------
    CsvRows
        The rows; blank rows and rows whose cells are all empty (spreadsheets leave
        them) are skipped.

    Raises
    ------
    RecordsError
        When the file cannot be read as CSV at all.
    """
    name = _source_name(source, name)
    text = _decode(_read_bytes(source, name, max_bytes), name)
    result = CsvRows(name)
    # strict: a stray quote is an error, not a cell that silently swallows later rows.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    line = 1
    try:
        while True:
            line = reader.line_num + 1
            fields = next(reader, None)
            if fields is None:
                break
            cells = [cell.strip() for cell in fields]
            if not any(cells):
                continue
            if header is None:
                header = cells
                _check_header(result, line, header, columns)
            elif len(cells) != len(header):
                result.report(
                    line, None,
                    f"row has {len(cells)} fields, expected {len(header)} (one per column)",
                )
            else:
                result.rows.append((line, {c: v for c, v in zip(header, cells) if c in columns}))
    except csv.Error as error:
        raise RecordsError([f"{name} line {line}: row is not readable as CSV ({error})"])
    if header is None:
        expected = ", ".join(columns)
        raise RecordsError([f"{name}: file is empty; expected a header row: {expected}"])
    return result


def _check_header(result: CsvRows, line: int, header: list[str], columns: Sequence[str]):
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        result.report(line, None, f"missing column(s): {', '.join(missing)}")
        if len(header) == 1 and LIST_SEPARATOR in header[0]:
            result.report(line, None, "the file seems to use ';' between columns; use ','")
    if unknown:
        result.report(
            line, None,
            f"unknown column(s): {', '.join(map(repr, unknown))}; "
            f"expected exactly: {', '.join(columns)}",
        )
    if repeated:
        result.report(line, None, f"column(s) named twice: {', '.join(repeated)}")


@lru_cache(maxsize=65536)
def parse_date(text: str) -> tuple[str, str | None, str | None] | None:
    """Read a date of day, month or year precision.

    Parameters
    ----------
    text : str
        ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty.

    Returns
    -------
    (precision, first_day, last_day) or None
        The precision the form implies and the ISO days the date spans (both None for an
        empty date, precision ``unknown``); None when the text is not such a date.
    """
    if not text:
        return "unknown", None, None
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day is not None:
            first = last = date(year, month, day)
            precision = "day"
        elif month is not None:
            first = date(year, month, 1)
            last = first.replace(day=calendar.monthrange(year, month)[1])
            precision = "month"
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
            precision = "year"
    except ValueError:
        return None
    return precision, first.isoformat(), last.isoformat()


def parse_count(text: str) -> int | None:
    """Read a whole number >= 0; raise ``ValueError`` for anything else but empty."""
    if not text:
        return None
    if not _COUNT.fullmatch(text):
        raise ValueError(f"{text!r} is not a whole number >= 0 (or empty)")
    return int(text)


def parse_country(text: str) -> str:
    """Read an ISO 3166-1 alpha-2 code (any case) or empty; raise ``ValueError`` otherwise."""
    code = text.upper()
    if code and code not in COUNTRY_CODES:
        raise ValueError(f"{text!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def split_list(text: str) -> tuple[str, ...]:
    """Split a ``;``-separated cell into its non-empty, stripped items."""
    return tuple(item for item in (part.strip() for part in text.split(LIST_SEPARATOR)) if item)


def _is_absolute_url(text: str) -> bool:
    parts = urlsplit(text)
    return bool(parts.scheme and parts.netloc) and not any(c.isspace() for c in text)


def _parse_sources(rows: CsvRows, line: int, row: dict[str, str]) -> tuple[dict, ...]:
    """Zip the four parallel source columns into one dict per source."""
    lists = {
        column: [item.strip() for item in row[column].split(LIST_SEPARATOR)]
        for column in SOURCE_COLUMNS if row.get(column)
    }
    counts = {len(items) for items in lists.values()}
    if len(counts) > 1:
        sizes = ", ".join(f"{column} has {len(items)}" for column, items in lists.items())
        rows.report(
            line, SOURCE_COLUMNS[0],
            f"source columns are parallel lists and must have as many ';'-separated "
            f"items each: {sizes}",
        )
        return ()
    count = counts.pop() if counts else 0
    for number, url in enumerate(lists.get("source_url", ()), 1):
        if url and not _is_absolute_url(url):
            rows.report(line, "source_url", f"{url!r} is not an absolute URL (source {number})")
    for number, published in enumerate(lists.get("source_published", ()), 1):
        parsed = parse_date(published)
        if published and (parsed is None or parsed[0] != "day"):
            rows.report(
                line, "source_published",
                f"{published!r} is not a date YYYY-MM-DD (source {number})",
            )
    return tuple(
        {key: lists[column][i] if column in lists else ""
         for key, column in zip(SOURCE_KEYS, SOURCE_COLUMNS)}
        for i in range(count)
    )


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
    parts = [date_text, *sorted(fold(place) for place in places)]
    for source in sources:
        parts += [source["url"], source["title"], source["name"]]
    parts.append("" if arrested is None else str(arrested))
    return "op-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


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
    table = read_csv_rows(path_or_buffer, COLUMNS, name=name, max_bytes=limit)
    out: dict[str, list] = {
        key: [] for key in ("id", "date", "date_precision", "date_start", "date_end",
                            "places", "country", "arrested", "affiliation",
                            "affiliation_as_written", "agencies", "summary", "sources",
                            "evidence")
    }
    first_line_of_id: dict[str, int] = {}
    for line, row in table.rows:
        date_text = row.get("date", "")
        parsed = parse_date(date_text)
        if parsed is None:
            table.report(
                line, "date", f"{date_text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
            )
            parsed = ("unknown", None, None)
        precision = row.get("date_precision", parsed[0]).lower()
        if precision not in DATE_PRECISIONS:
            table.report(
                line, "date_precision",
                f"{precision!r} is not a date precision ({', '.join(DATE_PRECISIONS)})",
            )
        elif precision != parsed[0] and "date" in row and (parsed[1] or not date_text):
            form = f"date {date_text!r} has {parsed[0]} precision" if date_text else "no date"
            table.report(line, "date_precision", f"{precision!r} does not match: {form}")
        places = split_list(row.get("places", ""))
        if not places and "places" in row:
            table.report(line, "places", "empty: an operation needs at least one place")
        try:
            arrested = parse_count(row.get("arrested", ""))
        except ValueError as error:
            table.report(line, "arrested", str(error))
            arrested = None
        try:
            country = parse_country(row.get("country", ""))
        except ValueError as error:
            table.report(line, "country", str(error))
            country = ""
        sources = _parse_sources(table, line, row)
        record_id = row.get("id", "") or derive_id(date_text, places, sources, arrested)
        if record_id in first_line_of_id:
            table.report(
                line, "id",
                f"duplicate id {record_id!r} (first on line {first_line_of_id[record_id]})"
                + ("" if row.get("id") else "; derived from content: add an id to tell apart"),
            )
        first_line_of_id.setdefault(record_id, line)
        written = row.get("affiliation", "")
        as_written = row.get("affiliation_as_written", "")
        if not as_written and normalise_affiliation(written) != UNKNOWN:
            as_written = written
        out["id"].append(record_id)
        out["date"].append(date_text)
        out["date_precision"].append(precision)
        out["date_start"].append(parsed[1])
        out["date_end"].append(parsed[2])
        out["places"].append(places)
        out["country"].append(country)
        out["arrested"].append(arrested)
        out["affiliation"].append(normalise_affiliation(written or as_written))
        out["affiliation_as_written"].append(as_written)
        out["agencies"].append(split_list(row.get("agencies", "")))
        out["summary"].append(row.get("summary", ""))
        out["sources"].append(sources)
        out["evidence"].append(row.get("evidence", ""))
    table.raise_if_problems()
    return _frame(out)


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """Build the DataFrame in one go (per-row pandas work is far too slow for 100k rows)."""
    frame = pd.DataFrame({
        key: values for key, values in columns.items()
        if key not in ("date_start", "date_end", "arrested", "places", "agencies", "sources")
    })
    for key in ("date_start", "date_end"):
        frame[key] = pd.to_datetime(pd.Series(columns[key], dtype=object), format="%Y-%m-%d")
    frame["arrested"] = pd.array(columns["arrested"], dtype="Int64")
    for key in ("places", "agencies", "sources"):
        frame[key] = pd.Series(columns[key], dtype=object)
    return frame[list(columns)]


def _join(values: Iterable[str], what: str, record_id: str) -> str:
    items = [str(value) for value in values]
    for item in items:
        if LIST_SEPARATOR in item:
            raise ValueError(
                f"record {record_id!r}, {what}: {item!r} contains {LIST_SEPARATOR!r}, "
                "which separates list items in the CSV"
            )
    return LIST_SEPARATOR.join(items)


def _csv_row(record: dict) -> list[str]:
    record_id = record["id"]
    sources = record["sources"]
    # A column with nothing in any source is written empty, as the loader reads it.
    source_cells = {
        column: _join((s.get(key) or "" for s in sources), column, record_id)
        if any(s.get(key) for s in sources) else ""
        for key, column in zip(SOURCE_KEYS, SOURCE_COLUMNS)
    }
    arrested = record["arrested"]
    cells = {
        **record,
        "places": _join(record["places"], "places", record_id),
        "agencies": _join(record["agencies"], "agencies", record_id),
        "arrested": "" if pd.isna(arrested) else str(int(arrested)),
        **source_cells,
    }
    return [str(cells[column]) for column in COLUMNS]


def save_records(records: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write records in the CSV format :func:`load_records` reads, atomically.

    The file is written under a temporary name in the same directory, flushed to disk,
    then renamed over the target, so a crash leaves either the old file or the new one,
    never a torn one. It is written with a UTF-8 byte-order mark, which spreadsheets need
    to recognise UTF-8 (the loader accepts it).

    Parameters
    ----------
    records : pandas.DataFrame
        Records as :func:`load_records` returns them.
    path : path
        The CSV file to write or replace.

    Raises
    ------
    ValueError
        When a list item contains ``;``, which the format cannot represent.
    """
    lines = [list(COLUMNS), *map(_csv_row, records.to_dict("records"))]
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(lines)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
