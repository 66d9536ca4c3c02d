// The incident room: map, threatened receptors with countdowns, department × task matrix, SMS
// table, live timeline. The state lives here: the incident's detail, the SMS summary and the
// event-type labels are read once on first load; then every typed event from the socket is
// applied to that state (docs/events.md), without asking the API again. The socket resumes
// from the last seq it saw, and fills a gap from the database by itself.
import { api, el, hoursText, labels, LiveSocket, localName } from "../js/live.js";
import { onSubmit, run } from "../js/actions.js";
import { addOrientation } from "../js/orientation.js";
import { Timeline } from "../js/timeline.js";
import { deadlines, overdue, taskActions } from "./tasks.js";

const L = labels();
const root = document.getElementById("room");
const incidentId = root.dataset.incident;
const canCommand = root.dataset.command === "true";
const myDepartment = root.dataset.department;
let detail = null;
let lastSeq = 0;
let timeline = null;
const sms = new Map(); // department code → the summary row
const problems = new Map(); // notification id → {id, contact, to, status, error_code, can_resend}

const closed = () => detail.status === "closed";
const departmentName = (code) => L.departments?.[code] || code;
const fill = (template, values) => template.replace(/%\(([a-z_]+)\)s/g, (_, k) => String(values[k] ?? ""));

// --- map ------------------------------------------------------------------------------
const mapConfig = JSON.parse(document.getElementById("map-config").textContent);
const leaflet = window.L;
const theMap = leaflet.map("incident-map", { zoomControl: true });
if (mapConfig.tiles) leaflet.tileLayer(mapConfig.tiles, { attribution: mapConfig.attribution }).addTo(theMap);
const featureLayer = leaflet.layerGroup().addTo(theMap);
// Counties, seats, rivers with their names, beneath the incident's own layers (js/orientation.js).
addOrientation(leaflet, theMap).catch(() => { /* the room works without it */ });
const colours = { receptor: "#c0392b", space: "#1e8449", section: "#2e86c1", risk_source: "#7d3c98", confluence: "#555" };

// Leaflet puts string popup content in as HTML: titles, names and samples go in as text nodes.
const popupText = (text) => el("span", { class: "popup-text" }, text);

// The features and rivers the trace names, by id, a hundred at a time (never a whole network).
async function byIds(path, ids) {
  const features = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const page = await api(`${path}?id__in=${chunk.join(",")}&page_size=100`);
    features.push(...(page.features || []));
  }
  return { type: "FeatureCollection", features };
}

async function drawMap() {
  const spill = detail.location.coordinates;
  const spillMarker = leaflet.circleMarker([spill[1], spill[0]], { radius: 9, color: "#000", fillColor: "#f1c40f", fillOpacity: 1 });
  spillMarker.bindPopup(popupText(detail.title)).addTo(featureLayer);
  const bounds = leaflet.latLngBounds([[spill[1], spill[0]]]);
  const downstream = detail.trace?.downstream || [];
  const riverIds = [...new Set([detail.trace?.river?.id ?? detail.river?.id, ...downstream.filter((d) => d.kind === "confluence").map((d) => d.id)].filter((id) => id != null))];
  const featureIds = [...new Set(downstream.filter((d) => d.kind !== "confluence" && d.id != null).map((d) => d.id))];
  try {
    if (riverIds.length) leaflet.geoJSON(await byIds("/api/rivers/", riverIds), { style: { color: "#2874a6", weight: 3 } }).addTo(theMap).bringToBack();
  } catch (e) { /* the map still shows the features */ }
  try {
    if (featureIds.length) {
      leaflet.geoJSON(await byIds("/api/river-features/", featureIds), {
        pointToLayer: (f, latlng) => {
          bounds.extend(latlng);
          return leaflet.circleMarker(latlng, { radius: 7, color: colours[f.properties.kind] || "#333", fillOpacity: 0.8 });
        },
        onEachFeature: (f, layer) => layer.bindPopup(popupText(localName(f.properties))),
      }).addTo(featureLayer);
    }
  } catch (e) { /* optional layer */ }
  theMap.fitBounds(bounds.pad(0.3), { maxZoom: 12 });
}

