// Colour-blind-safe palettes. Sequential: viridis, cividis and magma (perceptually uniform,
// readable with deuteranopia, protanopia and tritanopia, and in greyscale print); light = low,
// dark = high. Hotspot classes: ColorBrewer RdYlBu reversed (listed as colour-blind safe),
// red-orange for hot and blue for cold, a neutral for "not significant". Service tiers:
// Okabe-Ito.

const ANCHORS = {
  viridis: ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'],
  cividis: ['#00224e', '#123570', '#3b496c', '#575d6d', '#707173', '#8a8779', '#a69d75', '#c4b56c', '#fee838'],
  magma: ['#000004', '#1c1044', '#4f127b', '#812581', '#b5367a', '#e55064', '#fb8761', '#fec287', '#fcfdbf'],
};

export const SEQUENTIAL = { viridis: 'Viridis', cividis: 'Cividis', magma: 'Magma' };

// Colours outside every ramp for the values that are not classified. Zero is white ("none
// recorded"), suppressed grey, missing data (no input file covers the area) pale lilac, and a
// value that is absent for another reason (no residents for a rate) pale sand. None of them is
// in viridis, cividis or magma, so an area in one of them cannot be read as a class.
export const ZERO = '#ffffff';
export const SUPPRESSED = '#b8b8b8';
export const NO_DATA = '#d8c8e8';
export const NO_VALUE = '#efe3c8';
export const OUTLINE = '#5a5a5a';
export const BACKGROUND = '#eef0f2';

const hex2rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const rgb2hex = (c) => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

/** Colour at t in [0, 1] of a sequential palette, 0 = light (low), 1 = dark (high). */
export function sample(name, t) {
  const a = (ANCHORS[name] || ANCHORS.viridis).slice().reverse();
  const x = Math.max(0, Math.min(1, t)) * (a.length - 1);
  const i = Math.min(a.length - 2, Math.floor(x));
  const f = x - i;
  const c0 = hex2rgb(a[i]);
  const c1 = hex2rgb(a[i + 1]);
  return rgb2hex(c0.map((v, j) => v + (c1[j] - v) * f));
}

/** n colours of a sequential palette, light to dark. */
export function ramp(name, n) {
  if (n <= 1) return [sample(name, 0.5)];
  // Start a little in from the lightest end so the first class stays visible on white.
  return Array.from({ length: n }, (_, i) => sample(name, 0.08 + (0.92 * i) / (n - 1)));
}

export const GI_CLASSES = [
  ['hot_99', '#d73027'],
  ['hot_95', '#fc8d59'],
  ['hot_90', '#fee090'],
  ['not_significant', '#f2f2f2'],
  ['cold_90', '#e0f3f8'],
  ['cold_95', '#91bfdb'],
  ['cold_99', '#4575b4'],
];

export const LISA_QUADRANTS = [
  ['high_high', 'High-High cluster', '#d73027'],
  ['high_low', 'High-Low outlier', '#fdae61'],
  ['low_high', 'Low-High outlier', '#abd9e9'],
  ['low_low', 'Low-Low cluster', '#4575b4'],
];
export const LISA_LEVELS = ['90', '95', '99', '999'];
export const NOT_SIGNIFICANT = '#f2f2f2';

export const TIERS = [
  ['primary', 'Primary prevention', '#009E73'],
  ['secondary', 'Secondary prevention', '#E69F00'],
  ['tertiary', 'Tertiary prevention', '#CC79A7'],
];
export const TIER_OTHER = '#0072B2';
