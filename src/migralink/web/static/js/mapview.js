// The map view: controls, notices, the choropleth (zoomable), its legend, its sources and
// the ranked, sortable table of what it shows.
import { classify, colourOf, NO_DATA } from './classify.js';
import { askedNotices, levelName, measureControls } from './controls.js';
import { downloadPng, downloadSvg } from './csv.js';
import { h, hatchDefs, svg } from './dom.js';
import { formatCell, formatValue, statusLabel, unitLabel } from './format.js';
import { lang, t } from './i18n.js';
import { latestYear, measureLabel, measureTitle, unitsInLevel } from './measures.js';
import { boxOf, featurePath, HEIGHT, WIDTH } from './projection.js';
import { provenance, sourceLines } from './provenance.js';
import { fullName } from './regions.js';
import { href, paramsOf } from './route.js';
import { valuesTable } from './table.js';
import { hasValue, mapData, ranks } from './values.js';
import { zoomable } from './mapzoom.js';
import { hideTooltip, showTooltip } from './tooltip.js';

const CAPITAL = ['11', '28', '41']; // Seoul, Incheon, Gyeonggi
let armed = null; // the region a first touch has shown (a second touch opens it)
let lastPointer = 'mouse';

function fillOf(cell, classes) {
  if (!cell) return NO_DATA;
  if (!hasValue(cell)) return 'url(#hatch)';
  return colourOf(cell.value, classes);
}

// The outline of the region under the pointer or the focus, drawn above its neighbours.
function ring(d) {
  document.querySelector('svg.map .focus-ring')?.setAttribute('d', d);
}

function unring() {
  if (armed) return; // a touched region keeps its value shown until the next touch
  hideTooltip();
  const focused = document.activeElement;
  ring(focused?.matches('a.region') ? focused.firstElementChild.getAttribute('d') : '');
}

function signed(s) {
  return s.measure.scale === 'diverging:0';
}

function regionLink(s, item, fill, rank) {
  const { feature, code, cell } = item;
  const name = fullName(code);
  const value = formatCell(cell, s.measure.unit, { signed: signed(s) });
  const tip = (extra) => [name, value, hasValue(cell) ? statusLabel(cell) : null,
    rank ? t('table.rank.of', { rank }) : null, extra].filter(Boolean);
  const kind = fill === NO_DATA ? 'nodata' : fill.startsWith('url') ? 'suppressed' : 'value';
  const at = (e) => { const b = e.currentTarget.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; };
  return svg('a', {
    href: href('region', paramsOf(s), code), class: 'region', 'data-code': code,
    'data-feature': feature.properties.code, 'aria-label': `${name}: ${value}`,
    onpointerdown: (e) => { lastPointer = e.pointerType; },
    onmousemove: (e) => { if (lastPointer === 'touch') return; ring(featurePath(feature)); showTooltip(tip(), e.clientX, e.clientY); },
    onmouseleave: unring,
    onblur: () => setTimeout(unring),
    onfocus: (e) => { if (lastPointer === 'touch') return; ring(featurePath(feature)); showTooltip(tip(), ...at(e)); },
    onclick: (e) => {
      if (lastPointer !== 'touch' || armed === code) { armed = null; return; }
      e.preventDefault(); // first touch: show the value; the second opens the page
      armed = code;
      ring(featurePath(feature));
      showTooltip(tip(t('map.tap.again')), ...at(e));
    },
  }, svg('path', { d: featurePath(feature), fill, 'data-fill': kind }));
}

function legend(s, classes) {
  const centre = s.measure.scale.startsWith('diverging') ? s.measure.scale.split(':')[1] : null;
  const fmt = (v) => formatValue(v, s.measure.unit, { signed: signed(s) });
  const items = classes.map((c) => h('li', { 'data-low': c.low, 'data-high': c.high },
    h('span', { class: 'swatch', style: `background:${c.colour}` }),
    c.low === c.high ? fmt(c.low) : `${fmt(c.low)} ~ ${fmt(c.high)}`));
  const swatch = (cls, label) => h('li', {}, h('span', { class: `swatch ${cls}` }), label);
  return h('aside', { class: 'legend', 'aria-labelledby': 'legend-heading', 'data-unit': unitLabel(s.measure.unit) },
    h('h3', { id: 'legend-heading' }, t('legend.title')),
    h('p', { class: 'small' }, centre === null ? t('legend.method', { k: classes.length })
      : t('legend.diverging', { centre: fmt(Number(centre)) }), ' · ',
    h('span', { class: 'legend-unit' }, t('legend.unit', { unit: unitLabel(s.measure.unit) }))),
    h('ul', {}, items, swatch('hatched', t('legend.suppressed')), swatch('nodata', t('legend.nodata'))));
}

