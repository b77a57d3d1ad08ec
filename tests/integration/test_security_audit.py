"""A complete audit log (issue 12, item 7): imports, notes, exports (page and CLI), user
administration and denials each leave a row with user, object and time; a request whose row cannot
be written is refused with 503; bad audit queries and unknown regions are 400 with a reason."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

import cli
from testing.harness import (
    TEST_SECRET,
    callback_body,
    configured,
    copy_sqlite,
    flask_login,
    layout_values,
)

PASSWORD = "correct horse battery staple"
PERIOD = "2026-T1"


@pytest.fixture(scope="module")
def store(demo_db_path, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("audit") / "a.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    create_user(engine, "admin1", "admin", password=PASSWORD)
    create_user(engine, "polis1", "områdespolis", password=PASSWORD)
    create_user(engine, "kp1", "kommunpartner", ["1480"], password=PASSWORD)
    yield path, engine
    engine.dispose()


@pytest.fixture
def app(store, data_dir):
    path, engine = store
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None, "LAGESBILD_USER": "importör"}):
        from app import app

        yield app, engine


def rows(engine, action: str) -> list[dict]:
    from security.audit import query

    return query(engine, action=action, limit=100)


def last(engine, action: str) -> dict:
    r = rows(engine, action)
    assert r, f"no {action} row"
    return {**r[0], "detail": json.loads(r[0]["detail"]) if r[0]["detail"] else None}


def logged_in(app, name: str):
    c = app.server.test_client()
    assert flask_login(c, name, PASSWORD).status_code == 303
    c.get("/", headers={"Accept": "text/html"})
    return c, {"X-CSRFToken": c.get_cookie("_csrf_token").value}


def compare_download(c, headers, region: str, button: str = "compare-csv"):
    deps = c.get("/_dash-dependencies").get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    dep = next(d for d in deps if d["output"].startswith("compare-download."))
    values[("view", "data")] = {"area": None, "period": PERIOD, "cmp": "prev_year", "list": 2025,
                                "region": region, "lang": "sv", "indicator": None, "layers": []}
    values[(button, "n_clicks")] = 1
    return c.post("/_dash-update-component", json=callback_body(dep, values, [f"{button}.n_clicks"]),
                  headers=headers)


def test_imports_notes_and_cli_exports_are_audited(app, tmp_path, capsys):
    _, engine = app
    csv = tmp_path / "v.csv"
    csv.write_text("Område;Indikator;Månad;Värde\n74;ran;2025-01;3\n", "utf-8")
    assert cli.main(["import-indicators", str(csv)]) == 0
    row = last(engine, "import")
    assert row["user"] == "importör" and row["layer"] == "indicators" and row["at"]
    assert row["detail"]["status"] == "imported" and row["detail"]["file"].endswith("v.csv")
    assert len(row["detail"]["sha256"]) == 64 and row["detail"]["rows_accepted"] == 1
    assert cli.main(["import-indicators", str(csv)]) == 0
    assert last(engine, "import")["detail"]["status"] == "unchanged"
    # notes from the command line
    assert cli.main(["note", "add", "--area", "74", "--period", PERIOD, "--section", "problem",
                     "--text", "Oro vid torget", "--author", "anna"]) == 0
    added = last(engine, "note_add")
    assert (added["user"], added["area_id"], added["period"]) == ("anna", "74", PERIOD)
    note_id = added["detail"]["note_id"]
    assert cli.main(["note", "edit", "--id", str(note_id), "--text", "Lugnare", "--author", "bo"]) == 0
    edited = last(engine, "note_edit")
    assert edited["user"] == "bo" and edited["detail"]["supersedes"] == note_id
    # data written out by the command line
    capsys.readouterr()
    assert cli.main(["compare", "--region", "Stockholm", "--period", PERIOD, "--format", "csv"]) == 0
    assert cli.main(["summary", "--area", "74", "--period", PERIOD]) == 0
    exports = rows(engine, "export")
    assert {json.loads(r["detail"])["command"] for r in exports[:2]} == {"compare", "summary"}
    assert all(r["user"] == "importör" and r["period"] == PERIOD for r in exports[:2])
    out = tmp_path / "r.csv"
    assert cli.main(["report", "--area", "74", "--period", PERIOD, "--format", "csv", "--out", str(out),
                     "--author", "cecilia", "--purpose", "samverkansmöte"]) == 0
    rep = last(engine, "export")
    assert (rep["user"], rep["area_id"], rep["layer"], rep["purpose"]) == ("cecilia", "74", "csv", "samverkansmöte")
    # user administration
    assert cli.main(["user", "add", "ny1", "--role", "uppföljning"]) == 0
    assert cli.main(["user", "disable", "ny1"]) == 0
    assert json.loads(rows(engine, "user_disable")[0]["detail"])["name"] == "ny1"


def test_page_exports_notes_and_denials_are_audited(app):
    app, engine = app
    c, h = logged_in(app, "polis1")
    assert compare_download(c, h, "Stockholm").status_code == 200
    row = last(engine, "export")
    assert row["user"] == "polis1" and row["period"] == PERIOD and row["detail"]["view"] == "compare"
    assert row["detail"]["region"] == "Stockholm"
    # notes saved on the page
    from services.reports import save_editor

    with app.server.test_request_context("/"):
        save_editor("74", PERIOD, {"atgarder": ("Ny belysning", False)}, "polis1")
    assert last(engine, "note_add")["user"] == "polis1"
    # a callback without the CSRF token: refused and audited
    deps = c.get("/_dash-dependencies").get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    dep = next(d for d in deps if any(i["id"] == "list-year" for i in d["inputs"]))
    r = c.post("/_dash-update-component", json=callback_body(dep, values, ["list-year.value"]),
               headers={"X-CSRFToken": "forged"})
    assert r.status_code == 403
    denied = last(engine, "denied")
    assert denied["user"] == "polis1" and denied["layer"] == "csrf"
    # a non-admin on the admin page
    assert c.get("/admin/audit").status_code == 403
    assert last(engine, "denied")["layer"] == "admin"


def test_bad_audit_queries_and_unknown_regions_are_400(app, capsys):
    app, _ = app
    c, h = logged_in(app, "admin1")
    for since in ("99999999d", "99999999999999999999h", "9" * 60 + "m", "2026-13-45", "yesterday"):
        r = c.get(f"/admin/audit?since={since}")
        assert r.status_code == 400, since
        assert "since" in r.get_data(as_text=True)
    assert c.get("/admin/audit?since=36600d").status_code == 200
    assert cli.main(["audit", "--since", "99999999d"]) == 2
    assert "at most" in capsys.readouterr().err
    r = compare_download(c, h, "Atlantis")
    assert r.status_code == 400
    body = r.get_json()
    assert body["error"] == "bad_request" and "unknown region 'Atlantis'" in body["message_en"]
    assert "Stockholm" in body["message_en"]  # names the regions there are


def test_a_failed_audit_write_refuses_the_request_with_503(app, tmp_path, capsys):
    app, engine = app
    c, h = logged_in(app, "polis1")
    deps = c.get("/_dash-dependencies").get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    dep = next(d for d in deps if any(i["id"] == "list-year" for i in d["inputs"]))
    body = callback_body(dep, values, ["list-year.value"])
    assert c.post("/_dash-update-component", json=body, headers=h).status_code == 200
    with engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log "
                          "BEGIN SELECT RAISE(ABORT, 'audit log is read-only'); END"))
    try:
        r = c.post("/_dash-update-component", json=body, headers=h)
        assert r.status_code == 503 and r.get_json()["error"] == "audit_unavailable"
        assert r.headers["Retry-After"]
        assert compare_download(c, h, "Stockholm").status_code == 503  # no file unlogged
        # a login whose audit row cannot be written gets no session
        with engine.connect() as conn:
            before = conn.execute(text("select count(*) from sessions")).scalar_one()
        other = app.server.test_client()
        assert flask_login(other, "admin1", PASSWORD).status_code == 503
        assert other.get("/_dash-layout").status_code == 401
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from sessions")).scalar_one() == before
        # an import whose audit row cannot be written is not imported
        csv = tmp_path / "w.csv"
        csv.write_text("Område;Indikator;Månad;Värde\n74;ran;2024-01;7\n", "utf-8")
        from store.queries import table_counts

        counts = table_counts(engine)
        assert cli.main(["import-indicators", str(csv)]) == 1
        assert table_counts(engine) == counts
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER no_audit"))
    assert c.post("/_dash-update-component", json=body, headers=h).status_code == 200
