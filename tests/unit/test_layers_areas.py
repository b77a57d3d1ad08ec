"""Areas layer: payload size on the real 2025 list, properties, boundary changes, choropleth."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import mapclassify
import numpy as np
import pytest
from shapely.geometry import box

from layers.areas import (
    CATEGORY_COLORS,
    areas_geojson,
    areas_payload_bytes,
    boundary_changes,
    category_legend,
    tolerance_for_zoom,
    zoom_range_tolerance,
)
from layers.choropleth import Z_BREAKS, choropleth_hideout, class_breaks, legend
from layers.palettes import HOTSPOT_COLORS, RDBU_LOW_TO_HIGH, SEQUENTIAL

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("LAGESBILD_DATA_DIR") or REPO.parent / "shared" / "data")


UO = data_dir() / "utsatta_omraden"
CATEGORY = {"Utsatt område": "utsatt", "Särskilt utsatt område": "sarskilt_utsatt", "Riskområde": "risk"}


@pytest.fixture(scope="module")
def areas_2025() -> gpd.GeoDataFrame:
    path = UO / "polisen_2025" / "uso_2025_sweref99tm.geojson"
    if not path.exists():
        pytest.skip(f"real area polygons missing: {path}")
    g = gpd.read_file(path)
    return gpd.GeoDataFrame(
        {"id": g["SPECIALOMRADES_ID"].astype(str), "name": g["NAMN"],
         "category": g["KATEGORI"].map(CATEGORY), "ort": g["ORT"]},
        geometry=g.geometry, crs=g.crs,
    ).to_crs(4326)


@pytest.fixture(scope="module")
def areas_2023() -> gpd.GeoDataFrame:
    path = UO / "uo_panel" / "uso_2023.shp"
    if not path.exists():
        pytest.skip(f"real area polygons missing: {path}")
    g = gpd.read_file(path)
    return gpd.GeoDataFrame({"id": g["SPECIALOMR"].astype(str), "name": g["NAMN"],
                             "category": g["KATEGORI"].map(CATEGORY)}, geometry=g.geometry, crs=g.crs)


def test_payload_of_65_areas_is_small(areas_2025):
    assert len(areas_2025) == 65
    for tol in (0.0, 1.0, 5.0, 60.0):
        size = areas_payload_bytes(areas_2025, tolerance_m=tol)
        assert size < 300 * 1024, f"tolerance {tol} m: {size} bytes"
    assert areas_payload_bytes(areas_2025, tolerance_m=5.0) < 80 * 1024
    assert areas_payload_bytes(areas_2025, tolerance_m=60.0) < areas_payload_bytes(areas_2025, tolerance_m=1.0)


def test_features_carry_only_id_and_style(areas_2025):
    fc = areas_geojson(areas_2025, tolerance_m=5.0)
    json.dumps(fc, allow_nan=False)
    assert len(fc["features"]) == 65
    for f in fc["features"]:
        assert set(f["properties"]) == {"id", "name", "category", "color"}
        assert f["id"] == f["properties"]["id"]
        assert f["properties"]["color"] == CATEGORY_COLORS[f["properties"]["category"]]
        coords = np.array(f["geometry"]["coordinates"][0] if f["geometry"]["type"] == "Polygon"
                          else f["geometry"]["coordinates"][0][0])
        assert np.all(np.round(coords, 5) == coords)  # at most 5 decimals
    extra = areas_geojson(areas_2025, extra=["ort"])["features"][0]["properties"]
    assert "ort" in extra


def test_simplification_keeps_area_and_shared_borders(areas_2025):
    import shapely

    fc = areas_geojson(areas_2025, tolerance_m=5.0)
    simplified = gpd.GeoDataFrame.from_features(fc["features"], crs=4326).to_crs(3006)
    original = areas_2025.to_crs(3006)
    ratio = simplified.geometry.area.to_numpy() / original.geometry.area.to_numpy()
    assert np.all(np.abs(ratio - 1) < 0.01)
    # coverage simplification: no new overlaps between neighbouring areas (beyond rounding)
    tree = shapely.STRtree(simplified.geometry.values)
    a, b = tree.query(simplified.geometry.values, predicate="intersects")
    overlap = [simplified.geometry.iloc[i].intersection(simplified.geometry.iloc[j]).area
               for i, j in zip(a, b, strict=True) if i < j]
    assert max(overlap, default=0.0) < 50.0  # m², rounding to 1e-5° only


def test_boundary_changes_between_2023_and_2025(areas_2023, areas_2025):
    ch = boundary_changes(areas_2023, areas_2025, threshold=0.05).set_index("id")
    assert ch.loc["74", "status"] == "added"  # Rinkeby, split from Rinkeby/Tensta
    assert ch.loc["9", "status"] == "changed" and ch.loc["9", "share"] > 0.5  # Tensta
    assert (ch["status"] == "unchanged").sum() > 10
    assert ch.loc[ch["status"] == "unchanged", "share"].max() <= 0.05
    assert set(ch["status"]) <= {"changed", "unchanged", "added", "removed"}


def test_boundary_change_threshold_on_synthetic_squares():
    old = gpd.GeoDataFrame({"id": ["1", "2", "3"], "name": ["A", "B", "C"]},
                           geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 500, 100)],
                           crs=3006)
    new = gpd.GeoDataFrame({"id": ["1", "2", "4"], "name": ["A", "B", "D"]},
                           geometry=[box(0, 0, 100, 100), box(200, 0, 310, 100), box(600, 0, 700, 100)],
                           crs=3006)
    ch = boundary_changes(old, new, threshold=0.05).set_index("id")
    assert ch.loc["1", "status"] == "unchanged" and ch.loc["1", "share"] == 0
    assert ch.loc["2", "share"] == pytest.approx(1000 / 11000)
    assert ch.loc["2", "status"] == "changed"
    assert boundary_changes(old, new, threshold=0.10).set_index("id").loc["2", "status"] == "unchanged"
    assert ch.loc["3", "status"] == "removed" and ch.loc["4", "status"] == "added"


def test_zoom_tolerances():
    assert tolerance_for_zoom(14) < tolerance_for_zoom(10)
    assert zoom_range_tolerance(8) > zoom_range_tolerance(11) > zoom_range_tolerance(15)
    with pytest.raises(ValueError):
        zoom_range_tolerance(30)


def test_category_legend():
    rows = category_legend("sv")
    assert [r["label"] for r in rows] == ["Särskilt utsatt område", "Utsatt område", "Riskområde"]


# --- choropleth -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["quantiles", "natural_breaks"])
def test_classes_equal_mapclassify(method):
    rng = np.random.default_rng(3)
    values = rng.gamma(2.0, 3.3, 65)
    ids = [str(i) for i in range(65)]
    h = choropleth_hideout(dict(zip(ids, values, strict=True)), method=method, k=5)
    ref = (mapclassify.Quantiles(values, k=5) if method == "quantiles"
           else mapclassify.FisherJenks(values, k=5))
    assert h["classes"][1:] == pytest.approx(list(ref.bins[:-1]))
    assert [h["class_index"][i] for i in ids] == ref.yb.tolist()
    assert h["colors"] == list(SEQUENTIAL["YlOrRd"][5])


def test_js_rule_equals_class_index():
    """The style function's rule (last i with v > classes[i]) gives the precomputed class."""
    rng = np.random.default_rng(8)
    values = {str(i): float(v) for i, v in enumerate(rng.poisson(6, 80))}
    h = choropleth_hideout(values, method="quantiles", k=5)
    for key, v in h["values"].items():
        js = 0
        for i, lo in enumerate(h["classes"]):
            if v > lo:
                js = i
        assert js == h["class_index"][key]


