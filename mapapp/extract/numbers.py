"""Numbers as news copy writes them: "six", "Twenty-one", "11", "2,963", "3.500".

Counts of people arrested and cells dismantled are written in words as often as in
digits, and wire copy from different countries groups thousands with commas or
full stops. One parser for all of them keeps the count rules readable.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mapapp.extract.agencies import DEMONYMS
from mapapp.extract.words import alternation, cue_values, cue_words

# Number words of every language's cue file ("six": 6, "seis": 6).
_UNITS = cue_values("number_units")
_TENS = cue_values("number_tens")
_SCALES = cue_values("number_scales")
_WORDS = {**_UNITS, **_TENS, **_SCALES, "dozen": 12, "a": 1, "an": 1, "single": 1}

_MAX_NUMBER_CHARS = 60

_word_alternatives = alternation((*_UNITS, *_TENS))

#: A number in words or digits, as a regular expression fragment (no groups).
#: Digits are bounded (at most five groups of thousands, at most nine plain digits):
#: no count is larger, and an unbounded group let every comma of a long "1,000,000,..."
#: start a match running to its end, which is quadratic.
NUMBER = (
    r"(?:\d{1,3}(?:[,.]\d{3}){1,5}(?!\d)|\d{1,9}(?!\d)"
    rf"|(?:{_word_alternatives})(?:[- ](?:{_word_alternatives}))?"
    rf"(?:\s+(?:{alternation(_SCALES)})(?:\s+(?:and\s+)?(?:"
    rf"{_word_alternatives})(?:[- ](?:{_word_alternatives}))?)?)?"
    # "a" is one person, but not in "a further five" nor in Spanish "detuvo a cinco".
    rf"|a\s+dozen|dozens|a\s+single|an?(?!\s+(?:[\w-]+\s+)?(?:{_word_alternatives}|\d)\b))"
)


@lru_cache(maxsize=8192)
def parse_number(text: str) -> int | None:
    """Return the value of a number written in digits or in the cue files' number words.

    Answers are remembered: the role rules ask about every word before a place.

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
    if len(cleaned) > _MAX_NUMBER_CHARS:
        # No count is this long; Python also refuses to convert over 4,300 digits.
        return None
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


#: Nouns for people in arrest reports; a number before one of them counts people.
#: "four ethnic Albanians": a nationality in the plural names people too.
_NATIONALS = {f"{d}s" for d in DEMONYMS if d.isalpha() and not d.endswith(("s", "ch", "sh"))}

PEOPLE = (
    rf"(?:{alternation(cue_words('people_nouns') | _NATIONALS)})"
    # "a terrorist cell", "two terrorist attempts": the noun is an adjective there.
    rf"(?!\s+(?:{alternation(cue_words('not_people_after'))}"
    rf"|(?:{alternation(cue_words('not_people_stems_after'))})\w*)\b)"
)
# Up to three describing words may stand between the number and the noun ("five
# suspected Daesh sympathisers", "two pro-ISIS individuals"), but not words that
# make the number count something else.
# No number stands between ("Densus 88 detains 10 suspects" counts 10, not 88).
_BETWEEN = (
    r"(?:(?!(?:of|cells?|cities|towns|years?|km|kilomet\w+|and|or)\b|\d)[\w'’“”\"-]+\s+){0,3}?"
)
_PEOPLE_COUNT = re.compile(rf"(?<![\w-])(?P<n>{NUMBER})\s+{_BETWEEN}{PEOPLE}\b", re.IGNORECASE)
_MEMBER_CELL = re.compile(rf"(?<![\w-])(?P<n>{NUMBER})[- ]members?\b", re.IGNORECASE)
# Headlines and leads drop the noun: "French police arrest seven over terror plot",
# "detained 12 in raids". A number right after an arrest verb counts people unless
# a unit follows it ("held for 48 hours" has no number after the verb anyway).
_VERB_COUNT = re.compile(
    rf"\b(?:(?:{alternation(cue_words('count_verb_stems'))})\w*|round(?:ed|s|ing)? up)\s+"
    r"(?:a total of\s+|at least\s+|some\s+|another\s+)?(?!an?\s|(?:19|20)\d\d\b)"
    rf"(?P<n>{NUMBER})(?![\w-])"
    r"(?!\s+(?:years?|months?|weeks?|days?|hours?|times|percent|per cent|of\b|%))",
    re.IGNORECASE,
)
#: One person without a number: "a 23-year-old man", "the 18-year-old", "arrested him".
_AGED_ONE = re.compile(r"\b(?:an?|the)\s+\d{1,2}-year-old\b", re.IGNORECASE)
_ARRESTED_ONE = re.compile(
    rf"\b(?:{alternation(cue_words('arrest_verbs'))})\s+(?:{alternation(cue_words('one_person'))})\b",
    re.IGNORECASE,
)
_AGED_BEFORE = re.compile(r"\baged\s+(?:between\s+)?$", re.IGNORECASE)
# "killing 16 people": victims of an attack, not people arrested.
_CASUALTIES_BEFORE = re.compile(
    r"\b(?:kill|wound|injur|maim|murder)\w*\s+(?:at least\s+|some\s+|more than\s+)?$",
    re.IGNORECASE,
)
#: How far before a count "aged" or "killing" is looked for.
_BEFORE_CHARS = 60
_QUALIFIED = re.compile(
    r"\b(?:more than|over|at least|nearly|almost|about|around|some|up to)\s+$", re.IGNORECASE
)


