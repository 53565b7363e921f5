// The comparison view: the chosen measure year by year for several regions of any level
// (provinces, local governments such as 안산시, districts), as a chart whose lines differ
// by colour, dash and marker, and a table that the CSV reproduces row for row.
import { chartBlock, lineChart, SERIES_COLOURS, SERIES_DASHES } from './charts.js';
import { askedNotices, measureControls } from './controls.js';
import { download } from './csv.js';
import { h, svg } from './dom.js';
import { formatNumber, statusLabel, unitLabel } from './format.js';
import { t } from './i18n.js';
import { measureLabel, vintageFor } from './measures.js';
import { citation } from './provenance.js';
import { fullName, regionOf } from './regions.js';
import { searchBox } from './search.js';
import { CSV_HEADER } from './table.js';
import { hasValue, series } from './values.js';

function chips(s, change) {
  if (!s.regions.length) return h('p', { class: 'notice' }, t('compare.empty'));
  return h('ul', { class: 'chips' }, s.regions.map((code, i) => {
    const name = fullName(code);
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    return h('li', { style: `border-color:${colour}` },
      svg('svg', { width: 28, height: 10, 'aria-hidden': 'true' }, svg('line', { x1: 0, y1: 5, x2: 28, y2: 5,
        stroke: colour, 'stroke-width': 3, 'stroke-dasharray': SERIES_DASHES[i % SERIES_DASHES.length] || undefined })),
      name,
      h('button', { type: 'button', 'aria-label': t('compare.remove', { name }),
        onclick: () => change({ regions: s.regions.filter((c) => c !== code) }) }, '×'));
  }));
}

/** Draw the comparison of `s.regions` for settings `s`. */
export async function renderCompare(root, s, measures, change, current) {
  const periods = [...new Set(Object.values(s.measure.levels).flatMap((x) => Object.keys(x)))].sort();
  const vintage = vintageFor(periods.at(-1));
  // a code typed into the address that names no region is said to be unknown, not asked
  // of the API (its answer would be "no data", which hides the typing mistake)
  const all = await Promise.all(s.regions.map((code) => (regionOf(code)
    ? series(s.measure, s.group, code, vintage) : new Map())));
  if (!current()) return;
  const label = measureLabel(s.measure, s.group);
  const rows = s.regions.flatMap((code, i) => periods.filter((p) => all[i].has(p))
    .map((p) => ({ code, name: fullName(code), period: p, cell: all[i].get(p) })));
  const csvRows = rows.map((r) => [r.code, r.name, r.period, s.measure.id, s.group || '',
    hasValue(r.cell) ? r.cell.value : '', s.measure.unit, '', statusLabel(r.cell)]);
  const missing = s.regions.filter((c, i) => !all[i].size);
  const add = (code) => { if (!s.regions.includes(code)) change({ regions: [...s.regions, code] }); };
  const table = h('div', { class: 'table-scroll', tabindex: 0 },
    h('table', { class: 'data', 'data-unit': unitLabel(s.measure.unit) },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('table.region')),
        h('th', { scope: 'col' }, t('table.period')),
        h('th', { scope: 'col', class: 'num' }, `${t('table.value')} (${unitLabel(s.measure.unit)})`),
        h('th', { scope: 'col' }, t('table.status')))),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-code': r.code },
        h('th', { scope: 'row' }, r.name, ' ', h('span', { class: 'code' }, r.code)), h('td', {}, r.period),
        h('td', { class: 'num', 'data-value': hasValue(r.cell) ? r.cell.value : '' },
          hasValue(r.cell) ? formatNumber(r.cell.value, s.measure.unit) : '—'),
        h('td', {}, statusLabel(r.cell)))))));
  root.replaceChildren(
    h('h2', { tabindex: -1 }, t('compare.heading')),
    h('p', {}, t('compare.help')), ...askedNotices(s),
    measureControls(s, measures, change, { withYear: false, withLevel: false }),
    h('div', { class: 'controls' }, h('div', { class: 'control' },
      h('span', { class: 'small', id: 'compare-label' }, t('compare.choose')), searchBox(add, 'compare-search'))),
    chips(s, change),
    ...missing.map((c) => h('p', { class: 'notice' }, regionOf(c)
      ? t('compare.missing', { name: fullName(c), measure: label }) : t('region.unknown', { code: c }))),
    rows.length ? chartBlock('compare', label, lineChart(s.regions.map((code, i) => ({ label: fullName(code), cells: all[i] })),
      periods.filter((p) => rows.some((r) => r.period === p)), s.measure.unit, label), s.measure,
    () => download(`migralink_compare_${s.measure.id.replace(':', '-')}.csv`, CSV_HEADER, csvRows,
      citation(s.measure, s.group, s.regions.map(fullName).join(', '))), table) : null);
}
