"""Numbers as news copy writes them: "six", "Twenty-one", "11", "2,963", "3.500".

Counts of people arrested and cells dismantled are written in words as often as in
digits, and wire copy from different countries groups thousands with commas or
full stops. One parser for all of them keeps the count rules readable.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_WORDS = {**_UNITS, **_TENS, **_SCALES, "dozen": 12, "a": 1, "an": 1, "single": 1}

_word_alternatives = "|".join(sorted((*_UNITS, *_TENS), key=len, reverse=True))

#: A number in words or digits, as a regular expression fragment (no groups).
NUMBER = (
    r"(?:\d{1,3}(?:[,.]\d{3})+(?!\d)|\d+"
    rf"|(?:{_word_alternatives})(?:[- ](?:{_word_alternatives}))?"
    r"(?:\s+(?:hundred|thousand)(?:\s+(?:and\s+)?(?:"
    rf"{_word_alternatives})(?:[- ](?:{_word_alternatives}))?)?)?"
    r"|a\s+dozen|dozens|a\s+single|an?)"
)


def parse_number(text: str) -> int | None:
    """Return the value of a number written in digits or English words.

    Parameters
    ----------
    text : str
        "6", "2,963", "3.500", "six", "Twenty-one", "two hundred and five",
        "a dozen", "a" (one).

    Returns
    -------
    int or None
        None when the text is not a number ("dozens" is vague, so it is None too).
    """
    cleaned = text.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", cleaned):
        return int(re.sub(r"[,.]", "", cleaned))
    if cleaned.isdigit():
        return int(cleaned)
    total, current = 0, 0
    words = [w for w in re.split(r"[\s-]+", cleaned) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word not in _WORDS:
            return None
        value = _WORDS[word]
        if word in _SCALES:
            current = max(current, 1) * value
            if value == 1000:
                total, current = total + current, 0
        elif word == "dozen":
            current = max(current, 1) * 12
        else:
            current += value
    return total + current
