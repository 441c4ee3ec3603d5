// The map shared by the interactive page and the report: creates the MapLibre map on the
// server's own tiles, puts the filtered values of /api/areas.json into feature-state, and
// styles the chosen layer. Returns legend specs, so the legend always matches the paint.

import { api, authHeaders, sameOrigin } from './api.js';
import { classify } from './classify.js';
import { valueLegend } from './value-legend.js';
import { addContextLayers, startLabels } from './context-layers.js';
import { analysisLabel, fmtClass, fmtContinuous, fmtPeriod, humanize, measureLabel, rateLabel } from './format.js';
import {
  addDataLayers, attributeColor, baseStyle, fieldsOf, giColor, lisaColor, ramp, servicesFilter, sourceLayerOf, valueColor,
} from './map-style.js';
import { GI_CLASSES, LISA_QUADRANTS, NO_VALUE, NOT_SIGNIFICANT, TIER_OTHER, TIERS } from './palettes.js';
import { VALUE_LAYERS } from './filters.js';
import {
  addServiceGapLayers, applyServiceGaps, bivariateColor, bivariateField, bivariateLegend, kindColor, kindColours,
} from './service-gaps.js';
import { isTimeClassLayer, timeLayerStyle } from './time-layers.js';
import { addSmallAreaLayers } from './small-areas.js';

export const MEASURES = ['count', 'rate', 'eb_rate', 'excess_risk', 'rate_lo', 'rate_hi', 'expected'];

/**
 * Fetch the TileJSON of every tile layer in the catalogue: {areas, grid, density, services,
 * context, labels}, each only when the server lists it.
 */
export async function loadTiles(catalogue) {
  const out = {};
  await Promise.all(
    (catalogue.tile_layers || []).map(async (t) => {
      try {
        out[t.id] = await api.tileJson(t.tilejson);
      } catch (e) {
        console.warn(`tile layer ${t.id}: ${e.message}`);
      }
    }),
  );
  return out;
}

/** Only this server's URLs get the analyst token. */
export function transformRequest(url) {
  if (sameOrigin(url)) return { url, headers: authHeaders() };
  return { url };
}

/**
 * Create the map. opts: {container, catalogue, tiles, basemap, view: {zoom, center}|null,
 * interactive}. Resolves once the data layers are added.
 */
export function createMap(opts) {
  const maplibregl = window.maplibregl;
  const b = opts.catalogue.bounds;
  const mapOpts = {
    container: opts.container,
    style: opts.basemap || baseStyle(),
    transformRequest,
    interactive: opts.interactive !== false,
    attributionControl: false,
    canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
    fadeDuration: 0,
    maxZoom: 18,
  };
  if (opts.view) {
    mapOpts.center = opts.view.center;
    mapOpts.zoom = opts.view.zoom;
  } else if (Array.isArray(b) && b.length === 4) {
    mapOpts.bounds = [[b[0], b[1]], [b[2], b[3]]];
    mapOpts.fitBoundsOptions = { padding: 20 };
  }
  const map = new maplibregl.Map(mapOpts);
  return new Promise((resolve, reject) => {
    map.once('load', () => {
      try {
        const info = addDataLayers(map, opts.tiles);
        info.smallAreas = addSmallAreaLayers(map, opts.tiles, opts.catalogue.levels);
        addServiceGapLayers(map, opts.tiles, opts.catalogue);
        addContextLayers(map, opts.tiles);
        resolve({ map, ...info, labels: startLabels(map) });
      } catch (e) {
        reject(e);
      }
    });
    map.once('error', (e) => {
      if (!map.loaded()) console.warn('map error', e && e.error);
    });
  });
}

/** The area ids whose feature-state `setValues` last set, per map. */
const stateIds = new WeakMap();

/**
 * Put the values of an /api/areas.json answer into the feature-state of the areas tiles.
 * Every key is set on every area, never removed first: MapLibre drops a property whose new
 * value is falsy when its removal is still pending, which turned every 0 into "no value".
 * Areas of the previous answer that are missing from this one are set to no value.
 */
