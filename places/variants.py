"""Spelling variants: "Tetwan" is Tetouan, "Kenitrah" Kenitra, "Rawalpindy" Rawalpindi.

Transliterations from Arabic, Urdu or Pashto differ by a letter or two from every
spelling GeoNames lists.  A name that matches nothing is compared with the names of
the bigger places of the hinted countries only (a hint says where the text is; a
variant anywhere in the world would turn common words into villages), and accepted
only when it is unambiguous: one place at the smallest distance.

What counts as a variant, kept strict because every unknown capitalised word of an
article is looked up:

* the same first letter (a misspelling rarely starts a word wrong);
* not the same name plus an English ending (``data/variant_rules.json``: "Andrew"
  is not Andrews, "American" not América);
* at most :data:`MAX_WORDS` words, letters only;
* at most one edit for names of :data:`ONE_EDIT_LENGTH` letters or more, two for
  names of :data:`TWO_EDITS_LENGTH` or more; shorter names are never varied;
* places of :data:`places.gazetteer.VARIANT_MIN_POPULATION` people or more (the
  towns a report names), by their Latin-script names.

The name index files those names by country, initial and length, so a lookup reads
the few dozen names of about the right length and :mod:`rapidfuzz` computes their
distances.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from places.gazetteer import Gazetteer

ONE_EDIT_LENGTH = 5
TWO_EDITS_LENGTH = 9
#: Longer runs of words are phrases ("Ministry of the Interior"), not misspelt towns.
MAX_WORDS = 3

RULES_FILE = Path(__file__).parent / "data" / "variant_rules.json"

with RULES_FILE.open(encoding="utf-8") as _fh:
    #: Endings that turn a place name into an English word ("America" + "n").
    INFLECTIONS = frozenset(json.load(_fh)["inflections"])


def inflected(a: str, b: str) -> bool:
    """True when one name is the other plus an English ending (Andrew, Andrews)."""
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and long_[len(short) :] in INFLECTIONS


def max_edits(folded: str) -> int:
    """How many edits a name may be from its variant (0: never varied)."""
    if folded.count(" ") >= MAX_WORDS or not folded.replace(" ", "").isalpha():
        return 0
    letters = len(folded.replace(" ", ""))
    if letters >= TWO_EDITS_LENGTH:
        return 2
    return 1 if letters >= ONE_EDIT_LENGTH else 0


def find_variant(
    gazetteer: Gazetteer, folded: str, countries: frozenset[str]
) -> tuple[str, int] | None:
    """Return (the name a misspelt name varies, its geonameid), or None.

    Parameters
    ----------
    gazetteer : places.gazetteer.Gazetteer
    folded : str
        A folded name that matched nothing.
    countries : frozenset of str
        Where to look (the hint and the countries it covers).

    Returns
    -------
    tuple or None
        None when no name is close enough, or when two places are equally close.
    """
    edits = max_edits(folded)
    if not edits or not countries:
        return None
    lengths = (len(folded) - edits, len(folded) + edits)
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for code in sorted(countries):
        rows = gazetteer.variant_names(code, folded[0], lengths)
        if not rows:
            continue
        names = [name for name, _ in rows]
        for name, distance, index in process.extract(
            folded, names, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
        ):
            if not inflected(folded, name):
                found[int(distance)].append((name, rows[index][1]))
    if not found:
        return None
    nearest = found[min(found)]
    return nearest[0] if len({gid for _, gid in nearest}) == 1 else None
