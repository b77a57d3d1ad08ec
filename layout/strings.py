"""UI texts, Swedish first, English on toggle."""

from __future__ import annotations

from dash import html

from reports.texts import SECTION_TITLES

TEXTS: dict[str, dict[str, str]] = {
    "title": {"sv": "Lägesbild – utsatta områden", "en": "Situation picture – vulnerable areas"},
    "subtitle": {"sv": "Gemensam lägesbild för områdes-, kommunpoliser och uppföljning",
                 "en": "Shared situation picture for area officers, liaison officers and follow-up"},
    "list_year": {"sv": "Lista", "en": "List"},
    "period": {"sv": "Period", "en": "Period"},
    "period_kind": {"sv": "Periodtyp", "en": "Period type"},
    "comparison": {"sv": "Jämför med", "en": "Compare with"},
    "cmp_prev_year": {"sv": "Samma period i fjol", "en": "Same period last year"},
    "cmp_baseline": {"sv": "Säsongsnormal (tre år)", "en": "Seasonal baseline (three years)"},
    "cmp_target": {"sv": "Mål", "en": "Target"},
    "kind_month": {"sv": "Månad", "en": "Month"},
    "kind_tertial": {"sv": "Tertial", "en": "Tertial"},
    "kind_year": {"sv": "År", "en": "Year"},
    "kind_r12": {"sv": "Rullande 12 mån", "en": "Rolling 12 months"},
    "kind_ytd": {"sv": "Hittills i år", "en": "Year to date"},
    "kind_week": {"sv": "Vecka", "en": "Week"},
    "search": {"sv": "Sök område, ort eller lokalpolisområde …", "en": "Search area, town or local police district …"},
    "legend_category": {"sv": "Kategori", "en": "Category"},
    "sources": {"sv": "Källor", "en": "Sources"},
    "export": {"sv": "Exportera lägesbild", "en": "Export situation picture"},
    "export_tier": {"sv": "Version", "en": "Version"},
    "export_police": {"sv": "Polisversion (allt)", "en": "Police version (everything)"},
    "export_kommun": {"sv": "Kommunversion (samverkan: tertial och år, tal under 5 dolda, bara anteckningar märkta för kommunen)",
                      "en": "Municipality version (partnership: tertials and years, counts below 5 hidden, only notes marked for the municipality)"},
    "export_purpose": {"sv": "Ärende/syfte (valfritt, skrivs i rapporten och loggen)",
                       "en": "Case/purpose (optional, printed on the report and logged)"},
    "export_purpose_ph": {"sv": "t.ex. samverkansmöte med kommunen 2026-12-01",
                          "en": "e.g. partnership meeting 2026-12-01"},
    "export_formats": {"sv": "Ladda ner", "en": "Download"},
    "notes": {"sv": "Anteckningar till lägesbilden (4P)", "en": "Notes for the situation picture (4P)"},
    "notes_help": {"sv": "Egen text per avsnitt, sparas med namn och tid och visas under de genererade "
                         "fakta. Tidigare versioner sparas.",
                   "en": "Your own text per section, stored with name and time and shown under the "
                         "generated facts. Earlier versions are kept."},
    "notes_internal": {"sv": "Intern (bara polisen)", "en": "Internal (police only)"},
    "notes_kommun": {"sv": "Visas i kommunversionen", "en": "Shown in the municipality version"},
    "notes_save": {"sv": "Spara anteckningar", "en": "Save notes"},
    "skip_link": {"sv": "Hoppa till områdespanelen", "en": "Skip to the area panel"},
    "copy_link": {"sv": "Kopiera länk", "en": "Copy link"},
    "hotspots": {"sv": "Visa hotspots", "en": "Show hotspots"},
    "events": {"sv": "Händelser", "en": "Events"},
    "pois": {"sv": "Platser", "en": "Places"},
    "kommun_outline": {"sv": "Kommungränser", "en": "Municipal borders"},
    "region_outline": {"sv": "Polisregioner", "en": "Police regions"},
    "overview": {"sv": "Största signifikanta förändringar", "en": "Largest significant changes"},
    "pick_area": {"sv": "Välj ett område på kartan eller i sökrutan.",
                  "en": "Pick an area on the map or in the search box."},
    "trend": {"sv": "Utveckling per månad", "en": "Monthly trend"},
    "method_link": {"sv": "Så bedöms förändringarna (metod)", "en": "How changes are judged (method)"},
    "compare": {"sv": "Jämförelse mellan områden", "en": "Comparison across areas"},
    "lagesbild": {"sv": "Lägesbild", "en": "Situation picture"},
    "synthetic": {"sv": "Syntetisk", "en": "Synthetic"},
    "synthetic_note": {"sv": "Syntetiska demodata – inte verkliga polisdata",
                       "en": "Synthetic demo data – not real police data"},
    "panel_note": {"sv": "Listan ritas med 2021 års gränser (Polisen har inte publicerat listans egna polygoner).",
                   "en": "This list is drawn with the 2021 boundaries (the police did not publish its own polygons)."},
    "areas_count": {"sv": "{n} områden", "en": "{n} areas"},
    "demo_banner": {"sv": "Demoläge: ingen inloggning. Syntetiska data är märkta.",
                    "en": "Demo mode: no login. Synthetic data is labelled."},
    "language": {"sv": "English", "en": "Svenska"},
    "region": {"sv": "Region", "en": "Region"},
    "all_regions": {"sv": "Hela landet", "en": "All of Sweden"},
    "download_csv": {"sv": "Ladda ner CSV", "en": "Download CSV"},
    "indicator": {"sv": "Indikator", "en": "Indicator"},
    "download_xlsx": {"sv": "Ladda ner Excel", "en": "Download Excel"},
    "hotspot_method": {"sv": "Hotspotmetod", "en": "Hotspot method"},
    "hs_gistar": {"sv": "Gi* (hexagoner, testad)", "en": "Gi* (hexagons, tested)"},
    "hs_kde": {"sv": "Täthet (kärnskattning)", "en": "Density (kernel)"},
    "hs_emerging": {"sv": "Framväxande (36 mån)", "en": "Emerging (36 months)"},
    "hs_deso": {"sv": "Gi* per DeSO (anmälda brott)", "en": "Gi* per DeSO (recorded crime)"},
    "poi_check": {"sv": "Testa närhet till platser", "en": "Test nearness to places"},
    "kommun_no_series": {"sv": "Månadsserier och jämförelsetabeller visas bara i polisversionen.",
                         "en": "Monthly series and comparison tables are shown in the police version only."},
    "logout": {"sv": "Logga ut", "en": "Log out"},
    "map_metric": {"sv": "Färglägg kartan efter", "en": "Colour the map by"},
    "metric_value": {"sv": "Värde", "en": "Value"},
    "metric_rate_per_1000": {"sv": "Per 1 000 invånare", "en": "Per 1,000 inhabitants"},
    "metric_change": {"sv": "Förändring", "en": "Change"},
    "metric_z": {"sv": "z-värde (Poisson)", "en": "z-score (Poisson)"},
    "legend_indicator": {"sv": "{name}, {period}", "en": "{name}, {period}"},
    "no_data": {"sv": "Inga värden för perioden.", "en": "No values for the period."},
    "no_period_data": {"sv": "Inga data för {period} – välj en annan period ovan.",
                       "en": "No data for {period} – choose another period above."},
    "trend_hint": {"sv": "Klicka på ett kort för att se indikatorns utveckling per månad.",
                   "en": "Click a card to see the indicator month by month."},
    "pick_indicator": {"sv": "Välj en indikator (klicka på ett kort).", "en": "Pick an indicator (click a card)."},
    "pick_trend": {"sv": "Välj ett område och en indikator (klicka på ett kort) för att se trenden.",
                   "en": "Pick an area and an indicator (click a card) to see the trend."},
    "error": {"sv": "Något gick fel när data hämtades. Försök igen; felet är loggat.",
              "en": "Something went wrong fetching the data. Try again; the error has been logged."},
    "link_copied": {"sv": "Länk kopierad", "en": "Link copied"},
    "hotspot_needs_area": {"sv": "Välj ett område för att visa hotspots.", "en": "Pick an area to show hotspots."},
    "method_title": {"sv": "Hur beräknades detta?", "en": "How was this calculated?"},
    "events_precision": {"sv": "Händelser per lägesprecision", "en": "Events by location precision"},
    "boundary_changed": {"sv": "gränsen ändrad sedan förra listan", "en": "boundary changed since the previous list"},
}


