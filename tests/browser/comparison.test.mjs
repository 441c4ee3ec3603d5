// The report's comparison with similar partnerships in real headless Chromium: the
// Plymouth study with `[comparison]` (tests/studies/plymouth-comparison.toml, the national
// police.uk files of January 2019) run and served; the sentence, table and chart read from
// the page and checked against comparison.csv.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { artifactsDir, launchBrowser, newPage, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ study: 'tests/studies/plymouth-comparison.toml' });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** comparison.csv as objects. The file quotes names with commas; no field holds a quote. */
function comparisonCsv() {
  const [head, ...lines] = readFileSync(path.join(server.dir, 'results', 'comparison.csv'), 'utf8').trim().split('\n');
  const split = (line) => [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => m[2] ?? m[1]).slice(0, head.split(',').length);
  const cols = split(head);
  return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [cols[i], v])));
}

const ordinal = (n) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' })[n % 10] || 'th'}`;

test('the report shows Plymouth against its 15 similar partnerships, as comparison.csv ranks it', async () => {
  const page = await newPage(browser, server);
  await page.goto(`${server.url}/report.html`);
  await page.waitForSelector('#section-comparison:not([hidden]) [data-comparison="all"] tbody tr', { timeout: 60_000 });
  const rows = comparisonCsv();
  for (const slug of ['all', 'violence_and_sexual_offences']) {
    const study = rows.find((r) => r.category === slug && r.group === 'study');
    assert.ok(study, `Plymouth's ${slug} row`);
    const sentence = await page.$eval(`[data-category="${slug}"] [data-field="sentence"]`, (p) => p.textContent);
    assert.match(sentence, new RegExp(`^Plymouth: ${ordinal(Number(study.rank_similar))} lowest of 16 similar partnerships`), sentence);
    assert.ok(sentence.includes(`${ordinal(Number(study.rank_all))} lowest of`), sentence);
    const table = await page.$$eval(`table[data-comparison="${slug}"] tbody tr`, (trs) => trs.map((tr) => ({
      code: tr.dataset.code, rank: tr.cells[0].textContent, count: tr.cells[2].textContent.replace(/,/g, ''), study: tr.classList.contains('study'),
    })));
    const group = rows.filter((r) => r.category === slug && r.group !== '');
    assert.equal(table.length, 16, 'Plymouth and its 15 similar partnerships');
    assert.deepEqual(new Set(table.map((t) => t.code)), new Set(group.map((r) => r.code)));
    const mine = table.find((t) => t.study);
    assert.equal(mine.code, study.code);
    assert.equal(mine.rank, study.rank_similar, 'the table ranks as comparison.csv');
    assert.equal(mine.count, study.count);
    const bars = await page.$$eval(`[data-category="${slug}"] svg.bars rect`, (r) => r.length);
    assert.equal(bars, 16, 'one bar per partnership');
  }
  await page.screenshot({ path: path.join(artifactsDir(), 'report-comparison.png'), fullPage: true });
});
