/* EST samverkan (issue 14): the partners' observations on the weekly map, and printing the weekly
   meeting view on one A4. Loaded before lagesbild.js, which keeps what is already in the namespace. */
window.lagesbild = Object.assign({}, window.lagesbild, {
  obsPoint: function (feature, latlng) {
    const p = feature.properties || {};
    return L.circleMarker(latlng, {
      radius: 7, color: "#1b1b1b", weight: 1, fillColor: p.color || "#757575", fillOpacity: 0.9,
      className: "est-obs est-obs-" + (p.category || "ovrigt"),
    });
  },

  obsTooltip: function (feature, layer) {
    const p = feature.properties || {};
    const el = document.createElement("div");
    el.className = "map-tip";
    [p.label, p.date, p.org].forEach(function (line, i) {
      if (!line) { return; }
      const row = document.createElement(i === 0 ? "strong" : "div");
      row.textContent = line;
      el.appendChild(row);
    });
    layer.bindTooltip(el, { sticky: true, direction: "top", opacity: 0.95 });
  },
});

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  est: {
    /* Print only the Samverkan section (the weekly tab) on one A4 page. */
    printWeek: function (n) {
      if (!n) { return window.dash_clientside.no_update; }
      document.body.classList.add("print-est");
      const done = function () { document.body.classList.remove("print-est"); };
      window.addEventListener("afterprint", done, { once: true });
      // the map's container narrows in the print layout: let Leaflet measure it again first
      window.dispatchEvent(new Event("resize"));
      window.setTimeout(function () { window.print(); }, 300);
      return window.dash_clientside.no_update;
    },
  },
});
