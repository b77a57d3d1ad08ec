"""H3 hexagon grid over a study region: cells, point → cell, ring-1 neighbour matrix, polygons.

Cells are handled as unsigned 64-bit H3 integers internally (sorted arrays, ``searchsorted``) and
turned into the usual hex strings only for output. No libpysal ``W`` is built on this path.

The grid of a study region is made of the cells lying at least 90 % inside it
(``MIN_CELL_SHARE``): of the 24 cells touching a 1 km square, 15 lie mostly outside it.

>>> from shapely.geometry import box
>>> grid = hex_grid(box(674_000, 6_580_000, 675_000, 6_581_000), 9)
>>> grid.n, grid.cells_left_out, float(grid.weights.diagonal().min())
(9, 15, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import h3
import numpy as np
import scipy.sparse as sp
import shapely
from h3.api import basic_int as h3i

from layers._geojson import geometry_to_wgs84, to_sweref_xy, to_wgs84_xy

DEFAULT_RESOLUTION = 9
EARTH_RADIUS_M = 6_371_007.2  # authalic radius, as H3 uses


def choose_resolution(
    area_km2: float,
    preferred: int = DEFAULT_RESOLUTION,
    min_cells: int = 20,
    max_cells: int = 5_000,
    finest: int = 11,
    coarsest: int = 6,
) -> int:
    """Pick an H3 resolution for a region of ``area_km2``.

    Start at ``preferred`` (9, ≈175 m edge in Sweden); go finer while the region would have
    fewer than ``min_cells`` cells, coarser while it would have more than ``max_cells``.

    >>> choose_resolution(3.0), choose_resolution(0.5), choose_resolution(400.0), choose_resolution(5_000)
    (9, 10, 9, 7)
    """
    if not area_km2 > 0:
        raise ValueError(f"choose_resolution: area_km2 must be positive, got {area_km2}")
    res = preferred

    def cells(r: int) -> float:
        return area_km2 / h3.average_hexagon_area(r, "km^2")

    while res < finest and cells(res) < min_cells:
        res += 1
    while res > coarsest and cells(res) > max_cells:
        res -= 1
    return res


#: Fewest analysed cells for the "auto" resolution of :func:`grid_resolution` (Esri asks for at
#: least 30 features for a hot spot analysis): with ring-1 neighbourhoods of 7 cells, a grid of
#: 5–15 cells makes every neighbourhood a third of the map or more and nothing can stand out.
MIN_GRID_CELLS = 30


def grid_resolution(
    region: shapely.Geometry,
    cover: str = "share",
    min_share: float = 0.9,
    min_cells: int = MIN_GRID_CELLS,
    finest: int = 11,
) -> int:
    """The "auto" H3 resolution of a study region (EPSG:3006): :func:`choose_resolution` of its
    area (9 for an area and its buffer, coarser for a large kommun), then finer while fewer than
    ``min_cells`` cells would be analysed.

    On the 2025 list with 300 m around each area, 43 of 65 areas have fewer than 30 cells at 9
    (Sångvägen 5, Hjulsta 11, Rinkeby 24) and get 10 (≈ 65 m edge); a planted cluster of 20
    events in 100 m over 100 events of chance is then found in Rinkeby in ≈ 99 % of maps instead
    of 7 % (``bench/hotspot_calibration.py``).

    >>> from shapely.geometry import box
    >>> grid_resolution(box(674_000, 6_580_000, 675_000, 6_581_000)), grid_resolution(box(674_000, 6_580_000, 676_000, 6_582_000))
    (10, 9)
    """
    res = choose_resolution(float(region.area) / 1e6)
    while res < finest and len(region_cells(region, res, cover, min_share)) < min_cells:
        res += 1
    return res


def points_to_cells_exact(x: np.ndarray, y: np.ndarray, resolution: int) -> np.ndarray:
    """H3 cell (uint64) of each EPSG:3006 point, one ``latlng_to_cell`` call per distinct location.

    Locations are rounded to 1 cm to find duplicates (real, geocoded data repeats addresses).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) == 0:
        return np.empty(0, dtype=np.uint64)
    key = (np.round(x * 100).astype(np.int64) << np.int64(31)) | np.round(y * 100).astype(np.int64)
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    lon, lat = to_wgs84_xy(x[first], y[first])
    f = h3i.latlng_to_cell
    cells = np.fromiter(
        (f(a, b, resolution) for a, b in zip(lat.tolist(), lon.tolist(), strict=True)),
        dtype=np.uint64,
        count=len(uniq),
    )
    return cells[inverse.ravel()]


