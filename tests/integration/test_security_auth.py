"""Login, sessions, the request gate and roles, through the Flask test client (in process).

The app is imported once per process; the gate reads the settings per request, so these tests
switch ``LAGESBILD_AUTH`` and the database with :func:`testing.harness.configured`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from testing.harness import (
    TEST_SECRET,
    callback_body,
    configured,
    copy_sqlite,
    flask_login,
    layout_values,
)
from tests.conftest import ROOT

PASSWORD = "correct horse battery staple"
PROXY_SECRET = "proxy-secret-" + "9" * 32
PUBLIC = {"/login", "/logout", "/healthz", "/csp-report"}


@pytest.fixture(scope="module")
def store(demo_db_path, tmp_path_factory):
    """A private copy of the demo store with one account per role."""
    from security.users import create_user
    from store.engine import make_engine

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("sec") / "sec.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    create_user(engine, "admin1", "admin", password=PASSWORD)
    create_user(engine, "polis1", "områdespolis", password=PASSWORD)
    create_user(engine, "kp1", "kommunpartner", ["1480"], password=PASSWORD)
    create_user(engine, "proxyuser", "uppföljning")
    yield path, engine
    engine.dispose()


@pytest.fixture
def local(store, data_dir):
    path, engine = store
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None}):
        from app import app

        yield app, engine


def concrete(rule) -> str:
    """A request path for a URL rule (every converter filled with a plausible value), so routes
    other features add later are covered too."""
    import re

    samples = {"path": "some/page", "package_name": "dash", "fingerprinted_path": "deps/react@18.v4_4_1m1.3.1.min.js",
               "filename": "lagesbild.css"}

    def fill(m):
        converter, arg = m.group(1) or "", m.group(2)
        return "1" if converter.startswith(("int", "float")) else samples.get(arg, "x")

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-zA-Z_]+)>", fill, rule.rule)


def test_every_route_refuses_the_unauthenticated(local):
    app, _ = local
    client = app.server.test_client()
    checked = 0
    for rule in app.server.url_map.iter_rules():
        path = concrete(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if path in PUBLIC:
                continue
            kwargs = {"json": {"output": "x"}} if method == "POST" else {}
            # a browser navigating: page routes redirect to the login page, the rest get 401
            r = client.open(path, method=method, headers={"Accept": "text/html"}, **kwargs)
            if r.status_code == 302:
                assert method == "GET" and r.headers["Location"].startswith("/login?next="), (method, path)
                assert not path.startswith(("/_dash-", "/assets/", "/_favicon")), path
            else:
                assert r.status_code == 401, (method, path, r.status_code)
                assert r.get_json()["error"] == "unauthenticated"
            # XHR (fetch with JSON accept): always 401 JSON, never data
            r = client.open(path, method=method, headers={"Accept": "application/json"}, **kwargs)
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.get_json()["error"] == "unauthenticated"
            checked += 1
    assert checked >= 10
    for path in ("/_dash-layout", "/_dash-dependencies", "/_dash-update-component", "/assets/lagesbild.css",
                 "/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js", "/_favicon.ico",
                 "/admin/audit", "/_reload-hash"):
        assert client.get(path).status_code == 401, path
    # the public ones say nothing about the data
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/logout").status_code == 302


def test_every_callback_refuses_the_unauthenticated_and_the_unverified(local):
    app, _ = local
    admin = app.server.test_client()
    assert flask_login(admin, "admin1", PASSWORD).status_code == 303
    deps = admin.get("/_dash-dependencies").get_json()
    values = layout_values(admin.get("/_dash-layout").get_json())
    assert len(deps) >= 5
    anonymous = app.server.test_client()
    no_csrf = app.server.test_client()
    assert flask_login(no_csrf, "admin1", PASSWORD).status_code == 303
    for dep in deps:
        body = callback_body(dep, values)
        r = anonymous.post("/_dash-update-component", json=body)
        assert r.status_code == 401, dep["output"]
        r = no_csrf.post("/_dash-update-component", json=body)  # session, but no X-CSRFToken header
        assert r.status_code == 403 and r.get_json()["error"] == "csrf", dep["output"]
        r = no_csrf.post("/_dash-update-component", json=body,
                         headers={"X-CSRFToken": "forged"})
        assert r.status_code == 403, dep["output"]


def test_admin_can_run_callbacks_with_the_csrf_token(local):
    app, _ = local
    c = app.server.test_client()
    flask_login(c, "admin1", PASSWORD)
    page = c.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    token = c.get_cookie("_csrf_token").value
    deps = c.get("/_dash-dependencies").get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    dep = next(d for d in deps if any(i["id"] == "list-year" for i in d["inputs"]))
    values[("list-year", "value")] = 2023
    r = c.post("/_dash-update-component", json=callback_body(dep, values, ["list-year.value"]),
               headers={"X-CSRFToken": token, "Origin": "http://localhost"})
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    # a request from another site is refused even with the token
    r = c.post("/_dash-update-component", json=callback_body(dep, values, ["list-year.value"]),
               headers={"X-CSRFToken": token, "Origin": "https://evil.example"})
    assert r.status_code == 403
    # a callback that does not exist is a 400, not a 500
    r = c.post("/_dash-update-component", json={"output": "..nope.data..", "outputs": [], "inputs": []},
               headers={"X-CSRFToken": token})
    assert r.status_code == 400


def test_login_sets_hardened_cookies_and_requires_the_form_token(local):
    app, _ = local
    c = app.server.test_client()
    r = c.post("/login", data={"username": "polis1", "password": PASSWORD, "csrf_token": "x", "next": "/"})
    assert r.status_code == 400 and c.get_cookie("_csrf_token") is None
    r = flask_login(c, "polis1", PASSWORD, next_path="/?area=74")
    assert r.status_code == 303 and r.headers["Location"] == "/?area=74"
    cookies = r.headers.getlist("Set-Cookie")
    session = next(x for x in cookies if x.startswith("__Host-lagesbild_session="))
    for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in session, flag
    csrf = next(x for x in cookies if x.startswith("_csrf_token="))
    assert "Secure" in csrf and "SameSite=Strict" in csrf and "HttpOnly" not in csrf
    assert c.get("/", headers={"Accept": "text/html"}).status_code == 200
    assert c.get("/_dash-layout").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(local, target):
    app, _ = local
    r = flask_login(app.server.test_client(), "polis1", PASSWORD, next_path=target)
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_failures_make_the_account_wait_and_unlock_clears_it(local):
    """Backoff, not a lock (the detail is in test_security_login.py): after 5 failures the account
    waits, the right password is refused meanwhile, ``user unlock`` clears the wait."""
    from security.audit import query
    from security.users import create_user, list_users, unlock

    app, engine = local
    create_user(engine, "lockme", "kommunpolis", password=PASSWORD)
    c = app.server.test_client()
    for i in range(5):
        r = flask_login(c, "lockme", f"wrong password {i}")
        assert r.status_code == 401
        assert "Fel användarnamn eller lösenord" in r.get_data(as_text=True)
    assert flask_login(c, "lockme", PASSWORD).status_code == 401  # the right password, but waiting
    row = next(u for u in list_users(engine) if u.name == "lockme")
    assert row.failed_attempts == 5 and row.locked_until is not None
    actions = [r["action"] for r in query(engine, user="lockme")]
    assert actions.count("login_failed") == 6 and actions.count("login_throttled") == 1
    unlock(engine, "lockme")
    assert flask_login(c, "lockme", PASSWORD).status_code == 303
    assert next(u for u in list_users(engine) if u.name == "lockme").failed_attempts == 0


def test_unknown_user_and_header_only_account_cannot_log_in(local):
    app, _ = local
    c = app.server.test_client()
    assert flask_login(c, "nobody", PASSWORD).status_code == 401
    assert flask_login(c, "proxyuser", "").status_code == 401  # no password: header login only


def test_session_expires_and_deactivation_ends_it(local):
    from security.sessions import _digest
    from security.users import set_active
    from store.schema import sessions

    app, engine = local
    c = app.server.test_client()
    flask_login(c, "polis1", PASSWORD)
    assert c.get("/_dash-layout").status_code == 200
    with c.session_transaction() as s:
        sid = _digest(s["sid"])
    with engine.begin() as conn:  # LAGESBILD_SESSION_MINUTES defaults to 480 (absolute, from login)
        created = conn.execute(select(sessions.c.created_at).where(sessions.c.id == sid)).scalar_one()
        conn.execute(update(sessions).where(sessions.c.id == sid).values(
            created_at=created - timedelta(minutes=481)))
    assert c.get("/_dash-layout").status_code == 401
    flask_login(c, "polis1", PASSWORD)
    assert c.get("/_dash-layout").status_code == 200
    set_active(engine, "polis1", False)
    try:
        assert c.get("/_dash-layout").status_code == 401
    finally:
        set_active(engine, "polis1", True)


def test_logout_needs_the_form_token_and_ends_the_session(local):
    import re

    app, _ = local
    c = app.server.test_client()
    flask_login(c, "polis1", PASSWORD)
    r = c.post("/logout", data={"csrf_token": "forged"})
    assert r.status_code == 303 and c.get("/_dash-layout").status_code == 200  # still logged in
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/logout").get_data(as_text=True)).group(1)
    r = c.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert c.get("/_dash-layout").status_code == 401


def test_admin_view_is_for_admins_and_escapes_text(local):
    from security.audit import record

    app, engine = local
    record("export", area_id="74", period="2026-T1", layer="pdf", detail="<script>alert(1)</script>",
           purpose="<img src=x onerror=alert(1)>", user="polis1", engine=engine)
    c = app.server.test_client()
    flask_login(c, "polis1", PASSWORD)
    assert c.get("/admin/audit").status_code == 403
    c = app.server.test_client()
    flask_login(c, "admin1", PASSWORD)
    r = c.get("/admin/audit?action=export")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert c.get("/admin/audit?since=yesterday").status_code == 400


def test_callbacks_are_audited_with_area_period_and_layer(local):
    from security.audit import query

    app, engine = local
    c = app.server.test_client()
    flask_login(c, "polis1", PASSWORD)
    c.get("/", headers={"Accept": "text/html"})
    token = c.get_cookie("_csrf_token").value
    deps = c.get("/_dash-dependencies").get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    view = {"area": "74", "period": "2026-T1", "layers": ["hotspots"], "indicator": None, "cmp": "prev_year",
            "list": 2025, "region": None, "lang": "sv"}
    values[("view", "data")] = view
    values[("layer-view", "data")] = view  # the layers draw from the hub's layer view
    dep = next(d for d in deps if "hotspots.data" in d["output"])
    r = c.post("/_dash-update-component", json=callback_body(dep, values, ["layer-view.data"]),
               headers={"X-CSRFToken": token})
    assert r.status_code in (200, 204)
    row = query(engine, user="polis1", action="view", limit=1)[0]
    assert (row["area_id"], row["period"], row["layer"]) == ("74", "2026-T1", "hotspots")
    assert "hotspots" in row["detail"]
    logins = query(engine, user="polis1", action="login", limit=1)
    assert logins and "remote" in logins[0]["detail"]


def test_header_mode_trusts_only_configured_proxies(store, data_dir):
    path, _ = store
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "header",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_TRUSTED_PROXIES": "127.0.0.1,10.9.0.0/16",
                     "LAGESBILD_HEADER_SECRET": PROXY_SECRET,
                     "LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_REDIS_URL": None}):
        from app import app

        c = app.server.test_client()
        c.environ_base["HTTP_X_LAGESBILD_PROXY_SECRET"] = PROXY_SECRET  # the proxy sends it on every request
        ok = c.get("/_dash-layout", headers={"X-Remote-User": "proxyuser"})
        assert ok.status_code == 200
        net = c.get("/_dash-layout", headers={"X-Remote-User": "proxyuser"},
                    environ_base={"REMOTE_ADDR": "10.9.4.2"})
        assert net.status_code == 200
        spoofed = c.get("/_dash-layout", headers={"X-Remote-User": "admin1"},
                        environ_base={"REMOTE_ADDR": "192.168.1.50"})
        assert spoofed.status_code == 401
        forwarded = c.get("/_dash-layout", headers={"X-Remote-User": "admin1", "X-Forwarded-For": "127.0.0.1"},
                          environ_base={"REMOTE_ADDR": "192.168.1.50"})
        assert forwarded.status_code == 401
        assert c.get("/_dash-layout", headers={"X-Remote-User": "nobody"}).status_code == 401
        assert c.get("/_dash-layout").status_code == 401
        page = c.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 401 and "proxy" in page.get_data(as_text=True)
        assert c.get("/login").status_code == 404
        # callbacks need the per-user CSRF token the page hands out
        page = c.get("/", headers={"Accept": "text/html", "X-Remote-User": "proxyuser"})
        assert page.status_code == 200
        token = c.get_cookie("_csrf_token").value
        deps = c.get("/_dash-dependencies", headers={"X-Remote-User": "proxyuser"}).get_json()
        values = layout_values(c.get("/_dash-layout", headers={"X-Remote-User": "proxyuser"}).get_json())
        dep = next(d for d in deps if any(i["id"] == "list-year" for i in d["inputs"]))
        body = callback_body(dep, values, ["list-year.value"])
        r = c.post("/_dash-update-component", json=body, headers={"X-Remote-User": "proxyuser", "X-CSRFToken": token})
        assert r.status_code == 200
        r = c.post("/_dash-update-component", json=body, headers={"X-Remote-User": "admin1", "X-CSRFToken": token})
        assert r.status_code == 403  # a token is bound to its user


def test_demo_mode_is_open_with_the_demo_principal(store, data_dir):
    path, _ = store
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "none",
                     "LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_REDIS_URL": None}):
        from app import app
        from security.access import current_principal

        c = app.server.test_client()
        assert c.get("/", headers={"Accept": "text/html"}).status_code == 200
        layout = json.dumps(c.get("/_dash-layout").get_json(), ensure_ascii=False)
        assert "Demoläge" in layout  # the banner stays
        assert c.get("/login").status_code == 302
        with app.server.test_request_context("/"):
            p = current_principal()
        assert (p.name, p.role, p.tier) == ("demo", "admin", "police")
        p = current_principal()  # outside a request
        assert p.name == "demo"


def test_current_principal_inside_a_request_and_outside(local):
    from flask import g

    from security.access import Principal, current_principal

    app, _ = local
    p = current_principal()  # no request: least privilege
    assert p.tier == "kommun" and p.kommuner == ()
    with app.server.test_request_context("/"):
        g.principal = Principal("kp1", "kommunpartner", ("1480",))
        assert current_principal().tier == "kommun"
        g.principal = Principal("x", "uppföljning")
        assert current_principal().tier == "police"


def test_the_app_refuses_to_start_without_a_secret(store):
    path, _ = store
    env = {"PATH": "/usr/bin:/bin", "LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local"}
    r = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0
    assert "LAGESBILD_SECRET_KEY" in r.stderr and "secrets.token_hex" in r.stderr
    env["LAGESBILD_SECRET_KEY"] = "short"
    r = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0 and "at least 32" in r.stderr


def test_origin_check_behind_a_proxy_that_rewrites_host(local):
    app, _ = local
    c = app.server.test_client()
    flask_login(c, "admin1", PASSWORD)
    c.get("/", headers={"Accept": "text/html"})
    token = c.get_cookie("_csrf_token").value
    deps = c.get("/_dash-dependencies").get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    dep = next(d for d in deps if any(i["id"] == "list-year" for i in d["inputs"]))
    body = callback_body(dep, values, ["list-year.value"])
    public = {"X-CSRFToken": token, "Origin": "https://lagesbild.polisen.example",
              "X-Forwarded-Host": "lagesbild.polisen.example"}
    assert c.post("/_dash-update-component", json=body, headers=public).status_code == 200  # from 127.0.0.1
    untrusted = c.post("/_dash-update-component", json=body, headers=public,
                       environ_base={"REMOTE_ADDR": "192.168.7.7"})
    assert untrusted.status_code == 403  # X-Forwarded-Host only counts from a trusted proxy
