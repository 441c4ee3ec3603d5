// Shared set-up of the browser tests: start `safemap demo` on loopback, launch Debian's
// headless Chromium through playwright-core, and record every request a page makes.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'target', 'browser-artifacts');

const require = createRequire(path.join(ROOT, 'web-map', 'package.json'));

export function playwright() {
  try {
    return require('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core is missing: run \`npm ci\` in web-map/ first (${e.message})`);
  }
}

/**
 * Start `safemap demo --out TMP --port 0` and wait for "safemap: serving http://...".
 * With `opts.study` (a study file, relative to the repository), `safemap run STUDY --out
 * TMP/results` then `safemap serve TMP/results --port 0` with a token in TMP/analyst.token.
 * With SAFEMAP_URL set, use that running server instead (token from SAFEMAP_TOKEN_FILE).
 */
export async function startServer(opts = {}) {
  if (process.env.SAFEMAP_URL && !opts.study) {
    const dir = process.env.SAFEMAP_DEMO_DIR || '';
    const tf = process.env.SAFEMAP_TOKEN_FILE || (dir && path.join(dir, 'analyst.token'));
    return {
      url: process.env.SAFEMAP_URL.replace(/\/$/, ''),
      dir,
      token: tf && existsSync(tf) ? readFileSync(tf, 'utf8').trim() : '',
      stop: async () => {},
    };
  }
  const bin = path.resolve(ROOT, process.env.SAFEMAP_BIN || 'target/debug/safemap');
  if (!existsSync(bin)) throw new Error(`no safemap binary at ${bin}: run \`cargo build -p safemap-cli\` or set SAFEMAP_BIN`);
  const dir = mkdtempSync(path.join(tmpdir(), 'safemap-browser-'));
  let args = ['demo', '--out', dir, '--port', '0'];
  if (opts.study) {
    const results = path.join(dir, 'results');
    const run = spawnSync(bin, ['run', opts.study, '--out', results], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.status !== 0) throw new Error(`safemap run ${opts.study} exited with ${run.status}:\n${run.stdout}${run.stderr}`);
    writeFileSync(path.join(dir, 'analyst.token'), 'browser-test-analyst-token-0123456789\n');
    args = ['serve', results, '--port', '0', '--token-file', path.join(dir, 'analyst.token')];
  }
  const proc = spawn(bin, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`safemap demo did not start serving within 150 s:\n${log}`)), 150_000);
    const onData = (buf) => {
      log += buf.toString();
      // Up to the slash the server prints after host:port: the line may arrive in pieces,
      // and a match on a piece (`http://127`) would send every request to a host named 127.
      const m = /serving (http:\/\/[^\s/]+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stderr.on('data', onData);
    proc.stdout.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`safemap ${args[0]} exited with ${code} before serving:\n${log}`));
    });
  });
  proc.stderr.removeAllListeners('data');
  proc.stdout.removeAllListeners('data');
  proc.stderr.resume();
  proc.stdout.resume();
  proc.removeAllListeners('exit');
  const tokenFile = path.join(dir, 'analyst.token');
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  return {
    url,
    dir,
    token,
    stop: async () => {
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      if (!process.env.SAFEMAP_KEEP_DEMO) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  const { chromium } = playwright();
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
    ],
  });
}

/** Every request URL seen by any page, for the same-origin test. */
export const requests = [];

/**
 * A new page on the server. Any request to another host is recorded and aborted (so a
 * regression cannot leak to the internet from CI). opts.token: analyst token in sessionStorage.
 */
export async function newPage(browser, server, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  const origin = new URL(server.url).origin;
  context.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(`${origin}/`) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    return route.abort('blockedbyclient');
  });
  if (opts.token) {
    await context.addInitScript((t) => sessionStorage.setItem('safemap.token', t), opts.token);
  }
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  return page;
}

/** Load a page of the web map and wait until it has drawn its first values and tiles. */
export async function openMap(page, server, hash = '') {
  await page.goto(`${server.url}/${hash ? `#${hash}` : ''}`);
  await page.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready), null, { timeout: 60_000 });
  const ready = await page.evaluate(() => document.body.dataset.ready);
  if (ready !== '1') throw new Error(`the map did not start: ${await page.textContent('#status')}`);
  await mapIdle(page);
}

/** Wait until MapLibre has loaded every tile and finished drawing. */
export async function mapIdle(page) {
  await page.evaluate(
    () => new Promise((resolve) => {
      const map = window.__safemap.map || window.__safemap_report.map;
      const done = () => requestAnimationFrame(() => resolve());
      if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) done();
      else map.once('idle', done);
      map.triggerRepaint();
    }),
  );
}

/** Run an action that changes the state, then wait for the map to restyle and go idle. */
export async function afterUpdate(page, action) {
  const before = await page.evaluate(() => window.__safemap.updates);
  await action();
  await page.waitForFunction((n) => window.__safemap.updates > n, before, { timeout: 30_000 });
  await mapIdle(page);
}