def count_people(text: str, *, explicit: bool = False) -> int | None:
    """Return how many people a passage says were arrested or make up a cell.

    Digits and words count ("six members", "11 arrests", "five suspected Daesh
    sympathisers", "a six-member cell", "a 23-year-old man", "police arrest
    seven"); ages ("aged between 20 and 45"), distances and the victims of an
    attack ("killing 16 people") do not. The first explicit number wins; "a"/"an"
    (one person) counts only when no explicit number is given.

    Parameters
    ----------
    text : str
        A sentence or passage about one operation.
    explicit : bool
        Count only numbers written out, not the one person of "a man": a passage
        telling of each suspect in turn ("a 27-year-old man was arrested at ...")
        must not hide the total of the lead ("police arrested four males").

    Returns
    -------
    int or None
    """
    number, single = _counts(text)
    if number is not None or explicit:
        return number
    return 1 if single else None


@lru_cache(maxsize=4096)
def _counts(text: str) -> tuple[int | None, bool]:
    """Return the first explicit count of ``text`` and whether it names one person.

    Remembered: an operation asks about the same sentences first for a written
    number and then for any count.
    """
    matches = sorted(
        (
            m
            for pattern in (_MEMBER_CELL, _PEOPLE_COUNT, _VERB_COUNT)
            for m in pattern.finditer(text)
        ),
        key=lambda m: m.start(),
    )
    single = False
    for match in matches:
        # The words before a number are searched in place within a few words of it,
        # not in a copy of the whole text before it.
        start = match.start()
        window = max(start - _BEFORE_CHARS, 0)
        if _AGED_BEFORE.search(text, window, start) or _CASUALTIES_BEFORE.search(
            text, window, start
        ):
            continue
        value = parse_number(match["n"])
        if not value:
            continue
        if match["n"].lower() in ("a", "an", "a single"):
            single = True
            continue
        return value, single
    return None, single or bool(_AGED_ONE.search(text) or _ARRESTED_ONE.search(text))


def qualifier_before(text: str, start: int) -> str:
    """Return how the words before ``start`` qualify a number.

    Returns
    -------
    str
        "more than" (more than, over), "at least", "about" (nearly, almost, about,
        around, some, up to) or "exact".
    """
    match = _QUALIFIED.search(text[max(start - 15, 0) : start])
    if match is None:
        return "exact"
    word = match.group(0).strip().lower()
    if word in ("more than", "over"):
        return "more than"
    if word == "at least":
        return "at least"
    return "about"
