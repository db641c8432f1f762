"""The Streamlit app: ``streamlit run mapapp/app.py [-- --records FILE]``.

Two pages: the map of the records, and the review of an article before its
operations join the records. Each page is its own script in ``mapapp/pages``.
"""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(
    page_title="Counter-terrorism arrests map", page_icon=":material/map:", layout="wide"
)
st.navigation(
    [
        st.Page(PAGES / "map.py", title="Map", icon=":material/map:", default=True),
        st.Page(PAGES / "review.py", title="Review an article", icon=":material/rate_review:"),
    ]
).run()
