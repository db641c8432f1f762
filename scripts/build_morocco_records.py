"""Build the bundled records (``mapapp/data/records.csv``) from ``datasets/morocco``.

Run by a maintainer: ``python scripts/build_morocco_records.py [--check] [--compare-ingest]``.

Inputs (none ship with the package):

- ``sources.csv``: one row per reworded report (file, outlet, title, url, published,
  language), the same table ``ct-arrest-map ingest --sources`` reads;
- ``operations.jsonl``: the operations read by hand in each report, reviewed
  against it. Every review decision is a field of a line, never code here:

  ``exclude``
      a reason: the line is kept for the record but not shipped (a recalled
      operation whose arrests cannot be assigned, a double count);
  ``operation``
      a key shared by the lines that report one operation: they become one record
      with all their sources (the notes' groups of reports);
  ``id``
      the record's id (else one is derived from country, date and first place).

  A line with no place (the report names no town) cannot go on a map and is left
  out; the script counts them.

Each record takes, from the lines of its operation, the most precise date (a day is
never made up: a line's date is what its report supports), the places, group and
summary of that line, any count or group the others give when it gives none, and
every source in the order of the file. The records are then checked as the app
reads them: every place must be placed by the offline geocoder, and the merge rule
of ``ingest`` (:mod:`mapapp.records.merge`) must find no two records that are one
operation. Either failure stops the script with the list, and nothing is written.

The official totals the reports quote (``national_figures.jsonl``) are written to
``mapapp/data/national_figures.csv`` beside the figures already there (those whose
``note`` does not start with ``As quoted``): one row per distinct figure, naming the
outlets that quote it. A figure without a start year, or qualified only as "about"
(the table knows exact, at least and more than), is left out and counted.

``--compare-ingest`` also runs ``ingest`` over the articles with the sources into a
scratch file and lists, per article, the operations the extractor found that no
annotation covers and the reverse: the starting point of the hand review.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pandas as pd

from mapapp import bundled
from mapapp.ingest import records_frame
from mapapp.records import date_span, load_records, save_records
from mapapp.records.affiliations import normalise_affiliation
from mapapp.records.merge import merge_operations
from mapapp.records.sources import load_sources
from places import Resolver
from places.fold import fold

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "datasets" / "morocco"
PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def read_operations(path: Path) -> list[dict]:
    """The annotated operations, each with its line number."""
    lines = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text.strip():
            item = json.loads(text)
            item["_line"] = number
            lines.append(item)
    return lines


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


def group_lines(lines: list[dict]) -> tuple[list[list[dict]], list[dict], list[dict]]:
    """Lines grouped by operation; the lines left out (excluded, and without a place)."""
    groups: dict[str, list[dict]] = {}
    excluded, placeless = [], []
    for item in lines:
        if item.get("exclude"):
            excluded.append(item)
            continue
        key = item.get("operation") or f"line-{item['_line']}"
        groups.setdefault(key, []).append(item)
    placed = []
    for lines_of_one in groups.values():  # a line without a place still cites its source
        if any(item.get("places") for item in lines_of_one):
            placed.append(lines_of_one)
        else:
            placeless += lines_of_one
    return placed, excluded, placeless


def best_line(lines: list[dict]) -> dict:
    """The line that gives the operation's date: the most precise date."""
    return max(lines, key=lambda item: PRECISION_RANK[item.get("date_precision") or "unknown"])


def main_line(lines: list[dict]) -> dict:
    """The line that gives places, count, group and summary: ``main``, else the best dated."""
    placed = [item for item in lines if item.get("places")]
    return next((item for item in placed if item.get("main")), None) or best_line(placed)


def record_of(lines: list[dict], sources: dict) -> dict:
    """One record from the lines of one operation."""
    main = main_line(lines)
    date = best_line(lines).get("date") or ""
    precision, first, last = date_span(date)
    arrested = main.get("arrested")
    affiliation = main.get("affiliation") or "unknown"
    as_written = main.get("affiliation_as_written") or ""
    agencies = list(main.get("agencies") or [])
    for other in lines:  # fill what the main report leaves unknown, never overwrite
        if arrested is None and other.get("arrested") is not None:
            arrested = other["arrested"]
        if (
            normalise_affiliation(affiliation) == "unknown"
            and normalise_affiliation(other.get("affiliation") or "") != "unknown"
        ):
            affiliation = other["affiliation"]
            as_written = other.get("affiliation_as_written") or ""
        if not agencies and other.get("agencies"):
            agencies = list(other["agencies"])
    cited, seen = [], set()
    for item in lines:
        file = item["file"]
        if file in seen:
            continue
        seen.add(file)
        source = sources.get(file)
        if source is None:
            raise SystemExit(
                f"operations.jsonl line {item['_line']}: {file} is not in sources.csv"
            )
        cited.append(source.as_source(file))
    return {
        "id": main.get("id") or "",
        "date": date,
        "date_precision": precision,
        "places": tuple(main["places"]),
        "country": main.get("country") or "",
        "arrested": arrested,
        "affiliation": normalise_affiliation(affiliation),
        "affiliation_as_written": as_written,
        "agencies": tuple(dict.fromkeys(agencies)),
        "summary": main["summary"],
        "sources": tuple(cited),
        "evidence": main.get("evidence") or "",
        "date_start": pd.Timestamp(first) if first else pd.NaT,
        "date_end": pd.Timestamp(last) if last else pd.NaT,
    }


