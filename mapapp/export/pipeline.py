"""The export path, step by step: load, geocode, join, build, write.

One function serves the command line and the benchmark, so the figures the
benchmark prints are those of the code users run. Each step's wall time is
recorded in ``ExportResult.timings``. The files asked for are written all or none,
and never over an input.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mapapp.errors import MapappError
from mapapp.export.writers import geojson_text, html_text
from mapapp.files import writing
from mapapp.map.build import build_map
from mapapp.points.filters import Selection
from mapapp.points.join import join_places, resolve_places
from mapapp.records import load_records, records_csv_text
from mapapp.records.acled import acled_csv_text
from places import Resolver
from places.admin_names import AdminNames


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


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links, bind mounts
    except OSError:
        return False


def refuse_overwriting(outputs: dict[str, Path | None], inputs: dict[str, Path | None]) -> None:
    """Stop before any work when an output would replace an input or another output.

    Parameters
    ----------
    outputs, inputs : dict
        Option name (as the user typed it, e.g. ``--out``) to path, None when unset.

    Raises
    ------
    MapappError
        Naming both options and the path.
    """
    named_outputs = [(option, path) for option, path in outputs.items() if path]
    for position, (option, path) in enumerate(named_outputs):
        others = [*named_outputs[:position], *((o, p) for o, p in inputs.items() if p)]
        for other, other_path in others:
            if _same_file(path, other_path):
                raise MapappError(
                    f"{option} {path} is also {other}: it would be overwritten; "
                    "choose another output path"
                )


def export_map(
    records_path: Path,
    out: Path | None,
    *,
    selection: Selection,
    resolver: Resolver,
    self_contained: bool = False,
    title: str | None = None,
    geojson: Path | None = None,
    csv: Path | None = None,
    acled: Path | None = None,
    inputs: dict[str, Path | None] | None = None,
) -> ExportResult:
    """Write the map (and optionally GeoJSON, CSV and ACLED CSV) of the selected records.

    ``out`` may be None when another output is asked for (``acled``: ACLED-style
    rows, :mod:`mapapp.records.acled`).

    ``inputs`` names other files the run reads (option to path: the overrides, the
    cache), which no output may replace either.

    Raises
    ------
    MapappError
        When an output is an input (see :func:`refuse_overwriting`), or a records
        problem (:class:`mapapp.records.RecordsError`); nothing is written then.
    """
    refuse_overwriting(
        {"--out": out, "--geojson": geojson, "--csv": csv, "--acled": acled},
        {"--records": records_path, **(inputs or {})},
    )
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        records = load_records(records_path)
        chosen = selection.apply(records)
    with _timed(timings, "geocode"):
        answers = resolve_places(chosen, resolver)
    with _timed(timings, "join"):
        points, unresolved = join_places(chosen, answers, AdminNames.for_resolver(resolver))
    with _timed(timings, "build"):
        the_map = build_map(points, offline=self_contained, title=title) if out else None
    with _timed(timings, "write"), writing() as batch:
        if out and the_map is not None:
            batch.write(out, html_text(the_map))
        if acled:
            batch.write(acled, acled_csv_text(points))
        if geojson:
            batch.write(geojson, geojson_text(points))
        if csv:
            batch.write(csv, records_csv_text(chosen))
    return ExportResult(len(records), len(chosen), len(points), unresolved, timings)
