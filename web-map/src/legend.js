// The legend: what the colours mean, for the layer on the map. Rendered from the same
// classification (thresholds and member ranges) that styles the map.

import { esc } from './format.js';

/**
 * spec: {level?, title, subtitle, items: [{color, label, n?, outline?, shape?}], notes: [string]}.
 * `n` (areas per class) is shown only when `showCounts` (analyst view). `level`: which areas
 * are drawn ("Wards", "LSOAs") in a study reported by neighbourhood.
 */
export function renderLegend(el, spec, { showCounts = false } = {}) {
  if (!spec) {
    el.hidden = true;
    el.innerHTML = '';
    return;
  }
  el.hidden = false;
  const items = spec.items
    .map((it) => {
      const sw = `<span class="swatch${it.shape === 'circle' ? ' circle' : ''}" style="background:${esc(it.color)}${it.outline ? `;border-color:${esc(it.outline)}` : ''}" aria-hidden="true"></span>`;
      const n = showCounts && typeof it.n === 'number' ? ` <span class="legend-n">(${it.n} areas)</span>` : '';
      return `<li data-class-label="${esc(it.label)}">${sw}<span class="legend-label">${esc(it.label)}</span>${n}</li>`;
    })
    .join('');
  const notes = (spec.notes || []).map((n) => `<p class="legend-note">${esc(n)}</p>`).join('');
  const level = spec.level ? `<p class="legend-level" data-field="level">${esc(spec.level)}</p>` : '';
  el.innerHTML = `${level}<h2 class="legend-title">${esc(spec.title)}</h2>${spec.subtitle ? `<p class="legend-subtitle">${esc(spec.subtitle)}</p>` : ''}${spec.grid ? gridHtml(spec.grid) : ''}<ul class="legend-items">${items}</ul>${notes}`;
}

/** A bivariate legend: rows top to bottom (need high to low), columns access low to high. */
function gridHtml(grid) {
  const rows = grid
    .map((row) => `<tr>${row.map((c) => `<td class="bivariate-cell" data-class="${esc(c.code)}" data-class-label="${esc(c.label)}" data-color="${esc(c.color)}" title="${esc(c.label)}" style="background:${esc(c.color)}"></td>`).join('')}</tr>`)
    .join('');
  return `<div class="bivariate-legend"><span class="axis-need" aria-hidden="true">Need →</span><table class="bivariate" aria-label="Need (rows, high at the top) against access (columns, high on the right)"><tbody>${rows}</tbody></table><span class="axis-access" aria-hidden="true">Access →</span></div>`;
}
