"""The SQLite cache: crash safety, two writers, and clear errors."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from places.cache import Cache, default_cache_path
from places.exc import CacheError

ROOT = Path(__file__).resolve().parents[1]

WRITER = textwrap.dedent(
    """
    import sys
    from places.cache import Cache

    cache = Cache(sys.argv[1], version="t")
    prefix, batches, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    print("ready", flush=True)
    for i in range(batches):
        cache.put_many({(f"{prefix}-{i}-{j}", "", "offline"):
                        {"points": [], "error": "x" * (j * 97 % 4000), "source": None,
                         "precision": None} for j in range(size)})
    """
)


def spawn(path, prefix, batches, size):
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), prefix, str(batches), str(size)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def rows_by_batch(path):
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = {}
        for (folded,) in conn.execute("SELECT folded FROM resolutions"):
            batch = folded.rsplit("-", 1)[0]
            counts[batch] = counts.get(batch, 0) + 1
        return counts
    finally:
        conn.close()


def test_a_writer_killed_mid_write_leaves_a_sound_cache(tmp_path):
    path = tmp_path / "cache.sqlite"
    rng = random.Random(7)
    for round_ in range(5):
        proc = spawn(path, f"r{round_}", 10**6, 50)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
    counts = rows_by_batch(path)
    assert counts, "the writers never committed anything"
    assert set(counts.values()) == {50}  # every transaction all or nothing
    cache = Cache(path, version="t")
    key = next(iter(counts)) + "-3"
    assert cache.get_many([(key, "", "offline")])[(key, "", "offline")]["error"] == "x" * 291
    cache.put_many(
        {("after", "", "offline"): {"points": [], "error": "e", "source": None, "precision": None}}
    )
    assert cache.get_many([("after", "", "offline")])
    cache.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "cache.sqlite"
    Cache(path, version="t").close()  # create the schema before the race
    procs = [spawn(path, f"p{n}", 300, 1) for n in range(2)]
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    counts = rows_by_batch(path)
    assert len(counts) == 600


def test_rows_of_another_version_are_misses(tmp_path):
    path = tmp_path / "cache.sqlite"
    value = {"points": [], "error": "e", "source": None, "precision": None}
    with_old = Cache(path, version="1")
    with_old.put_many({("a", "", "offline"): value})
    with_old.close()
    assert Cache(path, version="2").get_many([("a", "", "offline")]) == {}


def test_an_unwritable_cache_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CacheError, match="cannot open the geocoding cache"):
        Cache(blocker / "geocode.sqlite", version="t")


def test_cache_path_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("PLACES_CACHE", str(tmp_path / "env.sqlite"))
    assert default_cache_path(tmp_path / "arg.sqlite") == tmp_path / "arg.sqlite"
    assert default_cache_path() == tmp_path / "env.sqlite"
    monkeypatch.delenv("PLACES_CACHE")
    default = default_cache_path()
    assert default.name == "geocode.sqlite"
    assert "ct-arrest-map" in str(default)
    assert ROOT not in default.parents
    assert os.path.isabs(default)
