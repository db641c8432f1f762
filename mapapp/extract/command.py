"""``python -m mapapp extract``: print the operations found in article files.

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
filter on ``kind``. Progress ("N files, M MB") and unreadable files go to stderr;
the exit status is 2 when any file was refused, after every other file was read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from mapapp.articles import ArticleError, iter_article_paths
from mapapp.extract.extractor import ArticleResult, extract_file
from mapapp.extract.mentions import PlaceLookup

#: Report progress after this many files, or this many characters, whichever first.
PROGRESS_FILES = 500
PROGRESS_CHARS = 10_000_000


def _summary(result: ArticleResult) -> list[str]:
    lines = []
    for n, op in enumerate(result.operations, 1):
        places = ", ".join(dict.fromkeys(p.name for p in op.places))
        count = "unknown number" if op.arrested is None else str(op.arrested)
        written = (f" (as {op.affiliation_as_written!r})"
                   if op.affiliation_as_written not in (None, op.affiliation) else "")
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
            f"{label} {value}" for label, value in (
                ("cells", fig.cells_dismantled), ("arrested", fig.arrested),
                ("plots foiled", fig.plots_foiled)) if value is not None
        )
        lines.append(f"  national figure ({fig.period_label or 'period not stated'}): "
                     f"{counts} [{fig.qualifier}]")
    return lines


def _emit(result: ArticleResult, as_json: bool, out) -> None:
    if as_json:
        for op in result.operations:
            out.write(json.dumps(op.to_json(), ensure_ascii=False) + "\n")
        for fig in result.figures:
            line = {"source": result.source, **fig.to_json()}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return
    head = (f"{result.source}: {len(result.operations)} operation(s), "
            f"{len(result.figures)} national figure(s)")
    out.write("\n".join([head, *_summary(result)]) + "\n")


def run(args: argparse.Namespace, resolver, *, out=None, err=None,
        progress_files: int = PROGRESS_FILES, progress_chars: int = PROGRESS_CHARS) -> int:
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
        err.write(f"extract {word}: {files} files done, {chars / 1e6:.1f} M characters, "
                  f"{operations} operations, {refused} refused, "
                  f"{time.monotonic() - started:.0f} s\n")

    for path in iter_article_paths(args.files):
        try:
            for result in extract_file(path, lookup=lookup, country=args.country,
                                       published=args.published,
                                       max_bytes=int(args.max_mb * 1e6)):
                _emit(result, args.json, out)
                operations += len(result.operations)
                chars += result.chars
                since_report_chars += result.chars
                if since_report_chars >= progress_chars:
                    report()
                    since_report_chars = since_report_files = 0
        except ArticleError as exc:
            err.write(f"error: {exc}\n")
            refused += 1
        files += 1
        since_report_files += 1
        if since_report_files >= progress_files:
            report()
            since_report_chars = since_report_files = 0
    if files >= progress_files or chars >= progress_chars:
        report(final=True)
    return 2 if refused else 0
