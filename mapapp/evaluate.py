"""Score the extractor against annotated articles: places, operations and their details.

An analyst who annotates a few dozen of their own articles (or we, on our corpus)
needs to know how far the extractor can be trusted on that kind of report: how
many of its map points are real arrest places, how many real ones it misses, how
often it invents an operation, and whether the date, count, group and agencies of
the operations it finds are right. This module answers that, with no printing and
no Streamlit, so the command line (:mod:`mapapp.cli.evaluate`) and tests share it.

The corpus
----------
A folder searched recursively for ``annotations/*.json``; each annotation names
its article in ``file``, read from ``../articles/<file>`` beside the annotations
folder. :func:`load_corpus` checks every field (see :func:`parse_annotation`) and
raises :class:`CorpusError`, one line naming the file and the field, on the first
problem, so nothing is scored against a half-read gold standard. A split file
(``{"dev": [stems], "test": [stems]}``, the stem being the annotation's file name
without ``.json``) restricts a run to one part (:func:`select_part`).

Scoring
-------
Each step is a small pure function, so a test can call it on hand-made inputs:

* points: every located place of every predicted operation, and every arrest
  place of every gold operation, each deduplicated by point within the article
  (:func:`dedupe_points`);
* places: a predicted point is right when it lies within the ``radius_km`` of a
  gold place (haversine) (:func:`right_points`); predicted points and gold places
  are paired one to one, nearest first, and a gold place is found when it has a
  pair (:func:`match_places`);
* operations: a predicted operation matches a gold one when they share a pair of
  places, one to one, most shared pairs first (:func:`match_operations`);
* details of matched operations: :func:`date_right`, :func:`count_right`,
  :func:`group_right`, :func:`agencies_right`, :func:`agencies_found`;
* :func:`score_article` puts them together for one article, and
  :func:`aggregate` sums the counts over the corpus, by country and by continent
  (micro-averaged: the rates are computed from the summed counts, so a long
  article weighs by what it holds).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import NoReturn

from mapapp.articles import read_article
from mapapp.errors import MapappError
from mapapp.records.affiliations import normalise_affiliation
from places.geo import haversine_km

#: A gold place without ``radius_km`` matches predicted points this close (km).
DEFAULT_RADIUS_KM = 25.0

#: Date precisions, and the form the date takes at each (``unknown``: no date).
DATE_FORMS = {
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "year": re.compile(r"\d{4}"),
    "unknown": None,
}

_ISO2 = re.compile(r"[A-Z]{2}")


class CorpusError(MapappError):
    """An annotation, article or split file that cannot be used, named with the problem."""


# --------------------------------------------------------------------------- the gold


@dataclass(frozen=True)
class GoldPlace:
    """One annotated arrest place: its point and how far from it a prediction may fall.

    Attributes
    ----------
    name : str
        The place's name (the gazetteer's spelling, usually).
    cc : str
        ISO code of its country.
    lat, lon : float
    radius_km : float
        A predicted point within this distance is this place: a town is a point,
        but a province or a district is an area, and the annotator says how large.
    as_written : str or None
        The article's words for it.
    geonameid : int or None
    precision : str
        ``city``, ``sub-city``, ``admin area``, ``region`` or ``country`` (kept, not scored).
    """

    name: str
    cc: str
    lat: float
    lon: float
    radius_km: float = DEFAULT_RADIUS_KM
    as_written: str | None = None
    geonameid: int | None = None
    precision: str = "city"


@dataclass(frozen=True)
class GoldOperation:
    """One annotated operation (a police action with its arrest places).

    Attributes
    ----------
    date : str or None
        ISO date at ``date_precision``; None when ``unknown``.
    date_precision : str
    places : tuple of GoldPlace
    arrested : int or None
    affiliation : str
        The group (any alias; compared after normalisation), or ``unknown``.
    affiliation_as_written : str or None
    agencies : tuple of str
    notes : str or None
    """

    date: str | None
    date_precision: str
    places: tuple[GoldPlace, ...]
    arrested: int | None
    affiliation: str
    affiliation_as_written: str | None = None
    agencies: tuple[str, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class Annotation:
    """One annotated article.

    Attributes
    ----------
    path : pathlib.Path
        The annotation file.
    text_path : pathlib.Path
        The article it annotates (``../articles/<file>``).
    file : str
        The article's file name.
    published : datetime.date or None
        Given to the extractor, as a user would pass ``--published``.
    country, continent : str
        The article's country (ISO code) and continent: the groups of the report.
    negative : bool
        True when the article reports no arrest operation at all.
    operations : tuple of GoldOperation
    url, outlet, title, language : str or None
    mentioned_not_arrest_places : tuple of str
        Places named that are not arrest places (free text, for the annotator).
    """

    path: Path
    text_path: Path
    file: str
    published: dt.date | None
    country: str
    continent: str
    negative: bool
    operations: tuple[GoldOperation, ...]
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    language: str | None = None
    mentioned_not_arrest_places: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """The annotation's file name without ``.json``: how a split file names it."""
        return self.path.stem


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


