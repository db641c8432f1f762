"""Manual overrides: an analyst's fixes, read from a CSV, that always win.

Format (UTF-8, header row required, extra columns ignored)::

    name,country,lat,lon,note
    Fnideq,MA,35.8491,-5.3575,town centre rather than the beach
    Tanger Med,MA,35.8858,-5.5008,the port, not a town in GeoNames
    Tanger Med,MA,35.8700,-5.4300,its logistics zone: a second point
    Sahel,,15.0,2.0,

* ``name`` is matched after folding (case, accents, hyphens, apostrophes);
* ``country`` (optional, ISO 3166 alpha-2) limits the row to calls whose country
  hint is that country, and becomes the point's country code; a row without one
  applies whatever the hint.  With no hint, a name's rows apply when they all
  agree on the country;
* repeating a name (and country) gives the name several points;
* an optional ``precision`` column takes city, admin area, region or country.

Overrides are never cached: they are read at every run (and re-read when the file
changes), so a fix is in force at once and survives every re-run.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from pathlib import Path

from places.exc import OverridesError
from places.fold import fold

PRECISIONS = ("city", "sub-city", "admin area", "region", "country")
_REQUIRED = ("name", "lat", "lon")


@dataclass(frozen=True)
class Override:
    """One row of the overrides file."""

    name: str
    country: str | None
    lat: float
    lon: float
    precision: str
    note: str


def _number(path, line, column, text, low, high) -> float:
    try:
        value = float(text)
    except ValueError:
        raise OverridesError(f"{path}:{line}: column {column!r}: not a number: {text!r}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise OverridesError(
            f"{path}:{line}: column {column!r}: {text!r} is outside {low}..{high}"
        )
    return value


def _parse_row(path: Path, line: int, row: dict) -> Override:
    name = (row.get("name") or "").strip()
    if not fold(name):
        raise OverridesError(f"{path}:{line}: column 'name': empty place name")
    country = (row.get("country") or "").strip().upper() or None
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise OverridesError(
            f"{path}:{line}: column 'country': {country!r} is not a two-letter country code"
        )
    precision = (row.get("precision") or "").strip().lower() or "city"
    if precision not in PRECISIONS:
        raise OverridesError(
            f"{path}:{line}: column 'precision': {precision!r} is not one of {PRECISIONS}"
        )
    lat = _number(path, line, "lat", (row.get("lat") or "").strip(), -90.0, 90.0)
    lon = _number(path, line, "lon", (row.get("lon") or "").strip(), -180.0, 180.0)
    return Override(name, country, lat, lon, precision, (row.get("note") or "").strip())


def read_overrides(path: str | os.PathLike) -> dict[str, list[Override]]:
    """Read and check an overrides file.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.

    Returns
    -------
    dict of str to list of Override
        Rows by folded name, in file order.

    Raises
    ------
    places.exc.OverridesError
        When the file cannot be read or a row is bad; the message names the file,
        the line and the column.
    """
    path = Path(path)
    table: dict[str, list[Override]] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [(h or "").strip().lower() for h in reader.fieldnames or ()]
            missing = [c for c in _REQUIRED if c not in header]
            if missing:
                raise OverridesError(
                    f"{path}:1: header lacks column(s) {', '.join(map(repr, missing))} "
                    f"(expected name,country,lat,lon,note)"
                )
            reader.fieldnames = header
            for row in reader:
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue  # blank line
                if None in row:
                    raise OverridesError(
                        f"{path}:{reader.line_num}: more fields than the header has columns"
                    )
                item = _parse_row(path, reader.line_num, row)
                table.setdefault(fold(item.name), []).append(item)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise OverridesError(f"cannot read overrides file {path}: {exc}") from exc
    return table


def choose_overrides(rows: list[Override], hint: str | None) -> list[Override]:
    """Pick the rows that apply to a call with country hint ``hint``.

    Parameters
    ----------
    rows : list of Override
        The rows for one folded name.
    hint : str or None
        The caller's country hint.

    Returns
    -------
    list of Override
        The rows for the hint's country if any, else the rows without a country,
        else (no hint) the rows when they all name one country; may be empty.
    """
    if hint is not None:
        scoped = [r for r in rows if r.country == hint]
        if scoped:
            return scoped
    unscoped = [r for r in rows if r.country is None]
    if unscoped:
        return unscoped
    if hint is None and len({r.country for r in rows}) == 1:
        return rows
    return []


class Overrides:
    """An overrides file, re-read whenever it changes on disk.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file; read (and checked) at once.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._stamp: tuple[int, int] | None = None
        self._table: dict[str, list[Override]] = {}
        self.refresh()

    def refresh(self) -> None:
        """Re-read the file if it changed (size or mtime) since it was last read."""
        try:
            stat = self.path.stat()
        except OSError as exc:
            raise OverridesError(f"cannot read overrides file {self.path}: {exc}") from exc
        stamp = (stat.st_size, stat.st_mtime_ns)
        if stamp != self._stamp:
            self._table = read_overrides(self.path)
            self._stamp = stamp

    def find(self, folded: str, hint: str | None) -> list[Override]:
        """Return the overrides for a folded name under a country hint (maybe empty)."""
        return choose_overrides(self._table.get(folded, []), hint)
