// The area finder: a forgiving search over area names and codes, so "eastfield" finds
// "Eastfield 003" and "syn01" finds "SYN0100". Pure (no DOM), so `node --test` can check it.

/**
 * The areas matching `query` (case-insensitive, ignoring extra spaces), best first:
 * an exact code or name, then a name or code that starts with the query, then a word of the
 * name that starts with it, then the query anywhere in the name or code. Ties go by name, then
 * code. "Name (CODE)" (a datalist choice) is matched by its code. At most `limit` areas.
 */
export function findAreas(areas, query, limit = 10) {
  const raw = String(query || '').trim();
  if (!raw) return [];
  const picked = /\(([^()]+)\)\s*$/.exec(raw);
  const q = (picked ? picked[1] : raw).toLowerCase().replace(/\s+/g, ' ');
  const scored = [];
  for (const a of areas) {
    const name = String(a.name ?? '').toLowerCase();
    const code = String(a.code ?? '').toLowerCase();
    let rank;
    if (code === q || name === q) rank = 0;
    else if (name.startsWith(q) || code.startsWith(q)) rank = 1;
    else if (name.split(/[\s,()-]+/).some((w) => w.startsWith(q))) rank = 2;
    else if (name.includes(q) || code.includes(q)) rank = 3;
    else continue;
    scored.push({ a, rank, name, code });
  }
  scored.sort((x, y) => x.rank - y.rank || x.name.localeCompare(y.name, 'en-GB', { numeric: true }) || x.code.localeCompare(y.code));
  return scored.slice(0, limit).map((x) => x.a);
}
