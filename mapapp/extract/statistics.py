"""National figures: totals officials give for a period, which are not operations.

"40 cells and 548 people since 2015" or "in 2021 ... arrested at least 55" count
many operations at once and name no place, so they cannot go on the map; but the
app shows how much of a reported total the map covers, so they are kept, in the
shape of :mod:`mapapp.figures` (period, cells dismantled, people arrested, plots
foiled, qualifier).

A sentence gives a figure when it counts cells, people arrested or plots foiled
over a period ("since 2002", "in 2021", "between 2015 and 2016", "until late
October", "during the same period") and names no arrest place. A count without a
period of its own takes the period of the previous figure in its paragraph.
"""

from __future__ import annotations

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
    ("since", re.compile(rf"\bsince\s+(?:early\s+|late\s+|the (?:start|beginning) of\s+)?{_Y}",
                         re.I)),
    ("until", re.compile(rf"\b(?:until|till|up to|by)\s+(?:late|early|mid-?|the end of)?\s*"
                         rf"({_MONTH_NAMES})\b(?:\s+{_Y})?", re.I)),
    ("year", re.compile(
        rf"\b(?:in|during|for|throughout|over)\s+(?:the year\s+)?{_Y}\b(?!\s*[-–])", re.I)),
    ("this year", re.compile(r"\b(?:so far\s+)?(?:this|last|the past)\s+year\b", re.I)),
    ("same", re.compile(r"\b(?:during|in|over|for)\s+the same period\b", re.I)),
)
_NUMBER_WORD = rf"(?P<n>{NUMBER})"
_SKIP = r"(?:(?!of\b|and\b)[\w“”\"'’-]+\s+){0,2}?"
_COUNTS = (
    ("cells_dismantled", re.compile(rf"(?<![\w-]){_NUMBER_WORD}\s+{_SKIP}(?:cells|networks)\b",
                                    re.I)),
    ("arrested", re.compile(rf"(?<![\w-]){_NUMBER_WORD}\s+{_SKIP}{PEOPLE}\b", re.I)),
    ("plots_foiled", re.compile(
        rf"(?<![\w-]){_NUMBER_WORD}\s+{_SKIP}(?:plots|attacks|attempts|projects)\b", re.I)),
)
_ELLIPTIC = re.compile(rf"(?:\band\b|,|\()\s*(?P<n>\d[\d,.]*|{NUMBER})\s+in\s+{_Y}\b", re.I)
_VERBS = {
    "cells_dismantled": re.compile(r"\b(?:dismantl\w*|bust\w*|uncover\w*|broke up|broken up"
                                   r"|disband\w*|neutrali[sz]\w*|thwart\w*)", re.I),
    "arrested": re.compile(r"\b(?:arrest\w*|detain\w*|apprehen\w*|brought to justice)", re.I),
    "plots_foiled": re.compile(r"\b(?:foil\w*|abort\w*|thwart\w*|prevent\w*|disrupt\w*)", re.I),
}


@dataclass(frozen=True)
class NationalFigure:
    """A total reported for a period (the fields of :data:`mapapp.figures.FIGURE_COLUMNS`).

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
            "kind": "national_figure", "country": self.country,
            "period": self.period_label, "period_start": self.period_start,
            "period_end": self.period_end, "cells_dismantled": self.cells_dismantled,
            "arrested": self.arrested, "plots_foiled": self.plots_foiled,
            "qualifier": self.qualifier, "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class _Period:
    label: str
    start: str | None
    end: str | None
    offset: int


def _periods(text: str, published: dt.date | None) -> tuple[list[_Period], bool]:
    found, same = [], False
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PERIODS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            if kind == "range":
                found.append(_Period(f"{match[1]}-{match[2]}", match[1], match[2], match.start()))
            elif kind == "since":
                end = str(published.year) if published else None
                found.append(_Period(f"since {match[1]}", match[1], end, match.start()))
            elif kind == "until":
                year = match[2] or (str(published.year) if published else None)
                month = MONTHS[match[1].lower()]
                found.append(_Period(match.group(0).strip(), year,
                                     f"{year}-{month:02d}" if year else None, match.start()))
            elif kind == "year":
                found.append(_Period(match[1], match[1], match[1], match.start()))
            elif kind == "this year":
                year = published.year - ("last" in match.group(0).lower()) if published else None
                found.append(_Period(match.group(0).strip(), str(year) if year else None,
                                     str(year) if year else None, match.start()))
            else:
                same = True
    return found, same


def figures_in(text: str, *, published: dt.date | None = None,
               previous: NationalFigure | None = None,
               previous_in_paragraph: bool = False) -> list[NationalFigure]:
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
    periods, same = _periods(text, published)
    counts: list[tuple[str, int, int, str, _Period | None]] = []
    elliptic_years, elliptic = set(), []
    for match in _ELLIPTIC.finditer(text):
        value = parse_number(match["n"])
        if value:
            counts.append(("?", value, match.start("n"), "exact",
                           _Period(match[2], match[2], match[2], match.start())))
            elliptic_years.add(match.start(2))
            elliptic.append(match[2])
    free = [p for p in periods
            if not any(p.offset <= y <= p.offset + len(p.label) + 8 for y in elliptic_years)]
    for name, pattern in _COUNTS:
        if not _VERBS[name].search(text):
            continue
        for match in pattern.finditer(text):
            word = match["n"].lower()
            value = parse_number(word)
            if not value or word in ("a", "an", "a single") or any(c[2] == match.start("n")
                                                                   for c in counts):
                continue
            counts.append((name, value, match.start("n"),
                           qualifier_before(text, match.start("n")), None))
    counts.sort(key=lambda c: c[2])
    figures: dict[str, NationalFigure] = {}
    last_name = None
    for name, value, start, qualifier, own in counts:
        if name == "?":
            if last_name is None:
                continue
            name = last_name
        last_name = name
        period = own or (min(free, key=lambda p: abs(p.offset - start)) if free else None)
        if period is None and len(elliptic) > 1 and own is None:
            # "548 people (275 in 2015 and 273 in 2016)": the total spans its parts.
            first_year, last_year = min(elliptic), max(elliptic)
            period = _Period(f"{first_year}-{last_year}", first_year, last_year, 0)
        if period is None and previous is not None and (same or previous_in_paragraph):
            period = _Period(previous.period_label or "", previous.period_start,
                             previous.period_end, 0)
        if period is None and not (name == "cells_dismantled" and value >= 2):
            continue
        label = period.label if period else None
        figure = figures.get(label) or NationalFigure(
            label, period.start if period else None, period.end if period else None,
            qualifier=qualifier, evidence=(text,),
        )
        if getattr(figure, name) is None:
            figure = replace(figure, **{name: value})
        figures[label] = figure
    return list(figures.values())


def merge_figures(figures: list[NationalFigure]) -> list[NationalFigure]:
    """Merge figures for the same period, the first value of each count winning.

    An article often repeats a total ("548 people" in a quote and again in the
    text); the first statement is kept and the evidence of both is joined.
    """
    merged: dict[str | None, NationalFigure] = {}
    for figure in figures:
        known = merged.get(figure.period_label)
        if known is None:
            merged[figure.period_label] = figure
            continue
        updates = {
            name: getattr(figure, name)
            for name in ("cells_dismantled", "arrested", "plots_foiled")
            if getattr(known, name) is None and getattr(figure, name) is not None
        }
        evidence = known.evidence + tuple(e for e in figure.evidence if e not in known.evidence)
        merged[figure.period_label] = replace(known, evidence=evidence, **updates)
    return list(merged.values())
