"""Errors raised by :mod:`places`.

Only problems the user must fix (a bad overrides file, an unwritable cache, a bad
argument) are exceptions.  A name that cannot be placed is not an error: it comes
back as a :class:`places.Resolution` whose ``error`` says why.  Network failures of
an online geocoder are geopy's own ``GeocoderServiceError``; the resolver catches
them and falls back to the offline gazetteer.
"""


class PlacesError(Exception):
    """Base class of every error raised by :mod:`places`."""


class OverridesError(PlacesError, ValueError):
    """The overrides CSV is unreadable or has a bad row (message names file, line, column)."""


class CacheError(PlacesError):
    """The geocoding cache cannot be opened or written."""


class GazetteerError(PlacesError):
    """The GeoNames name index cannot be built or opened."""


class ConfigurationError(PlacesError, ValueError):
    """An argument is invalid (unknown geocoder, bad country code, bad URL)."""