function notices(s, covered, data) {
  const out = [];
  if (data.orphans.length) {
    out.push(t('notice.orphans', { names: data.orphans.map(fullName).join(', '), vintage: data.vintage }));
  }
  const latest = latestYear(s.measure, s.level);
  if (s.missingYear) {
    out.push(t('notice.year', { asked: s.missingYear, level: t(`level.${s.level}`), latest,
      years: s.periods.join(', ') }));
  }
  if (s.missingLevel) {
    out.push(t('notice.level', { asked: levelName(s.missingLevel), level: t(`level.${s.level}`) }));
  }
  const total = unitsInLevel(s.level, s.year);
  if (covered === 0) out.push(t('notice.empty'));
  else if (total && s.level !== 'gu' && covered < total * 0.5) {
    out.push(t('notice.coverage', { n: covered, total, level: t(`level.${s.level}`) }));
  }
  return [...askedNotices(s), ...out.map((text) => h('p', { class: 'notice', role: 'status' }, text))];
}

/** Draw the map view of settings `s` into `root`; `change(patch)` updates the settings. */
export async function renderMap(root, s, measures, change, current) {
  const heading = () => h('h2', { id: 'map-title' }, measureLabel(s.measure, s.group), ' ',
    h('span', { class: 'badge', 'data-testid': 'latest' }, t('map.latest', {
      level: t(`level.${s.level}`), year: latestYear(s.measure, s.level) })));
  root.replaceChildren(heading(), measureControls(s, measures, change),
    h('p', { class: 'loading', role: 'status' }, t('loading')));
  const data = await mapData(s.measure, s.group, s.year, s.level);
  if (!current()) return;
  if (!performance.getEntriesByName('map-data').length) performance.mark('map-data'); // bench/web.py
  const withValue = [...data.units].filter(([, c]) => hasValue(c));
  const classes = classify(withValue.map(([, c]) => c.value), s.measure.scale);
  const rankOf = ranks(data.units);
  const map = svg('svg', { class: 'map', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'group', tabindex: 0,
    id: 'map', 'aria-label': t('map.label', { measure: measureLabel(s.measure, s.group), year: s.year }),
    'aria-describedby': 'map-help' },
  hatchDefs(),
  data.features.map((item) => regionLink(s, item, fillOf(item.cell, classes), rankOf.get(item.code))),
  svg('path', { class: 'focus-ring', d: '', 'aria-hidden': 'true' }));
  const caption = `${measureLabel(s.measure, s.group)}, ${s.year} · ${sourceLines(s.measure).join(' · ')}`;
  const file = `migralink_${s.measure.id.replace(':', '-')}_${s.group || 'all'}_${s.year}_${s.level}`;
  const zoom = zoomable(map, [0, 0, WIDTH, HEIGHT], {
    onCapital: () => change({ focus: 'capital' }), onReset: () => { if (s.focus) change({ focus: '' }); } });
  root.replaceChildren(
    heading(), ...notices(s, withValue.length + [...data.units.values()].filter((c) => c && !hasValue(c)).length, data),
    measureControls(s, measures, change),
    h('a', { class: 'skip', href: '#values', onclick: (e) => { e.preventDefault();
      document.getElementById('values').querySelector('button, a, [tabindex]').focus(); } }, t('skip.table')),
    h('div', { class: 'map-layout' },
      h('figure', { class: 'map-figure' },
        zoom.controls, map,
        h('figcaption', {},
          h('p', { class: 'small', id: 'map-help' }, t('map.help'), ' ', t('map.zoom.help'), ' ',
            t('map.vintage', { vintage: data.vintage })),
          provenance(s.measure),
          h('p', { class: 'downloads' },
            h('button', { type: 'button', id: 'map-png', onclick: () => downloadPng(`${file}.png`, map, caption) }, t('download.png')),
            ' ', h('button', { type: 'button', id: 'map-svg', onclick: () => downloadSvg(`${file}.svg`, map, caption) }, t('download.svg'))))),
      legend(s, classes)),
    h('section', { class: 'values', id: 'values' }));
  // the capital region's box, once drawn; a measure covering few units opens on them
  // Ongjin's islands (28720) lie far west and north: the box holds the mainland
  const capital = boxOf(data.features.map((f) => f.feature).filter((f) => {
    const c = f.properties.code;
    return CAPITAL.includes(c.slice(0, 2)) && c !== '28720';
  }), 0.02);
  const total = unitsInLevel(s.level, s.year);
  const coveredCodes = new Set([...data.units].filter(([, c]) => c).map(([code]) => code));
  if (s.focus === 'capital') zoom.focus(capital);
  else if (total && coveredCodes.size && coveredCodes.size < total * 0.5) {
    zoom.focus(boxOf(data.features.filter((f) => coveredCodes.has(f.code)).map((f) => f.feature), 0.3));
  }
  armed = null;
  // the map first; its table (a few hundred rows) once the map can be painted
  if (!performance.getEntriesByName('map-drawn').length) performance.mark('map-drawn'); // bench/web.py
  await new Promise((resolve) => { setTimeout(resolve, 0); });
  if (!current()) return;
  document.getElementById('values').replaceWith(valuesTable(s, data.units, rankOf, change));
  document.title = `${measureTitle(s.measure)} · ${s.year} · ${t('app.title')}`;
  void lang;
}
