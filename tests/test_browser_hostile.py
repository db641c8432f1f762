"""Hostile text in the running app and on the review page: nothing of it may run.

Records whose every text field carries markup or script, and a ``javascript:``
source URL, are loaded into the app; every popup and tooltip of the map is opened
and the page must raise no dialog and log no error. The review page gets the same
text pasted as an article.
"""

import csv
from pathlib import Path

import pytest
from browser import offline_page, running_app

from mapapp.records import COLUMNS

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert('img')>"
SCRIPT = "</script><script>alert('script')</script>"
SVG = "\"><svg onload=alert('svg')>"
SCRIPT_URL = "javascript://x%0aalert('url')"


def hostile_records(path: Path) -> None:
    row = {
        "id": "hostile-1", "date": "2022-02-02", "date_precision": "day",
        "places": f"Rabat;{IMG}", "country": "MA", "arrested": "3",
        "affiliation": IMG, "affiliation_as_written": SCRIPT, "agencies": f"{SVG};{IMG}",
        "summary": f"{IMG} {SCRIPT} {SVG}", "source_name": SVG, "source_title": SCRIPT,
        "source_url": SCRIPT_URL, "source_published": "", "evidence": IMG,
    }  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerow(row)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    records = tmp_path_factory.mktemp("hostile") / "records.csv"
    hostile_records(records)
    with running_app(records) as url:
        yield url


def test_hostile_records_in_the_app_run_nothing(hostile_app):
    with offline_page(viewport=(1400, 1200)) as (page, problems):
        page.goto(hostile_app)
        selector = 'iframe[title="streamlit_folium.st_folium"]'
        page.wait_for_selector(selector, timeout=120_000)
        frame = page.query_selector(selector).content_frame()
        frame.wait_for_function("window.__opsLayers && !window.__opsLayers[0].loading()")
        layer = "window.__opsLayers[0]"
        count = frame.evaluate(f"{layer}.stats().markers")
        assert count >= 1
        for point in range(count):
            frame.evaluate(f"{layer}.openPopup({point})")
            popup = frame.locator(".leaflet-popup-content").last
            popup.wait_for()
            assert "<img" in popup.inner_text()  # shown as text, not as an element
            assert popup.locator("img, svg, script").count() == 0
            assert popup.locator("a[href^='javascript']").count() == 0
        assert frame.locator(".ops-legend img, .ops-legend svg").count() == 0
        # The place that is markup cannot be placed: it is listed, as text.
        page.get_by_text("could not be placed").wait_for()
        page.wait_for_timeout(1000)
        assert page.locator("img[src='x']").count() == 0
        problems.assert_clean()


def test_hostile_article_on_the_review_page_runs_nothing(hostile_app):
    with offline_page(viewport=(1400, 1200)) as (page, problems):
        page.goto(hostile_app)  # a deep link (/review) makes Streamlit itself log 404s
        page.get_by_role("link", name="Review an article").click()
        box = page.get_by_label("…or paste its text")
        box.wait_for(timeout=120_000)
        box.fill(
            f"RABAT - Police arrested three suspects {IMG} in Oujda and Berkane on "
            f"12 May 2023, the BCIJ said. {SCRIPT} {SVG}"
        )
        box.press("Control+Enter")
        page.locator("mark").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("svg[onload]").count() == 0
        problems.assert_clean()
