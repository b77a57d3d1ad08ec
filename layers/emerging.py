"""Emerging hot spot analysis: Gi* per month on the H3 grid + Mann–Kendall trend per cell.

For every cell: a Gi* z-score per monthly slice (BH FDR within each slice; a slice is *hot* if
z > 0 and adjusted p ≤ ``alpha``, *cold* if z < 0), and a Mann–Kendall test on the cell's z series
(the intensity of clustering). Categories follow Esri's "How Emerging Hot Spot Analysis works":

=================  ===============================================================================
new                hot in the final slice, never hot before
consecutive        a single uninterrupted run of ≥ 2 hot slices at the end, never hot before the
                   run, and < 90 % of slices hot
intensifying       ≥ 90 % of slices hot, including the final one; significant increasing trend
persistent         ≥ 90 % of slices hot (including the final one); no significant trend
diminishing        ≥ 90 % of slices hot, including the final one; significant decreasing trend
sporadic           hot in the final slice, < 90 % hot, hot on and off before, never cold
oscillating        hot in the final slice, < 90 % hot, cold in some earlier slice
historical         not hot in the final slice, but ≥ 90 % of slices hot
no_pattern         none of the above (hot or cold)
=================  ===============================================================================

Cold categories mirror them (for cold, "intensifying" means z decreasing). Where Esri's wording
lets two categories apply, the first in the table wins, and a final-slice category wins over a
historical one: e.g. hot in the final slice only after earlier cold slices is *new*; ≥ 90 % hot,
no trend, final slice not hot is *historical* (Esri's persistent pictures end hot).

>>> import numpy as np
>>> hot = np.array([[0, 0, 0, 1], [0, 0, 1, 1], [1, 0, 1, 1]], dtype=bool)
>>> classify_emerging(hot, np.zeros_like(hot), np.zeros(3, dtype=int)).tolist()
['new_hot', 'consecutive_hot', 'sporadic_hot']
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geodata.precision import HOTSPOT_ELIGIBLE
from indicators.fdr import benjamini_hochberg
from layers._geojson import feature_collection, json_number
from layers._points import parse_times, select_points
from layers.gistar import (
    ANALYTICAL_MIN_MEAN,
    choose_inference,
    exact_p,
    exact_p_space_time,
    gi_star_slices,
    gi_star_space_time,
    two_sided_p,
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
from layers.mannkendall import mann_kendall
from texts import LANGS, by_prefix

PATTERNS: tuple[str, ...] = (
    "new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic", "oscillating",
    "historical",
)
CATEGORIES: tuple[str, ...] = (
    *(f"{p}_hot" for p in PATTERNS), *(f"{p}_cold" for p in PATTERNS), "no_pattern",
)

#: the name of each category in each language (from the text catalogue)
CATEGORY_LABELS: dict[str, dict[str, str]] = {lang: by_prefix("ind.emerging.", lang) for lang in LANGS}

#: One distinguishable colour per category (CIE76 ΔE ≥ 18 between any two; the earlier ColorBrewer
#: ramps gave pairs 8 apart): warm hues for hot, cool for cold, dark for "intensifying",
#: purple for "oscillating", brown and grey for "historical"; the legend lists only those present.
CATEGORY_COLORS: dict[str, str] = {
    "new_hot": "#ffd92f", "consecutive_hot": "#fdae61", "intensifying_hot": "#67000d",
    "persistent_hot": "#d7301f", "diminishing_hot": "#f781bf", "sporadic_hot": "#ff7f00",
    "oscillating_hot": "#984ea3", "historical_hot": "#a6761d",
    "new_cold": "#a6dba0", "consecutive_cold": "#80cdc1", "intensifying_cold": "#08306b",
    "persistent_cold": "#2171b5", "diminishing_cold": "#9ecae1", "sporadic_cold": "#1b9e77",
    "oscillating_cold": "#5e3c99", "historical_cold": "#8c8c8c", "no_pattern": "#f7f7f7",
}


def _trailing_run(flags: np.ndarray) -> np.ndarray:
    """Length of the run of True at the end of each row."""
    rev = flags[:, ::-1]
    any_false = ~rev.all(axis=1)
    first_false = np.argmax(~rev, axis=1)
    return np.where(any_false, first_false, flags.shape[1])


def _patterns(
    sig: np.ndarray, other: np.ndarray, trend: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """(final-slice pattern, historical flag) for one side; trend +1 = intensifying."""
    m, t = sig.shape
    out = np.full(m, "", dtype=object)
    n_sig = sig.sum(axis=1)
    share = n_sig / t
    final = sig[:, -1]
    run = _trailing_run(sig)
    ever_other = other.any(axis=1)
    mostly = share >= threshold
    rules = [
        ("new", final & (n_sig == 1)),
        ("consecutive", final & (run >= 2) & (n_sig == run) & ~mostly),
        ("intensifying", final & mostly & (trend > 0)),
        ("persistent", final & mostly & (trend == 0)),
        ("diminishing", final & mostly & (trend < 0)),
        ("sporadic", final & ~mostly & ~ever_other),
        ("oscillating", final & ~mostly & ever_other),
    ]
    for name, mask in rules:
        out[(out == "") & mask] = name
    historical = ~final & mostly
    return out, historical


def classify_emerging(
    hot: np.ndarray,
    cold: np.ndarray,
    trend: np.ndarray,
    threshold: float = 0.9,
    include_cold: bool = True,
) -> np.ndarray:
    """Esri emerging hot spot category of each cell from its significant slices and its trend.

    Parameters
    ----------
    hot, cold : bool arrays of shape (m, T)
        Significant hot / cold spot per cell and time slice (oldest first).
    trend : int array of shape (m,)
        Mann–Kendall result on the z series: +1 significant increase, −1 decrease, 0 none.
    threshold : float
        Share of slices that makes a "90 %" category.
    include_cold : bool
        Also classify cold spot patterns.

    Returns
    -------
    numpy.ndarray of str
        One of ``CATEGORIES``.
    """
    hot = np.atleast_2d(np.asarray(hot, dtype=bool))
    cold = np.atleast_2d(np.asarray(cold, dtype=bool))
    trend = np.asarray(trend, dtype=int)
    if (hot & cold).any():
        raise ValueError("classify_emerging: a slice cannot be both hot and cold")
    hot_pat, hot_hist = _patterns(hot, cold, trend, threshold)
    out = np.where(hot_pat != "", hot_pat + "_hot", "").astype(object)
    if include_cold:
        cold_pat, cold_hist = _patterns(cold, hot, -trend, threshold)
        take = (out == "") & (cold_pat != "")
        out[take] = cold_pat[take] + "_cold"
        out[(out == "") & cold_hist] = "historical_cold"
    out[(out == "") & hot_hist] = "historical_hot"
    out[out == ""] = "no_pattern"
    return out


def month_slices(end: Any, months: int) -> tuple[pd.Timestamp, pd.Timestamp, list[str]]:
    """``[start, end)`` covering ``months`` whole months ending before ``end`` and their labels."""
    end_ts = pd.Timestamp(end)
    if end_ts != end_ts.normalize() or end_ts.day != 1:
        raise ValueError(f"end {end!r}: expected the first day of a month (exclusive end)")
    start = end_ts - pd.DateOffset(months=months)
    labels = [p.strftime("%Y-%m") for p in pd.period_range(start, periods=months, freq="M")]
    return start, end_ts, labels


@dataclass(frozen=True)
class EmergingResult:
    """Emerging hot spot categories per cell.

    Attributes
    ----------
    cells : pandas.DataFrame
        ``cell``, ``category``, ``count`` (whole period), ``n_hot``, ``n_cold``, ``final_z``,
        ``trend_z``, ``trend_p``, ``trend_tau``.
    z : pandas.DataFrame
        Gi* z per cell (rows) and month (columns ``YYYY-MM``).
    """

    cells: pd.DataFrame
    z: pd.DataFrame
    method: dict[str, Any]
    excluded: dict[str, int]
    grid: HexGrid = field(repr=False)

    def to_geojson(self, decimals: int = 6) -> dict[str, Any]:
        """Hexagons with properties ``cell``, ``category``, ``n_hot``, ``n_cold``, ``trend_z``,
        ``trend_p``."""
        rings = cell_boundaries(self.grid.cells, decimals)
        c = self.cells
        features = [
            {"type": "Feature", "id": cell, "geometry": {"type": "Polygon", "coordinates": [ring]},
             "properties": {"cell": cell, "category": cat, "n_hot": int(nh), "n_cold": int(nc),
                            "trend_z": json_number(tz, 3), "trend_p": json_number(tp, 4, True)}}
            for cell, cat, nh, nc, tz, tp, ring in zip(
                c["cell"].tolist(), c["category"].tolist(), c["n_hot"].tolist(),
                c["n_cold"].tolist(), c["trend_z"].tolist(), c["trend_p"].tolist(), rings,
                strict=True)
        ]
        return feature_collection(features, method=self.method, excluded=self.excluded)


def emerging_hotspots(
    points: pd.DataFrame,
    region: shapely.Geometry,
    *,
    months: int = 36,
    end: Any = None,
    resolution: int | str = DEFAULT_RESOLUTION,
    types: Collection[str] | None = None,
    alpha: float = 0.10,
    trend_alpha: float = 0.05,
    time_window: int = 0,
    threshold: float = 0.9,
    include_cold: bool = True,
    cover: str = "share",
    min_share: float = MIN_CELL_SHARE,
    eligible: Collection[str] = HOTSPOT_ELIGIBLE,
) -> EmergingResult:
    """Emerging hot spot analysis of events in ``region`` over the last ``months`` months.

    Parameters
    ----------
    points : pandas.DataFrame
        Points contract (EPSG:3006).
    region : shapely.Geometry
        Study region (EPSG:3006).
    months : int
        Number of monthly slices (24–36 is usual; at least 10 for a useful trend test).
    end : date-like, optional
        Exclusive end (first day of a month). Default: the month after the latest event; pass
        the first day after the last *complete* month to keep a half month out.
    resolution : int or 'auto'
        H3 resolution; 'auto' as for ``hotspots`` (``layers.hexgrid.grid_resolution``).
    types : collection of str, optional
        Event types.
    alpha : float
        Level of the BH-adjusted p per slice for a significant hot/cold slice (0.10 = 90 %).
    trend_alpha : float
        Level of the Mann–Kendall test.
    time_window : int
        0: Gi* per slice on space only; k > 0: space-time Gi* with the k previous slices as
        neighbours (Esri's "neighborhood time step"), moments over the whole cube.
    threshold : float
        The "90 %" share.
    include_cold : bool
        Classify cold spot patterns too.
    cover, min_share, eligible
        As for ``hotspots`` (the same grid: cells at least 90 % inside the region by default;
        points in cells left out count as ``outside_analysed_cells``).

    Returns
    -------
    EmergingResult
    """
    if months < 2:
        raise ValueError(f"emerging_hotspots: need at least 2 monthly slices, got {months}")
    start, end_ts, labels = month_slices(_end_month(points) if end is None else end, months)
    sel = select_points(points, region=region, period=(start, end_ts), types=types, eligible=eligible)
    auto = resolution == "auto"
    resolution = grid_resolution(region, cover, min_share) if auto else int(resolution)
    point_cells = points_to_cells(sel.x, sel.y, resolution)
    grid = hex_grid(region, resolution, extra_cells=np.unique(point_cells), cover=cover, min_share=min_share)
    pos = grid.index_of(point_cells)
    excluded = {**sel.excluded, "outside_analysed_cells": int((pos < 0).sum())}
    cube = _event_cube(sel.frame["occurred_at"], pos, start, months, grid.n)

    z, p, n_exact = _slice_tests(cube, grid.weights, time_window)
    hot, cold, mk, category = _classify(z, p, alpha, trend_alpha, threshold, include_cold)

    cells = pd.DataFrame({
        "cell": grid.names, "category": category, "count": cube.sum(axis=0),
        "n_hot": hot.sum(axis=1), "n_cold": cold.sum(axis=1), "final_z": z[-1],
        "trend_z": mk["z"], "trend_p": mk["p"], "trend_tau": mk["tau"],
    })
    method = _method(grid, auto, cube, n_exact, (start, end_ts), region, time_window=time_window, alpha=alpha,
                     trend_alpha=trend_alpha, threshold=threshold, eligible=eligible, types=types)
    zframe = pd.DataFrame(z.T, index=pd.Index(grid.names, name="cell"), columns=labels)
    return EmergingResult(cells=cells, z=zframe, method=method, excluded=excluded, grid=grid)


def _method(grid: HexGrid, auto: bool, cube: np.ndarray, n_exact: int,
            bounds: tuple[pd.Timestamp, pd.Timestamp], region: shapely.Geometry, *, time_window: int,
            alpha: float, trend_alpha: float, threshold: float, eligible: Collection[str],
            types: Collection[str] | None) -> dict[str, Any]:
    """The ``method`` dict of an emerging hot spot layer (its method card)."""
    start, end = bounds
    return {
        "method": "emerging hot spot analysis",
        **grid_description(grid),
        "resolution_rule": f"auto: 9, finer while fewer than {MIN_GRID_CELLS} cells" if auto else "given",
        "time_slices": cube.shape[0],
        "slice": "calendar month",
        "time_window": time_window,
        **_inference_fields(cube, n_exact, cube.shape[0]),
        "fdr": "Benjamini-Hochberg within each slice",
        "fdr_alpha": alpha,
        "confidence_levels": [round(1 - alpha, 4)],
        "trend_test": "Mann-Kendall on each cell's Gi* z series (empty slices: z = 0)",
        "trend_alpha": trend_alpha,
        "threshold_share": threshold,
        "categories": "Esri, How Emerging Hot Spot Analysis works",
        "precision_classes_used": sorted(eligible),
        "event_types": sorted(types) if types is not None else None,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "points_used": int(cube.sum()),
        "study_region_km2": round(float(region.area) / 1e6, 3),
    }


def _event_cube(occurred_at: pd.Series, pos: np.ndarray, start: pd.Timestamp, months: int,
                n_cells: int) -> np.ndarray:
    """Event counts per month slice × cell (events in cells left out, ``pos < 0``, not counted)."""
    t = occurred_at.to_numpy(dtype="datetime64[M]").astype(np.int64)
    t_idx = t - np.datetime64(start.to_datetime64(), "M").astype(np.int64)
    ok = pos >= 0
    return np.bincount(t_idx[ok] * n_cells + pos[ok], minlength=months * n_cells).reshape(months, n_cells)


def _classify(z: np.ndarray, p: np.ndarray, alpha: float, trend_alpha: float, threshold: float,
              include_cold: bool) -> tuple[np.ndarray, np.ndarray, dict, np.ndarray]:
    """Hot and cold cells per slice (significant after FDR within the slice), the Mann–Kendall
    trend of each cell's z series, and each cell's category."""
    p_adj = np.vstack([benjamini_hochberg(row) for row in p])
    sig = np.nan_to_num(p_adj, nan=1.0) <= alpha
    zc = np.nan_to_num(z, nan=0.0)
    hot = (sig & (zc > 0)).T
    cold = (sig & (zc < 0)).T
    mk = mann_kendall(zc.T, alpha=trend_alpha)
    return hot, cold, mk, classify_emerging(hot, cold, mk["trend"], threshold, include_cold)


def _end_month(points: pd.DataFrame) -> pd.Timestamp:
    """The month after the latest event (the exclusive end of the last slice)."""
    if "occurred_at" not in points.columns or len(points) == 0:
        raise ValueError("emerging_hotspots: no events to infer the end month from; pass end=")
    latest = parse_times(points["occurred_at"]).max()
    if pd.isna(latest):
        raise ValueError("emerging_hotspots: no event has a time; pass end=")
    return (latest.to_period("M") + 1).to_timestamp()


def _slice_tests(cube: np.ndarray, weights: Any, time_window: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Gi* z and p of every slice × cell, and the number of slices tested exactly.

    p: analytical where the counts are dense enough for the normal approximation, else exact
    (layers.gistar.choose_inference): per slice, or for the whole cube with a time window."""
    months = cube.shape[0]
    if time_window > 0:
        z = gi_star_space_time(cube, weights, time_window)
        sparse = [choose_inference(cube, None)[0] == "exact"] * months
        p = exact_p_space_time(cube, weights, time_window) if sparse[0] else two_sided_p(z)
    else:
        z = gi_star_slices(cube, weights)
        p = two_sided_p(z)
        sparse = [choose_inference(cube[t], None)[0] == "exact" for t in range(months)]
        for t in np.flatnonzero(sparse):
            p[t] = exact_p(cube[t], weights)
    p = np.where(np.isfinite(z), p, np.nan)
    return z, p, int(sum(sparse))


def _inference_fields(cube: np.ndarray, n_exact: int, months: int) -> dict[str, Any]:
    """The method fields that say how the slices were tested and why."""
    return {
        "inference": (
            "analytical (standard normal), two-sided, per slice" if not n_exact else
            f"exact randomisation distribution of the neighbourhood sum in {n_exact} of {months} "
            "slices (sparse), analytical in the others, two-sided"),
        "inference_kind": "exact" if n_exact == months else ("mixed" if n_exact else "analytical"),
        "inference_choice": "sparse" if n_exact else "dense",
        "exact_slices": n_exact,
        "mean_count": round(float(cube.mean()), 3) if cube.size else None,
        "analytical_min_mean": ANALYTICAL_MIN_MEAN,
        "permutations": 0,
    }


def emerging_legend(lang: str = "sv", include_cold: bool = True) -> list[dict[str, str]]:
    """Legend rows ``{category, color, label}``."""
    cats = [c for c in CATEGORIES if include_cold or not c.endswith("_cold")]
    return [{"category": c, "color": CATEGORY_COLORS[c], "label": CATEGORY_LABELS[lang][c]} for c in cats]
