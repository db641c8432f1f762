"""``python benchmarks/bench_ingest.py``: extraction at --jobs 1 and N, and the merge.

Extraction: 2,000 articles made by *replicating* the corpus articles of
``eval/corpus/*/articles`` (copies under new names, cycling through them; real
reports, so every rule runs as on real input), read by a whole
``python -m mapapp extract FOLDER --json --jobs J`` process, runs of 1 and N jobs
alternated so that both meet the same load, after one untimed run that fills the
geocode cache. The outputs of all runs are checked to be the same bytes.

Merge: N generated candidates (``bench.write_records``: real towns, one to three
each, day, month and year dates and undated ones) merged into an empty records
file in process (:func:`mapapp.records.merge.merge_operations`, the geocoding of
their names cached by an untimed run), and at 10,000 also the former merge
(compare every row at a candidate's towns) as the baseline of the ratio.

Every figure is the median of several runs; ratios are of medians measured in this
run. The machine is shared: ``os.getloadavg()`` is recorded before each run and
printed with the figures, because a busy core slows the parallel runs most.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import write_records  # noqa: E402

from mapapp.records import empty_records, load_records  # noqa: E402
from mapapp.records.merge import merge_operations, merge_operations_by_place  # noqa: E402
from places import Resolver  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "eval" / "corpus"


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def replicate_articles(folder: Path, n: int) -> int:
    """Fill ``folder`` with ``n`` copies of the corpus articles; return how many distinct."""
    sources = sorted(CORPUS.glob("*/articles/*.txt"))
    for i in range(n):
        source = sources[i % len(sources)]
        shutil.copyfile(source, folder / f"{i:05d}-{source.name}")
    return len(sources)


def _extract_once(folder: Path, jobs: int, env: dict) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "mapapp", "extract", str(folder), "--json", "--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start, hashlib.sha256(done.stdout).hexdigest()


def bench_extract(work: Path, env: dict, *, articles: int, jobs: int, runs: int) -> dict:
    """Median whole-process ``extract`` at 1 and ``jobs`` jobs, alternated."""
    folder = work / "articles"
    folder.mkdir()
    distinct = replicate_articles(folder, articles)
    _, reference = _extract_once(folder, 1, env)  # fills the geocode cache
    times: dict[int, list[float]] = {1: [], jobs: []}
    loads: dict[int, list[float]] = {1: [], jobs: []}
    same = True
    for _ in range(runs):
        for j in (1, jobs):
            loads[j].append(_load())
            seconds, digest = _extract_once(folder, j, env)
            times[j].append(round(seconds, 2))
            same = same and digest == reference
    one, many = statistics.median(times[1]), statistics.median(times[jobs])
    return {
        "articles": articles,
        "distinct_articles": distinct,
        "how": "replicated corpus articles (copies, cycling), warm geocode cache",
        "jobs": jobs,
        "median_s": {"1": one, str(jobs): many},
        "runs_s": {str(k): v for k, v in times.items()},
        "load_before_runs": {str(k): v for k, v in loads.items()},
        "speedup": round(one / many, 2),
        "articles_per_s": {"1": round(articles / one), str(jobs): round(articles / many)},
        "same_output": same,
    }


def _time_merge(merge, candidates, resolver, runs: int) -> tuple[list[float], list[float], object]:
    times, loads, report = [], [], None
    for _ in range(runs):
        loads.append(_load())
        start = time.perf_counter()
        report = merge(empty_records(), candidates, resolver)
        times.append(round(time.perf_counter() - start, 2))
    return times, loads, report


def bench_merge(work: Path, sizes: list[int], runs: int, baseline_at: int) -> list[dict]:
    """Median in-process merge of N generated candidates into empty records."""
    out = []
    with Resolver(cache_path=work / "merge.sqlite") as resolver:
        for n in sizes:
            path = work / f"candidates-{n}.csv"
            write_records(path, n)
            candidates = load_records(path)
            merge_operations(empty_records(), candidates, resolver)  # caches the names
            times, loads, report = _time_merge(merge_operations, candidates, resolver, runs)
            figures = {
                "candidates": n,
                "median_s": statistics.median(times),
                "runs_s": times,
                "load_before_runs": loads,
                "added": len(report.added),
                "merged": len(report.merged),
            }
            if n == baseline_at:
                old_times, old_loads, old = _time_merge(
                    merge_operations_by_place, candidates, resolver, runs
                )
                figures["former_merge"] = {
                    "median_s": statistics.median(old_times),
                    "runs_s": old_times,
                    "load_before_runs": old_loads,
                    "same_result": (old.added, old.merged) == (report.added, report.merged)
                    and old.records.equals(report.records),
                }
                figures["speedup_vs_former"] = round(
                    figures["former_merge"]["median_s"] / figures["median_s"], 1
                )
            out.append(figures)
    return out


def run(*, articles: int = 2000, jobs: int = 2, runs: int = 3, sizes=(10_000, 100_000)) -> dict:
    """All the figures, in one JSON-able dict."""
    with Resolver() as resolver:  # the user's name index, built once
        index = resolver.index_path
    started_load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "PLACES_CACHE": str(work / "geocode.sqlite"),
            "PLACES_INDEX": str(index),
        }
        result = {
            "machine": {
                "cpus": os.cpu_count(),
                "python": sys.version.split()[0],
                "loadavg_at_start": [round(x, 2) for x in started_load],
            },
            "extract": bench_extract(work, env, articles=articles, jobs=jobs, runs=runs),
            "merge": bench_merge(work, list(sizes), runs, baseline_at=min(sizes)),
        }
    result["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> int:
    """Print the figures as one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--candidates", type=int, action="append", metavar="N",
                        help="merge sizes (repeatable; default 10000 and 100000)")  # fmt: skip
    args = parser.parse_args()
    sizes = tuple(args.candidates or (10_000, 100_000))
    print(
        json.dumps(
            run(articles=args.articles, jobs=args.jobs, runs=args.runs, sizes=sizes), indent=2
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
