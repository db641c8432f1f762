"""The Streamlit app: ``main.py`` and its pages (``pages/``) are scripts Streamlit runs.

:mod:`~mapapp.app.ui` holds what the pages share (the records file, safe error
messages); :mod:`~mapapp.app.review` the review page's logic, kept testable apart
from Streamlit.
"""
