"""The operations layer: one compact JSON payload, drawn and filtered in the browser.

A map of 100,000 operations cannot be one ``folium.Marker`` per event: the HTML
would be hundreds of megabytes of repeated JavaScript. Instead the operations
are stored once in a table, the points refer to them by index, repeated strings
are stored once, and ``static/operations_layer.js`` builds canvas markers,
clusters, popups, legend and time filter from that payload. Filtering in the
browser is what keeps a shared HTML file filterable.

The payload layout is documented at the top of ``operations_layer.js``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

from mapapp.map.assets import layer_css, layer_js, library_css, library_js
from mapapp.records import cyclic_gc_paused

PRECISIONS = ("day", "month", "year", "unknown")
UNKNOWN = "unknown"
UNKNOWN_COLOUR = "#9e9e9e"
# Distinct colours for the most frequent groups, most frequent first; the rest
# share OTHER_COLOUR (they keep their own legend row and checkbox).
PALETTE = (
    "#d62728",
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#ad494a",
    "#637939",
)
OTHER_COLOUR = "#4d4d4d"
COORD_DECIMALS = 5  # about 1 m: finer than any place precision we report
_EPOCH = pd.Timestamp("1970-01-01")
_WEB_URL = re.compile(r"https?://[^\s/?#]", re.IGNORECASE)
_OPERATION_COLUMNS = (
    "op_id",
    "date",
    "date_precision",
    "arrested",
    "affiliation_as_written",
    "agencies",
    "places",
    "summary",
    "sources",
)


def script_json(value: Any) -> str:
    r"""JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u003c``-style escapes, so no text can close
    the script (``</script>``) or open a comment; U+2028/2029 are escaped for old
    JavaScript parsers. Non-ASCII text stays UTF-8, which is what keeps Arabic
    and French text compact.
    """
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and pd.isna(value))


def _text(value: Any) -> str:
    if type(value) is str:  # the common case, checked first for speed
        return value.strip()
    return "" if _missing(value) else str(value).strip()


def _items(value: Any) -> list:
    """A record's tuple field as a list, whatever container it arrived in."""
    if type(value) is tuple:  # what load_records gives, checked first for speed
        return list(value)
    if _missing(value):
        return []
    if isinstance(value, (str, dict)):
        return [value]
    return list(value)


def web_url(url: Any) -> str | None:
    """``url`` if it is an http(s) address, else None, so that it never becomes a script link."""
    url = _text(url)
    return url if _WEB_URL.match(url) else None


def point_label(place: Any, place_name: Any, region: Any = "", note: Any = "") -> str:
    """The place as written, with the resolved name in brackets when it differs.

    ``region`` (the point's admin1 name) follows after a comma when known, and
    ``note`` (what to check about the match: "spelling matched as Rawalpindi",
    "close call: also Córdoba, Argentina") after a dash; a spelling note names
    the resolved name, so it stands for the brackets.
    """
    place, place_name, region = _text(place), _text(place_name), _text(region)
    note = _text(note)
    if not place:
        label = place_name
    elif (
        place_name
        and place_name.casefold() != place.casefold()
        and f"matched as {place_name}".casefold() not in note.casefold()
    ):
        label = f"{place} ({place_name})"
    else:
        label = place
    if region and region.casefold() != label.casefold():
        label = f"{label}, {region}"
    return f"{label} — {note}" if note else label


