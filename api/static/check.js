// 报告预审: upload a draft report → findings grouped by category, coloured by severity, with
// their location and policy basis (quote shown on tap) → download the findings (JSON,
// Markdown, HTML) → draft reviewer notes, edit them, download DOCX / Markdown.
// The page keeps the results; downloads send them back to be rendered (no server state).

import { showReview } from "./review.js";
import { openDocument } from "./viewer.js";
import { api, apiJson, apiKeyHeaders, el, errorBox, notice, saveAs } from "./util.js";

const $ = (id) => document.getElementById(id);
const SEVERITY = { error: "错误", warning: "警告", info: "提示" };
const SEVERITY_ORDER = ["error", "warning", "info"];
const CATEGORY = { section: "章节完整性", team: "审核小组", indicator: "指标与前后对比",
  consistency: "数据一致性", citation: "政策引用", format: "格式" };

let lastFile = null;
let lastResult = null;

function locationText(loc) {
  if (!loc) return "";
  const parts = [loc.page ? `第 ${loc.page} 页` : "", loc.line ? `第 ${loc.line} 行` : "",
    (loc.heading_path || []).join(" > "),
    loc.table ? `${loc.table}${loc.row ? ` 第 ${loc.row} 行` : ""}` : ""];
  return parts.filter(Boolean).join(" · ") || "全文";
}

function basisText(basis) {
  if (!basis) return "";
  if (basis.doc_id) {
    const where = basis.article || basis.section || "";
    return `《${basis.title}》${where}${basis.page ? `（第 ${basis.page} 页）` : ""}`;
  }
  return basis.source || "";
}

function finding(f) {
  const severity = SEVERITY[f.severity] ? f.severity : "info";
  const basis = basisText(f.basis);
  return el("div", { class: `finding sev-${severity}`, "data-rule": f.rule_id },
    el("div", {}, el("span", { class: "sev" }, SEVERITY[severity]), f.message),
    el("div", { class: "loc" }, `位置：${locationText(f.location)}`),
    f.evidence ? el("details", { class: "loc" }, el("summary", {}, "原文"), f.evidence) : null,
    basis ? basisView(f.basis, basis) : null);
}

// The basis and its quote, opened by a tap (a hover tooltip never reaches a touch screen).
function basisView(b, text) {
  if (!b.quote) return el("div", { class: "basis" }, `依据：${text}`);
  const viewer = el("div", { class: "doc-viewer", hidden: true });
  const open = b.doc_id ? el("button", { type: "button", class: "link open-basis", onclick: () => {
    viewer.hidden = false;
    open.remove();
    openDocument(viewer, b);
  } }, "在原文中查看") : null;
  return el("details", { class: "basis basis-toggle" }, el("summary", {}, `依据：${text}`),
    el("blockquote", { class: "basis-quote" }, b.quote), open, viewer);
}

function renderFindings(result) {
  const groups = new Map();
  for (const f of result.findings) {
    if (!groups.has(f.category)) groups.set(f.category, []);
    groups.get(f.category).push(f);
  }
  const counts = SEVERITY_ORDER.map((s) => `${SEVERITY[s]} ${result.summary.by_severity[s] || 0}`)
    .join("，");
  const info = result.report;
  const head = el("div", { class: "card" },
    el("div", {}, el("strong", {}, info.title || info.name),
      `　行业：${info.industry_title}${info.industry_detected ? `（自动识别，依据：${info.industry_reason}）` : ""}`),
    el("div", {}, `预审结论：${result.verdict}（${result.verdict_reason}）　${counts}`));
  const rank = (f) => SEVERITY_ORDER.indexOf(f.severity);
  const sections = [...groups].map(([category, list]) =>
    el("section", { class: "category", "data-category": category },
      el("h3", {}, `${CATEGORY[category] || category}（${list.length}）`),
      list.sort((a, b) => rank(a) - rank(b)).map(finding)));
  const none = result.findings.length ? [] : [notice("ok", "未发现问题。")];
  const formats = [["json", "JSON"], ["md", "Markdown"], ["html", "HTML"]];
  const tools = el("div", { class: "result-tools" }, el("span", { class: "muted" }, "下载预审结果："),
    formats.map(([format, label]) => el("button", { type: "button", class: "secondary",
      id: `findings-${format}`, onclick: () => downloadFindings(format) }, label)));
  $("check-result").replaceChildren(head, tools, ...none, ...sections);
}

async function downloadFindings(format) {
  try {
    const response = await api(`/v1/reports/check/download?format=${format}`, {
      method: "POST", headers: { "Content-Type": "application/json", ...apiKeyHeaders() }, body: JSON.stringify(lastResult),
    });
    saveAs(`预审结果-${lastFile.name.replace(/\.[^.]+$/, "")}.${format}`, await response.blob());
  } catch (error) {
    $("check-result").querySelector(".result-tools").after(errorBox(error));
  }
}

function reportForm() {
  const body = new FormData();
  body.append("file", lastFile);
  return body;
}

async function check(event) {
  event.preventDefault();
  const file = $("check-file").files[0];
  if (!file) return;
  lastFile = file;
  lastResult = null;
  $("check-button").disabled = true;
  $("review-area").hidden = true;
  $("check-result").replaceChildren(notice("info", "正在预审…"));
  try {
    lastResult = await apiJson("/v1/reports/check", { method: "POST", body: reportForm(),
      headers: apiKeyHeaders() });
    renderFindings(lastResult);
    $("review-area").hidden = false;
    $("review-result").replaceChildren();
  } catch (error) {
    $("check-result").replaceChildren(errorBox(error));
  } finally {
    $("check-button").disabled = false;
  }
}

async function review() {
  $("review-button").disabled = true;
  $("review-result").replaceChildren(notice("info", "正在生成评审意见…"));
  try {
    const result = await apiJson("/v1/reports/review", { method: "POST", body: reportForm(),
      headers: apiKeyHeaders() });
    showReview($("review-result"), result.review, lastFile.name);
  } catch (error) {
    $("review-result").replaceChildren(errorBox(error));
  } finally {
    $("review-button").disabled = false;
  }
}

export function initCheck() {
  $("check-form").addEventListener("submit", check);
  $("review-button").addEventListener("click", review);
}
