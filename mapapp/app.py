"""The Streamlit app: ``streamlit run mapapp/app.py [-- --records FILE]``.

Two pages: the map of the records, and the review of an article before its
operations join the records. Each page is its own script in ``mapapp/pages``.
"""

import sys
from pathlib import Path

import streamlit as st

# Streamlit puts the script's folder on sys.path, not the project root.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mapapp.ui import ICON  # noqa: E402

PAGES = Path(__file__).resolve().parent / "pages"

# A local image: a material icon as page_icon becomes a favicon fetched from Google.
st.set_page_config(page_title="Counter-terrorism arrests map", page_icon=str(ICON), layout="wide")
st.navigation(
    [
        st.Page(PAGES / "map.py", title="Map", icon=":material/map:", default=True),
        st.Page(PAGES / "review.py", title="Review an article", icon=":material/rate_review:"),
    ]
).run()
