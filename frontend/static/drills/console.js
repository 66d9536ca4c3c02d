// The controller's console: start/pause/resume/end, deliver or skip injects, add an ad-hoc
// inject, and follow the exercise incident's event log live over its socket (resuming from the
// last seq, so a reconnect misses nothing). The drill and its injects are read once; then each
// typed event (inject_delivered, drill_control: docs/events.md) is applied here, and each
// action's answer (the drill or the inject) too. Only a scheduled drill, which has no incident
// and so no socket yet, is polled until the beat task (or this console) starts it.
import { LiveSocket, api, el, labels } from "../js/live.js";
import { onSubmit, run } from "../js/actions.js";
import { Timeline } from "../js/timeline.js";

const L = labels();
const root = document.getElementById("console");
const drillId = root.dataset.drill;
let drill = null;
let injects = [];
let lastSeq = 0;
let socket = null;
let poll = null;
// The event log as sentences, like the room's timeline (labels from the server).
const timeline = new Timeline(document.getElementById("events"), L);

function clockText(minutes) {
  const total = Math.floor(minutes * 60);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

// The drill clock as the server computes it (Drill.elapsed_minutes): paused time excluded.
function elapsedMinutes() {
  if (!drill.started_at) return 0;
  const until = drill.paused_at || drill.ended_at || new Date().toISOString();
  return Math.max((new Date(until) - new Date(drill.started_at)) / 60000 - (drill.paused_seconds || 0) / 60, 0);
}

function renderDrill() {
  const status = document.getElementById("status");
  status.textContent = L.drill_status?.[drill.status] || drill.status_display;
  status.dataset.status = drill.status;
  document.getElementById("clock").textContent = clockText(elapsedMinutes());
  const allowed = {
    start: drill.status === "scheduled", pause: drill.status === "running",
    resume: drill.status === "paused", end: drill.status === "running" || drill.status === "paused",
  };
  for (const button of root.querySelectorAll("[data-action]")) {
    if (button.getAttribute("aria-busy") !== "true") button.disabled = !allowed[button.dataset.action];
  }
}

function renderInjects() {
  const live = drill && (drill.status === "running" || drill.status === "paused");
  document.querySelector("#injects tbody").replaceChildren(...injects.map((inject) => {
    const pending = inject.status === "pending";
    const button = (kind, text) => el("button", { type: "button", "data-inject": kind, onclick: (e) => act(e.currentTarget, `injects/${inject.id}/${kind}/`) }, text);
    return el("tr", { class: `inject-${inject.status}`, dataset: { id: inject.id } },
      el("td", {}, inject.number), el("td", {}, inject.offset_minutes), el("td", {}, L.departments?.[inject.to] || inject.to),
      el("td", {}, inject.message), el("td", {}, inject.expected_action || "—"),
      el("td", {}, L[inject.status] || inject.status),
      el("td", {}, pending && live ? button("deliver", L.deliver) : null, pending ? button("skip", L.skip) : null));
  }));
}

function setInject(id, fields) {
  const inject = injects.find((i) => i.id === id);
  if (inject) Object.assign(inject, fields);
  return Boolean(inject);
}

// The drill's state from its own events.
function apply(event) {
  const d = event.data || {};
  if (event.event_type === "inject_delivered") {
    setInject(d.inject, { status: "delivered" });
  } else if (event.event_type === "drill_control") {
    if (d.action === "start") Object.assign(drill, { status: "running", started_at: drill.started_at || event.at });
    else if (d.action === "pause") Object.assign(drill, { status: "paused", paused_at: event.at });
    else if (d.action === "resume") Object.assign(drill, { status: "running", paused_at: null, paused_seconds: (drill.paused_seconds || 0) + (d.paused_seconds || 0) });
    else if (d.action === "end") Object.assign(drill, { status: "ended", ended_at: event.at, paused_at: null });
    else if (d.action === "skip") setInject(d.inject, { status: "skipped" });
    else if (d.action === "add_inject" && !injects.some((i) => i.id === d.inject)) {
      // The event names the new inject without its text: read the list once (a gap to fill).
      api(`/api/drills/${drillId}/injects/`).then((list) => { injects = list; renderInjects(); }, () => {});
    }
  } else return;
  renderDrill();
  renderInjects();
}

function showEvent(event) {
  if (event.seq <= lastSeq) return; // the socket resumes after lastSeq; never show one twice
  lastSeq = event.seq;
  const d = event.data || {};
  timeline.add(event.event_type === "drill_control" ? { ...event, data: { ...d, action: L.control_actions?.[d.action] || d.action } } : event);
  apply(event);
}

function follow(incidentId) {
  if (socket) return;
  clearInterval(poll);
  socket = new LiveSocket(`/ws/incidents/${incidentId}/`, {
    onOpen: () => socket.send({ type: "resume", after: lastSeq }),
    onMessage: (message) => { if (message.type === "event") showEvent(message); },
  });
}

async function load() {
  drill = await api(`/api/drills/${drillId}/`);
  injects = await api(`/api/drills/${drillId}/injects/`);
  renderDrill();
  renderInjects();
  if (drill.incident) follow(drill.incident);
}

// An action's answer is the drill or the inject: apply it; its event follows over the socket.
function act(button, path, body = {}) {
  return run(button, () => api(`/api/drills/${drillId}/${path}`, { method: "POST", body }), { ok: L.done_ok, fail: L.error }).then((answer) => {
    if (!answer) return;
    if ("offset_minutes" in answer) setInject(answer.id, answer);
    else {
      drill = answer;
      if (drill.incident) follow(drill.incident);
    }
    renderDrill();
    renderInjects();
  });
}

for (const button of root.querySelectorAll("[data-action]")) {
  button.addEventListener("click", () => {
    if (button.dataset.action === "end" && !confirm(L.confirm_end)) return;
    act(button, `${button.dataset.action}/`);
  });
}

onSubmit(document.getElementById("adhoc"), (f, form) =>
  api(`/api/drills/${drillId}/injects/`, { method: "POST", body: Object.fromEntries(new FormData(form)) }).then((inject) => {
    if (!injects.some((i) => i.id === inject.id)) injects.push(inject);
    renderInjects();
    form.reset();
    return inject;
  }), { ok: L.saved, fail: L.error });

load().catch((error) => (document.getElementById("errors").textContent = error.message));
// A scheduled drill has no incident yet: ask until it starts (then the socket takes over).
poll = setInterval(() => {
  if (socket || !drill || drill.status !== "scheduled") return;
  api(`/api/drills/${drillId}/`).then((fresh) => { drill = fresh; renderDrill(); renderInjects(); if (drill.incident) follow(drill.incident); }, () => {});
}, 5000);
setInterval(() => drill && renderDrill(), 1000); // the clock
