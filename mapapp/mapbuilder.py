"""From the joined points to a ``folium.Map``: the one place a map is assembled.

The CLI export, the app and its download button all call :func:`build_map`, so
a shared file and the app show the same map.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np

from mapapp.assets import library_css, library_js
from mapapp.maplayer import OperationsLayer

# With nothing to show, a wide view of Africa, Europe and the Middle East.
EMPTY_VIEW = ((25.0, 10.0), 3)
# One point alone would otherwise fit at street level.
FIT_MAX_ZOOM = 10
# Places are city precision at best, so street level adds nothing, and every zoom
# level is one more level of clusters to build: 2..13 instead of 0..18 makes
# clustering 100,000 points several times faster.
MIN_ZOOM, MAX_ZOOM = 2, 13
# Keep points out from under the controls: zoom buttons and title (top left),
# legend (top right, about 260 px wide) and time control (bottom left).
FIT_PADDING_TOP_LEFT = (50, 60)
FIT_PADDING_BOTTOM_RIGHT = (290, 190)


def located(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows that have a usable point: others cannot be drawn."""
    if points.empty:
        return points
    geometry = points.geometry
    usable = ~geometry.values.isna() & ~geometry.is_empty & (geometry.geom_type == "Point")
    coords = geometry[usable]
    usable[usable] = np.isfinite(coords.x) & np.isfinite(coords.y)
    return points[usable]


def build_map(
    points: gpd.GeoDataFrame,
    *,
    offline: bool = True,
    title: str | None = None,
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """The map of ``points`` (one row per operation and place, EPSG:4326).

    Parameters
    ----------
    points
        The joined operations; rows without coordinates are left out.
    offline
        Embed every script and stylesheet as a ``data:`` URI so the HTML works
        with no network (tiles still need it; markers and controls do not).
    title
        A short title shown on the map and as the page title.
    tiles
        Any tile name or URL folium accepts, or None for no base map.

    Returns
    -------
    folium.Map
        Fitted to the points, or a wide default view when there are none.
    """
    shown = located(points)
    location, zoom = EMPTY_VIEW
    the_map = folium.Map(
        location=location,
        zoom_start=zoom,
        tiles=tiles,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        prefer_canvas=True,
        control_scale=True,
    )
    the_map.options.update(min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM)
    # Only Leaflet itself: folium's defaults also pull jQuery, Bootstrap and icon
    # fonts from CDNs, which nothing on this map uses.
    the_map.default_js = [("leaflet", library_js(offline)["leaflet"])]
    the_map.default_css = [("leaflet_css", library_css(offline)["leaflet_css"])]
    if title:
        the_map.get_root().title = html.escape(title)
    if len(shown):
        west, south, east, north = shown.total_bounds
        the_map.fit_bounds(
            [[float(south), float(west)], [float(north), float(east)]],
            padding_top_left=FIT_PADDING_TOP_LEFT,
            padding_bottom_right=FIT_PADDING_BOTTOM_RIGHT,
            max_zoom=FIT_MAX_ZOOM,
        )
    OperationsLayer(shown, title=title, offline=offline).add_to(the_map)
    return the_map
