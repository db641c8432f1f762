"""The scripts and stylesheets a map needs, as ``data:`` URIs.

A shared map must work with no network, and streamlit-folium loads every
element's ``default_js``/``default_css`` entry through ``<script src=...>`` and
``<link href=...>`` in its own frame. A ``data:`` URI satisfies both with one
mechanism: the self-contained export and the app read the same strings, and
neither needs a CDN or a local web server.

Leaflet and Leaflet.markercluster come from the installed XStatic packages, so
their files are versioned by the package's dependencies and never copied into the
repository. The country outlines drawn when tiles cannot load (Natural Earth as
TopoJSON, npm's ``world-atlas``) and the script that reads them
(``topojson-client``) have no Python package, so they ship inside this one, in
``static/basemap`` with a ``manifest.json`` of their versions, licences and
sha256 sums (refreshed by ``scripts/refresh_basemap.py``): users need neither
Node.js nor npm. Encoding takes a few milliseconds, so each URI is built once per
process.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster

from mapapp import bundled
from mapapp.errors import MapappError

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
MARKERCLUSTER_DIR = Path(xstatic.pkg.leaflet_markercluster.BASE_DIR)
STATIC_DIR = bundled.STATIC
BASEMAP_DIR = STATIC_DIR / "basemap"
TOPOJSON_CLIENT_JS = "topojson-client.min.js"
# 1:50m rather than 1:110m: at the zoom levels a map of towns opens at, 110m
# coastlines are visibly angular; 50m adds about 0.9 MB to a self-contained file.
COUNTRIES_TOPOJSON = "countries-50m.json"
# The global that countries.js reads the topology from.
COUNTRIES_GLOBAL = "opsCountryTopology"

# The same versions from a CDN, for maps that may rely on the network. They match
# the XStatic packages so that both modes run the same library code.
_CDN = "https://cdn.jsdelivr.net/npm"
CDN_JS = {
    "leaflet": f"{_CDN}/leaflet@{xstatic.pkg.leaflet.VERSION}/dist/leaflet.js",
    "markercluster": (
        f"{_CDN}/leaflet.markercluster@{xstatic.pkg.leaflet_markercluster.VERSION}"
        "/dist/leaflet.markercluster.js"
    ),
}
CDN_CSS = {
    "leaflet_css": f"{_CDN}/leaflet@{xstatic.pkg.leaflet.VERSION}/dist/leaflet.css",
    "markercluster_css": (
        f"{_CDN}/leaflet.markercluster@{xstatic.pkg.leaflet_markercluster.VERSION}"
        "/dist/MarkerCluster.css"
    ),
}

# A source-map comment would make developer tools look for a file that is not there.
_SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=\S+\s*$")
# leaflet.css points at images/*.png next to it; a data: stylesheet has no "next to it".
_CSS_IMAGE = re.compile(rb"url\((images/[\w.-]+\.png)\)")


class BasemapError(MapappError):
    """A base-map file shipped with the package is missing or not the one its manifest names.

    Raised rather than drawing a map without outlines: an export that silently lost
    its base map would only be noticed once shared.
    """


def basemap_file(name: str) -> bytes:
    """A file of ``static/basemap``, checked against the sha256 in its manifest."""
    manifest = json.loads((BASEMAP_DIR / "manifest.json").read_text(encoding="utf-8"))
    expected = {
        file: entry["sha256"]
        for package in manifest["packages"].values()
        for file, entry in package["files"].items()
    }
    path = BASEMAP_DIR / name
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise BasemapError(f"{path}: cannot read the base map ({exc.strerror}); "
                           "reinstall the package") from None  # fmt: skip
    if hashlib.sha256(content).hexdigest() != expected.get(name):
        raise BasemapError(f"{path}: not the file manifest.json names (sha256 differs); "
                           "reinstall the package or run scripts/refresh_basemap.py")  # fmt: skip
    return content


def data_uri(content: bytes, mime: str) -> str:
    """Encode ``content`` as a base64 ``data:`` URI.

    Base64 rather than percent-encoding because it is the same size for every
    input and cannot be broken by quotes or ``</script>`` in the content.
    """
    return f"data:{mime};charset=utf-8;base64,{base64.b64encode(content).decode('ascii')}"


def _script(path: Path) -> str:
    return _script_text(path.read_bytes())


def _script_text(source: bytes) -> str:
    return data_uri(_SOURCE_MAP.sub(b"\n", source), "text/javascript")


def _leaflet_css() -> bytes:
    """leaflet.css with its few images inlined, so no rule points at a missing file."""

    def inline(match: re.Match[bytes]) -> bytes:
        image = (LEAFLET_DIR / match.group(1).decode()).read_bytes()
        return f"url({data_uri(image, 'image/png')})".encode("ascii")

    return _CSS_IMAGE.sub(inline, (LEAFLET_DIR / "leaflet.css").read_bytes())


def library_js(offline: bool) -> dict[str, str]:
    """Leaflet and Leaflet.markercluster scripts by name, in load order.

    ``offline`` gives ``data:`` URIs, otherwise CDN addresses of the same versions.
    """
    return dict(_offline_js()) if offline else dict(CDN_JS)


def library_css(offline: bool) -> dict[str, str]:
    """The stylesheets of Leaflet and Leaflet.markercluster by name."""
    return dict(_offline_css()) if offline else dict(CDN_CSS)


@cache
def _offline_js() -> tuple[tuple[str, str], ...]:
    return (
        ("leaflet", _script(LEAFLET_DIR / "leaflet.js")),
        ("markercluster", _script(MARKERCLUSTER_DIR / "leaflet.markercluster.js")),
    )


@cache
def _offline_css() -> tuple[tuple[str, str], ...]:
    return (
        ("leaflet_css", data_uri(_leaflet_css(), "text/css")),
        (
            "markercluster_css",
            data_uri((MARKERCLUSTER_DIR / "MarkerCluster.css").read_bytes(), "text/css"),
        ),
    )


@cache
def layer_js() -> str:
    """Our operations layer script as a ``data:`` URI.

    It is a ``data:`` URI in both modes: streamlit-folium drops inline header
    scripts, and the layer has no CDN to come from.
    """
    return _script(STATIC_DIR / "operations_layer.js")


@cache
def layer_css() -> str:
    """Our operations layer stylesheet as a ``data:`` URI."""
    return data_uri((STATIC_DIR / "operations_layer.css").read_bytes(), "text/css")


@cache
def countries_js() -> tuple[tuple[str, str], ...]:
    """The scripts that draw country outlines under the tiles, by name, in load order.

    topojson-client, the Natural Earth topology as a script that sets
    ``window.opsCountryTopology``, and ``countries.js`` that draws it. The
    topology is a script rather than JSON to fetch because a page opened from
    a file cannot fetch, and streamlit-folium only passes scripts on by URL.

    Raises
    ------
    BasemapError
        When a base-map file is missing or altered.
    """
    topology = basemap_file(COUNTRIES_TOPOJSON)
    return (
        ("topojson_client", _script_text(basemap_file(TOPOJSON_CLIENT_JS))),
        (
            "country_topology",
            data_uri(b"window.%s=%s;" % (COUNTRIES_GLOBAL.encode(), topology), "text/javascript"),
        ),
        ("countries", _script(STATIC_DIR / "countries.js")),
    )


@cache
def countries_css() -> str:
    """The stylesheet of the country names, as a ``data:`` URI."""
    return data_uri((STATIC_DIR / "countries.css").read_bytes(), "text/css")
