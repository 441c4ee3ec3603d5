// The meeting report (/report.html#same-state-as-the-map): the map, the top-10 table, the
// charts and the run's provenance, laid out for A4 (see report.css).

import { api } from './api.js';
import { analysisLabel, esc, fmtContinuous, fmtCount, fmtMeasure, fmtMonth, fmtStatistic, humanize } from './format.js';
import { hourOfWeekChart, monthlyChart, rateCiChart, windowCells } from './charts.js';
import { renderLegend } from './legend.js';
import {
  analysisOf, applyLayer, applyServiceGaps, applyServices, categoryLabel, createMap, describeFilter, loadTiles, setValues,
} from './map-view.js';
import { VALUE_LAYERS } from './filters.js';
import { RANK_MEASURES, topAreas } from './priority.js';
import { gapsSection, sitesTable } from './report-gaps.js';
import { nteProfiles, timeTables } from './report-time.js';
import { comparisonSection } from './report-comparison.js';
import { parseState, stateToHash } from './state-url.js';

const $ = (id) => document.getElementById(id);
const report = { state: parseState() };
window.__safemap_report = report;

function status(t) {
  $('status').textContent = t || '';
}

function normalize(st, catalogue, analyst) {
  const src = catalogue.sources.find((s) => s.name === st.source) || catalogue.sources[0];
  st.source = src.name;
  if (!src.measures.some((m) => m.id === st.category)) st.category = 'all';
  const published = (src.periods || []).some((p) => p.from === st.from && p.to === st.to);
  const months = src.months || [];
  const ok = analyst ? months.includes(st.from) && months.includes(st.to) : published;
  if (!ok && src.periods && src.periods[0]) {
    st.from = src.periods[0].from;
    st.to = src.periods[0].to;
  }
  if (src.time_precision === 'month' || (st.window === 'custom' && !analyst)) st.window = 'all';
  return src;
}

function topTable(rows, measure) {
  $('top-title').textContent = `Top ${rows.length} areas by ${RANK_MEASURES[measure].replace(/^./, (c) => c.toLowerCase())}`;
  $('top-table').querySelector('tbody').innerHTML = rows
    .map((a, i) => {
      const s = a.suppressed;
      return `<tr data-code="${esc(a.code)}"><td>${i + 1}</td><td>${esc(a.name)}</td><td>${esc(a.code)}</td>
<td class="num">${esc(fmtMeasure('count', a.count, s))}</td><td class="num">${esc(fmtMeasure('rate', a.rate, s))}</td>
<td class="num">${esc(fmtMeasure('rate_lo', a.rate_lo, s))} to ${esc(fmtMeasure('rate_hi', a.rate_hi, s))}</td>
<td class="num">${esc(fmtMeasure('eb_rate', a.eb_rate, s))}</td><td class="num">${esc(fmtMeasure('excess_risk', a.excess_risk, s))}</td></tr>`;
    })
    .join('');
}

