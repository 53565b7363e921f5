// Classes and colours fitted to the measure. Sequential measures (shares, counts) use
// quantile classes on one hue; changes diverge around 0, location quotients around 1 and
// sex ratios around 100, with two hues so that declines and gains read apart.
// Colours: ColorBrewer YlGnBu and PuOr (Cynthia Brewer, Apache-2.0), both readable in grey
// and by readers with red-green colour blindness.
export const SEQUENTIAL = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];
const BELOW = ['#b35806', '#f1a340', '#fee0b6']; // PuOr, the low side (orange), dark first
const ABOVE = ['#d8daeb', '#998ec3', '#542788']; // PuOr, the high side (purple)
export const NO_DATA = '#d9d9d9';

function quantiles(sorted, k) {
  const breaks = [];
  for (let i = 1; i < k; i += 1) {
    const b = sorted[Math.floor((i * sorted.length) / k)];
    if (b > sorted[0] && !breaks.includes(b)) breaks.push(b);
  }
  return breaks;
}

/** The centre of a measure's scale ("diverging:1" → 1), or null when it is sequential. */
export function centreOf(scale) {
  return scale?.startsWith('diverging:') ? Number(scale.split(':')[1]) : null;
}

/**
 * Classes of `values`: [{low, high, colour}] in ascending order, where low/high are the
 * smallest and largest value in the class (so no two classes share an endpoint).
 */
export function classify(values, scale) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return [];
  const centre = centreOf(scale);
  let bins;
  if (centre === null) {
    const breaks = quantiles(sorted, SEQUENTIAL.length);
    const n = breaks.length + 1;
    const colours = n === 1 ? [SEQUENTIAL[2]]
      : Array.from({ length: n }, (_, i) => SEQUENTIAL[Math.round((i * (SEQUENTIAL.length - 1)) / (n - 1))]);
    bins = colours.map((colour, i) => ({ from: i ? breaks[i - 1] : -Infinity, to: breaks[i] ?? Infinity, colour }));
  } else {
    const below = sorted.filter((v) => v < centre);
    const above = sorted.filter((v) => v >= centre);
    const side = (part, k) => (part.length ? quantiles(part, Math.min(k, part.length)) : null);
    const lo = side(below, BELOW.length);
    const hi = side(above, ABOVE.length);
    bins = [];
    if (lo) {
      const edges = [-Infinity, ...lo, centre];
      const colours = BELOW.slice(BELOW.length - (edges.length - 1));
      for (let i = 0; i < edges.length - 1; i += 1) bins.push({ from: edges[i], to: edges[i + 1], colour: colours[i] });
    }
    if (hi) {
      const edges = [centre, ...hi, Infinity];
      for (let i = 0; i < edges.length - 1; i += 1) bins.push({ from: edges[i], to: edges[i + 1], colour: ABOVE[i] });
    }
  }
  return bins.map((b) => {
    const members = sorted.filter((v) => v >= b.from && v < b.to);
    return members.length ? { ...b, low: members[0], high: members.at(-1), count: members.length } : null;
  }).filter(Boolean);
}

/** The colour of a value in `classes`. */
export function colourOf(value, classes) {
  const found = classes.find((c) => value >= c.from && value < c.to);
  return (found ?? classes.at(-1)).colour;
}
