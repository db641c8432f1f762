"""Records × geocoded places → one GeoDataFrame row per (operation, place point).

Thousands of operations share a few hundred towns, so each distinct
(place name, country hint) pair is resolved once, then the answers are spread
back over the operations with plain list building — no per-row geocoding and no
per-row pandas operations.

A place that cannot be resolved is never dropped silently: it is listed in the
second frame with the resolver's reason, so the app and the CLI can say which
places are missing from the map and why.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from places import Resolution, Resolver

#: Columns every operation carries onto each of its points (see ``mapapp.records``).
OPERATION_COLUMNS = (
    "date",
    "date_precision",
    "date_start",
    "date_end",
    "country",
    "arrested",
    "affiliation",
    "affiliation_as_written",
    "agencies",
    "places",
    "summary",
    "sources",
)

UNRESOLVED_COLUMNS = ("op_id", "place", "country", "reason")


def resolve_places(records: pd.DataFrame, resolver: Resolver) -> dict[tuple[str, str], Resolution]:
    """Resolve every distinct (place, country hint) of ``records`` exactly once.

    Names are grouped by hint so that each group is one ``resolve_many`` call,
    which batches the cache look-ups and writes.
    """
    by_country: dict[str, set[str]] = {}
    for places, country in zip(records["places"], records["country"], strict=True):
        by_country.setdefault(country or "", set()).update(places)
    answers: dict[tuple[str, str], Resolution] = {}
    for country, names in by_country.items():
        resolved = resolver.resolve_many(sorted(names), country=country or None)
        answers.update(((name, country), res) for name, res in resolved.items())
    return answers


def join_places(
    records: pd.DataFrame, answers: dict[tuple[str, str], Resolution]
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Spread the records over their geocoded places.

    Parameters
    ----------
    records : pandas.DataFrame
        As returned by :func:`mapapp.records.load_records`.
    answers : dict
        :func:`resolve_places` of the same records: geocoding is kept a step of its
        own so that callers can time it and reuse its answers.

    Returns
    -------
    points : geopandas.GeoDataFrame
        EPSG:4326, one row per (operation, point). A compound name such as
        "Inezgane-Ait Melloul" gives one row per town it names. Columns:
        ``op_id``, ``place`` (as written), ``place_name`` (as resolved),
        ``country_code``, ``geonameid``, ``place_precision``, ``place_source``
        and the operation's own columns (:data:`OPERATION_COLUMNS`).
    unresolved : pandas.DataFrame
        One row per (operation, place) that got no point, with the reason.
    """
    rows: list[int] = []
    point_cols: dict[str, list] = {
        k: []
        for k in (
            "op_id",
            "place",
            "place_name",
            "country_code",
            "geonameid",
            "place_precision",
            "place_source",
            "lat",
            "lon",
        )
    }
    missing: list[tuple[str, str, str, str]] = []
    for i, (op_id, places, country) in enumerate(
        zip(records["id"], records["places"], records["country"], strict=True)
    ):
        for place in places:
            res = answers[(place, country or "")]
            if not res.points:
                missing.append((op_id, place, country or "", res.error or "not found"))
                continue
            for pt in res.points:
                rows.append(i)
                point_cols["op_id"].append(op_id)
                point_cols["place"].append(place)
                point_cols["place_name"].append(pt.name)
                point_cols["country_code"].append(pt.country_code)
                point_cols["geonameid"].append(pt.geonameid)
                point_cols["place_precision"].append(res.precision)
                point_cols["place_source"].append(res.source)
                point_cols["lat"].append(pt.lat)
                point_cols["lon"].append(pt.lon)

    ops = records.iloc[rows].reset_index(drop=True)
    frame = pd.DataFrame(point_cols)
    frame["geonameid"] = frame["geonameid"].astype("Int64")
    for col in OPERATION_COLUMNS:
        frame[col] = ops[col].to_numpy() if len(ops) else pd.Series([], dtype=object)
    if len(ops):
        frame["arrested"] = frame["arrested"].astype("Int64")
    points = gpd.GeoDataFrame(
        frame.drop(columns=["lat", "lon"]),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )
    unresolved = pd.DataFrame(missing, columns=list(UNRESOLVED_COLUMNS))
    return points, unresolved
