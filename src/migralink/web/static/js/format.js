import { lang, locale, t, tOr } from './i18n.js';

/** Whether a cell must be shown as suppressed: withheld (null) or not free to publish. */
export function isSuppressed(cell) {
  return cell.value === null || cell.value === undefined
    || (cell.conf_status !== undefined && cell.conf_status !== null && cell.conf_status !== 'F');
}

/** A number as the reader expects it; counts without decimals. */
export function formatNumber(value, unit) {
  const digits = unit === 'persons' ? 0 : 2;
  return new Intl.NumberFormat(locale(), {
    maximumFractionDigits: digits, minimumFractionDigits: digits,
  }).format(value);
}

export function unitLabel(unit) {
  return tOr(`unit.${unit}`, unit ?? '');
}

/** A cell's value with its unit, or its status when there is no value to show. */
export function formatCell(cell, unit) {
  if (!cell) return t('status.nodata');
  if (isSuppressed(cell)) return t('status.suppressed');
  const number = formatNumber(cell.value, unit);
  if (unit === 'percent') return `${number}%`;
  if (unit === 'index') return number;
  // Korean writes the counter word straight after the number: 720,090명
  return unit === 'persons' && lang() === 'ko' ? `${number}${unitLabel(unit)}` : `${number} ${unitLabel(unit)}`.trim();
}

/** The status shown beside a value (OBS_STATUS, and CONF_STATUS when suppressed). */
export function statusLabel(cell) {
  if (!cell) return t('status.nodata');
  if (isSuppressed(cell)) return t('status.suppressed');
  const base = { E: 'status.estimated', P: 'status.provisional' }[cell.status];
  const label = base ? t(base) : t('status.published');
  return cell.note ? `${label} (${t(`note.${cell.note}`)})` : label;
}
