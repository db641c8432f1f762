"""Admin names on every point: admin1 (and admin2 where GeoNames has one), offline."""

import pytest

from mapapp.points.filters import Selection
from mapapp.points.join import join_places, resolve_places
from mapapp.records import COLUMNS, load_records
from places import Resolver
from places.admin_names import NO_NAME, AdminNames

HEADER = ",".join(COLUMNS)


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    r = Resolver(cache_path=tmp_path_factory.mktemp("cache") / "geocode.sqlite")
    yield r
    r.close()


@pytest.fixture(scope="module")
def names(resolver):
    return AdminNames.for_resolver(resolver)


@pytest.mark.parametrize(
    ("name", "country", "admin1", "admin2"),
    [
        ("Casablanca", "MA", "Casablanca-Settat", "Casablanca"),
        ("Tetouan", "MA", "Tanger-Tetouan-Al Hoceima", "Tetouan"),
        ("Agadir", "MA", "Souss-Massa", "Agadir-Ida-ou-Tnan"),
        ("Kaduna", "NG", "Kaduna State", "Kaduna North"),
        ("Augsburg", "DE", "Bavaria", "Swabia"),
        ("Munich", "DE", "Bavaria", "Upper Bavaria"),
        ("Karachi", "PK", "Sindh", ""),
        ("Barcelona", "ES", "Catalonia", "Província de Barcelona"),
        ("Melilla", "MA", "Melilla", ""),  # the hint is a preference: Spain's
    ],
)
def test_a_town_reads_its_own_geonames_row(resolver, names, name, country, admin1, admin2):
    res = resolver.resolve(name, country)
    (point,) = res.points
    got = names.of(
        point.country_code, point.lat, point.lon, point.geonameid, precision=res.precision
    )
    assert (got.admin1, got.admin2) == (admin1, admin2)


def test_a_point_without_a_geonameid_takes_its_nearest_town(names):
    # ACLED's own coordinates of a Bavarian town, an override, a region's centre...
    got = names.of("DE", 48.37, 10.89)  # Augsburg, not a GeoNames point
    assert got.admin1 == "Bavaria"
    assert names.of("NG", 10.52, 7.44).admin1 == "Kaduna State"
    assert names.of("MA", 34.02, -6.83).admin1 == "Rabat-Salé-Kénitra"


def test_regions_countries_and_the_open_sea_get_no_names(names):
    assert names.of(None, 15.0, 1.0) == NO_NAME
    assert names.of("ML", 15.0, 1.0, precision="region") == NO_NAME
    assert names.of("MA", 34.02, -6.83, precision="country") == NO_NAME
    assert names.of("MA", 36.5, -12.0) == NO_NAME  # the Atlantic, far from any town


def test_an_area_gets_its_admin1_and_a_district_its_admin2(resolver, names):
    res = resolver.resolve("Kaduna State", "NG")
    (point,) = res.points
    got = names.of(
        point.country_code, point.lat, point.lon, point.geonameid,
        precision=res.precision, name=point.name,
    )  # fmt: skip
    assert got == type(got)("Kaduna State", "")
    assert names.admin1_name("MA", "06") == "Casablanca-Settat"


def test_the_points_join_carries_admin1_and_admin2(tmp_path, resolver, names):
    path = tmp_path / "records.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "a,2022-01-04,day,Casablanca;Kaduna,MA,6,ISIS,,,,,,,,",
                "b,2020,year,Augsburg,DE,1,,,,,,,,,",
                "c,,unknown,Sahel,,2,,,,,,,,,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    recs = load_records(path)
    points, _ = join_places(recs, resolve_places(recs, resolver), names)
    got = dict(
        zip(points["place"], zip(points["admin1"], points["admin2"], strict=True), strict=True)
    )
    assert got["Casablanca"] == ("Casablanca-Settat", "Casablanca")
    assert got["Kaduna"] == ("Kaduna State", "Kaduna North")
    assert got["Augsburg"] == ("Bavaria", "Swabia")
    assert got["Sahel"] == ("", "")
    # The app's "region" filter.
    kept = Selection.create(regions=["Bavaria"]).apply(points)
    assert list(kept["op_id"]) == ["b"]
    # Without the names the columns are there, empty.
    bare, _ = join_places(recs, resolve_places(recs, resolver))
    assert set(bare["admin1"]) == {""}
