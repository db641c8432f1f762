"""Score extracted arrest places against a gold file (tests/articles/gold.json schema).

Matching is per article and ignores which operation a point belongs to:

* every gold arrest place is one *slot*; a slot with an ``accept`` list is satisfied by any of
  its alternatives, but only once;
* a predicted point is a true positive when it lies within ``MAX_KM`` (haversine) of a slot of
  the same article that is not matched yet; pairs are taken nearest first;
* slots flagged ``"optional": true`` count in neither direction: they are not needed for recall,
  and a point that lands on one is neither a true nor a false positive;
* precision = TP / predicted points (optional hits excluded), recall = TP / required slots.

Each false positive is reported with its name, the nearest gold arrest place (and distance), and
the ``mentioned_not_arrest_places`` entry that names it, if any, so a developer can see why it
is wrong (dateline, court, place of a past attack, a suspect's home town, ...).
"""

from __future__ import annotations

import re
import unicodedata

from places.geo import haversine_km

MAX_KM = 25.0


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(text.replace("-", " ").replace("'", " ").split())


def _slots(article: dict) -> list[dict]:
    """One slot per gold arrest place: name, optional flag, candidate points."""
    slots = []
    for op in article.get("operations", []):
        for place in op.get("arrest_places", []):
            alternatives = place.get("accept") or [place]
            points = [(alt["lat"], alt["lon"]) for alt in alternatives]
            slots.append(
                {"name": place["name"], "optional": bool(place.get("optional")), "points": points}
            )
    return slots


def _predicted_points(operations: list[dict]) -> list[dict]:
    points = []
    for op in operations or []:
        for place in op.get("places", []):
            if place.get("lat") is None or place.get("lon") is None:
                continue  # an unresolved name is not a point on the map
            points.append(
                {
                    "name": place.get("name") or "?",
                    "lat": float(place["lat"]),
                    "lon": float(place["lon"]),
                }
            )
    return points


def _mentioned_hint(name: str, mentioned: list[str]) -> str | None:
    """The mentioned_not_arrest_places entry that names this place, if any."""
    key = _fold(name)
    if not key or key == "?":
        return None
    heads = [_fold(entry.split("(")[0]) for entry in mentioned]
    # Prefer an entry whose name part (before any parenthesis) names the place.
    for entry, head in zip(mentioned, heads, strict=True):
        if _has_words(head, key) or (head and _has_words(key, head)):
            return entry
    for entry in mentioned:
        if _has_words(_fold(entry), key):
            return entry
    return None


def _has_words(text: str, words: str) -> bool:
    return re.search(rf"\b{re.escape(words)}\b", text) is not None


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def score_article(article: dict, operations: list[dict]) -> dict:
    """Score the predicted operations of one article against its gold entry."""
    slots = _slots(article)
    points = _predicted_points(operations)
    pairs = []
    for pi, pt in enumerate(points):
        for si, slot in enumerate(slots):
            km = min(haversine_km(pt["lat"], pt["lon"], la, lo) for la, lo in slot["points"])
            if km <= MAX_KM:
                # Required slots before optional ones, then nearest first.
                pairs.append((slot["optional"], km, pi, si))
    pairs.sort()
    point_slot: dict[int, int] = {}
    taken: set[int] = set()
    for _, _, pi, si in pairs:
        if pi not in point_slot and si not in taken:
            point_slot[pi] = si
            taken.add(si)

    tp = sum(1 for si in point_slot.values() if not slots[si]["optional"])
    optional_hits = len(point_slot) - tp
    predicted = len(points) - optional_hits
    required = [s for s in slots if not s["optional"]]
    mentioned = article.get("mentioned_not_arrest_places", [])

    false_positives = []
    for pi, pt in enumerate(points):
        if pi in point_slot:
            continue
        fp = {
            "name": pt["name"],
            "lat": pt["lat"],
            "lon": pt["lon"],
            "mentioned": _mentioned_hint(pt["name"], mentioned),
        }
        if slots:
            km, near = min(
                (
                    min(haversine_km(pt["lat"], pt["lon"], la, lo) for la, lo in s["points"]),
                    s["name"],
                )
                for s in slots
            )
            fp.update(nearest_gold=near, km=round(km, 1))
        false_positives.append(fp)

    missed = [s["name"] for si, s in enumerate(slots) if not s["optional"] and si not in taken]
    return {
        "tp": tp,
        "fp": predicted - tp,
        "fn": len(missed),
        "predicted": predicted,
        "gold": len(required),
        "precision": _ratio(tp, predicted),
        "recall": _ratio(tp, len(required)),
        "false_positives": false_positives,
        "missed": missed,
    }


def score(gold_articles: list[dict], predictions: dict[str, list[dict]]) -> dict:
    """Score predictions (file name -> list of operations with ``places``) against gold.

    ``gold_articles`` is the ``articles`` list of a gold file. Articles missing from
    ``predictions`` count as having no predicted operations; predictions for files not in
    the gold are ignored.
    """
    per_article = {
        a["file"]: score_article(a, predictions.get(a["file"], [])) for a in gold_articles
    }
    totals = {
        k: sum(r[k] for r in per_article.values()) for k in ("tp", "fp", "fn", "predicted", "gold")
    }
    return {
        **totals,
        "precision": _ratio(totals["tp"], totals["predicted"]),
        "recall": _ratio(totals["tp"], totals["gold"]),
        "articles": per_article,
    }


def format_table(result: dict) -> str:
    """A per-article table, with the reasons for each false positive and miss."""
    lines = [f"{'article':<58} {'TP':>3} {'FP':>3} {'FN':>3} {'P':>5} {'R':>5}"]
    for name, r in result["articles"].items():
        lines.append(
            f"{name[:58]:<58} {r['tp']:>3} {r['fp']:>3} {r['fn']:>3} "
            f"{r['precision']:>5.2f} {r['recall']:>5.2f}"
        )
        for fp in r["false_positives"]:
            why = f"    FP {fp['name']} ({fp['lat']:.3f}, {fp['lon']:.3f})"
            if "nearest_gold" in fp:
                why += f"; nearest gold {fp['nearest_gold']} at {fp['km']} km"
            if fp["mentioned"]:
                why += f"; gold says: {fp['mentioned']}"
            lines.append(why)
        for miss in r["missed"]:
            lines.append(f"    missed {miss}")
    lines.append(
        f"{'TOTAL':<58} {result['tp']:>3} {result['fp']:>3} {result['fn']:>3} "
        f"{result['precision']:>5.2f} {result['recall']:>5.2f}"
    )
    return "\n".join(lines)
