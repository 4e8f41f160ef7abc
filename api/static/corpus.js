// 政策文件库: list, upload, delete, reindex. Writes send the API key when one is entered.

import { KIND_NAMES, apiJson, apiKeyHeaders, el, errorBox, notice } from "./util.js";
import { loadRegions } from "./chat.js";

const $ = (id) => document.getElementById(id);

function say(node) {
  $("corpus-message").replaceChildren(node);
}

function row(doc) {
  const remove = el("button", {
    type: "button", class: "danger", title: `删除 ${doc.id}`,
    onclick: () => removeDocument(doc),
  }, "删除");
  return el("tr", { "data-id": doc.id },
    el("td", {}, doc.id), el("td", {}, doc.title), el("td", {}, doc.issuer),
    el("td", {}, doc.region), el("td", {}, KIND_NAMES[doc.kind] || doc.kind),
    el("td", {}, doc.date || "—"), el("td", {}, String(doc.chunks)), el("td", {}, remove));
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
    await loadDocuments();
    loadRegions();
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
  say(notice("info", "正在上传并更新索引…"));
  try {
    const result = await apiJson("/v1/documents",
      { method: "POST", body: data, headers: apiKeyHeaders() });
    say(notice("ok", `已添加《${result.document.title}》（${result.document.id}，` +
      `${result.document.chunks} 个片段）。${indexText(result.index)}`));
    form.reset();
    await loadDocuments();
    loadRegions();
  } catch (error) {
    say(errorBox(error));
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
    await loadDocuments();
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
