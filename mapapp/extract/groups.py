"""Find the armed group an article names, as written.

The canonical name comes from :func:`mapapp.records.affiliations.normalise_affiliation`; this
module only finds the words in running text, which needs care the alias table does
not: "IS" is a group only in capitals and outside all-capital headlines, longer names
win over their prefixes ("Islamic State in the Greater Sahara" over "Islamic
State"), and a cell's own name ("the cell called ...") counts when no known group
is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapapp.records.affiliations import UNKNOWN, normalise_affiliation

_NAMED = (
    r"Islamic State (?:in|of) the Greater Sahara",
    r"Islamic State West Africa Province",
    r"Islamic State(?:'s)? (?:in )?(?:Khorasan|Sahel)(?: Province)?",
    r"Islamic State (?:in|of) Iraq and (?:Syria|the Levant)",
    r"al[- ]?Qa['’]?[ie]da in the Islamic Maghreb",
    r"al[- ]?Qa['’]?[ie]da in the Arabian Peninsula",
    r"(?:pro-)?Islamic State",
    r"al[- ]?Qa['’]?[ie]da",
    r"Qa['’]?[ie]da",
    r"Boko Haram",
    r"al[- ]Shabaa?b",
    r"Jama['’]?at Nusrat al-Islam wal-Muslimin",
    r"(?:pro-)?Da['’]?e[sc]h",
    r"Daish",
    r"Etat islamique",
    r"Estado Isl[aá]mico",
)
_ACRONYMS = r"(?:pro-)?(?:ISIS-K|ISIS|ISIL|ISKP|ISWAP|ISGS|AQIM|AQMI|AQAP|MUJAO|JNIM)"
_GROUP = re.compile(
    rf"(?<![\w-])(?:(?i:{'|'.join(_NAMED)})|{_ACRONYMS}|(?:pro-)?IS(?=[\s,.;:)'’-]))(?!\w)"
)
# A cell's own name follows "cell called", a quote, or starts like Arabic group names.
_OWN_NAME = re.compile(
    r"\b(?:cell|group|network|organi[sz]ation)\s+(?:(?:called|named|known as|dubbed)\s+"
    r"[\"“']?|[\"“']|(?=(?:Al|El|Ansar|Jund|Jamaat|Harakat|Katibat)\s))"
    r"((?:[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|al|wa|el|ad|de|of|the|for)){0,6})"
)


@dataclass(frozen=True)
class GroupMention:
    """A group named in text: the canonical name, the words as written, the offset."""

    name: str
    as_written: str
    start: int


def find_groups(text: str) -> list[GroupMention]:
    """Return the armed groups named in ``text``, in order.

    Parameters
    ----------
    text : str
        A sentence or a passage.

    Returns
    -------
    list of GroupMention
        Known groups first found by their aliases; a cell's own name only when no
        known group is named in ``text``.
    """
    shouting = text.isupper()
    found = []
    for match in _GROUP.finditer(text):
        written = match.group(0)
        if shouting and written.removeprefix("pro-") == "IS":
            continue
        name = normalise_affiliation(written.removeprefix("pro-"))
        if name != UNKNOWN:
            found.append(GroupMention(name, written, match.start()))
    if found:
        return found
    for match in _OWN_NAME.finditer(text):
        written = re.sub(r"(?:\s+(?:al|wa|el|ad|de|of|the|for))+$", "", match.group(1))
        if len(written) > 3:
            found.append(GroupMention(normalise_affiliation(written), written, match.start(1)))
    return found