# EST samverkan (issue 14): the kommun's weekly meeting view, the tertial follow-up, the § 4 document
TEXTS.update({
    "est_link": {"sv": "Samverkan", "en": "Partnership"},
    "est_title": {"sv": "Samverkan med kommunen (EST)", "en": "Partnership with the kommun (EST)"},
    "est_kommun": {"sv": "Kommun", "en": "Kommun"},
    "est_week": {"sv": "Vecka", "en": "Week"},
    "est_tab_week": {"sv": "Veckomöte", "en": "Weekly meeting"},
    "est_tab_followup": {"sv": "Tertialuppföljning", "en": "Tertial follow-up"},
    "est_tab_l4": {"sv": "Lägesbild § 4", "en": "Lägesbild § 4"},
    "est_tab_prio": {"sv": "Prioritering", "en": "Prioritisation"},
    "est_obs_new": {"sv": "Ny iakttagelse", "en": "New observation"},
    "est_obs_date": {"sv": "Datum", "en": "Date"},
    "est_action_pick": {"sv": "Åtgärd", "en": "Action"},
    "est_action_state": {"sv": "Ny status", "en": "New status"},
    "est_action_done": {"sv": "Klar (datum)", "en": "Done (date)"},
    "est_obs_category": {"sv": "Kategori", "en": "Category"},
    "est_obs_area": {"sv": "Område", "en": "Area"},
    "est_obs_place": {"sv": "Plats", "en": "Place"},
    "est_obs_org": {"sv": "Organisation", "en": "Organisation"},
    "est_obs_role": {"sv": "Roll", "en": "Role"},
    "est_obs_add": {"sv": "Lägg till iakttagelse", "en": "Add observation"},
    "est_print": {"sv": "Skriv ut (A4)", "en": "Print (A4)"},
    "est_flags": {"sv": "Veckans flaggor", "en": "The week's flags"},
    "est_flags_hint": {"sv": "Händelser i veckan mot områdets egna 52 veckor (negativ binomial, FDR över tabellen).",
                       "en": "Events in the week against the area's own 52 weeks (negative binomial, FDR over the table)."},
    "est_observations": {"sv": "Samverkansparternas iakttagelser", "en": "The partners' observations"},
    "est_obs_hint": {"sv": "Inte brott: ingår aldrig i brottsstatistiken.",
                     "en": "Not crimes: never part of the crime counts."},
    "est_actions": {"sv": "Öppna åtgärder som förfaller", "en": "Open actions due"},
    "est_places": {"sv": "Platser nästa vecka", "en": "Places next week"},
    "est_place_name": {"sv": "Plats", "en": "Place"},
    "est_place_owner": {"sv": "Ansvarig", "en": "Owner"},
    "est_place_reason": {"sv": "Varför", "en": "Why"},
    "est_place_add": {"sv": "Lägg till plats", "en": "Add place"},
    "est_tertial": {"sv": "Tertial", "en": "Tertial"},
    "est_download_pdf": {"sv": "Ladda ner PDF", "en": "Download PDF"},
    "est_download_docx": {"sv": "Ladda ner Word", "en": "Download Word"},
    "est_l4_period": {"sv": "Period", "en": "Period"},
    "est_l4_hint": {"sv": "Kommunens lägesbild enligt 4 § lagen (2023:196): kartläggning av brottsligheten "
                          "(kommunversionen, små tal dolda), samverkansparternas iakttagelser, problem, löften och "
                          "åtgärder med uppföljning samt plats för analysen. Inga anteckningar.",
                    "en": "The kommun's lägesbild under section 4 of Act 2023:196: mapping of crime (kommun version, "
                          "small counts hidden), the partners' observations, problems, promises and actions with "
                          "follow-up, and room for the analysis. No notes."},
})

# the 4P section titles, as the reports write them
TEXTS.update({f"section_{k}": {"sv": sv, "en": en} for k, (sv, en) in SECTION_TITLES.items()})


def t(key: str, lang: str = "sv", **kwargs: object) -> str:
    """The text ``key`` in ``lang`` (Swedish when missing), formatted with ``kwargs``."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry["sv"]
    return text.format(**kwargs) if kwargs else text


def tx(key: str, lang: str, tag=html.Span, instance: str | None = None, **kwargs):
    """A text element the language callback (``callbacks/language.py``) rewrites on a toggle.

    ``instance`` tells apart several elements with the same text (their ids must differ)."""
    return tag(t(key, lang), id={"type": "t", "key": f"{key}#{instance}" if instance else key}, **kwargs)


def text_of(element_key: str, lang: str) -> str:
    """The text of a :func:`tx` element's key (its instance suffix dropped)."""
    return t(element_key.split("#", 1)[0], lang)
