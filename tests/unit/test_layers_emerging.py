"""Emerging hot spots: Esri categories on constructed series, Mann–Kendall, Gi* per slice."""

from __future__ import annotations

import warnings

import h3
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from shapely.geometry import box

from layers import hexgrid
from layers.emerging import (
    CATEGORIES,
    classify_emerging,
    emerging_hotspots,
    emerging_legend,
    month_slices,
)
from layers.gistar import gi_star, gi_star_slices, gi_star_space_time
from layers.mannkendall import mann_kendall

T = 36


def series(hot_at=(), cold_at=(), t=T):
    hot = np.zeros(t, dtype=bool)
    cold = np.zeros(t, dtype=bool)
    hot[list(hot_at)] = True
    cold[list(cold_at)] = True
    return hot, cold


def category(hot_at=(), cold_at=(), trend=0, t=T, include_cold=True):
    hot, cold = series(hot_at, cold_at, t)
    return classify_emerging(hot[None], cold[None], np.array([trend]), include_cold=include_cold)[0]


ALL = range(T)
LAST = T - 1


@pytest.mark.parametrize(
    ("hot_at", "cold_at", "trend", "expected"),
    [
        ((LAST,), (), 0, "new_hot"),
        ((LAST,), (), 1, "new_hot"),
        ((LAST,), (3,), 0, "new_hot"),  # first time hot: new wins over oscillating
        ((LAST - 2, LAST - 1, LAST), (), 0, "consecutive_hot"),
        ((LAST - 1, LAST), (), 1, "consecutive_hot"),
        (ALL, (), 1, "intensifying_hot"),
        (range(3, T), (), 1, "intensifying_hot"),  # 33/36 = 92 % hot
        (ALL, (), 0, "persistent_hot"),
        ([i for i in ALL if i not in (4, 9, 17)], (), 0, "persistent_hot"),  # 91.7 %, final hot
        (ALL, (), -1, "diminishing_hot"),
        ((2, 10, LAST), (), 0, "sporadic_hot"),
        ((5, LAST - 1, LAST), (), 0, "sporadic_hot"),  # hot before the final run
        ((10, LAST), (3,), 0, "oscillating_hot"),
        ((LAST - 1, LAST), (0,), 0, "consecutive_hot"),  # earlier cold, never hot before the run
        ((5, LAST - 1, LAST), (0,), 0, "oscillating_hot"),
        (range(0, T - 2), (), 0, "historical_hot"),  # 34/36 hot, final two not hot
        (range(0, T - 1), (), -1, "historical_hot"),
        ((), (), 0, "no_pattern"),
        ((4, 5, 6), (), 0, "no_pattern"),  # hot once, not at the end, < 90 %
        (range(0, T - 5), (), 0, "no_pattern"),  # 86 % hot, final not hot
    ],
)
def test_hot_categories_follow_esri_definitions(hot_at, cold_at, trend, expected):
    assert category(hot_at, cold_at, trend) == expected


@pytest.mark.parametrize(
    ("cold_at", "hot_at", "trend", "expected"),
    [
        ((LAST,), (), 0, "new_cold"),
        ((LAST - 2, LAST - 1, LAST), (), 0, "consecutive_cold"),
        (ALL, (), -1, "intensifying_cold"),  # z getting more negative
        (ALL, (), 0, "persistent_cold"),
        (ALL, (), 1, "diminishing_cold"),
        ((2, 10, LAST), (), 0, "sporadic_cold"),
        ((10, LAST), (3,), 0, "oscillating_cold"),
        (range(0, T - 2), (), 0, "historical_cold"),
    ],
)
def test_cold_categories_mirror_hot(cold_at, hot_at, trend, expected):
    assert category(hot_at, cold_at, trend) == expected


def test_cold_patterns_optional():
    assert category((), (LAST,), 0, include_cold=False) == "no_pattern"


def test_ninety_percent_boundary():
    hot9 = [i for i in range(10) if i != 3]  # exactly 90 %, final hot
    assert category(hot9, (), 0, t=10) == "persistent_hot"
    hot8 = [i for i in range(10) if i not in (3, 4)]  # 80 %
    assert category(hot8, (), 0, t=10) == "sporadic_hot"
    assert category(list(range(9)), (), 0, t=10) == "historical_hot"  # 90 %, final not hot


