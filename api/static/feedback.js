// 赞/踩 on an answer, with a comment; a 踩 may say what is right (no basis in the documents,
// or the passage that should have been quoted). Sent to POST /v1/feedback, where it waits to
// become an evaluation item (`cpaudit feedback export`).

import { apiJson, el, errorBox, notice } from "./util.js";

function payload(turn, previous, rating, form) {
  const a = turn.answer;
  return {
    rating, comment: form.comment.value.trim(), question: turn.question,
    resolved_question: a.resolved_question || null, answer: a.answer, abstained: a.abstained,
    mode: a.mode, answerer: a.answerer || "extractive", citations: a.citations,
    history: previous.map((t) => ({ question: t.question, answer: t.answer.answer })),
    no_basis: rating === "down" && form.no_basis.checked,
    expected: rating === "down" ? form.expected.value.trim() : "",
  };
}

function feedbackForm(rating, onSend, onCancel) {
  const down = rating === "down";
  const form = el("form", { class: "feedback-form" },
    el("label", {}, down ? "哪里不对？（可选）" : "留言（可选）",
      el("textarea", { name: "comment", rows: "2", maxlength: "2000" })),
    down ? el("label", { class: "check" }, el("input", { type: "checkbox", name: "no_basis" }),
      "文件中没有相关规定，应当回答“无法回答”") : null,
    down ? el("label", {}, "应当引用的原文（可选，从文件中复制一句）",
      el("textarea", { name: "expected", rows: "2", maxlength: "2000" })) : null,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "send-feedback" }, "提交反馈"),
      el("button", { type: "button", class: "secondary", onclick: onCancel }, "取消")));
  form.addEventListener("submit", (e) => { e.preventDefault(); onSend(form); });
  return form;
}

// The 赞/踩 buttons of one answer and the form they open; `onSaved(rating)` records it.
export function feedbackControls(turn, previous, onSaved) {
  const area = el("div", { class: "feedback-area" });
  const done = (rating) => notice("ok", rating === "up" ? "已记录：赞。谢谢反馈！"
    : "已记录：踩。谢谢，这个问题会用于改进。");
  if (turn.feedback) {
    area.append(done(turn.feedback));
    return { buttons: [], area };
  }
  const open = (rating) => {
    const form = feedbackForm(rating, async (f) => {
      f.querySelector(".send-feedback").disabled = true;
      try {
        await apiJson("/v1/feedback", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify(payload(turn, previous, rating, f)) });
        buttons.forEach((b) => b.remove());
        area.replaceChildren(done(rating));
        onSaved(rating);
      } catch (error) {
        f.querySelector(".send-feedback").disabled = false;
        f.append(errorBox(error));
      }
    }, () => area.replaceChildren());
    area.replaceChildren(form);
    form.comment.focus();
    form.scrollIntoView({ block: "nearest" });
  };
  const buttons = [
    el("button", { type: "button", class: "link rate-up", title: "回答有用", onclick: () => open("up") }, "赞"),
    el("button", { type: "button", class: "link rate-down", title: "回答有误", onclick: () => open("down") }, "踩"),
  ];
  return { buttons, area };
}
