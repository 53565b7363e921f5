// Every label of the page comes from i18n/<lang>.json, so that the two languages stay in
// step: a key missing from one file shows as the key itself, which a test would catch.
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

export function initialLang() {
  const saved = window.localStorage.getItem(STORE_KEY);
  return LANGS.includes(saved) ? saved : 'ko';
}

export async function setLang(next) {
  const response = await fetch(`i18n/${next}.json`);
  strings = await response.json();
  current = next;
  window.localStorage.setItem(STORE_KEY, next);
  document.documentElement.lang = next;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n);
  }
  document.title = t('app.title');
}

export function otherLang() {
  return current === 'ko' ? 'en' : 'ko';
}

/** The label of `key` with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** The label of `key` if the strings file has one, else `fallback`. */
export function tOr(key, fallback) {
  return key in strings ? t(key) : fallback;
}

/** The Korean or English member of an object such as {name_ko, name_en}. */
export function pick(obj, base) {
  return obj[`${base}_${current}`] ?? obj[`${base}_ko`] ?? obj[base] ?? '';
}
