"""Read counter-terrorism arrest reports: article text to operations with evidence.

No trained geoparser runs offline here, and a general one would not know that
"30 kilometers northeast of Casablanca" is not where anyone was arrested. The
extractor is a gazetteer plus context rules instead: find place names with
:mod:`places`, decide each name's role from the words around it, group arrest
places into operations, and read each operation's count, group, agencies and date
from the sentences nearest to it. See :mod:`mapapp.extract.extractor` for the steps.
"""

from mapapp.extract.extractor import ArticleResult, extract_article, extract_file
from mapapp.extract.mentions import PlaceLookup
from mapapp.extract.operations import Operation, PlacePoint, Unplaced
from mapapp.extract.statistics import NationalFigure

__all__ = (
    "ArticleResult",
    "NationalFigure",
    "Operation",
    "PlaceLookup",
    "PlacePoint",
    "Unplaced",
    "extract_article",
    "extract_file",
)
