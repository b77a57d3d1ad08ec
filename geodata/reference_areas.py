"""Assemble the reference area set of every published list (2015–2025) from the data directory.

- 2025: Polisen's GeoJSON (SWEREF 99 TM), ids SPECIALOMRADES_ID.
- 2023: Polisen's shapefile (SWEREF 99 TM with Z), ids SPECIALOMR.
- 2015, 2017, 2019, 2021: the UO-Project panel, which reuses the 2021 shapes for the earlier lists
  (Polisen did not publish them); ids by overlap with the 2023/2025 areas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.areas import read_area_file
from geodata.boundaries import locate_kommun
from geodata.lineage import assign_ids, lineage
from geodata.sources import require
from texts import t

#: the shape note stored with an area of a list before 2021 (in Swedish, as the store keeps it)
PANEL_SHAPE_NOTE = t("page.panel_shape_note", "sv")
FILL_FROM_LATER = ["ort", "lpo", "lpo_code", "polisomrade", "polisomrade_code", "region", "region_code"]


@dataclass
class ReferenceAreas:
    """All lists' areas (EPSG:3006), their lineage and what was reported while reading."""

    areas: gpd.GeoDataFrame
    lineage: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def enrich(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add kommun (by representative point), fill region from kommun and shape notes."""
    out = areas.copy()
    located = locate_kommun(out.geometry)
    out["kommun_kod"] = located["kommun_kod"].to_numpy()
    out["kommun"] = located["kommun"].to_numpy()
    out["region"] = out["region"].where(out["region"].notna(), located["region"].to_numpy())
    return out


def fill_from_later_lists(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill LPO/polisområde/region/ort of older rows from the same id's latest list."""
    out = areas.copy()
    latest = (
        out.sort_values("list_year").dropna(subset=["lpo"]).drop_duplicates("area_id", keep="last")
        .set_index("area_id")
    )
    for col in FILL_FROM_LATER:
        filler = out["area_id"].map(latest[col])
        out[col] = out[col].where(out[col].notna(), filler)
    return out


def load_reference_areas(data_dir: Path | None) -> ReferenceAreas:
    """Read the 2025, 2023 and panel files and link them (see module docstring)."""
    f2025 = read_area_file(require(data_dir, "areas_2025"), 2025)
    f2023 = read_area_file(require(data_dir, "areas_2023"), 2023)
    panel = read_area_file(require(data_dir, "areas_panel"))
    warnings = [*f2025.warnings, *f2023.warnings, *panel.warnings]
    older = panel.areas[panel.areas["list_year"] < 2023]
    reference = pd.concat(
        [f2023.areas, f2025.areas[~f2025.areas["area_id"].isin(f2023.areas["area_id"])]],
        ignore_index=True,
    )
    parts = []
    for year, group in older.groupby("list_year"):
        assigned, w = assign_ids(group.reset_index(drop=True), reference)
        parts.append(assigned)
        warnings.extend(f"list {year}: {msg}" for msg in w)
    all_areas = gpd.GeoDataFrame(
        pd.concat([*parts, f2023.areas, f2025.areas], ignore_index=True), crs="EPSG:3006"
    )
    all_areas = fill_from_later_lists(enrich(all_areas))
    all_areas["shape_note"] = all_areas["list_year"].map(
        lambda y: PANEL_SHAPE_NOTE if y < 2021 else None
    )
    all_areas["source"] = all_areas["list_year"].map(
        lambda y: "areas_2025" if y == 2025 else ("areas_2023" if y == 2023 else "areas_panel")
    )
    return ReferenceAreas(
        areas=all_areas,
        lineage=lineage(all_areas),
        warnings=warnings,
        files=[f2025.path, f2023.path, panel.path],
    )
