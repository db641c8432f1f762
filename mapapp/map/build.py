"""From the joined points to a ``folium.Map``: the one place a map is assembled.

The CLI export, the app and its download button all call :func:`build_map`, so
a shared file and the app show the same map.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

from mapapp.map.assets import countries_css, countries_js, library_css, library_js
from mapapp.map.layer import OperationsLayer
from mapapp.map.view import view_bounds

# With nothing to show, a wide view of Africa, Europe and the Middle East.
EMPTY_VIEW = ((25.0, 10.0), 3)
# One point alone would otherwise fit at street level.
FIT_MAX_ZOOM = 10
# Places are city precision at best, so street level adds nothing, and every zoom
# level is one more level of clusters to build: 2..13 instead of 0..18 makes
# clustering 100,000 points several times faster.
MIN_ZOOM, MAX_ZOOM = 2, 13
# Fit the points into the free middle of the map, out from under the controls:
# zoom buttons (top left, 50 x 75 px with margins) and the title below them (to
# about 150 px from the top for two lines), the legend (top right, 290 px wide
# with margins, as tall as its groups) and the time control above the scale bar
# (bottom left, about 240 px from the bottom). A rectangle is what fitBounds
# takes, so each side clears the control that reaches furthest in on that side.
FIT_PADDING_TOP_LEFT = (50, 80)
FIT_PADDING_TOP_LEFT_TITLED = (50, 160)
FIT_PADDING_BOTTOM_RIGHT = (300, 245)


class CountryOutlines(JSCSSMixin, MacroElement):
    """Natural Earth country outlines and names below the tiles (``static/countries.js``).

    The base map of a map opened with no network: the tiles cover it when they
    load. Its topology is about 0.75 MB, so it is added only to offline maps;
    a map that loads Leaflet from a CDN has the network for its tiles.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.opsCountries({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CountryOutlines"
        self.default_js = list(countries_js())
        self.default_css = [("countries_css", countries_css())]


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
        with no network, and draw country outlines under the tiles so that it
        still shows where the markers are when the tiles cannot load.
    title
        A short title shown on the map and as the page title.
    tiles
        Any tile name or URL folium accepts, or None for no base map.

    Returns
    -------
    folium.Map
        Fitted to where most points are (a lone far point is drawn but left out of
        the opening view: :func:`mapapp.map.view.view_bounds`), or a wide default
        view when there are none.

    Raises
    ------
    mapapp.map.assets.BasemapError
        Offline, when a shipped file of the country outlines is missing or altered.
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
    if offline:
        CountryOutlines().add_to(the_map)
    if title:
        the_map.get_root().title = html.escape(title)
    bounds = view_bounds(shown.geometry.y, shown.geometry.x) if len(shown) else None
    if bounds is not None:
        # Where most points are (mapapp.map.view): a lone far point is drawn, not framed.
        south, west, north, east = bounds
        the_map.fit_bounds(
            [[float(south), float(west)], [float(north), float(east)]],
            padding_top_left=FIT_PADDING_TOP_LEFT_TITLED if title else FIT_PADDING_TOP_LEFT,
            padding_bottom_right=FIT_PADDING_BOTTOM_RIGHT,
            max_zoom=FIT_MAX_ZOOM,
        )
    OperationsLayer(shown, title=title, offline=offline).add_to(the_map)
    return the_map
