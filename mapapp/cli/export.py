"""``ct-arrest-map export``: the map (and data) of the filtered records."""

from __future__ import annotations

import argparse
import sys

from mapapp.errors import MapappError
from mapapp.export.pipeline import export_map
from mapapp.points.filters import Selection
from places.cli import resolver_from_args


def command(args: argparse.Namespace) -> int:
    """Load, filter, geocode, join and write; report what was written and what was not."""
    selection = Selection.create(
        since=args.since,
        until=args.until,
        # Undated operations fall outside any date range; with no range there is nothing
        # to fall outside of, so they stay.
        include_undated=args.include_undated or (args.since is None and args.until is None),
        affiliations=args.affiliation,
    )
    if not (args.out or args.acled or args.geojson or args.csv):
        raise MapappError("nothing to write: give --out, --acled, --geojson or --csv")
    resolver = resolver_from_args(args)
    try:
        result = export_map(
            args.records,
            args.out,
            selection=selection,
            resolver=resolver,
            self_contained=args.self_contained,
            title=args.title,
            geojson=args.geojson,
            csv=args.csv,
            acled=args.acled,
            inputs={"--overrides": args.overrides, "--cache": resolver.cache_path},
        )
    finally:
        resolver.close()
    written = ", ".join(str(p) for p in (args.out, args.acled, args.geojson, args.csv) if p)
    print(
        f"{written}: {result.chosen} of {result.records} operations, "
        f"{result.points} points, {len(result.unresolved)} places not placed"
    )
    for row in result.unresolved.itertuples():
        print(f"  not placed: {row.place!r} ({row.op_id}): {row.reason}", file=sys.stderr)
    return 0
