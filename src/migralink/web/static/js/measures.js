// What the map can show ("measures"): published counts read from datasets, and the
// indicators computed by the indicator engine when the evidence base holds them.
import { get, getOptional } from './api.js';
import { lang, pick, tOr } from './i18n.js';

// Published counts worth mapping, with the dimension offered as "group". Protected
// (register-derived) datasets are added too: they are where suppressed cells appear.
const DATASET_MEASURES = [
  { dataset: 'mois_foreign_residents_sigungu', dim: 'group' },
  { dataset: 'moj_registered_region_status', dim: 'residence_status' },
];
// The published count the region page leads with (its "headline figure").
export const HEADLINE = { dataset: 'mois_foreign_residents_sigungu', dim: 'group',
  parts: ['workers', 'marriage_migrants', 'students', 'overseas_koreans', 'other_foreigners',
    'naturalised', 'children'] };
// Indicator kinds that make sense on a map, one value per region (ranks, flags and
// national-only indices are left to the API).
const MAP_KINDS = new Set(['ratio', 'yoy_change', 'share_of_national', 'location_quotient',
  'sex_ratio']);
const MAP_LEVELS = ['sido', 'sigungu', 'gu'];

function groupsOf(dimension, withTotal) {
  const codes = (dimension?.codes ?? []).filter((c) => c.code !== dimension.total_code);
  const groups = codes.map((c) => ({ code: c.code, label: c.label, dim: dimension.id }));
  return withTotal ? [{ code: '', dim: dimension?.id }, ...groups] : groups;
}

async function datasetMeasure(summary, dimId) {
  const detail = await get(`/datasets/${summary.id}`);
  const dimension = detail.dimensions.find((d) => d.id === dimId);
  return {
    id: `ds:${summary.id}`, kind: 'dataset', dataset: summary.id, additive: true,
    protected: Boolean(summary.protected), unit: summary.unit, dim: dimension?.id,
    groups: dimension ? groupsOf(dimension, true) : [],
    periods: [...summary.periods], sources: [summary.id],
    title: { ko: summary.title_ko, en: summary.title_en },
  };
}

// "mois_foreign_residents_sigungu[group=_T,sex=_T] + population_sigungu" → dataset ids
function datasetIds(formula) {
  return (formula ?? '').split('+').map((part) => part.trim().split('[')[0].trim())
    .filter((id) => /^[a-z0-9_]+$/.test(id));
}

async function indicatorMeasure(row, summaries) {
  const sources = [...new Set([...datasetIds(row.numerator), ...datasetIds(row.denominator)])];
  const main = summaries[sources[0]];
  if (!main) return null;
  const breakdowns = `${row.by},${row.disaggregations}`.split(',').map((s) => s.trim());
  let groups = [];
  if (breakdowns.includes('group')) {
    const detail = await get(`/datasets/${main.id}`);
    groups = groupsOf(detail.dimensions.find((d) => d.id === 'group'), !row.by);
  }
  return {
    id: `ind:${row.id}`, kind: 'indicator', indicator: row.id, additive: false,
    protected: false, unit: row.unit, dim: groups.length ? 'group' : undefined, groups,
    periods: [...main.periods], sources, catalogue: row,
    title: { ko: row.name_ko, en: row.name_en },
  };
}

/** Every measure this evidence base can map, published counts first. */
export async function loadMeasures() {
  const datasets = await get('/datasets');
  const summaries = Object.fromEntries(datasets.map((d) => [d.id, d]));
  const wanted = [...DATASET_MEASURES];
  for (const d of datasets) {
    if (d.protected && d.dimensions.includes('region')) {
      wanted.push({ dataset: d.id, dim: d.dimensions.find((x) => x !== 'period' && x !== 'region') });
    }
  }
  const measures = await Promise.all(wanted.filter((w) => summaries[w.dataset])
    .map((w) => datasetMeasure(summaries[w.dataset], w.dim)));
  if (summaries.indicators) {
    const [catalogue, stored] = await Promise.all([
      getOptional('/indicators/catalogue'), get('/datasets/indicators')]);
    const computed = new Set(stored.dimensions.find((d) => d.id === 'indicator')
      .codes.map((c) => c.code));
    const rows = (catalogue?.rows ?? []).filter((r) => computed.has(r.id)
      && MAP_KINDS.has(r.kind) && r.levels.split(',').some((l) => MAP_LEVELS.includes(l)));
    const found = await Promise.all(rows.map((r) => indicatorMeasure(r, summaries)));
    measures.push(...found.filter(Boolean));
  }
  return measures;
}

export function measureTitle(measure) {
  return tOr(`measure.${measure.id}`, measure.title[lang()] ?? measure.title.ko);
}

/** The measure's name with its group, as headings show it: "외국인주민 수 (결혼이민자)". */
export function measureLabel(measure, group) {
  return group ? `${measureTitle(measure)} (${groupLabel(measure, group)})` : measureTitle(measure);
}

export function groupLabel(measure, code) {
  if (!code) return tOr('group.all', 'All');
  const group = measure.groups.find((g) => g.code === code);
  return tOr(`${measure.dim}.${code}`, group?.label ?? code);
}

export { pick };
