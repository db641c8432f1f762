"""Run a task over the chunks of article files, here or in a pool of processes, in order.

``extract`` and ``ingest`` do the same thing per piece of text: read it with the
extractor and keep what they need (the JSON lines, or the candidate records). This
module feeds them the pieces of every input file, one paragraph-aligned chunk at a
time (:func:`mapapp.articles.iter_text_chunks`), and hands back, in input order,
one :class:`Part` per chunk (what the task returned) and one :class:`Done` per file
(the file's refusal, if any, and the warnings met reading it). Whether that runs in
this process (``jobs=1``) or in ``jobs`` worker processes, the consumer sees the same
events in the same order, so the output is the same byte for byte.

The pool
--------
:class:`concurrent.futures.ProcessPoolExecutor` with the ``"forkserver"`` start
method (``"spawn"`` where there is none, on Windows). Never a plain ``fork`` of this
process: it holds an open SQLite connection to the geocode cache (which must not
cross a fork: both copies would write through one file handle), a lock and possibly
threads (a fork copies a lock held by another thread, locked for ever). The fork
server is a fresh interpreter that imports the extractor once (about a second) and
forks the workers from that clean state, so N workers do not each pay the import
as ``spawn``'s would; this process does not import the extractor at all then. Each
worker opens its own :class:`places.Resolver`
once, in the pool's initializer, on the same cache file and name index: the cache is
SQLite in WAL mode with a busy timeout (:mod:`places.cache`), so concurrent readers
never wait and each writer's batch is one short transaction. The name index is built
here, before the pool starts, so two workers never build it at once.

Small files (one chunk) are sent to the workers a few at a time and read there, so
reading is parallel too; a large file is read here and its chunks are sent one by
one, so one big collection of articles still keeps every worker busy. At most a few
tasks per worker are in flight, so memory stays bounded whatever the input.

Nominatim is never used from several processes (its usage policy allows one request
a second from a client): with ``--geocoder nominatim`` the run stays in one process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapapp.articles import CHUNK_CHARS, MAX_BYTES, ArticleError, ArticleWarning, iter_text_chunks

#: Small files sent to a worker in one task (fewer round trips per article).
BATCH_FILES = 8
#: Tasks in flight per worker: enough to keep it busy, few enough to bound memory.
TASKS_PER_WORKER = 4

#: A task: (chunk text, the worker's place lookup, the file's context) -> picklable value.
Task = Callable[[str, Any, Any], Any]


def default_jobs() -> int:
    """The ``--jobs`` default: the machine's cores."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Article:
    """One input file and the context its task needs (label, hint, date...; picklable)."""

    path: Path
    context: Any = None


@dataclass
class Part:
    """What the task returned for one chunk of ``path``."""

    path: Path
    value: Any


@dataclass
class Done:
    """``path`` read to its end, or refused (``error``), with the warnings met reading it.

    ``warnings`` are the messages of :class:`~mapapp.articles.ArticleWarning` (stray
    bytes replaced); ``other_warnings`` any other warning, as ``(message, category,
    filename, lineno)``.
    """

    path: Path
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    other_warnings: list[tuple] = field(default_factory=list)


def worker_options(resolver) -> dict | None:
    """How a worker opens a resolver like ``resolver``, or None when it cannot share it.

    None for anything but an offline :class:`places.Resolver` (Nominatim keeps to one
    process; a test's fake resolver cannot be rebuilt in another process).
    """
    from places import Resolver

    if not isinstance(resolver, Resolver) or resolver._backend != "offline":
        return None
    overrides = resolver._overrides.path if resolver._overrides is not None else None
    return {
        "cache_path": resolver.cache_path,
        "index_path": resolver.index_path,
        "overrides": overrides,
    }


def _read(path: Path, max_bytes: int, chunk_chars: int) -> Iterator[str | Done]:
    """The chunks of ``path``, then its :class:`Done` (a refusal ends the chunks)."""
    done = Done(path)
    chunks = iter_text_chunks(path, max_bytes=max_bytes, chunk_chars=chunk_chars)
    while True:
        # Only the reading is watched: the caller's work between chunks is not.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ArticleWarning)
            try:
                chunk = next(chunks, None)
            except ArticleError as exc:
                done.error, chunk = str(exc), None
        for warning in caught:
            if issubclass(warning.category, ArticleWarning):
                done.warnings.append(str(warning.message))
            else:
                done.other_warnings.append(
                    (str(warning.message), warning.category, warning.filename, warning.lineno)
                )
        if chunk is None:
            break
        yield chunk
    yield done


def _events(
    task: Task, article: Article, lookup, max_bytes: int, chunk_chars: int
) -> Iterator[Part | Done]:
    for item in _read(article.path, max_bytes, chunk_chars):
        if isinstance(item, Done):
            yield item
        else:
            yield Part(article.path, task(item, lookup, article.context))


# --- in a worker -------------------------------------------------------------------

_lookup = None  # the worker's PlaceLookup, opened once by _start_worker


