"""One alias table for the armed groups that news reports name, and how names are matched.

Reports spell the same group many ways (Daesh, ISIL, "Islamic State", al-Qaida...). The map
colours and filters by group, so every spelling must land on one canonical name; but the
source's own word matters to a reader, so records keep it beside the canonical name
(``affiliation_as_written``). A name that is not in the table is kept as written rather
than forced into a wrong group or dropped: the normalisation never loses the word.

The table is data, ``mapapp/data/groups.csv``, read here by the records'
normaliser and by the extractor's group finder (:mod:`mapapp.extract.groups`), so
the two can never disagree. One row per group: ``name`` (canonical), ``aliases``
(``|``-separated, any case), ``exact`` (``|``-separated, counted in running text only
as written: "IS" but not "is", "The Base" but not "the base") and a ``note``. Regional
Islamic State provinces (ISWAP, ISGS, ISKP, IS Mozambique, ...) are their own
names, because analysts and reports keep them apart; "pro-" before any name is that
group's supporters ("pro-Daesh" is ISIS).

Names typed by different hands differ in case, accents, apostrophes, hyphens and
spaces; :func:`fold` removes those differences for lookups, and :func:`text_pattern`
allows them when finding names in running text. The agency table
(:mod:`mapapp.extract.agencies`) is matched the same way.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

UNKNOWN = "unknown"

GROUPS_FILE = Path(__file__).resolve().parents[1] / "data" / "groups.csv"
"""The groups table (shipped with the package)."""

# Words analysts type for "no group known"; anything that folds to nothing counts too.
_UNKNOWN_WORDS = (UNKNOWN, "n/a", "none", "not known", "not stated", "unidentified")

_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class VocabularyRow:
    """One row of a names table: the canonical name and the ways reports write it.

    Attributes
    ----------
    name : str
        The canonical name the map shows and filters by.
    aliases : tuple of str
        Spellings matched in any case.
    exact : tuple of str
        Spellings matched in running text only as written (acronyms that are also
        words, such as "IS", and names made of common words).
    """

    name: str
    aliases: tuple[str, ...]
    exact: tuple[str, ...]


def split_cell(cell: str | None) -> tuple[str, ...]:
    """Return the ``|``-separated entries of a table cell, stripped, empty ones dropped.

    Parameters
    ----------
    cell : str or None

    Returns
    -------
    tuple of str
    """
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


def read_groups(path: Path = GROUPS_FILE) -> tuple[VocabularyRow, ...]:
    """Read the groups table, in its order (the legend order).

    Parameters
    ----------
    path : pathlib.Path
        A CSV with the columns ``name``, ``aliases``, ``exact`` (``part_of`` is read by
        :func:`read_part_of`; ``note`` is ignored).

    Returns
    -------
    tuple of VocabularyRow
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            VocabularyRow(
                row["name"].strip(), split_cell(row["aliases"]), split_cell(row["exact"])
            )
            for row in csv.DictReader(handle)
            if row["name"].strip()
        )


GROUPS: tuple[VocabularyRow, ...] = read_groups()
"""The groups table, in legend order."""


def read_part_of(path: Path = GROUPS_FILE) -> dict[str, str]:
    """Read which group each group belongs to ("ISKP" is part of "ISIS").

    Parameters
    ----------
    path : pathlib.Path
        The groups table; its ``part_of`` column names the broader group, if any.

    Returns
    -------
    dict of str to str
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["name"].strip(): row["part_of"].strip()
            for row in csv.DictReader(handle)
            if row["name"].strip() and (row.get("part_of") or "").strip()
        }


PART_OF: dict[str, str] = read_part_of()
"""The broader group of each regional branch or affiliate: ISKP is part of ISIS."""

KNOWN_AFFILIATIONS: tuple[str, ...] = tuple(row.name for row in GROUPS)
"""Canonical group names in legend order (``UNKNOWN`` and unlisted names are not in it)."""


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


def name_key(text: str) -> str:
    """Return the lookup key of a name: folded, with the spaces removed too.

    "al Qaeda", "al-Qaeda" and "AlQaeda" share a key, as do "Policía Nacional" and
    "policia nacional".

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return fold(text).replace(" ", "")