def give_ids(records: list[dict]) -> None:
    """Readable ids (country, date or 'undated', first place), unique in the file."""
    used: dict[str, int] = defaultdict(int)
    for record in records:
        if record["id"]:
            used[record["id"]] += 1
    for record in records:
        if record["id"]:
            continue
        base = "-".join(
            [
                record["country"].lower() or "xx",
                record["date"] or "undated",
                slug(record["places"][0]),
            ]
        )
        used[base] += 1
        record["id"] = base if used[base] == 1 else f"{base}-{used[base]}"


def unplaced(frame: pd.DataFrame, resolver: Resolver) -> list[str]:
    """Every (record, place) the offline geocoder cannot place."""
    missing = []
    for record in frame.to_dict("records"):
        answers = resolver.resolve_many(list(record["places"]), country=record["country"] or None)
        missing += [f"{record['id']}: {name}" for name, res in answers.items() if not res.points]
    return missing


def duplicates(frame: pd.DataFrame, resolver: Resolver) -> list[tuple[str, str]]:
    """Pairs of records the merge rule of ``ingest`` would take for one operation."""
    report = merge_operations(frame.iloc[:0], frame, resolver)
    return report.merged


def compare_ingest(articles: Path, sources_csv: Path, lines: list[dict], resolver) -> None:
    """Run ``ingest`` into a scratch file and list what it and the annotations disagree on."""
    from mapapp.ingest import ingest

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "ingested.csv"
        report = ingest(
            sorted(articles.glob("*.txt")),
            target,
            resolver,
            country="MA",
            sources=load_sources(sources_csv),
        )
        ingested = load_records(target) if target.exists() else None
    by_file: dict[str, list[dict]] = defaultdict(list)
    for item in lines:
        by_file[item["file"]].append(item)
    print(f"ingest: {len(report.added)} records, {len(report.merged)} merged reports, "
          f"{len(report.review)} left for review")  # fmt: skip
    found: dict[str, list[dict]] = defaultdict(list)
    for record in [] if ingested is None else ingested.to_dict("records"):
        for evidence_file in re.findall(r"extracted from (\S+?);", record["summary"]):
            found[evidence_file].append(record)
    for file in sorted(set(by_file) | set(found)):
        annotated = {fold(p) for item in by_file.get(file, []) for p in item.get("places") or []}
        extracted = {fold(p) for record in found.get(file, []) for p in record["places"]}
        if annotated != extracted:
            print(f"{file}: annotated {sorted(annotated)} / ingest {sorted(extracted)}")


def build(dataset: Path = DATASET) -> tuple[pd.DataFrame, dict]:
    """The records of the dataset and the counts of what was left out."""
    sources = load_sources(dataset / "sources.csv")
    lines = read_operations(dataset / "operations.jsonl")
    groups, excluded, placeless = group_lines(lines)
    records = [record_of(group, sources) for group in groups]
    records.sort(key=lambda r: (r["date_start"] is pd.NaT, r["date_start"], r["places"]))
    give_ids(records)
    frame = records_frame(records)
    left = {"lines": len(lines), "excluded": len(excluded), "no place": len(placeless)}
    return frame, left


QUOTED = "As quoted"


