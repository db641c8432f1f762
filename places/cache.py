"""The geocoding cache: SQLite, outermost layer, so a hit never waits or calls out.

One row per (folded name, country hint, backend) holds the whole resolution as
JSON: every point of a compound, the precision and source, or the reason a name
was not found.  Outages are never stored (the resolver does not hand them over).

Every write is one SQLite transaction in WAL mode, so a process killed at any
moment leaves the previous state intact, and ``busy_timeout`` lets several
processes share the file.  Rows carry the version of the data and rules that made
them (:data:`places.resolver.RULES_VERSION`); rows of another version are ignored
and overwritten, so a new GeoNames release or a change of rules re-resolves names
instead of serving stale answers.

A row whose value does not decode (a flipped byte on disk that SQLite's own checks
cannot see, since they do not read values) is a miss: the resolver resolves the
name again and overwrites the row.  A file that is not a cache (a text file, another
program's database) is never written to: opening it raises :class:`CacheError`
saying what to do, because the file may be the user's.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from places.exc import CacheError

#: Application name for the per-user cache directory.
APP_NAME = "ct-arrest-map"
CACHE_FILENAME = "geocode.sqlite"

#: The first bytes of every SQLite database file.
_SQLITE_MAGIC = b"SQLite format 3\x00"

Key = tuple[str, str, str]  # (folded name, country hint or "", backend)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resolutions (
    folded TEXT NOT NULL,
    hint TEXT NOT NULL,
    backend TEXT NOT NULL,
    version TEXT NOT NULL,
    value TEXT NOT NULL,
    stored_at REAL NOT NULL,
    PRIMARY KEY (folded, hint, backend)
) WITHOUT ROWID
"""


def _decode(raw: bytes) -> dict | None:
    """Return a stored value as a dict, or None when its bytes are damaged.

    The value is read as bytes: a byte that is not UTF-8 makes SQLite's own text
    conversion raise for the whole query, which would fail every later run.
    """
    try:
        value = json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return value if isinstance(value, dict) else None


def default_cache_path(explicit: str | os.PathLike | None = None) -> Path:
    """Return where the cache lives.

    Parameters
    ----------
    explicit : str or os.PathLike, optional
        A path given by the caller (``--cache``); wins when set.

    Returns
    -------
    pathlib.Path
        ``explicit``, else ``$PLACES_CACHE``, else
        ``platformdirs.user_cache_dir("ct-arrest-map")/geocode.sqlite`` (never
        inside the repository).
    """
    if explicit:
        return Path(explicit)
    if os.environ.get("PLACES_CACHE"):
        return Path(os.environ["PLACES_CACHE"])
    return Path(platformdirs.user_cache_dir(APP_NAME)) / CACHE_FILENAME


class Cache:
    """A SQLite store of resolutions, safe across processes and crashes.

    Parameters
    ----------
    path : str or os.PathLike
        The database file; created with its directory when missing.
    version : str
        The data-and-rules version; rows of any other version count as misses.
    timeout : float
        Seconds to wait for another process's write lock.
    """

    def __init__(self, path: str | os.PathLike, *, version: str, timeout: float = 30.0):
        self.path = Path(path)
        self.version = version
        self._check_file()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are opened explicitly below.
            self._conn = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise self._error("open", exc) from exc
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._check_tables()
            self._conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable against a killed process in WAL mode; only a power
            # cut may lose the last transactions, never corrupt the file.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute(_SCHEMA)
        except sqlite3.Error as exc:
            self._conn.close()
            raise self._error("open", exc) from exc
        except CacheError:
            self._conn.close()
            raise

    def _not_ours(self, what: str) -> CacheError:
        return CacheError(
            f"{self.path} is not a geocode cache ({what}); move it away or pass --cache "
            f"another path"
        )

    def _error(self, doing: str, exc: BaseException) -> CacheError:
        """Turn an OSError or sqlite3 error into a CacheError that says what to do."""
        reason = str(exc)
        if "file is not a database" in reason:
            return self._not_ours("file is not a database")
        if "malformed" in reason:
            return CacheError(
                f"the geocoding cache {self.path} is damaged ({reason}); delete it (it only "
                f"holds a cache) or pass --cache another path"
            )
        return CacheError(
            f"cannot {doing} the geocoding cache {self.path}: {reason}; check the path and "
            f"its permissions, or pass --cache another path"
        )

    def _check_file(self) -> None:
        """Refuse, before SQLite touches it, a path that holds something else.

        SQLite would happily open a directory's name or a text file and fail later
        with a bare "unable to open database file"; an empty file is taken (there is
        nothing in it to lose).
        """
        try:
            with self.path.open("rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except FileNotFoundError:
            return
        except IsADirectoryError as exc:
            raise CacheError(
                f"cannot open the geocoding cache {self.path}: it is a directory; pass "
                f"--cache another path (a file name)"
            ) from exc
        except OSError as exc:
            raise self._error("open", exc) from exc
        if head and head != _SQLITE_MAGIC:
            raise self._not_ours("file is not a database")

    def _check_tables(self) -> None:
        """Refuse another program's SQLite database instead of adding a table to it."""
        tables = {
            name
            for (name,) in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if tables and "resolutions" not in tables:
            raise self._not_ours("a database of another program")

    def get_many(self, keys: Iterable[Key]) -> dict[Key, dict]:
        """Look keys up in one read transaction.

        Parameters
        ----------
        keys : iterable of (folded, hint, backend)
            The hint is "" for no hint.

        Returns
        -------
        dict
            The stored resolutions (decoded JSON objects) of the keys found.  A row
            that is not UTF-8 JSON of an object is left out, as if missing, so that
            the caller resolves the name again and overwrites the row.
        """
        rows = []
        try:
            self._conn.execute("BEGIN")
            try:
                for key in keys:
                    row = self._conn.execute(
                        "SELECT CAST(value AS BLOB) FROM resolutions WHERE folded = ? "
                        "AND hint = ? AND backend = ? AND version = ?",
                        (*key, self.version),
                    ).fetchone()
                    if row is not None:
                        rows.append((key, row[0]))
            finally:
                self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._error("read", exc) from exc
        found = {}
        for key, raw in rows:
            value = _decode(raw)
            if value is not None:
                found[key] = value
        return found

    def put_many(self, items: dict[Key, dict]) -> None:
        """Store resolutions in one write transaction (all or nothing).

        Parameters
        ----------
        items : dict
            Resolutions (JSON-serialisable dicts) by key.
        """
        if not items:
            return
        now = time.time()
        rows = [
            (*key, self.version, json.dumps(value, ensure_ascii=False), now)
            for key, value in items.items()
        ]
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO resolutions VALUES (?, ?, ?, ?, ?, ?)", rows
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._error("write", exc) from exc

    def close(self) -> None:
        """Close the database."""
        self._conn.close()
