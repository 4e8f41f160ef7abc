// The header badge: how many documents the index holds and, in plain words, how answers are
// made. Refreshed at start and after every corpus change.

import { apiJson } from "./util.js";

export function modeText(s) {
  if (!s.mode) return "尚未建立索引";
  if (s.llm.configured) return `大模型（${s.llm.model}）依据文件原文作答`;
  return s.mode === "hybrid" ? "按文件原文摘录回答（含语义检索）" : "离线模式：按文件原文摘录回答";
}

export async function showStatus() {
  const badge = document.getElementById("status-badge");
  try {
    const s = await apiJson("/v1/status");
    badge.textContent = `${s.documents} 份文件 · ${modeText(s)}`;
    const search = s.mode === "hybrid" ? `混合检索（关键词＋向量：${s.index.dense_model}）`
      : "关键词检索（BM25）";
    badge.title = `检索方式：${search}；回答方式：${s.llm.configured ? "大模型生成，附原文引用"
      : "直接摘录文件原文，不经大模型"}；版本 v${s.version}`;
    badge.dataset.documents = String(s.documents);
  } catch {
    badge.textContent = "服务不可用";
  }
}
