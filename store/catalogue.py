"""The indicator catalogue the product ships with: real series where public data exists, synthetic
(seeded, labelled) for the indicators the police do not publish."""

from __future__ import annotations

from geodata.deso_series import DEFAULT_MIN_SHARE, OFFENCE_FILES

SYNTHETIC_SOURCE = "Syntetisk demodata (Lägesbild, seedad) – inte verkliga polisdata"
DESO_SOURCE = (
    "Polisanmälda brott per DeSO (Polisen, utlämnat 2024), månad = brottsdatum. En DeSO räknas helt för "
    f"ett område när minst {round(100 * DEFAULT_MIN_SHARE)} % av den ligger i området (nyckeln DeSO→område 2025; "
    "DeSO-polygonerna för Stockholms län och Göteborgsregionen); område utan sådan DeSO saknar serie."
)
POLISEN_SOURCE = "polisen.se händelser (öppet API) där texten nämner området"

# unit: count | hours | share ; direction: up_is_bad | up_is_good | effort
DEFAULT_INDICATORS: list[dict] = [
    # --- real, from police-recorded crimes per DeSO (crime_deso/) ---
    dict(id="brand_i_motorfordon", name_sv="Brand i motorfordon", name_en="Car fires", unit="count",
         direction="up_is_bad", proactive=False, rare=False, source=DESO_SOURCE, synthetic=False,
         description_sv="Anmälda bilbränder (skadegörelse genom brand, motorfordon).",
         description_en="Reported car fires (criminal damage by fire, motor vehicles)."),
    dict(id="brand", name_sv="Anlagd brand", name_en="Arson", unit="count", direction="up_is_bad",
         proactive=False, rare=False, source=DESO_SOURCE, synthetic=False,
         description_sv="Anmälda bränder (mordbrand och skadegörelse genom brand, ej motorfordon).",
         description_en="Reported arson (excluding motor vehicles)."),
    dict(id="upplopp", name_sv="Upplopp", name_en="Riots", unit="count", direction="up_is_bad",
         proactive=False, rare=True, source=DESO_SOURCE, synthetic=False,
         description_sv="Anmälda upplopp och våldsamt upplopp.", description_en="Reported riots."),
    dict(id="blaljussabotage", name_sv="Blåljussabotage", name_en="Sabotage of emergency services",
         unit="count", direction="up_is_bad", proactive=False, rare=True, source=DESO_SOURCE,
         synthetic=False, description_sv="Anmält sabotage mot blåljusverksamhet.",
         description_en="Reported sabotage of emergency services."),
    dict(id="vald_mot_polis", name_sv="Våld mot polis", name_en="Violence against police", unit="count",
         direction="up_is_bad", proactive=False, rare=False, source=DESO_SOURCE, synthetic=False,
         description_sv="Anmält våld mot tjänsteman, polis (brottskoder 1701 och 1702).",
         description_en="Reported violence against police officers (offence codes 1701 and 1702)."),
    dict(id="polisen_handelser", name_sv="Polisens händelser som nämner området",
         name_en="Police events naming the area", unit="count", direction="effort", proactive=False,
         rare=False, source=POLISEN_SOURCE, synthetic=False,
         description_sv="Händelser på polisen.se vars text nämner områdets namn (kommunnivå).",
         description_en="polisen.se events whose text names the area (municipality level)."),
    # --- synthetic (the police do not publish these per area) ---
    dict(id="skjutningar", name_sv="Skjutningar", name_en="Shootings", unit="count", direction="up_is_bad",
         proactive=False, rare=True, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Konstaterade skjutningar.", description_en="Confirmed shootings."),
    dict(id="sprangningar", name_sv="Sprängningar", name_en="Explosions", unit="count", direction="up_is_bad",
         proactive=False, rare=True, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Sprängningar och försök.", description_en="Explosions and attempts."),
    dict(id="narkotikabrott", name_sv="Narkotikabrott", name_en="Drug offences", unit="count",
         direction="up_is_bad", proactive=True, rare=False, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Anmälda narkotikabrott (spaningsberoende: ökar med polisens insats).",
         description_en="Reported drug offences (proactive: rises with police effort)."),
    dict(id="vapenbrott", name_sv="Vapenbrott", name_en="Weapons offences", unit="count",
         direction="up_is_bad", proactive=True, rare=False, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Anmälda brott mot vapenlagen (spaningsberoende).",
         description_en="Reported weapons offences (proactive)."),
    dict(id="ran", name_sv="Rån", name_en="Robbery", unit="count", direction="up_is_bad", proactive=False,
         rare=False, source=SYNTHETIC_SOURCE, synthetic=True, description_sv="Anmälda rån.",
         description_en="Reported robberies."),
    dict(id="misshandel_utomhus", name_sv="Misshandel utomhus", name_en="Assault outdoors", unit="count",
         direction="up_is_bad", proactive=False, rare=False, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Anmäld misshandel på allmän plats.", description_en="Reported assault in public places."),
    dict(id="skadegorelse", name_sv="Skadegörelse", name_en="Criminal damage", unit="count",
         direction="up_is_bad", proactive=False, rare=False, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Anmäld skadegörelse.", description_en="Reported criminal damage."),
    dict(id="hot_rattssak", name_sv="Övergrepp i rättssak", name_en="Witness intimidation", unit="count",
         direction="up_is_bad", proactive=False, rare=True, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Anmälda övergrepp i rättssak.", description_en="Reported witness intimidation."),
    dict(id="narvaro_timmar", name_sv="Polisiär närvaro (timmar)", name_en="Police presence (hours)",
         unit="hours", direction="effort", proactive=False, rare=False, source=SYNTHETIC_SOURCE,
         synthetic=True, description_sv="Timmar synlig polisiär närvaro i området.",
         description_en="Hours of visible police presence in the area."),
    dict(id="medborgarkontakter", name_sv="Medborgarkontakter", name_en="Citizen contacts", unit="count",
         direction="effort", proactive=False, rare=False, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Registrerade medborgarkontakter (medborgarlöften, dialog).",
         description_en="Registered citizen contacts."),
    dict(id="trygghet", name_sv="Trygghet (andel trygga)", name_en="Feeling safe (share)", unit="share",
         direction="up_is_good", proactive=False, rare=False, source=SYNTHETIC_SOURCE, synthetic=True,
         description_sv="Andel boende som känner sig trygga ute på kvällen (enkät, %).",
         description_en="Share of residents who feel safe outdoors at night (survey, %)."),
]

#: crime_deso files → indicator id (offence codes as in the files): defined in geodata.deso_series
DESO_CRIME_FILES: dict[str, str] = OFFENCE_FILES

#: indicator → words that identify its offence text (Brottskod.klartext) in the DeSO crime events
DESO_TYPE_KEYWORDS: dict[str, str] = {
    "brand_i_motorfordon": "bilbrand",
    "brand": "genom brand (ej på motorfordon)",
    "upplopp": "16 kap",
    "blaljussabotage": "Sabotage mot blåljus",
    "vald_mot_polis": "Våld mot tjänsteman",
}

# --- partners' observations (EST, issue 14): the controlled list of categories a partner reports
# against. Observations are never crimes and never enter a crime count (their own table and layer).
# The ids; their names are the catalogue's ``page.obs_category.<id>`` (``store.observations.category_label``),
# and the Swedish and English names are also accepted in an import's category column.
OBSERVATION_CATEGORIES: tuple[str, ...] = (
    "nedskrapning", "skadegorelse", "klotter", "trasig_belysning", "otrygg_plats",
    "ansamling_ungdomar", "narkotikahandel_observerad", "narkotikaanvandning_observerad",
    "eldning_brand", "ordningsstorning", "overgivet_fordon", "ovrigt",
)
