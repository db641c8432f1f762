"""What the review page shows and accepts, kept apart from Streamlit to be testable.

A reviewer sees the article with every place name marked by the role the
extractor gave it, and a table of the operations found, which they can correct
before accepting. Everything from the article is escaped before it becomes HTML:
articles are text written by others.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import pickle
import subprocess
import sys
from dataclasses import replace

import pandas as pd

from mapapp import bundled
from mapapp.errors import MapappError
from mapapp.extract import ArticleResult, PlaceLookup, extract_article
from mapapp.extract.roles import ARREST, DATELINE, OTHER, REFERENCE, Role
from mapapp.extract.sentences import split_sentences
from mapapp.ingest import operation_record, records_frame, source_name
from mapapp.points.notes import match_note, noted, place_text, precision_text, runner_up
from mapapp.records import load_records, records_csv_text
from places import Resolver
from places.exc import PlacesError

#: Background colour of each role in the highlighted text; other roles are grey.
ROLE_COLOURS = {ARREST: "#f4a6a6", DATELINE: "#b9d3f0", REFERENCE: "#f7e3a1"}
OTHER_COLOUR = "#dddddd"
#: Added to the mark of a name matched as a spelling variant or by a close call.
CHECK_STYLE = ";text-decoration:underline dotted 2px;text-underline-offset:3px"

#: The columns a reviewer may edit, in the order shown.
EDITABLE = ("date", "date_precision", "places", "arrested", "affiliation", "agencies")


def highlighted_html(text: str, result: ArticleResult) -> str:
    """The article as HTML paragraphs, each place mention marked with its role.

    The text is split into sentences exactly as the extractor split it, so the
    offsets of the mentions apply; every piece of text is escaped.
    """
    marks: dict[int, list] = {}
    for role in result.roles:
        marks.setdefault(role.mention.sentence, []).append(role)
    paragraphs: dict[int, list[str]] = {}
    for sentence in split_sentences(text):
        pieces, cursor = [], 0
        for role in sorted(marks.get(sentence.index, ()), key=lambda r: r.mention.start):
            m = role.mention
            if m.start < cursor:  # overlapping mentions: keep the first
                continue
            colour = ROLE_COLOURS.get(role.role, OTHER_COLOUR)
            title = f"{role.role}: {role.cue}" if role.cue else role.role
            note = match_note(m.resolution)
            title = html.escape(f"{title} · {note}" if note else title)
            pieces.append(html.escape(sentence.text[cursor : m.start]))
            underline = CHECK_STYLE if note else ""
            pieces.append(
                f'<mark style="background:{colour}{underline}" title="{title}">'
                f"{html.escape(sentence.text[m.start : m.end])}</mark>"
            )
            cursor = m.end
        pieces.append(html.escape(sentence.text[cursor:]))
        paragraphs.setdefault(sentence.paragraph, []).append("".join(pieces))
    return "".join(f"<p>{' '.join(p)}</p>" for _, p in sorted(paragraphs.items()))


def legend_html() -> str:
    """The colour key of :func:`highlighted_html`."""
    items = [*ROLE_COLOURS.items(), ("other role", OTHER_COLOUR)]
    marks = [
        f'<mark style="background:{colour}">{html.escape(role)}</mark>' for role, colour in items
    ]
    check = f'<mark style="background:none{CHECK_STYLE}">dotted underline: to check</mark>'
    return " ".join([*marks, check])


#: The extractor's roles as a reader says them; the others read as they are.
ROLE_WORDS = {ARREST: "arrest place", OTHER: "other mention"}

#: The places table's columns, in the order shown.
PLACE_COLUMNS = ("Place in the article", "Role", "Why", "Placed at", "Precision", "To check")


def _why(role: Role) -> str:
    """The words that decided a role, quoted; the dateline and bare sentence starts said."""
    if role.role == DATELINE:
        return "the article's dateline"
    if role.cue == "sentence start":
        return "starts the sentence, no cue before it"
    return f"“{role.cue.replace('...', '…')}”" if role.cue else ""


def _placed_at(role: Role) -> str:
    resolution = role.mention.resolution
    if resolution.ok:
        return place_text(resolution)
    error = resolution.error or "not found"
    if error.startswith("not found"):
        return "not placed: no place of this name in the gazetteer"
    if error.startswith("refused"):
        return "not placed: not looked up (a common word or code)"
    return f"not placed: {error}"


def places_table(result: ArticleResult) -> pd.DataFrame:
    """One row per place mention: its role and why, where it was placed, how exactly.

    Capitalised words the gazetteer does not know ("Guardia Civil") are left out,
    unless they were read as an arrest place: then "Placed at" says why not.

    "To check" says what a reviewer should look at: a name matched only as a spelling
    variant ("spelling matched as Rawalpindi") or a close choice between places of
    the same name ("close call: also Córdoba, Argentina").
    """
    rows = [
        (
            role.mention.text,
            ROLE_WORDS.get(role.role, role.role),
            _why(role),
            _placed_at(role),
            precision_text(role.mention.resolution),
            match_note(role.mention.resolution),
        )
        for role in result.roles
        if role.mention.resolution.ok or role.role == ARREST
    ]
    return pd.DataFrame(rows, columns=list(PLACE_COLUMNS), dtype="str")


def with_runner_ups(result: ArticleResult, resolver: Resolver) -> ArticleResult:
    """``result`` with each close choice's runner-up kept on its mention's resolution."""
    found: dict[str, object] = {}

    def note(role: Role) -> Role:
        resolution = role.mention.resolution
        if not (resolution.close and resolution.ok):
            return role
        if resolution.query not in found:
            other = runner_up(resolver, resolution, result.country)
            found[resolution.query] = noted(resolution, other)
        return replace(role, mention=replace(role.mention, resolution=found[resolution.query]))

    return replace(result, roles=[note(role) for role in result.roles])


def candidates_table(result: ArticleResult) -> pd.DataFrame:
    """One editable row per operation found, with what the extractor relied on."""
    rows = []
    for op in result.operations:
        record = operation_record(op, published=result.published)
        rows.append(
            {
                "accept": not op.unresolved,
                "date": record["date"],
                "date_precision": record["date_precision"],
                "places": "; ".join(record["places"]),
                "arrested": record["arrested"],
                "affiliation": record["affiliation"],
                "agencies": "; ".join(record["agencies"]),
                "confidence": round(op.confidence, 2),
                "not placed": ", ".join(u.name for u in op.unresolved),
                "evidence": record["evidence"],
            }
        )
    columns = ["accept", *EDITABLE, "confidence", "not placed", "evidence"]
    return pd.DataFrame(rows, columns=columns).astype({"arrested": "Int64"})


def accepted_records(table: pd.DataFrame, result: ArticleResult, source: str) -> pd.DataFrame:
    """The accepted rows of the (edited) table as validated records.

    The reviewer's edits go through the same loader as any records file, so a
    mistyped date is reported as in a file ("your edits line 3, column date: …"),
    and nothing is accepted until every row is right.
    """
    rows = []
    for op, (_, edited) in zip(result.operations, table.iterrows(), strict=True):
        if not edited["accept"]:
            continue
        record = operation_record(op, published=result.published)
        record["sources"] = ({**record["sources"][0], "name": source_name(source)},)
        for column in EDITABLE:
            record[column] = edited[column]
        record["places"] = tuple(p.strip() for p in str(edited["places"]).split(";") if p.strip())
        record["agencies"] = tuple(
            a.strip() for a in str(edited["agencies"] or "").split(";") if a.strip()
        )
        record["affiliation_as_written"] = (
            record["affiliation_as_written"] or record["affiliation"]
        )
        record["arrested"] = None if pd.isna(edited["arrested"]) else int(edited["arrested"])
        record["id"] = ""  # derived again from the corrected content by the loader
        rows.append(record)
    text = records_csv_text(records_frame(rows)) if rows else None
    if text is None:
        return records_frame([])
    return load_records(io.BytesIO(text.encode("utf-8")), name="your edits")


#: An article that takes longer than this to read is stopped (a real one takes < 1 s).
EXTRACTION_TIMEOUT_S = 120

#: The folder that holds the ``mapapp`` package, for the child's import path.
PACKAGE_ROOT = bundled.PACKAGE.parent


def extract_in_subprocess(
    text: str,
    country: str | None = None,
    published: dt.date | None = None,
    *,
    timeout: float = EXTRACTION_TIMEOUT_S,
) -> ArticleResult:
    """Extract the operations of ``text`` in a process of its own.

    Streamlit serves every session from threads of one process, and reading an
    article is pure Python and regular expressions (which hold the interpreter lock
    for a whole match): run in the server, one long paste would slow or stall every
    other session. In a child process it cannot, and a reading that runs past
    ``timeout`` is stopped by ending the child. A plain child (``python -m
    mapapp.app.review``) rather than ``multiprocessing``: its spawn start method
    re-runs the parent's ``__main__``, which under Streamlit is the page script.

    Raises
    ------
    MapappError
        When the reading took longer than ``timeout`` or the child failed.
    places.exc.PlacesError
        As the child raised it (a cache that cannot be opened, say).
    """
    request = pickle.dumps((text, country, published))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mapapp.app.review"],
            input=request, capture_output=True, timeout=timeout, check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
                str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))},
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise MapappError(
            f"reading the article took over {timeout:.0f} s and was stopped; "
            "split it into shorter articles"
        ) from None
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise MapappError(f"reading the article failed (exit {done.returncode}): {last}")
    outcome, value = pickle.loads(done.stdout)  # our own child's answer
    if outcome == "error":
        raise value
    return value


def _serve_one_extraction() -> None:
    """The child's side of :func:`extract_in_subprocess`: one request on stdin."""
    text, country, published = pickle.loads(sys.stdin.buffer.read())
    try:
        with Resolver() as resolver:
            result = extract_article(text, lookup=PlaceLookup(resolver),
                                     source="pasted article", country=country,
                                     published=published)  # fmt: skip
            answer = ("result", with_runner_ups(result, resolver))
    except (MapappError, PlacesError) as exc:
        answer = ("error", exc)
    sys.stdout.buffer.write(pickle.dumps(answer))


if __name__ == "__main__":
    _serve_one_extraction()
