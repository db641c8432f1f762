"""Group arrest places into operations and read each operation's details.

An article may report several operations: the news of the day and, further down,
an earlier one cited as an example ("such as the cell dismantled with Spain, which
led to 11 arrests in Melilla and Nador"). Arrest places are grouped by sentence:
places named in one sentence belong together; a later sentence joins an operation
when it names one of its places again on no other date (or, after a headline, a town of one of the
headline's areas or an area holding one of its towns), or when it follows in the
same paragraph without a count of its own and without saying it tells of another
("In a separate operation"). Anything else starts a new operation.

An operation the text dates nowhere, reported in the present perfect ("have been
arrested"), is dated to the month of publication: such news is of the days before.

Details (count, group, agencies, date) are read nearest first: the operation's own
sentences, then the rest of their paragraphs, then the few sentences that follow
and still speak of the arrests ("The cell members were aged ...", "The suspects were
affiliated with ISIS"); the article's headlines count for its first operation. The
first value found wins, so a detail of a neighbouring story is only used when the
operation's own sentences give none.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from mapapp.extract.agencies import find_agencies
from mapapp.extract.dates import agree, first_date, own_date
from mapapp.extract.groups import find_groups
from mapapp.extract.mentions import Mention
from mapapp.extract.numbers import count_people
from mapapp.extract.roles import ARREST, Role
from mapapp.extract.sentences import Sentence
from mapapp.extract.words import alternation, cue_words
from mapapp.records.affiliations import PART_OF, UNKNOWN
from places.geo import haversine_km

#: How many sentences after an operation may still describe it.
FOLLOW_SENTENCES = 6

#: A town named again this many sentences later belongs to another story (a file
#: may hold many articles).
MERGE_SENTENCES = 40

#: Words of a sentence that still speaks of the arrests ("The cell members were aged").
_REFERS_BACK = re.compile(
    rf"\b(?:(?:{alternation(cue_words('refers_back_stems'))})\w*"
    rf"|{alternation(cue_words('refers_back_words'))})\b",
    re.IGNORECASE,
)


#: "In a separate operation", "another group": a sentence that says it tells of
#: another operation joins none by nearness, only by naming its places again.
_SEPARATE = re.compile(rf"\b(?:{alternation(cue_words('separate_operation'))})\b", re.IGNORECASE)

#: Words of a sentence about arrests, whose date may be the operation's.
_ARREST_WORDS = re.compile(
    rf"\b(?:(?:{alternation(cue_words('arrest_word_stems'))})\w*"
    rf"|{alternation(cue_words('arrest_word_words'))})\b",
    re.IGNORECASE,
)


#: The present perfect of an arrest verb ("have been arrested", "has detained"):
#: arrests just before the report.
_RECENT = re.compile(
    rf"\b(?:{alternation(cue_words('perfect_auxiliaries'))})\s+(?:(?:{alternation(cue_words('perfect_fillers'))})\s+)*"
    rf"(?:{alternation(cue_words('arrest_verbs'))})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlacePoint:
    """One located arrest place: its name and the point it resolved to.

    The name is the one the gazetteer was asked, which gives the point again when a
    record is mapped: the name as written, or what the text made of it ("Almaty
    region" for "the Almaty region", "Dushanbe" for "the Tajik capital").
    """

    name: str
    lat: float
    lon: float
    country_code: str | None
    geonameid: int | None
    precision: str
    gazetteer_name: str

    def to_json(self) -> dict:
        """Return the JSON object of this place."""
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country_code": self.country_code,
            "geonameid": self.geonameid,
            "precision": self.precision,
            "gazetteer_name": self.gazetteer_name,
        }


@dataclass(frozen=True)
class Unplaced:
    """A name read as an arrest place that the gazetteer could not place, and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class Operation:
    """One reported police action with at least one located arrest place.

    Attributes
    ----------
    source : str
        The file (or label) the article came from.
    date : str or None
        ISO date at ``date_precision`` ("day", "month", "year") or None ("unknown").
    places : tuple of PlacePoint
    arrested : int or None
        The total the article gives for the whole operation (never split by place).
    affiliation, affiliation_as_written : str, str or None
        Canonical group name (or "unknown") and the article's own word for it.
    agencies : tuple of str
        Short agency names.
    country : str or None
        The article's country (the geocoding hint).
    evidence : tuple of str
        The sentences the places were read from.
    confidence : float
        0..1: how much of the operation the text stated explicitly.
    unresolved : tuple of Unplaced
    """

    source: str
    date: str | None
    date_precision: str
    places: tuple[PlacePoint, ...]
    arrested: int | None
    affiliation: str
    affiliation_as_written: str | None
    agencies: tuple[str, ...]
    country: str | None
    evidence: tuple[str, ...]
    confidence: float
    unresolved: tuple[Unplaced, ...] = field(default=())

    def to_json(self) -> dict:
        """Return the JSON line of this operation (``"kind": "operation"``)."""
        return {
            "kind": "operation",
            "source": self.source,
            "date": self.date,
            "date_precision": self.date_precision,
            "places": [p.to_json() for p in self.places],
            "arrested": self.arrested,
            "affiliation": self.affiliation,
            "affiliation_as_written": self.affiliation_as_written,
            "agencies": list(self.agencies),
            "country": self.country,
            "evidence": list(self.evidence),
            "confidence": self.confidence,
            "unresolved": [{"name": u.name, "reason": u.reason} for u in self.unresolved],
        }


@dataclass
class _Draft:
    sentences: list[int]
    mentions: list[Mention]
    roles: list[Role]
    unplaced: list[Mention]
    #: The (lat, lon) of every point of its mentions, kept up to date as they come.
    points: set = field(default_factory=set)
    #: The first date its own sentences give the arrests, ``(iso, precision)``.
    date: tuple[str, str] | None = None


@dataclass(frozen=True)
class Context:
    """What the whole article tells every operation: the hint, dates, its sentences."""

    sentences: list[Sentence]
    source: str
    country: str | None
    published: dt.date | None
    floor_year: int | None
    figure_sentences: frozenset[int]


def group_operations(
    roles: list[Role],
    sentences: list[Sentence],
    *,
    published: dt.date | None = None,
    floor_year: int | None = None,
) -> tuple[list[_Draft], list[Mention]]:
    """Group arrest-place roles into draft operations; see the module docstring.

    Parameters
    ----------
    roles : list of Role
    sentences : list of Sentence
    published, floor_year
        For the dates of the sentences (:func:`mapapp.extract.dates.date_in`): a
        town named again on another date is another operation.

    Returns
    -------
    tuple
        The drafts (each with at least one located place), and the unplaced arrest
        names that no operation could take.
    """
    by_sentence: dict[int, list[Role]] = {}
    for role in roles:
        if role.role == ARREST:
            by_sentence.setdefault(role.mention.sentence, []).append(role)
    drafts: list[_Draft] = []
    orphans: list[Mention] = []
    # Positions in ``drafts`` of the drafts a town named again may still join (their
    # last sentence at most MERGE_SENTENCES back), oldest first: only those are
    # compared, not every draft of a long text.
    recent: list[int] = []
    lead_paragraph = _lead_paragraph(sentences)
    for index in sorted(by_sentence):
        group = by_sentence[index]
        located = [r.mention for r in group if r.mention.located]
        unplaced = [r.mention for r in group if not r.mention.resolution.ok]
        ids = {(p.lat, p.lon) for m in located for p in m.resolution.points}
        recent = [k for k in recent if index - drafts[k].sentences[-1] <= MERGE_SENTENCES]
        separate = bool(_SEPARATE.search(sentences[index].text))
        date = own_date(sentences[index].text, published=published, floor_year=floor_year)
        chosen = next(
            (
                k
                for k in recent
                if (not drafts[k].points.isdisjoint(ids) and agree(drafts[k].date, date))
                or (
                    not separate
                    and _leads(sentences[drafts[k].sentences[0]], lead_paragraph)
                    and _nested(drafts[k].mentions, located)
                )
            ),
            None,
        )
        if chosen is None and drafts and not separate:
            last = drafts[-1]
            near = (
                sentences[index].paragraph == sentences[last.sentences[-1]].paragraph
                or index - last.sentences[-1] <= 1
            )
            alike = count_people(sentences[index].text) is None and agree(last.date, date)
            if near and (not located or alike):
                chosen = len(drafts) - 1
        if chosen is None and located:
            drafts.append(_Draft([], [], [], []))
            chosen = len(drafts) - 1
        if chosen is None:
            orphans.extend(unplaced)
            continue
        target = drafts[chosen]
        target.sentences.append(index)
        target.mentions.extend(located)
        target.roles.extend(group)
        target.unplaced.extend(unplaced)
        target.points |= ids
        target.date = target.date or date
        if chosen not in recent:
            bisect.insort(recent, chosen)
    return drafts, orphans


def _lead_paragraph(sentences: list[Sentence]) -> int:
    """The paragraph of the lead: the first that is not headlines or a date line."""
    return next((s.paragraph for s in sentences if not s.headline), 0)


def _leads(sentence: Sentence, lead_paragraph: int) -> bool:
    """A headline or a sentence of the lead: the story's summary."""
    return sentence.headline or sentence.paragraph <= lead_paragraph


def _holds(area: Mention, town: Mention) -> bool:
    """Whether an area mention holds a town mention (see :func:`finest`)."""
    if area.town or not town.town:
        return False
    radius = area.resolution.radius_km
    return radius is None or any(
        haversine_km(a.lat, a.lon, t.lat, t.lon) <= 2 * radius
        for a in area.resolution.points
        for t in town.resolution.points
    )


def _nested(these: list[Mention], those: list[Mention]) -> bool:
    """Whether an area of one list holds a town of the other.

    "Arrested in Larache region" in the headline and "in Larache, Ksar El Kebir"
    below tell of one operation.
    """
    return any(_holds(a, b) or _holds(b, a) for a in these for b in those)


def finest(mentions: list[Mention]) -> list[Mention]:
    """Drop the provinces and regions of an operation that holds one of its towns.

    "Arrested in Terrassa and Sabadell, Catalonia" names the region only to situate
    the towns; its centre, far from both, is no arrest place. A province or region
    no town of the operation lies in stays ("in the provinces of Tehran, Alborz,
    Fars and Khuzestan": the city of Tehran does not situate Fars), and so does one
    named alone: it is the best the article says. An area of unknown extent (a
    region of ``regions.csv``) is taken to hold the operation's towns; an area's
    radius holds most of its people, not all its land, so a town within twice it
    counts as inside.
    """
    towns = [m for m in mentions if m.town]
    if not towns:
        return mentions
    return [m for m in mentions if m.town or not any(_holds(m, t) for t in towns)]


def _windows(draft: _Draft, ctx: Context, first: bool, taken: set[int]) -> list[list[str]]:
    """Return the passages to read details from, nearest first, in five levels.

    The levels: the operation's sentences; the rest of their paragraphs; the lead
    before them (the sentences just before, back to another operation's, that
    speak of arrests but name no arrest place: "Seven men were detained on
    Thursday." before "They were arrested in A and B."); the sentences after that
    refer back to the arrests; the article's headlines (for its first operation).

    The rest of a paragraph is read only within :data:`MERGE_SENTENCES` of the
    operation's sentences: a longer paragraph is a collection pasted without breaks,
    whose far sentences are other stories, and reading all of it for each of its
    operations would be quadratic.
    """
    sentences = ctx.sentences
    own = sorted(set(draft.sentences))
    own_set = set(own)
    paragraphs = {sentences[i].paragraph for i in own}

    def skipped(i: int) -> bool:
        return i in ctx.figure_sentences or (i in taken and i not in own_set)

    def distance(i: int) -> int:
        k = bisect.bisect_left(own, i)
        return min(abs(i - own[j]) for j in (k - 1, k) if 0 <= j < len(own))

    near = set()
    for j in own:
        near.update(
            range(max(j - MERGE_SENTENCES, 0), min(j + MERGE_SENTENCES + 1, len(sentences)))
        )
    same = sorted(
        (
            i
            for i in near
            if sentences[i].paragraph in paragraphs and i not in own_set and not skipped(i)
        ),
        key=lambda i: (distance(i), i),
    )
    # The sentences between its own that refer back ("the 14 detainees belonged to
    # ...") are read like those that follow.
    follow = [
        i
        for i in range(own[0] + 1, own[-1])
        if i not in own_set
        and not skipped(i)
        and sentences[i].paragraph not in paragraphs
        and _REFERS_BACK.search(sentences[i].text)
    ][:FOLLOW_SENTENCES]
    for index in range(own[-1] + 1, min(own[-1] + 1 + FOLLOW_SENTENCES, len(sentences))):
        sentence = sentences[index]
        if skipped(index) or sentence.headline:
            break
        if sentence.paragraph not in paragraphs and _REFERS_BACK.search(sentence.text):
            follow.append(index)
    before = []
    for index in range(own[0] - 1, max(own[0] - 1 - FOLLOW_SENTENCES, -1), -1):
        sentence = sentences[index]
        if (index in taken and index not in own_set) or sentence.headline:
            break
        if index not in ctx.figure_sentences and _ARREST_WORDS.search(sentence.text):
            before.append(index)
    lead = [s.index for s in sentences[: own[0]] if s.headline] if first else []
    return [[sentences[i].text for i in level] for level in (own, same, before, follow, lead)]


def _confidence(draft: _Draft, arrested, affiliation, agencies, date) -> float:
    """Score how much of the operation the text stated.

    0.5 for places read in an arrest context, plus clear places, a count, a group, an
    agency and a date.
    """
    score = 0.5
    if all(m.town for m in draft.mentions) and not draft.unplaced:
        score += 0.2
    score += 0.1 if arrested is not None else 0.0
    score += 0.05 if affiliation != UNKNOWN else 0.0
    score += 0.05 if agencies else 0.0
    score += 0.1 if date is not None else 0.0
    return round(min(score, 1.0), 2)


def build_operation(draft: _Draft, ctx: Context, *, first: bool, taken: set[int]) -> Operation:
    """Read one draft's details and return the operation.

    Parameters
    ----------
    draft : _Draft
        From :func:`group_operations`.
    ctx : Context
    first : bool
        True for the article's first operation, which may read the headlines.
    taken : set of int
        Sentences that are other operations' evidence, which this one must not read.

    Returns
    -------
    Operation
    """
    own, same, before, follow, lead = _windows(draft, ctx, first, taken)
    # A number written out near the operation wins over the one person of "a man
    # was arrested at ..." in its own sentences.
    arrested = next(
        (n for text in (*own, *same, *before) if (n := count_people(text, explicit=True))),
        None,
    ) or next(
        (n for text in (*own, *same, *before, *follow, *lead) if (n := count_people(text))), None
    )
    named = [g for text in (*own, *same, *before, *follow, *lead) for g in find_groups(text)]
    # "Daesh" first and "Daesh-Khorasan" later: the branch named is the group.
    group = next(
        (g for g in named if named and PART_OF.get(g.name) == named[0].name),
        named[0] if named else None,
    )
    agencies = []
    for text in (*own, *same, *before, *follow):
        for mention in find_agencies(text):
            if mention.name not in agencies:
                agencies.append(mention.name)
    # Sentences around the operation date it only when they speak of the arrests:
    # "They had travelled to Syria in 2015" does not date the operation.
    nearby = [text for text in (*same, *before, *follow, *lead) if _ARREST_WORDS.search(text)]
    date, precision = first_date(
        (*own, *nearby), published=ctx.published, floor_year=ctx.floor_year
    )
    recent = any(map(_RECENT.search, (*own, *same, *before, *lead)))
    if date is None and ctx.published is not None and recent:
        # "Seven men have been arrested" is news of the days before publication: the
        # month is known, the day is not.
        date, precision = ctx.published.isoformat()[:7], "month"
    places, seen = [], set()
    for mention in finest(draft.mentions):
        for point in mention.resolution.points:
            key = point.geonameid or (point.lat, point.lon)
            if key not in seen:
                seen.add(key)
                places.append(
                    PlacePoint(
                        mention.resolution.query or mention.text,
                        point.lat,
                        point.lon,
                        point.country_code,
                        point.geonameid,
                        mention.resolution.precision,
                        point.name,
                    )
                )
    unresolved = tuple(
        dict.fromkeys(Unplaced(m.text, m.resolution.error or "not placed") for m in draft.unplaced)
    )
    affiliation = group.name if group else UNKNOWN
    return Operation(
        source=ctx.source,
        date=date,
        date_precision=precision,
        places=tuple(places),
        arrested=arrested,
        affiliation=affiliation,
        affiliation_as_written=group.as_written if group else None,
        agencies=tuple(agencies),
        country=ctx.country,
        evidence=tuple(own),
        confidence=_confidence(draft, arrested, affiliation, agencies, date),
        unresolved=unresolved,
    )
