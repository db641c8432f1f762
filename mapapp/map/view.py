"""The opening view of a map: where most of the points are, not every last one.

A dataset about Morocco with one arrest in Belgium should open on Morocco, not on
half of Europe. :func:`view_bounds` groups the points into clusters of nearby
points and frames the clusters that hold a fair share of them; a lone point far
from the rest is still drawn, and panning reaches it. Two far clusters of equal
weight are both framed: nothing says which one matters.

Clusters are found on a grid, so the cost is one pass over the points and one over
the occupied cells, whatever the number of points: cells of ``CELL_DEGREES``
degrees, and two occupied cells up to ``LINK_CELLS`` cells apart (in rows and in
columns) belong to one cluster, so points about 400 to 700 km apart still join
(Tangier and Madrid do, through Andalusia; Madrid and Verviers do not).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

# Grid cells of 2 degrees (about 220 km north to south).
CELL_DEGREES = 2.0
# Occupied cells at most this many cells apart, in rows and in columns, join.
LINK_CELLS = 2
# A cluster is framed when it holds at least this share of the points (and two
# points or more), or when it is the largest.
MIN_SHARE = 0.1
# When the clusters framed so hold less than this share of the points, there is no
# central mass (points spread thinly everywhere): every point is framed.
MIN_FRAMED = 0.5

Bounds = tuple[float, float, float, float]


def view_bounds(lats: Iterable[float], lons: Iterable[float]) -> Bounds | None:
    """The ``(south, west, north, east)`` box the map opens on, or None with no point.

    Parameters
    ----------
    lats, lons
        One latitude and one longitude per point, in degrees; points with a missing
        or infinite coordinate are ignored. A place with several operations counts
        once per operation: that is where the data is.

    Returns
    -------
    tuple of float or None
        The bounds of the points of every cluster holding at least ``MIN_SHARE`` of
        the points (and two or more), and of the largest cluster (of every cluster
        tied for largest) in any case; of every point when those clusters hold less
        than ``MIN_FRAMED`` of them; None when no point has coordinates.
    """
    lat = np.asarray(list(lats), dtype=float)
    lon = np.asarray(list(lons), dtype=float)
    usable = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[usable], lon[usable]
    if not len(lat):
        return None
    rows = np.floor((lat + 90.0) / CELL_DEGREES).astype(int)
    cols = np.floor((lon + 180.0) / CELL_DEGREES).astype(int)
    cells, point_cell, cell_counts = np.unique(
        np.stack([rows, cols], axis=1), axis=0, return_inverse=True, return_counts=True
    )
    point_cell = point_cell.reshape(-1)
    cluster = _clusters(cells)
    weights = np.bincount(cluster, weights=cell_counts)
    framed = (weights == weights.max()) | ((weights >= MIN_SHARE * len(lat)) & (weights >= 2))
    chosen = framed[cluster[point_cell]]
    if chosen.sum() < MIN_FRAMED * len(lat):
        chosen[:] = True
    return (
        float(lat[chosen].min()),
        float(lon[chosen].min()),
        float(lat[chosen].max()),
        float(lon[chosen].max()),
    )


def _clusters(cells: np.ndarray) -> np.ndarray:
    """A cluster number for each occupied ``(row, column)`` cell: its linked group's."""
    index = {(int(r), int(c)): i for i, (r, c) in enumerate(cells)}
    cluster = np.full(len(cells), -1, dtype=int)
    reach = range(-LINK_CELLS, LINK_CELLS + 1)
    number = 0
    for start in range(len(cells)):
        if cluster[start] >= 0:
            continue
        cluster[start] = number
        todo = [start]
        while todo:
            row, col = cells[todo.pop()]
            for dr in reach:
                for dc in reach:
                    other = index.get((int(row) + dr, int(col) + dc))
                    if other is not None and cluster[other] < 0:
                        cluster[other] = number
                        todo.append(other)
        number += 1
    return cluster
