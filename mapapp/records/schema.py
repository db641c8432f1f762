"""The records' columns and what each cell may hold, checked column by column.

See :mod:`mapapp.records` for the format. Each column's rule lives here once:
the parsers (:func:`date_span`, :func:`parse_count`, :func:`parse_country`,
:func:`split_list`) are shared with the rest of the tool, and
:func:`records_frame` turns a checked :class:`~mapapp.records.table.CsvTable` into
the typed DataFrame every stage works on.
"""

import calendar
import hashlib
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from operator import itemgetter

import pandas as pd
import pyarrow as pa

from mapapp.records.affiliations import UNKNOWN, fold, normalise_affiliation
from mapapp.records.table import CsvTable

COLUMNS = (
    "id",
    "date",
    "date_precision",
    "places",
    "country",
    "arrested",
    "affiliation",
    "affiliation_as_written",
    "agencies",
    "summary",
    "source_name",
    "source_title",
    "source_url",
    "source_published",
    "evidence",
)


SOURCE_COLUMNS = ("source_name", "source_title", "source_url", "source_published")


SOURCE_KEYS = ("name", "title", "url", "published")


LIST_SEPARATOR = ";"


DATE_PRECISIONS = ("day", "month", "year", "unknown")


# ISO 3166-1 alpha-2, officially assigned, plus XK (Kosovo), which GeoNames uses.
COUNTRY_CODES = frozenset(
    re.findall(
        r"[A-Z]{2}",
        """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS XK YE YT ZA ZM ZW
""",
    )
)


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


_COUNT = re.compile(r"\d+")


_ABSOLUTE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+\S*")


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
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None
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
            for column, items in zip(SOURCE_COLUMNS, lists, strict=True)
            if items
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


def records_frame(table: CsvTable) -> pd.DataFrame:
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
    return pd.DataFrame(
        {
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
        }
    )


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
