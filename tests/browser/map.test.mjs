// Browser tests of the web map: real headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core against `safemap demo` on loopback. Run: node --test tests/browser/
// (see README.md). Artifacts (screenshots, the report PDF) go to target/browser-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  afterUpdate, artifactsDir, canvasStats, getJson, launchBrowser, mapIdle, newPage, openMap,
  pointInArea, requests, scannedText, startServer,
} from './harness.mjs';
import { fmtCount, fmtDecile, fmtMeasure, smallIntegers } from '../../web-map/src/format.js';

let server;
let browser;
let truth = null;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  try {
    truth = JSON.parse(readFileSync(path.join(server.dir, 'ground_truth.json'), 'utf8'));
  } catch {
    truth = null;
  }
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** The centre of the planted night-time-economy hotspot (a known area of the synthetic city). */
function nteArea() {
  const p = truth && truth.patterns && truth.patterns.find((x) => x.kind === 'night_time_economy');
  return (p && p.areas[0]) || 'SYN0092';
}

const PANEL_FIELDS = ['population', 'count', 'expected', 'rate', 'rate_lo', 'rate_hi', 'eb_rate', 'excess_risk'];

/** The numbers shown in the panel: {field: {value (raw JSON), text}}. */
async function panelNumbers(page) {
  return page.$$eval('#panel [data-field]', (els) => Object.fromEntries(
    els.filter((e) => !e.closest('tr')).map((e) => [e.dataset.field, { value: e.dataset.value, text: e.textContent.trim() }]),
  ));
}

function assertPanelMatches(shown, detail) {
  assert.equal(shown.code.text, detail.code);
  assert.equal(shown.name.text, detail.name);
  const v = detail.values;
  for (const f of PANEL_FIELDS) {
    const apiValue = f === 'population' ? detail.population : v[f];
    assert.ok(shown[f], `panel shows ${f}`);
    assert.equal(shown[f].value, JSON.stringify(apiValue ?? null), `${f}: the panel holds exactly the API's number`);
    const want = f === 'population' ? fmtCount(apiValue) : fmtMeasure(f, apiValue, v.suppressed);
    assert.equal(shown[f].text, want, `${f}: the panel shows the API's number`);
  }
  if (detail.deprivation !== undefined && detail.deprivation !== null) {
    assert.equal(shown.deprivation.text, fmtDecile(detail.deprivation));
  }
}

async function stateQuery(page) {
  const st = await page.evaluate(() => window.__safemap.state);
  const q = new URLSearchParams({ source: st.source, category: st.category, from: st.from, to: st.to });
  if (st.window === 'custom') {
    q.set('days', st.days);
    q.set('hours', st.hours);
  } else if (st.window !== 'all') q.set('window', st.window);
  return q.toString();
}

async function clickArea(page, code) {
  const areas = await page.evaluate(() => window.__safemap.areas.map((a) => ({ id: a.id, code: a.code })));
  const a = areas.find((x) => x.code === code);
  assert.ok(a, `area ${code} is in /api/areas.json`);
  const pt = await pointInArea(page, a.id);
  assert.ok(pt, `a point inside ${code} is on the map`);
  await page.mouse.click(pt.x, pt.y);
  await page.waitForFunction((c) => {
    const p = document.getElementById('panel');
    return !p.hidden && p.dataset.code === c && p.dataset.loaded;
  }, code, { timeout: 20_000 });
}

test('the map canvas renders the choropleth', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server);
  const dir = artifactsDir();
  await page.screenshot({ path: path.join(dir, 'map.png') });
  await page.locator('#map').screenshot({ path: path.join(dir, 'map-canvas.png') });
  const stats = await canvasStats(page);
  assert.ok(stats.width > 300 && stats.height > 300, `canvas is ${stats.width}x${stats.height}`);
  assert.ok(stats.variance > 150, `pixel variance ${stats.variance.toFixed(1)} is above 150 (a blank map is ~0)`);
  assert.ok(stats.colours >= 5, `at least five colours drawn (${stats.colours})`);
  const legendItems = await page.$$eval('#legend-layer li', (l) => l.length);
  assert.ok(legendItems >= 3, 'the legend lists the classes');
  const features = await page.evaluate(() => window.__safemap.map.queryRenderedFeatures({ layers: ['areas-fill'] }).length);
  assert.ok(features > 20, `areas are drawn from the tiles (${features} features)`);
  assert.deepEqual(page.errors.filter((e) => !/favicon/.test(e)), [], 'no errors in the page');
  await page.context().close();
});

