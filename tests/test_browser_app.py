"""The running app (``ct-arrest-map app``) in headless chromium with the network blocked."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import LOCAL_HOSTS, offline_page, running_app

from mapapp.records import load_records

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="module")
def app_url():
    """The app on the bundled records, started as a user starts it."""
    with running_app() as url:
        yield url


def map_frame(page):
    """The st_folium iframe, once its layer has drawn."""
    page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=120_000)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    frame.locator(".ops-legend").wait_for(timeout=60_000)
    handle = page.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    handle.wait_for_function("window.__opsLayers && !window.__opsLayers[0].loading()")
    return handle


def test_app_draws_markers_and_legend_offline(app_url):
    SCREENSHOTS.mkdir(exist_ok=True)
    with offline_page(viewport=(1400, 1100)) as (page, problems):
        page.goto(app_url)
        frame = map_frame(page)
        stats = frame.evaluate("window.__opsLayers[0].stats()")
        assert stats["operations"] == len(load_records())
        assert frame.locator(".ops-legend").inner_text().count("ISIS") >= 1
        drawn = frame.locator(".marker-cluster, .leaflet-interactive").count()
        assert drawn > 0
        # The country outlines are the base map when tiles cannot load.
        assert frame.locator(".leaflet-ops-land-pane path").count() > 200
        names = frame.locator(".leaflet-ops-land-names-pane .ops-country-name span:visible")
        assert {"Spain", "Algeria"} <= set(names.all_inner_texts())
        # None under the legend or time control; out of the frame, only the lone arrests
        # far north (Essen, Sittard) the opening view leaves out (mapapp.map.view).
        misplaced = frame.evaluate(MARKERS_UNDER_CONTROLS_OR_OUT)
        assert misplaced["under"] == []
        assert all(lat > 45 for lat, _ in misplaced["out"]), misplaced["out"]
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "app.png"), full_page=True)
        problems.assert_clean()


# MARKERS_UNDER_CONTROLS split in two: drawn markers (and clusters) under a control, and
# the points of markers outside the frame, as [lat, lng].
MARKERS_UNDER_CONTROLS_OR_OUT = """() => {
    const layer = window.__opsLayers[0];
    const map = layer.cluster._map;
    const frame = map.getContainer().getBoundingClientRect();
    const controls = [...document.querySelectorAll('.leaflet-control')]
        .map((c) => c.getBoundingClientRect());
    const inside = ([x, y]) => x >= frame.left && x <= frame.right
        && y >= frame.top && y <= frame.bottom;
    const under = ([x, y]) => controls.some(
        (c) => x >= c.left && x <= c.right && y >= c.top && y <= c.bottom);
    const at = (latLng) => {
        const p = map.latLngToContainerPoint(latLng);
        return [frame.left + p.x, frame.top + p.y];
    };
    const view = map.getBounds();
    const out = layer.markers.filter((m) => !view.contains(m.getLatLng()))
        .map((m) => [m.getLatLng().lat, m.getLatLng().lng]);
    const drawn = [...document.querySelectorAll('.marker-cluster')].map((icon) => {
        const box = icon.getBoundingClientRect();
        return [box.left + box.width / 2, box.top + box.height / 2];
    }).concat(layer.markers.filter((m) => m._map).map((m) => at(m.getLatLng())));
    return {under: drawn.filter((c) => inside(c) && under(c)), out};
}"""

# (lat, lng) of towns the bundled records place arrests in.
CASABLANCA, TANGIER, OUJDA, MADRID, ESSEN = (
    (33.57, -7.59), (35.76, -5.83), (34.68, -1.91), (40.42, -3.70), (51.46, 7.01),
)  # fmt: skip


def test_the_app_opens_on_morocco_and_spain_not_on_europe(app_url):
    """The opening view frames where the data is; a lone arrest in Essen is drawn, not framed."""
    with offline_page(viewport=(1400, 900)) as (page, problems):
        page.goto(app_url)
        frame = map_frame(page)
        view = frame.evaluate(
            """() => { const map = window.__opsLayers[0].cluster._map; const b = map.getBounds();
            return {zoom: map.getZoom(), south: b.getSouth(), west: b.getWest(),
                    north: b.getNorth(), east: b.getEast()}; }"""
        )
        inside = [
            view["south"] < lat < view["north"] and view["west"] < lng < view["east"]
            for lat, lng in (CASABLANCA, TANGIER, OUJDA, MADRID, ESSEN)
        ]
        assert inside == [True, True, True, True, False], view
        assert view["zoom"] >= 4, view  # not the whole of Europe and Africa
        problems.assert_clean()


def test_two_sessions_at_once_both_get_the_whole_map(app_url):
    """Two readers opening the app together: no deadlock, nothing lost in either."""
    with offline_page() as (page, problems):
        second = page.context.new_page()
        page.goto(app_url, wait_until="commit")
        second.goto(app_url, wait_until="commit")
        for each in (page, second):
            frame = map_frame(each)
            stats = frame.evaluate("window.__opsLayers[0].stats()")
            assert stats["operations"] == len(load_records())
        problems.assert_clean()


def test_the_app_fetches_nothing_from_elsewhere_but_map_tiles(app_url):
    """The page icon is the app's own file: a material icon would be fetched from Google."""
    with offline_page() as (page, problems):
        page.goto(app_url)
        map_frame(page)
        page.wait_for_timeout(1000)
        icons = page.eval_on_selector_all("link[rel~='icon']", "links => links.map(l => l.href)")
        assert icons
        assert all(urlsplit(href).hostname in LOCAL_HOSTS for href in icons), icons
        elsewhere = [url for url in problems.blocked if not is_tile(url)]
        assert elsewhere == [], elsewhere
        problems.assert_clean()


def is_tile(url: str) -> bool:
    """A base-map tile of the map's tile layer (OpenStreetMap's servers)."""
    parts = urlsplit(url)
    return parts.hostname.endswith("tile.openstreetmap.org") and parts.path.endswith(".png")
