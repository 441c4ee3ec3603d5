// Orientation without the internet: the study's own context layer (the study-area outline and
// the larger geography's boundaries) and place names, both from the server's tiles. Added only
// when /api/layers lists the `context` and `labels` tile layers; without them nothing happens.
//
// Names are drawn as DOM overlays, not as MapLibre symbol layers. Symbol text needs glyph PBFs
// from a `glyphs` URL: the server would have to serve a font package's files under a new
// route, a missing or mismatched glyph range fails silently (no text at all), and the page's
// "nothing but this server" rule leaves no fallback. HTML labels use the system fonts the page
// already uses, work offline by construction, are readable by screen readers and by the tests,
// and a few hundred of them cost little. They are placed from the label points in view and
// decluttered (districts first, then areas, larger areas first); while the map moves they follow
// it, and at the end of a move they are placed again.

import { vectorSource, sourceLayerOf } from './map-style.js';

const LABEL_POINTS = 'labels-points';

/**
 * Keep the labels that fit: greedy in the given order (most important first), dropping any
 * whose box (grown by `gap` pixels) overlaps one already kept or leaves the view.
 * candidates: [{x, y, w, h, ...}] centred at x, y. view: {width, height}. Pure.
 */
export function declutter(candidates, view, gap = 4) {
  const kept = [];
  for (const c of candidates) {
    const box = { l: c.x - c.w / 2 - gap, r: c.x + c.w / 2 + gap, t: c.y - c.h / 2 - gap, b: c.y + c.h / 2 + gap };
    if (box.l < 0 || box.t < 0 || box.r > view.width || box.b > view.height) continue;
    if (kept.some(({ box: k }) => box.l < k.r && k.l < box.r && box.t < k.b && k.t < box.b)) continue;
    kept.push({ ...c, box });
  }
  return kept;
}

/** Add the context lines under the area outlines' selection, and the (invisible) label points. */
export function addContextLayers(map, tiles) {
  const added = { context: false, labels: false };
  if (tiles.context) {
    const sl = sourceLayerOf(tiles.context, 'context');
    map.addSource('context', vectorSource(tiles.context));
    const before = map.getLayer('areas-selected') ? 'areas-selected' : undefined;
    map.addLayer({
      id: 'context-district', type: 'line', source: 'context', 'source-layer': sl,
      filter: ['==', ['get', 'kind'], 'district'],
      paint: { 'line-color': '#2b2b2b', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 14, 2.2], 'line-dasharray': [4, 2], 'line-opacity': 0.8 },
    }, before);
    map.addLayer({
      id: 'context-outline', type: 'line', source: 'context', 'source-layer': sl,
      filter: ['==', ['get', 'kind'], 'study_outline'],
      paint: { 'line-color': '#111111', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.6, 14, 3.2] },
    }, before);
    added.context = true;
  }
  if (tiles.labels) {
    map.addSource('labels', vectorSource(tiles.labels));
    map.addLayer({
      id: LABEL_POINTS, type: 'circle', source: 'labels', 'source-layer': sourceLayerOf(tiles.labels, 'labels'),
      paint: { 'circle-radius': 1, 'circle-opacity': 0, 'circle-stroke-opacity': 0 },
    });
    added.labels = true;
  }
  return added;
}

/**
 * Draw the place names of the `labels` layer over `map` as HTML, decluttered. Returns
 * {update()} (also run on every `moveend`/`idle`), or null when the server has no labels.
 */
export function startLabels(map) {
  if (!map.getLayer(LABEL_POINTS)) return null;
  const layer = document.createElement('div');
  layer.className = 'map-labels';
  layer.setAttribute('aria-hidden', 'true');
  map.getContainer().appendChild(layer);
  const measurer = document.createElement('canvas').getContext('2d');
  let shown = [];

  const size = (text, kind) => {
    measurer.font = kind === 'district' ? '600 13px system-ui, sans-serif' : '12px system-ui, sans-serif';
    return { w: Math.ceil(measurer.measureText(text).width) + 6, h: kind === 'district' ? 18 : 16 };
  };

  const place = () => {
    for (const s of shown) {
      const p = map.project(s.lngLat);
      s.el.style.transform = `translate(${Math.round(p.x - s.w / 2)}px, ${Math.round(p.y - s.h / 2)}px)`;
    }
  };

  const update = () => {
    const canvas = map.getCanvas();
    const view = { width: canvas.clientWidth, height: canvas.clientHeight };
    const seen = new Set();
    const candidates = [];
    for (const f of map.queryRenderedFeatures({ layers: [LABEL_POINTS] })) {
      const name = f.properties && f.properties.name;
      const kind = f.properties && f.properties.kind === 'district' ? 'district' : 'area';
      if (!name || f.geometry.type !== 'Point') continue;
      const key = `${kind}\u0000${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const lngLat = f.geometry.coordinates;
      const p = map.project(lngLat);
      candidates.push({ name, kind, lngLat, x: p.x, y: p.y, ...size(name, kind) });
    }
    // Districts first, then areas; shorter names first among areas is a fair proxy for fit.
    candidates.sort((a, b) => (a.kind === b.kind ? a.name.length - b.name.length || a.name.localeCompare(b.name) : a.kind === 'district' ? -1 : 1));
    const kept = declutter(candidates, view);
    layer.textContent = '';
    shown = kept.map((c) => {
      const el = document.createElement('span');
      el.className = `map-label map-label-${c.kind}`;
      el.textContent = c.name;
      el.style.width = `${c.w}px`;
      layer.appendChild(el);
      return { ...c, el };
    });
    place();
  };

  /** Draw the labels shown onto a 2D canvas of the map's size times `ratio` (for print). */
  const paint = (ctx, ratio = 1) => {
    ctx.save();
    ctx.scale(ratio, ratio);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    for (const s of shown) {
      const p = map.project(s.lngLat);
      ctx.font = s.kind === 'district' ? '600 13px system-ui, sans-serif' : '12px system-ui, sans-serif';
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.strokeText(s.name, p.x, p.y);
      ctx.fillStyle = s.kind === 'district' ? '#333333' : '#111111';
      ctx.fillText(s.name, p.x, p.y);
    }
    ctx.restore();
  };

  map.on('move', place);
  map.on('moveend', update);
  map.on('idle', update);
  update();
  return { update, paint, element: layer, shown: () => shown.map(({ name, kind }) => ({ name, kind })) };
}