def figure_rows(dataset: Path, sources: dict) -> tuple[list[dict], int]:
    """National-figure rows of the dataset (figures CSV columns) and how many were left out."""
    from mapapp.records.figures import QUALIFIERS

    rows: dict[tuple, dict] = {}
    left_out = 0
    for item in read_operations(dataset / "national_figures.jsonl"):
        if not item.get("period_start") or item.get("qualifier") not in QUALIFIERS:
            left_out += 1
            continue
        counts = tuple(item.get(k) for k in ("cells_dismantled", "arrested", "plots_foiled"))
        if all(c is None for c in counts):
            left_out += 1
            continue
        key = (item["country"], str(item["period_start"]), str(item.get("period_end") or ""),
               *counts, item["qualifier"])  # fmt: skip
        outlet = sources[item["file"]].outlet or item["file"]
        if key in rows:
            if outlet not in rows[key]["outlets"]:
                rows[key]["outlets"].append(outlet)
            continue
        rows[key] = {
            "country": item["country"],
            "period_start": str(item["period_start"]),
            "period_end": str(item.get("period_end") or ""),
            "period_label": item.get("period_label") or "",
            "cells_dismantled": "" if counts[0] is None else str(counts[0]),
            "arrested": "" if counts[1] is None else str(counts[1]),
            "plots_foiled": "" if counts[2] is None else str(counts[2]),
            "qualifier": item["qualifier"],
            "evidence": " ".join((item.get("evidence") or "").split())[:300],
            "outlets": [outlet],
        }
    out = []
    for row in rows.values():
        outlets = row.pop("outlets")
        evidence = row.pop("evidence")
        row["note"] = f"{QUOTED} by {'; '.join(outlets[1:]) or 'this outlet'}: {evidence}"
        row["note"] = row["note"].replace(";", ",")
        row["source_name"] = outlets[0].replace(";", ",")
        out.append(row)
    out.sort(key=lambda r: (r["period_start"], r["period_end"], r["source_name"]))
    return out, left_out


def write_figures(dataset: Path, path: Path) -> str:
    """Rewrite the national figures: the hand-kept rows, then the dataset's; say what."""
    import csv as csv_module
    import io

    from mapapp.files import atomic_write
    from mapapp.records.figures import FIGURE_COLUMNS, load_national_figures

    sources = load_sources(dataset / "sources.csv")
    text = path.read_text(encoding="utf-8-sig")
    kept = [r for r in csv_module.DictReader(io.StringIO(text))
            if not r["note"].startswith(QUOTED)]  # fmt: skip
    new, left_out = figure_rows(dataset, sources)
    buffer = io.StringIO()
    writer = csv_module.DictWriter(buffer, fieldnames=FIGURE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept + new)
    atomic_write(path, buffer.getvalue().encode("utf-8"))
    load_national_figures(path)  # raises if a row is wrong
    return f"{len(kept)} kept and {len(new)} quoted figures ({left_out} left out)"


def main(argv: list[str] | None = None) -> int:
    """Build, check and write the records."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--out", type=Path, default=bundled.RECORDS)
    parser.add_argument("--check", action="store_true", help="check only, write nothing")
    parser.add_argument("--compare-ingest", action="store_true")
    parser.add_argument("--cache", type=Path, help="geocode cache (default: a scratch one)")
    args = parser.parse_args(argv)
    frame, left = build(args.dataset)
    with tempfile.TemporaryDirectory() as scratch:
        resolver = Resolver(cache_path=args.cache or Path(scratch) / "geocode.sqlite")
        try:
            if args.compare_ingest:
                lines = read_operations(args.dataset / "operations.jsonl")
                compare_ingest(
                    args.dataset / "articles", args.dataset / "sources.csv", lines, resolver
                )
            missing = unplaced(frame, resolver)
            pairs = duplicates(frame, resolver)
        finally:
            resolver.close()
    by_id = frame.set_index("id")
    for name in missing:
        print(f"not placed: {name}", file=sys.stderr)
    for a, b in pairs:
        print(
            f"one operation? {a} {list(by_id.loc[a, 'places'])} / "
            f"{b} {list(by_id.loc[b, 'places'])}",
            file=sys.stderr,
        )
    urls = {s["url"] for sources in frame["sources"] for s in sources if s["url"]}
    years = sorted({str(d)[:4] for d in frame["date"] if d})
    print(
        f"{len(frame)} records from {left['lines']} annotated lines "
        f"({left['excluded']} excluded, {left['no place']} without a place); "
        f"{len(urls)} source URLs; {len(years)} years ({', '.join(years)}); "
        f"{sum(1 for d in frame['date'] if not d)} undated"
    )
    if missing or pairs:
        print("not written: fix operations.jsonl first", file=sys.stderr)
        return 1
    if not args.check:
        save_records(frame, args.out)
        save_records(load_records(args.out), args.out)  # as the loader normalises it
        print(f"wrote {args.out}")
        figures = bundled.NATIONAL_FIGURES
        print(f"wrote {figures}: {write_figures(args.dataset, figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
