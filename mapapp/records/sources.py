"""Per-article source metadata for ``ingest --sources``: outlet, title, URL, publication date.

An analyst who gathered articles keeps, beside them, who published each one. That
table gives every record ingested from an article its source (``source_name``,
``source_title``, ``source_url``, ``source_published``) and gives the extractor
the publication date that turns "on Tuesday" into a day. Two forms hold the same
keys:

- a CSV with the columns ``file``, ``outlet``, ``title``, ``url``, ``published``
  (and optionally ``language``, not used), one row per article;
- JSON Lines (``.jsonl`` or ``.ndjson``): one object per article with the same keys
  (``published`` may be ``null``); other keys, such as an archive's text, are ignored.

``file`` is the article's file name (a path is matched by its last part), ``url``
an absolute URL or empty, ``published`` ``YYYY-MM-DD`` or empty. A ``;`` separates
sources in the records, so it becomes ``,`` in an outlet or a title, and a URL with
one is refused. Problems are collected and raised together in one
:class:`~mapapp.records.RecordsError`, each naming file, line and column, as the
records loader does: nothing is ingested from a broken table.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePath

from mapapp.records.schema import _ABSOLUTE_URL, LIST_SEPARATOR, date_span
from mapapp.records.table import RecordsError, read_csv_table

#: The keys every sources table gives, in order.
SOURCE_TABLE_COLUMNS = ("file", "outlet", "title", "url", "published")
#: Columns a sources CSV may have besides those, which ingest does not use.
OPTIONAL_COLUMNS = ("language",)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class ArticleSource:
    """Who published one article, as a records file lists a source."""

    outlet: str = ""
    title: str = ""
    url: str = ""
    published: str = ""  # YYYY-MM-DD or empty

    def as_source(self, file_name: str) -> dict[str, str]:
        """The source of a record (keys of the records' source columns)."""
        return {
            "name": self.outlet or file_name,
            "title": self.title,
            "url": self.url,
            "published": self.published,
        }


def _file(text: str) -> str:
    if not text:
        raise ValueError("empty: name the article's file")
    return PurePath(text.replace("\\", "/")).name


def _text(text: str) -> str:
    return text.replace(LIST_SEPARATOR, ",")


def _url(text: str) -> str:
    if not text:
        return ""
    if LIST_SEPARATOR in text:
        raise ValueError(f"{text!r} contains ';', which separates sources in the records")
    if not _ABSOLUTE_URL.fullmatch(text):
        raise ValueError(f"{text!r} is not an absolute URL")
    return text


def _published(text: str) -> str:
    try:
        precision = date_span(text)[0]
    except ValueError:
        precision = None
    if precision not in ("day", "unknown"):
        raise ValueError(f"{text!r} is not a date YYYY-MM-DD (or empty)")
    return text


_PARSERS = {"file": _file, "outlet": _text, "title": _text, "url": _url, "published": _published}


def load_sources(path: str | os.PathLike, *, name: str | None = None) -> dict[str, ArticleSource]:
    """Read a sources table (CSV, or JSON Lines by its suffix), keyed by article file name.

    Raises
    ------
    RecordsError
        With every problem found (file, line, column); nothing is returned then.
    """
    path = Path(path)
    name = name or path.name
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        return _load_json_lines(path, name)
    return _load_csv(path, name)


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = next(csv.reader(io.StringIO(handle.readline())), [])
    return [cell.strip() for cell in first]


def _load_csv(path: Path, name: str) -> dict[str, ArticleSource]:
    present = set(_header(path))
    columns = SOURCE_TABLE_COLUMNS + tuple(c for c in OPTIONAL_COLUMNS if c in present)
    table = read_csv_table(path, columns, name=name)
    parsed = {c: table.check(c, table.column(c), _PARSERS[c]) for c in SOURCE_TABLE_COLUMNS}
    columns_values = zip(*parsed.values(), strict=True)
    rows = [dict(zip(SOURCE_TABLE_COLUMNS, v, strict=True)) for v in columns_values]
    sources: dict[str, ArticleSource] = {}
    first_row: dict[str, int] = {}
    for row, values in enumerate(rows):
        file = values["file"]
        if not file:
            continue
        if file in first_row:
            first = table.line(first_row[file])
            table.report(row, "file", f"{file!r} is listed twice (first on line {first})")
            continue
        first_row[file] = row
        sources[file] = _source(values)
    table.raise_if_problems()
    return sources


def _source(values: dict) -> ArticleSource:
    return ArticleSource(
        outlet=values["outlet"] or "",
        title=values["title"] or "",
        url=values["url"] or "",
        published=values["published"] or "",
    )


def _load_json_lines(path: Path, name: str) -> dict[str, ArticleSource]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordsError([f"{name}: file is not UTF-8 text (byte {error.start})"]) from None
    problems: list[str] = []
    sources: dict[str, ArticleSource] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{name} line {number}: not valid JSON ({error.msg})")
            continue
        if not isinstance(item, dict):
            problems.append(f"{name} line {number}: expected a JSON object, one per article")
            continue
        missing = [key for key in SOURCE_TABLE_COLUMNS if key not in item]
        if missing:
            problems.append(f"{name} line {number}: missing key(s): {', '.join(missing)}")
            continue
        values, bad = {}, False
        for key in SOURCE_TABLE_COLUMNS:
            value = item[key]
            if value is None:
                value = ""
            if not isinstance(value, str):
                problems.append(f"{name} line {number}, column {key}: {value!r} is not a string")
                bad = True
                continue
            try:
                values[key] = _PARSERS[key](value.strip())
            except ValueError as error:
                problems.append(f"{name} line {number}, column {key}: {error}")
                bad = True
        if bad:
            continue
        file = values["file"]
        if file in first_line:
            problems.append(
                f"{name} line {number}, column file: {file!r} is listed twice "
                f"(first on line {first_line[file]})"
            )
            continue
        first_line[file] = number
        sources[file] = _source(values)
    if problems:
        raise RecordsError(problems)
    return sources
