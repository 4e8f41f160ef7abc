// Entry point: tab routing by URL hash, the status badge, and the three pages.

import { initChat } from "./chat.js";
import { initCheck } from "./check.js";
import { initCorpus, loadDocuments } from "./corpus.js";
import { apiJson } from "./util.js";

const VIEWS = ["chat", "check", "corpus"];

function route() {
  const name = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "chat";
  for (const view of VIEWS) {
    document.getElementById(`view-${view}`).hidden = view !== name;
  }
  document.querySelectorAll("nav a").forEach((a) => {
    a.classList.toggle("active", a.dataset.view === name);
  });
  if (name === "corpus") loadDocuments();
}

async function showStatus() {
  const badge = document.getElementById("status-badge");
  try {
    const s = await apiJson("/v1/status");
    const mode = s.mode === "hybrid" ? "混合检索" : s.mode === "lexical" ? "词法检索" : "未建索引";
    const llm = s.llm.configured ? `大模型：${s.llm.model}` : "摘录式回答";
    badge.textContent = `${s.documents} 份文件 · ${mode} · ${llm} · v${s.version}`;
  } catch {
    badge.textContent = "服务不可用";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  initChat();
  initCheck();
  initCorpus();
  window.addEventListener("hashchange", route);
  route();
  showStatus();
  document.body.dataset.ready = "true";  // lets browser tests wait for the page to wire up
});
