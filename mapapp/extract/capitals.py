"""The capital a text names by its country: "in the Tajik capital", "in the capital".

Wire copy names a capital by its country as often as by its name: "a raid in the
Kenyan capital", "arrested near the Russian base in the Tajik capital", "police in
the capital said". A careful reader puts that at the capital of the country the
demonym names, or, without one, of the country the article is about. When the name
follows ("the Kenyan capital, Nairobi", "the capital Abuja") or the phrase is "the
capital of X", the name is a place mention of its own and this step adds nothing.
The words are the cue files' ``capital_words``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapapp.extract.agencies import DEMONYMS
from mapapp.extract.words import alternation, cue_words

_CAPITAL = re.compile(
    rf"\b(?i:the)\s+(?:(?P<demonym>[A-Z][\w'’-]+)\s+)?(?i:{alternation(cue_words('capital_words'))})"
    r"(?:\s+(?i:city))?\b"
    # Not when a name follows ("the capital, Nairobi", "the capital Abuja") or "of X".
    r"(?!\s*,?\s*[A-Z]|\s+of\b|\s+de\b)"
)


@dataclass(frozen=True)
class CapitalPhrase:
    """Where a sentence names a capital by its country, and the country's code."""

    text: str
    start: int
    end: int
    country: str


def capital_phrases(text: str, hint: str | None) -> list[CapitalPhrase]:
    """Return the phrases of ``text`` that name a capital without its name.

    Parameters
    ----------
    text : str
        A sentence.
    hint : str, optional
        The article's country, for "the capital" with no demonym.

    Returns
    -------
    list of CapitalPhrase
        A demonym that names no country ("the Islamist capital") gives nothing.
    """
    found = []
    for match in _CAPITAL.finditer(text):
        demonym = match["demonym"]
        country = DEMONYMS.get(demonym.lower()) if demonym else hint
        if country:
            found.append(CapitalPhrase(match.group(0), match.start(), match.end(), country))
    return found
