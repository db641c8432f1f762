"""Decide what each place mention is doing in its sentence.

A town named in an arrest story is not always where the arrests were: it may be the
dateline ("RABAT -"), a reference point ("30 km northeast of Casablanca"), the place
of a past attack ("the Paris attacks"), a war the suspects travelled to, where they
come from, or the seat of a court. English marks these roles with the words just
before the name (the preposition and the word it hangs on) and sometimes just after
it ("... attacks", "... court"), so the rules read those words:

1. Skip the words that only describe the place ("the northern cities of", "the
   Spanish enclave of", "several towns, including").
2. Take the preposition reached ("in", "of", "from", "near", ...), or the start of
   the sentence, and the nearest telling word before it ("living in", "attacks in",
   "zones in", "born in", "court in", "said in").
3. A list of places ("X, Y and Z", hyphen and comma lists, with asides in
   parentheses) shares the role of its first member.

A place is an arrest place only when the sentence (for "living in", "cell in",
"searched homes in" and other strong cues: the paragraph or one beside it) speaks
of arrests. Countries and large regions
are never arrest places: an operation "in Morocco and Spain" cannot be mapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapapp.extract.agencies import DEMONYMS
from mapapp.extract.mentions import Mention
from mapapp.extract.numbers import parse_number
from mapapp.extract.sentences import Sentence
from mapapp.extract.words import alternation, cue_phrases, cue_translations, cue_words

ARREST = "arrest"
DATELINE = "dateline"
REFERENCE = "reference point"
ATTACK = "attack or target"
CONFLICT = "conflict zone or travel"
ORIGIN = "origin"
COURT = "court or prison"
SEAT = "seat of an agency"
EVENT = "statement or meeting"
COARSE = "country or region"
PAST_ARREST = "earlier arrests"
OTHER = "other"

_TRIGGER_WORDS = cue_words("trigger_words") | {" ".join(p) for p in cue_phrases("trigger")}
TRIGGER = re.compile(
    rf"\b(?:(?:{alternation(cue_words('trigger_stems'))})\w*|{alternation(_TRIGGER_WORDS)})\b",
    re.IGNORECASE,
)
_OPERATION = re.compile(rf"\b(?:{alternation(cue_words('operation_words'))})\b", re.IGNORECASE)

#: Every language's prepositions, read as the English ones the rules below name:
#: "en" is "in", "de" is "of".
PREPOSITIONS = cue_translations("prepositions")
_IN = frozenset(("in", "at", "inside", "across", "throughout", "within", "over"))
_PLACE_NOUNS = cue_words("place_nouns")
#: Place nouns that put the arrest at the named town itself: "on the edge of X" is X.
_EDGES = cue_words("edges")
_FILLER = cue_words("filler")
_STOPS = frozenset(PREPOSITIONS) | frozenset(PREPOSITIONS.values())
_TRANSPARENT = cue_words("transparent")
#: "among them Ankara, Sakarya and Konya": a list introduced by the words before it.
_LIST_OPENERS = cue_phrases("list_openers")
_DIRECTIONS = cue_words("directions")
_UNITS = cue_words("distance_units")
#: Verbs that make "from", "outside" or "around" the arrest place itself: Indian
#: English "arrested from Chennai", "detained outside the capital Abuja".
_ARREST_VERBS = cue_words("arrest_verbs")
_ARREST_PHRASES = cue_phrases("arrest")
#: "Four militants held in Peshawar": "held" after people means detained.
_PEOPLE = cue_words("people")

_CUES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (kind, cue_words(kind))
    for kind in ("arrest", "attack", "conflict", "origin", "court", "seat", "event")
)
_ROLE_OF_CUE = {
    "attack": ATTACK,
    "conflict": CONFLICT,
    "origin": ORIGIN,
    "court": COURT,
    "seat": SEAT,
    "event": EVENT,
}
_PASSIVE = cue_words("passive_auxiliaries")
#: Cue nouns that are also buildings ("court", "jail", "office"), and the words that
#: put something at a building ("at", "near", "outside"): a building after them is
#: where the arrest happened, not the court or seat it would otherwise mark.
_FACILITY_CUES = (cue_words("court") | cue_words("seat")) & cue_words("buildings")
_LOCATIVES = frozenset(
    w for w, english in PREPOSITIONS.items() if english in ("at", "near", "outside", "inside")
)
#: "already", "previously": an arrest cue after them tells of earlier cases.
_PAST_MARKERS = cue_words("past_markers")
_CLAUSE_BREAK = frozenset(',;:()[]"“”')
_CASUALTIES = re.compile(
    rf"\b(?:{alternation(cue_words('casualty_stems'))})\w*\s+(?:[\w-]+\s+){{0,3}}"
    rf"(?:{alternation(cue_words('victims'))})\b"
)


def _right(key: str, *, words_between: str = "") -> re.Pattern:
    """The words right after a place that impose a role: ``right_<key>`` of the cue files."""
    return re.compile(
        rf"^\s*(?:['’]s\s+)?{words_between}(?:{alternation(cue_words('right_' + key))})\b", re.I
    )


_RIGHT_ATTACK = _right("attack", words_between=r"(?:[\w-]+\s+)?")
_RIGHT_COURT = _right("court", words_between=r"(?:[\w-]+\s+){0,2}?")
_RIGHT_SEAT = re.compile(rf"^-based\b|{_right('seat').pattern}", re.I)
_RIGHT_ORIGIN = re.compile(rf"^-born\b|{_right('origin').pattern}", re.I)
_RIGHT_SCENE = re.compile(
    rf"^[^.;]{{0,60}}?\b(?:(?:{alternation(cue_words('right_scene_stems'))})\w*)\b", re.I
)

# "(?:,\s*)?" rather than ",?\s*" after "\s*": two optional runs of spaces side by
# side split a long run of spaces in every possible way, which is quadratic.
_LIST_GAP = re.compile(
    r"^\s*(?:[,&/;-]|(?:,\s*)?(?:and|or|as well as|plus)\b)\s*"
    r"(?:(?:in|at)\s+)?(?:the\s+)?$",
    re.I,
)
_DATELINE = re.compile(
    r"^(?P<name>[A-Z][\w'’.]*(?:[ -](?:[A-Z][\w'’.]*|el|al|de|la|ben))*)\s*"
    r"(?:\((?:[^()]{1,40})\)\s*)?"
    r"(?:,\s*(?P<rest>[^–—\n]{1,60}?)\s*)?(?:\.-|\.?(?:[–—]+|--|-(?=\s)|:(?=\s)))\s*"
)


#: The words that decide a role sit next to the place: the rules read this many
#: characters on its left and on its right, never the whole rest of the sentence,
#: which would make a sentence naming many places quadratic to read.
_LEFT_CHARS = 150
_RIGHT_CHARS = 400
_PAREN = re.compile(r"[()]")
_WORD_OR_MARK = re.compile(r"[\w'’-]+|[^\w\s]")


@dataclass(frozen=True)
class Role:
    """What a mention is doing: the role, and the words that decided it."""

    mention: Mention
    role: str
    cue: str


def find_dateline(sentence: Sentence) -> tuple[str, int, int, int] | None:
    """Return the dateline of a paragraph's first sentence, or None.

    A dateline opens a paragraph with a place in capitals or title case, optionally a
    date or agency, then a dash: "RABAT -", "Rabat –", "MADRID, March 3 (Reuters) -",
    "TANGIER, Morocco (AP) —", and the Spanish wire's "Madrid (EFE).-".

    Returns
    -------
    tuple or None
        ``(name, start, end, body_start)``: the name as written, its offsets, and the
        offset where the story itself begins.
    """
    if not sentence.first_in_paragraph or sentence.headline:
        return None
    match = _DATELINE.match(sentence.text)
    if match is None:
        return None
    name = match["name"]
    words = name.replace("-", " ").split()
    if len(words) > 4 or not (
        name.isupper()
        or match["rest"] is not None
        or sentence.text[match.end("name") :].lstrip().startswith(("–", "—", "-", "("))
    ):
        return None
    return name, match.start("name"), match.end("name"), match.end()


def paren_depths(text: str, positions) -> dict[int, int]:
    """Return how many parentheses are open at each of ``positions`` of ``text``.

    The text is counted once, from one position to the next, rather than from its
    start for every position.
    """
    if "(" not in text:
        return dict.fromkeys(positions, 0)
    depths: dict[int, int] = {}
    opened = closed = last = 0
    for position in sorted(set(positions)):
        opened += text.count("(", last, position)
        closed += text.count(")", last, position)
        last = position
        depths[position] = max(opened - closed, 0)
    return depths


def without_asides(text: str) -> str:
    """Remove every balanced parenthesised aside, nested ones with their container.

    One pass with a stack of the open parentheses: a closing one cuts the text back
    to its opening one. Unbalanced parentheses stay. (Removing innermost asides
    until none is left, the obvious way, re-reads the text once per nesting level.)
    """
    if "(" not in text:
        return text
    out: list[str] = []
    opened: list[int] = []
    last = 0
    for match in _PAREN.finditer(text):
        out.append(text[last : match.start()])
        last = match.end()
        if match.group() == "(":
            opened.append(len(out))
            out.append("(")
        elif opened:
            del out[opened.pop() :]
        else:
            out.append(")")
    out.append(text[last:])
    return "".join(out)


def group_lists(mentions: list[Mention], text: str) -> list[list[Mention]]:
    """Group a sentence's mentions into lists ("X, Y and Z"), in order.

    Mentions inside parentheses never join a list outside them: in "Mohammedia (30
    km northeast of Casablanca), and Azilal", Mohammedia and Azilal form the list.
    """
    lists: list[list[Mention]] = []
    # The list open at each depth, shallowest first: a mention closes the deeper ones.
    open_lists: list[tuple[int, list[Mention]]] = []
    depths = paren_depths(text, (m.start for m in mentions))
    for mention in sorted(mentions, key=lambda m: m.start):
        depth = depths[mention.start]
        while open_lists and open_lists[-1][0] > depth:
            open_lists.pop()
        current = open_lists[-1][1] if open_lists and open_lists[-1][0] == depth else None
        if current is not None:
            gap = without_asides(text[current[-1].end : mention.start])
            if "(" not in gap and ")" not in gap and _LIST_GAP.match(gap):
                current.append(mention)
                continue
            open_lists.pop()
        current = [mention]
        lists.append(current)
        open_lists.append((depth, current))
    return lists


def _words(text: str) -> list[str]:
    return _WORD_OR_MARK.findall(text.lower())


def _is_number(word: str) -> bool:
    return word.isdigit() or (parse_number(word) is not None and word not in ("a", "an"))


def left_cue(prefix: str) -> tuple[str, str]:
    """Classify the words before a place (or list of places).

    Parameters
    ----------
    prefix : str
        The sentence text before the first place, asides removed (inside
        parentheses: the text since the opening parenthesis).

    Returns
    -------
    tuple of (str, str)
        ``(kind, cue)``: kind is "arrest", "generic" (a bare "in"), "start", "list"
        (after "and": the role of the list before), a role such as ``REFERENCE``, or
        ``OTHER``; cue is the deciding words.
    """
    words = _words(prefix)
    i = len(words) - 1
    transparent = False
    adjectives = 0
    edge = False
    while i >= 0:
        word = words[i]
        if PREPOSITIONS.get(word) == "of" and i > 0 and words[i - 1] in _PLACE_NOUNS:
            i -= 1
        elif word in _PLACE_NOUNS:
            # Words between a determiner and "town" describe it ("the Basque town of").
            i -= 1
            adjectives = 2
            edge = edge or word in _EDGES
        elif word in _FILLER or word in DEMONYMS or _is_number(word):
            i -= 1
        elif word.endswith(("'s", "’s")) and len(word) > 2:
            # "in Tajikistan's Shahrtuz District", "at Kashgar's Bachu County": the
            # owner situates the place, like an adjective.
            i -= 1
        elif adjectives and word.isalpha() and word not in _STOPS:
            i -= 1
            adjectives -= 1
        elif word in _TRANSPARENT or (word == "as" and i > 0 and words[i - 1] == "such"):
            i -= 2 if word == "as" else 1
            transparent = True
        elif i > 0 and (words[i - 1], word) in _LIST_OPENERS:
            i -= 2
            transparent = True
        elif word == "," and transparent:
            i -= 1
            transparent = False
        elif word == ":" or (word == "," and i > 0 and words[i - 1] in _PLACE_NOUNS):
            # "in four regions: X, Y", "in the capital, X": the list or name is the
            # place the words before the mark describe.
            i -= 1
        else:
            break
    if i < 0:
        return "start", ""
    before = words[max(i - 6, 0) : i]
    cue = " ".join([*before[-2:], words[i]])
    preposition = PREPOSITIONS.get(words[i], words[i])
    if preposition == "on" and edge:
        # "arrested on the outskirts of X" happened at X, like "in X".
        preposition = "in"
    if preposition == "around" and before[-2:] == ["in", "and"]:
        # "searched in and around X" is in X.
        preposition, before = "in", before[:-2]
    if preposition == "of":
        near = set(before[-3:])
        if near & _DIRECTIONS or (before and before[-1] in ("twin", "sister")):
            return REFERENCE, cue
        if before and before[-1] in ("native", "natives", "originally", "citizen", "citizens"):
            return ORIGIN, cue
        if before and before[-1] in ("resident", "residents", "inhabitants", "inhabitant"):
            return "arrest", cue
        if before[-3:-2] == [","] and before[-1] == "," and before[-2].isdigit():
            # "Arafat Nagi, 42, of Lackawanna": where the person lives.
            return "arrest", cue
        return OTHER, cue
    if preposition in ("from", "outside", "around") and _after_arrest_verb(before):
        return "arrest", cue
    if preposition in ("near", "outside", "around", "beyond", "nearby", "off") or (
        preposition in ("from", "to")
        and before
        and before[-1]
        in ("far", "close", "next", "away", "km", "kilometres", "kilometers", "miles")
    ):
        return REFERENCE, cue
    if preposition == "from":
        return ORIGIN, cue
    if preposition in ("to", "into", "towards", "toward", "for"):
        return CONFLICT, cue
    if preposition in ("and", "or", "plus") and before:
        # "in Barcelona and the northern town of Vitoria": a list the filler split.
        return "list", cue
    if preposition in ("with", "between", "by"):
        return OTHER, cue
    if preposition not in _IN:
        return OTHER, cue
    clause = " ".join(before).split(",")[-1]
    if _CASUALTIES.search(clause):
        # "killing 16 people in X": the people are victims, not suspects.
        return ATTACK, cue
    for k in range(len(before) - 1, -1, -1):
        word = before[k]
        if word in _CLAUSE_BREAK:
            break
        if word == "held" and k and (before[k - 1] in _PASSIVE or before[k - 1] in _PEOPLE):
            # "a man was held in X", "four militants held in X" were detained there;
            # "a meeting held in X" was not.
            return "arrest", f"{before[k - 1]} held ... {preposition}"
        if k and (before[k - 1], word) in _ARREST_PHRASES:
            return "arrest", f"{before[k - 1]} {word} ... {preposition}"
        if word in _FACILITY_CUES and _LOCATIVES.intersection(before[max(k - 5, 0) : k]):
            # "arrested near a jail in X", "at the health office hospital in X": the
            # court or office is where the arrest was, in X; read on for the verb.
            continue
        for kind, vocabulary in _CUES:
            if word in vocabulary:
                if kind == "arrest" and _PAST_MARKERS.intersection(before[max(k - 2, 0) : k]):
                    # "sting operations that have already caught defendants in X":
                    # earlier cases, not this operation.
                    return PAST_ARREST, f"{before[k - 1]} {word} ... {preposition}"
                role = kind if kind == "arrest" else _ROLE_OF_CUE[kind]
                return role, f"{word} ... {preposition}"
    return "generic", cue


def _after_arrest_verb(before: list[str]) -> bool:
    """True when the words before a preposition end in an arrest verb, no distance.

    "arrested from Chennai", "detained outside the capital Abuja", "raided addresses
    around the port city of Antwerp" name the arrest place; "arrested 30 km outside
    X" does not.
    """
    if set(before[-2:]) & _UNITS:
        return False
    last = before[-5:]
    return any(w in _ARREST_VERBS for w in last) or any(
        tuple(last[k : k + 2]) in _ARREST_PHRASES for k in range(len(last) - 1)
    )


def right_role(suffix: str) -> str | None:
    """Return the role the words right after a place impose, or None."""
    if _RIGHT_ATTACK.match(suffix):
        return ATTACK
    if _RIGHT_COURT.match(suffix):
        return COURT
    if _RIGHT_SEAT.match(suffix):
        return SEAT
    if _RIGHT_ORIGIN.match(suffix):
        return ORIGIN
    return None


def assign_roles(
    sentence: Sentence, mentions: list[Mention], *, paragraph_has_trigger: bool
) -> list[Role]:
    """Give every mention of one sentence a role.

    Parameters
    ----------
    sentence : Sentence
    mentions : list of Mention
        The sentence's mentions, the dateline excluded.
    paragraph_has_trigger : bool
        Whether the paragraph, or one beside it, speaks of arrests (for strong cues
        such as "living in").

    Returns
    -------
    list of Role
    """
    if not mentions:
        return []
    text = sentence.text
    sentence_trigger = bool(TRIGGER.search(text))
    roles: list[Role] = []
    previous: str | None = None
    depths = paren_depths(text, (m.start for m in mentions))
    for members in group_lists(mentions, text):
        head, tail = members[0], members[-1]
        depth = depths[head.start]
        prefix = text[max(head.start - _LEFT_CHARS, 0) : head.start]
        if depth:
            prefix = prefix[prefix.rfind("(") + 1 :]
        kind, cue = left_cue(without_asides(prefix))
        suffix = text[tail.end : tail.end + _RIGHT_CHARS]
        imposed = right_role(suffix)
        if imposed is not None:
            role, cue = imposed, suffix.strip()[:30]
        elif kind == "arrest":
            role = ARREST if paragraph_has_trigger or sentence_trigger else OTHER
        elif kind == "generic":
            role = ARREST if sentence_trigger else OTHER
        elif kind == "list":
            role = previous or OTHER
        elif kind == "start":
            scene = not depth and _RIGHT_SCENE.match(without_asides(suffix))
            role = ARREST if scene and (sentence_trigger or _OPERATION.search(text)) else OTHER
            cue = scene.group(0).strip() if scene else "sentence start"
        else:
            role = kind
        if not depth:
            previous = role
        for mention in members:
            if mention.coarse:
                roles.append(Role(mention, COARSE, cue))
            else:
                own = right_role(text[mention.end : mention.end + _RIGHT_CHARS])
                roles.append(Role(mention, own or role, cue))
    return roles
