// 政策问答: streamed answers, clickable [n] markers, the quote panel with the source document,
// follow-up questions, conversations kept across reloads, copy, export and feedback.
// Each question is sent with the earlier questions as `history` and what the last answer quoted
// as `previous_answer` (the server keeps no state).

import {
  answerText, CONTEXT_LABEL, conversationMarkdown, currentConversation, forgetCurrent, loadAll,
  newConversation, renderList, safeName, saveConversation, titleOf,
} from "./conversations.js";
import { feedbackControls } from "./feedback.js";
import { api, el, errorBox, readEvents, saveAs } from "./util.js";
import { openDocument } from "./viewer.js";

const EXAMPLES = [
  "什么情况下企业必须实施强制性清洁生产审核？",
  "实施强制性清洁生产审核的企业应当在多长时间内完成审核？",
  "广东省对清洁生产审核有哪些支持措施？",
  "清洁生产审核报告应当包括哪些内容？",
];
// The server takes at most 50 history items (assistant/limits.py MAX_HISTORY_ITEMS); a
// follow-up needs only the recent ones, so a long conversation sends its last 50.
const HISTORY_SENT = 50;
// … and the previous answer's quotes at most 8000 characters (MAX_PREVIOUS_ANSWER_CHARS)
const PREVIOUS_SENT = 8000;

let conv = newConversation();
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
    el("button", { type: "button", class: "cite",
      dataset: { msg: String(index), n: String(c.n), doc: c.doc_id || "" } }, `[${c.n}]`),
    ` 《${c.title}》${where(c) ? " " + where(c) : ""}${c.page ? `，第 ${c.page} 页` : ""}`)));
}

