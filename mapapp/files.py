"""Writing files so that nothing is half-written, lost, or exposed.

Every file the tool writes (records, maps, GeoJSON, CSV) goes through here:

* **Atomic.** The data is written to a temporary file beside the target, flushed
  to disk, then renamed over it: a killed process leaves the old file or the new
  one, never a torn one. Several files written together (an export's HTML,
  GeoJSON and CSV) are all staged before any is renamed, so a failure writes none.
* **The target's own.** A symbolic link is followed, so its target is updated and
  the link stays a link; an existing file keeps its mode and owner (a private
  records file stays private); a new file gets the mode the umask gives.
* **No litter.** Temporary names carry the writer's process id. A run that writes
  a target first removes the temporary files of that target left by processes
  that no longer exist (killed runs), never those of a live writer.
* **Serialised.** :func:`locked` takes an exclusive lock beside a file (with the
  ``filelock`` package, ``flock`` on POSIX), for writers that read, merge and
  write back, so two of them never lose each other's changes.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from mapapp.errors import MapappError

#: How long a writer waits for another one to finish with the same file.
LOCK_TIMEOUT_S = 60.0


class LockedError(MapappError):
    """Another process kept the file locked for longer than the timeout."""


def real_target(path: str | os.PathLike) -> Path:
    """The file a write to ``path`` must change: symbolic links followed."""
    return Path(os.path.realpath(path))


def _temp_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]+\.tmp")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` whose writer no longer runs.

    Returns
    -------
    list of pathlib.Path
        What was removed.
    """
    pattern, removed = _temp_pattern(target), []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1))):
            Path(entry.path).unlink(missing_ok=True)
            removed.append(Path(entry.path))
    return removed


def _new_file_mode() -> int:
    """The mode ``open()`` would give a new file: 0o666 less the umask.

    Read from ``/proc`` where it exists: setting and restoring the umask to read it
    would race with other threads (the app serves sessions on threads).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    return 0o644


@dataclass
class _Staged:
    temporary: Path
    target: Path


def _stage(path: str | os.PathLike, data: str | bytes) -> _Staged:
    """Write ``data`` to a temporary file beside the real target, with its mode."""
    target = real_target(path)
    remove_stale_temporaries(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(temporary, "xb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            existing = os.stat(target)
        except FileNotFoundError:
            os.chmod(temporary, _new_file_mode())
        else:
            os.chmod(temporary, existing.st_mode & 0o7777)
            if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
                # Only root can give a file away; elsewhere the mode is kept still.
                with suppress(PermissionError):
                    os.chown(temporary, existing.st_uid, existing.st_gid)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return _Staged(temporary, target)


class Batch:
    """Files staged together and renamed into place together (see :func:`writing`)."""

    def __init__(self) -> None:
        self._staged: list[_Staged] = []

    def write(self, path: str | os.PathLike, data: str | bytes) -> Path:
        """Stage ``data`` for ``path``; it replaces the file when the batch commits."""
        self._staged.append(_stage(path, data))
        return Path(path)

    def commit(self) -> None:
        """Rename every staged file over its target."""
        for staged in self._staged:
            os.replace(staged.temporary, staged.target)
        self._staged.clear()

    def discard(self) -> None:
        """Remove the staged files that were not committed."""
        for staged in self._staged:
            staged.temporary.unlink(missing_ok=True)
        self._staged.clear()


@contextmanager
def writing() -> Iterator[Batch]:
    """Write several files all or nothing.

    Everything written in the block is staged; when the block ends normally every
    file is renamed into place, and when it raises, none is (and the staged
    temporary files are removed).
    """
    batch = Batch()
    try:
        yield batch
    except BaseException:
        batch.discard()
        raise
    try:
        batch.commit()
    finally:
        batch.discard()


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Replace ``path`` with ``data`` (str is written as UTF-8) atomically."""
    with writing() as batch:
        batch.write(path, data)
    return Path(path)


def replace_if_unchanged(
    path: str | os.PathLike, data: str | bytes, expected: tuple[int, int, int] | None
) -> bool:
    """Like :func:`atomic_write`, but only if ``path`` still has the ``expected`` fingerprint.

    The new file is staged first (the slow part) and the fingerprint compared just
    before the rename, so the window in which another program's write could be lost
    is as short as the file system allows.

    Returns
    -------
    bool
        Whether the file was replaced.
    """
    batch = Batch()
    batch.write(path, data)
    if fingerprint(path) != expected:
        batch.discard()
        return False
    batch.commit()
    return True


def fingerprint(path: str | os.PathLike) -> tuple[int, int, int] | None:
    """What changes when a file is rewritten or replaced (inode, size, mtime), or None."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


@contextmanager
def locked(path: str | os.PathLike, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` (a ``.NAME.lock`` file beside its real target).

    Raises
    ------
    LockedError
        When another writer holds the lock for longer than ``timeout`` seconds.
    """
    target = real_target(path)
    lock = FileLock(target.with_name(f".{target.name}.lock"), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockedError(
            f"{path}: another process has been writing this file for over {timeout:.0f} s "
            f"(lock {lock.lock_file}); try again when it is done"
        ) from None
    try:
        yield
    finally:
        lock.release()