def test_final_slice_pattern_beats_historical_of_other_side():
    # ≥ 90 % hot, then cold in the final slice: a (new) cold spot now, not a historical hot spot
    assert category(range(0, T - 1), (LAST,), 0) == "new_cold"
    assert category([i for i in range(T - 1) if i != 3], (3, LAST), 0) == "oscillating_cold"


def test_hot_and_cold_in_same_slice_rejected():
    with pytest.raises(ValueError):
        category((1,), (1,), 0)


def test_every_category_has_label_and_colour():
    legend = emerging_legend("en")
    assert [r["category"] for r in legend] == list(CATEGORIES)
    assert all(r["label"] and r["color"].startswith("#") for r in legend)


def test_mann_kendall_equals_pymannkendall():
    import pymannkendall as pmk

    rng = np.random.default_rng(5)
    rows = [
        rng.normal(0, 1, 36),
        np.arange(36) * 0.1 + rng.normal(0, 1, 36),
        rng.poisson(2, 36).astype(float),  # many ties
        np.r_[np.zeros(30), rng.normal(2, 1, 6)],
        np.ones(36),
        -np.arange(24, dtype=float),
    ]
    for row in rows:
        n = len(row)
        mine = mann_kendall(row[None, :n])
        ref = pmk.original_test(row)
        assert mine["s"][0] == ref.s
        assert mine["var_s"][0] == pytest.approx(ref.var_s)
        assert mine["z"][0] == pytest.approx(ref.z)
        assert mine["p"][0] == pytest.approx(ref.p)
        assert mine["tau"][0] == pytest.approx(ref.Tau)
        assert mine["trend"][0] == {"increasing": 1, "decreasing": -1, "no trend": 0}[ref.trend]


def test_gi_star_slices_equal_per_slice_gi_star():
    grid = hexgrid.hex_grid(box(674_000, 6_580_000, 676_000, 6_582_000), 9)
    rng = np.random.default_rng(1)
    cube = rng.poisson(1.5, (12, grid.n)).astype(float)
    cube[4] = 0  # a month without events
    z = gi_star_slices(cube, grid.weights)
    for t in range(12):
        np.testing.assert_allclose(z[t], gi_star(cube[t], grid.weights).z, rtol=1e-12, equal_nan=True)
    assert np.isnan(z[4]).all()


def test_space_time_gi_star_equals_esda_on_kron_weights():
    import esda
    import libpysal

    grid = hexgrid.hex_grid(box(674_000, 6_580_000, 675_500, 6_581_500), 9)
    rng = np.random.default_rng(2)
    months, k = 8, 1
    cube = rng.poisson(2, (months, grid.n)).astype(float)
    b = sp.csr_matrix(np.tril(np.ones((months, months))) - np.tril(np.ones((months, months)), -k - 1))
    w_cube = sp.kron(b, grid.weights, format="csr")
    off = w_cube.copy()
    off.setdiag(0)
    off.eliminate_zeros()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.G_Local(cube.ravel(), libpysal.weights.W.from_sparse(off), transform="B",
                           star=True, permutations=0)
    mine = gi_star_space_time(cube, grid.weights, k)
    np.testing.assert_allclose(mine.ravel(), ref.Zs, rtol=1e-10)


def _events_at(cell_xy, counts_by_month, start="2023-01-01"):
    rows = []
    for m, n in enumerate(counts_by_month):
        t = pd.Timestamp(start) + pd.DateOffset(months=m) + pd.Timedelta(days=10)
        rows += [(cell_xy[0], cell_xy[1], t)] * int(n)
    return rows


