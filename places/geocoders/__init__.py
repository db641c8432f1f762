"""Geocoding backends, each in its own module as in ``geopy.geocoders``."""

from places.geocoders.nominatim import make_nominatim
from places.geocoders.offline import GeoNamesOffline

__all__ = ("GeoNamesOffline", "make_nominatim")
