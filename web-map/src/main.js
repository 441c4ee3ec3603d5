// The interactive web map: wires the API, the map, the controls, the legend, the area panel
// and the priority list together, and keeps the URL in step with what is shown.

import { api, ApiError, getToken, setToken } from './api.js';
import { analysisLabel, esc, fmtCount, humanize, rateLabel } from './format.js';
import { findAreas } from './finder.js';
import { initControls, VALUE_LAYERS } from './filters.js';
import { renderLegend } from './legend.js';
import {
  analysisOf, applyLayer, applyServiceGaps, applyServices, createMap, describeFilter, fitPadded, loadBoxes, loadTiles, neighbourhoodBox,
  selectArea, setValues,
} from './map-view.js';
import { renderPanel, renderPanelMessage } from './panel.js';
import { RANK_MEASURES, renderPriority } from './priority.js';
import { renderPriorityRanking, renderSites, siteFeatures } from './service-gaps.js';
import { fieldsOf } from './map-style.js';
import { levelAt, levelNames } from './levels.js';
import { applySmallAreas, SMALL_FILL, smallAreaHtml } from './small-areas.js';
import { basemapUrl, parseState, parseView, stateToHash, viewString, writeState } from './state-url.js';

const $ = (id) => document.getElementById(id);

const FILTER_KEYS = ['source', 'category', 'from', 'to', 'window', 'days', 'hours'];

/** Everything the page knows; exposed as window.__safemap for the browser tests. */
const app = {
  state: parseState(),
  session: null,
  catalogue: null,
  manifest: null,
  tiles: {},
  map: null,
  areasLayer: 'areas',
  areas: [],
  response: null,
  boxes: null,
  analyst: false,
  updates: 0,
  panelSeq: 0,
  valuesSeq: 0,
  lastFocus: null,
  levels: null,
  level: null,
  smallAreas: [],
  smallLegend: null,
};
window.__safemap = app;

function setStatus(text, isError = false) {
  const el = $('status');
  el.textContent = text || '';
  el.classList.toggle('error', !!isError);
  el.hidden = !text;
}

function filterMessage(text) {
  const el = $('filter-message');
  el.textContent = text || '';
  el.hidden = !text;
}

// ---------------------------------------------------------------- sign-in

function setupAuth() {
  const form = $('signin');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (!token) return;
    setToken(token);
    try {
      const s = await api.session();
      if (s.role !== 'analyst') throw new ApiError(401, 'the server did not accept the token');
      location.reload();
    } catch (err) {
      setToken(null);
      $('signin-message').textContent = err.status === 401 ? 'That token was not accepted.' : `Sign-in failed: ${err.message}`;
    }
  });
  $('signout').addEventListener('click', () => {
    setToken(null);
    location.reload();
  });
}

function showRole() {
  const analyst = app.analyst;
  document.body.dataset.role = analyst ? 'analyst' : 'public';
  $('role-badge').textContent = analyst ? 'Analyst view: exact numbers' : 'Public view';
  // A server without an analyst token has no one to sign in as: no sign-in box.
  const login = !!((app.session && app.session.analyst_login) || (app.catalogue && app.catalogue.analyst_login));
  $('signin').hidden = analyst || !login;
  $('signout').hidden = !analyst;
  const note = $('public-note');
  if (!analyst) {
    const d = (app.session && app.session.disclosure) || (app.catalogue && app.catalogue.disclosure) || {};
    const rule = d.note
      || `Public view: counts from 1 to ${d.suppress_max ?? 7} are suppressed and the others rounded to the nearest ${d.round_to ?? 5}; rates are computed from the rounded counts.`;
    note.textContent = `Numbers are disclosure-controlled. ${rule}${login ? ' Analysts can sign in to see exact numbers.' : ''}`;
    note.hidden = false;
  } else {
    note.hidden = true;
  }
}

// ---------------------------------------------------------------- state

