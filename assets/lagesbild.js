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
    const m = L.circleMarker(latlng, {
      radius: p.category === "sarskilt_utsatt" ? 7 : 5, color: "#2b2b2b", weight: 1,
      fillColor: p.color, fillOpacity: 0.95, className: "uo-dot dot-" + feature.id,
    });
    m._home = latlng;  /* where the area is; the drawn dot may be pushed aside (spreadDots) */
    m.on("add", function () { window.lagesbild._spreadSoon(m._map); });
    return m;
  },

  /* National zoom: neighbouring areas (Rinkeby, Tensta, Hjulsta …) would draw their dots on top of
   * each other. Push overlapping dots apart in screen space, as little as needed, every time the
   * zoom changes; each dot keeps its own tooltip and click. */
  spreadDots: function (map) {
    if (!map) { return; }
    const dots = [];
    map.eachLayer(function (l) { if (l._home && l.setLatLng) { dots.push(l); } });
    const pts = dots.map(function (d) { return map.latLngToLayerPoint(d._home); });
    const r = dots.map(function (d) { return d.options.radius + d.options.weight + 1; });
    for (let it = 0; it < 60; it++) {
      let moved = false;
      for (let i = 0; i < pts.length; i++) {
        for (let j = i + 1; j < pts.length; j++) {
          let dx = pts[j].x - pts[i].x, dy = pts[j].y - pts[i].y;
          let d = Math.sqrt(dx * dx + dy * dy);
          const need = r[i] + r[j];
          if (d >= need) { continue; }
          if (d < 1e-6) { dx = 1; dy = 0; d = 1; }
          const push = (need - d) / 2 + 0.05;
          pts[i] = L.point(pts[i].x - dx / d * push, pts[i].y - dy / d * push);
          pts[j] = L.point(pts[j].x + dx / d * push, pts[j].y + dy / d * push);
          moved = true;
        }
      }
      if (!moved) { break; }
    }
    dots.forEach(function (d, i) { d.setLatLng(map.layerPointToLatLng(pts[i])); });
  },

  _spreadSoon: function (map) {
    if (!map || map._lagesbildSpread) { return; }
    map._lagesbildSpread = setTimeout(function () {
      map._lagesbildSpread = null;
      window.lagesbild.spreadDots(map);
    }, 0);
  },

  /* Leaflet has no zoom class: mark the container so CSS can swap dots for polygons and show the
   * names that fit the zoom (police regions far out, kommuner closer in). */
  zoomBand: function (e) {
    const map = e.target;
    const el = map.getContainer();
    const z = map.getZoom();
    el.classList.toggle("zoom-low", z < 10);
    el.classList.toggle("zoom-high", z >= 10);
    el.classList.toggle("zoom-national", z < 7);
    el.classList.toggle("zoom-kommun", z >= 8);
    window.lagesbild.spreadDots(map);
  },

  outlineStyle: function (feature, context) {
    const h = window.lagesbild._hideout(context);
    return { color: h.color || "#8a8a8a", weight: h.weight || 1, fill: !!h.fill,
             fillColor: h.fillColor || "#f4f1ea", fillOpacity: h.fill ? 1 : 0, interactive: false,
             className: "base-outline" };
  },

  /* Names on the offline map: text only (names come from files), never interactive. */
  mapLabel: function (feature, latlng, context) {
    const p = feature.properties;
    const span = document.createElement("span");
    span.textContent = p.name;
    return L.marker(latlng, {
      icon: L.divIcon({ html: span, className: "map-label label-" + p.level, iconSize: null }),
      interactive: false, keyboard: false, pane: "labels",
    });
  },

  hotspotStyle: function (feature, context) {
    const h = window.lagesbild._hideout(context);
    const p = feature.properties;
    if (p.level !== undefined) {  /* kernel density cells */
      const kde = h.kde || [];  /* the palette comes from Python (layers/palettes.py KDE_COLORS) */
      return { className: "density-" + p.level, stroke: false, fillColor: kde[Math.max(0, Math.min(kde.length - 1, p.level - 1))],
               fillOpacity: 0.65 };
    }
    if (p.category !== undefined) {  /* emerging hot spot categories */
      const c = (h.emerging || {})[p.category] || "#f7f7f7";
      return { className: "emerging-" + p.category, color: "#777", weight: 0.5, fillColor: c,
               fillOpacity: p.category === "no_pattern" ? 0.1 : 0.75 };
    }
    const cls = p["class"];
    const colors = h.colors || {};
    const hot = cls === "hot99" || cls === "hot95" || cls === "hot90";
    /* hot now and in the same period last year: black outline; hot then, not now: dashed */
    const mark = p.was_hot ? (hot ? " hs-persistent" : " hs-former") : "";
    return {
      className: "hotspot-" + cls + mark,
      color: p.was_hot ? (hot ? "#000000" : "#b2182b") : (cls === "ns" ? "#bdbdbd" : "#636363"),
      weight: p.was_hot ? 2.5 : (cls === "ns" ? 0.3 : 0.8),
      dashArray: p.was_hot && !hot ? "4 3" : null,
      fillColor: colors[cls] || "#f7f7f7",
      fillOpacity: cls === "ns" ? 0.15 : 0.7,
    };
  },

  _num: function (v, locale, digits) {
    if (v === null || v === undefined || isNaN(v)) { return "–"; }
    return Number(v).toLocaleString(locale || "sv-SE", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  },

  /* A tooltip of text lines (textContent only: nothing in a feature is ever read as HTML). */
  _tip: function (layer, lines, cls) {
    const el = document.createElement("div");
    el.className = "map-tip " + (cls || "");
    lines.forEach(function (line, i) {
      if (!line) { return; }
      const row = document.createElement(i === 0 ? "strong" : "div");
      row.textContent = line;
      el.appendChild(row);
    });
    layer.bindTooltip(el, { sticky: true, direction: "top", opacity: 0.95 });
  },

  hotspotTooltip: function (feature, layer, context) {
    const lb = window.lagesbild;
    const h = lb._hideout(context);
    const w = h.words || {};
    const p = feature.properties;
    const loc = h.locale;
    if (p.level !== undefined) {
      lb._tip(layer, [w.level + " " + p.level + " " + w.of + " 5",
                      lb._num(p.density, loc, 0) + " " + w.events + "/km²"], "tip-density");
      return;
    }
    if (p.category !== undefined) {
      lb._tip(layer, [(h.emerging_labels || {})[p.category] || p.category,
                      p.n_hot + " " + w.months_hot + ", " + p.n_cold + " " + w.months_cold], "tip-emerging");
      return;
    }
    const cls = p["class"];
    const hot = cls === "hot99" || cls === "hot95" || cls === "hot90";
    lb._tip(layer, [
      (h.labels || {})[cls] || cls,
      lb._num(p.count, loc, 0) + " " + (p.count === 1 ? w.event : w.events) + " · z = " + lb._num(p.z, loc, 2),
      w.test + ": " + h.test,
      p.was_hot ? (hot ? w.persistent : w.former) : null,
    ], "tip-hotspot");
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
      pane: context && context.map && context.map.getPane("events") ? "events" : "overlayPane",
    });
  },

  eventTooltip: function (feature, layer, context) {
    const lb = window.lagesbild;
    const h = lb._hideout(context);
    const w = h.words || {};
    const p = feature.properties;
    if (p.cluster) {
      lb._tip(layer, [lb._num(p.point_count, h.locale, 0) + " " + w.cluster], "tip-cluster");
      return;
    }
    const type = p.type ? ((h.types || {})[p.type] || p.type) : w.unknown_type;
    const when = p.time ? String(p.time).replace("T", " ").slice(0, 16) : "";
    const prec = (h.precision || {})[p.precision] || p.precision || "";
    lb._tip(layer, [type, when, w.position + ": " + prec], "tip-event");
  },

  poiPoint: function (feature, latlng, context) {
    const h = window.lagesbild._hideout(context);
    const kind = feature.properties.kind || "place";
    const spec = (h.kinds || {})[kind] || { shape: "circle", color: "#555555", letter: "" };
    const icon = document.createElement("span");
    icon.className = "poi-icon poi-shape-" + spec.shape;
    icon.style.setProperty("--poi", spec.color);
    icon.textContent = spec.letter || "";
    return L.marker(latlng, {
      icon: L.divIcon({ html: icon, className: "poi poi-" + kind, iconSize: [16, 16], iconAnchor: [8, 8] }),
      keyboard: false, riseOnHover: true,
    });
  },

  poiTooltip: function (feature, layer, context) {
    const h = window.lagesbild._hideout(context);
    const p = feature.properties;
    const spec = (h.kinds || {})[p.kind] || {};
    window.lagesbild._tip(layer, [spec.label || p.kind, p.name], "tip-poi");
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
      const done = window.lagesbildT("js.link_copied", lang);
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
        const spans = document.querySelectorAll("#" + window.LAGESBILD_IDS.MAP + " .leaflet-control-layers-overlays label > span > span");
        if (spans.length < names.length) {
          if (triesLeft > 0) { setTimeout(function () { rename(triesLeft - 1); }, 250); }
          return;
        }
        spans.forEach(function (el, i) { if (names[i]) { el.textContent = " " + names[i]; } });
      }
      rename(20);
      return window.dash_clientside.no_update;
    },

    /* The chosen indicator's card marked (class and aria-pressed), without redrawing the cards. */
    markSelected: function (view) {
      const chosen = view && view.indicator;
      document.querySelectorAll("#" + window.LAGESBILD_IDS.INDICATOR_CARDS + " .indicator-card").forEach(function (b) {
        const on = !!chosen && b.dataset.indicator === chosen;
        b.classList.toggle("selected", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      return window.dash_clientside.no_update;
    },

    /* The compare view came into view: pass it the page's view when what it shows changed while
     * it was off screen (the hub skips it then: callbacks/view.py, compare_view). */
    compareCatchUp: function (visible, view, drawn) {
      const nu = window.dash_clientside.no_update;
      if (!visible || !view) { return nu; }
      const keys = ["indicator", "period", "cmp", "lang", "list", "region", "real"];
      const changed = drawn ? keys.filter(function (k) {
        return JSON.stringify(drawn[k] === undefined ? null : drawn[k]) !== JSON.stringify(view[k] === undefined ? null : view[k]);
      }) : keys;
      if (!changed.length) { return nu; }
      return Object.assign({}, view, { changed: changed });
    },

    /* The indicator cards from the server's plain data (layout/panels.py card_data): built with
     * textContent only (imported text stays text), one DOM step for all cards. Returns the
     * container's class. Focus stays on the card it was on (keyboard users). */
    renderCards: function (cards) {
      const box = document.getElementById(window.LAGESBILD_IDS.INDICATOR_CARDS);
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
        if (c.preliminary) { b.appendChild(span("badge preliminary", c.preliminary)); }
        b.appendChild(span("value", c.value));
        b.appendChild(span("cmp", c.cmp));
        const v = span("cmp verdict", " " + c.verdict);
        v.insertBefore(span("badge " + c.rag, c.rag_label), v.firstChild);
        b.appendChild(v);
        if (c.revision) { b.appendChild(span("revision", c.revision)); }
        frag.appendChild(b);
      });
      box.replaceChildren(frag);
      if (focused) {
        const again = box.querySelector('[data-indicator="' + CSS.escape(focused) + '"]');
        if (again) { again.focus({ preventScroll: true }); }  /* the page may have scrolled to the trend */
      }
      return (cards && cards.length) ? "cards" : "cards empty";
    },
  },
});

