"""Streamlit page: paste or upload an article, check what was found, accept it.

The article is shown with every place name marked by its role, so a reviewer
sees at a glance why a town is (or is not) an arrest place. Accepted operations
are validated like any records file and merged into the records the app was
started on (``-- --records FILE``); the bundled records are never written to,
so there the merged file is offered as a download.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from mapapp.app.review import (
    accepted_records,
    candidates_table,
    extract_in_subprocess,
    highlighted_html,
    legend_html,
    places_table,
)
from mapapp.app.ui import records_path, show_error
from mapapp.articles import decode_article_noting
from mapapp.errors import MapappError
from mapapp.records import (
    is_bundled,
    load_records,
    records_csv_text,
    update_records,
)
from mapapp.records.merge import merge_operations
from places import Resolver
from places.exc import PlacesError

#: Larger pastes or uploads are refused with a message (an article is a few kB).
MAX_ARTICLE_BYTES = 2_000_000

st.title("Review an article")
st.caption(
    "Paste or upload a news report. Place names are marked by the role the extractor "
    "gave them; correct the operations found, tick the ones to keep, and add them."
)


@st.cache_data(show_spinner="Reading the article…", max_entries=16)
def extract(text: str, country: str | None, published: dt.date | None):
    """The operations of an article, read in a child process and kept for reruns."""
    return extract_in_subprocess(text, country, published)


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
        show_error(
            f"The article is over {MAX_ARTICLE_BYTES:,} bytes and was not read. "
            "Use the command line (`extract`) for large files.",
            f"{name}: {len(data):,} bytes",
        )
        return None
    try:
        text, warning = decode_article_noting(data, name)
    except MapappError as exc:
        show_error("The article cannot be read.", exc)
        return None
    if warning:
        st.warning("A few bytes of the article are not UTF-8 and were replaced by �:")
        st.code(warning, language=None, wrap_lines=True)
    return text, name


left, right = st.columns(2)
country = left.text_input("Country of the article (ISO code, optional)", max_chars=2) or None
published = right.date_input("Publication date (optional)", value=None)

article = article_text()
if article is None:
    st.stop()
text, source_name = article
try:
    result = extract(text, country.upper() if country else None, published)
except (MapappError, PlacesError) as exc:
    show_error("The article could not be read.", exc)
    st.stop()

st.subheader("The article, with its place names")
st.markdown(legend_html(), unsafe_allow_html=True)
st.markdown(highlighted_html(text, result), unsafe_allow_html=True)

st.subheader("Places named in the article")
st.caption(
    "For each place name: the role the extractor gave it and the words that decided it, "
    "where it was placed and how exactly (a town, or a province or state drawn at its "
    "centre), and what to check: a spelling matched to a gazetteer name, or a close call "
    "between two places of the same name. Capitalised words that are no place (an "
    "agency, a group) are left out unless they were read as an arrest place."
)
places = places_table(result)
if places.empty:
    st.info("No place name of the gazetteer was found in this article.")
else:
    st.table(places, hide_index=True)

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


def add_to_records(accepted, target):
    """Merge the accepted operations into ``target``; the merge report.

    For the bundled records nothing is written (the merged records are offered as a
    download); any other file is changed under its lock, merged with what it holds
    at that moment, so two sessions adding at once both keep their operations.
    """
    resolver = Resolver()
    try:
        if is_bundled(target):
            return merge_operations(load_records(target), accepted, resolver)

        def merge(current):
            report = merge_operations(current, accepted, resolver)
            return report.records, report

        return update_records(target, merge)
    finally:
        resolver.close()


target = records_path()
if st.button("Add the ticked operations to the records", type="primary"):
    try:
        report = add_to_records(accepted_records(edited, result, source_name), target)
    except (MapappError, PlacesError) as exc:
        show_error("Nothing was added.", exc)
        st.stop()
    summary = f"{len(report.added)} added, {len(report.merged)} merged into existing records."
    if is_bundled(target):
        st.success(
            summary + " The bundled records are not changed: download the result, "
            "or start the app with `-- --records your.csv` to save into your file."
        )
        st.download_button("Download the records (CSV)", records_csv_text(report.records),
                           file_name="records.csv", mime="text/csv")  # fmt: skip
    else:
        st.success(f"{summary} Saved; the map shows them on its next load.")
