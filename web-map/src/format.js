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

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/**
 * IMD decile d (1 = the most deprived 10% of areas, 10 = the least deprived 10%) in words:
 * "Most deprived 10% (first decile)", "20–30% most deprived (third decile)",
 * "10–20% least deprived (ninth decile)", "Least deprived 10% (tenth decile)". The upper
 * half is said from the least deprived end, so a high decile never reads as "most deprived".
 * The decile is an ordinal word, never a bare small integer.
 */
export function fmtDecile(d) {
  if (!isNum(d) || Math.round(d) < 1 || Math.round(d) > 10) return 'n/a';
  const k = Math.round(d);
  const ord = `(${ORDINALS[k - 1]} decile)`;
  if (k === 1) return `Most deprived 10% ${ord}`;
  if (k === 10) return `Least deprived 10% ${ord}`;
  if (k <= 5) return `${(k - 1) * 10}\u2013${k * 10}% most deprived ${ord}`;
  return `${(10 - k) * 10}\u2013${(11 - k) * 10}% least deprived ${ord}`;
}

/**
 * A readable label for an identifier that reached the page without one:
 * "flag_domestic_abuse" -> "Domestic abuse (flagged)", "night_violence" -> "Night violence",
 * "anti-social-behaviour" -> "Anti social behaviour". Labels the server sends come first; this
 * is the fallback. Text that is not an identifier (has a capital or a space) is kept as is.
 */
export function humanize(id) {
  const s = String(id ?? '');
  if (!/^[a-z0-9]+(?:[_-][a-z0-9]+)+$/.test(s)) return s;
  const flag = /^flag_(.+)$/.exec(s);
  const words = (flag ? flag[1] : s).replace(/[_-]+/g, ' ');
  const cap = words.charAt(0).toUpperCase() + words.slice(1);
  return flag ? `${cap} (flagged)` : cap;
}

/** The label of a measure of /api/layers (`{id, label}`): the server's, else humanised. */
export function measureLabel(m) {
  if (!m) return '';
  return humanize(m.label || m.id);
}

/** The label of an analysis of /api/layers (`{name, label?}`). */
export function analysisLabel(a) {
  if (!a) return '';
  return humanize(a.label || a.name);
}

/** "SYN0001" stays as is; names are escaped for HTML. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A significance level of a class id as a confidence: "99" -> "99%", "999" -> "99.9%". */
function confidence(level) {
  return level === '999' ? '99.9%' : `${level}%`;
}

/** Human label of a hotspot class value from the tiles or /api/areas/{code}. */
export function fmtClass(cls) {
  if (!cls) return 'n/a';
  if (cls === 'not_significant') return 'Not significant';
  let m = /^(hot|cold)_(\d+)$/.exec(cls);
  if (m) return `${m[1] === 'hot' ? 'Hot spot' : 'Cold spot'} (${confidence(m[2])} confidence)`;
  m = /^(high|low)_(high|low)_(\d+)$/.exec(cls);
  if (m) {
    const name = { high_high: 'High-High cluster', low_low: 'Low-Low cluster', high_low: 'High-Low outlier', low_high: 'Low-High outlier' }[`${m[1]}_${m[2]}`];
    return `${name} (${confidence(m[3])} confidence)`;
  }
  return humanize(cls);
}

/** Label of a statistic id. */
export function fmtStatistic(s) {
  return { gi_star: 'Getis-Ord Gi*', local_moran: 'Local Moran', global_moran: 'Global Moran' }[s] || humanize(s);
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

/** What the selected source's rates are per: the catalogue's words (`per 100,000 residents aged 10-17`), else per the run's rate base `ratePer` (formatted). */
export function rateLabel(catalogue, state, ratePer) {
  const s = ((catalogue && catalogue.sources) || []).find((x) => x.name === state.source);
  return (s && s.rate_label) || `per ${ratePer || '1,000'}`;
}
