// A region's page: its published headline figure, the trend and composition, how it
// compares with its peers, and the definitions and sources of what is shown.
import { allRows } from './api.js';
import { barChart, lineChart } from './charts.js';
import { download } from './csv.js';
import { h } from './dom.js';
import { formatCell, formatNumber, statusLabel } from './format.js';
import { lang, t } from './i18n.js';
import { groupLabel, HEADLINE, measureLabel } from './measures.js';
import { regionNames } from './names.js';
import { href, paramsOf } from './route.js';
import { sourcesSection } from './sources.js';
import { hasValue, mapData, series, vintageOf } from './values.js';

async function headline(code, vintage) {
  const answer = await allRows(`/datasets/${HEADLINE.dataset}/observations`,
    { region: code, by: 'period', boundaries: vintage });
  const row = answer.rows.at(-1);
  if (!row) return { block: h('p', { class: 'headline' }, t('region.nodata')), period: null };
  const cell = { value: row.value, status: row.status, conf_status: row.conf_status };
  const block = h('div', { class: 'headline', 'data-testid': 'headline' },
    h('p', { class: 'headline-label' }, t('region.headline', { year: row.period })),
    h('p', { class: 'headline-value' }, formatCell(cell, 'persons')),
    h('p', { class: 'small' }, statusLabel(cell), ' · ',
      t('region.headline.source', { dataset: HEADLINE.dataset, version: answer.version })));
  return { block, period: row.period };
}

function trendSection(s, name, cells) {
  const rows = s.measure.periods.filter((p) => cells.has(p)).map((p) => [p, cells.get(p)]);
  const csv = rows.map(([p, c]) => [s.code, name, p, s.measure.id, s.group || '',
    hasValue(c) ? c.value : '', s.measure.unit, statusLabel(c)]);
  const title = t('region.trend', { measure: measureLabel(s.measure, s.group) });
  return h('section', { class: 'trend', 'aria-labelledby': 'trend-heading' },
    h('div', { class: 'section-head' }, h('h3', { id: 'trend-heading' }, title),
      h('button', { type: 'button', class: 'csv', onclick: () => download(
        `migralink_${s.code}_${s.measure.id.replace(':', '-')}.csv`,
        ['region_code', 'region_name', 'period', 'indicator', 'group', 'value', 'unit', 'status'],
        csv) }, t('csv.download'))),
    lineChart([{ label: name, cells }], s.measure.periods, s.measure.unit, title),
    h('table', { class: 'data compact' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('table.period')),
        h('th', { scope: 'col' }, t('table.value')), h('th', { scope: 'col' }, t('table.status')))),
      h('tbody', {}, rows.map(([p, c]) => h('tr', {}, h('th', { scope: 'row' }, p),
        h('td', { class: 'num' }, hasValue(c) ? formatNumber(c.value, s.measure.unit) : '—'),
        h('td', {}, statusLabel(c)))))));
}

async function compositionSection(code, period, measure, vintage) {
  const answer = await allRows(`/datasets/${HEADLINE.dataset}/observations`,
    { region: code, period, by: HEADLINE.dim, boundaries: vintage });
  const cells = new Map(answer.rows.map((r) => [r[HEADLINE.dim], r]));
  const total = cells.get('_T');
  const items = HEADLINE.parts.filter((p) => cells.has(p)).map((p) => {
    const cell = cells.get(p);
    const share = hasValue(cell) && hasValue(total) ? `${formatNumber((100 * cell.value) / total.value, 'percent')}%` : '';
    return { label: groupLabel({ ...measure, dim: HEADLINE.dim, groups: [] }, p), cell,
      text: hasValue(cell) ? `${formatNumber(cell.value, 'persons')} (${share})` : formatCell(cell, 'persons') };
  });
  const title = t('region.composition', { year: period });
  return h('section', { class: 'composition', 'aria-labelledby': 'composition-heading' },
    h('h3', { id: 'composition-heading' }, title), barChart(items, 'persons', title));
}

async function peersSection(s, code, names) {
  const level = code.length === 2 ? 'sido' : 'sigungu';
  const data = await mapData(s.measure, s.group, s.year, level);
  const peers = data.units.filter((u) => level === 'sido' || u.code.slice(0, 2) === code.slice(0, 2))
    .sort((a, b) => (hasValue(b.cell) ? b.cell.value : -Infinity) - (hasValue(a.cell) ? a.cell.value : -Infinity));
  const rank = peers.findIndex((u) => u.code === code) + 1;
  const title = t('region.peers', { year: s.year });
  return h('section', { class: 'peers', 'aria-labelledby': 'peers-heading' },
    h('h3', { id: 'peers-heading' }, title),
    h('p', { class: 'small' }, t(`region.peers.${level}`), rank ? ` · ${t('region.rank', { rank, n: peers.length })}` : ''),
    barChart(peers.map((u) => ({ label: (u.short ?? u.name)[lang()] ?? names.get(u.code)?.[lang()] ?? u.code,
      cell: u.cell, highlight: u.code === code, text: formatCell(u.cell, s.measure.unit) })),
    s.measure.unit, title));
}

/** Draw the page of region `code` for settings `s`. */
export async function renderRegion(root, s, code, current) {
  const [{ names }, vintage] = await Promise.all([regionNames(s.year), vintageOf(s.year)]);
  const name = names.get(code)?.[lang()] ?? code;
  const [top, cells] = await Promise.all([headline(code, vintage),
    series(s.measure, s.group, code, vintage)]);
  const blocks = await Promise.all([
    top.period ? compositionSection(code, top.period, s.measure, vintage) : null,
    peersSection(s, code, names),
    // a computed indicator also cites the stored indicators (their version and sha256)
    sourcesSection(s.measure, [HEADLINE.dataset, ...s.measure.sources,
      ...(s.measure.kind === 'indicator' ? ['indicators'] : [])])]);
  if (!current()) return;
  root.replaceChildren(
    h('p', {}, h('a', { href: href('map', paramsOf(s)) }, `← ${t('region.back')}`)),
    h('h2', { tabindex: -1 }, name, ' ', h('span', { class: 'code' }, code)),
    top.block,
    h('p', {}, h('a', { href: href('compare', { ...paramsOf(s), r: code }) }, t('region.compare'))),
    trendSection({ ...s, code }, name, cells), ...blocks.filter(Boolean));
}
