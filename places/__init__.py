"""Place names to points, offline and once.

>>> from places import Resolver
>>> with Resolver() as resolver:                       # doctest: +SKIP
...     resolver.resolve("Inezgane-Ait Melloul", country="MA").points

See :mod:`places.resolver` for the layer order and the choosing rules.
"""

from places.exc import PlacesError
from places.resolver import Point, Resolution, Resolver

__all__ = ("PlacesError", "Point", "Resolution", "Resolver")
