// The two levels of a study reported by neighbourhood: names, the level at a zoom, the
// small-area column of a map measure, the small areas as value-legend entries, the title.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { levelAt, levelNames, smallAreaColumn, smallAreaEntries, smallAreaTitle } from '../src/levels.js';
import { valueLegend } from '../src/value-legend.js';
import { NO_VALUE, SUPPRESSED, ZERO } from '../src/palettes.js';

const LEVELS = { label: 'ward', switch_zoom: 13, small_areas: 'small_areas', small_area_vintage: 'lsoa21' };

test('levels are named from the label and the small areas\' vintage', () => {
  const n = levelNames(LEVELS);
  assert.deepEqual([n.one, n.many, n.Many, n.smallOne, n.smallMany, n.SmallMany], ['ward', 'wards', 'Wards', 'LSOA', 'LSOAs', 'LSOAs']);
  assert.equal(levelNames({ label: 'neighbourhood', small_area_vintage: 'msoa21' }).SmallMany, 'MSOAs');
  assert.equal(levelNames({ label: 'police neighbourhood', small_area_vintage: 'oa21' }).many, 'police neighbourhoods');
  assert.equal(levelNames({ label: 'local authority' }).smallMany, 'small areas', 'unknown vintage');
  assert.equal(levelNames({ label: 'parish' }).Many, 'Parishes');
});

test('the small areas are drawn from switch_zoom up', () => {
  assert.equal(levelAt(LEVELS, 12.99), 'neighbourhoods');
  assert.equal(levelAt(LEVELS, 13), 'small');
  assert.equal(levelAt(null, 16), 'neighbourhoods', 'no levels: one level');
});

test('a small-area column exists only for the count and crude rate of all categories over the whole period, all hours', () => {
  const catalogue = {
    sources: [{ name: 'police', periods: [{ id: 'all', from: '2018-10', to: '2019-02' }, { id: '2018', from: '2018-10', to: '2018-12' }] }],
  };
  const fields = { code: 'String', police_all_count: 'Number', police_all_rate: 'Number' };
  const state = { layer: 'rate', source: 'police', category: 'all', from: '2018-10', to: '2019-02', window: 'all' };
  assert.equal(smallAreaColumn(catalogue, state, fields), 'police_all_rate');
  assert.equal(smallAreaColumn(catalogue, { ...state, layer: 'count' }, fields), 'police_all_count');
  for (const patch of [{ layer: 'eb_rate' }, { layer: 'gi:violence' }, { category: 'burglary' }, { window: 'nte' }, { to: '2018-12' }, { source: 'ed' }]) {
    assert.equal(smallAreaColumn(catalogue, { ...state, ...patch }, fields), null, JSON.stringify(patch));
  }
  assert.equal(smallAreaColumn(catalogue, state, { code: 'String' }), null, 'a column the tiles do not carry');
});

test('a missing small-area value is suppressed (a public count) or no value, never zero', () => {
  const rows = [
    { code: 'A', police_all_count: 0 }, { code: 'B', police_all_count: 12 }, { code: 'C', police_all_count: null }, { code: 'D' },
  ];
  const pub = smallAreaEntries(rows, 'police_all_count', 'count');
  assert.deepEqual(pub.map((e) => [e.code, e.count, e.suppressed]), [['A', 0, false], ['B', 12, false], ['C', null, true], ['D', null, true]]);
  const spec = valueLegend(pub, 'count');
  assert.deepEqual(pub.map((e) => spec.colorOf(e)).slice(2), [SUPPRESSED, SUPPRESSED]);
  assert.equal(spec.colorOf(pub[0]), ZERO);
  const rates = smallAreaEntries([{ code: 'E', police_all_rate: null }], 'police_all_rate', 'rate');
  assert.equal(valueLegend(rates, 'rate').colorOf(rates[0]), NO_VALUE);
  const analyst = smallAreaEntries([{ code: 'F' }], 'police_all_count', 'count', { analyst: true });
  assert.equal(analyst[0].suppressed, false, 'nothing is suppressed for the analyst');
});

test('a small area reads name first, code second, then its neighbourhood', () => {
  const names = levelNames(LEVELS);
  assert.equal(
    smallAreaTitle({ code: 'E01015123', name: 'Plymouth 027E', neighbourhood: 'E05012345', neighbourhood_name: 'Stoke' }, names),
    'Plymouth 027E (E01015123) in Stoke ward',
  );
  assert.equal(smallAreaTitle({ code: 'E01015123' }, names), 'E01015123');
});
