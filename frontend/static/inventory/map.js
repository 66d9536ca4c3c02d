// Depot map: one marker per depot, a popup with its usable stock. The data comes from the
// page itself (json_script), so the map works on an isolated intranet without extra requests.
(function () {
  "use strict";

  var COLOURS = { "city": "#b42318", "county": "#0b5d8c", "enterprise": "#7a5af8", "social": "#067647" };

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text; // textContent: no HTML injection
    if (className) node.className = className;
    return node;
  }

  function popup(depot, labels) {
    var box = el("div");
    var title = el("a", depot.name);
    title.href = depot.url;
    box.appendChild(el("strong")).appendChild(title);
    box.appendChild(el("div", depot.code + " · " + depot.level + (depot.is_24h ? " · " + labels.open24 : ""), "muted"));
    var list = el("ul", null, "popup-stock");
    depot.stock.forEach(function (row) {
      list.appendChild(el("li", row.name + ": " + row.available + " " + row.unit + " " + labels.available));
    });
    if (!depot.stock.length) list.appendChild(el("li", labels.none, "muted"));
    if (depot.more) list.appendChild(el("li", "+" + depot.more + " " + labels.more, "muted"));
    box.appendChild(list);
    return box;
  }

  window.inventoryDepotMap = function (map) {
    window.inventoryDepotMapInstance = map; // js/orientation_attach.js adds the outlines and rivers
    var depots = read("depot-data") || [];
    var labels = read("depot-labels") || {};
    var bounds = [];
    depots.forEach(function (depot) {
      var colour = COLOURS[depot.level_code] || "#0b5d8c";
      var marker = L.circleMarker([depot.lat, depot.lon], {
        radius: 8, color: colour, fillColor: colour, fillOpacity: 0.8, weight: 2
      });
      marker.bindPopup(popup(depot, labels));
      marker.bindTooltip(el("span", depot.name)); // a node: Leaflet puts a string in as HTML
      marker.addTo(map);
      bounds.push([depot.lat, depot.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11 });
  };
})();
