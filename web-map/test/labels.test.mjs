// Unit tests of the label and lookup helpers: deprivation deciles, hotspot classes, humanised
// identifiers, the area finder, label decluttering and the top list.
// Run: node --test web-map/test/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { fmtClass, fmtDecile, humanize, measureLabel, smallIntegers } from '../src/format.js';
import { findAreas } from '../src/finder.js';
import { declutter } from '../src/context-layers.js';
import { topAreas } from '../src/priority.js';

test('decile 1 is the most deprived 10%, decile 10 the least deprived 10%', () => {
  assert.match(fmtDecile(1), /^Most deprived 10%/);
  assert.match(fmtDecile(10), /^Least deprived 10%/);
  assert.doesNotMatch(fmtDecile(10), /most deprived/i);
  assert.match(fmtDecile(3), /20\u201330% most deprived/);
  assert.match(fmtDecile(9), /10\u201320% least deprived/);
  for (let d = 6; d <= 10; d++) assert.match(fmtDecile(d), /least deprived/i, `decile ${d}`);
  for (let d = 1; d <= 5; d++) assert.match(fmtDecile(d), /most deprived/i, `decile ${d}`);
  for (let d = 1; d <= 10; d++) assert.deepEqual(smallIntegers(fmtDecile(d)), [], `no bare small integer for decile ${d}`);
  assert.equal(fmtDecile(null), 'n/a');
  assert.equal(fmtDecile(11), 'n/a');
});

test('hotspot classes read as words with the right confidence', () => {
  assert.equal(fmtClass('hot_99'), 'Hot spot (99% confidence)');
  assert.equal(fmtClass('cold_90'), 'Cold spot (90% confidence)');
  assert.equal(fmtClass('high_high_999'), 'High-High cluster (99.9% confidence)');
  assert.equal(fmtClass('low_high_95'), 'Low-High outlier (95% confidence)');
  assert.equal(fmtClass('not_significant'), 'Not significant');
});

test('identifiers become labels; labels stay', () => {
  assert.equal(humanize('flag_domestic_abuse'), 'Domestic abuse (flagged)');
  assert.equal(humanize('pub_club'), 'Pub club');
  assert.equal(humanize('Pub or club'), 'Pub or club');
  assert.equal(humanize('police'), 'police');
  assert.equal(measureLabel({ id: 'flag_alcohol', label: 'flag_alcohol' }), 'Alcohol (flagged)');
  assert.equal(measureLabel({ id: 'flag_alcohol', label: 'Alcohol-related (flagged)' }), 'Alcohol-related (flagged)');
  assert.equal(measureLabel({ id: 'x_y' }), 'X y');
});

const AREAS = [
  { code: 'SYN0001', name: 'Northgate 001' },
  { code: 'SYN0002', name: 'Eastfield 002' },
  { code: 'SYN0003', name: 'Eastfield 001' },
  { code: 'SYN0010', name: 'Old Eastfield Road' },
  { code: 'SYN0011', name: 'Westeastfielding' },
];

test('the finder matches part of a name or code, case-insensitively, best first', () => {
  assert.deepEqual(findAreas(AREAS, 'eastfield').map((a) => a.code), ['SYN0003', 'SYN0002', 'SYN0010', 'SYN0011']);
  assert.deepEqual(findAreas(AREAS, '  EASTFIELD 002 ').map((a) => a.code), ['SYN0002']);
  assert.deepEqual(findAreas(AREAS, 'syn001').map((a) => a.code), ['SYN0010', 'SYN0011']);
  assert.deepEqual(findAreas(AREAS, 'SYN0001').map((a) => a.code)[0], 'SYN0001');
  assert.deepEqual(findAreas(AREAS, 'Northgate 001 (SYN0001)').map((a) => a.code), ['SYN0001']);
  assert.deepEqual(findAreas(AREAS, 'nowhere'), []);
  assert.deepEqual(findAreas(AREAS, ''), []);
  assert.equal(findAreas(AREAS, 'e', 2).length, 2);
});

test('declutter keeps the first of overlapping labels and drops those leaving the view', () => {
  const view = { width: 200, height: 100 };
  const kept = declutter([
    { name: 'A', x: 50, y: 50, w: 40, h: 16 },
    { name: 'B', x: 60, y: 55, w: 40, h: 16 }, // overlaps A
    { name: 'C', x: 150, y: 50, w: 40, h: 16 },
    { name: 'D', x: 195, y: 50, w: 40, h: 16 }, // leaves the view
  ], view);
  assert.deepEqual(kept.map((k) => k.name), ['A', 'C']);
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      const [a, b] = [kept[i].box, kept[j].box];
      assert.ok(!(a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b), 'no two kept labels overlap');
    }
  }
});

test('the top list holds positive values only and skips no-data areas', () => {
  const areas = [
    { code: 'A', rate: 3.5 }, { code: 'B', rate: 0 }, { code: 'C', rate: null, suppressed: true },
    { code: 'D', rate: 9.1 }, { code: 'E', rate: 12, no_data: true }, { code: 'F', rate: 0.4 },
  ];
  assert.deepEqual(topAreas(areas, 'rate', 10).map((a) => a.code), ['D', 'A', 'F']);
});
