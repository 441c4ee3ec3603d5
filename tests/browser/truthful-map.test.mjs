// Browser tests that the map tells its users only true things (issue 9): zero values keep a
// colour that is in the legend, quantile classes do not collapse, deprivation deciles read the
// right way round, no raw identifiers are shown, the panel and legend do not hide data, a
// listed area is shown among its neighbours, the finder forgives, the top list is not padded
// and the offline context layers appear when the server has them. Colours are read back from
// the rendered map (pixels, and MapLibre's evaluated paint of each rendered feature), not only
// from the data. Run: node --test tests/browser/ (see README.md).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  afterUpdate, artifactsDir, assertNear, blended, getJson, launchBrowser, mapIdle, newPage, openMap, pixel, pointInArea,
  startServer,
} from './harness.mjs';
import { fmtDecile } from '../../web-map/src/format.js';
import { NO_DATA, SUPPRESSED, ZERO } from '../../web-map/src/palettes.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** Text that looks like an identifier (snake_case) rather than words. */
const ID_TEXT = /\b[a-z]+_[a-z_]+\b/g;

/**
 * Every rendered area: {id, colour (hex of the evaluated fill-color), state (feature-state)},
 * one per area id, from MapLibre's queryRenderedFeatures. Feature id 0 is left out: MapLibre
 * evaluates a queried feature's paint without its feature-state when the id is falsy
 * (`if (id && sourceFeatureState)` in feature_index.ts), though it draws it with its state;
 * the pixel checks cover it.
 */
async function renderedColours(page) {
  return page.evaluate(() => {
    const { map, areasLayer } = window.__safemap;
    const hex = (c) => `#${[c.r, c.g, c.b].map((x) => Math.round((x / (c.a || 1)) * 255).toString(16).padStart(2, '0')).join('')}`;
    const out = new Map();
    for (const f of map.queryRenderedFeatures({ layers: ['areas-fill'] })) {
      if (out.has(f.id) || f.id === 0) continue;
      out.set(f.id, {
        id: f.id,
        colour: hex(f.layer.paint['fill-color']),
        state: map.getFeatureState({ source: 'areas', sourceLayer: areasLayer, id: f.id }),
      });
    }
    return [...out.values()];
  });
}

/** The legend's swatch colours (as hex) and labels. */
async function legendItems(page) {
  return page.$$eval('#legend-layer li', (items) => items.map((li) => {
    const rgb = getComputedStyle(li.querySelector('.swatch')).backgroundColor.match(/\d+/g).map(Number);
    return { label: li.dataset.classLabel, colour: `#${rgb.slice(0, 3).map((x) => x.toString(16).padStart(2, '0')).join('')}` };
  }));
}

test('zero values keep their colour, which is in the legend, after changing filters (defect 1)', async () => {
  // The analyst view: the public view hides zero counts of sensitive sources.
  const page = await newPage(browser, server, { token: server.token });
  await openMap(page, server, 'source=force&category=all&window=nte&layer=rate');
  await afterUpdate(page, () => page.selectOption('#source', 'ed'));
  await afterUpdate(page, () => page.selectOption('#category', 'flag_alcohol'));
  if (!(await page.isChecked('input[name="window"][value="nte"]'))) {
    await afterUpdate(page, () => page.check('input[name="window"][value="nte"]'));
  }
  const st = await page.evaluate(() => window.__safemap.state);
  assert.deepEqual([st.source, st.category, st.window], ['ed', 'flag_alcohol', 'nte']);
  const areas = await page.evaluate(() => window.__safemap.areas);
  const zeros = areas.filter((a) => a.rate === 0);
  assert.ok(zeros.length >= 5, `the repro has zero-rate areas (${zeros.length})`);

  const legend = await legendItems(page);
  const legendColours = new Set(legend.map((l) => l.colour));
  assert.ok(legendColours.has(ZERO), `the legend has an entry for zero (${legend.map((l) => l.label).join(' | ')})`);
  const rendered = await renderedColours(page);
  assert.ok(rendered.length > 20, 'areas are rendered');
  const byId = new Map(rendered.map((r) => [r.id, r]));
  for (const a of zeros) {
    const r = byId.get(a.id);
    if (!r) continue;
    assert.equal(r.state.rate, 0, `${a.code}: the feature-state keeps the rate 0`);
    assert.equal(r.colour, ZERO, `${a.code}: a zero rate is drawn in the zero colour`);
  }
  for (const r of rendered) assert.ok(legendColours.has(r.colour), `area ${r.id} is drawn in ${r.colour}, which is in the legend`);
  // And on screen: the pixels inside zero areas are the zero colour.
  for (const a of zeros.slice(0, 3)) {
    const pt = await pointInArea(page, a.id);
    assert.ok(pt, `a point inside ${a.code}`);
    await mapIdle(page);
    assertNear(await pixel(page, pt.x, pt.y), blended(ZERO), `${a.code} on screen`);
  }
  await page.screenshot({ path: path.join(artifactsDir(), 'map-zero-values.png') });
  await page.context().close();
});

