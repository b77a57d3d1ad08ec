"""Gi* hotspots on polygons (DeSO) for data that exists only per small area.

Weights are queen contiguity, binary: two units are neighbours if their polygons share any point
(edge or corner). Published DeSO polygons are often simplified without keeping topology, leaving
slivers and gaps between neighbours; ``tolerance_m`` > 0 also joins units closer than that.
The statistic is ``layers.gistar.gi_star`` (= esda ``G_Local(star=True, transform='B')``).

>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> g = gpd.GeoDataFrame({"id": list("abc")}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1),
...                      box(2.5, 0, 3, 1)], crs="EPSG:3006")
>>> queen_contiguity(g.geometry).toarray().astype(int).tolist()
[[0, 1, 0], [1, 0, 0], [0, 0, 0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely

from layers._geojson import SWEREF99TM, WGS84, feature_collection, json_number, round_geometry
from layers.gistar import (
    CONFIDENCE_LEVELS,
    choose_inference,
    gi_star_classes,
    inference_method,
)


def queen_contiguity(geoms: gpd.GeoSeries | np.ndarray, tolerance_m: float = 0.0) -> sp.csr_matrix:
    """Binary queen contiguity (no self weight) of polygons in a metric CRS.

    ``tolerance_m = 0`` uses shapely ``intersects`` (shared boundary point, or overlap caused by
    simplification); ``> 0`` uses ``dwithin`` to bridge gaps.
    """
    arr = np.asarray(geoms.values if isinstance(geoms, gpd.GeoSeries) else geoms)
    n = len(arr)
    tree = shapely.STRtree(arr)
    if tolerance_m > 0:
        left, right = tree.query(arr, predicate="dwithin", distance=tolerance_m)
    else:
        left, right = tree.query(arr, predicate="intersects")
    keep = left != right
    w = sp.csr_matrix((np.ones(int(keep.sum())), (left[keep], right[keep])), shape=(n, n))
    w = ((w + w.T) > 0).astype(float)  # symmetric, binary
    return sp.csr_matrix(w)


@dataclass(frozen=True)
class PolygonHotspotResult:
    """Gi* result per polygon: ``units`` has ``id``, ``count``, ``z``, ``p``, ``p_adjusted``, ``class``."""

    units: pd.DataFrame
    method: dict[str, Any]
    excluded: dict[str, int]
    geometry: gpd.GeoSeries

    def to_geojson(self, decimals: int = 5, tolerance_m: float = 0.0) -> dict[str, Any]:
        """FeatureCollection (EPSG:4326; feature id = unit id) with the six result properties."""
        geoms = self.geometry
        if tolerance_m > 0:
            geoms = gpd.GeoSeries(shapely.simplify(np.asarray(geoms.values), tolerance_m,
                                                   preserve_topology=True), crs=geoms.crs)
        geoms = geoms.to_crs(WGS84)
        u = self.units
        features = []
        for uid, count, z, p, pa, cls, geom in zip(
            u["id"].tolist(), u["count"].tolist(), u["z"].tolist(), u["p"].tolist(),
            u["p_adjusted"].tolist(), u["class"].tolist(), geoms.values, strict=True,
        ):
            features.append({
                "type": "Feature", "id": uid, "geometry": round_geometry(geom, decimals),
                "properties": {"id": uid, "count": json_number(count), "z": json_number(z, 3),
                               "p": json_number(p, 4, significant=True),
                               "p_adjusted": json_number(pa, 4, significant=True), "class": cls},
            })
        return feature_collection(features, method=self.method, excluded=self.excluded)


def deso_gistar(
    polygons: gpd.GeoDataFrame,
    counts: Mapping[str, float] | pd.Series,
    *,
    id_col: str = "id",
    tolerance_m: float = 0.0,
    permutations: int | None = None,
    seed: int = 0,
    period: Mapping[str, str] | None = None,
) -> PolygonHotspotResult:
    """Getis-Ord Gi* of counts per polygon with binary queen contiguity (self included).

    Parameters
    ----------
    polygons : geopandas.GeoDataFrame
        The units (e.g. DeSO of a kommun) with ``id_col`` and a CRS.
    counts : mapping or pandas.Series
        Unit id → count; units without a count are zeros.
    id_col : str
        Id column of ``polygons``.
    tolerance_m : float
        Gap (m) still counted as contiguity, for simplified polygons.
    permutations : int, optional
        0: analytical; N: N conditional permutations; None (default): chosen by the mean count
        per unit, as for the hexagons (``layers.gistar.choose_inference``).
    seed : int
        Seed of the permutations.
    period : mapping, optional
        ``{'start', 'end'}`` of the counts, for the method dict.

    Returns
    -------
    PolygonHotspotResult
    """
    if id_col not in polygons.columns or polygons.crs is None:
        raise ValueError(f"polygons: need an {id_col!r} column and a CRS")
    g = polygons.to_crs(SWEREF99TM)
    ids = g[id_col].astype(str).to_numpy()
    if len(set(ids)) != len(ids):
        raise ValueError(f"polygons: column {id_col!r} has duplicate ids")
    c = pd.Series(counts, dtype=float) if not isinstance(counts, pd.Series) else counts.astype(float)
    c.index = c.index.astype(str)
    unknown = c[~c.index.isin(ids)]
    y = c.reindex(ids).fillna(0.0).to_numpy()
    w = queen_contiguity(g.geometry, tolerance_m)
    w_star = (w + sp.identity(len(ids), format="csr")).tocsr()
    inference, permutations, why = choose_inference(y, permutations)
    stats = gi_star_classes(y, w_star, permutations, seed, exact=inference == "exact")
    units = pd.DataFrame({"id": ids, "count": y, "z": stats["z"], "p": stats["p"],
                          "p_adjusted": stats["p_adjusted"], "class": stats["class"]})
    card = np.diff(w.indptr)
    method = {
        "method": "Getis-Ord Gi*",
        "polygons": f"{len(ids)} polygons",
        "neighbourhood": "the unit and every unit sharing a boundary point (queen contiguity)",
        "contiguity": "queen",
        "contiguity_tolerance_m": tolerance_m,
        "weights": "binary",
        "mean_neighbours": round(float(card.mean()), 2) if len(card) else None,
        "islands": int((card == 0).sum()),
        **inference_method(y, inference, permutations, why, seed),
        "fdr": "Benjamini-Hochberg",
        "fdr_alpha": [a for _, a in CONFIDENCE_LEVELS],
        "confidence_levels": [1 - a for _, a in CONFIDENCE_LEVELS],
        "period": dict(period) if period else None,
        "points_used": int(y.sum()),
        "study_region_km2": round(float(g.geometry.area.sum()) / 1e6, 3),
    }
    excluded = {"unknown_unit": int(unknown.sum())}
    return PolygonHotspotResult(units=units, method=method, excluded=excluded,
                                geometry=g.geometry.reset_index(drop=True))