/** Statistics of the map canvas pixels (luminance variance, distinct colours, a checksum). */
export async function canvasStats(page, selector = '#map canvas') {
  return page.evaluate((sel) => {
    const src = document.querySelector(sel);
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0; let sum = 0; let sum2 = 0; let hash = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const l = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
      n += 1; sum += l; sum2 += l * l;
      if (i % 64 === 0) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) >>> 0;
    }
    const mean = sum / n;
    return { width: c.width, height: c.height, mean, variance: sum2 / n - mean * mean, colours: colours.size, hash };
  }, selector);
}

/** A point (CSS pixels, page coordinates) inside area `id` on the map, found by rendering. */
export async function pointInArea(page, id) {
  return page.evaluate(async (areaId) => {
    const app = window.__safemap;
    const map = app.map;
    const res = await fetch('/api/areas.geojson', { headers: { Accept: 'application/json' } });
    const fc = await res.json();
    const f = fc.features.find((x) => (x.id ?? x.properties.id) === areaId);
    if (!f) return null;
    let w = Infinity; let s = Infinity; let e = -Infinity; let n = -Infinity;
    const walk = (c) => (typeof c[0] === 'number'
      ? (w = Math.min(w, c[0]), e = Math.max(e, c[0]), s = Math.min(s, c[1]), n = Math.max(n, c[1]))
      : c.forEach(walk));
    walk(f.geometry.coordinates);
    map.jumpTo({ center: [(w + e) / 2, (s + n) / 2] });
    await new Promise((r) => (map.loaded() && map.areTilesLoaded() ? r() : map.once('idle', r)));
    const rect = map.getCanvas().getBoundingClientRect();
    const centre = map.project([(w + e) / 2, (s + n) / 2]);
    let best = null;
    const K = 15;
    for (let i = 1; i < K; i++) {
      for (let j = 1; j < K; j++) {
        const p = map.project([w + ((e - w) * i) / K, s + ((n - s) * j) / K]);
        // Stay clear of the edges: the point and its 6-pixel neighbours must all be this area.
        const ok = [[0, 0], [6, 0], [-6, 0], [0, 6], [0, -6]].every(([dx, dy]) => {
          const hit = map.queryRenderedFeatures([p.x + dx, p.y + dy], { layers: ['areas-fill'] })[0];
          return hit && hit.id === areaId;
        });
        if (!ok) continue;
        const d = Math.hypot(p.x - centre.x, p.y - centre.y);
        if (!best || d < best.d) best = { x: p.x, y: p.y, d };
      }
    }
    return best && { x: rect.left + best.x, y: rect.top + best.y };
  }, id);
}

/** Visible text of the elements a public view must keep free of small counts (identifiers out). */
export async function scannedText(page, selectors) {
  return page.evaluate((sels) => sels.map((sel) => {
    const el = document.querySelector(sel);
    if (!el || el.hidden) return '';
    const clone = el.cloneNode(true);
    clone.querySelectorAll('[data-ident]').forEach((x) => x.remove());
    // SVG text (ticks, labels) and tooltips count as shown too.
    const svg = [...clone.querySelectorAll('svg text, svg title, svg desc')].map((t) => t.textContent).join(' ');
    clone.querySelectorAll('svg').forEach((x) => x.remove());
    document.body.appendChild(clone);
    clone.style.position = 'absolute';
    clone.style.left = '-99999px';
    const text = clone.innerText;
    clone.remove();
    return `${text} ${svg}`;
  }).join('\n'), selectors);
}

export function artifactsDir() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}

/** GET a JSON route of the server from Node (optionally as the analyst). */
export async function getJson(server, route, token) {
  const res = await fetch(`${server.url}${route}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The colour of one map canvas pixel (page coordinates, CSS pixels), as [r, g, b]. */
export async function pixel(page, x, y) {
  return page.evaluate(([px, py]) => {
    const src = document.querySelector('#map canvas');
    const r = src.getBoundingClientRect();
    const k = src.width / r.width;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    return [...ctx.getImageData(Math.round((px - r.left) * k), Math.round((py - r.top) * k), 1, 1).data].slice(0, 3);
  }, [x, y]);
}

/** The colour a fill of `hex` at opacity `a` shows as over the map background. */
export function blended(hex, a = 0.9) {
  const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const bg = rgb('#eef0f2');
  return rgb(hex).map((c, i) => a * c + (1 - a) * bg[i]);
}

/** Assert two colours agree to `tol` in each channel. */
export function assertNear(got, want, what, tol = 4) {
  assert.ok(got.every((c, i) => Math.abs(c - want[i]) <= tol), `${what}: pixel ${got} is not ${want.map(Math.round)}`);
}
