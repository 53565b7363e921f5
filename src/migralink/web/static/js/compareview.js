// The comparison view: the chosen measure year by year for several regions, as a chart
// and as a table that the CSV download reproduces row for row.
import { lineChart, SERIES_COLOURS } from './charts.js';
import { measureControls } from './controls.js';
import { download } from './csv.js';
import { h } from './dom.js';
import { formatNumber, statusLabel } from './format.js';
import { lang, t } from './i18n.js';
import { measureLabel } from './measures.js';
import { regionNames } from './names.js';
import { hasValue, series, vintageOf } from './values.js';

function picker(s, names, sido, sigungu, change) {
  const groups = sido.map(({ properties: p }) => h('optgroup', { label: p[`name_${lang()}`] },
    h('option', { value: p.code }, p[`name_${lang()}`]),
    sigungu.filter((f) => f.properties.code.slice(0, 2) === p.code)
      .map(({ properties: q }) => h('option', { value: q.code }, q[`name_${lang()}`]))));
  const add = () => {
    const code = document.getElementById('compare-region').value;
    if (code && !s.regions.includes(code)) change({ regions: [...s.regions, code] });
  };
  return h('form', { class: 'controls', onsubmit: (e) => { e.preventDefault(); add(); } },
    h('div', { class: 'control' }, h('label', { for: 'compare-region' }, t('compare.choose')),
      h('select', { id: 'compare-region' }, h('option', { value: '00' }, names.get('00')[lang()]), groups)),
    h('button', { type: 'submit', id: 'compare-add' }, t('compare.add')));
}

function chips(s, names, change) {
  if (!s.regions.length) return h('p', {}, t('compare.empty'));
  return h('ul', { class: 'chips' }, s.regions.map((code, i) => {
    const name = names.get(code)?.[lang()] ?? code;
    return h('li', { style: `border-color:${SERIES_COLOURS[i % SERIES_COLOURS.length]}` }, name,
      h('button', { type: 'button', 'aria-label': t('compare.remove', { name }),
        onclick: () => change({ regions: s.regions.filter((c) => c !== code) }) }, '×'));
  }));
}

/** Draw the comparison of `s.regions` for settings `s`. */
export async function renderCompare(root, s, measures, change, current) {
  const latest = s.measure.periods.at(-1);
  const [{ names, sido, sigungu }, vintage] = await Promise.all([regionNames(latest), vintageOf(latest)]);
  const all = await Promise.all(s.regions.map((code) => series(s.measure, s.group, code, vintage)));
  if (!current()) return;
  const label = measureLabel(s.measure, s.group);
  const nameOf = (code) => names.get(code)?.[lang()] ?? code;
  const rows = s.regions.flatMap((code, i) => s.measure.periods.filter((p) => all[i].has(p))
    .map((p) => ({ code, name: nameOf(code), period: p, cell: all[i].get(p) })));
  const csvRows = rows.map((r) => [r.code, r.name, r.period, s.measure.id, s.group || '',
    hasValue(r.cell) ? r.cell.value : '', s.measure.unit, statusLabel(r.cell)]);
  root.replaceChildren(
    h('h2', { tabindex: -1 }, t('compare.heading')),
    h('p', {}, t('compare.help')),
    measureControls(s, measures, change, { withYear: false, withLevel: false }),
    picker(s, names, sido, sigungu, change),
    chips(s, names, change),
    s.regions.length ? lineChart(s.regions.map((code, i) => ({ label: nameOf(code), cells: all[i] })),
      s.measure.periods, s.measure.unit, label) : null,
    h('section', { class: 'values', 'aria-labelledby': 'compare-table' },
      h('div', { class: 'section-head' }, h('h3', { id: 'compare-table' }, label),
        h('button', { type: 'button', class: 'csv', disabled: !rows.length,
          onclick: () => download(`migralink_compare_${s.measure.id.replace(':', '-')}.csv`,
            ['region_code', 'region_name', 'period', 'indicator', 'group', 'value', 'unit', 'status'],
            csvRows) }, t('csv.download'))),
      h('div', { class: 'table-scroll', tabindex: 0 }, h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ['table.code', 'table.region', 'table.period', 'table.value',
          'table.status'].map((key) => h('th', { scope: 'col' }, t(key))))),
        h('tbody', {}, rows.map((r) => h('tr', { 'data-code': r.code },
          h('td', {}, r.code), h('th', { scope: 'row' }, r.name), h('td', {}, r.period),
          h('td', { class: 'num', 'data-value': hasValue(r.cell) ? r.cell.value : '' },
            hasValue(r.cell) ? formatNumber(r.cell.value, s.measure.unit) : '—'),
          h('td', {}, statusLabel(r.cell)))))))));
}
