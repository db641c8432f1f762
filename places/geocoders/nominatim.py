"""Opt-in Nominatim (OpenStreetMap) through geopy, rate limited.

Nominatim's usage policy asks for at most one request a second and a user agent
that identifies the application; geopy refuses its own default agent.  The factory
here returns ``RateLimiter(Nominatim(...).geocode, min_delay_seconds>=1,
swallow_exceptions=False)``: with geopy's default (swallow) an outage would come
back as None, exactly like "not found", and the cache would store it as a miss.
With ``swallow_exceptions=False`` the resolver sees the ``GeocoderServiceError``,
answers from the offline gazetteer and caches nothing.

Tests point the factory at a server on 127.0.0.1; :data:`options` is the test hook
for shorter delays and timeouts, and the one-second floor is lifted only for
loopback hosts.
"""

from __future__ import annotations

import functools
import ipaddress
import os
from urllib.parse import urlsplit

from geopy.adapters import RequestsAdapter, URLLibAdapter
from geopy.exc import GeocoderParseError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from places.exc import ConfigurationError

__all__ = ("make_nominatim", "options", "nominatim_key")

#: The public service's minimum delay between requests (its usage policy).
POLICY_MIN_DELAY = 1.0


class options:  # noqa: N801 - a namespace, named like geopy.geocoders.options
    """Defaults of the Nominatim layer; tests may change them (monkeypatch).

    ``min_delay_seconds`` below :data:`POLICY_MIN_DELAY` is honoured only for a
    loopback server (a local test server); any other host gets the policy's 1 s.
    """

    user_agent = os.environ.get(
        "PLACES_USER_AGENT", "ct-arrest-map/0.1 (+https://github.com/ct-arrest-map)"
    )
    timeout = 10.0
    min_delay_seconds = POLICY_MIN_DELAY
    max_retries = 2
    error_wait_seconds = 5.0
    #: After an outage, names go straight to the offline answer for this long, so
    #: a batch of thousands of names does not wait out a timeout for each one.
    outage_cooldown_seconds = 60.0


def _split_url(url: str | None) -> tuple[str, str]:
    """Return (scheme, domain) for geopy from a server URL (None = the public server)."""
    if not url:
        return "https", "nominatim.openstreetmap.org"
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"--nominatim-url: not an http(s) server URL: {url!r}")
    # geopy appends "/search" to the domain, so a path prefix can ride along.
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


def _is_loopback(domain: str) -> bool:
    host = urlsplit(f"//{domain}").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def nominatim_key(url: str | None) -> str:
    """Return the cache's backend label for a server: answers differ between servers."""
    scheme, domain = _split_url(url)
    return f"nominatim:{scheme}://{domain}"


def _parse_guard(geocode):
    """Turn a malformed but valid-JSON answer into geopy's parse error.

    geopy's parser raises KeyError/TypeError/ValueError on a payload that is JSON
    but not Nominatim's shape; as a ``GeocoderParseError`` it is retried and then
    treated as an outage, not as a crash.
    """

    @functools.wraps(geocode)
    def guarded(*args, **kwargs):
        try:
            return geocode(*args, **kwargs)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GeocoderParseError(f"unexpected Nominatim answer: {exc!r}") from exc

    return guarded


def make_nominatim(url: str | None = None) -> RateLimiter:
    """Build the rate-limited Nominatim geocode callable.

    Parameters
    ----------
    url : str, optional
        The server, e.g. ``http://127.0.0.1:8080`` or ``https://nominatim.example.org``;
        None means the public OpenStreetMap server.

    Returns
    -------
    geopy.extra.rate_limiter.RateLimiter
        Call it like ``Nominatim.geocode``; it raises ``GeocoderServiceError``
        (after ``options.max_retries`` retries) instead of returning None on an outage.
    """
    scheme, domain = _split_url(url)
    min_delay = options.min_delay_seconds
    if not _is_loopback(domain):
        min_delay = max(min_delay, POLICY_MIN_DELAY)
    # requests would retry a timed-out read on its own (geopy's default adapter has
    # max_retries=2), tripling the wait; retries belong to the RateLimiter alone.
    if RequestsAdapter.is_available:
        adapter = functools.partial(RequestsAdapter, max_retries=0)
    else:
        adapter = URLLibAdapter
    geocoder = Nominatim(
        domain=domain,
        scheme=scheme,
        user_agent=options.user_agent,
        timeout=options.timeout,
        adapter_factory=adapter,
    )
    return RateLimiter(
        _parse_guard(geocoder.geocode),
        min_delay_seconds=min_delay,
        max_retries=options.max_retries,
        error_wait_seconds=max(options.error_wait_seconds, min_delay),
        swallow_exceptions=False,
    )