function renderContext(answer) {
  // A refusal's nearest passage: labelled as context, never numbered like a citation.
  if (!(answer.context || []).length) return null;
  return el("section", { class: "context-block", "aria-label": CONTEXT_LABEL },
    el("div", { class: "context-label" }, CONTEXT_LABEL),
    answer.context.map((c) => el("figure", {},
      el("blockquote", {}, c.quote || ""),
      el("figcaption", {}, `《${c.title}》${where(c) ? " " + where(c) : ""}${c.page ? `，第 ${c.page} 页` : ""}`))));
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {  // plain http on a LAN address has no clipboard API
    const area = el("textarea", { class: "offscreen" }, text);
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}

function actions(turn, index) {
  const copy = el("button", { type: "button", class: "link copy-answer", title: "复制回答及来源" },
    "复制");
  copy.addEventListener("click", async () => {
    await copyText(answerText(turn));
    copy.textContent = "已复制";
    setTimeout(() => { copy.textContent = "复制"; }, 2000);
  });
  const { buttons, area } = feedbackControls(turn, conv.turns.slice(0, index), (rating) => {
    turn.feedback = rating;
    saveConversation(conv);
  });
  return [el("div", { class: "actions" }, copy, buttons), area];
}

function renderDone(box, turn, index) {
  const answer = turn.answer;
  box.classList.toggle("abstained", answer.abstained);
  box.querySelector(".resolved")?.remove();
  renderText(box.querySelector(".text"), answer.answer, index);
  if (answer.resolved_question) {
    box.prepend(el("div", { class: "resolved" }, `（理解为：${answer.resolved_question}）`));
  }
  const sources = renderSources(answer, index);
  if (sources) box.append(sources);
  const context = renderContext(answer);
  if (context) box.append(context);
  if (answer.notes.length) {
    box.append(el("details", { class: "notes" }, el("summary", {}, "说明"),
      answer.notes.map((n) => el("div", {}, n))));
  }
  box.append(...actions(turn, index));
}

function highlight(passage, quote) {
  // The passage with the quoted sentence marked. Whitespace is ignored when matching: a
  // quote joins the lines that the passage keeps as they were in the source.
  const positions = [];
  let compact = "";
  for (let i = 0; i < passage.length; i++) {
    if (!/\s/.test(passage[i])) { compact += passage[i]; positions.push(i); }
  }
  const wanted = (quote || "").split("……").sort((a, b) => b.length - a.length)[0].replace(/\s+/g, "");
  const at = wanted ? compact.indexOf(wanted) : -1;
  if (at < 0) return [passage];
  const start = positions[at];
  const end = positions[at + wanted.length - 1] + 1;
  return [passage.slice(0, start), el("mark", {}, passage.slice(start, end)), passage.slice(end)];
}

export function showQuote(index, n) {
  const answer = conv.turns[index]?.answer;
  const citation = answer && answer.citations.find((c) => c.n === n);
  if (!citation) return;
  document.querySelectorAll(".cite.active").forEach((b) => b.classList.remove("active"));
  document.querySelectorAll(`.cite[data-msg="${index}"][data-n="${n}"]`)
    .forEach((b) => b.classList.add("active"));
  // a quote found by sentence recall comes from a chunk retrieval did not rank: answer.recalled
  const passage = [...answer.passages, ...(answer.recalled || [])]
    .find((p) => p.chunk_id === citation.chunk_id);
  const rows = [["文件", `《${citation.title}》`], ["章节", citation.section || "—"],
    ["条款", citation.article || "—"], ["页码", citation.page ? `第 ${citation.page} 页` : "—"]];
  const context = passage ? [el("details", { open: true }, el("summary", {}, "上下文"),
    el("div", { class: "context" }, highlight(passage.text, citation.quote)))] : [];
  $("quote-body").replaceChildren(
    el("dl", {}, rows.map(([k, v]) => [el("dt", {}, k), el("dd", { "data-field": k }, v)])),
    el("blockquote", { id: "quote-text" }, citation.quote));
  // The document comes right after the quote, so it is in view when the panel opens; the
  // retrieved passage around the quote follows it.
  $("quote-context").replaceChildren(...context,
    el("p", { class: "muted" }, `片段编号：${citation.chunk_id}`));
  $("quote-panel").hidden = false;
  document.body.classList.add("sheet-open");
  $("quote-panel").scrollTop = 0;
  $("quote-panel").focus({ preventScroll: true });
  if (citation.doc_id) openDocument($("doc-viewer"), citation);
  else $("doc-viewer").replaceChildren();
}

function closeQuote() {
  $("quote-panel").hidden = true;
  document.body.classList.remove("sheet-open");
}

function welcome() {
  return el("div", { class: "hint" },
    el("p", {}, "可以询问清洁生产审核相关政策。回答中的 ", el("span", { class: "cite-sample" }, "[1]"),
      " 等编号可点击，在原文件中查看所引原文、章节条款和页码；可以继续追问，例如“那需要多久完成？”。"),
    el("div", { class: "examples" }, el("span", { class: "muted" }, "试试这些问题："),
      EXAMPLES.map((q) => el("button", { type: "button", class: "example", onclick: () => {
        $("question").value = q;
        $("ask-form").requestSubmit();
      } }, q))));
}

function addTurnBoxes(question, index) {
  const messages = $("messages");
  messages.querySelector(".hint")?.remove();
  messages.append(el("div", { class: "msg user" }, question));
  const box = el("div", { class: "msg assistant", "data-index": String(index) },
    el("div", { class: "text" }, "正在检索…"));
  messages.append(box);
  return box;
}

async function submit(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question || $("ask-button").disabled) return;
  const index = conv.turns.length;
  const history = conv.turns.map((t) => t.answer.resolved_question || t.answer.question)
    .slice(-HISTORY_SENT);
  // what the last answer quoted (Answer.quoted): a follow-up is not answered with it again
  const last = conv.turns[conv.turns.length - 1];
  const previous = last ? (last.answer.citations || []).map((c) => c.quote || "")
    .filter(Boolean).join("\n").slice(0, PREVIOUS_SENT) : "";
  const filters = { region: $("filter-region").value || null, kind: $("filter-kind").value || null };
  const box = addTurnBoxes(question, index);
  $("question").value = "";
  $("ask-button").disabled = true;
  try {
    const response = await api("/v1/ask", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, history: history.slice(-HISTORY_SENT), filters,
                             previous_answer: previous || null, stream: true }),
    });
    let text = "";
    await readEvents(response, (name, data) => {
      if (name === "delta") {
        text += data.text;
        renderText(box.querySelector(".text"), text, index);
      } else if (name === "done") {
        const turn = { question, answer: data };
        conv.turns.push(turn);
        saveConversation(conv);
        renderDone(box, turn, index);
        refreshList();
      }
    });
  } catch (error) {
    box.replaceChildren(errorBox(error));
  } finally {
    $("ask-button").disabled = false;
    box.scrollIntoView({ block: "nearest" });
    $("question").focus({ preventScroll: true });
  }
}

function show(next) {
  conv = next;
  closeQuote();
  const messages = $("messages");
  messages.replaceChildren();
  if (!conv.turns.length) messages.append(welcome());
  conv.turns.forEach((turn, i) => renderDone(addTurnBoxes(turn.question, i), turn, i));
  $("export-md").disabled = !conv.turns.length;
  refreshList();
}

function refreshList() {
  const count = renderList($("conv-list"), conv.id, {
    onOpen: (id) => {
      const found = loadAll().find((c) => c.id === id);
      if (found) { saveConversation(found); show(found); }
      if (matchMedia("(max-width: 900px)").matches) $("conv-box").open = false;
    },
    onChange: (removed) => {
      if (removed === conv.id) { show(newConversation()); return; }
      conv.title = loadAll().find((c) => c.id === conv.id)?.title ?? conv.title;  // renamed
      refreshList();
    },
  });
  $("conv-count").textContent = count ? `（${count}）` : "";
  $("export-md").disabled = !conv.turns.length;
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
  $("new-chat").addEventListener("click", () => { forgetCurrent(); show(newConversation()); });
  $("export-md").addEventListener("click", () => {
    saveAs(`对话-${safeName(titleOf(conv))}.md`, conversationMarkdown(conv));
  });
  $("quote-close").addEventListener("click", closeQuote);
  $("messages").addEventListener("click", (e) => {
    const button = e.target.closest(".cite");
    if (button) showQuote(Number(button.dataset.msg), Number(button.dataset.n));
  });
  $("conv-box").open = !matchMedia("(max-width: 900px)").matches;
  show(currentConversation() || newConversation());
  loadRegions();
}
