"""Place resolution worldwide (issue 11): admin areas, document coherence, spelling variants."""

import json

import pytest

from places import Resolution, Resolver
from places.admin import AreaWords
from places.fold import fold
from places.geo import haversine_km
from places.variants import inflected, max_edits


@pytest.fixture
def resolver(tmp_path, index_path):
    with Resolver(cache_path=tmp_path / "cache.sqlite", index_path=index_path) as r:
        yield r


# 1. Provinces, states, governorates, districts, cantons.

# (name as written, hint, country, lat, lon of the area's rough centre, km allowed)
AREAS = [
    ("Bavaria", None, "DE", 48.9, 11.4, 120),
    ("Kaduna State", None, "NG", 10.5, 7.5, 120),
    ("Kaduna State", "NG", "NG", 10.5, 7.5, 120),
    ("Kasserine governorate", "TN", "TN", 35.2, 8.8, 60),
    ("Sindh", None, "PK", 26.0, 68.5, 200),
    ("the canton of Vaud", None, "CH", 46.6, 6.6, 40),
    ("Vaud canton", "CH", "CH", 46.6, 6.6, 40),
    ("Kerala", None, "IN", 10.0, 76.3, 150),
    ("Punjab", "PK", "PK", 31.0, 72.5, 250),
    ("Punjab", "IN", "IN", 30.9, 75.5, 150),
    ("Punjab province", "PK", "PK", 31.0, 72.5, 250),
    ("Khyber Pakhtunkhwa", None, "PK", 34.0, 71.8, 200),
    ("Borno", "NG", "NG", 11.8, 13.1, 150),
    ("Borno State", None, "NG", 11.8, 13.1, 150),
    ("Cabo Delgado", None, "MZ", -12.5, 39.8, 200),
    ("Andalusia", None, "ES", 37.4, -4.6, 200),
    ("Catalonia", None, "ES", 41.7, 1.8, 150),
    ("Rivers State", None, "NG", 4.8, 6.9, 100),
    ("Basra province", None, "IQ", 30.5, 47.8, 100),
    ("Idlib province", "SY", "SY", 35.9, 36.6, 60),
    ("Provincia de Cádiz", None, "ES", 36.5, -5.9, 80),
    ("Karachi District", "PK", "PK", 24.9, 67.1, 50),
    ("Kocaeli", "TR", "TR", 40.8, 29.9, 80),
    ("Alborz", "IR", "IR", 35.9, 50.9, 80),
    ("Paraná", "BR", "BR", -24.8, -51.0, 250),
]


@pytest.mark.parametrize(("name", "hint", "cc", "lat", "lon", "within"), AREAS)
def test_admin_areas_worldwide(resolver, name, hint, cc, lat, lon, within):
    res = resolver.resolve(name, country=hint)
    assert res.ok, res.error
    assert res.precision == "admin area"
    point = res.points[0]
    assert point.country_code == cc
    assert haversine_km(point.lat, point.lon, lat, lon) < within


@pytest.mark.parametrize(
    ("name", "hint", "cc", "lat", "lon"),
    [
        ("Leicestershire", "GB", "GB", 52.7, -1.2),
        ("Finistère", "FR", "FR", 48.2, -4.1),
        ("Kangra", "IN", "IN", 32.1, 76.3),
    ],
)
def test_a_bare_district_name_in_the_hinted_country(resolver, name, hint, cc, lat, lon):
    res = resolver.resolve(name, country=hint)
    assert res.ok, res.error
    assert res.precision in ("admin area", "city")
    assert res.points[0].country_code == cc
    assert haversine_km(res.points[0].lat, res.points[0].lon, lat, lon) < 60


def test_a_bare_district_name_abroad_is_not_read_as_one(resolver):
    assert not resolver.resolve("Leicestershire").ok


def test_a_district_of_a_misspelt_seat(resolver):
    res = resolver.resolve("Luweero District", country="UG")
    assert res.ok, res.error
    assert res.precision == "admin area"
    assert res.fuzzy
    assert res.points[0].name == "Luwero"


def test_an_area_from_the_list_carries_its_radius(resolver):
    res = resolver.resolve("Kerala")
    assert res.radius_km is not None
    assert 50 <= res.radius_km <= 400
    assert resolver.resolve("Casablanca", country="MA").radius_km is None


def test_mindanao_is_an_island_region(resolver):
    res = resolver.resolve("Mindanao")
    assert res.ok
    assert res.precision == "region"
    assert res.points[0].country_code == "PH"


@pytest.mark.parametrize(
    ("name", "hint", "cc"),
    [("Kaduna", "NG", "NG"), ("Kasserine", "TN", "TN"), ("Peshawar", "PK", "PK")],
)
def test_a_bare_seat_name_stays_the_city(resolver, name, hint, cc):
    res = resolver.resolve(name, country=hint)
    assert res.precision == "city"
    assert res.points[0].country_code == cc


@pytest.mark.parametrize("name", ["Delta", "Central", "Eastern", "Gulf", "Midlands"])
def test_a_common_word_is_no_area_on_its_own(resolver, name):
    res = resolver.resolve(name, country="NG")
    assert res.precision != "admin area"


