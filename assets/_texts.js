/* Generated from texts/ (python -m texts): the texts the page's scripts show. Do not edit. */
window.LAGESBILD_TEXTS = Object.freeze({
  "sv": {
    "js.sort_by": "Sortera efter {name}",
    "js.selected_area": "Valt område: {name} (nummer {n} av {total}), med ram.",
    "js.compare_table": "Jämförelsetabell: piltangenterna flyttar mellan cellerna, Enter väljer området",
    "js.link_copied": "Länk kopierad",
    "js.fault.db": "Databasen svarar inte just nu – sidan försöker igen automatiskt.",
    "js.fault.session": "Din inloggning har gått ut – logga in igen.",
    "js.fault.expired": "Sidan har gått ut – ladda om den.",
    "js.fault.denied": "Det här får ditt konto inte se."
  },
  "en": {
    "js.sort_by": "Sort by {name}",
    "js.selected_area": "Selected area: {name} (number {n} of {total}), framed.",
    "js.compare_table": "Comparison table: arrow keys move between cells, Enter selects the area",
    "js.link_copied": "Link copied",
    "js.fault.db": "The database is not answering; the page retries automatically.",
    "js.fault.session": "Your session has ended – please log in again.",
    "js.fault.expired": "The page has expired – please reload it.",
    "js.fault.denied": "Your account may not see this."
  }
});
window.lagesbildT = function (key, lang, fields) {
  fields = fields || {};
  const table = window.LAGESBILD_TEXTS[lang] || window.LAGESBILD_TEXTS.sv;
  return table[key].replace(/\{(\w+)\}/g, function (m, name) { return String(fields[name]); });
};
