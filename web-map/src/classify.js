// Classification of choropleth values into k classes: quantile, natural breaks (Jenks,
// Fisher's exact optimal method) and equal interval. Pure functions: values in, thresholds out.
//
// A classification is a list of thresholds t_1 < ... < t_{m}: class 0 holds v < t_1, class i
// holds t_i <= v < t_{i+1}. That is exactly MapLibre's `step` expression, so the legend and the
// map can never disagree. Thresholds are always data values, so with disclosure-controlled
// counts a class boundary is itself a published number.

export const METHODS = {
  quantile: 'Quantile',
  jenks: 'Natural breaks (Jenks)',
  equal: 'Equal interval',
};

const finite = (values) => values.filter((v) => typeof v === 'number' && Number.isFinite(v));

/** Smallest value in sorted `s` that is >= x (or undefined). */
function ceilValue(s, x) {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return s[lo];
}

function tidy(sorted, thresholds) {
  const min = sorted[0];
  const out = [];
  for (const t of thresholds) {
    if (t === undefined || !(t > min)) continue;
    if (out.length && t <= out[out.length - 1]) continue;
    out.push(t);
  }
  return out;
}

export function quantileThresholds(sorted, k) {
  const n = sorted.length;
  const t = [];
  for (let i = 1; i < k; i++) t.push(sorted[Math.min(n - 1, Math.floor((i * n) / k))]);
  return tidy(sorted, t);
}

export function equalIntervalThresholds(sorted, k) {
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const t = [];
  // Snapped up to the next data value so that each boundary is a value that occurs.
  for (let i = 1; i < k; i++) t.push(ceilValue(sorted, min + ((max - min) * i) / k));
  return tidy(sorted, t);
}

/**
 * Fisher-Jenks natural breaks: the partition of the sorted values into k contiguous classes
 * with the least total within-class sum of squared deviations. O(k n^2); above 2,000 values it
 * runs on an evenly spaced sample of the sorted values (deterministic).
 */
export function jenksThresholds(sortedAll, k) {
  let s = sortedAll;
  const MAX = 2000;
  if (s.length > MAX) {
    s = Array.from({ length: MAX }, (_, i) => sortedAll[Math.round((i * (sortedAll.length - 1)) / (MAX - 1))]);
  }
  const n = s.length;
  k = Math.min(k, n);
  if (k < 2) return [];
  // lower[j][m]: start index of the last class in the best partition of s[0..m] into j+1 classes.
  const cost = Array.from({ length: k }, () => new Float64Array(n).fill(Infinity));
  const start = Array.from({ length: k }, () => new Int32Array(n));
  const pre = new Float64Array(n + 1);
  const pre2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    pre[i + 1] = pre[i] + s[i];
    pre2[i + 1] = pre2[i] + s[i] * s[i];
  }
  const ssd = (a, b) => {
    // sum of squared deviations of s[a..b] inclusive
    const cnt = b - a + 1;
    const sum = pre[b + 1] - pre[a];
    return pre2[b + 1] - pre2[a] - (sum * sum) / cnt;
  };
  for (let m = 0; m < n; m++) cost[0][m] = ssd(0, m);
  for (let j = 1; j < k; j++) {
    for (let m = j; m < n; m++) {
      let best = Infinity;
      let arg = m;
      for (let a = j; a <= m; a++) {
        const c = cost[j - 1][a - 1] + ssd(a, m);
        if (c < best) {
          best = c;
          arg = a;
        }
      }
      cost[j][m] = best;
      start[j][m] = arg;
    }
  }
  const starts = [];
  let m = n - 1;
  for (let j = k - 1; j >= 1; j--) {
    const a = start[j][m];
    starts.push(s[a]);
    m = a - 1;
  }
  starts.reverse();
  // A class starting at a value equal to its predecessor's last value is merged by tidy().
  return tidy(sortedAll, starts);
}

const THRESHOLDS = { quantile: quantileThresholds, jenks: jenksThresholds, equal: equalIntervalThresholds };

function classesOf(sorted, thresholds) {
  const classes = Array.from({ length: thresholds.length + 1 }, () => ({ lo: Infinity, hi: -Infinity, n: 0 }));
  for (const v of sorted) {
    const cl = classes[classOf(thresholds, v)];
    cl.lo = Math.min(cl.lo, v);
    cl.hi = Math.max(cl.hi, v);
    cl.n += 1;
  }
  return classes;
}

/** One class per distinct value (thresholds at every value but the smallest). */
export function distinctThresholds(sorted) {
  return tidy(sorted, [...new Set(sorted)].slice(1));
}

/**
 * Classify values (nulls ignored). Returns {thresholds, classes: [{lo, hi, n}], method,
 * fallback} where lo/hi are the smallest and largest data values in each non-empty class.
 *
 * Quantile breaks tie when many values are equal: five classes asked for, three drawn, and
 * very different values sharing a colour. Then the classes fall back, and `fallback` says how:
 * `'distinct'` (one class per value) when there are at most k distinct values, else
 * `'jenks'` (natural breaks). `method` is the method actually used.
 */
export function classify(values, method, k) {
  const sorted = finite(values).sort((a, b) => a - b);
  if (!sorted.length) return { thresholds: [], classes: [], method, fallback: null };
  const m = THRESHOLDS[method] ? method : 'quantile';
  let thresholds = THRESHOLDS[m](sorted, k);
  let used = m;
  let fallback = null;
  if (m === 'quantile') {
    const distinct = new Set(sorted).size;
    if (thresholds.length + 1 < Math.min(k, distinct)) {
      if (distinct <= k) {
        thresholds = distinctThresholds(sorted);
        fallback = 'distinct';
        used = 'distinct';
      } else {
        thresholds = jenksThresholds(sorted, k);
        fallback = 'jenks';
        used = 'jenks';
      }
    }
  }
  return { thresholds, classes: classesOf(sorted, thresholds), method: used, fallback };
}

export function classOf(thresholds, v) {
  let c = 0;
  while (c < thresholds.length && v >= thresholds[c]) c++;
  return c;
}
