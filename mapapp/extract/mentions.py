"""Find place names in sentences with the gazetteer, without a trained model.

Place names in English news are capitalised runs of words ("Sidi Yahya Zaer",
"Ksar el-Kebir", "Inezgane-Ait Melloul"), so each run of capitalised tokens (with
lowercase connectors such as "el", "ben", "ait" inside it) is a candidate, and the
gazetteer (:class:`places.Resolver`) decides which runs are places. A run must be
a place as a whole, or split wholly into places: a run of which only one word is
a place is a person or an organisation ("Abdellatif Hammouchi", "Central Bureau of
Judicial Investigation"), however many villages share a word with it.

Capitalised words that are not names (the first word of a sentence, months,
nationalities, agency acronyms, the words of organisation names) are kept out
before any lookup: GeoNames has a "Justice" and a "Spanish", and no article
means them.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from mapapp.extract.agencies import DEMONYMS
from mapapp.extract.dates import MONTHS, WEEKDAYS
from mapapp.extract.sentences import Sentence
from mapapp.extract.words import cue_phrases, cue_words
from places import Resolution
from places.fold import fold as _fold

#: Folding is pure and the same names come back in every sentence and article, so
#: its answers are remembered (bounded).
fold = lru_cache(maxsize=65_536)(_fold)

#: Lowercase words allowed inside a place name ("Ksar el Kebir", "Oulad ben Amar").
CONNECTORS = cue_words("name_connectors")
#: Capitalised words that make their run an organisation, a title or a work.
ORGANISATION_WORDS = cue_words("organisation_words")
#: Words that introduce a person: the run after them is a name, not a place.
TITLES = cue_words("titles")
#: Capitalised words that are not names when they open or close a run: common
#: words at a sentence start, time words, and words of titles.
COMMON_WORDS = cue_words("common_words")
#: Words that qualify a place name ("Greater Casablanca", "Tiznit Province") but may
#: also belong to it ("South Africa", "New York"): left out only when the run as a
#: whole is not a place.
NAME_PARTS = cue_words("name_parts")
#: Kinds of area, which may close a place name ("Kaduna State", "Vaud Canton").
AREA_WORDS = cue_words("area_nouns")
#: Regions too large to be an arrest place, that GeoNames may file as a town.
MACRO_REGIONS = frozenset(" ".join(p) for p in cue_phrases("macro_regions"))

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", re.UNICODE)
_WORD_CHAR = re.compile(r"\w")
_POSSESSIVE = re.compile(r"['’]s$")
_MAX_RUN = 6
_ACRONYM_MIN = 2


@dataclass(frozen=True)
class Mention:
    """A place name found in a sentence.

    Attributes
    ----------
    text : str
        The name as written.
    sentence : int
        Index of its sentence.
    start, end : int
        Character offsets in the sentence text.
    resolution : places.Resolution
        What the gazetteer made of it (``ok`` False for a name it could not place).
    """

    text: str
    sentence: int
    start: int
    end: int
    resolution: Resolution

    @property
    def precision(self) -> str | None:
        """The resolver's precision; None when unresolved."""
        return self.resolution.precision if self.resolution.ok else None

    @property
    def located(self) -> bool:
        """True for a town, a place in one, or a district: a map can put a point on it."""
        return self.precision in ("city", "sub-city", "admin area")

    @property
    def town(self) -> bool:
        """True for a town or a place inside one (an airport, a neighbourhood)."""
        return self.precision in ("city", "sub-city")

    @property
    def coarse(self) -> bool:
        """True for a country or a large region, which is never an arrest place."""
        return self.precision in ("country", "region") or fold(self.text) in MACRO_REGIONS


@dataclass(frozen=True)
class Run:
    """A run of capitalised tokens: its text, offsets and tokens (text, start, end).

    ``lead`` holds the words trimmed from its start only because the article also
    writes them in lower case ("Had" of "Had Soualem", "Said"): they may still
    begin a longer place name.
    """

    sentence: int
    tokens: tuple[tuple[str, int, int], ...]
    opens_sentence: bool = False
    lead: tuple[tuple[str, int, int], ...] = ()

    @property
    def start(self) -> int:
        """Offset of the run's first character in its sentence."""
        return self.tokens[0][1]

    @property
    def end(self) -> int:
        """Offset just past the run's last character in its sentence."""
        return self.tokens[-1][2]


