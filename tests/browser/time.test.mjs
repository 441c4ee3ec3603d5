// The night-time-economy meeting's views in real headless Chromium against `safemap demo`:
// the emerging hot spot layer with its 17-class legend and the change layer (colours read
// back from the canvas, against the classes the tiles carry and the planted patterns), the
// night-time-economy view (an area's hour-of-week profile beside the study's, with their
// shares), and the report's section. Screenshots go to target/browser-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  artifactsDir, assertNear, blended, getJson, launchBrowser, mapIdle, newPage, openMap, pixel, pointInArea, startServer,
} from './harness.mjs';
import { CHANGE_CLASSES, ED_VS_POLICE_CLASSES, EMERGING_CLASSES } from '../../web-map/src/time-layers.js';

let server;
let browser;
let groups = {};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const truth = JSON.parse(readFileSync(path.join(server.dir, 'ground_truth.json'), 'utf8'));
  for (const p of truth.patterns) groups[p.kind] = p.areas;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const colourOf = (classes, id) => classes.find(([c]) => c === id)[2];

/** Each area's value of `field` as the tiles hold it: {code: value}. */
async function tileValues(page, field) {
  return page.evaluate((f) => {
    const { map, areasLayer } = window.__safemap;
    const out = {};
    for (const x of map.querySourceFeatures('areas', { sourceLayer: areasLayer })) out[x.properties.code] = x.properties[f];
    return out;
  }, field);
}

async function areaPoint(page, code) {
  const areas = await page.evaluate(() => window.__safemap.areas.map((a) => ({ id: a.id, code: a.code })));
  const a = areas.find((x) => x.code === code);
  assert.ok(a, `area ${code} is listed`);
  const pt = await pointInArea(page, a.id);
  assert.ok(pt, `a point inside ${code} is on the map`);
  return pt;
}

test('the emerging hot spot layer draws the planted new, intensifying and diminishing hotspots in their legend colours', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server, 'layer=emerging:violence_trend');
  assert.equal(await page.$eval('#layer', (s) => s.value), 'emerging:violence_trend', 'offered to the public');
  const legend = await page.$$eval('#legend-layer li', (li) => li.map((x) => ({
    label: x.dataset.classLabel, colour: getComputedStyle(x.querySelector('.swatch')).backgroundColor,
  })));
  assert.equal(legend.length, 18, '17 classes and "not analysed"');
  for (const [, label, colour] of EMERGING_CLASSES) {
    const item = legend.find((l) => l.label === label);
    assert.ok(item, `legend lists ${label}`);
    const [r, g, b] = blended(colour, 1);
    assert.equal(item.colour, `rgb(${r}, ${g}, ${b})`, `${label} swatch`);
  }
  assert.match(await page.textContent('#legend-layer'), /12 quarter slices/);
  const classes = await tileValues(page, 'violence_trend_emerging');
  for (const [kind, cls] of [['new_hotspot', 'new_hot_spot'], ['intensifying_hotspot', 'intensifying_hot_spot'], ['diminishing_hotspot', 'diminishing_hot_spot']]) {
    const hits = groups[kind].filter((c) => classes[c] === cls);
    assert.ok(hits.length >= 3, `${kind}: ${JSON.stringify(groups[kind].map((c) => classes[c]))}`);
    await mapIdle(page);
    const pt = await areaPoint(page, hits[0]);
    assertNear(await pixel(page, pt.x, pt.y), blended(colourOf(EMERGING_CLASSES, cls)), `${hits[0]} drawn as ${cls}`);
  }
  const quiet = Object.keys(classes).find((c) => classes[c] === 'no_pattern' && !Object.values(groups).flat().includes(c));
  const pt = await areaPoint(page, quiet);
  assertNear(await pixel(page, pt.x, pt.y), blended(colourOf(EMERGING_CLASSES, 'no_pattern')), `${quiet} drawn as no pattern`);
  await page.screenshot({ path: path.join(artifactsDir(), 'emerging.png') });
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
});

test('the change layer draws the new hotspot as a significant increase', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server, 'layer=change:violence_change');
  assert.match(await page.textContent('#legend-layer'), /2025-01 to 2025-12 against 2024-01 to 2024-12/);
  const classes = await tileValues(page, 'violence_change_change_class');
  const up = groups.new_hotspot.filter((c) => classes[c] === 'increase');
  assert.equal(up.length, groups.new_hotspot.length, JSON.stringify(classes));
  const pt = await areaPoint(page, up[0]);
  await mapIdle(page);
  assertNear(await pixel(page, pt.x, pt.y), blended(colourOf(CHANGE_CLASSES, 'increase')), `${up[0]} drawn as an increase`);
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
});

