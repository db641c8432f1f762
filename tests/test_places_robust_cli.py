"""``python -m places geocode``: a PlacesError is one ``error:`` line and status 2."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("a user's notes, not a cache\n" * 10)
    return path


def test_a_text_file_as_cache_is_one_error_line(places_run, notes):
    proc = places_run("geocode", "Rabat", "--cache", str(notes))
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("places: error: ")
    assert f"{notes} is not a geocode cache (file is not a database)" in line
    assert "--cache another path" in line
    assert notes.read_text() == "a user's notes, not a cache\n" * 10


def test_a_directory_as_cache_is_one_error_line(places_run, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    proc = places_run("geocode", "Rabat", "--cache", str(folder))
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert f"cannot open the geocoding cache {folder}: it is a directory" in line
    assert "pass --cache another path" in line


def test_debug_shows_the_traceback(places_run, notes):
    proc = places_run("geocode", "Rabat", "--cache", str(notes), "--debug")
    assert proc.returncode != 0
    assert "Traceback (most recent call last)" in proc.stderr
    assert "places.exc.CacheError" in proc.stderr
