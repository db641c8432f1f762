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
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

from mapapp.assets import layer_css, layer_js, library_css, library_js

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
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so no text can close
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
    if _missing(value):
        return []
    if isinstance(value, (str, dict)):
        return [value]
    return list(value)


def web_url(url: Any) -> str | None:
    """``url`` if it is an http(s) address, else None, so that it never becomes a script link."""
    url = _text(url)
    return url if _WEB_URL.match(url) else None


def point_label(place: Any, place_name: Any) -> str:
    """The place as written, with the resolved name in brackets when it differs."""
    place, place_name = _text(place), _text(place_name)
    if not place:
        return place_name
    if place_name and place_name.casefold() != place.casefold():
        return f"{place} ({place_name})"
    return place


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
        return self.index.setdefault(_text(value), len(self.index))

    def many(self, values: Iterable[Any]) -> list[int]:
        return [self(v) for v in values if _text(v)]

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
    """The layer's data: every operation once, every point as four numbers.

    ``points`` is the joined GeoDataFrame (one row per operation and place) with
    coordinates already present. Fields that describe the operation are taken
    from its first row.
    """
    if points.empty:
        return {"title": title or None, "groups": [], "s": [], "ops": [], "pts": [], "span": None}
    strings = _Strings()
    rows = points.reset_index(drop=True)
    affiliation = rows["affiliation"].map(_text).replace("", UNKNOWN)
    first = ~rows["op_id"].duplicated()
    groups = group_colours(affiliation[first])
    group_index = {name: i for i, (name, _) in enumerate(groups)}

    # Plain lists: iterating pandas (often Arrow-backed) columns value by value is
    # many times slower, and this loop runs once per operation.
    ops_rows = rows[first]
    columns = {name: ops_rows[name].tolist() for name in _OPERATION_COLUMNS}
    columns["group"] = affiliation[first].tolist()
    columns["start"] = _days(ops_rows["date_start"]).tolist()
    columns["end"] = _days(ops_rows["date_end"]).tolist()
    ops, op_index = [], {}
    for op in (
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ):
        precision = _text(op["date_precision"])
        precision = precision if precision in PRECISIONS else UNKNOWN
        start, end = op["start"], op["end"]
        dated = precision != UNKNOWN and not math.isnan(start)
        as_written = _text(op["affiliation_as_written"])
        op_index[op["op_id"]] = len(ops)
        ops.append(
            [
                PRECISIONS.index(precision),
                int(start) if dated else None,
                (int(start) if math.isnan(end) else int(end)) if dated else None,
                None if _missing(op["arrested"]) else int(op["arrested"]),
                group_index[op["group"]],
                strings(as_written) if as_written and as_written != op["group"] else None,
                strings.many(_items(op["agencies"])),
                strings.many(_items(op["places"])),
                _text(op["summary"]),
                [_source(source, strings) for source in _items(op["sources"])],
                "" if dated else _text(op["date"]),
            ]
        )

    pts: list[float | int] = []
    for op_id, place, place_name, lat, lon in zip(
        rows["op_id"].tolist(),
        rows["place"].tolist(),
        rows["place_name"].tolist(),
        rows.geometry.y.round(COORD_DECIMALS).tolist(),
        rows.geometry.x.round(COORD_DECIMALS).tolist(),
        strict=True,
    ):
        pts += [lat, lon, op_index[op_id], strings(point_label(place, place_name))]

    dated_ops = [op for op in ops if op[1] is not None]
    span = (
        [_month(min(op[1] for op in dated_ops)), _month(max(op[2] for op in dated_ops))]
        if dated_ops
        else None
    )
    return {
        "title": title or None,
        "groups": groups,
        "s": strings.table(),
        "ops": ops,
        "pts": pts,
        "span": span,
    }


def _source(source: Any, strings: _Strings) -> list:
    """``[name index, title, http(s) URL or None, published]`` of one source."""
    if not isinstance(source, dict):
        return [strings(source), "", None, ""]
    published = source.get("published")
    if isinstance(published, pd.Timestamp):
        published = published.date().isoformat()
    return [
        strings(source.get("name")),
        _text(source.get("title")),
        web_url(source.get("url")),
        _text(published),
    ]


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
        self.data = build_payload(points, title)
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

    def payload_json(self) -> str:
        """The payload, escaped for a ``<script>`` element."""
        return script_json(self.data)

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