test('clicking a known area opens its panel with exactly the numbers of /api/areas/{code}', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server, 'source=police&layer=rate');
  const code = nteArea();
  await clickArea(page, code);
  const detail = await getJson(server, `/api/areas/${code}?${await stateQuery(page)}`);
  assertPanelMatches(await panelNumbers(page), detail);
  // The URL now names the area, and a reload restores it.
  assert.match(page.url(), new RegExp(`area=${code}`));
  // Keyboard: focus went to the panel heading; Escape closes the panel; the finder reopens it.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-title');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.getElementById('panel').hidden);
  await page.focus('#find');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForFunction((c) => document.getElementById('panel').dataset.code === c && !document.getElementById('panel').hidden, code);
  assertPanelMatches(await panelNumbers(page), detail);
  // Hotspot classes as the API gives them.
  const classes = await page.$$eval('#panel tr[data-analysis]', (rows) => rows.map((r) => [
    r.dataset.analysis, r.dataset.statistic,
    JSON.parse(r.querySelector('[data-field="class"]').dataset.value),
    JSON.parse(r.querySelector('[data-field="class_adjusted"]').dataset.value)]));
  assert.deepEqual(classes, (detail.analyses || []).map((a) => [a.analysis, a.statistic, a.class, a.class_adjusted]));
  assert.ok(await page.$('#panel [data-chart="monthly"] svg'), 'the monthly chart is drawn');
  // Shareable: the same URL in a new page opens the same panel.
  const url = page.url();
  const page2 = await newPage(browser, server);
  await page2.goto(url);
  await page2.waitForFunction((c) => document.getElementById('panel').dataset.code === c && document.getElementById('panel').dataset.loaded, code, { timeout: 60_000 });
  assertPanelMatches(await panelNumbers(page2), detail);
  await page2.context().close();
  await page.context().close();
});

test('the night-time-economy window changes the choropleth and the legend', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server, 'source=force&category=all&layer=count&window=all');
  const values = () => page.evaluate(() => {
    const { map, areasLayer, areas } = window.__safemap;
    return areas.map((a) => map.getFeatureState({ source: 'areas', sourceLayer: areasLayer, id: a.id }).count ?? null);
  });
  const legend = () => page.$$eval('#legend-layer li', (l) => l.map((x) => x.dataset.classLabel));
  const before = { values: await values(), legend: await legend(), pixels: await canvasStats(page) };
  await afterUpdate(page, () => page.check('input[name="window"][value="nte"]'));
  const afterNte = { values: await values(), legend: await legend(), pixels: await canvasStats(page) };
  await page.screenshot({ path: path.join(artifactsDir(), 'map-nte.png') });
  assert.match(page.url(), /window=nte/);
  const changed = before.values.filter((v, i) => v !== afterNte.values[i]).length;
  assert.ok(changed > before.values.length / 2, `feature-state counts changed in ${changed} of ${before.values.length} areas`);
  const total = (xs) => xs.reduce((s, v) => s + (v || 0), 0);
  assert.ok(total(afterNte.values) < total(before.values), 'the window holds fewer events than all hours');
  assert.notDeepEqual(afterNte.legend, before.legend, 'the legend classes changed');
  assert.notEqual(afterNte.pixels.hash, before.pixels.hash, 'the rendered map changed');
  // The night-time-economy core is in the top class under the window.
  const top = await page.$$eval('#priority .priority-item', (b) => b.map((x) => x.dataset.code));
  assert.ok(top.includes(nteArea()), `${nteArea()} is among the top areas at night (${top.join(', ')})`);

  // A month-precision source: the window control is disabled with a message ...
  await afterUpdate(page, () => page.selectOption('#source', 'police'));
  assert.ok(await page.$eval('input[name="window"]', (r) => r.disabled), 'window control disabled');
  assert.match(await page.textContent('#window-note'), /no times of day/);
  // ... and a link asking for a window on it shows the server's 422 message.
  const page2 = await newPage(browser, server);
  await openMap(page2, server, 'source=police&window=nte&layer=count');
  const msg = await page2.textContent('#filter-message');
  assert.match(msg, /police/);
  assert.match(msg, /Showing all hours instead/);
  assert.equal(await page2.evaluate(() => window.__safemap.state.window), 'all');
  await page2.context().close();
  await page.context().close();
});

