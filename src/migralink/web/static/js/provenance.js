// Where the numbers come from, in the reader's language: publisher, table, reference
// date and dataset version, under every map and chart, and as the CSV's first lines.
import { h } from './dom.js';
import { lang, pick, t } from './i18n.js';
import { datasetFacts, measureLabel } from './measures.js';

/** "매년 11월 1일 기준" / "as of 1 November each year", from the dataset's period day. */
export function referenceDate(facts) {
  const day = facts?.period_day;
  if (!day || !/^\d\d-\d\d$/.test(day)) return t('source.reference.period');
  const [month, date] = day.split('-').map(Number);
  const when = new Intl.DateTimeFormat(lang() === 'ko' ? 'ko-KR' : 'en-GB',
    { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, date)));
  return t('source.reference.day', { day: when });
}

function datasetsOf(measure) {
  return measure.sources.map(datasetFacts).filter(Boolean);
}

/** One line per dataset: "행정안전부, 지방자치단체 외국인주민 현황 · 매년 11월 1일 기준 · 자료 버전 1". */
export function sourceLines(measure) {
  return datasetsOf(measure).map((d) => t('source.line', {
    publisher: pick(d.publisher), title: pick(d, 'title'), reference: referenceDate(d),
    version: d.version, date: (d.created_at ?? '').slice(0, 10) }));
}

/** The block under a map or chart. */
export function provenance(measure) {
  return h('p', { class: 'provenance small', 'data-testid': 'provenance' },
    h('strong', {}, `${t('source.label')}: `),
    sourceLines(measure).flatMap((line, i) => (i ? [h('br'), line] : [line])));
}

/** The citation lines a CSV starts with (each "# "), and the indicator's definition. */
export function citation(measure, group, extra = '') {
  const lines = [
    t('csv.citation', { measure: measureLabel(measure, group), extra,
      url: window.location.href, date: new Date().toISOString().slice(0, 10) }),
    ...sourceLines(measure).map((line) => `${t('source.label')}: ${line}`),
  ];
  const definition = pick(measure, 'definition');
  if (definition) lines.push(`${t('source.definition')}: ${definition}`);
  lines.push(t('csv.units', { unit: measure.unit }));
  return lines.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}`);
}
