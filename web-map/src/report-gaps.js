// The report's commissioner section: who lives within reach of each kind of service, the
// priority areas with what drives them, and the proposed new sites. Shown only when the
// study has `[access]`; each part only when the role is given it.

import { api } from './api.js';
import { esc, fmtContinuous } from './format.js';
import { humanDriver, siteFeatures } from './service-gaps.js';

const $ = (id) => document.getElementById(id);
const pct = (x) => (typeof x === 'number' ? `${Math.round(x * 100)}%` : '\u2013');
const people = (x) => (typeof x === 'number' ? Math.round(x).toLocaleString('en-GB') : '\u2013');

/** Fill the coverage and priority tables (before the map). */
export async function gapsSection(catalogue) {
  const a = catalogue.access;
  if (!a) return;
  $('section-gaps').hidden = false;
  const reach = a.unit === 'metres' ? `${(a.within / 1000).toLocaleString('en-GB')} km` : `${a.within.toLocaleString('en-GB')} minutes`;
  $('coverage-caption').textContent = `Residents within ${reach} of a service (${a.straight_line ? 'straight line' : 'travel cost'})`;
  $('coverage-table').querySelector('tbody').innerHTML = a.kinds
    .map((k) => `<tr data-kind="${esc(k.kind)}"><td>${esc(k.label)}</td><td class="num">${pct(k.coverage_all)}</td><td class="num">${pct(k.coverage_high_need)}</td></tr>`)
    .join('');
  if (!a.priority) {
    $('priority-note').textContent = a.need_from_sensitive_data
      ? 'The priority ranking uses sensitive data: it is in the analyst view only.'
      : 'The study ranks no priority areas.';
    $('report-priority').hidden = true;
    return;
  }
  const answer = await api.priority(10);
  $('report-priority').querySelector('tbody').innerHTML = answer.areas
    .map((r) => `<tr data-code="${esc(r.code)}"><td class="num">${esc(r.rank)}</td><td>${esc(r.name)}</td><td>${esc(r.code)}</td><td class="num">${esc(fmtContinuous(r.score))}</td><td>${esc(r.drivers.map(humanDriver).join(', '))}</td></tr>`)
    .join('');
}

/** The new sites, from the map's sites tiles once drawn (the layer must be shown). */
export function sitesTable(map) {
  const sites = siteFeatures(map);
  if (!sites.length) return;
  $('report-sites').hidden = false;
  $('report-sites').querySelector('tbody').innerHTML = sites
    .map((s) => `<tr data-area="${esc(s.area)}"><td class="num">${esc(s.order)}</td><td>${esc(s.area_name)}</td><td>${esc(s.area)}</td><td class="num">${people(s.need_added)}</td><td class="num">${people(s.need_covered_after)} of ${people(s.need_total)}</td></tr>`)
    .join('');
}