/* Click 2: a click (or Enter/Space) on a card tells the page which indicator, through the
 * card-pick store (one listener for all cards, whenever they are drawn). The trend card above the
 * cards opens at once and, where it is not in view (narrow screens; wide ones keep it sticky in
 * view), the page scrolls to it: the chart is where the eye goes, drawn when the server answers. */
document.addEventListener("click", function (e) {
  const card = e.target && e.target.closest && e.target.closest("#" + window.LAGESBILD_IDS.INDICATOR_CARDS + " .indicator-card");
  if (!card || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
  window.__lagesbildPicks = (window.__lagesbildPicks || 0) + 1;
  window.dash_clientside.set_props(window.LAGESBILD_IDS.CARD_PICK, { data: { id: card.dataset.indicator, n: window.__lagesbildPicks } });
  const trend = document.getElementById(window.LAGESBILD_IDS.TREND_CARD);
  if (trend) {
    trend.classList.remove("idle");
    const r = trend.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) { trend.scrollIntoView({ block: "start", behavior: "instant" }); }
  }
});

/* The area search keeps every key typed right after focus. Dash 4's dropdown opens its list on
 * the first key and moves focus to the list's search box a frame later; a key pressed on the closed
 * box in between goes nowhere ("Husby" became "Hsby" at 30-60 ms per key), and with an area chosen
 * the opened list gives focus to the chosen option, so typing went nowhere at all. Here every
 * printable key that lands anywhere in the area search but its search box is kept (in order) and
 * written into the search box as soon as it is there; keys that reach the search box are typed as
 * usual. */
