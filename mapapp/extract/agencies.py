"""Security agencies and nationality words, and the country they point to.

Articles name the agency that made the arrests in many ways ("BCIJ", "Central
Bureau of Judicial Investigation", "the Guardia Civil", "Spain's Civil Guard"). The
map filters by agency, so each spelling lands on one short name. The agency also
tells the article's country, which is the geocoding hint: a Moroccan agency makes
"Salé" the Moroccan one. Nationality words ("Spanish police", "Belgian") are a
weaker sign of the same kind.

Both are data, so a new agency or nationality is a new row, not new code:

- ``data/agencies.csv``: ``name`` (the short name shown), ``country`` (ISO code;
  empty for international bodies and names several countries use, which then point
  nowhere), ``kind`` (police, intelligence, gendarmerie, military, prosecutor,
  court, ministry, task force, ...), ``aliases`` (``|``-separated, any case) and
  ``exact`` (acronyms, counted only as written: "CNI" but not "cni");
- ``data/demonyms.csv``: ``word`` (lower case), ``country``.

Spellings are matched as the groups' are (:func:`mapapp.records.affiliations.text_pattern`):
hyphens, spaces, apostrophes and accents may vary.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mapapp.records.affiliations import (
    VocabularyRow,
    name_key,
    split_cell,
    text_pattern,
    vocabulary_lookup,
)

_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Agency:
    """One row of the agencies table.

    Attributes
    ----------
    spellings : VocabularyRow
        The short name and the ways articles write it.
    country : str
        ISO code, or '' when the name points at no one country.
    kind : str
        What the agency is (police, intelligence, ...), for readers of the table.
    """

    spellings: VocabularyRow
    country: str
    kind: str


def read_agencies(path: Path = _DATA / "agencies.csv") -> tuple[Agency, ...]:
    """Read the agencies table.

    Parameters
    ----------
    path : pathlib.Path
        A CSV with the columns ``name``, ``country``, ``kind``, ``aliases``, ``exact``.

    Returns
    -------
    tuple of Agency
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Agency(
                VocabularyRow(
                    row["name"].strip(), split_cell(row["aliases"]), split_cell(row["exact"])
                ),
                row["country"].strip(),
                row["kind"].strip(),
            )
            for row in csv.DictReader(handle)
            if row["name"].strip()
        )


def read_demonyms(path: Path = _DATA / "demonyms.csv") -> dict[str, str]:
    """Read the nationality words table.

    Parameters
    ----------
    path : pathlib.Path
        A CSV with the columns ``word`` and ``country``.

    Returns
    -------
    dict of str to str
        Lower-case word -> ISO country code.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["word"].strip().lower(): row["country"].strip()
            for row in csv.DictReader(handle)
            if row["word"].strip()
        }


AGENCIES: tuple[Agency, ...] = read_agencies()
"""The agencies table."""

#: Nationality word -> ISO country code. These words are also kept out of place
#: lookups: GeoNames has a hamlet called "Spanish", and no article means it.
DEMONYMS: dict[str, str] = read_demonyms()

_GENERIC_SERVICE = re.compile(
    rf"(?<!\w)({text_pattern(VocabularyRow(w, (w,), ()) for w in DEMONYMS)})\s+"
    r"(?i:(security services|intelligence services|intelligence|authorities|police|services))\b"
)


@dataclass(frozen=True)
class AgencyMention:
    """An agency found in text.

    Attributes
    ----------
    name : str
        Its short name, or "<Nationality> police" and the like for a generic mention.
    country : str
        ISO code, '' when the name points at no one country.
    start : int
        Offset in the text.
    generic : bool
        True for a nationality and a service noun ("Spanish security services"),
        a weaker sign of the country than a named agency.
    """

    name: str
    country: str
    start: int
    generic: bool = False


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, Agency]]:
    """One pattern finding any spelling, and each spelling's key -> its agency."""
    rows = [agency.spellings for agency in AGENCIES]
    by_name = {agency.spellings.name: agency for agency in AGENCIES}
    lookup = {key: by_name[name] for key, name in vocabulary_lookup(rows).items()}
    return re.compile(rf"(?<!\w){text_pattern(rows)}(?!\w)"), lookup


@lru_cache(maxsize=4096)
def find_agencies(text: str) -> tuple[AgencyMention, ...]:
    """Return the agencies named in ``text``, in order of appearance.

    Named agencies come from the table; otherwise a nationality followed by
    "police", "authorities" or "(security) services" counts as that country's
    services ("Spanish security services"), which is how articles name partners.

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of AgencyMention
        One per occurrence; the same agency may appear several times. Results are
        remembered per text: an operation's windows read the same sentences again.
    """
    found: list[AgencyMention] = []
    taken: list[tuple[int, int]] = []
    pattern, lookup = _table()
    for match in pattern.finditer(text):
        agency = lookup.get(name_key(match.group(0)))
        if agency is None:  # a letter case-insensitive matching allows, folding not
            continue
        found.append(AgencyMention(agency.spellings.name, agency.country, match.start()))
        taken.append(match.span())
    # Named agencies come in order and do not overlap, so the generic mentions (also
    # in order) are checked against them in one walk, not each against all of them.
    k = 0
    for match in _GENERIC_SERVICE.finditer(text):
        while k < len(taken) and taken[k][1] <= match.start():
            k += 1
        if k < len(taken) and taken[k][0] < match.end():
            continue
        country = DEMONYMS.get(name_key(match.group(1)))
        if country is None:  # as for named agencies: matched, but not the table's word
            continue
        noun = match.group(2).lower()
        if noun in ("services", "intelligence services", "authorities"):
            noun = "security services"
        label = f"{match.group(1)[0].upper()}{match.group(1)[1:].lower()} {noun}"
        found.append(AgencyMention(label, country, match.start(), generic=True))
    return tuple(sorted(found, key=lambda m: m.start))


def country_votes(text: str) -> Counter:
    """Count how strongly ``text`` points at each country, from agencies and demonyms.

    A named agency weighs three, a nationality word one: "the BCIJ ... in
    coordination with Spanish services" is a Moroccan article.

    Parameters
    ----------
    text : str

    Returns
    -------
    collections.Counter
        ISO code -> weight.
    """
    votes: Counter = Counter()
    for mention in find_agencies(text):
        if mention.country:
            votes[mention.country] += 1 if mention.generic else 3
    for word in re.findall(r"[A-Za-z]+", text):
        code = DEMONYMS.get(word.lower())
        if code and word[0].isupper():
            votes[code] += 1
    return votes
