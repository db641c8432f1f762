"""Writing the map and the points: atomic files, offline HTML, escaped hostile text, GeoJSON."""

import json
import os
import re

import pytest
from map_fixtures import HOSTILE, HOSTILE_URL, empty_points, make_points
from shapely.geometry import Point

from mapapp.export import writers as export
from mapapp.export.writers import geojson_text, html_text, write_geojson, write_html
from mapapp.map import assets
from mapapp.map.build import build_map

PAYLOAD = re.compile(r"L\.operationsLayer\(\s*\w+,\s*(.*?)\s*\);\s*$", re.S | re.M)


@pytest.fixture(scope="module")
def hostile_page():
    return html_text(build_map(make_points(hostile=True), title=HOSTILE[0], offline=True))


def test_self_contained_html_needs_no_network_but_tiles(hostile_page):
    assert not re.search(r'<script\b[^>]*\bsrc="https?:', hostile_page)
    assert not re.search(r'<link\b[^>]*\bhref="https?:', hostile_page)
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in hostile_page


def test_self_contained_html_carries_the_country_outlines(tmp_path):
    path = write_html(build_map(make_points(), offline=True), tmp_path / "map.html")
    text = path.read_text(encoding="utf-8")
    for name, uri in assets.countries_js():
        assert uri.startswith("data:text/javascript;"), name
        assert f'<script src="{uri}"></script>' in text, name
    assert f'href="{assets.countries_css()}"' in text
    assert "L.opsCountries(" in text


def test_hostile_text_appears_only_escaped(hostile_page):
    for raw in (*HOSTILE, "<svg", "<img", 'href="javascript'):
        assert raw not in hostile_page.lower(), raw
    # Exactly the script elements the map needs: nothing in the data opened or closed one.
    assert hostile_page.count("<script") == hostile_page.count("</script>")
    # 6 linked scripts (Leaflet, markercluster, 3 for the outlines, ours), 2 inline (switches, map)
    assert hostile_page.count("</script>") == 8


def test_hostile_text_survives_as_data_and_the_script_url_is_dropped(hostile_page):
    (payload,) = PAYLOAD.findall(hostile_page)
    data = json.loads(payload)
    assert set(HOSTILE) <= set(data["s"])
    assert data["title"] == HOSTILE[0]
    hostile_op = next(op for op in data["ops"] if op[8] == " ".join(HOSTILE))
    assert hostile_op[10] == HOSTILE[1]  # the date as written
    assert hostile_op[9][0][2] is None  # javascript: is not kept as a link
    assert HOSTILE_URL not in hostile_page


def test_write_html_is_utf8_and_replaces_the_old_file(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")
    write_html(build_map(make_points()), out)
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "خلية تطوان" in text
    assert os.listdir(tmp_path) == ["map.html"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(export.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_html(build_map(make_points()), out)
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["map.html"]


def test_geojson_has_one_point_per_row_with_the_record_fields(tmp_path):
    points = make_points()
    path = write_geojson(points, tmp_path / "points.geojson")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert len(features) == len(points)
    first = features[0]
    assert first["geometry"] == {"type": "Point", "coordinates": [-7.5898, 33.5731]}
    props = first["properties"]
    assert props["op_id"] == "op1"
    assert props["place"] == "Casablanca"
    assert props["date_start"] == props["date_end"] == "2022-01-04"
    assert props["agencies"] == ["BCIJ"]
    assert props["places"] == ["Casablanca", "Mohammedia"]
    assert props["sources"][0]["url"] == "https://example.org/op1"
    assert props["arrested"] == 4
    fes = next(f["properties"] for f in features if f["properties"]["op_id"] == "op3")
    assert fes["arrested"] is None
    assert fes["date_end"] == "2019-12-31"
    undated = next(f["properties"] for f in features if f["properties"]["op_id"] == "op4")
    assert undated["date_start"] is None


def test_geojson_skips_rows_without_coordinates_and_handles_empty():
    points = make_points()
    points.loc[0, "geometry"] = None
    points.loc[1, "geometry"] = Point()
    assert len(json.loads(geojson_text(points))["features"]) == len(points) - 2
    assert json.loads(geojson_text(empty_points())) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_template_syntax_in_records_is_text_not_code():
    """folium's renderer compiles page parts as Jinja templates; record text must not be one."""
    points = make_points()
    points["summary"] = "{{ 7 * 7 }} {% if true %}x{% endif %} {# c"
    (payload,) = PAYLOAD.findall(html_text(build_map(points)))
    assert json.loads(payload)["ops"][0][8] == "{{ 7 * 7 }} {% if true %}x{% endif %} {# c"
