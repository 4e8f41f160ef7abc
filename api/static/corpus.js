// 政策文件库: list, upload, delete, reindex. Writes send the API key when one is entered.
// A message appears where its action was taken (upload: under the form; delete and reindex:
// above the table) and is scrolled into view; the header badge is refreshed after a change.

import { loadRegions } from "./chat.js";
import { showStatus } from "./status.js";
import { KIND_NAMES, apiJson, apiKeyHeaders, el, errorBox, notice } from "./util.js";

const $ = (id) => document.getElementById(id);

function say(node, where = "corpus-message") {
  $(where).replaceChildren(node);
  node.scrollIntoView({ block: "nearest" });
}

async function changed() {
  await loadDocuments();
  loadRegions();
  showStatus();
}

function row(doc) {
  const remove = el("button", {
    type: "button", class: "danger", title: `删除 ${doc.id}`,
    onclick: () => removeDocument(doc),
  }, "删除");
  const cell = (label, text) => el("td", { "data-label": label }, text);
  return el("tr", { "data-id": doc.id },
    cell("编号", doc.id), el("td", { class: "doc-name" }, doc.title), cell("发文机关", doc.issuer),
    cell("地区", doc.region), cell("类型", KIND_NAMES[doc.kind] || doc.kind),
    cell("日期", doc.date || "—"), cell("片段", String(doc.chunks)), el("td", {}, remove));
}

export async function loadDocuments() {
  try {
    const { documents } = await apiJson("/v1/documents");
    $("doc-rows").replaceChildren(...documents.map(row));
  } catch (error) {
    say(errorBox(error));
  }
}

function indexText(index) {
  return `索引已更新：共 ${index.chunks} 个片段（新增 ${index.added.length}，删除 ${index.removed.length}，` +
    `未变 ${index.unchanged}），用时 ${index.seconds.toFixed(1)} 秒。`;
}

async function removeDocument(doc) {
  if (!confirm(`确定删除《${doc.title}》（${doc.id}）吗？文件将从语料库中移除。`)) return;
  try {
    const result = await apiJson(`/v1/documents/${encodeURIComponent(doc.id)}`,
      { method: "DELETE", headers: apiKeyHeaders() });
    say(notice("ok", `已删除 ${result.removed}。${indexText(result.index)}`));
    await changed();
  } catch (error) {
    say(errorBox(error));
  }
}

async function upload(event) {
  event.preventDefault();
  const form = event.target;
  const data = new FormData(form);
  for (const [key, value] of [...data.entries()]) {
    if (typeof value === "string" && !value.trim()) data.delete(key);  // use server defaults
  }
  $("upload-button").disabled = true;
  say(notice("info", "正在上传并更新索引…"), "upload-message");
  try {
    const result = await apiJson("/v1/documents",
      { method: "POST", body: data, headers: apiKeyHeaders() });
    say(notice("ok", `已添加《${result.document.title}》（${result.document.id}，` +
      `${result.document.chunks} 个片段）。${indexText(result.index)}`), "upload-message");
    form.reset();
    await changed();
  } catch (error) {
    say(errorBox(error), "upload-message");
  } finally {
    $("upload-button").disabled = false;
  }
}

async function reindex() {
  $("reindex-button").disabled = true;
  say(notice("info", "正在更新索引…"));
  try {
    const index = await apiJson("/v1/documents/reindex",
      { method: "POST", headers: apiKeyHeaders() });
    say(notice("ok", indexText(index)));
    await changed();
  } catch (error) {
    say(errorBox(error));
  } finally {
    $("reindex-button").disabled = false;
  }
}

export function initCorpus() {
  const key = $("api-key");
  key.value = sessionStorage.getItem("cpaudit-api-key") || "";
  key.addEventListener("input", () => {
    if (key.value) sessionStorage.setItem("cpaudit-api-key", key.value);
    else sessionStorage.removeItem("cpaudit-api-key");
  });
  $("upload-form").addEventListener("submit", upload);
  $("reindex-button").addEventListener("click", reindex);
}