test('the public view shows no number from 1 to 7; the analyst view shows exact numbers', async () => {
  const code = nteArea();
  const page = await newPage(browser, server);
  await openMap(page, server, `source=force&category=all&layer=count&window=nte&area=${code}`);
  assert.equal(await page.evaluate(() => document.body.dataset.role), 'public');
  assert.match(await page.textContent('#public-note'), /disclosure-controlled/);
  const scan = ['#panel', '#legend', '#priority'];
  const seen = [];
  const check = async (label) => {
    await page.waitForFunction(() => document.getElementById('panel').dataset.loaded);
    const text = await scannedText(page, scan);
    seen.push(text);
    assert.deepEqual(smallIntegers(text), [], `${label}: no bare number 1..7 in the panel, legend or list:\n${text}`);
  };
  await check('force, night-time economy, counts');
  await page.screenshot({ path: path.join(artifactsDir(), 'map-public-panel.png') });
  assert.equal(await page.$('#panel [data-field="z"], #panel [data-field="p"]'), null, 'no z or p in public');
  assert.ok(await page.$('#panel [data-field="hour_of_week_note"]'), 'public: a note instead of the hour-of-week profile');
  for (const layer of ['rate', 'eb_rate', 'excess_risk']) {
    await afterUpdate(page, () => page.selectOption('#layer', layer));
    await check(`force, ${layer}`);
  }
  // Small categories of the sensitive sources have many suppressed counts (police.uk is open
  // data, published exactly).
  await afterUpdate(page, () => page.selectOption('#layer', 'count'));
  const sources = await getJson(server, '/api/layers');
  for (const [source, category] of [['ed', 'flag_weapon'], ['force', 'flag_domestic_abuse']]) {
    const src = sources.sources.find((s) => s.name === source);
    if (!src || !src.measures.some((m) => m.id === category)) continue;
    await afterUpdate(page, () => page.selectOption('#source', source));
    await afterUpdate(page, () => page.selectOption('#category', category));
    await check(`${source}, ${category}`);
  }
  assert.ok(seen.some((t) => /suppressed/i.test(t)), 'suppressed values are shown as "suppressed"');
  const publicDetail = await getJson(server, `/api/areas/${code}?${await stateQuery(page)}`);
  await page.context().close();

  // The analyst signs in with the demo's token and sees the exact numbers of the same area.
  assert.ok(server.token, 'the demo wrote an analyst token');
  const ap = await newPage(browser, server);
  await openMap(ap, server, `source=force&category=all&layer=count&window=nte`);
  await ap.fill('#token', server.token);
  await Promise.all([ap.waitForEvent('load'), ap.click('#signin button[type="submit"]')]);
  await ap.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  await mapIdle(ap);
  assert.equal(await ap.evaluate(() => document.body.dataset.role), 'analyst');
  assert.ok(await ap.$eval('#public-note', (n) => n.hidden), 'no disclosure note for the analyst');
  await clickArea(ap, code);
  await ap.screenshot({ path: path.join(artifactsDir(), 'map-analyst-panel.png') });
  const exact = await getJson(server, `/api/areas/${code}?${await stateQuery(ap)}`, server.token);
  const shown = await panelNumbers(ap);
  assertPanelMatches(shown, exact);
  assert.ok(await ap.$('#panel tr[data-analysis] [data-field="z"]'), 'the analyst sees z');
  assert.ok(await ap.$('#panel tr[data-analysis] [data-field="p"]'), 'the analyst sees p');
  assert.ok(await ap.$('#panel [data-chart="hour_of_week"] svg rect.cell'), 'the analyst sees the hour-of-week heatmap');
  assert.equal(await ap.$$eval('#panel [data-chart="hour_of_week"] rect.cell', (c) => c.length), 7 * 24);
  // The public numbers were rounded; the analyst's exact count differs for some area.
  const [pub, ana] = await Promise.all([
    getJson(server, `/api/areas.json?${await stateQuery(ap)}`),
    getJson(server, `/api/areas.json?${await stateQuery(ap)}`, server.token),
  ]);
  const differs = ana.areas.filter((a, i) => a.count !== pub.areas[i].count).length;
  assert.ok(differs > 0, 'exact and published counts differ for some areas');
  assert.ok(ana.areas.some((a) => a.count >= 1 && a.count <= 7) || ana.areas.some((a) => a.count % 5 !== 0), 'the analyst list holds unrounded counts');
  assert.equal(publicDetail.hour_of_week, null, 'the public answer has no hour-of-week profile');
  await ap.context().close();
});

