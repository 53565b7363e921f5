// A region's page: where it sits (breadcrumbs up, its parts down), its published headline
// figure, the trend and composition, its peers and the areas most like it, and the
// definitions and sources of what is shown, in the reader's language.
import { allRows } from './api.js';
import { barChart, chartBlock, lineChart } from './charts.js';
import { askedNotices } from './controls.js';
import { download } from './csv.js';
import { h } from './dom.js';
import { formatCell, formatNumber, formatValue, statusLabel, unitLabel } from './format.js';
import { t } from './i18n.js';
import { datasetFacts, groupLabel, HEADLINE, measureLabel, vintageFor } from './measures.js';
import { citation, provenance, referenceDate } from './provenance.js';
import { ancestors, childrenOf, fullName, regionOf, shortName } from './regions.js';
import { href, paramsOf } from './route.js';
import { sourcesSection } from './sources.js';
import { similarAreas } from './similar.js';
import { CSV_HEADER } from './table.js';
import { hasValue, levelValues, ranks, series } from './values.js';

const year4 = (p) => Number(String(p).slice(0, 4));

async function headline(code, vintage) {
  let answer;
  try {
    answer = await allRows(`/datasets/${HEADLINE.dataset}/observations`,
      { region: code, by: 'period', boundaries: vintage });
  } catch (error) {
    if (error.status >= 400 && error.status < 500) answer = { rows: [] };
    else throw error;
  }
  const row = answer.rows.at(-1);
  if (!row) return { block: null, period: null };
  const cell = { value: row.value, status: row.status, conf_status: row.conf_status };
  const facts = datasetFacts(HEADLINE.dataset);
  const block = h('div', { class: 'headline', 'data-testid': 'headline' },
    h('p', { class: 'headline-label' }, t('region.headline', { year: row.period })),
    h('p', { class: 'headline-value' }, formatCell(cell, 'persons')),
    h('p', { class: 'small' }, statusLabel(cell), ' · ', facts ? t('region.headline.source', {
      title: facts[`title_${document.documentElement.lang}`] ?? facts.title_ko,
      reference: referenceDate(facts), version: facts.version }) : ''));
  return { block, period: row.period };
}

function breadcrumbs(s, code) {
  const chain = ancestors(code);
  return h('nav', { class: 'breadcrumbs', 'aria-label': t('region.breadcrumbs') },
    h('ol', {}, chain.map((c, i) => h('li', {}, i === chain.length - 1
      ? h('span', { 'aria-current': 'page' }, shortName(c))
      : h('a', { href: c === '00' ? href('map', paramsOf(s)) : href('region', paramsOf(s), c) }, shortName(c))))));
}

function childList(s, code, vintage) {
  const kids = childrenOf(code, vintage);
  if (!kids.length) return null;
  const key = regionOf(code).level === 'sido' ? 'region.children.sigungu' : 'region.children.gu';
  return h('section', { class: 'children', 'aria-labelledby': 'children-heading' },
    h('h3', { id: 'children-heading' }, t(key, { n: kids.length })),
    h('ul', { class: 'child-list' }, kids.map((r) => h('li', {},
      h('a', { href: href('region', paramsOf(s), r.code) }, shortName(r.code))))));
}

function trendSection(s, code, cells) {
  const rows = s.measure.periodsAll.filter((p) => cells.has(p)).map((p) => [p, cells.get(p)]);
  if (!rows.length) return h('p', { class: 'notice' }, t('region.trend.none', { measure: measureLabel(s.measure, s.group) }));
  const name = fullName(code);
  const csv = rows.map(([p, c]) => [code, name, p, s.measure.id, s.group || '',
    hasValue(c) ? c.value : '', s.measure.unit, '', statusLabel(c)]);
  const title = t('region.trend', { measure: measureLabel(s.measure, s.group) });
  const chart = lineChart([{ label: name, cells }], rows.map(([p]) => p), s.measure.unit, title);
  return chartBlock('trend', title, chart, s.measure,
    () => download(`migralink_${code}_${s.measure.id.replace(':', '-')}.csv`, CSV_HEADER, csv,
      citation(s.measure, s.group, name)),
    h('table', { class: 'data compact' },
      h('caption', { class: 'visually-hidden' }, title),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('table.period')),
        h('th', { scope: 'col', class: 'num' }, `${t('table.value')} (${unitLabel(s.measure.unit)})`),
        h('th', { scope: 'col' }, t('table.status')))),
      h('tbody', {}, rows.map(([p, c]) => h('tr', {}, h('th', { scope: 'row' }, p),
        h('td', { class: 'num' }, hasValue(c) ? formatNumber(c.value, s.measure.unit) : '—'),
        h('td', {}, statusLabel(c)))))));
}

