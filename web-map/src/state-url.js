// Shareable state: everything a user chose lives in the URL, so a link reproduces the view.
//   #layer=rate&source=force&category=all&from=2023-01&to=2025-12&window=nte
//    &class=quantile&k=5&palette=viridis&adj=fdr&services=1&kinds=refuge,idva_service
//    &tiers=primary&colour=kind&rings=1&sites=1&area=SYN0077&map=12.50/52.51234/-1.25010
// The same keys are read from the query string (so /report.html?layer=... works); the hash
// wins. `?basemap=URL` (query string only) adds an online basemap style under the layers.

export const DEFAULTS = {
  layer: 'rate',
  source: '',
  category: 'all',
  from: '',
  to: '',
  window: 'all',
  days: '',
  hours: '',
  class: 'quantile',
  k: 5,
  palette: 'viridis',
  adj: 'fdr',
  services: false,
  kinds: '',
  tiers: '',
  colour: 'kind',
  rings: false,
  sites: false,
  rank: '',
  area: '',
  map: '',
};

const KEYS = Object.keys(DEFAULTS);
/** The on/off keys, written as 1 or left out. */
const FLAGS = ['services', 'rings', 'sites'];

export function parseState(loc = location) {
  const state = { ...DEFAULTS };
  const apply = (params) => {
    for (const key of KEYS) {
      if (!params.has(key)) continue;
      const v = params.get(key);
      if (key === 'k') {
        const k = parseInt(v, 10);
        if (k >= 3 && k <= 9) state.k = k;
      } else if (FLAGS.includes(key)) {
        state[key] = v === '1' || v === 'true';
      } else {
        state[key] = v;
      }
    }
  };
  apply(new URLSearchParams(loc.search));
  apply(new URLSearchParams(String(loc.hash || '').replace(/^#/, '')));
  return state;
}

/** The URL fragment of a state (defaults left out, except the filters, which are explicit). */
export function stateToHash(state) {
  const p = new URLSearchParams();
  for (const key of KEYS) {
    let v = state[key];
    if (FLAGS.includes(key)) v = v ? '1' : '';
    if (v === undefined || v === null || v === '') continue;
    if (key !== 'source' && key !== 'category' && key !== 'window' && v === DEFAULTS[key]) continue;
    if ((key === 'days' || key === 'hours') && state.window !== 'custom') continue;
    p.set(key, String(v));
  }
  return p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/');
}

/** Replace the current history entry's fragment (no new entry, no reload). */
export function writeState(state) {
  const hash = stateToHash(state);
  const url = `${location.pathname}${location.search}#${hash}`;
  if (`${location.pathname}${location.search}${location.hash}` !== url) {
    history.replaceState(null, '', url);
  }
}

export function basemapUrl(loc = location) {
  return new URLSearchParams(loc.search).get('basemap') || '';
}

/** "zoom/lat/lon" of a map, 2 and 5 decimals. */
export function viewString(map) {
  const c = map.getCenter();
  return `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
}

export function parseView(s) {
  const m = /^(-?[\d.]+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(s || '');
  if (!m) return null;
  const [zoom, lat, lon] = m.slice(1).map(Number);
  if (![zoom, lat, lon].every(Number.isFinite)) return null;
  return { zoom, center: [lon, lat] };
}
