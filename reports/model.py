"""The inputs of a report (plain data, gathered by ``services.reports``) and the two tiers.

Everything here is plain Python, pandas and shapely: the report functions never read the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

TIERS = ("police", "kommun")
FORMATS = ("pdf", "docx", "html", "md", "csv", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
THRESHOLD = 5  # kommun tier: counts below this are shown as "<5" (reports.disclosure.THRESHOLD)


def check_tier(tier: str) -> str:
    t = str(tier).strip().lower()
    if t not in TIERS:
        raise ValueError(f"tier '{tier}': expected one of {', '.join(TIERS)}")
    return t


def check_format(fmt: str) -> str:
    f = str(fmt).strip().lower()
    if f not in FORMATS:
        raise ValueError(f"format '{fmt}': expected one of {', '.join(FORMATS)}")
    return f


@dataclass(frozen=True)
class NoteItem:
    """A human note as the report shows it (kept apart from the generated facts)."""

    section: str
    text: str
    author: str
    created_at: datetime
    internal: bool = False
    kommun: bool = False  # marked by the police for the kommun tier


@dataclass(frozen=True)
class MapData:
    """What the server-rendered map draws, all in SWEREF 99 TM (EPSG:3006).

    ``events_xy`` (n × 2) is only ever set in the police tier.
    """

    area: Any  # shapely geometry of the area
    region: Any  # the study region (area + buffer)
    buffer_m: float
    category: str | None = None
    kommun_lines: tuple[Any, ...] = ()  # kommun boundaries around the area (line/polygon geometries)
    other_areas: tuple[tuple[str, Any], ...] = ()  # (name, geometry) of neighbouring areas
    events_xy: Any = None  # numpy array of x, y (police tier only)
    pois: tuple[tuple[str, str, float, float], ...] = ()  # (kind, name, x, y)


@dataclass(frozen=True)
class ReportData:
    """Everything one area report needs.

    Attributes
    ----------
    summary : dict
        ``services.indicators.area_summary_json`` for the area, period, comparison and language.
    tier : {'police', 'kommun'}
    hotspots, hotspots_previous : dict, optional
        The hotspot FeatureCollection (EPSG:4326) of the period and of the same period last year.
    poi_tests : tuple of dict
        Hypothesis checks (``PoiTest`` fields as a dict).
    precision : tuple of dict
        Events around the area by location precision: ``precision``, ``count``, ``hotspot_eligible``.
    monthly : pandas.DataFrame
        The area's monthly values (``indicator_id``, ``month``, ``value``) for the charts, and
        ``targets`` (``indicator_id``, ``month``, ``target``).
    period_totals : dict
        Indicator → ``[(period label, total or None), …]`` for the period and the same period in
        the three previous years (oldest first; the kommun tier's chart and suppression cells).
    last_month : dict
        Indicator → newest month in the store (reporting lag).
    disclosure : reports.disclosure.AreaCells, optional
        The kommun tier's grid of the area (every count series' tertial and year cells and what
        may be shown of each); ``None`` in the police tier.
    """

    summary: dict
    tier: str = "police"
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    data_version: int = 0
    purpose: str | None = None
    hotspots: dict | None = None
    hotspots_previous: dict | None = None
    poi_tests: tuple[dict, ...] = ()
    precision: tuple[dict, ...] = ()
    monthly: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    period_totals: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)
    last_month: dict[str, str | None] = field(default_factory=dict)
    notes: tuple[NoteItem, ...] = ()
    map: MapData | None = None
    sources: tuple[dict, ...] = ()
    disclosure: Any = None

    @property
    def lang(self) -> str:
        return self.summary.get("lang", "sv")

    @property
    def kommun(self) -> bool:
        return self.tier == "kommun"

    @property
    def area(self) -> dict:
        return self.summary["area"]

    @property
    def indicators(self) -> list[dict]:
        return self.summary["indicators"]