export function setValues(map, sourceLayer, areas) {
  const previous = stateIds.get(map) || new Set();
  const ids = new Set();
  for (const a of areas) {
    const st = { suppressed: !!a.suppressed, no_data: a.no_data === true };
    for (const m of MEASURES) st[m] = typeof a[m] === 'number' ? a[m] : null;
    map.setFeatureState({ source: 'areas', sourceLayer, id: a.id }, st);
    ids.add(a.id);
  }
  const cleared = { suppressed: false, no_data: false, ...Object.fromEntries(MEASURES.map((m) => [m, null])) };
  for (const id of previous) if (!ids.has(id)) map.setFeatureState({ source: 'areas', sourceLayer, id }, cleared);
  stateIds.set(map, ids);
}

function windowLabel(source, state) {
  if (!state.window || state.window === 'all') return 'All hours';
  if (state.window === 'custom') {
    const days = (state.days || '').split(',').filter(Boolean).map((d) => d.charAt(0).toUpperCase() + d.slice(1, 3));
    const m = /^(\d+)-(\d+)$/.exec(state.hours || '');
    const hours = m ? `${m[1].padStart(2, '0')}:00-${m[2].padStart(2, '0')}:59` : 'all hours';
    return `Custom window: nights starting ${days.length ? days.join(', ') : 'any day'}, ${hours}`;
  }
  const w = (source && source.windows || []).find((x) => x.id === state.window);
  return w ? w.label.replace(/\s*\(.*\)\s*$/, '') : state.window;
}

/** The filters in words (no times or month numbers, which would read as small counts). */
export function describeFilter(catalogue, state) {
  const s = catalogue.sources.find((x) => x.name === state.source) || catalogue.sources[0];
  const m = s && s.measures.find((x) => x.id === state.category);
  return [humanize(s ? s.label || s.name : state.source), m ? measureLabel(m) : humanize(state.category), fmtPeriod(state.from, state.to), windowLabel(s, state)].join(' \u00b7 ');
}

export function analysisOf(catalogue, name) {
  return (catalogue.analyses || []).find((a) => a.name === name);
}

/** The label of a measure id of a source, from the catalogue (humanised when unknown). */
export function categoryLabel(catalogue, sourceName, id) {
  const s = (catalogue.sources || []).find((x) => x.name === sourceName);
  return measureLabel((s && s.measures.find((m) => m.id === id)) || { id });
}

function analysisNote(catalogue, a) {
  if (!a) return '';
  const s = (catalogue.sources || []).find((x) => x.name === a.source);
  const bits = [`source ${humanize(s ? s.label || s.name : a.source)}`, `category ${categoryLabel(catalogue, a.source, a.category).toLowerCase()}`];
  if (a.period && a.period.from) bits.push(fmtPeriod(a.period.from, a.period.to));
  return `Analysis \u201c${analysisLabel(a)}\u201d: ${bits.join(', ')}; the filters do not change it.`;
}

/** The tile attribute that holds the classes of an analysis statistic, raw or adjusted. */
export function classField(catalogue, tiles, name, statistic, adj) {
  const a = analysisOf(catalogue, name);
  const base = `${name}_${statistic}_class`;
  if (adj !== 'fdr' && adj !== 'adjusted') return base;
  const corr = (a && a.correction) || 'fdr';
  const fields = fieldsOf(tiles.areas);
  for (const f of [`${base}_${corr}`, `${base}_fdr`, `${base}_adjusted`]) if (f in fields) return f;
  return `${base}_${corr}`;
}

function sampleAttribute(map, source, sourceLayer, field) {
  const seen = new Set();
  const vals = [];
  for (const f of map.querySourceFeatures(source, { sourceLayer })) {
    const key = f.id ?? JSON.stringify(f.geometry.coordinates[0]?.[0]);
    if (seen.has(key)) continue;
    seen.add(key);
    const v = f.properties[field];
    if (typeof v === 'number' && Number.isFinite(v)) vals.push(v);
  }
  return vals;
}

