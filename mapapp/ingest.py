"""Articles → candidate operations → merged into a records file.

``python -m mapapp ingest FILE... --records CSV`` runs the extractor, turns each
operation it is sure of into a record, merges those into the records (see
:mod:`mapapp.records.merge`) and writes the file atomically. An operation the extractor
is unsure of — a low confidence, or an arrest place it could not place — is not
written: it is listed for review, because one wrong town on a shared map costs
more than one missing.

The records file is changed under its lock and merged with what it holds at the
time of writing (:func:`mapapp.records.update_records`), so two ingests into one
file, or a hand edit saved while one runs, lose nothing.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mapapp.articles import ArticleError, ArticleWarning, iter_article_paths
from mapapp.cli.args import MIN_CONFIDENCE
from mapapp.pool import Article, Part, run_articles
from mapapp.records import (
    LIST_SEPARATOR,
    date_span,
    derive_id,
    empty_records,
    load_records,
    refuse_bundled,
    update_records,
)
from mapapp.records.merge import merge_operations
from mapapp.records.sources import ArticleSource
from places import Resolver

if TYPE_CHECKING:  # the extractor is imported where it runs (see mapapp.pool)
    from mapapp.extract import Operation, PlaceLookup


def source_name(name: str) -> str:
    """A file or source name as a records cell.

    ``;`` separates sources there, so it becomes ``,`` (``a;b.txt`` is recorded as
    ``a,b.txt``).
    """
    return name.replace(LIST_SEPARATOR, ",")


def operation_record(
    op: Operation, *, published: dt.date | None = None, source: ArticleSource | None = None
) -> dict:
    """The record of one extracted operation, with the article (or ``source``) as its source."""
    names = tuple(dict.fromkeys(p.name for p in op.places))  # a compound gives two points
    precision, first, last = date_span(op.date or "")
    file_name = source_name(Path(op.source).name)
    if source is not None:
        cited = source.as_source(file_name)
        if not cited["published"] and published:
            cited["published"] = published.isoformat()
    else:
        cited = {
            "name": file_name,
            "title": "",
            "url": "",
            "published": published.isoformat() if published else "",
        }
    where = ", ".join(names)
    count = f"{op.arrested} arrested" if op.arrested is not None else "Arrests"
    return {
        "id": derive_id(op.date or "", names, [cited], op.arrested),
        "date": op.date or "",
        "date_precision": precision,
        "places": names,
        "country": op.country or "",
        "arrested": op.arrested,
        "affiliation": op.affiliation,
        "affiliation_as_written": op.affiliation_as_written or "",
        "agencies": op.agencies,
        "summary": f"{count} in {where} (extracted from {file_name}; not yet reviewed).",
        "sources": (cited,),
        "evidence": " ".join(op.evidence),
        "date_start": pd.Timestamp(first) if first else pd.NaT,
        "date_end": pd.Timestamp(last) if last else pd.NaT,
    }


def records_frame(rows: list[dict]) -> pd.DataFrame:
    """Records-shaped frame of ``rows`` with the loader's column order and dtypes."""
    template = empty_records()
    frame = pd.DataFrame(rows, columns=template.columns)
    return frame.astype(template.dtypes.to_dict()) if rows else template


def review_reason(op: Operation, min_confidence: float = MIN_CONFIDENCE) -> str | None:
    """Why ``op`` needs a person before it goes on the map, or None."""
    if op.unresolved:
        names = ", ".join(u.name for u in op.unresolved)
        return f"arrest place(s) not placed: {names}"
    if op.confidence < min_confidence:
        return f"low confidence ({op.confidence:.2f})"
    return None


@dataclass(frozen=True)
class _Context:
    """What the extraction of one article's chunks needs (sent to the workers)."""

    label: str
    country: str | None
    published: dt.date | None
    min_confidence: float
    source: ArticleSource | None


def _day(path: Path, sources: Mapping[str, ArticleSource] | None, published: dt.date | None):
    """The day "on Tuesday" is read against: the article's own, else ``published``."""
    source = (sources or {}).get(Path(path).name)
    if source is not None and source.published:
        return dt.date.fromisoformat(source.published)
    return published


def _ingest_chunk(text: str, lookup: PlaceLookup, ctx: _Context) -> tuple[list, list]:
    """The candidate records of one chunk and its operations left for review."""
    from mapapp.extract import extract_article

    result = extract_article(
        text, lookup=lookup, source=ctx.label, country=ctx.country, published=ctx.published
    )
    sure, unsure = [], []
    for op in result.operations:
        reason = review_reason(op, ctx.min_confidence)
        if reason:
            unsure.append((op, reason))
        else:
            sure.append(operation_record(op, published=result.published, source=ctx.source))
    return sure, unsure


@dataclass
class IngestReport:
    """What an ingest added, merged and left for review."""

    added: list[dict] = field(default_factory=list)
    merged: list[tuple[dict, str]] = field(default_factory=list)
    review: list[tuple[Operation, str]] = field(default_factory=list)


def ingest(
    paths: Iterable[str | Path],
    records_path: Path,
    resolver: Resolver,
    *,
    country: str | None = None,
    published: dt.date | None = None,
    min_confidence: float = MIN_CONFIDENCE,
    sources: Mapping[str, ArticleSource] | None = None,
    jobs: int = 1,
) -> IngestReport:
    """Extract from ``paths`` and merge what is sure into ``records_path`` (atomically).

    The records file is read before anything is extracted, so a broken file
    stops the run before any work, and written once at the end, so a run that
    fails or is killed leaves the old file untouched. The merge is done again, under
    the file's lock, with what the file holds then (:func:`update_records`).

    ``sources`` (:func:`mapapp.records.sources.load_sources`) gives an article, by its
    file name, its outlet, title, URL and publication date; that date, when given, is
    the one "on Tuesday" is read against (over ``published``).

    ``jobs`` worker processes extract (:mod:`mapapp.pool`); the records written are
    the same for any number.

    Raises
    ------
    RecordsError
        For the bundled records as the target, or a records file that cannot be read.
    mapapp.articles.ArticleError
        For an article that cannot be read; nothing is written then.
    """
    refuse_bundled(records_path)
    if records_path.exists():
        load_records(records_path)
    report = IngestReport()
    candidates = []
    articles = (
        Article(path, _Context(str(path), country, _day(path, sources, published), min_confidence,
                               (sources or {}).get(Path(path).name)))
        for path in iter_article_paths(paths)
    )  # fmt: skip
    events = run_articles(_ingest_chunk, articles, resolver=resolver, jobs=jobs)
    with closing(events):  # an unreadable article stops the workers too
        for event in events:
            if isinstance(event, Part):
                sure, unsure = event.value
                candidates.extend(sure)
                report.review.extend(unsure)
                continue
            for message in event.warnings:
                warnings.warn(ArticleWarning(message), stacklevel=2)
            for message, category, filename, lineno in event.other_warnings:
                warnings.warn_explicit(message, category, filename, lineno)
            if event.error is not None:
                raise ArticleError(event.error)
    new = records_frame(candidates)

    def merge(current: pd.DataFrame):
        merged = merge_operations(current, new, resolver)
        return merged.records, merged

    merged = update_records(records_path, merge)
    by_id = {c["id"]: c for c in candidates}
    report.added = [by_id[i] for i in merged.added]
    report.merged = [(by_id[c], r) for c, r in merged.merged]
    return report
