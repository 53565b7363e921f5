// The view and its settings live in the address (#/map?m=…&y=…), so that every view can
// be bookmarked, shared and reached with the browser's back button.
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

/** The settings shared by every view: measure, group, year, level, regions compared. */
export function settings(params, measures) {
  const measure = measures.find((m) => m.id === params.get('m')) ?? measures[0];
  const codes = measure.groups.map((g) => g.code);
  const group = codes.includes(params.get('g') ?? '') ? params.get('g') ?? '' : codes[0] ?? '';
  const year = measure.periods.includes(params.get('y')) ? params.get('y') : measure.periods.at(-1);
  const level = params.get('l') === 'sido' ? 'sido' : 'sigungu';
  return { measure, group, year, level, regions: (params.get('r') ?? '').split(',').filter(Boolean) };
}

/** The address parameters of some settings. */
export function paramsOf(s) {
  return { m: s.measure.id, g: s.group, y: s.year, l: s.level,
    r: s.regions?.length ? s.regions.join(',') : undefined };
}