/** Whether some loaded area has no class in `field` (drawn in NO_VALUE, so listed in the legend). */
function unclassified(map, sourceLayer, field) {
  return map.querySourceFeatures('areas', { sourceLayer }).some((f) => typeof f.properties[field] !== 'string');
}

function densityField(tiles) {
  const fields = fieldsOf(tiles.density);
  if ('density' in fields) return 'density';
  return Object.keys(fields).find((f) => String(fields[f]).toLowerCase() === 'number') || 'density';
}

/**
 * Style the map for `state.layer`. ctx: {catalogue, tiles, areasLayer, areas (the
 * /api/areas.json list), analyst}. Returns the legend spec.
 */
export function applyLayer(map, state, ctx) {
  const { catalogue, tiles, areasLayer } = ctx;
  const has = (id) => !!map.getLayer(id);
  const show = (id, on) => has(id) && map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  show('density-fill', state.layer === 'density');
  show('grid-fill', state.layer === 'grid');
  const publicNote = ctx.analyst ? [] : ['Public view: counts are rounded to the nearest five and small counts are suppressed (grey); rates use the rounded counts.'];
  let legend;

  if (VALUE_LAYERS[state.layer]) {
    const measure = state.layer;
    const spec = valueLegend(ctx.areas, measure, { method: state.class, k: state.k, palette: state.palette });
    map.setPaintProperty('areas-fill', 'fill-color', valueColor(measure, spec.thresholds, spec.colors));
    map.setPaintProperty('areas-fill', 'fill-opacity', 0.9);
    legend = {
      title: VALUE_LAYERS[measure] + (measure === 'rate' || measure === 'eb_rate' ? ` ${rateLabel(catalogue, state, ctx.ratePer)}` : ''),
      subtitle: describeFilter(catalogue, state),
      items: spec.items,
      notes: [...spec.notes, ...publicNote],
    };
  } else if (/^(gi|lisa):/.test(state.layer)) {
    const [kind, name] = state.layer.split(':');
    const statistic = kind === 'gi' ? 'gi_star' : 'local_moran';
    const field = classField(catalogue, tiles, name, statistic, state.adj);
    const a = analysisOf(catalogue, name);
    const corr = String((a && a.correction) || 'fdr').toUpperCase();
    map.setPaintProperty('areas-fill', 'fill-color', kind === 'gi' ? giColor(field) : lisaColor(field));
    map.setPaintProperty('areas-fill', 'fill-opacity', 0.9);
    const items = kind === 'gi'
      ? GI_CLASSES.map(([cls, color]) => ({ color, label: fmtClass(cls) }))
      : [...LISA_QUADRANTS.map(([, label, color]) => ({ color, label })), { color: NOT_SIGNIFICANT, label: 'Not significant' }];
    if (unclassified(map, areasLayer, field)) items.push({ color: NO_VALUE, label: 'Not analysed (no value)' });
    legend = {
      title: `${kind === 'gi' ? 'Gi* hot and cold spots' : 'Local Moran clusters'}: ${a ? analysisLabel(a) : humanize(name)}`,
      subtitle: state.adj === 'raw' ? 'Raw p-values (no correction for multiple testing)' : `Adjusted for multiple testing (${corr})`,
      items,
      notes: [analysisNote(catalogue, a)],
    };
  } else if (isTimeClassLayer(state.layer)) {
    const style = timeLayerStyle(catalogue, state.layer);
    if (style) {
      map.setPaintProperty('areas-fill', 'fill-color', style.color);
      map.setPaintProperty('areas-fill', 'fill-opacity', 0.9);
      legend = style.legend;
    }
  } else if (state.layer.startsWith('bivariate:')) {
    const kind = state.layer.slice('bivariate:'.length);
    map.setPaintProperty('areas-fill', 'fill-color', bivariateColor(kind));
    map.setPaintProperty('areas-fill', 'fill-opacity', 0.9);
    legend = bivariateLegend(catalogue, kind);
    if (!unclassified(map, areasLayer, bivariateField(kind))) legend.items = [];
  } else if (state.layer === 'grid') {
    map.setPaintProperty('areas-fill', 'fill-opacity', 0);
    const fields = fieldsOf(tiles.grid);
    // The contract names them class / class_adjusted; results files say gi_star_class(_fdr).
    const field = state.adj === 'raw'
      ? ['class', 'gi_star_class'].find((f) => f in fields) || 'class'
      : ['class_adjusted', 'class_fdr', 'gi_star_class_fdr', 'gi_star_class_adjusted'].find((f) => f in fields) || 'class_adjusted';
    map.setPaintProperty('grid-fill', 'fill-color', giColor(field));
    legend = {
      title: 'Gi* hot and cold spots on grid cells',
      subtitle: state.adj === 'raw' ? 'Raw p-values (no correction for multiple testing)' : 'Adjusted for multiple testing',
      items: GI_CLASSES.map(([cls, color]) => ({ color, label: fmtClass(cls) })),
      notes: ['Cells aggregated from points by the study; the filters do not change them.'],
    };
  } else if (state.layer === 'density' || state.layer.startsWith('field:')) {
    const isDensity = state.layer === 'density';
    const source = isDensity ? 'density' : 'areas';
    const sl = isDensity ? sourceLayerOf(tiles.density, 'density') : areasLayer;
    const field = isDensity ? densityField(tiles) : state.layer.slice('field:'.length);
    const vals = has(isDensity ? 'density-fill' : 'areas-fill') ? sampleAttribute(map, source, sl, field) : [];
    const { thresholds, classes } = classify(vals, state.class, state.k);
    const colors = ramp(state.palette, Math.max(1, classes.length));
    map.setPaintProperty(isDensity ? 'density-fill' : 'areas-fill', 'fill-color', attributeColor(field, thresholds, colors));
    map.setPaintProperty('areas-fill', 'fill-opacity', isDensity ? 0 : 0.9);
    legend = {
      title: isDensity ? 'Kernel density (heat surface)' : humanize(field),
      subtitle: isDensity ? 'Events per square kilometre' : '',
      items: classes.filter((c) => c.n > 0).map((c, i) => ({
        color: colors[i],
        label: c.lo === c.hi ? fmtContinuous(c.lo) : `${fmtContinuous(c.lo)} to ${fmtContinuous(c.hi)}`,
      })),
      notes: [vals.length ? 'Classes from the features loaded in this view.' : 'Loading the surface\u2026', isDensity ? 'Set by the study; the filters do not change it.' : ''].filter(Boolean),
    };
  }
  return legend;
}

