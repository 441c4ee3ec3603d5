// The commissioner's views: the need-against-access bivariate gap layer and its legend,
// services coloured by kind with their catchment rings, the proposed new sites with the
// need each covers, and the priority ranking with what drives it. Everything comes from the
// catalogue's `access` entry, the areas' tiles and /api/priority; a role is offered only
// what the server gives it (the public gets no priority list when need is built from
// sensitive data, and never a confidential service).

import { esc, fmtContinuous, humanize } from './format.js';
import { NO_VALUE } from './palettes.js';
import { sourceLayerOf, vectorSource } from './map-style.js';

/**
 * The bivariate classes, need third (1 low .. 3 high) by access third (1 low .. 3 high),
 * with a 3 x 3 palette after Joshua Stevens' bivariate choropleth (teal = access, magenta =
 * need): high need with low access (`n3a1`, the service gap) is the strong magenta corner.
 */
export const BIVARIATE = {
  n1a1: '#e8e8e8', n1a2: '#ace4e4', n1a3: '#5ac8c8',
  n2a1: '#dfb0d6', n2a2: '#a5add3', n2a3: '#5698b9',
  n3a1: '#be64ac', n3a2: '#8c62aa', n3a3: '#3b4994',
};

const THIRD = ['low', 'middle', 'high'];

/** The words for a bivariate class: "High need, low access (service gap)". */
export function bivariateLabel(code) {
  const m = /^n([123])a([123])$/.exec(code || '');
  if (!m) return 'No value';
  const need = THIRD[Number(m[1]) - 1];
  const access = THIRD[Number(m[2]) - 1];
  const gap = code === 'n3a1' ? ' (service gap)' : '';
  return `${need[0].toUpperCase()}${need.slice(1)} need, ${access} access${gap}`;
}

/** The tile attribute holding a kind's bivariate class. */
export const bivariateField = (kind) => `gap_${kind}_bivariate`;

/** fill-color of the bivariate layer of `kind`. */
export function bivariateColor(kind) {
  return ['match', ['coalesce', ['get', bivariateField(kind)], ''], ...Object.entries(BIVARIATE).flat(), NO_VALUE];
}

/** The kinds with a bivariate layer the tiles carry: [{kind, label}]. */
export function gapKinds(catalogue, areaFields) {
  const kinds = (catalogue.access && catalogue.access.kinds) || [];
  return kinds.filter((k) => bivariateField(k.kind) in (areaFields || {}));
}

/** The legend of the bivariate layer: a 3 x 3 grid, need upwards, access rightwards. */
export function bivariateLegend(catalogue, kind) {
  const k = ((catalogue.access && catalogue.access.kinds) || []).find((x) => x.kind === kind);
  const label = k ? k.label : humanize(kind);
  const a = catalogue.access || {};
  const grid = [3, 2, 1].map((n) => [1, 2, 3].map((ac) => {
    const code = `n${n}a${ac}`;
    return { code, color: BIVARIATE[code], label: bivariateLabel(code) };
  }));
  return {
    title: `Need against access: ${label}`,
    subtitle: `Thirds of the need index and of ${humanize(a.scores && a.scores[0] ? a.scores[0] : 'access')}`,
    grid,
    items: [{ color: NO_VALUE, label: 'No value (no need index)' }],
    notes: [
      'Magenta corner: high need and low access, where a service is most missing.',
      a.need_from_sensitive_data ? 'Need uses sensitive data: only these thirds are public.' : '',
    ].filter(Boolean),
  };
}

// Okabe-Ito, then Tol's muted: told apart with the common colour-vision deficiencies.
const KIND_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#332288', '#999933', '#882255', '#44AA99'];

/** Each kind's colour, by its place among the catalogue's sorted service kinds. */
export function kindColours(catalogue) {
  const kinds = (catalogue.services && catalogue.services.kinds) || [];
  return Object.fromEntries(kinds.map((k, i) => [k, KIND_COLOURS[i % KIND_COLOURS.length]]));
}

/** circle-color of services by kind. */
export function kindColor(colours) {
  const pairs = Object.entries(colours).flat();
  return pairs.length ? ['match', ['get', 'kind'], ...pairs, '#777777'] : '#777777';
}

/**
 * circle-radius, in pixels, of a circle `metres` in radius at latitude `lat` at every zoom
 * (MapLibre's 512-pixel tiles: 40,075,016.686 m round the equator at zoom 0).
 */
export function metresToPixels(metres, lat) {
  const atZoom0 = (metres * 512) / (40075016.686 * Math.cos((lat * Math.PI) / 180));
  return ['interpolate', ['exponential', 2], ['zoom'], 0, atZoom0, 24, atZoom0 * 2 ** 24];
}

/** The catchment radius in metres, when costs are straight lines (else rings mean nothing). */
export function catchmentMetres(catalogue) {
  const a = catalogue.access;
  return a && a.straight_line && a.unit === 'metres' && a.within > 0 ? a.within : null;
}

