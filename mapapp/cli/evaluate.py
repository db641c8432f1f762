"""``ct-arrest-map evaluate``: score the extractor on an annotated corpus.

Output
------
Without ``--json``: a table of the overall figures, each with the counts behind it
(precision and recall of arrest places, operations found, invented operations,
date, count, group and agency accuracy on the operations found, agency recall),
the same by continent and by country, then the misses, one a line. With
``--json``: one JSON object, ``totals``, ``by_country``, ``by_continent`` and
``misses`` (see :meth:`mapapp.evaluate.Report.to_json`). ``--no-misses`` leaves the
misses out of both, so the figures of a held-out test part can be shared without
showing anyone which articles it holds or what went wrong in them.

Progress and the run time (articles per second) go to stderr. Every text that
comes from the corpus (file names, place names, groups, agencies) is printed
through :func:`~mapapp.cli.terminal.terminal_text`, so an annotation or article
cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import json
import sys

from mapapp.cli.terminal import terminal_text
from mapapp.errors import MapappError
from mapapp.evaluate import Counts, Report, evaluate_corpus
from places.cli import resolver_from_args

#: Report progress on stderr after every this many articles.
PROGRESS_EVERY = 25


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def summary_rows(counts: Counts) -> list[tuple[str, str, str]]:
    """The overall table: (figure, value, the counts behind it).

    Parameters
    ----------
    counts : Counts

    Returns
    -------
    list of (str, str, str)
    """
    c = counts
    m = c.matched_operations
    return [
        (
            "place precision",
            _pct(c.right_places, c.predicted_places),
            f"{c.right_places} of {c.predicted_places} predicted places are within a gold place",
        ),
        (
            "place recall",
            _pct(c.found_places, c.gold_places),
            f"{c.found_places} of {c.gold_places} gold places found",
        ),
        (
            "operations found",
            _pct(m, c.gold_operations),
            f"{m} of {c.gold_operations} gold operations",
        ),
        (
            "invented operations",
            str(c.invented_operations),
            f"{_pct(c.invented_operations, c.predicted_operations)} of "
            f"{c.predicted_operations} predicted; {c.negatives_with_operations} of "
            f"{c.negatives} negative articles have one",
        ),
        ("date right", _pct(c.date_right, m), f"{c.date_right} of {m} operations found"),
        ("count right", _pct(c.count_right, m), f"{c.count_right} of {m}"),
        ("group right", _pct(c.group_right, m), f"{c.group_right} of {m}"),
        ("agencies right", _pct(c.agencies_right, m), f"{c.agencies_right} of {m}"),
        (
            "agency recall",
            _pct(c.agencies_found, c.gold_agencies),
            f"{c.agencies_found} of {c.gold_agencies} gold agencies found",
        ),
    ]


_GROUP_COLUMNS = (
    ("articles", lambda c: str(c.articles)),
    ("precision", lambda c: _frac(c.right_places, c.predicted_places)),
    ("recall", lambda c: _frac(c.found_places, c.gold_places)),
    ("ops found", lambda c: _frac(c.matched_operations, c.gold_operations)),
    ("invented", lambda c: f"{c.invented_operations}/{c.predicted_operations}"),
    ("date", lambda c: _frac(c.date_right, c.matched_operations)),
    ("count", lambda c: _frac(c.count_right, c.matched_operations)),
    ("group", lambda c: _frac(c.group_right, c.matched_operations)),
    ("agencies", lambda c: _frac(c.agencies_right, c.matched_operations)),
)


def _frac(part: int, whole: int) -> str:
    return f"{_pct(part, whole)} {part}/{whole}"


def group_table(title: str, groups: dict[str, Counts]) -> list[str]:
    """One line per group (continent or country), aligned in columns.

    Parameters
    ----------
    title : str
        The first column's heading.
    groups : dict of str to Counts

    Returns
    -------
    list of str
    """
    rows = [[title, *(name for name, _ in _GROUP_COLUMNS)]]
    rows += [
        [terminal_text(key), *(cell(c) for _, cell in _GROUP_COLUMNS)] for key, c in groups.items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def _names(names: list) -> str:
    return ", ".join(str(n) for n in names) or "-"


def miss_lines(report: Report) -> list[str]:
    """The misses, a heading per kind and one line each (texts made safe).

    Parameters
    ----------
    report : Report

    Returns
    -------
    list of str
    """
    m = report.misses
    lines = [f"gold places not found ({len(m.places_not_found)}):"]
    lines += [f"  {x['article']}: {x['name']} ({x['cc']})" for x in m.places_not_found]
    lines.append(f"predicted places not in the gold ({len(m.places_not_in_gold)}):")
    lines += [
        f"  {x['article']}: {x['name']!r} -> {x['gazetteer_name']} "
        f"({x['lat']:.4f}, {x['lon']:.4f})"
        for x in m.places_not_in_gold
    ]
    lines.append(f"gold operations not found ({len(m.operations_not_found)}):")
    lines += [
        f"  {x['article']}: operation {x['operation']}: {x['date']}; {_names(x['places'])}"
        for x in m.operations_not_found
    ]
    lines.append(f"invented operations ({len(m.invented_operations)}):")
    lines += [
        f"  {x['article']}{' (negative)' if x['negative'] else ''}: {x['date']}; "
        f"{_names(x['places'])}"
        for x in m.invented_operations
    ]
    lines.append(f"wrong details of operations found ({len(m.wrong_attributes)}):")
    lines += [
        f"  {x['article']}: operation {x['operation']} ({_names(x['places'])}): "
        f"{x['attribute']}: gold {_value(x['gold'])}, predicted {_value(x['predicted'])}"
        for x in m.wrong_attributes
    ]
    return [terminal_text(line) for line in lines]


def _value(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return str(value)


def readable(report: Report, heading: str, *, misses: bool = True) -> list[str]:
    """The whole readable output.

    Parameters
    ----------
    report : Report
    heading : str
        What was scored (the corpus and part).
    misses : bool
        Whether to list the misses.

    Returns
    -------
    list of str
    """
    rows = summary_rows(report.totals)
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    lines = [terminal_text(heading), ""]
    lines += [f"{a.ljust(width)}  {b.rjust(value_width)}  {c}" for a, b, c in rows]
    lines += ["", *group_table("continent", report.by_continent)]
    lines += ["", *group_table("country", report.by_country)]
    if misses:
        lines += ["", *miss_lines(report)]
    return lines


def run(args: argparse.Namespace, resolver, *, out=None, err=None) -> int:
    """Score the corpus the options name and print the report.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed ``evaluate`` options.
    resolver : places.Resolver
    out, err : file, optional
        Where the report and the progress go (stdout and stderr by default).

    Returns
    -------
    int
        0.

    Raises
    ------
    MapappError
        ``--part`` without ``--split`` (or the reverse), or a bad corpus or split.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if args.part and not args.split:
        raise MapappError("--part needs --split FILE")
    if args.split and not args.part:
        raise MapappError("--split needs --part dev or --part test")

    def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 and done < total:
            err.write(f"evaluate: {done} of {total} articles\n")

    report = evaluate_corpus(
        args.corpus, resolver, split=args.split, part=args.part, progress=progress
    )
    n = report.totals.articles
    speed = n / report.seconds if report.seconds else float("inf")
    timing = f"{n} articles in {report.seconds:.1f} s ({speed:.2f} articles/s)"
    if report.absent:
        err.write(
            f"evaluate: {len(report.absent)} stem(s) of part {args.part!r} not in the corpus\n"
        )
    if args.json:
        data = report.to_json(misses=not args.no_misses)
        out.write(json.dumps(data, ensure_ascii=True, indent=None) + "\n")
        err.write(f"evaluate: {timing}\n")
        return 0
    part = f", part {args.part} of {args.split}" if args.part else ""
    heading = f"evaluate {args.corpus}{part}: {timing}"
    out.write("\n".join(readable(report, heading, misses=not args.no_misses)) + "\n")
    return 0


def command(args: argparse.Namespace) -> int:
    """``ct-arrest-map evaluate``: :func:`run` with the resolver the options describe."""
    with resolver_from_args(args) as resolver:
        return run(args, resolver)
