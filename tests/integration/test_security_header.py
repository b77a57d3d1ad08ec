"""``LAGESBILD_AUTH=header`` (issue 12, item 8): the proxy must prove itself with a shared secret
and/or an explicit list of its (non-loopback) addresses; otherwise the app refuses to start, and a
local process cannot name itself admin."""

from __future__ import annotations

import subprocess
import sys

import pytest

from testing.harness import TEST_SECRET, configured, copy_sqlite
from tests.conftest import ROOT

PROXY_SECRET = "s3cret-of-the-proxy-" + "x" * 20


@pytest.fixture(scope="module")
def store(demo_db_path, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("header") / "h.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    create_user(engine, "chef", "admin")
    create_user(engine, "polis", "områdespolis")
    yield path
    engine.dispose()


def env_for(store, data_dir, **extra) -> dict:
    return {"LAGESBILD_DATABASE_URL": f"sqlite:///{store}", "LAGESBILD_AUTH": "header",
            "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_REDIS_URL": None,
            "LAGESBILD_TRUSTED_PROXIES": None, "LAGESBILD_HEADER_SECRET": None, **extra}


@pytest.mark.parametrize(("extra", "message"), [
    ({}, "LAGESBILD_HEADER_SECRET"),
    ({"LAGESBILD_TRUSTED_PROXIES": "127.0.0.1"}, "any process on this server"),
    ({"LAGESBILD_TRUSTED_PROXIES": "10.0.0.0/8,::1"}, "::1"),
    ({"LAGESBILD_TRUSTED_PROXIES": "0.0.0.0/0"}, "0.0.0.0/0"),
    ({"LAGESBILD_HEADER_SECRET": "short"}, "at least 32"),
])
def test_header_mode_refuses_to_start_without_a_proxy_that_proves_itself(store, extra, message):
    import os

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LAGESBILD_DATABASE_URL": f"sqlite:///{store}",
           "LAGESBILD_AUTH": "header", "LAGESBILD_SECRET_KEY": TEST_SECRET, **extra}
    r = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=180)
    assert r.returncode != 0
    assert message in r.stderr, r.stderr[-2000:]
    # gunicorn's master checks the same before loading the app
    r = subprocess.run([sys.executable, "-c", "import runpy; runpy.run_path('gunicorn.conf.py')"], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "configuration error" in r.stderr and message in r.stderr


def test_a_local_process_without_the_secret_is_nobody(store, data_dir):
    with configured(env_for(store, data_dir, LAGESBILD_HEADER_SECRET=PROXY_SECRET)):
        from app import app

        c = app.server.test_client()
        ok = c.get("/_dash-layout", headers={"X-Remote-User": "polis", "X-Lagesbild-Proxy-Secret": PROXY_SECRET})
        assert ok.status_code == 200
        # the old hole: any process on 127.0.0.1 naming itself admin
        assert c.get("/_dash-layout", headers={"X-Remote-User": "chef"}).status_code == 401
        assert c.get("/admin/audit", headers={"X-Remote-User": "chef"}).status_code == 401
        wrong = PROXY_SECRET[:-1] + "y"
        assert c.get("/_dash-layout", headers={"X-Remote-User": "chef",
                                               "X-Lagesbild-Proxy-Secret": wrong}).status_code == 401
        # with the secret and no explicit proxy list the secret alone proves the proxy (any address)
        far = c.get("/_dash-layout", headers={"X-Remote-User": "polis", "X-Lagesbild-Proxy-Secret": PROXY_SECRET},
                    environ_base={"REMOTE_ADDR": "10.20.30.40"})
        assert far.status_code == 200


def test_secret_and_proxy_list_together_both_count(store, data_dir):
    with configured(env_for(store, data_dir, LAGESBILD_HEADER_SECRET=PROXY_SECRET,
                            LAGESBILD_TRUSTED_PROXIES="10.9.0.0/16")):
        from app import app

        c = app.server.test_client()
        h = {"X-Remote-User": "polis", "X-Lagesbild-Proxy-Secret": PROXY_SECRET}
        assert c.get("/_dash-layout", headers=h, environ_base={"REMOTE_ADDR": "10.9.1.1"}).status_code == 200
        assert c.get("/_dash-layout", headers=h, environ_base={"REMOTE_ADDR": "10.8.1.1"}).status_code == 401
        assert c.get("/_dash-layout", headers={"X-Remote-User": "polis"},
                     environ_base={"REMOTE_ADDR": "10.9.1.1"}).status_code == 401


def test_an_explicit_non_loopback_proxy_list_alone_is_enough(store, data_dir):
    with configured(env_for(store, data_dir, LAGESBILD_TRUSTED_PROXIES="10.9.0.5")):
        from app import app

        c = app.server.test_client()
        h = {"X-Remote-User": "polis"}
        assert c.get("/_dash-layout", headers=h, environ_base={"REMOTE_ADDR": "10.9.0.5"}).status_code == 200
        assert c.get("/_dash-layout", headers=h).status_code == 401  # from 127.0.0.1
    with configured(env_for(store, data_dir)):  # switched to an unsafe configuration at run time
        from app import app

        assert app.server.test_client().get("/_dash-layout", headers=h).status_code == 401
