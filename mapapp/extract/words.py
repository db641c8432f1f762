"""Word lists of the extraction rules: written as text, or read from the cue files.

The cue vocabularies live in ``data/cues_<language>.json`` beside this module, so
they can be extended without touching the rules. Every cue file is read and its
lines are joined under the same keys: an article in English quoting a Spanish
statement, or a corpus in French, is read with every language's cues at once, and
a new language is one new file.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources


def wordset(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``text`` as a set.

    The rules' vocabularies are long; written as running text they stay readable
    and easy to extend, one line per theme.
    """
    return frozenset(text.split())


@cache
def _cue_files() -> tuple[dict, ...]:
    """Read every ``cues_*.json`` file of the package's data folder, by name."""
    folder = resources.files("mapapp.extract").joinpath("data")
    files = sorted(
        (p for p in folder.iterdir() if p.name.startswith("cues_") and p.name.endswith(".json")),
        key=lambda p: p.name,
    )
    return tuple(json.loads(p.read_text(encoding="utf-8")) for p in files)


def cue_words(key: str) -> frozenset[str]:
    """Return the cue words filed under ``key`` in every language's cue file.

    Parameters
    ----------
    key : str
        A key of the files' ``words`` object ("arrest", "place_nouns", ...).

    Returns
    -------
    frozenset of str
        Lower-case words; empty when no file has the key.
    """
    return frozenset(
        word
        for data in _cue_files()
        for line in data.get("words", {}).get(key, ())
        for word in line.split()
    )


def cue_phrases(key: str) -> frozenset[tuple[str, ...]]:
    """Return the cue phrases filed under ``key``, each as a tuple of its words.

    Parameters
    ----------
    key : str
        A key of the files' ``phrases`` object ("arrest", "list_openers").

    Returns
    -------
    frozenset of tuple of str
    """
    return frozenset(
        tuple(phrase.split())
        for data in _cue_files()
        for phrase in data.get("phrases", {}).get(key, ())
    )


def cue_values(key: str) -> dict[str, int]:
    """Return the word values filed under ``key`` in every language's cue file.

    Parameters
    ----------
    key : str
        A key of the files' ``values`` object: "number_units" ("six": 6),
        "number_tens", "number_scales", "months" ("march": 3, "marzo": 3),
        "weekdays" ("monday": 0, "lunes": 0).

    Returns
    -------
    dict of str to int
        Lower-case words and their values; a word two files give is taken from the
        file read last (files are read by name).
    """
    return {
        word: value
        for data in _cue_files()
        for word, value in data.get("values", {}).get(key, {}).items()
    }


def cue_translations(key: str) -> dict[str, str]:
    """Return the word-to-English table filed under ``key`` in every cue file.

    Parameters
    ----------
    key : str
        A top-level object of the files: "prepositions" ("en": "in", "de": "of").

    Returns
    -------
    dict of str to str
    """
    return {word: english for data in _cue_files() for word, english in data.get(key, {}).items()}


def alternation(words) -> str:
    """A regular-expression alternation of ``words``, longest first, each escaped.

    Longest first, so that "detained" is not matched as "detain" with a leftover.
    """
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
