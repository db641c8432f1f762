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

SEED_RECORDS = Path(__file__).resolve().parent / "fixtures" / "seed_records.csv"  # 5 seed rows


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
    save_records(load_records(SEED_RECORDS), records)
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


# The places table: role, precision and whether the match was fuzzy or close, for
# articles from several countries.
PAKISTAN = """ISLAMABAD - Pakistani police arrested three suspected militants in Rawalpindy
on Monday, the counter-terrorism department said. The men were planning an attack in
Islamabad, police said.
"""
MOROCCO = "RABAT - Moroccan police dismantled a cell in Kenitrah on Monday, the BCIJ said."
GERMANY = """German police arrested two men in Bavaria on Tuesday suspected of planning an
attack, prosecutors in Karlsruhe said.
"""
INDIA = "The NIA arrested two men in Kerala on Friday, officials said."
SPAIN = """Spanish police arrested four suspected jihadists in Seville, Malaga and Cordoba on
Tuesday, the Guardia Civil said.
"""


def places_frame(at):
    """The places table: the page's table whose first column is the place as written."""
    return next(t.value for t in at.table if "Place in the article" in t.value.columns)


def places(at):
    table = places_frame(at)
    return {row["Place in the article"]: row for _, row in table.iterrows()}


def test_the_places_table_has_plain_columns(monkeypatch):
    at = run_page(monkeypatch, text=PAKISTAN)
    assert "Places named in the article" in [s.value for s in at.subheader]
    assert list(places_frame(at).columns) == [
        "Place in the article",
        "Role",
        "Why",
        "Placed at",
        "Precision",
        "To check",
    ]


def test_a_fuzzy_spelling_is_shown_with_the_name_it_matched(monkeypatch):
    rows = places(run_page(monkeypatch, text=PAKISTAN))
    rawalpindi = rows["Rawalpindy"]
    assert rawalpindi["Role"] == "arrest place"
    assert rawalpindi["Why"] == "“militants … in”"
    assert rawalpindi["Placed at"] == "Rawalpindi, Pakistan"
    assert rawalpindi["Precision"] == "town"
    assert rawalpindi["To check"] == "spelling matched as Rawalpindi"
    assert rows["ISLAMABAD"]["Role"] == "dateline"
    assert rows["Islamabad"]["Role"] == "attack or target"
    assert rows["Islamabad"]["To check"] == ""  # an exact name, a clear choice


def test_a_moroccan_transliteration_is_fuzzy(monkeypatch):
    rows = places(run_page(monkeypatch, text=MOROCCO))
    assert rows["Kenitrah"]["Role"] == "arrest place"
    assert rows["Kenitrah"]["Placed at"] == "Kenitra, Morocco"
    assert rows["Kenitrah"]["To check"] == "spelling matched as Kenitra"


@pytest.mark.parametrize(
    ("text", "name", "placed"),
    [(GERMANY, "Bavaria", "Bavaria, Germany"), (INDIA, "Kerala", "Kerala, India")],
)
def test_an_admin_area_says_so(monkeypatch, text, name, placed):
    rows = places(run_page(monkeypatch, text=text))
    assert rows[name]["Role"] == "arrest place"
    assert rows[name]["Placed at"] == placed
    assert rows[name]["Precision"].startswith("province, state or district")
    assert rows[name]["To check"] == ""


def test_a_close_choice_names_the_runner_up(monkeypatch):
    rows = places(run_page(monkeypatch, text=SPAIN))
    cordoba = rows["Cordoba"]
    assert cordoba["Role"] == "arrest place"
    assert cordoba["Placed at"] == "Córdoba, Spain"
    assert cordoba["To check"] == "close call: also Córdoba, Argentina"
    assert rows["Seville"]["To check"] == ""
    assert "Guardia Civil" not in rows  # not a place, and not read as an arrest place


def test_the_close_call_is_in_the_marks_title_too(monkeypatch):
    html = page_html(run_page(monkeypatch, text=SPAIN))
    assert "close call: also Córdoba, Argentina" in html
    assert html.count("underline dotted") == 2  # Cordoba's mark, and the legend
