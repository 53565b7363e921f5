// The table of the values a map shows: rank, region, value (right-aligned, with the unit
// in the header), status; sortable by each column; the CSV reproduces it row for row.
import { download } from './csv.js';
import { h } from './dom.js';
import { formatNumber, statusLabel, unitLabel } from './format.js';
import { t } from './i18n.js';
import { measureLabel } from './measures.js';
import { citation } from './provenance.js';
import { fullName } from './regions.js';
import { href, paramsOf } from './route.js';
import { hasValue } from './values.js';

const SORTS = {
  value: (a, b) => (hasValue(b.cell) ? b.cell.value : -Infinity) - (hasValue(a.cell) ? a.cell.value : -Infinity),
  'value-asc': (a, b) => (hasValue(a.cell) ? a.cell.value : Infinity) - (hasValue(b.cell) ? b.cell.value : Infinity),
  name: (a, b) => a.name.localeCompare(b.name),
  code: (a, b) => a.code.localeCompare(b.code),
};

export const CSV_HEADER = ['region_code', 'region_name', 'period', 'indicator', 'group', 'value', 'unit', 'rank', 'status'];

/** The section with the table of `units` (code → cell) for settings `s`. */
export function valuesTable(s, units, rankOf, change) {
  // the order comes from the address: only the table's own orders, never an object's
  // inherited properties (`o=__proto__` broke the page, `o=toString` left it unsorted)
  const sort = Object.hasOwn(SORTS, s.sort) ? s.sort : 'value';
  const rows = [...units].map(([code, cell]) => ({ code, cell, name: fullName(code), rank: rankOf.get(code) }))
    .sort((a, b) => SORTS[sort](a, b) || a.code.localeCompare(b.code));
  const signed = s.measure.scale === 'diverging:0';
  const csvRows = rows.map((r) => [r.code, r.name, s.year, s.measure.id, s.group || '',
    hasValue(r.cell) ? r.cell.value : '', s.measure.unit, r.rank ?? '', statusLabel(r.cell)]);
  const name = `migralink_${s.measure.id.replace(':', '-')}_${s.group || 'all'}_${s.year}_${s.level}.csv`;
  const unit = unitLabel(s.measure.unit);
  const header = (key, label, asc, desc, cls) => {
    const state = sort === desc ? 'descending' : sort === asc ? 'ascending' : 'none';
    const next = sort === desc && asc ? asc : desc;
    return h('th', { scope: 'col', 'aria-sort': state, class: cls },
      h('button', { type: 'button', class: 'sort', id: `sort-${key}`, onclick: () => change({ sort: next }) },
        label, state === 'none' ? '' : state === 'ascending' ? ' ▲' : ' ▼'));
  };
  return h('section', { class: 'values', id: 'values', 'aria-labelledby': 'values-heading' },
    h('div', { class: 'section-head' },
      h('h3', { id: 'values-heading' }, t('table.heading', { measure: measureLabel(s.measure, s.group),
        year: s.year, level: t(`level.${s.level}`) })),
      h('button', { type: 'button', class: 'csv', id: 'csv', title: t('csv.help'),
        onclick: () => download(name, CSV_HEADER, csvRows, citation(s.measure, s.group, `${s.year}, ${t(`level.${s.level}`)}`)) },
      t('csv.download'))),
    h('div', { class: 'table-scroll', tabindex: 0 },
      h('table', { class: 'data', 'data-unit': unit },
        h('thead', {}, h('tr', {},
          header('rank', t('table.rank'), 'value-asc', 'value', 'num'),
          header('name', t('table.region'), null, 'name'),
          header('value', `${t('table.value')} (${unit})`, 'value-asc', 'value', 'num'),
          h('th', { scope: 'col' }, t('table.status')))),
        h('tbody', {}, rows.map((r) => h('tr', { 'data-code': r.code },
          h('td', { class: 'num rank' }, r.rank ?? '—'),
          h('th', { scope: 'row' }, h('a', { href: href('region', paramsOf(s), r.code) }, r.name),
            ' ', h('span', { class: 'code' }, r.code)),
          h('td', { class: 'num', 'data-value': hasValue(r.cell) ? r.cell.value : '' },
            hasValue(r.cell) ? formatNumber(r.cell.value, s.measure.unit, { signed }) : '—'),
          h('td', {}, statusLabel(r.cell))))))));
}
