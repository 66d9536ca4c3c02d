/* 一图: draws rivers and their features with django-leaflet's bundled Leaflet.
   Data comes from json_script blocks rendered by the page (no extra request), labels are
   translated on the server. Tiles only when MAP_TILE_URL is set (intranets may have none). */
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var options = readJSON("plans-map-options") || {};
  var labels = options.labels || {};
  var rivers = readJSON("plans-rivers") || { type: "FeatureCollection", features: [] };
  var features = readJSON("plans-features") || { type: "FeatureCollection", features: [] };
  var areas = readJSON("plans-areas") || { type: "FeatureCollection", features: [] };
  var container = document.getElementById("plans-map");
  if (!container || typeof L === "undefined") return;

  var map = L.map(container, { preferCanvas: false });
  window.plansMap = map; // for the trace panel (trace_panel.js)
  var baseLayers = {};
  if (options.tile_url) {
    baseLayers.Tiles = L.tileLayer(options.tile_url, { attribution: options.tile_attribution || "", maxZoom: 18 }).addTo(map);
  }

  // Leaflet inserts string tooltip, popup and icon content as HTML: everything here passes
  // DOM nodes instead, with names set as text (they are user input).
  function text(value, className) {
    var span = document.createElement("span");
    span.textContent = value === null || value === undefined ? "" : String(value);
    if (className) span.className = className;
    return span;
  }

  function symbolIcon(symbol) {
    var span = text("", "plans-sym plans-sym-" + symbol);
    return L.divIcon({ className: "plans-icon", html: span, iconSize: [18, 18] });
  }

  function popup(rows, title) {
    // Built with DOM nodes and textContent: names come from user input.
    var root = document.createElement("div");
    root.className = "plans-popup";
    var h = document.createElement("strong");
    h.textContent = title;
    root.appendChild(h);
    var dl = document.createElement("dl");
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "" || (Array.isArray(row[1]) && !row[1].length)) return;
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = Array.isArray(row[1]) ? row[1].join("、") : String(row[1]);
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    root.appendChild(dl);
    return root;
  }

  // The name in the page's language (as localName in js/live.js; this script is not a module).
  var english = document.documentElement.lang.indexOf("en") === 0;
  function localName(p) {
    return (english && p.name_en) || p.name || "";
  }

  function km(metres) {
    return (metres / 1000).toFixed(1) + " km";
  }

  // County outlines under everything else (vector, so the map reads without tiles), in the
  // orientation layer's pane (js/orientation.js), beneath its county and river names.
  map.createPane("orientationShapes").style.zIndex = 350;
  var areaLayer = L.geoJSON(areas, {
    pane: "orientationShapes",
    style: { color: "#8c959f", weight: 1, fillColor: "#f6f8fa", fillOpacity: 0.4 },
    onEachFeature: function (f, layer) { layer.bindTooltip(text(localName(f.properties))); },
  });

  // Rivers: the focus river bold, its tributaries thinner, the river it flows into dashed.
  var focus = options.focus;
  var focusLayer = L.featureGroup();
  var tributaryLayer = L.featureGroup();
  var outletLayer = L.featureGroup();
  var focusOutlet = null;
  rivers.features.forEach(function (f) {
    if (f.properties.code === focus) focusOutlet = f.properties.outlet;
  });
  rivers.features.forEach(function (f) {
    var p = f.properties;
    var isFocus = !focus || p.code === focus;
    var isOutlet = focus && p.code === focusOutlet;
    var style = isFocus
      ? { color: "#0b5d8c", weight: 5, opacity: 0.9 }
      : isOutlet
        ? { color: "#57606a", weight: 4, opacity: 0.7, dashArray: "8 6" }
        : { color: "#3b8fd0", weight: 3, opacity: 0.85 };
    var line = L.geoJSON(f, { style: style });
    line.bindPopup(
      popup(
        [
          [labels.length, km(p.length_m)],
          [labels.velocity, p.velocity_ms + " m/s"],
          [labels.flow, p.flow_m3s + " m³/s"],
          [labels.outlet, p.outlet],
        ],
        // Both names as the popup's title, the page's language first.
        english && p.name_en ? p.name_en + " · " + p.name : p.name + (p.name_en ? " · " + p.name_en : "")
      )
    );
    line.bindTooltip(text(localName(p)), { sticky: true, className: "plans-river-label" });
    (isFocus ? focusLayer : isOutlet ? outletLayer : tributaryLayer).addLayer(line);
  });

  // Features: one layer per kind, each kind with its own symbol.
  var kindLayers = { section: L.featureGroup(), receptor: L.featureGroup(), space: L.featureGroup(), risk_source: L.featureGroup() };
  features.features.forEach(function (f) {
    var p = f.properties;
    var symbol = p.kind === "receptor" && p.receptor_type === "boundary" ? "boundary" : p.kind;
    var icon = symbolIcon(symbol);
    var c = f.geometry.coordinates;
    var marker = L.marker([c[1], c[0]], { icon: icon, title: localName(p) });
    marker.bindPopup(
      popup(
        [
          [labels.river, p.river],
          [labels.chainage, km(p.chainage_m)],
          [labels.water_class, p.water_class],
          [labels.serves, (labels.serves_choices || {})[p.serves] || p.serves],
          [labels.capacity, p.capacity_m3 ? p.capacity_m3 + " m³" : null],
          [labels.setup, p.setup_minutes !== undefined && p.setup_minutes !== null ? p.setup_minutes + " " + labels.minutes : null],
          [labels.risk_grade, (labels.risk_grades || {})[p.risk_grade] || p.risk_grade],
          ["", p.possible_measures || p.hazardous_substances],
        ],
        localName(p)
      )
    );
    (kindLayers[p.kind] || kindLayers.section).addLayer(marker);
  });

  var overlays = {};
  [
    [labels.counties, areaLayer],
    [labels.river, focusLayer],
    [labels.tributaries, tributaryLayer],
    [labels.outlet, outletLayer],
    [labels.section, kindLayers.section],
    [labels.receptor, kindLayers.receptor],
    [labels.space, kindLayers.space],
    [labels.risk_source, kindLayers.risk_source],
  ].forEach(function (pair) {
    if (pair[1].getLayers().length) {
      pair[1].addTo(map);
      overlays[pair[0]] = pair[1];
    }
  });
  var switcher = L.control.layers(baseLayers, overlays, { collapsed: false }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  // Clicking a river line opens its popup and stops the map's click (Leaflet), so the trace
  // panel listens to the river layers as well as to the map.
  window.plansRiverLayers = [focusLayer, tributaryLayer, outletLayer];
  var everything = L.featureGroup([focusLayer, tributaryLayer, outletLayer]);
  var bounds = (focus ? focusLayer : everything).getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
  else map.setView([38.5, 112.7], 8);

  // Supply depots, when the inventory app provides them (same-origin API, optional).
  fetch("/api/depots/?page_size=1000", { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data) return;
      var items = data.type === "FeatureCollection" ? data.features : data.results || [];
      var layer = L.featureGroup();
      items.forEach(function (d) {
        var geom = d.geometry || d.location;
        var props = d.properties || d;
        if (!geom || !geom.coordinates) return;
        layer.addLayer(L.marker([geom.coordinates[1], geom.coordinates[0]], { icon: symbolIcon("depot"), title: props.name || "" })
          .bindPopup(popup([["", props.code]], props.name || "")));
      });
      if (layer.getLayers().length) switcher.addOverlay(layer.addTo(map), labels.depots);
    })
    .catch(function () { /* no inventory: the map is complete without depots */ });
})();