// --- header, countdowns, matrix ---------------------------------------------------------
function renderHeader() {
  const level = document.getElementById("level");
  level.textContent = L.level[detail.level];
  level.className = `level-badge level-${detail.level}`;
  document.getElementById("status").textContent = L.status[detail.status] || detail.status;
  const suggestion = !closed() && detail.suggested_level && detail.suggested_level !== detail.level
    ? el("li", { class: "suggested-level" }, `${L.suggested}: ${L.level[detail.suggested_level]}`) : null;
  // Each reason says its basis; what the trace merely reaches is the potential level, apart.
  const reason = (r) => el("li", { class: `basis-${r.basis}` }, `${L.level[r.level]} ← ${r.name || r.rule} (${L.basis[r.basis] || r.basis})`);
  document.getElementById("reasons").replaceChildren(...[suggestion, ...detail.level_reasons.map(reason)].filter(Boolean));
  const potential = document.getElementById("potential");
  if (potential) {
    potential.hidden = closed() || !detail.potential_reasons.length;
    document.getElementById("potential-level").textContent = L.level[detail.potential_level];
    document.getElementById("potential-reasons").replaceChildren(...detail.potential_reasons.map(reason));
  }
  document.getElementById("other-plans").replaceChildren(
    ...detail.other_plans.map((p) =>
      el("li", {}, `${p.river_name}: ${p.title} `,
        canCommand && !closed() ? el("button", { type: "button", dataset: { action: "activate" }, onclick: (e) => run(e.currentTarget, () => api(`/api/incidents/${incidentId}/activate/`, { method: "POST", body: { plan: p.plan } }), { ok: L.done_ok, fail: L.error }) }, "▶") : null),
    ),
  );
  renderClosed();
}

// A closed room: a banner, no countdowns, no task buttons, no commands but the note form.
function renderClosed() {
  const isClosed = closed();
  root.classList.toggle("is-closed", isClosed);
  let banner = document.getElementById("closed-banner");
  if (isClosed && !banner) {
    banner = el("p", { id: "closed-banner", class: "closed-banner", role: "status" }, L.closed_banner);
    root.querySelector(".page-head").after(banner);
  } else if (!isClosed && banner) banner.remove();
  for (const id of ["level-form", "status-form", "task-form", "supply-form"]) {
    const form = document.getElementById(id);
    if (form) form.hidden = isClosed;
  }
}

function renderCountdowns() {
  const list = document.getElementById("threatened");
  const downstream = detail.trace?.downstream || [];
  const rows = downstream
    .filter((d) => d.kind === "receptor" || d.kind === "space")
    .map((d) => {
      const hoursLeft = (new Date(d.front_at) - Date.now()) / 3600000;
      const left = closed() ? null : hoursLeft <= 0 ? L.arrived : `${L.front_in} ${hoursText(hoursLeft, L)}`;
      const limit = d.limit_mg_l != null ? ` / ${d.limit_mg_l}` : "";
      const conc = d.peak_mg_l != null ? `${d.peak_mg_l.toPrecision(3)}${limit} mg/L` : "";
      return el("li", { class: `${d.kind}${d.exceeds ? " exceeds" : ""}`, dataset: { feature: d.id } },
        el("strong", {}, d.name), ` · ${(d.distance_m / 1000).toFixed(1)} km`, left ? " · " : "", left ? el("span", { class: "countdown" }, left) : null, conc ? ` · ${conc}` : "");
    });
  list.replaceChildren(...rows);
  const rec = detail.trace?.recommended_space;
  document.getElementById("recommended").textContent = rec ? `${rec.name} (${(rec.distance_m / 1000).toFixed(1)} km)` : "—";
}

function taskCell(task, code) {
  const late = !closed() && overdue(task);
  const mayAct = !closed() && (canCommand || code === myDepartment);
  return el("div", { class: `task-cell status-${task.status}${late ? " is-overdue" : ""}`, dataset: { task: task.id } },
    el("span", { class: `pill status-${task.status}` }, L.task_status[task.status]),
    late ? el("span", { class: "pill overdue" }, L.overdue) : null,
    " ", task.text,
    deadlines(task, L, { closed: closed() }),
    task.completion_note ? el("blockquote", { class: "completion-note" }, fill(L.s.completion_note, { note: task.completion_note })) : null,
    el("span", { class: "actions" }, mayAct ? taskActions(task, L, { canCommand }) : []));
}

