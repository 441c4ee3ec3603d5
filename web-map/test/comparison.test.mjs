// The comparison section's words: ordinals and the sentence of a category.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { comparisonSentence, ordinal } from '../src/report-comparison.js';

test('ordinals', () => {
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal),
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th']);
});

test('a category sentence says both ranks, and no rank without one', () => {
  const c = { partnership: { name: 'Plymouth' }, group: new Array(16).fill({}) };
  assert.equal(
    comparisonSentence(c, { slug: 'violence', name: 'Violence and sexual offences', rank_similar: 3, rank_all: 40, ranked: 259 }),
    'Plymouth: 3rd lowest of 16 similar partnerships for violence and sexual offences (40th lowest of 259 partnerships with data).',
  );
  assert.match(comparisonSentence(c, { slug: 'all', name: 'All crime', rank_similar: null, rank_all: null, ranked: 0 }), /not ranked among its similar partnerships for all crime \(not ranked nationally\)/);
});
