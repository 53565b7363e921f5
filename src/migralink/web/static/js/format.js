// One units-aware formatter for the legend, tooltip, table, axes and CSV alike.
import { lang, locale, t, tOr } from './i18n.js';

/** Whether a cell must be shown as suppressed: withheld (null) or not free to publish. */
export function isSuppressed(cell) {
  return cell.value === null || cell.value === undefined
    || (cell.conf_status !== undefined && cell.conf_status !== null && cell.conf_status !== 'F');
}

// Decimals by unit: counts whole, percentages and ratios to one or two places.
const DIGITS = { persons: 0, percent: 1, per_mille: 1, 'males per 100 females': 1, index: 2 };

/** A plain number in the reader's locale (no unit): tables and axes put the unit in headers. */
const formats = new Map(); // making a NumberFormat costs far more than using one

export function formatNumber(value, unit, { signed = false } = {}) {
  const digits = DIGITS[unit] ?? 2;
  const key = `${locale()}|${digits}|${signed}`;
  if (!formats.has(key)) {
    formats.set(key, new Intl.NumberFormat(locale(), {
      maximumFractionDigits: digits, minimumFractionDigits: digits,
      signDisplay: signed ? 'exceptZero' : 'auto' }));
  }
  return formats.get(key).format(value);
}

/** The unit's short name in the reader's language: %, ‰, 명 / persons. */
export function unitLabel(unit) {
  return tOr(`unit.${unit}`, unit ?? '');
}

/** A value with its unit: "12.9%", "92,787명", "92,787 persons", "+3.2%", "1.25". */
export function formatValue(value, unit, options = {}) {
  const number = formatNumber(value, unit, options);
  if (unit === 'percent') return `${number}%`;
  if (unit === 'per_mille') return `${number}‰`;
  if (unit === 'index' || unit === 'ratio') return number;
  if (unit === 'persons') return lang() === 'ko' ? `${number}명` : `${number} ${t('unit.persons.long')}`;
  return `${number} ${unitLabel(unit)}`.trim();
}

/** A cell's value with its unit, or its status when there is no value to show. */
export function formatCell(cell, unit, options = {}) {
  if (!cell) return t('status.nodata');
  if (isSuppressed(cell)) return t('status.suppressed');
  return formatValue(cell.value, unit, options);
}

/** The status shown beside a value (OBS_STATUS, and CONF_STATUS when suppressed). */
export function statusLabel(cell) {
  if (!cell) return t('status.nodata');
  if (isSuppressed(cell)) return t('status.suppressed');
  const base = { E: 'status.estimated', P: 'status.provisional' }[cell.status];
  const label = base ? t(base) : t('status.published');
  return cell.note ? `${label} (${t(`note.${cell.note}`)})` : label;
}
