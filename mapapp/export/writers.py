"""Writing the map and its points to files a journalist can share.

Files are written through :mod:`mapapp.files`: atomically, so an interrupted export
never leaves half a map where the previous one was, and, for an export of several
files, all or none.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from mapapp.files import atomic_write
from mapapp.map.build import located

COORD_DECIMALS = 6


def html_text(the_map: folium.Map) -> str:
    """The whole HTML page of ``the_map``."""
    return the_map.get_root().render()


def write_html(the_map: folium.Map, path: str | os.PathLike) -> Path:
    """Render ``the_map`` and write it to ``path`` as UTF-8, atomically."""
    return atomic_write(path, html_text(the_map))


def _json_value(value: Any) -> Any:
    """A record's value as plain JSON: tuples become lists, dates ISO strings, NA null."""
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _json_value(value.tolist())
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def geojson_text(points: gpd.GeoDataFrame) -> str:
    """A FeatureCollection with one Point per (operation, place) row that has coordinates.

    Every other column becomes a property. Rows without coordinates are left out,
    as they are from the map.
    """
    shown = located(points)
    properties = [c for c in shown.columns if c != shown.geometry.name] if len(shown) else []
    features = []
    for row, geom in zip(shown[properties].itertuples(index=False), shown.geometry, strict=True):
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(geom.x, COORD_DECIMALS), round(geom.y, COORD_DECIMALS)],
                },
                "properties": {k: _json_value(v) for k, v in zip(properties, row, strict=True)},
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False
    )


def write_geojson(points: gpd.GeoDataFrame, path: str | os.PathLike) -> Path:
    """Write :func:`geojson_text` of ``points`` to ``path`` as UTF-8, atomically."""
    return atomic_write(path, geojson_text(points))