def test_integer_counts_get_integer_breaks_and_labels():
    values = {str(i): float(v) for i, v in enumerate([0, 0, 1, 2, 2, 3, 5, 7, 8, 11, 13, 20])}
    h = choropleth_hideout(values, method="quantiles", k=4)
    assert all(float(b).is_integer() for b in h["classes"][1:])
    labels = [r["label"] for r in legend(h, "sv")]
    assert labels[0].startswith("≤ ") and labels[-1].startswith("> ")
    assert all("," not in lab for lab in labels)


def test_diverging_z_scores_with_fixed_breaks_and_swedish_legend():
    z = {"a": -3.1, "b": -2.0, "c": 0.3, "d": 1.7, "e": 2.9, "f": None}
    h = choropleth_hideout(z, kind="diverging", method="fixed", fixed=Z_BREAKS, property="z")
    assert h["classes"][1:] == list(Z_BREAKS)
    assert h["colors"] == list(RDBU_LOW_TO_HIGH[7])
    assert h["class_index"] == {"a": 0, "b": 1, "c": 3, "d": 4, "e": 6, "f": None}
    assert h["values"]["f"] is None
    rows = legend(h, "sv")
    assert rows[0]["label"] == "≤ −2,58"
    assert rows[3]["label"] == "−1,65 – 1,65"
    assert rows[-1]["label"] == "Uppgift saknas"
    assert rows[-2]["color"] == HOTSPOT_COLORS["hot99"]


def test_diverging_breaks_are_symmetric():
    rng = np.random.default_rng(1)
    change = {str(i): float(v) for i, v in enumerate(rng.normal(0, 10, 60))}
    for k in (5, 6, 7):
        h = choropleth_hideout(change, kind="diverging", method="quantiles", k=k)
        inner = np.array(h["classes"][1:])
        np.testing.assert_allclose(np.sort(inner), np.sort(-inner), atol=1e-12)
        assert len(h["colors"]) == len(h["classes"])


def test_fixed_breaks_and_errors():
    assert class_breaks([1, 2, 30], "fixed", fixed=[5, 10]) == [5.0, 10.0, 30.0]
    with pytest.raises(ValueError):
        class_breaks([1, 2], "jenks")
    with pytest.raises(ValueError):
        class_breaks([1, 2], "fixed")
    h = choropleth_hideout({"a": 4.0, "b": 4.0})
    assert h["class_index"] == {"a": 0, "b": 0}
