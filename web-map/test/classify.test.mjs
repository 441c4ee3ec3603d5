// Unit tests of the pure modules of the web map: classes, the value legend (zero, suppressed,
// no data), number and label formats, the area finder and label decluttering.
// Run: node --test web-map/test/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { classify, classOf, quantileThresholds } from '../src/classify.js';
import { entryOf, SPECIAL, valueLegend } from '../src/value-legend.js';
import { NO_DATA, NO_VALUE, SUPPRESSED, ZERO, ramp } from '../src/palettes.js';

const repeat = (v, n) => Array.from({ length: n }, () => v);

test('quantile classes of spread-out values are quantiles', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  const c = classify(values, 'quantile', 5);
  assert.equal(c.fallback, null);
  assert.equal(c.method, 'quantile');
  assert.deepEqual(c.thresholds, [21, 41, 61, 81]);
  assert.deepEqual(c.classes.map((x) => x.n), [20, 20, 20, 20, 20]);
});

test('tied quantile breaks fall back to natural breaks, keeping every class asked for', () => {
  // 65 equal low values and a spread of high ones: quantile breaks all land on 2.5.
  const values = [...repeat(2.5, 65), 3.1, 3.4, 4.0, 5.2, 6.8, 9.9, 12.5, 20.1, 35.2, 38.0, 41.1, 42.6];
  assert.ok(quantileThresholds([...values].sort((a, b) => a - b), 5).length < 4, 'the quantile breaks tie (the defect)');
  const c = classify(values, 'quantile', 5);
  assert.equal(c.fallback, 'jenks');
  assert.equal(c.method, 'jenks');
  assert.equal(c.classes.length, 5, 'five classes asked for, five drawn');
  assert.ok(c.classes.every((x) => x.n > 0));
  // The four hotspots (35-43) are in the top classes, above 20.1, far from the low values.
  for (const v of [35.2, 38.0, 41.1, 42.6]) assert.ok(classOf(c.thresholds, v) > classOf(c.thresholds, 20.1), `${v}`);
  assert.equal(classOf(c.thresholds, 42.6), 4);
  assert.equal(classOf(c.thresholds, 2.5), 0);
});

test('at most k distinct values: one class per value', () => {
  const values = [...repeat(10, 40), ...repeat(15, 3), 20, 20, 25];
  const c = classify(values, 'quantile', 5);
  assert.equal(c.fallback, 'distinct');
  assert.deepEqual(c.classes.map((x) => [x.lo, x.hi]), [[10, 10], [15, 15], [20, 20], [25, 25]]);
});

test('no values: no classes', () => {
  assert.deepEqual(classify([null, undefined, NaN], 'quantile', 5).classes, []);
});

const area = (id, v, extra = {}) => ({ id, code: `A${id}`, rate: v, count: v, ...extra });

test('zeros, suppressed values, no data and no value each get their own entry and colour', () => {
  const areas = [
    ...Array.from({ length: 20 }, (_, i) => area(i, i + 1.5)),
    area(20, 0), area(21, 0), area(22, 0),
    area(23, null, { suppressed: true }),
    area(24, null, { no_data: true, suppressed: false }),
    area(25, null, { no_data: true }),
    area(26, null),
    area(27, 0, { no_data: true }), // no_data wins over any value
  ];
  const spec = valueLegend(areas, 'rate', { method: 'quantile', k: 5, palette: 'viridis' });
  const byLabel = Object.fromEntries(spec.items.map((it) => [it.label, it]));
  assert.equal(byLabel['0.0 (none recorded)'].color, ZERO);
  assert.equal(byLabel['0.0 (none recorded)'].n, 3);
  assert.equal(byLabel[SPECIAL.suppressed.label].color, SUPPRESSED);
  assert.equal(byLabel[SPECIAL.suppressed.label].n, 1);
  assert.equal(byLabel['No data (no input covers it)'].color, NO_DATA);
  assert.equal(byLabel['No data (no input covers it)'].n, 3);
  assert.equal(byLabel[SPECIAL.no_value.label].color, NO_VALUE);
  // The ramp classes hold the positive values only, five of them.
  const ramp5 = ramp('viridis', 5);
  const classes = spec.items.filter((it) => ramp5.includes(it.color));
  assert.equal(classes.length, 5);
  assert.equal(classes.reduce((s, it) => s + it.n, 0), 20);
  // Every area's colour is one of the legend's colours; the special colours are not in the ramp.
  const legendColours = new Set(spec.items.map((it) => it.color));
  for (const a of areas) assert.ok(legendColours.has(spec.colorOf(a)), `area ${a.id} has a legend colour`);
  for (const c of [ZERO, SUPPRESSED, NO_DATA, NO_VALUE]) assert.ok(!ramp5.includes(c));
  assert.equal(new Set([ZERO, SUPPRESSED, NO_DATA, NO_VALUE]).size, 4, 'four distinct special colours');
  assert.equal(spec.colorOf(areas[27]), NO_DATA);
  assert.equal(spec.colorOf(areas[20]), ZERO);
});

test('a missing no_data field is false', () => {
  assert.equal(entryOf({ rate: 3.2 }, 'rate'), 'class');
  assert.equal(entryOf({ rate: 0 }, 'rate'), 'zero');
  assert.equal(entryOf({ rate: null, suppressed: true }, 'rate'), 'suppressed');
  assert.equal(entryOf({ rate: null, no_data: false }, 'rate'), 'no_value');
  assert.equal(entryOf({ rate: null, no_data: true, suppressed: false }, 'rate'), 'no_data');
});

test('the NTE alcohol case: hotspots do not share a class with the zero areas', () => {
  // 65 zero-count areas, some low rates and four NTE hotspots at 35-43 per 1,000.
  const areas = [
    ...Array.from({ length: 65 }, (_, i) => area(i, 0)),
    ...[1.2, 1.5, 2.2, 3.0, 4.1, 5.5, 7.0, 8.2].map((v, i) => area(100 + i, v)),
    ...[35.1, 38.4, 40.2, 42.6].map((v, i) => area(200 + i, v)),
  ];
  const spec = valueLegend(areas, 'rate', { method: 'quantile', k: 5 });
  const zero = spec.colorOf(areas[0]);
  assert.equal(zero, ZERO);
  const hot = areas.filter((a) => a.rate > 30).map(spec.colorOf);
  assert.ok(hot.every((c) => c !== zero), 'hotspots are not drawn like zero areas');
  assert.notEqual(spec.colorOf(areas[65]), hot[0], 'the lowest positive rate is not in the hotspots class');
  assert.ok(spec.items.length >= 4, `several entries (${spec.items.map((i) => i.label).join(' | ')})`);
  assert.match(spec.notes.join(' '), /above zero/);
});

test('a fallback says so in the legend notes', () => {
  const areas = [...Array.from({ length: 60 }, (_, i) => area(i, 10)), area(60, 15), area(61, 20)];
  const spec = valueLegend(areas, 'count', { method: 'quantile', k: 5 });
  assert.equal(spec.fallback, 'distinct');
  assert.match(spec.notes.join(' '), /each value has its own class/);
  assert.deepEqual(spec.items.map((i) => i.label), ['10', '15', '20']);
});
