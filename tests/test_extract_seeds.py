"""The seed articles: the places of the gold operations, found with real GeoNames.

A predicted point is right within 25 km of a gold arrest place of the same article
(Verviers may be found or not). Precision and recall must both reach 0.9, and no
dateline, reference point or conflict zone may come out as an arrest place.
"""

import json
from pathlib import Path

import pytest

from mapapp.extract import PlaceLookup, extract_file
from places import Resolver
from places.geo import haversine_km

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
OPTIONAL = {"Verviers"}
TOLERANCE_KM = 25.0


def km(a, b):
    return haversine_km(*a, *b)


def gold_places(article):
    """Return (required, optional) lists of accepted-point lists, one per gold place."""
    required, optional = [], []
    for op in article["operations"]:
        for place in op["arrest_places"]:
            points = [(p["lat"], p["lon"]) for p in place.get("accept", [place])]
            (optional if place["name"] in OPTIONAL else required).append(points)
    return required, optional


@pytest.fixture(scope="module")
def predictions(tmp_path_factory):
    if not (SEEDS / "gold.json").exists():
        pytest.skip(f"seed articles not found at {SEEDS}")
    resolver = Resolver(cache_path=tmp_path_factory.mktemp("seeds") / "c.sqlite")
    lookup = PlaceLookup(resolver)
    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
    out = {}
    for article in gold["articles"]:
        results = list(extract_file(SEEDS / article["file"], lookup=lookup))
        out[article["file"]] = (article, results)
    resolver.close()
    return out


def test_seed_places_precision_and_recall(predictions):
    true_pos = false_pos = found_required = required_total = 0
    for article, results in predictions.values():
        required, optional = gold_places(article)
        required_total += len(required)
        points = [(p.lat, p.lon) for r in results for op in r.operations for p in op.places]
        for point in points:
            if any(km(point, g) <= TOLERANCE_KM for place in required for g in place):
                true_pos += 1
            elif not any(km(point, g) <= TOLERANCE_KM for place in optional for g in place):
                false_pos += 1
        found_required += sum(
            any(km(point, g) <= TOLERANCE_KM for point in points for g in place)
            for place in required
        )
    precision = true_pos / max(true_pos + false_pos, 1)
    recall = found_required / required_total
    assert precision >= 0.9, f"precision {precision:.2f}"
    assert recall >= 0.9, f"recall {recall:.2f}"


def test_no_dateline_reference_or_conflict_zone_is_an_arrest_place(predictions):
    forbidden = {
        "Rabat",
        "Paris",
        "Syria",
        "Iraq",
        "Libya",
        "Morocco",
        "Spain",
        "Germany",
        "Washington",
        "Belgium",
        "France",
    }
    for _, results in predictions.values():
        names = {p.gazetteer_name for r in results for op in r.operations for p in op.places}
        assert not names & forbidden


def test_statistics_only_articles_have_no_operations(predictions):
    for name in ("003_47cf6137b35ac7cd.txt", "004_e54454c0b54455df.txt"):
        _, results = predictions[name]
        assert [op for r in results for op in r.operations] == []
        assert [f for r in results for f in r.figures]


def test_seed_operations_are_grouped_and_counted(predictions):
    _, results = predictions["001_590496950ddb5f2d.txt"]
    ops = results[0].operations
    assert [op.arrested for op in ops] == [5, 11]
    assert ops[0].affiliation == "ISIS"
    _, results = predictions["000_081dc160cb86d382.txt"]
    op = results[0].operations[0]
    assert (op.date, op.date_precision, op.arrested) == ("2022-01-04", "day", 6)