class _Fields:
    """Read typed fields out of one JSON object, failing with the field's path."""

    def __init__(self, where: str, data: object, path: str = ""):
        self.where = where
        self.path = path
        if not isinstance(data, dict):
            self.fail(f"is {_shown(data)}, not an object" if path else "not a JSON object")
        self.data: dict = data  # type: ignore[assignment]

    def fail(self, problem: str, key: str | None = None) -> NoReturn:
        where = [self.where, self.path] if self.path else [self.where]
        raise CorpusError(": ".join([*where, f"'{key}' {problem}" if key else problem]))

    def get(self, key: str, kinds: tuple[type, ...], what: str, *, required=True, default=None):
        if key not in self.data:
            if required:
                self.fail("missing", key)
            return default
        value = self.data[key]
        # bool is an int to Python, never to an annotator.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.fail(f"is {_shown(value)}, not {what}", key)
        return value

    def text(self, key: str, *, nullable=False, required=True, nonempty=True) -> str | None:
        kinds: tuple[type, ...] = (str, type(None)) if nullable else (str,)
        what = "text or null" if nullable else "text"
        value = self.get(key, kinds, what, required=required)
        if nonempty and isinstance(value, str) and not value.strip():
            self.fail("is empty", key)
        return value

    def texts(self, key: str, *, required=True) -> tuple[str, ...]:
        value = self.get(key, (list,), "a list of text", required=required, default=[])
        for n, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f"has {_shown(item)} at [{n}], not text", key)
        return tuple(value)

    def country(self, key: str) -> str:
        value = self.text(key)
        if not _ISO2.fullmatch(value or ""):
            self.fail(f"is {_shown(value)}, not a two-letter country code (MA)", key)
        return value  # type: ignore[return-value]

    def number(self, key: str, low: float, high: float, *, required=True, default=None):
        value = self.get(key, (int, float), "a number", required=required, default=default)
        if not (low <= value <= high) or math.isnan(value):
            self.fail(f"is {_shown(value)}, out of range ({low:g} to {high:g})", key)
        return float(value)

    def objects(self, key: str) -> list[_Fields]:
        value = self.get(key, (list,), "a list")
        path = f"{self.path}.{key}" if self.path else key
        return [_Fields(self.where, item, f"{path}[{n}]") for n, item in enumerate(value)]


def _parse_place(f: _Fields) -> GoldPlace:
    radius = f.number("radius_km", 0, 20_000, required=False, default=DEFAULT_RADIUS_KM)
    if radius <= 0:
        f.fail("must be more than 0", "radius_km")
    return GoldPlace(
        name=f.text("name"),  # type: ignore[arg-type]
        cc=f.country("cc"),
        lat=f.number("lat", -90, 90),
        lon=f.number("lon", -180, 180),
        radius_km=radius,
        as_written=f.text("as_written", nullable=True, required=False),
        geonameid=f.get("geonameid", (int, type(None)), "a whole number or null", required=False),
        precision=f.text("precision"),  # type: ignore[arg-type]
    )


