"""The areas layer: compact GeoJSON of the utsatta områden, category styling, boundary changes.

Input contract: a GeoDataFrame with a CRS (normally EPSG:4326) and columns ``id`` (str), ``name``,
``category`` (``'sarskilt_utsatt'``, ``'utsatt'`` or ``'risk'``). The GeoJSON carries only what
Leaflet needs: feature ``id`` = area id; properties ``id``, ``name``, ``category`` and the small
style field ``color`` (plus any ``extra`` columns asked for). Everything else (indicator values,
selection) travels in the layer's ``hideout``.

>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> gdf = gpd.GeoDataFrame({"id": ["1"], "name": ["A"], "category": ["utsatt"]},
...                        geometry=[box(18.0, 59.0, 18.01, 59.01)], crs="EPSG:4326")
>>> fc = areas_geojson(gdf)
>>> fc["features"][0]["id"], fc["features"][0]["properties"]["color"]
('1', '#fd8d3c')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers._geojson import SWEREF99TM, WGS84, feature_collection, payload_bytes, round_geometry
from texts import LANGS, by_prefix

CATEGORY_CODES: tuple[str, ...] = ("sarskilt_utsatt", "utsatt", "risk")

#: Severity order on YlOrRd (colour-blind safe): risk (light) → utsatt → särskilt utsatt (dark).
CATEGORY_COLORS: dict[str, str] = {"sarskilt_utsatt": "#bd0026", "utsatt": "#fd8d3c", "risk": "#fecc5c"}
#: the name of each category in each language (from the text catalogue)
CATEGORY_LABELS: dict[str, dict[str, str]] = {lang: by_prefix("ind.area_category.", lang) for lang in LANGS}
UNKNOWN_CATEGORY_COLOR = "#969696"

#: (min zoom, max zoom, simplification tolerance in metres): about half a screen pixel at 59° N.
ZOOM_TOLERANCES_M: tuple[tuple[int, int, float], ...] = ((0, 9, 60.0), (10, 12, 8.0), (13, 22, 1.0))

REQUIRED = ("id", "name", "category")


def tolerance_for_zoom(zoom: float, latitude: float = 59.3, pixels: float = 0.5) -> float:
    """Simplification tolerance (m) that stays below ``pixels`` screen pixels at ``zoom``.

    >>> round(tolerance_for_zoom(12), 1)
    9.8
    """
    metres_per_pixel = 156_543.03392 * math.cos(math.radians(latitude)) / 2**zoom
    return pixels * metres_per_pixel


def zoom_range_tolerance(zoom: int) -> float:
    """The tolerance of the fixed zoom range ``zoom`` falls in (``ZOOM_TOLERANCES_M``)."""
    for lo, hi, tol in ZOOM_TOLERANCES_M:
        if lo <= zoom <= hi:
            return tol
    raise ValueError(f"zoom {zoom}: expected 0–22")


def _check(areas: gpd.GeoDataFrame, name: str = "areas") -> None:
    missing = [c for c in REQUIRED if c not in areas.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {missing}; expected id, name, category")
    if areas.crs is None:
        raise ValueError(f"{name}: GeoDataFrame has no CRS; expected EPSG:4326 or EPSG:3006")


def simplify_areas(geoms: gpd.GeoSeries, tolerance_m: float) -> gpd.GeoSeries:
    """Simplify in EPSG:3006; shared edges stay shared when the polygons form a valid coverage.

    Uses ``shapely.coverage_simplify`` on a valid coverage (neighbouring areas such as Rinkeby,
    Tensta and Hjulsta keep a common border), otherwise topology-preserving simplification per
    polygon.
    """
    g = geoms.to_crs(SWEREF99TM) if geoms.crs is not None and geoms.crs != SWEREF99TM else geoms
    arr = shapely.force_2d(np.asarray(g.values))
    if tolerance_m <= 0:
        return gpd.GeoSeries(arr, index=g.index, crs=g.crs)
    out = None
    if bool(shapely.coverage_is_valid(arr)):
        simplified = shapely.coverage_simplify(arr, tolerance_m)
        if bool(np.all(shapely.is_valid(simplified))) and not bool(np.any(shapely.is_empty(simplified))):
            out = simplified
    if out is None:
        out = shapely.simplify(arr, tolerance_m, preserve_topology=True)
    return gpd.GeoSeries(out, index=g.index, crs=g.crs)


def areas_geojson(
    areas: gpd.GeoDataFrame,
    tolerance_m: float = 5.0,
    decimals: int = 5,
    extra: Sequence[str] = (),
) -> dict[str, Any]:
    """Compact FeatureCollection of the areas for a dash-leaflet ``GeoJSON`` layer.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        ``id``, ``name``, ``category`` and a geometry, with a CRS.
    tolerance_m : float
        Simplification tolerance in metres (see ``tolerance_for_zoom``; 0 keeps every vertex).
    decimals : int
        Coordinate decimals in EPSG:4326 (5 ≈ 1 m).
    extra : sequence of str
        Further small columns to carry as properties (e.g. ``'list_year'``).

    Returns
    -------
    dict
        GeoJSON FeatureCollection; feature ``id`` is the area id.
    """
    _check(areas)
    geoms = simplify_areas(areas.geometry, tolerance_m).to_crs(WGS84)
    features = []
    cols = ["id", "name", "category", *extra]
    for row, geom in zip(areas[cols].itertuples(index=False), geoms.values, strict=True):
        geometry = round_geometry(geom, decimals)
        if geometry is None:
            continue
        values = dict(zip(cols, row, strict=True))
        category = None if pd.isna(values["category"]) else str(values["category"])
        props: dict[str, Any] = {
            "id": str(values["id"]),
            "name": None if pd.isna(values["name"]) else str(values["name"]),
            "category": category,
            "color": CATEGORY_COLORS.get(category or "", UNKNOWN_CATEGORY_COLOR),
        }
        for c in extra:
            v = values[c]
            props[c] = v.item() if isinstance(v, np.generic) else (None if pd.isna(v) else v)
        features.append({"type": "Feature", "id": props["id"], "geometry": geometry,
                         "properties": props})
    return feature_collection(features)


def areas_payload_bytes(areas: gpd.GeoDataFrame, **kwargs: Any) -> int:
    """Size in bytes of ``areas_geojson(areas, **kwargs)`` as compact JSON."""
    return payload_bytes(areas_geojson(areas, **kwargs))


def category_legend(lang: str = "sv", categories: Sequence[str] = CATEGORY_CODES) -> list[dict[str, str]]:
    """Legend rows ``{category, color, label}``, most severe first."""
    return [
        {"category": c, "color": CATEGORY_COLORS[c], "label": CATEGORY_LABELS[lang][c]}
        for c in categories
    ]


def boundary_changes(
    old: gpd.GeoDataFrame,
    new: gpd.GeoDataFrame,
    threshold: float = 0.05,
) -> pd.DataFrame:
    """Flag areas whose boundary changed between two list years.

    Areas are matched on ``id`` (the stable SPECIALOMRADES_ID). ``share`` is the area of the
    symmetric difference divided by the area of the union (0 = same polygon, 1 = disjoint),
    computed in EPSG:3006.

    Parameters
    ----------
    old, new : geopandas.GeoDataFrame
        ``id``, ``name`` and geometry, with a CRS.
    threshold : float
        ``share`` above which an area counts as changed.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``status`` ('changed', 'unchanged', 'added', 'removed'), ``share``,
        ``old_km2``, ``new_km2``; sorted by id.
    """
    for frame, label in ((old, "old"), (new, "new")):
        if "id" not in frame.columns or frame.crs is None:
            raise ValueError(f"boundary_changes: {label} needs an 'id' column and a CRS")

    def prepared(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        g = frame.to_crs(SWEREF99TM)
        geom = shapely.make_valid(shapely.force_2d(np.asarray(g.geometry.values)))
        out = gpd.GeoDataFrame(
            {"id": g["id"].astype(str).to_numpy(),
             "name": g["name"].to_numpy() if "name" in g.columns else None},
            geometry=geom, crs=SWEREF99TM,
        )
        return out.dissolve(by="id", aggfunc="first").reset_index()

    a, b = prepared(old), prepared(new)
    merged = a.merge(b, on="id", how="outer", suffixes=("_old", "_new"))
    rows = []
    for r in merged.itertuples(index=False):
        go, gn = r.geometry_old, r.geometry_new
        has_old = go is not None and not (isinstance(go, float)) and not go.is_empty
        has_new = gn is not None and not (isinstance(gn, float)) and not gn.is_empty
        name = r.name_new if has_new and isinstance(r.name_new, str) else r.name_old
        if has_old and has_new:
            union = shapely.union(go, gn).area
            share = shapely.symmetric_difference(go, gn).area / union if union > 0 else 0.0
            status = "changed" if share > threshold else "unchanged"
        else:
            share = float("nan")
            status = "added" if has_new else "removed"
        rows.append({
            "id": r.id, "name": name, "status": status, "share": share,
            "old_km2": go.area / 1e6 if has_old else float("nan"),
            "new_km2": gn.area / 1e6 if has_new else float("nan"),
        })
    out = pd.DataFrame(rows, columns=["id", "name", "status", "share", "old_km2", "new_km2"])
    return out.sort_values("id", key=_natural_key).reset_index(drop=True)


def _natural_key(s: pd.Series) -> pd.Series:
    """Sort numeric ids numerically, others as text after them."""
    num = pd.to_numeric(s, errors="coerce")
    return num.fillna(np.inf) if num.notna().any() else s


def label_points(gdf: gpd.GeoDataFrame, name_col: str, level: str, decimals: int = 4) -> list[dict[str, Any]]:
    """One GeoJSON point feature per polygon, at the pole of inaccessibility of its largest part
    (where a label sits best), with properties ``name`` and ``level`` (for the map's labels).

    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"n": ["A"]}, geometry=[box(18.0, 59.0, 18.2, 59.1)], crs="EPSG:4326")
    >>> label_points(g, "n", "kommun")[0]["properties"]
    {'name': 'A', 'level': 'kommun'}
    """
    from shapely.ops import polylabel

    g = gpd.GeoDataFrame(gdf[[name_col]], geometry=gdf.geometry, crs=gdf.crs).to_crs(SWEREF99TM)
    points, names = [], []
    for name, geom in zip(g[name_col], g.geometry.values, strict=True):
        if geom is None or geom.is_empty:
            continue
        parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        largest = max(parts, key=lambda q: q.area)
        points.append(polylabel(largest, tolerance=max(50.0, math.sqrt(largest.area) / 50)))
        names.append(str(name))
    wgs = gpd.GeoSeries(points, crs=SWEREF99TM).to_crs(WGS84)
    return [{"type": "Feature", "geometry": round_geometry(pt, decimals),
             "properties": {"name": n, "level": level}} for n, pt in zip(names, wgs.values, strict=True)]
