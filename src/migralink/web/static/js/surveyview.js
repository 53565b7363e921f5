// Survey estimates stored in the evidence base (migralink.survey.store): every dataset with
// a `reliability` dimension, its estimates with standard error and 95% confidence
// interval, and the KOSTAT flag beside each (relative standard error ≥ 25 %: marked with
// caution; ≥ 50 %: withheld — shown as "withheld", never as a number, and never as 0).
import { allRows, get } from './api.js';
import { h } from './dom.js';
import { locale, pick, t } from './i18n.js';

const MEASURES = ['value', 'se', 'ci_low', 'ci_high'];
const FLAGS = { ok: 'survey.flag.ok', caution: 'survey.flag.caution', withheld: 'survey.flag.withheld' };

function fmt(value) {
  if (value === null || value === undefined) return '';
  return new Intl.NumberFormat(locale(), { maximumSignificantDigits: 5 }).format(value);
}

function flagOf(reliability) {
  return FLAGS[reliability] ? t(FLAGS[reliability]) : String(reliability ?? '');
}

function row(r, domains, extra, key) {
  const withheld = r.reliability === 'withheld';
  const [se, low, high] = extra.map((m) => m.get(key(r)));
  const shown = (v) => (withheld ? '' : fmt(v));
  return h('tr', { 'data-reliability': r.reliability },
    ...domains.map((c) => h('th', { scope: 'row', 'data-col': c }, String(r[c] ?? ''))),
    h('td', { class: 'num', 'data-value': withheld || r.value === null ? '' : r.value },
      withheld ? t('survey.flag.withheld') : fmt(r.value)),
    h('td', { class: 'num' }, shown(se)),
    h('td', { class: 'num' }, withheld || low === undefined ? '' : `${fmt(low)} – ${fmt(high)}`),
    h('td', { class: `flag flag-${r.reliability}` }, flagOf(r.reliability)));
}

async function section(d) {
  const dims = d.dimensions.filter((c) => c !== 'period');
  const period = d.periods[d.periods.length - 1];
  const heading = h('h3', {}, `${pick(d, 'title')} (${period})`);
  let answers;
  try {
    answers = await Promise.all(MEASURES.map((measure) => allRows(
      `/datasets/${d.id}/observations`, { period, by: dims.join(','), measure })));
  } catch (error) {
    if (!(error.status >= 400 && error.status < 500)) throw error;
    return h('section', { 'data-dataset': d.id }, heading,
      h('p', { class: 'notice' }, t('survey.unavailable')));
  }
  const key = (r) => dims.map((c) => r[c]).join('\u0001');
  const extra = answers.slice(1).map((a) => new Map(a.rows.map((r) => [key(r), r.value])));
  const rows = answers[0].rows;
  // the nation alone is not a column worth reading
  const domains = dims.filter((c) => c !== 'reliability'
    && (c !== 'region' || new Set(rows.map((r) => r.region)).size > 1));
  const head = h('tr', {}, ...domains.map((c) => h('th', { scope: 'col' }, c)),
    h('th', { scope: 'col', class: 'num' }, t('survey.estimate')),
    h('th', { scope: 'col', class: 'num' }, t('survey.se')),
    h('th', { scope: 'col', class: 'num' }, t('survey.ci')),
    h('th', { scope: 'col' }, t('survey.reliability')));
  return h('section', { 'data-dataset': d.id }, heading,
    h('table', { class: 'data survey' }, h('thead', {}, head),
      h('tbody', {}, ...rows.map((r) => row(r, domains, extra, key)))),
    h('p', { class: 'source' }, t('survey.source', { publisher: d.publisher,
      version: d.version, sources: d.sources.join(', ') })));
}

/** The survey view: every stored survey estimate with its reliability flag. */
export async function renderSurveys(root, s, current) {
  const datasets = (await get('/datasets')).filter((d) => d.dimensions.includes('reliability'));
  const sections = await Promise.all(datasets.map(section));
  if (!current()) return;
  root.replaceChildren(h('h2', { tabindex: -1 }, t('survey.title')),
    h('p', {}, t('survey.intro')),
    ...(sections.length ? sections : [h('p', { class: 'notice' }, t('survey.none'))]));
}