function provenance(manifest, catalogue, session) {
  const m = manifest || {};
  const p = m.parameters || {};
  const run = [
    ['Study', m.study || catalogue.study],
    ['safemap version', m.safemap_version || m.version],
    ['Seed', m.seed],
    ['Rates per', p.rate_per !== undefined ? fmtCount(p.rate_per) : undefined],
    ['Confidence', p.confidence !== undefined ? `${Math.round(p.confidence * 100)}%` : undefined],
    ['Intervals', p.interval_method && humanize(p.interval_method)],
    ['Expected counts', p.expected_counts && humanize(p.expected_counts)],
    ['Role of this report', session.role === 'analyst' ? 'analyst (exact numbers)' : 'public (disclosure-controlled numbers)'],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  $('prov-run').innerHTML = run.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');

  // Row accounting is in the analyst's manifest only; the public one gives the vintages.
  const msources = new Map((m.sources || []).map((s) => [s.name, s]));
  const withAccounting = [...msources.values()].some((s) => s.accounting);
  const n = (v) => (typeof v === 'number' ? fmtCount(v) : 'n/a');
  $('prov-sources').querySelector('thead').innerHTML = `<tr><th scope="col">Source</th><th scope="col">Format</th><th scope="col">Times</th><th scope="col">Months</th>${withAccounting ? '<th scope="col" class="num">Rows read</th><th scope="col" class="num">Joined</th><th scope="col" class="num">Outside</th><th scope="col" class="num">Rejected</th>' : ''}</tr>`;
  $('prov-sources').querySelector('tbody').innerHTML = catalogue.sources
    .map((s) => {
      const ms = msources.get(s.name) || {};
      const acc = ms.accounting || {};
      const months = s.months || [];
      const span = months.length ? `${fmtMonth(months[0])} to ${fmtMonth(months[months.length - 1])}` : 'n/a';
      return `<tr><td>${esc(humanize(s.label || s.name))}</td><td>${esc(humanize(ms.format || ''))}</td><td>${esc(s.time_precision === 'month' ? 'month only' : 'date and time')}</td><td>${esc(span)}</td>${withAccounting ? `<td class="num">${n(acc.read)}</td><td class="num">${n(acc.joined)}</td><td class="num">${n(acc.outside)}</td><td class="num">${n(acc.rejected)}</td>` : ''}</tr>`;
    })
    .join('');

  const inputs = m.inputs || [];
  $('prov-inputs').querySelector('tbody').innerHTML = inputs.length
    ? inputs
      .map((f) => {
        const file = String(f.path || f.file || '').split(/[\\/]/).pop();
        return `<tr><td>${esc(humanize(f.role || ''))}</td><td data-ident>${esc(file)}</td><td class="num">${typeof f.bytes === 'number' ? fmtCount(f.bytes) : ''}</td><td class="hash" data-sha256="${esc(f.sha256 || '')}">${esc(f.sha256 || '')}</td></tr>`;
      })
      .join('')
    : '<tr><td colspan="4">The server gave no input checksums.</td></tr>';

  const params = [];
  if (m.weights) params.push(['Spatial weights', `${humanize(m.weights.kind || '')}${m.weights.mean_neighbours ? `, mean neighbours ${fmtContinuous(m.weights.mean_neighbours)}` : ''}`]);
  for (const a of m.analyses || []) {
    const s = a.settings || a;
    const bits = [`source ${humanize(s.source)}`, `category ${categoryLabel(catalogue, s.source, s.category).toLowerCase()}`];
    if (s.period && s.period.from) bits.push(`${fmtMonth(s.period.from)} to ${fmtMonth(s.period.to)}`);
    if (s.value) bits.push(`value ${humanize(s.value).toLowerCase()}`);
    if (s.statistics) bits.push(s.statistics.map(fmtStatistic).join(', '));
    if (s.permutations) bits.push(`${fmtCount(s.permutations)} permutations`);
    if (s.correction) bits.push(`correction ${String(s.correction).toUpperCase()}`);
    const name = a.name || s.name;
    params.push([`Analysis \u201c${analysisLabel(analysisOf(catalogue, name) || { name })}\u201d`, bits.join('; ')]);
  }
  if (m.grid && m.grid.settings) {
    const g = m.grid.settings;
    params.push(['Grid', `${g.shape}, ${fmtCount(g.cell_size_m)} m cells, ${humanize(g.source)} ${categoryLabel(catalogue, g.source, g.category).toLowerCase()}, neighbours within ${fmtCount(g.threshold_m)} m`]);
  }
  if (m.density) params.push(['Kernel density', `${humanize(m.density.kernel || '')} kernel, bandwidth ${fmtContinuous(m.density.bandwidth_m)} m, ${fmtCount(m.density.cell_size_m)} m cells`]);
  const d = session.disclosure || catalogue.disclosure;
  if (d) params.push(['Disclosure control', d.applied ? `applied: counts up to ${d.suppress_max} suppressed, others rounded to ${d.round_to}` : 'not applied (analyst view)']);
  $('prov-params').innerHTML = params.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
}

async function start() {
  $('print').addEventListener('click', () => window.print());
  status('Loading\u2026');
  const [session, catalogue, manifest] = await Promise.all([api.session(), api.layers(), api.manifest().catch(() => null)]);
  const analyst = session.role === 'analyst';
  const st = report.state;
  normalize(st, catalogue, analyst);
  $('back').href = `/#${stateToHash(st)}`;
  $('report-title').textContent = `${catalogue.study || 'safemap'}: briefing`;
  document.title = `safemap report: ${catalogue.study || ''}`;
  const filterText = describeFilter(catalogue, st);
  $('report-filter').textContent = `${filterText}. Produced ${new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}.`;
  $('report-role').textContent = analyst
    ? 'Analyst view: exact numbers. Do not circulate beyond the partnership.'
    : 'Public view: numbers are disclosure-controlled (small counts suppressed, others rounded); rates use the rounded counts.';

  const [res, tiles] = await Promise.all([api.areas(st), loadTiles(catalogue)]);
  const areas = res.areas || [];
  report.areas = areas;
  const measure = RANK_MEASURES[st.rank] ? st.rank : VALUE_LAYERS[st.layer] ? st.layer : 'eb_rate';
  const top = topAreas(areas, measure, 10);
  topTable(top, measure);

  // Charts: the top areas' rates with intervals; the focus area's month and hour profiles.
  const pop = areas.reduce((s, a) => s + (typeof a.population === 'number' && typeof a.count === 'number' ? a.population : 0), 0);
  const cnt = areas.reduce((s, a) => s + (typeof a.count === 'number' ? a.count : 0), 0);
  const ratePer = (manifest && manifest.parameters && manifest.parameters.rate_per) || 1000;
  document.querySelectorAll('#top-table th[data-per]').forEach((th) => { th.textContent += ` per ${fmtCount(ratePer)}`; });
  const byRate = top.slice().sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1));
  $('chart-ci').innerHTML = rateCiChart(byRate, { overall: pop > 0 ? (cnt / pop) * ratePer : null, label: `Rate per ${fmtCount(ratePer)}, top areas, with confidence intervals` });
  const focusCode = st.area || (top[0] && top[0].code);
  if (focusCode) {
    const detail = await api.area(focusCode, st);
    $('monthly-caption').textContent = `Monthly series: ${detail.name} (${detail.code})`;
    $('how-caption').textContent = `Hour of week: ${detail.name} (${detail.code})`;
    $('chart-monthly').innerHTML = monthlyChart(detail.monthly || [], { publicMode: !analyst, label: `Monthly count, ${detail.name}` });
    $('chart-how').innerHTML = Array.isArray(detail.hour_of_week)
      ? hourOfWeekChart(detail.hour_of_week, { label: `Count by hour of week, ${detail.name}`, inNte: windowCells(catalogue.time && catalogue.time.nte) })
      : `<p class="muted">${esc(detail.hour_of_week_note || 'No hour-of-week profile for this filter.')}</p>`;
  }
  provenance(manifest, catalogue, session);
  await gapsSection(catalogue);
  comparisonSection(catalogue.comparison);
  if (analyst) await nteProfiles(catalogue, areas, st);

  // The map last (it waits for tiles); printed from a snapshot image.
  const { map, areasLayer, labels } = await createMap({ container: 'report-map', catalogue, tiles, interactive: false, view: null });
  report.map = map;
  setValues(map, areasLayer, areas);
  const legend = applyLayer(map, st, { catalogue, tiles, areasLayer, areas, analyst, ratePer: fmtCount(ratePer) });
  renderLegend($('report-legend'), legend, { showCounts: analyst });
  renderLegend($('report-legend-services'), applyServices(map, st, catalogue));
  renderLegend($('report-legend-gaps'), applyServiceGaps(map, st, catalogue));
  await new Promise((r) => map.once('idle', r));
  sitesTable(map);
  if (catalogue.time) {
    $('section-time').hidden = false;
    timeTables(map, catalogue, areasLayer);
  }
  if (st.layer === 'density') {
    renderLegend($('report-legend'), applyLayer(map, st, { catalogue, tiles, areasLayer, areas, analyst, ratePer: fmtCount(ratePer) }));
    await new Promise((r) => map.once('idle', r));
  }
  try {
    // The snapshot for print: the map canvas with the place names (HTML overlays) drawn on it.
    const src = map.getCanvas();
    const snap = document.createElement('canvas');
    snap.width = src.width;
    snap.height = src.height;
    const ctx2d = snap.getContext('2d');
    ctx2d.drawImage(src, 0, 0);
    if (labels) {
      labels.update();
      labels.paint(ctx2d, src.width / src.clientWidth);
    }
    $('report-map-img').src = snap.toDataURL('image/png');
    document.body.classList.add('has-snapshot');
  } catch (e) {
    console.warn('map snapshot', e);
  }
  status('');
  document.body.dataset.ready = '1';
}

start().catch((e) => {
  console.error(e);
  status(`The report failed: ${e.message}`);
  document.body.dataset.ready = 'error';
});
