"""``python -m mapapp``: export the map of the records from the command line.

Every failure the user can cause (a bad records file, an unreadable article, an
unwritable output, a broken overrides file or cache) ends in one line on stderr
naming the problem and exit status 2, never a traceback (``--debug`` shows it),
and no output file is left half-written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mapapp import __version__
from mapapp.cliargs import MIN_CONFIDENCE, add_extract_arguments, country_code, iso_date
from mapapp.errors import MapappError
from mapapp.filters import Selection
from mapapp.pipeline import export_map
from mapapp.records import BUNDLED_RECORDS
from places import Resolver
from places.cli import add_geocoder_arguments, resolver_from_args, setup_logging
from places.exc import PlacesError


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m mapapp`` parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="ct-arrest-map", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error, not one line"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    export = sub.add_parser("export", help="write the map (and data) of the filtered operations")
    export.add_argument("--out", type=Path, required=True, help="the HTML map to write")
    export.add_argument(
        "--records",
        type=Path,
        default=BUNDLED_RECORDS,
        help="records CSV (default: the bundled records)",
    )
    export.add_argument(
        "--since", type=iso_date, help="keep operations overlapping this day or later"
    )
    export.add_argument(
        "--until", type=iso_date, help="keep operations overlapping this day or earlier"
    )
    export.add_argument(
        "--affiliation",
        action="append",
        metavar="NAME",
        help="keep this group (repeatable; aliases such as Daesh accepted)",
    )
    export.add_argument(
        "--include-undated",
        action="store_true",
        help="with --since/--until, also keep operations whose date is unknown",
    )
    export.add_argument("--geojson", type=Path, help="also write the points as GeoJSON")
    export.add_argument("--csv", type=Path, help="also write the filtered records as CSV")
    export.add_argument(
        "--self-contained",
        action="store_true",
        help="inline every script and stylesheet: the file works offline",
    )
    export.add_argument("--title", help="a title shown on the map")
    add_geocoder_arguments(export)
    export.set_defaults(run=run_export)

    extract = sub.add_parser("extract", help="find arrest operations in article text files")
    add_extract_arguments(extract)
    add_geocoder_arguments(extract)
    extract.set_defaults(run=run_extract)

    ingest = sub.add_parser(
        "ingest", help="extract from articles and merge the operations into a records file"
    )
    ingest.add_argument("files", nargs="+", metavar="FILE", help="articles, or folders of *.txt")
    ingest.add_argument(
        "--records",
        type=Path,
        required=True,
        help="the records CSV to merge into (created if missing)",
    )
    ingest.add_argument("--country", type=country_code, help="the articles' country (hint)")
    ingest.add_argument(
        "--published", type=iso_date, help="publication date, for 'on Tuesday' and the like"
    )
    ingest.add_argument(
        "--min-confidence",
        type=float,
        default=MIN_CONFIDENCE,
        help=f"below this, leave for review (default {MIN_CONFIDENCE})",
    )
    add_geocoder_arguments(ingest)
    ingest.set_defaults(run=run_ingest)

    app = sub.add_parser("app", help="start the app (Streamlit) in the browser")
    app.add_argument("--records", type=Path, default=BUNDLED_RECORDS,
                     help="records CSV the app opens and saves into (default: the bundled "
                     "records, which are never written to)")  # fmt: skip
    app.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    app.add_argument("--host", default="localhost",
                     help="address to listen on (default localhost: this machine only)")
    app.set_defaults(run=run_app)

    bench = sub.add_parser("bench", help="measure the export and the app; prints JSON")
    bench.add_argument("--events", type=int, action="append", metavar="N",
                       help="number of generated operations (repeatable; "
                       "default 1000, 20000 and 100000)")  # fmt: skip
    bench.set_defaults(run=run_bench)
    return parser


def run_export(args: argparse.Namespace) -> int:
    """Load, filter, geocode, join and write; report what was written and what was not."""
    selection = Selection.create(
        since=args.since,
        until=args.until,
        # Undated operations fall outside any date range; with no range there is nothing
        # to fall outside of, so they stay.
        include_undated=args.include_undated or (args.since is None and args.until is None),
        affiliations=args.affiliation,
    )
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
            inputs={"--overrides": args.overrides, "--cache": resolver.cache_path},
        )
    finally:
        resolver.close()
    print(
        f"{args.out}: {result.chosen} of {result.records} operations, "
        f"{result.points} points, {len(result.unresolved)} places not placed"
    )
    for row in result.unresolved.itertuples():
        print(f"  not placed: {row.place!r} ({row.op_id}): {row.reason}", file=sys.stderr)
    return 0


def run_extract(args: argparse.Namespace) -> int:
    """Extract operations and national figures from article files (see mapapp.extract.command).

    Imported here: the extractor takes a third of a second to import, which every
    other command (``export`` above all) would pay for nothing.
    """
    from mapapp.extract.command import run as run_extract_files

    resolver = resolver_from_args(args)
    try:
        return run_extract_files(args, resolver)
    finally:
        resolver.close()


def run_ingest(args: argparse.Namespace) -> int:
    """Extract, merge and write the records; say what was added, merged and left.

    Imported here, as in :func:`run_extract`: the ingest code pulls in the extractor.
    """
    from mapapp.ingest import ingest

    resolver = resolver_from_args(args)
    try:
        report = ingest(
            args.files,
            args.records,
            resolver,
            country=args.country,
            published=args.published,
            min_confidence=args.min_confidence,
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


#: The app's Streamlit settings, given on its command line so that they hold whatever
#: directory the app is started from (a ``.streamlit/config.toml`` is read from there).
STREAMLIT_OPTIONS = {
    "server.headless": "true",
    "server.maxUploadSize": "50",  # MB; Streamlit refuses larger uploads itself
    "browser.gatherUsageStats": "false",  # the tool runs offline: never phone home
    "client.toolbarMode": "viewer",  # no "Deploy" button or developer menu
}


def run_app(args: argparse.Namespace) -> int:
    """Start Streamlit on the installed ``mapapp/app.py``; return when it stops.

    The gazetteer's name index is built first if it is not (a one-off step of
    about 20 s, said on stderr), so the app's first page is not a blank wait.
    """
    import subprocess

    with Resolver() as resolver:  # the app's own: default cache, offline
        if not resolver.index_ready():
            resolver.offline  # noqa: B018  (opening it builds the index)
    options = {**STREAMLIT_OPTIONS, "server.port": str(args.port), "server.address": args.host}
    command = [sys.executable, "-m", "streamlit", "run", str(Path(__file__).with_name("app.py"))]
    command += [f"--{key}={value}" for key, value in options.items()]
    command += ["--", "--records", str(args.records.resolve())]
    print(f"ct-arrest-map: the app is at http://{args.host}:{args.port} (Ctrl-C stops it)",
          file=sys.stderr)  # fmt: skip
    return subprocess.call(command)


def run_bench(args: argparse.Namespace) -> int:
    """Run the benchmark (imported here: it pulls in Streamlit's test harness)."""
    from mapapp import bench

    return bench.main(args.events or [1_000, 20_000, 100_000])


def main(argv: list[str] | None = None) -> int:
    """Run the command line; user errors become one message and exit status 2."""
    args = build_parser().parse_args(argv)
    setup_logging(args.debug, "ct-arrest-map")
    try:
        return args.run(args)
    except (MapappError, PlacesError, OSError) as exc:
        if args.debug:
            raise
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 2


def one_line(message: str) -> str:
    """A message as one line: a file's list of problems ("3 problem(s):" and one line
    per problem) becomes the heading followed by the problems, separated by ``;``."""
    head, *rest = [line.strip() for line in message.splitlines() if line.strip()] or [""]
    return f"{head} {'; '.join(rest)}" if rest else head
