"""Gi* on DeSO polygons with queen contiguity: equal to esda on the real Stockholm polygons."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from layers.deso_gistar import deso_gistar, queen_contiguity

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("LAGESBILD_DATA_DIR") or REPO.parent / "shared" / "data")


STOCKHOLM = data_dir() / "deso" / "polygons" / "deso2018_stockholms_lan_simplified_wgs84.geojson"
GOTEBORG = data_dir() / "deso" / "polygons" / "deso2025_goteborgsregionen_sweref99tm.gpkg"


@pytest.fixture(scope="module")
def stockholm_subset():
    if not STOCKHOLM.exists():
        pytest.skip(f"real DeSO polygons missing: {STOCKHOLM}")
    import geopandas as gpd

    d = gpd.read_file(STOCKHOLM)
    # Järva and surroundings: Stockholm DeSOs north-west of the city plus Sundbyberg and Solna
    d = d[d["kommun"].isin(["0180", "0183", "0184"])].to_crs(3006)
    box = d.total_bounds
    d = d[d.geometry.centroid.x < (box[0] + box[2]) / 2]
    return d.reset_index(drop=True)


def synthetic_counts(gdf, seed: int) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    c = gdf.geometry.centroid
    cx, cy = c.x.to_numpy(), c.y.to_numpy()
    hot = np.hypot(cx - cx[len(cx) // 3], cy - cy[len(cy) // 3]) < 1_500
    lam = np.where(hot, 12.0, 2.0)
    return dict(zip(gdf["id"], rng.poisson(lam).tolist(), strict=True))


@pytest.mark.parametrize("tolerance", [0.0, 5.0])
def test_deso_gi_star_equals_esda_on_same_weights(stockholm_subset, tolerance):
    import esda
    import libpysal

    counts = synthetic_counts(stockholm_subset, seed=11)
    res = deso_gistar(stockholm_subset, counts, tolerance_m=tolerance)
    w = queen_contiguity(stockholm_subset.geometry, tolerance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        W = libpysal.weights.W.from_sparse(w)
        ref = esda.G_Local(np.array([counts[i] for i in stockholm_subset["id"]], float), W,
                           transform="B", star=True, permutations=0)
    np.testing.assert_allclose(res.units["z"].to_numpy(), ref.Zs, rtol=1e-10, atol=1e-12)
    assert len(stockholm_subset) > 150
    assert (res.units["class"].str.startswith("hot")).any()


def test_queen_contiguity_equals_libpysal_fuzzy_on_simplified_polygons(stockholm_subset):
    from libpysal.graph import Graph

    mine = queen_contiguity(stockholm_subset.geometry).toarray()
    g = Graph.build_fuzzy_contiguity(stockholm_subset.geometry, predicate="intersects")
    ref = np.zeros_like(mine)
    adj = g.adjacency.reset_index()
    adj = adj[adj["focal"] != adj["neighbor"]]
    ref[adj["focal"].to_numpy(), adj["neighbor"].to_numpy()] = adj["weight"].to_numpy()
    assert mine.sum() > 3 * len(stockholm_subset)
    np.testing.assert_array_equal(mine, ref)


def test_queen_contiguity_equals_libpysal_strict_queen_on_a_true_coverage():
    if not GOTEBORG.exists():
        pytest.skip(f"real DeSO polygons missing: {GOTEBORG}")
    import geopandas as gpd
    from libpysal.graph import Graph

    g = gpd.read_file(GOTEBORG)
    g = g[g["kommunkod"] == "1480"].reset_index(drop=True)  # Göteborg, full resolution
    mine = queen_contiguity(g.geometry).toarray()
    ref_graph = Graph.build_contiguity(g.geometry, rook=False, strict=True)
    ref = np.zeros_like(mine)
    adj = ref_graph.adjacency.reset_index()
    adj = adj[(adj["focal"] != adj["neighbor"]) & (adj["weight"] > 0)]
    ref[adj["focal"].to_numpy(), adj["neighbor"].to_numpy()] = 1.0
    assert len(g) > 300 and mine.sum() > 3 * len(g)
    np.testing.assert_array_equal(mine, ref)


def test_missing_units_are_zero_and_unknown_ids_reported(stockholm_subset):
    ids = stockholm_subset["id"].tolist()
    res = deso_gistar(stockholm_subset, {ids[0]: 5, "9999X0000": 3})
    assert res.units.set_index("id").loc[ids[1], "count"] == 0
    assert res.excluded == {"unknown_unit": 3}
    assert res.method["contiguity"] == "queen" and res.method["points_used"] == 5


def test_polygon_geojson_contract(stockholm_subset):
    res = deso_gistar(stockholm_subset, synthetic_counts(stockholm_subset, seed=2))
    fc = res.to_geojson(tolerance_m=5)
    json.dumps(fc, allow_nan=False)
    f = fc["features"][0]
    assert list(f["properties"]) == ["id", "count", "z", "p", "p_adjusted", "class"]
    assert f["id"] == f["properties"]["id"]
    assert set(fc) == {"type", "features", "method", "excluded"}


def test_duplicate_ids_rejected(stockholm_subset):
    import pandas as pd

    doubled = pd.concat([stockholm_subset.iloc[:3], stockholm_subset.iloc[:1]])
    with pytest.raises(ValueError, match="duplicate"):
        deso_gistar(doubled, {})
