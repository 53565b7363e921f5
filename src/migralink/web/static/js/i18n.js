// Every label of the page comes from i18n/<lang>.json, so that the two languages stay in
// step: a key missing from one file shows as the key itself, which a test would catch.
// The language is part of the address (`lang=en`), so a shared link opens in it.
const LANGS = ['ko', 'en'];
const STORE_KEY = 'migralink.lang';
let current = 'ko';
let strings = {};

export function lang() {
  return current;
}

export function locale() {
  return current === 'ko' ? 'ko-KR' : 'en-GB';
}

/** The address's language, else the one last chosen here, else Korean. */
export function initialLang(params) {
  const asked = params?.get('lang');
  if (LANGS.includes(asked)) return asked;
  const saved = window.localStorage.getItem(STORE_KEY);
  return LANGS.includes(saved) ? saved : 'ko';
}

export async function setLang(next) {
  if (next === current && Object.keys(strings).length) return;
  // the bundle carries both languages' strings; the modules as they are fetch them
  strings = globalThis.MIGRALINK_STRINGS?.[next] ?? await (await fetch(`i18n/${next}.json`)).json();
  current = next;
  window.localStorage.setItem(STORE_KEY, next);
  document.documentElement.lang = next;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  }
  document.title = t('app.title');
}

export function otherLang() {
  return current === 'ko' ? 'en' : 'ko';
}

/** The label of `key` with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = strings[key] ?? key;
  // "{year}년" reads well for 2019 but not for 2017-Q1 or 2015/2019: no 년 after those
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''))
    .replace(/(\d{4}(?:-Q\d|-\d\d|\/\d{4}))년/g, '$1');
}

/** The label of `key` if the strings file has one, else `fallback`. */
export function tOr(key, fallback) {
  return key in strings ? t(key) : fallback;
}

/** The Korean or English member of an object such as {name_ko, name_en} or {ko, en}. */
export function pick(obj, base) {
  if (!obj) return '';
  if (base === undefined) return obj[current] ?? obj.ko ?? '';
  return obj[`${base}_${current}`] ?? obj[`${base}_ko`] ?? obj[base] ?? '';
}
