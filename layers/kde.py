"""Kernel density surface (quartic/biweight kernel) over a study region: the quick hotspot picture.

    K_h(d) = 3 / (π h²) · (1 − d²/h²)²   for d < h, else 0

(Silverman 1986, eq. 4.5; the kernel of Esri's Kernel Density). The density of a square cell is
Σ K_h(distance from its centre to each event) in events per km² over the whole period. Points are
binned to the cell grid before the kernel is applied (a point is taken at its cell's centre; the
discrete kernel is normalised so every event adds exactly 1 to the surface integral).

>>> import pandas as pd
>>> from shapely.geometry import box
>>> pts = pd.DataFrame({"x": [500_025.0] * 3, "y": [6_500_025.0] * 3, "occurred_at": "2025-01-01",
...                     "type": "Brand", "precision": "exact"})
>>> res = kde_surface(pts, box(499_000, 6_499_000, 501_000, 6_501_000), bandwidth_m=300, cell_m=50)
>>> round(float(res.cells["density"].sum()) * 0.05 ** 2, 6)   # integral = number of events
3.0
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from scipy.signal import fftconvolve

from geodata.precision import HOTSPOT_ELIGIBLE
from layers._geojson import feature_collection, json_number, to_wgs84_xy
from layers._points import PeriodLike, period_dict, select_points
from layers.palettes import sequential

DEFAULT_BANDWIDTH_M = 300.0
DEFAULT_CELL_M = 50.0


def quartic_kernel(d: np.ndarray, bandwidth: float) -> np.ndarray:
    """Quartic (biweight) kernel value per m² at distance ``d`` (m); integrates to 1 over the plane."""
    u2 = (np.asarray(d, dtype=float) / bandwidth) ** 2
    return np.where(u2 < 1.0, 3.0 / (math.pi * bandwidth**2) * (1.0 - u2) ** 2, 0.0)


def suggest_bandwidth(x: np.ndarray, y: np.ndarray) -> float:
    """Spatial variant of Silverman's rule of thumb, robust to outliers (as Esri's default).

    h = 0.9 · min(SD, √(1/ln 2) · D_m) · n^(−0.2), where SD is the standard distance and D_m the
    median distance to the mean centre. Returns NaN for fewer than two points.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < 2:
        return float("nan")
    dx, dy = x - x.mean(), y - y.mean()
    sd = math.sqrt(float((dx**2).mean() + (dy**2).mean()))
    dm = float(np.median(np.hypot(dx, dy)))
    return 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * n**-0.2


@dataclass(frozen=True)
class KdeResult:
    """Density surface on square cells inside the study region.

    Attributes
    ----------
    cells : pandas.DataFrame
        ``x``, ``y`` (cell centre, EPSG:3006), ``density`` (events per km²), ``level`` (0 = below
        the lowest level, else 1…n).
    method, excluded : dict
        Parameters (bandwidth stated) and points left out by reason.
    """

    cells: pd.DataFrame
    method: dict[str, Any]
    excluded: dict[str, int]

    def to_geojson(self, decimals: int = 6, include_zero: bool = False) -> dict[str, Any]:
        """Square cells (EPSG:4326) with properties ``density`` (3 significant digits), ``level``.

        Cells of level 0 are left out unless ``include_zero``.
        """
        c = self.cells if include_zero else self.cells[self.cells["level"] > 0]
        half = self.method["cell_size_m"] / 2
        x = c["x"].to_numpy()
        y = c["y"].to_numpy()
        corners_x = np.stack([x - half, x + half, x + half, x - half], axis=1).ravel()
        corners_y = np.stack([y - half, y - half, y + half, y + half], axis=1).ravel()
        lon, lat = to_wgs84_xy(corners_x, corners_y)
        lon = np.round(lon, decimals).reshape(-1, 4).tolist()
        lat = np.round(lat, decimals).reshape(-1, 4).tolist()
        features = []
        for lo, la, dens, lev in zip(lon, lat, c["density"].tolist(), c["level"].tolist(), strict=True):
            ring = [[lo[i], la[i]] for i in (0, 1, 2, 3, 0)]
            features.append({
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"density": json_number(dens, 3, significant=True), "level": int(lev)},
            })
        return feature_collection(features, method=self.method, excluded=self.excluded)


