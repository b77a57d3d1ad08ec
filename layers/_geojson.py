"""Small helpers shared by the layers: compact GeoJSON and JSON-safe numbers.

>>> from shapely.geometry import box
>>> round_geometry(box(0.1234567, 0, 1, 1), 5)["coordinates"][0][:2]
[[1.0, 0.0], [1.0, 1.0]]
>>> json_number(float("nan")) is None
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

SWEREF99TM = "EPSG:3006"
WGS84 = "EPSG:4326"


@lru_cache(maxsize=8)
def transformer(src: str, dst: str) -> Transformer:
    """A cached, thread-safe (pyproj ≥ 3.1) ``Transformer`` with x/y = east/north order."""
    return Transformer.from_crs(src, dst, always_xy=True)


def to_wgs84_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:3006 metres → EPSG:4326 (lon, lat), vectorised."""
    lon, lat = transformer(SWEREF99TM, WGS84).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon), np.asarray(lat)


def to_sweref_xy(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:4326 (lon, lat) → EPSG:3006 metres, vectorised."""
    x, y = transformer(WGS84, SWEREF99TM).transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)


def geometry_to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    """Reproject a shapely geometry from EPSG:3006 to EPSG:4326 (lon/lat order)."""
    t = transformer(SWEREF99TM, WGS84)
    return shapely.transform(geom, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


def geometry_to_sweref(geom: shapely.Geometry) -> shapely.Geometry:
    """Reproject a shapely geometry from EPSG:4326 (lon/lat) to EPSG:3006."""
    t = transformer(WGS84, SWEREF99TM)
    return shapely.transform(geom, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


def _ring(coords: Iterable[Iterable[float]], decimals: int) -> list[list[float]] | None:
    arr = np.round(np.asarray(coords, dtype=float)[:, :2], decimals)
    if len(arr) > 1:
        keep = np.ones(len(arr), dtype=bool)
        keep[1:] = np.any(arr[1:] != arr[:-1], axis=1)
        arr = arr[keep]
    if len(arr) < 4:  # a closed ring needs 3 distinct points + closing point
        return None
    return arr.tolist()


def round_geometry(geom: shapely.Geometry, decimals: int = 5) -> dict[str, Any] | None:
    """GeoJSON geometry dict of a (Multi)Polygon/Point with coordinates rounded to ``decimals``.

    Consecutive duplicate vertices created by rounding are dropped; rings that collapse are
    dropped (a polygon whose exterior collapses is dropped too). Returns ``None`` if nothing is
    left.
    """
    if geom is None or geom.is_empty:
        return None
    kind = geom.geom_type
    if kind == "Point":
        return {"type": "Point", "coordinates": [round(geom.x, decimals), round(geom.y, decimals)]}
    if kind == "Polygon":
        polys = [_polygon(geom, decimals)]
    elif kind == "MultiPolygon":
        polys = [_polygon(p, decimals) for p in geom.geoms]
    elif kind == "GeometryCollection":
        polys = [
            _polygon(p, decimals)
            for g in geom.geoms
            for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])
            if p.geom_type == "Polygon"
        ]
    else:
        raise ValueError(f"round_geometry: geometry type {kind!r} is not supported")
    polys = [p for p in polys if p is not None]
    if not polys:
        return None
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def _polygon(poly: shapely.Polygon, decimals: int) -> list[list[list[float]]] | None:
    exterior = _ring(poly.exterior.coords, decimals)
    if exterior is None:
        return None
    holes = [r for r in (_ring(i.coords, decimals) for i in poly.interiors) if r is not None]
    return [exterior, *holes]


def json_number(value: Any, digits: int | None = None, significant: bool = False) -> Any:
    """A JSON-safe number: NaN/inf → ``None``; numpy scalars → Python; optional rounding.

    ``significant=True`` rounds to ``digits`` significant digits (for p-values), otherwise to
    ``digits`` decimals.
    """
    if value is None:
        return None
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    v = float(value)
    if not math.isfinite(v):
        return None
    if digits is not None:
        v = float(f"{v:.{digits}g}") if significant else round(v, digits)
    return v


def feature_collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with extra top-level ``members`` (foreign members)."""
    return {"type": "FeatureCollection", "features": features, **members}


def payload_bytes(obj: Mapping[str, Any] | list[Any]) -> int:
    """Size in bytes of ``obj`` as compact UTF-8 JSON (what Dash would send)."""
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
