"""Bootstrap: migrate, load reference geodata (every list year), DeSO units and profiles, catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select

from geodata.deso import (
    area_deso_overlap,
    area_profiles,
    read_deso_polygons,
    read_deso_table,
    representative_points,
)
from geodata.reference_areas import load_reference_areas
from store.catalogue import DEFAULT_INDICATORS
from store.engine import migrate
from store.imports import ImportReport, load_reference, upsert_catalogue
from store.schema import areas, deso_units, imports, indicator_values


@dataclass
class BootstrapReport:
    reports: list[ImportReport] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def deso_frames(ref_areas, data_dir: Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(profiles per area and list year, DeSO units with their majority area on the latest geography)."""
    desos = read_deso_polygons(data_dir)
    table = read_deso_table(data_dir)
    profiles = []
    for year, group in ref_areas.groupby("list_year"):
        prof = area_profiles(area_deso_overlap(group, desos), table)
        prof["list_year"] = int(year)
        prof["source"] = "deso_indicators"
        profiles.append(prof)
    latest = ref_areas.sort_values("list_year").drop_duplicates("area_id", keep="last")
    overlap = area_deso_overlap(latest, desos)
    best = overlap.sort_values("share_of_deso", ascending=False).drop_duplicates("deso")
    pts = representative_points(desos)
    units = pts.merge(desos[["deso", "kommun_kod", "version"]], on="deso").merge(
        best[["deso", "area_id", "share_of_deso"]], on="deso", how="left"
    ).rename(columns={"share_of_deso": "share_in_area"})
    units = units.drop_duplicates("deso")
    return pd.concat(profiles, ignore_index=True), units


def bootstrap(engine: Engine, data_dir: Path | None, demo: bool = True, seed: int = 20251201) -> BootstrapReport:
    """Create/migrate the database and load reference data; the demo data when the store is empty."""
    report = BootstrapReport()
    migrate(engine)
    ref = load_reference_areas(data_dir)
    profiles, units = deso_frames(ref.areas, data_dir)
    report.reports.append(load_reference(engine, ref, profiles))
    with engine.begin() as conn:
        upsert_catalogue(conn, DEFAULT_INDICATORS)
        conn.execute(delete(deso_units))
        conn.execute(insert(deso_units), units.astype(object).where(units.notna(), None).to_dict("records"))
        counts = dict(conn.execute(select(areas.c.list_year, func.count()).group_by(areas.c.list_year)).fetchall())
        has_values = conn.execute(select(func.count()).select_from(indicator_values)).scalar_one() > 0
        demo_started = conn.execute(select(func.count()).select_from(imports).where(imports.c.kind == "demo")).scalar_one() > 0
    report.messages.append(
        "areas per list: " + ", ".join(f"{y}: {n}" for y, n in sorted(counts.items()))
        + " (2015–2019 drawn with the 2021 boundaries)"
    )
    report.messages.append(f"DeSO profiles for {profiles['area_id'].nunique()} areas; {len(units)} DeSO units")
    if demo and (not has_values or demo_started):  # an interrupted demo load is completed (each part is idempotent)
        from store.demo import load_demo

        report.reports.extend(load_demo(engine, data_dir, seed=seed))
        report.messages.append("demo data loaded (real series where public, synthetic series labelled)")
    elif demo:
        report.messages.append("the store has data of its own: demo data not loaded")
    return report
