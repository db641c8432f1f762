"""Cut article text into paragraphs and sentences, keeping where each one sits.

The extractor reasons sentence by sentence (an arrest verb and a town must share a
sentence) and paragraph by paragraph (a count given in the next sentence still
belongs to the operation), so both positions are kept.

News copy breaks the textbook rules: headlines and sub-headings end without a full
stop, pasted articles use single line breaks between paragraphs, wire copy wraps
lines in the middle of sentences, and abbreviations ("Mr.", "Jan.", "U.S.") end in
full stops that do not end sentences. The rules below handle those cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mapapp.extract.words import wordset

# A line at most this long that does not end in punctuation is a headline, a
# sub-heading or a by-line: it stands alone. Longer unpunctuated lines are wrapped
# text and run on into the next line.
_HEADLINE_CHARS = 90

_ABBREVIATIONS = wordset("""
    mr mrs ms dr prof gen col lt maj capt sgt cpl st mt rev sen rep gov pres
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc al approx
    inc ltd co corp dept est fig jr sr u.s u.k u.n e.g i.e a.m p.m
    """)

# A sentence ends at a run of end marks, closing quotes or brackets after it, then a
# space and a capital or digit. The look-behind starts a match only at the first mark
# of a run: without it a run of n dots is tried from each of its n marks, which is
# quadratic ("." * 40000 took 16 s). A match from a later mark of the run would end at
# the same place, so no sentence end is lost.
_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9À-Ý])")
_LINE_END = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
#: The abbreviations are at most 6 characters long, so the word before a full stop is
#: looked for in this many characters only: a longer word is no abbreviation either
#: way, and the whole text before each full stop is not searched again.
_WORD_WINDOW = 12


@dataclass(frozen=True)
class Sentence:
    """One sentence and where it sits.

    Attributes
    ----------
    text : str
        The sentence, with line breaks inside it turned into spaces.
    index : int
        Position among all sentences of the text (0-based).
    paragraph : int
        Position of its paragraph (0-based).
    first_in_paragraph : bool
        True for a paragraph's first sentence, where datelines sit.
    headline : bool
        True for a line standing alone without final punctuation (a title or
        sub-heading), which closes the story before it.
    """

    text: str
    index: int
    paragraph: int
    first_in_paragraph: bool
    headline: bool


def _is_wrapped(lines: list[str]) -> bool:
    """True for a block of hard-wrapped lines (wire copy), which is one paragraph."""
    if len(lines) < 3:
        return False
    open_ended = sum(not _LINE_END.search(line) for line in lines[:-1])
    lengths = sorted(len(line) for line in lines[:-1])
    return open_ended * 2 > len(lines) - 1 and 40 <= lengths[len(lengths) // 2] <= 100


def _units(block: str) -> Iterator[tuple[str, bool]]:
    """Yield the paragraphs of a block: (text, is a stand-alone headline)."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if _is_wrapped(lines):
        yield " ".join(lines), False
        return
    run: list[str] = []
    for line in lines:
        run.append(line)
        if _LINE_END.search(line):
            yield " ".join(run), False
            run = []
        elif len(line) <= _HEADLINE_CHARS:
            # A short unpunctuated line ends the group; alone, it is a headline.
            yield " ".join(run), len(run) == 1
            run = []
    if run:
        yield " ".join(run), len(run) == 1 and not _LINE_END.search(run[0])


def _is_abbreviation(text: str, end: int) -> bool:
    match = _WORD_BEFORE.search(text, max(end - _WORD_WINDOW, 0), end + 1)
    if match is None:
        return False
    word = match.group(1).lower()
    # Initials ("J. Smith") and listed abbreviations do not end sentences.
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_unit(text: str) -> list[str]:
    """Split one run of text (no paragraph breaks) into sentences.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str
    """
    sentences, start = [], 0
    for match in _END.finditer(text):
        last_dot = match.start() if text[match.start()] == "." else -1
        if last_dot >= 0 and match.end() - match.start() == 1 and _is_abbreviation(text, last_dot):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def split_sentences(text: str) -> list[Sentence]:
    """Split an article into sentences with their paragraph positions.

    Paragraphs are separated by blank lines or, in pasted text, by a line that ends a
    sentence; see the module docstring for headlines and wrapped lines.

    Parameters
    ----------
    text : str
        The article.

    Returns
    -------
    list of Sentence
    """
    out: list[Sentence] = []
    paragraph = 0
    for block in re.split(r"\n\s*\n", text):
        units = list(_units(block))
        for unit, headline in units:
            pieces = [unit] if headline else split_unit(unit)
            for n, piece in enumerate(pieces):
                out.append(Sentence(piece, len(out), paragraph, n == 0, headline))
            paragraph += 1
    return out