async function compositionSection(code, period, vintage) {
  const answer = await allRows(`/datasets/${HEADLINE.dataset}/observations`,
    { region: code, period, by: HEADLINE.dim, boundaries: vintage });
  const cells = new Map(answer.rows.map((r) => [r[HEADLINE.dim], r]));
  const total = cells.get('_T');
  const measure = { dim: HEADLINE.dim, groups: [] };
  const items = HEADLINE.parts.filter((p) => cells.has(p)).map((p) => {
    const cell = cells.get(p);
    const share = hasValue(cell) && hasValue(total) ? formatValue((100 * cell.value) / total.value, 'percent') : '';
    return { label: groupLabel(measure, p), cell,
      text: hasValue(cell) ? `${formatValue(cell.value, 'persons')} (${share})` : formatCell(cell, 'persons') };
  });
  const title = t('region.composition', { year: period });
  const source = { sources: [HEADLINE.dataset] };
  return chartBlock('composition', title, barChart(items, 'persons', title), source, null,
    h('table', { class: 'data compact' }, h('caption', { class: 'visually-hidden' }, title),
      h('tbody', {}, items.map((i) => h('tr', {}, h('th', { scope: 'row' }, i.label), h('td', { class: 'num' }, i.text))))));
}

async function peersSection(s, code) {
  const r = regionOf(code);
  const level = r.level;
  if (!s.measure.levels[level]) {
    return h('p', { class: 'notice' }, t('region.peers.none', { level: t(`level.${level}`) }));
  }
  const year = s.measure.levels[level][s.year] ? s.year : Object.keys(s.measure.levels[level]).at(-1);
  const { cells } = await levelValues(s.measure, s.group, year, level);
  const same = (c) => level === 'sido' || (level === 'sigungu' ? c.slice(0, 2) === code.slice(0, 2)
    : regionOf(c)?.parent === r.parent);
  const peers = new Map([...cells].filter(([c]) => same(c)));
  if (peers.size < 2) return null;
  const rankOf = ranks(peers);
  const sorted = [...peers].sort((a, b) => (rankOf.get(a[0]) ?? 1e9) - (rankOf.get(b[0]) ?? 1e9));
  const title = t('region.peers', { year });
  const items = sorted.map(([c, cell]) => ({ label: shortName(c), cell, highlight: c === code,
    text: formatCell(cell, s.measure.unit) }));
  return chartBlock('peers', title, barChart(items, s.measure.unit, title), s.measure, null,
    h('p', { class: 'small' }, t(`region.peers.${level}`), rankOf.get(code)
      ? ` · ${t('region.rank', { rank: rankOf.get(code), n: rankOf.size })}` : ''));
}

/** Draw the page of region `code` for settings `s`. */
export async function renderRegion(root, s, code, current) {
  const r = regionOf(code);
  if (!r) {
    root.replaceChildren(h('h2', { tabindex: -1 }, t('region.unknown', { code })),
      h('p', {}, h('a', { href: href('map', paramsOf(s)) }, t('region.back'))));
    return;
  }
  const vintage = vintageFor(Math.max(year4(s.year), r.from ?? 0));
  const periodsAll = [...new Set(Object.values(s.measure.levels).flatMap((x) => Object.keys(x)))].sort();
  const sm = { ...s, measure: { ...s.measure, periodsAll } };
  const [top, cells] = await Promise.all([headline(code, vintage), series(s.measure, s.group, code, vintage)]);
  const blocks = await Promise.all([
    top.period ? compositionSection(code, top.period, vintage) : null,
    peersSection(s, code), similarAreas(s, code),
    sourcesSection(s.measure)]);
  if (!current()) return;
  root.replaceChildren(
    breadcrumbs(s, code),
    h('h2', { tabindex: -1 }, fullName(code), ' ', h('span', { class: 'code' }, `${t(`level.one.${r.level}`)} · ${code}`)),
    ...askedNotices(s), top.block ?? h('p', { class: 'small' }, t('region.nodata')),
    h('p', {}, h('a', { href: href('compare', { ...paramsOf(s), r: code }) }, t('region.compare'))),
    // a profile is offered only where this region has figures to put in it
    ...(top.period ? [h('p', {}, h('a', { href: `api/v1/regions/${code}/profile?lang=${document.documentElement.lang === 'en' ? 'en' : 'ko'}`, download: '', 'data-testid': 'profile-link' }, t('region.profile')))] : []),
    childList(s, code, vintage),
    trendSection(sm, code, cells), ...blocks.filter(Boolean));
  document.title = `${fullName(code)} · ${t('app.title')}`;
  void provenance;
}
