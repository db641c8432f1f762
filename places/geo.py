"""Distances on the Earth: the one haversine the whole tool uses."""

import math

#: Mean Earth radius (km), as in the haversine formula's usual statement.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (km).

    The haversine formula keeps its precision at short distances, which is where
    the tool's radii (a district's city, a matching radius of tens of km) decide.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float
        Degrees.

    Returns
    -------
    float
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
