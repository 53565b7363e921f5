// Region names, levels and parents from the API (/api/v1/regions: a few KB), so that no
// page needs a boundary file to name a region, climb to its province or list its parts.
import { get } from './api.js';
import { lang } from './i18n.js';

let table = null;

const NATION = { code: '00', name_ko: '전국', name_en: 'South Korea', level: 'country' };

/** Load the region list once. */
export async function loadRegions() {
  const answer = await get('/regions');
  const byCode = new Map(answer.rows.map((r) => [r.code, r]));
  table = { rows: answer.rows, byCode };
  return table;
}

export function regionOf(code) {
  return code === '00' ? NATION : table.byCode.get(code);
}

function valid(r, year) {
  const y = Number(String(year).slice(0, 4));
  return !year || ((r.from ?? 0) <= y && (r.to === null || r.to === undefined || r.to >= y));
}

/** The region's own name ("단원구"). */
export function shortName(code) {
  const r = regionOf(code);
  return r ? r[`name_${lang()}`] ?? r.name_ko : code;
}

/** The name with what makes it unique: "서울특별시 중구", "안산시 단원구" / "Jung-gu, Seoul". */
export function fullName(code) {
  const r = regionOf(code);
  if (!r) return code;
  if (r.level === 'sido' || r.level === 'country') return shortName(code);
  const up = r.level === 'gu' ? [r.sido, r.parent] : [r.sido];
  const names = up.map((c) => shortName(c));
  return lang() === 'ko' ? `${names.join(' ')} ${shortName(code)}`
    : `${shortName(code)}, ${names.reverse().join(', ')}`;
}

/** The units of `level` valid in `year`. */
export function unitsOf(level, year) {
  return table.rows.filter((r) => r.level === level && valid(r, year));
}

/** The units one level down (sido → local governments; a city → its districts). */
export function childrenOf(code, year) {
  const r = regionOf(code);
  if (!r) return [];
  if (r.level === 'country') return unitsOf('sido', year);
  const level = r.level === 'sido' ? 'sigungu' : 'gu';
  return table.rows.filter((x) => x.level === level && x.parent === code && valid(x, year));
}

/** The chain from the nation down to the region: ['00', '41', '41270', '41273']. */
export function ancestors(code) {
  const chain = [];
  let r = regionOf(code);
  while (r && r.code !== '00') {
    chain.unshift(r.code);
    r = r.parent && r.parent !== '00' ? regionOf(r.parent) : null;
  }
  return ['00', ...chain];
}

function normal(text) {
  return text.toLowerCase().replace(/[\s·-]/g, '');
}

/**
 * Regions whose Korean or English name starts with (or contains) `text`, current ones
 * first; each carries its full name, so that the six 중구 can be told apart.
 */
export function searchRegions(text, limit = 12) {
  const q = normal(text);
  if (!q) return [];
  const score = (r) => {
    const names = [r.name_ko, r.name_en ?? ''].map(normal);
    if (names.some((n) => n === q)) return 0;
    if (names.some((n) => n.startsWith(q))) return 1;
    if (names.some((n) => n.includes(q)) || normal(fullName(r.code)).includes(q)) return 2;
    return null;
  };
  return table.rows.map((r) => ({ r, s: score(r) })).filter((x) => x.s !== null)
    .sort((a, b) => a.s - b.s || (a.r.to === null ? 0 : 1) - (b.r.to === null ? 0 : 1)
      || a.r.code.localeCompare(b.r.code))
    .slice(0, limit).map(({ r }) => ({ code: r.code, level: r.level, name: fullName(r.code),
      current: r.to === null || r.to === undefined }));
}
