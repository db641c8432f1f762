"""Streamlit page: where counter-terrorism arrests were reported.

Shown by ``streamlit run mapapp/app.py``. The page reads the bundled records (or
a CSV the user uploads), places every town once, and lets the user filter by
time, group, agency and country. Reading and geocoding are cached on the file's
bytes, so a filter change only filters the cached frame and redraws.
"""

from __future__ import annotations

import io
import tempfile
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from mapapp.app.ui import prepare_gazetteer, records_path, show_error
from mapapp.errors import MapappError
from mapapp.export.writers import geojson_text, html_text
from mapapp.extract.agencies import AGENCIES
from mapapp.map.build import build_map
from mapapp.points.filters import Selection
from mapapp.points.join import join_places, resolve_places
from mapapp.points.notes import country_name
from mapapp.points.summary import (
    arrests_by_year,
    coverage,
    coverage_by_year,
    headline_counts,
    is_calendar_year,
    operations_of,
)
from mapapp.records import load_records, records_csv_text
from mapapp.records.acled import acled_csv_text, looks_like_acled, read_acled
from mapapp.records.affiliations import name_key, vocabulary_lookup
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


@lru_cache(maxsize=1)
def _agency_lookup() -> dict[str, str]:
    return vocabulary_lookup(agency.spellings for agency in AGENCIES)


def agency_name(written: str) -> str:
    """The agencies table's short name of a spelling, or the spelling when it is not known.

    "Central Bureau of Judicial Investigations" is BCIJ; "police" stays "police".
    """
    return _agency_lookup().get(name_key(written), written)


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

    def choice(label: str, values, placeholder: str, key: str, format_func=str, **kwargs):
        options = sorted(set(values), key=lambda value: format_func(value).casefold())
        return bar.multiselect(
            label, options, placeholder=placeholder, key=key, format_func=format_func, **kwargs
        )

    affiliations = choice("Group", points["affiliation"], "All groups", "groups")
    # One choice per agency, however the reports spell it; the filter takes every spelling.
    spellings: dict[str, set[str]] = {}
    for written in {a for t in points["agencies"] for a in t}:
        spellings.setdefault(agency_name(written), set()).add(written)
    agencies = choice(
        "Agency",
        spellings,
        "All agencies",
        "agencies",
        help="Spellings of one agency are one choice: 'Central Bureau of Judicial "
        "Investigation' is BCIJ.",
    )
    agencies = [w for name in agencies for w in spellings.get(name, ())]
    countries = choice(
        "Country of the place",
        points["country_code"].dropna(),
        "All countries",
        "countries",
        format_func=lambda code: f"{country_name(code)} ({code})",
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


def year_chart(by_year: pd.DataFrame) -> alt.LayerChart:
    """Bars of people arrested per year, every year on the axis, operations above each bar."""
    frame = by_year.reset_index()
    frame["year"] = frame["year"].astype(str)
    base = alt.Chart(frame).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("arrested:Q", title="people arrested (reported)"),
        tooltip=[
            alt.Tooltip("year:O"),
            alt.Tooltip("operations:Q"),
            alt.Tooltip("arrested:Q", title="people arrested"),
            alt.Tooltip("without_count:Q", title="operations giving no number"),
        ],
    )
    bars = base.mark_bar()
    labels = base.mark_text(dy=-7, fontSize=11, color="#555").encode(
        text=alt.condition(alt.datum.operations > 0, "operations:Q", alt.value(""))
    )
    return (bars + labels).properties(height=260)


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

st.subheader("Reported arrests by year")
by_year = arrests_by_year(shown)
if by_year.empty:
    st.info("No dated operation in this selection.")
else:
    st.altair_chart(year_chart(by_year), width="stretch")
    st.caption(
        "Bars: people arrested, as the reports give them. The number above a bar: "
        "operations that year (those that give no number of people count there, not in the bar)."
    )
undated = operations_of(shown)
undated = undated[undated["date_start"].isna()]
if len(undated):
    st.caption(
        f"Not in the chart: {len(undated)} operation(s) with no known date, "
        f"{int(undated['arrested'].sum(skipna=True))} people arrested."
    )

st.subheader("The map against the national figures")
figures = national_figures()
st.caption(
    "Each year, the totals officials gave for that year (as reported; a range when reports "
    "differ) beside the operations on the map dated that year: the map holds only "
    "operations a report placed, so it accounts for part of each total."
)
by_year_figures = coverage_by_year(shown, figures)
if by_year_figures.empty:
    st.info("Officials gave no figure for a single year.")
else:
    official = st.column_config.TextColumn
    st.dataframe(
        by_year_figures,
        hide_index=True,
        column_order=[
            c for c in by_year_figures if c != "country" or by_year_figures[c].nunique() > 1
        ],
        column_config={
            "year": st.column_config.NumberColumn(format="%d"),
            "cells (officials)": official(alignment="right", help="Cells dismantled, as reported"),
            "arrested (officials)": official(alignment="right", help="People arrested, reported"),
            "map / officials": official(
                alignment="right", help="People arrested on the map, as a share of the officials'"
            ),
        },
    )
with st.expander("Other figures officials gave (several years, part of a year, “since 2002”)"):
    st.caption(
        "Totals from the articles, not operations. A period with no end given "
        "cannot be compared with the map."
    )
    others = coverage(shown, figures[~is_calendar_year(figures)])
    if len(others):
        # Comparable periods first (in the table's order); blanks, not "None", where a
        # number is not given; the yearly table's short headings.
        others = others.iloc[others["operations on the map"].isna().argsort(kind="stable")]
        labels = {
            "cells dismantled (reported)": "cells (officials)",
            "arrested (reported)": "arrested (officials)",
            "operations on the map": "operations (map)",
            "arrested on the map": "arrested (map)",
            "share on the map": "map / officials",
        }
        counts = list(labels)[:4]
        others[counts] = others[counts].map(lambda n: "" if pd.isna(n) else f"{int(n):,}")
        st.dataframe(
            others,
            hide_index=True,
            column_order=[c for c in others if c != "country" or others[c].nunique() > 1],
            column_config={
                column: st.column_config.TextColumn(label, alignment="right")
                for column, label in labels.items()
            },
        )

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
