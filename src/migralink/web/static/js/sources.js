// "Definitions and sources": what a measure means and where its numbers come from, in the
// reader's language: publisher, table, reference date, version, and every source file
// with its sha256. The publishers' own notes are in English and marked as such.
import { get } from './api.js';
import { h } from './dom.js';
import { lang, pick, t } from './i18n.js';
import { datasetFacts } from './measures.js';
import { referenceDate } from './provenance.js';

function entry(label, value) {
  return value ? [h('dt', {}, label), h('dd', {}, value)] : [];
}

// A mapping's source_url is text anyone with a mapping can write: only a web address is a
// link (a `javascript:` one would run in this page when followed); anything else is text.
function sourceAddress(text) {
  if (!text) return null;
  return /^https?:[/][/]/i.test(text) ? h('a', { href: text, rel: 'noopener noreferrer' }, text)
    : h('span', { class: 'url' }, text);
}

function definition(measure) {
  if (!measure.definition_ko) return null;
  return h('dl', { class: 'facts' },
    entry(t('source.definition'), pick(measure, 'definition')),
    entry(t('source.caveats'), pick(measure, 'caveats')),
    entry(t('source.formula'), measure.formula ? h('code', {}, measure.formula) : null));
}

function dataset(facts, detail) {
  const files = detail.sources.filter((f) => f.version === undefined || f.version <= detail.version)
    .map((f) => h('li', {}, h('code', {}, f.file_name), ' ',
      h('span', { class: 'sha' }, `sha256 ${f.sha256}`)));
  return h('article', { class: 'source', 'data-dataset': facts.id },
    h('h4', {}, pick(facts, 'title')),
    h('dl', { class: 'facts' },
      entry(t('source.publisher'), pick(facts.publisher)),
      entry(t('source.reference'), referenceDate(facts)),
      entry(t('source.version'), t('source.version.value', { version: facts.version,
        date: (facts.created_at ?? '').slice(0, 10) })),
      entry(t('source.licence'), facts.licence ? h('span', { lang: /[가-힣]/.test(facts.licence) ? 'ko' : 'en' }, facts.licence) : null),
      entry(t('source.url'), sourceAddress(facts.source_url)),
      entry(t('source.notes'), facts.notes ? (lang() === 'en' ? facts.notes
        : h('details', {}, h('summary', {}, t('source.notes.english')), h('p', { lang: 'en' }, facts.notes))) : null),
      entry(t('source.files'), h('ul', {}, files))));
}

/** The definitions of `measure` and the provenance of every dataset it cites. */
export async function sourcesSection(measure) {
  const ids = measure.sources.filter((id) => datasetFacts(id));
  const details = await Promise.all(ids.map((id) => get(`/datasets/${id}`)));
  return h('section', { class: 'sources', 'aria-labelledby': 'sources-heading' },
    h('h3', { id: 'sources-heading' }, t('region.sources')),
    definition(measure), ids.map((id, i) => dataset(datasetFacts(id), details[i])));
}
