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
    """Post the view to the callback whose output string is ``output`` (one or several outputs); its
    other inputs (e.g. the lägesbild's notes-saved counter) get None."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    outs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if d["output"] == output)
    inputs = [{**i, "value": view if i["property"] == "data" and "view" in i["id"] else None} for i in dep["inputs"]]
    body = {"output": output, "outputs": outs if len(outs) > 1 else outs[0],
            "inputs": inputs, "changedPropIds": [f"{dep['inputs'][0]['id']}.data"], "state": []}
    return client.post("/_dash-update-component", json=body)


PANELS = "..area-head.children...cards-data.data...trend.figure...trend-card.className.."


def test_area_click_through_the_callback_endpoint(client):
    deps = {d["output"] for d in client.get("/_dash-dependencies").get_json()}
    assert {PANELS, "lagesbild.children"} <= deps
    view = {"area": "74", "indicator": None, "period": "2026-T2", "cmp": "prev_year", "layers": [], "list": 2025,
            "region": None, "lang": "sv", "zoom": True, "changed": ["area"]}
    r = _post(client, PANELS, view)
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "Rinkeby" in text and "SYNTETISK" in text
    cards = r.get_json()["response"]["cards-data"]["data"]
    assert len(cards) >= 10 and {"id", "name", "value", "cmp", "rag", "rag_label", "verdict", "reason"} <= set(cards[0])
    assert all(c["reason"] for c in cards if c["rag"] != "grey")  # no colour without a reason
    r = _post(client, "lagesbild.children", view)
    assert r.status_code == 200 and "Framsteg" in r.get_data(as_text=True)
    # a view change that concerns neither the cards nor the trend leaves both alone (no payload)
    r = _post(client, PANELS, {**view, "indicator": "ran", "changed": ["layers"]})
    assert r.status_code in (200, 204) and '"figure"' not in r.get_data(as_text=True)
    assert "cards-data" not in r.get_data(as_text=True)
    # click 2 sends the trend only: the chosen card is marked in the browser (markSelected)
    r = _post(client, PANELS, {**view, "indicator": "ran", "changed": ["indicator"]})
    assert '"figure"' in r.get_data(as_text=True) and "cards-data" not in r.get_data(as_text=True)
    assert r.get_json()["response"]["trend-card"]["className"] == "trend-card"


def test_an_area_click_leaves_the_compare_table_alone():
    from dash import no_update

    from callbacks.view import compare_view

    view = {"area": "74", "period": "2026-T2", "changed": ["area"]}
    assert compare_view(view, from_url=False) is no_update
    assert compare_view({**view, "changed": ["indicator"]}, from_url=False)["area"] == "74"
    assert compare_view(view, from_url=True) is view
    drawn = {"period": "2026-T2", "indicator": None}
    assert compare_view({**view, "indicator": "ran"}, False, drawn, visible=False) is no_update  # off screen


def test_the_empty_trend_chart_is_not_redrawn_for_nothing(client):
    """An area click with no indicator leaves the (already empty) chart alone; clearing the area
    while an indicator is chosen does redraw it."""
    def outputs(v):
        r = _post(client, PANELS, v)
        return r.get_json()["response"] if r.status_code == 200 else {}

    view = {"area": "74", "indicator": None, "period": "2026-T2", "cmp": "prev_year", "layers": [], "list": 2025,
            "region": None, "lang": "sv", "zoom": True, "changed": ["area"]}
    assert "trend" not in outputs(view)
    cleared = outputs({**view, "area": None, "indicator": "ran"})
    assert "Välj ett område och en indikator" in json.dumps(cleared["trend"], ensure_ascii=False)
    assert "trend" in outputs({**view, "changed": None})  # page load: everything drawn
