"""Choosing among a name's GeoNames candidates: the weights, and when to abstain.

Kept apart from the resolver's layers (:mod:`places.resolver`) so that the rule a
reader most needs to check (why this Córdoba and not that one) reads in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from geopy.location import Location

from places.geo import haversine_km

#: A country hint also covers these country codes.  GeoNames files the towns of
#: Western Sahara (Laayoune, Dakhla, Smara) under EH; Moroccan outlets call them
#: southern Morocco, so an MA hint treats them as its own.
ALSO_COVERS: dict[str, frozenset[str]] = {"MA": frozenset({"EH"})}

#: A match on an alternate name weighs this fraction of a canonical match, so a
#: place's own name beats another place's alternate name unless the other place is
#: twenty times bigger.  Alternate names include foreign transliterations: Lomé is
#: also "Rome" and Delhi also "Dili", so a weaker discount makes Rome ambiguous and
#: sends Dili to India (measured on 1,000 capitals and big towns).
ALTERNATE_WEIGHT = 0.05

#: Candidates in the hinted country weigh this many times more: a hint is a
#: strong preference but not a filter (Melilla with hint MA is still Melilla, ES).
HINT_WEIGHT = 100.0

#: The best candidate must outweigh the best one from another country this many
#: times; otherwise the resolver abstains rather than guess.
CLEAR_WINNER = 10.0

#: A winner that outweighs its rival from another country less than this many times
#: is marked close (:attr:`places.resolver.Resolution.close`), for a reviewer to check.
CLOSE_MARGIN = 100.0

#: Candidates within :data:`NEAR_KM` of the other places of the same text weigh this
#: many times more: an article about Seville that names Córdoba means Spain's, not
#: Argentina's bigger one.  As strong as a country hint, because it is as telling.
NEAR_WEIGHT = 100.0
NEAR_KM = 250.0


class Choice(NamedTuple):
    """What :func:`choose` made of a name's candidates.

    ``location`` is None when it abstains, with ``reason`` saying why; ``close`` is
    True when the winner won by less than :data:`CLOSE_MARGIN` or only thanks to
    the places near it.
    """

    location: Location | None
    reason: str | None
    close: bool


def _near(location: Location, near: Sequence[tuple[float, float]]) -> bool:
    point = (location.raw["latitude"], location.raw["longitude"])
    return any(haversine_km(*point, *other) <= NEAR_KM for other in near)


def covered_by(hint: str | None) -> frozenset[str]:
    """The country codes a hint covers: itself and those of :data:`ALSO_COVERS`."""
    if hint is None:
        return frozenset()
    return frozenset({hint}) | ALSO_COVERS.get(hint, frozenset())


def _weight(
    location: Location, covered: frozenset[str], near: Sequence[tuple[float, float]] = ()
) -> float:
    raw = location.raw
    weight = max(raw["population"], 1) * (1.0 if raw["matched"] == "name" else ALTERNATE_WEIGHT)
    if raw["countrycode"] in covered:
        weight *= HINT_WEIGHT
    if near and _near(location, near):
        weight *= NEAR_WEIGHT
    return weight


def choose(
    query: str,
    locations: list[Location],
    hint: str | None,
    near: Sequence[tuple[float, float]] = (),
) -> Choice:
    """Pick one GeoNames candidate, or abstain with a reason.

    Candidates are weighed by population, times :data:`ALTERNATE_WEIGHT` for a
    match on an alternate name, times :data:`HINT_WEIGHT` inside the hinted
    country (and the countries it covers, :data:`ALSO_COVERS`) and times
    :data:`NEAR_WEIGHT` within :data:`NEAR_KM` of a point of ``near``.  The
    heaviest wins unless a candidate from another country (the hinted countries
    count as one) weighs more than a :data:`CLEAR_WINNER`-th of it: then the name is
    ambiguous.  Places of the same name within one country go to the most populous.

    Parameters
    ----------
    query : str
        The name, for the reason.
    locations : list of geopy.location.Location
        Offline candidates (``raw`` is a GeoNames row).
    hint : str or None
        The caller's country.
    near : sequence of (lat, lon)
        Points of the other places of the same text (none by default).

    Returns
    -------
    Choice
        The winner, or why there is none, and whether the choice was close.
    """
    covered = covered_by(hint)
    weights = {id(loc): _weight(loc, covered, near) for loc in locations}
    ranked = sorted(locations, key=lambda loc: weights[id(loc)], reverse=True)
    best = ranked[0]

    def group(loc):
        code = loc.raw["countrycode"]
        return "hint" if code in covered else code

    rival = next((loc for loc in ranked[1:] if group(loc) != group(best)), None)
    if rival is not None and weights[id(best)] < CLEAR_WINNER * weights[id(rival)]:
        countries = sorted({loc.raw["countrycode"] for loc in ranked})
        listed = ", ".join(countries[:8]) + (", ..." if len(countries) > 8 else "")
        why = "and no hint" if hint is None else f"and hint {hint} does not settle it"
        return Choice(
            None,
            f"ambiguous: {len(ranked)} places named {query!r} in {len(countries)} "
            f"countries ({listed}) {why}",
            False,
        )
    close = rival is not None and (
        weights[id(best)] < CLOSE_MARGIN * weights[id(rival)]
        or (bool(near) and _weight(best, covered) < CLEAR_WINNER * _weight(rival, covered))
    )
    return Choice(best, None, close)