function renderMatrix() {
  const byDepartment = new Map();
  for (const task of detail.tasks) {
    if (!byDepartment.has(task.department)) byDepartment.set(task.department, []);
    byDepartment.get(task.department).push(task);
  }
  // An open reassign form (being typed in) and the last result beside a task's buttons survive
  // the redraw that any task event causes: they move into the task's new cell.
  const kept = new Map();
  for (const cell of document.querySelectorAll("#matrix .task-cell")) {
    kept.set(cell.dataset.task, [cell.querySelector(":scope > .actions > .action-result"), cell.querySelector(":scope > .reassign-form")]);
  }
  document.querySelector("#matrix tbody").replaceChildren(
    ...[...byDepartment.entries()].map(([code, tasks]) =>
      el("tr", { dataset: { department: code } }, el("th", {}, tasks[0].department_name || departmentName(code)), el("td", {}, tasks.map((t) => taskCell(t, code))))),
  );
  for (const cell of document.querySelectorAll("#matrix .task-cell")) {
    const [result, form] = kept.get(cell.dataset.task) || [];
    if (result) cell.querySelector(".actions").append(result);
    if (form && !closed()) cell.append(form);
  }
}

// --- SMS: per department sent / delivered / failed / acknowledged, and resend -------------------
const SENT = ["accepted", "sent", "delivered", "undelivered"];
const FAILED = ["failed", "undelivered"];
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "");

function renderSms() {
  for (const row of sms.values()) {
    const tasks = detail.tasks.filter((t) => t.department === row.department);
    row.tasks = tasks.length;
    row.acknowledged = tasks.filter((t) => t.status !== "pending").length;
  }
  document.querySelector("#sms tbody").replaceChildren(
    ...[...sms.values()].map((d) =>
      el("tr", { dataset: { department: d.department } },
        el("td", {}, d.department_name), el("td", { class: "num" }, `${d.sent} ${time(d.first_sent_at)}`),
        el("td", { class: "num" }, `${d.delivered} ${time(d.last_delivered_at)}`),
        el("td", { class: d.failed ? "num overdue" : "num" }, d.failed),
        el("td", { class: "num" }, `${d.acknowledged}/${d.tasks} ${time(d.first_acknowledged_at)}`),
        el("td", {}, d.latest_error ? `${d.latest_error.contact}: ${d.latest_error.code || ""} ${d.latest_error.message || d.latest_error.status}` : ""))),
  );
  document.getElementById("sms-problems").replaceChildren(
    ...[...problems.values()].filter((n) => n.can_resend).map((n) =>
      el("li", {}, `${n.contact.name} ${n.to} · ${n.status} ${n.error_code || ""} `,
        canCommand && !closed() ? el("button", { type: "button", dataset: { action: "resend" }, onclick: (e) => run(e.currentTarget, () => api(`/api/notifications/${n.id}/resend/`, { method: "POST" }), { ok: L.done_ok, fail: L.error }) }, "↻") : null)),
  );
}

async function loadSms() {
  try {
    const [summary, list] = await Promise.all([
      api(`/api/notification-summary/?incident=${incidentId}`),
      api(`/api/notifications/?incident=${incidentId}&page_size=200`),
    ]);
    for (const row of summary.departments) sms.set(row.department, row);
    for (const n of list.results || []) problems.set(n.id, n);
  } catch (e) {
    return; // alerts not reachable: the rest of the room still works
  }
  renderSms();
}

function applySms(d, at) {
  const row = sms.get(d.department) || { department: d.department, department_name: departmentName(d.department), sent: 0, delivered: 0, failed: 0, tasks: 0, acknowledged: 0, latest_error: null };
  sms.set(d.department, row);
  const known = problems.get(d.notification);
  const previous = known ? known.status : d.previous;
  const count = (status, sign) => {
    if (SENT.includes(status)) row.sent += sign;
    if (status === "delivered") row.delivered += sign;
    if (FAILED.includes(status)) row.failed += sign;
  };
  if (previous !== d.status) { count(previous, -1); count(d.status, +1); }
  if (d.status === "sent" && !row.first_sent_at) row.first_sent_at = at;
  if (d.status === "delivered") row.last_delivered_at = at;
  if (d.error_code || d.error) row.latest_error = { contact: d.contact, code: d.error_code, message: d.error, status: d.status };
  problems.set(d.notification, { id: d.notification, contact: { name: d.contact }, to: d.to, status: d.status, error_code: d.error_code, can_resend: FAILED.includes(d.status) });
  if (d.resend_of && problems.has(d.resend_of)) problems.get(d.resend_of).can_resend = false;
}

