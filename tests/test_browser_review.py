"""The review page in headless chromium: the places table reads well, offline."""

from pathlib import Path

import pytest
from browser import offline_page, running_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"

#: A spelling variant (Rawalpindy), a close choice (Hyderabad: Pakistan's, or India's
#: bigger one), a province (Sindh), a dateline and a place that is no arrest place.
ARTICLE = (
    "ISLAMABAD - Pakistani counter-terrorism police arrested five suspected militants in "
    "Rawalpindy and Hyderabad on Monday, the CTD said.\n\n"
    "Two more men were detained in Sindh province. The cell had planned attacks on police "
    "stations in Lahore, officials said.\n"
)


def test_the_places_table_shows_role_precision_and_checks(tmp_path):
    SCREENSHOTS.mkdir(exist_ok=True)
    with running_app() as url, offline_page(viewport=(1400, 1800)) as (page, problems):
        page.goto(url)  # a deep link would ask /review/_stcore/... first, a 404
        page.get_by_role("link", name="Review an article").click(timeout=120_000)
        area = page.get_by_label("…or paste its text")
        area.wait_for(timeout=120_000)
        area.fill(ARTICLE)
        area.press("Control+Enter")
        heading = page.get_by_text("Places named in the article")
        heading.wait_for(timeout=120_000)
        table = page.locator('[data-testid="stTable"]').first
        table.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        # The page scrolls inside Streamlit's own container: clip from the article to
        # the end of the places table rather than take the (viewport-sized) full page.
        page.get_by_text("The article, with its place names").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        top = page.get_by_text("The article, with its place names").bounding_box()
        bottom = table.bounding_box()
        left = min(top["x"], bottom["x"]) - 16
        clip = {
            "x": left,
            "y": top["y"] - 16,
            "width": bottom["x"] + bottom["width"] - left + 16,
            "height": bottom["y"] + bottom["height"] - top["y"] + 32,
        }
        page.screenshot(path=str(SCREENSHOTS / "review-places.png"), clip=clip)
        text = table.inner_text()
        for words in (
            "arrest place",
            "spelling matched as Rawalpindi",
            "close call: also Hyderabad, India",
            "province, state or district",
        ):
            assert words in text, words  # fmt: skip
        problems.assert_clean()


def test_the_popup_says_spelling_and_close_call(tmp_path):
    """An exported map: the popup's Place row says what to check, as text."""
    from mapapp.export.writers import write_html
    from mapapp.map.build import build_map
    from mapapp.points.join import join_places, resolve_places
    from mapapp.records import COLUMNS, load_records
    from places import Resolver
    from places.admin_names import AdminNames

    records = tmp_path / "records.csv"
    records.write_text(
        ",".join(COLUMNS) + "\n"
        "a,2023-05-02,day,Rawalpindy,PK,3,,,,,,,,,\n"
        "b,2023-05-03,day,Cordoba,ES,4,ISIS,,,,,,,,\n",
        encoding="utf-8",
    )
    recs = load_records(records)
    with Resolver(cache_path=tmp_path / "geocode.sqlite") as resolver:
        answers = resolve_places(recs, resolver)
        points, _ = join_places(recs, answers, AdminNames.for_resolver(resolver))
    path = tmp_path / "map.html"
    write_html(build_map(points, offline=True), path)
    with offline_page() as (page, problems):
        page.goto(path.as_uri())
        page.wait_for_function("window.__opsLayers && !window.__opsLayers[0].loading()")
        texts = []
        for point in range(2):
            page.evaluate(f"window.__opsLayers[0].openPopup({point})")
            texts.append(page.locator(".leaflet-popup-content .ops-popup").inner_text())
            if point == 1:
                page.locator(".leaflet-popup").screenshot(
                    path=str(SCREENSHOTS / "popup-close-call.png")
                )
        problems.assert_clean()
    joined = "\n".join(texts)
    assert "Rawalpindy, Punjab — spelling matched as Rawalpindi" in joined
    assert "close call: also Córdoba, Argentina" in joined
