"""The Streamlit app: ``ct-arrest-map app [--records FILE]``.

Two pages: the map of the records, and the review of an article before its
operations join the records. Each page is its own script in ``mapapp/pages``.
"""

from pathlib import Path

import streamlit as st

from mapapp.app.ui import ICON

PAGES = Path(__file__).resolve().parent / "pages"

# A local image: a material icon as page_icon becomes a favicon fetched from Google.
st.set_page_config(page_title="Counter-terrorism arrests map", page_icon=str(ICON), layout="wide")
st.navigation(
    [
        st.Page(PAGES / "map.py", title="Map", icon=":material/map:", default=True),
        st.Page(PAGES / "review.py", title="Review an article", icon=":material/rate_review:"),
    ]
).run()
