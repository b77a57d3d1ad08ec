"""Significance of Gi* on sparse counts: the exact randomisation test, when it is used and why.

The analytical Gi* p-value is a normal approximation of the randomisation distribution of the
neighbourhood sum. With few events per cell that approximation fails badly: maps of pure chance
get "95 %" hot and cold spots. These tests check the exact distribution against enumeration,
its agreement with the normal one where counts are dense, and the error rates under complete
spatial randomness (CSR) on a real area's grid.
"""

from __future__ import annotations

import os
from itertools import combinations
from math import comb
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from layers import gistar, hexgrid
from layers.hotspots import hotspots

REPO = Path(__file__).resolve().parents[2]
AREAS_2025 = (Path(os.environ.get("LAGESBILD_DATA_DIR") or REPO.parent / "shared" / "data")
              / "utsatta_omraden" / "polisen_2025" / "uso_2025_sweref99tm.geojson")
needs_areas = pytest.mark.skipif(not AREAS_2025.exists(), reason=f"real area polygons missing: {AREAS_2025}")
SIGNIFICANT_95 = ["hot99", "hot95", "cold99", "cold95"]


@pytest.fixture(scope="module")
def grid():
    """The H3 grid over a real area plus 2 km (a few hundred cells)."""
    import geopandas as gpd

    region = gpd.read_file(AREAS_2025).geometry.iloc[0].buffer(2000)
    # events are drawn over the cells in these tests, so no cell is partial: the grid of the
    # first measurements (every touching cell) is kept
    return region, hexgrid.hex_grid(region, 9, cover="overlap")


def brute_force_distribution(y: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros(k * int(y.max()) + 1)
    for subset in combinations(range(len(y)), k):
        out[int(y[list(subset)].sum())] += 1
    return out / comb(len(y), k)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=2, max_size=10), st.integers(1, 7))
def test_sum_distribution_equals_enumeration(values, k):
    y = np.array(values, dtype=float)
    k = min(k, len(y))
    got = gistar.randomisation_sum_distributions(y, [k])[k]
    np.testing.assert_allclose(got, brute_force_distribution(y, k), rtol=1e-12, atol=1e-15)


def test_exact_p_equals_enumeration_on_a_small_grid():
    """Every cell's p against all subsets of its neighbourhood size, on a real H3 patch."""
    import h3

    centre = h3.latlng_to_cell(59.40, 17.94, 9)
    ring2 = sorted(h3.grid_ring(centre, 2))
    cells = sorted(set(h3.grid_disk(centre, 1)) | {ring2[0], ring2[3]})
    index = {c: i for i, c in enumerate(cells)}
    rows, cols = zip(*[(index[c], index[d]) for c in cells for d in h3.grid_disk(c, 1) if d in index],
                      strict=True)
    w = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(cells), len(cells)))
    y = np.array([3, 0, 1, 0, 0, 2, 0, 1, 0], dtype=float)[: len(cells)]
    p = gistar.exact_p(y, w)
    s = w @ y
    for i, k in enumerate(np.diff(w.indptr)):
        d = brute_force_distribution(y, int(k))
        want = min(1.0, 2 * min(d[int(s[i]):].sum(), d[: int(s[i]) + 1].sum()))
        assert p[i] == pytest.approx(want, rel=1e-12), i


def test_exact_p_refuses_what_it_cannot_test():
    w = sp.identity(3, format="csr")
    with pytest.raises(ValueError, match="non-negative integer"):
        gistar.exact_p(np.array([0.5, 1.0, 2.0]), w)
    with pytest.raises(ValueError, match="binary weights"):
        gistar.exact_p(np.array([1.0, 1.0, 2.0]), w * 2.0)
    assert np.isnan(gistar.exact_p(np.zeros(3), w)).all()  # no events: Gi* undefined, as analytically


@needs_areas
def test_exact_p_approaches_the_normal_one_as_counts_grow(grid):
    _, g = grid
    rng = np.random.default_rng(0)
    gaps = []
    for lam in (10, 50, 200):
        y = rng.poisson(lam, g.n).astype(float)
        pa, pe = gistar.gi_star(y, g.weights).p, gistar.exact_p(y, g.weights)
        keep = pa > 0.01
        gaps.append(np.abs(pe[keep] - pa[keep]).max())
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 0.03, gaps