test('the report page renders the map, the top-10 table, the charts and the provenance', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await page.goto(`${server.url}/report.html#source=force&category=all&window=nte&layer=rate`);
  await page.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready), null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1', await page.textContent('#status'));
  const dir = artifactsDir();
  // The map: drawn and snapshotted for print.
  const stats = await canvasStats(page, '#report-map canvas');
  assert.ok(stats.variance > 150, `report map pixel variance ${stats.variance.toFixed(1)}`);
  const img = await page.$eval('#report-map-img', (i) => i.src.length);
  assert.ok(img > 5000, 'the map snapshot for print is there');
  assert.ok((await page.$$('#report-legend li')).length >= 3, 'the legend is there');
  // The top-10 table.
  assert.equal(await page.$$eval('#top-table tbody tr', (r) => r.length), 10);
  // The charts.
  assert.ok(await page.$('#chart-ci svg circle'), 'rate and interval chart');
  assert.ok(await page.$('#chart-monthly svg rect.bar'), 'monthly chart');
  assert.equal(await page.$$eval('#chart-how svg rect.cell', (c) => c.length), 7 * 24, 'hour-of-week chart');
  // The provenance: every input's SHA-256 from the manifest.
  const manifest = await getJson(server, '/api/manifest', server.token);
  const shown = await page.$$eval('[data-sha256]', (t) => t.map((x) => x.dataset.sha256));
  assert.ok(manifest.inputs.length > 0);
  for (const f of manifest.inputs) assert.ok(shown.includes(f.sha256), `input ${f.path} with its SHA-256`);
  assert.match(await page.textContent('#prov-run'), /Seed/);
  assert.ok((await page.$$('#prov-sources tbody tr')).length >= 1, 'data vintages');
  // A4 print: the sections lay out on a few A4 pages.
  await page.screenshot({ path: path.join(dir, 'report.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(path.join(dir, 'report.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 2 && pages <= 6, `the report prints on ${pages} A4 pages`);
  const mediaBox = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  assert.ok(mediaBox && Math.abs(Number(mediaBox[1]) - 595.28) < 2 && Math.abs(Number(mediaBox[2]) - 841.89) < 2, `A4 page size (${mediaBox && mediaBox.slice(1)})`);
  await page.context().close();
});

test('every request goes to the server and nowhere else', async () => {
  // The earlier tests recorded every request of every page (tiles from the worker included).
  const origin = new URL(server.url).origin;
  assert.ok(requests.length > 20, `requests were recorded (${requests.length})`);
  assert.ok(requests.some((u) => /\/tiles\/areas\/\d+\/\d+\/\d+/.test(u)), 'tile requests are among them');
  assert.ok(requests.some((u) => u.includes('/vendor/maplibre-gl/maplibre-gl.js')), 'MapLibre came from the server');
  const foreign = requests.filter((u) => !(u.startsWith(`${origin}/`) || u.startsWith('data:') || u.startsWith('blob:')));
  assert.deepEqual(foreign, [], 'no request to another host');
});