function normalize(st) {
  const c = app.catalogue;
  const src = c.sources.find((s) => s.name === st.source) || c.sources[0];
  st.source = src.name;
  if (!src.measures.some((m) => m.id === st.category)) st.category = src.measures[0] ? src.measures[0].id : 'all';
  const months = src.months || [];
  const periods = src.periods || [];
  const published = periods.some((p) => p.from === st.from && p.to === st.to);
  const valid = app.analyst ? months.includes(st.from) && months.includes(st.to) && st.from <= st.to : published;
  if (!valid && periods[0]) {
    st.from = periods[0].from;
    st.to = periods[0].to;
  }
  if (!['all', 'custom'].includes(st.window) && !(src.windows || []).some((w) => w.id === st.window) && src.time_precision !== 'month') {
    st.window = 'all';
  }
  if (st.window === 'custom' && !app.analyst) st.window = 'all';
  const layers = [...document.querySelectorAll('#layer option')].map((o) => o.value);
  if (layers.length && !layers.includes(st.layer)) st.layer = 'rate';
  if (!['quantile', 'jenks', 'equal'].includes(st.class)) st.class = 'quantile';
  if (!['viridis', 'cividis', 'magma'].includes(st.palette)) st.palette = 'viridis';
  if (!['fdr', 'raw'].includes(st.adj)) st.adj = 'fdr';
  const ranked = c.access && c.access.priority;
  if (st.rank && !RANK_MEASURES[st.rank] && !(st.rank === 'priority' && ranked)) st.rank = '';
  if (!['kind', 'tier'].includes(st.colour)) st.colour = 'kind';
  return st;
}

function syncUrl() {
  writeState(app.state);
  $('report-link').href = `/report.html#${stateToHash(app.state)}`;
}

async function update(patch) {
  const before = { ...app.state };
  Object.assign(app.state, patch);
  normalize(app.state);
  app.controls.sync();
  syncUrl();
  const changed = Object.keys(app.state).filter((k) => before[k] !== app.state[k]);
  const filtersChanged = changed.some((k) => FILTER_KEYS.includes(k));
  if (filtersChanged) {
    filterMessage('');
    await loadValues();
    if (app.state.area && !changed.includes('area')) await openArea(app.state.area, { focus: false });
  } else if (changed.some((k) => k !== 'area' && k !== 'map')) {
    restyle();
  }
  if ('area' in patch && patch.area !== before.area) {
    if (patch.area) await openArea(patch.area, { focus: true });
    else closePanel();
  }
}

// ---------------------------------------------------------------- values, style, legend, list

async function loadValues() {
  const seq = ++app.valuesSeq;
  setStatus('Loading values\u2026');
  let res;
  try {
    res = await api.areas(app.state);
  } catch (e) {
    if (seq !== app.valuesSeq) return;
    if (e.status === 422 && app.state.window !== 'all') {
      // The server's own words on why (e.g. a month-precision source has no times of day).
      filterMessage(`${e.message}. Showing all hours instead.`);
      app.state.window = 'all';
      app.controls.sync();
      syncUrl();
      return loadValues();
    }
    setStatus(e.message, true);
    filterMessage(e.message);
    app.areas = [];
    setValues(app.map, app.areasLayer, []);
    restyle();
    return;
  }
  if (seq !== app.valuesSeq) return;
  app.response = res;
  app.areas = res.areas || [];
  setValues(app.map, app.areasLayer, app.areas);
  setStatus('');
  fillFinder();
  restyle();
}

function restyle() {
  const map = app.map;
  const ctx = {
    catalogue: app.catalogue, tiles: app.tiles, areasLayer: app.areasLayer, areas: app.areas,
    analyst: app.analyst, ratePer: fmtCount(app.ratePer),
  };
  let legend = applyLayer(map, app.state, ctx);
  if (app.levels) legend = levelLegend(legend);
  const services = applyServices(map, app.state, app.catalogue);
  renderLegend($('legend-layer'), legend, { showCounts: app.analyst });
  renderLegend($('legend-services'), services);
  renderLegend($('legend-gaps'), applyServiceGaps(map, app.state, app.catalogue));
  if (app.state.sites) showSites();
  const open = (code) => update({ area: code }).then(() => zoomTo(code));
  if (app.state.rank === 'priority') {
    $('priority-title').textContent = 'Priority areas (need and service gaps)';
    showPriority(open);
  } else {
    const measure = app.state.rank || (VALUE_LAYERS[app.state.layer] ? app.state.layer : 'eb_rate');
    const many = app.levels ? levelNames(app.levels).many : 'areas';
    $('priority-title').textContent = `Top ${many} by ${RANK_MEASURES[measure].replace(/^./, (c) => c.toLowerCase())}`;
    renderPriority($('priority'), app.areas, measure, open);
  }
  app.updates += 1;
  document.body.dataset.updates = String(app.updates);
}

/**
 * A study reported by neighbourhood: style the small areas, and give the legend of the level
 * drawn at this zoom (the neighbourhoods' `legend`, or the small areas' own).
 */