def false_alarm_rate(g, n_events: int, runs: int, seed: int, exact: bool) -> float:
    """Share of maps of pure chance (events uniform over the cells) with any 95 % hot or cold spot."""
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(runs):
        y = np.bincount(rng.integers(0, g.n, n_events), minlength=g.n).astype(float)
        classes = gistar.gi_star_classes(y, g.weights, exact=exact)["class"]
        hits += bool(np.isin(classes, SIGNIFICANT_95).any())
    return hits / runs


@needs_areas
def test_sparse_counts_fool_the_normal_approximation_not_the_exact_test(grid):
    """30 events over a few hundred cells, 200 maps of CSR each: the nominal rate is 5 %."""
    _, g = grid
    assert 150 < g.n < 600
    analytical = false_alarm_rate(g, 30, 200, seed=1, exact=False)
    exact = false_alarm_rate(g, 30, 200, seed=1, exact=True)
    assert analytical > 0.25, analytical  # the reason for the rule (≈ 0.5 measured)
    assert exact <= 0.08, exact  # at most nominal, give or take the simulation's noise


@needs_areas
def test_dense_counts_keep_the_analytical_test_near_its_nominal_rate(grid):
    _, g = grid
    rate = false_alarm_rate(g, int(gistar.ANALYTICAL_MIN_MEAN * g.n), 200, seed=2, exact=False)
    assert rate <= 0.12, rate


@needs_areas
def test_the_exact_test_finds_a_real_cluster_in_sparse_counts(grid):
    """A neighbourhood with 2 extra events in each of its 7 cells, over 30 events of chance."""
    _, g = grid
    w = sp.csr_matrix(g.weights)
    rng = np.random.default_rng(3)
    found = 0
    for _ in range(60):
        y = np.bincount(rng.integers(0, g.n, 30), minlength=g.n).astype(float)
        centre = int(rng.integers(0, g.n))
        while len(w[centre].indices) < 7:  # a whole neighbourhood inside the grid
            centre = int(rng.integers(0, g.n))
        y[w[centre].indices] += 2
        found += gistar.gi_star_classes(y, g.weights, exact=True)["class"][centre].startswith("hot")
    assert found / 60 >= 0.8, found


def test_choose_inference():
    sparse, dense = np.array([0, 1, 0, 2.0]), np.full(4, 12.0)
    assert gistar.choose_inference(sparse, None) == ("exact", 0, "sparse")
    assert gistar.choose_inference(dense, None) == ("analytical", 0, "dense")
    assert gistar.choose_inference(np.array([0.5, 0.2]), None) == ("analytical", 0, "not_counts")
    assert gistar.choose_inference(sparse, 0) == ("analytical", 0, "given")
    assert gistar.choose_inference(dense, 99) == ("permutation", 99, "given")
    with pytest.raises(ValueError, match="permutations"):
        gistar.choose_inference(sparse, -1)


def test_two_sided_permutation_p_does_not_count_ties_as_evidence():
    """An empty cell among empty neighbours: every permutation ties with it. esda's fold calls
    that the most extreme result there is; the two-sided p used by the layers says p = 1."""
    w = sp.csr_matrix(np.array([[1, 1, 0, 0, 0], [1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1],
                                [0, 0, 0, 1, 1]], dtype=float))
    y = np.array([0.0, 0.0, 0.0, 0.0, 4.0])
    esda_style = np.minimum(1.0, 2 * gistar.permutation_p(y, w, permutations=99, seed=0))
    mine = gistar.permutation_p_two_sided(y, w, permutations=99, seed=0)
    assert esda_style[0] == pytest.approx(2 / 100)
    assert mine[0] == 1.0


@needs_areas
def test_one_event_is_no_hot_spot(grid):
    """What the page showed for one shooting before: seven "hot spot" cells around it."""
    region, _ = grid
    x, y = region.centroid.x, region.centroid.y
    pts = pd.DataFrame({"x": [x], "y": [y], "occurred_at": ["2026-02-01"], "type": ["skjutningar"],
                        "precision": ["exact"]})
    default = hotspots(pts, region, period="2026-T1")
    assert default.method["inference_kind"] == "exact" and default.method["inference_choice"] == "sparse"
    assert (default.cells["class"] == "ns").all()
    forced = hotspots(pts, region, period="2026-T1", permutations=0)
    assert forced.method["inference_choice"] == "given"
    assert forced.cells["class"].str.startswith("hot").sum() >= 7
