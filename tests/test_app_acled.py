"""The map page with ACLED: an ACLED file opens directly, regions filter, ACLED download."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "mapapp" / "app" / "main.py")
SAMPLE = Path(__file__).parent / "fixtures" / "acled_sample.csv"


def run_on(path, monkeypatch):
    monkeypatch.setattr("sys.argv", ["app.py", "--records", str(path)])
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def test_an_acled_file_opens_with_regions_and_an_acled_download(monkeypatch):
    at = run_on(SAMPLE, monkeypatch)
    assert not at.error
    assert {m.label: m.value for m in at.metric}["Operations"] == "5"  # the protest is not one
    table = at.dataframe[0].value
    assert "region" in table.columns
    assert "Bavaria" in set(table["region"])
    regions = at.multiselect(key="regions")
    assert {"Bavaria", "Kaduna State", "Casablanca-Settat"} <= set(regions.options)
    regions.select("Bavaria").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Operations"] == "1"
    assert list(at.dataframe[0].value["places"]) == ["Augsburg"]


def test_the_page_offers_the_acled_download(monkeypatch):
    # An uploaded file and the file the app was started on go through the same reader
    # (load_dataset on the file's bytes), which tells ACLED by its header.
    at = run_on(SAMPLE, monkeypatch)
    buttons = [b for b in at.get("download_button") if "ACLED" in b.proto.label]
    assert len(buttons) == 1
