"""Resolution rules of places.resolver, offline, against the real GeoNames index."""

import pytest

from places import Point, Resolution, Resolver
from places.fold import fold, refusal
from places.geo import haversine_km


@pytest.fixture
def resolver(tmp_path, index_path):
    with Resolver(cache_path=tmp_path / "cache.sqlite", index_path=index_path) as r:
        yield r


# (name as written, GeoNames id, country, lat, lon), read from cities500.
MOROCCO = [
    ("Casablanca", 2553604, "MA", 33.58831, -7.61138),
    ("Mohammedia", 2542051, "MA", 33.68607, -7.38298),
    ("Azilal", 2556570, "MA", 31.96156, -6.57109),
    ("Kenitra", 2544571, "MA", 34.26101, -6.5802),
    ("Kénitra", 2544571, "MA", 34.26101, -6.5802),
    ("Sidi Yahya Zaer", 2532821, "MA", 33.82977, -6.91262),
    ("Inezgane", 2545957, "MA", 30.35535, -9.53639),
    ("Ait Melloul", 10374934, "MA", 30.34164, -9.50356),
    ("Aït Melloul", 10374934, "MA", 30.34164, -9.50356),
    ("Chichaua", 2553303, "MA", 31.54351, -8.76275),
    ("Chichaoua", 2553303, "MA", 31.54351, -8.76275),
    ("Tetouan", 2528910, "MA", 35.57845, -5.36837),
    ("Tétouan", 2528910, "MA", 35.57845, -5.36837),
    ("Tetuan", 2528910, "MA", 35.57845, -5.36837),
    ("Fnideq", 2548818, "MA", 35.84906, -5.35747),
    ("Fnidek", 2548818, "MA", 35.84906, -5.35747),
    ("Nador", 2541479, "MA", 35.16813, -2.93352),
    ("Melilla", 2513947, "ES", 35.29369, -2.93833),
    ("Rabat", 2538475, "MA", 34.01325, -6.83255),
    ("Salé", 2537763, "MA", 34.0531, -6.79846),
    ("Sale", 2537763, "MA", 34.0531, -6.79846),
    ("Tangier", 2530335, "MA", 35.76727, -5.79975),
    ("Tanger", 2530335, "MA", 35.76727, -5.79975),
    ("Marrakech", 2542997, "MA", 31.63416, -7.99994),
    ("Marrakesh", 2542997, "MA", 31.63416, -7.99994),
    ("Fez", 2548885, "MA", 34.03313, -5.00028),
    ("Fès", 2548885, "MA", 34.03313, -5.00028),
    ("Meknes", 2542715, "MA", 33.89352, -5.54727),
    ("Meknès", 2542715, "MA", 33.89352, -5.54727),
    ("Oujda", 2540483, "MA", 34.68139, -1.90858),
    ("Agadir", 2561668, "MA", 30.42018, -9.59815),
    ("Al Hoceima", 2558545, "MA", 35.25165, -3.93723),
    ("Alhucemas", 2558545, "MA", 35.25165, -3.93723),
    ("Ksar El Kebir", 2544001, "MA", 35.00044, -5.90378),
    ("Larache", 2543549, "MA", 35.19321, -6.15572),
    ("Khouribga", 2544248, "MA", 32.88108, -6.9063),
    ("Beni Mellal", 2555745, "MA", 32.33725, -6.34983),
    ("Errachidia", 7280528, "MA", 31.9314, -4.42663),
    ("Taroudant", 2529649, "MA", 30.47028, -8.87695),
    ("Essaouira", 2549263, "MA", 31.5125, -9.77),
    ("Safi", 2537881, "MA", 32.29939, -9.23718),
    ("El Jadida", 2550078, "MA", 33.25682, -8.50882),
    ("Temara", 2529013, "MA", 33.92866, -6.90656),
    ("Skhirat", 2562055, "MA", 33.8527, -7.03171),
    ("Verviers", 2784821, "BE", 50.58907, 5.86241),
]


