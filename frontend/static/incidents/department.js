// A liaison's view on a phone: the department's open tasks across incidents, live. The tasks
// are loaded once (and again after a reconnect, which may have missed events); then each typed
// task event from /ws/board/ ({"type": "tasks"}, docs/events.md "Sockets") is applied here.
import { api, el, labels, LiveSocket } from "../js/live.js";
import { deadlines, taskCard } from "./tasks.js";

const L = labels();
const root = document.getElementById("tasks");
const department = root.dataset.department;
const tasks = new Map(); // id → task as /api/tasks/ has it
const OPEN = ["pending", "acknowledged", "in_progress"];
let loaded = false;

function render() {
  // A result beside a card's buttons and an open reassign form survive the redraw (as in the room).
  const kept = new Map();
  for (const card of root.querySelectorAll("article.task")) {
    kept.set(card.dataset.task, [card.querySelector(":scope > .actions > .action-result"), card.querySelector(":scope > .reassign-form")]);
  }
  const sorted = [...tasks.values()].sort((a, b) => (a.ack_due < b.ack_due ? -1 : 1));
  const cards = sorted.map((task) => taskCard(task, L, { onDone: applyAnswer }));
  for (const card of cards) {
    const [result, form] = kept.get(card.dataset.task) || [];
    if (result) card.querySelector(":scope > .actions").append(result);
    if (form) card.append(form);
  }
  root.replaceChildren(...(cards.length ? cards : [el("p", { class: "muted" }, L.no_tasks)]));
}

// The API's answer to an action is the task itself: apply it at once (the event follows).
function applyAnswer(task) {
  if (OPEN.includes(task.status) && task.department === department) tasks.set(task.id, { ...tasks.get(task.id), ...task });
  else tasks.delete(task.id);
  render();
}

async function load() {
  if (!department) return;
  const [real, drills] = await Promise.all([
    api(`/api/tasks/?department=${department}&open=true&page_size=200`),
    api(`/api/tasks/?department=${department}&open=true&exercise=true&page_size=200`),
  ]);
  tasks.clear();
  for (const task of [...real.results, ...drills.results]) tasks.set(task.id, task);
  loaded = true;
  render();
}

async function applyTaskEvent(msg) {
  const d = msg.data;
  const known = tasks.get(d.task);
  if (!OPEN.includes(d.status) || d.department !== department) {
    if (known) { tasks.delete(d.task); render(); }
    return;
  }
  const fields = { status: d.status, text: d.text, ack_due: d.ack_due, due: d.due, department: d.department, department_name: L.departments?.[d.department] || d.department };
  if (msg.event_type === "task_reassign_requested") fields.reassign_requested = true;
  if (known) {
    tasks.set(d.task, { ...known, ...fields });
  } else {
    // A new task: the incident's facts come from a card of the same incident, else once from the API.
    const sibling = [...tasks.values()].find((t) => t.incident === msg.incident.id);
    if (sibling) {
      tasks.set(d.task, { ...fields, id: d.task, incident: msg.incident.id, incident_short_code: msg.incident.short_code, incident_info: sibling.incident_info, contact_hint: "" });
    } else {
      try { tasks.set(d.task, await api(`/api/tasks/${d.task}/`)); } catch (e) { return; }
    }
  }
  render();
}

new LiveSocket("/ws/board/", {
  onOpen: (socket) => {
    if (department) socket.send(JSON.stringify({ type: "tasks", department }));
    if (loaded) load(); // after a reconnect: events may have been missed
  },
  onMessage: (msg) => {
    if (msg.type === "task") applyTaskEvent(msg);
    else if (msg.type === "tasks.subscribed") root.dataset.subscribed = msg.department; // following live
    else if (msg.type === "incident" && msg.data.status === "closed") {
      // A closed incident's tasks are no longer open work.
      let changed = false;
      for (const [id, task] of tasks) if (task.incident === msg.data.id) { tasks.delete(id); changed = true; }
      if (changed) render();
    }
  },
  onState: (s) => {
    const banner = document.getElementById("live-state");
    banner.textContent = s === "online" ? L.online : L.offline;
    banner.className = `live-state ${s}`;
  },
});
load();
// Countdowns move with the clock: redraw only the deadlines (an action's result stays on screen).
setInterval(() => {
  for (const card of root.querySelectorAll("article.task")) {
    const task = tasks.get(Number(card.dataset.task));
    if (task) card.querySelector(".deadlines").replaceWith(deadlines(task, L));
  }
}, 30000);
