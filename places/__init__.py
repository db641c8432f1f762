"""Place names to points, offline and once.

>>> from places import Resolver
>>> with Resolver() as resolver:                       # doctest: +SKIP
...     resolver.resolve("Inezgane-Ait Melloul", country="MA").points

See :mod:`places.resolver` for the layer order and the choosing rules.
"""

from importlib.metadata import PackageNotFoundError, version

__version__: str
try:  # written once, in pyproject.toml; known once the package is installed
    __version__ = version("ct-arrest-map")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

from places.exc import PlacesError  # noqa: E402
from places.resolver import Point, Resolution, Resolver  # noqa: E402

__all__ = ("PlacesError", "Point", "Resolution", "Resolver", "__version__")
