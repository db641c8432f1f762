"""Fake operations in real Moroccan towns, shaped like the joined points the map takes.

``make_points()`` gives a GeoDataFrame with one row per (operation, place) and every
column ``build_map`` reads. ``make_points(hostile=True)`` also puts markup and script
URLs in every text field of one more operation, for escaping tests.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

# (lat, lon) of the town centres.
TOWNS = {
    "Casablanca": (33.5731, -7.5898),
    "Mohammedia": (33.6866, -7.3830),
    "Rabat": (34.0209, -6.8416),
    "Kenitra": (34.2610, -6.5802),
    "Tangier": (35.7595, -5.8340),
    "Tetouan": (35.5785, -5.3684),
    "Fes": (34.0181, -5.0078),
    "Nador": (35.1681, -2.9335),
    "Oujda": (34.6814, -1.9086),
    "Marrakesh": (31.6295, -7.9811),
    "Azilal": (31.9609, -6.5716),
    "Agadir": (30.4278, -9.5981),
}

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
)
HOSTILE_URL = "javascript:alert(1)"

# op_id, date, precision, places, arrested, affiliation, as written, agencies
OPERATIONS = [
    ("op1", "2022-01-04", "day", ["Casablanca", "Mohammedia"], 4, "ISIS", "Daesh", ["BCIJ"]),
    ("op2", "2021-03", "month", ["Tangier"], 2, "ISIS", "ISIS", ["BCIJ", "DGST"]),
    ("op3", "2019", "year", ["Fes"], None, "Al-Qaeda", "AQIM", ["DGST"]),
    ("op4", "", "unknown", ["Kenitra"], 1, "unknown", "", []),
    (
        "op5",
        "2020-09-10",
        "day",
        ["Rabat", "Tetouan", "Nador"],
        15,
        "Tetouan cell",
        "خلية تطوان",
        ["BCIJ"],
    ),
    ("op6", "2023-05-20", "day", ["Marrakesh"], 3, "ISIS", "Islamic State", ["BCIJ"]),
    ("op7", "2018-02", "month", ["Oujda"], 5, "Al-Qaeda", "Al-Qaeda", []),
    ("op8", "2022-11-02", "day", ["Agadir"], 7, "unknown", "", ["Gendarmerie"]),
    ("op9", "2017", "year", ["Azilal"], 9, "ISIS", "ISIS", ["BCIJ"]),
]


def _bounds(date: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if precision == "unknown":
        return pd.NaT, pd.NaT
    start = pd.Timestamp(date)
    offset = {
        "day": pd.offsets.Day(0),
        "month": pd.offsets.MonthEnd(0),
        "year": pd.offsets.YearEnd(0),
    }[precision]
    return start, start + offset


def _rows(op_id, date, precision, places, arrested, affiliation, as_written, agencies):
    start, end = _bounds(date, precision)
    sources = (
        {
            "name": "Hespress",
            "title": f"Cell dismantled ({op_id})",
            "url": f"https://example.org/{op_id}",
            "published": date or "2020-01-01",
        },
        {"name": "MAP", "title": "", "url": "", "published": ""},
    )
    for place in places:
        lat, lon = TOWNS[place]
        yield {
            "op_id": op_id,
            "date": date,
            "date_precision": precision,
            "date_start": start,
            "date_end": end,
            "place": place,
            "place_name": place,
            "country_code": "MA",
            "place_precision": "city",
            "arrested": arrested,
            "affiliation": affiliation,
            "affiliation_as_written": as_written,
            "agencies": tuple(agencies),
            "places": tuple(places),
            "summary": f"Security services arrested suspects in {', '.join(places)}.",
            "sources": sources,
            "geometry": Point(lon, lat),
        }


def _hostile_rows():
    """An undated operation whose every text field is an attack, in two places."""
    h1, h2, h3 = HOSTILE
    source = {"name": h1, "title": h2, "url": HOSTILE_URL, "published": h3}
    for place, town in ((h1, "Rabat"), (h3, "Fes")):
        lat, lon = TOWNS[town]
        yield {
            "op_id": h2,
            "date": h2,
            "date_precision": "unknown",
            "date_start": pd.NaT,
            "date_end": pd.NaT,
            "place": place,
            "place_name": h2,
            "country_code": h3,
            "place_precision": h1,
            "arrested": 2,
            "affiliation": h1,
            "affiliation_as_written": h3,
            "agencies": (h1, h2),
            "places": HOSTILE,
            "summary": " ".join(HOSTILE),
            "sources": (source,),
            "geometry": Point(lon, lat),
        }


def make_points(*, hostile: bool = False) -> gpd.GeoDataFrame:
    """The fake operations as joined points (EPSG:4326)."""
    rows = [row for op in OPERATIONS for row in _rows(*op)]
    if hostile:
        rows += list(_hostile_rows())
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    frame["arrested"] = frame["arrested"].astype("Int64")
    return frame


def empty_points() -> gpd.GeoDataFrame:
    """The same columns with no rows."""
    return make_points().iloc[0:0]


def many_points(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` one-place operations scattered around the towns, for size and speed checks."""
    rng = np.random.default_rng(seed)
    names = list(TOWNS)
    town = rng.integers(0, len(names), n)
    lat = np.array([TOWNS[names[i]][0] for i in town]) + rng.normal(0, 0.3, n)
    lon = np.array([TOWNS[names[i]][1] for i in town]) + rng.normal(0, 0.3, n)
    start = pd.Timestamp("2005-01-01") + pd.to_timedelta(rng.integers(0, 7000, n), unit="D")
    groups = np.array(["ISIS", "Al-Qaeda", "unknown", "AQIM", "Tetouan cell"])
    places = [names[i] for i in town]
    return gpd.GeoDataFrame(
        {
            "op_id": [f"op{i}" for i in range(n)],
            "date": start.strftime("%Y-%m-%d"),
            "date_precision": "day",
            "date_start": start,
            "date_end": start,
            "place": places,
            "place_name": places,
            "country_code": "MA",
            "place_precision": "city",
            "arrested": pd.array(rng.integers(1, 20, n), dtype="Int64"),
            "affiliation": groups[rng.integers(0, len(groups), n)],
            "affiliation_as_written": "",
            "agencies": [("BCIJ",)] * n,
            "places": [(p,) for p in places],
            "summary": [
                f"The BCIJ dismantled a cell of {i % 9 + 2} suspects in {p}."
                for i, p in enumerate(places)
            ],
            "sources": [
                (
                    {
                        "name": "Hespress",
                        "title": "Terror cell dismantled",
                        "url": f"https://en.hespress.com/{i}.html",
                        "published": "2020-01-01",
                    },
                )
                for i in range(n)
            ],
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


def records_from_rows(tmp_path, *rows):
    """Write records CSV rows (under the records header) to a file and load them."""
    from mapapp.records import COLUMNS, load_records

    path = tmp_path / "records.csv"
    path.write_text("\n".join([",".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    return load_records(path)