/** The services legend (when shown) and layer filter. */
export function applyServices(map, state, catalogue) {
  if (!map.getLayer('services-circle')) return null;
  map.setLayoutProperty('services-circle', 'visibility', state.services ? 'visible' : 'none');
  const kinds = state.kinds === '-' ? ['\u0000'] : state.kinds ? state.kinds.split(',') : null;
  const tiers = state.tiers === '-' ? ['\u0000'] : state.tiers ? state.tiers.split(',') : null;
  map.setFilter('services-circle', servicesFilter(kinds, tiers));
  const byKind = state.colour !== 'tier';
  const colours = kindColours(catalogue);
  map.setPaintProperty('services-circle', 'circle-color', byKind
    ? kindColor(colours)
    : ['match', ['get', 'tier'], ...TIERS.flatMap(([id, , c]) => [id, c]), TIER_OTHER]);
  if (!state.services) return null;
  const labels = (catalogue.services && catalogue.services.kind_labels) || {};
  const shown = kinds ? Object.keys(colours).filter((k) => kinds.includes(k)) : Object.keys(colours);
  return {
    title: byKind ? 'Services by kind' : 'Services by prevention tier',
    items: byKind
      ? shown.map((k) => ({ color: colours[k], label: labels[k] || humanize(k), shape: 'circle' }))
      : [...TIERS.map(([, label, color]) => ({ color, label, shape: 'circle' })), { color: TIER_OTHER, label: 'Other', shape: 'circle' }],
    notes: ['Confidential services (such as refuges) are never shown.'],
  };
}

