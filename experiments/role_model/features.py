"""Explainable features of every place mention, for a trained arrest-place decision.

The rules of :mod:`.roles` and :mod:`.clauses` decide each mention's role by a fixed
order of tests. A small classifier (:mod:`.model`) may weigh the same evidence
better; it reads the features built here from the rules' own outputs and the
sentences, all of them things a reviewer can check in the article:

* what the rules decided: the role (``role=arrest``, ``role=origin``...), the kind
  of words on the left (``cue=arrest`` for "arrested in", ``cue=generic`` for a bare
  "in", ``cue=start``...), the preposition reached (``prep=in``, ``prep=from``...)
  and a role the words on the right impose (``right=attack or target``);
* the arrest words (:data:`.roles.TRIGGER`): in the sentence, in its paragraph or
  one beside it, how many words away, how many sentences away;
* the list the place is in ("X, Y and Z"): in one, its size, first in it;
* the sentence: headline, lead (the first sentence of the story), photo caption,
  its position in the article, inside parentheses;
* the place: its precision (city, sub-city, admin area, country, region), a fuzzy
  or close match, abroad (outside the article's main country), how often the
  article names it and whether the rules read it as an arrest place elsewhere.

Features are plain ``{name: value}`` dicts (binary features are 1.0 when present
and absent otherwise), so a model is a weight per name and a new feature cannot
shift the meaning of another. Nothing here needs scikit-learn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from mapapp.extract.mentions import Mention, fold
from mapapp.extract.numbers import count_people
from mapapp.extract.roles import (
    ARREST,
    COARSE,
    DATELINE,
    TRIGGER,
    Role,
    group_lists,
    left_cue,
    paren_depths,
    right_role,
    without_asides,
)
from mapapp.extract.sentences import Sentence
from mapapp.extract.words import cue_words, wordset

#: The precisions a map can put a point on: only these mentions can become an
#: operation's place, so only these are decided by a model.
LOCATED = ("city", "sub-city", "admin area")

#: Prepositions kept by name; any other is ``prep=other``.
PREPOSITIONS = wordset(
    "in at of from near to into outside around on and or by with for across throughout "
    "within over between off beyond"
)

#: How far the rules read on the left of a place (as :mod:`.roles` does).
LEFT_CHARS = 150
#: How far the rules read on the right of a place.
RIGHT_CHARS = 400
#: Word distances are capped here: farther is "not in this part of the sentence".
MAX_WORDS = 40
#: Sentence distances to the nearest arrest sentence are capped here.
MAX_SENTENCES = 5

_WORD = re.compile(r"\w+")
#: Word families of the cue files, looked up in the sentence (lower case).
_FAMILIES = {
    "arrest_verb": "arrest_verbs",
    "attack_word": "past_event_nouns",
    "trial_verb": "trial_verbs",
    "speech_verb": "speech_verbs",
}
_CAPTION = re.compile(
    r"^\s*(?:\(?(?:file\s+)?(?:photo|image|picture|caption|video)\b)|\bphoto:|\(photo\b"
    r"|\bpictured\b|\b(?:AP|AFP|Reuters|Getty)\s+(?:Photo|Images)\b",
    re.IGNORECASE,
)
_AGENCY_AFTER = re.compile(
    r"^\s*(?:['’]s\s+)?(?:police|authorities|prosecutors?|governor|officials?|province|"
    r"provincial|security)\b",
    re.IGNORECASE,
)


def is_candidate(role: Role) -> bool:
    """True for a mention a model may decide: one a map can put a point on.

    Countries and large regions (never arrest places), and names the gazetteer
    could not place, keep the rules' role.

    Parameters
    ----------
    role : Role

    Returns
    -------
    bool
    """
    mention = role.mention
    return mention.located and not mention.coarse and role.role != COARSE


def place_key(mention: Mention) -> str:
    """The identity of a mention's place, to count the article's mentions of it.

    Its first point's GeoNames id when it has one, else its folded name.
    """
    points = mention.resolution.points if mention.resolution.ok else ()
    if points and points[0].geonameid:
        return f"id:{points[0].geonameid}"
    return f"name:{fold(mention.text)}"


def _words_between(text: str, a: int, b: int) -> int:
    if a > b:
        a, b = b, a
    return len(_WORD.findall(text, a, b))


def _lists_and_cues(
    sentence: Sentence, roles: list[Role]
) -> dict[int, tuple[int, int, str, str, str | None]]:
    """For each role of one sentence (by id): list size, position, cue kind, cue, right.

    Recomputed from the sentence as :func:`.roles.assign_roles` reads it: the list
    the mention is in, the kind of the words before the list's first member, and
    the role the words after the mention impose.
    """
    text = sentence.text
    body = [r for r in roles if r.role != DATELINE]
    out: dict[int, tuple[int, int, str, str, str | None]] = {}
    if body:
        mentions = [r.mention for r in body]
        by_start = {}
        for r in body:
            by_start.setdefault((r.mention.start, r.mention.end), []).append(r)
        depths = paren_depths(text, (m.start for m in mentions))
        for members in group_lists(mentions, text):
            head = members[0]
            prefix = text[max(head.start - LEFT_CHARS, 0) : head.start]
            if depths[head.start]:
                prefix = prefix[prefix.rfind("(") + 1 :]
            kind, cue = left_cue(without_asides(prefix))
            for position, mention in enumerate(members):
                right = right_role(text[mention.end : mention.end + RIGHT_CHARS])
                for r in by_start.get((mention.start, mention.end), ()):
                    out[id(r)] = (len(members), position, kind, cue, right)
    for r in roles:
        if r.role == DATELINE:
            out[id(r)] = (1, 0, "dateline", "", None)
    return out


def _family_positions(text: str) -> dict[str, list[int]]:
    """Where each word family of :data:`_FAMILIES` occurs in a sentence (word starts)."""
    words = {family: cue_words(key) for family, key in _FAMILIES.items()}
    found: dict[str, list[int]] = {}
    for match in _WORD.finditer(text):
        word = match.group().lower()
        for family, vocabulary in words.items():
            if word in vocabulary:
                found.setdefault(family, []).append(match.start())
    return found


def _main_country(roles: Sequence[Role]) -> str | None:
    votes: Counter = Counter()
    for role in roles:
        resolution = role.mention.resolution
        if resolution.ok and resolution.points and resolution.points[0].country_code:
            votes[resolution.points[0].country_code] += 1
    return votes.most_common(1)[0][0] if votes else None


def article_features(roles: Sequence[Role], sentences: Sequence[Sentence]) -> list[dict]:
    """The features of every role of one article, in the order of ``roles``.

    Parameters
    ----------
    roles : sequence of Role
        Every mention with the rules' role, as
        :attr:`mapapp.extract.ArticleResult.roles` lists them.
    sentences : sequence of Sentence
        The article's sentences (:func:`mapapp.extract.sentences.split_sentences`).

    Returns
    -------
    list of dict
        One ``{feature name: value}`` per role (see the module docstring).
    """
    roles = list(roles)
    if not roles:
        return []
    by_sentence: dict[int, list[Role]] = {}
    for role in roles:
        by_sentence.setdefault(role.mention.sentence, []).append(role)
    triggers = {s.index: [m.span() for m in TRIGGER.finditer(s.text)] for s in sentences}
    trigger_sentences = sorted(i for i, spans in triggers.items() if spans)
    triggered = {sentences[i].paragraph + step for i in trigger_sentences for step in (-1, 0, 1)}
    same_paragraph = {sentences[i].paragraph for i in trigger_sentences}
    lead = next((s.index for s in sentences if not s.headline), None)
    last = max(len(sentences) - 1, 1)

    keys = [place_key(r.mention) for r in roles]
    named = Counter(keys)
    arrest_sentences_of: dict[str, set[int]] = {}
    trigger_sentence_of: dict[str, bool] = {}
    for key, role in zip(keys, roles, strict=True):
        index = role.mention.sentence
        if role.role == ARREST:
            arrest_sentences_of.setdefault(key, set()).add(index)
        if triggers.get(index):
            trigger_sentence_of[key] = True
    article_arrests = sum(r.role == ARREST for r in roles)
    placeable = {k for k, r in zip(keys, roles, strict=True) if is_candidate(r)}
    families = {
        i: _family_positions(sentences[i].text) for i in by_sentence if 0 <= i < len(sentences)
    }
    counted = {
        i: count_people(sentences[i].text, explicit=True) is not None
        for i in by_sentence
        if 0 <= i < len(sentences)
    }
    home = _main_country(roles)

    details: dict[int, tuple[int, int, str, str, str | None]] = {}
    for index, group in by_sentence.items():
        if 0 <= index < len(sentences):
            details.update(_lists_and_cues(sentences[index], group))

    out = []
    for key, role in zip(keys, roles, strict=True):
        mention = role.mention
        index = mention.sentence
        sentence = sentences[index] if 0 <= index < len(sentences) else None
        text = sentence.text if sentence else ""
        f: dict[str, float] = {f"role={role.role}": 1.0}
        size, position, kind, cue, right = details.get(id(role), (1, 0, "none", "", None))
        f[f"cue={kind}"] = 1.0
        preposition = cue.split()[-1] if cue else ("start" if kind == "start" else "none")
        if preposition not in PREPOSITIONS and preposition not in ("start", "none"):
            preposition = "other"
        f[f"prep={preposition}"] = 1.0
        if right is not None:
            f[f"right={right}"] = 1.0
        if size > 1:
            f["in_list"] = 1.0
            f["list_size_log"] = math.log(size)
            if position == 0:
                f["list_first"] = 1.0
        # The arrest words.
        spans = triggers.get(index, [])
        if spans:
            f["sentence_trigger"] = 1.0
            gaps = [
                (
                    _words_between(text, mention.end, s)
                    if s >= mention.end
                    else _words_between(text, e, mention.start),
                    s < mention.start,
                )
                for s, e in spans
            ]
            words, left = min(gaps)
            f["trigger_words_log"] = math.log1p(min(words, MAX_WORDS))
            if left:
                f["trigger_left"] = 1.0
            if all(";" in text[min(s, mention.start) : max(e, mention.end)] for s, e in spans):
                f["trigger_other_clause"] = 1.0
        else:
            f["trigger_words_log"] = math.log1p(MAX_WORDS)
        if sentence is not None:
            if sentence.paragraph in same_paragraph:
                f["paragraph_trigger"] = 1.0
            if sentence.paragraph in triggered:
                f["near_paragraph_trigger"] = 1.0
        gap = min((abs(index - i) for i in trigger_sentences), default=MAX_SENTENCES)
        f["trigger_sentences_away"] = float(min(gap, MAX_SENTENCES))
        # The sentence.
        if sentence is not None:
            if sentence.headline:
                f["headline"] = 1.0
            if index == lead:
                f["lead"] = 1.0
            if _CAPTION.search(text):
                f["caption"] = 1.0
            if sentence.paragraph == 0 or (lead is not None and index <= lead):
                f["first_paragraph"] = 1.0
            depth = paren_depths(text, (mention.start,))[mention.start]
            if depth:
                f["in_parentheses"] = 1.0
            if _AGENCY_AFTER.match(text[mention.end : mention.end + 40]):
                f["agency_after"] = 1.0
        for family, positions in families.get(index, {}).items():
            f[f"{family}_in_sentence"] = 1.0
            if family == "arrest_verb":
                words = min(
                    _words_between(text, mention.end, p)
                    if p >= mention.end
                    else _words_between(text, p, mention.start)
                    for p in positions
                )
                f["arrest_verb_words_log"] = math.log1p(min(words, MAX_WORDS))
        if "arrest_verb" not in families.get(index, {}):
            f["arrest_verb_words_log"] = math.log1p(MAX_WORDS)
        if counted.get(index):
            f["count_in_sentence"] = 1.0
        f["sentence_position"] = index / last
        f["sentence_index_log"] = math.log1p(index)
        places_here = len(by_sentence.get(index, ()))
        f["sentence_places_log"] = math.log(max(places_here, 1))
        others = sum(r.role == ARREST for r in by_sentence.get(index, ()) if r is not role)
        if others:
            f["other_arrest_in_sentence"] = 1.0
        if article_arrests == 0:
            f["no_arrest_in_article"] = 1.0
        # The place.
        precision = mention.precision or "unresolved"
        f[f"precision={precision}"] = 1.0
        resolution = mention.resolution
        if resolution.ok and getattr(resolution, "fuzzy", False):
            f["fuzzy"] = 1.0
        if resolution.ok and getattr(resolution, "close", False):
            f["close_call"] = 1.0
        if (
            resolution.ok
            and resolution.points
            and home is not None
            and resolution.points[0].country_code != home
        ):
            f["abroad"] = 1.0
        f["times_named_log"] = math.log(named[key])
        if placeable == {key}:
            f["only_place"] = 1.0
        elsewhere = arrest_sentences_of.get(key, set()) - {index}
        if elsewhere:
            f["arrest_elsewhere"] = 1.0
        if trigger_sentence_of.get(key):
            f["named_in_trigger_sentence"] = 1.0
        out.append(f)
    return out