// --- applying events ----------------------------------------------------------------------
function applyTask(type, d) {
  let task = detail.tasks.find((t) => t.id === d.task);
  if (!task) {
    task = { id: d.task, reassign_requested: false, completion_note: "" };
    detail.tasks.push(task);
  }
  Object.assign(task, { department: d.department, department_name: departmentName(d.department), text: d.text, status: d.status, ack_due: d.ack_due, due: d.due, source: d.source });
  if (type === "task_completed") task.completion_note = d.note;
  if (type === "task_reassign_requested") task.reassign_requested = true;
  if (type === "task_reassigned") task.reassign_requested = false;
}

// Returns what must be drawn again.
function apply(event) {
  const d = event.data || {};
  const type = event.event_type;
  if (type.startsWith("task_")) { applyTask(type, d); return ["matrix", "sms"]; }
  switch (type) {
    case "level_changed": detail.level = d.to; detail.level_confirmed = true; return ["header"];
    case "status_changed": detail.status = d.to; return ["header", "matrix", "countdowns"];
    case "closed": detail.status = "closed"; detail.summary = d.summary; return ["header", "matrix", "countdowns", "sms"];
    case "reopened": detail.status = d.to; return ["header", "matrix", "countdowns", "sms"];
    case "impact_updated": detail.suggested_level = d.suggested; detail.level_reasons = d.reasons; return ["header"];
    case "plan_activated": detail.other_plans = detail.other_plans.filter((p) => p.plan !== d.plan); return ["header"];
    case "sms_status": applySms(d, event.at); return ["sms"];
    case "sample_recorded":
      if (d.location) {
        const [lon, lat] = d.location.coordinates;
        leaflet.circleMarker([lat, lon], { radius: 6, color: "#e67e22", fillOpacity: 0.9 }).bindPopup(popupText(timeline.sentence(event))).addTo(featureLayer);
      }
      return [];
    default: return [];
  }
}

const draw = { header: renderHeader, matrix: renderMatrix, countdowns: renderCountdowns, sms: renderSms };
let toDraw = new Set();
let drawScheduled = false;

function addEvent(event) {
  if (event.seq <= lastSeq) return;
  lastSeq = event.seq;
  timeline.add(event);
  // Events up to the detail's last_seq are already in the state read on first load.
  if (event.seq <= detail.last_seq) {
    if (event.event_type === "sample_recorded") apply(event);
    return;
  }
  for (const part of apply(event)) toDraw.add(part);
  if (!drawScheduled) {
    drawScheduled = true;
    requestAnimationFrame(() => {
      drawScheduled = false;
      const parts = toDraw;
      toDraw = new Set();
      for (const part of parts) draw[part]();
    });
  }
}

// Countdowns move with the clock: redraw them (and the task deadlines) every 30 s while open.
function tick() {
  if (closed()) return;
  renderCountdowns();
  for (const cell of document.querySelectorAll("#matrix .task-cell")) {
    const task = detail.tasks.find((t) => String(t.id) === cell.dataset.task);
    if (task) cell.querySelector(".deadlines").replaceWith(deadlines(task, L));
  }
}

// --- commands: the result shows beside the control (js/actions.js); the event updates the room --
function wireCommands() {
  const post = (path, body) => api(`/api/incidents/${incidentId}/${path}/`, { method: "POST", body });
  const form = (id) => document.getElementById(id);
  if (form("note-form")) onSubmit(form("note-form"), (f) => post("notes", { text: f.text.value }).then((r) => { f.text.value = ""; return r; }), { ok: L.saved, fail: L.error });
  if (form("level-form")) onSubmit(form("level-form"), (f) => post("level", { level: Number(f.level.value), reason: f.reason.value }), { ok: L.done_ok, fail: L.error });
  if (form("status-form")) onSubmit(form("status-form"), (f) => (f.status.value === "closed" ? post("close", { summary: f.summary.value }) : post("status", { status: f.status.value })), { ok: L.done_ok, fail: L.error });
  if (form("task-form")) {
    onSubmit(form("task-form"), (f) => post("tasks", { department: f.department.value, text: f.text.value, ack_minutes: Number(f.ack_minutes.value || 10), complete_minutes: f.complete_minutes.value ? Number(f.complete_minutes.value) : null }), { ok: L.done_ok, fail: L.error });
  }
  if (form("report-form")) {
    onSubmit(form("report-form"), async (f) => {
      const body = { kind: f.kind.value, signatory: f.signatory.value, contact: { name: f.contact_name.value, phone: f.contact_phone.value } };
      for (const name of ["source", "cause", "next_steps"]) if (f[name].value) body[name] = f[name].value;
      if (body.kind === "followup" && f.changes.value) body.changes = f.changes.value;
      const report = await api(`/api/incidents/${incidentId}/reports/`, { method: "POST", body });
      document.getElementById("reports").append(el("li", {}, el("a", { href: report.html_url }, `${report.kind} ${report.number}`)));
      window.open(report.html_url, "_blank");
      return report;
    }, { ok: L.saved, fail: L.error });
  }
}

