"""DeSO polygons and SCB statistics: population and peer-group profiles per area.

Only two regional DeSO polygon extracts are public here (Stockholms län, DeSO 2018; Göteborgsregionen,
DeSO 2025). An area gets a profile when at least ``MIN_COVERAGE`` of it is covered by DeSO polygons;
otherwise its population and profile are unknown and the UI says so.

Population per area = Σ DeSO population × (share of the DeSO's area inside the area): it assumes
people are spread evenly within a DeSO. Profile shares are population-weighted.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.lineage import overlaps
from geodata.sources import require

MIN_COVERAGE = 0.9
#: a DeSO counts as inside an area (for crime counts) when at least this share of it lies inside
MAJORITY_SHARE = 0.5

PROFILE_COLUMNS = [
    "population", "share_0_24", "foreign_born_share", "net_income_median_tkr",
    "low_economic_standard_pct", "employment_rate_16_64",
]


def read_deso_polygons(data_dir: Path | None) -> gpd.GeoDataFrame:
    """The DeSO polygons available (``deso``, ``kommun_kod``, ``version``), EPSG:3006."""
    sthlm = gpd.read_file(require(data_dir, "deso_polygons_sthlm")).to_crs("EPSG:3006")
    sthlm = gpd.GeoDataFrame(
        {"deso": sthlm["id"].astype(str), "kommun_kod": sthlm["kommun"].astype(str).str.zfill(4),
         "version": "DeSO2018"},
        geometry=sthlm.geometry.values, crs="EPSG:3006",
    )
    gr = gpd.read_file(require(data_dir, "deso_polygons_gr")).to_crs("EPSG:3006")
    gr = gpd.GeoDataFrame(
        {"deso": gr["desokod"].astype(str), "kommun_kod": gr["kommunkod"].astype(str).str.zfill(4),
         "version": "DeSO2025"},
        geometry=gr.geometry.values, crs="EPSG:3006",
    )
    return pd.concat([sthlm, gr], ignore_index=True)


def read_deso_table(data_dir: Path | None) -> pd.DataFrame:
    """SCB statistics per DeSO 2018 (2022 values), one row per DeSO."""
    return pd.read_csv(require(data_dir, "deso_indicators"), dtype={"deso": str, "kommun_kod": str})


def area_deso_overlap(areas: gpd.GeoDataFrame, desos: gpd.GeoDataFrame) -> pd.DataFrame:
    """(area_id, deso) pairs with ``share_of_deso`` (of the DeSO inside the area) and ``share_of_area``."""
    pairs = overlaps(areas.reset_index(drop=True), desos.reset_index(drop=True), min_share=0.0)
    return pd.DataFrame(
        {
            "area_id": areas["area_id"].to_numpy()[pairs["i"].to_numpy()],
            "deso": desos["deso"].to_numpy()[pairs["j"].to_numpy()],
            "share_of_deso": pairs["share_right"].to_numpy(),
            "share_of_area": pairs["share_left"].to_numpy(),
        }
    )


def area_profiles(overlap: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Population and peer-group profile per area with enough DeSO coverage.

    Returns ``area_id``, :data:`PROFILE_COLUMNS`, ``deso_count``, ``coverage``; areas below
    :data:`MIN_COVERAGE` are left out (their profile is unknown).
    """
    t = table.set_index("deso")
    ov = overlap[overlap["deso"].isin(t.index)].copy()
    if ov.empty:
        return pd.DataFrame(columns=["area_id", *PROFILE_COLUMNS, "deso_count", "coverage"])
    w = ov["share_of_deso"].to_numpy()
    rows = t.loc[ov["deso"]]
    young = rows[["age_0_4", "age_5_9", "age_10_14", "age_15_19", "age_20_24"]].sum(axis=1).to_numpy()
    pop = rows["pop_2022"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "area_id": ov["area_id"].to_numpy(),
            "pop": pop * w,
            "young": young * w,
            "foreign": rows["foreign_born"].to_numpy() * w,
            "income_w": rows["net_income_median_tkr"].to_numpy() * pop * w,
            "low_w": rows["low_economic_standard_pct"].to_numpy() * pop * w,
            "employed": rows["employed_16_64"].to_numpy() * w,
            "total_16_64": rows["total_16_64"].to_numpy() * w,
            "coverage": ov["share_of_area"].to_numpy(),
            "counted": (w >= 0.05).astype(int),
        }
    )
    g = frame.groupby("area_id").sum()
    out = pd.DataFrame(
        {
            "population": g["pop"].round(0),
            "share_0_24": g["young"] / g["pop"],
            "foreign_born_share": g["foreign"] / g["pop"],
            "net_income_median_tkr": g["income_w"] / g["pop"],
            "low_economic_standard_pct": g["low_w"] / g["pop"],
            "employment_rate_16_64": g["employed"] / g["total_16_64"],
            "deso_count": g["counted"],
            "coverage": g["coverage"].clip(upper=1.0),
        }
    ).reset_index()
    return out[out["coverage"] >= MIN_COVERAGE].reset_index(drop=True)


def majority_deso_map(overlap: pd.DataFrame) -> pd.DataFrame:
    """DeSO → area for DeSOs lying at least :data:`MAJORITY_SHARE` inside one area (``deso``, ``area_id``)."""
    major = overlap[overlap["share_of_deso"] >= MAJORITY_SHARE]
    major = major.sort_values("share_of_deso", ascending=False).drop_duplicates("deso")
    return major[["deso", "area_id"]].reset_index(drop=True)


def representative_points(desos: gpd.GeoDataFrame) -> pd.DataFrame:
    """DeSO representative points in EPSG:3006 (``deso``, ``x``, ``y``)."""
    pts = desos.geometry.representative_point()
    return pd.DataFrame({"deso": desos["deso"].to_numpy(), "x": pts.x.to_numpy(), "y": pts.y.to_numpy()})


def coverage_ratio(profiles: pd.DataFrame, area_ids: list[str]) -> float:
    """Share of ``area_ids`` that have a profile."""
    if not area_ids:
        return 0.0
    return float(np.isin(area_ids, profiles["area_id"]).mean())
