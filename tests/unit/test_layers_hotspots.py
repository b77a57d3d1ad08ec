"""Hex-grid Gi* hotspots: equal to esda on real area polygons, FDR classes, exclusions, contract."""

from __future__ import annotations

import ast
import importlib.util
import os
import warnings
from pathlib import Path

import h3
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from layers import gistar, hexgrid
from layers._geojson import to_wgs84_xy
from layers.hotspots import CELL_COLUMNS, hotspot_legend, hotspots

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("LAGESBILD_DATA_DIR") or REPO.parent / "shared" / "data")


AREAS_2025 = data_dir() / "utsatta_omraden" / "polisen_2025" / "uso_2025_sweref99tm.geojson"
needs_areas = pytest.mark.skipif(not AREAS_2025.exists(), reason=f"real area polygons missing: {AREAS_2025}")


@pytest.fixture(scope="module")
def areas_2025():
    import geopandas as gpd

    return gpd.read_file(AREAS_2025)


def clustered_points(region: shapely.Geometry, n: int, seed: int, precision=None) -> pd.DataFrame:
    """Uniform background over the region's bounding box + three Gaussian clusters centred in
    the region."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = region.bounds
    x = rng.uniform(minx, maxx, n)
    y = rng.uniform(miny, maxy, n)
    k = n // 3
    cx, cy = rng.uniform(minx, maxx, 200), rng.uniform(miny, maxy, 200)
    inside = shapely.contains_xy(region, cx, cy)
    centres = np.column_stack([cx[inside][:3], cy[inside][:3]])
    which = rng.integers(0, 3, k)
    x[:k] = centres[which, 0] + rng.normal(0, 120, k)
    y[:k] = centres[which, 1] + rng.normal(0, 120, k)
    t = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730 * 1440, n), unit="min")
    prec = precision if precision is not None else rng.choice(["exact", "street"], n)
    return pd.DataFrame({"id": np.arange(n), "x": x, "y": y, "occurred_at": t, "type": "Brand",
                         "precision": prec})


def esda_w_from_h3(cells: list[str]):
    """libpysal W built independently: H3 ring-1 neighbours (string API) within the cell set."""
    import libpysal

    inside = set(cells)
    neighbours = {i: [] for i in range(len(cells))}
    index = {c: i for i, c in enumerate(cells)}
    for c in cells:
        neighbours[index[c]] = sorted(index[r] for r in h3.grid_ring(c, 1) if r in inside)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands warning
        return libpysal.weights.W(neighbours, silence_warnings=True)


@needs_areas
@pytest.mark.parametrize("row", [0, 20, 47])
def test_gi_star_equals_esda_on_real_area(areas_2025, row):
    import esda

    region = areas_2025.geometry.iloc[row].buffer(1_000)  # enough cells for Gi* to find clusters
    pts = clustered_points(region, 4_000, seed=row)
    res = hotspots(pts, region)
    cells = res.cells["cell"].tolist()
    y = res.cells["count"].to_numpy(dtype=float)
    w = esda_w_from_h3(cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(res.cells["z"].to_numpy(), ref.Zs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res.cells["p"].to_numpy(), 2 * ref.p_norm, rtol=1e-10, atol=1e-15)
    assert (res.cells["class"] != "ns").any(), "clustered points should give some hot spots"


@needs_areas
def test_neighbour_matrix_is_ring1_within_region(areas_2025):
    region = areas_2025.geometry.iloc[5]
    grid = hexgrid.hex_grid(region, 9)
    w = grid.weights.toarray()
    assert (np.diag(w) == 1).all() and (w == w.T).all()
    names = grid.names
    for i in range(0, grid.n, 7):
        expected = {j for j, c in enumerate(names) if c in set(h3.grid_ring(names[i], 1))}
        assert set(np.flatnonzero(w[i])) - {i} == expected
    assert w.sum(axis=1).max() <= 7


def test_permutation_p_equals_esda_p_sim():
    import esda
    import libpysal

    if importlib.util.find_spec("numba") is not None:
        pytest.skip("esda draws permutations with numba's RNG when numba is installed")
    grid = hexgrid.hex_grid(box(674_000, 6_580_000, 676_000, 6_582_000), 9)
    rng = np.random.default_rng(4)
    y = rng.poisson(3, grid.n).astype(float)
    y[:6] += 12
    off = grid.weights.copy()
    off.setdiag(0)
    off.eliminate_zeros()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.G_Local(y, libpysal.weights.W.from_sparse(off), transform="B", star=True,
                           permutations=199, seed=2024, n_jobs=1)
    mine = gistar.permutation_p(y, grid.weights, permutations=199, seed=2024)
    np.testing.assert_allclose(mine, ref.p_sim, atol=1e-6)  # esda stores float32


def test_fdr_classes_equal_statsmodels_reference():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(7)
    z = np.concatenate([rng.normal(0, 1, 300), rng.normal(3, 1, 40), rng.normal(-3, 1, 30)])
    p = gistar.two_sided_p(z)
    p_adj = gistar.benjamini_hochberg(p)
    classes = gistar.classify(z, p_adj)
    ref = np.full(len(z), "ns", dtype=object)
    for suffix, alpha in (("90", 0.10), ("95", 0.05), ("99", 0.01)):
        reject = multipletests(p, alpha=alpha, method="fdr_bh")[0]
        ref[reject & (z > 0)] = f"hot{suffix}"
        ref[reject & (z < 0)] = f"cold{suffix}"
    assert classes.tolist() == ref.tolist()
    assert {"hot99", "cold99", "ns"} <= set(classes)


def test_classes_use_adjusted_not_raw_p():
    z = np.array([2.0, 0.1, 0.2, 0.3, 0.1, -0.2, 0.0, 0.4, 0.1, 0.05])  # one raw p = 0.0455
    res = gistar.classify(z, gistar.benjamini_hochberg(gistar.two_sided_p(z)))
    assert res[0] == "ns"


def test_precision_and_region_exclusions_are_counted():
    region = box(674_000, 6_580_000, 675_000, 6_581_000)
    rows = (
        [(674_500.0, 6_580_500.0, "exact", "2025-03-01")] * 5
        + [(674_500.0, 6_580_500.0, "street", "2025-03-02")] * 2
        + [(674_500.0, 6_580_500.0, "kommun", "2025-03-01")] * 3
        + [(674_500.0, 6_580_500.0, "lan", "2025-03-01")]
        + [(674_500.0, 6_580_500.0, "deso", "2025-03-01")] * 2
        + [(674_500.0, 6_580_500.0, "gps?", "2025-03-01")]
        + [(np.nan, 6_580_500.0, "exact", "2025-03-01")] * 4
        + [(690_000.0, 6_580_500.0, "exact", "2025-03-01")] * 6
        + [(674_500.0, 6_580_500.0, "exact", "2024-12-31T23:59:59")] * 2
        + [(674_500.0, 6_580_500.0, "exact", None)]
    )
    pts = pd.DataFrame(rows, columns=["x", "y", "precision", "occurred_at"]).assign(type="Rån")
    res = hotspots(pts, region, period="2025-03")
    ex = res.excluded
    assert ex["imprecise_location_kommun"] == 3
    assert ex["imprecise_location_lan"] == 1
    assert ex["imprecise_location_deso"] == 2
    assert ex["unknown_precision"] == 1
    assert ex["missing_coordinates"] == 4
    assert ex["outside_study_region"] == 6
    assert ex["outside_period"] == 2
    assert ex["missing_time"] == 1
    assert res.method["points_used"] == 7 == int(res.cells["count"].sum())
    assert sum(ex.values()) + 7 == len(pts)


def test_type_filter_and_empty_cells_are_zeros():
    region = box(674_000, 6_580_000, 676_000, 6_582_000)
    pts = pd.DataFrame({"x": [674_600.0, 674_600.0, 675_400.0], "y": [6_581_000.0] * 3,
                        "occurred_at": "2025-01-05", "type": ["Rån", "Brand", "Rån"],
                        "precision": "exact"})
    res = hotspots(pts, region, types=["Rån"])
    assert res.cells["count"].sum() == 2
    assert (res.cells["count"] == 0).sum() == len(res.cells) - 2
    assert res.method["event_types"] == ["Rån"]


def test_no_points_gives_ns_and_null_z():
    region = box(674_000, 6_580_000, 675_000, 6_581_000)
    pts = pd.DataFrame(columns=["x", "y", "occurred_at", "type", "precision"])
    res = hotspots(pts, region)
    assert (res.cells["class"] == "ns").all()
    fc = res.to_geojson()
    assert all(f["properties"]["z"] is None for f in fc["features"])


def test_geojson_contract():
    import json

    region = box(674_000, 6_580_000, 676_000, 6_582_000)
    res = hotspots(clustered_points(region, 3_000, seed=3), region, period=("2024-01-01", "2025-01-01"))
    fc = res.to_geojson()
    json.dumps(fc, allow_nan=False)  # strict JSON
    assert fc["type"] == "FeatureCollection"
    assert set(fc) == {"type", "features", "method", "excluded"}
    for f in fc["features"]:
        assert list(f["properties"]) == CELL_COLUMNS
        assert h3.is_valid_cell(f["properties"]["cell"])
        ring = f["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and 16 < ring[0][0] < 20 and 58 < ring[0][1] < 61
    m = fc["method"]
    for key in ("method", "h3_resolution", "mean_edge_length_m", "neighbourhood", "weights",
                "fdr_alpha", "period", "points_used", "study_region_km2"):
        assert key in m
    assert m["h3_resolution"] == 9 and 150 < m["mean_edge_length_m"] < 200
    assert m["period"] == {"start": "2024-01-01T00:00:00", "end": "2025-01-01T00:00:00"}
    assert fc["excluded"]["outside_period"] > 0
    legend = hotspot_legend("sv")
    assert [r["class"] for r in legend] == ["hot99", "hot95", "hot90", "ns", "cold90", "cold95", "cold99"]


def test_permutation_inference_changes_p_not_z():
    region = box(674_000, 6_580_000, 676_000, 6_582_000)
    pts = clustered_points(region, 2_000, seed=9)
    a = hotspots(pts, region)
    b = hotspots(pts, region, permutations=99, seed=1)
    c = hotspots(pts, region, permutations=99, seed=1)
    np.testing.assert_array_equal(a.cells["z"], b.cells["z"])
    assert not np.allclose(a.cells["p"], b.cells["p"])
    assert b.cells["p"].min() >= 2 / 100  # two-sided pseudo p is at least 2/(P+1)
    pd.testing.assert_frame_equal(b.cells, c.cells)  # seeded
    assert b.method["permutations"] == 99


@settings(max_examples=25, deadline=None)
@given(
    x0=st.floats(300_000, 880_000),
    y0=st.floats(6_150_000, 7_600_000),
    size=st.floats(300, 25_000),
    res=st.integers(7, 11),
    seed=st.integers(0, 2**16),
)
def test_vectorised_cell_assignment_equals_h3(x0, y0, size, res, seed):
    rng = np.random.default_rng(seed)
    x = x0 + rng.uniform(0, size, 5_000)
    y = y0 + rng.uniform(0, size, 5_000)
    x[:50] = np.round(x[:50])  # some coordinates on whole metres, duplicated below
    x[50:100], y[50:100] = x[:50], y[:50]
    fast = hexgrid.points_to_cells(x, y, res)
    lon, lat = to_wgs84_xy(x, y)
    exact = np.array([h3.str_to_int(h3.latlng_to_cell(a, b, res)) for a, b in zip(lat, lon, strict=True)],
                     dtype=np.uint64)
    np.testing.assert_array_equal(fast, exact)


def test_vectorised_path_is_used_for_a_typical_area(monkeypatch):
    """The lattice snap must handle almost every point itself (the exact call is the fallback)."""
    seen = []
    exact = hexgrid.points_to_cells_exact

    def counting(x, y, res):
        seen.append(len(x))
        return exact(x, y, res)

    monkeypatch.setattr(hexgrid, "points_to_cells_exact", counting)
    rng = np.random.default_rng(0)
    x = 674_000 + rng.uniform(0, 3_000, 20_000)
    y = 6_580_000 + rng.uniform(0, 3_000, 20_000)
    cells = hexgrid.points_to_cells(x, y, 9)
    assert sum(seen) < 0.02 * len(x), f"{sum(seen)} of {len(x)} points needed the exact call"
    monkeypatch.undo()
    np.testing.assert_array_equal(cells, hexgrid.points_to_cells_exact(x, y, 9))


def test_vectorised_assignment_across_icosahedron_face_edge():
    """A region straddling an H3 face edge in Sweden: the lattice fit must not be trusted there."""
    found = None
    for lat in np.arange(55.5, 69.0, 0.05):
        for lng in np.arange(11.5, 23.5, 0.05):
            c = h3.latlng_to_cell(lat, lng, 6)
            if len(h3.get_icosahedron_faces(c)) > 1:
                found = (lat, lng)
                break
        if found:
            break
    assert found, "expected an icosahedron face edge to cross Sweden"
    from layers._geojson import to_sweref_xy

    cx, cy = to_sweref_xy(np.array([found[1]]), np.array([found[0]]))
    rng = np.random.default_rng(0)
    x = cx[0] + rng.uniform(-8_000, 8_000, 20_000)
    y = cy[0] + rng.uniform(-8_000, 8_000, 20_000)
    for res in (8, 9, 10):
        assert np.array_equal(hexgrid.points_to_cells(x, y, res), hexgrid.points_to_cells_exact(x, y, res))


def test_choose_resolution():
    assert hexgrid.choose_resolution(3.0) == 9
    assert hexgrid.choose_resolution(0.5) == 10
    assert hexgrid.choose_resolution(20_000) < 9
    with pytest.raises(ValueError):
        hexgrid.choose_resolution(0)


def test_gi_star_undefined_cases_are_nan():
    w = sp.identity(3, format="csr") + sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0.0]]))
    assert np.isnan(gistar.gi_star(np.zeros(3), w).z).all()
    assert np.isnan(gistar.gi_star(np.full(3, 2.0), w).z).all()


@needs_areas
def test_hotspots_50k_points_gives_a_layer(areas_2025):
    """50,000 points in one area: a complete layer (its speed is measured in bench/, issue 15)."""
    region = areas_2025.geometry.iloc[1].buffer(300)
    pts = clustered_points(region, 50_000, seed=1)
    res = hotspots(pts, region)
    assert len(res.to_geojson()["features"]) > 0


def test_layers_never_import_dash_store_or_sql():
    forbidden = {"dash", "dash_leaflet", "store", "sqlalchemy", "flask", "app", "callbacks"}
    for path in (REPO / "layers").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
