/*
 * Country outlines and names under the map tiles: the base map of a map opened with no network.
 *
 * With no network the tiles never load, and markers on a blank background do not say where
 * they are. This draws Natural Earth's countries (npm world-atlas, read with topojson-client)
 * in a pane below the tile pane: online the opaque tiles cover it, offline it is what shows.
 * The sea is the map's background colour (operations_layer.css).
 *
 * Expects window.opsCountryTopology (the TopoJSON, set by a script of its own) and the
 * topojson global of topojson-client. Nothing here is interactive: clicks reach the markers.
 */
(function () {
  'use strict';

  // Both below the tile pane (200) and every layer pane (400 and up). Names have a pane of
  // their own: marker icons in the outlines' pane are stacked by their z-index, and those
  // with a negative one would be drawn under the outlines.
  const PANE = 'ops-land';
  const PANE_Z_INDEX = 150;
  const NAMES_PANE = 'ops-land-names';
  const NAMES_PANE_Z_INDEX = 160;
  const LAND_STYLE = {
    color: '#a3a9ae', weight: 0.7, opacity: 1, fillColor: '#f4f1ea', fillOpacity: 1,
  };
  // A name is shown once its country is this much wider on screen than the name itself,
  // so small neighbours (Belgium, Luxembourg) are named only when zoomed in enough.
  const LABEL_CHAR_PX = 6.5;
  const LABEL_MARGIN_PX = 12;

  /**
   * A ring as a flat map must draw it. Natural Earth rings that cross the antimeridian jump
   * from 180° to -180°, and drawn as they are each jump is a line across the whole world.
   * Unwrapped, a ring carries on past 180° instead; one that goes once around the world
   * (Antarctica) is then closed along the pole it encircles.
   */
  function flatRing(ring) {
    let shift = 0;
    let jumps = 0;
    const flat = ring.map((point, i) => {
      const step = i ? point[0] - ring[i - 1][0] : 0;
      if (Math.abs(step) > 180) {
        shift -= 360 * Math.sign(step);
        jumps += 1;
      }
      return [point[0] + shift, point[1]];
    });
    if (jumps % 2) {
      const pole = ring[0][1] < 0 ? -90 : 90;
      flat.push([flat[flat.length - 1][0], pole], [flat[0][0], pole]);
    }
    return flat;
  }

  /** The countries of the topology as GeoJSON features a flat map draws correctly. */
  function flatCountries(topology) {
    const countries = topojson.feature(topology, topology.objects.countries);
    countries.features.forEach(({ geometry }) => {
      geometry.coordinates = geometry.type === 'Polygon'
        ? geometry.coordinates.map(flatRing)
        : geometry.coordinates.map((polygon) => polygon.map(flatRing));
    });
    return countries;
  }

  /** The latitude-longitude area of a ring's bounding box, to find a country's main part. */
  function boxArea(ring) {
    const bounds = L.latLngBounds(ring);
    return (bounds.getEast() - bounds.getWest()) * (bounds.getNorth() - bounds.getSouth());
  }

  /**
   * The bounds of a country's largest part: where its name goes. The bounds of the whole
   * country would put France's name in the Atlantic, between Guiana and Europe.
   */
  function mainBounds(polygon) {
    const latlngs = polygon.getLatLngs();
    const outers = L.LineUtil.isFlat(latlngs[0]) ? [latlngs[0]] : latlngs.map((p) => p[0]);
    const largest = outers.reduce((a, b) => (boxArea(b) > boxArea(a) ? b : a));
    return L.latLngBounds(largest);
  }

  function nameIcon(name) {
    const text = document.createElement('span');
    text.textContent = name;
    return L.divIcon({ className: 'ops-country-name', html: text, iconSize: null });
  }

  /** Draw the countries on `map` below its tiles; returns the outline and name layers. */
  L.opsCountries = function (map) {
    const topology = window.opsCountryTopology;
    map.createPane(PANE).style.zIndex = String(PANE_Z_INDEX);
    map.createPane(NAMES_PANE).style.zIndex = String(NAMES_PANE_Z_INDEX);
    const outlines = L.geoJSON(flatCountries(topology), {
      pane: PANE,
      // SVG, not the map's canvas: the markers' canvas must stay the only one taking clicks.
      renderer: L.svg({ pane: PANE }),
      interactive: false,
      style: LAND_STYLE,
    }).addTo(map);

    const names = [];
    outlines.eachLayer((country) => {
      const name = country.feature.properties.name;
      if (!name) return;
      const bounds = mainBounds(country);
      const marker = L.marker(bounds.getCenter(), {
        pane: NAMES_PANE, icon: nameIcon(name), interactive: false, keyboard: false,
      });
      names.push({ marker, bounds, width: name.length * LABEL_CHAR_PX + LABEL_MARGIN_PX });
    });
    const nameLayer = L.layerGroup(names.map((n) => n.marker)).addTo(map);

    function showNamesThatFit() {
      const zoom = map.getZoom();
      names.forEach(({ marker, bounds, width }) => {
        const wide = map.project(bounds.getNorthEast(), zoom).x
          - map.project(bounds.getSouthWest(), zoom).x;
        marker.getElement().style.display = wide >= width ? '' : 'none';
      });
    }
    map.on('zoomend', showNamesThatFit);
    map.whenReady(showNamesThatFit);
    return { outlines, names: nameLayer };
  };
}());
