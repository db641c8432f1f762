"""Sentence-level rules that overrule the roles read from the words around a place.

:mod:`.roles` reads the few words next to each place. Some sentences change the
role of every place in a stretch of them, whatever those words say:

* a negated arrest ("a flat in X was searched, but nobody was detained there", "no
  arrests were made in X") leaves X a place that was merely searched;
* a sentence that narrates an attack and reports no arrest ("a cell based in X
  carried out the attack, killing 16 people") names the attackers' base, not a raid;
* a clause recalling a dated past event ("since August 2017, when a cell formed in X
  carried out ...") is history, not the operation being reported;
* "the X area" or "the greater X area" beside other arrest places only situates them;
* a district named with its city ("in Lavapiés, Madrid", "the Raval district of
  Barcelona", "Sidi Moumen, a neighbourhood of Casablanca") is one arrest location,
  not two.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from mapapp.extract.mentions import Mention
from mapapp.extract.roles import ARREST, ATTACK, REFERENCE, Role, group_lists
from places.geo import haversine_km

SEARCHED = "searched without arrest"
PAST = "past event"
CITY_OF_DISTRICT = "city of a named district"
DISTRICT = "district placed apart from its city"

#: A district resolved farther than this from the city named with it is a namesake
#: elsewhere; the city is then the better point.
DISTRICT_KM = 15.0

_ARREST_WORD = re.compile(
    r"\b(?:arrest\w*|detain\w*|detention|apprehen\w*|dismantl\w*|captur\w*|nabbed|custody)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:no|nobody|no-one|no one|none|without|not|never)\b(?:\s+[\w-]+){0,3}?\s+"
    r"(?:arrest\w*|detain\w*|detention|apprehen\w*)\b",
    re.IGNORECASE,
)
_ATTACK_DONE = re.compile(
    r"\b(?:carried out|perpetrated|committed|staged|launched)\b[^.;]{0,40}?"
    r"\b(?:attacks?|bombings?|assaults?|massacre|shootings?|stabbings?)\b"
    r"|\b(?:kill|murder)(?:ed|ing)\s+(?:at least\s+|some\s+)?[\w-]+\s+"
    r"(?:people|persons|civilians|tourists|passers-by)\b",
    re.IGNORECASE,
)
# Here and below, "(?:\s*,)?\s+" and "\s*(?:,\s*)?" rather than "\s*,?\s+": two runs
# of spaces side by side can split a long run of spaces in every possible way, which
# is quadratic (cubic with three).
_PAST_WHEN = re.compile(r"\b(?:19|20)\d\d(?:\s*,)?\s+(?:when|in which)\b", re.IGNORECASE)
_AREA_AFTER = re.compile(r"\s+(?:metropolitan\s+|urban\s+)?area\b", re.IGNORECASE)
_AREA_BEFORE = re.compile(r"\bgreater\s+$", re.IGNORECASE)
#: How far before a place "greater" is looked for.
_AREA_BEFORE_CHARS = 40
_DISTRICT_GAP = re.compile(
    r"^\s*(?:,\s*)?(?:(?:an?|the)\s+)?(?:[\w-]+\s+)?"
    r"(?:district|neighbou?rhood|quarter|suburb|borough|barrio|ward)s?\s+(?:of|in)\s+"
    r"(?:the\s+)?(?:(?:city|town|capital)\s+of\s+)?$",
    re.IGNORECASE,
)


def overrule(text: str, roles: list[Role]) -> list[Role]:
    """Apply the sentence-level rules to the roles of one sentence, in order.

    Every rule changes only sentences with an arrest place, so the others (most
    sentences) are returned as they are at once.
    """
    if not any(r.role == ARREST for r in roles):
        return roles
    for rule in (
        _negated_arrests,
        _attack_narrative,
        _past_when_clause,
        _context_areas,
        _district_and_city,
    ):
        roles = rule(text, roles)
    return roles


def _set(roles: list[Role], changes: dict[int, tuple[str, str]]) -> list[Role]:
    """Return roles with the roles at some positions replaced by (role, cue)."""
    return [
        replace(r, role=changes[i][0], cue=changes[i][1]) if i in changes else r
        for i, r in enumerate(roles)
    ]


def _negated_arrests(text: str, roles: list[Role]) -> list[Role]:
    """Places whose nearest arrest word is negated were searched, not raided.

    The nearest arrest word on the left governs ("no arrests were made in X"); with
    none on the left, the nearest on the right ("X was searched, but nobody was
    detained there"). Only words in the same clause (up to ";") count.
    """
    negated = [m.span() for m in _NEGATED.finditer(text)]
    if not negated:
        return roles
    negated_starts = [start for start, _ in negated]

    def inside_negation(position: int) -> bool:
        k = bisect.bisect_right(negated_starts, position) - 1
        return k >= 0 and position < negated[k][1]

    events = sorted(
        [(start, end, True) for start, end in negated]
        + [
            (m.start(), m.end(), False)
            for m in _ARREST_WORD.finditer(text)
            if not inside_negation(m.start())
        ]
    )
    # Events do not overlap, so ordered by start they are ordered by end too; the
    # nearest on either side is found by bisection, and a ";" between it and the
    # place (the next ";" after it comes before the place) puts it out of reach.
    starts = [e[0] for e in events]
    ends = [e[1] for e in events]
    semicolons = [m.start() for m in re.finditer(";", text)]

    def same_clause(a: int, b: int) -> bool:
        k = bisect.bisect_left(semicolons, a)
        return k == len(semicolons) or semicolons[k] >= b

    changes = {}
    for i, role in enumerate(roles):
        if role.role != ARREST:
            continue
        start, end = role.mention.start, role.mention.end
        k = bisect.bisect_right(ends, start) - 1
        nearest = events[k] if k >= 0 and same_clause(events[k][1], start) else None
        if nearest is None:
            k = bisect.bisect_left(starts, end)
            nearest = events[k] if k < len(events) and same_clause(end, events[k][0]) else None
        if nearest is not None and nearest[2]:
            changes[i] = (SEARCHED, text[nearest[0] : nearest[1]])
    return _set(roles, changes)


def _attack_narrative(text: str, roles: list[Role]) -> list[Role]:
    """Give the places of an attack narrative with no arrest to the attack.

    In a sentence telling how an attack was carried out, and of no arrest, the
    places are the attack's, even when a cell is named ("a cell based in X").
    """
    done = _ATTACK_DONE.search(text)
    if done is None or _ARREST_WORD.search(text):
        return roles
    return _set(
        roles, {i: (ATTACK, done.group(0)) for i, r in enumerate(roles) if r.role == ARREST}
    )


def _past_when_clause(text: str, roles: list[Role]) -> list[Role]:
    """Give the places of a "<year>, when ..." clause to that past event.

    Unless an arrest verb itself names them ("in 2019, when police arrested two men
    in X").
    """
    clause = _PAST_WHEN.search(text)
    if clause is None:
        return roles
    end = text.find(";", clause.end())
    end = len(text) if end < 0 else end
    return _set(
        roles,
        {
            i: (PAST, clause.group(0))
            for i, r in enumerate(roles)
            if r.role == ARREST
            and clause.end() <= r.mention.start < end
            and not _ARREST_WORD.match(r.cue)
        },
    )


def _is_area(text: str, mention: Mention) -> bool:
    # Searched in place, within a few words of the mention, not in copies of the text.
    start = mention.start
    return bool(
        _AREA_AFTER.match(text, mention.end)
        or _AREA_BEFORE.search(text, max(start - _AREA_BEFORE_CHARS, 0), start)
    )


def _context_areas(text: str, roles: list[Role]) -> list[Role]:
    """Read "the (greater) X area" beside other arrest places as a reference point.

    Alone, "arrested in the X area" still places the arrest at X.
    """
    areas = {i for i, r in enumerate(roles) if r.role == ARREST and _is_area(text, r.mention)}
    if not areas or not any(r.role == ARREST and i not in areas for i, r in enumerate(roles)):
        return roles
    return _set(roles, {i: (REFERENCE, "the area around other places") for i in areas})


def km_between(a: Mention, b: Mention) -> float:
    """Great-circle distance between the first points of two resolved mentions."""
    p, q = a.resolution.points[0], b.resolution.points[0]
    return haversine_km(p.lat, p.lon, q.lat, q.lon)


def _district_pairs(text: str, roles: list[Role]) -> list[tuple[list[int], int]]:
    """Return (district parts, city) positions.

    "Y district of X", "Y, a suburb of X", and a two-name comma list "Y, X" (a list
    of towns has an "and").

    A district name the gazetteer could only cut into several places ("Hay
    Mohammadi" as "Hay" and "Mohammadi") has all those parts.
    """
    if len(roles) < 2:
        return []
    order = sorted(range(len(roles)), key=lambda i: roles[i].mention.start)
    position = {roles[i].mention.start: i for i in order}
    rank = {i: k for k, i in enumerate(order)}

    def parts(last: int) -> list[int]:
        found = [last]
        k = rank[last]
        while k > 0 and text[roles[order[k - 1]].mention.end : roles[order[k]].mention.start] in (
            " ",
            "-",
        ):
            k -= 1
            found.insert(0, order[k])
        return found

    pairs = []
    for i, j in zip(order, order[1:], strict=False):
        if _DISTRICT_GAP.match(text[roles[i].mention.end : roles[j].mention.start]):
            pairs.append((parts(i), j))
    for members in group_lists([r.mention for r in roles], text):
        if len(members) == 2 and text[members[0].end : members[1].start].strip() == ",":
            pairs.append((parts(position[members[0].start]), position[members[1].start]))
    return pairs


def _same_country(a: Role, b: Role) -> bool:
    return (
        a.mention.resolution.points[0].country_code == b.mention.resolution.points[0].country_code
    )


def _district_and_city(text: str, roles: list[Role]) -> list[Role]:
    """Keep one arrest location for a district named with its city.

    The district is the finer point when the gazetteer puts it, as one name, within
    :data:`DISTRICT_KM` of the city; a town of the same country farther away is
    another town of a list; otherwise the gazetteer found a namesake abroad (or
    nothing) and the city is kept.
    """
    changes = {}
    for district, c in _district_pairs(text, roles):
        city = roles[c]
        first, last = roles[district[0]], roles[district[-1]]
        if not city.mention.town or ARREST not in (last.role, city.role):
            continue
        cue = text[first.mention.start : city.mention.end]
        one_town = len(district) == 1 and last.mention.located
        if one_town and km_between(last.mention, city.mention) <= DISTRICT_KM:
            changes[district[0]], changes[c] = (ARREST, last.cue), (CITY_OF_DISTRICT, cue)
        elif one_town and last.mention.precision == "city" and _same_country(last, city):
            # "in Seraing, Antwerp, ...": two towns of one country far apart are a
            # list, not a district and its city.
            continue
        else:
            changes.update({d: (DISTRICT, cue) for d in district})
            changes[c] = (ARREST, first.cue)
    return _set(roles, changes)
