"""A stand-in gazetteer for the extraction tests: fast, offline, and explicit.

The rules are about words around place names, not about GeoNames, so most tests
use a handful of invented and real names with known answers.
"""

from mapapp.extract import PlaceLookup, extract_article
from places import Point, Resolution
from places.fold import fold

# name -> (lat, lon, country, precision)
PLACES = {
    "Casablanca": (33.59, -7.61, "MA", "city"),
    "Rabat": (34.01, -6.83, "MA", "city"),
    "Fes": (34.03, -5.0, "MA", "city"),
    "Oujda": (34.68, -1.91, "MA", "city"),
    "Nador": (35.17, -2.93, "MA", "city"),
    "Tangier": (35.77, -5.8, "MA", "city"),
    "Agadir": (30.42, -9.6, "MA", "city"),
    "Sale": (34.05, -6.8, "MA", "city"),
    "Laayoune": (27.15, -13.2, "EH", "city"),
    "Madrid": (40.42, -3.7, "ES", "city"),
    "Girona": (41.98, 2.82, "ES", "city"),
    "Ceuta": (35.89, -5.32, "ES", "city"),
    "Liege": (50.63, 5.57, "BE", "city"),
    "Paris": (48.85, 2.35, "FR", "city"),
    "Morocco": (34.0, -6.8, "MA", "country"),
    "Spain": (40.4, -3.7, "ES", "country"),
    "Belgium": (50.8, 4.3, "BE", "country"),
    "Syria": (33.5, 36.3, "SY", "country"),
    "Iraq": (33.3, 44.4, "IQ", "country"),
    "Sahel": (15.0, 0.0, None, "region"),
}


class FakeResolver:
    """Answers like :class:`places.Resolver` for the names in ``PLACES`` and ``extra``."""

    def __init__(self, extra=None):
        self.calls = 0
        self.places = {**PLACES, **(extra or {})}

    def resolve_many(self, names, country=None):
        self.calls += 1
        table = {fold(k): (k, v) for k, v in self.places.items()}
        out = {}
        for name in dict.fromkeys(names):
            hit = table.get(fold(name))
            if hit is None:
                out[name] = Resolution(name, error=f"not found: {name!r}")
            else:
                label, (lat, lon, cc, precision) = hit
                out[name] = Resolution(
                    name, (Point(label, lat, lon, cc, None),), source="fake", precision=precision
                )
        return out

    def close(self):
        pass


def runner(resolver=None):
    """``extract(text, **kwargs)`` over a fake gazetteer: what the rule tests call."""
    lookup = PlaceLookup(resolver or FakeResolver())

    def extract(text, **kwargs):
        return extract_article(text, lookup=lookup, source="t.txt", **kwargs)

    return extract


def places_of(result):
    """The place names of each operation found."""
    return [[p.name for p in op.places] for op in result.operations]


def role_of(result, name):
    """The role given to the mention written ``name``."""
    return {r.mention.text: r.role for r in result.roles}[name]
