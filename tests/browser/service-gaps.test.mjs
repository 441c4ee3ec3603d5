// The commissioner's views in real headless Chromium against `safemap demo`: the
// need-against-access bivariate layer and its legend (colours read back from the canvas),
// services coloured by kind with catchment rings of the right size, the proposed new sites
// and the priority list with its drivers (analyst), what the public is not given, and the
// report's service-gaps section. Screenshots go to target/browser-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  afterUpdate, artifactsDir, assertNear, blended, getJson, launchBrowser, mapIdle, newPage, openMap, pixel, pointInArea,
  startServer,
} from './harness.mjs';
import { BIVARIATE, humanDriver, SITE_COLOUR } from '../../web-map/src/service-gaps.js';

let server;
let browser;
let district = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const truth = JSON.parse(readFileSync(path.join(server.dir, 'ground_truth.json'), 'utf8'));
  district = truth.patterns.find((p) => p.kind === 'service_gap').areas;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** Each area's bivariate class as the tiles hold it: {code: class}. */
async function bivariateClasses(page, kind) {
  return page.evaluate((k) => {
    const { map, areasLayer } = window.__safemap;
    const out = {};
    for (const f of map.querySourceFeatures('areas', { sourceLayer: areasLayer })) {
      out[f.properties.code] = f.properties[`gap_${k}_bivariate`];
    }
    return out;
  }, kind);
}

test('the need-against-access layer draws each area in its legend colour; the planted gap is high need, low access', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server, 'layer=bivariate:idva_service');
  const option = await page.$eval('#layer', (s) => s.value);
  assert.equal(option, 'bivariate:idva_service', 'the layer is offered to the public');
  const cells = await page.$$eval('#legend-layer td.bivariate-cell', (tds) => tds.map((td) => ({
    code: td.dataset.class, label: td.dataset.classLabel, colour: getComputedStyle(td).backgroundColor,
  })));
  assert.equal(cells.length, 9, 'a 3 x 3 legend');
  for (const c of cells) {
    assert.equal(c.colour, `rgb(${rgb(BIVARIATE[c.code]).join(', ')})`, `legend cell ${c.code} has the map's colour`);
  }
  assert.match(cells.find((c) => c.code === 'n3a1').label, /High need, low access \(service gap\)/);

  const classes = await bivariateClasses(page, 'idva_service');
  const gaps = district.filter((code) => classes[code] === 'n3a1');
  assert.ok(gaps.length >= 3, `most of the planted district is high need, low access (${JSON.stringify(district.map((c) => classes[c]))})`);
  // Read the drawn colour of two gap areas and of one other class back from the canvas.
  const areas = await page.evaluate(() => window.__safemap.areas.map((a) => ({ id: a.id, code: a.code })));
  const other = areas.find((a) => classes[a.code] && classes[a.code] !== 'n3a1' && !district.includes(a.code));
  for (const a of [...areas.filter((x) => gaps.includes(x.code)).slice(0, 2), other]) {
    const pt = await pointInArea(page, a.id);
    assert.ok(pt, `a point inside ${a.code}`);
    await mapIdle(page);
    assertNear(await pixel(page, pt.x, pt.y), blended(BIVARIATE[classes[a.code]]), `${a.code} (${classes[a.code]})`);
  }
  // The public gets no ranking built from sensitive data and no new sites.
  const ranks = await page.$$eval('#rank option', (o) => o.map((x) => x.value));
  assert.ok(!ranks.includes('priority'), 'no priority ranking for the public (need uses domestic abuse data)');
  assert.equal(await page.$eval('#sites-field', (e) => e.hidden), true, 'no new sites for the public');
  const kinds = await page.$$eval('#gaps-coverage [data-kind]', (s) => s.map((x) => x.dataset.kind));
  assert.ok(kinds.includes('idva_service') && !kinds.includes('refuge'), `coverage shown for open kinds only: ${kinds}`);
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.screenshot({ path: path.join(artifactsDir(), 'service-gaps-public.png') });
  await page.context().close();
});

