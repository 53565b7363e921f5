// The selectors shared by the map and the comparison: indicator, group, year and level.
import { h } from './dom.js';
import { t } from './i18n.js';
import { groupLabel, measureTitle } from './measures.js';

function select(id, label, options, value, onChange) {
  return h('div', { class: 'control' },
    h('label', { for: id }, label),
    h('select', { id, onchange: (e) => onChange(e.target.value), disabled: options.length < 2 },
      options.map(([code, text]) => h('option', { value: code, selected: code === value }, text))));
}

/** Selectors for settings `s`; `withYear`/`withLevel` add the map's own selectors. */
export function measureControls(s, measures, change, { withYear = true, withLevel = true } = {}) {
  const levels = ['sido', 'sigungu'].map((level) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: 'level', id: `level-${level}`, value: level,
      checked: level === s.level, onchange: () => change({ level }) }), t(`level.${level}`)));
  return h('form', { class: 'controls', onsubmit: (e) => e.preventDefault() },
    select('measure', t('control.measure'), measures.map((m) => [m.id, measureTitle(m)]),
      s.measure.id, (id) => change({ measure: measures.find((m) => m.id === id) })),
    select('group', t('control.group'),
      s.measure.groups.map((g) => [g.code, groupLabel(s.measure, g.code)]), s.group,
      (group) => change({ group })),
    withYear ? select('year', t('control.year'),
      [...s.measure.periods].reverse().map((p) => [p, p]), s.year, (year) => change({ year })) : null,
    withLevel ? h('fieldset', { class: 'control' }, h('legend', {}, t('control.level')), levels) : null);
}