def vocabulary_lookup(rows: Iterable[VocabularyRow]) -> dict[str, str]:
    """Return the key of every spelling of ``rows`` -> its canonical name.

    The canonical name is itself a spelling, so normalising twice changes nothing.

    Parameters
    ----------
    rows : iterable of VocabularyRow

    Returns
    -------
    dict of str to str

    Raises
    ------
    ValueError
        When two rows share a spelling: the table would be read differently
        depending on its order.
    """
    lookup: dict[str, str] = {}
    for row in rows:
        for spelling in (row.name, *row.aliases, *row.exact):
            key = name_key(spelling)
            if lookup.get(key, row.name) != row.name:
                raise ValueError(f"{spelling!r} is both {lookup[key]!r} and {row.name!r}")
            lookup[key] = row.name
    return lookup


# Where a spelling has a space, hyphen, apostrophe or dot, a text may have any of
# them, a few, or none ("al Qaeda", "al-Qaeda", "AlQaeda"; "Da'esh", "Da’esh", "Daesh"),
# but not a comma, colon, bracket or quote, which end a name. Written as a negated
# class because a list of those characters makes the tables' patterns several times
# slower to compile.
_GAP = r"[^\w,;:()\[\]\"]{0,3}"


def _letters(spelling: str, *, exact: bool) -> list[tuple[str, str, bool]]:
    """Return (letter as keyed, letter as written, gap before it) for each letter."""
    out: list[tuple[str, str, bool]] = []
    gap = False
    for char in spelling:
        if not char.isalnum():
            gap = bool(out)
            continue
        for letter in char if exact else fold(char):
            out.append((letter, char, gap))
            gap = False
    return out


def _trie_pattern(spellings: Iterable[list[tuple[str, str, bool]]], *, exact: bool) -> str:
    """One regular expression for many spellings: a trie of their letters.

    A trie tries each letter once at a position, instead of every spelling, so a
    table of hundreds of names costs about what a dozen cost. Its branches start
    with different letters, so the first that matches is the only one, and the
    longest spelling wins ("Islamic State in the Greater Sahara" over "Islamic State").
    """
    trie: dict = {}
    for letters in spellings:
        node = trie
        for letter, written, gap in letters:
            entry = node.setdefault(letter, [{}, False, set()])
            entry[1] |= gap
            entry[2].add(letter if exact else written.lower())
            node = entry[0]
        node[""] = None

    def emit(node: dict) -> str:
        branches = []
        for letter, (child, gap, written) in sorted((k, v) for k, v in node.items() if k):
            # "Polícia" in the table also finds "Policia" in a text, and the reverse.
            variants = sorted(written | {letter})
            piece = re.escape(letter) if len(variants) == 1 else f"[{''.join(variants)}]"
            branches.append((_GAP if gap else "") + piece + emit(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def text_pattern(rows: Iterable[VocabularyRow]) -> str:
    """Return a regular expression body finding any spelling of ``rows`` in running text.

    Aliases match in any case; exact spellings only as written. Separators,
    apostrophes and dots may vary as :func:`fold` lets them. The caller adds the
    word boundaries it needs; :func:`vocabulary_lookup` tells which row a match is.

    Parameters
    ----------
    rows : iterable of VocabularyRow

    Returns
    -------
    str
    """
    rows = tuple(rows)
    exact = _trie_pattern((_letters(s, exact=True) for row in rows for s in row.exact), exact=True)
    loose = _trie_pattern(
        (_letters(s, exact=False) for row in rows for s in row.aliases), exact=False
    )
    return "(?:" + "|".join(filter(None, (exact, loose and f"(?i:{loose})"))) + ")"


_LOOKUP: dict[str, str] = {name_key(word): UNKNOWN for word in _UNKNOWN_WORDS}
_LOOKUP.update(vocabulary_lookup(GROUPS))
_SUPPORTERS = "pro"


@lru_cache(maxsize=4096)
def normalise_affiliation(text: str | None) -> str:
    """Map a group name as written to its canonical name.

    Parameters
    ----------
    text : str or None
        The group as a source or an analyst wrote it; "pro-" before a known name is
        that group ("pro-ISIS" is ISIS).

    Returns
    -------
    str
        A name from ``KNOWN_AFFILIATIONS``; ``UNKNOWN`` for an empty or "unknown"
        value; otherwise the text itself, stripped, so an unlisted group keeps its name.
    """
    written = (text or "").strip()
    key = name_key(written)
    if not key:
        return UNKNOWN
    found = _LOOKUP.get(key)
    if found is None and key.startswith(_SUPPORTERS):
        found = _LOOKUP.get(key.removeprefix(_SUPPORTERS))
        found = None if found == UNKNOWN else found
    return found or written