def _parse_operation(f: _Fields) -> GoldOperation:
    precision = f.text("date_precision")
    if precision not in DATE_FORMS:
        f.fail(f"is {_shown(precision)}, not one of {', '.join(DATE_FORMS)}", "date_precision")
    date = f.text("date", nullable=True)
    form = DATE_FORMS[precision]  # type: ignore[index]
    if form is None and date is not None:
        f.fail(f"is {_shown(date)}, but date_precision is unknown (use null)", "date")
    if form is not None and (date is None or not form.fullmatch(date)):
        f.fail(f"is {_shown(date)}, not a date at {precision} precision", "date")
    if date is not None:
        try:
            dt.date.fromisoformat((date + "-01-01")[:10])
        except ValueError:
            f.fail(f"is {_shown(date)}, not a real date", "date")
    places = f.objects("arrest_places")
    if not places:
        f.fail("is empty: an operation has at least one arrest place", "arrest_places")
    arrested = f.get("arrested", (int, type(None)), "a whole number or null")
    if arrested is not None and arrested < 0:
        f.fail(f"is {arrested}, below 0", "arrested")
    return GoldOperation(
        date=date,
        date_precision=precision,  # type: ignore[arg-type]
        places=tuple(_parse_place(p) for p in places),
        arrested=arrested,
        affiliation=f.text("affiliation"),  # type: ignore[arg-type]
        affiliation_as_written=f.text("affiliation_as_written", nullable=True, nonempty=False),
        agencies=f.texts("agencies"),
        notes=f.text("notes", nullable=True, nonempty=False),
    )


def parse_annotation(data: object, path: Path, where: str | None = None) -> Annotation:
    """Check one annotation's fields and build it.

    Every field the scoring reads is checked for presence and type (and dates,
    codes and coordinates for form and range), because a gold standard read wrong
    gives wrong figures silently: an annotation with ``"lat": "34.0"`` must stop
    the run, not drop a place.

    Parameters
    ----------
    data : object
        The decoded JSON.
    path : pathlib.Path
        The annotation file (its article is ``../articles/<file>``).
    where : str, optional
        How messages name the file (``path`` by default).

    Returns
    -------
    Annotation

    Raises
    ------
    CorpusError
        One line: the file, the field's path (``operations[0].arrest_places[1]``)
        and the problem.
    """
    f = _Fields(where or str(path), data)
    name = f.text("file")
    if name in (".", "..") or "/" in name or "\\" in name:  # type: ignore[operator]
        f.fail(f"is {_shown(name)}: give a file name in ../articles, not a path", "file")
    published = f.text("published", nullable=True)
    if published is not None:
        try:
            published_date = dt.date.fromisoformat(published)
        except ValueError:
            f.fail(f"is {_shown(published)}, not a date (YYYY-MM-DD) or null", "published")
    negative = f.get("negative", (bool,), "true or false")
    operations = tuple(_parse_operation(op) for op in f.objects("operations"))
    if negative and operations:
        f.fail(f"is true, but {len(operations)} operation(s) are given", "negative")
    if not negative and not operations:
        f.fail("is false, but no operation is given", "negative")
    return Annotation(
        path=path,
        text_path=path.parent.parent / "articles" / name,  # type: ignore[operator]
        file=name,  # type: ignore[arg-type]
        published=published_date if published is not None else None,
        country=f.country("country"),
        continent=f.text("continent"),  # type: ignore[arg-type]
        negative=negative,
        operations=operations,
        url=f.text("url", nullable=True),
        outlet=f.text("outlet", nullable=True),
        title=f.text("title", nullable=True),
        language=f.text("language", nullable=True),
        mentioned_not_arrest_places=f.texts("mentioned_not_arrest_places"),
    )


