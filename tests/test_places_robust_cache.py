"""The geocode cache survives damaged rows and refuses files that are not its own."""

import hashlib
import json
import sqlite3

import pytest
from places_damage import flipped, overwrite_page, root_page, store_raw_value, stored_value

from places import Resolver
from places.cache import Cache
from places.exc import CacheError, PlacesError


@pytest.fixture
def cached(tmp_path, index_path):
    """A cache holding Kenitra's resolution, the resolver using it, and the row's bytes."""
    path = tmp_path / "cache.sqlite"
    with Resolver(cache_path=path, index_path=index_path) as resolver:
        first = resolver.resolve("Kenitra", country="MA")
        assert first.ok
        assert not first.cached
        yield resolver, path, first, stored_value(path, "kenitra")


def _replace_text(raw: bytes, old: bytes, new: bytes) -> bytes:
    assert old in raw
    return raw.replace(old, new, 1)


DAMAGE = {
    # Flipped bytes that leave the JSON unparsable.
    "brace flipped": lambda raw: flipped(raw, 0, 0x01),
    "quote flipped": lambda raw: flipped(raw, raw.index(b'"'), 0x01),
    "colon flipped": lambda raw: flipped(raw, raw.index(b":"), 0x20),
    # Bytes that are not UTF-8 at all: SQLite refuses to hand the TEXT over.
    "not UTF-8": lambda raw: flipped(raw, raw.index(b"K"), 0x80),
    # Flipped bytes that parse but give a value of the wrong shape.
    "key renamed": lambda raw: _replace_text(raw, b'"points"', b'"poin\x74s_"'),
    "point key renamed": lambda raw: _replace_text(raw, b'"lat"', b'"lap"'),
    "lat turned string": lambda raw: _replace_text(raw, b'"lat": ', b'"lat": "'),
    "not an object": lambda raw: b"[" + raw[1:-1] + b"]",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "lat out of range": lambda raw: _replace_text(raw, b'"lat": ', b'"lat": 9'),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_row_is_resolved_again_and_rewritten(cached, damage):
    resolver, path, first, raw = cached
    store_raw_value(path, "kenitra", DAMAGE[damage](raw))
    again = resolver.resolve("Kenitra", country="MA")
    assert not again.cached, "a damaged row was served"
    assert again.points == first.points
    assert json.loads(stored_value(path, "kenitra")) == json.loads(raw)
    assert resolver.resolve("Kenitra", country="MA").cached


def test_no_single_flipped_byte_in_a_row_breaks_a_run(cached):
    """Every byte, three masks: the run goes on, and a re-resolved row is right again.

    Flips inside a string or a digit can still be valid JSON of the right shape (a
    different town name, another decimal): a checksum-free cache cannot tell those
    from a real answer, so they may be served, but they never stop the run.
    """
    resolver, path, first, raw = cached
    for offset in range(len(raw)):
        for mask in (0x01, 0x20, 0x80):
            store_raw_value(path, "kenitra", flipped(raw, offset, mask))
            res = resolver.resolve("Kenitra", country="MA")
            assert res.ok, (offset, mask)
            if not res.cached:
                assert res.points == first.points, (offset, mask)
    store_raw_value(path, "kenitra", raw)


def test_the_cache_alone_treats_an_unparsable_row_as_a_miss(tmp_path):
    path = tmp_path / "c.sqlite"
    key = ("x", "", "offline")
    cache = Cache(path, version="t")
    cache.put_many({key: {"points": [], "error": "e", "source": None, "precision": None}})
    store_raw_value(path, "x", b'{"points": [], "error": "e", "sou')
    assert cache.get_many([key]) == {}
    cache.close()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_text_file_as_cache_is_refused_and_left_alone(tmp_path, index_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes on the Tangier cell, do not lose\n" * 40)
    before = _digest(notes)
    with pytest.raises(CacheError) as err:
        Resolver(cache_path=notes, index_path=index_path)
    message = str(err.value)
    assert str(notes) in message
    assert "is not a geocode cache (file is not a database)" in message
    assert "move it away or pass --cache another path" in message
    assert _digest(notes) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_another_programs_database_is_refused_and_left_alone(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    before = _digest(other)
    with pytest.raises(CacheError, match="is not a geocode cache .*move it away"):
        Cache(other, version="t")
    assert _digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_an_unreadable_cache_path_is_a_clear_error(tmp_path):
    # Tests run as root, where chmod 000 does not stop reads; a directory does.
    folder = tmp_path / "geocode.sqlite"
    folder.mkdir()
    with pytest.raises(CacheError) as err:
        Cache(folder, version="t")
    message = str(err.value)
    assert f"cannot open the geocoding cache {folder}: it is a directory" in message
    assert "pass --cache another path" in message
    assert list(folder.iterdir()) == []


def test_a_damaged_cache_page_is_a_clear_error(cached):
    resolver, path, _, _ = cached
    resolver.close()
    overwrite_page(path, root_page(path, "resolutions"))
    with pytest.raises(CacheError) as err:
        Resolver(cache_path=path).resolve("Kenitra", country="MA")
    message = str(err.value)
    assert str(path) in message
    assert "is damaged" in message
    assert "delete it (it only holds a cache) or pass --cache another path" in message


def _text_file(path):
    path.write_text("notes\n")
    return path


def _directory(path):
    path.mkdir()
    return path


def _foreign_database(path):
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    return path


@pytest.mark.parametrize(
    ("cache", "index"),
    [
        (_text_file, None),
        (_directory, None),
        (None, _text_file),
        (None, _foreign_database),
    ],
    ids=["cache is text", "cache is a folder", "index is text", "index is foreign"],
)
def test_the_resolver_raises_only_places_errors(tmp_path, index_path, cache, index):
    cache_path = cache(tmp_path / "c.sqlite") if cache else tmp_path / "c.sqlite"
    index = index(tmp_path / "index.sqlite") if index else index_path
    with pytest.raises(PlacesError) as err, Resolver(cache_path=cache_path, index_path=index) as r:
        r.resolve("Kenitra", country="MA")
    assert "move it away" in str(err.value) or "another path" in str(err.value)
