"""The review page, through AppTest: paste, see the roles, accept into the records."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.records import BUNDLED_RECORDS, load_records, save_records

PAGE = str(Path(__file__).resolve().parents[1] / "mapapp" / "app" / "pages" / "review.py")

ARTICLE = """RABAT - Morocco's BCIJ on Thursday arrested three suspected Islamic State
supporters in Oujda and Berkane, near the border with Algeria, the interior ministry said.
The three men, aged 24 to 31, were arrested in Oujda and Berkane on 12 May 2023.
"""

HOSTILE = ARTICLE.replace("three men", "three men <img src=x onerror=alert(1)>")


def run_page(monkeypatch, records=None, text=ARTICLE):
    argv = ["review.py"] + (["--records", str(records)] if records else [])
    monkeypatch.setattr("sys.argv", argv)
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    at.text_area(key="pasted").input(text).run()
    assert not at.exception, at.exception
    return at


def page_html(at):
    return "\n".join(m.value for m in at.markdown)


def test_roles_are_marked_and_the_operation_listed(monkeypatch):
    at = run_page(monkeypatch)
    html = page_html(at)
    assert '<mark style="background:#f4a6a6" title="arrest' in html  # Oujda, Berkane
    assert "Operations found: 1" in [s.value for s in at.subheader]
    assert '<mark style="background:#dddddd" title="country or region' in html  # Morocco


def test_article_text_is_escaped(monkeypatch):
    at = run_page(monkeypatch, text=HOSTILE)
    html = page_html(at)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_accepting_merges_into_the_records_file(monkeypatch, tmp_path):
    records = tmp_path / "records.csv"
    save_records(load_records(BUNDLED_RECORDS), records)
    at = run_page(monkeypatch, records=records)
    at.button[0].click().run()
    assert not at.exception
    assert "1 added" in at.success[0].value
    saved = load_records(records)
    assert len(saved) == 6
    assert {"Oujda", "Berkane"} <= set(saved.iloc[-1]["places"])


def test_the_bundled_records_are_never_written(monkeypatch):
    before = BUNDLED_RECORDS.read_bytes()
    at = run_page(monkeypatch)
    at.button[0].click().run()
    assert not at.exception
    assert "not changed" in at.success[0].value
    assert BUNDLED_RECORDS.read_bytes() == before


@pytest.mark.parametrize("size", [2_000_001])
def test_oversized_paste_is_refused_with_a_message(monkeypatch, size):
    at = run_page(monkeypatch, text="word " * (size // 5 + 1))
    assert "was not read" in at.error[0].value
    assert f"{len(('word ' * (size // 5 + 1)).encode()):,} bytes" in at.code[0].value
