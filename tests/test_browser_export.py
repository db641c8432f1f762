"""The self-contained export in a real browser with the network blocked.

What a journalist does with a shared file: it opens with no network, shows
markers and a legend, filters by group and by time, and every popup opens, also
for hostile text, without running anything from the records.
"""

from pathlib import Path

import pytest
from browser import offline_page
from map_fixtures import HOSTILE, OPERATIONS, empty_points, make_points

from mapapp.export.writers import write_html
from mapapp.map.build import build_map

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"
TITLE = "Counter-terrorism arrests reported in Morocco (test data)"
LAYER = "window.__opsLayers[0]"
ALL_OPERATIONS = len(OPERATIONS) + 1  # and the hostile one


def wait_idle(page):
    """Wait until markers are loaded and the zoom and the clusters' animation have ended."""
    page.wait_for_function(
        f"window.__opsLayers && !{LAYER}.loading() && !{LAYER}.cluster._map._animatingZoom"
        " && !document.querySelector('.leaflet-cluster-anim')",
        polling=50,
    )


def stats(page):
    wait_idle(page)
    return page.evaluate(f"{LAYER}.stats()")


REVEAL = """async (point) => {
    const layer = window.__opsLayers[0];
    const map = layer.cluster._map;
    const marker = layer.markers.find((m) => m.options.point === point);
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    map.setView(marker.getLatLng(), map.getMaxZoom(), { animate: false });
    await pause(300);
    if (!marker._map) {  // still in a cluster: other markers share its coordinates
        const spiderfied = new Promise((resolve) => layer.cluster.once('spiderfied', resolve));
        layer.cluster.getVisibleParent(marker).spiderfy();
        await Promise.race([spiderfied, pause(3000)]);
        await pause(400);  // the legs' animation
    }
    const p = map.latLngToContainerPoint(marker.getLatLng());
    const box = map.getContainer().getBoundingClientRect();
    return [box.left + p.x, box.top + p.y];
}"""


def reveal(page, point):
    """Zoom in (and spiderfy) until marker ``point`` is drawn; its position in the page."""
    return page.evaluate(REVEAL, point)