function levelLegend(legend) {
  const names = levelNames(app.levels);
  app.smallLegend = applySmallAreas(app.map, app.state, {
    catalogue: app.catalogue, levels: app.levels, tiles: app.tiles, rows: app.smallAreas, analyst: app.analyst,
    ratePer: fmtCount(app.ratePer), describe: () => describeFilter(app.catalogue, app.state),
  });
  app.level = levelAt(app.levels, app.map.getZoom());
  const z = app.levels.switch_zoom;
  if (app.level === 'small' && app.smallLegend) {
    return { ...app.smallLegend, notes: [...app.smallLegend.notes, `Zoom out below level ${z} to see the ${names.many}.`] };
  }
  return legend && { ...legend, level: names.Many, notes: [...(legend.notes || []), `Zoom in to level ${z} to see the ${names.smallMany}.`] };
}

/** The study's priority ranking (fetched once): it does not depend on the filters. */
async function showPriority(open) {
  const el = $('priority');
  try {
    app.priority = app.priority || await api.priority(10);
  } catch (e) {
    el.innerHTML = `<p class="muted" role="alert">${esc(e.message)}</p>`;
    return;
  }
  if (app.state.rank === 'priority') renderPriorityRanking(el, app.priority, open);
}

/** The new sites' list, from the sites' tiles once they are loaded. */
function showSites() {
  const labels = (app.catalogue.services && app.catalogue.services.kind_labels) || {};
  const draw = () => renderSites($('sites-list'), siteFeatures(app.map), (k) => labels[k] || humanize(k));
  draw();
  if (!siteFeatures(app.map).length) app.map.once('idle', draw);
}

/** Who lives within reach of each kind of service (the catalogue's coverage figures). */
function showCoverage() {
  const a = app.catalogue.access;
  if (!a) return;
  const reach = a.unit === 'metres' ? `${(a.within / 1000).toLocaleString('en-GB')} km` : `${a.within.toLocaleString('en-GB')} minutes`;
  const pct = (x) => (typeof x === 'number' ? `${Math.round(x * 100)}%` : '\u2013');
  $('gaps-coverage').innerHTML = `Residents within ${esc(reach)} of a service (all / high need):<br>${a.kinds
    .map((k) => `<span data-kind="${esc(k.kind)}">${esc(k.label)}: ${pct(k.coverage_all)} / ${pct(k.coverage_high_need)}</span>`)
    .join('<br>')}`;
}

function fillFinder() {
  const list = $('area-list');
  if (list.options.length) return;
  list.innerHTML = app.areas
    .slice()
    .sort((a, b) => String(a.name).localeCompare(String(b.name)))
    .map((a) => `<option value="${esc(`${a.name} (${a.code})`)}"></option>`)
    .join('');
}

// ---------------------------------------------------------------- area panel

function areaByCode(code) {
  return app.areas.find((a) => a.code === code);
}

async function zoomTo(code) {
  const a = areaByCode(code);
  if (!a) return;
  if (!app.boxes) {
    try {
      app.boxes = await loadBoxes(null);
    } catch (e) {
      console.warn('areas.geojson', e);
      return;
    }
  }
  const box = app.boxes.get(a.id);
  // The area among its neighbours, clear of the legend; never closer than z15.
  if (box) fitPadded(app.map, neighbourhoodBox(box.bbox), [$('legend')], { maxZoom: 15, duration: 600 });
}

async function openArea(code, { focus = true } = {}) {
  const seq = ++app.panelSeq;
  const panel = $('panel');
  if (focus && !panel.contains(document.activeElement)) app.lastFocus = document.activeElement;
  const a = areaByCode(code);
  selectArea(app.map, a ? a.id : null);
  document.body.classList.add('panel-open');
  let detail;
  try {
    detail = await api.area(code, app.state);
  } catch (e) {
    if (seq !== app.panelSeq) return;
    renderPanelMessage(panel, code, e.message);
    panel.querySelector('.close').addEventListener('click', () => update({ area: '' }));
    return;
  }
  if (seq !== app.panelSeq) return;
  if (detail.id !== undefined) selectArea(app.map, detail.id);
  renderPanel(panel, detail, {
    areaKind: app.levels ? levelNames(app.levels).one : undefined,
    analyst: app.analyst,
    ratePer: app.ratePer,
    confidence: app.confidence,
    describe: () => describeFilter(app.catalogue, app.state),
    analysisLabel: (name) => analysisLabel(analysisOf(app.catalogue, name) || { name }),
    onClose: () => update({ area: '' }),
    nteWindow: (app.catalogue.time && app.catalogue.time.nte) || undefined,
  });
  panel.dataset.loaded = String(seq);
  if (focus) $('panel-title').focus();
}

