// The night-time-economy meeting's views: emerging hot spots (17 classes), change between two
// periods per area, and each area's share of events in the night-time economy. Everything
// comes from the catalogue's `time` entry (which names each area column) and the areas'
// tiles; a role is offered a layer only when its tiles carry the column.

import { humanize } from './format.js';
import { NO_VALUE, NOT_SIGNIFICANT } from './palettes.js';

/**
 * The emerging hot spot classes in legend order, with ArcGIS Pro's meanings and a palette in
 * its spirit: hot patterns in reds and oranges (darker = more established), cold in blues.
 */
export const EMERGING_CLASSES = [
  ['new_hot_spot', 'New hot spot', '#ff00c3'],
  ['consecutive_hot_spot', 'Consecutive hot spot', '#ff7f0e'],
  ['intensifying_hot_spot', 'Intensifying hot spot', '#7f0000'],
  ['persistent_hot_spot', 'Persistent hot spot', '#d7301f'],
  ['diminishing_hot_spot', 'Diminishing hot spot', '#fc8d59'],
  ['sporadic_hot_spot', 'Sporadic hot spot', '#fdd49e'],
  ['oscillating_hot_spot', 'Oscillating hot spot', '#c994c7'],
  ['historical_hot_spot', 'Historical hot spot', '#8c6d31'],
  ['new_cold_spot', 'New cold spot', '#00e5ff'],
  ['consecutive_cold_spot', 'Consecutive cold spot', '#6baed6'],
  ['intensifying_cold_spot', 'Intensifying cold spot', '#08306b'],
  ['persistent_cold_spot', 'Persistent cold spot', '#2171b5'],
  ['diminishing_cold_spot', 'Diminishing cold spot', '#9ecae1'],
  ['sporadic_cold_spot', 'Sporadic cold spot', '#deebf7'],
  ['oscillating_cold_spot', 'Oscillating cold spot', '#807dba'],
  ['historical_cold_spot', 'Historical cold spot', '#41ab5d'],
  ['no_pattern', 'No pattern detected', NOT_SIGNIFICANT],
];

/** Change classes. */
export const CHANGE_CLASSES = [
  ['increase', 'Significant increase', '#b2182b'],
  ['decrease', 'Significant decrease', '#2166ac'],
  ['no_significant_change', 'No significant change', NOT_SIGNIFICANT],
];

/** ED versus police: areas whose share of ED assaults (of ED assaults and police violence) is significantly above the study's. */
export const ED_VS_POLICE_FIELD = 'ed_vs_police_ed_share_class_fdr';
export const ED_VS_POLICE_CLASSES = [
  ['high', 'ED share significantly above the study\u2019s', '#6a3d9a'],
  ['not_significant', 'Not significantly above', NOT_SIGNIFICANT],
];

const time = (catalogue) => catalogue.time || {};
const emergingOf = (catalogue, name) => (time(catalogue).emerging || []).find((e) => e.name === name);
const changeOf = (catalogue, name) => (time(catalogue).changes || []).find((c) => c.name === name);

/** The time layers whose column the areas' tiles carry, as layer-menu options. */
export function timeLayerOptions(catalogue, areaFields) {
  const fields = areaFields || {};
  const t = time(catalogue);
  const out = [];
  for (const e of t.emerging || []) {
    if (e.column in fields) out.push({ id: `emerging:${e.name}`, label: `Emerging hot spots: ${humanize(e.name)} (${e.slices.length} ${humanize(e.slice).toLowerCase()}s)` });
  }
  for (const c of t.changes || []) {
    if (c.class_column in fields) out.push({ id: `change:${c.name}`, label: `Change: ${humanize(c.name)} (${c.period} against ${c.previous})` });
  }
  if (ED_VS_POLICE_FIELD in fields) out.push({ id: 'ed_vs_police', label: 'ED assaults against police violence (ED share)' });
  for (const s of (t.nte && t.nte.shares) || []) {
    if (s.column in fields) out.push({ id: `field:${s.column}`, label: `Night-time economy share: ${humanize(s.source)}` });
  }
  return out;
}

/** True for a layer of this module that colours areas by class (no classification controls). */
export const isTimeClassLayer = (layer) => layer === 'ed_vs_police' || /^(emerging|change):/.test(layer || '');

const matchColor = (field, classes) => ['match', ['coalesce', ['get', field], ''], ...classes.flatMap(([id, , c]) => [id, c]), NO_VALUE];

/** fill-color and legend of `emerging:{name}`, `change:{name}` or `ed_vs_police`; null for other layers. */
export function timeLayerStyle(catalogue, layer) {
  const [kind, name] = layer.split(':');
  if (kind === 'emerging') {
    const e = emergingOf(catalogue, name);
    if (!e) return null;
    const lags = e.lags === 1 ? 'the previous one' : `the ${e.lags} previous`;
    return {
      color: matchColor(e.column, EMERGING_CLASSES),
      legend: {
        title: `Emerging hot spots: ${humanize(e.name)}`,
        subtitle: `${e.slices.length} ${humanize(e.slice).toLowerCase()} slices, ${e.slices[0]} to ${e.slices[e.slices.length - 1]}`,
        items: [...EMERGING_CLASSES.map(([id, label, color]) => ({ color, label, code: id })), { color: NO_VALUE, label: 'Not analysed (no data)' }],
        notes: [
          `Gi* of each slice over each area, its neighbours and ${lags} slice${e.lags === 1 ? '' : 's'} (space-time neighbours), FDR per slice; the trend of its z-scores by Mann-Kendall.`,
          'New: hot only in the last slice. Consecutive: a final run of hot slices. Intensifying, persistent, diminishing: hot in at least 90% of slices, getting stronger, steady or weaker. Sporadic: on and off. Oscillating: hot now, cold before. Historical: hot in 90% of slices, not the last.',
        ],
      },
    };
  }
  if (layer === 'ed_vs_police') {
    return {
      color: matchColor(ED_VS_POLICE_FIELD, ED_VS_POLICE_CLASSES),
      legend: {
        title: 'ED assaults against police-recorded violence',
        subtitle: 'Share of ED assaults in ED assaults plus police violence, against the study-wide share: exact binomial test, FDR across areas',
        items: [...ED_VS_POLICE_CLASSES.map(([id, label, color]) => ({ color, label, code: id })), { color: NO_VALUE, label: 'No value' }],
        notes: ['High: more of the violence here reaches the hospital than the police, compared with the study as a whole (violence that does not reach the police). Exact ED counts: analyst only.'],
      },
    };
  }
  if (kind === 'change') {
    const c = changeOf(catalogue, name);
    if (!c) return null;
    return {
      color: matchColor(c.class_column, CHANGE_CLASSES),
      legend: {
        title: `Change: ${humanize(c.name)}`,
        subtitle: `${c.period} against ${c.previous}: exact test per area, FDR across areas`,
        items: [...CHANGE_CLASSES.map(([id, label, color]) => ({ color, label, code: id })), { color: NO_VALUE, label: 'No data in one of the periods' }],
        notes: ['A rise or fall is significant when the exact conditional test of the two counts (adjusted for the periods\u2019 lengths) passes after the false-discovery-rate correction.'],
      },
    };
  }
  return null;
}
