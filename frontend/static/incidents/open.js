// Open an incident: find the place (search, map click or typed coordinates), check that it
// snaps to a river (else the officer confirms), POST /api/incidents/ once: the button locks
// while it works and one Idempotency-Key per filled form makes a repeat answer the same incident.
import { api, csrfToken, el, labels as readLabels } from "../js/live.js";
import { parseCoordinates } from "../js/coords.js";
import { addOrientation } from "../js/orientation.js";

const text = readLabels();
const config = JSON.parse(document.getElementById("map-config").textContent);
const leaflet = window.L;
const map = leaflet.map("open-map").setView([38.75, 112.7], 8);
window.openMap = map;
if (config.tiles) leaflet.tileLayer(config.tiles, { attribution: config.attribution }).addTo(map);
addOrientation(leaflet, map).catch(() => {});

const form = document.getElementById("open-form");
const f = form.elements;
const coordMessage = document.getElementById("coord-message");
const riverCheck = document.getElementById("river-check");
const riverStatus = document.getElementById("river-status");
const confirmBox = document.getElementById("no-river-confirm");
const message = document.getElementById("message");
const button = form.querySelector("button[type=submit]");
let marker = null;
let point = null; // {lon, lat} once read
let snapped = null; // true / false once the trace answered for `point`
let idempotencyKey = newKey();
// The title is suggested from the place and the pollutant while the officer has not typed one:
// on the phone, the place and what spilled are what the caller says first (issue 16's 6 actions).
let suggestedTitle = "";
let placeName = "";

function suggestTitle() {
  if (f.title.value.trim() && f.title.value !== suggestedTitle) return; // typed by the officer
  if (!placeName) return;
  const pollutant = f.pollutant.selectedOptions[0]?.dataset.name;
  suggestedTitle = pollutant
    ? text.title_spill.replace("%(place)s", placeName).replace("%(pollutant)s", pollutant)
    : text.title_at.replace("%(place)s", placeName);
  f.title.value = suggestedTitle;
}
f.pollutant.addEventListener("change", suggestTitle);

function newKey() {
  return window.crypto?.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

async function place(lon, lat, { typed = false } = {}) {
  point = { lon, lat };
  if (!typed) f.coordinates.value = `${lon.toFixed(5)}, ${lat.toFixed(5)}`;
  coordMessage.textContent = "";
  const latlng = [lat, lon];
  if (marker) marker.setLatLng(latlng);
  else marker = leaflet.marker(latlng).addTo(map);
  snapped = null;
  riverCheck.hidden = false;
  confirmBox.hidden = true;
  f.confirm_no_river.checked = false;
  riverStatus.textContent = text.checking;
  const asked = point;
  try {
    const trace = await api("/api/trace/", { method: "POST", body: { location: { type: "Point", coordinates: [lon, lat] } } });
    if (asked !== point) return;
    snapped = true;
    riverStatus.className = "ok";
    riverStatus.textContent = text.river.replace("%(river)s", text.rivers?.[trace.river.code] || trace.river.name).replace("%(metres)s", Math.round(trace.snap_distance_m));
  } catch (error) {
    if (asked !== point) return;
    if (error.status !== 422) {
      riverStatus.textContent = error.message;
      return;
    }
    snapped = false;
    riverStatus.className = "warning";
    riverStatus.textContent = text.no_river;
    confirmBox.hidden = false;
  }
}

function readTyped() {
  const read = parseCoordinates(f.coordinates.value);
  if (read.error) {
    point = null;
    coordMessage.textContent = text[read.error];
    return false;
  }
  if (!point || point.lon !== read.lon || point.lat !== read.lat) {
    place(read.lon, read.lat, { typed: true });
    map.setView([read.lat, read.lon], Math.max(map.getZoom(), 11));
  }
  return true;
}

map.on("click", (e) => place(e.latlng.lng, e.latlng.lat));
f.coordinates.addEventListener("change", readTyped);

// Place search: names of areas, rivers, features and depots (GET /api/places/?q=).
const results = document.getElementById("place-results");
let searchTimer = null;
f.place.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(search, 250);
});
f.place.addEventListener("keydown", (e) => {
  if (e.key === "Enter") {
    e.preventDefault(); // Enter picks the first result, it does not submit the form
    clearTimeout(searchTimer);
    search().then(() => results.querySelector("button")?.click());
  }
});

async function search() {
  const q = f.place.value.trim();
  results.replaceChildren();
  if (!q) return;
  const hits = await api(`/api/places/?q=${encodeURIComponent(q)}`);
  if (q !== f.place.value.trim()) return;
  if (!hits.length) results.append(el("li", { class: "muted" }, text.no_results));
  for (const hit of hits) {
    const pick = () => {
      results.replaceChildren();
      f.place.value = hit.name;
      placeName = hit.name;
      suggestTitle();
      map.setView([hit.lat, hit.lon], hit.kind === "area" ? 10 : 13);
      place(hit.lon, hit.lat);
    };
    const detail = [text.kinds[hit.kind], hit.detail].filter(Boolean).join(" · ");
    results.append(el("li", {}, el("button", { type: "button", class: "link", onclick: pick }, hit.name, " ", el("span", { class: "muted" }, detail))));
  }
}

// What was typed before this script ran (a slow intranet, a quick officer) is acted on now:
// its input and change events fired with no one listening.
if (f.place.value.trim()) search();
if (f.coordinates.value.trim()) readTyped();

function fieldErrors(data) {
  if (!data || typeof data !== "object") return "";
  return Object.values(data).flat().map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(" ");
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (button.disabled) return;
  message.textContent = "";
  if (!f.title.value.trim()) {
    f.title.reportValidity();
    return;
  }
  if (!readTyped()) {
    f.coordinates.focus();
    return;
  }
  if (snapped === false && !f.confirm_no_river.checked) {
    message.textContent = text.confirm_no_river;
    f.confirm_no_river.focus();
    return;
  }
  const body = {
    title: f.title.value,
    kind: f.kind.value,
    location: { type: "Point", coordinates: [point.lon, point.lat] },
    occurred_at: f.occurred_at.value ? new Date(f.occurred_at.value).toISOString() : null,
    pollutant: f.pollutant.value || null,
    mass_kg: f.mass_kg.value ? Number(f.mass_kg.value) : null,
    description: f.description.value,
    exercise: f.exercise.checked,
  };
  button.disabled = true;
  const idle = button.textContent;
  button.textContent = text.working;
  try {
    const response = await fetch("/api/incidents/", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": idempotencyKey },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw Object.assign(new Error(data?.detail || data?.error || response.statusText), { data, status: response.status });
    location.href = `/board/incidents/${data.id}/`;
  } catch (error) {
    message.textContent = `${text.failed} ${error.data?.detail || fieldErrors(error.data) || error.message}`;
    if (error.status === 422) idempotencyKey = newKey(); // the form changed since the key's first use
    button.disabled = false;
    button.textContent = idle;
  }
});

