// What the map can show ("measures"), read in one request from /api/v1/indicators/menu:
// published counts and computed indicators, each with the levels and years its data hold.
import { get } from './api.js';
import { lang, pick, t, tOr } from './i18n.js';

// The published count the region page leads with (its "headline figure").
export const HEADLINE = { dataset: 'mois_foreign_residents_sigungu', dim: 'group',
  parts: ['workers', 'marriage_migrants', 'students', 'overseas_koreans', 'other_foreigners',
    'naturalised', 'children'] };

let menu = null;

/** The menu: {measures, datasets, units, vintages}. */
export async function loadMeasures() {
  menu = await get('/indicators/menu');
  return menu.measures;
}

export function datasetFacts(id) {
  return menu?.datasets?.[id];
}

/** How many units a level has in a year (for "covers 25 of 229"). */
export function unitsInLevel(level, year) {
  const table = menu?.units?.[level === 'gu' ? 'sigungu' : level];
  return table?.[String(year).slice(0, 4)] ?? null;
}

/** The boundary vintage a year is drawn on: the latest shipped not after it. */
export function vintageFor(year) {
  const y = Number(String(year).slice(0, 4));
  const list = menu?.vintages ?? [];
  return [...list].reverse().find((v) => v <= y) ?? list[0];
}

export function measureTitle(measure) {
  return tOr(`measure.${measure.id}`, pick(measure, 'title'));
}

export function groupLabel(measure, code) {
  if (!code) return t('group.all');
  const group = measure.groups.find((g) => g.code === code);
  return tOr(`${measure.dim}.${code}`, group ? group[lang()] : code);
}

/** The measure's name with its group, as headings show it: "외국인주민 수 (결혼이민자)". */
export function measureLabel(measure, group) {
  return group ? `${measureTitle(measure)} (${groupLabel(measure, group)})` : measureTitle(measure);
}

/** The latest year of a measure at a level. */
export function latestYear(measure, level) {
  return Object.keys(measure.levels[level] ?? {}).at(-1);
}
