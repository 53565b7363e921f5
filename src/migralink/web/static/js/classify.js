// Quantile classes: each class holds about the same number of regions, so that the
// map stays readable when a few regions (Ansan, Seoul's Yeongdeungpo) dwarf the others.
// Colours: ColorBrewer YlGnBu, 5 classes (Cynthia Brewer, Apache-2.0), readable when
// printed in grey and by readers with red-green colour blindness.
export const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];
export const NO_DATA = '#d9d9d9';

/** Class breaks (ascending, at most PALETTE.length - 1) of the values. */
export function quantileBreaks(values, k = PALETTE.length) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length < 2) return [];
  const breaks = [];
  for (let i = 1; i < k; i += 1) {
    const b = sorted[Math.floor((i * sorted.length) / k)];
    if (b > sorted[0] && !breaks.includes(b)) breaks.push(b);
  }
  return breaks;
}

/** The class of a value: the number of breaks it reaches. */
export function classOf(value, breaks) {
  let index = 0;
  while (index < breaks.length && value >= breaks[index]) index += 1;
  return index;
}

/** The colours used for `breaks.length + 1` classes, spread over the palette. */
export function colours(breaks) {
  const n = breaks.length + 1;
  if (n === 1) return [PALETTE[2]];
  return Array.from({ length: n }, (_, i) => PALETTE[Math.round((i * (PALETTE.length - 1)) / (n - 1))]);
}
