/*
 * Operations layer: counter-terrorism operations on a Leaflet map, filterable in the page.
 *
 * Python (mapapp/map/layer.py) renders one compact payload; this file turns it into canvas
 * circle markers in a marker cluster group, plus a legend, a time control and a title.
 * Filtering happens here, so a shared HTML file stays filterable with no server.
 *
 * Payload (the position of each value in its list is given by name in `fields`, written
 * once in layer.py's FIELDS; this script looks values up by name, never by position):
 *   title  string or null
 *   fields {op: [name, ...], source: [...], point: [...]}
 *   groups [[name, colour], ...]            an operation's group is an index into this
 *   s      [string, ...]                    strings used more than once (places, agencies, ...)
 *   ops    one list per operation (fields.op): precision, start, end, arrested, group,
 *          asWritten, agencies, places, summary, sources, rawDate
 *          precision: 0 day, 1 month, 2 year, 3 unknown; days count from 1970-01-01 (null when
 *          undated); arrested null when not reported; asWritten (a string index) null when the
 *          same as the group; agencies and places are string indices; sources are lists
 *          (fields.source: name index, title, url or null, published); rawDate is the date
 *          as written when it could not be read, else "".
 *   pts    one run of fields.point per marker (lat, lon, op index, label index), flat
 *   span   [firstMonth, lastMonth] as year * 12 + month0, or null when nothing is dated
 *
 * All text reaches the page through textContent: the records come from news articles and
 * may contain markup.
 */
