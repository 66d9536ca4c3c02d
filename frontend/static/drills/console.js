// The controller's console: start/pause/resume/end, deliver or skip injects, add an ad-hoc
// inject, and follow the exercise incident's event log live over its socket (resuming from the
// last seq, so a reconnect misses nothing). The drill's state is also polled every 5 s, since
// the beat task changes it (a start, a delivery) without the console asking.
import { LiveSocket, api, el, labels } from "../js/live.js";

const L = labels();
const root = document.getElementById("console");
const drillId = root.dataset.drill;
const errors = document.getElementById("errors");
let drill = null;
let lastSeq = 0;
let socket = null;
let pending = null;

function fail(error) {
  errors.textContent = error.data ? JSON.stringify(error.data) : error.message;
}

function clockText(minutes) {
  const total = Math.floor(minutes * 60);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

function renderDrill() {
  const status = document.getElementById("status");
  status.textContent = drill.status_display;
  status.dataset.status = drill.status;
  document.getElementById("clock").textContent = clockText(drill.elapsed_minutes);
  const allowed = {
    start: drill.status === "scheduled", pause: drill.status === "running",
    resume: drill.status === "paused", end: drill.status === "running" || drill.status === "paused",
  };
  for (const button of root.querySelectorAll("[data-action]")) button.disabled = !allowed[button.dataset.action];
}

function renderInjects(injects) {
  const body = document.querySelector("#injects tbody");
  body.replaceChildren(...injects.map((inject) => {
    const pending = inject.status === "pending";
    const live = drill && (drill.status === "running" || drill.status === "paused");
    return el("tr", { class: `inject-${inject.status}`, dataset: { id: inject.id } },
      el("td", {}, inject.number), el("td", {}, inject.offset_minutes), el("td", {}, inject.to),
      el("td", {}, inject.message), el("td", {}, inject.expected_action || "—"),
      el("td", {}, L[inject.status] || inject.status),
      el("td", {},
        pending && live ? el("button", { type: "button", "data-inject": "deliver", onclick: () => act(`injects/${inject.id}/deliver/`) }, L.deliver) : null,
        pending ? el("button", { type: "button", "data-inject": "skip", onclick: () => act(`injects/${inject.id}/skip/`) }, L.skip) : null));
  }));
}

function showEvent(event) {
  if (event.seq <= lastSeq) return; // the socket resumes after lastSeq; never show one twice
  lastSeq = event.seq;
  const what = event.data.action || event.data.message || event.data.text || event.data.department || "";
  document.getElementById("events").prepend(el("li", {}, `${event.at.slice(11, 19)} ${event.event_type} ${what}`));
}

function follow(incidentId) {
  if (socket) return;
  socket = new LiveSocket(`/ws/incidents/${incidentId}/`, {
    onOpen: () => socket.send({ type: "resume", after: lastSeq }),
    onMessage: (message) => {
      if (message.type !== "event") return;
      showEvent(message);
      // An event may be a delivery or an acknowledgement: refresh the table once per burst.
      clearTimeout(pending);
      pending = setTimeout(refresh, 300);
    },
  });
}

async function refresh() {
  try {
    drill = await api(`/api/drills/${drillId}/`);
    renderDrill();
    renderInjects(await api(`/api/drills/${drillId}/injects/`));
    if (drill.incident) follow(drill.incident);
  } catch (error) {
    fail(error);
  }
}

async function act(path, body = {}) {
  errors.textContent = "";
  try {
    await api(`/api/drills/${drillId}/${path}`, { method: "POST", body });
  } catch (error) {
    fail(error);
  }
  await refresh();
}

for (const button of root.querySelectorAll("[data-action]")) {
  button.addEventListener("click", () => {
    if (button.dataset.action === "end" && !confirm(L.confirm_end)) return;
    act(`${button.dataset.action}/`);
  });
}

document.getElementById("adhoc").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(event.target));
  try {
    await api(`/api/drills/${drillId}/injects/`, { method: "POST", body });
    event.target.reset();
  } catch (error) {
    fail(error);
  }
  await refresh();
});

refresh();
setInterval(refresh, 5000);
