// A study reported by ward (issue 14) in real headless Chromium: `safemap run
// tests/studies/plymouth-wards.toml` then `safemap serve`. Below the catalogue's
// `levels.switch_zoom` the map draws Plymouth's 20 wards, named in the ranking list and the
// panel (name first, code second), each in its class colour; from it the map draws the LSOAs
// instead, each in the class of its own rate (classified over all 164, read independently from
// small_areas.geojson), and a hovered LSOA reads "name (code) in Ward ward". Screenshots go to
// target/browser-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  afterUpdate, artifactsDir, assertNear, blended, launchBrowser, mapIdle, newPage, openMap, pixel, pointInArea, startServer,
} from './harness.mjs';
import { valueLegend } from '../../web-map/src/value-legend.js';
import { BACKGROUND } from '../../web-map/src/palettes.js';

const STUDY = 'tests/studies/plymouth-wards.toml';
/** Plymouth city centre (the Guildhall). */
const CENTRE = [-4.1427, 50.3703];

let server;
let browser;
/** small_areas.geojson of the run: {code: properties}. */
let lsoas;

before(async () => {
  server = await startServer({ study: STUDY });
  browser = await launchBrowser();
  const fc = JSON.parse(readFileSync(path.join(server.dir, 'results', 'small_areas.geojson'), 'utf8'));
  lsoas = Object.fromEntries(fc.features.map((f) => [f.properties.code, f.properties]));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** The distinct codes of the features drawn in the view by `layer`. */
async function renderedCodes(page, layer) {
  return page.evaluate((id) => {
    const { map } = window.__safemap;
    if (!map.getLayer(id)) return [];
    return [...new Set(map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties.code))].sort();
  }, layer);
}

/**
 * Points (page coordinates) well inside small areas in view: each point and its 6-pixel
 * neighbours hit the same small area. At most one point per small area, up to `n`.
 */
async function pointsInSmallAreas(page, n) {
  return page.evaluate((max) => {
    const { map } = window.__safemap;
    const canvas = map.getCanvas();
    const rect = canvas.getBoundingClientRect();
    const legend = document.getElementById('legend').getBoundingClientRect();
    const found = new Map();
    for (let y = 40; y < rect.height - 40 && found.size < max; y += 23) {
      for (let x = 40; x < rect.width - 40 && found.size < max; x += 23) {
        const px = rect.left + x;
        const py = rect.top + y;
        if (px >= legend.left && px <= legend.right && py >= legend.top && py <= legend.bottom) continue;
        const codes = [[0, 0], [6, 0], [-6, 0], [0, 6], [0, -6]].map(([dx, dy]) => {
          const hit = map.queryRenderedFeatures([x + dx, y + dy], { layers: ['small-areas-fill'] })[0];
          return hit && hit.properties.code;
        });
        if (codes[0] && codes.every((c) => c === codes[0]) && !found.has(codes[0])) found.set(codes[0], { code: codes[0], x: px, y: py });
      }
    }
    return [...found.values()];
  }, n);
}

test('a ward study draws the 20 wards by name below switch_zoom and the LSOAs from it, each in its class colour', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server);
  const { levels, zoom, areas } = await page.evaluate(() => {
    const app = window.__safemap;
    return { levels: app.catalogue.levels, zoom: app.map.getZoom(), areas: app.areas };
  });
  assert.equal(levels.label, 'ward');
  assert.ok(zoom < levels.switch_zoom, `the first view (z${zoom}) is below z${levels.switch_zoom}`);

  // Wards: the 20 rendered, named in the legend, the ranking list and the panel.
  const wards = await renderedCodes(page, 'areas-fill');
  assert.equal(wards.length, 20, wards.join(' '));
  assert.ok(wards.every((c) => c.startsWith('E05')), wards.join(' '));
  assert.deepEqual(await renderedCodes(page, 'small-areas-fill'), [], 'no LSOA is drawn below switch_zoom');
  assert.equal((await page.textContent('#legend-layer .legend-level')).trim(), 'Wards');
  assert.match(await page.textContent('#priority-title'), /^Top wards by/);
  const nameOf = Object.fromEntries(areas.map((a) => [a.code, a.name]));
  const ranked = await page.$$eval('#priority .priority-item', (items) => items.map((b) => ({
    code: b.dataset.code, text: b.innerText, name: b.querySelector('.p-name').textContent,
  })));
  assert.ok(ranked.length >= 5, 'the ranking lists wards');
  for (const r of ranked) {
    assert.equal(r.name, nameOf[r.code], `${r.code} is listed by its ward name`);
    assert.ok(r.text.indexOf(r.name) < r.text.indexOf(r.code), `${r.text}: name first, code second`);
  }

  // Budshead: drawn in its class colour, and its panel names it before its code.
  const budshead = areas.find((a) => a.name === 'Budshead');
  assert.ok(budshead, 'Budshead is a ward of the study');
  const spec = valueLegend(areas, 'rate', { method: 'quantile', k: 5, palette: 'viridis' });
  const pt = await pointInArea(page, budshead.id);
  assert.ok(pt, 'a point inside Budshead is on the map');
  await mapIdle(page);
  assertNear(await pixel(page, pt.x, pt.y), blended(spec.colorOf(budshead)), `Budshead (rate ${budshead.rate}) in its class colour`);
  await page.screenshot({ path: path.join(artifactsDir(), 'neighbourhoods-wards.png') });
  await page.mouse.click(pt.x, pt.y);
  await page.waitForFunction((c) => document.getElementById('panel').dataset.code === c && document.getElementById('panel').dataset.loaded, budshead.code);
  assert.equal((await page.textContent('#panel-title')).trim(), 'Budshead');
  assert.equal((await page.textContent('#panel .panel-code')).trim(), `Ward code ${budshead.code}`);
  const panelText = await page.textContent('#panel');
  assert.ok(panelText.indexOf('Budshead') < panelText.indexOf(budshead.code), 'the panel names the ward before its code');
  await page.click('#panel .close');
  await page.waitForFunction(() => document.getElementById('panel').hidden);

  // Zoomed in over the city centre: the LSOAs, and no ward fill.
  await afterUpdate(page, () => page.evaluate((c) => window.__safemap.map.jumpTo({ center: c, zoom: 14 }), CENTRE));
  const small = await renderedCodes(page, 'small-areas-fill');
  assert.ok(small.length >= 5, `${small.length} LSOAs drawn at z14`);
  assert.ok(small.every((c) => c.startsWith('E01') && lsoas[c]), small.join(' '));
  assert.deepEqual(await renderedCodes(page, 'areas-fill'), [], 'the ward fill is not drawn from switch_zoom');
  assert.equal((await page.textContent('#legend-layer .legend-level')).trim(), 'LSOAs');

  // Each LSOA in the class of its own rate among all 164 (the file, read independently).
  const lsoaSpec = valueLegend(Object.values(lsoas).map((p) => ({ code: p.code, rate: p.police_all_rate })), 'rate', {
    method: 'quantile', k: 5, palette: 'viridis',
  });
  const points = await pointsInSmallAreas(page, 4);
  assert.ok(points.length >= 3, `points inside ${points.length} LSOAs`);
  const colours = new Set();
  for (const p of points) {
    const want = lsoaSpec.colorOf({ rate: lsoas[p.code].police_all_rate });
    colours.add(want);
    assertNear(await pixel(page, p.x, p.y), blended(want), `${p.code} (rate ${lsoas[p.code].police_all_rate})`);
  }
  const legendColours = await page.$$eval('#legend-layer li .swatch', (s) => s.map((x) => getComputedStyle(x).backgroundColor));
  for (const c of colours) {
    const [r, g, b] = blended(c, 1);
    assert.ok(legendColours.includes(`rgb(${r}, ${g}, ${b})`), `${c} is in the LSOA legend`);
  }

  // Hover: the LSOA's name, its code, then its ward.
  const first = lsoas[points[0].code];
  await page.mouse.move(points[0].x, points[0].y);
  await page.waitForSelector('.small-area-hover [data-field="small-area"]');
  assert.equal(
    (await page.textContent('.small-area-hover [data-field="small-area"]')).trim(),
    `${first.name} (${first.code}) in ${first.neighbourhood_name} ward`,
  );
  assert.match(first.name, /^Plymouth \d{3}[A-Z]$/);
  await page.screenshot({ path: path.join(artifactsDir(), 'neighbourhoods-lsoas.png') });

  // A measure the LSOAs have no value for: outlines only, said so in the legend.
  await page.mouse.move(5, 5);
  await afterUpdate(page, () => page.selectOption('#layer', 'eb_rate'));
  assertNear(await pixel(page, points[0].x, points[0].y), blended(BACKGROUND, 1), 'no LSOA fill for the smoothed rate');
  assert.match(await page.textContent('#legend-layer'), /LSOAs \(outlines\)/);
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
});
