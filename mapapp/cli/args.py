"""Argument types and options of every sub-command, kept apart from the code they drive.

``ct-arrest-map`` builds the parser of every sub-command before it runs any of
them, so whatever the parser needs is imported on every run, ``export`` included.
This module holds just that (argument types, each command's options and the
defaults they show), with no import of the extractor, the map or the ingest code:
each sub-command's module is imported only when that command runs. The geocoding
options come from :func:`places.cli.add_geocoder_arguments`, defined once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from mapapp import bundled
from mapapp.articles import MAX_BYTES
from places.cli import add_geocoder_arguments

#: Below this extractor confidence an operation waits for a person's review.
MIN_CONFIDENCE = 0.5


def country_code(text: str) -> str:
    """Argument type: a two-letter country code, upper-cased."""
    code = text.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"'{text}' is not a two-letter country code")
    return code


def iso_date(text: str) -> dt.date:
    """Argument type for ``YYYY-MM-DD`` options, with a message argparse can show."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def job_count(text: str) -> int:
    """Argument type: a number of worker processes, at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return value


def add_jobs_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--jobs N`` (default: the machine's cores); see :mod:`mapapp.pool`."""
    cores = os.cpu_count() or 1
    parser.add_argument(
        "--jobs",
        type=job_count,
        default=cores,
        metavar="N",
        help=f"worker processes reading the articles (default: the cores, here {cores}); "
        "the output is the same for any N",
    )


def add_extract_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``extract`` options."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="article text files, or folders of *.txt files"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object a line (operations and national figures)",
    )
    parser.add_argument(
        "--country",
        type=country_code,
        help="the articles' country (ISO code), used as the geocoding hint",
    )
    parser.add_argument(
        "--published",
        type=iso_date,
        help="publication date (YYYY-MM-DD): resolves 'on Tuesday', 'in March'",
    )
    parser.add_argument(
        "--max-mb",
        type=float,
        default=MAX_BYTES / 1e6,
        help=f"refuse larger files (default {MAX_BYTES / 1e6:.0f})",
    )
    add_jobs_argument(parser)
    add_geocoder_arguments(parser)


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``export`` options."""
    parser.add_argument(
        "--out",
        type=Path,
        help="the HTML map to write (needed unless --acled, --geojson or --csv)",
    )
    parser.add_argument(
        "--records",
        type=Path,
        default=bundled.RECORDS,
        help="records CSV (default: the bundled records)",
    )
    parser.add_argument(
        "--since", type=iso_date, help="keep operations overlapping this day or later"
    )
    parser.add_argument(
        "--until", type=iso_date, help="keep operations overlapping this day or earlier"
    )
    parser.add_argument(
        "--affiliation",
        action="append",
        metavar="NAME",
        help="keep this group (repeatable; aliases such as Daesh accepted)",
    )
    parser.add_argument(
        "--include-undated",
        action="store_true",
        help="with --since/--until, also keep operations whose date is unknown",
    )
    parser.add_argument("--geojson", type=Path, help="also write the points as GeoJSON")
    parser.add_argument("--csv", type=Path, help="also write the filtered records as CSV")
    parser.add_argument(
        "--acled",
        type=Path,
        metavar="FILE",
        help="also write ACLED-style rows, one per (operation, place) (see the README)",
    )
    parser.add_argument(
        "--self-contained",
        action="store_true",
        help="inline every script and stylesheet: the file works offline",
    )
    parser.add_argument("--title", help="a title shown on the map")
    add_geocoder_arguments(parser)


def add_ingest_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``ingest`` options."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="articles, or folders of *.txt")
    parser.add_argument(
        "--records",
        type=Path,
        required=True,
        help="the records CSV to merge into (created if missing)",
    )
    parser.add_argument("--country", type=country_code, help="the articles' country (hint)")
    parser.add_argument(
        "--published", type=iso_date, help="publication date, for 'on Tuesday' and the like"
    )
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        help="per-article outlet, title, URL and publication date: a CSV with columns "
        "file,outlet,title,url,published, or JSON Lines (.jsonl) with the same keys",
    )
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=MIN_CONFIDENCE,
        help=f"below this, leave for review (default {MIN_CONFIDENCE})",
    )
    add_jobs_argument(parser)
    add_geocoder_arguments(parser)


def add_app_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``app`` options."""
    parser.add_argument(
        "--records",
        type=Path,
        default=bundled.RECORDS,
        help="records CSV the app opens and saves into (default: the bundled "
        "records, which are never written to)",
    )
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument(
        "--host",
        default="localhost",
        help="address to listen on (default localhost: this machine only)",
    )


def add_evaluate_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``evaluate`` options."""
    parser.add_argument(
        "corpus",
        type=Path,
        metavar="CORPUS_DIR",
        help="folder searched for annotations/*.json (articles in ../articles)",
    )
    parser.add_argument(
        "--split",
        type=Path,
        metavar="FILE",
        help='split file: {"dev": [stems], "test": [stems]}',
    )
    parser.add_argument(
        "--part",
        choices=("dev", "test"),
        help="score only this part of the split (needs --split)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object: totals, by_country, by_continent, misses",
    )
    parser.add_argument(
        "--no-misses",
        action="store_true",
        help="the summary only: list no miss (use it on a held-out test part)",
    )
    add_geocoder_arguments(parser)


def add_import_acled_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``import-acled`` options."""
    parser.add_argument("file", type=Path, metavar="FILE", help="an ACLED CSV file")
    parser.add_argument("--out", type=Path, required=True, help="the records CSV to write")
    parser.add_argument(
        "--overrides-out",
        type=Path,
        metavar="FILE",
        help="where ACLED's own points go (default: beside --out, NAME.overrides.csv)",
    )
    parser.add_argument(
        "--all-events",
        action="store_true",
        help="keep every sub-event type, not only Arrests",
    )
