// The priority list: the top areas for the chosen measure under the current filters. Each
// entry is a button that zooms the map to its area and opens its panel.

import { esc, fmtMeasure } from './format.js';

export const RANK_MEASURES = {
  count: 'Count',
  rate: 'Crude rate',
  eb_rate: 'Smoothed rate (EB)',
  excess_risk: 'Excess risk',
};

/**
 * The top `n` areas by `measure`, descending. Only areas with a positive value are listed:
 * suppressed, missing, zero and no-data areas (`no_data: true`) are left out, so a short list
 * is never padded with areas where nothing was recorded.
 */
export function topAreas(areas, measure, n = 10) {
  return areas
    .filter((a) => a.no_data !== true && typeof a[measure] === 'number' && Number.isFinite(a[measure]) && a[measure] > 0)
    .sort((a, b) => b[measure] - a[measure] || String(a.code).localeCompare(String(b.code)))
    .slice(0, n);
}

export function renderPriority(el, areas, measure, onSelect, n = 10) {
  const top = topAreas(areas, measure, n);
  if (!top.length) {
    el.innerHTML = '<p class="muted">No area has a value above zero for this measure under these filters.</p>';
    return top;
  }
  const short = top.length < n ? '<p class="muted small" data-field="short-list">No other area has a value above zero under these filters.</p>' : '';
  el.innerHTML = `<ol class="priority-list">${top
    .map(
      (a) => `<li><button type="button" class="priority-item" data-code="${esc(a.code)}" data-id="${esc(a.id)}">
<span class="p-name" data-ident>${esc(a.name)}</span> <span class="p-code" data-ident>${esc(a.code)}</span>
<span class="p-value" data-field="${esc(measure)}" data-value="${esc(JSON.stringify(a[measure]))}">${esc(fmtMeasure(measure, a[measure], a.suppressed))}</span></button></li>`,
    )
    .join('')}</ol>${short}`;
  el.querySelectorAll('button.priority-item').forEach((b) =>
    b.addEventListener('click', () => onSelect(b.dataset.code)),
  );
  return top;
}