class PlaceLookup:
    """The resolver, with a memory of the names it has already answered.

    A folder of thousands of articles names the same towns again and again; the
    memory (bounded, least recently used first out) saves a cache query per repeat.

    Parameters
    ----------
    resolver : places.Resolver
    max_names : int
        How many answers to remember.
    """

    def __init__(self, resolver, *, max_names: int = 50_000):
        self.resolver = resolver
        self.max_names = max_names
        self._memo: OrderedDict[tuple[str, str | None], Resolution] = OrderedDict()

    def capital(self, country: str, query: str) -> Resolution:
        """The capital of ``country``; see :meth:`places.Resolver.capital`."""
        return self.resolver.capital(country, query)

    def resolve_many(self, names: Iterable[str], country: str | None) -> dict[str, Resolution]:
        """Resolve names with a country hint; see :meth:`places.Resolver.resolve_many`.

        The answers come in the order the names were asked, remembered or not: the
        extractor's country votes break ties by that order, so an article's result
        must not depend on what the process read before it (nor ``--jobs N`` on
        which worker read it).
        """
        order = list(dict.fromkeys(names))
        out, missing = {}, []
        for name in order:
            found = self._memo.get((name, country))
            if found is None:
                missing.append(name)
            else:
                self._memo.move_to_end((name, country))
                out[name] = found
        if missing:
            for name, resolution in self.resolver.resolve_many(missing, country=country).items():
                out[name] = resolution
                self._memo[(name, country)] = resolution
            while len(self._memo) > self.max_names:
                self._memo.popitem(last=False)
        return {name: out[name] for name in order}


def _is_capitalised(token: str, shouting: bool) -> bool:
    if not token[0].isalpha() or not token[0].isupper():
        return False
    # An all-capital word is an acronym (BCIJ, NATO), unless the whole line shouts.
    return shouting or not (len(token) >= _ACRONYM_MIN and token.isupper())


def _is_name_word(low: str) -> bool:
    """True for a lower-cased word that is never part of a place name."""
    return (
        low in COMMON_WORDS
        or low in DEMONYMS
        or low in MONTHS
        or low in WEEKDAYS
        or low.rstrip("s") in DEMONYMS
    )


def _is_skip(token: str, lowercase_words: frozenset[str]) -> bool:
    low = token.lower()
    return _is_name_word(low) or low in lowercase_words


def _trim_start(run: list, lowercase_words: frozenset[str]) -> tuple[list, list]:
    """Trim common words from the start of a run; return (run, lead).

    The lead is the trimmed words next to what remains that were dropped only for
    being written in lower case elsewhere in the article: "Had" in "Had Soualem".
    """
    lead: list = []
    i = 0
    while i < len(run) and (not run[i][0][0].isupper() or _is_skip(run[i][0], lowercase_words)):
        word = run[i][0]
        if word[0].isupper() and not _is_name_word(word.lower()):
            lead.append(run[i])
        elif not (lead and word.lower() in CONNECTORS):
            lead = []
        i += 1
    # Only the words next to the run can begin a place name with it: a lead span is
    # looked up whole, so a long lead would cost a long lookup per word.
    return run[i:], lead[-_MAX_RUN:]


