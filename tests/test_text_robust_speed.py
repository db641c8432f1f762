"""Pathological pastes are extracted in linear time (issue 9, item 1).

Each kind of text below once made a rule re-scan the text from every position
(a regular expression backtracking over a long run, a slice of the text taken in a
loop, a list searched for every match). A 2 MB paste, the review page's limit, of
each kind must be read in seconds, and ten times the text must take about ten
times as long: the ratio bound (40) is loose so that a noisy shared machine does
not fail the test, yet a quadratic rule (100 times) still does.
"""

import time

import pytest
from extract_fakes import FakeResolver, runner

from mapapp.extract import PlaceLookup, extract_file

pytestmark = pytest.mark.slow

BIG = 2_000_000
SMALL = BIG // 10
#: Seconds allowed for a 2 MB paste on a 2-core shared machine.
BOUND_S = 20.0
#: Largest allowed time(2 MB) / time(200 KB); linear is 10, quadratic 100.
RATIO = 40.0
#: Times under this are timer noise; the ratio is taken against at least this much.
FLOOR_S = 0.1


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    body = unit * ((size - len(head) - len(tail)) // len(unit) + 1)
    return head + body[: size - len(head) - len(tail)] + tail


KINDS = {
    "dots": lambda n: _repeat(".", n, "Police arrested two men in Rabat"),
    "spaces": lambda n: _repeat(" ", n, "Police arrested two men in Rabat", "and Fes."),
    "capitalised words": lambda n: _repeat("Aaaa Bbbb Rabat Cccc The Mr Fes Had Soualem ", n),
    "quotes": lambda n: _repeat("\"“”'’«»", n, "Police arrested 2 men in Rabat "),
    "digits": lambda n: _repeat("1", n, "Police arrested ", " people in Rabat."),
    "digit groups": lambda n: _repeat(",000", n, "Police arrested 1", " people in 2019."),
    "abbreviations": lambda n: _repeat(
        "Mr. Aaaa Mr. Rabat Dr. U.S. Jan. Mr. ", n, "Police arrested two men in Rabat "
    ),
    "one long line": lambda n: _repeat(
        "Police arrested 2 suspects in Rabat and Fes on Monday, March 3, 2021, the BCIJ "
        "said; no arrests were made in Oujda (30 km from Nador), since 2019, when a cell "
        "in Tangier carried out an attack. ",
        n,
    ),
    "many short lines": lambda n: _repeat(
        "RABAT -\nPolice arrested two men in Fes.\nx\nNador\n", n
    ),
    # One sentence naming a place every few words, nested ever deeper / as one list.
    "nested parentheses": lambda n: _repeat("(the cell of Rabat ", n, "Police arrested men in "),
    "list of places": lambda n: _repeat(
        ", the town of Fes, Oujda district of Nador", n, "Police arrested 2 men in Rabat"
    ),
    "figures": lambda n: _repeat(
        "since 2002, 200 cells were dismantled and 3,000 people arrested (275 in 2015 and "
        "273 in 2016) by late March, ",
        n,
        "Police said that ",
    ),
    "apostrophes": lambda n: _repeat("ab'", n, "Police arrested men in Rabat ", "X"),
    "spaced keywords": lambda n: _repeat(
        "no"
        + " " * 500
        + "2019"
        + " " * 500
        + "by"
        + " " * 500
        + "Rabat"
        + " " * 500
        + "greater"
        + " " * 500
        + "kill"
        + " " * 500
        + "aged"
        + " " * 500
        + "3 ",
        n,
        "Police arrested two men in Rabat ",
    ),
}


def _seconds(extract, text: str) -> float:
    started = time.perf_counter()
    extract(text)
    return time.perf_counter() - started


@pytest.mark.parametrize("kind", list(KINDS))
def test_pathological_paste_is_linear(kind):
    extract = runner()
    make = KINDS[kind]
    small = min(_seconds(extract, make(SMALL)) for _ in range(2))
    big = _seconds(extract, make(BIG))
    print(f"{kind}: {SMALL // 1000} KB {small:.2f} s, {BIG // 1_000_000} MB {big:.2f} s")
    assert big < BOUND_S, f"{kind}: {big:.1f} s for 2 MB"
    assert big / max(small, FLOOR_S) < RATIO, f"{kind}: {small:.2f} s -> {big:.2f} s"


def test_pathological_file_through_extract_file(tmp_path):
    # The tester's case, at the size of a 2 MB file read in chunks by the CLI.
    path = tmp_path / "dots.txt"
    path.write_text(KINDS["dots"](BIG), encoding="utf-8")
    lookup = PlaceLookup(FakeResolver())
    started = time.perf_counter()
    results = list(extract_file(path, lookup=lookup))
    assert time.perf_counter() - started < BOUND_S
    assert sum(r.chars for r in results) == BIG