function closePanel() {
  const panel = $('panel');
  panel.hidden = true;
  panel.innerHTML = '';
  delete panel.dataset.code;
  document.body.classList.remove('panel-open');
  selectArea(app.map, null);
  const back = app.lastFocus && document.contains(app.lastFocus) ? app.lastFocus : app.map.getCanvas();
  back.focus();
}

// ---------------------------------------------------------------- map events

function wireMap() {
  const map = app.map;
  map.on('click', (e) => {
    const site = map.getLayer('sites-circle') && app.state.sites
      ? map.queryRenderedFeatures(e.point, { layers: ['sites-circle'] })
      : [];
    if (site.length) {
      const p = site[0].properties;
      const n = (x) => Math.round(Number(x)).toLocaleString('en-GB');
      new window.maplibregl.Popup({ closeButton: true })
        .setLngLat(e.lngLat)
        .setHTML(`<strong>Proposed new site ${esc(p.order)}</strong><br>${esc(p.area_name)} (${esc(p.area)})<br>covers ${esc(n(p.need_added))} more need-weighted residents within ${esc(n(p.coverage_cost_m))} m`)
        .addTo(map);
      return;
    }
    const svc = map.getLayer('services-circle') && app.state.services
      ? map.queryRenderedFeatures(e.point, { layers: ['services-circle'] })
      : [];
    if (svc.length) {
      const p = svc[0].properties;
      new window.maplibregl.Popup({ closeButton: true })
        .setLngLat(e.lngLat)
        .setHTML(`<strong>${esc(p.name)}</strong><br>${esc(p.kind_label || humanize(String(p.kind || '')))}${p.tier ? `, ${esc(p.tier)} tier` : ''}${p.capacity !== undefined && p.capacity !== null ? `<br>capacity ${esc(p.capacity)}` : ''}${p.opening_hours ? `<br>open ${esc(p.opening_hours)}` : ''}`)
        .addTo(map);
      return;
    }
    const small = map.getLayer(SMALL_FILL) ? map.queryRenderedFeatures(e.point, { layers: [SMALL_FILL] })[0] : null;
    if (small) {
      showSmallArea(e.lngLat, small.properties);
      return;
    }
    const hit = map.queryRenderedFeatures(e.point, { layers: ['areas-fill'] })[0];
    if (!hit) return;
    const a = app.areas.find((x) => x.id === hit.id);
    const code = a ? a.code : hit.properties.code;
    if (code) update({ area: code });
  });
  map.on('mousemove', 'areas-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', 'areas-fill', () => { map.getCanvas().style.cursor = ''; });
  if (map.getLayer(SMALL_FILL)) wireSmallAreas(map);
  let t = null;
  map.on('moveend', () => {
    clearTimeout(t);
    t = setTimeout(() => {
      app.state.map = viewString(map);
      syncUrl();
    }, 150);
  });
  // Surfaces classified from the loaded features: restyle when their tiles arrive.
  map.on('sourcedata', (e) => {
    if (!e.isSourceLoaded || !e.sourceId) return;
    const l = app.state.layer;
    if ((l === 'density' && e.sourceId === 'density') || (l.startsWith('field:') && e.sourceId === 'areas')) {
      clearTimeout(app.surfaceTimer);
      app.surfaceTimer = setTimeout(restyle, 100);
    }
  });
}

/** A small area's name, code, neighbourhood and value, as the small-area layer shows it. */
function smallAreaPopupHtml(props) {
  const legend = app.smallLegend || {};
  return smallAreaHtml(props, { levels: app.levels, column: legend.column, measure: app.state.layer, per: rateLabel(app.catalogue, app.state, fmtCount(app.ratePer)) });
}

/** The popup of a clicked small area, with a button that opens its neighbourhood's panel. */
function showSmallArea(lngLat, props) {
  if (app.hover) app.hover.remove();
  const names = levelNames(app.levels);
  const where = props.neighbourhood_name || props.neighbourhood;
  const open = props.neighbourhood
    ? `<br><button type="button" class="open-neighbourhood" data-code="${esc(props.neighbourhood)}">Open ${esc(where)} ${esc(names.one)}</button>`
    : '';
  const popup = new window.maplibregl.Popup({ closeButton: true, className: 'small-area-popup' })
    .setLngLat(lngLat)
    .setHTML(`${smallAreaPopupHtml(props)}${open}`)
    .addTo(app.map);
  const button = popup.getElement().querySelector('button.open-neighbourhood');
  if (button) {
    button.addEventListener('click', () => {
      popup.remove();
      update({ area: button.dataset.code });
    });
  }
}

