// The incident room: map, threatened receptors with countdowns, department × task matrix,
// live timeline. Reconnects by itself and resumes from the last seq it saw.
import { api, el, hoursText, labels, LiveSocket } from "../js/live.js";
import { overdue, taskActions } from "./tasks.js";

const L = labels();
const root = document.getElementById("room");
const incidentId = root.dataset.incident;
const canCommand = root.dataset.command === "true";
const myDepartment = root.dataset.department;
const message = document.getElementById("message");
let detail = null;
let lastSeq = 0;
let refreshTimer = null;
let smsTimer = null;

const fail = (e) => (message.textContent = `${L.error}: ${e.message}`);

// --- map ------------------------------------------------------------------------------
const mapConfig = JSON.parse(document.getElementById("map-config").textContent);
const leaflet = window.L;
const theMap = leaflet.map("incident-map", { zoomControl: true });
if (mapConfig.tiles) leaflet.tileLayer(mapConfig.tiles, { attribution: mapConfig.attribution }).addTo(theMap);
const featureLayer = leaflet.layerGroup().addTo(theMap);
const colours = { receptor: "#c0392b", space: "#1e8449", section: "#2e86c1", risk_source: "#7d3c98", confluence: "#555" };

// Leaflet puts string popup content in as HTML: titles, names and samples go in as text nodes.
const popupText = (text) => el("span", { class: "popup-text" }, text);

async function drawMap() {
  const spill = detail.location.coordinates;
  const spillMarker = leaflet.circleMarker([spill[1], spill[0]], { radius: 9, color: "#000", fillColor: "#f1c40f", fillOpacity: 1 });
  spillMarker.bindPopup(popupText(detail.title)).addTo(featureLayer);
  const bounds = leaflet.latLngBounds([[spill[1], spill[0]]]);
  try {
    const rivers = await api("/api/rivers/?page_size=1000");
    const layer = leaflet.geoJSON(rivers, { style: { color: "#2874a6", weight: 3 } }).addTo(theMap);
    layer.bringToBack();
  } catch (e) { /* the map still shows the features */ }
  try {
    const features = await api(`/api/river-features/?page_size=1000`);
    const wanted = new Set((detail.trace?.downstream || []).map((d) => `${d.kind}:${d.id}`));
    leaflet.geoJSON(features, {
      filter: (f) => wanted.has(`${f.properties.kind}:${f.id ?? f.properties.id}`),
      pointToLayer: (f, latlng) => {
        bounds.extend(latlng);
        return leaflet.circleMarker(latlng, { radius: 7, color: colours[f.properties.kind] || "#333", fillOpacity: 0.8 });
      },
      onEachFeature: (f, layer) => layer.bindPopup(popupText(f.properties.name)),
    }).addTo(featureLayer);
  } catch (e) { /* optional layer */ }
  theMap.fitBounds(bounds.pad(0.3), { maxZoom: 12 });
}

// --- header, countdowns, matrix ---------------------------------------------------------
function renderHeader() {
  document.getElementById("level").textContent = L.level[detail.level];
  document.getElementById("level").className = `level-badge level-${detail.level}`;
  document.getElementById("status").textContent = L.status[detail.status] || detail.status;
  // Each reason says its basis; what the trace merely reaches is the potential level, apart.
  const reason = (r) => el("li", { class: `basis-${r.basis}` }, `${L.level[r.level]} ← ${r.name || r.rule} (${L.basis[r.basis] || r.basis})`);
  document.getElementById("reasons").replaceChildren(...detail.level_reasons.map(reason));
  const potential = document.getElementById("potential");
  if (potential) {
    potential.hidden = !detail.potential_reasons.length;
    document.getElementById("potential-level").textContent = L.level[detail.potential_level];
    document.getElementById("potential-reasons").replaceChildren(...detail.potential_reasons.map(reason));
  }
  const others = document.getElementById("other-plans");
  others.replaceChildren(
    ...detail.other_plans.map((p) =>
      el("li", {}, `${p.river_name}: ${p.title} `, canCommand ? el("button", { onclick: () => api(`/api/incidents/${incidentId}/activate/`, { method: "POST", body: { plan: p.plan } }).then(refresh, fail) }, "▶") : null),
    ),
  );
}

