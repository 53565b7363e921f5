// Find a region by name, in Korean or English: the list shows full names, so that the
// six 중구 (Seoul, Busan, Daegu, Incheon, Daejeon, Ulsan) can be told apart.
import { h } from './dom.js';
import { t } from './i18n.js';
import { searchRegions } from './regions.js';

/** A combobox; `open(code)` is called with the chosen region. */
export function searchBox(open, id = 'search') {
  let results = [];
  let active = -1;
  const list = h('ul', { id: `${id}-results`, role: 'listbox', class: 'search-results', hidden: true });
  const input = h('input', { id, type: 'search', role: 'combobox', autocomplete: 'off',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': `${id}-results`,
    'data-i18n-placeholder': 'search.placeholder', placeholder: t('search.placeholder') });
  const choose = (i) => {
    const hit = results[i];
    if (!hit) return;
    input.value = '';
    close();
    open(hit.code);
  };
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }
  function draw() {
    list.replaceChildren(...results.map((r, i) => h('li', {
      id: `${id}-${r.code}`, role: 'option', 'aria-selected': String(i === active),
      'data-code': r.code, onmousedown: (e) => { e.preventDefault(); choose(i); },
    }, r.name, ' ', h('span', { class: 'small' }, `${t(`level.one.${r.level}`)}${r.current ? '' : ` · ${t('search.former')}`}`))));
    list.hidden = !results.length;
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${id}-${results[active].code}`);
  }
  input.addEventListener('input', () => { results = searchRegions(input.value); active = results.length ? 0 : -1; draw(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && results.length) { active = (active + 1) % results.length; draw(); e.preventDefault(); }
    if (e.key === 'ArrowUp' && results.length) { active = (active - 1 + results.length) % results.length; draw(); e.preventDefault(); }
    if (e.key === 'Enter') { e.preventDefault(); choose(active); }
    if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  return h('div', { class: 'search', role: 'search', 'aria-label': id === 'search' ? t('search.label') : t('compare.choose') },
    h('label', { for: id, class: 'visually-hidden' }, t('search.label')),
    input, list);
}