// --- supplies: nearest depots for an item, then a dispatch request ------------------------
const english = document.documentElement.lang?.toLowerCase().startsWith("en");
const unitOf = (record) => (english && record.unit_en) || record.unit || ""; // Item.unit_en in English pages
// Who to call at the depot, its hours, and whether it is shut now (at night it may be).
function depotAvailability(d) {
  const hours = d.is_24h ? L.depot.open24 : d.opening_hours;
  const state = d.open_now === false
    ? el("strong", { class: "closed-now" }, fill(L.depot.closed, { time: d.opens_at }))
    : d.open_now === true && !d.is_24h ? el("span", { class: "open-now" }, L.depot.open) : null;
  return el("div", { class: "depot-availability small" },
    d.contact ? el("span", { class: "depot-contact" }, `${L.depot.contact}: ${d.contact.name} `, el("a", { href: `tel:${d.contact.phone}` }, d.contact.phone)) : el("span", { class: "muted" }, L.depot.no_contact),
    hours ? ` · ${L.depot.hours}: ${hours}` : "",
    state ? " · " : "", state);
}

async function wireSupplies() {
  const supplyForm = document.getElementById("supply-form");
  if (!supplyForm) return;
  const items = await api("/api/items/?page_size=1000").catch(() => ({ results: [] }));
  supplyForm.elements.supply_item.replaceChildren(...items.results.map((i) => el("option", { value: i.code }, `${localName(i)} (${unitOf(i)})`)));
  onSubmit(supplyForm, async (f) => {
    const [lon, lat] = detail.location.coordinates;
    const item = f.supply_item.value;
    const unit = unitOf(items.results.find((i) => i.code === item) || {});
    const quantity = Number(f.quantity.value);
    const depots = await api(`/api/depots/nearest/?lon=${lon}&lat=${lat}&item=${encodeURIComponent(item)}&quantity=${quantity}`);
    document.getElementById("depots").replaceChildren(
      ...depots.map((d) => {
        const amount = Math.min(quantity, d.available);
        return el("li", { class: `${d.partial ? "partial" : ""}${d.open_now === false ? " depot-closed" : ""}`, dataset: { depot: d.depot } }, `${d.name} · ${(d.distance_m / 1000).toFixed(1)} km · ${Math.round(d.road_minutes)} ${L.minutes} · ${d.available} ${unit} `,
          el("button", { type: "button", dataset: { action: "dispatch" }, onclick: (ev) => run(ev.currentTarget,
            () => api("/api/dispatches/", { method: "POST", body: { incident: Number(incidentId), depot: d.depot, item, quantity: amount } }),
            { ok: (r) => fill(L.dispatch_created, { id: `#${r.id}`, quantity: `${r.quantity} ${unitOf(r)}`.trim(), depot: d.name }), fail: L.error, form: null }) }, "▶"),
          depotAvailability(d));
      }),
    );
    return depots;
  }, { ok: (depots) => (depots.length ? "" : L.no_depots), fail: L.error });
}

// --- start ---------------------------------------------------------------------------
const [first, types] = await Promise.all([
  api(`/api/incidents/${incidentId}/`),
  api("/api/event-types/").catch(() => []),
]);
detail = first;
const language = document.documentElement.lang?.toLowerCase().startsWith("en") ? "en" : "zh-hans";
timeline = new Timeline(document.getElementById("timeline"), L, Object.fromEntries(types.map((t) => [t.event_type, t.labels[language] || t.event_type])));
renderHeader();
renderCountdowns();
renderMatrix();
drawMap();
wireCommands();
wireSupplies();
loadSms();
setInterval(tick, 30000);
new LiveSocket(`/ws/incidents/${incidentId}/`, {
  onOpen: (socket) => socket.send(JSON.stringify({ type: "resume", after: lastSeq })),
  onMessage: (msg) => { if (msg.type === "event") addEvent(msg); },
  onState: (s, code) => {
    const banner = document.getElementById("live-state");
    banner.textContent = s === "online" ? L.online : s === "offline" ? L.offline : code === 4401 ? L.login_again : L.forbidden;
    banner.className = `live-state ${s}`;
  },
});