test('the ED-versus-police layer shows the analyst the planted night-time-economy areas as high, and the public nothing', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await openMap(page, server, 'layer=ed_vs_police');
  assert.equal(await page.$eval('#layer', (s) => s.value), 'ed_vs_police');
  const classes = await tileValues(page, 'ed_vs_police_ed_share_class_fdr');
  for (const c of groups.night_time_economy) assert.equal(classes[c], 'high', c);
  const pt = await areaPoint(page, groups.night_time_economy[0]);
  await mapIdle(page);
  assertNear(await pixel(page, pt.x, pt.y), blended(colourOf(ED_VS_POLICE_CLASSES, 'high')), 'drawn as high');
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
  const pub = await newPage(browser, server);
  await openMap(pub, server);
  const offered = await pub.$$eval('#layer option', (o) => o.map((x) => x.value));
  assert.ok(!offered.includes('ed_vs_police'), 'exact ED figures are analyst only');
  assert.ok(offered.includes('emerging:violence_trend'));
  await pub.context().close();
});

test('the night-time-economy view sets an area\'s hour-of-week profile beside the study\'s (analyst)', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await openMap(page, server, 'source=force&category=all&layer=field:force_nte_share');
  assert.equal(await page.$eval('#layer', (s) => s.value), 'field:force_nte_share', 'the NTE share layer is offered');
  const code = groups.night_time_economy[0];
  const pt = await areaPoint(page, code);
  await page.mouse.click(pt.x, pt.y);
  await page.waitForFunction((c) => {
    const p = document.getElementById('panel');
    return !p.hidden && p.dataset.code === c && p.dataset.loaded;
  }, code, { timeout: 20_000 });
  for (const chart of ['hour_of_week', 'study_hour_of_week']) {
    assert.equal(await page.$$eval(`#panel [data-chart="${chart}"] rect.cell`, (c) => c.length), 7 * 24, `${chart} heatmap`);
  }
  const share = async (f) => Number((await page.textContent(`#panel [data-field="${f}"]`)).replace('%', ''));
  const [area, study] = [await share('nte_share_area'), await share('nte_share_study')];
  const detail = await getJson(server, `/api/areas/${code}?source=force&category=all`, server.token);
  const nte = (m) => m.reduce((s, row, d) => s + row.reduce((t, v, h) => t + (((d === 4 || d === 5) && h >= 21) || ((d === 5 || d === 6) && h <= 2) ? v : 0), 0), 0);
  const all = (m) => m.flat().reduce((s, v) => s + v, 0);
  assert.equal(area, Math.round((100 * nte(detail.hour_of_week)) / all(detail.hour_of_week)));
  assert.equal(study, Math.round((100 * nte(detail.study_hour_of_week)) / all(detail.study_hour_of_week)));
  assert.ok(area > 2 * study, `the planted NTE area (${area}%) against the study (${study}%)`);
  await page.screenshot({ path: path.join(artifactsDir(), 'nte-view.png') });
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
});

test('the report has a night-time economy and trends section', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await page.goto(`${server.url}/report.html#layer=emerging:violence_trend`);
  await page.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready), null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
  assert.equal(await page.$eval('#section-time', (s) => s.hidden), false);
  const rows = await page.$$eval('table[data-emerging="violence_trend"] tbody tr', (r) => r.map((x) => x.dataset.class));
  for (const cls of ['new_hot_spot', 'intensifying_hot_spot', 'diminishing_hot_spot']) assert.ok(rows.includes(cls), `${cls} listed: ${rows}`);
  assert.equal(await page.$$eval('#time-nte figure[data-source="force"] rect.cell', (c) => c.length), 7 * 24);
  assert.match(await page.textContent('#time-nte'), /\d+% in the night-time economy/);
  const high = await page.$eval('table[data-ed-vs-police] tr[data-class="high"]', (r) => r.cells[2].textContent);
  assert.ok(high.length > 0, 'the report lists the areas with a high ED share');
  await page.screenshot({ path: path.join(artifactsDir(), 'report-time.png'), fullPage: true });
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
});
