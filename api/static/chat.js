// 政策问答: streamed answers, clickable [n] markers, the quote panel, follow-up questions.
// The conversation lives in this page only (the server keeps no per-user state): each
// question is sent with the earlier questions as `history`.

import { api, el, errorBox, readEvents } from "./util.js";

const history = [];          // earlier questions (as the server understood them), oldest first
const answers = [];          // answer objects, by message index, for the quote panel
// The server takes at most 50 history items (assistant/limits.py MAX_HISTORY_ITEMS); a
// follow-up needs only the recent ones, so a long conversation sends its last 50.
const HISTORY_SENT = 50;

const $ = (id) => document.getElementById(id);

function renderText(container, text, index) {
  // Markers become buttons; everything else stays text.
  container.replaceChildren();
  for (const part of text.split(/(\[\d{1,3}\])/)) {
    const match = part.match(/^\[(\d{1,3})\]$/);
    if (match) {
      container.append(el("button", {
        type: "button", class: "cite", title: "查看引用原文",
        dataset: { msg: String(index), n: match[1] },
      }, part));
    } else if (part) {
      container.append(document.createTextNode(part));
    }
  }
}

function where(c) {
  return [c.section, c.article && !(c.section || "").includes(c.article) ? c.article : ""]
    .filter(Boolean).join(" > ");
}

function renderSources(answer, index) {
  if (!answer.citations.length) return null;
  return el("ol", { class: "sources" }, answer.citations.map((c) => el("li", {},
    el("button", { type: "button", class: "cite", dataset: { msg: String(index), n: String(c.n) } },
      `[${c.n}]`),
    ` 《${c.title}》${where(c) ? " " + where(c) : ""}${c.page ? `，第 ${c.page} 页` : ""}`)));
}

function renderDone(box, answer, index) {
  answers[index] = answer;
  box.classList.toggle("abstained", answer.abstained);
  renderText(box.querySelector(".text"), answer.answer, index);
  if (answer.resolved_question) {
    box.prepend(el("div", { class: "resolved" }, `（理解为：${answer.resolved_question}）`));
  }
  const sources = renderSources(answer, index);
  if (sources) box.append(sources);
  if (answer.notes.length) {
    box.append(el("details", { class: "notes" }, el("summary", {}, "说明"),
      answer.notes.map((n) => el("div", {}, n))));
  }
}

function highlight(passage, quote) {
  // The passage with the quoted sentence marked. Whitespace is ignored when matching: a
  // quote joins the lines that the passage keeps as they were in the source.
  const positions = [];
  let compact = "";
  for (let i = 0; i < passage.length; i++) {
    if (!/\s/.test(passage[i])) { compact += passage[i]; positions.push(i); }
  }
  const wanted = quote.replace(/\s+/g, "");
  const at = wanted ? compact.indexOf(wanted) : -1;
  if (at < 0) return [passage];
  const start = positions[at];
  const end = positions[at + wanted.length - 1] + 1;
  return [passage.slice(0, start), el("mark", {}, passage.slice(start, end)), passage.slice(end)];
}

export function showQuote(index, n) {
  const answer = answers[index];
  const citation = answer && answer.citations.find((c) => c.n === n);
  if (!citation) return;
  document.querySelectorAll(".cite.active").forEach((b) => b.classList.remove("active"));
  document.querySelectorAll(`.cite[data-msg="${index}"][data-n="${n}"]`)
    .forEach((b) => b.classList.add("active"));
  const passage = answer.passages.find((p) => p.chunk_id === citation.chunk_id);
  const rows = [["文件", `《${citation.title}》`], ["章节", citation.section || "—"],
    ["条款", citation.article || "—"], ["页码", citation.page ? `第 ${citation.page} 页` : "—"]];
  const context = passage ? [el("details", {}, el("summary", {}, "上下文"),
    el("div", { class: "context" }, highlight(passage.text, citation.quote)))] : [];
  $("quote-body").replaceChildren(
    el("dl", {}, rows.map(([k, v]) => [el("dt", {}, k), el("dd", { "data-field": k }, v)])),
    el("blockquote", { id: "quote-text" }, citation.quote),
    ...context,
    el("p", { class: "muted" }, `片段编号：${citation.chunk_id}`),
  );
  $("quote-panel").hidden = false;
}

async function submit(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  const index = answers.length;
  answers.push(null);
  const filters = { region: $("filter-region").value || null, kind: $("filter-kind").value || null };
  const messages = $("messages");
  messages.querySelector(".hint")?.remove();
  messages.append(el("div", { class: "msg user" }, question));
  const box = el("div", { class: "msg assistant", "data-index": String(index) },
    el("div", { class: "text" }, "正在检索…"));
  messages.append(box);
  $("question").value = "";
  $("ask-button").disabled = true;
  try {
    const response = await api("/v1/ask", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, history: history.slice(-HISTORY_SENT), filters,
                             stream: true }),
    });
    let text = "";
    await readEvents(response, (name, data) => {
      if (name === "delta") {
        text += data.text;
        renderText(box.querySelector(".text"), text, index);
      } else if (name === "done") {
        renderDone(box, data, index);
        history.push(data.resolved_question || data.question);
      }
    });
  } catch (error) {
    box.replaceChildren(errorBox(error));
  } finally {
    $("ask-button").disabled = false;
    box.scrollIntoView({ block: "nearest" });
    $("question").focus();
  }
}

function reset() {
  history.length = 0;
  answers.length = 0;
  $("messages").replaceChildren();
  $("quote-panel").hidden = true;
}

export async function loadRegions() {
  try {
    const response = await api("/v1/documents");
    const { documents } = await response.json();
    const select = $("filter-region");
    const current = select.value;
    const regions = [...new Set(documents.map((d) => d.region))].sort();
    select.replaceChildren(el("option", { value: "" }, "全部"),
      ...regions.map((r) => el("option", { value: r }, r)));
    select.value = regions.includes(current) ? current : "";
  } catch { /* the filter stays at 全部; the chat itself reports errors */ }
}

export function initChat() {
  $("ask-form").addEventListener("submit", submit);
  $("question").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("new-chat").addEventListener("click", reset);
  $("quote-close").addEventListener("click", () => { $("quote-panel").hidden = true; });
  $("messages").addEventListener("click", (e) => {
    const button = e.target.closest(".cite");
    if (button) showQuote(Number(button.dataset.msg), Number(button.dataset.n));
  });
  loadRegions();
}
