// Small SVG charts: a line chart of a trend and a horizontal bar chart. Suppressed
// values break the line and are drawn hatched, never as zero.
import { downloadPng, downloadSvg } from './csv.js';
import { h, hatchDefs, svg } from './dom.js';
import { formatNumber, formatValue, unitLabel } from './format.js';
import { t } from './i18n.js';
import { provenance, sourceLines } from './provenance.js';
import { hasValue } from './values.js';

export const SERIES_COLOURS = ['#2c7fb8', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e'];
// Lines differ by dash and marker too, not by colour only.
export const SERIES_DASHES = ['', '8 4', '2 3', '10 3 2 3', '4 4', '1 2'];
const MARKERS = ['circle', 'square', 'diamond', 'triangle', 'circle', 'square'];

function marker(k, x, y, colour, title) {
  const kind = MARKERS[k % MARKERS.length];
  const attrs = { fill: colour, stroke: '#ffffff', 'stroke-width': 1 };
  const shape = kind === 'circle' ? svg('circle', { cx: x, cy: y, r: 4, ...attrs })
    : kind === 'square' ? svg('rect', { x: x - 4, y: y - 4, width: 8, height: 8, ...attrs })
      : svg('path', { d: kind === 'diamond' ? `M${x},${y - 5}L${x + 5},${y}L${x},${y + 5}L${x - 5},${y}Z`
        : `M${x},${y - 5}L${x + 5},${y + 4}L${x - 5},${y + 4}Z`, ...attrs });
  shape.append(svg('title', {}, title));
  return shape;
}

/**
 * A chart's section: heading, downloads (CSV, PNG, SVG), the chart, its sources, and a
 * table holding the same values (the chart's text alternative).
 */
export function chartBlock(id, title, chart, measure, csv, alternative) {
  const file = `migralink_${id}`;
  const caption = `${title} · ${sourceLines(measure).join(' · ')}`;
  return h('section', { class: `chart-block ${id}`, 'aria-labelledby': `${id}-heading` },
    h('div', { class: 'section-head' }, h('h3', { id: `${id}-heading` }, title),
      h('p', { class: 'downloads' },
        csv ? h('button', { type: 'button', class: 'csv', id: `${id}-csv`, onclick: csv }, t('csv.download')) : null, ' ',
        h('button', { type: 'button', id: `${id}-png`, onclick: () => downloadPng(`${file}.png`, chart, caption) }, t('download.png')), ' ',
        h('button', { type: 'button', id: `${id}-svg`, onclick: () => downloadSvg(`${file}.svg`, chart, caption) }, t('download.svg')))),
    chart, provenance(measure), alternative ?? null);
}

// The drawing's width follows the page's, so that 12-unit text stays about 12 px.
function chartWidth() {
  return Math.round(Math.min(640, Math.max(300, document.getElementById('view').clientWidth - 32)));
}

function niceTicks(low, high, count = 4) {
  const span = high - low || Math.abs(high) || 1;
  const step0 = span / count;
  const power = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= step0);
  const ticks = [Math.floor(low / step) * step];
  while (ticks.at(-1) < high) ticks.push(ticks.at(-1) + step); // the top tick is above every value
  return ticks;
}

/** A line chart of several series [{label, cells: Map(period → cell)}] over `periods`. */
export function lineChart(series, periods, unit, label) {
  const W = chartWidth(); const H = 260; const M = { l: 70, r: 24, t: 22, b: 28 };
  const values = series.flatMap((s) => [...s.cells.values()].filter(hasValue).map((c) => c.value));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(...values, 0));
  const y0 = ticks[0]; const y1 = ticks.at(-1);
  const x = (i) => M.l + (periods.length < 2 ? 0.5 : i / (periods.length - 1)) * (W - M.l - M.r);
  const y = (v) => H - M.b - ((v - y0) / (y1 - y0 || 1)) * (H - M.t - M.b);
  const grid = ticks.map((v) => svg('g', { class: 'tick' },
    svg('line', { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v) }),
    svg('text', { x: M.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, formatNumber(v, unit))));
  const axisTitle = svg('text', { x: 4, y: M.t - 2, class: 'axis-unit' }, unitLabel(unit));
  const xLabels = periods.map((p, i) => svg('text', { x: x(i), y: H - 8, 'text-anchor': 'middle' }, p));
  const lines = series.map((s, k) => {
    const colour = SERIES_COLOURS[k % SERIES_COLOURS.length];
    let d = ''; let pen = 'M';
    const marks = periods.map((p, i) => {
      const cell = s.cells.get(p);
      if (!cell) { pen = 'M'; return null; }
      if (!hasValue(cell)) {
        pen = 'M';
        return svg('rect', { x: x(i) - 5, y: H - M.b - 10, width: 10, height: 10,
          fill: 'url(#hatch-chart)', stroke: colour, class: 'suppressed' });
      }
      d += `${pen}${x(i).toFixed(1)},${y(cell.value).toFixed(1)}`;
      pen = 'L';
      return marker(k, x(i), y(cell.value), colour, `${s.label} ${p}: ${formatValue(cell.value, unit)}`);
    });
    return svg('g', { class: 'series' }, svg('path', { d, fill: 'none', stroke: colour,
      'stroke-width': 2.5, 'stroke-dasharray': SERIES_DASHES[k % SERIES_DASHES.length] || undefined }), marks);
  });
  return svg('svg', { class: 'chart line-chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': label }, hatchDefs('hatch-chart'), axisTitle, grid, xLabels, lines);
}

/** Horizontal bars [{label, cell, highlight}] (values of one unit). */
export function barChart(items, unit, label) {
  const W = chartWidth(); const row = 24;
  const labelW = W < 480 ? 120 : 190; const valueW = W < 480 ? 135 : 160;
  const H = items.length * row + 8;
  const max = Math.max(...items.filter((i) => hasValue(i.cell)).map((i) => i.cell.value), 0) || 1;
  const width = (v) => (Math.max(v, 0) / max) * (W - labelW - valueW);
  const bars = items.map((item, i) => {
    const top = 4 + i * row;
    const ok = hasValue(item.cell);
    return svg('g', { class: item.highlight ? 'bar highlight' : 'bar' },
      svg('text', { x: labelW - 8, y: top + 16, 'text-anchor': 'end' }, item.label),
      svg('rect', { x: labelW, y: top + 3, height: row - 8,
        width: ok ? width(item.cell.value) : 24, fill: ok ? undefined : 'url(#hatch-bar)' }),
      svg('text', { x: labelW + (ok ? width(item.cell.value) : 24) + 6, y: top + 16, class: 'value' },
        item.text));
  });
  return svg('svg', { class: 'chart bar-chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': label }, hatchDefs('hatch-bar'), bars);
}
