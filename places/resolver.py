"""Turn place names into points: the layer order and the choosing rules.

Layer order for one name (outermost first):

1. refusal: stop words and codes ("The", "Al", "IS", "US") are never looked up;
2. manual overrides (:mod:`places.overrides`): always win, never cached;
3. the cache (:mod:`places.cache`): a hit never calls a backend and never waits;
4. coarse names: an exact region or province name from ``data/regions.csv``
   (precision "region" or "admin area"), then an exact country name (precision
   "country"), so that "the Rif" is not turned into some village called Rif, then a
   name written with an area word ("Kaduna State", "canton of Vaud") from the
   provinces, states and districts of :mod:`places.admin` (precision "admin area",
   with a radius);
5. the backend: Nominatim when chosen (rate limited, see
   :mod:`places.geocoders.nominatim`), whose outages fall back to step 6 and are
   not cached (a resolver logs one warning line for its first outage, not one per
   name); otherwise, or when Nominatim finds nothing, step 6;
6. the offline GeoNames gazetteer, its towns and the first-level areas of the same
   name ("Sindh") weighed together by the choosing rules of
   :func:`places.ranking.choose`; then, for a name that matches nothing as a whole,
   an area word's core as a town ("Kasserine governorate": the governorate of the
   town Kasserine), a facility's town ("Charleston International Airport": Charleston,
   precision "sub-city"), its parts ("Inezgane-Ait Melloul"), and last a spelling
   variant in the hinted countries (:mod:`places.variants`, marked ``fuzzy``).

Everything from steps 4 to 6 is cached, including "not found" with its reason.
With ``coherent=True``, :meth:`Resolver.resolve_many` then chooses again, among
the candidates of each ambiguous or close name, the one near the batch's other
places (not cached: it depends on the batch).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from geopy.exc import GeocoderServiceError
from geopy.location import Location

from places.admin import AdminAreas, Area, AreaWords
from places.cache import Cache, Key, default_cache_path
from places.exc import ConfigurationError
from places.fold import fold, refusal
from places.gazetteer import INDEX_FILENAME, INDEX_FORMAT, index_ready
from places.geocoders.nominatim import (
    make_nominatim,
    nominatim_key,
    nominatim_precision,
    server_url,
)
from places.geocoders.nominatim import options as nominatim_options
from places.geocoders.offline import GeoNamesOffline
from places.overrides import PRECISIONS, Override, Overrides, read_overrides
from places.ranking import Choice, choose, covered_by
from places.variants import find_variant

logger = logging.getLogger(__name__)

#: Version of the choosing rules and of regions.csv; part of every cache row's
#: version, so changing either re-resolves names instead of serving old answers.
RULES_VERSION = "3"

REGIONS_FILE = Path(__file__).parent / "data" / "regions.csv"

#: A town of an area's name, in its country, stands for the area when it holds at
#: least this share of the area's people (Kaduna, Kasserine: seats); a smaller
#: namesake (a village called Kocaeli) does not hide its province.
SEAT_SHARE = 0.05

#: Compound names are split at these separators ("Inezgane-Ait Melloul",
#: "Casablanca et Rabat").
# Commas are not separators: "Tetouan, Morocco" is a town and its country.
_COMPOUND_SEPARATORS = re.compile(r"\s*(?:[-‐‑–—&/+]|\band\b|\bet\b|\by\b)\s*", re.I)
_MAX_COMPOUND_PARTS = 6

#: Longest outage reason quoted in the warning line.
_REASON_LENGTH = 160


@dataclass(frozen=True)
class Point:
    """One place a name stands for.

    ``geonameid`` is None for points that do not come from GeoNames (Nominatim,
    overrides, regions).  ``country_code`` is ISO 3166 alpha-2, or None when the
    point spans countries (the Sahel) or an override gives none.
    """

    name: str
    lat: float
    lon: float
    country_code: str | None
    geonameid: int | None


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to, or why it did not.

    Attributes
    ----------
    query : str
        The name as given.
    points : tuple of Point
        Empty when unresolved; two or more for a compound name.
    error : str or None
        Why the name is unresolved ("ambiguous: ...", "not found: ...",
        "refused: ...").
    cached : bool
        True when served from the cache.
    source : str or None
        "geonames", "nominatim", "override" or "region".
    precision : str or None
        "city", "admin area", "region" or "country".
    radius_km : float or None
        How far an area reaches from its point (provinces, states, districts);
        None for towns and for areas of unknown extent.
    close : bool
        True when the choice between namesakes was close (the winner outweighed a
        namesake abroad less than :data:`places.ranking.CLOSE_MARGIN` times, or won
        only by being near the text's other places): worth a reviewer's look.
    fuzzy : bool
        True when the name matched only as a spelling variant ("Tetwan").
    """

    query: str
    points: tuple[Point, ...] = ()
    error: str | None = None
    cached: bool = False
    source: str | None = None
    precision: str | None = None
    radius_km: float | None = None
    close: bool = False
    fuzzy: bool = False

    @property
    def ok(self) -> bool:
        """True when the name has at least one point."""
        return bool(self.points)

    def to_value(self) -> dict:
        """Return what the cache stores: everything but the query and the flag."""
        return {
            "points": [p.__dict__ for p in self.points],
            "error": self.error,
            "source": self.source,
            "precision": self.precision,
            "radius_km": self.radius_km,
            "close": self.close,
            "fuzzy": self.fuzzy,
        }

    @classmethod
    def from_value(cls, query: str, value: dict, *, cached: bool) -> Resolution:
        """Rebuild a resolution from a cached value.

        The value is checked field by field: a flipped byte on disk can leave JSON
        that parses but is not what :meth:`to_value` wrote, and serving it would put
        a town in the sea or crash later, far from the cause.

        Raises
        ------
        ValueError
            When the value is not of :meth:`to_value`'s shape; the resolver then
            treats the row as a miss, resolves the name again and overwrites it.
        """
        try:
            points = tuple(_checked_point(p) for p in value["points"])
            error, source, precision = value["error"], value["source"], value["precision"]
            radius, close, fuzzy = value["radius_km"], value["close"], value["fuzzy"]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a cached resolution: {exc!r}") from exc
        flags = isinstance(close, bool) and isinstance(fuzzy, bool)
        if points:
            valid = (
                error is None
                and source in _SOURCES
                and precision in PRECISIONS
                and (radius is None or (_number(radius, 20_000.0) and radius > 0))
                and flags
            )
        else:
            valid = (
                isinstance(error, str)
                and source is None
                and precision is None
                and radius is None
                and flags
            )
        if not valid:
            raise ValueError(f"not a cached resolution: {value!r}")
        return cls(query, points, error, cached, source, precision, radius, close, fuzzy)


