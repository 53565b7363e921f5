// Values of a measure at one level. One request per measure, group and year: the answer
// holds every unit as stored, and the page adds up a count's parts where the table has
// only them (districts to their city, local governments to their province), using the
// region hierarchy of the API. Rates are never added up: they are shown as stored.
import { allRows, get } from './api.js';
import { isSuppressed } from './format.js';
import { vintageFor } from './measures.js';
import { childrenOf, regionOf, unitsOf } from './regions.js';

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

// The API's names of the map's levels (its query layer rolls a table up to any of them).
const API_LEVEL = { sido: 'sido', sigungu: 'sigungu', gu: 'district' };

/** code → cell as the API answers them, for one measure, group, year and level. */
export async function storedCells(measure, group, year, level) {
  const vintage = vintageFor(year);
  let answer;
  if (measure.kind === 'dataset') {
    answer = await allRows(`/datasets/${measure.dataset}/observations`, {
      period: year, by: 'region', level: API_LEVEL[level], ...filterParams(measure, group),
      ...boundaryParams(measure, vintage) });
  } else {
    answer = await allRows('/indicators', { id: measure.indicator, period: year,
      breakdown: group ? measure.dim : undefined });
  }
  const rows = group && measure.kind !== 'dataset'
    ? answer.rows.filter((r) => r.breakdown_code === group) : answer.rows;
  return { version: answer.version, vintage, cells: new Map(rows.map((r) => [r.region, cellOf(r)])) };
}

function sumOf(cells, note) {
  if (!cells.length || cells.some((c) => !c)) return null; // a part without data: no total
  if (cells.some(isSuppressed)) return { value: null, status: 'A', conf_status: 'C' };
  const estimated = cells.some((c) => c.status === 'E');
  return { value: cells.reduce((total, c) => total + c.value, 0),
    status: estimated ? 'E' : 'A', conf_status: 'F', note };
}

/** A unit's cell: stored, or (for counts) the sum of its parts one level down. */
export function cellAt(code, cells, additive, vintage, parts) {
  if (cells.has(code)) return cells.get(code);
  if (!additive) return null;
  const children = parts ?? childrenOf(code, vintage).map((r) => r.code);
  if (!children.length) return null;
  return sumOf(children.map((c) => cellAt(c, cells, additive, vintage)), 'sum');
}

/** The units of a level in a vintage; `gu` is the finest: districts, else the unit. */
export function levelUnits(level, vintage) {
  if (level !== 'gu') return unitsOf(level, vintage).map((r) => r.code);
  const districts = unitsOf('gu', vintage);
  const cities = new Set(districts.map((r) => r.parent));
  return [...districts.map((r) => r.code),
    ...unitsOf('sigungu', vintage).filter((r) => !cities.has(r.code)).map((r) => r.code)];
}

/** code → cell for every unit of `level` (the values a ranking or a peer list needs). */
export async function levelValues(measure, group, year, level) {
  const { version, vintage, cells } = await storedCells(measure, group, year, level);
  const out = new Map();
  for (const code of levelUnits(level, vintage)) {
    out.set(code, cellAt(code, cells, measure.additive, vintage));
  }
  return { version, vintage, cells: out, stored: cells };
}

/** The unit a map feature stands for at `level`: itself, or the local government of a
 * district when the level is the local government. */
function unitCode(p, level) {
  return level === 'sigungu' && p.level === 'gu' ? p.parent : p.code;
}

/**
 * The map of `measure`: boundaries of the year's vintage and, for each feature, its unit.
 * Returns {vintage, version, features: [{feature, code, cell}], units: Map(code → cell)}.
 */
export async function mapData(measure, group, year, level) {
  const vintage = vintageFor(year);
  const [geo, stored] = await Promise.all([
    get(`/boundaries/${level === 'sido' ? 'sido' : 'sigungu'}`, { year: vintage }),
    storedCells(measure, group, year, level)]);
  const units = new Map();
  const features = geo.features.map((feature) => {
    const p = feature.properties;
    const code = unitCode(p, level);
    if (!units.has(code)) {
      // a city drawn whole while the table gives its districts (부천 2024): their sum
      const parts = p.districts && code === p.code ? p.districts : undefined;
      units.set(code, cellAt(code, stored.cells, measure.additive, vintage, parts));
    }
    return { feature, code, cell: units.get(code) };
  });
  // a value the API answered for a unit of this level that the vintage does not draw (on
  // the 2013 map, 2016's 미추홀구 28177 has no shape: its 2013 code was 28170) goes into
  // the table and is named, never dropped in silence
  // (a city whose drawn districts have no value is listed too: 부천 in 2017 has one count,
  // its 2013 districts none, and dropping the city would lose its residents in silence)
  const drawnParents = new Set(features.filter((f) => f.cell).map((f) => f.feature.properties.parent));
  // (a district of a city drawn whole, 부천 on the 2024 map, is inside a drawn unit: its
  // value is in the city's sum, and listing it too would mix the city with its parts)
  const orphans = [...stored.cells.keys()].filter((code) => !units.has(code)
    && !units.has(regionOf(code)?.parent) && onLevel(code, level, drawnParents));
  for (const code of orphans) units.set(code, stored.cells.get(code));
  return { vintage: geo.vintage, version: stored.version, features, units, orphans };
}

// Whether a stored code is a unit of the map's level (`gu`: a district, or a local
// government without districts with values on the map).
function onLevel(code, level, drawnParents) {
  const r = regionOf(code);
  if (!r) return false;
  if (level === 'gu') return r.level === 'gu' || (r.level === 'sigungu' && !drawnParents.has(code));
  return r.level === level;
}

/** period → cell of one region, every period the measure has, read on the units of
 * `vintage` (so that a trend follows one territory). */
export async function series(measure, group, code, vintage) {
  let rows;
  if (measure.kind === 'dataset') {
    try {
      rows = (await allRows(`/datasets/${measure.dataset}/observations`, {
        region: code, by: 'period', ...filterParams(measure, group),
        ...boundaryParams(measure, vintage) })).rows;
    } catch (error) {
      if (error.status >= 400 && error.status < 500) return new Map(); // no such region here
      throw error;
    }
  } else {
    rows = (await allRows('/indicators', { id: measure.indicator, region: code,
      breakdown: group ? measure.dim : undefined })).rows;
    if (group) rows = rows.filter((r) => r.breakdown_code === group);
  }
  return new Map(rows.map((r) => [r.period, cellOf(r)]));
}

/** Whether a cell has a value that can be coloured or drawn. */
export function hasValue(cell) {
  return Boolean(cell) && !isSuppressed(cell);
}

/** Ranks (1 = largest) of the cells with a value; ties share a rank. */
export function ranks(cells) {
  const sorted = [...cells].filter(([, c]) => hasValue(c)).sort((a, b) => b[1].value - a[1].value);
  const out = new Map();
  sorted.forEach(([code, c], i) => {
    const prev = i && sorted[i - 1][1].value === c.value ? out.get(sorted[i - 1][0]) : i + 1;
    out.set(code, prev);
  });
  return out;
}
