"""``ct-arrest-map`` (also ``python -m mapapp``): the tool's command line.

One module per sub-command (:mod:`~mapapp.cli.export`, :mod:`~mapapp.cli.extract`,
:mod:`~mapapp.cli.ingest`, :mod:`~mapapp.cli.app`), imported only when that command
runs; their options are in :mod:`mapapp.cli.args`, light to import.

Every failure the user can cause (a bad records file, an unreadable article, an
unwritable output, a broken overrides file or cache) ends in one line on stderr
naming the problem and exit status 2, never a traceback (``--debug`` shows it),
and no output file is left half-written.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from mapapp import __version__
from mapapp.cli import args as options
from mapapp.cli.terminal import show_warnings_as_lines, terminal_text
from mapapp.errors import MapappError
from places.cli import setup_logging
from places.exc import PlacesError

#: Sub-command: (help, function adding its options, module whose ``command`` runs it).
COMMANDS = {
    "export": ("write the map (and data) of the filtered operations",
               options.add_export_arguments, "mapapp.cli.export"),
    "extract": ("find arrest operations in article text files",
                options.add_extract_arguments, "mapapp.cli.extract"),
    "ingest": ("extract from articles and merge the operations into a records file",
               options.add_ingest_arguments, "mapapp.cli.ingest"),
    "app": ("start the app (Streamlit) in the browser",
            options.add_app_arguments, "mapapp.cli.app"),
    "evaluate": ("score the extractor against annotated articles",
                 options.add_evaluate_arguments, "mapapp.cli.evaluate"),
    "import-acled": ("turn an ACLED file into records (and overrides keeping its points)",
                     options.add_import_acled_arguments, "mapapp.cli.import_acled"),
}  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The ``ct-arrest-map`` parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="ct-arrest-map", description="Map where counter-terrorism arrests were reported."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error, not one line"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, module) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        add_arguments(command)
        command.set_defaults(module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; user errors become one message and exit status 2."""
    args = build_parser().parse_args(argv)
    setup_logging(args.debug, "ct-arrest-map")
    show_warnings_as_lines()
    try:
        return importlib.import_module(args.module).command(args)
    except (MapappError, PlacesError, OSError) as exc:
        if args.debug:
            raise
        print(f"error: {terminal_text(one_line(str(exc)))}", file=sys.stderr)
        return 2


def one_line(message: str) -> str:
    """A message as one line.

    A file's list of problems ("3 problem(s):" and one line per problem) becomes the
    heading followed by the problems, separated by ``;``.
    """
    head, *rest = [line.strip() for line in message.splitlines() if line.strip()] or [""]
    return f"{head} {'; '.join(rest)}" if rest else head
