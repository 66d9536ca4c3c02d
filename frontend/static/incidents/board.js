// Board overview: open incidents (real, and exercises apart), live over /ws/board/: each
// summary message replaces that incident's row; the page never asks the API.
import { LiveSocket, el, labels } from "../js/live.js";

const L = labels();
const incidents = new Map();
const state = document.getElementById("live-state");

function age(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso)) / 60000));
  return minutes < 90 ? `${minutes} ${L.minutes}` : `${(minutes / 60).toFixed(1)} ${L.hours}`;
}

function row(i) {
  return el(
    "tr",
    { class: `level-${i.level}`, dataset: { incident: i.id } },
    el("td", {}, el("span", { class: `level-badge level-${i.level}` }, L.level[i.level])),
    el("td", {}, el("a", { href: `/board/incidents/${i.id}/` }, `[${i.short_code}] ${i.title}`)),
    el("td", {}, L.rivers?.[i.river] || i.river || "—"), // summaries name the river by code
    el("td", {}, L.status[i.status] || i.status),
    el("td", {}, i.reported_at ? age(i.reported_at) : "…"),
    el("td", { class: "num" }, i.open_tasks),
    el("td", { class: i.overdue_tasks ? "num overdue" : "num" }, i.overdue_tasks),
  );
}

function render() {
  for (const exercise of [false, true]) {
    const body = document.querySelector(exercise ? "#exercise-incidents tbody" : "#real-incidents tbody");
    const rows = [...incidents.values()]
      .filter((i) => i.exercise === exercise && i.status !== "closed")
      .sort((a, b) => a.level - b.level || (b.updated_at > a.updated_at ? 1 : -1))
      .map(row);
    body.replaceChildren(...rows);
    document.querySelector(exercise ? "#exercise-empty" : "#real-empty").hidden = rows.length > 0;
  }
}

new LiveSocket("/ws/board/", {
  onOpen: () => incidents.clear(),
  onMessage: (msg) => {
    if (msg.type !== "incident") return;
    incidents.set(msg.data.id, msg.data);
    render();
  },
  onState: (s, code) => {
    state.textContent = s === "online" ? L.online : s === "offline" ? L.offline : code === 4401 ? L.login_again : L.forbidden;
    state.className = `live-state ${s}`;
  },
});
setInterval(render, 60000); // ages and overdue marks move with the clock
