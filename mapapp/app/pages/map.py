"""Streamlit page: where counter-terrorism arrests were reported.

Shown by ``streamlit run mapapp/app.py``. The page reads the bundled records (or
a CSV the user uploads), places every town once, and lets the user filter by
time, group, agency and country. Reading and geocoding are cached on the file's
bytes, so a filter change only filters the cached frame and redraws.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from mapapp.app.ui import prepare_gazetteer, records_path, show_error
from mapapp.errors import MapappError
from mapapp.export.writers import geojson_text, html_text
from mapapp.map.build import build_map
from mapapp.points.filters import Selection
from mapapp.points.join import join_places, resolve_places
from mapapp.points.summary import arrests_by_year, coverage, headline_counts, operations_of
from mapapp.records import load_records, records_csv_text
from mapapp.records.acled import acled_csv_text, looks_like_acled, read_acled
from mapapp.records.figures import load_national_figures
from places import Resolver
from places.admin_names import AdminNames
from places.exc import PlacesError


# cache_resource, not cache_data: cache_data hands every rerun an unpickled copy, about
# a second for 100,000 operations. The frames are shared and never modified in place
# (filters build new frames), so one copy serves every session and every rerun.
@st.cache_resource(show_spinner="Reading the records…", max_entries=4)
def load_dataset(data: bytes, name: str):
    """Validate the records and place every town: the expensive part, done once per file.

    An ACLED file (told by its header) is read as records whose places keep ACLED's
    own points (:mod:`mapapp.records.acled`), through an overrides file of its own.
    """
    with tempfile.TemporaryDirectory(prefix="acled-") as folder:
        overrides = None
        if looks_like_acled(data):
            imported = read_acled(data, name=name)
            records = imported.records
            overrides = Path(folder) / "overrides.csv"
            overrides.write_text(imported.overrides_csv, encoding="utf-8")
        else:
            records = load_records(io.BytesIO(data), name=name)
        resolver = Resolver(overrides=overrides)
        try:
            answers = resolve_places(records, resolver)
            points, unresolved = join_places(records, answers, AdminNames.for_resolver(resolver))
        finally:
            resolver.close()
    return records, points, unresolved


@st.cache_data(max_entries=1)
def national_figures() -> pd.DataFrame:
    """The bundled national figures, read once per process."""
    return load_national_figures()


def records_bytes() -> tuple[bytes, str]:
    """The uploaded records file if there is one, else the file the app was started on."""
    upload = st.sidebar.file_uploader(
        "Your own records (CSV)",
        type=["csv"],
        help="Same columns as the bundled file, or an ACLED export (told by its header); "
        "see the README. Leave empty to use the records the app was started on.",
    )
    if upload is not None:
        return upload.getvalue(), upload.name
    path = records_path()
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        show_error("The records file cannot be read.", exc)
        st.stop()


def sidebar_selection(points: pd.DataFrame) -> Selection:
    """The filters, drawn from what the data holds."""
    bar = st.sidebar
    bar.header("Filters")
    dated = points[points["date_start"].notna()]
    since = until = None
    if not dated.empty:
        first, last = dated["date_start"].min().date(), dated["date_end"].max().date()
        if first < last:
            since, until = bar.slider(
                "Reported dates",
                min_value=first,
                max_value=last,
                value=(first, last),
                format="MMM YYYY",
                key="dates",
                help="An operation known only to the month or year "
                "is kept when that month or year overlaps the range.",
            )
    include_undated = bar.checkbox(
        "Include operations with no known date",
        value=True,
        key="undated",
        help="Many reports give no date, or only 'on Wednesday'. They have no place in time.",
    )

    def choice(label: str, values, placeholder: str, key: str):
        options = sorted(set(values), key=str.casefold)
        return bar.multiselect(label, options, placeholder=placeholder, key=key)

    affiliations = choice("Group", points["affiliation"], "All groups", "groups")
    agencies = choice(
        "Agency", (a for t in points["agencies"] for a in t), "All agencies", "agencies"
    )
    countries = choice(
        "Country of the place", points["country_code"].dropna(), "All countries", "countries"
    )
    regions = choice(
        "Region (state, province)",
        (r for r in points["admin1"] if r),
        "All regions",
        "regions",
    )
    return Selection.create(
        since=since,
        until=until,
        include_undated=include_undated,
        affiliations=affiliations,
        agencies=agencies,
        countries=countries,
        regions=regions,
    )


def operations_table(points: pd.DataFrame) -> pd.DataFrame:
    """One readable row per operation, with its sources, for the table and the CSV."""
    ops = operations_of(points)
    regions = points.groupby("op_id", sort=False)["admin1"].agg(
        lambda names: "; ".join(dict.fromkeys(n for n in names if n))
    )

    def first_link(sources):
        links = (s["url"] for s in sources if s["url"].startswith(("http://", "https://")))
        return next(links, None)

    return pd.DataFrame(
        {
            "date": ops["date"].where(ops["date"] != "", "unknown"),
            "precision": ops["date_precision"],
            "places": ops["places"].map("; ".join),
            "region": ops["op_id"].map(regions).fillna(""),
            "arrested": ops["arrested"],
            "group": ops["affiliation"],
            "as written": ops["affiliation_as_written"],
            "agencies": ops["agencies"].map("; ".join),
            "summary": ops["summary"],
            "sources": ops["sources"].map(lambda s: "; ".join(x["name"] for x in s if x["name"])),
            "link": ops["sources"].map(first_link),
        }
    ).reset_index(drop=True)


# --- PAGE ---------------------------------------------------------------------------------

st.title("Where counter-terrorism arrests were reported")
st.caption(
    "Each dot is a town where a news report places an arrest or a dismantled cell. "
    "Colour: the group named in the report. Size: the number arrested in the operation."
)

data, name = records_bytes()
try:
    prepare_gazetteer()
    records, points, unresolved = load_dataset(data, name)
except (MapappError, PlacesError) as exc:
    show_error("These records cannot be shown, so nothing was loaded.", exc)
    st.stop()

selection = sidebar_selection(points)
shown = selection.apply(points)
counts = headline_counts(shown)

left, middle, right = st.columns(3)
left.metric("Operations", counts.operations)
middle.metric(
    "People arrested (reported)",
    counts.arrested,
    help=f"{counts.operations_without_count} of these operations give no number.",
)
right.metric("Places", counts.places)

the_map = build_map(shown, offline=True)
st_folium(the_map, returned_objects=[], height=620, use_container_width=True, key="map")

if not unresolved.empty:
    # A table, not markdown: place names come from the records and are shown as text.
    st.warning(f"{len(unresolved)} place(s) could not be placed and are not on the map:")
    st.dataframe(
        unresolved.rename(columns={"op_id": "operation", "country": "hint"}), hide_index=True
    )

st.subheader("Operations")
st.dataframe(
    operations_table(shown),
    hide_index=True,
    column_config={"link": st.column_config.LinkColumn("source link", display_text="open")},
)

chart_col, figures_col = st.columns(2)
with chart_col:
    st.subheader("Reported arrests by year")
    by_year = arrests_by_year(shown)
    if by_year.empty:
        st.info("No dated operation in this selection.")
    else:
        st.bar_chart(by_year["arrested"], x_label="year", y_label="people arrested")
    undated = int(operations_of(shown)["date_start"].isna().sum())
    if undated:
        st.caption(f"{undated} undated operation(s) are not in the chart.")
with figures_col:
    st.subheader("National figures, as officials reported them")
    st.caption(
        "Totals from the articles: they are not operations and are not on the map. "
        "The last columns say how much of each total the map accounts for."
    )
    st.dataframe(coverage(shown, national_figures()), hide_index=True)

st.subheader("Download what is shown")
a, b, c, d = st.columns(4)
a.download_button(
    "Map (HTML, works offline)",
    lambda: html_text(build_map(shown, offline=True)),
    file_name="arrests-map.html",
    mime="text/html",
)
b.download_button(
    "Points (GeoJSON)",
    lambda: geojson_text(shown),
    file_name="arrests.geojson",
    mime="application/geo+json",
)
c.download_button(
    "Records (CSV)",
    lambda: records_csv_text(records[records["id"].isin(shown["op_id"])]),
    file_name="arrests.csv",
    mime="text/csv",
)
d.download_button(
    "ACLED rows (CSV)",
    lambda: acled_csv_text(shown),
    file_name="arrests-acled.csv",
    mime="text/csv",
    help="One ACLED-style row per dated operation and place (undated ones are left out).",
)