def test_moroccan_corpus_resolves_near_geonames_points_then_from_cache(resolver):
    names = [row[0] for row in MOROCCO]
    first = resolver.resolve_many(names, country="MA")
    for name, geonameid, cc, lat, lon in MOROCCO:
        res = first[name]
        assert res.ok, (name, res.error)
        point = res.points[0]
        assert haversine_km(point.lat, point.lon, lat, lon) < 25, name
        assert (point.geonameid, point.country_code) == (geonameid, cc), name
        assert not res.cached
    calls = resolver.stats.backend_calls
    second = resolver.resolve_many(names, country="MA")
    assert all(res.cached for res in second.values())
    assert resolver.stats.backend_calls == calls
    assert resolver.stats.cache_hits == len(names)
    assert [r.points for r in second.values()] == [r.points for r in first.values()]


def test_the_cache_survives_a_new_resolver(tmp_path, index_path):
    with Resolver(cache_path=tmp_path / "c.sqlite", index_path=index_path) as r:
        r.resolve("Kenitra", country="MA")
    with Resolver(cache_path=tmp_path / "c.sqlite", index_path=index_path) as r:
        res = r.resolve("Kénitra", country="MA")
        assert res.cached
        assert r.stats.backend_calls == 0
        assert res.points[0].geonameid == 2544571


def test_a_hint_is_a_preference_not_a_filter(resolver):
    res = resolver.resolve("Melilla", country="MA")
    assert res.points[0].country_code == "ES"
    assert res.points[0].geonameid == 2513947


def test_a_hint_settles_a_name_shared_by_two_countries(resolver):
    assert resolver.resolve("Tripoli", country="LB").points[0].country_code == "LB"
    assert resolver.resolve("Tripoli", country="LY").points[0].country_code == "LY"


@pytest.mark.parametrize(("name", "geonameid"), [("Laayoune", 2462881), ("Dakhla", 2463447)])
def test_a_morocco_hint_covers_western_sahara(resolver, name, geonameid):
    res = resolver.resolve(name, country="MA")
    assert res.points[0].country_code == "EH"
    assert res.points[0].geonameid == geonameid


def test_close_candidates_in_different_countries_abstain_with_a_reason(resolver):
    res = resolver.resolve("Tripoli")
    assert not res.ok
    assert res.points == ()
    assert res.error.startswith("ambiguous: 4 places named 'Tripoli' in 4 countries")
    assert res.error.endswith("and no hint")


def test_a_clear_winner_needs_no_hint(resolver):
    res = resolver.resolve("Casablanca")
    assert res.points[0].geonameid == 2553604


def test_a_canonical_name_beats_a_big_places_alternate_name(resolver):
    # Lomé (2.2 M) has "Rome" among its alternate names; Rome (2.3 M) is Rome.
    assert resolver.resolve("Rome").points[0].geonameid == 3169070


@pytest.mark.parametrize(
    "name", ["The", "the", "Al", "IS", "US", "UK", "ISIS", "FEZ", "  ", "Région"]
)
def test_stop_words_and_codes_are_refused_without_lookup(resolver, name):
    res = resolver.resolve(name)
    assert not res.ok
    assert res.error.startswith("refused:")
    assert resolver.stats.backend_calls == 0


def test_three_letter_names_in_ordinary_case_are_looked_up(resolver):
    assert refusal("Fez") is None
    assert refusal("Fès") is None
    assert resolver.resolve("Fès", country="MA").points[0].geonameid == 2548885


def test_a_compound_name_resolves_to_its_towns(resolver):
    res = resolver.resolve("Inezgane-Ait Melloul", country="MA")
    assert [p.geonameid for p in res.points] == [2545957, 10374934]
    assert res.precision == "city"
    assert res.source == "geonames"
    again = resolver.resolve("Inezgane - Aït Melloul", country="MA")
    assert again.cached  # another spelling of the same folded key
    assert [p.geonameid for p in again.points] == [2545957, 10374934]


def test_compound_with_and(resolver):
    res = resolver.resolve("Casablanca and Rabat", country="MA")
    assert [p.geonameid for p in res.points] == [2553604, 2538475]


def test_a_compound_of_spellings_of_one_town_is_one_point(resolver):
    res = resolver.resolve("Tetuan/Tetouan", country="MA")
    assert [p.geonameid for p in res.points] == [2528910]


