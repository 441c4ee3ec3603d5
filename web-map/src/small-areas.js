// The small areas of a study reported by neighbourhood, on the map: drawn from the
// catalogue's `levels.switch_zoom` up in place of the neighbourhoods (whose fill and outline
// stop there), coloured by the small-area column of the chosen measure, classified over every
// small area's own values (/api/small_areas.json), or outlined only when they have none.

import { esc, fmtMeasure, rateLabel } from './format.js';
import { levelNames, smallAreaColumn, smallAreaEntries, smallAreaTitle } from './levels.js';
import { classedColor, fieldsOf, sourceLayerOf, vectorSource } from './map-style.js';
import { NO_VALUE, OUTLINE, SUPPRESSED } from './palettes.js';
import { valueLegend } from './value-legend.js';

export const SMALL_FILL = 'small-areas-fill';
export const SMALL_LINE = 'small-areas-line';
const OPACITY = 0.9;

/**
 * Add the small areas' source and layers from `levels.switch_zoom` up, and stop the `areas`
 * fill and outline there. Returns false (and changes nothing) without a small-areas TileJSON.
 */
export function addSmallAreaLayers(map, tiles, levels) {
  const tj = levels && tiles[levels.small_areas];
  if (!tj) return false;
  const z = levels.switch_zoom;
  map.setLayerZoomRange('areas-fill', 0, z);
  map.setLayerZoomRange('areas-line', 0, z);
  map.addSource('small_areas', vectorSource(tj));
  const common = { source: 'small_areas', 'source-layer': sourceLayerOf(tj, levels.small_areas), minzoom: z };
  map.addLayer({ id: SMALL_FILL, type: 'fill', ...common, paint: { 'fill-color': NO_VALUE, 'fill-opacity': 0 } }, 'areas-selected');
  map.addLayer({
    id: SMALL_LINE, type: 'line', ...common,
    paint: { 'line-color': OUTLINE, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 0.6, 16, 1.5], 'line-opacity': 0.8 },
  }, 'areas-selected');
  return true;
}

/** The colour in which a missing value of `measure` is drawn (as `smallAreaEntries` files it). */
function missingColour(measure, analyst) {
  return !analyst && measure === 'count' ? SUPPRESSED : NO_VALUE;
}

/**
 * Style the small areas for `state` and return their legend spec (with `level`, what is drawn).
 * ctx: {catalogue, levels, tiles, rows (/api/small_areas.json), analyst, ratePer, describe()}.
 */
export function applySmallAreas(map, state, ctx) {
  const names = levelNames(ctx.levels);
  if (!map.getLayer(SMALL_FILL)) return null;
  const column = smallAreaColumn(ctx.catalogue, state, fieldsOf(ctx.tiles[ctx.levels.small_areas]));
  if (!column) {
    map.setPaintProperty(SMALL_FILL, 'fill-opacity', 0);
    return {
      level: names.SmallMany,
      title: `${names.SmallMany} (outlines)`,
      items: [{ color: 'transparent', outline: OUTLINE, label: `${names.SmallOne} boundary` }],
      notes: [`${names.SmallMany} have values only for the count and crude rate of all categories over the whole study period, all hours; zoom out to see this layer for the ${names.many}.`],
      column: null,
    };
  }
  const measure = state.layer;
  const spec = valueLegend(smallAreaEntries(ctx.rows || [], column, measure, { analyst: ctx.analyst }), measure, {
    method: state.class, k: state.k, palette: state.palette,
  });
  const v = ['to-number', ['get', column]];
  map.setPaintProperty(SMALL_FILL, 'fill-color', [
    'case', ['==', ['typeof', ['get', column]], 'number'], classedColor(v, spec.thresholds, spec.colors),
    missingColour(measure, ctx.analyst),
  ]);
  map.setPaintProperty(SMALL_FILL, 'fill-opacity', OPACITY);
  const per = measure === 'rate' ? ` ${rateLabel(ctx.catalogue, state, ctx.ratePer)}` : '';
  return {
    level: names.SmallMany,
    title: `${measure === 'rate' ? 'Crude rate' : 'Count'}${per}`,
    subtitle: ctx.describe(),
    items: spec.items,
    notes: [
      ...spec.notes,
      `Each ${names.smallOne}'s own value, classified over all ${(ctx.rows || []).length} ${names.smallMany}.`,
      ...(ctx.analyst || measure !== 'count' ? [] : ['Public view: counts are rounded to the nearest five and small counts are suppressed (grey).']),
    ],
    column,
    thresholds: spec.thresholds,
    colors: spec.colors,
  };
}

/** The HTML of a small area's popup: its name, code and neighbourhood, and its value. */
export function smallAreaHtml(props, { levels, column, measure, per: perText }) {
  const title = `<strong data-field="small-area">${esc(smallAreaTitle(props, levelNames(levels)))}</strong>`;
  if (!column) return title;
  const v = props[column];
  const per = measure === 'rate' ? ` ${perText || 'per 1,000'}` : '';
  const text = typeof v === 'number' ? fmtMeasure(measure, v) : measure === 'count' ? 'suppressed' : 'no value';
  return `${title}<br>${esc(measure === 'rate' ? 'Crude rate' : 'Count')}${esc(per)}: <span data-field="${esc(column)}">${esc(text)}</span>`;
}
