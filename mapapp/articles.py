"""Read article files: find them, decode them, and hand them over in bounded pieces.

Users bring articles saved from browsers, word processors and mail clients, so the
bytes are not always UTF-8. A wrongly decoded article yields wrong place names
silently ("Fès" read as "Fčs"), so the rules are, in order:

1. UTF-16 with a byte-order mark is read as such; NUL bytes anywhere refuse the file.
2. Valid UTF-8 is read as UTF-8: the overwhelming case, and the only safe guess for
   short texts.
3. UTF-8 but for a few stray bytes (a paste from another program, a cut character)
   is read as UTF-8 with those bytes replaced by U+FFFD, and an
   :class:`ArticleWarning` names their byte offsets and lines. "A few" is at most
   :data:`MAX_BAD_BYTES`, at most one per :data:`BYTES_PER_BAD_BYTE` bytes, and no
   more than the well-formed non-ASCII characters around them: without those, a
   short Latin-1 text with one accent looks like UTF-8 with one stray byte.
4. Otherwise ``charset-normalizer`` names the code page, and is believed only when
   it is sure (see :func:`_code_page`); else the file is refused with a message
   naming it and asking for UTF-8.

The warning uses the :mod:`warnings` module, with its own category, rather than a
field on a result: :func:`decode_article` and :func:`iter_text_chunks` return text
that callers already use as it is, a warning reaches a user even through a caller
that does not look for it (Python prints it), and a caller that does, such as
``python -m mapapp extract``, records it with :func:`warnings.catch_warnings` and
prints it as one line.

Memory stays bounded whatever the input: a folder is walked lazily, one file at a
time, and a large file is read as a stream of paragraph-aligned chunks (a chunk
never cuts a paragraph, so no sentence is split between two chunks).
"""

from __future__ import annotations

import codecs
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes, from_path

from mapapp.errors import MapappError

#: Files above this size are refused: a news article is a few kilobytes, and a file
#: this big is far more likely a mistaken dump than a collection of articles.
MAX_BYTES = 64_000_000

#: Text is handed over in chunks of about this many characters, cut at blank lines.
CHUNK_CHARS = 256 * 1024

#: UTF-8 with stray bytes is read with them replaced when they are at most this many
#: bytes, and at most one per BYTES_PER_BAD_BYTE bytes of the file (one is always
#: allowed); more means another encoding.
MAX_BAD_BYTES = 100
BYTES_PER_BAD_BYTE = 1000

#: charset-normalizer is believed only with at least this many non-ASCII bytes to go
#: on, a mess ratio ("chaos") at most MAX_CHAOS and a language coherence at least
#: MIN_COHERENCE (0..1 both). A French article of a few lines in cp1252 passes.
MIN_NON_ASCII = 16
MAX_CHAOS = 0.1
MIN_COHERENCE = 0.3
COHERENCE_TIE = 0.02

_BLOCK = 1024 * 1024
_NON_ASCII = bytes(range(128))


class ArticleError(MapappError, ValueError):
    """An article file cannot be read (missing, too big, binary, unknown encoding)."""


class ArticleWarning(UserWarning):
    """An article was read, but not exactly as written: some bytes were replaced."""


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


