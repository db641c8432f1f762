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

``--jobs N`` extracts in N worker processes (:mod:`mapapp.pool`); the output, in
input order, is the same bytes for any N.

Articles and file names are untrusted text: an escape sequence in them must not
clear or retitle the user's terminal. The summary and the messages pass every text
through :func:`terminal_text`; JSON lines escape the same characters as ``\uXXXX``,
so a reader decoding them still gets the text as written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import warnings
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mapapp.articles import iter_article_paths
from mapapp.cli.terminal import terminal_text
from mapapp.pool import Article, Part, run_articles
from places.cli import resolver_from_args

if TYPE_CHECKING:  # the extractor is imported where it runs (see mapapp.pool)
    from mapapp.extract.extractor import ArticleResult
    from mapapp.extract.mentions import PlaceLookup

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


def _render(result: ArticleResult, as_json: bool) -> str:
    if as_json:
        lines = [_json_line(op.to_json()) for op in result.operations]
        lines += [_json_line({"source": result.source, **fig.to_json()}) for fig in result.figures]
        return "".join(lines)
    head = (
        f"{result.source}: {len(result.operations)} operation(s), "
        f"{len(result.figures)} national figure(s)"
    )
    return "".join(terminal_text(line) + "\n" for line in [head, *_summary(result)])


@dataclass(frozen=True)
class _Context:
    label: str
    country: str | None
    published: dt.date | None
    as_json: bool


def _extract_chunk(text: str, lookup: PlaceLookup, ctx: _Context) -> tuple[str, int, int]:
    """One chunk's output, its operations and characters (run here or in a worker)."""
    from mapapp.extract.extractor import extract_article

    result = extract_article(
        text, lookup=lookup, source=ctx.label, country=ctx.country, published=ctx.published
    )
    return _render(result, ctx.as_json), len(result.operations), result.chars


def run(
    args: argparse.Namespace,
    resolver,
    *,
    out=None,
    err=None,
    progress_files: int = PROGRESS_FILES,
    progress_chars: int = PROGRESS_CHARS,
    jobs: int | None = None,
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
    jobs : int, optional
        Worker processes (default ``args.jobs``, else 1); see :mod:`mapapp.pool`.
        The output is the same whatever the number.

    Returns
    -------
    int
        0, or 2 when a file was refused.
    """
    out = out or sys.stdout
    err = err or sys.stderr
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

    articles = (
        Article(path, _Context(str(path), args.country, args.published, args.json))
        for path in iter_article_paths(args.files)
    )
    events = run_articles(
        _extract_chunk,
        articles,
        resolver=resolver,
        jobs=jobs or getattr(args, "jobs", None) or 1,
        max_bytes=int(args.max_mb * 1e6),
    )
    with closing(events):
        for event in events:
            if isinstance(event, Part):
                text, found, read = event.value
                out.write(text)
                operations += found
                chars += read
                since_report_chars += read
                if since_report_chars >= progress_chars:
                    report()
                    since_report_chars = since_report_files = 0
                continue
            # Stray bytes replaced while reading are reported as an ArticleWarning
            # (see mapapp.articles); it is printed as one line, other warnings as usual.
            if event.error is not None:
                err.write(f"error: {terminal_text(event.error)}\n")
                refused += 1
            for message in event.warnings:
                err.write(f"warning: {terminal_text(message)}\n")
            for message, category, filename, lineno in event.other_warnings:
                warnings.showwarning(message, category, filename, lineno)
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