/** Hover over a small area shows what it is; crossing `switch_zoom` redraws the legend. */
function wireSmallAreas(map) {
  app.hover = new window.maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'small-area-hover' });
  map.on('mousemove', SMALL_FILL, (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    map.getCanvas().style.cursor = 'pointer';
    app.hover.setLngLat(e.lngLat).setHTML(smallAreaPopupHtml(f.properties)).addTo(map);
  });
  map.on('mouseleave', SMALL_FILL, () => {
    map.getCanvas().style.cursor = '';
    app.hover.remove();
  });
  map.on('zoomend', () => {
    if (levelAt(app.levels, map.getZoom()) !== app.level) restyle();
  });
}

// ---------------------------------------------------------------- keyboard

function wireKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('panel').hidden) {
      e.preventDefault();
      update({ area: '' });
    }
  });
  $('finder').addEventListener('submit', (e) => {
    e.preventDefault();
    const found = findAreas(app.areas, $('find').value);
    const results = $('finder-results');
    if (!found.length) {
      $('finder-message').textContent = 'No area name or code contains that.';
      results.innerHTML = '';
      return;
    }
    $('finder-message').textContent = found.length > 1 ? 'Best match opened; other matches:' : '';
    results.innerHTML = found.slice(1)
      .map((a) => `<li><button type="button" class="finder-item" data-code="${esc(a.code)}"><span data-ident>${esc(a.name)}</span> <span class="p-code" data-ident>${esc(a.code)}</span></button></li>`)
      .join('');
    results.querySelectorAll('button').forEach((b) => b.addEventListener('click', () => update({ area: b.dataset.code }).then(() => zoomTo(b.dataset.code))));
    update({ area: found[0].code }).then(() => zoomTo(found[0].code));
  });
}

// ---------------------------------------------------------------- start

async function start() {
  setupAuth();
  wireKeys();
  try {
    try {
      app.session = await api.session();
    } catch (e) {
      if (e.status !== 401 || !getToken()) throw e;
      setToken(null);
      $('signin-message').textContent = 'The saved token is no longer accepted; you are signed out.';
      app.session = await api.session();
    }
    app.analyst = app.session.role === 'analyst';
    [app.catalogue, app.manifest] = await Promise.all([api.layers(), api.manifest().catch(() => null)]);
  } catch (e) {
    setStatus(`Cannot reach the safemap server: ${e.message}`, true);
    document.body.dataset.ready = 'error';
    return;
  }
  const params = (app.manifest && app.manifest.parameters) || {};
  app.ratePer = params.rate_per || 1000;
  app.confidence = params.confidence || 0.95;
  showRole();
  $('study-name').textContent = app.catalogue.study || '';
  document.title = `safemap: ${app.catalogue.study || 'map'}`;
  app.tiles = await loadTiles(app.catalogue);
  if (!app.tiles.areas) {
    setStatus('The server offers no areas tile layer.', true);
    document.body.dataset.ready = 'error';
    return;
  }
  app.levels = app.catalogue.levels && app.tiles[app.catalogue.levels.small_areas] ? app.catalogue.levels : null;
  if (app.levels) {
    try {
      app.smallAreas = (await api.smallAreas()).small_areas || [];
    } catch (e) {
      console.warn('small areas', e);
    }
  }
  app.controls = initControls({
    catalogue: app.catalogue,
    tiles: app.tiles,
    areaFields: fieldsOf(app.tiles.areas),
    analyst: app.analyst,
    getState: () => app.state,
    update,
  });
  normalize(app.state);
  app.controls.sync();
  const { map, areasLayer, labels } = await createMap({
    container: 'map',
    catalogue: app.catalogue,
    tiles: app.tiles,
    basemap: basemapUrl(),
    view: parseView(app.state.map),
  });
  app.map = map;
  app.areasLayer = areasLayer;
  app.labels = labels;
  map.addControl(new window.maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new window.maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.getCanvas().setAttribute('aria-label', 'Map of the study areas; use the arrow keys to pan and + or - to zoom');
  wireMap();
  showCoverage();
  syncUrl();
  await loadValues();
  // The first view: the whole study, clear of the legend (now drawn and measured).
  const b = app.catalogue.bounds;
  if (!parseView(app.state.map) && Array.isArray(b) && b.length === 4) fitPadded(map, b, [$('legend')]);
  if (app.state.area) await openArea(app.state.area, { focus: false });
  if (!map.loaded() || !map.areTilesLoaded()) await new Promise((r) => map.once('idle', r));
  document.body.dataset.ready = '1';
}

start().catch((e) => {
  console.error(e);
  setStatus(`The map failed to start: ${e.message}`, true);
  document.body.dataset.ready = 'error';
});
