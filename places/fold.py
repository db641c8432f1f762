"""Normalise place names so that spelling variants meet on one key.

Journalists write the same town as Tétouan, Tetouan or TETOUAN, Aït Melloul or
Ait-Melloul, and the GeoNames alternate names carry just as many variants.  Every
lookup (index, cache, overrides, regions) goes through :func:`fold`, so the rules
here are the single definition of "the same name".  Changing them changes every
key: bump :data:`places.gazetteer.INDEX_FORMAT` when you do.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophes vanish rather than become spaces, so "Ta'izz" and "Taizz" meet, and
# so do the many transliterations that mark ayn/hamza with a quote sign.
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʽʾʿ"), None)

# Letters that NFKD leaves alone because they are not "letter + accent".
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)

# Anything that is not a letter or digit (hyphens, dots, commas, brackets) separates
# words; runs of separators collapse to one space.
_SEPARATORS = re.compile(r"[\W_]+")

#: Words that are never place names on their own, whatever a gazetteer says (GeoNames
#: has villages called "The" and alternate names such as "Al").
# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "and", "at", "by", "de", "del", "der", "des", "di", "du", "el", "en", "et",
    "for", "from", "in", "is", "la", "le", "les", "los", "of", "on", "or", "the", "to",
    "al", "ul", "ad", "ar", "as", "ash", "az", "isis", "isil", "daesh", "city", "town",
    "village", "province", "region", "prefecture", "district", "north", "south", "east",
    "west", "central", "new", "old",
})
# fmt: on


def fold(name: str) -> str:
    """Return the comparison key of a place name.

    Parameters
    ----------
    name : str
        A place name as written.

    Returns
    -------
    str
        Lower case, without accents or apostrophes, with hyphens and other
        punctuation turned into single spaces.  ``fold("Aït-Melloul") ==
        fold("ait melloul") == "ait melloul"``.
    """
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().translate(_LETTERS)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def refusal(name: str) -> str | None:
    """Say why a name must not be looked up at all, or return None.

    Short tokens and stop words match thousands of GeoNames entries ("Al", "IS",
    "US"), so they are refused before any lookup.  Three-letter names are real
    towns (Fez, Fès, Ely), so they pass unless written in capitals, which in news
    copy means an acronym or a code (IS, USA, FEZ as an airport code).

    Parameters
    ----------
    name : str
        The name as written.

    Returns
    -------
    str or None
        The reason for refusing, or None when the name may be looked up.
    """
    folded = fold(name)
    letters = [c for c in name if c.isalpha()]
    if not folded:
        return f"refused: {name!r} contains no letters"
    if folded in STOP_WORDS:
        return f"refused: {name!r} is a stop word, not a place name"
    if len(folded.replace(" ", "")) <= 2:
        return f"refused: {name!r} is too short to be a place name"
    if len(folded.replace(" ", "")) == 3 and all(c.isupper() for c in letters):
        return f"refused: {name!r} looks like a code or acronym (3 capital letters)"
    return None
