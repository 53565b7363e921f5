// Downloads made here, from what the page shows (not a new query that could differ):
// CSV with its citation first, and a map or chart as SVG or PNG.
function quote(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header, rows, preamble = []) {
  return [...preamble, ...[header, ...rows].map((row) => row.map(quote).join(','))].join('\r\n') + '\r\n';
}

function save(filename, blob) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** Offer `rows` (with a header row, after the citation lines) as a file; a BOM lets
 * spreadsheets read Hangul. */
export function download(filename, header, rows, preamble = []) {
  save(filename, new Blob(['\ufeff', toCsv(header, rows, preamble)], { type: 'text/csv;charset=utf-8' }));
}

// The styles an exported drawing needs (the page's CSS does not travel with it).
const EXPORT_STYLE = `text{font-family:"Noto Sans KR","NanumGothic",sans-serif;font-size:12px;fill:#1d2430}
path{stroke:#fff;stroke-width:.6}.focus-ring{display:none}.tick line{stroke:#d5dae1}
.bar rect{fill:#8fb9d6}.bar.highlight rect{fill:#d95f02}`;

function standalone(node, caption) {
  const copy = node.cloneNode(true);
  const box = node.viewBox.baseVal;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', box.width);
  copy.setAttribute('height', box.height + 40);
  copy.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${box.height + 40}`);
  const ns = 'http://www.w3.org/2000/svg';
  const style = document.createElementNS(ns, 'style');
  style.textContent = EXPORT_STYLE;
  const text = document.createElementNS(ns, 'text');
  text.setAttribute('x', box.x + 4);
  text.setAttribute('y', box.y + box.height + 24);
  text.textContent = caption;
  copy.prepend(style);
  copy.append(text);
  return new XMLSerializer().serializeToString(copy);
}

/** Save an SVG drawing as SVG, with its caption (title and source) under it. */
export function downloadSvg(filename, node, caption) {
  save(filename, new Blob([standalone(node, caption)], { type: 'image/svg+xml' }));
}

/** Save an SVG drawing as PNG (twice its size), drawn by the browser itself. */
export function downloadPng(filename, node, caption) {
  const text = standalone(node, caption);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  image.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = image.width * 2;
    canvas.height = image.height * 2;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    URL.revokeObjectURL(url);
    canvas.toBlob((blob) => save(filename, blob), 'image/png');
  };
  image.src = url;
}
