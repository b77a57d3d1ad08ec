"""Content-Security-Policy and the other security headers on every kind of response."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from security.headers import inline_script_hashes, page_csp
from testing.harness import TEST_SECRET, configured, copy_sqlite, flask_login

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def client(demo_db_path, data_dir, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("hdr") / "hdr.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    create_user(engine, "polis1", "områdespolis", password=PASSWORD)
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None}):
        from app import app

        c = app.server.test_client()
        flask_login(c, "polis1", PASSWORD)
        yield c
    engine.dispose()


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_the_page_csp_allows_only_this_origin_and_the_hashed_bootstrap(client):
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200
    d = directives(r.headers["Content-Security-Policy"])
    assert d["default-src"] == ["'self'"]
    assert d["frame-ancestors"] == ["'none'"] and d["object-src"] == ["'none'"]
    script = d["script-src"]
    assert script[0] == "'self'" and all(s.startswith("'sha256-") for s in script[1:])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    for name, sources in d.items():
        for src in sources:  # no other origin anywhere
            assert not re.match(r"https?://|\*", src), (name, src)
    # every executable inline script of the page is covered by a hash, and nothing else is
    html = r.get_data(as_text=True)
    bodies = re.findall(r'<script id="_dash-renderer" type="application/javascript">(.*?)</script>', html, re.S)
    assert bodies
    for body in bodies:
        expected = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        assert expected in script
    assert len(script) - 1 == len(inline_script_hashes(html))


@pytest.mark.parametrize("path", ["/", "/_dash-layout", "/_dash-dependencies", "/healthz", "/login",
                                  "/assets/lagesbild.css", "/admin/audit"])
def test_every_response_has_the_security_headers(client, path):
    r = client.get(path, headers={"Accept": "text/html"} if path in ("/", "/login") else {})
    h = r.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert h.get("X-Request-ID")


def test_dynamic_responses_are_not_stored_and_static_ones_only_privately(client):
    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/healthz"):
        assert client.get(path, headers={"Accept": "text/html"}).headers["Cache-Control"] == "no-store", path
    r = client.get("/assets/lagesbild.css")
    assert r.status_code == 200 and "private" in r.headers["Cache-Control"]
    r = client.post("/_dash-update-component", json={"output": "x"})
    assert r.headers["Cache-Control"] == "no-store"


def test_json_answers_get_a_csp_that_runs_nothing(client):
    csp = client.get("/_dash-layout").headers["Content-Security-Policy"]
    assert directives(csp)["default-src"] == ["'none'"]


def test_inline_script_hashes_skip_data_blocks_comments_and_external_scripts():
    html = ('<!--[if IE]><script>alert("old")</script><![endif]-->'
            '<script id="_dash-config" type="application/json">{"a": 1}</script>'
            '<script src="/x.js"></script><script>var renderer = new DashRenderer();</script>')
    assert inline_script_hashes(html) == ["'sha256-" + base64.b64encode(hashlib.sha256(
        b"var renderer = new DashRenderer();").digest()).decode() + "'"]


def test_a_configured_tile_server_is_the_only_other_origin(data_dir):
    with configured({"LAGESBILD_TILE_URL": "https://{s}.tiles.polisen.local/osm/{z}/{x}/{y}.png"}):
        d = directives(page_csp([]))
    assert d["img-src"][-1] == "https://*.tiles.polisen.local"
    assert d["script-src"] == ["'self'"] and d["connect-src"] == ["'self'"]
    with configured({"LAGESBILD_TILE_URL": None}):
        assert not any(s.startswith("http") for s in directives(page_csp([]))["img-src"])


def test_csp_reports_are_accepted_and_logged(client, caplog):
    import json

    report = {"csp-report": {"document-uri": "http://localhost/", "violated-directive": "script-src"}}
    with caplog.at_level("WARNING", logger="lagesbild.auth"):
        r = client.post("/csp-report", data=json.dumps(report), content_type="application/csp-report")
    assert r.status_code == 204
    assert any(getattr(rec, "event", None) == "csp_violation" for rec in caplog.records)
    assert client.post("/csp-report", data=b"x" * 20000, content_type="application/csp-report").status_code == 413


def test_the_page_does_not_ship_the_validation_layout_with_login_on(client):
    html = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert '"validation_layout"' not in config  # built once at import, would reach every tier
    assert len(html) < 60_000
