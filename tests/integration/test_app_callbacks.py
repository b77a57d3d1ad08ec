"""The app through Flask's test client: layout, dependencies and the callback endpoint."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def client(demo_db_path, data_dir):
    import os

    from config import settings

    old = {k: os.environ.get(k) for k in ("LAGESBILD_DATABASE_URL", "LAGESBILD_DATA_DIR")}
    os.environ["LAGESBILD_DATABASE_URL"] = f"sqlite:///{demo_db_path}"
    os.environ["LAGESBILD_DATA_DIR"] = str(data_dir)
    settings.cache_clear()
    from app import app

    yield app.server.test_client()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    settings.cache_clear()


def _ids(node, out):
    if isinstance(node, dict):
        if "props" in node and isinstance(node["props"], dict):
            if "id" in node["props"]:
                out.add(json.dumps(node["props"]["id"], sort_keys=True) if isinstance(node["props"]["id"], dict)
                        else node["props"]["id"])
            for v in node["props"].values():
                _ids(v, out)
        else:
            for v in node.values():
                _ids(v, out)
    elif isinstance(node, list):
        for v in node:
            _ids(v, out)
    return out


def test_every_callback_id_is_in_the_layout(client):
    layout = client.get("/_dash-layout").get_json()
    ids = _ids(layout, set())
    for contract in ("map", "areas", "area-search", "indicator", "period", "comparison", "list-year", "trend",
                     "lagesbild", "hotspot-toggle", "hotspots", "compare-table", "export", "lang"):
        assert contract in ids, contract
    deps = client.get("/_dash-dependencies").get_json()
    for dep in deps:
        for item in dep["inputs"] + dep["state"]:
            if item["id"].startswith("{"):
                continue  # pattern-matching ids: created with the panels
            assert item["id"] in ids, item["id"]


def _post(client, output: str, view: dict):
    body = {"output": output, "outputs": {"id": output.split(".")[0], "property": output.split(".")[1]},
            "inputs": [{"id": "view", "property": "data", "value": view}], "changedPropIds": ["view.data"],
            "state": []}
    return client.post("/_dash-update-component", json=body)


def test_area_click_through_the_callback_endpoint(client):
    deps = {d["output"] for d in client.get("/_dash-dependencies").get_json()}
    assert {"area-panel.children", "lagesbild.children", "trend.figure"} <= deps
    view = {"area": "74", "indicator": None, "period": "2026-T2", "cmp": "prev_year", "layers": [], "list": 2025,
            "region": None, "lang": "sv", "zoom": True, "changed": ["area"]}
    r = _post(client, "area-panel.children", view)
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "Rinkeby" in text and "indicator-card" in text and "SYNTETISK" in text
    r = _post(client, "lagesbild.children", view)
    assert r.status_code == 200 and "Framsteg" in r.get_data(as_text=True)
    # a view change that does not concern the trend leaves it alone (no redraw, no payload)
    r = _post(client, "trend.figure", {**view, "changed": ["layers"]})
    assert r.status_code in (200, 204) and '"figure"' not in r.get_data(as_text=True)
    r = _post(client, "trend.figure", view)
    assert '"figure"' in r.get_data(as_text=True)
