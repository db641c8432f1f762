"""Security agencies and nationality words, and the country they point to.

Articles name the agency that made the arrests in many ways ("BCIJ", "Central
Bureau of Judicial Investigation", "the Guardia Civil", "Spain's Civil Guard"). The
map filters by agency, so each alias lands on one short name. The agency also tells
the article's country, which is the geocoding hint: a Moroccan agency makes
"Salé" the Moroccan one. Nationality words ("Spanish police", "Belgian") are a
weaker sign of the same kind.

The table is data: add a row to teach the extractor a new agency.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# short name, country, aliases (regular expressions, case-insensitive unless the
# alias is an acronym, which must be written in capitals to count).
_AGENCIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("BCIJ", "MA", ("BCIJ", r"Central Bureau (?:of|for) Judicia(?:l|ry) Investigations?")),
    (
        "DGST",
        "MA",
        (
            "DGST",
            r"General Directorate (?:for|of) (?:the )?(?:National )?"
            r"Territor(?:ial|y) Surveillance",
            r"Directorate[- ]General (?:for|of) (?:the )?Territor(?:ial|y) Surveillance",
            r"territory surveillance directorate",
        ),
    ),
    (
        "DGSN",
        "MA",
        (
            "DGSN",
            r"(?:General Directorate|Directorate[- ]General) (?:for|of) National Security",
            r"Moroccan (?:national )?police",
        ),
    ),
    ("BNPJ", "MA", ("BNPJ", r"National (?:Brigade|Squad) of (?:the )?Judicial Police")),
    ("DGED", "MA", ("DGED", r"General Directorate (?:for|of) Studies and Documentation")),
    ("Moroccan Royal Gendarmerie", "MA", (r"Royal Gendarmerie",)),
    ("Guardia Civil", "ES", (r"Guardia Civil", r"Civil Guard")),
    (
        "Policía Nacional",
        "ES",
        (
            r"Polic[ií]a Nacional",
            r"Spanish (?:National )?Police",
            r"Spain's (?:National )?Police",
        ),
    ),
    ("Mossos d'Esquadra", "ES", (r"Mossos d['’]Esquadra", r"Catalan (?:regional )?police")),
    ("CNI", "ES", ("CNI", r"National Intelligence Centre")),
    ("Audiencia Nacional", "ES", (r"Audiencia Nacional", r"Spain's National Court")),
    (
        "Belgian federal police",
        "BE",
        (
            r"Belgian federal police",
            r"federal police of Belgium",
            r"Police f[ée]d[ée]rale",
            r"Federale Politie",
        ),
    ),
    (
        "Belgian federal prosecutor",
        "BE",
        (
            r"Belgian federal prosecutor(?:'s office)?",
            r"Parquet f[ée]d[ée]ral",
        ),
    ),
    ("VSSE", "BE", ("VSSE",)),
    ("DGSI", "FR", ("DGSI", r"General Directorate (?:for|of) Internal Security")),
    ("PNAT", "FR", ("PNAT", r"French anti-terror(?:ism)? prosecutors?")),
    ("BKA", "DE", ("BKA", r"Federal Criminal Police Office")),
    ("BfV", "DE", ("BfV", r"Federal Office for the Protection of the Constitution")),
    ("DIGOS", "IT", ("DIGOS",)),
    ("Carabinieri", "IT", (r"Carabinieri",)),
    ("AIVD", "NL", ("AIVD",)),
    ("MI5", "GB", ("MI5",)),
    ("Counter Terrorism Policing", "GB", (r"Counter Terrorism Policing", r"Scotland Yard")),
    ("FBI", "US", ("FBI", r"Federal Bureau of Investigations?")),
    ("DGSN Algeria", "DZ", (r"Algerian (?:national )?police",)),
    ("Tunisian National Guard", "TN", (r"Tunisian National Guard",)),
    ("Europol", "", ("Europol",)),
    ("Interpol", "", ("Interpol",)),
)

#: Nationality word -> ISO country code. These words are also kept out of place
#: lookups: GeoNames has a hamlet called "Spanish", and no article means it.
DEMONYMS: dict[str, str] = {
    "moroccan": "MA",
    "moroccans": "MA",
    "spanish": "ES",
    "spaniard": "ES",
    "spaniards": "ES",
    "belgian": "BE",
    "belgians": "BE",
    "french": "FR",
    "german": "DE",
    "germans": "DE",
    "dutch": "NL",
    "italian": "IT",
    "italians": "IT",
    "british": "GB",
    "american": "US",
    "americans": "US",
    "algerian": "DZ",
    "algerians": "DZ",
    "tunisian": "TN",
    "tunisians": "TN",
    "libyan": "LY",
    "libyans": "LY",
    "mauritanian": "MR",
    "malian": "ML",
    "nigerien": "NE",
    "nigerian": "NG",
    "egyptian": "EG",
    "syrian": "SY",
    "iraqi": "IQ",
    "turkish": "TR",
    "austrian": "AT",
    "swiss": "CH",
    "swedish": "SE",
    "danish": "DK",
    "portuguese": "PT",
    "senegalese": "SN",
    "kenyan": "KE",
    "somali": "SO",
    "jordanian": "JO",
    "saudi": "SA",
    "sahrawi": "EH",
    "catalan": "ES",
    "andalusian": "ES",
}

_GENERIC_SERVICE = re.compile(
    r"\b(" + "|".join(sorted(DEMONYMS, key=len, reverse=True)) + r")\s+"
    r"(security services|intelligence services|intelligence|authorities|police|services)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgencyMention:
    """An agency found in text: its short name, its country ('' if international)."""

    name: str
    country: str
    start: int


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, tuple[tuple[re.Pattern, str, str], ...]]:
    """One pattern finding any alias (fast), and one per alias to tell which it was."""
    each, bodies = [], []
    for name, country, aliases in _AGENCIES:
        for alias in aliases:
            # Acronyms count only in capitals ("CNI", not "cni"); names in any case.
            acronym = alias.isupper() or alias in ("BfV",)
            body = alias if acronym else f"(?i:{alias})"
            bodies.append(body)
            each.append((re.compile(rf"(?<!\w){body}(?!\w)"), name, country))
    combined = re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)")
    return combined, tuple(each)


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
    combined, each = _patterns()
    for match in combined.finditer(text):
        name, country = next((n, c) for p, n, c in each if p.fullmatch(match.group(0)))
        found.append(AgencyMention(name, country, match.start()))
        taken.append(match.span())
    # Named agencies come in order and do not overlap, so the generic mentions (also
    # in order) are checked against them in one walk, not each against all of them.
    k = 0
    for match in _GENERIC_SERVICE.finditer(text):
        while k < len(taken) and taken[k][1] <= match.start():
            k += 1
        if k < len(taken) and taken[k][0] < match.end():
            continue
        demonym = match.group(1).lower()
        noun = match.group(2).lower()
        if noun in ("services", "intelligence services", "authorities"):
            noun = "security services"
        label = f"{match.group(1)[0].upper()}{match.group(1)[1:].lower()} {noun}"
        found.append(AgencyMention(label, DEMONYMS[demonym], match.start()))
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
            generic = mention.name.split()[0].lower() in DEMONYMS
            votes[mention.country] += 1 if generic else 3
    for word in re.findall(r"[A-Za-z]+", text):
        code = DEMONYMS.get(word.lower())
        if code and word[0].isupper():
            votes[code] += 1
    return votes
