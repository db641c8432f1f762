"""Manual overrides: they always win, are never cached, and bad rows are reported."""

import os

import pytest

from places import Resolver
from places.exc import OverridesError
from places.overrides import read_overrides


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_an_override_wins_over_geonames_and_the_cache(tmp_path, index_path):
    cache = tmp_path / "cache.sqlite"
    with Resolver(cache_path=cache, index_path=index_path) as r:
        assert r.resolve("Casablanca", country="MA").points[0].geonameid == 2553604
    overrides = write(tmp_path / "o.csv", "name,country,lat,lon,note\nCASABLANCA,MA,33.5,-7.5,x\n")
    with Resolver(cache_path=cache, index_path=index_path, overrides=overrides) as r:
        res = r.resolve("Casablanca", country="MA")
        assert res.source == "override"
        assert not res.cached
        assert (res.points[0].lat, res.points[0].lon, res.points[0].geonameid) == (
            33.5,
            -7.5,
            None,
        )
        assert r.stats.backend_calls == 0
        assert r.stats.cache_hits == 0


def test_overrides_are_reread_when_the_file_changes(tmp_path, index_path):
    overrides = write(tmp_path / "o.csv", "name,lat,lon\nFnideq,35.0,-5.0\n")
    with Resolver(
        cache_path=tmp_path / "c.sqlite", index_path=index_path, overrides=overrides
    ) as r:
        assert r.resolve("Fnideq").points[0].lat == 35.0
        write(overrides, "name,lat,lon\nFnideq,35.5,-5.25\n")
        os.utime(overrides, ns=(1, 1))  # a new stamp even within one mtime tick
        assert r.resolve("Fnideq").points[0].lat == 35.5


def test_an_override_with_a_country_applies_to_that_hint_only(tmp_path, index_path):
    overrides = write(tmp_path / "o.csv", "name,country,lat,lon\nSale,GB,53.42,-2.32\n")
    with Resolver(
        cache_path=tmp_path / "c.sqlite", index_path=index_path, overrides=overrides
    ) as r:
        assert r.resolve("Sale", country="GB").source == "override"
        assert r.resolve("Sale", country="GB").points[0].country_code == "GB"
        assert r.resolve("Sale", country="MA").points[0].geonameid == 2537763
        assert r.resolve("Sale").source == "override"  # no hint: the one country applies


def test_repeated_rows_give_several_points(tmp_path):
    path = write(
        tmp_path / "o.csv", "name,lat,lon,precision\nX Port,1,2,\nx port,3,4,admin area\n"
    )
    rows = read_overrides(path)["x port"]
    assert [(r.lat, r.lon) for r in rows] == [(1.0, 2.0), (3.0, 4.0)]
    assert rows[1].precision == "admin area"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,lat,lon\nA town,abc,1\n", r"o\.csv:2: column 'lat': not a number: 'abc'"),
        ("name,lat,lon\nA town,1,2\nB town,1,200\n", r"o\.csv:3: column 'lon': '200' is outside"),
        ("name,lat,lon\n,1,2\n", r"o\.csv:2: column 'name': empty place name"),
        ("name,country,lat,lon\nA town,MAR,1,2\n", r"o\.csv:2: column 'country': 'MAR'"),
        ("name,lat,lon,precision\nA town,1,2,street\n", r"o\.csv:2: column 'precision'"),
        ("name,latitude,longitude\nA town,1,2\n", r"o\.csv:1: header lacks column\(s\) 'lat'"),
        ("name,lat,lon\nA town,1,2,3\n", r"o\.csv:2: more fields than the header"),
        ("name,lat,lon\nA town,nan,2\n", r"o\.csv:2: column 'lat': 'nan' is outside"),
    ],
)
def test_bad_rows_name_file_line_and_column(tmp_path, text, message):
    path = write(tmp_path / "o.csv", text)
    with pytest.raises(OverridesError, match=message):
        read_overrides(path)


def test_a_missing_overrides_file_is_a_clear_error(tmp_path):
    with pytest.raises(OverridesError, match="cannot read overrides file"):
        Resolver(cache_path=tmp_path / "c.sqlite", overrides=tmp_path / "missing.csv")


def test_blank_lines_and_a_bom_are_accepted(tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes("\ufeffname,lat,lon\n\nAzilal,31.9,-6.5\n,,\n".encode())
    assert list(read_overrides(path)) == ["azilal"]
