"""Benchmark of places/: index build, first query in a new process, cold and warm runs.

Run ``python benchmarks/bench_places.py [--names 1000]``.  Everything goes to a
temporary directory (cache and index), so the user's cache is untouched; no
network is used.  Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from places import Resolver  # noqa: E402
from places.gazetteer import CITIES_FILE, build_index  # noqa: E402

FIRST_QUERY = """
import time
started = time.perf_counter()
from places import Resolver
imported = time.perf_counter()
with Resolver() as r:
    res = r.resolve("Kenitra", country="MA")
done = time.perf_counter()
assert res.ok and r.stats.backend_calls == 1
print(imported - started, done - imported)
"""

INDEX_LOAD = """
import time
from places.gazetteer import Gazetteer
started = time.perf_counter()
g = Gazetteer({path!r})
opened = time.perf_counter()
g.lookup("casablanca")
print(opened - started, time.perf_counter() - opened)
"""


def sample_names(count: int) -> list[str]:
    """Return ``count`` distinct real names: the most populous places of each country in turn."""
    cities = json.loads(CITIES_FILE.read_text(encoding="utf-8"))
    by_country: dict[str, list[dict]] = {}
    for row in cities.values():
        by_country.setdefault(row["countrycode"], []).append(row)
    for rows in by_country.values():
        rows.sort(key=lambda r: -r["population"])
    names: dict[str, None] = {}
    depth = 0
    while len(names) < count:
        for rows in by_country.values():
            if depth < len(rows) and len(names) < count:
                names.setdefault(rows[depth]["name"])
        depth += 1
    return list(names)


def is_refused(res) -> bool:
    """Refused names (stop words, codes) are answered before the cache, never stored."""
    return (res.error or "").startswith("refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--names", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-places-") as tmp:
        tmp = Path(tmp)
        index = tmp / "geonames-index.sqlite"
        started = time.perf_counter()
        build_index(index)
        build_s = time.perf_counter() - started

        env = {**os.environ, "PLACES_CACHE": str(tmp / "first.sqlite"), "PLACES_INDEX": str(index)}
        load = subprocess.run(
            [sys.executable, "-c", INDEX_LOAD.format(path=str(index))],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        open_s, lookup_s = map(float, load.stdout.split())
        started = time.perf_counter()
        first = subprocess.run(
            [sys.executable, "-c", FIRST_QUERY],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        first_wall_s = time.perf_counter() - started
        import_s, query_s = map(float, first.stdout.split())

        names = sample_names(args.names)
        with Resolver(cache_path=tmp / "cache.sqlite", index_path=index) as resolver:
            started = time.perf_counter()
            cold = resolver.resolve_many(names)
            cold_s = time.perf_counter() - started
            cold_calls = resolver.stats.backend_calls
        with Resolver(cache_path=tmp / "cache.sqlite", index_path=index) as resolver:
            started = time.perf_counter()
            warm = resolver.resolve_many(names)
            warm_s = time.perf_counter() - started
            warm_calls = resolver.stats.backend_calls
        resolved = sum(res.ok for res in cold.values())
        print(
            json.dumps(
                {
                    "index_build_s": round(build_s, 2),
                    "index_size_mb": round(index.stat().st_size / 1e6, 1),
                    "index_open_s": round(open_s, 4),
                    "index_first_lookup_s": round(lookup_s, 4),
                    "first_query_new_process": {
                        "wall_s": round(first_wall_s, 3),
                        "import_places_s": round(import_s, 3),
                        "resolve_s": round(query_s, 3),
                    },
                    "names": len(names),
                    "resolved": resolved,
                    "unresolved_reasons": {
                        kind: sum((res.error or "").startswith(kind) for res in cold.values())
                        for kind in ("ambiguous", "not found", "refused")
                    },
                    "cold_s": round(cold_s, 3),
                    "cold_backend_calls": cold_calls,
                    "warm_s": round(warm_s, 4),
                    "warm_backend_calls": warm_calls,
                    "warm_all_cached": all(
                        res.cached for res in warm.values() if not is_refused(res)
                    ),
                    "warm_over_cold": round(warm_s / cold_s, 4),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
