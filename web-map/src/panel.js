// The area panel: opened by clicking an area, choosing one in the area finder or in the
// priority list. Shows the numbers of /api/areas/{code} for the current filters exactly as the
// API gives them (each value element carries the raw JSON number in data-value), the hotspot
// classes, the monthly series and the hour-of-week heatmap.

import { esc, fmtClass, fmtContinuous, fmtCount, fmtDecile, fmtMeasure, fmtP, fmtStatistic, humanize } from './format.js';
import { hourOfWeekChart, monthlyChart, nteShare, windowCells } from './charts.js';

const raw = (v) => esc(JSON.stringify(v === undefined ? null : v));

function value(field, v, text) {
  return `<span class="num" data-field="${field}" data-value="${raw(v)}">${esc(text)}</span>`;
}


function analysesTable(list, analyst, labelOf) {
  if (!list || !list.length) return '<p class="muted">No hotspot analyses cover this area.</p>';
  const head = `<tr><th scope="col" class="col-name">Analysis</th><th scope="col" class="col-stat">Statistic</th><th scope="col" class="col-cls">Class</th><th scope="col" class="col-cls">Adjusted</th>${analyst ? '<th scope="col" class="col-zp">Value, p</th>' : ''}</tr>`;
  const rows = list
    .map((a) => {
      const corr = a.correction ? String(a.correction).toUpperCase() : 'adjusted';
      return `<tr data-analysis="${esc(a.analysis)}" data-statistic="${esc(a.statistic)}">
<th scope="row" data-ident>${esc(labelOf(a.analysis))}</th><td>${esc(fmtStatistic(a.statistic))}</td>
<td class="cls cls-${esc(a.class)}" data-field="class" data-value="${raw(a.class)}">${esc(fmtClass(a.class))}</td>
<td class="cls cls-${esc(a.class_adjusted)}" data-field="class_adjusted" data-value="${raw(a.class_adjusted)}"><span class="visually-hidden">${esc(corr)}: </span>${esc(fmtClass(a.class_adjusted))}</td>
${analyst ? `<td class="zp">${a.statistic === 'local_moran' && a.z === undefined ? `I ${value('i', a.i, fmtContinuous(a.i))}` : `z ${value('z', a.z, fmtContinuous(a.z))}`}<br>p ${value('p', a.p, fmtP(a.p))}</td>` : ''}</tr>`;
    })
    .join('');
  return `<table class="analyses"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/**
 * Render `detail` (an /api/areas/{code} answer) into `el`.
 * ctx: {analyst, ratePer, confidence, describe(): string, analysisLabel(name): string, onClose(),
 * areaKind (what an area is called in a study reported by neighbourhood: "ward")}.
 * An area that no input covers (`values.no_data`) says "No data" with the server's reason
 * instead of numbers that would read as zero.
 */
export function renderPanel(el, detail, ctx) {
  const v = detail.values || {};
  const sup = !!v.suppressed;
  const noData = v.no_data === true;
  const per = ctx.ratePer ? fmtCount(ctx.ratePer) : '1,000';
  const conf = `${Math.round((ctx.confidence || 0.95) * 100)}%`;
  const analyst = !!ctx.analyst;
  const monthly = detail.monthly && detail.monthly.length
    ? monthlyChart(detail.monthly, { publicMode: !analyst, label: 'Monthly count' })
    : '<p class="muted">No monthly series for this filter.</p>';
  const inNte = windowCells(ctx.nteWindow);
  const how = Array.isArray(detail.hour_of_week)
    ? hourOfWeekChart(detail.hour_of_week, { label: 'Count by hour of week', inNte })
    : `<p class="muted" data-field="hour_of_week_note">${esc(detail.hour_of_week_note || 'No hour-of-week profile for this filter.')}</p>`;
  el.innerHTML = `
<div class="panel-head">
  <h2 id="panel-title" tabindex="-1"><span data-field="name" data-ident>${esc(detail.name)}</span></h2>
  <button type="button" class="close" aria-label="Close area panel" title="Close (Esc)">&times;</button>
</div>
<p class="panel-code">${ctx.areaKind ? `${esc(ctx.areaKind.charAt(0).toUpperCase() + ctx.areaKind.slice(1))} code` : 'Code'} <span data-field="code" data-ident>${esc(detail.code)}</span></p>
<p class="panel-filter">${esc(ctx.describe())}</p>
${analyst ? '' : '<p class="panel-note">Public view: counts are rounded to the nearest five and small counts are suppressed; rates are computed from the rounded counts.</p>'}
<dl class="values">
  <dt>Residents</dt><dd>${value('population', detail.population, fmtCount(detail.population))}</dd>
  ${detail.deprivation !== undefined && detail.deprivation !== null ? `<dt>Deprivation</dt><dd>${value('deprivation', detail.deprivation, fmtDecile(detail.deprivation))}</dd>` : ''}
  ${noData ? `<dt>Values</dt><dd><span class="num" data-field="no_data" data-value="true">No data</span></dd>
  <dt>Why</dt><dd class="reason" data-field="no_data_reason">${esc(v.no_data_reason || 'No input file covers this area for the selected period.')}</dd>` : `
  <dt>Count</dt><dd>${value('count', v.count, fmtMeasure('count', v.count, sup))}</dd>
  <dt>Expected</dt><dd>${value('expected', v.expected, fmtMeasure('expected', v.expected, sup))}</dd>
  <dt>Rate per ${esc(per)}</dt><dd>${value('rate', v.rate, fmtMeasure('rate', v.rate, sup))}</dd>
  <dt>${esc(conf)} interval</dt><dd>${value('rate_lo', v.rate_lo, fmtMeasure('rate_lo', v.rate_lo, sup))} to ${value('rate_hi', v.rate_hi, fmtMeasure('rate_hi', v.rate_hi, sup))}</dd>
  <dt>Smoothed rate (Empirical Bayes) per ${esc(per)}</dt><dd>${value('eb_rate', v.eb_rate, fmtMeasure('eb_rate', v.eb_rate, sup))}</dd>
  <dt>Excess risk (observed \u00f7 expected; 1.00 = as expected)</dt><dd>${value('excess_risk', v.excess_risk, fmtMeasure('excess_risk', v.excess_risk, sup))}</dd>`}
</dl>
<h3>Hotspot classes</h3>
${analysesTable(detail.analyses, analyst, ctx.analysisLabel || humanize)}
<p class="muted small">Hotspot analyses use their own source, category and period from the study; the filters above do not change them.</p>
<h3>Monthly series</h3>
<div class="chart-box" data-chart="monthly">${monthly}</div>
<h3>Hour of week</h3>
${Array.isArray(detail.hour_of_week) ? `<p class="chart-caption">This area: <span data-field="nte_share_area">${nteText(detail.hour_of_week, inNte)}</span> in the night-time economy</p>` : ''}
<div class="chart-box" data-chart="hour_of_week">${how}</div>
${studyHow(detail, inNte)}`;
  el.hidden = false;
  el.dataset.code = detail.code;
  el.querySelector('.close').addEventListener('click', () => ctx.onClose());
}

/** A profile's share of events in the night-time-economy window, for people. */
function nteText(matrix, inNte) {
  const s = nteShare(matrix, inNte);
  return s === null ? 'no events' : `${Math.round(s * 100)}%`;
}

/** The study's hour-of-week profile, to set the area's beside (the night-time-economy view). */
function studyHow(detail, inNte) {
  if (!Array.isArray(detail.study_hour_of_week)) return '';
  return `<p class="chart-caption">Whole study: <span data-field="nte_share_study">${nteText(detail.study_hour_of_week, inNte)}</span> in the night-time economy</p>
<div class="chart-box" data-chart="study_hour_of_week">${hourOfWeekChart(detail.study_hour_of_week, { label: 'Count by hour of week, whole study', inNte })}</div>`;
}

export function renderPanelMessage(el, title, message) {
  el.hidden = false;
  el.innerHTML = `<div class="panel-head"><h2 id="panel-title" tabindex="-1">${esc(title)}</h2><button type="button" class="close" aria-label="Close area panel">&times;</button></div><p role="alert">${esc(message)}</p>`;
}