/** Add the catchment rings (under the services) and the new sites' layer, hidden. */
export function addServiceGapLayers(map, tiles, catalogue) {
  const metres = catchmentMetres(catalogue);
  if (tiles.services && metres) {
    const b = catalogue.bounds || [0, 0, 0, 0];
    map.addLayer({
      id: 'services-catchment', type: 'circle', source: 'services', 'source-layer': sourceLayerOf(tiles.services, 'services'),
      layout: { visibility: 'none' },
      paint: {
        'circle-radius': metresToPixels(metres, (b[1] + b[3]) / 2),
        'circle-color': 'rgba(0, 0, 0, 0)',
        'circle-stroke-width': 1.5,
        'circle-stroke-color': kindColor(kindColours(catalogue)),
        'circle-pitch-alignment': 'map',
      },
    }, map.getLayer('services-circle') ? 'services-circle' : undefined);
  }
  if (tiles.candidate_sites) {
    map.addSource('candidate_sites', vectorSource(tiles.candidate_sites));
    map.addLayer({
      id: 'sites-circle', type: 'circle', source: 'candidate_sites', 'source-layer': sourceLayerOf(tiles.candidate_sites, 'candidate_sites'),
      layout: { visibility: 'none' },
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 7, 15, 12],
        'circle-color': SITE_COLOUR,
        'circle-stroke-color': '#000000',
        'circle-stroke-width': 3,
      },
    });
  }
}

/** The fill of a proposed new site (with a thick black ring; services have a thin one). */
export const SITE_COLOUR = '#ffffff';

/** Show or hide rings and sites; the legend entries for them. */
export function applyServiceGaps(map, state, catalogue) {
  const items = [];
  const notes = [];
  if (map.getLayer('services-catchment')) {
    const on = !!(state.services && state.rings);
    map.setLayoutProperty('services-catchment', 'visibility', on ? 'visible' : 'none');
    if (on) {
      map.setFilter('services-catchment', map.getFilter('services-circle'));
      items.push({ color: 'transparent', outline: '#333333', label: `Catchment: ${km(catchmentMetres(catalogue))} straight line`, shape: 'circle' });
    }
  }
  if (map.getLayer('sites-circle')) {
    map.setLayoutProperty('sites-circle', 'visibility', state.sites ? 'visible' : 'none');
    if (state.sites) {
      items.push({ color: SITE_COLOUR, outline: '#000000', label: 'Proposed new site', shape: 'circle' });
      notes.push('Sites chosen by maximal covering of unmet need (see the list).');
    }
  }
  return items.length ? { title: 'Service gaps', items, notes } : null;
}

/** The new sites as the tiles hold them, in order: [{order, kind, area, area_name, need_added, ...}]. */
export function siteFeatures(map) {
  if (!map.getSource('candidate_sites')) return [];
  const seen = new Map();
  for (const f of map.querySourceFeatures('candidate_sites', { sourceLayer: map.getLayer('sites-circle').sourceLayer })) {
    const p = f.properties || {};
    if (!seen.has(p.order)) seen.set(p.order, { ...p, lngLat: f.geometry.coordinates });
  }
  return [...seen.values()].sort((a, b) => a.order - b.order);
}

/** Metres as kilometres for people: "3 km", "2.5 km". */
export const km = (m) => `${(m / 1000).toLocaleString('en-GB', { maximumFractionDigits: 2 })} km`;

const people = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x).toLocaleString('en-GB') : '\u2013');

/** The list of new sites: each with the need-weighted residents it adds. */
export function renderSites(el, sites, kindLabel) {
  if (!sites.length) {
    el.innerHTML = '<p class="muted small">The new sites load with the map.</p>';
    return;
  }
  const first = sites[0];
  el.innerHTML = `<p class="small">${esc(sites.length)} new ${esc(kindLabel(first.kind))} sites, each reaching residents within ${esc(km(first.coverage_cost_m))}:</p>
<ol class="sites-list">${sites.map((s) => `<li data-site="${esc(s.order)}" data-area="${esc(s.area)}"><span data-ident>${esc(s.area_name)}</span> <span class="p-code" data-ident>${esc(s.area)}</span>
<span class="p-value" data-field="need_added" data-value="${esc(JSON.stringify(s.need_added))}">+${esc(people(s.need_added))}</span></li>`).join('')}</ol>
<p class="muted small">Need-weighted residents newly covered; covered before: ${esc(people(first.need_covered_before))}, after: ${esc(people(sites[sites.length - 1].need_covered_after))} of ${esc(people(first.need_total))}.</p>`;
}

/** The priority list from /api/priority: rank, area and the inputs that drive it. */
export function renderPriorityRanking(el, answer, onSelect) {
  const areas = (answer && answer.areas) || [];
  if (!areas.length) {
    el.innerHTML = '<p class="muted">No area is ranked.</p>';
    return;
  }
  el.innerHTML = `<ol class="priority-list">${areas.map((a) => `<li><button type="button" class="priority-item" data-code="${esc(a.code)}" data-rank="${esc(a.rank)}">
<span class="p-name" data-ident>${esc(a.name)}</span> <span class="p-code" data-ident>${esc(a.code)}</span>
<span class="p-value" data-field="score" data-value="${esc(JSON.stringify(a.score))}">${esc(fmtContinuous(a.score))}</span>
<span class="p-drivers" data-field="drivers">${esc(a.drivers.map(humanDriver).join(', ') || 'no input above average')}</span></button></li>`).join('')}</ol>
<p class="muted small">Score: weighted sum of standardised inputs; the drivers are the inputs adding most.</p>`;
  el.querySelectorAll('button.priority-item').forEach((b) => b.addEventListener('click', () => onSelect(b.dataset.code)));
}

/** "gap_idva_service (+2.65)" as "Gap idva service +2.65". */
export function humanDriver(d) {
  const m = /^(.*) \(([+-][\d.]+)\)$/.exec(d);
  return m ? `${humanize(m[1])} ${m[2]}` : humanize(d);
}
