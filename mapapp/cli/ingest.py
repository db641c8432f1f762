"""``ct-arrest-map ingest``: extract from articles and merge into a records file."""

from __future__ import annotations

import argparse

from mapapp.ingest import ingest
from mapapp.records.sources import load_sources
from places.cli import resolver_from_args


def command(args: argparse.Namespace) -> int:
    """Extract, merge and write the records; say what was added, merged and left."""
    sources = load_sources(args.sources) if args.sources else None  # before any work
    resolver = resolver_from_args(args)
    try:
        report = ingest(
            args.files,
            args.records,
            resolver,
            country=args.country,
            published=args.published,
            min_confidence=args.min_confidence,
            sources=sources,
            jobs=getattr(args, "jobs", 1),
        )
    finally:
        resolver.close()
    for record in report.added:
        when = record["date"] or "undated"
        print(f"added   {record['id']}: {'; '.join(record['places'])} ({when})")
    for record, into in report.merged:
        source = record["sources"][0]["name"]
        print(f"merged  {'; '.join(record['places'])} from {source} into {into}")
    for op, reason in report.review:
        places = "; ".join(dict.fromkeys(p.name for p in op.places)) or "no place"
        print(f"review  {op.source}: {places}: {reason}")
    print(
        f"{args.records}: {len(report.added)} added, {len(report.merged)} merged, "
        f"{len(report.review)} left for review"
    )
    return 0
