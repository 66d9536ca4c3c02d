// Open an incident: click the map to place it, fill the form, POST /api/incidents/.
import { api } from "../js/live.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const leaflet = window.L;
const map = leaflet.map("open-map").setView([38.6, 112.6], 8);
if (config.tiles) leaflet.tileLayer(config.tiles, { attribution: config.attribution }).addTo(map);
api("/api/rivers/?page_size=1000").then((rivers) => leaflet.geoJSON(rivers, { style: { color: "#2874a6", weight: 3 } }).addTo(map)).catch(() => {});
const form = document.getElementById("open-form");
let marker = null;
map.on("click", (e) => {
  form.elements.lon.value = e.latlng.lng.toFixed(5);
  form.elements.lat.value = e.latlng.lat.toFixed(5);
  if (marker) marker.setLatLng(e.latlng);
  else marker = leaflet.marker(e.latlng).addTo(map);
});
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = form.elements;
  const body = {
    title: f.title.value,
    kind: f.kind.value,
    location: { type: "Point", coordinates: [Number(f.lon.value), Number(f.lat.value)] },
    occurred_at: f.occurred_at.value ? new Date(f.occurred_at.value).toISOString() : null,
    pollutant: f.pollutant.value || null,
    mass_kg: f.mass_kg.value ? Number(f.mass_kg.value) : null,
    description: f.description.value,
    exercise: f.exercise.checked,
  };
  try {
    const incident = await api("/api/incidents/", { method: "POST", body });
    location.href = `/board/incidents/${incident.id}/`;
  } catch (error) {
    document.getElementById("message").textContent = error.data ? Object.entries(error.data).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ") : error.message;
  }
});
