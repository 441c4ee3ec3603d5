// The controls: layer and classification, filters (source, category, period, time window),
// services and the priority measure. They read and write the shared state; main.js decides
// what to fetch and restyle. Options come from /api/layers, so the public role is offered only
// the published periods and windows, and custom windows and periods only to the analyst.

import { analysisLabel, esc, fmtPeriod, humanize, measureLabel } from './format.js';
import { METHODS } from './classify.js';
import { SEQUENTIAL, TIERS } from './palettes.js';
import { RANK_MEASURES } from './priority.js';
import { gapKinds } from './service-gaps.js';
import { isTimeClassLayer, timeLayerOptions } from './time-layers.js';

const $ = (id) => document.getElementById(id);
const DAY_IDS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const VALUE_LAYERS = {
  count: 'Count',
  rate: 'Crude rate',
  eb_rate: 'Smoothed rate (Empirical Bayes)',
  excess_risk: 'Excess risk (observed / expected)',
};

/** The layers offered by this server: value choropleths, hotspot classes, grid, density, extras. */
export function layerOptions(catalogue, tiles, areaFields) {
  const groups = [{ label: 'Choropleth (uses the filters)', options: Object.entries(VALUE_LAYERS).map(([id, label]) => ({ id, label })) }];
  const hot = [];
  for (const a of catalogue.analyses || []) {
    const name = analysisLabel(a);
    for (const st of a.statistics || []) {
      if (st === 'gi_star') hot.push({ id: `gi:${a.name}`, label: `Gi* hot and cold spots: ${name}` });
      if (st === 'local_moran') hot.push({ id: `lisa:${a.name}`, label: `Local Moran clusters: ${name}` });
    }
  }
  if (tiles.grid) hot.push({ id: 'grid', label: 'Gi* on grid cells' });
  if (hot.length) groups.push({ label: 'Hotspots (fixed by the study)', options: hot });
  const gaps = gapKinds(catalogue, areaFields).map((k) => ({ id: `bivariate:${k.kind}`, label: `Need against access: ${k.label}` }));
  if (gaps.length) groups.push({ label: 'Service gaps (fixed by the study)', options: gaps });
  const timeLayers = timeLayerOptions(catalogue, areaFields);
  if (timeLayers.length) groups.push({ label: 'Time and night-time economy (fixed by the study)', options: timeLayers });
  const other = [];
  if (tiles.density) other.push({ id: 'density', label: 'Kernel density (heat surface)' });
  for (const [f, type] of Object.entries(areaFields || {})) {
    if (String(type).toLowerCase() !== 'number') continue;
    if (/^(gap|priority|access|need|supply|coverage)/.test(f)) {
      other.push({ id: `field:${f}`, label: humanize(f) });
    }
  }
  if (other.length) groups.push({ label: 'Surfaces and service views', options: other });
  return groups;
}

function fillSelect(sel, options, value) {
  sel.innerHTML = options.map((o) => `<option value="${esc(o.id)}">${esc(o.label)}</option>`).join('');
  if (options.some((o) => o.id === value)) sel.value = value;
}

/**
 * ctx: {catalogue, tiles, areaFields, analyst, getState(), update(patch)}.
 * Returns {sync()} to reflect the state into the controls.
 */