test('quantile classes do not collapse: hotspots, low values and zeros are told apart (defect 2)', async () => {
  // The analyst view: the public view hides zero counts of sensitive sources.
  const page = await newPage(browser, server, { token: server.token });
  await openMap(page, server, 'source=ed&category=flag_alcohol&window=nte&layer=rate&k=5');
  await page.screenshot({ path: path.join(artifactsDir(), 'map-ed-alcohol-nte.png') });
  const areas = await page.evaluate(() => window.__safemap.areas);
  const positive = [...new Set(areas.filter((a) => typeof a.rate === 'number' && a.rate > 0).map((a) => a.rate))];
  const legend = await legendItems(page);
  const special = new Set([ZERO, SUPPRESSED, NO_DATA]);
  const classes = legend.filter((l) => !special.has(l.colour));
  assert.equal(classes.length, Math.min(5, positive.length), `classes drawn: ${legend.map((l) => l.label).join(' | ')}`);
  assert.ok(legend.some((l) => l.colour === ZERO && /^0\.0 /.test(l.label)), 'zero has its own entry');
  if (areas.some((a) => a.suppressed && typeof a.rate !== 'number')) {
    assert.ok(legend.some((l) => l.colour === SUPPRESSED), 'suppressed has its own entry');
  }
  const rendered = new Map((await renderedColours(page)).map((r) => [r.id, r.colour]));
  const colourOf = (a) => rendered.get(a.id);
  const zeroColours = new Set(areas.filter((a) => a.rate === 0).map(colourOf).filter(Boolean));
  const top = areas.filter((a) => typeof a.rate === 'number').sort((a, b) => b.rate - a.rate).slice(0, 4);
  for (const a of top) {
    assert.ok(colourOf(a), `${a.code} is rendered`);
    assert.ok(!zeroColours.has(colourOf(a)), `hotspot ${a.code} (${a.rate}) is not drawn like the zero areas`);
  }
  const lowest = areas.filter((a) => typeof a.rate === 'number' && a.rate > 0).sort((a, b) => a.rate - b.rate)[0];
  if (top[0].rate > 2 * lowest.rate) assert.notEqual(colourOf(lowest), colourOf(top[0]), 'the lowest and highest rates differ in colour');
  const drawn = new Set([...rendered.values()].filter((c) => !special.has(c)));
  assert.equal(drawn.size, classes.length, 'every class in the legend is drawn, and only those');
  await page.context().close();
});

test('deprivation decile 10 reads as least deprived (defect 3)', async () => {
  const page = await newPage(browser, server);
  const code = 'SYN0132';
  const detail = await getJson(server, `/api/areas/${code}`);
  await openMap(page, server, `source=police&layer=rate&area=${code}`);
  await page.waitForFunction((c) => document.getElementById('panel').dataset.code === c && document.getElementById('panel').dataset.loaded, code);
  const text = (await page.textContent('#panel [data-field="deprivation"]')).trim();
  assert.equal(text, fmtDecile(detail.deprivation));
  if (detail.deprivation === 10) {
    assert.match(text, /^Least deprived 10%/);
    assert.doesNotMatch(text, /most deprived/i);
  }
  await page.context().close();
});

/** Visible identifier-like text on a page: body text, option labels and control labels. */
async function idTextOn(page) {
  const text = await page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    clone.querySelectorAll('[data-ident], script, style, [hidden], .hash').forEach((x) => x.remove());
    const opts = [...document.querySelectorAll('option, optgroup')].map((o) => o.label || o.textContent);
    document.body.appendChild(clone);
    clone.style.position = 'absolute';
    clone.style.left = '-99999px';
    const shown = clone.innerText;
    clone.remove();
    return `${shown}\n${opts.join('\n')}`;
  });
  return [...new Set(text.match(ID_TEXT) || [])];
}

