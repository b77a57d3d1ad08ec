"""The Samverkan section through the HTTP API as the browser uses it: a kommun account sees only its
kommuner, gets no weekly flags (police events) and cannot add places; the police can."""

from __future__ import annotations

import json

import pytest

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


@pytest.fixture(scope="module")
def env(demo_db_path, data_dir, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine, migrate

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("estpage") / "est.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
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
    return c, {"X-CSRFToken": c.get_cookie("_csrf_token").value}


def _dep(deps, output_id: str) -> dict:
    return next(d for d in deps if output_id in d["output"])


def test_kommun_account_sees_its_kommun_without_flags(env):
    app, _ = env
    kp, h = _session(app, "kp1")
    deps = kp.get("/_dash-dependencies", headers=h).get_json()
    values = layout_values(kp.get("/_dash-layout").get_json())
    assert [o["value"] for o in values[("est-kommun", "options")]] == [GOTEBORG]
    assert values[("est-kommun", "value")] == GOTEBORG
    dep = _dep(deps, "est-flags.children")
    values[("est-week", "value")] = "2026-W14"
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["est-week.value"]), headers=h)
    assert r.status_code == 200
    flags = json.dumps(r.get_json()["response"]["est-flags"], ensure_ascii=False)
    assert "visas inte i kommunversionen" in flags and "est-flag-table" not in flags
    values[("est-kommun", "value")] = STOCKHOLM  # a crafted request for another kommun
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["est-kommun.value"]), headers=h)
    assert r.status_code == 403 and "outside the granted kommuner" in r.get_json()["reason"]


def test_places_are_added_by_the_police_only(env):
    app, engine = env
    from store.est_places import places_for

    for user, expect in (("kp1", 0), ("polis1", 1)):
        c, h = _session(app, user)
        deps = c.get("/_dash-dependencies", headers=h).get_json()
        values = layout_values(c.get("/_dash-layout").get_json())
        values.update({("est-week", "value"): "2026-W14", ("est-place-name", "value"): "Hjällbo torg",
                       ("est-place-owner", "value"): "Kommunpolis Berg", ("est-place-reason", "value"): "Oro",
                       ("est-place-add", "n_clicks"): 1, ("est-kommun", "value"): GOTEBORG})
        r = c.post("/_dash-update-component", json=callback_body(_dep(deps, "est-place-status.children"), values,
                                                                  ["est-place-add.n_clicks"]), headers=h)
        assert r.status_code == 200
        assert len(places_for(engine, GOTEBORG, "2026-W15")) == expect
    values[("est-place-owner", "value")] = ""  # a place without an owner is refused
    r = c.post("/_dash-update-component", json=callback_body(_dep(deps, "est-place-status.children"), values,
                                                              ["est-place-add.n_clicks"]), headers=h)
    assert "needs an owner" in json.dumps(r.get_json(), ensure_ascii=False)
    assert len(places_for(engine, GOTEBORG, "2026-W15")) == 1


def test_a_kommun_account_adds_an_observation_for_its_kommun_only(env):
    app, engine = env
    from store.observations import observations_frame

    kp, h = _session(app, "kp1")
    deps = kp.get("/_dash-dependencies", headers=h).get_json()
    values = layout_values(kp.get("/_dash-layout").get_json())
    dep = _dep(deps, "est-obs-status.children")
    values.update({("est-obs-date", "value"): "2026-04-01", ("est-obs-category", "value"): "klotter",
                   ("est-obs-area", "value"): "4", ("est-obs-place", "value"): "Rymdtorget",
                   ("est-obs-org", "value"): "Göteborgs stad", ("est-obs-role", "value"): "trygghetsvärd",
                   ("est-obs-add", "n_clicks"): 1})
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["est-obs-add.n_clicks"]), headers=h)
    assert r.status_code == 200 and "Sparad" in json.dumps(r.get_json(), ensure_ascii=False)
    obs = observations_frame(engine, kommun=GOTEBORG)
    assert len(obs) == 1 and obs.loc[0, "area_id"] == "4" and obs.loc[0, "created_by"] == "kp1"
    values[("est-obs-area", "value")] = "74"  # Rinkeby lies in Stockholm: refused by the store's check
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["est-obs-add.n_clicks"]), headers=h)
    assert "does not hold the place" in json.dumps(r.get_json(), ensure_ascii=False)
    values[("est-obs-area", "value")] = "4"
    values[("est-kommun", "value")] = STOCKHOLM  # another kommun: the gate refuses
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["est-obs-add.n_clicks"]), headers=h)
    assert r.status_code == 403
    values[("est-kommun", "value")] = GOTEBORG
    values[("est-obs-category", "value")] = None  # no category: the import's message
    r = kp.post("/_dash-update-component", json=callback_body(dep, values, ["est-obs-add.n_clicks"]), headers=h)
    assert "unknown category" in json.dumps(r.get_json(), ensure_ascii=False)
    assert len(observations_frame(engine, kommun=GOTEBORG)) == 1


