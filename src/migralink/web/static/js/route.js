// The view and all its settings live in the address (#/map?m=…&l=…&y=…&lang=en), so that
// every view can be bookmarked, shared, and reached with the browser's back button.
import { lang } from './i18n.js';

export function parseHash(hash = window.location.hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  return { view: parts[0] || 'map', code: parts[1], params: new URLSearchParams(query) };
}

export function href(view, params = {}, code) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, value);
  }
  const text = query.toString();
  return `#/${view}${code ? `/${code}` : ''}${text ? `?${text}` : ''}`;
}

const LEVEL_ORDER = ['sigungu', 'sido', 'gu'];

/** The level shown: the one asked for where the measure has it, else the first it has. */
function levelOf(measure, asked) {
  if (measure.levels[asked]) return asked;
  return LEVEL_ORDER.find((l) => measure.levels[l]);
}

/**
 * The settings of an address. A year the measure does not have at the level is never
 * silently replaced: `missingYear` keeps it, so that the page says so.
 */
export function settings(params, measures) {
  const askedMeasure = params.get('m');
  const found = measures.find((m) => m.id === askedMeasure);
  const measure = found ?? measures[0];
  const codes = measure.groups.map((g) => g.code);
  const asked = params.get('g') ?? '';
  const group = codes.includes(asked) ? asked : codes[0] ?? '';
  const level = levelOf(measure, params.get('l'));
  const periods = Object.keys(measure.levels[level]);
  const wanted = params.get('y');
  const year = periods.includes(wanted) ? wanted : periods.at(-1);
  const askedLevel = params.get('l');
  return {
    measure, group, level, year, periods,
    missingYear: wanted && !periods.includes(wanted) ? wanted : null,
    missingLevel: askedLevel && askedLevel !== level ? askedLevel : null,
    // a misspelt indicator or group in a shared link is named by the page, never replaced
    // in silence (the heading alone would not tell the reader it is not what was asked)
    missingMeasure: askedMeasure && !found ? askedMeasure : null,
    missingGroup: found && asked && !codes.includes(asked) ? asked : null,
    regions: (params.get('r') ?? '').split(',').filter(Boolean),
    sort: params.get('o') ?? 'value', focus: params.get('f') ?? '',
  };
}

/** The address parameters of some settings (the language included). */
export function paramsOf(s) {
  return { m: s.measure.id, g: s.group, l: s.level, y: s.year,
    r: s.regions?.length ? s.regions.join(',') : undefined,
    o: s.sort && s.sort !== 'value' ? s.sort : undefined, f: s.focus || undefined, lang: lang() };
}
