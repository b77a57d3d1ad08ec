"""Links that last and real data first, on the demo store through the app's callback endpoint:
every period opens, the period list reaches back to the first month with data, the page opens on
the newest period with real data, ended series say so, the real-data switch reaches the exports."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def client(demo_db_path, data_dir):
    import os

    from config import settings

    old = {k: os.environ.get(k) for k in ("LAGESBILD_DATABASE_URL", "LAGESBILD_DATA_DIR", "LAGESBILD_AUTH")}
    os.environ["LAGESBILD_DATABASE_URL"] = f"sqlite:///{demo_db_path}"
    os.environ["LAGESBILD_DATA_DIR"] = str(data_dir)
    os.environ["LAGESBILD_AUTH"] = "none"
    settings.cache_clear()
    from app import app

    yield app.server.test_client()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    settings.cache_clear()


def _layout_values(client) -> dict:
    values = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and isinstance(props.get("id"), str):
                for k, v in props.items():
                    values[(props["id"], k)] = v
            for v in (props or node).values() if isinstance(props, dict) else node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(client.get("/_dash-layout").get_json())
    return values


def _hub(client, search: str, view: dict | None = None) -> dict:
    """Post the URL to the hub as the browser does on a page load (view None) or the back button."""
    deps = client.get("/_dash-dependencies").get_json()
    hub = next(d for d in deps if d["output"].startswith("..view.data"))
    values = _layout_values(client)
    inputs = []
    for i in hub["inputs"]:
        if isinstance(i["id"], str) and i["id"].startswith("{"):
            inputs.append({**i, "value": []})
            continue
        value = search if (i["id"], i["property"]) == ("url", "search") else values.get((i["id"], i["property"]))
        inputs.append({**i, "value": value})
    state = [{**s, "value": view if s["id"] == "view" else values.get((s["id"], s["property"]))} for s in hub["state"]]
    outs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in hub["output"].strip(".").split("...")]
    body = {"output": hub["output"], "outputs": outs, "inputs": inputs, "state": state,
            "changedPropIds": ["url.search"]}
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_json()["response"]


@pytest.mark.parametrize(("search", "period", "label"), [
    ("?area=74&period=2021-T2", "2021-T2", "tertial 2 2021"),
    ("?area=74&period=R12:2024-03", "R12:2024-03", "12 mån t.o.m. mars 2024"),
    ("?area=74&period=YTD:2023-09", "YTD:2023-09", "jan–sep 2023"),
    ("?area=74&period=2016-03", "2016-03", "mars 2016"),
    ("?area=74&period=2027-T1", "2027-T1", "inga data"),
])
def test_every_period_opens_from_the_url(client, search, period, label):
    out = _hub(client, search)
    assert out["view"]["data"]["period"] == period
    options = out["period"]["options"]
    hit = [o for o in options if o["value"] == period]
    assert hit and label in hit[0]["label"]  # the control can show it: Dash 4 clears a value not in its options
    assert "url" not in out  # a page load does not rewrite the URL


def test_the_period_list_reaches_back_to_the_first_month_with_data(client):
    from services.periods import period_choices

    tertials = [o["value"] for o in period_choices("tertial")]
    assert tertials[0] == "2026-T3" and tertials[-1] == "2015-T1" and len(tertials) == 36
    months = [o["value"] for o in period_choices("month")]
    assert months[0] == "2026-11" and months[-1] == "2015-01" and len(months) == 143
    assert {"R12:2024-03", "R12:2016-12"} <= {o["value"] for o in period_choices("r12")}
    assert "YTD:2023-09" in {o["value"] for o in period_choices("ytd")}
    assert [o["value"] for o in period_choices("year")][-1] == "2015"


def test_the_page_opens_on_the_newest_period_with_real_data(client):
    from services.periods import coverage_of, default_period, landing_period, real_period

    assert default_period() == "2026-T2"  # senaste perioden: no real series is complete in it
    assert coverage_of("2026-T2")["real"] == ()
    # the real offence series end 2024-03; their last months are still being registered there
    assert real_period() == "2023-T2" and landing_period() == "2023-T2"
    assert real_period("month") == "2023-09" and real_period("r12") == "R12:2023-09"
    assert len(coverage_of("2023-T2")["real"]) == coverage_of("2023-T2")["n_real"] == 6
    out = _hub(client, "")
    assert out["view"]["data"]["period"] == "2023-T2"
    assert out["period-real"]["aria-pressed"] == "true" and out["period-latest"]["aria-pressed"] == "false"
    assert "T2 2023" in out["period-real"]["children"] and "T2 2026" in out["period-latest"]["children"]


def test_the_newest_period_says_it_has_no_real_series(client):
    out = _hub(client, "?period=2026-T2")
    note = out["period-note"]["children"]
    assert "ingen verklig serie är komplett" in note and "mars 2024" in note


def test_back_to_the_landing_view_redraws_layers_and_zoom(client):
    on_screen = {"area": "74", "indicator": "ran", "period": "2023-T2", "cmp": "prev_year", "layers": ["hotspots"],
                 "hs": "gistar", "metric": "value", "list": 2025, "region": None, "real": False, "lang": "sv"}
    out = _hub(client, "?period=2023-T2&list=2025", on_screen)
    view = out["view"]["data"]
    assert view["area"] is None and view["layers"] == [] and view["zoom"] is True
    assert out["layer-view"]["data"]["layers"] == []  # the hotspot layer is told to go


def test_an_ended_series_says_so_on_the_cards(client):
    body = {"output": "..area-head.children...cards-data.data...trend.figure...trend-card.className..",
            "outputs": [{"id": "area-head", "property": "children"}, {"id": "cards-data", "property": "data"},
                        {"id": "trend", "property": "figure"}, {"id": "trend-card", "property": "className"}],
            "inputs": [{"id": "view", "property": "data", "value": {
                "area": "74", "indicator": None, "period": "2026-T2", "cmp": "prev_year", "layers": [], "list": 2025,
                "region": None, "lang": "sv", "real": False, "changed": None}}],
            "changedPropIds": ["view.data"], "state": []}
    cards = client.post("/_dash-update-component", json=body).get_json()["response"]["cards-data"]["data"]
    car = next(c for c in cards if c["id"] == "brand_i_motorfordon")
    assert car["verdict"] == "ingen bedömning – serien slutade 2024-03"
    assert "ännu inte" not in car["reason"] and "serien slutade 2024-03" in car["reason"]
    body["inputs"][0]["value"]["real"] = True
    cards = client.post("/_dash-update-component", json=body).get_json()["response"]["cards-data"]["data"]
    assert cards and not any(c["synthetic"] for c in cards)
    assert {c["id"] for c in cards} == {"blaljussabotage", "brand", "brand_i_motorfordon", "polisen_handelser",
                                        "upplopp", "vald_mot_polis"}


def test_the_real_data_switch_reaches_the_export(client):
    from services.reports import export_for, gather

    data = gather("74", "2023-T2", real_only=True, with_map=False)
    assert data.summary["indicators"] and not any(i["synthetic"] for i in data.summary["indicators"])
    assert set(data.monthly["indicator_id"]) <= {i["id"] for i in data.summary["indicators"]}
    f, _ = export_for("74", "2023-T2", "csv", real_only=True)
    text = f.content.decode("utf-8-sig", errors="replace")
    assert "Brand i motorfordon" in text and "Narkotikabrott" not in text
    f_all, _ = export_for("74", "2023-T2", "csv")
    assert "Narkotikabrott" in f_all.content.decode("utf-8-sig", errors="replace")


def test_the_real_landing_totals(client):
    from services.page import real_totals

    rows = {r["id"]: r for r in real_totals("2023-T2", "prev_year", "sv", 2025)}
    assert rows["brand_i_motorfordon"]["areas"] >= 60 and rows["brand_i_motorfordon"]["total"] > 0
    assert all(r["areas"] == 0 for r in real_totals("2026-T2", "prev_year", "sv", 2025))
    json.dumps(rows)