# --- vectorised assignment -------------------------------------------------------------------
# Within a few tens of km, H3 cell centres form a hexagonal lattice whose local IJ coordinates
# (``local_ij_to_cell``) are a smooth function of SWEREF 99 TM coordinates. A cubic polynomial fitted
# on cell centres spread over a grid disk reproduces them to ~1e-6 lattice units; points are snapped to
# the lattice by cube rounding. Points within ``_SAFETY`` lattice units of a cell edge, outside the
# fitted disk, or in a region where the fit is poor (icosahedron face edges, pentagons) get the
# exact per-point H3 call, so the result equals ``latlng_to_cell`` everywhere.

_MIN_VECTOR_POINTS = 2_000
_MAX_DISK_K = 150
_MAX_FIT_RESIDUAL = 1e-4
_SAFETY = 2e-3
_FIT_SCALE_M = 1_000.0


@dataclass(frozen=True)
class _LatticeFit:
    origin: int
    i0: int
    j0: int
    x0: float
    y0: float
    k: int
    coef_q: np.ndarray
    coef_r: np.ndarray
    max_residual: float


def _monomials(dx: np.ndarray, dy: np.ndarray) -> list[np.ndarray]:
    """1, u, v, u², uv, v², u³, u²v, uv², v³ of the scaled offsets (multiplications only)."""
    u = dx / _FIT_SCALE_M
    v = dy / _FIT_SCALE_M
    uu, uv, vv = u * u, u * v, v * v
    return [np.ones_like(u), u, v, uu, uv, vv, uu * u, uu * v, u * vv, vv * v]


