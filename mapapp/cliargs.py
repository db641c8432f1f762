"""Argument types and options of the command line, kept apart from the code they drive.

``python -m mapapp`` builds the parser of every sub-command before it runs any of
them, so whatever the parser needs is imported on every run, ``export`` included.
This module holds just that (argument types, the ``extract`` options and the
defaults they show), with no import of the extractor or the ingest code, which
cost a third of a second to import and are loaded only by the commands that use them.
"""

from __future__ import annotations

import argparse
import datetime as dt

from mapapp.articles import MAX_BYTES

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


def add_extract_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``extract`` options (the geocoder options are added by the caller)."""
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="article text files, or folders of *.txt files")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object a line (operations and national figures)")
    parser.add_argument("--country", type=country_code,
                        help="the articles' country (ISO code), used as the geocoding hint")
    parser.add_argument("--published", type=iso_date,
                        help="publication date (YYYY-MM-DD): resolves 'on Tuesday', 'in March'")
    parser.add_argument("--max-mb", type=float, default=MAX_BYTES / 1e6,
                        help=f"refuse larger files (default {MAX_BYTES / 1e6:.0f})")