def set_slider(page, index, value):
    """Move a time slider as a drag does: set its value and fire ``input``."""
    page.evaluate(
        """([index, value]) => {
            const slider = document.querySelectorAll('.ops-time input[type=range]')[index];
            slider.value = String(value === 'min' ? slider.min : value);
            slider.dispatchEvent(new Event('input'));
        }""",
        [index, value],
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "map.html"
    write_html(build_map(make_points(hostile=True), title=TITLE, offline=True), path)
    return path


@pytest.fixture
def opened(exported):
    with offline_page() as (page, problems):
        page.goto(exported.as_uri())
        wait_idle(page)
        yield page, problems
        problems.assert_clean()
        assert all("tile.openstreetmap.org" in url for url in problems.blocked), problems.blocked


def test_markers_legend_and_controls_are_drawn_offline(opened):
    page, _ = opened
    assert stats(page) == {
        "operations": ALL_OPERATIONS,
        "arrested": 46 + 2,
        "withoutCount": 1,
        "markers": len(make_points(hostile=True)),
    }
    drawn = page.evaluate(f"{LAYER}.drawnMarkers()")
    clusters = page.locator(".marker-cluster").count()
    assert drawn > 0
    assert clusters > 0
    legend = page.locator(".ops-legend")
    assert legend.locator(".ops-legend-title").inner_text() == "Group (as reported)"
    assert legend.locator("input[type=checkbox]").count() == 5
    assert page.locator(".ops-title").inner_text() == TITLE
    status = page.locator(".ops-status").inner_text()
    assert status == "10 operations, 48 people arrested shown (1 without a number)"


def test_country_outlines_and_names_are_drawn_below_the_tiles_offline(opened):
    page, _ = opened
    assert page.locator(".leaflet-ops-land-pane path").count() > 200  # Natural Earth's countries
    z_index = "(pane) => Number(getComputedStyle(document.querySelector(pane)).zIndex)"
    tiles = page.evaluate(z_index, ".leaflet-tile-pane")
    assert page.evaluate(z_index, ".leaflet-ops-land-pane") < tiles
    assert page.evaluate(z_index, ".leaflet-ops-land-names-pane") < tiles
    names = page.locator(".leaflet-ops-land-names-pane .ops-country-name span:visible")
    assert {"Morocco", "Algeria"} <= set(names.all_inner_texts())
    sea = page.evaluate("getComputedStyle(document.querySelector('.ops-map')).backgroundColor")
    assert sea == "rgb(223, 232, 238)"


MARKERS_UNDER_CONTROLS = """() => {
    const layer = window.__opsLayers[0];
    const map = layer.cluster._map;
    const frame = map.getContainer().getBoundingClientRect();
    const controls = [...document.querySelectorAll('.leaflet-control')]
        .map((c) => c.getBoundingClientRect());
    const centres = [...document.querySelectorAll('.marker-cluster')].map((icon) => {
        const box = icon.getBoundingClientRect();
        return [box.left + box.width / 2, box.top + box.height / 2];
    }).concat(layer.markers.filter((m) => m._map).map((m) => {
        const p = map.latLngToContainerPoint(m.getLatLng());
        return [frame.left + p.x, frame.top + p.y];
    }));
    return centres.filter(([x, y]) => x < frame.left || x > frame.right
        || y < frame.top || y > frame.bottom
        || controls.some((c) => x >= c.left && x <= c.right && y >= c.top && y <= c.bottom));
}"""


def test_opening_view_shows_every_marker_clear_of_the_controls(opened):
    page, _ = opened
    assert page.evaluate(MARKERS_UNDER_CONTROLS) == []


def test_group_checkbox_hides_and_shows_its_operations(opened):
    page, _ = opened
    isis = page.locator(".ops-legend-row", has_text="ISIS")
    assert isis.locator(".ops-legend-count").inner_text() == "4"
    isis.locator("input").uncheck()
    assert stats(page)["operations"] == ALL_OPERATIONS - 4
    assert "6 operations" in page.locator(".ops-status").inner_text()
    isis.locator("input").check()
    assert stats(page)["operations"] == ALL_OPERATIONS


def test_time_sliders_and_undated_box_filter(opened):
    page, _ = opened
    set_slider(page, 1, "min")  # To: Jan 2017, the first month
    assert page.locator(".ops-time-heading").inner_text() == "Period Jan 2017"
    # Azilal (2017, year only) overlaps Jan 2017; two undated operations are included.
    assert stats(page)["operations"] == 3
    page.locator(".ops-undated input").uncheck()
    assert stats(page)["operations"] == 1
    assert (
        page.locator(".ops-legend-row", has_text="ISIS").locator(".ops-legend-count").inner_text()
        == "1"
    )
    set_slider(page, 0, 2023 * 12 + 4)  # From: May 2023 pushes To along
    assert page.locator(".ops-time-heading").inner_text() == "Period May 2023"
    assert stats(page)["operations"] == 1  # Marrakesh


def test_play_steps_through_time(opened):
    page, _ = opened
    page.locator(".ops-play button").click()
    assert page.locator(".ops-play button").inner_text() == "⏸ Pause"
    # Cumulative: it starts from the first month alone and adds months.
    assert page.locator(".ops-time-heading").inner_text() == "Period Jan 2017"
    first = stats(page)["operations"]
    page.wait_for_function(f"{LAYER}.stats().operations > {first}", timeout=20000)
    assert page.locator(".ops-time-heading").inner_text().startswith("Period Jan 2017 – ")
    page.locator(".ops-play button").click()
    assert page.locator(".ops-play button").inner_text() == "▶ Play"


def test_every_popup_opens_with_text_only(opened):
    page, _ = opened
    count = page.evaluate(f"{LAYER}.markers.length")
    for point in range(count):
        page.evaluate(f"{LAYER}.openPopup({point})")
        popup = page.locator(".leaflet-popup-content .ops-popup")
        text = popup.inner_text()
        assert "Arrested" in text
        assert "Group" in text
        assert popup.locator("img, svg, script, iframe").count() == 0
        for link in popup.locator("a").all():
            assert link.get_attribute("href").startswith("https://")
            assert link.get_attribute("rel") == "noopener noreferrer"
            assert link.get_attribute("target") == "_blank"
    # The hostile operation's markup is shown as text, and its script URL is no link.
    page.evaluate(f"{LAYER}.openPopup({count - 1})")
    text = page.locator(".ops-popup").inner_text()
    assert all(h in text for h in HOSTILE)
    assert page.locator(".ops-popup a").count() == 0
    assert page.locator(".ops-legend").inner_text().count(HOSTILE[0]) == 1


def test_clicking_a_marker_opens_its_popup_and_hover_shows_the_place(opened):
    page, _ = opened
    # The hostile operation's Rabat marker shares its coordinates with op5's: the
    # cluster must spiderfy before it can be clicked.
    point = reveal(page, page.evaluate(f"{LAYER}.markers.length") - 2)
    page.mouse.move(*point)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert HOSTILE[0] in tooltip.inner_text()
    page.mouse.click(*point)
    popup = page.locator(".ops-popup")
    popup.wait_for()
    assert "date unknown" not in popup.inner_text()  # the date as written is shown
    assert HOSTILE[1] + " (as written)" in popup.inner_text()


def test_screenshot_for_a_glance(opened):
    page, _ = opened
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "export-overview.png")
    marker = reveal(page, 0)
    page.mouse.click(*marker)
    page.locator(".ops-popup").wait_for()
    page.wait_for_timeout(400)  # the pan that clears the controls
    page.screenshot(path=SCREENSHOTS / "export.png")


def test_empty_map_says_no_operations_match(tmp_path):
    path = write_html(build_map(empty_points(), offline=True), tmp_path / "empty.html")
    with offline_page() as (page, problems):
        page.goto(path.as_uri())
        wait_idle(page)
        assert "No operations match" in page.locator(".ops-status").inner_text()
        assert "No operations match" in page.locator(".ops-legend").inner_text()
        problems.assert_clean()