function renderCountdowns() {
  const list = document.getElementById("threatened");
  const downstream = detail.trace?.downstream || [];
  const rows = downstream
    .filter((d) => d.kind === "receptor" || d.kind === "space")
    .map((d) => {
      const hoursLeft = (new Date(d.front_at) - Date.now()) / 3600000;
      const left = hoursLeft <= 0 ? L.arrived : `${L.front_in} ${hoursText(hoursLeft, L)}`;
      const limit = d.limit_mg_l != null ? ` / ${d.limit_mg_l}` : "";
      const conc = d.peak_mg_l != null ? `${d.peak_mg_l.toPrecision(3)}${limit} mg/L` : "";
      return el("li", { class: `${d.kind}${d.exceeds ? " exceeds" : ""}`, dataset: { feature: d.id } },
        el("strong", {}, d.name), ` · ${(d.distance_m / 1000).toFixed(1)} km · `, el("span", { class: "countdown" }, left), conc ? ` · ${conc}` : "");
    });
  list.replaceChildren(...rows);
  const rec = detail.trace?.recommended_space;
  document.getElementById("recommended").textContent = rec ? `${rec.name} (${(rec.distance_m / 1000).toFixed(1)} km)` : "—";
}

function renderMatrix() {
  const body = document.querySelector("#matrix tbody");
  const byDepartment = new Map();
  for (const task of detail.tasks) {
    if (!byDepartment.has(task.department)) byDepartment.set(task.department, []);
    byDepartment.get(task.department).push(task);
  }
  body.replaceChildren(
    ...[...byDepartment.entries()].map(([code, tasks]) =>
      el("tr", { dataset: { department: code } },
        el("th", {}, tasks[0].department_name),
        el("td", {}, tasks.map((task) =>
          el("div", { class: `task-cell status-${task.status}${overdue(task) ? " is-overdue" : ""}`, dataset: { task: task.id } },
            el("span", { class: `pill status-${task.status}` }, L.task_status[task.status]),
            overdue(task) ? el("span", { class: "pill overdue" }, L.overdue) : null,
            " ", task.text,
            el("span", { class: "actions" },
              canCommand || code === myDepartment ? taskActions(task, L, { canCommand, onDone: refresh, onError: fail }) : []),
          ),
        )),
      ),
    ),
  );
}

// --- SMS: per department sent / delivered / failed / acknowledged, and resend -------------------
async function renderSms() {
  let summary, problems;
  try {
    summary = await api(`/api/notification-summary/?incident=${incidentId}`);
    problems = await api(`/api/notifications/?incident=${incidentId}&page_size=200`);
  } catch (e) {
    return; // alerts not reachable: the rest of the room still works
  }
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "");
  document.querySelector("#sms tbody").replaceChildren(
    ...summary.departments.map((d) =>
      el("tr", { dataset: { department: d.department } },
        el("td", {}, d.department_name), el("td", { class: "num" }, `${d.sent} ${time(d.first_sent_at)}`),
        el("td", { class: "num" }, `${d.delivered} ${time(d.last_delivered_at)}`),
        el("td", { class: d.failed ? "num overdue" : "num" }, d.failed),
        el("td", { class: "num" }, `${d.acknowledged}/${d.tasks} ${time(d.first_acknowledged_at)}`),
        el("td", {}, d.latest_error ? `${d.latest_error.contact}: ${d.latest_error.code || ""} ${d.latest_error.message || d.latest_error.status}` : "")),
    ),
  );
  const resendable = (problems.results || []).filter((n) => n.can_resend);
  document.getElementById("sms-problems").replaceChildren(
    ...resendable.map((n) =>
      el("li", {}, `${n.contact.name} ${n.to} · ${n.status} ${n.error_code || ""} `,
        canCommand ? el("button", { dataset: { action: "resend" }, onclick: () => api(`/api/notifications/${n.id}/resend/`, { method: "POST" }).then(renderSms, fail) }, "↻") : null)),
  );
}

// --- timeline -------------------------------------------------------------------------
function describe(event) {
  const d = event.data || {};
  if (event.event_type === "sample_recorded") {
    const model = d.predicted_mg_l != null ? ` · ${L.model} ${d.predicted_mg_l} mg/L` : "";
    return `${d.pollutant} ${d.value_mg_l} mg/L${model}`;
  }
  return d.text || d.title || d.summary || d.message || (d.department ? `${d.department}` : "") || (d.to !== undefined ? `→ ${d.to}` : "");
}

