// The MapLibre style, built in code: no glyphs, sprites or fonts, so the map needs nothing
// from the internet. A background colour (or an optional online basemap given by
// `?basemap=URL`), then the layers of `safemap serve`: kernel density, grid cells, areas
// (fill coloured through feature-state or tile attributes, outline, selection) and services
// as circles (no text symbols: those would need a glyphs URL).

import {
  BACKGROUND, GI_CLASSES, LISA_LEVELS, LISA_QUADRANTS, NO_DATA, NO_VALUE, NOT_SIGNIFICANT, OUTLINE,
  SUPPRESSED, TIER_OTHER, TIERS, ZERO, ramp,
} from './palettes.js';

export function baseStyle() {
  return {
    version: 8,
    name: 'safemap (offline)',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
  };
}

/** A tile URL template made absolute on this origin, its {z}/{x}/{y} left unescaped. */
export function absoluteTemplate(t) {
  return new URL(t, location.origin).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
}

/** A vector source from a TileJSON answer, with tile URLs made absolute on this origin. */
export function vectorSource(tj) {
  const src = {
    type: 'vector',
    tiles: (tj.tiles || []).map(absoluteTemplate),
    minzoom: tj.minzoom ?? 0,
    maxzoom: tj.maxzoom ?? 14,
  };
  if (Array.isArray(tj.bounds) && tj.bounds.length === 4) src.bounds = tj.bounds;
  if (tj.attribution) src.attribution = tj.attribution;
  return src;
}

/** The source-layer name of a TileJSON (its first vector layer), else the layer id. */
export function sourceLayerOf(tj, fallback) {
  return (tj && tj.vector_layers && tj.vector_layers[0] && tj.vector_layers[0].id) || fallback;
}

export function fieldsOf(tj) {
  return (tj && tj.vector_layers && tj.vector_layers[0] && tj.vector_layers[0].fields) || {};
}

/** Add the safemap sources and layers. `tiles`: {areas, grid, density, services} TileJSONs. */
export function addDataLayers(map, tiles) {
  const before = undefined;
  if (tiles.density) {
    map.addSource('density', vectorSource(tiles.density));
    map.addLayer({
      id: 'density-fill', type: 'fill', source: 'density', 'source-layer': sourceLayerOf(tiles.density, 'density'),
      layout: { visibility: 'none' }, paint: { 'fill-color': NO_VALUE, 'fill-opacity': 0.85, 'fill-antialias': false },
    }, before);
  }
  if (tiles.grid) {
    map.addSource('grid', vectorSource(tiles.grid));
    map.addLayer({
      id: 'grid-fill', type: 'fill', source: 'grid', 'source-layer': sourceLayerOf(tiles.grid, 'grid'),
      layout: { visibility: 'none' }, paint: { 'fill-color': NO_VALUE, 'fill-opacity': 0.85, 'fill-outline-color': '#ffffff' },
    }, before);
  }
  const areasLayer = sourceLayerOf(tiles.areas, 'areas');
  map.addSource('areas', vectorSource(tiles.areas));
  map.addLayer({
    id: 'areas-fill', type: 'fill', source: 'areas', 'source-layer': areasLayer,
    paint: { 'fill-color': NO_VALUE, 'fill-opacity': 0.9 },
  });
  map.addLayer({
    id: 'areas-line', type: 'line', source: 'areas', 'source-layer': areasLayer,
    paint: { 'line-color': OUTLINE, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 15, 1.2], 'line-opacity': 0.7 },
  });
  map.addLayer({
    id: 'areas-selected', type: 'line', source: 'areas', 'source-layer': areasLayer,
    filter: ['==', ['id'], -1],
    paint: { 'line-color': '#000000', 'line-width': 3 },
  });
  if (tiles.services) {
    map.addSource('services', vectorSource(tiles.services));
    map.addLayer({
      id: 'services-circle', type: 'circle', source: 'services', 'source-layer': sourceLayerOf(tiles.services, 'services'),
      layout: { visibility: 'none' },
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 15, 8],
        'circle-color': ['match', ['get', 'tier'], ...TIERS.flatMap(([id, , c]) => [id, c]), TIER_OTHER],
        'circle-stroke-color': '#000000',
        'circle-stroke-width': 1.2,
      },
    });
  }
  return { areasLayer };
}

/**
 * fill-color for a measure held in the feature-state of each area (set from /api/areas.json),
 * in the order of precedence of `entryOf` in value-legend.js: no data, a class (a `step` on the
 * thresholds), zero, suppressed, no value. Every area gets a colour that is in the legend.
 */
export function valueColor(measure, thresholds, colors) {
  const v = ['feature-state', measure];
  return [
    'case',
    ['boolean', ['feature-state', 'no_data'], false], NO_DATA,
    ['==', ['typeof', v], 'number'], classedColor(v, thresholds, colors),
    ['boolean', ['feature-state', 'suppressed'], false], SUPPRESSED,
    NO_VALUE,
  ];
}

/** The colour of a number `v` (an expression): zero its own colour, else its class. */
export function classedColor(v, thresholds, colors) {
  const step = thresholds.length
    ? ['step', v, colors[0], ...thresholds.flatMap((t, i) => [t, colors[i + 1]])]
    : colors[0];
  return ['case', ['==', v, 0], ZERO, step];
}

/** fill-color for a numeric tile attribute classified by thresholds. */
export function attributeColor(field, thresholds, colors) {
  const step = thresholds.length
    ? ['step', ['to-number', ['get', field]], colors[0], ...thresholds.flatMap((t, i) => [t, colors[i + 1]])]
    : colors[0];
  return ['case', ['==', ['typeof', ['get', field]], 'number'], step, NO_VALUE];
}

/** fill-color for Gi* classes held in a tile attribute. */
export function giColor(field) {
  return ['match', ['coalesce', ['get', field], ''], ...GI_CLASSES.flat(), NO_VALUE];
}

/** fill-color for Local Moran classes (quadrant_level) held in a tile attribute. */
export function lisaColor(field) {
  const pairs = [];
  for (const [q, , c] of LISA_QUADRANTS) for (const lvl of LISA_LEVELS) pairs.push(`${q}_${lvl}`, c);
  return ['match', ['coalesce', ['get', field], ''], ...pairs, 'not_significant', NOT_SIGNIFICANT, NO_VALUE];
}

/** Filter of the services layer: chosen kinds and tiers; confidential services never drawn. */
export function servicesFilter(kinds, tiers) {
  const f = ['all',
    ['!', ['in', ['downcase', ['to-string', ['coalesce', ['get', 'confidential'], 'false']]], ['literal', ['true', 'yes', '1']]]],
  ];
  if (kinds && kinds.length) f.push(['in', ['get', 'kind'], ['literal', kinds]]);
  if (tiers && tiers.length) f.push(['in', ['get', 'tier'], ['literal', tiers]]);
  return f;
}

export { ramp };
