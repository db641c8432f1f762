"""Where the files that ship inside the package are: one place, so no module works it out.

The bundled records and national figures (``data/``), and the static files of the
map and the app (``static/``: the map layer's script and stylesheet, the offline
base map in ``static/basemap`` with its manifest, the page icon).
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
RECORDS = PACKAGE / "data" / "records.csv"
NATIONAL_FIGURES = PACKAGE / "data" / "national_figures.csv"
STATIC = PACKAGE / "static"
APP_SCRIPT = PACKAGE / "app" / "main.py"