def test_an_area_word_reads_before_and_after_the_core():
    words = AreaWords()
    assert words.split(fold("canton of Vaud")).core == "vaud"
    assert words.split(fold("Kaduna State")).core == "kaduna"
    assert words.split(fold("Governorate of Kasserine")).core == "kasserine"
    assert words.split(fold("Provincia de Cádiz")).core == "cadiz"
    assert words.split(fold("Nangade District")).district
    assert not words.split(fold("Sindh")).typed


def test_a_punjab_without_a_hint_is_ambiguous(resolver):
    res = resolver.resolve("Punjab")
    assert not res.ok
    assert res.error.startswith("ambiguous")


def test_a_seat_known_only_by_an_alternate_name_does_not_stand_for_an_area(resolver):
    # "Nineveh" is an alternate name of a village in Ohio.
    res = resolver.resolve("Nineveh governorate", country="IQ")
    assert not res.ok or res.points[0].country_code == "IQ"


# 2. Document coherence.


def test_cordoba_near_seville_is_spains(resolver):
    alone = resolver.resolve("Córdoba")
    assert not alone.ok  # Argentina's and Spain's: ambiguous without a hint
    answers = resolver.resolve_many(["Seville", "Córdoba", "Málaga"], coherent=True)
    cordoba = answers["Córdoba"]
    assert cordoba.ok
    assert cordoba.points[0].country_code == "ES"
    assert cordoba.close


def test_coherence_is_off_by_default(resolver):
    answers = resolver.resolve_many(["Seville", "Córdoba"])
    assert not answers["Córdoba"].ok


def test_valencia_in_a_spanish_article_is_spains(resolver):
    res = resolver.resolve_many(["Valencia", "Madrid"], country="ES", coherent=True)
    assert res["Valencia"].points[0].country_code == "ES"


def test_coherence_picks_the_namesake_near_the_other_places_elsewhere(resolver):
    # Hyderabad: India's and Pakistan's; among Karachi and Sukkur it is Pakistan's.
    answers = resolver.resolve_many(["Karachi", "Sukkur", "Hyderabad"], coherent=True)
    hyderabad = answers["Hyderabad"]
    assert hyderabad.ok
    assert hyderabad.points[0].country_code == "PK"


def test_a_coherent_answer_is_not_cached(resolver):
    resolver.resolve_many(["Seville", "Córdoba"], coherent=True)
    assert not resolver.resolve("Córdoba").ok


def test_a_close_choice_is_marked(resolver):
    # Valencia, Spain (hinted) against Valencia, Venezuela: won by less than 100x.
    assert resolver.resolve("Valencia", country="ES").close
    assert not resolver.resolve("Casablanca", country="MA").close


# 3. Spelling variants.


@pytest.mark.parametrize(
    ("name", "hint", "gazetteer_name", "cc"),
    [
        ("Tetwan", "MA", "Tétouan", "MA"),
        ("Kenitrah", "MA", "Kenitra", "MA"),
        ("Rawalpindy", "PK", "Rawalpindi", "PK"),
        ("Jehlum", "PK", "Jhelum", "PK"),
        ("Luweero", "UG", "Luwero", "UG"),
    ],
)
def test_a_spelling_variant_in_the_hinted_country(resolver, name, hint, gazetteer_name, cc):
    res = resolver.resolve(name, country=hint)
    assert res.ok, res.error
    assert res.fuzzy
    assert res.points[0].name == gazetteer_name
    assert res.points[0].country_code == cc


def test_no_variant_without_a_hint_or_abroad(resolver):
    assert not resolver.resolve("Tetwan").ok
    assert not resolver.resolve("Rawalpindy", country="MA").ok


@pytest.mark.parametrize(
    ("name", "hint"), [("Andrew", "US"), ("American", "AR"), ("Officers", "AU"), ("Rbat", "MA")]
)
def test_words_and_short_names_are_not_variants(resolver, name, hint):
    res = resolver.resolve(name, country=hint)
    assert not res.fuzzy


def test_variant_rules():
    assert max_edits("fes") == 0
    assert max_edits("tetwan") == 1
    assert max_edits("rawalpindy") == 2
    assert inflected("andrews", "andrew")
    assert inflected("america", "american")
    assert not inflected("kenitrah", "kenitra")


def test_an_exact_name_is_never_fuzzy(resolver):
    assert not resolver.resolve("Tetouan", country="MA").fuzzy


# The cache keeps the new fields, and the CLI shows them.


def test_the_new_fields_survive_the_cache(tmp_path, index_path):
    path = tmp_path / "c.sqlite"
    with Resolver(cache_path=path, index_path=index_path) as r:
        first = r.resolve("Tetwan", country="MA"), r.resolve("Kerala")
    with Resolver(cache_path=path, index_path=index_path) as r:
        again = r.resolve("Tetwan", country="MA"), r.resolve("Kerala")
    assert all(a.cached for a in again)
    assert [a.fuzzy for a in again] == [f.fuzzy for f in first] == [True, False]
    assert again[1].radius_km == first[1].radius_km


def test_a_damaged_flag_in_the_cache_is_a_miss():
    value = Resolution("X", error="not found: X").to_value()
    value["fuzzy"] = "yes"
    with pytest.raises(ValueError, match="not a cached resolution"):
        Resolution.from_value("X", value, cached=True)


def test_cli_json_says_fuzzy(places_run):
    proc = places_run("geocode", "Kenitrah", "--country", "MA", "--json")
    record = json.loads(proc.stdout)
    assert record["fuzzy"] is True
    assert record["close"] is False
    assert record["radius_km"] is None
