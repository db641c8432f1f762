"""Dates of operations, with the precision the text supports and never more.

News copy dates events relative to the day it was written: "on Tuesday", "last
week", "in March", "on Tuesday, January 4". Those resolve only against a
publication date, given by the user (``--published``) or printed in the article
("Published on ..."). Without one the date stays unknown, or at the precision the
text itself fixes ("in 2021" is a year). A day is never invented.

Not every date near an arrest dates it. A date in a clause about a past event
("since the attacks of 12 March 2011", "over the Dec. 17 attack", "was sentenced on
Monday", "between 2010 and 2013") never does. A date the article's source gave its
news on ("the ministry said on Friday", a dateline's "New Delhi, Dec 26:") is used
only when no passage dates the arrests themselves ("he was arrested on Thursday").
Then a wire dateline's day is kept (the wire's lead reports that day's news), but
of the day a source spoke or a page was stamped only the month: the arrests came
on or shortly before it, and that day is not theirs.

One inference goes beyond the words: a day and month with a weekday but no year
("Tuesday, January 4") fixes the year once the article's earliest possible year is
known, because a given date falls on a given weekday only every five to eleven
years. The earliest possible year is the latest year the article mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from mapapp.extract.words import alternation, cue_translations, cue_values, cue_words

#: Month and weekday names of every language's cue file ("march": 3, "marzo": 3;
#: "monday": 0, "lunes": 0), abbreviations included.
MONTHS = cue_values("months")
_WEEKDAY_NUMBERS = cue_values("weekdays")
WEEKDAYS = frozenset(_WEEKDAY_NUMBERS)

_MONTH = rf"(?P<month>{alternation(MONTHS)})\.?"
_WEEKDAY = rf"(?:(?P<weekday>{alternation(WEEKDAYS)}),?\s+(?:the\s+)?)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
#: "12 of March", "12 de marzo de 2014": the words between day, month and year.
_OF = rf"(?:(?:{alternation(cue_words('date_connectors'))})\s+)?"
_TO_YEAR = rf"(?:,|\s+(?:{alternation(cue_words('date_connectors'))}))?\s+"
_NO_YEAR = r"(?!,?\s+(?:19|20)\d\d)(?![\d])"

_FULL = (
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+{_OF}{_MONTH}{_TO_YEAR}{_YEAR}\b", re.I),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    # "12.07.2017": with full stops, day first (South Asian and European copy).
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
)
_DAY_MONTH = (
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+{_OF}{_MONTH}{_NO_YEAR}", re.I),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}\b{_NO_YEAR}", re.I),
)
_WEEKDAY_ONLY = re.compile(rf"\b(?P<weekday>{alternation(WEEKDAYS)})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}{_TO_YEAR}{_YEAR}\b", re.I)
_MONTH_ONLY = re.compile(
    r"\b(?i:in|since|during|early|late|last|mid-?)\s+(?P<month>"
    + "|".join(n.title() for n in MONTHS if len(n) > 3 or n == "may")
    + r")\b(?!\s+\d)"
)
_YEAR_ONLY = re.compile(
    r"\b(?:in|during|early|late)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)", re.I
)
#: "yesterday", "ayer", "last week": every language's words, read as the English ones.
_RELATIVE_WORDS = cue_translations("relative_dates")
_RELATIVE = re.compile(rf"\b(?P<word>{alternation(_RELATIVE_WORDS)})\b", re.I)
_ANY_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,])")
_SOME_YEAR = re.compile(r"(?:19|20)\d\d")


#: How far around a date the words that decide its standing are read.
_STANDING_CHARS = 60
_PAST_BEFORE = re.compile(
    rf"\b(?:(?:{alternation(cue_words('since_words'))})\s+(?:the\s+)?(?:(?:\w+\s+){{0,2}}"
    rf"(?:{alternation(cue_words('past_event_nouns'))})\s+(?:of|on|in)\s+(?:the\s+)?)?"
    rf"|(?:{alternation(cue_words('past_event_nouns'))})\s+(?:of|on)\s+(?:the\s+)?"
    rf"|(?:{alternation(cue_words('trial_verbs'))})\s+(?:[\w-]+\s+){{0,3}}?(?:on|in)\s+(?:the\s+)?"
    r"|between\s+(?:\S+\s+and\s+)?"
    rf"|(?:\d|\b(?:{'|'.join(MONTHS)}))\.?\s*(?:[-–—]|to|until)\s*)$",
    re.I,
)
_PAST_AFTER = re.compile(
    rf"^(?:\s*[-–—]\s*\d|\s+(?:to|until|and)\s+\d|(?:['’]s)?\s+(?:[\w-]+\s+)?"
    rf"(?:{alternation(cue_words('past_event_nouns'))})\b)",
    re.I,
)
_SAID_BEFORE = re.compile(
    rf"\b(?:{alternation(cue_words('speech_verbs'))})\s+"
    r"(?:(?!arrest|detain|held|nabb|captur|raid)[\w-]+\s+){0,2}?(?:on\s+|late\s+)?$",
    re.I,
)
_DATELINE_BEFORE = re.compile(r"^\W*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*,\s*$")
#: "MOSCOW (Sputnik - 24th October, 2022)": the date of a dateline's credit.
_CREDIT_BEFORE = re.compile(r"^\W*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*\([^()]{0,60}$")
#: A line that is only a date (and perhaps a time): the article's own date.
_DATE_LINE_REST = re.compile(
    r"^[\W\d]*(?:(?:at|am|pm|gmt|utc|updated|published)\b[\W\d]*)*$", re.I
)
_DATELINE_AFTER = re.compile(r"^[^.;:–—-]{0,40}?(?:[:–—]|\s-\s|--|\.-)")

#: "Friday (Feb 5)": a date in parentheses right after a word (the date it restates).
_RESTATED = re.compile(r"(\w+)\s*\(\s*$")

OK = "ok"
SAID = "said"
DATELINE = "dateline"
PAST = "past"


def standing(text: str, start: int, end: int) -> str:
    """Say what the date written at ``text[start:end]`` dates.

    Parameters
    ----------
    text : str
        The passage.
    start, end : int
        Where the date is written in it.

    Returns
    -------
    str
        :data:`PAST` for a past event, trial or range ("since the attacks of 12
        March 2011", "the Dec. 17 attack", "sentenced on Monday", "between 2010 and
        2013"); :data:`DATELINE` for a wire dateline's day ("New Delhi, Dec 26:");
        :data:`SAID` for the day a source spoke or a page was stamped ("said on
        Friday", "MOSCOW (Sputnik - 24th October, 2022)", a line "March 7, 2024");
        :data:`OK` otherwise.
    """
    restated = _RESTATED.search(text, max(start - _STANDING_CHARS, 0), start)
    if restated is not None:
        # "said on Friday (Feb 5)": a date restating the one before stands as it does.
        start, end = restated.span(1)
    before = text[max(start - _STANDING_CHARS, 0) : start]
    after = text[end : end + _STANDING_CHARS]
    if _PAST_BEFORE.search(before) or _PAST_AFTER.match(after):
        return PAST
    if _DATELINE_BEFORE.match(text[:start]) and _DATELINE_AFTER.match(after):
        return DATELINE
    if (
        _SAID_BEFORE.search(before)
        or (_CREDIT_BEFORE.match(text[:start]) and after.lstrip().startswith(")"))
        or (len(text) < 80 and _DATE_LINE_REST.match(text[:start] + " " + text[end:]))
    ):
        return SAID
    return OK


_PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|updated|last updated|publication date|date)\s*(?:on|at)?\s*:?\s*",
    re.I,
)


def _month(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.lower().rstrip(".")]


def _full_date(match: re.Match) -> dt.date | None:
    try:
        return dt.date(int(match["year"]), _month(match["month"]), int(match["day"]))
    except ValueError:
        return None


def find_full_dates(text: str) -> list[dt.date]:
    """Return every complete date (day, month and year) written in ``text``, in order."""
    if not _SOME_YEAR.search(text):
        return []  # no year, no complete date: skip the month-name patterns
    found = []
    for pattern in _FULL:
        for match in pattern.finditer(text):
            date = _full_date(match)
            if date is not None:
                found.append((match.start(), date))
    return [date for _, date in sorted(found)]


def find_publication_date(text: str) -> dt.date | None:
    """Find the date an article says it was published, or None.

    Accepted: a labelled date ("Published on 5 January 2022", "Updated: Jan. 5,
    2022"), a dateline carrying a full date ("RABAT, Jan 5, 2022 (Reuters) -"), or a
    line holding only a date among the first and last lines of the article.

    Parameters
    ----------
    text : str
        The article.

    Returns
    -------
    datetime.date or None
    """
    for label in _PUBLISHED_LABEL.finditer(text):
        dates = find_full_dates(text[label.end() : label.end() + 40])
        if dates:
            return dates[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in (*lines[:5], *lines[-3:]):
        dates = find_full_dates(line)
        if not dates:
            continue
        rest = line
        for pattern in _FULL:
            rest = pattern.sub("", rest)
        dateline = re.match(r"^[A-Z][A-Za-z .'-]+,\s*$", line[: line.find(",") + 1])
        if len(re.findall(r"[A-Za-z]{3,}", rest)) <= 2 or (
            dateline and re.search(r"\)\s*[-–—]", line)
        ):
            return dates[0]
    return None


def years_mentioned(text: str) -> list[int]:
    """Return the years (1900-2099) written in ``text``, as numbers."""
    return [int(y) for y in _ANY_YEAR.findall(text)]


def _before(published: dt.date, month: int, day: int | None = None) -> dt.date | None:
    """The latest date with this month (and day) on or shortly after ``published``."""
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day or 1)
        except ValueError:
            continue
        if candidate <= published + dt.timedelta(days=1):
            return candidate
    return None


def _year_from_weekday(month: int, day: int, weekday: int, floor: int) -> int | None:
    for year in range(floor, floor + 7):
        try:
            if dt.date(year, month, day).weekday() == weekday:
                return year
        except ValueError:
            return None
    return None


def _day_month(match: re.Match, published: dt.date | None, floor: int | None):
    month, day = _month(match["month"]), int(match["day"])
    weekday = _WEEKDAY_NUMBERS[match["weekday"].lower()] if match["weekday"] else None
    if published is not None:
        date = _before(published, month, day)
        if date is not None and weekday is not None and date.weekday() != weekday:
            alternative = _before(dt.date(published.year - 1, 12, 31), month, day)
            if alternative is not None and alternative.weekday() == weekday:
                date = alternative
        return (date.isoformat(), "day") if date else None
    if weekday is not None and floor is not None:
        year = _year_from_weekday(month, day, weekday, floor)
        if year is not None:
            return dt.date(year, month, day).isoformat(), "day"
    return None


def _relative(word: str, published: dt.date):
    word = _RELATIVE_WORDS[word.lower()]
    if word in ("yesterday", "today"):
        day = published - dt.timedelta(days=1 if word == "yesterday" else 0)
        return day.isoformat(), "day"
    if word == "last month":
        last = published.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1).isoformat()[:7], "month"
    monday = published - dt.timedelta(days=published.weekday())
    if word == "last week":
        monday -= dt.timedelta(days=7)
    sunday = monday + dt.timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return monday.isoformat()[:7], "month"
    if monday.year == sunday.year:
        return str(monday.year), "year"
    return None


def _candidates(
    text: str, published: dt.date | None, floor_year: int | None
) -> Iterator[tuple[int, int, tuple[str, str]]]:
    """Yield ``(start, end, (iso, precision))`` of every date, finest kind first."""
    for pattern in _FULL:
        for match in pattern.finditer(text):
            date = _full_date(match)
            if date is not None:
                yield match.start(), match.end(), (date.isoformat(), "day")
    for pattern in _DAY_MONTH:
        for match in pattern.finditer(text):
            found = _day_month(match, published, floor_year)
            if found:
                yield match.start(), match.end(), found
    if published is not None:
        for match in _WEEKDAY_ONLY.finditer(text):
            back = (published.weekday() - _WEEKDAY_NUMBERS[match["weekday"].lower()]) % 7
            yield (
                match.start(),
                match.end(),
                ((published - dt.timedelta(days=back)).isoformat(), "day"),
            )
        for match in _RELATIVE.finditer(text):
            found = _relative(match["word"], published)
            if found:
                yield match.start(), match.end(), found
    for match in _MONTH_YEAR.finditer(text):
        yield (
            match.start(),
            match.end(),
            (f"{int(match['year']):04d}-{_month(match['month']):02d}", "month"),
        )
    if published is not None:
        for match in _MONTH_ONLY.finditer(text):
            start = _before(published, _month(match["month"]))
            if start is not None:
                yield match.start(), match.end(), (start.isoformat()[:7], "month")
    for match in _YEAR_ONLY.finditer(text):
        yield match.start(), match.end(), (match["year"], "year")


@lru_cache(maxsize=4096)
def _dates_in(
    text: str, published: dt.date | None, floor_year: int | None
) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """Return the passage's first date of the arrests and its first date said.

    Remembered: the grouping of operations and each operation's windows read the
    same sentences again.

    Dates are read finest kind first and the reading stops at the first date of the
    arrests. A date inside one already read ("March 2011" of "12 March 2011") takes
    the standing of the longer one.
    """
    seen: list[tuple[int, int, str]] = []
    said = None
    for start, end, found in _candidates(text, published, floor_year):
        kind = next((k for s, e, k in seen if s <= start < e), None) or standing(text, start, end)
        if kind == OK:
            return found, said
        if said is None and kind in (SAID, DATELINE):
            said = _month_of(found) if kind == SAID else found
        seen.append((start, end, kind))
    return None, said


def _month_of(found: tuple[str, str]) -> tuple[str, str]:
    """A day a source spoke gives the arrests' month only: they came on or before it."""
    iso, precision = found
    return (iso[:7], "month") if precision == "day" else found


def date_in(
    text: str, *, published: dt.date | None = None, floor_year: int | None = None
) -> tuple[str, str] | None:
    """Read the date one passage gives, at the precision it supports.

    Dates of past events never count; the date a source spoke counts only when the
    passage gives no other (see :func:`standing`).

    Parameters
    ----------
    text : str
        A sentence or passage about one operation.
    published : datetime.date, optional
        The publication date, against which relative dates resolve.
    floor_year : int, optional
        The earliest year the article can be from (the latest year it mentions);
        used only to place a weekday-and-date without a year.

    Returns
    -------
    tuple of (str, str) or None
        ``(iso, precision)`` with ISO text ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` and
        precision "day", "month" or "year"; None when the passage fixes no date.
    """
    found, said = _dates_in(text, published, floor_year)
    return found or said


def first_date(
    passages: Iterable[str], *, published: dt.date | None = None, floor_year: int | None = None
) -> tuple[str | None, str]:
    """Return the first date found in ``passages`` (nearest first), or unknown.

    A date of the arrests in any passage wins over the date a source spoke in a
    nearer one: "the ministry said on Friday" in the lead, "they were arrested on
    Thursday" further down. A day a source spoke on, used when no passage dates
    the arrests, gives its month only; a wire dateline's day stays a day.

    Parameters
    ----------
    passages : iterable of str
        Sentences about one operation, the most relevant first.
    published, floor_year
        See :func:`date_in`.

    Returns
    -------
    tuple
        ``(iso or None, precision)``; ``(None, "unknown")`` when nothing fixes a date.
    """
    fallback = None
    for passage in passages:
        found, said = _dates_in(passage, published, floor_year)
        if found is not None:
            return found
        fallback = fallback or said
    return fallback or (None, "unknown")


def own_date(
    text: str, *, published: dt.date | None = None, floor_year: int | None = None
) -> tuple[str, str] | None:
    """The date a passage gives the arrests themselves, or None.

    Unlike :func:`date_in`, the day a source spoke does not count: "Police said on
    Friday they had arrested two more in Kirkuk" does not make the arrests another
    operation than the Kirkuk raid of Tuesday.
    """
    return _dates_in(text, published, floor_year)[0]


def agree(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    """Whether two dates may be one operation's: either unknown, or one within the other.

    "2016-06" and "2016-06-12" agree; "2016-06" and "2016-08" do not.
    """
    if a is None or b is None:
        return True
    return a[0].startswith(b[0]) or b[0].startswith(a[0])
