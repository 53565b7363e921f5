// Start-up and routing: read the measures, then draw the view the address names.
import { h } from './dom.js';
import { initialLang, otherLang, setLang, t } from './i18n.js';
import { loadMeasures } from './measures.js';
import { renderCompare } from './compareview.js';
import { renderMap } from './mapview.js';
import { renderRegion } from './regionview.js';
import { href, paramsOf, parseHash, settings } from './route.js';
import { hideTooltip } from './tooltip.js';

let measures = [];
let drawn = 0; // increases with every render: a slower, older render must not overwrite a newer one

function change(patch) {
  const route = parseHash();
  const next = { ...settings(route.params, measures), ...patch };
  // another measure has other groups and years: keep them only where they still exist
  if (patch.measure) next.group = null;
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
  const s = settings(route.params, measures);
  const root = document.getElementById('view');
  hideTooltip();
  updateChrome(s, route.view);
  root.setAttribute('aria-busy', 'true');
  try {
    if (route.view === 'region' && route.code) await renderRegion(root, s, route.code, current);
    else if (route.view === 'compare') await renderCompare(root, s, measures, change, current);
    else await renderMap(root, s, measures, change, current);
  } catch (error) {
    if (current()) root.replaceChildren(h('p', { class: 'error', role: 'alert' }, `${t('error')}: ${error.message}`));
  }
  if (!current()) return;
  // keep the keyboard where it was (a control that was redrawn), else start at the heading
  const again = focused && document.getElementById(focused);
  if (again && again !== document.body) again.focus();
  else if (route.view !== 'map') root.querySelector('h2')?.focus();
  root.setAttribute('aria-busy', 'false');
}

async function start() {
  // the skip link moves the focus itself: "#view" in the address would be read as a route
  document.querySelector('a.skip[href="#view"]').addEventListener('click', (e) => {
    e.preventDefault();
    document.getElementById('view').focus();
  });
  document.getElementById('lang').addEventListener('click', async () => {
    await setLang(otherLang());
    render();
  });
  await setLang(initialLang());
  measures = await loadMeasures();
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true'; // for tests and screenshots: the first view is drawn
}

start();
