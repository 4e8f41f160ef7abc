// The document viewer: a citation's source at the quote. A PDF is drawn with the vendored
// pdf.js at the cited page, the quote highlighted in its text layer; every document (PDF too)
// can be read as the normalized text the index was built from, with its section outline and
// the quote marked by the citation's offsets. Documents are fetched by doc_id only.

import { apiJson, el, errorBox } from "./util.js";

const PDFJS = "/static/vendor/pdfjs";
const texts = new Map();   // doc_id → the /text response
const pdfs = new Map();    // doc_id → a pdf.js document (promise)
let pdfjs = null;
let current = 0;           // the latest request: a slower earlier one must not draw over it

// Whitespace is folded away when matching: the PDF's text runs split lines where the
// normalized text joined them.
function compact(text) {
  const chars = [];
  const where = [];
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text[i])) { chars.push(text[i]); where.push(i); }
  }
  return { text: chars.join(""), where };
}

// The quote's pieces worth looking for: "……" marks a cut, so each side is searched apart.
function quotePieces(quote) {
  return (quote || "").split(/……|\.\.\.\.\.\./).map((p) => p.replace(/\s+/g, ""))
    .filter((p) => p.length >= 2).sort((a, b) => b.length - a.length);
}

// [start, end) of the longest prefix of `wanted` found in `haystack` (at least `min` chars),
// for a quote that runs over onto the next page.
function findPrefix(haystack, wanted, min = 6) {
  let at = haystack.indexOf(wanted);
  if (at >= 0) return [at, at + wanted.length];
  let lo = Math.min(min, wanted.length);
  let hi = wanted.length - 1;
  if (haystack.indexOf(wanted.slice(0, lo)) < 0) return null;
  while (lo < hi) {  // the longest present prefix: presence is monotone in its length
    const mid = Math.ceil((lo + hi) / 2);
    if (haystack.indexOf(wanted.slice(0, mid)) >= 0) lo = mid; else hi = mid - 1;
  }
  at = haystack.indexOf(wanted.slice(0, lo));
  return [at, at + lo];
}

async function loadPdfjs() {
  if (!pdfjs) {
    pdfjs = await import(`${PDFJS}/pdf.min.mjs`);
    pdfjs.GlobalWorkerOptions.workerSrc = `${PDFJS}/pdf.worker.min.mjs`;
  }
  return pdfjs;
}

function pdfDocument(docId, url) {
  if (!pdfs.has(docId)) {
    const loading = loadPdfjs().then((lib) => lib.getDocument({
      url, cMapUrl: `${PDFJS}/cmaps/`, cMapPacked: true, isEvalSupported: false,
    }).promise);
    loading.catch(() => pdfs.delete(docId));
    pdfs.set(docId, loading);
  }
  return pdfs.get(docId);
}

async function documentText(docId) {
  if (!texts.has(docId)) texts.set(docId, await apiJson(`/v1/documents/${encodeURIComponent(docId)}/text`));
  return texts.get(docId);
}

// Marks the quote in the text layer's spans; returns the first marked element or null.
function highlightSpans(spans, quote) {
  const strings = spans.map((s) => s.textContent);
  const all = compact(strings.join("\n"));
  const owner = [];  // for each character of the joined string: [span index, offset in it]
  strings.forEach((s, i) => { for (let j = 0; j <= s.length; j++) owner.push([i, j]); });
  for (const piece of quotePieces(quote)) {
    const found = findPrefix(all.text, piece);
    if (!found) continue;
    const from = owner[all.where[found[0]]];
    const to = owner[all.where[found[1] - 1]];
    let first = null;
    for (let i = from[0]; i <= to[0]; i++) {
      const text = strings[i];
      const a = i === from[0] ? from[1] : 0;
      const b = i === to[0] ? to[1] + 1 : text.length;
      const mark = el("mark", { class: "highlight" }, text.slice(a, b));
      spans[i].replaceChildren(text.slice(0, a), mark, text.slice(b));
      first = first || mark;
    }
    return first;
  }
  return null;
}

async function drawPdfPage(body, info, pageNumber, quote, token) {
  const pdf = await pdfDocument(info.id, info.file_url);
  const number = Math.min(Math.max(pageNumber || 1, 1), pdf.numPages);
  const page = await pdf.getPage(number);
  if (token !== current) return;
  const width = Math.max(body.clientWidth - 2, 240);
  const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
  const ratio = window.devicePixelRatio || 1;
  const canvas = el("canvas", { width: Math.floor(viewport.width * ratio),
    height: Math.floor(viewport.height * ratio) });
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  const layer = el("div", { class: "textLayer" });
  const sheet = el("div", { class: "pdf-page", "data-page": String(number) }, canvas, layer);
  sheet.style.setProperty("--scale-factor", viewport.scale);
  sheet.style.setProperty("--total-scale-factor", viewport.scale);
  sheet.style.width = `${Math.floor(viewport.width)}px`;
  sheet.style.height = `${Math.floor(viewport.height)}px`;
  const nav = el("div", { class: "pdf-nav" },
    el("button", { type: "button", class: "secondary", disabled: number <= 1,
      onclick: () => drawPdfPage(body, info, number - 1, quote, ++current) }, "上一页"),
    el("span", { class: "muted pdf-page-label" }, `第 ${number} / ${pdf.numPages} 页`),
    el("button", { type: "button", class: "secondary", disabled: number >= pdf.numPages,
      onclick: () => drawPdfPage(body, info, number + 1, quote, ++current) }, "下一页"));
  body.replaceChildren(nav, sheet);
  await page.render({ canvasContext: canvas.getContext("2d"), viewport,
    transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null }).promise;
  const textLayer = new pdfjs.TextLayer({ textContentSource: await page.getTextContent(),
    container: layer, viewport });
  await textLayer.render();
  if (token !== current) return;
  const mark = quote ? highlightSpans(textLayer.textDivs, quote) : null;
  body.dataset.found = mark ? "true" : "false";
  if (mark) body.scrollTop = Math.max(sheet.offsetTop + mark.parentElement.offsetTop - 40, 0);
  body.scrollIntoView({ block: "nearest" });  // the panel or bottom sheet shows the document
}