test('services are coloured by kind with catchment rings of the study radius', async () => {
  const page = await newPage(browser, server);
  await openMap(page, server, 'layer=bivariate:idva_service&services=1&rings=1');
  const legend = await page.$$eval('#legend-services li', (l) => l.map((li) => ({
    label: li.dataset.classLabel, colour: getComputedStyle(li.querySelector('.swatch')).backgroundColor,
  })));
  const labels = (await getJson(server, '/api/layers')).services.kind_labels;
  assert.deepEqual(legend.map((l) => l.label).sort(), Object.values(labels).sort(), 'one legend entry per kind shown');
  assert.ok(!legend.some((l) => /refuge/i.test(l.label)), 'no confidential kind');
  const drawn = await page.evaluate(() => {
    const { map } = window.__safemap;
    const hex = (c) => `rgb(${[c.r, c.g, c.b].map((x) => Math.round(x * 255)).join(', ')})`;
    const dots = map.queryRenderedFeatures({ layers: ['services-circle'] });
    const rings = map.queryRenderedFeatures({ layers: ['services-catchment'] });
    const ring = rings[0];
    // 3 km east of the ring's service, in pixels, against the ring's drawn radius.
    const [lon, lat] = ring.geometry.coordinates;
    const east = lon + (3000 / (6378137 * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI);
    const a = map.project([lon, lat]);
    const b = map.project([east, lat]);
    return {
      dots: dots.map((f) => ({ kind: f.properties.kind, colour: hex(f.layer.paint['circle-color']) })),
      rings: rings.length,
      radius: ring.layer.paint['circle-radius'],
      expected: Math.hypot(b.x - a.x, b.y - a.y),
    };
  });
  assert.ok(drawn.dots.length > 0 && drawn.rings > 0, 'services and rings are drawn');
  for (const d of drawn.dots) {
    const entry = legend.find((l) => l.label === labels[d.kind]);
    assert.equal(d.colour, entry.colour, `a ${d.kind} service is drawn in its legend colour`);
  }
  // Web Mercator stretches by 1/cos(lat) across the study: the ring is the study radius to 2%.
  assert.ok(Math.abs(drawn.radius / drawn.expected - 1) < 0.02, `ring radius ${drawn.radius.toFixed(1)} px for ${drawn.expected.toFixed(1)} px of 3 km`);
  const ringLegend = await page.$$eval('#legend-gaps li', (l) => l.map((li) => li.dataset.classLabel));
  assert.ok(ringLegend.some((l) => /Catchment: 3 km/.test(l)), `the rings are in the legend: ${ringLegend}`);
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
});

test('the analyst sees the new sites with the need they cover and the priority list with its drivers', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await openMap(page, server, 'layer=bivariate:idva_service&rank=priority&sites=1');
  await page.waitForSelector('#priority button.priority-item');
  const api = await getJson(server, '/api/priority?n=10', server.token);
  const shown = await page.$$eval('#priority button.priority-item', (bs) => bs.map((b) => ({
    code: b.dataset.code, rank: Number(b.dataset.rank), drivers: b.querySelector('.p-drivers').textContent,
  })));
  assert.deepEqual(shown.map((s) => s.code), api.areas.map((a) => a.code), 'the list is the ranking, in order');
  shown.forEach((s, i) => {
    assert.equal(s.rank, i + 1);
    assert.equal(s.drivers, api.areas[i].drivers.map(humanDriver).join(', '), `drivers of ${s.code}`);
    assert.ok(s.drivers.length > 0, `${s.code} names what drives it`);
  });

  // The new sites: the list and the markers are the run's candidate_sites.geojson.
  const file = JSON.parse(readFileSync(path.join(server.dir, 'results', 'candidate_sites.geojson'), 'utf8'));
  await page.waitForSelector('#sites-list li');
  const listed = await page.$$eval('#sites-list li', (l) => l.map((li) => ({
    area: li.dataset.area, added: Number(JSON.parse(li.querySelector('[data-field="need_added"]').dataset.value)),
  })));
  assert.deepEqual(listed.map((s) => s.area), file.features.map((f) => f.properties.area), 'every site, in order');
  listed.forEach((s, i) => assert.ok(Math.abs(s.added - file.features[i].properties.need_added) < 1e-6 * s.added + 1e-9));
  const centre = await page.evaluate((lngLat) => {
    const { map } = window.__safemap;
    const p = map.project(lngLat);
    const r = map.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, file.features[0].geometry.coordinates);
  assertNear(await pixel(page, centre.x, centre.y), rgb(SITE_COLOUR), 'the first site is drawn as a white marker', 12);
  await page.screenshot({ path: path.join(artifactsDir(), 'service-gaps.png') });
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();
});

test('the report has a service-gaps section: coverage, the priority areas with drivers and the new sites', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await page.goto(`${server.url}/report.html#layer=bivariate:idva_service&sites=1`);
  await page.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready), null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
  const layers = await getJson(server, '/api/layers', server.token);
  const coverage = await page.$$eval('#coverage-table tbody tr', (r) => r.map((x) => x.dataset.kind));
  assert.deepEqual(coverage, layers.access.kinds.map((k) => k.kind), 'coverage per kind');
  const ranked = await page.$$eval('#report-priority tbody tr', (r) => r.map((x) => [x.dataset.code, x.cells[4].textContent]));
  const api = await getJson(server, '/api/priority?n=10', server.token);
  assert.deepEqual(ranked, api.areas.map((a) => [a.code, a.drivers.map(humanDriver).join(', ')]));
  const sites = await page.$$eval('#report-sites tbody tr', (r) => r.map((x) => x.dataset.area));
  const file = JSON.parse(readFileSync(path.join(server.dir, 'results', 'candidate_sites.geojson'), 'utf8'));
  assert.deepEqual(sites, file.features.map((f) => f.properties.area));
  await page.screenshot({ path: path.join(artifactsDir(), 'report-service-gaps.png'), fullPage: true });
  assert.deepEqual(page.errors, [], 'no errors in the page');
  await page.context().close();

  // The public report says why there is no ranking.
  const pub = await newPage(browser, server);
  await pub.goto(`${server.url}/report.html#layer=bivariate:idva_service`);
  await pub.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  assert.match(await pub.textContent('#priority-note'), /sensitive data: it is in the analyst view only/);
  assert.equal(await pub.$eval('#report-priority', (t) => t.hidden), true);
  await pub.context().close();
});
