"""Pieces shared by the Streamlit pages (the map and the review page).

Streamlit runs each page as a script; what they share lives here so that both
pages agree on which records file the app was started on, and show errors the
same, safe way.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from mapapp import bundled
from mapapp.records import BUNDLED_RECORDS, RecordsError
from places import Resolver

#: The page icon, served by the app itself (a material icon would be fetched from Google).
ICON = bundled.STATIC / "icon.png"


def show_error(headline: str, detail: object) -> None:
    """Show an error whose detail holds text from a file, an upload or a record.

    ``st.error`` renders Markdown, so a records cell such as ``![x](http://host/i.png)``
    would make the page fetch an image, and ``[Fix it here](http://…)`` would become
    a link. The headline is therefore the page's own text, and the detail (an
    exception's message, with the bad values quoted in it) goes in a code block,
    which Streamlit shows verbatim.

    Parameters
    ----------
    headline : str
        Fixed text of the page's own: never interpolate user text into it.
    detail : object
        The exception or message; a :class:`~mapapp.records.RecordsError` is shown
        one problem a line.
    """
    st.error(headline)
    text = "\n".join(detail.problems) if isinstance(detail, RecordsError) else str(detail)
    st.code(text, language=None, wrap_lines=True)


def records_path() -> Path:
    """The records file named after ``--`` on the command line, else the bundled one.

    ``streamlit run mapapp/app.py -- --records my.csv`` opens the app on a file of
    one's own; the review page then saves accepted operations into it.
    """
    parser = argparse.ArgumentParser(prog="mapapp/app.py")
    parser.add_argument("--records", type=Path, default=BUNDLED_RECORDS)
    args, _ = parser.parse_known_args(sys.argv[1:])
    return args.records


def prepare_gazetteer() -> None:
    """Build the gazetteer's name index with a visible status if it is not built yet.

    The first start (or a new GeoNames release) builds it once, about 20 s; shown as
    a status line rather than a blank page. ``ct-arrest-map app`` builds it before
    the server starts, so this is for an app started by Streamlit directly.
    """
    with Resolver() as resolver:
        if resolver.index_ready():
            return
        with st.status("Preparing the gazetteer: a one-off step of about 20 seconds…") as status:
            resolver.offline  # noqa: B018  (opening it builds the index)
            status.update(label="Gazetteer ready", state="complete")