@dataclass
class _Utf8Scan:
    """What reading the bytes as UTF-8 found.

    Attributes
    ----------
    size : int
        Bytes scanned.
    bad : list of tuple
        ``(byte offset, line number, length)`` of each invalid sequence, up to
        :data:`MAX_BAD_BYTES` bytes; the scan stops past that.
    stopped : bool
        True when the scan stopped early, having found too many bad bytes.
    multibyte : int
        Well-formed non-ASCII characters seen: the evidence that the text is UTF-8.
    non_ascii : int
        Non-ASCII bytes seen: how much a code-page detector has to go on.
    """

    size: int = 0
    bad: list[tuple[int, int, int]] = field(default_factory=list)
    stopped: bool = False
    multibyte: int = 0
    non_ascii: int = 0

    @property
    def bad_bytes(self) -> int:
        return sum(length for _, _, length in self.bad)

    def tolerable(self) -> bool:
        """True for UTF-8 text with a few stray bytes; see :data:`MAX_BAD_BYTES`."""
        bad = self.bad_bytes
        return (
            not self.stopped
            and 0 < bad <= MAX_BAD_BYTES
            and bad <= max(1, self.size // BYTES_PER_BAD_BYTE)
            and self.multibyte >= bad
        )

    def warning(self, name) -> str:
        """The one-line warning naming the replaced bytes."""
        where = ", ".join(f"byte {offset} (line {line})" for offset, line, _ in self.bad[:10])
        more = f" and {len(self.bad) - 10} more" if len(self.bad) > 10 else ""
        return (
            f"{name}: read as UTF-8 with {self.bad_bytes} invalid byte(s) replaced by "
            f"U+FFFD at {where}{more}"
        )


def _non_ascii(data: bytes) -> int:
    return len(data) - len(data.translate(None, _NON_ASCII))


def _scan_utf8(blocks: Iterable[bytes], name) -> _Utf8Scan:
    """Read ``blocks`` (a file's bytes in order) as UTF-8 and note what does not fit.

    Also refuses binary data (NUL bytes) wherever it is. A character cut between two
    blocks is carried over to the next one; offsets and line numbers count from the
    start of the first block (lines from 1).
    """
    scan = _Utf8Scan()
    carry = b""
    line, counted = 1, 0  # line number at absolute offset ``counted``
    for block in blocks:
        if b"\x00" in block:
            raise ArticleError(f"{name}: contains NUL bytes; this is not a plain-text article")
        base = scan.size - len(carry)  # absolute offset of data[0]
        data = carry + block
        scan.size += len(block)
        scan.non_ascii += _non_ascii(block)
        pos = 0
        while True:
            try:
                text, used = codecs.utf_8_decode(data[pos:], "strict", False)
            except UnicodeDecodeError as exc:
                text = data[pos : pos + exc.start].decode("utf-8")
                scan.multibyte += len(text) - len(text.encode("ascii", "ignore"))
                offset = base + pos + exc.start
                line += data.count(b"\n", counted - base, offset - base)
                counted = offset
                scan.bad.append((offset, line, exc.end - exc.start))
                pos += exc.end
                if scan.bad_bytes > MAX_BAD_BYTES:
                    scan.stopped = True
                    return scan
                continue
            scan.multibyte += len(text) - len(text.encode("ascii", "ignore"))
            carry = data[pos + used :]
            break
        line += data.count(b"\n", counted - base, len(data) - len(carry))
        counted = base + len(data) - len(carry)
    if carry:
        # The text ends inside a character.
        scan.bad.append((scan.size - len(carry), line, len(carry)))
        scan.stopped = scan.bad_bytes > MAX_BAD_BYTES
    return scan


def _file_blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            yield block


def _code_page(matches, scan: _Utf8Scan, name) -> str:
    """Return the code page charset-normalizer found, if it is sure enough.

    A wrong code page turns "Fès" into "Fčs" and yields wrong place names silently,
    and code pages differ only in their non-ASCII bytes: so a guess counts only
    with at least :data:`MIN_NON_ASCII` of them, text that reads cleanly (chaos at
    most :data:`MAX_CHAOS`) and words of a language it recognises (coherence at
    least :data:`MIN_COHERENCE`). Code pages that explain the text equally well
    (coherence within :data:`COHERENCE_TIE`) but read it differently are a coin
    toss, which charset-normalizer often wins for cp1250 on French text: then
    cp1252, the code page of Western European and Maghreb news copy, is taken if it
    is among them, and otherwise the file is refused.
    """
    good = [m for m in matches if m.chaos <= MAX_CHAOS and m.coherence >= MIN_COHERENCE]
    if scan.non_ascii >= MIN_NON_ASCII and good:
        top = max(m.coherence for m in good)
        tied = [m for m in good if m.coherence >= top - COHERENCE_TIE]
        western = [m for m in tied if m.encoding == "cp1252"]
        if western:
            return "cp1252"
        if len({str(m) for m in tied}) == 1:
            return tied[0].encoding
    raise ArticleError(
        f"{name}: not UTF-8, and its encoding cannot be told for sure; save it as "
        "UTF-8 text and try again"
    )


def _plan(path: Path, max_bytes: int) -> tuple[str, str, str | None]:
    """Return how to read ``path``: (encoding, error handler, warning or None)."""
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
        if encoding is not None:
            return encoding, "strict", None
        scan = _scan_utf8(_file_blocks(path), path)
        if not scan.bad:
            return "utf-8-sig", "strict", None
        if scan.tolerable():
            return "utf-8-sig", "replace", scan.warning(path)
        return _code_page(from_path(path), scan, path), "strict", None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValueError as exc:
        if isinstance(exc, ArticleError):
            raise
        # A path the system cannot even look up (an embedded NUL character).
        raise ArticleError(f"{path!r}: cannot read: {exc}") from exc


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
        ``"utf-8-sig"`` for UTF-8 (a byte-order mark is dropped), also when a few
        stray bytes are to be replaced (see :data:`MAX_BAD_BYTES`); ``"utf-16"`` by
        its byte-order mark; else the code page charset-normalizer is sure of.

    Raises
    ------
    ArticleError
        The file is missing, too big, binary (NUL bytes) or of no known encoding.
    """
    return _plan(Path(path), max_bytes)[0]


def _sniff(head: bytes, name) -> str | None:
    """UTF-16 by its byte-order mark; refuse binary data; None to look further."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise ArticleError(f"{name}: contains NUL bytes; this is not a plain-text article")
    return None


def decode_article(data: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Decode an article held in memory (an upload, a paste) as a file would be read.

    Parameters
    ----------
    data : bytes
    name : str
        The name to give in messages.
    max_bytes : int
        Refuse more data.

    Returns
    -------
    str

    Raises
    ------
    ArticleError
        Too big, binary, or of no encoding known for sure.

    Warns
    -----
    ArticleWarning
        Read as UTF-8 with a few invalid bytes replaced.
    """
    text, warning = decode_article_noting(data, name, max_bytes=max_bytes)
    if warning:
        warnings.warn(ArticleWarning(warning), stacklevel=2)
    return text


def decode_article_noting(
    data: bytes, name: str, *, max_bytes: int = MAX_BYTES
) -> tuple[str, str | None]:
    """:func:`decode_article`, returning its warning instead of issuing it.

    For the app: Streamlit serves sessions from threads, and catching warnings
    (``warnings.catch_warnings``) is not safe across threads.

    Returns
    -------
    tuple
        ``(text, warning)``: the warning names the replaced bytes, or is None.
    """
    if len(data) > max_bytes:
        raise ArticleError(
            f"{name}: {len(data) / 1e6:.1f} MB is over the "
            f"{max_bytes / 1e6:.0f} MB limit for one article"
        )
    encoding, warning = _sniff(data[:_BLOCK], name), None
    try:
        if encoding:
            text = data.decode(encoding)
        else:
            scan = _scan_utf8((data[i : i + _BLOCK] for i in range(0, len(data), _BLOCK)), name)
            if not scan.bad:
                text = data.decode("utf-8-sig")
            elif scan.tolerable():
                warning = scan.warning(name)
                text = data.decode("utf-8-sig", errors="replace")
            else:
                text = data.decode(_code_page(from_bytes(data), scan, name))
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{name}: not valid {exc.encoding} text: {exc.reason}") from exc
    if "\x00" in text:
        raise ArticleError(f"{name}: contains NUL characters; this is not a plain-text article")
    return text, warning


def iter_text_chunks(
    path: str | os.PathLike, *, max_bytes: int = MAX_BYTES, chunk_chars: int = CHUNK_CHARS
) -> Iterator[str]:
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
        See :func:`detect_encoding`; also a decoding error, or a NUL character,
        found after detection (a code page guessed from part of the file).

    Warns
    -----
    ArticleWarning
        Before the first chunk, when stray bytes are replaced (see the module
        docstring).
    """
    path = Path(path)
    encoding, errors, warning = _plan(path, max_bytes)
    if warning is not None:
        warnings.warn(ArticleWarning(warning), stacklevel=2)
    pending = ""
    try:
        with path.open("r", encoding=encoding, errors=errors, newline=None) as fh:
            while block := fh.read(chunk_chars):
                if "\x00" in block:
                    raise ArticleError(
                        f"{path}: contains NUL characters; this is not a plain-text article"
                    )
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
