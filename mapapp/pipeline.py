"""The export path, step by step: load, geocode, join, build, write.

One function serves the command line and the benchmark, so the figures the
benchmark prints are those of the code users run. Each step's wall time is
recorded in ``ExportResult.timings``.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mapapp.export import write_geojson, write_html
from mapapp.filters import Selection
from mapapp.join import join_places, resolve_places
from mapapp.mapbuilder import build_map
from mapapp.records import load_records, save_records
from places import Resolver


@dataclass
class ExportResult:
    """What an export wrote, what it could not place, and how long each step took."""

    records: int
    chosen: int
    points: int
    unresolved: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def _timed(timings: dict[str, float], step: str):
    start = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - start


def export_map(
    records_path: Path,
    out: Path,
    *,
    selection: Selection,
    resolver: Resolver,
    self_contained: bool = False,
    title: str | None = None,
    geojson: Path | None = None,
    csv: Path | None = None,
) -> ExportResult:
    """Write the map (and optionally GeoJSON and CSV) of the selected records."""
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        records = load_records(records_path)
        chosen = selection.apply(records)
    with _timed(timings, "geocode"):
        answers = resolve_places(chosen, resolver)
    with _timed(timings, "join"):
        points, unresolved = join_places(chosen, answers)
    with _timed(timings, "build"):
        the_map = build_map(points, offline=self_contained, title=title)
    with _timed(timings, "write"):
        write_html(the_map, out)
        if geojson:
            write_geojson(points, geojson)
        if csv:
            save_records(chosen, csv)
    return ExportResult(len(records), len(chosen), len(points), unresolved, timings)
