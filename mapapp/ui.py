"""Pieces shared by the Streamlit pages (the map and the review page).

Streamlit runs each page as a script; what they share lives here so that both
pages agree on which records file the app was started on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mapapp.records import BUNDLED_RECORDS


def records_path() -> Path:
    """The records file named after ``--`` on the command line, else the bundled one.

    ``streamlit run mapapp/app.py -- --records my.csv`` opens the app on a file of
    one's own; the review page then saves accepted operations into it.
    """
    parser = argparse.ArgumentParser(prog="mapapp/app.py")
    parser.add_argument("--records", type=Path, default=BUNDLED_RECORDS)
    args, _ = parser.parse_known_args(sys.argv[1:])
    return args.records


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is the records file shipped with the tool (never written to)."""
    return path.resolve() == BUNDLED_RECORDS.resolve()
