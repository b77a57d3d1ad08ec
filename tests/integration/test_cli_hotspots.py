"""`cli.py hotspots`: the stable hex Gi* contract, from the store or from a file of points."""

from __future__ import annotations

import json

import numpy as np
import pytest

import cli
from config import settings

CLASSES = {"hot99", "hot95", "hot90", "ns", "cold90", "cold95", "cold99"}


@pytest.fixture
def run(demo_db_path, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("LAGESBILD_DATABASE_URL", f"sqlite:///{demo_db_path}")
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    settings.cache_clear()

    def go(*argv):
        code = cli.main([str(a) for a in argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    yield go
    settings.cache_clear()


def test_geojson_contract(run):
    code, out, _ = run("hotspots", "--area", "74", "--period", "2026-T2", "--indicator", "narkotikabrott")
    assert code == 0
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 20
    props = [f["properties"] for f in fc["features"]]
    assert all(set(p) == {"cell", "count", "z", "p", "p_adjusted", "class"} for p in props)
    assert {p["class"] for p in props} <= CLASSES
    assert all(p["p_adjusted"] >= p["p"] - 1e-12 for p in props)  # BH never lowers a p-value
    # the class follows the sign of z and the FDR-adjusted p (99 % ⇔ p_adj ≤ 0.01)
    for p in props:
        if p["class"] == "ns":
            assert p["p_adjusted"] > 0.10
        else:
            level = {"99": 0.01, "95": 0.05, "90": 0.10}[p["class"][-2:]]
            assert p["p_adjusted"] <= level and (p["z"] > 0) == p["class"].startswith("hot")
    # Rinkeby + 300 m has 24 cells ≥ 90 % inside at resolution 9, too few: 'auto' takes 10
    assert fc["method"]["method"] == "Getis-Ord Gi*" and fc["method"]["h3_resolution"] == 10
    assert fc["method"]["resolution_rule"].startswith("auto")
    assert fc["method"]["points_used"] == sum(p["count"] for p in props)
    assert "outside_study_region" in fc["excluded"]
    # additions of 0.2.0: the grid is the cells ≥ 90 % inside the study region, the rest counted
    assert fc["method"]["cover"] == "share" and fc["method"]["min_cell_share"] == 0.9
    assert fc["method"]["cells"] == len(props) and fc["method"]["cells_left_out"] > 0
    assert "outside_analysed_cells" in fc["excluded"]


def test_events_file_and_json_format(run, tmp_path):
    import shapely

    from services.layers import study_region

    rng = np.random.default_rng(4)
    region = study_region("74", 0)
    c = region.centroid
    minx, miny, maxx, maxy = region.bounds
    bx, by = rng.uniform(minx, maxx, 800), rng.uniform(miny, maxy, 800)
    inside = shapely.contains_xy(region, bx, by)
    # a cluster (σ = 150 m) on a background spread over the area
    xs = np.concatenate([c.x + rng.normal(0, 150, 200), bx[inside][:100]])
    ys = np.concatenate([c.y + rng.normal(0, 150, 200), by[inside][:100]])
    lines = ["tid;typ;x;y;precision"] + [f"2026-06-0{1 + i % 9} 12:00;test;{x:.1f};{y:.1f};exact" for i, (x, y) in enumerate(zip(xs, ys, strict=True))]
    lines += ["2026-06-01 12:00;test;670000;6580000;kommun"]  # imprecise: excluded, counted
    path = tmp_path / "pts.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, _ = run("hotspots", "--area", "74", "--period", "2026-T2", "--events", path, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["excluded"]["imprecise_location_kommun"] == 1
    left_out = data["excluded"]["outside_study_region"] + data["excluded"]["outside_analysed_cells"]
    assert sum(c["count"] for c in data["cells"]) + left_out == 300
    assert any(c["class"] == "hot99" for c in data["cells"])  # a tight cluster is found


def test_unknown_area_is_invalid_input(run):
    code, _, err = run("hotspots", "--area", "9999", "--period", "2026-T2")
    assert code == 2 and "9999" in err
