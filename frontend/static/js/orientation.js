// The offline orientation layer of the maps (GET /api/places/layer/): county and city outlines
// with their names (at the county seat where open data gives it), rivers with names, river
// features and depots. Works with no tile server; MAP_TILE_URL tiles, when configured, are drawn
// beneath it. Everything goes into two panes under Leaflet's overlay pane (z-index 400), so the
// page's own layers (an incident's spill, trace, samples; a plan's rivers) stay on top and
// clickable: outlines, rivers and names take no click (features and depots name themselves on hover).
import { api, el } from "./live.js";

const SHAPES = "orientationShapes";
const NAMES = "orientationNames";

const STYLE = {
  area: (p) => ({ color: p.level === "prefecture" ? "#555" : "#999", weight: p.level === "prefecture" ? 2 : 1, fill: false, dashArray: "4 3" }),
  river: () => ({ color: "#2874a6", weight: 3, opacity: 0.6 }),
  seat: () => ({ color: "#333", weight: 1.5, fillColor: "#fff", fillOpacity: 1 }), // a town's dot
};

function label(text, className) {
  return el("span", { class: className }, text); // a DOM node: Leaflet inserts strings as HTML
}

// A page may make the shapes pane first, to put its own background (outlines) there.
function panes(map) {
  if (!map.getPane(SHAPES)) map.createPane(SHAPES).style.zIndex = 350; // above tiles (200), below overlays (400)
  if (!map.getPane(NAMES)) {
    const names = map.createPane(NAMES);
    names.style.zIndex = 360;
    names.style.pointerEvents = "none";
  }
}

// A standalone permanent tooltip (no marker: the page's marker counts stay its own).
function name(leaflet, map, latlng, text, { className, direction = "center" }) {
  leaflet.tooltip({ permanent: true, direction, className, pane: NAMES, interactive: false })
    .setLatLng(latlng)
    .setContent(label(text, className.replace("-tip", "-name")))
    .addTo(map);
}

// skip: layer names this map draws itself (e.g. ["depot"] on the depot map).
export async function addOrientation(leaflet, map, { skip = [] } = {}) {
  const layer = await api("/api/places/layer/");
  layer.features = layer.features.filter((f) => !skip.includes(f.properties.layer));
  const seated = new Set(layer.features.filter((f) => f.properties.layer === "seat").map((f) => f.properties.code));
  panes(map);
  const group = leaflet.geoJSON(layer, {
    pane: SHAPES,
    interactive: false,
    // Points other than seats keep the colours pointToLayer gives them.
    style: (f) => (STYLE[f.properties.layer] || (() => ({})))(f.properties),
    pointToLayer: (f, latlng) => {
      const layerName = f.properties.layer;
      const colour = { depot: "#7d3c98" }[layerName] || "#1e8449";
      return leaflet.circleMarker(latlng, { pane: SHAPES, radius: layerName === "seat" ? 4 : layerName === "depot" ? 6 : 4, color: colour, weight: 2, fillOpacity: 0.7, interactive: layerName !== "seat" });
    },
    onEachFeature: (f, item) => {
      const p = f.properties;
      if (p.layer === "seat") {
        // The county's name at its seat (县城), where people place it.
        name(leaflet, map, item.getLatLng(), p.name, { className: "area-tip", direction: "top" });
      } else if (p.layer === "area" && p.level === "county" && !seated.has(p.code)) {
        name(leaflet, map, item.getBounds().getCenter(), p.name, { className: "area-tip" });
      } else if (p.layer === "river") {
        const line = f.geometry.type === "MultiLineString" ? f.geometry.coordinates[0] : f.geometry.coordinates;
        const [lon, lat] = line[Math.floor(line.length / 2)];
        name(leaflet, map, [lat, lon], p.name, { className: "river-tip", direction: "right" });
      } else if (p.layer !== "area") {
        item.bindTooltip(label(p.name, `${p.layer}-name`)); // features and depots: named on hover (many)
      }
    },
  });
  group.addTo(map);
  return group;
}
