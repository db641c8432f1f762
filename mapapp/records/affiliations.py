"""One alias table for the armed groups that news reports name.

Reports spell the same group many ways (Daesh, ISIL, "Islamic State", al-Qaida...). The map
colours and filters by group, so every spelling must land on one canonical name; but the
source's own word matters to a reader, so records keep it beside the canonical name
(``affiliation_as_written``). A name that is not in the table is kept as written rather
than forced into a wrong group or dropped: the normalisation never loses the word.
"""

import re
import unicodedata
from functools import lru_cache

UNKNOWN = "unknown"

# Canonical name -> spellings met in reports. The canonical name is itself an alias, so
# normalising an already normalised value is a no-op. The order is the legend order.
_ALIASES: dict[str, tuple[str, ...]] = {
    "ISIS": (
        "IS",
        "ISIL",
        "Daesh",
        "Da'esh",
        "Daech",
        "Daish",
        "Islamic State",
        "Islamic State in Iraq and Syria",
        "Islamic State of Iraq and Syria",
        "Islamic State of Iraq and the Levant",
        "Islamic State in Iraq and the Levant",
        "Etat islamique",
        "Estado Islámico",
        "pro-ISIS",
        "pro-IS",
        "pro-Daesh",
        "pro-Islamic State",
    ),
    "Al-Qaeda": ("al-Qaida", "al Qaeda", "al-Qa'ida", "AQ", "Qaeda", "Al Qaida"),
    "AQIM": (
        "Al-Qaeda in the Islamic Maghreb",
        "al-Qaida in the Islamic Maghreb",
        "AQMI",
        "Al-Qaida au Maghreb islamique",
    ),
    "AQAP": ("Al-Qaeda in the Arabian Peninsula", "al-Qaida in the Arabian Peninsula"),
    "MUJAO": ("Movement for Oneness and Jihad in West Africa", "MOJWA"),
    "JNIM": (
        "Jama'at Nusrat al-Islam wal-Muslimin",
        "Jamaat Nasr al-Islam wal Muslimin",
        "GSIM",
    ),
    "Boko Haram": ("Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "JAS"),
    "Al-Shabaab": ("al-Shabab", "Shabaab", "Harakat al-Shabaab al-Mujahideen"),
    "ISWAP": ("Islamic State West Africa Province", "Islamic State's West Africa Province"),
    "ISGS": (
        "Islamic State in the Greater Sahara",
        "EIGS",
        "Islamic State Sahel Province",
        "ISSP",
    ),
    "ISKP": ("ISIS-K", "IS-K", "Islamic State Khorasan Province", "Islamic State Khorasan"),
}

# Words analysts type for "no group known"; anything that folds to nothing counts too.
_UNKNOWN_WORDS = (UNKNOWN, "n/a", "none", "not known", "not stated", "unidentified")

KNOWN_AFFILIATIONS: tuple[str, ...] = tuple(_ALIASES)
"""Canonical group names in legend order (``UNKNOWN`` and unlisted names are not in it)."""

_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold text for matching names typed by different hands.

    Case, accents, apostrophes and punctuation (hyphens included) vary between
    sources for the same name, so they are removed: ``"Da'esh"`` -> ``"daesh"``,
    ``"Tétouan"`` -> ``"tetouan"``, ``"Inezgane-Ait Melloul"`` -> ``"inezgane ait melloul"``.

    Parameters
    ----------
    text : str
        Any name.

    Returns
    -------
    str
        Lower-case words without accents, separated by single spaces.
    """
    bare = text
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare.casefold().translate(_APOSTROPHES)).strip()


def _key(text: str) -> str:
    # Spaces go too, so "al Qaeda", "al-Qaeda" and "AlQaeda" share a key.
    return fold(text).replace(" ", "")


_LOOKUP: dict[str, str] = {_key(word): UNKNOWN for word in _UNKNOWN_WORDS}
_LOOKUP.update(
    {
        _key(alias): canonical
        for canonical, aliases in _ALIASES.items()
        for alias in (canonical, *aliases)
    }
)


@lru_cache(maxsize=4096)
def normalise_affiliation(text: str | None) -> str:
    """Map a group name as written to its canonical name.

    Parameters
    ----------
    text : str or None
        The group as a source or an analyst wrote it.

    Returns
    -------
    str
        A name from ``KNOWN_AFFILIATIONS``; ``UNKNOWN`` for an empty or "unknown"
        value; otherwise the text itself, stripped, so an unlisted group keeps its name.
    """
    written = (text or "").strip()
    key = _key(written)
    if not key:
        return UNKNOWN
    return _LOOKUP.get(key, written)