test('people read labels, not identifiers, on the map and in the report (defect 8)', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await openMap(page, server, 'source=force&category=flag_domestic_abuse&window=all&layer=rate&area=SYN0092');
  await page.waitForFunction(() => document.getElementById('panel').dataset.loaded);
  const seen = [];
  seen.push(...(await idTextOn(page)));
  const options = await page.$$eval('#category option', (o) => o.map((x) => x.textContent));
  assert.ok(options.includes('Domestic abuse (flagged)'), `category labels: ${options.join(', ')}`);
  for (const layer of await page.$$eval('#layer option', (o) => o.map((x) => x.value).filter((v) => /^(gi|lisa):/.test(v)))) {
    await afterUpdate(page, () => page.selectOption('#layer', layer));
    seen.push(...(await idTextOn(page)));
  }
  await afterUpdate(page, () => page.selectOption('#source', 'ed'));
  seen.push(...(await idTextOn(page)));
  const edOptions = await page.$$eval('#category option', (o) => o.map((x) => x.textContent));
  assert.ok(edOptions.includes('Pub or club'), `ED category labels: ${edOptions.join(', ')}`);
  assert.ok(edOptions.includes('Alcohol-related (flagged)'), `ED category labels: ${edOptions.join(', ')}`);
  await page.screenshot({ path: path.join(artifactsDir(), 'map-labels-analyst.png') });
  await page.context().close();

  const report = await newPage(browser, server, { token: server.token });
  await report.goto(`${server.url}/report.html#source=force&category=flag_domestic_abuse&window=all&layer=rate`);
  await report.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready), null, { timeout: 60_000 });
  seen.push(...(await idTextOn(report)));
  await report.context().close();
  assert.deepEqual([...new Set(seen)], [], 'no identifier is shown where people read');
});

