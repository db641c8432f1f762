"""Ways to damage the files of :mod:`places` for real, and a failing Nominatim.

The robustness tests break SQLite files the way disks and editors do: a flipped
byte inside a stored value (SQLite's integrity check still says "ok"), a page
overwritten with garbage, a text file where a database should be.
"""

import shutil
import sqlite3
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: What an overwritten page is filled with: not a valid b-tree page header.
GARBAGE = bytes(range(7, 256, 7)) * 200


def stored_value(path: Path, folded: str) -> bytes:
    """Return the raw bytes of the cache row(s) of ``folded`` (there must be one)."""
    conn = sqlite3.connect(path)
    try:
        (row,) = conn.execute(
            "SELECT CAST(value AS BLOB) FROM resolutions WHERE folded = ?", (folded,)
        ).fetchall()
        return row[0]
    finally:
        conn.close()


def store_raw_value(path: Path, folded: str, raw: bytes) -> None:
    """Write ``raw`` as the TEXT value of ``folded``'s row, bypassing any encoding check."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                "UPDATE resolutions SET value = CAST(? AS TEXT) WHERE folded = ?",
                (raw, folded),
            )
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def flipped(raw: bytes, offset: int, mask: int) -> bytes:
    """Return ``raw`` with the byte at ``offset`` XOR ``mask``."""
    return raw[:offset] + bytes([raw[offset] ^ mask]) + raw[offset + 1 :]


def root_page(path: Path, table: str) -> int:
    """Return the page number of the root of ``table``'s b-tree."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
    finally:
        conn.close()


def overwrite_page(path: Path, page: int, page_size: int = 4096) -> None:
    """Overwrite page number ``page`` (1-based) of a SQLite file with garbage."""
    with path.open("r+b") as fh:
        fh.seek((page - 1) * page_size)
        fh.write(GARBAGE[:page_size])


def copy_index(index_path: Path, dest: Path) -> Path:
    """Copy the session's name index so a test can damage its own copy."""
    shutil.copyfile(index_path, dest)
    return dest


class FailingNominatim(BaseHTTPRequestHandler):
    """Answers every request with ``server.mode``: "500" or "garbage"."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.hits += 1
        if self.server.mode == "500":
            status, body = 500, b"internal error"
        else:
            status, body = 200, b"<html>definitely not json"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def failing_nominatim(mode: str):
    """Run a :class:`FailingNominatim` on 127.0.0.1; yield its URL and server."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FailingNominatim)
    httpd.daemon_threads = True
    httpd.mode, httpd.hits = mode, 0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
