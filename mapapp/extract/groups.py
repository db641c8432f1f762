"""Find the armed group an article names, as written.

The groups and their spellings are the records' table (``mapapp/data/groups.csv``, read by
:mod:`mapapp.records.affiliations`), so a name the extractor finds is the name the
records normalise to. Running text needs care the table does not: exact spellings
count only as written ("IS" in capitals), a two-letter one not at all in an
all-capital headline ("ARRESTS IS NOT..."), longer names win over their prefixes
("Islamic State in the Greater Sahara" over "Islamic State"), a name glued after a
hyphen is not the group ("anti-IS coalition"), and a cell's own name ("the cell
called ...") counts when no known group is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapapp.records.affiliations import (
    GROUPS,
    UNKNOWN,
    name_key,
    normalise_affiliation,
    text_pattern,
    vocabulary_lookup,
)

_CANONICAL = vocabulary_lookup(GROUPS)
_GROUP = re.compile(rf"(?<![\w-])((?i:pro)-)?({text_pattern(GROUPS)})(?!\w)")
# An acronym this short is an ordinary word when a whole line is in capitals.
_SHORTEST_TRUSTED_IN_CAPITALS = 3
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
        Known groups first found by their spellings; a cell's own name only when no
        known group is named in ``text``.
    """
    shouting = text.isupper()
    found = []
    for match in _GROUP.finditer(text):
        written = match.group(2)
        if shouting and len(written) < _SHORTEST_TRUSTED_IN_CAPITALS:
            continue
        # Case-insensitive matching lets a few letters through that folding keeps
        # apart (Turkish dotless i); such a spelling is not the table's.
        name = _CANONICAL.get(name_key(written))
        if name is not None:
            found.append(GroupMention(name, match.group(0), match.start()))
    if found:
        return found
    for match in _OWN_NAME.finditer(text):
        written = re.sub(r"(?:\s+(?:al|wa|el|ad|de|of|the|for))+$", "", match.group(1))
        if len(written) > 3:
            name = normalise_affiliation(written)
            found.append(GroupMention(name, written, match.start(1)))
    return [m for m in found if m.name != UNKNOWN]
