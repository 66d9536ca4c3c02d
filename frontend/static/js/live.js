// Shared helpers of the live pages: API calls with the CSRF token, and a socket that
// reconnects by itself (with back-off) and tells the page when it is offline.
export function csrfToken() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export async function api(path, { method = "GET", body } = {}) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (method !== "GET") options.headers["X-CSRFToken"] = csrfToken();
  const response = await fetch(path, options);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(data && (data.detail || data.error) ? data.detail || data.error : JSON.stringify(data));
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

// LiveSocket: onOpen(socket) sends the first messages (e.g. resume with the last seq);
// onMessage(msg); onState("online"|"offline"|"closed", code).
export class LiveSocket {
  constructor(path, { onOpen, onMessage, onState }) {
    this.url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
    Object.assign(this, { onOpen, onMessage, onState });
    this.delay = 500;
    this.stopped = false;
    this.connect();
  }
  connect() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 500;
      this.onState?.("online");
      this.onOpen?.(socket);
    };
    socket.onmessage = (e) => this.onMessage?.(JSON.parse(e.data));
    socket.onclose = (e) => {
      if ([4401, 4403].includes(e.code)) {
        this.stopped = true;
        this.onState?.("closed", e.code);
        return;
      }
      this.onState?.("offline");
      if (!this.stopped) setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10000);
    };
  }
  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A record's name in the page's language: its English name on an English page when it has one
// (departments, pollutants, items, rivers, features carry name_en), else its Chinese name
// (backend/names.py does the same for pages rendered by the server).
export function localName(record) {
  if (!record) return "";
  return (document.documentElement.lang.startsWith("en") && record.name_en) || record.name || "";
}

export function labels() {
  return JSON.parse(document.getElementById("labels").textContent);
}

export function hoursText(hours, L) {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} ${L.minutes}`;
  return `${hours.toFixed(1)} ${L.hours}`;
}
