"""Read article files: find them, decode them, and hand them over in bounded pieces.

Users bring articles saved from browsers, word processors and mail clients, so the
bytes are not always UTF-8. A file that is valid UTF-8 is read as UTF-8 (the
overwhelming case, and the only safe guess for short texts); any other file is
identified by ``charset-normalizer`` or refused with a message naming it, because a
wrongly decoded article yields wrong place names silently.

Memory stays bounded whatever the input: a folder is walked lazily, one file at a
time, and a large file is read as a stream of paragraph-aligned chunks (a chunk
never cuts a paragraph, so no sentence is split between two chunks).
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes, from_path

#: Files above this size are refused: a news article is a few kilobytes, and a file
#: this big is far more likely a mistaken dump than a collection of articles.
MAX_BYTES = 64_000_000

#: Text is handed over in chunks of about this many characters, cut at blank lines.
CHUNK_CHARS = 256 * 1024

_BLOCK = 1024 * 1024


class ArticleError(ValueError):
    """An article file cannot be read (missing, too big, binary, unknown encoding)."""


def iter_article_paths(inputs: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Yield the article files named by ``inputs``, expanding folders lazily.

    A folder stands for every ``*.txt`` file under it, in sorted order so runs are
    reproducible; other inputs are yielded as given (a missing file is reported when
    it is read, so one bad name does not stop the others).

    Parameters
    ----------
    inputs : iterable of str or os.PathLike
        Files and folders as the user gave them.

    Yields
    ------
    pathlib.Path
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.lower().endswith(".txt"):
                        yield Path(dirpath) / name
        else:
            yield path


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while block := fh.read(_BLOCK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> str:
    """Return the encoding to read ``path`` with, or raise why it cannot be read.

    Parameters
    ----------
    path : str or os.PathLike
        An article file.
    max_bytes : int
        Refuse larger files.

    Returns
    -------
    str
        ``"utf-8-sig"`` for valid UTF-8 (a byte-order mark is dropped), else the
        codec charset-normalizer finds.

    Raises
    ------
    ArticleError
        The file is missing, too big, binary (NUL bytes) or of no known encoding.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
                "for one article file; split it into smaller files"
            )
        with path.open("rb") as fh:
            head = fh.read(_BLOCK)
        encoding = _sniff(head, path)
        if encoding is None and _is_utf8(path):
            encoding = "utf-8-sig"
        if encoding is None:
            encoding = _detected(from_path(path).best(), path).encoding
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return encoding


def _sniff(head: bytes, name) -> str | None:
    """UTF-16 by its byte-order mark; refuse binary data; None to look further."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise ArticleError(f"{name}: contains NUL bytes; this is not a plain-text article")
    return None


def _detected(best, name):
    if best is None:
        raise ArticleError(f"{name}: not UTF-8 and no text encoding fits; save it as UTF-8 text")
    return best


def decode_article(data: bytes, name: str) -> str:
    """Decode an article held in memory (an upload, a paste) as a file would be read."""
    encoding = _sniff(data[:_BLOCK], name)
    if encoding:
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return str(_detected(from_bytes(data).best(), name))


def iter_text_chunks(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES,
                     chunk_chars: int = CHUNK_CHARS) -> Iterator[str]:
    """Yield the decoded text of ``path`` in paragraph-aligned chunks.

    A short article comes back whole, as one chunk. A longer file is cut at the last
    blank line before ``chunk_chars`` characters (or at the last line end when a
    paragraph is longer than that), so memory use does not grow with the file.

    Parameters
    ----------
    path : str or os.PathLike
        An article file.
    max_bytes : int
        Refuse larger files.
    chunk_chars : int
        The size chunks aim for.

    Yields
    ------
    str

    Raises
    ------
    ArticleError
        See :func:`detect_encoding`; also a decoding error found after detection.
    """
    path = Path(path)
    encoding = detect_encoding(path, max_bytes=max_bytes)
    pending = ""
    try:
        with path.open("r", encoding=encoding, newline=None) as fh:
            while block := fh.read(chunk_chars):
                pending += block
                while len(pending) >= chunk_chars:
                    cut = pending.rfind("\n\n", 0, chunk_chars - 1) + 2
                    if cut <= 2:
                        cut = pending.rfind("\n", 0, chunk_chars) + 1
                    if cut <= 1:
                        cut = chunk_chars
                    yield pending[:cut]
                    pending = pending[cut:]
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not valid {encoding} text: {exc.reason}") from exc
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if pending.strip():
        yield pending


def read_article(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> str:
    """Return the whole decoded text of one article file.

    Parameters
    ----------
    path : str or os.PathLike
        An article file.
    max_bytes : int
        Refuse larger files.

    Returns
    -------
    str

    Raises
    ------
    ArticleError
        See :func:`detect_encoding`.
    """
    return "".join(iter_text_chunks(path, max_bytes=max_bytes))
