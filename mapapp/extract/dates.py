"""Dates of operations, with the precision the text supports and never more.

News copy dates events relative to the day it was written: "on Tuesday", "last
week", "in March", "on Tuesday, January 4". Those resolve only against a
publication date, given by the user (``--published``) or printed in the article
("Published on ..."). Without one the date stays unknown, or at the precision the
text itself fixes ("in 2021" is a year). A day is never invented.

One inference goes beyond the words: a day and month with a weekday but no year
("Tuesday, January 4") fixes the year once the article's earliest possible year is
known, because a given date falls on a given weekday only every five to eleven
years. The earliest possible year is the latest year the article mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(WEEKDAYS) + r"),?\s+(?:the\s+)?)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NO_YEAR = r"(?!,?\s+(?:19|20)\d\d)(?![\d])"

_FULL = (
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
)
_DAY_MONTH = (
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH}{_NO_YEAR}", re.I),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}\b{_NO_YEAR}", re.I),
)
_WEEKDAY_ONLY = re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b", re.I)
_MONTH_ONLY = re.compile(
    r"\b(?:in|since|during|early|late|mid-?)\s+(?P<month>"
    + "|".join(n.title() for n in MONTHS if len(n) > 3 or n == "may")
    + r")\b(?!\s+\d)"
)
_YEAR_ONLY = re.compile(
    r"\b(?:in|during|early|late)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)", re.I
)
_RELATIVE = re.compile(r"\b(?P<word>yesterday|today|last week|this week|last month)\b", re.I)
_ANY_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,])")

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
    weekday = WEEKDAYS.index(match["weekday"].lower()) if match["weekday"] else None
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
    word = word.lower()
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


def date_in(
    text: str, *, published: dt.date | None = None, floor_year: int | None = None
) -> tuple[str, str] | None:
    """Read the date one passage gives, at the precision it supports.

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
    dates = find_full_dates(text)
    if dates:
        return dates[0].isoformat(), "day"
    for pattern in _DAY_MONTH:
        for match in pattern.finditer(text):
            found = _day_month(match, published, floor_year)
            if found:
                return found
    if published is not None:
        weekday = _WEEKDAY_ONLY.search(text)
        if weekday is not None:
            back = (published.weekday() - WEEKDAYS.index(weekday["weekday"].lower())) % 7
            return (published - dt.timedelta(days=back)).isoformat(), "day"
        relative = _RELATIVE.search(text)
        if relative is not None:
            found = _relative(relative["word"], published)
            if found:
                return found
    month_year = _MONTH_YEAR.search(text)
    if month_year is not None:
        return f"{int(month_year['year']):04d}-{_month(month_year['month']):02d}", "month"
    month = _MONTH_ONLY.search(text)
    if month is not None and published is not None:
        start = _before(published, _month(month["month"]))
        if start is not None:
            return start.isoformat()[:7], "month"
    year = _YEAR_ONLY.search(text)
    if year is not None:
        return year["year"], "year"
    return None


def first_date(
    passages: Iterable[str], *, published: dt.date | None = None, floor_year: int | None = None
) -> tuple[str | None, str]:
    """Return the first date found in ``passages`` (nearest first), or unknown.

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
    for passage in passages:
        found = date_in(passage, published=published, floor_year=floor_year)
        if found is not None:
            return found
    return None, "unknown"