export function initControls(ctx) {
  const { catalogue, analyst } = ctx;
  const groups = layerOptions(catalogue, ctx.tiles, ctx.areaFields);
  $('layer').innerHTML = groups
    .map((g) => `<optgroup label="${esc(g.label)}">${g.options.map((o) => `<option value="${esc(o.id)}">${esc(o.label)}</option>`).join('')}</optgroup>`)
    .join('');
  fillSelect($('class-method'), Object.entries(METHODS).map(([id, label]) => ({ id, label })));
  fillSelect($('class-k'), [3, 4, 5, 6, 7, 8, 9].map((k) => ({ id: String(k), label: `${k} classes` })));
  fillSelect($('palette'), Object.entries(SEQUENTIAL).map(([id, label]) => ({ id, label })));
  fillSelect($('source'), catalogue.sources.map((s) => ({ id: s.name, label: humanize(s.label || s.name) + (s.time_precision === 'month' ? ' (monthly)' : '') })));
  const ranks = Object.entries(RANK_MEASURES).map(([id, label]) => ({ id, label }));
  if (catalogue.access && catalogue.access.priority) ranks.unshift({ id: 'priority', label: 'Priority (need and service gaps)' });
  fillSelect($('rank'), ranks);

  $('custom-days').innerHTML = DAY_IDS.map(
    (d, i) => `<label class="inline"><input type="checkbox" name="day" value="${d}"> <abbr title="${DAY_NAMES[i]}">${DAY_NAMES[i].slice(0, 3)}</abbr></label>`,
  ).join('');
  const hourOpts = Array.from({ length: 24 }, (_, h) => ({ id: String(h), label: `${String(h).padStart(2, '0')}:00` }));
  fillSelect($('hour-from'), hourOpts);
  fillSelect($('hour-to'), hourOpts.map((o) => ({ ...o, label: `${o.label.slice(0, 2)}:59` })));
  $('custom-window').hidden = !analyst;
  $('custom-period').hidden = true;

  const kinds = (catalogue.services && catalogue.services.kinds) || [];
  const kindLabels = (catalogue.services && catalogue.services.kind_labels) || {};
  const tiers = (catalogue.services && catalogue.services.tiers) || TIERS.map((t) => t[0]);
  $('service-kinds').innerHTML = kinds
    .map((k) => `<label class="inline"><input type="checkbox" name="kind" value="${esc(k)}" checked> ${esc(kindLabels[k] || humanize(k))}</label>`)
    .join('');
  $('service-tiers').innerHTML = tiers
    .map((t) => `<label class="inline"><input type="checkbox" name="tier" value="${esc(t)}" checked> ${esc(t)}</label>`)
    .join('');
  $('services-section').hidden = !ctx.tiles.services;
  const access = catalogue.access;
  $('rings-field').hidden = !(access && access.straight_line && access.within > 0);
  $('gaps-section').hidden = !access;
  $('sites-field').hidden = !ctx.tiles.candidate_sites;

  const source = () => catalogue.sources.find((s) => s.name === ctx.getState().source) || catalogue.sources[0];

  // --- events
  $('layer').addEventListener('change', (e) => ctx.update({ layer: e.target.value }));
  $('class-method').addEventListener('change', (e) => ctx.update({ class: e.target.value }));
  $('class-k').addEventListener('change', (e) => ctx.update({ k: Number(e.target.value) }));
  $('palette').addEventListener('change', (e) => ctx.update({ palette: e.target.value }));
  document.querySelectorAll('input[name="adj"]').forEach((r) => r.addEventListener('change', (e) => ctx.update({ adj: e.target.value })));
  $('source').addEventListener('change', (e) => {
    const s = catalogue.sources.find((x) => x.name === e.target.value);
    const st = ctx.getState();
    const patch = { source: s.name };
    if (!s.measures.some((m) => m.id === st.category)) patch.category = 'all';
    const p = s.periods && s.periods[0];
    if (p && !(s.months || []).includes(st.from)) Object.assign(patch, { from: p.from, to: p.to });
    ctx.update(patch);
  });
  $('category').addEventListener('change', (e) => ctx.update({ category: e.target.value }));
  $('period').addEventListener('change', (e) => {
    if (e.target.value === 'custom') {
      $('custom-period').hidden = false;
      return;
    }
    const [from, to] = e.target.value.split('..');
    ctx.update({ from, to });
  });
  const customPeriod = () => {
    const from = $('month-from').value;
    const to = $('month-to').value;
    if (from && to && from <= to) ctx.update({ from, to });
  };
  $('month-from').addEventListener('change', customPeriod);
  $('month-to').addEventListener('change', customPeriod);
  $('window-choices').addEventListener('change', (e) => {
    if (e.target.name !== 'window') return;
    if (e.target.value === 'custom') {
      const st = ctx.getState();
      ctx.update({ window: 'custom', days: st.days || 'fri,sat', hours: st.hours || '21-2' });
    } else {
      ctx.update({ window: e.target.value });
    }
  });
  const customWindow = () => {
    const days = [...document.querySelectorAll('input[name="day"]:checked')].map((c) => c.value).join(',');
    const hours = `${$('hour-from').value}-${$('hour-to').value}`;
    ctx.update({ window: 'custom', days, hours });
  };
  $('custom-days').addEventListener('change', customWindow);
  $('hour-from').addEventListener('change', customWindow);
  $('hour-to').addEventListener('change', customWindow);
  $('services-on').addEventListener('change', (e) => ctx.update({ services: e.target.checked }));
  const serviceSel = (name, all) => {
    const on = [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
    return on.length === all.length ? '' : on.join(',') || '-';
  };
  $('service-kinds').addEventListener('change', () => ctx.update({ kinds: serviceSel('kind', kinds) }));
  $('service-tiers').addEventListener('change', () => ctx.update({ tiers: serviceSel('tier', tiers) }));
  $('rank').addEventListener('change', (e) => ctx.update({ rank: e.target.value }));
  $('service-colour').addEventListener('change', (e) => ctx.update({ colour: e.target.value }));
  $('rings-on').addEventListener('change', (e) => ctx.update({ rings: e.target.checked }));
  $('sites-on').addEventListener('change', (e) => ctx.update({ sites: e.target.checked }));

  function sync() {
    const st = ctx.getState();
    const s = source();
    $('layer').value = st.layer;
    $('class-method').value = st.class;
    $('class-k').value = String(st.k);
    $('palette').value = st.palette;
    document.querySelectorAll('input[name="adj"]').forEach((r) => { r.checked = r.value === st.adj; });
    const hotspot = /^(gi|lisa):/.test(st.layer) || st.layer === 'grid';
    $('adj-field').hidden = !hotspot;
    const classified = !hotspot && !st.layer.startsWith('bivariate:') && !isTimeClassLayer(st.layer);
    $('class-field').hidden = !classified;
    $('source').value = s.name;
    fillSelect($('category'), s.measures.map((m) => ({ id: m.id, label: measureLabel(m) })), st.category);
    // Periods: the published menu; the analyst may also pick any months.
    const periods = (s.periods || []).map((p) => ({ id: `${p.from}..${p.to}`, label: /^\d{4}$/.test(p.label) ? p.label : fmtPeriod(p.from, p.to) }));
    if (analyst) periods.push({ id: 'custom', label: 'Custom months\u2026' });
    const cur = `${st.from}..${st.to}`;
    fillSelect($('period'), periods, cur);
    if (!periods.some((p) => p.id === cur) && analyst) {
      $('period').value = 'custom';
      $('custom-period').hidden = false;
    }
    if (analyst) {
      const months = (s.months || []).map((m) => ({ id: m, label: fmtPeriod(m, m) }));
      fillSelect($('month-from'), months, st.from);
      fillSelect($('month-to'), months, st.to);
    }
    // Windows: none for month-precision sources.
    const wins = s.windows || [];
    const noTimes = s.time_precision === 'month' || !wins.length;
    const choices = [{ id: 'all', label: 'All hours' }, ...wins.filter((w) => w.id !== 'all').map((w) => ({ id: w.id, label: w.label }))];
    if (analyst && !noTimes) choices.push({ id: 'custom', label: 'Custom days and hours' });
    $('window-choices').innerHTML = choices
      .map((c) => `<label class="block"><input type="radio" name="window" value="${esc(c.id)}"${c.id === st.window ? ' checked' : ''}${noTimes ? ' disabled' : ''}> ${esc(c.label)}</label>`)
      .join('');
    $('window-field').classList.toggle('disabled', noTimes);
    $('window-field').setAttribute('aria-disabled', String(noTimes));
    $('custom-window').hidden = !(analyst && !noTimes && st.window === 'custom');
    if (st.window === 'custom') {
      const days = (st.days || '').split(',');
      document.querySelectorAll('input[name="day"]').forEach((c) => { c.checked = days.includes(c.value); });
      const [hf, ht] = (st.hours || '0-23').split('-');
      $('hour-from').value = String(Number(hf) || 0);
      $('hour-to').value = String(Number(ht ?? 23) || 0);
    }
    $('window-note').textContent = noTimes
      ? `The ${humanize(s.label || s.name)} source has month-precision dates only (no times of day), so the time window is fixed to all hours.`
      : '';
    $('services-on').checked = !!st.services;
    $('services-options').hidden = !st.services;
    const kindOn = st.kinds ? st.kinds.split(',') : null;
    document.querySelectorAll('input[name="kind"]').forEach((c) => { c.checked = !kindOn || kindOn.includes(c.value); });
    const tierOn = st.tiers ? st.tiers.split(',') : null;
    document.querySelectorAll('input[name="tier"]').forEach((c) => { c.checked = !tierOn || tierOn.includes(c.value); });
    $('rank').value = st.rank || (VALUE_LAYERS[st.layer] ? st.layer : 'eb_rate');
    $('service-colour').value = st.colour === 'tier' ? 'tier' : 'kind';
    $('rings-on').checked = !!st.rings;
    $('sites-on').checked = !!st.sites;
    $('sites-list').hidden = !st.sites;
  }

  return { sync, source };
}
