/* Trace a spill from the map: a click posts to /api/trace/ (session + CSRF) and the panel
   lists what lies downstream. Reads the map the river_map.js module publishes. */
(function () {
  "use strict";

  var panel = document.getElementById("plans-trace");
  var map = window.plansMap;
  if (!panel || !map) return;
  var labels = (JSON.parse((document.getElementById("plans-map-options") || { textContent: "{}" }).textContent).labels) || {};
  // The trace names rivers in Chinese only (plans/tracing.py): the page's river layer has both names.
  var english = document.documentElement.lang.indexOf("en") === 0;
  var riverNames = {};
  ((JSON.parse((document.getElementById("plans-rivers") || { textContent: "{}" }).textContent) || {}).features || []).forEach(function (f) {
    var p = f.properties || {};
    riverNames[p.code] = (english && p.name_en) || p.name;
  });
  var form = panel.querySelector("form");
  var status = panel.querySelector(".plans-trace-status");
  var table = panel.querySelector(".plans-trace-result");
  var spill = null;
  form.addEventListener("submit", function (event) { event.preventDefault(); }); // the map click traces

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "—" : String(text);
    if (className) td.className = className;
    row.appendChild(td);
  }

  function show(result) {
    var body = table.querySelector("tbody");
    body.textContent = "";
    var recommended = result.recommended_space ? result.recommended_space.id : null;
    var unmixed = false;
    result.downstream.forEach(function (e) {
      var row = document.createElement("tr");
      if (e.kind === "space" && e.id === recommended) row.className = "plans-recommended";
      cell(row, (labels.kinds || {})[e.kind] || e.kind);
      var name = e.name;
      if (e.kind === "space" && e.too_late) name += " (" + labels.too_late + ")";
      cell(row, name);
      cell(row, e.river);
      cell(row, (e.distance_m / 1000).toFixed(1));
      cell(row, e.arrival_hours.toFixed(1));
      cell(row, e.front_hours.toFixed(1));
      // Closer than the mixing length the 1-D peak understates the spill's bank: flagged, not hidden.
      var peak = e.peak_mg_l === null ? null : Number(e.peak_mg_l.toPrecision(3)) + (e.fully_mixed === false ? " *" : "");
      if (e.peak_mg_l !== null && e.fully_mixed === false) unmixed = true;
      cell(row, peak, e.exceeds ? "warn" : "");
      cell(row, e.limit_mg_l);
      body.appendChild(row);
    });
    table.hidden = false;
    var where = (labels.snapped || "")
      .replace("%(river)s", riverNames[result.river.code] || result.river.name)
      .replace("%(km)s", (result.chainage_m / 1000).toFixed(1))
      .replace("%(m)s", Math.round(result.snap_distance_m));
    var space = result.recommended_space;
    var advice = space ? labels.recommended + ": " + space.name : labels.none_recommended;
    if (space && space.capacity_short_m3) advice += " (" + labels.short + " " + Math.round(space.capacity_short_m3) + " m³)";
    status.textContent = where + " " + advice + (unmixed ? " " + labels.unmixed : "");
  }

  function spillLabel() {
    var span = document.createElement("span"); // a node, not a string: Leaflet puts strings in as HTML
    span.textContent = labels.spill || "";
    return span;
  }

  function traceAt(event) {
    var lon = event.latlng.lng, lat = event.latlng.lat;
    if (spill) map.removeLayer(spill);
    spill = L.circleMarker(event.latlng, { radius: 8, color: "#cf222e", fillOpacity: 0.6 }).addTo(map).bindTooltip(spillLabel());
    var body = { location: { type: "Point", coordinates: [lon, lat] } };
    if (form.pollutant.value) body.pollutant = form.pollutant.value;
    if (form.mass_kg.value !== "") body.mass_kg = Number(form.mass_kg.value);
    status.textContent = labels.tracing || "…";
    fetch("/api/trace/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.csrfmiddlewaretoken.value },
      body: JSON.stringify(body),
    })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (answer) {
        if (answer.ok) return show(answer.data);
        table.hidden = true;
        var data = answer.data || {};
        status.textContent = data.detail || Object.keys(data).map(function (k) { return k + ": " + [].concat(data[k]).join(" "); }).join("; ");
      })
      .catch(function (error) { status.textContent = String(error); });
  }

  map.on("click", traceAt);
  (window.plansRiverLayers || []).forEach(function (layer) { layer.on("click", traceAt); });
})();