def _exit_with_parent() -> None:
    """End this worker when the command that started it ends, even killed.

    A pool's worker waits for work on a pipe it also holds the other end of, so a
    parent killed without shutting the pool down would leave it (and the fork server,
    which lives while a worker does) waiting for ever. The parent's sentinel becomes
    readable when the parent is gone, for ``forkserver`` and ``spawn`` alike.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _start_worker(options: dict) -> None:
    global _lookup
    _exit_with_parent()
    from mapapp.extract import PlaceLookup
    from places import Resolver

    resolver = Resolver(**options)
    # Closed when the worker exits (multiprocessing runs these, not atexit's).
    multiprocessing.util.Finalize(resolver, resolver.close, exitpriority=10)
    _lookup = PlaceLookup(resolver)


def _run_files(
    task: Task, articles: tuple[Article, ...], max_bytes: int, chunk_chars: int
) -> list[Part | Done]:
    return [
        event
        for article in articles
        for event in _events(task, article, _lookup, max_bytes, chunk_chars)
    ]


def _run_chunk(task: Task, text: str, context) -> Any:
    return task(text, _lookup, context)


# --- here ----------------------------------------------------------------------------


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None  # the worker's read says what is wrong


#: What a worker needs, imported once by the fork server rather than by every worker.
_PRELOAD = ["mapapp.extract", "mapapp.ingest", "mapapp.cli.extract", "places"]


def _context():
    """``forkserver`` where there is one (POSIX), else ``spawn``; see the module docstring."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _in_pool(
    task: Task,
    articles: Iterable[Article],
    jobs: int,
    options: dict,
    max_bytes: int,
    chunk_chars: int,
) -> Iterator[Part | Done]:
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_context(),
        initializer=_start_worker,
        initargs=(options,),
    )
    # In input order: a future of a batch's events, (path, future of one chunk's
    # value), or a Done already known here.
    pending: deque = deque()
    batch: list[Article] = []
    batch_bytes = 0
    window = TASKS_PER_WORKER * jobs

    def flush() -> None:
        nonlocal batch_bytes
        if batch:
            pending.append(pool.submit(_run_files, task, tuple(batch), max_bytes, chunk_chars))
            batch.clear()
            batch_bytes = 0

    def settle(limit: int) -> Iterator[Part | Done]:
        while len(pending) > limit:
            item = pending.popleft()
            if isinstance(item, Future):
                yield from item.result()
            elif isinstance(item, tuple):
                path, future = item
                yield Part(path, future.result())
            else:
                yield item

    try:
        for article in articles:
            size = _size(article.path)
            if size is None or size <= chunk_chars or size > max_bytes:
                batch.append(article)  # one chunk (or refused): read in the worker
                batch_bytes += size or 0
                if len(batch) >= BATCH_FILES or batch_bytes >= chunk_chars:
                    flush()
            else:
                flush()
                for item in _read(article.path, max_bytes, chunk_chars):
                    if isinstance(item, Done):
                        pending.append(item)
                    else:
                        future = pool.submit(_run_chunk, task, item, article.context)
                        pending.append((article.path, future))
                    yield from settle(window)
            yield from settle(window)
        flush()
        yield from settle(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_articles(
    task: Task,
    articles: Iterable[Article],
    *,
    resolver,
    jobs: int = 1,
    max_bytes: int = MAX_BYTES,
    chunk_chars: int = CHUNK_CHARS,
) -> Iterator[Part | Done]:
    """Run ``task`` over every chunk of every article; events in input order.

    The task's lookup is a :class:`mapapp.extract.PlaceLookup`, so a chunk's result
    does not depend on what the same process read before, here or in a worker.

    Parameters
    ----------
    task : callable
        ``task(text, lookup, article.context)``; a module-level function (workers
        receive it by name), returning a picklable value.
    articles : iterable of Article
        Read lazily.
    resolver : places.Resolver
        This process's resolver: used when the run stays here, and copied by the
        workers otherwise (the extractor is then not even imported here).
    jobs : int
        Worker processes. The run stays in this process for 1, for a resolver that
        cannot be shared (:func:`worker_options`), and for a single small file.

    Yields
    ------
    Part or Done
        Close the generator (or exhaust it) to stop the workers.
    """
    options = worker_options(resolver) if jobs > 1 else None
    articles = iter(articles)
    if options is not None:
        head = list(itertools.islice(articles, 2))
        articles = itertools.chain(head, articles)
        one_small = len(head) < 2 and all((_size(a.path) or 0) <= chunk_chars for a in head)
        if not one_small:
            if not resolver.index_ready():
                resolver.offline  # noqa: B018 -- build the name index once, here
            yield from _in_pool(task, articles, jobs, options, max_bytes, chunk_chars)
            return
    from mapapp.extract import PlaceLookup

    lookup = PlaceLookup(resolver)
    for article in articles:
        yield from _events(task, article, lookup, max_bytes, chunk_chars)
