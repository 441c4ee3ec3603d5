// The report's section for the night-time-economy meeting: the areas in each emerging hot
// spot class, the areas that changed significantly, those whose ED share is high (analyst), and the whole study's hour-of-week
// profile with its night-time-economy share. Shown only when the study has time layers;
// the hour-of-week profile only for the analyst (the public is given no hours).

import { api } from './api.js';
import { hourOfWeekChart, nteShare, windowCells } from './charts.js';
import { esc, humanize } from './format.js';
import { CHANGE_CLASSES, ED_VS_POLICE_CLASSES, ED_VS_POLICE_FIELD, EMERGING_CLASSES } from './time-layers.js';

const $ = (id) => document.getElementById(id);

/** The study-wide hour-of-week profile of each timestamped source (analyst view). */
export async function nteProfiles(catalogue, areas, state) {
  const t = catalogue.time;
  if (!t) return;
  const timed = (catalogue.sources || []).filter((s) => s.time_precision === 'timestamp');
  if (!(t.emerging || []).length && !(t.changes || []).length && !timed.length) return;
  $('section-time').hidden = false;
  $('time-period').textContent = t.period ? `Summary period ${t.period}, compared with ${t.previous}.` : '';
  const first = areas[0];
  if (!first) return;
  const inNte = windowCells(t.nte);
  const windowText = t.nte && t.nte.days ? `the nights of ${t.nte.days}, hours ${t.nte.hours}` : 'Friday and Saturday nights, 21:00-02:59';
  const parts = [];
  for (const s of timed) {
    const detail = await api.area(first.code, { ...state, source: s.name, category: 'all', window: 'all', from: null, to: null });
    if (!Array.isArray(detail.study_hour_of_week)) {
      parts.push(`<p class="muted">${esc(humanize(s.label || s.name))}: ${esc(detail.hour_of_week_note || 'no hour-of-week profile in this view')}</p>`);
      continue;
    }
    const share = nteShare(detail.study_hour_of_week, inNte);
    parts.push(`<figure class="report-figure" data-source="${esc(s.name)}"><figcaption>${esc(humanize(s.label || s.name))}, whole study: <span data-field="nte_share">${share === null ? 'no events' : `${Math.round(share * 100)}%`}</span> in the night-time economy (${esc(windowText)})</figcaption>${hourOfWeekChart(detail.study_hour_of_week, { label: `Count by hour of week, ${s.name}, whole study`, inNte })}</figure>`);
  }
  $('time-nte').innerHTML = parts.join('');
}

/** The areas per emerging class and per change class, from the map's area tiles. */
export function timeTables(map, catalogue, areasLayer) {
  const t = catalogue.time;
  if (!t || !map.getSource('areas')) return;
  const features = map.querySourceFeatures('areas', { sourceLayer: areasLayer });
  const byCode = new Map(features.map((f) => [f.properties.code, f.properties]));
  const rows = (column, classes) => classes
    .filter(([id]) => !['no_pattern', 'no_significant_change', 'not_significant'].includes(id))
    .map(([id, label]) => {
      const names = [...byCode.values()].filter((p) => p[column] === id).map((p) => p.name || p.code).sort();
      return names.length ? `<tr data-class="${esc(id)}"><td>${esc(label)}</td><td class="num">${names.length}</td><td>${esc(names.join(', '))}</td></tr>` : '';
    })
    .join('');
  const tables = [];
  for (const e of t.emerging || []) {
    tables.push(`<table class="report-table" data-emerging="${esc(e.name)}"><caption>Emerging hot spots: ${esc(humanize(e.name))} (${e.slices.length} ${esc(humanize(e.slice).toLowerCase())}s, ${esc(e.slices[0])} to ${esc(e.slices[e.slices.length - 1])})</caption><thead><tr><th scope="col">Class</th><th scope="col" class="num">Areas</th><th scope="col">Which</th></tr></thead><tbody>${rows(e.column, EMERGING_CLASSES) || '<tr><td colspan="3">No area shows a pattern.</td></tr>'}</tbody></table>`);
  }
  for (const c of t.changes || []) {
    tables.push(`<table class="report-table" data-change="${esc(c.name)}"><caption>Change: ${esc(humanize(c.name))}, ${esc(c.period)} against ${esc(c.previous)}</caption><thead><tr><th scope="col">Class</th><th scope="col" class="num">Areas</th><th scope="col">Which</th></tr></thead><tbody>${rows(c.class_column, CHANGE_CLASSES) || '<tr><td colspan="3">No area changed significantly.</td></tr>'}</tbody></table>`);
  }
  if ([...byCode.values()].some((p) => ED_VS_POLICE_FIELD in p)) {
    tables.push(`<table class="report-table" data-ed-vs-police><caption>Emergency department assaults against police-recorded violence: areas where more of the violence reaches the hospital than the police</caption><thead><tr><th scope="col">Class</th><th scope="col" class="num">Areas</th><th scope="col">Which</th></tr></thead><tbody>${rows(ED_VS_POLICE_FIELD, ED_VS_POLICE_CLASSES) || '<tr><td colspan="3">No area.</td></tr>'}</tbody></table>`);
  }
  $('time-tables').innerHTML = tables.join('');
}
