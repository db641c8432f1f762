r"""``ct-arrest-map extract``: print the operations found in article files.

Output
------
Without ``--json``, a readable summary per file. With ``--json``, one JSON object a
line on stdout, in one stream, told apart by ``"kind"``:

* ``"kind": "operation"``: ``source`` (the file as given), ``date``,
  ``date_precision``, ``places`` (``name`` as written, ``lat``, ``lon``,
  ``country_code``, ``geonameid``, ``precision``, ``gazetteer_name``), ``arrested``,
  ``affiliation``, ``affiliation_as_written``, ``agencies``, ``country``,
  ``evidence``, ``confidence`` (0..1) and ``unresolved`` (names read as arrest
  places that could not be placed, with the reason);
* ``"kind": "national_figure"``: ``source``, ``country``, ``period``,
  ``period_start``, ``period_end``, ``cells_dismantled``, ``arrested``,
  ``plots_foiled``, ``qualifier`` and ``evidence``: totals, not operations.

One stream keeps a figure next to the article it came from and lets a reader
filter on ``kind``. Progress ("N files, M MB"), unreadable files and files read with
stray bytes replaced (``warning:``) go to stderr; the exit status is 2 when any file
was refused, after every other file was read.

Articles and file names are untrusted text: an escape sequence in them must not
clear or retitle the user's terminal. The summary and the messages pass every text
through :func:`terminal_text`; JSON lines escape the same characters as ``\uXXXX``,
so a reader decoding them still gets the text as written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings

from mapapp.articles import ArticleError, ArticleWarning, iter_article_paths
from mapapp.cli.terminal import terminal_text
from mapapp.extract.extractor import ArticleResult, extract_file
from mapapp.extract.mentions import PlaceLookup
from places.cli import resolver_from_args

#: Report progress after this many files, or this many characters, whichever first.
PROGRESS_FILES = 500
PROGRESS_CHARS = 10_000_000

# What json.dumps(ensure_ascii=False) leaves raw that a terminal may act on; the
# line and paragraph separators also end lines in some readers.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json_line(data: dict) -> str:
    """One JSON line, with the characters a terminal would act on escaped."""
    text = json.dumps(data, ensure_ascii=False)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _summary(result: ArticleResult) -> list[str]:
    lines = []
    for n, op in enumerate(result.operations, 1):
        places = ", ".join(dict.fromkeys(p.name for p in op.places))
        count = "unknown number" if op.arrested is None else str(op.arrested)
        written = (
            f" (as {op.affiliation_as_written!r})"
            if op.affiliation_as_written not in (None, op.affiliation)
            else ""
        )
        lines.append(
            f"  operation {n}: {op.date or 'undated'} ({op.date_precision}); {places}; "
            f"{count} arrested; {op.affiliation}{written}; "
            f"{', '.join(op.agencies) or 'no agency named'}; confidence {op.confidence}"
        )
        for sentence in op.evidence:
            lines.append(f"    evidence: {sentence}")
        for miss in op.unresolved:
            lines.append(f"    not placed: {miss.name!r}: {miss.reason}")
    for name, reason in result.unplaced:
        lines.append(f"  arrest place not placed (no operation): {name!r}: {reason}")
    for fig in result.figures:
        counts = ", ".join(
            f"{label} {value}"
            for label, value in (
                ("cells", fig.cells_dismantled),
                ("arrested", fig.arrested),
                ("plots foiled", fig.plots_foiled),
            )
            if value is not None
        )
        lines.append(
            f"  national figure ({fig.period_label or 'period not stated'}): "
            f"{counts} [{fig.qualifier}]"
        )
    return lines


def _emit(result: ArticleResult, as_json: bool, out) -> None:
    if as_json:
        for op in result.operations:
            out.write(_json_line(op.to_json()))
        for fig in result.figures:
            out.write(_json_line({"source": result.source, **fig.to_json()}))
        return
    head = (
        f"{result.source}: {len(result.operations)} operation(s), "
        f"{len(result.figures)} national figure(s)"
    )
    out.write("".join(terminal_text(line) + "\n" for line in [head, *_summary(result)]))


def run(
    args: argparse.Namespace,
    resolver,
    *,
    out=None,
    err=None,
    progress_files: int = PROGRESS_FILES,
    progress_chars: int = PROGRESS_CHARS,
) -> int:
    """Extract from every file given and print the results.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed ``extract`` options.
    resolver : places.Resolver
    out, err : file, optional
        Where results and messages go (stdout and stderr by default).
    progress_files, progress_chars : int
        Report progress on ``err`` after this many files or characters.

    Returns
    -------
    int
        0, or 2 when a file was refused.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    lookup = PlaceLookup(resolver)
    files = chars = operations = refused = 0
    since_report_files = since_report_chars = 0
    started = time.monotonic()

    def report(final: bool = False) -> None:
        word = "done" if final else "progress"
        err.write(
            f"extract {word}: {files} files done, {chars / 1e6:.1f} M characters, "
            f"{operations} operations, {refused} refused, "
            f"{time.monotonic() - started:.0f} s\n"
        )

    for path in iter_article_paths(args.files):
        # Stray bytes replaced while reading are reported as an ArticleWarning (see
        # mapapp.articles); it is printed as one line, other warnings as usual.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ArticleWarning)
            try:
                for result in extract_file(
                    path,
                    lookup=lookup,
                    country=args.country,
                    published=args.published,
                    max_bytes=int(args.max_mb * 1e6),
                ):
                    _emit(result, args.json, out)
                    operations += len(result.operations)
                    chars += result.chars
                    since_report_chars += result.chars
                    if since_report_chars >= progress_chars:
                        report()
                        since_report_chars = since_report_files = 0
            except ArticleError as exc:
                err.write(f"error: {terminal_text(str(exc))}\n")
                refused += 1
        for warning in caught:
            if issubclass(warning.category, ArticleWarning):
                err.write(f"warning: {terminal_text(str(warning.message))}\n")
            else:
                warnings.showwarning(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
        files += 1
        since_report_files += 1
        if since_report_files >= progress_files:
            report()
            since_report_chars = since_report_files = 0
    if files >= progress_files or chars >= progress_chars:
        report(final=True)
    return 2 if refused else 0


def command(args: argparse.Namespace) -> int:
    """``ct-arrest-map extract``: :func:`run` with the resolver the options describe."""
    with resolver_from_args(args) as resolver:
        return run(args, resolver)
