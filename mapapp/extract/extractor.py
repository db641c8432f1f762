"""Article text in, operations and national figures out: the steps in order.

1. Split sentences; find datelines; collect capitalised runs (:mod:`.mentions`).
2. Choose the geocoding hint: the user's ``--country``, else the country the
   article's agencies and nationality words point to, else the country its place
   names fall in most (:mod:`.agencies`).
3. Resolve every candidate name of the article in one batch; names the hint
   leaves ambiguous are retried with the other countries the article names. Names
   the text calls areas are resolved as those areas (:mod:`.areas`: "the Almaty
   region"), stray one-word matches abroad and pieces of unknown names become
   misses, and capitals named by their country are added (:mod:`.capitals`: "the
   Tajik capital").
4. Give each place a role (:mod:`.roles`, then the sentence-level rules of
   :mod:`.clauses`); read national figures from sentences
   without arrest places (:mod:`.statistics`); group arrest places into operations
   and read their details (:mod:`.operations`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from mapapp.articles import CHUNK_CHARS, MAX_BYTES, iter_text_chunks
from mapapp.extract.agencies import country_votes
from mapapp.extract.areas import typed_names
from mapapp.extract.capitals import capital_phrases
from mapapp.extract.clauses import overrule
from mapapp.extract.dates import find_publication_date, years_mentioned
from mapapp.extract.mentions import (
    Mention,
    PlaceLookup,
    Run,
    capitalised_runs,
    cover_run,
    fold,
    run_spans,
)
from mapapp.extract.operations import Context, Operation, build_operation, group_operations
from mapapp.extract.roles import ARREST, DATELINE, TRIGGER, Role, assign_roles, find_dateline
from mapapp.extract.sentences import Sentence, split_sentences
from mapapp.extract.statistics import NationalFigure, figures_in, merge_figures
from places import Resolution


@dataclass(frozen=True)
class ArticleResult:
    """What one article (or one chunk of a large file) yielded.

    Attributes
    ----------
    source : str
    country : str or None
        The geocoding hint used.
    published : datetime.date or None
        Given by the user or found in the text.
    operations : list of Operation
    figures : list of NationalFigure
    unplaced : list of tuple
        ``(name, reason)`` of arrest places no operation could take (no located
        place beside them).
    roles : list of Role
        Every place mention with its role, for review.
    chars : int
        Length of the text read, for progress reports.
    """

    source: str
    country: str | None
    published: dt.date | None
    operations: list[Operation]
    figures: list[NationalFigure]
    unplaced: list[tuple[str, str]] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    chars: int = 0


def _lowercase_words(text: str) -> frozenset[str]:
    # Bounded: a word is tried from each apostrophe inside it, and an unbounded run
    # made "ab'ab'ab'..." quadratic. No word of a place name is longer.
    return frozenset(re.findall(r"(?<![\w-])[a-z][a-z'’]{2,40}(?![\w-])", text))


def _coarse_countries(answers: dict[str, Resolution]) -> Counter:
    votes: Counter = Counter()
    for answer in answers.values():
        if answer.ok and answer.precision in ("country", "city"):
            for point in answer.points:
                if point.country_code:
                    votes[point.country_code] += 2 if answer.precision == "country" else 1
    return votes


def _resolve(
    lookup: PlaceLookup, spans: list[str], hint: str | None, votes: Counter
) -> tuple[dict[str, Resolution], str | None]:
    """Resolve spans; return the answers and the hint used.

    Names the hint leaves ambiguous are retried with the article's other countries:
    its agencies' and nationalities', then where its names resolved.
    """
    answers = lookup.resolve_many(spans, hint)
    if hint is None:
        found = _coarse_countries(answers)
        if found:
            hint = found.most_common(1)[0][0]
            answers = lookup.resolve_many(spans, hint)
    countries = list(
        dict.fromkeys(
            [c for c in (hint,) if c]
            + [c for c, _ in votes.most_common()]
            + [c for c, _ in _coarse_countries(answers).most_common()]
        )
    )
    # Only names still ambiguous are retried, so each country reads fewer of them.
    unclear = list(answers)
    for other in countries[1:]:
        unclear = [s for s in unclear if "ambiguous" in (answers[s].error or "")]
        if not unclear:
            break
        for span, answer in lookup.resolve_many(unclear, other).items():
            if answer.ok:
                answers[span] = answer
    return answers, hint


def _plausible(mention: Mention, countries: list[str]) -> Mention:
    """Turn a one-word match on another place's alternate name abroad into a miss.

    GeoNames files "Marruecos" (Spanish for Morocco) as an alternate name of a
    Chilean town; such a match, outside every country the article names, is far more
    likely a word of another language than a place.
    """
    resolution = mention.resolution
    if (
        not countries
        or not resolution.ok
        or resolution.precision != "city"
        or " " in mention.text.strip()
    ):
        return mention
    points = resolution.points
    if all(p.country_code not in countries and fold(p.name) != fold(mention.text) for p in points):
        where = ", ".join(f"{p.name} ({p.country_code})" for p in points)
        reason = (
            f"doubtful: {mention.text!r} matched {where} by an alternate name, "
            f"outside the article's countries ({', '.join(countries)})"
        )
        return replace(mention, resolution=Resolution(mention.text, error=reason))
    return mention


def _part_abroad(mention: Mention, run: Run, home: set[str]) -> Mention:
    """Turn a piece of a longer unknown name, placed abroad, into a miss.

    "Cabo Delgado", "Central Java" and "the Deep South" are not in the gazetteer
    whole; their pieces "Cabo", "Java" and "Deep" are towns of other continents.
    A piece of a capitalised run that lies outside every country the article's own
    words point to (the hint, its agencies and nationalities, the names it writes
    whole) is far more likely part of a name the gazetteer does not know.
    """
    resolution = mention.resolution
    if (
        not home
        or not resolution.ok
        or (mention.start <= run.start and mention.end >= run.end)
        or any(p.country_code in home for p in resolution.points)
    ):
        return mention
    where = ", ".join(f"{p.name} ({p.country_code})" for p in resolution.points)
    reason = (
        f"doubtful: {mention.text!r} is part of a longer name and matched {where}, "
        f"outside the article's countries ({', '.join(sorted(home))})"
    )
    return replace(mention, resolution=Resolution(mention.text, error=reason))


def _as_areas(
    covered: list[tuple[Run, Mention]],
    sentences: list[Sentence],
    lookup: PlaceLookup,
    hint: str | None,
) -> list[tuple[Run, Mention]]:
    """Resolve the names the text calls areas as those areas (:mod:`.areas`).

    "the Almaty region" is the region, not the city; the typed name replaces the
    bare one only when it resolves to an administrative area.
    """
    by_sentence: dict[int, list[int]] = {}
    for k, (run, _) in enumerate(covered):
        by_sentence.setdefault(run.sentence, []).append(k)
    wanted: dict[int, str] = {}
    for index, positions in by_sentence.items():
        mentions = [covered[k][1] for k in positions]
        for local, name in typed_names(sentences[index].text, mentions).items():
            wanted[positions[local]] = name
    if not wanted:
        return covered
    answers = lookup.resolve_many(wanted.values(), hint)
    out = list(covered)
    for k, name in wanted.items():
        answer = answers[name]
        if answer.ok and answer.precision == "admin area":
            run, mention = out[k]
            out[k] = (run, replace(mention, resolution=answer))
    return out


def extract_article(
    text: str,
    *,
    lookup: PlaceLookup,
    source: str = "",
    country: str | None = None,
    published: dt.date | None = None,
) -> ArticleResult:
    """Extract the operations and national figures of one article.

    Parameters
    ----------
    text : str
        The article text.
    lookup : PlaceLookup
        The resolver wrapper (one per run, so its memory serves every article).
    source : str
        Where the text came from, copied into every operation.
    country : str, optional
        ISO code of the article's country; found from the text when not given.
    published : datetime.date, optional
        Publication date; found in the text when not given.

    Returns
    -------
    ArticleResult
    """
    sentences = split_sentences(text)
    lowercase = _lowercase_words(text)
    datelines: dict[int, tuple[str, int, int, int]] = {}
    runs: list[Run] = []
    for sentence in sentences:
        dateline = find_dateline(sentence)
        if dateline is not None:
            datelines[sentence.index] = dateline
        runs.extend(
            capitalised_runs(sentence, lowercase, skip_until=dateline[3] if dateline else 0)
        )
    spans = [span for run in runs for span in run_spans(run, sentences[run.sentence].text)]
    spans += [d[0] for d in datelines.values()]
    votes = country_votes(text)
    hint = country or (votes.most_common(1)[0][0] if votes else None)
    answers, hint = _resolve(lookup, spans, hint, votes)
    published = published or find_publication_date(text)
    years = [y for y in years_mentioned(text) if y <= dt.date.today().year]

    by_sentence: dict[int, list[Mention]] = {}
    # The countries the article's words name: the hint, its agencies and
    # nationalities, and countries written as such. Not where its towns resolved:
    # a stray word placed in Poland must not vouch for itself.
    named = list(
        dict.fromkeys(
            [c for c in (hint, *votes) if c]
            + [
                p.country_code
                for a in answers.values()
                if a.ok and a.precision == "country"
                for p in a.points
                if p.country_code
            ]
        )
    )
    covered = [
        (run, _plausible(mention, named))
        for run in runs
        for mention in cover_run(run, sentences[run.sentence].text, answers)
    ]
    covered = _as_areas(covered, sentences, lookup, hint)
    # The article's own countries: the hint, its agencies and nationalities, and
    # where the names it writes whole lie.
    home = {c for c in (hint, *votes) if c} | {
        p.country_code
        for run, m in covered
        if m.resolution.ok and m.start <= run.start and m.end >= run.end
        for p in m.resolution.points
        if p.country_code
    }
    for run, mention in covered:
        by_sentence.setdefault(run.sentence, []).append(_part_abroad(mention, run, home))
    for sentence in sentences:
        for phrase in capital_phrases(sentence.text, hint):
            capital = lookup.capital(phrase.country, phrase.text)
            mention = Mention(phrase.text, sentence.index, phrase.start, phrase.end, capital)
            found = by_sentence.setdefault(sentence.index, [])
            found.append(mention)
            found.sort(key=lambda m: m.start)
    # Strong cues ("living in", "searched homes in") need arrests in the story: in
    # the paragraph or one beside it (a headline, the lead before, the details
    # after); farther paragraphs may be other stories.
    triggered = {
        s.paragraph + step for s in sentences if TRIGGER.search(s.text) for step in (-1, 0, 1)
    }
    roles: list[Role] = []
    for sentence in sentences:
        if sentence.index in datelines:
            name, start, end, _ = datelines[sentence.index]
            roles.append(
                Role(
                    Mention(name, sentence.index, start, end, answers[name]), DATELINE, "dateline"
                )
            )
        found = assign_roles(
            sentence,
            by_sentence.get(sentence.index, []),
            paragraph_has_trigger=sentence.paragraph in triggered,
        )
        roles.extend(overrule(sentence.text, found))

    arrest_sentences = {r.mention.sentence for r in roles if r.role == ARREST}
    figures, figure_sentences = _figures(sentences, arrest_sentences, published)
    floor_year = max(years) if years else None
    drafts, orphans = group_operations(
        roles, sentences, published=published, floor_year=floor_year
    )
    ctx = Context(
        sentences,
        source,
        hint,
        published,
        floor_year,
        frozenset(figure_sentences),
    )
    taken = {i for d in drafts for i in d.sentences}
    operations = [build_operation(d, ctx, first=n == 0, taken=taken) for n, d in enumerate(drafts)]
    figures = [replace(f, country=hint) for f in merge_figures(figures)]
    unplaced = [(m.text, m.resolution.error or "not placed") for m in orphans]
    return ArticleResult(source, hint, published, operations, figures, unplaced, roles, len(text))


def _figures(
    sentences: list[Sentence], arrest_sentences: set[int], published: dt.date | None
) -> tuple[list[NationalFigure], set[int]]:
    figures: list[NationalFigure] = []
    used: set[int] = set()
    last: tuple[int, NationalFigure] | None = None
    for sentence in sentences:
        if sentence.index in arrest_sentences:
            continue
        same_paragraph = last is not None and last[0] == sentence.paragraph
        found = figures_in(
            sentence.text,
            published=published,
            previous=last[1] if last else None,
            previous_in_paragraph=same_paragraph,
        )
        if found:
            figures.extend(found)
            used.add(sentence.index)
            last = (sentence.paragraph, found[-1])
    return figures, used


def extract_file(
    path: str | Path,
    *,
    lookup: PlaceLookup,
    country: str | None = None,
    published: dt.date | None = None,
    max_bytes: int = MAX_BYTES,
    chunk_chars: int = CHUNK_CHARS,
    source: str | None = None,
) -> Iterator[ArticleResult]:
    """Extract from one file, one paragraph-aligned chunk at a time.

    A short article is one chunk. A large file (a collection of articles) is
    processed chunk by chunk so memory does not grow with its size; each chunk is
    read as an article of its own.

    Parameters
    ----------
    path : str or pathlib.Path
    lookup : PlaceLookup
    country, published
        See :func:`extract_article`.
    max_bytes, chunk_chars
        See :func:`mapapp.articles.iter_text_chunks`.
    source : str, optional
        The label for operations; the path as given by default.

    Yields
    ------
    ArticleResult

    Raises
    ------
    mapapp.articles.ArticleError
        The file cannot be read (raised before anything is yielded for it, except
        for a decoding error found late in a large file).
    """
    label = str(path) if source is None else source
    for chunk in iter_text_chunks(path, max_bytes=max_bytes, chunk_chars=chunk_chars):
        yield extract_article(
            chunk, lookup=lookup, source=label, country=country, published=published
        )
