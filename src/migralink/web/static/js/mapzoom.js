// Zoom and pan for the map (mouse wheel and drag, touch drag and pinch, keyboard, buttons),
// by moving the SVG's viewBox; borders keep their width (non-scaling strokes).
import { h } from './dom.js';
import { t } from './i18n.js';

const MIN_WIDTH = 40; // the closest zoom, in map units (the whole country is 800 wide)

/**
 * Make `map` (an <svg>) zoomable. `onCapital` and `onReset` are called by their buttons.
 * Returns the buttons to place beside it and `focus(box)`.
 */
export function zoomable(map, full, { onCapital, onReset, onView } = {}) {
  let view = [...full];
  const set = (next) => {
    // keep the map's proportions: the box is widened or heightened around its centre
    const want = Math.max(next[2], (next[3] * full[2]) / full[3]);
    const w = Math.max(MIN_WIDTH, Math.min(full[2], want));
    const hgt = (w * full[3]) / full[2];
    const cx = next[0] + next[2] / 2; const cy = next[1] + next[3] / 2;
    const x = Math.min(Math.max(cx - w / 2, full[0] - w / 2), full[0] + full[2] - w / 2);
    const y = Math.min(Math.max(cy - hgt / 2, full[1] - hgt / 2), full[1] + full[3] - hgt / 2);
    view = [x, y, w, hgt];
    map.setAttribute('viewBox', view.map((v) => v.toFixed(1)).join(' '));
    map.dataset.zoom = (full[2] / w).toFixed(2);
    onView?.(view);
  };
  const zoomAt = (factor, cx = view[0] + view[2] / 2, cy = view[1] + view[3] / 2) => {
    const w = view[2] / factor; const hgt = view[3] / factor;
    set([cx - ((cx - view[0]) / view[2]) * w, cy - ((cy - view[1]) / view[3]) * hgt, w, hgt]);
  };
  const toMap = (clientX, clientY) => {
    const box = map.getBoundingClientRect();
    return [view[0] + ((clientX - box.left) / box.width) * view[2],
      view[1] + ((clientY - box.top) / box.height) * view[3]];
  };
  map.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoomAt(e.deltaY < 0 ? 1.25 : 0.8, ...toMap(e.clientX, e.clientY));
  }, { passive: false });
  const pointers = new Map();
  let moved = 0;
  map.addEventListener('pointerdown', (e) => {
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    moved = 0;
  });
  map.addEventListener('pointermove', (e) => {
    if (!pointers.has(e.pointerId)) return;
    const [px, py] = pointers.get(e.pointerId);
    const box = map.getBoundingClientRect();
    if (pointers.size === 2) { // pinch: zoom by the change of the fingers' distance
      const [a, b] = [...pointers.values()];
      const before = Math.hypot(a[0] - b[0], a[1] - b[1]);
      pointers.set(e.pointerId, [e.clientX, e.clientY]);
      const [c, d] = [...pointers.values()];
      const after = Math.hypot(c[0] - d[0], c[1] - d[1]);
      if (before > 0) zoomAt(after / before, ...toMap((c[0] + d[0]) / 2, (c[1] + d[1]) / 2));
      moved += 10;
      return;
    }
    const dx = e.clientX - px; const dy = e.clientY - py;
    moved += Math.abs(dx) + Math.abs(dy);
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (moved > 4 && (e.buttons || e.pointerType === 'touch')) {
      set([view[0] - (dx / box.width) * view[2], view[1] - (dy / box.height) * view[3], view[2], view[3]]);
    }
  });
  const up = (e) => pointers.delete(e.pointerId);
  map.addEventListener('pointerup', up);
  map.addEventListener('pointercancel', up);
  // a drag is not a click on the region under the pointer
  map.addEventListener('click', (e) => { if (moved > 8) { e.preventDefault(); e.stopPropagation(); } }, true);
  map.addEventListener('keydown', (e) => {
    const step = view[2] / 8;
    const keys = { '+': () => zoomAt(1.5), '=': () => zoomAt(1.5), '-': () => zoomAt(1 / 1.5),
      0: () => set(full), ArrowLeft: () => set([view[0] - step, view[1], view[2], view[3]]),
      ArrowRight: () => set([view[0] + step, view[1], view[2], view[3]]),
      ArrowUp: () => set([view[0], view[1] - step, view[2], view[3]]),
      ArrowDown: () => set([view[0], view[1] + step, view[2], view[3]]) };
    // arrows pan only when the map itself has the focus (on a region, Tab moves on)
    if (keys[e.key] && (e.target === map || !e.key.startsWith('Arrow'))) { e.preventDefault(); keys[e.key](); }
  });
  const button = (id, label, action) => h('button', { type: 'button', id, onclick: action }, label);
  return {
    controls: h('div', { class: 'zoom', role: 'group', 'aria-label': t('zoom.label') },
      button('zoom-in', '+', () => zoomAt(1.5)), button('zoom-out', '−', () => zoomAt(1 / 1.5)),
      button('zoom-capital', t('zoom.capital'), () => onCapital?.()),
      button('zoom-reset', t('zoom.reset'), () => { set(full); onReset?.(); })),
    focus: (box) => set(box),
  };
}