def capitalised_runs(
    sentence: Sentence, lowercase_words: frozenset[str] = frozenset(), skip_until: int = 0
) -> list[Run]:
    """Return the runs of capitalised tokens of a sentence that may name places.

    Parameters
    ----------
    sentence : Sentence
    lowercase_words : frozenset of str
        Words the article also writes in lower case: capitalised, they are common
        words at a sentence start or in a title, not names.
    skip_until : int
        Ignore text before this offset (a dateline already read).

    Returns
    -------
    list of Run
        Trimmed of common words at both ends; runs that are organisations or follow a
        title are left out.
    """
    text = sentence.text
    shouting = text.isupper()
    tokens = [
        (m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text) if m.start() >= skip_until
    ]
    runs: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    previous_end = None
    for word, start, end in tokens:
        possessive = _POSSESSIVE.search(word) if word[-1] in "sS" else None
        if possessive:
            word, end = word[: possessive.start()], start + possessive.start()
        gap = text[previous_end:start] if previous_end is not None else None
        joined = gap is not None and gap in (" ", "-")
        if (
            current
            and joined
            and (
                _is_capitalised(word, shouting)
                or (word.lower() in CONNECTORS and not shouting)
                or (gap == "-" and word.isalpha())
            )
        ):
            current.append((word, start, end))
        else:
            if current:
                runs.append(current)
            current = [(word, start, end)] if _is_capitalised(word, shouting) else []
        previous_end = None if possessive else end
        if possessive and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    # Whether a run opens the sentence: no word character between the skipped
    # dateline and the run. Found once, not by searching before each run.
    first_word = _WORD_CHAR.search(text, skip_until)
    first_word_at = first_word.start() if first_word else len(text)
    out = []
    for run in runs:
        words = [w.lower() for w, _, _ in run]
        before = text[max(run[0][1] - 40, 0) : run[0][1]].rstrip(" .").split()
        if (
            # "Kaduna State", "Kano State": an area word closing the run is the area's,
            # though "State" is an organisation word elsewhere ("State Department").
            any(w in ORGANISATION_WORDS for w in words[:-1])
            or (words[-1] in ORGANISATION_WORDS and words[-1] not in AREA_WORDS)
            or (before and before[-1].lower().strip(".,") in TITLES)
            # "Saint-Josse-ten-Noode", "St-Denis": a title hyphened to a name is a name.
            or (words[0] in TITLES and text[run[0][2] : run[0][2] + 1] != "-")
        ):
            continue
        run, lead = _trim_start(run, lowercase_words)
        end = len(run)
        while end and (
            run[end - 1][0].lower() in CONNECTORS
            or _is_skip(run[end - 1][0], lowercase_words)
            or not run[end - 1][0][0].isupper()
        ):
            end -= 1
        if 0 < end <= _MAX_RUN:
            opens = first_word_at >= run[0][1]
            out.append(Run(sentence.index, tuple(run[:end]), opens, tuple(lead)))
    return out


def run_spans(run: Run, text: str) -> list[str]:
    """Return the sub-spans of a run worth looking up: whole run first, then parts.

    Parts never start on a lowercase connector nor end on any connector ("Al
    Hoceima" and "Ait Melloul" may start with theirs). A run with a lead is first
    tried with it, longest first ("Had Soualem" before "Soualem").
    """
    spans = [text[token[1] : run.end] for token in run.lead]
    n = len(run.tokens)
    for length in range(n, 0, -1):
        for i in range(0, n - length + 1):
            first, last = run.tokens[i], run.tokens[i + length - 1]
            if first[0] in CONNECTORS or last[0].lower() in CONNECTORS:
                continue
            spans.append(text[first[1] : last[2]])
    return spans


def cover_run(run: Run, text: str, answers: dict[str, Resolution]) -> list[Mention]:
    """Cut a run wholly into places, longest first, or return it as one unplaced name.

    Parameters
    ----------
    run : Run
    text : str
        The sentence text.
    answers : dict of str to Resolution
        Resolutions of :func:`run_spans` of the run.

    Returns
    -------
    list of Mention
        The places covering the run; or one mention of the whole run whose
        resolution carries the reason it is not a place, when the run cannot be
        covered (an ambiguous whole run keeps its "ambiguous" reason).
    """
    for token in run.lead:
        span = text[token[1] : run.end]
        answer = answers.get(span)
        if answer is not None and answer.ok:
            return [Mention(span, run.sentence, token[1], run.end, answer)]
    tokens = run.tokens
    whole = text[run.start : run.end]
    whole_answer = answers.get(whole)
    if whole_answer is not None and (whole_answer.ok or "ambiguous" in (whole_answer.error or "")):
        return [Mention(whole, run.sentence, run.start, run.end, whole_answer)]
    mentions, i = [], 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            if tokens[j - 1][0].lower() in CONNECTORS:
                continue
            span = text[tokens[i][1] : tokens[j - 1][2]]
            answer = answers.get(span)
            if answer is not None and answer.ok:
                mentions.append(
                    Mention(span, run.sentence, tokens[i][1], tokens[j - 1][2], answer)
                )
                i = j
                break
        else:
            # A qualifier, or a sentence's first word ("Acknowledging Morocco"), may
            # stay outside the places; any other word left over means no place.
            if tokens[i][0].lower() not in NAME_PARTS and not (i == 0 and run.opens_sentence):
                reason = whole_answer or Resolution(whole, error=f"not found: {whole!r}")
                return [
                    Mention(
                        whole,
                        run.sentence,
                        run.start,
                        run.end,
                        Resolution(whole, error=reason.error),
                    )
                ]
            i += 1
        while i < len(tokens) and tokens[i][0].lower() in CONNECTORS:
            i += 1
    return mentions
