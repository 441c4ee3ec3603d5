// The two levels of a study reported by neighbourhood (the catalogue's `levels`): the
// neighbourhoods (wards, MSOAs, a council's named neighbourhoods) below `switch_zoom`, the
// small areas they were built from (LSOAs) from it. Pure (no DOM, no map), so `node --test`
// can check it.

/** The small-area columns there are for a map measure: `{source}_all_{measure}`. */
export const SMALL_AREA_MEASURES = ['count', 'rate'];

const SMALL_AREA_KINDS = [
  [/^lsoa/i, 'LSOA', 'LSOAs'],
  [/^msoa/i, 'MSOA', 'MSOAs'],
  [/^dz/i, 'data zone', 'data zones'],
  [/^oa/i, 'output area', 'output areas'],
];

const plural = (word) => (/(s|x|ch|sh)$/i.test(word) ? `${word}es` : `${word}s`);
const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * What the two levels are called, for people: {one, many, Many} of the neighbourhoods
 * ("ward", "wards", "Wards") and {smallOne, smallMany, SmallMany} of the small areas (by
 * their boundary vintage: "LSOA", "LSOAs"; "small area(s)" when unknown).
 */
export function levelNames(levels) {
  const one = String((levels && levels.label) || 'neighbourhood').trim() || 'neighbourhood';
  const vintage = String((levels && levels.small_area_vintage) || '');
  const kind = SMALL_AREA_KINDS.find(([re]) => re.test(vintage));
  const [smallOne, smallMany] = kind ? [kind[1], kind[2]] : ['small area', 'small areas'];
  return {
    one, many: plural(one), Many: capital(plural(one)),
    smallOne, smallMany, SmallMany: capital(smallMany),
  };
}

/** Which level the map draws at `zoom`: 'small' from `switch_zoom` up, else 'neighbourhoods'. */
export function levelAt(levels, zoom) {
  return levels && zoom >= levels.switch_zoom ? 'small' : 'neighbourhoods';
}

/**
 * The small-area column that holds what the map shows for `state` (`police_all_rate` for the
 * crude rate of all police categories over the whole study period), or null when the small
 * areas have none: another measure, a single category, part of the period or of the day.
 * `fields`: the small-area columns there are (TileJSON fields).
 */
export function smallAreaColumn(catalogue, state, fields) {
  if (!SMALL_AREA_MEASURES.includes(state.layer) || state.category !== 'all') return null;
  if (state.window && state.window !== 'all') return null;
  const source = (catalogue.sources || []).find((s) => s.name === state.source);
  const whole = source && (source.periods || []).find((p) => p.id === 'all');
  if (!whole || whole.from !== state.from || whole.to !== state.to) return null;
  const column = `${source.name}_all_${state.layer}`;
  return column in (fields || {}) ? column : null;
}

/**
 * The small areas as entries of `valueLegend` for `measure` (each with its code and the value
 * of `column` under `measure`): a count the public cannot see is suppressed, any other
 * missing value has no value. Never zero.
 */
export function smallAreaEntries(rows, column, measure, { analyst = false } = {}) {
  return rows.map((r) => {
    const v = r[column];
    const has = typeof v === 'number' && Number.isFinite(v);
    return { code: r.code, [measure]: has ? v : null, suppressed: !has && !analyst && measure === 'count' };
  });
}

/** "Plymouth 027E (E01015123) in Stoke ward": the small area's name, its code, its neighbourhood. */
export function smallAreaTitle(props, names) {
  const name = props.name || props.code;
  const code = props.name && props.code ? ` (${props.code})` : '';
  const where = props.neighbourhood_name || props.neighbourhood;
  return `${name}${code}${where ? ` in ${where} ${names.one}` : ''}`;
}
