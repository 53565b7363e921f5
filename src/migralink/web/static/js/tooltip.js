// One tooltip for the page, placed beside the pointer or the focused region. It repeats
// what each region's aria-label already says, so screen readers do not need it.
function element() {
  return document.getElementById('tooltip');
}

export function showTooltip(lines, x, y) {
  const tip = element();
  tip.replaceChildren(...lines.map((line, i) => {
    const node = document.createElement(i === 0 ? 'strong' : 'span');
    node.textContent = line;
    return node;
  }));
  tip.hidden = false;
  const width = tip.offsetWidth;
  const left = Math.min(x + 14, window.innerWidth - width - 8);
  tip.style.left = `${Math.max(8, left) + window.scrollX}px`;
  tip.style.top = `${y + 14 + window.scrollY}px`;
}

export function hideTooltip() {
  element().hidden = true;
}
