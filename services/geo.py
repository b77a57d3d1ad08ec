"""Map geometry for the page: the areas of a list year and the offline base outlines."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import shapely

from geodata.boundaries import kommuner, police_regions, sweden_outline
from layers._geojson import round_geometry
from layers.areas import areas_geojson, boundary_changes, label_points
from services.cache import memoize
from services.context import data_version, engine
from store.engine import engine_for
from store.queries import area_geometries, areas_frame, list_years


@lru_cache(maxsize=8)
def _list_years(url: str, version: int) -> tuple[int, ...]:
    return tuple(list_years(engine_for(url)))


def available_list_years() -> list[int]:
    """The area lists in the store (read once per data version)."""
    eng = engine()
    return list(_list_years(str(eng.url), data_version(eng)))


def default_list_year() -> int:
    years = available_list_years()
    return max(years) if years else 2025


@memoize(maxsize=16)
def _areas_layer(url: str, list_year: int, version: int) -> dict:
    gdf = area_geometries(engine(), list_year, "EPSG:3006")
    fc = areas_geojson(gdf, tolerance_m=5.0, decimals=5, extra=("list_year",))
    changed = set()
    previous = [y for y in available_list_years() if y < list_year]
    if previous:
        old = area_geometries(engine(), max(previous), "EPSG:3006")
        flags = boundary_changes(old, gdf)
        changed = set(flags.loc[flags["status"].isin(["changed", "added"]), "id"])
    for feature in fc["features"]:
        feature["properties"]["changed"] = feature["id"] in changed
    return fc


def areas_layer(list_year: int) -> dict:
    """GeoJSON of the areas of ``list_year`` (cached per data version)."""
    eng = engine()
    return _areas_layer(str(eng.url), int(list_year), data_version(eng))


@lru_cache(maxsize=16)
def _area_table(url: str, list_year: int | None, version: int):
    return areas_frame(engine_for(url), list_year)


def area_table(list_year: int):
    """Areas of a list year without geometry (id, name, category, kommun, lpo, region, …), read
    once per data version (shared: do not modify it in place)."""
    eng = engine()
    return _area_table(str(eng.url), list_year, data_version(eng))


def _outline_geojson(gdf: gpd.GeoDataFrame, tolerance_deg: float, props: tuple[str, ...]) -> dict:
    feats = []
    for row in gdf.itertuples():
        geom = shapely.simplify(row.geometry, tolerance_deg, preserve_topology=True)
        g = round_geometry(geom, 4)
        if g is None:
            continue
        feats.append({"type": "Feature", "geometry": g, "properties": {p: getattr(row, p) for p in props}})
    return {"type": "FeatureCollection", "features": feats}


@lru_cache(maxsize=1)
def base_outlines() -> dict[str, dict]:
    """Offline base map: Sweden, police regions and kommun outlines (simplified), and the points of
    their name labels."""
    return {
        "sweden": _outline_geojson(sweden_outline(), 0.01, ("name",)),
        "regions": _outline_geojson(police_regions(), 0.01, ("region",)),
        "kommuner": _outline_geojson(kommuner(), 0.004, ("kommun_kod", "kommun")),
        # names on the offline map: police regions at national zoom, kommuner closer in
        "labels": {"type": "FeatureCollection",
                   "features": label_points(police_regions(), "region", "region")
                   + label_points(kommuner(), "kommun", "kommun")},
    }
