// The night-time-economy window as the study writes it (days the nights start on, hours
// wrapping past midnight), read the way the server's HourMask reads it.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { nteShare, windowCells } from '../src/charts.js';

const cellsOf = (inWindow) => {
  const out = [];
  for (let d = 0; d < 7; d += 1) for (let h = 0; h < 24; h += 1) if (inWindow(d, h)) out.push([d, h]);
  return out;
};

test('the default window is Friday and Saturday nights, 21:00-02:59, Saturday 01:00 counted as Friday night', () => {
  const cells = cellsOf(windowCells());
  assert.equal(cells.length, 12);
  assert.ok(windowCells()(5, 1), 'Saturday 01:00');
  assert.ok(windowCells()(6, 2), 'Sunday 02:00');
  assert.ok(!windowCells()(5, 3) && !windowCells()(4, 20));
  assert.deepEqual(cellsOf(windowCells({ days: '', hours: '' })), cells, 'an empty window (older results) is the default');
});

test('another window from the study: Thursday to Saturday nights, 22:00-01:59, Sunday wrapping to Monday', () => {
  const w = windowCells({ days: 'thu,fri,sat,sun', hours: '22-1' });
  assert.equal(cellsOf(w).length, 16);
  assert.ok(w(3, 22) && w(4, 1) && w(0, 1), 'Thursday 22:00, Friday 01:00, and Sunday night into Monday 01:00');
  assert.ok(!w(3, 21) && !w(4, 2));
  const m = Array.from({ length: 7 }, () => Array(24).fill(0));
  m[3][22] = 3; // in the window
  m[3][12] = 1; // not
  assert.equal(nteShare(m, w), 0.75);
  assert.equal(nteShare(Array.from({ length: 7 }, () => Array(24).fill(0)), w), null);
});