(function () {
  'use strict';

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun',
    'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const DAY_MS = 86400000;
  const PLAY_STEP_MS = 600;
  const PLAY_MAX_STEPS = 60;

  /** A new element with an optional class and text (never parsed as HTML). */
  // Positions of the payload's values by name (see `fields` above), set by readFields.
  let O = {};
  let S = {};
  let P = {};

  function positions(names) {
    const index = {};
    names.forEach((name, i) => { index[name] = i; });
    return index;
  }

  function readFields(fields) {
    O = positions(fields.op);
    S = positions(fields.source);
    P = Object.assign(positions(fields.point), { stride: fields.point.length });
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function monthLabel(month) {
    return MONTHS[month % 12] + ' ' + Math.floor(month / 12);
  }

  function firstDayOfMonth(month) {
    return Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;
  }

  function dateLabel(op) {
    const start = op[O.start];
    if (start === null) return op[O.rawDate] ? op[O.rawDate] + ' (as written)' : 'date unknown';
    const date = new Date(start * DAY_MS);
    const month = MONTHS[date.getUTCMonth()];
    const year = date.getUTCFullYear();
    if (op[O.precision] === 0) return `${date.getUTCDate()} ${month} ${year} (day)`;
    if (op[O.precision] === 1) return `${month} ${year} (month only)`;
    return `${year} (year only)`;
  }

  /** The URL when it is http(s), else null: a source must never become a script link. */
  function webUrl(url) {
    if (typeof url !== 'string') return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch (err) {
      return null;
    }
  }

  function formatCount(n) {
    return n.toLocaleString('en-GB');
  }

  function markerStyle(colour, arrested) {
    if (arrested === null) {
      // Number not reported: a small hollow dashed ring, so it reads as "unknown", not "few".
      return { radius: 6, color: colour, weight: 2, dashArray: '3 3',
        fillColor: colour, fillOpacity: 0.12 };
    }
    return { radius: Math.min(26, 4 + 2.2 * Math.sqrt(arrested)), color: '#ffffff', weight: 1,
      fillColor: colour, fillOpacity: 0.85 };
  }

  function sourceItem(data, source) {
    const item = el('li');
    const name = data.s[source[S.name]] || '';
    const title = source[S.title] || '';
    const href = webUrl(source[S.url]);
    const label = name || title || 'source';
    if (href) {
      const link = el('a', null, label);
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      item.appendChild(link);
    } else {
      item.appendChild(el('span', null, label));
    }
    if (title && title !== label) item.appendChild(el('span', 'ops-source-title', ': ' + title));
    if (source[S.published]) item.appendChild(el('span', 'ops-source-date', ' (' + source[S.published] + ')'));
    return item;
  }

  /** The popup of one marker, built when it is opened. */
  function popupContent(data, point) {
    const op = data.ops[data.pts[P.stride * point + P.op]];
    const places = op[O.places].map((i) => data.s[i]);
    const root = el('div', 'ops-popup');
    root.appendChild(el('div', 'ops-popup-date', dateLabel(op)));
    const table = el('table');
    const row = (key, value) => {
      const tr = el('tr');
      tr.appendChild(el('th', null, key));
      tr.appendChild(el('td', null, value));
      table.appendChild(tr);
    };
    row('Place', data.s[data.pts[P.stride * point + P.label]]);
    if (places.length > 1) row('All places', places.join('; '));
    let arrested = op[O.arrested] === null ? 'not reported' : formatCount(op[O.arrested]);
    if (op[O.arrested] !== null && places.length > 1) arrested += ' (whole operation, all places)';
    row('Arrested', arrested);
    const group = data.groups[op[O.group]][0];
    row('Group', op[O.asWritten] === null ? group : `${group} (as written: ${data.s[op[O.asWritten]]})`);
    if (op[O.agencies].length) row('Agencies', op[O.agencies].map((i) => data.s[i]).join('; '));
    root.appendChild(table);
    if (op[O.summary]) root.appendChild(el('p', 'ops-popup-summary', op[O.summary]));
    if (op[O.sources].length) {
      root.appendChild(el('div', 'ops-popup-sources-title', 'Reported by'));
      const list = el('ul', 'ops-popup-sources');
      op[O.sources].forEach((source) => list.appendChild(sourceItem(data, source)));
      root.appendChild(list);
    }
    return root;
  }

  /**
   * Pan so that the open popup is inside the map and clear of every control.
   * Leaflet's own autoPan only knows the map's edges, and controls are drawn above popups.
   */
  function panPopupClear(map, popup, margin) {
    const frame = map.getContainer().getBoundingClientRect();
    const box = popup.getElement().getBoundingClientRect();
    let dx = 0;
    if (box.left < frame.left + margin) dx = frame.left + margin - box.left;
    else if (box.right > frame.right - margin) dx = frame.right - margin - box.right;
    let down = frame.top + margin - box.top;
    let up = box.bottom - (frame.bottom - margin);
    map.getContainer().querySelectorAll('.leaflet-control').forEach((control) => {
      const c = control.getBoundingClientRect();
      if (c.left >= box.right + dx || c.right <= box.left + dx) return;
      if (control.closest('.leaflet-top')) down = Math.max(down, c.bottom + margin - box.top);
      else up = Math.max(up, box.bottom - (c.top - margin));
    });
    // Showing the top of the popup (date, place) wins when it cannot fit between controls.
    const dy = down > 0 ? down : up > 0 ? -up : 0;
    if (dx || dy) map.panBy(L.point(-dx, -dy));
  }

  /** A cluster icon whose ring shows the mix of groups inside it. */
  function clusterIconFactory(groups) {
    return function (cluster) {
      const markers = cluster.getAllChildMarkers();
      const counts = new Map();
      markers.forEach((m) => counts.set(m.options.group, (counts.get(m.options.group) || 0) + 1));
      let angle = 0;
      const stops = [];
      [...counts.keys()].sort((a, b) => a - b).forEach((g) => {
        const next = angle + (360 * counts.get(g)) / markers.length;
        stops.push(`${groups[g][1]} ${angle}deg ${next}deg`);
        angle = next;
      });
      const n = markers.length;
      const size = n < 10 ? 32 : n < 100 ? 38 : 46;
      const ring = el('div', 'ops-cluster-ring');
      ring.style.background = `conic-gradient(${stops.join(', ')})`;
      ring.appendChild(el('span', null, formatCount(n)));
      ring.title = `${formatCount(n)} markers here: click to zoom in`;
      return L.divIcon({ html: ring, className: 'marker-cluster ops-cluster',
        iconSize: L.point(size, size) });
    };
  }

  const TitleControl = L.Control.extend({
    options: { position: 'topleft' },
    initialize(title) {
      this._title = title;
    },
    onAdd() {
      return el('div', 'ops-control ops-title', this._title);
    },
  });

  const LegendControl = L.Control.extend({
    options: { position: 'topright' },
    initialize(groups, onToggle) {
      this._groups = groups;
      this._onToggle = onToggle;
      this._counts = [];
    },
    onAdd() {
      const box = el('div', 'ops-control ops-legend');
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.appendChild(el('div', 'ops-legend-title', 'Group (as reported)'));
      if (!this._groups.length) {
        box.appendChild(el('div', 'ops-muted', 'No operations match'));
        return box;
      }
      box.appendChild(el('div', 'ops-muted', 'operations in the period · untick to hide'));
      const list = el('div', 'ops-legend-list');
      this._groups.forEach((group, index) => {
        const label = el('label', 'ops-legend-row');
        const box2 = el('input');
        box2.type = 'checkbox';
        box2.checked = true;
        box2.dataset.group = String(index);
        box2.addEventListener('change', () => this._onToggle(index, box2.checked));
        const swatch = el('span', 'ops-swatch');
        swatch.style.background = group[1];
        const count = el('span', 'ops-legend-count');
        this._counts.push(count);
        label.append(box2, swatch, el('span', 'ops-legend-name', group[0]), count);
        list.appendChild(label);
      });
      box.appendChild(list);
      const key = el('div', 'ops-legend-key');
      key.appendChild(el('div', null, 'Bigger circle: more people arrested'));
      key.appendChild(el('div', null, 'Dashed ring: number not reported'));
      key.appendChild(el('div', null, 'Numbered circle: several markers, click to zoom'));
      box.appendChild(key);
      return box;
    },
    setCounts(counts) {
      counts.forEach((n, i) => { this._counts[i].textContent = formatCount(n); });
    },
  });

  const TimeControl = L.Control.extend({
    options: { position: 'bottomleft' },
    initialize(span, undatedCount, onChange) {
      this._span = span;
      this._undatedCount = undatedCount;
      this._onChange = onChange;
      this._timer = null;
    },
    onAdd() {
      const box = el('div', 'ops-control ops-time');
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      this._status = el('div', 'ops-status');
      if (this._span) {
        box.appendChild(this._buildSliders());
      }
      box.appendChild(this._status);
      return box;
    },
    onRemove() {
      this._stop();
    },
    _buildSliders() {
      const [first, last] = this._span;
      const part = el('div');
      const heading = el('div', 'ops-time-heading');
      heading.appendChild(el('strong', null, 'Period '));
      this._rangeLabel = el('span');
      heading.appendChild(this._rangeLabel);
      part.appendChild(heading);
      const slider = (name, value) => {
        const label = el('label', 'ops-slider');
        label.appendChild(el('span', null, name));
        const input = el('input');
        input.type = 'range';
        input.min = String(first);
        input.max = String(last);
        input.step = '1';
        input.value = String(value);
        input.setAttribute('aria-label', name + ' month');
        label.appendChild(input);
        part.appendChild(label);
        return input;
      };
      this._from = slider('From', first);
      this._to = slider('To', last);
      this._from.addEventListener('input', () => this._changed(this._from));
      this._to.addEventListener('input', () => this._changed(this._to));
      const undated = el('label', 'ops-undated');
      this._undated = el('input');
      this._undated.type = 'checkbox';
      this._undated.checked = true;
      this._undated.addEventListener('change', () => this._emit());
      undated.append(this._undated,
        el('span', null, ` Include undated operations (${formatCount(this._undatedCount)})`));
      part.appendChild(undated);
      const play = el('div', 'ops-play');
      this._playButton = el('button', null, '▶ Play');
      this._playButton.type = 'button';
      this._playButton.addEventListener('click', () => (this._timer ? this._stop() : this._play()));
      play.append(this._playButton, el('span', 'ops-muted', ' adds months one step at a time'));
      part.appendChild(play);
      this._showRange();
      return part;
    },
    _changed(moved) {
      // Keep from <= to by pushing the other handle along.
      if (Number(this._from.value) > Number(this._to.value)) {
        (moved === this._from ? this._to : this._from).value = moved.value;
      }
      this._emit();
    },
    _showRange() {
      const from = Number(this._from.value);
      const to = Number(this._to.value);
      this._rangeLabel.textContent = from === to
        ? monthLabel(from) : `${monthLabel(from)} – ${monthLabel(to)}`;
    },
    _emit() {
      if (!this._span) return;
      this._showRange();
      this._onChange(this.state());
    },
    _play() {
      const last = this._span[1];
      const from = Number(this._from.value);
      const step = Math.max(1, Math.ceil((last - from) / PLAY_MAX_STEPS));
      if (Number(this._to.value) >= last) this._to.value = String(from);
      this._emit();
      this._playButton.textContent = '⏸ Pause';
      this._timer = setInterval(() => {
        const to = Math.min(last, Number(this._to.value) + step);
        this._to.value = String(to);
        this._emit();
        if (to >= last) this._stop();
      }, PLAY_STEP_MS);
    },
    _stop() {
      clearInterval(this._timer);
      this._timer = null;
      if (this._playButton) this._playButton.textContent = '▶ Play';
    },
    /** The selected period as [firstDay, lastDay] and whether undated operations show. */
    state() {
      if (!this._span) return { firstDay: -Infinity, lastDay: Infinity, undated: true };
      return {
        firstDay: firstDayOfMonth(Number(this._from.value)),
        lastDay: firstDayOfMonth(Number(this._to.value) + 1) - 1,
        undated: this._undated.checked,
      };
    },
    setStatus(text) {
      this._status.textContent = text;
    },
  });

  /**
   * Draw the operations of `data` on `map`, with legend, time control and title.
   * Returns the layer's API, also pushed onto window.__opsLayers for tests and debugging.
   */
  L.operationsLayer = function (map, data) {
    const ops = data.ops;
    const groups = data.groups;
    readFields(data.fields);
    const pointCount = data.pts.length / P.stride;
    // One canvas for markers and spider legs: a second canvas on top would take the
    // mouse events of the markers below it.
    const renderer = L.canvas({ padding: 0.5 });
    const cluster = L.markerClusterGroup({
      spiderLegPolylineOptions: { renderer, weight: 1.5, color: '#222', opacity: 0.5 },
      // Long chunks with a short pause: the default pause (50 ms every 200 ms) adds a
      // quarter to the first draw of 100,000 markers; 1 ms still lets the page respond.
      chunkedLoading: true,
      chunkInterval: 250,
      chunkDelay: 1,
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: clusterIconFactory(groups),
      chunkProgress: (done, total) => {
        if (done < total) return;
        loading = false;
        if (pending) apply();
      },
    });
    // markercluster cannot cancel a chunked load, so a filter change during one waits for it.
    let loading = false;
    let pending = false;

    // Big circles first, so that small ones are drawn on top of them and stay clickable.
    // Sorting point numbers (not markers) and sharing one style object per group and
    // count keeps the loop over 100,000+ points cheap.
    const styles = new Map();
    const styleOf = (op) => {
      const key = op[O.group] * 1e6 + (op[O.arrested] === null ? -1 : op[O.arrested]);
      if (!styles.has(key)) styles.set(key, markerStyle(groups[op[O.group]][1], op[O.arrested]));
      return styles.get(key);
    };
    const order = new Uint32Array(pointCount);
    const radius = new Float64Array(pointCount);
    for (let p = 0; p < pointCount; p += 1) {
      order[p] = p;
      radius[p] = styleOf(ops[data.pts[P.stride * p + P.op]]).radius;
    }
    order.sort((a, b) => radius[b] - radius[a] || a - b);
    const markers = new Array(pointCount);
    for (let i = 0; i < pointCount; i += 1) {
      const p = order[i];
      const op = ops[data.pts[P.stride * p + P.op]];
      markers[i] = L.circleMarker([data.pts[P.stride * p + P.lat], data.pts[P.stride * p + P.lon]],
        Object.assign({ renderer, point: p, group: op[O.group] }, styleOf(op)));
    }

    const popup = L.popup({ maxWidth: 340, autoPan: false });
    const showPopup = (marker) => {
      popup.setLatLng(marker.getLatLng())
        .setContent(popupContent(data, marker.options.point)).openOn(map);
      panPopupClear(map, popup, 10);
    };
    const tooltip = L.tooltip({ direction: 'top', offset: L.point(0, -6) });
    cluster.on('click', (e) => showPopup(e.layer));
    cluster.on('mouseover', (e) => {
      tooltip.setLatLng(e.layer.getLatLng())
        .setContent(el('span', null, data.s[data.pts[P.stride * e.layer.options.point + P.label]]));
      map.openTooltip(tooltip);
    });
    cluster.on('mouseout', () => map.closeTooltip(tooltip));

    const hidden = new Set();
    let period = { firstDay: -Infinity, lastDay: Infinity, undated: true };
    const stats = { operations: 0, arrested: 0, withoutCount: 0, markers: 0 };

    const inPeriod = (op) => (op[O.start] === null
      ? period.undated : op[O.start] <= period.lastDay && op[O.end] >= period.firstDay);

    function apply() {
      if (loading) {
        pending = true;
        return;
      }
      pending = false;
      const shown = new Uint8Array(ops.length);
      const perGroup = groups.map(() => 0);
      Object.assign(stats, { operations: 0, arrested: 0, withoutCount: 0, markers: 0 });
      ops.forEach((op, i) => {
        if (!inPeriod(op)) return;
        perGroup[op[O.group]] += 1;
        if (hidden.has(op[O.group])) return;
        shown[i] = 1;
        stats.operations += 1;
        if (op[O.arrested] === null) stats.withoutCount += 1;
        else stats.arrested += op[O.arrested];
      });
      const visible = [];
      const toAdd = [];
      const toRemove = [];
      markers.forEach((m) => {
        const wanted = shown[data.pts[P.stride * m.options.point + P.op]] === 1;
        if (wanted) visible.push(m);
        if (wanted && !m.options.onMap) toAdd.push(m);
        if (!wanted && m.options.onMap) toRemove.push(m);
        m.options.onMap = wanted;
      });
      stats.markers = visible.length;
      map.closePopup(popup);
      legend.setCounts(perGroup);
      time.setStatus(statusText());
      loading = true;
      // Re-clustering everything is linear in the markers shown; a small change (one
      // group toggled, a slider step) only re-clusters the markers that change.
      if (toRemove.length > visible.length) {
        cluster.clearLayers();
        cluster.addLayers(visible);
      } else {
        cluster.removeLayers(toRemove);
        cluster.addLayers(toAdd);
      }
    }

    function statusText() {
      if (!ops.length) return 'No operations match: nothing to show on this map.';
      if (!stats.operations) return 'No operations match the current filters.';
      let text = `${formatCount(stats.operations)} operation${stats.operations === 1 ? '' : 's'}, `
        + `${formatCount(stats.arrested)} people arrested shown`;
      if (stats.withoutCount) text += ` (${formatCount(stats.withoutCount)} without a number)`;
      return text;
    }

    if (data.title) new TitleControl(data.title).addTo(map);
    const legend = new LegendControl(groups, (group, checked) => {
      if (checked) hidden.delete(group);
      else hidden.add(group);
      apply();
    }).addTo(map);
    const undatedCount = ops.filter((op) => op[O.start] === null).length;
    const time = new TimeControl(data.span, undatedCount, (state) => {
      period = state;
      apply();
    }).addTo(map);
    map.getContainer().classList.add('ops-map');
    cluster.addTo(map);
    apply();

    const api = {
      cluster,
      markers,
      stats: () => Object.assign({}, stats),
      /** Whether markers are still being added in chunks after the last filter change. */
      loading: () => loading,
      /** Paths the canvas renderer currently draws (markers not folded into a cluster). */
      drawnMarkers: () => Object.values(renderer._layers)
        .filter((layer) => layer instanceof L.CircleMarker).length,
      /** Open the popup of marker number `point` the way a click does. */
      openPopup: (point) => showPopup(markers.find((m) => m.options.point === point)),
    };
    window.__opsLayers = window.__opsLayers || [];
    window.__opsLayers.push(api);
    return api;
  };
}());
