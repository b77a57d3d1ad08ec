/* The compare view in the browser (no CDN, no build step): numeric sorting, the cell tooltips, the
 * selected cell's reason and the small multiples' highlight. Used by callbacks/compare.py through
 * ClientsideFunction("compare", ...). Nothing here computes a number: every value, colour and reason
 * arrives in the rows from the verdict object. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  compare: {
    /* Swedish alphabetical order (å, ä, ö after z) */
    _collator: new Intl.Collator("sv", { sensitivity: "base", numeric: true }),

    /* sort the rows by the column's number (<col>__sort), missing values last in either direction,
     * equal numbers in name order; the area and region columns by name. Mirrors
     * layout.compare.sort_rows (the downloads use that one). */
    sortRows: function (sortBy, rows) {
      const nu = window.dash_clientside.no_update;
      if (!rows) { return nu; }
      const c = window.dash_clientside.compare._collator;
      const byName = (a, b) => c.compare(String(a.area_name__sort || ""), String(b.area_name__sort || ""));
      if (!sortBy || !sortBy.length) { return rows.slice().sort(byName); }
      const col = sortBy[0].column_id;
      const desc = sortBy[0].direction === "desc";
      const key = col + "__sort";
      const present = rows.filter(r => r[key] !== null && r[key] !== undefined);
      const missing = rows.filter(r => r[key] === null || r[key] === undefined);
      const text = (col === "area_name" || col === "region");
      present.sort(function (a, b) {
        let d = text ? c.compare(String(a[key]), String(b[key])) : (a[key] - b[key]);
        if (d === 0) { return byName(a, b); }
        return desc ? -d : d;
      });
      missing.sort(byName);
      return present.concat(missing);
    },

    /* one tooltip per cell: the verdict's reason */
    tooltips: function (rows) {
      if (!rows) { return []; }
      return rows.map(function (r) {
        const tips = {};
        Object.keys(r).forEach(function (k) {
          if (k.endsWith("__tip")) { tips[k.slice(0, -5)] = { value: r[k], type: "text" }; }
        });
        return tips;
      });
    },

    /* a cell was picked: its reason under the table (read by screen readers), and the bare area
     * and indicator ids for the hub (an earlier period's column is "<indicator>@<period>") */
    cellPicked: function (cell, rows) {
      const nu = window.dash_clientside.no_update;
      if (!cell || cell.row_id === undefined || cell.row_id === null) { return [nu, nu]; }
      const col = String(cell.column_id);
      const row = (rows || []).find(r => String(r.id) === String(cell.row_id)) || {};
      const tip = row[col + "__tip"];
      const info = tip || row.area_name || "";
      const bridged = { row: cell.row, column: cell.column, row_id: String(cell.row_id),
                        column_id: col.split("@")[0] };
      const kbd = window.dash_clientside.compare._keyboard;
      kbd.last = bridged;
      // arrow keys browse (the reason is read out below the table); Enter or a click selects
      return [kbd.browsing() ? nu : bridged, info];
    },

    /* the table from the keyboard: Tab in (the first cell), arrows between cells, Enter selects the
     * area and indicator, Tab out (the table itself would keep Tab for its cells: a trap) */
    _keyboard: {
      navAt: 0,
      last: null,
      browsing: function () { return Date.now() - this.navAt < 500; },
    },

    /* the selected area's panel gets the class "selected" (a frame); the sentence says where it is */
    highlight: function (view) {
      const grid = document.querySelector("#" + window.LAGESBILD_IDS.SMALL_MULTIPLES + " .sm-grid");
      if (!grid) { return ""; }
      const selected = view && view.area ? String(view.area) : null;
      const panels = Array.prototype.slice.call(grid.querySelectorAll(".sm-panel"));
      let k = -1;
      panels.forEach(function (el, i) {
        const on = el.dataset.area === selected;
        el.classList.toggle("selected", on);
        if (on) { k = i; }
      });
      if (k < 0) { return ""; }
      const name = panels[k].dataset.name;
      return window.lagesbildT("js.selected_area", grid.dataset.lang, { name: name, n: k + 1, total: panels.length });
    },
  },
});

(function () {
  "use strict";
  const IDS = window.LAGESBILD_IDS;
  const BRIDGE = { type: IDS.COMPARE_DATATABLE, id: "main" };
  const NAV = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];

  function kbd() { return window.dash_clientside.compare._keyboard; }

  document.addEventListener("keydown", function (e) {
    const grid = e.target && e.target.closest && e.target.closest("#" + IDS.COMPARE_GRID);
    if (!grid || (e.target.classList && e.target.classList.contains("column-header--sort"))) { return; }
    if (e.key === "Tab") { e.stopPropagation(); return; }  // the browser's Tab: out of the table
    if (NAV.indexOf(e.key) >= 0) { kbd().navAt = Date.now(); return; }
    if (e.key === "Enter" && kbd().last && window.dash_clientside.set_props) {
      e.preventDefault();
      e.stopPropagation();
      window.dash_clientside.set_props(BRIDGE, { active_cell: Object.assign({}, kbd().last) });
    }
  }, true);  // capture, at the document: before the table's own handler sees the key

  function entry() {
    const inner = document.querySelector("#" + IDS.COMPARE_GRID + " .dash-spreadsheet-inner");
    if (!inner || inner.dataset.kbd) { return; }
    inner.dataset.kbd = "1";
    inner.tabIndex = 0;
    inner.setAttribute("role", "region");
    inner.setAttribute("aria-label", window.lagesbildT("js.compare_table", (document.getElementById(IDS.PAGE) || {}).lang));
    inner.addEventListener("focus", function (e) {
      if (e.target !== inner) { return; }
      const first = inner.querySelector("td.dash-cell:not([data-dash-column='area_name']):not([data-dash-column='region'])")
        || inner.querySelector("td.dash-cell");  // the first indicator cell: it has a reason to read
      if (first) { kbd().navAt = Date.now(); first.click(); }
    });
  }
  new MutationObserver(entry).observe(document.documentElement, { childList: true, subtree: true });
})();
