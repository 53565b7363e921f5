// The map view: controls, the choropleth, its legend and the table of what it shows.
import { classOf, colours, NO_DATA, quantileBreaks } from './classify.js';
import { measureControls } from './controls.js';
import { download } from './csv.js';
import { h, hatchDefs, svg } from './dom.js';
import { formatCell, formatNumber, statusLabel, unitLabel } from './format.js';
import { lang, t } from './i18n.js';
import { measureLabel } from './measures.js';
import { featurePath, HEIGHT, WIDTH } from './projection.js';
import { href, paramsOf } from './route.js';
import { hasValue, mapData } from './values.js';
import { hideTooltip, showTooltip } from './tooltip.js';

function fillOf(unit, breaks, palette) {
  if (!unit.cell) return NO_DATA;
  if (!hasValue(unit.cell)) return 'url(#hatch)';
  return palette[classOf(unit.cell.value, breaks)];
}

// The outline of the region under the pointer or the keyboard focus, drawn last so that
// no neighbour covers it (a region's own stroke is half hidden by the next one drawn).
function ring(d) {
  document.querySelector('svg.map .focus-ring')?.setAttribute('d', d);
}

// Back to the focused region (if any) when the pointer or the focus leaves one.
function unring() {
  hideTooltip();
  const focused = document.activeElement;
  ring(focused?.matches('a.region') ? focused.firstElementChild.getAttribute('d') : '');
}

// Each region is a link: Tab reaches it, Enter opens its page, and its label says the value.
function regionLink(s, feature, unit, fill) {
  // name, value, status; a cell without a value says so once ("비공개", "자료 없음")
  const tip = () => [unit.name[lang()], formatCell(unit.cell, s.measure.unit),
    hasValue(unit.cell) ? statusLabel(unit.cell) : null].filter(Boolean);
  const kind = fill === NO_DATA ? 'nodata' : fill.startsWith('url') ? 'suppressed' : 'value';
  return svg('a', {
    href: href('region', paramsOf(s), unit.code), class: 'region', 'data-code': unit.code,
    'aria-label': `${unit.name[lang()]}: ${formatCell(unit.cell, s.measure.unit)}`,
    onmousemove: (e) => { ring(featurePath(feature)); showTooltip(tip(), e.clientX, e.clientY); },
    onmouseleave: unring,
    onblur: () => setTimeout(unring), // after the focus has moved on
    onfocus: (e) => {
      ring(featurePath(feature));
      const box = e.currentTarget.getBoundingClientRect();
      showTooltip(tip(), box.left + box.width / 2, box.top + box.height / 2);
    },
  }, svg('path', { d: featurePath(feature), fill, 'data-fill': kind,
    'data-feature': feature.properties.code }));
}

function mapSvg(s, data, breaks, palette) {
  return svg('svg', { class: 'map', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'group',
    'aria-label': t('map.label', { measure: measureLabel(s.measure, s.group), year: s.year }) },
  hatchDefs(),
  data.features.map(({ feature, unit }) => regionLink(s, feature, unit, fillOf(unit, breaks, palette))),
  svg('path', { class: 'focus-ring', d: '', 'aria-hidden': 'true' }));
}

function legend(s, breaks, palette, values) {
  const items = palette.map((colour, i) => {
    const low = i === 0 ? Math.min(...values) : breaks[i - 1];
    const high = i === palette.length - 1 ? Math.max(...values) : breaks[i];
    return h('li', {}, h('span', { class: 'swatch', style: `background:${colour}` }),
      `${formatNumber(low, s.measure.unit)} – ${formatNumber(high, s.measure.unit)}`);
  });
  const swatch = (cls, label) => h('li', {}, h('span', { class: `swatch ${cls}` }), label);
  return h('aside', { class: 'legend', 'aria-label': t('legend.title') },
    h('h3', {}, t('legend.title')),
    h('p', { class: 'small' }, t('legend.method', { k: palette.length }), ' · ',
      t('legend.unit', { unit: unitLabel(s.measure.unit) })),
    h('ul', {}, values.length ? items : null, swatch('hatched', t('legend.suppressed')),
      swatch('nodata', t('legend.nodata'))));
}

function byValue(a, b) {
  const va = hasValue(a.cell) ? a.cell.value : -Infinity;
  const vb = hasValue(b.cell) ? b.cell.value : -Infinity;
  return vb - va || a.code.localeCompare(b.code);
}

function table(s, units) {
  const rows = [...units].sort(byValue);
  const csvRows = rows.map((u) => [u.code, u.name[lang()], s.year, s.measure.id,
    s.group || '', hasValue(u.cell) ? u.cell.value : '', s.measure.unit, statusLabel(u.cell)]);
  const header = ['region_code', 'region_name', 'period', 'indicator', 'group', 'value', 'unit',
    'status'];
  const name = `migralink_${s.measure.id.replace(':', '-')}_${s.group || 'all'}_${s.year}_${s.level}.csv`;
  return h('section', { class: 'values', id: 'values', 'aria-labelledby': 'values-heading' },
    h('div', { class: 'section-head' },
      h('h3', { id: 'values-heading' }, t('table.heading', { measure: measureLabel(s.measure, s.group), year: s.year })),
      h('button', { type: 'button', class: 'csv', title: t('csv.help'),
        onclick: () => download(name, header, csvRows) }, t('csv.download'))),
    h('div', { class: 'table-scroll', tabindex: 0 }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['table.code', 'table.region', 'table.value', 'table.status']
        .map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, rows.map((u) => h('tr', { 'data-code': u.code },
        h('td', {}, u.code),
        h('th', { scope: 'row' }, h('a', { href: href('region', paramsOf(s), u.code) }, u.name[lang()])),
        h('td', { class: 'num', 'data-value': hasValue(u.cell) ? u.cell.value : '' },
          hasValue(u.cell) ? formatNumber(u.cell.value, s.measure.unit) : '—'),
        h('td', {}, statusLabel(u.cell))))))));
}

/** Draw the map view of settings `s` into `root`; `change(patch)` updates the settings. */
export async function renderMap(root, s, measures, change, current) {
  root.replaceChildren(h('h2', {}, t('map.heading')), measureControls(s, measures, change),
    h('p', { class: 'loading', role: 'status' }, t('loading')));
  const data = await mapData(s.measure, s.group, s.year, s.level);
  if (!current()) return;
  const values = data.units.filter((u) => hasValue(u.cell)).map((u) => u.cell.value);
  const breaks = quantileBreaks(values);
  const palette = colours(breaks);
  root.replaceChildren(
    h('h2', {}, t('map.heading')), measureControls(s, measures, change),
    h('a', { class: 'skip', href: '#values', onclick: (e) => { e.preventDefault();
      document.getElementById('values').querySelector('a, [tabindex]').focus(); } }, t('skip.table')),
    h('div', { class: 'map-layout' },
      h('figure', { class: 'map-figure' },
        data.units.some((u) => u.cell) ? null : h('p', { class: 'note', role: 'status' }, t('map.empty')),
        mapSvg(s, data, breaks, palette),
        h('figcaption', { class: 'small' }, t('map.help'), ' ', t('map.vintage', { vintage: data.vintage }))),
      legend(s, breaks, palette, values)),
    table(s, data.units));
}