(function () {
  if (window.__lagesbildSearchKeys) { return; }
  window.__lagesbildSearchKeys = true;
  let buffer = "";
  let flushing = false;
  const swallowed = new Set();
  function wrapper() {
    const box = document.getElementById(window.LAGESBILD_IDS.AREA_SEARCH);
    return box ? box.closest(".dash-dropdown-wrapper") : null;
  }
  function searchBox(w) { return w ? w.querySelector("input.dash-dropdown-search") : null; }
  function setValue(input, value) {  /* as typing does: React sees an input event */
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    setter.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function flush(tries) {
    const w = wrapper();
    const input = searchBox(w);
    if (!input) {
      if (tries > 0) { requestAnimationFrame(function () { flush(tries - 1); }); } else { buffer = ""; flushing = false; }
      return;
    }
    const text = buffer;
    buffer = "";
    if (text) { setValue(input, (input.value || "") + text); }
    if (document.activeElement !== input) { input.focus(); }
    try { input.setSelectionRange(input.value.length, input.value.length); } catch (err) { /* type=search */ }
    if (buffer) { flush(tries); return; }  /* keys that came while writing */
    flushing = false;
  }
  window.addEventListener("keydown", function (e) {
    if (e.isComposing || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) { return; }
    const w = wrapper();
    const target = e.target;
    if (!w || !target || !w.contains(target) || target.classList.contains("dash-dropdown-search")) { return; }
    const input = searchBox(w);
    if (e.key === " " && !buffer && !(input && input.value)) { return; }  /* Space opens the list */
    e.preventDefault();
    e.stopPropagation();
    swallowed.add(e.code || e.key);
    buffer += e.key;
    if (!input) {
      const button = document.getElementById(window.LAGESBILD_IDS.AREA_SEARCH);
      if (button && button.getAttribute("aria-expanded") !== "true") { button.click(); }
    }
    if (!flushing) { flushing = true; requestAnimationFrame(function () { flush(60); }); }
  }, true);
  window.addEventListener("keyup", function (e) {
    const k = e.code || e.key;
    if (swallowed.has(k)) { swallowed.delete(k); e.preventDefault(); e.stopPropagation(); }
  }, true);
})();

/* Fault banner: the callback endpoint answers 503 when the database is down, 401 when the session
 * has ended, 403 when the page is too old (CSRF) or the request is not allowed. Show it in words,
 * poll /healthz, and when the service is back, hide it and redraw the view from the URL. */
(function () {
  if (window.__lagesbildFetch) { return; }
  window.__lagesbildFetch = true;
  /* both languages at once: the banner may show before the page knows its language */
  function message(kind) {
    return window.lagesbildT("js.fault." + kind, "sv") + " / " + window.lagesbildT("js.fault." + kind, "en");
  }
  let polling = null;
  function banner() { return document.getElementById(window.LAGESBILD_IDS.ERROR_BANNER); }
  function show(kind) {
    const el = banner();
    if (!el) { return; }
    el.textContent = message(kind);
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

/* Is the compare view on screen? (compare-visible: the hub redraws the table only then.) */
(function () {
  if (window.__lagesbildCompareObserver || !("IntersectionObserver" in window)) { return; }
  window.__lagesbildCompareObserver = true;
  let last = null;
  function watch() {
    const el = document.getElementById(window.LAGESBILD_IDS.COMPARE_SECTION);
    if (!el || !window.dash_clientside || !window.dash_clientside.set_props) { setTimeout(watch, 300); return; }
    new IntersectionObserver(function (entries) {
      const seen = entries.some(function (e) { return e.isIntersecting; });
      if (seen !== last) { last = seen; window.dash_clientside.set_props(window.LAGESBILD_IDS.COMPARE_VISIBLE, { data: seen }); }
    }, { rootMargin: "150px 0px" }).observe(el);
  }
  watch();
})();
