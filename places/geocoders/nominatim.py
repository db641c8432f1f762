"""Opt-in Nominatim (OpenStreetMap) through geopy, rate limited.

Nominatim's usage policy asks for at most one request a second and a user agent
that identifies the application; geopy refuses its own default agent.  The factory
here returns a geopy ``RateLimiter`` (:class:`QuietRateLimiter`) over
``Nominatim(...).geocode`` with ``min_delay_seconds>=1`` and
``swallow_exceptions=False``: with geopy's default (swallow) an outage would come
back as None, exactly like "not found", and the cache would store it as a miss.
With ``swallow_exceptions=False`` the resolver sees the ``GeocoderServiceError``,
answers from the offline gazetteer and caches nothing.

geopy's RateLimiter logs every retried error as a warning with its traceback on
the ``geopy`` logger, so one outage printed pages on stderr although the run went
on.  :class:`QuietRateLimiter` keeps geopy's rate limiting but does the retries
itself, without logging; the resolver reports the outage once, in one line.
Nothing is muted: geopy's loggers keep their level for whatever else they say.

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
from geopy.exc import GeocoderParseError, GeocoderServiceError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from places import __version__
from places.exc import ConfigurationError

__all__ = ("QuietRateLimiter", "make_nominatim", "nominatim_key", "options", "server_url")

#: The public service's minimum delay between requests (its usage policy).
POLICY_MIN_DELAY = 1.0


class options:  # noqa: N801 - a namespace, named like geopy.geocoders.options
    """Defaults of the Nominatim layer; tests may change them (monkeypatch).

    ``min_delay_seconds`` below :data:`POLICY_MIN_DELAY` is honoured only for a
    loopback server (a local test server); any other host gets the policy's 1 s.
    """

    #: Nominatim's policy asks every client to identify itself; set PLACES_USER_AGENT
    #: to add a contact address for your own use.
    user_agent = os.environ.get("PLACES_USER_AGENT", f"ct-arrest-map/{__version__}")
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


def server_url(url: str | None) -> str:
    """Return the server's URL as geopy will call it (None = the public server)."""
    scheme, domain = _split_url(url)
    return f"{scheme}://{domain}"


def nominatim_key(url: str | None) -> str:
    """Return the cache's backend label for a server: answers differ between servers."""
    return f"nominatim:{server_url(url)}"


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


class QuietRateLimiter(RateLimiter):
    """geopy's RateLimiter, retrying service errors without logging each retry.

    geopy's own retry loop is switched off (``max_retries=0``, so it never logs);
    this class retries ``retries`` times, ``error_wait_seconds`` apart, each try
    still waiting for its rate-limit slot, and then raises the last error.

    Parameters
    ----------
    func : callable
        The geocode function.
    min_delay_seconds : float
        Least time between two requests.
    retries : int
        Retries after the first try fails with a ``GeocoderServiceError``.
    error_wait_seconds : float
        Wait after a failed try, at least ``min_delay_seconds``.
    """

    def __init__(self, func, *, min_delay_seconds, retries, error_wait_seconds):
        super().__init__(
            func,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )
        self.retries = retries

    def __call__(self, *args, **kwargs):
        """Call the function, retrying service errors; raise the last one."""
        for _ in range(self.retries):
            try:
                return super().__call__(*args, **kwargs)
            except GeocoderServiceError:
                self._sleep(self.error_wait_seconds)
        return super().__call__(*args, **kwargs)


def make_nominatim(url: str | None = None) -> QuietRateLimiter:
    """Build the rate-limited Nominatim geocode callable.

    Parameters
    ----------
    url : str, optional
        The server, e.g. ``http://127.0.0.1:8080`` or ``https://nominatim.example.org``;
        None means the public OpenStreetMap server.

    Returns
    -------
    QuietRateLimiter
        Call it like ``Nominatim.geocode``; it raises ``GeocoderServiceError``
        (after ``options.max_retries`` retries) instead of returning None on an outage,
        and logs nothing while retrying.
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
    return QuietRateLimiter(
        _parse_guard(geocoder.geocode),
        min_delay_seconds=min_delay,
        retries=options.max_retries,
        error_wait_seconds=max(options.error_wait_seconds, min_delay),
    )


def nominatim_precision(raw: dict) -> str:
    """The precision of a Nominatim answer: country, admin area (a boundary) or city."""
    kind = raw.get("addresstype") or raw.get("type")
    if kind == "country":
        return "country"
    if raw.get("class") == "boundary" or kind in (
        "state",
        "region",
        "province",
        "county",
        "state_district",
        "administrative",
    ):
        return "admin area"
    return "city"
