// The selectors shared by the map and the comparison: indicator, group, level and year.
// Only what the data hold is offered; what is not says why.
import { h } from './dom.js';
import { t } from './i18n.js';
import { groupLabel, latestYear, measureTitle } from './measures.js';

const LEVELS = ['sido', 'sigungu', 'gu'];

// What an address asked for, in the reader's words: a known level by its label, anything
// else as typed (cut short: it is the reader's own text, shown back as text)
function asTyped(text) {
  return `“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”`;
}

/** A level's label, or the unknown level as typed. */
export function levelName(level) {
  return LEVELS.includes(level) ? t(`level.${level}`) : asTyped(level);
}

/** Notices for an indicator or group the address asked for and the data do not have. */
export function askedNotices(s) {
  const out = [];
  if (s.missingMeasure) {
    out.push(t('notice.measure', { asked: asTyped(s.missingMeasure), measure: measureTitle(s.measure) }));
  }
  if (s.missingGroup) {
    out.push(t('notice.group', { asked: asTyped(s.missingGroup), measure: measureTitle(s.measure),
      group: groupLabel(s.measure, s.group) }));
  }
  return out.map((text) => h('p', { class: 'notice', role: 'status' }, text));
}

// A closed <select> fires "change" on every arrow key: apply a keyboard choice only on
// Enter or when leaving the control, so that arrowing through the list does not reload.
function select(id, label, options, value, onChange) {
  let pending = null;
  let keyed = false;
  const apply = () => { if (pending !== null && pending !== value) onChange(pending); pending = null; };
  return h('div', { class: 'control' },
    h('label', { for: id }, label),
    h('select', {
      id, disabled: options.length < 2,
      onkeydown: (e) => {
        keyed = e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End';
        if (e.key === 'Enter') { e.preventDefault(); apply(); }
      },
      onchange: (e) => { pending = e.target.value; if (!keyed) apply(); },
      onblur: apply,
    }, options.map(([code, text]) => h('option', { value: code, selected: code === value }, text))));
}

function levelControl(s, change) {
  const why = [];
  const radios = LEVELS.map((level) => {
    const has = Boolean(s.measure.levels[level]);
    if (!has) why.push(t(`level.${level}`));
    return h('label', { class: has ? 'radio' : 'radio disabled' },
      h('input', { type: 'radio', name: 'level', id: `level-${level}`, value: level,
        checked: level === s.level, disabled: !has, onchange: () => change({ level }) }),
      t(`level.${level}`));
  });
  return h('fieldset', { class: 'control' }, h('legend', {}, t('control.level')), radios,
    why.length ? h('p', { class: 'small why', id: 'level-why' },
      t('level.unavailable', { levels: why.join(', ') })) : null);
}

function yearControl(s, change) {
  const periods = s.periods;
  const index = Math.max(0, periods.indexOf(s.year));
  return h('div', { class: 'control year-control' },
    select('year', t('control.year'), [...periods].reverse().map((p) => [p, p]), s.year,
      (year) => change({ year })),
    periods.length > 1 ? h('input', {
      type: 'range', id: 'year-slider', min: 0, max: periods.length - 1, step: 1, value: index,
      'aria-label': t('control.slider'), 'aria-valuetext': s.year,
      onchange: (e) => change({ year: periods[Number(e.target.value)] }),
    }) : null);
}

/** Selectors for settings `s`; `withYear`/`withLevel` add the map's own selectors. */
export function measureControls(s, measures, change, { withYear = true, withLevel = true } = {}) {
  const options = measures.map((m) => {
    const level = m.levels.sigungu ? 'sigungu' : Object.keys(m.levels)[0];
    return [m.id, `${measureTitle(m)} (${t('menu.latest', { year: latestYear(m, level) })})`];
  });
  return h('form', { class: 'controls', onsubmit: (e) => e.preventDefault() },
    select('measure', t('control.measure'), options, s.measure.id,
      (id) => change({ measure: measures.find((m) => m.id === id) })),
    s.measure.groups.length ? select('group', t('control.group'),
      s.measure.groups.map((g) => [g.code, groupLabel(s.measure, g.code)]), s.group,
      (group) => change({ group })) : null,
    withLevel ? levelControl(s, change) : null,
    withYear ? yearControl(s, change) : null);
}
