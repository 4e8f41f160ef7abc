// Entry point: tab routing by URL hash, the status badge, and the three pages.

import { initChat } from "./chat.js";
import { initCheck } from "./check.js";
import { initCorpus, loadDocuments } from "./corpus.js";
import { showStatus } from "./status.js";

const VIEWS = ["chat", "check", "corpus"];

function route() {
  const name = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "chat";
  for (const view of VIEWS) {
    document.getElementById(`view-${view}`).hidden = view !== name;
  }
  document.querySelectorAll("nav a").forEach((a) => {
    a.classList.toggle("active", a.dataset.view === name);
  });
  // The chat's bottom sheet holds the page still only while the chat is shown.
  document.body.classList.toggle("sheet-open",
    name === "chat" && !document.getElementById("quote-panel").hidden);
  if (name === "corpus") loadDocuments();
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
