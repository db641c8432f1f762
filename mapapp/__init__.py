"""Map where counter-terrorism arrests were reported in news articles."""

from places import __version__

__all__ = ("__version__",)
