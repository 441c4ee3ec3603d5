// Charts as inline SVG strings (no chart library): the monthly series of an area, the
// hour-of-week heatmap (7 days x 24 hours) and, for the report, rates with their confidence
// intervals. Every chart has a <title> and <desc> for screen readers.

import { DAYS, MONTHS, esc, fmtCount, fmtMonth, fmtRate } from './format.js';
import { sample, SUPPRESSED } from './palettes.js';

let uid = 0;

/** Tick step for 0..max with at most ~4 ticks; public counts tick in tens (never 1..7). */
export function tickStep(max, publicMode) {
  if (!(max > 0)) return publicMode ? 10 : 1;
  const raw = max / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) || 10 * pow;
  if (step < 1) step = 1;
  if (publicMode) step = Math.max(10, Math.ceil(step / 10) * 10);
  return step;
}

/**
 * Monthly counts: bars; suppressed months show as a grey stub marked "suppressed".
 * `monthly`: [{month: "2023-01", count, suppressed}].
 */
export function monthlyChart(monthly, { publicMode = false, label = 'Monthly count', width = 340, height = 150 } = {}) {
  const id = `chart${++uid}`;
  if (!monthly || !monthly.length) return '<p class="chart-note">No monthly series.</p>';
  const ml = 38;
  const mr = 6;
  const mt = 8;
  const mb = 30;
  const w = width - ml - mr;
  const h = height - mt - mb;
  const vals = monthly.map((m) => (typeof m.count === 'number' ? m.count : null));
  const max = Math.max(0, ...vals.filter((v) => v !== null));
  const step = tickStep(max, publicMode);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const y = (v) => mt + h - (v / top) * h;
  const bw = w / monthly.length;
  const parts = [];
  for (let v = 0; v <= top + 1e-9; v += step) {
    parts.push(`<line class="grid" x1="${ml}" x2="${ml + w}" y1="${y(v)}" y2="${y(v)}"/>`);
    parts.push(`<text class="tick" x="${ml - 4}" y="${y(v) + 3}" text-anchor="end">${fmtCount(v)}</text>`);
  }
  let suppressed = 0;
  monthly.forEach((m, i) => {
    const x = ml + i * bw;
    const v = vals[i];
    if (v === null) {
      suppressed += m.suppressed ? 1 : 0;
      parts.push(
        `<rect class="bar-suppressed" x="${x + 0.5}" y="${mt + h - 4}" width="${Math.max(1, bw - 1)}" height="4" fill="${SUPPRESSED}"><title>${esc(fmtMonth(m.month))}: ${m.suppressed ? 'suppressed' : 'n/a'}</title></rect>`,
      );
    } else {
      parts.push(
        `<rect class="bar" x="${x + 0.5}" y="${y(v)}" width="${Math.max(1, bw - 1)}" height="${Math.max(0, mt + h - y(v))}"><title>${esc(fmtMonth(m.month))}: ${fmtCount(v)}</title></rect>`,
      );
    }
    const [yr, mo] = String(m.month).split('-');
    const every = monthly.length <= 12 ? 3 : 12;
    if ((i === 0 && (Number(mo) - 1) % every < every - 2) || (i > 0 && (Number(mo) - 1) % every === 0)) {
      parts.push(`<text class="tick" x="${x}" y="${mt + h + 12}">${MONTHS[Number(mo) - 1]}</text>`);
      parts.push(`<text class="tick" x="${x}" y="${mt + h + 23}">${yr}</text>`);
    }
  });
  const desc = `${label}, ${fmtMonth(monthly[0].month)} to ${fmtMonth(monthly[monthly.length - 1].month)}${suppressed ? `; some months suppressed` : ''}.`;
  return `<svg class="chart monthly" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}t ${id}d">
<title id="${id}t">${esc(label)}</title><desc id="${id}d">${esc(desc)}</desc>
<line class="axis" x1="${ml}" x2="${ml + w}" y1="${mt + h}" y2="${mt + h}"/>
${parts.join('\n')}
</svg>${suppressed ? '<p class="chart-note">Grey stubs: months whose count is suppressed.</p>' : ''}`;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * The cells (day 0 = Monday, hour) of a window given as the study writes it: the nights
 * starting on `days` ("fri,sat") from `hours` ("21-2", wrapping past midnight into the next
 * day), as the server's HourMask reads it. Returns a predicate (day, hour) -> boolean.
 */
export function windowCells({ days, hours } = {}) {
  const [from, to] = String(days && hours ? hours : '21-2').split('-').map(Number);
  const cells = new Set();
  for (const name of String(days || 'fri,sat').split(',')) {
    let d = WEEKDAYS.indexOf(name.trim().toLowerCase());
    if (d < 0) continue;
    let h = from;
    for (;;) {
      cells.add(d * 24 + h);
      if (h === to) break;
      h += 1;
      if (h === 24) {
        h = 0;
        d = (d + 1) % 7;
      }
    }
  }
  return (day, hour) => cells.has(day * 24 + hour);
}

const DEFAULT_WINDOW = windowCells();

/** The share of a 7 x 24 profile in the night-time-economy window (a `windowCells` predicate; default Fri/Sat 21:00-02:59); null without events. */
export function nteShare(matrix, inNte = DEFAULT_WINDOW) {
  let all = 0;
  let nte = 0;
  matrix.forEach((row, d) => row.forEach((v, hr) => {
    if (typeof v !== 'number') return;
    all += v;
    if (inNte(d, hr)) nte += v;
  }));
  return all > 0 ? nte / all : null;
}

/** Hour-of-week heatmap: rows Monday..Sunday, columns 00..23; NTE window cells outlined. */
export function hourOfWeekChart(matrix, { label = 'Hour of week', width = 340, inNte = DEFAULT_WINDOW } = {}) {
  const id = `chart${++uid}`;
  const ml = 30;
  const mt = 16;
  const cell = (width - ml - 4) / 24;
  const height = mt + 7 * cell + 18;
  const flat = matrix.flat().filter((v) => typeof v === 'number');
  const max = Math.max(1, ...flat);
  const parts = [];
  let total = 0;
  matrix.forEach((row, d) => {
    parts.push(`<text class="tick" x="${ml - 4}" y="${mt + d * cell + cell * 0.75}" text-anchor="end">${DAYS[d]}</text>`);
    row.forEach((v, hr) => {
      const n = typeof v === 'number' ? v : null;
      if (n !== null) total += n;
      const fill = n === null ? SUPPRESSED : sample('viridis', n / max);
      const cls = inNte(d, hr) ? 'cell nte' : 'cell';
      const hh = String(hr).padStart(2, '0');
      parts.push(
        `<rect class="${cls}" x="${ml + hr * cell}" y="${mt + d * cell}" width="${cell}" height="${cell}" fill="${fill}"><title>${DAYS[d]} ${hh}:00-${hh}:59: ${n === null ? 'suppressed' : fmtCount(n)}</title></rect>`,
      );
    });
  });
  for (let hr = 0; hr < 24; hr += 3) {
    parts.push(`<text class="tick" x="${ml + hr * cell}" y="${mt - 4}">${String(hr).padStart(2, '0')}:00</text>`);
  }
  const desc = `${label}: counts by day of week (rows, Monday to Sunday) and hour of day (columns), ${fmtCount(total)} in all; outlined cells are the night-time economy window.`;
  return `<svg class="chart how" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}t ${id}d">
<title id="${id}t">${esc(label)}</title><desc id="${id}d">${esc(desc)}</desc>
${parts.join('\n')}
<text class="tick" x="${ml}" y="${height - 3}">darker = more; outlined = night-time economy window</text>
</svg>`;
}

/** Rates of the top areas with their confidence intervals, and the study-wide rate. */
export function rateCiChart(rows, { overall = null, label = 'Rate per 1,000 with 95% confidence interval', width = 640 } = {}) {
  const id = `chart${++uid}`;
  const ml = 170;
  const mr = 20;
  const mt = 8;
  const rh = 20;
  const h = rows.length * rh;
  const height = mt + h + 26;
  const w = width - ml - mr;
  const hi = Math.max(overall || 0, ...rows.map((r) => (typeof r.rate_hi === 'number' ? r.rate_hi : r.rate || 0)));
  const { x, parts } = rateAxis(hi, ml, w, mt, h);
  rows.forEach((r, i) => {
    const cy = mt + i * rh + rh / 2;
    parts.push(`<text class="tick" x="${ml - 6}" y="${cy + 3}" text-anchor="end">${esc(r.name)}</text>`);
    if (typeof r.rate !== 'number') {
      parts.push(`<text class="tick" x="${ml + 4}" y="${cy + 3}">suppressed</text>`);
      return;
    }
    if (typeof r.rate_lo === 'number' && typeof r.rate_hi === 'number') {
      parts.push(`<line class="ci" x1="${x(r.rate_lo)}" x2="${x(r.rate_hi)}" y1="${cy}" y2="${cy}"/>`);
      parts.push(`<line class="ci" x1="${x(r.rate_lo)}" x2="${x(r.rate_lo)}" y1="${cy - 4}" y2="${cy + 4}"/>`);
      parts.push(`<line class="ci" x1="${x(r.rate_hi)}" x2="${x(r.rate_hi)}" y1="${cy - 4}" y2="${cy + 4}"/>`);
    }
    parts.push(
      `<circle class="point" cx="${x(r.rate)}" cy="${cy}" r="4"><title>${esc(r.name)}: ${fmtRate(r.rate)} (${fmtRate(r.rate_lo)} to ${fmtRate(r.rate_hi)})</title></circle>`,
    );
  });
  if (typeof overall === 'number') {
    parts.push(`<line class="overall" x1="${x(overall)}" x2="${x(overall)}" y1="${mt}" y2="${mt + h}"/>`);
    parts.push(`<text class="tick" x="${x(overall) + 3}" y="${mt + h + 23}">study-wide ${fmtRate(overall)}</text>`);
  }
  return `<svg class="chart ci" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}t ${id}d">
<title id="${id}t">${esc(label)}</title><desc id="${id}d">${esc(`${label} for ${rows.length} areas; the vertical line is the study-wide rate.`)}</desc>
${parts.join('\n')}
</svg>`;
}

/** The x scale from 0 to a round number above `hi` across `w` pixels from `ml`, with its
 * gridlines and tick labels (rates) under a plot `h` high from `mt`. */
function rateAxis(hi, ml, w, mt, h) {
  const step = tickStep(hi, false);
  const top = Math.max(step, Math.ceil(hi / step) * step);
  const x = (v) => ml + (v / top) * w;
  const parts = [];
  for (let v = 0; v <= top + 1e-9; v += step) {
    parts.push(`<line class="grid" x1="${x(v)}" x2="${x(v)}" y1="${mt}" y2="${mt + h}"/>`);
    parts.push(`<text class="tick" x="${x(v)}" y="${mt + h + 12}" text-anchor="middle">${fmtRate(v)}</text>`);
  }
  return { x, parts };
}

/** Horizontal bars of `rows` ({ name, value, highlight }), lowest first as given; a row
 * without a value is labelled `no data`. */
export function barChart(rows, { label = 'Rate per 1,000', width = 640 } = {}) {
  const id = `chart${++uid}`;
  const ml = 200;
  const mr = 60;
  const mt = 8;
  const rh = 18;
  const h = rows.length * rh;
  const height = mt + h + 20;
  const w = width - ml - mr;
  const hi = Math.max(0, ...rows.map((r) => (typeof r.value === 'number' ? r.value : 0)));
  const { x, parts } = rateAxis(hi, ml, w, mt, h);
  rows.forEach((r, i) => {
    const y = mt + i * rh;
    parts.push(`<text class="tick" x="${ml - 6}" y="${y + rh / 2 + 3}" text-anchor="end"${r.highlight ? ' font-weight="bold"' : ''}>${esc(r.name)}</text>`);
    if (typeof r.value !== 'number') {
      parts.push(`<text class="tick" x="${ml + 4}" y="${y + rh / 2 + 3}">no data</text>`);
      return;
    }
    parts.push(`<rect class="${r.highlight ? 'bar highlight' : 'bar'}" x="${ml}" y="${y + 3}" width="${Math.max(0, x(r.value) - ml)}" height="${rh - 6}" fill="${r.highlight ? '#d95f02' : '#7570b3'}"><title>${esc(r.name)}: ${fmtRate(r.value)}</title></rect>`);
    parts.push(`<text class="tick" x="${x(r.value) + 4}" y="${y + rh / 2 + 3}">${fmtRate(r.value)}</text>`);
  });
  return `<svg class="chart bars" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}t ${id}d">
<title id="${id}t">${esc(label)}</title><desc id="${id}d">${esc(`${label} for ${rows.length} partnerships, lowest first.`)}</desc>
${parts.join('\n')}
</svg>`;
}
