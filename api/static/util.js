// Shared helpers: DOM building (text only, never innerHTML with server data), API calls,
// the error box, and a reader for server-sent events over fetch (EventSource cannot POST).

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Saves `data` (text or Blob) as a file named `name`: the browser's download.
export function saveAs(name, data, type = "text/markdown;charset=utf-8") {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export const KIND_NAMES = { law: "法律", regulation: "法规", plan: "规划/方案", notice: "通知" };

export function apiKeyHeaders() {
  const key = sessionStorage.getItem("cpaudit-api-key");
  return key ? { "X-API-Key": key } : {};
}

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message_zh || `请求失败（HTTP ${status}）`);
    this.status = status;
    this.code = error.code || "http_error";
    this.messageEn = error.message_en || "";
  }
}

async function failure(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: keep the status */ }
  return new ApiError(response.status, body);
}

export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError(0, { error: { message_zh: "无法连接服务，请检查网络或服务是否已启动。",
      message_en: "Cannot reach the service." } });
  }
  if (!response.ok) throw await failure(response);
  return response;
}

export async function apiJson(path, options = {}) {
  return (await api(path, options)).json();
}

export function errorBox(error) {
  const en = error.messageEn ? el("small", {}, error.messageEn) : null;
  return el("div", { class: "alert error", role: "alert" }, error.message || String(error), en);
}

export function notice(kind, text) {
  return el("div", { class: `alert ${kind}` }, text);
}

// Calls onEvent(name, data) for each event of a text/event-stream response body.
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
    if (done) break;
  }
}
