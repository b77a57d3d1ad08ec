/* Hand-written style functions for the dash-leaflet layers (no CDN, no build step).
 * Used from Python as {"variable": "lagesbild.areaStyle"} etc. Everything that changes after the
 * first draw travels in the layer's `hideout`; geometry is never resent to recolour. */
window.lagesbild = Object.assign({}, window.lagesbild, {
  _hideout: function (context) {
    return (context && (context.hideout || (context.props && context.props.hideout))) || {};
  },

  areaStyle: function (feature, context) {
    const h = window.lagesbild._hideout(context);
    const id = String(feature.id);
    const selected = h.selected !== undefined && h.selected !== null && String(h.selected) === id;
    let fill = feature.properties.color;
    if (h.mode === "choropleth" && h.class_index) {
      const k = h.class_index[id];
      fill = (k === null || k === undefined) ? (h.missing_color || "#d9d9d9") : h.colors[k];
    }
    /* with hotspots on, areas are outlines only so the hexagons stay readable */
    const outline = !!h.outline;
    return {
      className: "area-" + id + (feature.properties.changed ? " area-changed" : ""),
      color: selected ? "#00205b" : "#4a4a4a",
      weight: selected ? 4 : (feature.properties.changed ? 2 : 1),
      dashArray: feature.properties.changed && !selected ? "4 3" : null,
      fillColor: fill,
      fillOpacity: outline ? 0.04 : (selected ? 0.75 : 0.6),
      opacity: 1,
    };
  },

  areaDot: function (feature, latlng, context) {
    const p = feature.properties;
    return L.circleMarker(latlng, {
      radius: p.category === "sarskilt_utsatt" ? 7 : 5, color: "#2b2b2b", weight: 1,
      fillColor: p.color, fillOpacity: 0.95, className: "uo-dot dot-" + feature.id,
    });
  },

  /* Leaflet has no zoom class: mark the container so CSS can swap dots for polygons. */
  zoomBand: function (e) {
    const map = e.target;
    const el = map.getContainer();
    const low = map.getZoom() < 10;
    el.classList.toggle("zoom-low", low);
    el.classList.toggle("zoom-high", !low);
  },

  outlineStyle: function (feature, context) {
    const h = window.lagesbild._hideout(context);
    return { color: h.color || "#8a8a8a", weight: h.weight || 1, fill: !!h.fill,
             fillColor: h.fillColor || "#f4f1ea", fillOpacity: h.fill ? 1 : 0, interactive: false,
             className: "base-outline" };
  },

  hotspotStyle: function (feature, context) {
    const h = window.lagesbild._hideout(context);
    const p = feature.properties;
    if (p.level !== undefined) {  /* kernel density cells */
      const kde = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
      return { className: "density-" + p.level, stroke: false, fillColor: kde[Math.max(0, Math.min(4, p.level - 1))],
               fillOpacity: 0.65 };
    }
    if (p.category !== undefined) {  /* emerging hot spot categories */
      const c = (h.emerging || {})[p.category] || "#f7f7f7";
      return { className: "emerging-" + p.category, color: "#777", weight: 0.5, fillColor: c,
               fillOpacity: p.category === "no_pattern" ? 0.1 : 0.7 };
    }
    const cls = p["class"];
    const colors = h.colors || {};
    return {
      className: "hotspot-" + cls,
      color: cls === "ns" ? "#bdbdbd" : "#636363",
      weight: cls === "ns" ? 0.3 : 0.8,
      fillColor: colors[cls] || "#f7f7f7",
      fillOpacity: cls === "ns" ? 0.15 : 0.7,
    };
  },

  eventPoint: function (feature, latlng, context) {
    const p = feature.properties;
    const approx = p.approx;
    return L.circleMarker(latlng, {
      radius: approx ? 9 : 5,
      color: p.color || "#333",
      weight: approx ? 2 : 1,
      dashArray: approx ? "3 3" : null,
      fillColor: p.color || "#333",
      fillOpacity: approx ? 0.1 : 0.8,
      className: "event-" + (approx ? "approx" : "exact"),
    });
  },

  poiPoint: function (feature, latlng, context) {
    return L.circleMarker(latlng, {
      radius: 5, color: "#1b1b1b", weight: 1.5, fillColor: "#ffffff", fillOpacity: 1,
      className: "poi-" + (feature.properties.kind || "place"),
    });
  },

  cluster: function (feature, latlng, index, context) {
    const n = feature.properties.point_count;
    const size = n < 10 ? 26 : n < 100 ? 32 : 40;
    const icon = L.divIcon({
      html: '<div><span>' + feature.properties.point_count_abbreviated + '</span></div>',
      className: "event-cluster", iconSize: L.point(size, size),
    });
    return L.marker(latlng, { icon: icon });
  },

  areaTooltip: function (feature, layer, context) {
    const p = feature.properties;
    /* the area search is the keyboard route to an area: keep 130 map shapes out of the Tab order */
    layer.on("add", function () {
      const el = layer.getElement && layer.getElement();
      if (el) { el.setAttribute("tabindex", "-1"); el.setAttribute("focusable", "false"); }
    });
    const el = document.createElement("div");
    const b = document.createElement("strong");
    b.textContent = p.name;  /* text, never HTML: names come from imported files */
    el.appendChild(b);
    layer.bindTooltip(el, { sticky: true, direction: "top" });
  },
});

