"""Command line: ``python -m places geocode NAME... [options]``.

Exit status: 0 when every name resolved, 1 when any did not, 2 on a usage or
setup error (bad overrides file, unwritable cache, a file that is not a cache):
any :class:`places.exc.PlacesError`, reported as one ``places: error:`` line on
stderr without a traceback (``--debug`` shows it).  Warnings of the library (a
Nominatim outage, a rebuilt name index) are one ``places: warning:`` line each.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from places.exc import PlacesError
from places.resolver import Resolution, Resolver


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m places", description="Turn place names into points."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    geocode = commands.add_parser("geocode", help="resolve place names")
    geocode.add_argument("names", nargs="+", metavar="NAME")
    geocode.add_argument(
        "--country",
        metavar="CC",
        help="two-letter code of the country the text is about (a preference)",
    )
    geocode.add_argument("--json", action="store_true", help="one JSON object a line per name")
    add_geocoder_arguments(geocode)
    geocode.add_argument(
        "--debug", action="store_true", help="show tracebacks and debug logs of errors"
    )
    return parser


def add_geocoder_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the geocoding options, which every command that places names takes alike.

    ``--cache``, ``--geocoder``, ``--nominatim-url`` and ``--overrides``.
    """
    group = parser.add_argument_group("geocoding")
    group.add_argument(
        "--cache",
        metavar="PATH",
        help="cache file (default: $PLACES_CACHE or the user cache directory)",
    )
    group.add_argument(
        "--geocoder",
        choices=("offline", "nominatim"),
        default="offline",
        help="offline GeoNames (default) or Nominatim (sends names out)",
    )
    group.add_argument(
        "--nominatim-url",
        metavar="URL",
        help="Nominatim server (default: the public OpenStreetMap one)",
    )
    group.add_argument("--overrides", metavar="CSV", help="manual fixes that always win")


def resolver_from_args(args: argparse.Namespace) -> Resolver:
    """The resolver the options of :func:`add_geocoder_arguments` describe."""
    return Resolver(
        cache_path=args.cache,
        geocoder=args.geocoder,
        nominatim_url=args.nominatim_url,
        overrides=args.overrides,
    )


class _OneLine(logging.Formatter):
    """``program: warning: message``, without a traceback: what a user needs to read."""

    def __init__(self, program: str):
        super().__init__()
        self.program = program

    def format(self, record: logging.LogRecord) -> str:
        return f"{self.program}: {record.levelname.lower()}: {record.getMessage()}"


def setup_logging(debug: bool, program: str = "places") -> None:
    """Show the library's messages on stderr, one line each (``--debug``: everything).

    Progress (the one-off build of the name index) is INFO, outages are WARNING.
    """
    handler = logging.StreamHandler(sys.stderr)
    if debug:
        handler.setFormatter(logging.Formatter("%(name)s: %(levelname)s: %(message)s"))
    else:
        handler.setFormatter(_OneLine(program))
        handler.addFilter(lambda record: record.name.startswith(("places", "mapapp")))
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, handlers=[handler])


def as_record(res: Resolution) -> dict:
    """Return the JSON record of a resolution (top-level fields from its first point)."""
    record: dict[str, object] = {"query": res.query}
    if not res.ok:
        record.update(error=res.error, source=res.source, cached=res.cached, points=[])
        return record
    first = res.points[0]
    record.update(
        name=first.name,
        lat=first.lat,
        lon=first.lon,
        country_code=first.country_code,
        geonameid=first.geonameid,
        source=res.source,
        precision=res.precision,
        radius_km=res.radius_km,
        close=res.close,
        fuzzy=res.fuzzy,
        cached=res.cached,
        points=[p.__dict__ for p in res.points],
    )
    return record


def _table(results: list[Resolution]) -> str:
    head = ("query", "name", "lat", "lon", "cc", "precision", "source", "cached")
    rows: list[tuple | str] = []
    for res in results:
        if not res.ok:
            rows.append(res.query)  # printed with its reason, outside the columns
            continue
        for i, p in enumerate(res.points):
            rows.append(
                (
                    res.query if i == 0 else "",
                    p.name,
                    f"{p.lat:.5f}",
                    f"{p.lon:.5f}",
                    p.country_code or "",
                    res.precision,
                    res.source,
                    "yes" if res.cached else "no",
                )
            )
    table = [head, *(r for r in rows if isinstance(r, tuple))]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    widths[0] = max([widths[0], *(len(r) for r in rows if isinstance(r, str))])
    errors = {res.query: res.error for res in results if not res.ok}
    lines = []
    for row in (head, *rows):
        if isinstance(row, str):
            lines.append(f"{row.ljust(widths[0])}  unresolved: {errors[row]}")
            continue
        cells = [
            c.rjust(w) if i in (2, 3) else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    setup_logging(args.debug)
    try:
        with resolver_from_args(args) as resolver:
            results = list(resolver.resolve_many(args.names, country=args.country).values())
    except PlacesError as exc:
        if args.debug:
            raise
        print(f"places: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        for res in results:
            print(json.dumps(as_record(res), ensure_ascii=False))
    else:
        print(_table(results))
    return 0 if all(res.ok for res in results) else 1
