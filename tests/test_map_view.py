"""view_bounds: the map opens where most points are, a lone far point left out of the frame."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from folium.map import FitBounds
from map_fixtures import TOWNS, make_points
from shapely.geometry import Point

from mapapp.map.build import build_map
from mapapp.map.layer import OperationsLayer
from mapapp.map.view import view_bounds

# (lat, lon)
MOROCCO = {
    "Casablanca": (33.5731, -7.5898),
    "Rabat": (34.0209, -6.8416),
    "Tangier": (35.7595, -5.8340),
    "Tetouan": (35.5785, -5.3684),
    "Fes": (34.0181, -5.0078),
    "Nador": (35.1681, -2.9335),
    "Oujda": (34.6814, -1.9086),
    "Marrakesh": (31.6295, -7.9811),
    "Agadir": (30.4278, -9.5981),
    "Guelmim": (28.9870, -10.0574),
    "Laayoune": (27.1536, -13.2033),
    "Dakhla": (23.6848, -15.9580),
}
SPAIN = {
    "Ceuta": (35.8894, -5.3213),
    "Melilla": (35.2923, -2.9381),
    "Algeciras": (36.1408, -5.4562),
    "Granada": (37.1773, -3.5986),
    "Madrid": (40.4168, -3.7038),
    "Barcelona": (41.3874, 2.1686),
    "Valencia": (39.4699, -0.3763),
}
VERVIERS = (50.5891, 5.8624)
BERLIN = (52.5200, 13.4050)
JAKARTA = (-6.2088, 106.8456)


def bounds_of(points):
    lats, lons = zip(*points, strict=True)
    return min(lats), min(lons), max(lats), max(lons)


def view(points):
    lats, lons = zip(*points, strict=True)
    return view_bounds(lats, lons)


def test_all_in_morocco_frames_every_point_down_to_dakhla():
    points = list(MOROCCO.values()) * 3
    assert view(points) == bounds_of(MOROCCO.values())


def test_one_arrest_in_belgium_does_not_zoom_out_to_europe():
    points = list(MOROCCO.values()) * 2 + [VERVIERS]
    assert view(points) == bounds_of(MOROCCO.values())


def test_a_few_scattered_in_europe_are_left_out_too():
    points = list(MOROCCO.values()) * 3 + [VERVIERS, BERLIN, (52.3676, 4.9041), (48.8566, 2.3522)]
    assert view(points) == bounds_of(MOROCCO.values())


def test_spain_and_morocco_together_are_framed_together():
    points = list(MOROCCO.values()) * 2 + list(SPAIN.values())
    south, west, north, east = view(points)
    assert (south, north) == (MOROCCO["Dakhla"][0], SPAIN["Barcelona"][0])
    assert (west, east) == (MOROCCO["Dakhla"][1], SPAIN["Barcelona"][1])


def test_spain_and_morocco_with_one_in_belgium_leave_belgium_out():
    points = list(MOROCCO.values()) + list(SPAIN.values()) + [VERVIERS]
    assert view(points) == bounds_of([*MOROCCO.values(), *SPAIN.values()])


def test_spain_far_from_a_few_moroccan_towns_is_framed_when_it_holds_a_fair_share():
    # Madrid and Valencia alone (no Andalusian link): a cluster of its own, kept.
    points = [MOROCCO["Casablanca"]] * 8 + [SPAIN["Madrid"], SPAIN["Valencia"]]
    assert view(points) == bounds_of(points)
    # Barcelona joins through Valencia (300 km); Verviers stays out.
    with_barcelona = [*points, SPAIN["Barcelona"]]
    assert view([*with_barcelona, VERVIERS]) == bounds_of(with_barcelona)


def test_a_single_point():
    assert view([MOROCCO["Rabat"]]) == (*MOROCCO["Rabat"], *MOROCCO["Rabat"])


def test_the_same_place_many_times():
    assert view([MOROCCO["Fes"]] * 50) == (*MOROCCO["Fes"], *MOROCCO["Fes"])


def test_two_far_clusters_of_equal_weight_are_both_framed():
    morocco = [MOROCCO["Casablanca"], MOROCCO["Rabat"], MOROCCO["Fes"]]
    java = [JAKARTA, (-6.9175, 107.6191), (-7.2575, 112.7521)]  # Jakarta, Bandung, Surabaya
    assert view(morocco * 4 + java * 4) == bounds_of(morocco + java)


def test_two_single_points_far_apart_are_both_framed():
    assert view([MOROCCO["Rabat"], VERVIERS]) == bounds_of([MOROCCO["Rabat"], VERVIERS])


def test_missing_coordinates_are_ignored_and_none_left_means_no_bounds():
    assert view_bounds([], []) is None
    assert view_bounds([math.nan], [1.0]) is None
    assert view_bounds([34.0, np.inf, math.nan], [-6.8, 1.0, 2.0]) == (34.0, -6.8, 34.0, -6.8)


@pytest.mark.parametrize("count", [1_000, 100_000])
def test_points_spread_thinly_over_the_world_are_all_framed(count):
    rng = np.random.default_rng(0)
    lats, lons = rng.uniform(-60, 70, count), rng.uniform(-179, 179, count)
    assert view_bounds(lats, lons) == (lats.min(), lons.min(), lats.max(), lons.max())


def test_the_exported_map_opens_on_morocco_and_still_draws_belgium():
    points = make_points()
    far = points.iloc[[0]].copy()
    far["op_id"], far["place_name"], far["country_code"] = "far", "Verviers", "BE"
    far["geometry"] = [Point(VERVIERS[1], VERVIERS[0])]
    the_map = build_map(gpd.GeoDataFrame(pd.concat([points, far]), crs=points.crs))
    (fit,) = [c for c in the_map._children.values() if isinstance(c, FitBounds)]
    (south, west), (north, east) = fit.bounds
    assert (south, west, north, east) == bounds_of(TOWNS.values())  # not up to Verviers
    (layer,) = [c for c in the_map._children.values() if isinstance(c, OperationsLayer)]
    assert len(layer.data["ops"]) == len(set(points["op_id"])) + 1  # Verviers is drawn
