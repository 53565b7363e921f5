// Start-up and routing: read the menu and the region names (two requests), then draw the
// view the address names. The language is part of the address.
import { h } from './dom.js';
import { initialLang, otherLang, setLang, t } from './i18n.js';
import { loadMeasures } from './measures.js';
import { loadRegions } from './regions.js';
import { renderCompare } from './compareview.js';
import { renderMap } from './mapview.js';
import { renderRegion } from './regionview.js';
import { href, paramsOf, parseHash, settings } from './route.js';
import { searchBox } from './search.js';
import { setMeasures } from './similar.js';
import { renderSurveys } from './surveyview.js';
import { hideTooltip } from './tooltip.js';

let measures = [];
let drawn = 0; // increases with every render: a slower, older render must not overwrite a newer one

function change(patch) {
  const route = parseHash();
  const next = { ...settings(route.params, measures), ...patch };
  // another measure has other groups and years: the year and group never carry over
  if (patch.measure) { next.group = null; next.year = null; }
  if (patch.level && !patch.year) next.year = settings(route.params, measures).year;
  window.location.hash = href(route.view, paramsOf(next), route.code);
}

function updateChrome(s, view) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.href = href(link.dataset.nav, paramsOf(s));
    if (link.dataset.nav === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const button = document.getElementById('lang');
  button.textContent = t('lang.other');
  button.setAttribute('lang', otherLang());
  button.setAttribute('aria-label', t('lang.switch'));
}

async function render() {
  const mine = ++drawn;
  const current = () => mine === drawn;
  const focused = document.activeElement?.id;
  const route = parseHash();
  await setLang(initialLang(route.params));
  const s = settings(route.params, measures);
  const root = document.getElementById('view');
  hideTooltip();
  updateChrome(s, route.view);
  if (document.getElementById('search-slot').dataset.lang !== document.documentElement.lang) {
    const slot = document.getElementById('search-slot');
    slot.dataset.lang = document.documentElement.lang;
    slot.replaceChildren(searchBox((code) => {
      window.location.hash = href('region', paramsOf(settings(parseHash().params, measures)), code);
    }));
  }
  root.setAttribute('aria-busy', 'true');
  try {
    if (route.view === 'region' && route.code) await renderRegion(root, s, route.code, current);
    else if (route.view === 'compare') await renderCompare(root, s, measures, change, current);
    else if (route.view === 'surveys') await renderSurveys(root, s, current);
    else await renderMap(root, s, measures, change, current);
  } catch (error) {
    // never a raw message: say what failed and how to go on
    console.error(error);
    if (current()) {
      root.replaceChildren(h('h2', { tabindex: -1 }, t('error')),
        h('p', { class: 'notice', role: 'alert' }, t('error.help')),
        h('p', {}, h('a', { href: '#/map' }, t('error.home'))));
    }
  }
  if (!current()) return;
  // keep the keyboard where it was (a control that was redrawn), else start at the heading
  const again = focused && document.getElementById(focused);
  if (again && again !== document.body) again.focus();
  else if (route.view !== 'map') root.querySelector('h2')?.focus();
  root.setAttribute('aria-busy', 'false');
  root.dataset.rendered = String(mine);
  // for bench/web.py: when the first view of each kind was drawn
  if (!performance.getEntriesByName(`${route.view}-drawn`).length) performance.mark(`${route.view}-drawn`);
}

async function start() {
  // the skip link moves the focus itself: "#view" in the address would be read as a route
  document.querySelector('a.skip[href="#view"]').addEventListener('click', (e) => {
    e.preventDefault();
    document.getElementById('view').focus();
  });
  document.getElementById('lang').addEventListener('click', () => {
    const route = parseHash();
    route.params.set('lang', otherLang());
    window.location.hash = href(route.view, Object.fromEntries(route.params), route.code);
  });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') hideTooltip(); });
  [, measures] = await Promise.all([setLang(initialLang(parseHash().params)), loadMeasures(),
    loadRegions()]);
  setMeasures(measures);
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true'; // for tests and screenshots: the first view is drawn
}

start();
