"""/healthz, and the answer when the database is down: a clear 503 the page can show, then recovery."""

from __future__ import annotations

import pytest

from server.health import database_ok, database_status
from testing.harness import (
    TEST_SECRET,
    callback_body,
    configured,
    copy_sqlite,
    free_port,
    layout_values,
)


@pytest.fixture(scope="module")
def db_path(demo_db_path, tmp_path_factory):
    return copy_sqlite(demo_db_path, tmp_path_factory.mktemp("health") / "health.sqlite")


def down_url() -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/lagesbild_down"  # nothing listens


def test_healthz_reports_app_database_and_cache(db_path, data_dir):
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{db_path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_REDIS_URL": None,
                     "LAGESBILD_DATA_DIR": str(data_dir)}):
        from app import app

        r = app.server.test_client().get("/healthz")  # public: no login
        assert r.status_code == 200
        body = r.get_json()
        assert body["app"]["ok"] and body["database"]["ok"] and body["cache"]["ok"]
        assert body["database"]["dialect"] == "sqlite" and body["cache"]["backend"] == "local"
        assert body["status"] == "ok"
        assert database_ok()


def test_redis_down_is_degraded_not_down(db_path, data_dir):
    from services import cache

    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{db_path}", "LAGESBILD_AUTH": "none",
                     "LAGESBILD_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
                     "LAGESBILD_DATA_DIR": str(data_dir)}):
        cache.reset_after_fork()
        from app import app

        c = app.server.test_client()
        r = c.get("/healthz")
        assert r.status_code == 200
        assert r.get_json()["status"] == "degraded" and r.get_json()["cache"]["ok"] is False
        assert c.get("/_dash-layout").status_code == 200  # the page is served, uncached
    cache.reset_after_fork()


@pytest.mark.parametrize("auth", ["none", "local"])
def test_database_down_gives_a_clear_503_and_recovers(db_path, data_dir, auth):
    env = {"LAGESBILD_AUTH": auth, "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_REDIS_URL": None,
           "LAGESBILD_DATA_DIR": str(data_dir)}
    with configured({**env, "LAGESBILD_DATABASE_URL": f"sqlite:///{db_path}"}):
        from app import app

        c = app.server.test_client()
        if auth == "local":
            from security.users import create_user
            from services.context import engine
            from testing.harness import flask_login

            try:
                create_user(engine(), "polis1", "områdespolis", password="correct horse battery staple")
            except ValueError:
                pass
            flask_login(c, "polis1", "correct horse battery staple")
        c.get("/", headers={"Accept": "text/html"})
        token = c.get_cookie("_csrf_token")
        headers = {"X-CSRFToken": token.value} if token else {}
        deps = c.get("/_dash-dependencies").get_json()
        values = layout_values(c.get("/_dash-layout").get_json())
    dep = next(d for d in deps if any(i["id"] == "list-year" for i in d["inputs"]))
    values[("list-year", "value")] = 2023
    with configured({**env, "LAGESBILD_DATABASE_URL": down_url()}):
        assert not database_ok()
        status = database_status()
        assert status["ok"] is False and status["error"] == "OperationalError"
        r = c.get("/healthz")
        assert r.status_code == 503 and r.get_json()["database"]["ok"] is False
        for resp in (c.get("/_dash-layout"),
                     c.post("/_dash-update-component", json=callback_body(dep, values, ["list-year.value"]),
                            headers=headers)):
            assert resp.status_code == 503, resp.get_data(as_text=True)[:300]
            body = resp.get_json()
            assert body["error"] == "database_unavailable"
            assert "Databasen svarar inte" in body["message_sv"]
            assert resp.headers["Retry-After"] == "5"
        page = c.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 503
        assert 'http-equiv="refresh"' in page.get_data(as_text=True)  # the page retries by itself
    with configured({**env, "LAGESBILD_DATABASE_URL": f"sqlite:///{db_path}"}):
        assert c.get("/healthz").status_code == 200
        r = c.post("/_dash-update-component", json=callback_body(dep, values, ["list-year.value"]), headers=headers)
        assert r.status_code == 200
