"""Tested hotspots: Getis-Ord Gi* on an H3 hexagon grid over a study region, with BH FDR classes.

Contract of the GeoJSON (also returned by ``cli.py hotspots``): a FeatureCollection whose features
are EPSG:4326 hexagons with properties exactly ``cell`` (H3 index), ``count``, ``z``, ``p``,
``p_adjusted``, ``class`` (``hot99``, ``hot95``, ``hot90``, ``ns``, ``cold90``, ``cold95``,
``cold99``); top-level members ``method`` (parameters) and ``excluded`` (points left out, by reason:
the reasons of ``layers._points`` and ``outside_analysed_cells``, points of the study region that
lie in an edge cell left out of the grid because it is mostly outside the region).
Undefined z/p (no points at all) are ``null``.

>>> import pandas as pd
>>> from shapely.geometry import box
>>> pts = pd.DataFrame({"x": [674_500.0] * 5, "y": [6_580_500.0] * 5, "occurred_at": "2025-03-01",
...                     "type": "Rån", "precision": ["exact"] * 4 + ["kommun"]})
>>> res = hotspots(pts, box(674_000, 6_580_000, 675_000, 6_581_000))
>>> int(res.cells["count"].sum()), res.excluded["imprecise_location_kommun"]
(4, 1)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geodata.precision import HOTSPOT_ELIGIBLE
from layers._geojson import feature_collection, json_number
from layers._points import PeriodLike, period_dict, select_points
from layers.gistar import (
    CONFIDENCE_LEVELS,
    choose_inference,
    gi_star_classes,
    inference_method,
)
from layers.hexgrid import (
    DEFAULT_RESOLUTION,
    MIN_CELL_SHARE,
    MIN_GRID_CELLS,
    HexGrid,
    cell_boundaries,
    grid_description,
    grid_resolution,
    hex_grid,
    points_to_cells,
)
from layers.palettes import HOTSPOT_CLASSES, HOTSPOT_COLORS
from texts import LANGS, by_prefix

CELL_COLUMNS = ["cell", "count", "z", "p", "p_adjusted", "class"]
HOT: tuple[str, ...] = ("hot99", "hot95", "hot90")

#: the name of each Gi* class in each language (from the text catalogue)
HOTSPOT_LABELS = {lang: by_prefix("ind.hotspot.", lang) for lang in LANGS}


@dataclass(frozen=True)
class HotspotResult:
    """Gi* hotspot result for one study region.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per grid cell: ``cell``, ``count``, ``z``, ``p``, ``p_adjusted``, ``class``.
    method : dict
        Parameters (see ``hotspots``).
    excluded : dict
        Reason → number of points left out.
    grid : HexGrid
        The grid (sorted cells, weights) the statistic was computed on.
    """

    cells: pd.DataFrame
    method: dict[str, Any]
    excluded: dict[str, int]
    grid: HexGrid = field(repr=False)

    def to_geojson(self, decimals: int = 6) -> dict[str, Any]:
        """The FeatureCollection of the module contract (coordinates rounded to ``decimals``).

        z is rounded to 3 decimals, p and p_adjusted to 4 significant digits.
        """
        rings = cell_boundaries(self.grid.cells, decimals)
        c = self.cells
        features = [
            {
                "type": "Feature",
                "id": cell,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "cell": cell,
                    "count": int(count),
                    "z": json_number(z, 3),
                    "p": json_number(p, 4, significant=True),
                    "p_adjusted": json_number(pa, 4, significant=True),
                    "class": cls,
                },
            }
            for cell, count, z, p, pa, cls, ring in zip(
                c["cell"].tolist(), c["count"].tolist(), c["z"].tolist(), c["p"].tolist(),
                c["p_adjusted"].tolist(), c["class"].tolist(), rings, strict=True,
            )
        ]
        return feature_collection(features, method=self.method, excluded=self.excluded)


def hotspots(
    points: pd.DataFrame,
    region: shapely.Geometry,
    *,
    resolution: int | str = DEFAULT_RESOLUTION,
    period: PeriodLike = None,
    types: Collection[str] | None = None,
    permutations: int | None = None,
    seed: int = 0,
    cover: str = "share",
    min_share: float = MIN_CELL_SHARE,
    eligible: Collection[str] = HOTSPOT_ELIGIBLE,
) -> HotspotResult:
    """Getis-Ord Gi* hot and cold spots of point events on an H3 grid over ``region``.

    Parameters
    ----------
    points : pandas.DataFrame
        Points contract: ``x``, ``y`` (EPSG:3006), ``occurred_at``, ``type``, ``precision``.
    region : shapely.Geometry
        Study region (EPSG:3006): an area, optionally buffered, or a kommun.
    resolution : int or 'auto'
        H3 resolution (9 ≈ 175 m edge in Sweden); 'auto' (what the app uses): 9, finer while
        fewer than ``MIN_GRID_CELLS`` cells would be analysed (``layers.hexgrid.grid_resolution``).
    period : tuple or str, optional
        ``(start, end)`` with end exclusive, or 'YYYY', 'YYYY-MM', 'YYYY-Tn'.
    types : collection of str, optional
        Event types to count.
    permutations : int, optional
        0 for analytical (normal) inference, else the number of conditional permutations.
        None (default): analytical where the grid has on average at least
        ``layers.gistar.ANALYTICAL_MIN_MEAN`` events per cell, else the exact randomisation
        p-values (``layers.gistar.exact_p``): on sparse counts the normal approximation finds
        hot and cold spots in maps of pure chance.
    seed : int
        Seed of the permutations.
    cover : {'share', 'center', 'full', 'overlap'}
        Which H3 cells make up the grid (``layers.hexgrid.region_cells``). Default: the cells at
        least ``min_share`` inside the region. Gi* compares every cell with every other as if
        each could collect events from a whole cell's area; a cell lying mostly outside the
        region cannot, and with the old ``'overlap'`` grid maps of pure chance got 95 % hot
        spots in 10–45 % of cases (``bench/hotspot_calibration.py``). Points in the region but
        in a cell left out are counted under ``excluded['outside_analysed_cells']``.
    min_share : float
        With ``cover='share'``: the least share of a cell's area inside the region.
    eligible : collection of str
        Precision classes that take part (default ``HOTSPOT_ELIGIBLE``).

    Returns
    -------
    HotspotResult
    """
    if region is None or region.is_empty:
        raise ValueError("hotspots: the study region is empty")
    area_km2 = float(region.area) / 1e6
    auto = resolution == "auto"
    res = grid_resolution(region, cover, min_share) if auto else int(resolution)

    sel = select_points(points, region=region, period=period, types=types, eligible=eligible)
    point_cells = points_to_cells(sel.x, sel.y, res)
    grid = hex_grid(region, res, extra_cells=np.unique(point_cells), cover=cover, min_share=min_share)
    pos = grid.index_of(point_cells)
    counts = np.bincount(pos[pos >= 0], minlength=grid.n).astype(np.int64)
    excluded = {**sel.excluded, "outside_analysed_cells": int((pos < 0).sum())}

    inference, permutations, why = choose_inference(counts, permutations)
    stats = gi_star_classes(counts.astype(float), grid.weights, permutations, seed,
                            exact=inference == "exact")
    cells = pd.DataFrame(
        {"cell": grid.names, "count": counts, "z": stats["z"], "p": stats["p"],
         "p_adjusted": stats["p_adjusted"], "class": stats["class"]},
        columns=CELL_COLUMNS,
    )
    method = _method(grid, auto, counts, (inference, permutations, why), seed, eligible, types, sel.period,
                     area_km2)
    return HotspotResult(cells=cells, method=method, excluded=excluded, grid=grid)


def _method(grid: HexGrid, auto: bool, counts: np.ndarray, chosen: tuple, seed: int,
            eligible: Collection[str], types: Collection[str] | None, period: Any,
            area_km2: float) -> dict[str, Any]:
    """The ``method`` dict of a Gi* layer (its method card); ``chosen``: the inference, the
    number of permutations and why (:func:`choose_inference`)."""
    inference, permutations, why = chosen
    return {
        "method": "Getis-Ord Gi*",
        **grid_description(grid),
        "resolution_rule": f"auto: 9, finer while fewer than {MIN_GRID_CELLS} cells" if auto else "given",
        **inference_method(counts, inference, permutations, why, seed),
        "fdr": "Benjamini-Hochberg",
        "fdr_alpha": [a for _, a in CONFIDENCE_LEVELS],
        "confidence_levels": [1 - a for _, a in CONFIDENCE_LEVELS],
        "empty_cells": "count as zeros",
        "precision_classes_used": sorted(eligible),
        "event_types": sorted(types) if types is not None else None,
        "period": period_dict(period),
        "points_used": int(counts.sum()),
        "study_region_km2": round(area_km2, 3),
    }


def hotspot_legend(lang: str = "sv") -> list[dict[str, str]]:
    """Legend rows ``{class, color, label}`` for the hot/cold classes, hot first."""
    labels = HOTSPOT_LABELS[lang]
    return [{"class": c, "color": HOTSPOT_COLORS[c], "label": labels[c]} for c in HOTSPOT_CLASSES]


def mark_previous(fc: dict[str, Any], previous: dict[str, Any] | None,
                  previous_period: str | None = None) -> dict[str, Any]:
    """A copy of the hotspot FeatureCollection ``fc`` whose features also carry ``was_hot``: the
    cell was a hot spot (any confidence) in ``previous`` (e.g. the same period last year).

    The map marks these cells and the lägesbild counts them from the same flags, so text and map
    say the same: a cell hot now and then is *persistent*, hot then but not now is *former*. Only
    cells of ``fc``'s own grid can be marked (a previous hot spot outside it is not on the map);
    top-level ``previous`` says what was compared. Without ``previous`` every ``was_hot`` is
    false and ``previous`` is None.

    >>> now = {"type": "FeatureCollection", "features": [
    ...     {"properties": {"cell": "a", "class": "hot95"}}, {"properties": {"cell": "b", "class": "ns"}}]}
    >>> then = {"features": [{"properties": {"cell": "a", "class": "hot90"}},
    ...                      {"properties": {"cell": "b", "class": "hot99"}}]}
    >>> [f["properties"]["was_hot"] for f in mark_previous(now, then, "2024-T2")["features"]]
    [True, True]
    """
    hot_then = set()
    if previous is not None:
        hot_then = {f["properties"]["cell"] for f in previous.get("features", [])
                    if f["properties"].get("class") in HOT}
    features = [{**f, "properties": {**f["properties"], "was_hot": f["properties"]["cell"] in hot_then}}
                for f in fc.get("features", [])]
    in_grid = {f["properties"]["cell"] for f in features}
    summary = None
    if previous is not None:
        summary = {"period": previous_period, "hot_cells": len(hot_then),
                   "hot_cells_outside_grid": len(hot_then - in_grid)}
    return {**fc, "features": features, "previous": summary}
