// The classes and legend of a value choropleth (count, rate, smoothed rate, excess risk) of
// /api/areas.json. Pure (no DOM, no map), so `node --test` can check it.
//
// Every area falls in exactly one legend entry, in this order of precedence (the paint
// expression `valueColor` in map-style.js uses the same order):
//   no data     `no_data: true`: no input file covers the area for the period (not zero)
//   a class     a positive number, classified with the chosen method on the positive values only
//   zero        exactly 0: none recorded, its own colour outside the ramp
//   suppressed  withheld by disclosure control (public view)
//   no value    absent for another reason (a rate with no residents)
// Zero, suppressed, no data and no value have colours outside every ramp, so none of them can
// be read as a class, and quantile breaks are computed without the zeros that would swamp them.

import { classify, classOf, METHODS } from './classify.js';
import { fmtMeasure } from './format.js';
import { NO_DATA, NO_VALUE, SUPPRESSED, ZERO, ramp } from './palettes.js';

export const SPECIAL = {
  zero: { color: ZERO, outline: '#888888' },
  suppressed: { color: SUPPRESSED, label: 'Suppressed (small count)' },
  no_data: { color: NO_DATA, label: 'No data (no input covers it)' },
  no_value: { color: NO_VALUE, label: 'No value for this measure' },
};

const FALLBACK_NOTES = {
  distinct: 'Too few different values for quantiles: each value has its own class.',
  jenks: 'Quantile breaks tied on repeated values, so the classes are natural breaks (Jenks) instead.',
};

/** Which legend entry an /api/areas.json item falls in for `measure` (a missing no_data is false). */
export function entryOf(area, measure) {
  if (area.no_data === true) return 'no_data';
  const v = area[measure];
  if (typeof v === 'number' && Number.isFinite(v)) return v === 0 ? 'zero' : 'class';
  if (area.suppressed) return 'suppressed';
  return 'no_value';
}

/**
 * Classes, colours and legend items of `measure` over `areas`.
 * opts: {method: 'quantile'|'jenks'|'equal', k, palette}. Returns {thresholds, colors, items,
 * notes, colorOf(area)}; `colors[i]` is the colour of values in class i of `thresholds`
 * (MapLibre `step` semantics), and `colorOf` gives any area's colour.
 */
export function valueLegend(areas, measure, { method = 'quantile', k = 5, palette = 'viridis' } = {}) {
  const counts = { class: 0, zero: 0, suppressed: 0, no_data: 0, no_value: 0 };
  const positive = [];
  for (const a of areas) {
    const e = entryOf(a, measure);
    counts[e] += 1;
    if (e === 'class') positive.push(a[measure]);
  }
  const c = classify(positive, method, k);
  const colors = ramp(palette, Math.max(1, c.classes.length));
  const items = c.classes
    .map((cl, i) => ({ cl, color: colors[i] }))
    .filter(({ cl }) => cl.n > 0)
    .map(({ cl, color }) => ({
      color,
      n: cl.n,
      label: cl.lo === cl.hi ? fmtMeasure(measure, cl.lo) : `${fmtMeasure(measure, cl.lo)} to ${fmtMeasure(measure, cl.hi)}`,
    }));
  if (counts.zero) items.push({ ...SPECIAL.zero, label: `${fmtMeasure(measure, 0)} (none recorded)`, n: counts.zero });
  for (const e of ['suppressed', 'no_data', 'no_value']) {
    if (counts[e]) items.push({ ...SPECIAL[e], n: counts[e] });
  }
  const name = c.method === 'distinct' ? 'One class per value' : `${METHODS[c.method] || METHODS.quantile} classes`;
  const notes = [`${name} of the values above zero.`];
  if (c.fallback) notes.push(FALLBACK_NOTES[c.fallback]);
  const colorOf = (a) => {
    const e = entryOf(a, measure);
    if (e === 'class') return colors[classOf(c.thresholds, a[measure])];
    return SPECIAL[e].color;
  };
  return { thresholds: c.thresholds, colors, items, notes, counts, fallback: c.fallback, colorOf };
}
