// Number and label formatting shared by the map, the panel, the report and the browser tests.
// Pure functions (no DOM), so `node --test` can import this file.
//
// Disclosure rule for the public view: published counts are 0 or at least 8 (1-7 are
// suppressed, the rest rounded to 5), so a count never prints as 1..7. Every non-count number
// (rates, intervals, ratios, densities) is printed with a decimal point, and months print as
// "Jan 2024", so no bare integer 1..7 ever appears in the public view's panel, legend or list.

const LOCALE = 'en-GB';
const nf = (min, max) =>
  new Intl.NumberFormat(LOCALE, { minimumFractionDigits: min, maximumFractionDigits: max });
const INT = nf(0, 0);
const ONE = nf(1, 1);
const TWO = nf(2, 2);

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** A count: "1,234", "suppressed" when disclosure control withheld it, "n/a" when absent. */
export function fmtCount(v, suppressed = false) {
  if (suppressed && !isNum(v)) return 'suppressed';
  if (!isNum(v)) return 'n/a';
  return INT.format(v);
}

/** A rate per 1,000 (or any per-population value): always one decimal place. */
export function fmtRate(v, suppressed = false) {
  if (suppressed && !isNum(v)) return 'suppressed';
  if (!isNum(v)) return 'n/a';
  return ONE.format(v);
}

/** A ratio such as excess risk (observed / expected): always two decimal places. */
export function fmtRatio(v, suppressed = false) {
  if (suppressed && !isNum(v)) return 'suppressed';
  if (!isNum(v)) return 'n/a';
  return TWO.format(v);
}

/** Any other continuous value (density, expected count, z): never a bare small integer. */
export function fmtContinuous(v) {
  if (!isNum(v)) return 'n/a';
  const a = Math.abs(v);
  if (a >= 100) return INT.format(v);
  if (a >= 10) return ONE.format(v);
  return TWO.format(v);
}

/** A p-value. */
export function fmtP(v) {
  if (!isNum(v)) return 'n/a';
  if (v < 0.001) return '< 0.001';
  return nf(3, 3).format(v);
}

/** The formatter of a choropleth measure of /api/areas.json. */
export function fmtMeasure(measure, v, suppressed = false) {
  switch (measure) {
    case 'count':
      return fmtCount(v, suppressed);
    case 'rate':
    case 'rate_lo':
    case 'rate_hi':
    case 'eb_rate':
      return fmtRate(v, suppressed);
    case 'excess_risk':
      return fmtRatio(v, suppressed);
    case 'expected':
    default:
      if (suppressed && !isNum(v)) return 'suppressed';
      return fmtContinuous(v);
  }
}

/** "2024-03" -> "Mar 2024". */
export function fmtMonth(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(ym || ''));
  if (!m) return String(ym || '');
  return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** A period from/to as "Jan 2023 to Dec 2025" (or one month / one year). */
export function fmtPeriod(from, to) {
  if (!from && !to) return 'whole study period';
  if (from === to) return fmtMonth(from);
  if (from && to && from.endsWith('-01') && to.endsWith('-12') && from.slice(0, 4) === to.slice(0, 4)) {
    return from.slice(0, 4);
  }
  return `${fmtMonth(from)} to ${fmtMonth(to)}`;
}

/** IMD decile (1 = most deprived 10%) as a band: "20-30% most deprived". */
export function fmtDecile(d) {
  if (!isNum(d)) return 'n/a';
  const lo = (Math.round(d) - 1) * 10;
  return `${lo}\u2013${lo + 10}% most deprived`;
}

/** "SYN0001" stays as is; names are escaped for HTML. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Human label of a hotspot class value from the tiles or /api/areas/{code}. */
export function fmtClass(cls) {
  if (!cls) return 'n/a';
  if (cls === 'not_significant') return 'Not significant';
  let m = /^(hot|cold)_(\d+)$/.exec(cls);
  if (m) return `${m[1] === 'hot' ? 'Hot spot' : 'Cold spot'} (${m[2]}% confidence)`;
  m = /^(high|low)_(high|low)_(\d+)$/.exec(cls);
  if (m) {
    const name = { high_high: 'High-High cluster', low_low: 'Low-Low cluster', high_low: 'High-Low outlier', low_high: 'Low-High outlier' }[`${m[1]}_${m[2]}`];
    return `${name} (${m[3]}% confidence)`;
  }
  return cls.replace(/_/g, ' ');
}

/** Label of a statistic id. */
export function fmtStatistic(s) {
  return { gi_star: 'Getis-Ord Gi*', local_moran: 'Local Moran', global_moran: 'Global Moran' }[s] || s;
}

/**
 * The numbers in a text that a public view must never show: bare integers 1..7 (tokens
 * without a decimal point; thousands separators are part of a token). Used by the tests.
 */
export function smallIntegers(text) {
  const out = [];
  for (const m of String(text).matchAll(/\d+(?:[.,]\d+)*/g)) {
    const tok = m[0];
    if (tok.includes('.')) continue;
    const v = Number(tok.replace(/,/g, ''));
    if (v >= 1 && v <= 7) out.push(tok);
  }
  return out;
}