/** The elements matching `selector` that stick out of `box` or the viewport sideways (the panel scrolls down). */
async function outside(page, selector, boxSelector) {
  return page.evaluate(([sel, boxSel]) => {
    const box = document.querySelector(boxSel).getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    return [...document.querySelectorAll(sel)]
      .filter((e) => e.getClientRects().length)
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.right > Math.min(box.right, vw) + 0.5 || r.left < box.left - 0.5 || r.left < 0)
      .map(({ e, r }) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}" [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }, [selector, boxSelector]);
}

test('at 1400x900 the analyst panel fits, the legend hides no area, a listed area is shown with its neighbours (defect 9)', async () => {
  const page = await newPage(browser, server, { token: server.token });
  await page.setViewportSize({ width: 1400, height: 900 });
  await openMap(page, server, 'source=force&category=all&window=nte&layer=rate');
  // The first view keeps every area clear of the legend.
  const underLegend = await page.evaluate(() => {
    const { map } = window.__safemap;
    const m = map.getCanvas().getBoundingClientRect();
    const l = document.getElementById('legend').getBoundingClientRect();
    const hits = map.queryRenderedFeatures([[l.left - m.left, l.top - m.top], [l.right - m.left, l.bottom - m.top]], { layers: ['areas-fill'] });
    return hits.length;
  });
  assert.equal(underLegend, 0, 'no area is drawn under the legend in the first view');
  await page.screenshot({ path: path.join(artifactsDir(), 'map-first-view-1400.png') });

  // A listed area: zoomed to with its neighbours in view, clear of the legend.
  const code = await page.$eval('#priority .priority-item', (b) => b.dataset.code);
  await page.click('#priority .priority-item');
  await page.waitForFunction((c) => document.getElementById('panel').dataset.code === c && document.getElementById('panel').dataset.loaded, code);
  await page.waitForFunction(() => !window.__safemap.map.isMoving(), null, { timeout: 10_000 });
  await page.waitForTimeout(800);
  await mapIdle(page);
  const view = await page.evaluate(async (c) => {
    const { map, areas } = window.__safemap;
    const a = areas.find((x) => x.code === c);
    const fc = await (await fetch('/api/areas.geojson')).json();
    const f = fc.features.find((x) => (x.id ?? x.properties.id) === a.id);
    const pts = [];
    const walk = (co) => (typeof co[0] === 'number' ? pts.push(map.project(co)) : co.forEach(walk));
    walk(f.geometry.coordinates);
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    const canvas = map.getCanvas();
    const others = new Set(map.queryRenderedFeatures({ layers: ['areas-fill'] }).map((x) => x.id));
    others.delete(a.id);
    const m = canvas.getBoundingClientRect();
    const l = document.getElementById('legend').getBoundingClientRect();
    return {
      zoom: map.getZoom(),
      box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      width: canvas.clientWidth,
      height: canvas.clientHeight,
      neighbours: others.size,
      legend: [l.left - m.left, l.top - m.top, l.right - m.left, l.bottom - m.top],
    };
  }, code);
  const [x0, y0, x1, y1] = view.box;
  assert.ok(x0 >= 0 && y0 >= 0 && x1 <= view.width && y1 <= view.height, `the area is wholly in view (${view.box.map(Math.round)})`);
  assert.ok(x1 - x0 < 0.6 * view.width && y1 - y0 < 0.6 * view.height, `the area does not fill the map (${Math.round(x1 - x0)} x ${Math.round(y1 - y0)} of ${view.width} x ${view.height})`);
  assert.ok(view.neighbours >= 5, `its neighbours are in view (${view.neighbours} other areas)`);
  const [lx0, ly0, lx1, ly1] = view.legend;
  assert.ok(x1 < lx0 || x0 > lx1 || y1 < ly0 || y0 > ly1, 'the area is not under the legend');
  assert.ok(view.zoom < 15, `zoom ${view.zoom.toFixed(1)}`);

  // The analyst panel fits: nothing in it is cut off, the "Value, p" column included.
  await page.screenshot({ path: path.join(artifactsDir(), 'map-analyst-panel-1400.png') });
  const clipped = await outside(page, '#panel th, #panel td, #panel dt, #panel dd, #panel h2, #panel svg', '#panel');
  assert.deepEqual(clipped, [], 'every cell of the panel is inside the panel and the viewport');
  const overflow = await page.$eval('#panel', (p) => p.scrollWidth - p.clientWidth);
  assert.ok(overflow <= 0, `the panel does not scroll sideways (${overflow} px)`);
  assert.ok(await page.$('#panel th:text("Value, p")'), 'the analyst sees the "Value, p" column');
  await page.context().close();
});

test('sign-in only where there is an analyst role; a forgiving finder; a top list without zeros (11)', async () => {
  const session = await getJson(server, '/api/session');
  const layers = await getJson(server, '/api/layers');
  assert.equal(session.analyst_login, true, 'the demo has an analyst token');
  assert.equal(layers.analyst_login, true);
  const page = await newPage(browser, server);
  await openMap(page, server, 'source=ed&category=flag_alcohol&window=nte&layer=rate');
  assert.ok(await page.isVisible('#signin'), 'the sign-in box is shown when the server has an analyst role');

  // The finder: part of a name, any case.
  const areas = await page.evaluate(() => window.__safemap.areas);
  const target = areas.find((a) => /\s/.test(a.name)) || areas[0];
  const word = target.name.split(/\s+/)[0].toLowerCase();
  await page.fill('#find', word);
  await page.press('#find', 'Enter');
  await page.waitForFunction(() => !document.getElementById('panel').hidden && document.getElementById('panel').dataset.loaded);
  const opened = await page.$eval('#panel', (p) => p.dataset.code);
  const name = areas.find((a) => a.code === opened).name;
  assert.ok(name.toLowerCase().includes(word), `"${word}" opened ${name}`);
  assert.equal(await page.textContent('#finder-message').then((t) => /No area/.test(t)), false);

  // The top list: positive values only, and it says so when there are fewer than ten.
  const listed = await page.$$eval('#priority .priority-item', (b) => b.map((x) => JSON.parse(x.querySelector('.p-value').dataset.value)));
  assert.ok(listed.every((v) => typeof v === 'number' && v > 0), `listed values: ${listed.join(', ')}`);
  const positive = areas.filter((a) => typeof a.rate === 'number' && a.rate > 0 && a.no_data !== true).length;
  assert.equal(listed.length, Math.min(10, positive));
  if (positive < 10) assert.match(await page.textContent('#priority'), /No other area has a value above zero/);
  await page.context().close();
});

test('the context outline and place names are drawn from the server\'s offline layers', async () => {
  const catalogue = await getJson(server, '/api/layers');
  const ids = (catalogue.tile_layers || []).map((t) => t.id);
  // The demo's boundaries share vertices and its names carry district suffixes, so it has both.
  assert.ok(ids.includes('context') && ids.includes('labels'), `tile layers: ${ids.join(', ')}`);
  const page = await newPage(browser, server);
  await openMap(page, server, 'source=police&layer=rate');
  const layers = await page.evaluate(() => ['context-outline', 'context-district', 'labels-points'].filter((id) => window.__safemap.map.getLayer(id)));
  assert.deepEqual(layers, ['context-outline', 'context-district', 'labels-points']);
  const outline = await page.evaluate(() => window.__safemap.map.queryRenderedFeatures({ layers: ['context-outline'] }).length);
  assert.ok(outline > 0, 'the study outline is drawn');
  await page.evaluate(() => window.__safemap.map.jumpTo({ zoom: window.__safemap.map.getZoom() + 1.5 }));
  await mapIdle(page);
  await page.waitForTimeout(300);
  const shown = await page.$$eval('.map-label', (els) => els.map((e) => ({ text: e.textContent, r: e.getBoundingClientRect().toJSON() })));
  assert.ok(shown.length > 0, 'place names are shown');
  const names = new Set((await page.evaluate(() => window.__safemap.areas)).map((a) => a.name));
  assert.ok(shown.some((s) => names.has(s.text)), 'area names among the labels');
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const [a, b] = [shown[i].r, shown[j].r];
      assert.ok(!(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom), `labels ${shown[i].text} and ${shown[j].text} overlap`);
    }
  }
  assert.deepEqual(page.errors.filter((e) => !/favicon/.test(e)), [], 'no errors in the page');
  await page.screenshot({ path: path.join(artifactsDir(), 'map-place-names.png') });
  await page.context().close();
});