/** The legend of the commissioner overlays (catchment rings, new sites), when shown. */
export { applyServiceGaps };

export function selectArea(map, id) {
  if (map.getLayer('areas-selected')) map.setFilter('areas-selected', ['==', ['id'], id ?? -1]);
}

/** Bounding boxes of the areas from /api/areas.geojson: Map(id -> [w, s, e, n]). */
export async function loadBoxes(state) {
  const fc = await api.areasGeo(state);
  const boxes = new Map();
  for (const f of fc.features || []) {
    const id = f.id ?? (f.properties && f.properties.id);
    let w = Infinity; let s = Infinity; let e = -Infinity; let n = -Infinity;
    const walk = (c) => {
      if (typeof c[0] === 'number') {
        w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]);
      } else c.forEach(walk);
    };
    if (f.geometry) walk(f.geometry.coordinates);
    if (Number.isFinite(w)) boxes.set(id, { bbox: [w, s, e, n], code: f.properties && f.properties.code, geometry: f.geometry });
  }
  return boxes;
}

/**
 * The paddings (pixels) that keep a fitted box clear of overlays drawn over the map (the
 * legend): for each overlay, pad from the nearer side horizontally or vertically, whichever
 * leaves more room. Returns the candidate paddings; `fitPadded` takes the one that zooms in most.
 */
export function overlayPaddings(map, overlays, base = 24) {
  const m = map.getContainer().getBoundingClientRect();
  let options = [{ top: base, right: base + 30, bottom: base + 10, left: base }];
  for (const el of overlays) {
    if (!el || el.hidden) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= m.left || r.left >= m.right || r.bottom <= m.top || r.top >= m.bottom) continue;
    const horizontal = r.left - m.left < m.right - r.right ? { left: r.right - m.left + base } : { right: m.right - r.left + base };
    const vertical = r.top - m.top < m.bottom - r.bottom ? { top: r.bottom - m.top + base } : { bottom: m.bottom - r.top + base };
    options = options.flatMap((o) => [horizontal, vertical].map((side) => {
      const out = { ...o };
      for (const [k, v] of Object.entries(side)) out[k] = Math.max(out[k], v);
      return out;
    }));
  }
  return options;
}

/**
 * Fit [w, s, e, n] in view clear of `overlays`, at most `maxZoom`. opts.duration: 0 jumps.
 * Returns the camera used, or null when the box cannot fit (a map too small).
 */
export function fitPadded(map, bbox, overlays, { maxZoom = 16, duration = 0 } = {}) {
  map.resize();
  const bounds = [[bbox[0], bbox[1]], [bbox[2], bbox[3]]];
  let best = null;
  for (const padding of overlayPaddings(map, overlays)) {
    const cam = map.cameraForBounds(bounds, { padding, maxZoom });
    if (cam && (!best || cam.zoom > best.zoom)) best = { ...cam, padding };
  }
  if (!best) return null;
  const camera = { center: best.center, zoom: best.zoom, bearing: 0 };
  if (duration) map.easeTo({ ...camera, duration });
  else map.jumpTo(camera);
  return best;
}

/**
 * The box to show for one area: its own box grown threefold about its centre, so the area
 * is seen among its neighbours rather than filling the screen.
 */
export function neighbourhoodBox(bbox, factor = 3) {
  const [w, s, e, n] = bbox;
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const hw = ((e - w) * factor) / 2;
  const hh = ((n - s) * factor) / 2;
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}
