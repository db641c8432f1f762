"""build_map: the assembled folium map, its assets and what the rendered page contains."""

import base64
import json
import re
import shutil

import pytest
from folium.map import FitBounds
from map_fixtures import TOWNS, empty_points, make_points, many_points

from mapapp.export.writers import html_text
from mapapp.map import assets
from mapapp.map.build import (
    FIT_PADDING_BOTTOM_RIGHT,
    FIT_PADDING_TOP_LEFT,
    FIT_PADDING_TOP_LEFT_TITLED,
    build_map,
)
from mapapp.map.layer import OperationsLayer

SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]*)"')
STYLESHEET_HREF = re.compile(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]*)"')
PAYLOAD = re.compile(r"L\.operationsLayer\(\s*\w+,\s*(.*?)\s*\);\s*$", re.S | re.M)


def layer_of(the_map):
    (layer,) = [c for c in the_map._children.values() if isinstance(c, OperationsLayer)]
    return layer


def decoded(uri):
    return base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")


def test_rendered_payload_is_the_layer_data():
    the_map = build_map(make_points(), title="Arrests")
    (payload,) = PAYLOAD.findall(html_text(the_map))
    assert json.loads(payload) == layer_of(the_map).data


def test_map_fits_its_points():
    the_map = build_map(make_points())
    (fit,) = [c for c in the_map._children.values() if isinstance(c, FitBounds)]
    (south, west), (north, east) = fit.bounds
    lats, lons = zip(*TOWNS.values(), strict=True)
    assert (south, west, north, east) == (min(lats), min(lons), max(lats), max(lons))
    assert fit.options["maxZoom"] == 10
    assert fit.options["paddingTopLeft"] == FIT_PADDING_TOP_LEFT
    assert fit.options["paddingBottomRight"] == FIT_PADDING_BOTTOM_RIGHT


def test_a_titled_map_keeps_its_points_below_the_title():
    the_map = build_map(make_points(), title="Arrests")
    (fit,) = [c for c in the_map._children.values() if isinstance(c, FitBounds)]
    assert fit.options["paddingTopLeft"] == FIT_PADDING_TOP_LEFT_TITLED


def test_empty_map_renders_with_a_default_view():
    the_map = build_map(empty_points())
    page = html_text(the_map)
    assert not [c for c in the_map._children.values() if isinstance(c, FitBounds)]
    assert layer_of(the_map).data["ops"] == []
    assert "L.operationsLayer(" in page
    assert "No operations match" in decoded(assets.layer_js())


def test_offline_map_loads_only_leaflet_markercluster_outlines_and_the_layer():
    page = html_text(build_map(make_points(), offline=True))
    scripts, sheets = SCRIPT_SRC.findall(page), STYLESHEET_HREF.findall(page)
    assert len(scripts) == 6
    assert len(sheets) == 4
    assert all(url.startswith("data:") for url in scripts + sheets)
    lowered = page.lower()
    for unwanted in ("jquery", "bootstrap", "awesome", "glyphicons", "font-awesome"):
        assert unwanted not in lowered


def test_online_map_takes_leaflet_from_the_cdn_and_the_layer_inline():
    page = html_text(build_map(make_points(), offline=False))
    scripts = SCRIPT_SRC.findall(page)
    assert scripts == [assets.CDN_JS["leaflet"], assets.CDN_JS["markercluster"], assets.layer_js()]
    assert "L.opsCountries(" not in page  # its tiles come from the same network


def test_offline_map_embeds_the_country_outlines_once_as_data_uris():
    page = html_text(build_map(make_points(), offline=True))
    scripts = SCRIPT_SRC.findall(page)
    outline_js = dict(assets.countries_js())
    # After Leaflet, before the script that calls them.
    assert scripts[1:4] == list(outline_js.values())
    assert assets.countries_css() in STYLESHEET_HREF.findall(page)
    assert page.count(outline_js["country_topology"]) == 1
    assert page.count("L.opsCountries(") == 1
    assert "topojson-client v3.1.0" in decoded(outline_js["topojson_client"])
    topology = decoded(outline_js["country_topology"])
    assert topology.startswith("window.opsCountryTopology={")
    data = json.loads(topology.removeprefix("window.opsCountryTopology=").removesuffix(";"))
    names = {c["properties"]["name"] for c in data["objects"]["countries"]["geometries"]}
    assert {"Morocco", "Spain", "Belgium", "Algeria"} <= names
    drawing = decoded(outline_js["countries"])
    for fragment in ("createPane(PANE)", "PANE_Z_INDEX = 150", "interactive: false", "#f4f1ea"):
        assert fragment in drawing, fragment
    assert "innerHTML" not in drawing


def test_outline_assets_are_cached():
    assert assets.countries_js() is assets.countries_js()
    assert assets.countries_css() is assets.countries_css()


def test_a_missing_or_altered_base_map_file_is_refused(tmp_path, monkeypatch):
    """The outlines ship in the package; a missing or altered file is a clear error."""
    basemap = tmp_path / "basemap"
    shutil.copytree(assets.BASEMAP_DIR, basemap)
    monkeypatch.setattr(assets, "BASEMAP_DIR", basemap)
    assert assets.countries_js.__wrapped__()  # an intact copy draws
    (basemap / assets.COUNTRIES_TOPOJSON).write_text('{"type":"Topology"}')
    with pytest.raises(assets.BasemapError, match="sha256 differs"):
        assets.countries_js.__wrapped__()
    (basemap / assets.COUNTRIES_TOPOJSON).unlink()
    with pytest.raises(assets.BasemapError, match="reinstall the package"):
        assets.countries_js.__wrapped__()


def test_assets_come_from_the_installed_packages_and_are_cached():
    js = assets.library_js(True)
    assert "L.MarkerClusterGroup" in decoded(js["markercluster"])
    assert 'version="1.9.3"' in decoded(js["leaflet"])
    assert "sourceMappingURL" not in decoded(js["leaflet"])
    assert "images/" not in decoded(assets.library_css(True)["leaflet_css"])
    assert assets.library_js(True)["leaflet"] is js["leaflet"]
    assert assets.layer_js() is assets.layer_js()


def test_layer_script_has_the_controls_a_journalist_uses():
    script = decoded(assets.layer_js())
    for fragment in (
        "L.canvas(",
        "L.circleMarker(",
        "L.markerClusterGroup(",
        "chunkedLoading: true",
        "cluster.clearLayers()",
        "cluster.addLayers(visible)",
        "Group (as reported)",  # legend
        "type = 'checkbox'",  # legend toggles and "include undated"
        "type = 'range'",  # time sliders
        "Include undated operations",
        "▶ Play",
        "people arrested shown",
        "(year only)",
        "not reported",
        "noopener noreferrer",
        "textContent",
    ):
        assert fragment in script, fragment
    assert "innerHTML" not in script


def test_title_is_shown_and_escaped_in_the_page_title():
    page = html_text(build_map(make_points(), title="Arrests <b>2017</b> & after"))
    assert "<title>Arrests &lt;b&gt;2017&lt;/b&gt; &amp; after</title>" in page
    assert '"title":"Arrests \\u003cb\\u003e2017\\u003c/b\\u003e \\u0026 after"' in page


def test_background_is_the_sea_when_tiles_cannot_load():
    assert ".leaflet-container.ops-map {\n  background: #dfe8ee;" in decoded(assets.layer_css())


def test_a_large_map_stays_compact():
    """The payload is what grows with the data: well under 400 bytes per operation."""
    small = len(html_text(build_map(many_points(10))))
    large = len(html_text(build_map(many_points(5010))).encode("utf-8"))
    assert (large - small) / 5000 <= 400