def test_a_town_and_its_country_after_a_comma_is_not_a_compound(resolver):
    assert not resolver.resolve("Tetouan, Morocco", country="MA").ok


@pytest.mark.parametrize(
    ("name", "precision"),
    [
        ("Chtouka Ait Baha", "admin area"),
        ("the Rif", "region"),
        ("Rif", "region"),
        ("Souss", "region"),
        ("Oriental", "admin area"),
    ],
)
def test_provinces_and_regions_get_a_coarse_precision(resolver, name, precision):
    res = resolver.resolve(name, country="MA")
    assert res.precision == precision
    assert res.source == "region"
    assert res.points[0].geonameid is None
    assert res.points[0].country_code == "MA"


def test_a_region_spanning_countries_has_no_country(resolver):
    res = resolver.resolve("Sahel", country="MA")
    assert res.precision == "region"
    assert res.points[0].country_code is None


def test_a_country_name_is_placed_at_its_capital_with_country_precision(resolver):
    res = resolver.resolve("Morocco")
    assert res.precision == "country"
    point = res.points[0]
    assert (point.name, point.country_code) == ("Morocco", "MA")
    assert haversine_km(point.lat, point.lon, 34.01325, -6.83255) < 25  # Rabat
    assert resolver.resolve("The Netherlands").points[0].country_code == "NL"


def test_not_found_is_cached_with_its_reason(resolver):
    res = resolver.resolve("Xqzzyville Nowhere", country="MA")
    assert not res.ok
    assert res.error.startswith("not found:")
    calls = resolver.stats.backend_calls
    again = resolver.resolve("Xqzzyville Nowhere", country="MA")
    assert again.cached
    assert again.error == res.error
    assert resolver.stats.backend_calls == calls


def test_the_hint_is_part_of_the_cache_key(resolver):
    assert resolver.resolve("Tripoli", country="LB").points[0].country_code == "LB"
    res = resolver.resolve("Tripoli", country="LY")
    assert not res.cached
    assert res.points[0].country_code == "LY"


def test_resolve_many_resolves_each_distinct_name_once(resolver):
    out = resolver.resolve_many(["Nador", "Nador", "Oujda", "Nador"], country="MA")
    assert list(out) == ["Nador", "Oujda"]
    assert resolver.stats.backend_calls == 2


def test_resolution_round_trips_through_the_cache_value():
    res = Resolution(
        "X-Y",
        (Point("X", 1.0, 2.0, "MA", 1), Point("Y", 3.0, 4.0, None, None)),
        source="geonames",
        precision="city",
    )
    assert Resolution.from_value("X-Y", res.to_value(), cached=True) == Resolution(
        "X-Y", res.points, None, True, "geonames", "city"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tétouan", "TETOUAN"),
        ("Aït-Melloul", "ait melloul"),
        ("Ksar el-Kébir", "Ksar El Kebir"),
        ("Ta’izz", "Ta'izz"),
        ("Ta'izz", "Taizz"),
        ("  Sidi   Yahya\tZaer ", "sidi yahya zaer"),
        ("Łódź", "Lodz"),
        ("Straße", "strasse"),
    ],
)
def test_fold_meets_spelling_variants(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_different_names_apart():
    assert fold("Sale") != fold("Safi")
    assert fold("Aït-Melloul") == "ait melloul"


def test_a_bad_country_hint_is_an_error(resolver):
    from places.exc import ConfigurationError

    with pytest.raises(ConfigurationError, match="two-letter"):
        resolver.resolve("Rabat", country="Morocco")


def test_the_index_is_rebuilt_when_its_key_changes(tmp_path, index_path, monkeypatch):
    import shutil

    from places import gazetteer

    copy = tmp_path / "index.sqlite"
    shutil.copy(index_path, copy)
    built = []
    monkeypatch.setattr(gazetteer, "build_index", built.append)
    gazetteer.Gazetteer(copy).close()
    assert built == []  # same key: reused
    monkeypatch.setattr(gazetteer, "INDEX_FORMAT", "changed")
    gazetteer.Gazetteer(copy).close()
    assert built == [copy]
