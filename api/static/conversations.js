// Conversations kept in this browser (localStorage): the list to reopen, rename and delete,
// and the text forms of an answer (copy) and of a conversation (Markdown export).
// The server keeps no per-user state; a conversation is its questions and answer objects.

import { el } from "./util.js";

const KEY = "cpaudit-conversations";
const CURRENT = "cpaudit-current-conversation";
const LIMIT = 50;

export function loadAll() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(list) ? list.filter((c) => c && Array.isArray(c.turns)) : [];
  } catch {
    return [];  // a damaged store starts afresh rather than breaking the page
  }
}

function saveAll(list) {
  // When the browser's quota is reached, the oldest conversations go first.
  for (let keep = list.length; keep >= 0; keep--) {
    try {
      localStorage.setItem(KEY, JSON.stringify(list.slice(0, keep)));
      return true;
    } catch { /* try with fewer */ }
  }
  return false;
}

export function newConversation() {
  const id = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return { id, title: "", created: Date.now(), updated: Date.now(), turns: [] };
}

export function titleOf(conv) {
  return conv.title || (conv.turns[0]?.question || "新对话").slice(0, 40);
}

export function saveConversation(conv) {
  conv.updated = Date.now();
  saveAll([conv, ...loadAll().filter((c) => c.id !== conv.id)].slice(0, LIMIT));
  localStorage.setItem(CURRENT, conv.id);
}

export function currentConversation() {
  const id = localStorage.getItem(CURRENT);
  return loadAll().find((c) => c.id === id) || null;
}

export function forgetCurrent() {
  localStorage.removeItem(CURRENT);
}

export function removeConversation(id) {
  saveAll(loadAll().filter((c) => c.id !== id));
  if (localStorage.getItem(CURRENT) === id) forgetCurrent();
}

export function renameConversation(id, title) {
  const list = loadAll();
  const conv = list.find((c) => c.id === id);
  if (conv) { conv.title = title.trim().slice(0, 80); saveAll(list); }
}

// ---------------------------------------------------------------- text forms

function where(c) {
  const place = c.article || (c.section ? c.section.split(" > ").pop() : "");
  return `${place}${c.page ? `，第 ${c.page} 页` : ""}`;
}

export function sourceLines(answer) {
  return (answer.citations || []).map((c) => `[${c.n}] 《${c.title}》${where(c)}：“${c.quote || ""}”`);
}

// A refusal's nearest passages: shown as context, never as the answer's sources.
export const CONTEXT_LABEL = "相关内容（仅供参考，不是答案）";

export function contextLines(answer) {
  return (answer.context || []).map((c) => `《${c.title}》${where(c)}：“${c.quote || ""}”`);
}

export function answerText(turn) {
  const lines = sourceLines(turn.answer);
  const context = contextLines(turn.answer);
  let text = lines.length ? `${turn.answer.answer}\n\n来源：\n${lines.join("\n")}` : turn.answer.answer;
  if (context.length) text += `\n\n${CONTEXT_LABEL}：\n${context.join("\n")}`;
  return text;
}

export function conversationMarkdown(conv) {
  const when = new Date(conv.updated).toLocaleString("zh-CN");
  const parts = [`# ${titleOf(conv)}`, `清洁生产审核助手 · 导出于 ${when}`];
  conv.turns.forEach((turn, i) => {
    parts.push(`## ${i + 1}. ${turn.question}`);
    if (turn.answer.resolved_question) parts.push(`（理解为：${turn.answer.resolved_question}）`);
    parts.push(turn.answer.answer);
    const lines = sourceLines(turn.answer);
    if (lines.length) parts.push(`来源：\n\n${lines.map((l) => `- ${l}`).join("\n")}`);
    const context = contextLines(turn.answer);
    if (context.length) parts.push(`${CONTEXT_LABEL}：\n\n${context.map((l) => `- ${l}`).join("\n")}`);
  });
  return `${parts.join("\n\n")}\n`;
}

export function safeName(text) {
  return text.replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 40) || "对话";
}

// ---------------------------------------------------------------- the list

export function renderList(container, currentId, { onOpen, onChange }) {
  const list = loadAll();
  const items = list.map((conv) => {
    const title = el("button", { type: "button", class: "conv-title", title: "打开该对话",
      onclick: () => onOpen(conv.id) }, titleOf(conv));
    const rename = el("button", { type: "button", class: "link", onclick: () => {
      const input = el("input", { class: "conv-rename", value: titleOf(conv), maxlength: "80",
        "aria-label": "对话名称" });
      let saved = false;
      const done = () => {
        if (saved) return;
        saved = true;
        renameConversation(conv.id, input.value || titleOf(conv));
        onChange();
      };
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); done(); } else if (e.key === "Escape") onChange();
      });
      input.addEventListener("blur", done);
      title.replaceWith(input);
      input.focus();
      input.select();
    } }, "重命名");
    const remove = el("button", { type: "button", class: "link danger-link", onclick: () => {
      if (!confirm(`删除对话“${titleOf(conv)}”？`)) return;
      removeConversation(conv.id);
      onChange(conv.id);
    } }, "删除");
    return el("li", { class: conv.id === currentId ? "current" : "", "data-id": conv.id },
      title, el("span", { class: "conv-meta muted" },
        `${conv.turns.length} 问 · ${new Date(conv.updated).toLocaleDateString("zh-CN")}`),
      el("span", { class: "conv-actions" }, rename, remove));
  });
  container.replaceChildren(...(items.length ? items
    : [el("li", { class: "muted empty" }, "还没有保存的对话")]));
  return list.length;
}
