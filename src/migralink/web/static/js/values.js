// Values of a measure, joined to the map's units. Sums are the API's (it never counts a
// city and its districts twice); the page only adds districts up to a city that the
// boundary file draws whole (its `districts`), and only for counts.
import { allRows, get } from './api.js';
import { isSuppressed } from './format.js';
import { fullName } from './names.js';

function filterParams(measure, group) {
  return group && measure.kind === 'dataset' ? { filter: `${measure.dim}:${group}` } : {};
}

// Protected datasets cannot be re-read on other boundaries (the API refuses: splitting a
// unit by population weights would leak suppressed cells), so they are read as stored.
function boundaryParams(measure, vintage) {
  return measure.kind === 'dataset' && !measure.protected ? { boundaries: vintage } : {};
}

function cellOf(row) {
  return { value: row.value, status: row.status, conf_status: row.conf_status ?? 'F' };
}

/** code → cell of `measure` in `year`, for every region the answer has. */
async function rowsByRegion(measure, group, year, vintage) {
  let answer;
  if (measure.kind === 'dataset') {
    answer = await allRows(`/datasets/${measure.dataset}/observations`, {
      period: year, by: 'region', ...filterParams(measure, group),
      ...boundaryParams(measure, vintage) });
  } else {
    answer = await allRows('/indicators', { id: measure.indicator, period: year,
      breakdown: group ? measure.dim : undefined });
    if (group) answer.rows = answer.rows.filter((r) => r.breakdown_code === group);
  }
  return { version: answer.version, cells: new Map(answer.rows.map((r) => [r.region, cellOf(r)])) };
}

/** One region's cell, summed by the API when the data hold only its parts. */
async function regionCell(measure, group, year, code, vintage) {
  try {
    const answer = await get(`/datasets/${measure.dataset}/observations`, {
      period: year, region: code, ...filterParams(measure, group),
      ...boundaryParams(measure, vintage) });
    return answer.rows.length ? cellOf(answer.rows[0]) : null;
  } catch (error) {
    if (error.status >= 400 && error.status < 500) return null; // no such data: shown as such
    throw error;
  }
}

function sumOf(cells) {
  if (cells.some((c) => !c)) return null; // a part without data: no total to show
  if (cells.some(isSuppressed)) return { value: null, status: 'A', conf_status: 'C' };
  const estimated = cells.some((c) => c.status === 'E');
  return { value: cells.reduce((total, c) => total + c.value, 0),
    status: estimated ? 'E' : 'A', conf_status: 'F', note: 'districts' };
}

/** The unit a feature is shown as: itself, its city (a table without districts), or the
 * sum of the districts it stands for. */
function resolve(feature, cells, additive) {
  const p = feature.properties;
  const own = { code: p.code, name: fullName(p), short: { ko: p.name_ko, en: p.name_en } };
  if (cells.has(p.code)) return { ...own, cell: cells.get(p.code) };
  if (p.level === 'gu' && cells.has(p.parent)) {
    return { code: p.parent, name: fullName(p, p.parent_name_ko, p.parent_name_en),
      short: { ko: p.parent_name_ko, en: p.parent_name_en }, cell: { ...cells.get(p.parent), note: 'city' } };
  }
  if (additive && p.districts) return { ...own, cell: sumOf(p.districts.map((c) => cells.get(c))) };
  return { ...own, cell: null };
}

/**
 * The map of `measure`: boundaries of the year's vintage and, for each feature, its unit.
 * Returns {geo, vintage, version, features: [{feature, unit}], units: [unit]}.
 */
export async function mapData(measure, group, year, level) {
  const geo = await get(`/boundaries/${level}`, { year });
  const { version, cells } = await rowsByRegion(measure, group, year, geo.vintage);
  const codes = geo.features.map((f) => f.properties.code);
  if (level === 'sido' && measure.kind === 'dataset' && !codes.every((c) => cells.has(c))) {
    // tables without sido rows: ask the API for each province's total
    const totals = await Promise.all(codes.map(
      (code) => regionCell(measure, group, year, code, geo.vintage)));
    codes.forEach((code, i) => { if (totals[i]) cells.set(code, totals[i]); });
  }
  const features = geo.features.map((feature) => ({ feature,
    unit: resolve(feature, cells, measure.additive) }));
  const units = new Map();
  for (const { unit } of features) if (!units.has(unit.code)) units.set(unit.code, unit);
  return { geo, vintage: geo.vintage, version, features, units: [...units.values()] };
}

/** period → cell of one region, every period the measure has, read on the units of
 * `vintage` (so that a trend follows one territory, and a code created later, such as
 * 51110 for 춘천시, still has its earlier years). */
export async function series(measure, group, code, vintage) {
  let rows;
  if (measure.kind === 'dataset') {
    rows = (await allRows(`/datasets/${measure.dataset}/observations`, {
      region: code, by: 'period', ...filterParams(measure, group),
      ...boundaryParams(measure, vintage) })).rows;
  } else {
    rows = (await allRows('/indicators', { id: measure.indicator, region: code,
      breakdown: group ? measure.dim : undefined })).rows;
    if (group) rows = rows.filter((r) => r.breakdown_code === group);
  }
  return new Map(rows.map((r) => [r.period, cellOf(r)]));
}

/** The boundary vintage the API draws `year` on. */
export async function vintageOf(year) {
  return (await get('/boundaries/sido', { year })).vintage;
}

/** Whether a cell has a value that can be coloured or drawn. */
export function hasValue(cell) {
  return Boolean(cell) && !isSuppressed(cell);
}
