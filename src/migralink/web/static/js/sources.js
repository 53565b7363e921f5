// "Definitions and sources": what a measure means and where its numbers come from, with
// the dataset versions and the sha256 of the files they were read from.
import { get } from './api.js';
import { h } from './dom.js';
import { pick, t } from './i18n.js';

function entry(label, value) {
  return value ? [h('dt', {}, label), h('dd', {}, value)] : [];
}

function definition(measure) {
  const row = measure.catalogue;
  if (!row) return null;
  return h('dl', { class: 'facts' },
    entry(t('source.definition'), pick(row, 'definition')),
    entry(t('source.caveats'), pick(row, 'caveats')),
    entry(t('source.formula'), [row.numerator, row.denominator].filter(Boolean).join(' / ')),
    entry('GCM / SDG', [row.gcm && `GCM ${row.gcm}`, row.sdg && `SDG ${row.sdg}`]
      .filter(Boolean).join(' · ')));
}

function dataset(detail) {
  const version = detail.versions.find((v) => v.version === detail.version) ?? {};
  const files = detail.sources.filter((f) => f.version === undefined || f.version <= detail.version)
    .map((f) => h('li', {}, h('code', {}, f.file_name), ' ',
    h('span', { class: 'sha' }, `sha256 ${f.sha256}`)));
  return h('article', { class: 'source', 'data-dataset': detail.id },
    h('h4', {}, pick(detail, 'title')),
    h('dl', { class: 'facts' },
      entry(t('source.unit'), detail.unit),
      entry(t('source.reference'), detail.reference_date),
      entry(t('source.notes'), detail.notes),
      entry(t('source.publisher'), detail.publisher),
      entry(t('source.licence'), detail.licence),
      entry(t('source.url'), detail.source_url
        ? h('a', { href: detail.source_url, rel: 'noopener noreferrer' }, detail.source_url) : null),
      entry(t('source.version'), String(detail.version)),
      entry(t('source.sha256'), h('span', { class: 'sha' }, version.source_sha256)),
      entry(t('source.files'), h('ul', {}, files))));
}

/** The definitions of `measure` and the provenance of every dataset in `ids`. */
export async function sourcesSection(measure, ids) {
  const details = await Promise.all([...new Set(ids)].map((id) => get(`/datasets/${id}`)));
  return h('section', { class: 'sources', 'aria-labelledby': 'sources-heading' },
    h('h3', { id: 'sources-heading' }, t('region.sources')),
    definition(measure), details.map(dataset));
}