_SOURCES = frozenset({"geonames", "nominatim", "override", "region"})


def _number(value, limit: float) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and -limit <= value <= limit
    )


def _checked_point(fields: dict) -> Point:
    """Return the Point a cached dict holds; ValueError or TypeError when it is damaged."""
    point = Point(**fields)  # TypeError on a missing or unknown key
    code, gid = point.country_code, point.geonameid
    if not (
        isinstance(point.name, str)
        and _number(point.lat, 90.0)
        and _number(point.lon, 180.0)
        and (code is None or (isinstance(code, str) and len(code) == 2))
        and (gid is None or (isinstance(gid, int) and not isinstance(gid, bool)))
    ):
        raise ValueError(f"not a cached point: {fields!r}")
    return point


def _from_cache(query: str, value: dict | None) -> Resolution | None:
    """Return the cached resolution, or None for a miss or a damaged row."""
    if value is None:
        return None
    try:
        return Resolution.from_value(query, value, cached=True)
    except ValueError:
        return None


@dataclass
class Stats:
    """Counters for tests and benchmarks.

    ``backend_calls`` counts calls to a geocoder (offline lookups and Nominatim
    requests), ``cache_hits`` names served from the cache, ``outages`` Nominatim
    failures answered offline.
    """

    backend_calls: int = 0
    cache_hits: int = 0
    outages: int = 0


def _point(location: Location) -> Point:
    raw = location.raw
    return Point(
        raw["name"], raw["latitude"], raw["longitude"], raw["countrycode"], raw["geonameid"]
    )


def _area_point(area: Area) -> Point:
    return Point(area.name, area.lat, area.lon, area.country_code, None)


def _area_location(area: Area) -> Location:
    """An area as a candidate among towns: the fields :func:`choose` weighs, and itself."""
    raw = {
        "name": area.name,
        "latitude": area.lat,
        "longitude": area.lon,
        "countrycode": area.country_code,
        "population": area.population,
        "matched": "name",
        "geonameid": None,
        "area": area,
    }
    return Location(area.name, (area.lat, area.lon), raw)


def _row_point(row: Override) -> Point:
    return Point(row.name, row.lat, row.lon, row.country, None)


