"""A kommunpartner cannot get points or notes, nor areas outside their kommuner, even by crafting
``POST /_dash-update-component`` requests (the HTTP-level second line of defence)."""

from __future__ import annotations

import pytest

from security.access import Principal, check_callback, output_ids, requested_areas
from testing.harness import (
    TEST_SECRET,
    callback_body,
    configured,
    copy_sqlite,
    flask_login,
    layout_values,
)

PASSWORD = "correct horse battery staple"
GOTEBORG, STOCKHOLM = "1480", "0180"
BERGSJON, RINKEBY = "4", "74"  # areas in Göteborg and Stockholm


@pytest.fixture(scope="module")
def env(demo_db_path, data_dir, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("kp") / "kp.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    create_user(engine, "kp1", "kommunpartner", [GOTEBORG], password=PASSWORD)
    create_user(engine, "polis1", "kommunpolis", password=PASSWORD)
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None}):
        from app import app

        yield app, engine
    engine.dispose()


def _session(app, user):
    c = app.server.test_client()
    assert flask_login(c, user, PASSWORD).status_code == 303
    c.get("/", headers={"Accept": "text/html"})
    token = c.get_cookie("_csrf_token").value
    return c, {"X-CSRFToken": token}


def _view(area):
    return {"area": area, "period": "2026-T1", "layers": ["hotspots", "events", "pois"], "indicator": None,
            "cmp": "prev_year", "list": 2025, "region": None, "lang": "sv"}


def test_no_callback_sends_points_or_notes_to_the_kommun_tier(env):
    app, engine = env
    kp, kp_h = _session(app, "kp1")
    police, police_h = _session(app, "polis1")
    deps = police.get("/_dash-dependencies", headers=police_h).get_json()
    values = layout_values(police.get("/_dash-layout").get_json())
    values[("view", "data")] = _view(BERGSJON)  # an area the partner IS granted
    sensitive = [d for d in deps if any(i in ("events", "hotspots", "pois") or i.startswith("note")
                                        for i in output_ids({"output": d["output"]}))]
    assert sensitive, "the page has hotspot/event/poi callbacks"
    for dep in sensitive:
        body = callback_body(dep, values, ["view.data"])
        r = kp.post("/_dash-update-component", json=body, headers=kp_h)
        assert r.status_code == 403, dep["output"]
        assert "kommun tier" in r.get_json()["reason"]
        # the renderer's `outputs` cannot hide what the server would run (`output`)
        crafted = {**body, "outputs": {"id": "lagesbild", "property": "children"}}
        assert kp.post("/_dash-update-component", json=crafted, headers=kp_h).status_code == 403
        r = police.post("/_dash-update-component", json=body, headers=police_h)
        assert r.status_code in (200, 204), (dep["output"], r.status_code)
    from security.audit import query

    denied = query(engine, user="kp1", action="denied")
    assert len(denied) >= 2 * len(sensitive)


def test_areas_outside_the_granted_kommuner_are_refused(env):
    app, engine = env
    kp, kp_h = _session(app, "kp1")
    deps = kp.get("/_dash-dependencies", headers=kp_h).get_json()
    values = layout_values(kp.get("/_dash-layout").get_json())
    dep = next(d for d in deps
               if any(i["id"] == "view" for i in d["inputs"]) and not d.get("clientside_function")
               and not any(i in ("events", "hotspots", "pois") for i in output_ids({"output": d["output"]})))
    values[("view", "data")] = _view(RINKEBY)
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["view.data"]), headers=kp_h)
    assert r.status_code == 403 and "outside the granted kommuner" in r.get_json()["reason"]
    values[("view", "data")] = _view(BERGSJON)
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["view.data"]), headers=kp_h)
    assert r.status_code in (200, 204)
    # the same area named through the URL query or the search box of the view callback
    view_dep = next((d for d in deps if d["output"].startswith("..view.data")), None)
    if view_dep is not None:
        values[("view", "data")] = _view(None)
        values[("url", "search")] = f"?area={RINKEBY}"
        r = kp.post("/_dash-update-component", json=callback_body(view_dep, values, ["url.search"]), headers=kp_h)
        assert r.status_code == 403
        values[("url", "search")] = ""
        values[("area-search", "value")] = RINKEBY
        r = kp.post("/_dash-update-component", json=callback_body(view_dep, values, ["area-search.value"]),
                    headers=kp_h)
        assert r.status_code == 403
    from security.audit import query

    assert any(row["area_id"] == RINKEBY for row in query(engine, user="kp1", action="denied"))


@pytest.mark.parametrize("body", [
    {"output": "events.data"},
    {"output": "..hotspots.data...hotspot-card.children.."},
    {"output": "pois.data"},
    {"output": "note-editor.value"},
    {"output": "..notes.children...lagesbild.children.."},
    {"output": '{"index":["ALL"],"type":"note-text"}.children'},
    {"output": "lagesbild.children", "outputs": [{"id": {"type": "note", "index": 3}, "property": "children"}]},
    {"output": "lagesbild.children", "outputs": [[{"id": "events", "property": "data"}]]},
])
def test_the_policy_refuses_every_way_of_naming_points_and_notes(body):
    kp = Principal("kp1", "kommunpartner", (GOTEBORG,))
    decision = check_callback(kp, {"inputs": [], "state": [], **body})
    assert not decision.allowed and decision.status == 403
    assert check_callback(Principal("p", "områdespolis"), {"inputs": [], **body}).allowed


def test_requested_areas_reads_every_place_an_area_can_hide():
    body = {"inputs": [{"id": "url", "property": "search", "value": "?period=2026-T1&area=74"},
                       {"id": "areas", "property": "clickData", "value": {"id": "4", "properties": {}}},
                       [{"id": {"type": "card", "index": 1}, "property": "n_clicks", "value": 1}]],
            "state": [{"id": "view", "property": "data", "value": {"area": "17"}},
                      {"id": "area-search", "property": "value", "value": "9"}]}
    assert requested_areas(body) == ["74", "4", "17", "9"]


def test_police_tiers_see_every_area(env):
    body = {"output": "lagesbild.children", "inputs": [{"id": "area-search", "property": "value", "value": "74"}]}
    for role in ("områdespolis", "kommunpolis", "uppföljning", "admin"):
        assert check_callback(Principal("x", role), body).allowed
    assert not check_callback(Principal("kp", "kommunpartner", (GOTEBORG,)), body).allowed
    assert check_callback(Principal("kp", "kommunpartner", (GOTEBORG, STOCKHOLM)), body).allowed