def _design(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    return np.column_stack(_monomials(dx, dy))


def _evaluate(coef: np.ndarray, terms: list[np.ndarray]) -> np.ndarray:
    out = coef[0] * terms[0]
    for c, t in zip(coef[1:].tolist(), terms[1:], strict=True):
        out += c * t
    return out


@lru_cache(maxsize=256)
def _lattice_fit(origin: int, k: int) -> _LatticeFit | None:
    """Cubic fit of axial lattice coordinates on ~300 cell centres spread over the k-disk.

    Local IJ coordinates are anchored at the origin's base cell, so the fit is of the offsets
    (q, r) from the origin's own coordinates ``(i0, j0)``.
    """
    try:
        i0, j0 = h3i.cell_to_local_ij(origin, origin)
    except h3.H3BaseException:
        return None
    step = max(1, k // 8)
    grid = np.arange(-k, k + 1, step)
    q = np.repeat(grid, len(grid)).astype(float)
    r = np.tile(grid, len(grid)).astype(float)
    inside = np.abs(q + r) <= k  # keep the hexagonal disk: |q|, |r|, |s| ≤ k
    q, r = q[inside], r[inside]
    try:
        nodes = [
            h3i.local_ij_to_cell(origin, i0 + int(a + b), j0 + int(b))
            for a, b in zip(q, r, strict=True)
        ]
    except h3.H3BaseException:  # pentagon distortion or too far to unfold
        return None
    latlng = np.array([h3i.cell_to_latlng(c) for c in nodes])
    cx, cy = to_sweref_xy(latlng[:, 1], latlng[:, 0])
    lat0, lng0 = h3i.cell_to_latlng(origin)
    x0, y0 = (float(v[0]) for v in to_sweref_xy(np.array([lng0]), np.array([lat0])))
    design = _design(cx - x0, cy - y0)
    coef_q, *_ = np.linalg.lstsq(design, q, rcond=None)
    coef_r, *_ = np.linalg.lstsq(design, r, rcond=None)
    resid = max(np.abs(design @ coef_q - q).max(), np.abs(design @ coef_r - r).max())
    if not resid < _MAX_FIT_RESIDUAL:
        return None
    coef_q.flags.writeable = False  # cached: shared by every caller
    coef_r.flags.writeable = False
    return _LatticeFit(origin, int(i0), int(j0), x0, y0, k, coef_q, coef_r, float(resid))


def points_to_cells(x: np.ndarray, y: np.ndarray, resolution: int) -> np.ndarray:
    """H3 cell (uint64) of each EPSG:3006 point; equal to ``h3.latlng_to_cell`` for every point.

    Vectorised (lattice snap, see above) for larger batches in a compact area, with the exact
    per-point call for the few points near a cell edge; falls back to ``points_to_cells_exact``
    for small batches or where the lattice fit is not good enough.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < _MIN_VECTOR_POINTS:
        return points_to_cells_exact(x, y, resolution)
    xmin, xmax, ymin, ymax = x.min(), x.max(), y.min(), y.max()
    xc, yc = (xmin + xmax) / 2, (ymin + ymax) / 2
    lon, lat = to_wgs84_xy(np.array([xc]), np.array([yc]))
    origin = h3i.latlng_to_cell(float(lat[0]), float(lon[0]), resolution)
    # centre spacing ≈ √3 × edge; H3 edges in Sweden are ≥ 0.8 × the global average
    spacing = np.sqrt(3.0) * 0.8 * h3.average_hexagon_edge_length(resolution, "m")
    half_diag = float(np.hypot(xmax - xmin, ymax - ymin)) / 2
    k = int(np.ceil(half_diag / spacing)) + 3
    fit = _lattice_fit(origin, k) if k <= _MAX_DISK_K else None
    if fit is None:
        return points_to_cells_exact(x, y, resolution)

    terms = _monomials(x - fit.x0, y - fit.y0)
    fq = _evaluate(fit.coef_q, terms)
    fr = _evaluate(fit.coef_r, terms)
    fs = -fq - fr
    q, r, s = np.round(fq), np.round(fr), np.round(fs)
    dq, dr, ds = np.abs(q - fq), np.abs(r - fr), np.abs(s - fs)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    s = -q - r
    # offset (a, b, c) from the snapped centre; inside the cell iff max(|a−b|, |b−c|, |c−a|) < 1,
    # so 1 − that max is the (scaled) distance to the nearest cell edge
    a, b, c = fq - q, fr - r, fs - s
    margin = 1.0 - np.maximum(np.maximum(np.abs(a - b), np.abs(b - c)), np.abs(c - a))
    ring = np.maximum(np.maximum(np.abs(q), np.abs(r)), np.abs(s))
    unsafe = (margin < _SAFETY + 3 * fit.max_residual) | (ring > fit.k - 1)

    out = np.empty(n, dtype=np.uint64)
    safe = np.flatnonzero(~unsafe)
    i_lat = (q[safe] + r[safe]).astype(np.int64) + fit.i0
    j_lat = r[safe].astype(np.int64) + fit.j0
    key = (i_lat << np.int64(32)) + j_lat
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    to_cell = h3i.local_ij_to_cell
    try:
        lattice_cells = np.fromiter(
            (to_cell(fit.origin, int(i_lat[f]), int(j_lat[f])) for f in first.tolist()),
            dtype=np.uint64,
            count=len(uniq),
        )
    except h3.H3BaseException:
        return points_to_cells_exact(x, y, resolution)
    out[safe] = lattice_cells[inverse.ravel()]
    # belt and braces: a fixed sample of snapped points must agree with H3 itself
    probe = safe[:: max(1, len(safe) // 32)]
    if len(probe) and not np.array_equal(out[probe], points_to_cells_exact(x[probe], y[probe], resolution)):
        return points_to_cells_exact(x, y, resolution)
    hard = np.flatnonzero(unsafe)
    if len(hard):
        out[hard] = points_to_cells_exact(x[hard], y[hard], resolution)
    return out


#: Share of a cell's area that must lie inside the study region for the cell to be analysed
#: (``cover='share'``, the default). Gi*'s null hypothesis treats every cell alike: a cell lying
#: mostly outside the region can only collect the events of its inside part, so it reads "cold"
#: and its neighbours "hot" in maps of pure chance (the old ``'overlap'`` grid of Rinkeby kept 11
#: of 43 cells that were less than half inside and marked a 95 % hot spot in 14 % of such maps).
#: At 0.9 a kept cell collects at least 90 % of a whole cell's events, the area itself stays fully
#: covered (the 300 m buffer is wider than a resolution-9 cell) and the rate stays ≤ 2 %
#: (``bench/hotspot_calibration.py``, ``bench/RESULTS.md``).
MIN_CELL_SHARE = 0.9

COVERS = ("share", "center", "full", "overlap")


def cell_polygons(cells: np.ndarray) -> np.ndarray:
    """EPSG:3006 polygons of H3 cells (straight edges between the projected vertices)."""
    if len(cells) == 0:
        return np.empty(0, dtype=object)
    boundary = h3i.cell_to_boundary
    rings = [boundary(c) for c in np.asarray(cells, dtype=np.uint64).tolist()]
    sizes = np.array([len(r) for r in rings])
    latlng = np.array([p for r in rings for p in r])
    x, y = to_sweref_xy(latlng[:, 1], latlng[:, 0])
    xy = np.column_stack([x, y])
    out = np.empty(len(rings), dtype=object)
    start = 0
    for i, k in enumerate(sizes.tolist()):
        out[i] = shapely.Polygon(xy[start:start + k])
        start += k
    return out


@lru_cache(maxsize=64)
def _cell_shares(wkb: bytes, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    region = shapely.from_wkb(wkb)
    cells = _region_cells(wkb, resolution, "overlap")
    polys = cell_polygons(cells)
    shapely.prepare(region)
    share = np.ones(len(cells))
    partial = ~shapely.contains(region, polys) if len(cells) else np.zeros(0, dtype=bool)
    if partial.any():
        inter = shapely.intersection(polys[partial], region)
        share[partial] = shapely.area(inter) / shapely.area(polys[partial])
    share.flags.writeable = False
    return cells, share


def cell_shares(region: shapely.Geometry, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """Every H3 cell overlapping ``region`` (EPSG:3006; sorted uint64) and the share of its area
    inside the region (0–1). Cached per region and resolution; read-only arrays."""
    return _cell_shares(shapely.to_wkb(region), int(resolution))


@lru_cache(maxsize=64)
def _region_cells(wkb: bytes, resolution: int, cover: str, min_share: float = MIN_CELL_SHARE) -> np.ndarray:
    if cover == "share":
        cells, share = _cell_shares(wkb, resolution)
        out = cells[share >= min_share - 1e-9]
    else:
        region = shapely.from_wkb(wkb)
        shape = h3.geo_to_h3shape(geometry_to_wgs84(region).__geo_interface__)
        found = h3i.h3shape_to_cells_experimental(shape, resolution, contain=cover)
        out = np.unique(np.fromiter(found, dtype=np.uint64, count=len(found)))
    out.flags.writeable = False
    return out


def region_cells(region: shapely.Geometry, resolution: int, cover: str = "share",
                 min_share: float = MIN_CELL_SHARE) -> np.ndarray:
    """Sorted H3 cells (uint64) that make up the grid of ``region`` (EPSG:3006).

    ``cover='share'`` (default) keeps the cells with at least ``min_share`` of their area inside
    the region; ``'center'`` the cells whose centre lies in it; ``'full'`` the cells wholly inside
    (on the sphere); ``'overlap'`` every cell that touches it, however little (the old grid: its
    edge cells lie mostly outside the region). Cached per region and resolution; read-only.
    """
    if cover not in COVERS:
        raise ValueError(f"cover {cover!r}: expected one of {', '.join(map(repr, COVERS))}")
    if not 0.0 < min_share <= 1.0:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    return _region_cells(shapely.to_wkb(region), int(resolution), cover,
                         float(min_share) if cover == "share" else MIN_CELL_SHARE)


def neighbour_matrix(cells: np.ndarray, k: int = 1) -> sp.csr_matrix:
    """Binary weights: cell i ↔ every cell of ``grid_disk(i, k)`` that is in ``cells`` (self included).

    ``cells`` must be sorted. The diagonal is 1, as esda's ``G_Local(star=True, transform='B')``
    sets it.
    """
    n = len(cells)
    rows: list[int] = []
    cols: list[int] = []
    disk = h3i.grid_disk
    for i, c in enumerate(cells.tolist()):
        ring = disk(c, k)
        rows.extend([i] * len(ring))
        cols.extend(ring)
    col_cells = np.asarray(cols, dtype=np.uint64)
    pos = np.searchsorted(cells, col_cells)
    pos_clipped = np.minimum(pos, max(n - 1, 0))
    ok = (pos < n) & (cells[pos_clipped] == col_cells) if n else np.zeros(0, dtype=bool)
    r = np.asarray(rows, dtype=np.int64)[ok]
    c = pos[ok]
    w = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, n))
    w.sum_duplicates()
    return w


@dataclass(frozen=True)
class HexGrid:
    """A study region's H3 cells (sorted uint64) and their binary ring-k weights (diagonal = 1)."""

    cells: np.ndarray
    resolution: int
    weights: sp.csr_matrix
    cover: str = "share"
    min_share: float | None = MIN_CELL_SHARE
    #: cells touching the region that were left out of the grid (mostly outside it)
    cells_left_out: int = 0

    @property
    def n(self) -> int:
        """Number of cells."""
        return len(self.cells)

    @cached_property
    def names(self) -> list[str]:
        """H3 cell ids as hex strings (the output form)."""
        return [h3.int_to_str(c) for c in self.cells.tolist()]

    def index_of(self, cells: np.ndarray) -> np.ndarray:
        """Position of each cell in the grid, −1 where it is not part of the grid."""
        if self.n == 0:
            return np.full(len(cells), -1, dtype=np.int64)
        pos = np.searchsorted(self.cells, cells)
        pos_clipped = np.minimum(pos, self.n - 1)
        found = self.cells[pos_clipped] == cells
        return np.where(found, pos_clipped, -1)


def hex_grid(
    region: shapely.Geometry,
    resolution: int = DEFAULT_RESOLUTION,
    extra_cells: np.ndarray | None = None,
    cover: str = "share",
    k: int = 1,
    min_share: float = MIN_CELL_SHARE,
) -> HexGrid:
    """The hexagon grid of ``region`` (EPSG:3006); see :func:`region_cells` for ``cover``.

    The grid depends on the region only: points in cells outside it are not analysed (the
    layers count them as ``outside_analysed_cells``). ``extra_cells`` are added to the grid only
    with the old ``cover='overlap'`` (the cells of points inside the region, so a point exactly
    on the region's edge cannot fall between the covering and the points); it is kept as the
    calibration bench's reference line.
    """
    cells = region_cells(region, resolution, cover, min_share)
    if cover == "overlap" and extra_cells is not None and len(extra_cells):
        cells = np.union1d(cells, np.asarray(extra_cells, dtype=np.uint64))
    left_out = 0
    if cover != "overlap":
        left_out = len(region_cells(region, resolution, "overlap")) - len(cells)
    return HexGrid(cells=cells, resolution=int(resolution), weights=neighbour_matrix(cells, k),
                   cover=cover, min_share=float(min_share) if cover == "share" else None,
                   cells_left_out=max(0, left_out))


def cell_boundaries(cells: np.ndarray, decimals: int = 6) -> list[list[list[float]]]:
    """Closed GeoJSON exterior ring (lon, lat; rounded) of each cell."""
    out: list[list[list[float]]] = []
    boundary = h3i.cell_to_boundary
    for c in cells.tolist():
        ring = [[round(lng, decimals), round(lat, decimals)] for lat, lng in boundary(c)]
        ring.append(ring[0])
        out.append(ring)
    return out


def mean_edge_length_m(cells: np.ndarray) -> float:
    """Mean great-circle edge length (m) of the cells, from their vertices (haversine)."""
    if len(cells) == 0:
        return float("nan")
    lat1: list[float] = []
    lon1: list[float] = []
    lat2: list[float] = []
    lon2: list[float] = []
    for c in cells.tolist():
        b = h3i.cell_to_boundary(c)
        nxt = (*b[1:], b[0])
        lat1.extend(p[0] for p in b)
        lon1.extend(p[1] for p in b)
        lat2.extend(p[0] for p in nxt)
        lon2.extend(p[1] for p in nxt)
    la1, lo1, la2, lo2 = (np.radians(np.asarray(v)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return float(np.mean(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))))


def cell_area_km2(cells: np.ndarray) -> float:
    """Mean area (km²) of the cells."""
    if len(cells) == 0:
        return float("nan")
    return float(np.mean([h3i.cell_area(c, "km^2") for c in cells.tolist()]))


def grid_description(grid: HexGrid, k: int = 1) -> dict[str, object]:
    """Method-dict entries describing the grid."""
    sample = grid.cells[:: max(1, grid.n // 50)] if grid.n else grid.cells
    return {
        "grid": "H3",
        "h3_resolution": grid.resolution,
        "mean_edge_length_m": round(mean_edge_length_m(sample), 1) if grid.n else None,
        "mean_cell_area_km2": round(cell_area_km2(sample), 4) if grid.n else None,
        "cells": grid.n,
        "neighbourhood": (
            f"the cell and its {3 * k * (k + 1)} H3 neighbours within {k} ring(s) "
            "(grid_disk), restricted to cells of the study region"
        ),
        "weights": "binary",
        "cover": grid.cover,
        "min_cell_share": grid.min_share,
        "cells_left_out": grid.cells_left_out,
    }
