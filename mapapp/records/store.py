"""Records files: load, save, and change without losing anyone's records.

Writers that read the file, change it and write it back (``ingest``, the review
page) go through :func:`update_records`, which holds the file's lock and merges
with what the file holds at the time of writing, so two writers never lose each
other's records and a hand edit saved meanwhile is kept. Every write is atomic and
keeps the file's mode and symbolic link (:mod:`mapapp.files`).
"""

import csv
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TypeVar

import pandas as pd

from mapapp import bundled
from mapapp.files import atomic_write, fingerprint, locked, replace_if_unchanged
from mapapp.records.schema import (
    COLUMNS,
    LIST_SEPARATOR,
    SOURCE_COLUMNS,
    SOURCE_KEYS,
    records_frame,
)
from mapapp.records.table import (
    MAX_RECORDS_BYTES,
    RecordsError,
    cyclic_gc_paused,
    quoted,
    read_csv_table,
)

BUNDLED_RECORDS = bundled.RECORDS


def load_records(
    path_or_buffer: str | os.PathLike | bytes | IO[bytes] = BUNDLED_RECORDS,
    *,
    name: str | None = None,
    max_bytes: int | None = None,
) -> pd.DataFrame:
    """Load and validate a records CSV.

    Parameters
    ----------
    path_or_buffer : path, bytes or binary file object
        The CSV (see the module docstring for the format); the bundled records by default.
    name : str, optional
        What to call the file in messages (an upload's name, say).
    max_bytes : int, optional
        Size limit; ``MAX_RECORDS_BYTES`` when not given.

    Returns
    -------
    pandas.DataFrame
        One row per operation: the CSV columns, with ``places`` and ``agencies`` as
        tuples of str, ``arrested`` as ``Int64``, the source columns combined into
        ``sources`` (a tuple of dicts with keys name, title, url, published), and
        ``date_start`` / ``date_end``: the first and last day the date covers (NaT when
        unknown). Empty text cells stay empty strings.

    Raises
    ------
    RecordsError
        With every problem in the file; nothing is returned then.
    """
    limit = MAX_RECORDS_BYTES if max_bytes is None else max_bytes
    with cyclic_gc_paused():
        return records_frame(read_csv_table(path_or_buffer, COLUMNS, name=name, max_bytes=limit))


def _join(items: Sequence[str], what: str, record_id: str) -> str:
    joined = LIST_SEPARATOR.join(items)
    if LIST_SEPARATOR in joined and joined.count(LIST_SEPARATOR) >= len(items):
        item = next(item for item in items if LIST_SEPARATOR in item)
        raise RecordsError(
            [
                f"record {record_id!r}, {what}: {item!r} contains {LIST_SEPARATOR!r}, "
                "which separates list items in the CSV"
            ]
        )
    return joined


def _source_cells(sources: Sequence[dict], record_id: str) -> list[str]:
    """The four source cells of a record; a field empty in every source is an empty cell."""
    if len(sources) == 1:  # the usual case: nothing to join
        cells = [sources[0].get(key) or "" for key in SOURCE_KEYS]
        if LIST_SEPARATOR not in "".join(cells):
            return cells
    cells = []
    for key, column in zip(SOURCE_KEYS, SOURCE_COLUMNS, strict=True):
        values = [source.get(key) or "" for source in sources]
        cells.append(_join(values, column, record_id) if any(values) else "")
    return cells


def _csv_cells(records: pd.DataFrame) -> dict[str, list[str]]:
    """The CSV cells of every record, column by column (fast for many rows)."""
    # tolist() rather than iterating a Series: element-wise iteration is far slower.
    cells = {column: records[column].tolist() for column in COLUMNS if column in records}
    ids = cells["id"]
    for column in ("places", "agencies"):
        cells[column] = [_join(v, column, i) for v, i in zip(cells[column], ids, strict=True)]
    cells["arrested"] = ["" if pd.isna(v) else str(int(v)) for v in cells["arrested"]]
    sources = records["sources"].tolist()
    rows = [_source_cells(s, i) for s, i in zip(sources, ids, strict=True)]
    for position, column in enumerate(SOURCE_COLUMNS):
        cells[column] = [row[position] for row in rows]
    return cells