def test_the_police_update_an_action_on_the_page_and_history_is_kept(env, tmp_path):
    """The ledger edited on the page: a status saved is a new row (the old one kept); a done date in
    the future is refused and writes nothing; a kommun account can neither reach another kommun's
    actions (the gate) nor change its own (police roles only)."""
    import datetime as dt

    from store.ledger import current_items, import_ledger, item_history
    from tests.est import files

    app, engine = env
    import_ledger(engine, files.ledger(tmp_path), user="kp", on=dt.date.fromisoformat(files.TODAY))
    status = {it.key: it.status for it in current_items(engine, STOCKHOLM)}
    assert status["H3"] == "planerad"
    c, h = _session(app, "polis1")
    deps = c.get("/_dash-dependencies", headers=h).get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    values[("est-kommun", "value")] = STOCKHOLM
    r = c.post("/_dash-update-component", json=callback_body(_dep(deps, "est-action-pick.options"), values,
                                                              ["est-kommun.value"]), headers=h)
    options = r.get_json()["response"]["est-action-pick"]["options"]
    assert "H3" in [o["value"] for o in options] and all(o["value"].startswith("H") for o in options)
    save = _dep(deps, "est-action-msg.children")
    values.update({("est-action-pick", "value"): "H3", ("est-action-state", "value"): "klar",
                   ("est-action-done", "value"): "2999-01-01", ("est-action-save", "n_clicks"): 1})
    r = c.post("/_dash-update-component", json=callback_body(save, values, ["est-action-save.n_clicks"]), headers=h)
    msg = json.dumps(r.get_json()["response"]["est-action-msg"], ensure_ascii=False)
    assert "Sparat" not in msg and "2999-01-01" in msg  # refused, naming the date
    assert len(item_history(engine, "H3")) == 1
    values[("est-action-done", "value")] = ""  # done today
    r = c.post("/_dash-update-component", json=callback_body(save, values, ["est-action-save.n_clicks"]), headers=h)
    assert "Sparat" in json.dumps(r.get_json()["response"]["est-action-msg"], ensure_ascii=False)
    now = {it.key: it for it in current_items(engine, STOCKHOLM)}["H3"]
    assert now.status == "klar" and now.done_date is not None and now.done_date <= dt.date.today()
    assert len(item_history(engine, "H3")) == 2  # the planned row is kept
    # the kommun account: another kommun is refused by the gate, its own kommun by the callback
    kp, kh = _session(app, "kp1")
    kdeps = kp.get("/_dash-dependencies", headers=kh).get_json()
    kvalues = layout_values(kp.get("/_dash-layout").get_json())
    kvalues.update({("est-kommun", "value"): STOCKHOLM, ("est-action-pick", "value"): "H3",
                    ("est-action-state", "value"): "planerad", ("est-action-save", "n_clicks"): 1})
    ksave = _dep(kdeps, "est-action-msg.children")
    r = kp.post("/_dash-update-component", json=callback_body(ksave, kvalues, ["est-action-save.n_clicks"]), headers=kh)
    assert r.status_code == 403
    kvalues[("est-kommun", "value")] = GOTEBORG
    r = kp.post("/_dash-update-component", json=callback_body(ksave, kvalues, ["est-action-save.n_clicks"]), headers=kh)
    assert "polisen" in json.dumps(r.get_json()["response"]["est-action-msg"], ensure_ascii=False)
    assert len(item_history(engine, "H3")) == 2