def kde_surface(
    points: pd.DataFrame,
    region: shapely.Geometry,
    *,
    bandwidth_m: float | str = DEFAULT_BANDWIDTH_M,
    cell_m: float = DEFAULT_CELL_M,
    period: PeriodLike = None,
    types: Collection[str] | None = None,
    levels: int = 5,
    min_share: float = 0.05,
    eligible: Collection[str] = HOTSPOT_ELIGIBLE,
) -> KdeResult:
    """Quartic kernel density of eligible events in ``region`` on a ``cell_m`` square grid.

    Parameters
    ----------
    points : pandas.DataFrame
        Points contract (``x``, ``y`` in EPSG:3006, ``occurred_at``, ``type``, ``precision``).
    region : shapely.Geometry
        Study region (EPSG:3006). Only events inside it count (no edge correction), and only
        cells whose centre lies inside it are returned.
    bandwidth_m : float or 'suggest'
        Kernel radius in metres, or ``'suggest'`` for ``suggest_bandwidth`` (floored at one cell).
    cell_m : float
        Cell size in metres.
    period, types, eligible
        As for ``hotspots``.
    levels : int
        Number of density levels: equal intervals of the maximum density.
    min_share : float
        Cells below ``min_share`` × maximum get level 0 (left out of the GeoJSON).

    Returns
    -------
    KdeResult
    """
    sel = select_points(points, region=region, period=period, types=types, eligible=eligible)
    h, rule = _bandwidth(bandwidth_m, sel.x, sel.y, cell_m)
    gx, gy, density = _density_grid(sel.x, sel.y, region, h, cell_m)
    inside = shapely.intersects_xy(region, gx.ravel(), gy.ravel())
    dens = density.ravel()[inside]
    top = float(dens.max()) if dens.size else 0.0
    if top > 0:
        lev = np.ceil(dens / top * levels).astype(int)
        lev[dens < min_share * top] = 0
        breaks = [top * i / levels for i in range(levels + 1)]
    else:
        lev = np.zeros(dens.shape, dtype=int)
        breaks = []
    cells = pd.DataFrame({"x": gx.ravel()[inside], "y": gy.ravel()[inside], "density": dens,
                          "level": lev})
    method = {
        "method": "kernel density (quartic/biweight kernel)",
        "bandwidth_m": round(h, 1),
        "bandwidth_rule": rule,
        "cell_size_m": float(cell_m),
        "units": "events per km² over the period",
        "levels": levels,
        "level_breaks_per_km2": [round(b, 3) for b in breaks],
        "level_colors": list(sequential("YlOrRd", levels)) if 3 <= levels <= 9 else None,
        "min_share_of_max": min_share,
        "edge_correction": None,
        "precision_classes_used": sorted(eligible),
        "event_types": sorted(types) if types is not None else None,
        "period": period_dict(sel.period),
        "points_used": int(len(sel.x)),
        "study_region_km2": round(float(region.area) / 1e6, 3),
    }
    return KdeResult(cells=cells, method=method, excluded=sel.excluded)


def _bandwidth(bandwidth_m: float | str, x: np.ndarray, y: np.ndarray, cell_m: float) -> tuple[float, str]:
    """The kernel radius and the rule that gave it (``'suggest'``: :func:`suggest_bandwidth`,
    floored at one cell)."""
    rule = "fixed"
    if bandwidth_m == "suggest":
        h = suggest_bandwidth(x, y)
        h = DEFAULT_BANDWIDTH_M if not math.isfinite(h) else max(h, cell_m)
        rule = "suggested (Silverman-type rule, as Esri)"
    else:
        h = float(bandwidth_m)
    if not (h > 0 and cell_m > 0):
        raise ValueError(f"kde_surface: bandwidth ({h}) and cell size ({cell_m}) must be positive")
    return h, rule


def _density_grid(x: np.ndarray, y: np.ndarray, region: shapely.Geometry, h: float,
                  cell_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell centres (``gx``, ``gy``) and the density per km² of a ``cell_m`` grid over the
    region's bounds: the point counts convolved with the quartic kernel, mass conserved."""
    xmin, ymin, xmax, ymax = region.bounds
    x0 = math.floor(xmin / cell_m) * cell_m
    y0 = math.floor(ymin / cell_m) * cell_m
    nx = int(math.ceil((xmax - x0) / cell_m))
    ny = int(math.ceil((ymax - y0) / cell_m))
    ix = np.clip(((x - x0) // cell_m).astype(np.int64), 0, nx - 1)
    iy = np.clip(((y - y0) // cell_m).astype(np.int64), 0, ny - 1)
    hist = np.bincount(iy * nx + ix, minlength=nx * ny).reshape(ny, nx).astype(float)

    r = int(math.ceil(h / cell_m))
    off = np.arange(-r, r + 1) * cell_m
    stencil = quartic_kernel(np.hypot(off[None, :], off[:, None]), h)
    stencil *= 1.0 / (stencil.sum() * cell_m**2)  # exact mass conservation on the grid
    density = fftconvolve(hist, stencil, mode="same") if len(x) else np.zeros_like(hist)
    density = np.clip(density, 0.0, None) * 1e6  # per m² → per km² (clip FFT round-off)

    cx = x0 + (np.arange(nx) + 0.5) * cell_m
    cy = y0 + (np.arange(ny) + 0.5) * cell_m
    gx, gy = np.meshgrid(cx, cy)
    return gx, gy, density