def _days(column: pd.Series) -> pd.Series:
    """Days since 1970-01-01, as floats with NaN for missing dates."""
    dates = pd.to_datetime(column, errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return (dates.dt.normalize() - _EPOCH) / pd.Timedelta(days=1)


def _month(day: float) -> int:
    date = _EPOCH + pd.Timedelta(days=day)
    return date.year * 12 + date.month - 1


class _Strings:
    """A table of repeated strings, each stored once and referred to by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, value: Any) -> int:
        text = value.strip() if type(value) is str else _text(value)
        index = self.index.get(text)
        if index is None:
            index = self.index[text] = len(self.index)
        return index

    def many(self, values: Iterable[Any]) -> list[int]:
        return [self(text) for text in map(_text, values) if text]

    def table(self) -> list[str]:
        return list(self.index)


def group_colours(affiliations: pd.Series) -> list[list[str]]:
    """``[[group, colour], ...]``, most operations first and "unknown" last in grey.

    Colours follow frequency so the most reported groups get the most distinct
    colours, and the order is stable for the same data.
    """
    counts = affiliations.value_counts(sort=False)
    ranked = sorted(counts.index, key=lambda g: (g == UNKNOWN, -counts[g], g))
    colours = []
    for rank, group in enumerate(ranked):
        if group == UNKNOWN:
            colour = UNKNOWN_COLOUR
        else:
            colour = PALETTE[rank] if rank < len(PALETTE) else OTHER_COLOUR
        colours.append([group, colour])
    return colours


def build_payload(points: pd.DataFrame, title: str | None = None) -> dict[str, Any]:
    """The layer's data: every operation once, every point as four numbers (see ``_payload``)."""
    with cyclic_gc_paused():
        return _payload(points, title)


def _payload(points: pd.DataFrame, title: str | None) -> dict[str, Any]:
    """The layer's data: every operation once, every point as four numbers.

    ``points`` is the joined GeoDataFrame (one row per operation and place) with
    coordinates already present. Fields that describe the operation are taken
    from its first row.

    Columns are converted whole (pandas' vectorised string and date functions)
    and per-operation Python work is limited to what differs per operation, so
    100,000 operations take well under a second.
    """
    if points.empty:
        return {"title": title or None, "fields": FIELDS, "groups": [], "s": [], "ops": [],
                "pts": [], "span": None}  # fmt: skip
    strings = _Strings()
    rows = points.reset_index(drop=True)
    first = ~rows["op_id"].duplicated()
    ops_rows = rows.loc[first, list(_OPERATION_COLUMNS) + ["affiliation"]]
    group = _texts(ops_rows["affiliation"]).replace("", UNKNOWN)
    groups = group_colours(group)
    group_index = {name: i for i, (name, _) in enumerate(groups)}

    # Plain dict look-ups: Series.map on Arrow-backed strings is several times slower.
    precision_index = {name: i for i, name in enumerate(PRECISIONS)}
    precision = [
        precision_index.get(name, PRECISIONS.index(UNKNOWN))
        for name in _texts(ops_rows["date_precision"]).tolist()
    ]
    start = _days(rows.loc[first, "date_start"]).to_numpy()
    end = _days(rows.loc[first, "date_end"]).to_numpy()
    dated = (np.array(precision) != PRECISIONS.index(UNKNOWN)) & ~np.isnan(start)
    end = np.where(np.isnan(end), start, end)
    as_written = _texts(ops_rows["affiliation_as_written"])
    own_word = ((as_written != "") & (as_written != group)).tolist()
    arrested = pd.array(ops_rows["arrested"], dtype="Int64")
    columns = {
        "precision": precision,
        "start": _nullable(start, dated),
        "end": _nullable(end, dated),
        "arrested": arrested.to_numpy(dtype=object, na_value=None).tolist(),
        "group": list(map(group_index.__getitem__, group.tolist())),
        "asWritten": [
            strings(text) if own else None
            for text, own in zip(as_written.tolist(), own_word, strict=True)
        ],
        "agencies": _string_lists(ops_rows["agencies"], strings),
        "places": _string_lists(ops_rows["places"], strings),
        "summary": _texts(ops_rows["summary"]).tolist(),
        "sources": [
            [_source(source, strings) for source in _items(v)]
            for v in ops_rows["sources"].tolist()
        ],
        "rawDate": _texts(ops_rows["date"]).where(~dated, "").tolist(),
    }
    ops = [list(op) for op in zip(*(columns[name] for name in FIELDS["op"]), strict=True)]

    # Operations are numbered in order of first appearance, as ops_rows lists them.
    op_index = pd.factorize(rows["op_id"], use_na_sentinel=False)[0]
    regions = rows["admin1"].tolist() if "admin1" in rows else [""] * len(rows)
    notes = rows["place_note"].tolist() if "place_note" in rows else [""] * len(rows)
    pairs = list(
        zip(rows["place"].tolist(), rows["place_name"].tolist(), regions, notes, strict=True)
    )
    labels = {pair: strings(point_label(*pair)) for pair in dict.fromkeys(pairs)}
    point_columns = {
        "lat": rows.geometry.y.round(COORD_DECIMALS).tolist(),
        "lon": rows.geometry.x.round(COORD_DECIMALS).tolist(),
        "op": op_index.tolist(),
        "label": list(map(labels.__getitem__, pairs)),
    }
    stride = len(FIELDS["point"])
    pts: list[float | int] = [0] * (stride * len(rows))
    for position, name in enumerate(FIELDS["point"]):
        pts[position::stride] = point_columns[name]

    span = [_month(start[dated].min()), _month(end[dated].max())] if dated.any() else None
    return {
        "title": title or None,
        "fields": FIELDS,
        "groups": groups,
        "s": strings.table(),
        "ops": ops,
        "pts": pts,
        "span": span,
    }


#: The position of each value in the payload's lists, written once: the payload carries it
#: as ``fields`` and the layer's script looks values up by these names.
FIELDS = {
    "op": ["precision", "start", "end", "arrested", "group", "asWritten", "agencies",
           "places", "summary", "sources", "rawDate"],
    "source": ["name", "title", "url", "published"],
    "point": ["lat", "lon", "op", "label"],
}  # fmt: skip


def _texts(column: pd.Series) -> pd.Series:
    """:func:`_text` of a whole column: missing values become "", the rest stripped str."""
    return column.astype("str").fillna("").str.strip()


def _nullable(days: np.ndarray, known: np.ndarray) -> list[int | None]:
    """Whole days as ints, None where not ``known``."""
    values = np.where(known, days, 0).astype(np.int64).astype(object)
    values[~known] = None
    return values.tolist()


def _string_lists(column: pd.Series, strings: _Strings) -> list[list[int]]:
    """The string indices of each value's items; the same tuple is converted once."""
    seen: dict[Any, list[int]] = {}
    out = []
    for value in column.tolist():
        try:
            ids = seen.get(value)
        except TypeError:  # an unhashable container: convert it every time
            ids = None
        if ids is None:
            ids = strings.many(_items(value))
            if isinstance(value, tuple):
                seen[value] = ids
        out.append(ids)
    return out


def _source(source: Any, strings: _Strings) -> list:
    """One source, in the order of ``FIELDS["source"]``.

    Name (a string index), title, http(s) URL or None, publication date.
    """
    if not isinstance(source, dict):
        source = {"name": source}
    published = source.get("published")
    if isinstance(published, pd.Timestamp):
        published = published.date().isoformat()
    values = {
        "name": strings(source.get("name")),
        "title": _text(source.get("title")),
        "url": web_url(source.get("url")),
        "published": _text(published),
    }
    return [values[name] for name in FIELDS["source"]]


class OperationsLayer(JSCSSMixin, MacroElement):
    """Every operation of ``points`` as filterable markers, with legend and time control.

    Follows folium's plugin pattern (like ``FastMarkerCluster``): the scripts it
    needs are ``default_js``/``default_css`` links, which streamlit-folium also
    loads, and its ``script`` macro hands the payload to ``L.operationsLayer``.

    Parameters
    ----------
    points
        One row per (operation, place) with a Point geometry; see ``build_payload``.
    title
        Shown at the top left of the map, if given.
    offline
        Deliver Leaflet.markercluster as ``data:`` URIs instead of CDN links.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.operationsLayer(
                {{ this._parent.get_name() }},
                {{ this.payload_json() }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, points: pd.DataFrame, *, title: str | None = None, offline: bool = True):
        super().__init__()
        self._name = "OperationsLayer"
        # Only the text is kept: a map's elements refer to their parents, so anything
        # the map holds is freed by the cycle collector, which would walk the
        # payload's hundreds of thousands of lists again (most of a second at 100k).
        with cyclic_gc_paused():
            self._payload_json = script_json(build_payload(points, title))
        js, css = library_js(offline), library_css(offline)
        self.default_js = [
            ("markercluster", js["markercluster"]),
            ("operations_layer", layer_js()),
        ]
        # Not MarkerCluster.Default.css: it styles the default cluster icons, which
        # operations_layer.js replaces with its own.
        self.default_css = [
            ("markercluster_css", css["markercluster_css"]),
            ("operations_layer_css", layer_css()),
        ]

    @property
    def data(self) -> dict[str, Any]:
        """The payload (:func:`build_payload`), decoded from the text the page gets."""
        return json.loads(self._payload_json)

    def payload_json(self) -> str:
        """The payload, escaped for a ``<script>`` element."""
        return self._payload_json

    def render(self, **kwargs) -> None:
        """Put the links in the page header and the script, as is, in the page script.

        ``MacroElement.render`` would wrap the rendered script in a new branca
        ``Element``, which compiles it as a Jinja template: record text with
        ``{{ ... }}`` would then run as template code, and compiling a large
        payload takes seconds. Here the script is rendered once and kept as text.
        """
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(_Text(script), name=self.get_name())


class _Text(Element):
    """Text placed in the page exactly as given, never parsed as a template."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text
