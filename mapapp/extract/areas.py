"""Names the sentence calls areas: "the Almaty region", "the provinces of Tehran, Alborz".

English writes the kind of an administrative area in lower case beside its name, or
once for a whole list: "in the southern Almaty region", "in the Western Kazakhstan
and Aktobe regions", "in the provinces of Tehran, Alborz, Fars and Khuzestan",
"Nangade district". The capitalised name alone ("Almaty", "Tehran") is first a
town; written with its area word the resolver reads it as the area ("Almaty
region"). This step finds those names and the area word that goes with each, so
the extractor can ask for the area. The area nouns are the ``area_nouns`` of the
cue files.
"""

from __future__ import annotations

import re

from mapapp.extract.mentions import Mention
from mapapp.extract.roles import PREPOSITIONS, group_lists
from mapapp.extract.words import alternation, cue_words

_NOUNS = cue_words("area_nouns")
_ALTERNATIVES = alternation(_NOUNS)
#: The noun right after a name or a list: "Almaty region", "Aktobe regions".
_AFTER = re.compile(rf"^\s+(?P<noun>{_ALTERNATIVES})\b", re.I)
#: The noun of "the provinces of X, Y", "the region of X" before a name or list.
_OF = alternation(w for w, english in PREPOSITIONS.items() if english == "of")
_BEFORE = re.compile(rf"\b(?P<noun>{_ALTERNATIVES})\s+(?:{_OF})\s+(?:the\s+)?$", re.I)


def singular(noun: str) -> str:
    """The singular of an English area noun: "counties" is "county", "regions" "region"."""
    noun = noun.lower()
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith("s") and noun[:-1] in _NOUNS:
        return noun[:-1]
    return noun


def typed_names(text: str, mentions: list[Mention]) -> dict[int, str]:
    """Return, by position in ``mentions``, the area name of each mention written as one.

    Parameters
    ----------
    text : str
        The sentence.
    mentions : list of Mention
        Its place mentions.

    Returns
    -------
    dict of int to str
        ``"Almaty region"`` for the mention "Almaty" of "the Almaty region". A
        plural noun after a list, or a noun with "of" before it, types every member
        of the list; a singular one after a list, only the last member.
    """
    index = {id(m): k for k, m in enumerate(mentions)}
    typed: dict[int, str] = {}
    for members in group_lists(mentions, text):
        head, tail = members[0], members[-1]
        before = _BEFORE.search(text, max(head.start - 40, 0), head.start)
        after = _AFTER.match(text[tail.end : tail.end + 40])
        if before is not None:
            noun, chosen = before["noun"], members
        elif after is not None:
            noun = after["noun"]
            chosen = members if singular(noun) != noun.lower() else [tail]
        else:
            continue
        for mention in chosen:
            if not mention.text.lower().endswith(singular(noun)):
                typed[index[id(mention)]] = f"{mention.text} {singular(noun)}"
    return typed
