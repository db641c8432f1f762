"""National figures: totals officials give for a period, which are not operations.

"40 cells and 548 people since 2015" or "in 2021 ... arrested at least 55" count
many operations at once and name no place, so they cannot go on the map; but the
app shows how much of a reported total the map covers, so they are kept, in the
shape of :mod:`mapapp.records.figures` (period, cells dismantled, people arrested, plots
foiled, qualifier).

A sentence gives a figure when it counts cells, people arrested or plots foiled
over a period ("since 2002", "in 2021", "between 2015 and 2016", "until late
October", "during the same period") and names no arrest place. A count without a
period of its own takes the period of the previous figure in its paragraph.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field, replace

from mapapp.extract.dates import MONTHS
from mapapp.extract.numbers import NUMBER, PEOPLE, parse_number, qualifier_before

_Y = r"((?:19|20)\d\d)"
_MONTH_NAMES = "|".join(n for n in MONTHS if len(n) > 3 or n == "may")
_PERIODS: tuple[tuple[str, re.Pattern], ...] = (
    ("range", re.compile(rf"\b(?:between|from)\s+{_Y}\s+(?:and|to|until|through)\s+{_Y}\b", re.I)),
    ("range", re.compile(rf"\b{_Y}\s*[-–]\s*{_Y}\b")),
    (
        "since",
        re.compile(rf"\bsince\s+(?:early\s+|late\s+|the (?:start|beginning) of\s+)?{_Y}", re.I),
    ),
    # "(?:...\s*)?" rather than "(?:...)?\s*" after "\s+": two runs of spaces side by
    # side split a long run of spaces in every possible way, which is quadratic.
    (
        "until",
        re.compile(
            rf"\b(?:until|till|up to|by)\s+(?:(?:late|early|mid-?|the end of)\s*)?"
            rf"({_MONTH_NAMES})\b(?:\s+{_Y})?",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:in|during|for|throughout|over)\s+(?:the year\s+)?{_Y}\b(?!\s*[-–])", re.I
        ),
    ),
    ("this year", re.compile(r"\b(?:so far\s+)?(?:this|last|the past)\s+year\b", re.I)),
    ("same", re.compile(r"\b(?:during|in|over|for)\s+the same period\b", re.I)),
)
_NUMBER_WORD = rf"(?P<n>{NUMBER})"
_SKIP = r"(?:(?!of\b|and\b)[\w“”\"'’-]+\s+){0,2}?"
_COUNTS = (
    (
        "cells_dismantled",
        re.compile(rf"(?<![\w-]){_NUMBER_WORD}\s+{_SKIP}(?:cells|networks)\b", re.I),
    ),
    ("arrested", re.compile(rf"(?<![\w-]){_NUMBER_WORD}\s+{_SKIP}{PEOPLE}\b", re.I)),
    (
        "plots_foiled",
        re.compile(
            rf"(?<![\w-]){_NUMBER_WORD}\s+{_SKIP}(?:plots|attacks|attempts|projects)\b", re.I
        ),
    ),
)
# The digits are bounded: unbounded, every comma of a long "1,000,000,..." would start
# a match running to its end.
_ELLIPTIC = re.compile(rf"(?:\band\b|,|\()\s*(?P<n>\d[\d,.]{{0,15}}|{NUMBER})\s+in\s+{_Y}\b", re.I)
_VERBS = {
    "cells_dismantled": re.compile(
        r"\b(?:dismantl\w*|bust\w*|uncover\w*|broke up|broken up"
        r"|disband\w*|neutrali[sz]\w*|thwart\w*)",
        re.I,
    ),
    "arrested": re.compile(r"\b(?:arrest\w*|detain\w*|apprehen\w*|brought to justice)", re.I),
    "plots_foiled": re.compile(r"\b(?:foil\w*|abort\w*|thwart\w*|prevent\w*|disrupt\w*)", re.I),
}


@dataclass(frozen=True)
class NationalFigure:
    """A total reported for a period (the fields of :data:`mapapp.records.figures.FIGURE_COLUMNS`).

    ``period_start``/``period_end`` are ``YYYY`` or ``YYYY-MM`` or None when the text
    does not fix them; ``qualifier`` is "exact", "at least", "more than" or "about".
    """

    period_label: str | None
    period_start: str | None
    period_end: str | None
    cells_dismantled: int | None = None
    arrested: int | None = None
    plots_foiled: int | None = None
    qualifier: str = "exact"
    evidence: tuple[str, ...] = field(default=())
    country: str | None = None

    def to_json(self) -> dict:
        """Return the JSON line of this figure (``"kind": "national_figure"``)."""
        return {
            "kind": "national_figure",
            "country": self.country,
            "period": self.period_label,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "cells_dismantled": self.cells_dismantled,
            "arrested": self.arrested,
            "plots_foiled": self.plots_foiled,
            "qualifier": self.qualifier,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class _Period:
    label: str
    start: str | None
    end: str | None
    offset: int


def _periods(text: str, published: dt.date | None) -> tuple[list[_Period], bool]:
    """Return the periods of a sentence and whether it says "the same period".

    Earlier patterns first; a match overlapping an earlier one is not a period.
    """
    found, same = [], False
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PERIODS:
        # Taken spans do not overlap and are kept in order, and a pattern's matches
        # come in order: one walk along both finds the overlaps.
        spans, k = [], 0
        for match in pattern.finditer(text):
            while k < len(taken) and taken[k][1] <= match.start():
                k += 1
            if k < len(taken) and taken[k][0] < match.end():
                continue
            spans.append(match.span())
            if kind == "range":
                found.append(_Period(f"{match[1]}-{match[2]}", match[1], match[2], match.start()))
            elif kind == "since":
                end = str(published.year) if published else None
                found.append(_Period(f"since {match[1]}", match[1], end, match.start()))
            elif kind == "until":
                year = match[2] or (str(published.year) if published else None)
                month = MONTHS[match[1].lower()]
                found.append(
                    _Period(
                        match.group(0).strip(),
                        year,
                        f"{year}-{month:02d}" if year else None,
                        match.start(),
                    )
                )
            elif kind == "year":
                found.append(_Period(match[1], match[1], match[1], match.start()))
            elif kind == "this year":
                year = published.year - ("last" in match.group(0).lower()) if published else None
                found.append(
                    _Period(
                        match.group(0).strip(),
                        str(year) if year else None,
                        str(year) if year else None,
                        match.start(),
                    )
                )
            else:
                same = True
        taken = sorted(taken + spans)
    return found, same


def figures_in(
    text: str,
    *,
    published: dt.date | None = None,
    previous: NationalFigure | None = None,
    previous_in_paragraph: bool = False,
) -> list[NationalFigure]:
    """Return the national figures one sentence gives.

    Parameters
    ----------
    text : str
        A sentence that names no arrest place.
    published : datetime.date, optional
        Closes open periods ("since 2002" ends at publication) and fixes "this year".
    previous : NationalFigure, optional
        The article's previous figure, whose period a count without its own period
        takes when it is in the same paragraph or the text says "the same period".
    previous_in_paragraph : bool
        Whether ``previous`` comes from the same paragraph.

    Returns
    -------
    list of NationalFigure
        One per period, in order of the text.
    """
    if not any(verb.search(text) for verb in _VERBS.values()):
        # Every figure needs a count with its verb ("dismantled", "arrested"...);
        # checked first because most sentences have none.
        return []
    periods, same = _periods(text, published)
    counts: list[tuple[str, int, int, str, _Period | None]] = []
    elliptic_years, elliptic = set(), []
    for match in _ELLIPTIC.finditer(text):
        value = parse_number(match["n"])
        if value:
            counts.append(
                (
                    "?",
                    value,
                    match.start("n"),
                    "exact",
                    _Period(match[2], match[2], match[2], match.start()),
                )
            )
            elliptic_years.add(match.start(2))
            elliptic.append(match[2])
    years = sorted(elliptic_years)
    free = [p for p in periods if not _any_within(years, p.offset, p.offset + len(p.label) + 8)]
    counted = {c[2] for c in counts}
    for name, pattern in _COUNTS:
        if not _VERBS[name].search(text):
            continue
        for match in pattern.finditer(text):
            word = match["n"].lower()
            value = parse_number(word)
            if not value or word in ("a", "an", "a single") or match.start("n") in counted:
                continue
            counted.add(match.start("n"))
            counts.append(
                (name, value, match.start("n"), qualifier_before(text, match.start("n")), None)
            )
    counts.sort(key=lambda c: c[2])
    nearest = _nearest_finder(free)
    figures: dict[str, NationalFigure] = {}
    last_name = None
    for name, value, start, qualifier, own in counts:
        if name == "?":
            if last_name is None:
                continue
            name = last_name
        last_name = name
        period = own or nearest(start)
        if period is None and len(elliptic) > 1 and own is None:
            # "548 people (275 in 2015 and 273 in 2016)": the total spans its parts.
            first_year, last_year = min(elliptic), max(elliptic)
            period = _Period(f"{first_year}-{last_year}", first_year, last_year, 0)
        if period is None and previous is not None and (same or previous_in_paragraph):
            period = _Period(
                previous.period_label or "", previous.period_start, previous.period_end, 0
            )
        if period is None and not (name == "cells_dismantled" and value >= 2):
            continue
        label = period.label if period else None
        figure = figures.get(label) or NationalFigure(
            label,
            period.start if period else None,
            period.end if period else None,
            qualifier=qualifier,
            evidence=(text,),
        )
        if getattr(figure, name) is None:
            figure = replace(figure, **{name: value})
        figures[label] = figure
    return list(figures.values())


def _any_within(positions: list[int], low: int, high: int) -> bool:
    """True when a position of the sorted ``positions`` lies in ``[low, high]``."""
    k = bisect.bisect_left(positions, low)
    return k < len(positions) and positions[k] <= high


def _nearest_finder(periods: list[_Period]):
    """Return a function giving the period nearest an offset (None without periods).

    Of two periods equally near, the earlier in ``periods`` wins. Found by bisection
    on their offsets (distinct: periods do not overlap), not by measuring every
    period for every count.
    """
    order = sorted(range(len(periods)), key=lambda i: periods[i].offset)
    offsets = [periods[i].offset for i in order]

    def nearest(start: int) -> _Period | None:
        k = bisect.bisect_left(offsets, start)
        near = [order[j] for j in (k - 1, k) if 0 <= j < len(order)]
        if not near:
            return None
        return periods[min(near, key=lambda i: (abs(periods[i].offset - start), i))]

    return nearest


def merge_figures(figures: list[NationalFigure]) -> list[NationalFigure]:
    """Merge figures for the same period, the first value of each count winning.

    An article often repeats a total ("548 people" in a quote and again in the
    text); the first statement is kept and the evidence of both is joined.
    """
    merged: dict[str | None, NationalFigure] = {}
    # The evidence of each period as an ordered set, joined once at the end: a long
    # text repeating a period would otherwise search and copy a growing tuple.
    evidence: dict[str | None, dict[str, None]] = {}
    for figure in figures:
        label = figure.period_label
        known = merged.get(label)
        if known is None:
            merged[label] = figure
            evidence[label] = dict.fromkeys(figure.evidence)
            continue
        updates = {
            name: getattr(figure, name)
            for name in ("cells_dismantled", "arrested", "plots_foiled")
            if getattr(known, name) is None and getattr(figure, name) is not None
        }
        if updates:
            merged[label] = replace(known, **updates)
        evidence[label].update(dict.fromkeys(figure.evidence))
    return [replace(figure, evidence=tuple(evidence[label])) for label, figure in merged.items()]