def records_csv_text(records: pd.DataFrame) -> str:
    """Render records in the CSV format :func:`load_records` reads.

    The text starts with a byte-order mark (U+FEFF): spreadsheets need it to recognise
    UTF-8 and would otherwise garble accented place names. The loader accepts it. A
    cell a spreadsheet would run as a formula gets a leading ``'`` (see the module
    docstring), which the loader removes.

    Parameters
    ----------
    records : pandas.DataFrame
        Records as :func:`load_records` returns them (a filtered subset is fine).

    Returns
    -------
    str
        The whole file.

    Raises
    ------
    RecordsError
        When a list item contains ``;``, which the format cannot represent.
    """
    with cyclic_gc_paused():
        cells = _csv_cells(records)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, lineterminator="\n").writerows(
        [COLUMNS, *zip(*(quoted(cells[column]) for column in COLUMNS), strict=True)]
    )
    return buffer.getvalue()


def save_records(records: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write records as :func:`records_csv_text` renders them, atomically.

    See :mod:`mapapp.files`: a crash leaves the old file or the new one, a symbolic
    link keeps pointing at the file it names, and the file keeps its mode. To change a
    file other writers may change too, use :func:`update_records`.

    Parameters
    ----------
    records : pandas.DataFrame
        Records as :func:`load_records` returns them.
    path : path
        The CSV file to write or replace.

    Raises
    ------
    RecordsError
        When a list item contains ``;``, which the format cannot represent.
    """
    atomic_write(path, records_csv_text(records))


def empty_records() -> pd.DataFrame:
    """A records frame with no rows, typed as :func:`load_records` types it."""
    return load_records(",".join(COLUMNS).encode(), name="(empty)")


def is_bundled(path: str | os.PathLike) -> bool:
    """Whether ``path`` is the records file shipped with the tool (never written to)."""
    return Path(path).resolve() == BUNDLED_RECORDS.resolve()


def refuse_bundled(path: str | os.PathLike) -> None:
    """Raise :class:`RecordsError` if ``path`` is the bundled records."""
    if is_bundled(path):
        raise RecordsError([f"{path}: the bundled records are never written to; "
                            "use a records file of your own"])  # fmt: skip


Change = TypeVar("Change")


#: How often :func:`update_records` starts again when the file changes under it.
UPDATE_ATTEMPTS = 5


def update_records(
    path: str | os.PathLike, change: Callable[[pd.DataFrame], tuple[pd.DataFrame, Change]]
) -> Change:
    """Change a records file without losing what anyone else wrote to it.

    Holds the file's lock (so other writers of this tool wait), reads the file as it
    is now, applies ``change`` to it and writes the result. A program that does not
    take the lock (a spreadsheet saving a hand edit) may still replace the file
    meanwhile: the file is checked again just before the new one is renamed into
    place (:func:`mapapp.files.replace_if_unchanged`), and if it changed, the change
    is applied again to what it now holds.

    Parameters
    ----------
    path : path
        The records CSV; created when missing. Never the bundled records.
    change : callable
        Takes the current records and returns ``(new records, result)``. It may be
        called more than once, so it must not have other effects.

    Returns
    -------
    object
        The ``result`` of the call whose records were written.

    Raises
    ------
    RecordsError
        When the file is the bundled records, cannot be loaded, or kept changing.
    """
    refuse_bundled(path)
    with locked(path):
        for _ in range(UPDATE_ATTEMPTS):
            before = fingerprint(path)
            current = load_records(path) if before else empty_records()
            records, result = change(current)
            if replace_if_unchanged(path, records_csv_text(records), before):
                return result
    raise RecordsError([f"{path}: the file kept changing while it was being updated; "
                        "close other programs writing it and try again"])  # fmt: skip
