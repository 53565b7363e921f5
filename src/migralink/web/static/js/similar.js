// "Similar areas": the units of the same level whose profile is closest to a region's,
// anywhere in the country (beside the same-province peers). The profile is the foreign
// share, its yearly change and the shares of workers and marriage migrants, each
// standardised, compared by Euclidean distance.
import { h } from './dom.js';
import { formatValue } from './format.js';
import { t } from './i18n.js';
import { regionOf, fullName } from './regions.js';
import { href, paramsOf } from './route.js';
import { hasValue, levelValues } from './values.js';

const PROFILE = [
  { id: 'ind:foreign_share', group: '' },
  { id: 'ind:foreign_residents_yoy', group: '' },
  { id: 'ind:composition_by_group', group: 'workers' },
  { id: 'ind:composition_by_group', group: 'marriage_migrants' },
];

let all = [];
export function setMeasures(measures) { all = measures; }

/** The section, or null when the profile's indicators are not in this evidence base. */
export async function similarAreas(s, code) {
  const level = regionOf(code).level;
  const parts = PROFILE.map((p) => ({ ...p, measure: all.find((m) => m.id === p.id) }))
    .filter((p) => p.measure?.levels[level]);
  if (parts.length < 2) return null;
  const year = Object.keys(parts[0].measure.levels[level]).at(-1);
  const values = await Promise.all(parts.map((p) => levelValues(p.measure, p.group, year, level)));
  const codes = [...values[0].cells.keys()].filter((c) => values.every((v) => hasValue(v.cells.get(c))));
  if (!codes.includes(code) || codes.length < 3) return null;
  const z = values.map((v) => {
    const xs = codes.map((c) => v.cells.get(c).value);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
    return new Map(codes.map((c, i) => [c, (xs[i] - mean) / sd]));
  });
  const distance = (c) => Math.sqrt(z.reduce((sum, m) => sum + (m.get(c) - m.get(code)) ** 2, 0));
  const nearest = codes.filter((c) => c !== code).sort((a, b) => distance(a) - distance(b)).slice(0, 5);
  const share = values[0];
  return h('section', { class: 'similar', 'aria-labelledby': 'similar-heading' },
    h('h3', { id: 'similar-heading' }, t('region.similar', { year })),
    h('p', { class: 'small' }, t('region.similar.help')),
    h('ol', {}, nearest.map((c) => h('li', {}, h('a', { href: href('region', paramsOf(s), c) }, fullName(c)),
      ` · ${formatValue(share.cells.get(c).value, parts[0].measure.unit)}`))));
}
