"""Records × geocoded places → one GeoDataFrame row per (operation, place point).

Thousands of operations share a few hundred towns, so each distinct
(place name, country hint) pair is resolved once, then the answers are spread
back over the operations with numpy indexing: each point row is an index into
the records and an index into a small table of the resolved points, so nothing
is geocoded, built or copied per row in Python.

A place that cannot be resolved is never dropped silently: it is listed in the
second frame with the resolver's reason, so the app and the CLI can say which
places are missing from the map and why.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from mapapp.points.notes import match_note, with_runner_ups
from places import Resolution, Resolver
from places.admin_names import NO_NAME, AdminNames

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
    which batches the cache look-ups and writes. A close choice carries its
    runner-up (:func:`mapapp.points.notes.with_runner_ups`), for the popup.
    """
    by_country: dict[str, set[str]] = {}
    # tolist(): iterating an Arrow-backed column directly costs a call per value.
    countries = records["country"].tolist()
    for places, country in zip(records["places"].tolist(), countries, strict=True):
        by_country.setdefault(country or "", set()).update(places)
    answers: dict[tuple[str, str], Resolution] = {}
    for country, names in by_country.items():
        resolved = resolver.resolve_many(sorted(names), country=country or None)
        answers.update(((name, country), res) for name, res in resolved.items())
    return with_runner_ups(answers, resolver)


def join_places(
    records: pd.DataFrame,
    answers: dict[tuple[str, str], Resolution],
    admin: AdminNames | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Spread the records over their geocoded places.

    Parameters
    ----------
    records : pandas.DataFrame
        As returned by :func:`mapapp.records.load_records`.
    answers : dict
        :func:`resolve_places` of the same records: geocoding is kept a step of its
        own so that callers can time it and reuse its answers.
    admin : places.admin_names.AdminNames, optional
        Names each point's admin1 and admin2 areas (``AdminNames.for_resolver(resolver)``);
        without it those columns are empty.

    Returns
    -------
    points : geopandas.GeoDataFrame
        EPSG:4326, one row per (operation, point). A compound name such as
        "Inezgane-Ait Melloul" gives one row per town it names. Columns:
        ``op_id``, ``place`` (as written), ``place_name`` (as resolved),
        ``country_code``, ``geonameid``, ``place_precision``, ``place_source``,
        ``place_note`` (a spelling variant or close call to check, or ""; see
        :func:`mapapp.points.notes.match_note`), ``admin1`` and ``admin2`` (the
        point's state or province and district,
        ``""`` when unknown: :mod:`places.admin_names`) and the operation's own
        columns (:data:`OPERATION_COLUMNS`).
    unresolved : pandas.DataFrame
        One row per (operation, place) that got no point, with the reason.
    """
    places = records["places"].tolist()
    countries = [country or "" for country in records["country"].tolist()]
    per_op = np.fromiter(map(len, places), dtype=np.intp, count=len(places))
    item_op = np.repeat(np.arange(len(places)), per_op)  # one item per (operation, place)
    item_place = np.fromiter(chain.from_iterable(places), dtype=object, count=len(item_op))
    item_country = np.repeat(np.array(countries, dtype=object), per_op)
    item_text = pd.array(item_place, dtype="str")
    # The few distinct (place, hint) pairs, numbered in order of first use; each item
    # refers to its pair ("\x1f" cannot be in a hint, which is empty or two letters).
    item_pair, _ = pd.factorize(
        pd.Series(item_text) + "\x1f" + pd.Series(item_country, dtype="str")
    )
    first_use = np.unique(item_pair, return_index=True)[1]
    first_pairs = zip(item_place[first_use], item_country[first_use], strict=True)
    resolutions = [answers[pair] for pair in first_pairs]
    table = _points_table(resolutions, admin)
    pair_points = np.array([len(res.points) for res in resolutions], dtype=np.intp)
    pair_first = np.cumsum(pair_points) - pair_points

    # Spread each item over its pair's points: item i gives pair_points[item_pair[i]] rows.
    item_points = pair_points[item_pair]
    point_item = np.repeat(np.arange(len(item_op)), item_points)
    first_point = np.repeat(np.cumsum(item_points) - item_points, item_points)
    point_row = pair_first[item_pair[point_item]] + np.arange(len(point_item)) - first_point

    # One shapely point per distinct place, shared by its rows (geometries are immutable).
    geometry = gpd.points_from_xy(table.pop("lon"), table.pop("lat"), crs="EPSG:4326")
    ops = records[["id", *OPERATION_COLUMNS]].take(item_op[point_item]).reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "op_id": ops["id"],
            "place": item_text.take(point_item),
            **{column: values.take(point_row) for column, values in table.items()},
            **{column: ops[column] for column in OPERATION_COLUMNS},
        }
    )
    points = gpd.GeoDataFrame(frame, geometry=geometry.take(point_row), crs="EPSG:4326")
    ids = records["id"].tolist()
    missing = [
        (ids[item_op[i]], item_place[i], item_country[i],
         resolutions[item_pair[i]].error or "not found")
        for i in np.flatnonzero(item_points == 0).tolist()
    ]  # fmt: skip
    unresolved = pd.DataFrame(missing, columns=list(UNRESOLVED_COLUMNS))
    return points, unresolved


def _points_table(resolutions: list[Resolution], admin: AdminNames | None) -> dict[str, Any]:
    """Every point of the distinct resolutions, in order, one array per column."""
    rows = [(pt, res) for res in resolutions for pt in res.points]
    names = [
        admin.of(
            pt.country_code, pt.lat, pt.lon, pt.geonameid, precision=res.precision, name=pt.name
        )
        if admin is not None
        else NO_NAME
        for pt, res in rows
    ]
    return {
        "place_name": pd.array([pt.name for pt, _ in rows], dtype="str"),
        "country_code": pd.array([pt.country_code for pt, _ in rows], dtype="str"),
        "geonameid": pd.array([pt.geonameid for pt, _ in rows], dtype="Int64"),
        "place_precision": pd.array([res.precision for _, res in rows], dtype="str"),
        "place_source": pd.array([res.source for _, res in rows], dtype="str"),
        "place_note": pd.array([match_note(res) for _, res in rows], dtype="str"),
        "admin1": pd.array([n.admin1 for n in names], dtype="str"),
        "admin2": pd.array([n.admin2 for n in names], dtype="str"),
        "lat": np.array([pt.lat for pt, _ in rows], dtype=float),
        "lon": np.array([pt.lon for pt, _ in rows], dtype=float),
    }
