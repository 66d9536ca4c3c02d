// The offline orientation layer of the maps (GET /api/places/layer/): county and city outlines
// with their names, rivers with names, river features and depots. Works with no tile server;
// MAP_TILE_URL tiles, when configured, are drawn beneath it.
import { api, el } from "./live.js";

const STYLE = {
  area: (p) => ({ color: p.level === "prefecture" ? "#555" : "#999", weight: p.level === "prefecture" ? 2 : 1, fill: false, dashArray: "4 3" }),
  river: () => ({ color: "#2874a6", weight: 3 }),
};

function label(text, className) {
  return el("span", { class: className }, text); // a DOM node: Leaflet inserts strings as HTML
}

// skip: layer names this map draws itself (e.g. ["depot"] on the depot map).
export async function addOrientation(leaflet, map, { skip = [] } = {}) {
  const layer = await api("/api/places/layer/");
  layer.features = layer.features.filter((f) => !skip.includes(f.properties.layer));
  const group = leaflet.geoJSON(layer, {
    style: (f) => (STYLE[f.properties.layer] || STYLE.river)(f.properties),
    pointToLayer: (f, latlng) =>
      leaflet.circleMarker(latlng, {
        radius: f.properties.layer === "depot" ? 6 : 4,
        color: f.properties.layer === "depot" ? "#7d3c98" : "#1e8449",
        weight: 2,
        fillOpacity: 0.7,
      }),
    onEachFeature: (f, item) => {
      const p = f.properties;
      if (p.layer === "area" && p.level === "county") {
        // County names sit at the outline's centre, always visible: they orient the reader.
        const centre = item.getBounds().getCenter();
        leaflet.marker(centre, { icon: leaflet.divIcon({ className: "area-label", html: "" }), interactive: false })
          .bindTooltip(label(p.name, "area-name"), { permanent: true, direction: "center", className: "area-tip" })
          .addTo(map);
      } else if (p.layer === "river") {
        const line = f.geometry.coordinates;
        const [lon, lat] = line[Math.floor(line.length / 2)];
        leaflet.marker([lat, lon], { icon: leaflet.divIcon({ className: "area-label", html: "" }), interactive: false })
          .bindTooltip(label(p.name, "river-name"), { permanent: true, direction: "right", className: "river-tip" })
          .addTo(map);
      } else if (p.layer !== "area") {
        item.bindTooltip(label(p.name, `${p.layer}-name`));
      }
    },
  });
  group.addTo(map);
  return group;
}
