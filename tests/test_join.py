"""Records × geocoded places → one GeoDataFrame row per (operation, place point)."""

import pytest
from map_fixtures import records_from_rows

from mapapp.points.join import join_places, resolve_places
from places import Resolver


@pytest.fixture
def resolver(tmp_path):
    r = Resolver(cache_path=tmp_path / "geocode.sqlite")
    yield r
    r.close()


def test_one_row_per_operation_and_point(tmp_path, resolver):
    recs = records_from_rows(
        tmp_path,
        "a,2022-01-04,day,Casablanca;Inezgane-Ait Melloul,MA,6,ISIS,,,,,,,,",
        "b,,unknown,Melilla;Nador,MA,11,,,,,,,,,",
    )
    points, unresolved = join_places(recs, resolve_places(recs, resolver))
    assert unresolved.empty
    assert points.crs.to_epsg() == 4326
    assert list(points["op_id"]) == ["a", "a", "a", "b", "b"]
    # A prefecture named after two towns becomes both towns, each tagged with the name written.
    pair = points[points["place"] == "Inezgane-Ait Melloul"]
    assert set(pair["place_name"]) == {"Inezgane", "Ait Melloul"}
    # The hint is a preference: Melilla stays in Spain.
    assert points.loc[points["place"] == "Melilla", "country_code"].item() == "ES"
    # The operation's total stays on each of its points; it is not split.
    assert set(points.loc[points["op_id"] == "a", "arrested"]) == {6}
    casablanca = points[points["place"] == "Casablanca"].geometry.item()
    assert (round(casablanca.y, 1), round(casablanca.x, 1)) == (33.6, -7.6)


def test_each_distinct_place_is_geocoded_once(tmp_path, resolver):
    rows = [f"op{i},2020,year,Kenitra;Tetouan,MA,1,ISIS,,,,,,,," for i in range(50)]
    recs = records_from_rows(tmp_path, *rows)
    join_places(recs, resolve_places(recs, resolver))
    assert resolver.stats.backend_calls + resolver.stats.cache_hits == 2


def test_unplaceable_places_are_listed_with_a_reason(tmp_path, resolver):
    recs = records_from_rows(tmp_path, "a,2021,year,Rabat;Qwxzlvtown,MA,2,,,,,,,,,")
    points, unresolved = join_places(recs, resolve_places(recs, resolver))
    assert list(points["place"]) == ["Rabat"]
    assert list(unresolved["place"]) == ["Qwxzlvtown"]
    assert list(unresolved["op_id"]) == ["a"]
    assert unresolved["reason"].item()  # the resolver's reason, never blank


def test_no_records_give_an_empty_frame(tmp_path, resolver):
    recs = records_from_rows(tmp_path)
    points, unresolved = join_places(recs, resolve_places(recs, resolver))
    assert len(points) == 0
    assert len(unresolved) == 0
    assert points.crs.to_epsg() == 4326
