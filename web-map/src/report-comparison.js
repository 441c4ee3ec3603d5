// The report's comparison with similar partnerships (`[comparison]`, served whole in the
// catalogue's `comparison` entry: partnership totals of police.uk open data): per category
// a sentence ("Plymouth: 3rd lowest of 16 similar partnerships for robbery"), a table of
// the partnership and its similar group, lowest rate first, and a bar chart.

import { barChart } from './charts.js';
import { esc, fmtCount } from './format.js';

const $ = (id) => document.getElementById(id);

/** `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, ... */
export function ordinal(n) {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' })[n % 10] || 'th';
  return `${n}${s}`;
}

/** The sentence of one category. */
export function comparisonSentence(c, cat) {
  const name = cat.slug === 'all' ? 'all crime' : cat.name.toLowerCase();
  const similar = cat.rank_similar ? `${ordinal(cat.rank_similar)} lowest of ${c.group.length} similar partnerships` : 'not ranked among its similar partnerships';
  const all = cat.rank_all ? `${ordinal(cat.rank_all)} lowest of ${cat.ranked} partnerships with data` : 'not ranked nationally';
  return `${c.partnership.name}: ${similar} for ${name} (${all}).`;
}

const rateText = (v) => (typeof v === 'number' ? v.toFixed(2) : 'no data');

/** Fills the section from `comparison` (hidden without one). */
export function comparisonSection(c) {
  if (!c || !Array.isArray(c.categories)) return;
  $('section-comparison').hidden = false;
  const per = fmtCount(c.rate_per);
  const traits = c.characteristics.map((t) => t.description).join('; ');
  $('comparison-note').textContent = `${c.partnership.name} against its ${c.similar} most similar partnerships (the nearest on ${traits}; standardised, Euclidean distance), so groups of ${c.group.length}, and against all ${c.ranked} partnerships with data; ${c.no_data} partnerships have no data (forces without files: ${c.forces_without_files.join(', ') || 'none'}), never counted as zero. Police.uk ${c.months.join(', ')}, rates per ${per} residents, lowest = 1st.`;
  const parts = c.categories.map((cat) => {
    const rows = c.group
      .map((m, i) => ({ ...m, count: cat.counts[i], rate: cat.rates[i], study: i === 0 }))
      .sort((a, b) => (a.rate ?? Infinity) - (b.rate ?? Infinity));
    const body = rows
      .map((r, i) => `<tr data-code="${esc(r.code)}"${r.study ? ' class="study"' : ''}><td class="num">${typeof r.rate === 'number' ? i + 1 : ''}</td><td>${r.study ? `<strong>${esc(r.name)}</strong>` : esc(r.name)}</td><td class="num">${esc(fmtCount(r.count))}</td><td class="num">${esc(rateText(r.rate))}</td><td class="num">${r.study ? '' : esc(r.distance.toFixed(2))}</td></tr>`)
      .join('');
    const chart = barChart(rows.map((r) => ({ name: r.name, value: r.rate, highlight: r.study })), { label: `${cat.name}: rate per ${per} residents` });
    return `<div class="comparison-category" data-category="${esc(cat.slug)}">
<p class="comparison-sentence" data-field="sentence">${esc(comparisonSentence(c, cat))}</p>
<table class="report-table" data-comparison="${esc(cat.slug)}"><caption>${esc(cat.name)}: ${esc(c.partnership.name)} and its similar partnerships, lowest rate first</caption>
<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Partnership</th><th scope="col" class="num">Crimes</th><th scope="col" class="num">Rate per ${esc(per)}</th><th scope="col" class="num">Distance</th></tr></thead><tbody>${body}</tbody></table>
<figure class="report-figure">${chart}</figure></div>`;
  });
  $('comparison-tables').innerHTML = parts.join('');
}
