"""The one definition of "which operations does the user want to see".

The CLI export and the Streamlit app both filter through :class:`Selection`, so
a map exported from the command line and the same filter in the app show the
same operations. It works on the records frame and on the joined points frame
alike: both carry ``date_start``, ``date_end``, ``affiliation`` and ``agencies``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapapp.records.affiliations import normalise_affiliation


@dataclass(frozen=True)
class Selection:
    """What to keep; ``None`` (or empty) means "no restriction".

    A dated operation is kept when its date, read at its precision, overlaps
    ``[since, until]``: "2022" overlaps a range starting 2022-06-01, "2022-01"
    overlaps one ending 2022-01-10. An undated operation cannot be placed in
    time, so ``include_undated`` decides it on its own, whatever the range.
    """

    since: dt.date | None = None
    until: dt.date | None = None
    include_undated: bool = True
    affiliations: frozenset[str] | None = None
    agencies: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    #: admin1 names ("Casablanca-Settat"); only a points frame (with ``admin1``) has them.
    regions: frozenset[str] | None = None

    @classmethod
    def create(
        cls, *, affiliations=None, agencies=None, countries=None, regions=None, **kwargs
    ) -> Selection:
        """Build a selection, normalising affiliation names through the alias table.

        ``--affiliation Daesh`` and ``--affiliation ISIS`` then select the same
        operations.
        """

        def as_set(values, fold=lambda v: v):
            return frozenset(fold(v) for v in values) if values else None

        return cls(
            affiliations=as_set(affiliations, normalise_affiliation),
            agencies=as_set(agencies),
            countries=as_set(countries, str.upper),
            regions=as_set(regions),
            **kwargs,
        )

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean mask over the rows of ``frame`` (records or points) to keep."""
        keep = np.ones(len(frame), dtype=bool)
        start, end = frame["date_start"], frame["date_end"]
        undated = start.isna().to_numpy()
        if self.since is not None:
            keep &= undated | (end >= pd.Timestamp(self.since)).to_numpy()
        if self.until is not None:
            keep &= undated | (start <= pd.Timestamp(self.until)).to_numpy()
        if not self.include_undated:
            keep &= ~undated
        if self.affiliations:
            keep &= frame["affiliation"].isin(self.affiliations).to_numpy()
        if self.agencies:
            wanted = self.agencies
            keep &= np.fromiter(
                (not wanted.isdisjoint(a) for a in frame["agencies"]), bool, len(frame)
            )
        if self.countries:
            column = "country_code" if "country_code" in frame else "country"
            keep &= frame[column].isin(self.countries).to_numpy()
        if self.regions and "admin1" in frame:
            keep &= frame["admin1"].isin(self.regions).to_numpy()
        return pd.Series(keep, index=frame.index)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` this selection keeps."""
        return frame[self.mask(frame)]