function addEvent(event) {
  if (event.seq <= lastSeq) return;
  lastSeq = event.seq;
  if (event.event_type === "sample_recorded" && event.data.location) {
    const [lon, lat] = event.data.location.coordinates;
    leaflet.circleMarker([lat, lon], { radius: 6, color: "#e67e22", fillOpacity: 0.9 })
      .bindPopup(popupText(describe(event))).addTo(featureLayer);
  }
  const time = new Date(event.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  document.getElementById("timeline").prepend(
    el("li", { dataset: { seq: event.seq, type: event.event_type } },
      el("span", { class: "muted" }, `#${event.seq} ${time}`), " ", el("strong", {}, event.event_type), " ",
      event.actor ? el("em", {}, event.actor) : null, " ", describe(event)),
  );
  if (event.event_type === "sms_status" || event.event_type.startsWith("task_")) {
    clearTimeout(smsTimer);
    smsTimer = setTimeout(renderSms, 300);
  }
  if (event.event_type !== "note" && event.event_type !== "sms_status") {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 150);
  }
}

async function refresh() {
  detail = await api(`/api/incidents/${incidentId}/`);
  renderHeader();
  renderCountdowns();
  renderMatrix();
}

// --- commands ------------------------------------------------------------------------
function wireCommands() {
  const post = (path, body) => api(`/api/incidents/${incidentId}/${path}/`, { method: "POST", body }).then(refresh, fail);
  document.getElementById("note-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = e.target.elements.text;
    post("notes", { text: input.value }).then(() => (input.value = ""));
  });
  document.getElementById("level-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    post("level", { level: Number(e.target.elements.level.value), reason: e.target.elements.reason.value });
  });
  document.getElementById("status-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const status = e.target.elements.status.value;
    if (status === "closed") post("close", { summary: e.target.elements.summary.value });
    else post("status", { status });
  });
  document.getElementById("report-form")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const body = { kind: f.kind.value, signatory: f.signatory.value, contact: { name: f.contact_name.value, phone: f.contact_phone.value } };
    for (const name of ["source", "cause", "next_steps"]) if (f[name].value) body[name] = f[name].value;
    if (body.kind === "followup" && f.changes.value) body.changes = f.changes.value;
    try {
      const report = await api(`/api/incidents/${incidentId}/reports/`, { method: "POST", body });
      document.getElementById("reports").append(el("li", {}, el("a", { href: report.html_url }, `${report.kind} ${report.number}`)));
      window.open(report.html_url, "_blank");
    } catch (error) {
      fail(error);
    }
  });
  document.getElementById("task-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    post("tasks", { department: f.department.value, text: f.text.value, ack_minutes: Number(f.ack_minutes.value || 10), complete_minutes: f.complete_minutes.value ? Number(f.complete_minutes.value) : null });
  });
}

// --- supplies: nearest depots for an item, then a dispatch request ------------------------
async function wireSupplies() {
  const form = document.getElementById("supply-form");
  if (!form) return;
  const items = await api("/api/items/?page_size=1000").catch(() => ({ results: [] }));
  form.elements.supply_item.replaceChildren(...items.results.map((i) => el("option", { value: i.code }, `${i.name} (${i.unit})`)));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const [lon, lat] = detail.location.coordinates;
    const item = form.elements.supply_item.value;
    const quantity = Number(form.elements.quantity.value);
    try {
      const depots = await api(`/api/depots/nearest/?lon=${lon}&lat=${lat}&item=${encodeURIComponent(item)}&quantity=${quantity}`);
      document.getElementById("depots").replaceChildren(
        ...depots.map((d) =>
          el("li", { class: d.partial ? "partial" : "" }, `${d.name} · ${(d.distance_m / 1000).toFixed(1)} km · ${Math.round(d.road_minutes)} ${L.minutes} · ${d.available} `,
            el("button", { onclick: (ev) => { ev.preventDefault(); api("/api/dispatches/", { method: "POST", body: { incident: Number(incidentId), depot: d.depot, item, quantity: Math.min(quantity, d.available) } }).then(() => (message.textContent = ""), fail); } }, "▶")),
        ),
      );
    } catch (error) {
      fail(error);
    }
  });
}

// --- start ---------------------------------------------------------------------------
await refresh();
drawMap();
wireCommands();
wireSupplies();
renderSms();
setInterval(renderCountdowns, 30000);
new LiveSocket(`/ws/incidents/${incidentId}/`, {
  onOpen: (socket) => socket.send(JSON.stringify({ type: "resume", after: lastSeq })),
  onMessage: (msg) => { if (msg.type === "event") addEvent(msg); },
  onState: (s, code) => {
    const banner = document.getElementById("live-state");
    banner.textContent = s === "online" ? L.online : s === "offline" ? L.offline : code === 4401 ? L.login_again : L.forbidden;
    banner.className = `live-state ${s}`;
  },
});
