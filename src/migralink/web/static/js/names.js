// Region names come from the boundary files the API serves (sido and sigungu features,
// with the city of each district), so the page needs no separate code list.
import { get } from './api.js';

/** A unit's name with its sido where the name alone is ambiguous ("울산광역시 남구"). */
export function fullName(p, ko = p.name_ko, en = p.name_en) {
  if (!p.sido_name_ko || ko === p.sido_name_ko) return { ko, en };
  return { ko: `${p.sido_name_ko} ${ko}`, en: `${en}, ${p.sido_name_en}` };
}

export async function regionNames(year) {
  // the year's own units, then the latest ones for codes that came later (51, 52)
  const [sido, sigungu, latestSido, latestSigungu] = await Promise.all([
    get('/boundaries/sido', { year }), get('/boundaries/sigungu', { year }),
    get('/boundaries/sido'), get('/boundaries/sigungu')]);
  const names = new Map([['00', { ko: '전국', en: 'South Korea' }]]);
  const all = [sido, sigungu, latestSido, latestSigungu].flatMap((c) => c.features);
  for (const { properties: p } of all) {
    if (names.has(p.code)) continue;
    names.set(p.code, fullName(p));
    if (p.parent_name_ko && !names.has(p.parent)) {
      names.set(p.parent, fullName(p, p.parent_name_ko, p.parent_name_en));
    }
  }
  return { names, sido: sido.features, sigungu: sigungu.features };
}
