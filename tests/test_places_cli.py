"""``python -m places geocode``, run as a subprocess."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def records(proc):
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_json_lines_then_cached_on_the_second_run(places_run, tmp_path):
    cache = str(tmp_path / "cache.sqlite")
    args = (
        "geocode",
        "Kénitra",
        "Inezgane-Ait Melloul",
        "Melilla",
        "--country",
        "MA",
        "--json",
        "--cache",
        cache,
    )
    first = places_run(*args)
    assert first.returncode == 0, first.stderr
    kenitra, compound, melilla = records(first)
    assert kenitra == {
        "query": "Kénitra",
        "name": "Kenitra",
        "lat": 34.26101,
        "lon": -6.5802,
        "country_code": "MA",
        "geonameid": 2544571,
        "source": "geonames",
        "precision": "city",
        "radius_km": None,
        "close": False,
        "fuzzy": False,
        "cached": False,
        "points": [
            {
                "name": "Kenitra",
                "lat": 34.26101,
                "lon": -6.5802,
                "country_code": "MA",
                "geonameid": 2544571,
            }
        ],
    }
    assert [p["geonameid"] for p in compound["points"]] == [2545957, 10374934]
    assert compound["geonameid"] == 2545957
    assert melilla["country_code"] == "ES"
    second = places_run(*args)
    assert all(r["cached"] for r in records(second))
    assert Path(cache).exists()
    assert not (tmp_path / "env").exists()


def test_an_unresolved_name_sets_exit_status_1(places_run, tmp_path):
    proc = places_run(
        "geocode", "Rabat", "Tripoli", "IS", "--json", "--cache", str(tmp_path / "c")
    )
    assert proc.returncode == 1
    rabat, tripoli, is_ = records(proc)
    assert rabat["geonameid"] == 2538475
    assert "error" not in rabat
    assert tripoli["error"].startswith("ambiguous:")
    assert "lat" not in tripoli
    assert tripoli["points"] == []
    assert is_["error"].startswith("refused:")


def test_the_table_is_aligned(places_run, tmp_path):
    proc = places_run(
        "geocode", "Fnideq", "Xqzzyville", "--country", "MA", "--cache", str(tmp_path / "c")
    )
    assert proc.returncode == 1
    header, fnideq, missing = proc.stdout.splitlines()
    assert header.split() == ["query", "name", "lat", "lon", "cc", "precision", "source", "cached"]
    assert fnideq.index("Fnidek") == header.index("name")
    assert "unresolved: not found:" in missing


def test_the_cache_defaults_to_places_cache(places_run, tmp_path):
    assert places_run("geocode", "Oujda", "--json").returncode == 0
    assert (tmp_path / "env").exists()


def test_overrides_apply_from_the_command_line(places_run, tmp_path):
    overrides = tmp_path / "o.csv"
    overrides.write_text("name,country,lat,lon,note\nOujda,MA,34.0,-2.0,fix\n")
    proc = places_run(
        "geocode",
        "Oujda",
        "--country",
        "MA",
        "--json",
        "--overrides",
        str(overrides),
        "--cache",
        str(tmp_path / "c"),
    )
    (record,) = records(proc)
    assert (record["source"], record["lat"], record["geonameid"]) == ("override", 34.0, None)


@pytest.mark.parametrize("case", ["bad overrides", "unwritable cache", "bad country"])
def test_setup_errors_exit_2_with_one_line(places_run, tmp_path, case):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nOujda,north,1\n")
    extra = {
        "bad overrides": ["--overrides", str(bad), "--cache", str(tmp_path / "c")],
        "unwritable cache": ["--cache", str(blocker / "cache.sqlite")],
        "bad country": ["--country", "Morocco", "--cache", str(tmp_path / "c")],
    }[case]
    proc = places_run("geocode", "Oujda", *extra)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    if case == "bad overrides":
        assert "bad.csv:2: column 'lat'" in proc.stderr