def _scenario(region, cluster_months, reference: int = 10):
    """Flat background (one event per cell and month) plus a cluster: ``cluster_months`` events
    in a cell and in each of its six neighbours (a hot spot is a high value among high values; a
    lone high cell among low ones is not one under Gi*'s null, only under its normal
    approximation, which these sparse counts are too few for), and a steady cluster of
    ``reference`` events per cell and month elsewhere. Without the steady one the z of a cluster
    on a flat background is √(n − 1) whatever its size (the variance grows with it), so no
    trend could be seen."""
    from h3.api import basic_int as h3i

    from layers._geojson import to_sweref_xy

    grid = hexgrid.hex_grid(region, 9)
    centres = np.array([h3i.cell_to_latlng(c) for c in grid.cells.tolist()])
    cx, cy = to_sweref_xy(centres[:, 1], centres[:, 0])
    inside = [i for i in range(grid.n) if region.contains(box(cx[i] - 1, cy[i] - 1, cx[i] + 1, cy[i] + 1))]
    whole = set(inside)
    centres_ok = [i for i in inside if len(grid.weights[i].indices) == 7 and set(grid.weights[i].indices) <= whole]
    target = centres_ok[len(centres_ok) // 2]  # its whole neighbourhood is inside the region
    steady = centres_ok[0]  # far from the target: a corner of the region
    assert h3.grid_distance(grid.names[steady], grid.names[target]) >= 3  # disjoint, not adjacent
    rows = []
    for i in inside:
        rows += _events_at((cx[i], cy[i]), [1] * T)
    for i in grid.weights[target].indices:  # the cell and its six neighbours
        rows += _events_at((cx[i], cy[i]), cluster_months)
    for i in grid.weights[steady].indices:
        rows += _events_at((cx[i], cy[i]), [reference] * T)
    pts = pd.DataFrame(rows, columns=["x", "y", "occurred_at"]).assign(type="Brand", precision="street")
    return pts, grid.names[target]


@pytest.mark.parametrize(
    ("cluster", "expected"),
    [
        ([25] * T, "persistent_hot"),
        ([0] * (T - 3) + [25, 25, 25], "consecutive_hot"),
        ([0] * (T - 1) + [40], "new_hot"),
        ([10 + m for m in range(T)], "intensifying_hot"),
        ([45 - m for m in range(T)], "diminishing_hot"),
        ([25] * (T - 3) + [0, 0, 0], "historical_hot"),
    ],
)
def test_emerging_end_to_end_on_constructed_events(cluster, expected):
    region = box(674_000, 6_580_000, 677_000, 6_583_000)
    pts, cell = _scenario(region, cluster)
    res = emerging_hotspots(pts, region, months=T, end="2026-01-01")
    assert res.cells.set_index("cell").loc[cell, "category"] == expected
    assert res.method["time_slices"] == T and res.method["points_used"] == len(pts)
    assert list(res.z.columns[[0, -1]]) == ["2023-01", "2025-12"]


def test_emerging_geojson():
    import json

    region = box(674_000, 6_580_000, 676_000, 6_582_000)
    pts, _ = _scenario(region, [25] * T)
    fc = emerging_hotspots(pts, region, months=T, end="2026-01-01").to_geojson()
    json.dumps(fc, allow_nan=False)
    assert set(fc["features"][0]["properties"]) == {"cell", "category", "n_hot", "n_cold", "trend_z",
                                                    "trend_p"}
    assert set(fc) == {"type", "features", "method", "excluded"}


def test_emerging_default_end_and_outside_period():
    region = box(674_000, 6_580_000, 675_000, 6_581_000)
    pts = pd.DataFrame({"x": [674_500.0] * 3, "y": [6_580_500.0] * 3,
                        "occurred_at": ["2020-01-01", "2025-05-03", "2025-06-20"],
                        "type": "Brand", "precision": "exact"})
    res = emerging_hotspots(pts, region, months=24)
    assert res.method["period"] == {"start": "2023-07-01T00:00:00", "end": "2025-07-01T00:00:00"}
    assert res.excluded["outside_period"] == 1


def test_month_slices_requires_month_start():
    assert month_slices("2026-01-01", 3)[2] == ["2025-10", "2025-11", "2025-12"]
    with pytest.raises(ValueError):
        month_slices("2026-01-15", 3)


def test_emerging_36_months_50k_points_gives_a_layer():
    # its speed is measured in bench/ (bench.run: hotspots), not asserted here (issue 15)
    region = box(674_000, 6_580_000, 677_000, 6_583_000)
    rng = np.random.default_rng(0)
    n = 50_000
    t = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 1_090 * 1440, n), unit="min")
    pts = pd.DataFrame({"x": rng.uniform(674_000, 677_000, n), "y": rng.uniform(6_580_000, 6_583_000, n),
                        "occurred_at": t, "type": "Brand", "precision": "exact"})
    fc = emerging_hotspots(pts, region, months=36, end="2026-01-01").to_geojson()
    assert fc["features"]
