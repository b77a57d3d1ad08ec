/* Accessibility repairs of Dash 4's own components (WCAG 2.1 AA, checked with axe-core in
 * tests/browser/test_accessibility.py). The components render ARIA that screen readers trip over;
 * this file corrects the DOM after React has drawn it, for every instance on the page, now and
 * later (a MutationObserver). Nothing here changes what a component does.
 *
 * - RadioItems / Checklist: a "listbox" of "option" labels that each hold a native radio or
 *   checkbox (nested interactive controls, no name). The native inputs are the controls: the list
 *   becomes a radiogroup / group named by its fieldset legend (or its <label for>), the labels lose
 *   role and aria-selected.
 * - Dropdown: a hidden (aria-hidden) input takes the Tab stop and hands focus to the real button.
 *   The button takes the Tab stop itself; the input leaves the tab order. The button is named by
 *   its <label for> as well as by its value ("Period: tertial 2 2023").
 * - DataTable: the sort arrows are clickable spans: they become buttons with a name, reachable
 *   with Tab (and left with Tab: the table's own Tab handling would trap focus) and worked with
 *   Enter or Space.
 */
(function () {
  "use strict";
  let uid = 0;
  const lang = () => (document.getElementById(window.LAGESBILD_IDS.PAGE) || document.documentElement).lang || "sv";

  function idOf(el) {
    if (!el.id) { el.id = "a11y-" + (++uid); }
    return el.id;
  }

  function nameSource(list) {
    const fieldset = list.closest("fieldset");
    const legend = fieldset && fieldset.querySelector("legend");
    if (legend) { return legend; }
    return list.id ? document.querySelector('label[for="' + CSS.escape(list.id) + '"]') : null;
  }

  function fixOptionLists(root) {
    // RadioItems and Checklist only: a dropdown's popup list is a real listbox of options
    const lists = ".dash-options-list.dash-radioitems, .dash-options-list.dash-checklist";
    root.querySelectorAll(".dash-radioitems[role='listbox'], .dash-checklist[role='listbox']").forEach(function (list) {
      list.setAttribute("role", list.classList.contains("dash-radioitems") ? "radiogroup" : "group");
      const src = nameSource(list);
      if (src && !list.hasAttribute("aria-labelledby")) { list.setAttribute("aria-labelledby", idOf(src)); }
    });
    root.querySelectorAll(lists.split(", ").map(l => l + " > .dash-options-list-option[role], " + l
        + " > .dash-options-list-option[aria-selected]").join(", ")).forEach(function (o) {
      o.removeAttribute("role");
      o.removeAttribute("aria-selected");
    });
  }

  function fixDropdowns(root) {
    root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (input) {
      const button = input.nextElementSibling;
      if (!button || !button.classList.contains("dash-dropdown") || button.disabled) { return; }
      if (input.tabIndex !== -1) { input.tabIndex = -1; }
      if (button.tabIndex !== 0) { button.tabIndex = 0; }
      if (button.id && !button.dataset.a11yNamed) {
        const label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        if (label) {
          const by = (button.getAttribute("aria-labelledby") || "").trim();
          button.setAttribute("aria-labelledby", (idOf(label) + " " + by).trim());
          button.dataset.a11yNamed = "1";
        }
      }
    });
  }

  function fixSortArrows(root) {
    root.querySelectorAll(".dash-spreadsheet .column-header--sort").forEach(function (s) {
      const th = s.closest("th");
      const name = th ? (th.querySelector(".column-header-name") || th).textContent.trim() : "";
      const label = window.lagesbildT("js.sort_by", lang(), { name: name });
      if (s.getAttribute("role") !== "button") { s.setAttribute("role", "button"); }
      if (s.getAttribute("tabindex") !== "0") { s.setAttribute("tabindex", "0"); }
      if (s.getAttribute("aria-label") !== label) { s.setAttribute("aria-label", label); }
      if (!s.dataset.a11yKeys) {
        s.dataset.a11yKeys = "1";
        s.addEventListener("keydown", function (e) {
          // the table moves its active cell on Tab and keeps focus (a keyboard trap): a Tab on a
          // header button is the browser's, never the table's
          if (e.key === "Tab") { e.stopPropagation(); return; }
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.stopPropagation(); s.click(); }
        });
      }
    });
  }

  function repair(root) {
    fixOptionLists(root);
    fixDropdowns(root);
    fixSortArrows(root);
  }

  let scheduled = false;
  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; repair(document); });
  }

  function start() {
    repair(document);
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["role", "aria-selected", "tabindex", "lang"],
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