/* Clientside callbacks (no inline scripts: the page's CSP allows only files from the app). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  lagesbild: {
    copyLink: function (n, view) {
      if (!n) { return window.dash_clientside.no_update; }
      const lang = view && view.lang;
      const url = window.location.href;
      const done = lang === "en" ? "Link copied" : "Länk kopierad";
      try {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url);
        } else {
          const ta = document.createElement("textarea");
          ta.value = url; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
          document.body.appendChild(ta); ta.select(); document.execCommand("copy"); document.body.removeChild(ta);
        }
      } catch (e) { return url; }
      return done;
    },

    /* Leaflet's layers control takes its labels once, when the overlays are added; rename them in
     * place when the language changes (overlays in layout order: police regions, kommuner). The
     * control may not be drawn yet on a first load with ?lang=en: try again shortly. */
    overlayNames: function (region, kommun) {
      const names = [region, kommun];
      function rename(triesLeft) {
        const spans = document.querySelectorAll("#map .leaflet-control-layers-overlays label > span > span");
        if (spans.length < names.length) {
          if (triesLeft > 0) { setTimeout(function () { rename(triesLeft - 1); }, 250); }
          return;
        }
        spans.forEach(function (el, i) { if (names[i]) { el.textContent = " " + names[i]; } });
      }
      rename(20);
      return window.dash_clientside.no_update;
    },

    /* The indicator cards from the server's plain data (layout/panels.py card_data): built with
     * textContent only (imported text stays text), one DOM step for all cards. Returns the
     * container's class. Focus stays on the card it was on (keyboard users). */
    renderCards: function (cards) {
      const box = document.getElementById("indicator-cards");
      if (!box) { return window.dash_clientside.no_update; }
      const active = document.activeElement;
      const focused = active && box.contains(active) ? active.dataset.indicator : null;
      const frag = document.createDocumentFragment();
      function span(cls, text) {
        const el = document.createElement("span");
        el.className = cls; el.textContent = text;
        return el;
      }
      (cards || []).forEach(function (c) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "indicator-card rag-" + c.rag + (c.selected ? " selected" : "") + (c.spark ? " has-spark" : "");
        b.dataset.indicator = c.id;
        b.title = c.reason || "";
        b.setAttribute("aria-pressed", c.selected ? "true" : "false");
        if (c.spark) { b.style.backgroundImage = 'url("' + c.spark + '")'; }
        b.appendChild(span("name", c.name));
        if (c.synthetic) { b.appendChild(span("badge synthetic", c.synthetic)); }
        b.appendChild(span("value", c.value));
        b.appendChild(span("cmp", c.cmp));
        const v = span("cmp verdict", " " + c.verdict);
        v.insertBefore(span("badge " + c.rag, c.rag_label), v.firstChild);
        b.appendChild(v);
        frag.appendChild(b);
      });
      box.replaceChildren(frag);
      if (focused) {
        const again = box.querySelector('[data-indicator="' + CSS.escape(focused) + '"]');
        if (again) { again.focus(); }
      }
      return (cards && cards.length) ? "cards" : "cards empty";
    },
  },
});

/* Click 2: a click (or Enter/Space) on a card tells the page which indicator, through the
 * card-pick store (one listener for all cards, whenever they are drawn). */
document.addEventListener("click", function (e) {
  const card = e.target && e.target.closest && e.target.closest("#indicator-cards .indicator-card");
  if (!card || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
  window.__lagesbildPicks = (window.__lagesbildPicks || 0) + 1;
  window.dash_clientside.set_props("card-pick", { data: { id: card.dataset.indicator, n: window.__lagesbildPicks } });
});

/* Fault banner: the callback endpoint answers 503 when the database is down, 401 when the session
 * has ended, 403 when the page is too old (CSRF) or the request is not allowed. Show it in words,
 * poll /healthz, and when the service is back, hide it and redraw the view from the URL. */
(function () {
  if (window.__lagesbildFetch) { return; }
  window.__lagesbildFetch = true;
  const MESSAGES = {
    db: "Databasen svarar inte just nu – sidan försöker igen automatiskt. / The database is not answering; the page retries automatically.",
    session: "Din inloggning har gått ut – logga in igen. / Your session has ended – please log in again.",
    expired: "Sidan har gått ut – ladda om den. / The page has expired – please reload it.",
    denied: "Det här får ditt konto inte se. / Your account may not see this.",
  };
  let polling = null;
  function banner() { return document.getElementById("error-banner"); }
  function show(kind) {
    const el = banner();
    if (!el) { return; }
    el.textContent = MESSAGES[kind];
    el.dataset.fault = kind;
    if (kind === "db" && !polling) { polling = setInterval(probe, 3000); }
  }
  function hide() {
    const el = banner();
    if (el && el.dataset.fault) {
      const wasDb = el.dataset.fault === "db";
      el.textContent = ""; delete el.dataset.fault;
      if (wasDb) { window.dispatchEvent(new PopStateEvent("popstate", { state: null })); }
    }
    if (polling) { clearInterval(polling); polling = null; }
  }
  function probe() {
    window.__lagesbildOrigFetch("/healthz", { cache: "no-store" })
      .then(function (r) { if (r.ok) { hide(); } }).catch(function () {});
  }
  window.__lagesbildOrigFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    return window.__lagesbildOrigFetch(input, init).then(function (r) {
      try {
        const url = typeof input === "string" ? input : (input && input.url) || "";
        if (url.indexOf("_dash-update-component") !== -1) {
          if (r.status === 503) { show("db"); }
          else if (r.status === 401) { show("session"); }
          else if (r.status === 403) {
            r.clone().json().then(function (j) { show(j && j.error === "csrf" ? "expired" : "denied"); })
              .catch(function () { show("denied"); });
            /* (the kommun tier's layer policy never triggers: those callbacks do not run for it) */
          } else if (r.ok) { hide(); }
        }
      } catch (e) { /* never break the app over a banner */ }
      return r;
    });
  };
})();
