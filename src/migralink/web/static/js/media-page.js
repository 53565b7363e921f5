// The claim-check and hostility-monitor page: plain DOM, same-origin API, no CDN.
const API = "api/v1/media";

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function showRulings(box, data) {
  box.replaceChildren();
  if (!data.rulings.length) {
    box.append(el("p", "숫자 주장을 찾지 못했습니다 (no numeric claim about migrants found)."));
    return;
  }
  for (const r of data.rulings) {
    const card = el("article", null, { class: "ruling", "data-verdict": r.verdict });
    card.append(el("p", `«${r.sentence}»`));
    card.append(el("p", r.verdict_label, { class: "verdict" }));
    card.append(el("p", r.explanation));
    const list = el("ul");
    for (const c of r.citations) {
      list.append(el("li", `${c.dataset} v${c.version} · ${c.period} · ${Number(c.value).toLocaleString()} · ${c.publisher} · ${c.source_files.join(", ")}`));
    }
    card.append(list);
    box.append(card);
  }
}

async function check(event) {
  event.preventDefault();
  const box = document.getElementById("check-result");
  const text = document.getElementById("check-text").value;
  box.textContent = "…";
  const response = await fetch(`${API}/check?text=${encodeURIComponent(text)}`);
  const body = await response.json();
  if (!response.ok) { box.textContent = body.error ? `${body.error.title} — ${body.error.hint}` : response.statusText; return; }
  showRulings(box, body);
}

async function monitor() {
  const box = document.getElementById("monitor-result");
  const response = await fetch(`${API}/monitor`);
  const body = await response.json();
  if (!response.ok) { box.textContent = body.error ? `${body.error.title} — ${body.error.hint}` : response.statusText; return; }
  const table = el("table");
  const head = el("tr");
  for (const h of ["month", "source", "target", "texts", "hostile", "share"]) head.append(el("th", h));
  table.append(head);
  for (const row of body.rows) {
    const tr = el("tr");
    for (const v of [row.period, row.source, row.target, row.texts, row.hostile, row.share === null ? "–" : `${(100 * row.share).toFixed(1)} %`]) tr.append(el("td", v));
    table.append(tr);
  }
  box.replaceChildren(table);
  if (body.excerpts && body.excerpts.length) {
    const list = el("ul");
    for (const x of body.excerpts) list.append(el("li", `${x.target}: “${x.excerpt}”`));
    box.append(el("h3", "예시 발췌 (short excerpts)"), list);
  }
}

document.getElementById("check-form").addEventListener("submit", check);
monitor();
