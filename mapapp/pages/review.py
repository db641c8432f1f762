"""Streamlit page: paste or upload an article, check what was found, accept it.

The article is shown with every place name marked by its role, so a reviewer
sees at a glance why a town is (or is not) an arrest place. Accepted operations
are validated like any records file and merged into the records the app was
started on (``-- --records FILE``); the bundled records are never written to,
so there the merged file is offered as a download.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from mapapp.articles import ArticleError, decode_article  # noqa: E402
from mapapp.extract import PlaceLookup, extract_article  # noqa: E402
from mapapp.merge import merge_operations  # noqa: E402
from mapapp.records import RecordsError, load_records, records_csv_text, save_records  # noqa: E402
from mapapp.review import (  # noqa: E402
    accepted_records,
    candidates_table,
    highlighted_html,
    legend_html,
)
from mapapp.ui import is_bundled, records_path  # noqa: E402
from places import Resolver  # noqa: E402

#: Larger pastes or uploads are refused with a message (an article is a few kB).
MAX_ARTICLE_BYTES = 2_000_000

st.title("Review an article")
st.caption(
    "Paste or upload a news report. Place names are marked by the role the extractor "
    "gave them; correct the operations found, tick the ones to keep, and add them."
)


@st.cache_data(show_spinner="Reading the article…", max_entries=16)
def extract(text: str, country: str | None, published: dt.date | None):
    resolver = Resolver()
    try:
        return extract_article(
            text, lookup=PlaceLookup(resolver), source="pasted article",
            country=country, published=published,
        )  # fmt: skip
    finally:
        resolver.close()


def article_text() -> tuple[str, str] | None:
    """The article and what to call it as a source, or None when there is none yet."""
    upload = st.file_uploader("Upload an article (.txt)", type=["txt"])
    pasted = st.text_area("…or paste its text", height=180, key="pasted")
    if upload is not None:
        data, name = upload.getvalue(), upload.name
    elif pasted.strip():
        data, name = pasted.encode("utf-8"), st.text_input("Source name", "pasted article")
    else:
        return None
    if len(data) > MAX_ARTICLE_BYTES:
        st.error(f"{name} is {len(data):,} bytes; articles over {MAX_ARTICLE_BYTES:,} bytes "
                 "are refused here. Use `python -m mapapp extract` for large files.")  # fmt: skip
        return None
    try:
        return decode_article(data, name), name
    except ArticleError as exc:
        st.error(str(exc))
        return None


left, right = st.columns(2)
country = left.text_input("Country of the article (ISO code, optional)", max_chars=2) or None
published = right.date_input("Publication date (optional)", value=None)

article = article_text()
if article is None:
    st.stop()
text, source_name = article
result = extract(text, country.upper() if country else None, published)

st.subheader("The article, with its place names")
st.markdown(legend_html(), unsafe_allow_html=True)
st.markdown(highlighted_html(text, result), unsafe_allow_html=True)

if result.figures:
    st.subheader("National figures mentioned (not operations)")
    st.dataframe([f.to_json() for f in result.figures], hide_index=True)

st.subheader(f"Operations found: {len(result.operations)}")
if not result.operations:
    st.info("No operation with a located arrest place was found in this article.")
    st.stop()
edited = st.data_editor(
    candidates_table(result),
    hide_index=True,
    disabled=["confidence", "not placed", "evidence"],
    key="candidates",
)

target = records_path()
if st.button("Add the ticked operations to the records", type="primary"):
    try:
        accepted = accepted_records(edited, result, source_name)
        current = load_records(target)
    except RecordsError as exc:
        st.error(f"Nothing was added.\n\n{exc}")
        st.stop()
    resolver = Resolver()
    try:
        report = merge_operations(current, accepted, resolver)
    finally:
        resolver.close()
    summary = f"{len(report.added)} added, {len(report.merged)} merged into existing records."
    if is_bundled(target):
        st.success(summary + " The bundled records are not changed: download the result, "
                   "or start the app with `-- --records your.csv` to save into your file.")
        st.download_button("Download the records (CSV)", records_csv_text(report.records),
                           file_name="records.csv", mime="text/csv")  # fmt: skip
    else:
        save_records(report.records, target)
        st.success(f"{summary} Saved to {target.name}; the map shows them on its next load.")