def _partitions(tokens: list[str]):
    """Yield ways to cut tokens into 2+ contiguous parts, fewest parts first."""
    n = len(tokens)
    for cuts in range(1, n):
        for positions in itertools.combinations(range(1, n), cuts):
            bounds = (0, *positions, n)
            yield [" ".join(tokens[a:b]) for a, b in itertools.pairwise(bounds)]


def _hint(country: str | None) -> str | None:
    if country is None or not country.strip():
        return None
    code = country.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ConfigurationError(f"country hint must be a two-letter code, got {country!r}")
    return code


class Resolver:
    """Resolve place names to points, offline by default, each name once.

    Parameters
    ----------
    cache_path : str or os.PathLike, optional
        The SQLite cache; default ``$PLACES_CACHE`` or the per-user cache directory
        (:func:`places.cache.default_cache_path`).
    geocoder : {"offline", "nominatim"}
        The backend.  Nominatim is opt-in: it sends names to a server.
    nominatim_url : str, optional
        A Nominatim server other than the public one.
    overrides : str or os.PathLike, optional
        A CSV of manual fixes (:mod:`places.overrides`).
    index_path : str or os.PathLike, optional
        The GeoNames name index; default ``$PLACES_INDEX`` (a file, or a directory
        to put it in), else beside the cache.  Built on first need.
    """

    def __init__(
        self,
        *,
        cache_path=None,
        geocoder="offline",
        nominatim_url=None,
        overrides=None,
        index_path=None,
    ):
        if geocoder not in ("offline", "nominatim"):
            raise ConfigurationError(f"unknown geocoder {geocoder!r} (offline or nominatim)")
        self.cache_path = default_cache_path(cache_path)
        self.index_path = self._index_path(index_path)
        self._nominatim = make_nominatim(nominatim_url) if geocoder == "nominatim" else None
        self._nominatim_url = server_url(nominatim_url)
        self._backend = nominatim_key(nominatim_url) if geocoder == "nominatim" else "offline"
        self._overrides = Overrides(overrides) if overrides else None
        self._cache = Cache(self.cache_path, version=f"{RULES_VERSION}.{INDEX_FORMAT}")
        self._offline: GeoNamesOffline | None = None
        self._regions: dict[str, list[Override]] | None = None
        self._admin: AdminAreas | None = None
        self._nominatim_down_until = 0.0
        self._outage_reported = False
        self._lock = threading.RLock()
        self.stats = Stats()

    def _index_path(self, explicit) -> Path:
        chosen = explicit or os.environ.get("PLACES_INDEX")
        if not chosen:
            return self.cache_path.parent / INDEX_FILENAME
        path = Path(chosen)
        return path / INDEX_FILENAME if path.is_dir() else path

    def index_ready(self) -> bool:
        """Whether the offline name index is built (see :func:`places.gazetteer.index_ready`)."""
        return index_ready(self.index_path)

    @property
    def offline(self) -> GeoNamesOffline:
        """The offline geocoder, opened (and its index built) on first need."""
        if self._offline is None:
            self._offline = GeoNamesOffline(index_path=self.index_path)
        return self._offline

    @property
    def admin(self) -> AdminAreas:
        """The provinces, states and districts, read on first need."""
        if self._admin is None:
            self._admin = AdminAreas(self.offline.gazetteer.areas, AreaWords())
        return self._admin

    def capital(self, country: str, query: str = "") -> Resolution:
        """The capital of a country, for "the Tajik capital" and "the capital".

        Parameters
        ----------
        country : str
            ISO alpha-2 code.
        query : str
            The words of the text, for the "not found" answer.

        Returns
        -------
        Resolution
            The capital's point at precision "city", with the capital's name as the
            query (the name that finds it again), or a "not found" answer.
        """
        found = self.offline.gazetteer.country_by_code(country)
        if found is None or not found.capital:
            return Resolution(query, error=f"not found: no capital known for {country!r}")
        point = Point(found.capital, found.lat, found.lon, found.iso, None)
        return Resolution(found.capital, (point,), source="geonames", precision="city")

    def resolve(self, name: str, country: str | None = None) -> Resolution:
        """Resolve one name; see :meth:`resolve_many`."""
        return self.resolve_many([name], country=country)[name]

    def resolve_many(
        self, names: Iterable[str], country: str | None = None, *, coherent: bool = False
    ) -> dict[str, Resolution]:
        """Resolve each distinct name once.

        Parameters
        ----------
        names : iterable of str
            Place names as written; repeats are resolved once.
        country : str, optional
            ISO alpha-2 code of the country the text is about (a preference).
        coherent : bool
            The names come from one text: a name that is ambiguous or a close
            choice on its own goes to its namesake near the other names' places,
            when one is (Córdoba among Seville and Málaga is Spain's); such an
            answer is marked ``close`` and is not cached.  Off by default: a list
            of unrelated names is not a text.

        Returns
        -------
        dict of str to Resolution
            By name, in first-seen order.  All cache lookups share one transaction,
            and all cache writes another.
        """
        hint = _hint(country)
        with self._lock:
            if self._overrides is not None:
                self._overrides.refresh()
            done: dict[str, Resolution] = {}
            pending: dict[Key, list[str]] = {}
            order = list(dict.fromkeys(names))
            for name in order:
                reason = refusal(name)
                rows = [] if reason else self._find_overrides(fold(name), hint)
                if reason:
                    done[name] = Resolution(name, error=reason)
                elif rows:
                    done[name] = Resolution(
                        name,
                        tuple(map(_row_point, rows)),
                        source="override",
                        precision=rows[0].precision,
                    )
                else:
                    pending.setdefault((fold(name), hint or "", self._backend), []).append(name)
            hits = self._cache.get_many(pending)
            fresh: dict[Key, dict] = {}
            for key, group in pending.items():
                hit = _from_cache(group[0], hits.get(key))
                if hit is not None:
                    self.stats.cache_hits += len(group)
                    for name in group:
                        done[name] = replace(hit, query=name)
                    continue
                resolution, cacheable = self._resolve_fresh(group[0], key[0], hint)
                for name in group:
                    done[name] = replace(resolution, query=name)
                if cacheable:
                    fresh[key] = resolution.to_value()
            self._cache.put_many(fresh)
            answers = {name: done[name] for name in order}
            if coherent:
                self._cohere(answers, hint)
        return answers

    def _cohere(self, answers: dict[str, Resolution], hint: str | None) -> None:
        """Choose again, near the batch's other places, for ambiguous and close names.

        The anchors are the towns the batch resolved (not as spelling variants),
        close choices included: they passed the clear-winner test; a name is never
        its own anchor.
        """
        anchors = {
            fold(name): [(p.lat, p.lon) for p in res.points]
            for name, res in answers.items()
            if res.ok and res.precision == "city" and not res.fuzzy
        }
        for name, res in answers.items():
            unclear = res.close or (res.error or "").startswith("ambiguous")
            if not unclear or res.source == "override":
                continue
            key = fold(name)
            near = [point for other, points in anchors.items() if other != key for point in points]
            if not near:
                continue
            candidates = self._offline_candidates(name, key, hint)
            if not candidates:
                continue
            choice = choose(name, candidates, hint, near)
            if choice.location is not None:
                located = self._located(name, choice._replace(close=True))
                answers[name] = replace(located, cached=res.cached)

    def _find_overrides(self, folded: str, hint: str | None) -> list[Override]:
        return self._overrides.find(folded, hint) if self._overrides is not None else []

    def _resolve_fresh(self, query: str, folded: str, hint: str | None):
        """Resolve a name the cache does not know; return (resolution, cacheable)."""
        coarse = self._coarse(query, folded, hint)
        if coarse is not None:
            return coarse, True
        if self._nominatim is not None:
            if time.monotonic() < self._nominatim_down_until:
                self.stats.outages += 1
                return self._resolve_offline(query, hint), False
            try:
                answer = self._ask_nominatim(query, hint)
            except GeocoderServiceError as exc:
                self.stats.outages += 1
                self._nominatim_down_until = (
                    time.monotonic() + nominatim_options.outage_cooldown_seconds
                )
                self._report_outage(exc)
                return self._resolve_offline(query, hint), False
            if answer is not None:
                return answer, True
        return self._resolve_offline(query, hint), True

    def _report_outage(self, exc: GeocoderServiceError) -> None:
        """Warn of the first outage only: a batch meeting one outage is one line.

        The reason is put on one line and cut short: a garbage answer's error
        carries the whole page it got.
        """
        if self._outage_reported:
            return
        self._outage_reported = True
        reason = " ".join(str(exc).split())
        if len(reason) > _REASON_LENGTH:
            reason = reason[: _REASON_LENGTH - 3] + "..."
        logger.warning(
            "Nominatim at %s failed (%s); answering offline, not caching",
            self._nominatim_url,
            reason,
        )

    def _coarse(self, query: str, folded: str, hint: str | None) -> Resolution | None:
        """Answer an exact region, province or country name, else None."""
        if self._regions is None:
            self._regions = read_overrides(REGIONS_FILE)
        keys = [folded, folded[4:]] if folded.startswith("the ") else [folded]
        covered = covered_by(hint)
        for key in keys:
            rows = self._regions.get(key)
            if rows:
                # Prefer the hinted country's rows, then rows spanning countries.
                chosen = (
                    [r for r in rows if r.country in covered]
                    or [r for r in rows if r.country is None]
                    or [r for r in rows if r.country == rows[0].country]
                )
                return Resolution(
                    query,
                    tuple(map(_row_point, chosen)),
                    source="region",
                    precision=chosen[0].precision,
                )
        # GeoNames writes some countries with their article ("The Netherlands",
        # "The Gambia"); copy writes them with or without it.
        for key in (*keys, f"the {keys[-1]}"):
            country = self.offline.gazetteer.country(key)
            if country is not None:
                point = Point(
                    country.name, country.lat, country.lon, country.iso, country.geonameid
                )
                return Resolution(query, (point,), source="geonames", precision="country")
        return self._typed_area(query, folded, hint)

    def _typed_area(self, query: str, folded: str, hint: str | None) -> Resolution | None:
        """Answer a name written with an area word ("Kaduna State"), else None.

        A district word prefers districts, any other word first-level areas; the
        choosing rules then weigh the areas by population and hint like towns.
        """
        if not self.admin.split(folded).typed:
            return None  # a bare name: its areas are weighed with its towns
        name, areas = self.admin.find(folded)
        if not areas:
            return None
        level = 2 if name.district else 1
        areas = [a for a in areas if a.level == level] or areas
        choice = choose(query, [_area_location(a) for a in areas], hint)
        if choice.location is None:
            return Resolution(query, error=choice.reason)
        return self._located(query, choice)

    def _located(self, query: str, choice: Choice, *, fuzzy: bool = False) -> Resolution:
        """The resolution of a chosen candidate: a town, or an area with its radius."""
        location = choice.location
        assert location is not None  # callers pass a choice that found one
        area = location.raw.get("area")
        if area is not None:
            return Resolution(
                query,
                (_area_point(area),),
                source="geonames",
                precision="admin area",
                radius_km=area.radius_km,
                close=choice.close,
            )
        return Resolution(
            query,
            (_point(location),),
            source="geonames",
            precision="city",
            close=choice.close,
            fuzzy=fuzzy,
        )

    def _candidates(self, name: str) -> list[Location]:
        self.stats.backend_calls += 1
        return self.offline.geocode(name, exactly_one=False) or []

    def _offline_candidates(self, query: str, folded: str, hint: str | None) -> list[Location]:
        """The towns of a name and the first-level areas of the very same name.

        An area is left out where a town of its name, holding at least
        :data:`SEAT_SHARE` of its people, stands in its country: the bare "Kaduna" is
        the city, the seat of Kaduna State, but "Parana" with hint BR is the state,
        not a village of that name.  For a first-level area the town must bear the
        name as its own ("Alborz" is the province, though a small town has it as an
        alternate name); a district is named for its seat, so any of the town's names
        counts ("Marrakech" is the city, GeoNames' Marrakesh, not its prefecture).
        """
        towns = self._candidates(query)
        name, areas = self.admin.find(folded, covered_by(hint))
        if name.typed or not areas:
            return towns
        # The biggest town of the name per country: by its own name, and by any.
        own: dict[str, int] = {}
        any_: dict[str, int] = {}
        for town in towns:
            code, people = town.raw["countrycode"], town.raw["population"]
            any_[code] = max(any_.get(code, 0), people)
            if town.raw["matched"] == "name":
                own[code] = max(own.get(code, 0), people)
        return towns + [
            _area_location(a)
            for a in areas
            if (own if a.level == 1 else any_).get(a.country_code, -1) < SEAT_SHARE * a.population
        ]

    def _resolve_offline(self, query: str, hint: str | None) -> Resolution:
        folded = fold(query)
        candidates = self._offline_candidates(query, folded, hint)
        if candidates:
            choice = choose(query, candidates, hint)
            if choice.location is None:
                return Resolution(query, error=choice.reason)
            return self._located(query, choice)
        typed = self.admin.split(folded).typed
        seat = self._seat_area(query, folded, hint) if typed else None
        if seat is not None:
            return seat
        facility = self._facility(query, folded, hint)
        if facility is not None:
            return facility
        compound = self._compound(query, hint)
        if compound is not None:
            return compound
        # A name with an area word was tried as a variant of its seat above.
        variant = None if typed else self._variant(query, folded, hint)
        if variant is not None:
            return variant
        return Resolution(
            query,
            error=f"not found: no place named {query!r} in GeoNames "
            f"cities500, regions.csv or country names",
        )

    def _seat_area(self, query: str, folded: str, hint: str | None) -> Resolution | None:
        """Place "X governorate" at the town X when no area is called X.

        Areas are often named for their seat, under a spelling the area list lacks
        (GeoNames calls Kasserine governorate "Al Qasrayn"); the seat, found by its
        own name or as a spelling variant in the hinted countries (marked fuzzy),
        stands for its area at precision "admin area".
        """
        name = self.admin.split(folded)
        if not name.core or refusal(name.core) is not None:
            return None
        # Only a town's own name: "Nineveh" is also an alternate name of an Ohio village.
        towns = [t for t in self._candidates(name.core) if t.raw["matched"] == "name"]
        if not towns:
            variant = self._variant(query, name.core, hint)  # "Luweero District": Luwero
            return replace(variant, precision="admin area") if variant is not None else None
        choice = choose(query, towns, hint)
        if choice.location is None:
            return None
        return replace(self._located(query, choice), precision="admin area")

    def _facility(self, query: str, folded: str, hint: str | None) -> Resolution | None:
        """Place an airport, a camp or a neighbourhood of a town at that town.

        "Charleston International Airport" is no town, but it is at Charleston: the
        town's point, with precision "sub-city" so that the map says the arrest was
        somewhere in or by the town.
        """
        town = self.admin.words.town_of_facility(folded)
        if town is None or refusal(town) is not None:
            return None
        towns = self._candidates(town)
        if not towns:
            return None
        choice = choose(query, towns, hint)
        if choice.location is None:
            return None
        return replace(self._located(query, choice), precision="sub-city")

    def _variant(self, query: str, folded: str, hint: str | None) -> Resolution | None:
        """A spelling variant of a town of the hinted countries, marked fuzzy, or None."""
        covered = covered_by(hint)
        if not covered:
            return None
        found = find_variant(self.offline.gazetteer, folded, covered)
        if found is None:
            return None
        name, gid = found
        location = next(loc for loc in self._candidates(name) if loc.raw["geonameid"] == gid)
        return self._located(query, Choice(location, None, False), fuzzy=True)

    def _compound(self, query: str, hint: str | None) -> Resolution | None:
        """Resolve a name made of place names ("Inezgane-Ait Melloul") to all of them.

        Only called when the whole name matches nothing.  The name is cut at
        hyphens, "and", "et", "y", "&" and slashes into two or more parts that must
        each resolve clearly to a town; the cut with the fewest parts wins.
        """
        tokens = [t for t in _COMPOUND_SEPARATORS.split(query) if t and t.strip()]
        if not 2 <= len(tokens) <= _MAX_COMPOUND_PARTS:
            return None
        memo: dict[str, Point | None] = {}

        def part(text: str) -> Point | None:
            if text not in memo:
                memo[text] = None
                if refusal(text) is None:
                    candidates = self._candidates(text)
                    best = choose(text, candidates, hint)[0] if candidates else None
                    memo[text] = _point(best) if best is not None else None
            return memo[text]

        for parts in _partitions(tokens):
            points = [part(p) for p in parts]
            if all(points):
                # "Tetuan/Tetouan" is one town; every point is set (all() above).
                unique = tuple(dict.fromkeys(p for p in points if p is not None))
                return Resolution(query, unique, source="geonames", precision="city")
        return None

    def _ask_nominatim(self, query: str, hint: str | None) -> Resolution | None:
        """Ask Nominatim; None when it knows nothing, GeocoderServiceError on outage."""
        self.stats.backend_calls += 1
        answers = self._nominatim(query, exactly_one=False, limit=10, addressdetails=True)
        if not answers:
            return None
        covered = covered_by(hint)

        def code(loc):
            return ((loc.raw.get("address") or {}).get("country_code") or "").upper() or None

        best = next((loc for loc in answers if code(loc) in covered), answers[0])
        raw = best.raw
        name = raw.get("name") or best.address.split(",")[0].strip()
        point = Point(name, best.latitude, best.longitude, code(best), None)
        return Resolution(query, (point,), source="nominatim", precision=nominatim_precision(raw))

    def close(self) -> None:
        """Close the cache and the index."""
        self._cache.close()
        if self._offline is not None:
            self._offline.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