def load_annotation(path: Path) -> Annotation:
    """Read and check one annotation file, and check that its article exists.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    Annotation

    Raises
    ------
    CorpusError
        Unreadable file, bad JSON, a bad field (see :func:`parse_annotation`) or
        a missing article.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise CorpusError(f"{path}: cannot read: {reason}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"{path}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from exc
    annotation = parse_annotation(data, path)
    if not annotation.text_path.is_file():
        raise CorpusError(f"{path}: 'file': its article {annotation.text_path} is missing")
    return annotation


def load_corpus(corpus_dir: str | Path) -> list[Annotation]:
    """Every annotation under ``corpus_dir`` (``**/annotations/*.json``), checked.

    Parameters
    ----------
    corpus_dir : str or pathlib.Path

    Returns
    -------
    list of Annotation
        Sorted by path, so runs are reproducible.

    Raises
    ------
    CorpusError
        No such folder, no annotation in it, two annotations with one stem (a
        split file could not tell them apart), or any problem of one annotation.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise CorpusError(f"{root}: not a folder")
    paths = sorted(p for p in root.rglob("*.json") if p.parent.name == "annotations")
    if not paths:
        raise CorpusError(f"{root}: no annotations/*.json under it")
    annotations = [load_annotation(p) for p in paths]
    seen: dict[str, Path] = {}
    for annotation in annotations:
        if annotation.stem in seen:
            raise CorpusError(
                f"{annotation.path}: its stem {annotation.stem!r} is also the stem of "
                f"{seen[annotation.stem]}: a split file could not tell them apart"
            )
        seen[annotation.stem] = annotation.path
    return annotations


def load_split(path: str | Path) -> dict[str, frozenset[str]]:
    """Read a split file: ``{"dev": [stems], "test": [stems]}``.

    Keys whose value is not a list (an ``"about"`` note) are not parts.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    dict
        Part name to the stems in it.

    Raises
    ------
    CorpusError
        Unreadable, not JSON, not an object, a stem that is not text, or a stem in
        two parts (an article scored in both would leak the test part).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"{path}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from exc
    if not isinstance(data, dict):
        raise CorpusError(f'{path}: not a JSON object of parts ({{"dev": [...], ...}})')
    parts: dict[str, frozenset[str]] = {}
    owner: dict[str, str] = {}
    for name, stems in data.items():
        if not isinstance(stems, list):
            continue
        for n, stem in enumerate(stems):
            if not isinstance(stem, str):
                raise CorpusError(f"{path}: {name}[{n}] is {_shown(stem)}, not a stem")
            if owner.get(stem, name) != name:
                raise CorpusError(f"{path}: {stem!r} is in both {owner[stem]!r} and {name!r}")
            owner[stem] = name
        parts[name] = frozenset(stems)
    return parts


def select_part(
    annotations: Sequence[Annotation], split: dict[str, frozenset[str]], part: str, where=""
) -> tuple[list[Annotation], list[str]]:
    """The annotations of one part of a split, and the part's stems not in the corpus.

    Stems absent from the corpus are returned rather than refused, so a split of a
    whole corpus serves a run on one of its folders.

    Parameters
    ----------
    annotations : sequence of Annotation
    split : dict
        From :func:`load_split`.
    part : str
    where : str
        How messages name the split file.

    Returns
    -------
    (list of Annotation, list of str)

    Raises
    ------
    CorpusError
        The split has no such part, or none of its stems is in the corpus.
    """
    if part not in split:
        raise CorpusError(f"{where}: no part {part!r} (parts: {', '.join(split) or 'none'})")
    stems = split[part]
    chosen = [a for a in annotations if a.stem in stems]
    if not chosen:
        raise CorpusError(f"{where}: none of the {len(stems)} stems of {part!r} is in the corpus")
    found = {a.stem for a in chosen}
    return chosen, sorted(stems - found)


# --------------------------------------------------------------------------- scoring


def dedupe_points(places_by_operation: Sequence[Sequence]) -> tuple[list, list[set[int]]]:
    """The distinct points of an article's operations, and which operation holds which.

    A town named in two operations of one article (or twice in one) is one point
    on the map, so it is scored once; its membership is kept so that operations
    can still be matched through it.

    Parameters
    ----------
    places_by_operation : sequence of sequences
        Per operation, its places: anything with ``lat`` and ``lon``.

    Returns
    -------
    points : list
        The first place met at each distinct ``(lat, lon)``, in order.
    members : list of set of int
        Per operation, the indices in ``points`` of its places.
    """
    index: dict[tuple[float, float], int] = {}
    points: list = []
    members: list[set[int]] = []
    for places in places_by_operation:
        held: set[int] = set()
        for place in places:
            key = (place.lat, place.lon)
            if key not in index:
                index[key] = len(points)
                points.append(place)
            held.add(index[key])
        members.append(held)
    return points, members


def match_places(predicted: Sequence, gold: Sequence) -> list[tuple[int, int]]:
    """Pair predicted points with gold places, one to one, nearest pairs first.

    A pair is possible when the predicted point lies within the gold place's
    ``radius_km``. Greedy nearest-first is what a reader would do by eye, and one to
    one keeps one point from finding two towns (recall) and two operations from
    matching through one place.

    Parameters
    ----------
    predicted : sequence
        Points with ``lat`` and ``lon``.
    gold : sequence
        Places with ``lat``, ``lon`` and ``radius_km``.

    Returns
    -------
    list of (int, int)
        ``(predicted index, gold index)`` pairs, sorted.
    """
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            distance = haversine_km(p.lat, p.lon, g.lat, g.lon)
            if distance <= g.radius_km:
                candidates.append((distance, i, j))
    return _one_to_one(candidates)


def right_points(predicted: Sequence, gold: Sequence) -> set[int]:
    """The predicted points that are right: within the radius of a gold place.

    Each point on the map is judged on its own, as its reader judges it: twelve
    raided suburbs of Sydney are twelve right points of the gold "Sydney, within
    40 km". Recall stays one to one (:func:`match_places`): one point never finds
    two gold places, however close they are.

    Parameters
    ----------
    predicted : sequence
        Points with ``lat`` and ``lon``.
    gold : sequence
        Places with ``lat``, ``lon`` and ``radius_km``.

    Returns
    -------
    set of int
        Indices of the right predicted points.
    """
    return {
        i
        for i, p in enumerate(predicted)
        if any(haversine_km(p.lat, p.lon, g.lat, g.lon) <= g.radius_km for g in gold)
    }


def _one_to_one(candidates: list[tuple[object, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs ``(i, j)`` from ``(key, i, j)`` candidates, smallest key first."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def match_operations(
    predicted: Sequence[set[int]], gold: Sequence[set[int]], place_pairs: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Pair predicted with gold operations that share a matched place, one to one.

    An operation has no identity but its places: a predicted operation is the gold
    one when their places matched. Pairs sharing the most matched places go first,
    so an operation spanning five towns is not taken by one that shares a single
    town with it (ties: gold order, then predicted order).

    Parameters
    ----------
    predicted, gold : sequence of set of int
        Per operation, its point indices (from :func:`dedupe_points`).
    place_pairs : iterable of (int, int)
        From :func:`match_places`.

    Returns
    -------
    list of (int, int)
        ``(predicted operation, gold operation)`` pairs, sorted.
    """
    pairs = list(place_pairs)
    candidates = []
    for i, p_points in enumerate(predicted):
        for j, g_points in enumerate(gold):
            shared = sum(1 for p, g in pairs if p in p_points and g in g_points)
            if shared:
                candidates.append(((-shared, j, i), i, j))
    return _one_to_one(candidates)


def _date_key(date: str | None, precision: str | None) -> tuple[str | None, str]:
    precision = precision or "unknown"
    return (None, "unknown") if precision == "unknown" or not date else (date, precision)


def date_right(gold_date, gold_precision, predicted_date, predicted_precision) -> bool:
    """Whether the predicted date is the gold one, at the same precision.

    "2022-03" is not "2022-03-05": a month where the report gives a day misplaces the
    operation on the time slider, so precision must agree too. An operation both
    sides leave undated is right (no date is the correct answer).

    Parameters
    ----------
    gold_date, predicted_date : str or None
    gold_precision, predicted_precision : str or None
        ``day``, ``month``, ``year`` or ``unknown``.

    Returns
    -------
    bool
    """
    return _date_key(gold_date, gold_precision) == _date_key(predicted_date, predicted_precision)


def count_right(gold: int | None, predicted: int | None) -> bool:
    """Whether the number arrested is the gold one (both unknown is right).

    Parameters
    ----------
    gold, predicted : int or None

    Returns
    -------
    bool
    """
    return gold == predicted


def group_right(gold: str | None, predicted: str | None) -> bool:
    """Whether the groups are one after normalising aliases (Daesh is ISIS).

    Parameters
    ----------
    gold, predicted : str or None
        Groups as written; empty and ``unknown`` are the same.

    Returns
    -------
    bool
    """
    return normalise_affiliation(gold) == normalise_affiliation(predicted)


def _agency_set(agencies: Iterable[str]) -> set[str]:
    return {a.strip().casefold() for a in agencies if a.strip()}


def agencies_right(gold: Iterable[str], predicted: Iterable[str]) -> bool:
    """Whether the agencies named are exactly the gold ones, ignoring case and order.

    Parameters
    ----------
    gold, predicted : iterable of str

    Returns
    -------
    bool
    """
    return _agency_set(gold) == _agency_set(predicted)


def agencies_found(gold: Iterable[str], predicted: Iterable[str]) -> int:
    """How many of the gold agencies the prediction names (case ignored).

    Exact equality is strict (one extra agency makes it wrong); this count gives
    the recall beside it, so a reader sees whether agencies are missed or added.

    Parameters
    ----------
    gold, predicted : iterable of str

    Returns
    -------
    int
    """
    return len(_agency_set(gold) & _agency_set(predicted))


@dataclass
class Counts:
    """The counts behind every figure; summed over articles, they give micro averages.

    Attributes
    ----------
    articles, negatives : int
        Articles scored, and how many of them report no operation.
    negatives_with_operations : int
        Negatives where the extractor found an operation anyway.
    gold_places, predicted_places : int
        Distinct points.
    right_places : int
        Predicted points within the radius of a gold place of their article.
    found_places : int
        Gold places paired with a predicted point within their radius, one to one.
    gold_operations, predicted_operations, matched_operations : int
    invented_operations : int
        Predicted operations matched to no gold operation.
    date_right, count_right, group_right, agencies_right : int
        Over matched operations.
    gold_agencies, agencies_found : int
        Gold agencies of matched operations, and how many were found.
    """

    articles: int = 0
    negatives: int = 0
    negatives_with_operations: int = 0
    gold_places: int = 0
    predicted_places: int = 0
    right_places: int = 0
    found_places: int = 0
    gold_operations: int = 0
    predicted_operations: int = 0
    matched_operations: int = 0
    invented_operations: int = 0
    date_right: int = 0
    count_right: int = 0
    group_right: int = 0
    agencies_right: int = 0
    gold_agencies: int = 0
    agencies_found: int = 0

    def add(self, other: Counts) -> None:
        """Add another article's (or group's) counts to these."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def rates(self) -> dict[str, float | None]:
        """Each figure as a share (None when nothing was there to count).

        Returns
        -------
        dict
            ``precision``, ``recall``, ``operations_found``, ``invented_share``,
            ``date_accuracy``, ``count_accuracy``, ``group_accuracy``,
            ``agency_accuracy``, ``agency_recall``.
        """
        matched = self.matched_operations
        return {
            "precision": _share(self.right_places, self.predicted_places),
            "recall": _share(self.found_places, self.gold_places),
            "operations_found": _share(matched, self.gold_operations),
            "invented_share": _share(self.invented_operations, self.predicted_operations),
            "date_accuracy": _share(self.date_right, matched),
            "count_accuracy": _share(self.count_right, matched),
            "group_accuracy": _share(self.group_right, matched),
            "agency_accuracy": _share(self.agencies_right, matched),
            "agency_recall": _share(self.agencies_found, self.gold_agencies),
        }

    def to_json(self) -> dict:
        """The counts and the rates, as one JSON object."""
        return {"counts": {f.name: getattr(self, f.name) for f in fields(self)}, **self.rates()}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Misses:
    """What went wrong, item by item, for a reader to look at.

    Attributes
    ----------
    places_not_found : list of dict
        Gold places no predicted point matched: ``article``, ``name``, ``cc``.
    places_not_in_gold : list of dict
        Predicted points matching no gold place: ``article``, ``name`` (as
        written), ``gazetteer_name``, ``lat``, ``lon``.
    operations_not_found : list of dict
        ``article``, ``operation`` (1-based, in the annotation), ``date``, ``places``.
    invented_operations : list of dict
        ``article``, ``negative``, ``date``, ``places`` (as written).
    wrong_attributes : list of dict
        ``article``, ``operation``, ``places``, ``attribute`` (date, count, group,
        agencies), ``gold`` and ``predicted``.
    """

    places_not_found: list[dict] = field(default_factory=list)
    places_not_in_gold: list[dict] = field(default_factory=list)
    operations_not_found: list[dict] = field(default_factory=list)
    invented_operations: list[dict] = field(default_factory=list)
    wrong_attributes: list[dict] = field(default_factory=list)

    def add(self, other: Misses) -> None:
        """Append another article's misses."""
        for f in fields(self):
            getattr(self, f.name).extend(getattr(other, f.name))

    def to_json(self) -> dict:
        """The lists, as one JSON object."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class ArticleScore:
    """The counts and the misses of one article."""

    annotation: Annotation
    counts: Counts
    misses: Misses


def _date_text(date: str | None, precision: str | None) -> str:
    date, precision = _date_key(date, precision)
    return f"{date} ({precision})" if date else "unknown"


def score_article(annotation: Annotation, predicted: Sequence) -> ArticleScore:
    """Score the operations extracted from one article against its annotation.

    Parameters
    ----------
    annotation : Annotation
    predicted : sequence of mapapp.extract.Operation
        Or anything with ``places`` (each with ``name``, ``lat``, ``lon``,
        ``gazetteer_name``), ``date``, ``date_precision``, ``arrested``,
        ``affiliation`` and ``agencies``.

    Returns
    -------
    ArticleScore
    """
    article = annotation.file
    gold_ops = annotation.operations
    p_points, p_members = dedupe_points([op.places for op in predicted])
    g_points, g_members = dedupe_points([op.places for op in gold_ops])
    place_pairs = match_places(p_points, g_points)
    op_pairs = match_operations(p_members, g_members, place_pairs)
    matched_p = right_points(p_points, g_points)
    matched_g = {j for _, j in place_pairs}

    counts = Counts(
        articles=1,
        negatives=int(annotation.negative),
        negatives_with_operations=int(annotation.negative and bool(predicted)),
        gold_places=len(g_points),
        predicted_places=len(p_points),
        right_places=len(matched_p),
        found_places=len(matched_g),
        gold_operations=len(gold_ops),
        predicted_operations=len(predicted),
        matched_operations=len(op_pairs),
        invented_operations=len(predicted) - len(op_pairs),
    )
    misses = Misses()
    for j, g in enumerate(g_points):
        if j not in matched_g:
            misses.places_not_found.append({"article": article, "name": g.name, "cc": g.cc})
    for i, p in enumerate(p_points):
        if i not in matched_p:
            misses.places_not_in_gold.append(
                {
                    "article": article,
                    "name": p.name,
                    "gazetteer_name": getattr(p, "gazetteer_name", None),
                    "lat": p.lat,
                    "lon": p.lon,
                }
            )
    found_g = {j for _, j in op_pairs}
    found_p = {i for i, _ in op_pairs}
    for j, g in enumerate(gold_ops):
        if j not in found_g:
            misses.operations_not_found.append(
                {
                    "article": article,
                    "operation": j + 1,
                    "date": _date_text(g.date, g.date_precision),
                    "places": [p.name for p in g.places],
                }
            )
    for i, p in enumerate(predicted):
        if i not in found_p:
            misses.invented_operations.append(
                {
                    "article": article,
                    "negative": annotation.negative,
                    "date": _date_text(p.date, p.date_precision),
                    "places": list(dict.fromkeys(pl.name for pl in p.places)),
                }
            )
    for i, j in op_pairs:
        p, g = predicted[i], gold_ops[j]
        checks = (
            (
                "date",
                date_right(g.date, g.date_precision, p.date, p.date_precision),
                _date_text(g.date, g.date_precision),
                _date_text(p.date, p.date_precision),
            ),
            ("count", count_right(g.arrested, p.arrested), g.arrested, p.arrested),
            (
                "group",
                group_right(g.affiliation, p.affiliation),
                normalise_affiliation(g.affiliation),
                normalise_affiliation(p.affiliation),
            ),
            (
                "agencies",
                agencies_right(g.agencies, p.agencies),
                list(g.agencies),
                list(p.agencies),
            ),
        )
        for attribute, right, gold_value, predicted_value in checks:
            if right:
                setattr(counts, f"{attribute}_right", getattr(counts, f"{attribute}_right") + 1)
            else:
                misses.wrong_attributes.append(
                    {
                        "article": article,
                        "operation": j + 1,
                        "places": [pl.name for pl in g.places],
                        "attribute": attribute,
                        "gold": gold_value,
                        "predicted": predicted_value,
                    }
                )
        counts.gold_agencies += len(_agency_set(g.agencies))
        counts.agencies_found += agencies_found(g.agencies, p.agencies)
    return ArticleScore(annotation, counts, misses)


@dataclass
class Report:
    """A whole run: totals, groups, misses and how long the extraction took.

    Attributes
    ----------
    totals : Counts
    by_country, by_continent : dict of str to Counts
        Keyed by the annotations' ``country`` and ``continent``, sorted.
    misses : Misses
    seconds : float
        Reading and extracting the articles (scoring is negligible).
    absent : list of str
        Stems of the chosen part that are not in the corpus.
    """

    totals: Counts
    by_country: dict[str, Counts]
    by_continent: dict[str, Counts]
    misses: Misses
    seconds: float = 0.0
    absent: list[str] = field(default_factory=list)

    def to_json(self, *, misses: bool = True) -> dict:
        """The report as one JSON object (``misses`` left out when not wanted)."""
        data: dict = {
            "totals": self.totals.to_json(),
            "by_country": {k: v.to_json() for k, v in self.by_country.items()},
            "by_continent": {k: v.to_json() for k, v in self.by_continent.items()},
        }
        if misses:
            data["misses"] = self.misses.to_json()
        return data


def aggregate(scores: Iterable[ArticleScore]) -> Report:
    """Sum article scores into totals and per-country and per-continent counts.

    Counts are summed and rates computed from the sums (micro averages): an
    article with ten places weighs ten times one with one, as on the map.

    Parameters
    ----------
    scores : iterable of ArticleScore

    Returns
    -------
    Report
    """
    totals = Counts()
    by_country: dict[str, Counts] = {}
    by_continent: dict[str, Counts] = {}
    misses = Misses()
    for score in scores:
        totals.add(score.counts)
        by_country.setdefault(score.annotation.country, Counts()).add(score.counts)
        by_continent.setdefault(score.annotation.continent, Counts()).add(score.counts)
        misses.add(score.misses)
    return Report(
        totals,
        dict(sorted(by_country.items())),
        dict(sorted(by_continent.items())),
        misses,
    )


# --------------------------------------------------------------------------- a run


def evaluate(
    annotations: Sequence[Annotation],
    resolver,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Run the real extractor on every annotated article and score it.

    Each text goes to :func:`mapapp.extract.extract_article` as a user's would,
    with the annotation's ``published`` date as ``--published`` and no country
    hint (the extractor finds the country, as it must for a user).

    Parameters
    ----------
    annotations : sequence of Annotation
    resolver : places.Resolver
    progress : callable, optional
        Called with (articles done, articles in all) after each article.

    Returns
    -------
    Report

    Raises
    ------
    mapapp.articles.ArticleError
        An article cannot be read (named in the message).
    """
    from mapapp.extract import PlaceLookup, extract_article

    lookup = PlaceLookup(resolver)
    scores = []
    started = time.perf_counter()
    for n, annotation in enumerate(annotations, 1):
        text = read_article(annotation.text_path)
        result = extract_article(
            text, lookup=lookup, source=annotation.file, published=annotation.published
        )
        scores.append(score_article(annotation, result.operations))
        if progress:
            progress(n, len(annotations))
    report = aggregate(scores)
    report.seconds = time.perf_counter() - started
    return report


def evaluate_corpus(
    corpus_dir: str | Path,
    resolver,
    *,
    split: str | Path | None = None,
    part: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Load a corpus (optionally one part of a split) and :func:`evaluate` it.

    The whole corpus is checked even when one part is scored, so a broken
    annotation is found on the first run, whichever part it is in.

    Parameters
    ----------
    corpus_dir : str or pathlib.Path
    resolver : places.Resolver
    split : str or pathlib.Path, optional
        A split file; needed with ``part``.
    part : str, optional
    progress : callable, optional
        See :func:`evaluate`.

    Returns
    -------
    Report

    Raises
    ------
    CorpusError
    """
    annotations = load_corpus(corpus_dir)
    absent: list[str] = []
    if part is not None:
        if split is None:
            raise CorpusError("a part needs a split file")
        annotations, absent = select_part(annotations, load_split(split), part, str(split))
    report = evaluate(annotations, resolver, progress=progress)
    report.absent = absent
    return report
