// 评审意见 in the browser: each issue accepted, rejected or reworded (text and suggestion),
// the verdict changed if the reviewer disagrees; the preview is re-assembled by the server
// (/v1/reports/review/regenerate) and the download renders the edited review (DOCX/Markdown).

import { api, apiJson, apiKeyHeaders, el, errorBox, saveAs } from "./util.js";

const SEVERITY = { error: "错误", warning: "警告", info: "提示" };
const VERDICTS = ["通过", "修改后通过", "不通过"];

let review = null;     // the review as drafted, edits applied in place
let original = null;   // the drafted texts, to tell an edit from an untouched issue
let baseName = "report";

function issueEditor(issue, k) {
  const first = original.get(issue.id);
  const text = el("textarea", { rows: "3", name: `text-${issue.id}`, class: "issue-text",
    "aria-label": `问题 ${k} 的文字` }, issue.text);
  const suggestion = el("textarea", { rows: "2", name: `suggestion-${issue.id}`,
    class: "issue-suggestion", "aria-label": `问题 ${k} 的修改意见` }, issue.suggestion);
  const box = el("div", { class: `card review-issue sev-${issue.severity}`, "data-issue": issue.id });
  const choice = (value, label) => el("label", {}, el("input", { type: "radio",
    name: `status-${issue.id}`, value, checked: (value === "rejected") === (issue.status === "rejected") }), label);
  const status = el("div", { class: "status" }, el("strong", {}, `${k}. ${SEVERITY[issue.severity] || ""}`),
    choice("accepted", "采纳"), choice("rejected", "删除"));
  const update = () => {
    const rejected = status.querySelector("input[value=rejected]").checked;
    issue.text = text.value;
    issue.suggestion = suggestion.value;
    const changed = text.value !== first.text || suggestion.value !== first.suggestion;
    issue.status = rejected ? "rejected" : changed ? "edited" : "accepted";
    box.classList.toggle("rejected", rejected);
    box.dataset.status = issue.status;
  };
  for (const input of [text, suggestion]) input.addEventListener("input", update);
  status.addEventListener("change", update);
  box.append(status, el("label", {}, "问题", text), el("label", {}, "修改意见", suggestion));
  box.dataset.status = issue.status;
  box.classList.toggle("rejected", issue.status === "rejected");
  return box;
}

function verdictEditor() {
  const select = el("select", { id: "review-verdict" },
    VERDICTS.map((v) => el("option", { value: v, selected: v === review.verdict }, v)));
  select.addEventListener("change", () => { review.verdict = select.value; });
  return el("label", {}, "结论 ", select);
}

async function preview(target) {
  try {
    const result = await apiJson("/v1/reports/review/regenerate", {
      method: "POST", headers: { "Content-Type": "application/json", ...apiKeyHeaders() }, body: JSON.stringify(review),
    });
    target.replaceChildren(el("div", { class: "card draft", id: "review-draft" },
      result.review.draft || result.markdown));
  } catch (error) {
    target.replaceChildren(errorBox(error));
  }
}

async function download(format, messages) {
  try {
    const response = await api(`/v1/reports/review/download?format=${format}`, {
      method: "POST", headers: { "Content-Type": "application/json", ...apiKeyHeaders() },
      body: JSON.stringify(review),
    });
    saveAs(`评审意见-${baseName}.${format}`, await response.blob());
  } catch (error) {
    messages.replaceChildren(errorBox(error));
    messages.scrollIntoView({ block: "nearest" });
  }
}

// Shows the drafted review in `container` as an editor with a preview and downloads.
export function showReview(container, drafted, fileName) {
  review = structuredClone(drafted);
  original = new Map(drafted.issues.map((i) => [i.id, { text: i.text, suggestion: i.suggestion }]));
  baseName = fileName.replace(/\.[^.]+$/, "");
  const messages = el("div", { id: "review-messages", "aria-live": "polite" });
  const draft = el("div", { id: "review-preview" },
    el("div", { class: "card draft", id: "review-draft" }, drafted.draft || ""));
  const tools = el("div", { class: "downloads" },
    el("button", { type: "button", id: "download-docx", onclick: () => download("docx", messages) },
      "下载 DOCX"),
    el("button", { type: "button", id: "download-md", class: "secondary",
      onclick: () => download("md", messages) }, "下载 Markdown"),
    el("button", { type: "button", id: "review-refresh", class: "secondary",
      onclick: () => preview(draft) }, "按修改更新预览"));
  const issues = review.issues.map((issue, i) => issueEditor(issue, i + 1));
  container.replaceChildren(
    el("h3", {}, "编辑评审意见"),
    el("p", { class: "muted" }, "逐条采纳或删除问题，可直接修改文字；下载的 DOCX/Markdown 按修改后的内容生成。"),
    verdictEditor(), el("div", { id: "review-issues", class: "review-issues" }, issues),
    tools, messages, el("h3", {}, "预览"), draft);
}