// The quote's range in the normalized text: the citation's offsets, else a folded search.
function quoteRange(text, citation) {
  const { start, end, quote } = citation;
  if (Number.isInteger(start) && Number.isInteger(end) && end > start && end <= text.length) {
    return [start, end];
  }
  const all = compact(text);
  for (const piece of quotePieces(quote)) {
    const at = all.text.indexOf(piece);
    if (at >= 0) return [all.where[at], all.where[at + piece.length - 1] + 1];
  }
  return null;
}

function drawText(body, info, citation) {
  const range = quoteRange(info.text, citation);
  const cuts = new Set([0, info.text.length, ...info.outline.flatMap((h) => [h.start, h.end])]);
  if (range) { cuts.add(range[0]); cuts.add(range[1]); }
  const points = [...cuts].sort((a, b) => a - b);
  const heads = new Map(info.outline.map((h, i) => [h.start, i]));
  const parts = [];
  let heading = null;  // the outline entry whose span the current piece lies in
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (heads.has(a)) heading = info.outline[heads.get(a)];
    if (heading && a >= heading.end) heading = null;
    const piece = info.text.slice(a, b);
    const inQuote = range && a >= range[0] && b <= range[1];
    const attrs = {
      "data-h": heads.has(a) ? String(heads.get(a)) : null,
      class: [heading ? "doc-heading" : "", inQuote ? "quote" : ""].join(" ").trim() || null,
    };
    parts.push(inQuote ? el("mark", attrs, piece) : heading ? el("span", attrs, piece) : piece);
  }
  const view = el("div", { class: "doc-text" }, parts);
  body.replaceChildren(view);
  body.dataset.found = range ? "true" : "false";
  const mark = view.querySelector("mark.quote");
  if (mark) body.scrollTop = Math.max(mark.offsetTop - body.clientHeight / 3, 0);
  body.scrollIntoView({ block: "nearest" });
}

function outlineSelect(body, info) {
  if (!info.outline.length) return null;
  const select = el("select", { class: "doc-outline", "aria-label": "目录" },
    el("option", { value: "" }, "目录…"),
    info.outline.map((h, i) => el("option", { value: String(i) },
      `${"　".repeat(Math.max(h.level - 1, 0))}${h.title}`)));
  select.addEventListener("change", () => {
    const target = body.querySelector(`[data-h="${select.value}"]`);
    if (target) body.scrollTop = target.offsetTop - 8;
  });
  return select;
}

// Opens citation's document in `container`: the PDF page for a PDF, else the text.
export async function openDocument(container, citation) {
  const token = ++current;
  container.replaceChildren(el("p", { class: "muted" }, "正在打开原文…"));
  let info;
  try {
    info = await documentText(citation.doc_id);
  } catch (error) {
    if (token === current) container.replaceChildren(errorBox(error));
    return;
  }
  if (token !== current) return;
  const body = el("div", { class: "doc-body" });
  const isPdf = info.format === "pdf";
  const tools = el("div", { class: "doc-tools" });
  const show = async (mode) => {
    const mine = ++current;
    tools.querySelectorAll("[data-mode]").forEach((b) => b.classList.toggle("on", b.dataset.mode === mode));
    body.dataset.mode = mode;
    tools.querySelector(".doc-outline")?.toggleAttribute("hidden", mode === "pdf");
    if (mode === "text") { drawText(body, info, citation); return; }
    body.replaceChildren(el("p", { class: "muted" }, "正在显示 PDF…"));
    try {
      await drawPdfPage(body, info, citation.page, citation.quote, mine);
    } catch (error) {
      if (mine === current) body.replaceChildren(errorBox({ message: `PDF 无法显示：${error.message || error}` }));
    }
  };
  if (isPdf) {
    tools.append(el("button", { type: "button", class: "secondary", "data-mode": "pdf",
      onclick: () => show("pdf") }, "PDF 原版"),
    el("button", { type: "button", class: "secondary", "data-mode": "text",
      onclick: () => show("text") }, "文本"));
  }
  const outline = outlineSelect(body, info);
  if (outline) tools.append(outline);
  tools.append(el("a", { href: info.file_url, class: "doc-file", target: "_blank",
    rel: "noopener" }, "下载原文件"));
  container.replaceChildren(el("div", { class: "doc-title" }, `《${info.title}》`), tools, body);
  await show(isPdf ? "pdf" : "text");
}
