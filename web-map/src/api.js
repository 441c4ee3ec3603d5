// The JSON API of `safemap serve` (docs/http-api.md), same origin only.
// The analyst token lives in sessionStorage and travels as `Authorization: Bearer TOKEN`
// on every API and tile request; without it the server answers as the public role.

const TOKEN_KEY = 'safemap.token';

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || null;
  } catch {
    return null;
  }
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders() {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** True when `url` points at the server that served this page. */
export function sameOrigin(url) {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

/** An error answered by the server: `{"error": {"status", "message"}}`. */
export class ApiError extends Error {
  constructor(status, message, url) {
    super(message);
    this.status = status;
    this.url = url;
  }
}

export async function getJson(path, params) {
  const url = new URL(path, location.origin);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
    }
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json', ...authHeaders() } });
  } catch (e) {
    throw new ApiError(0, `the server did not answer (${e.message})`, url.href);
  }
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message, url.href);
  }
  return res.json();
}

/** The filter query parameters understood by /api/areas*.  */
export function filterParams(state) {
  const p = {
    source: state.source,
    category: state.category,
    from: state.from,
    to: state.to,
  };
  if (state.window === 'custom') {
    if (state.days) p.days = state.days;
    if (state.hours) p.hours = state.hours;
  } else if (state.window && state.window !== 'all') {
    p.window = state.window;
  }
  return p;
}

export const api = {
  session: () => getJson('/api/session'),
  layers: () => getJson('/api/layers'),
  manifest: () => getJson('/api/manifest'),
  areas: (state) => getJson('/api/areas.json', filterParams(state)),
  areasGeo: (state) => getJson('/api/areas.geojson', state ? filterParams(state) : undefined),
  area: (code, state) => getJson(`/api/areas/${encodeURIComponent(code)}`, filterParams(state)),
  tileJson: (url) => getJson(url),
  priority: (n) => getJson('/api/priority', { n }),
  smallAreas: () => getJson('/api/small_areas.json'),
};
