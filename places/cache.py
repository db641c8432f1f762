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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are opened explicitly below.
            self._conn = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable against a killed process in WAL mode; only a power
            # cut may lose the last transactions, never corrupt the file.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"cannot open the geocoding cache {self.path}: {exc}") from exc

    def get_many(self, keys: Iterable[Key]) -> dict[Key, dict]:
        """Look keys up in one read transaction.

        Parameters
        ----------
        keys : iterable of (folded, hint, backend)
            The hint is "" for no hint.

        Returns
        -------
        dict
            The stored resolutions (decoded JSON) of the keys found.
        """
        found = {}
        try:
            self._conn.execute("BEGIN")
            try:
                for key in keys:
                    row = self._conn.execute(
                        "SELECT value FROM resolutions WHERE folded = ? AND hint = ? "
                        "AND backend = ? AND version = ?",
                        (*key, self.version),
                    ).fetchone()
                    if row is not None:
                        found[key] = json.loads(row[0])
            finally:
                self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise CacheError(f"cannot read the geocoding cache {self.path}: {exc}") from exc
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
            raise CacheError(f"cannot write the geocoding cache {self.path}: {exc}") from exc

    def close(self) -> None:
        """Close the database."""
        self._conn.close()
