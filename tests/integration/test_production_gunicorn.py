"""``make serve`` for real: gunicorn with several workers, login, callbacks served by any worker,
JSON logs, /healthz; on SQLite and on PostgreSQL+PostGIS with Redis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testing.harness import (
    TEST_SECRET,
    HttpClient,
    callback_body,
    copy_sqlite,
    free_port,
    layout_values,
    stop_process_tree,
    wait_ready,
)
from tests.conftest import PG_URL, ROOT, require_or_skip
from tests.integration.test_production_cache import REDIS_URL, _redis_ok

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"


def start(env: dict, log: Path, workers: int = 2):
    port = free_port()
    full = {**{k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")},
            "LAGESBILD_HOST": "127.0.0.1", "LAGESBILD_PORT": str(port), "LAGESBILD_WORKERS": str(workers),
            "LAGESBILD_THREADS": "2", "LAGESBILD_AUTH": "local", "LAGESBILD_SECRET_KEY": TEST_SECRET, **env}
    fh = open(log, "w")  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
                             "app:server"], cwd=ROOT, env=full, stdout=fh, stderr=subprocess.STDOUT)
    proc.log_handle = fh
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc, timeout=120)
    except RuntimeError:
        stop(proc)
        raise RuntimeError(log.read_text()[-3000:]) from None
    return proc, url


def stop(proc) -> None:
    stop_process_tree(proc)
    proc.log_handle.close()


def add_user(db_url: str, name: str, role: str, *kommun: str) -> None:
    args = [sys.executable, "cli.py", "user", "add", name, "--role", role, "--password-stdin"]
    for k in kommun:
        args += ["--kommun", k]
    env = {**os.environ, "LAGESBILD_DATABASE_URL": db_url}
    r = subprocess.run(args, cwd=ROOT, env=env, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def journey(url: str, log: Path) -> dict:
    """Log in, load the page, replay the list-year callback many times; then stop the worker(s) that
    answered, so that other processes must answer with the same session.

    The kernel hands a new connection to whichever worker wakes first, and on a busy machine that
    can be the same one every time: stopping it (the master starts a new one) makes the second
    process certain instead of likely."""
    c = HttpClient(url)
    assert c.get("/_dash-layout")[0] == 401
    assert c.login("polis1", PASSWORD) == 303
    deps = json.loads(c.get("/_dash-dependencies")[2])
    values = layout_values(json.loads(c.get("/_dash-layout")[2]))
    dep = next(d for d in deps if any(i["id"] == "list-year" for i in d["inputs"]))
    statuses = []

    def replay(times: int) -> None:
        for year in (2023, 2025) * times:  # keep-alive off between calls: other workers may pick them up
            values[("list-year", "value")] = year
            status, headers, _ = c.post_json("/_dash-update-component",
                                             callback_body(dep, values, ["list-year.value"]))
            statuses.append(status)
            c.close()

    replay(6)
    for pid in check_logs(log):
        os.kill(pid, signal.SIGTERM)  # graceful: the master replaces it with a new process
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        assert not _alive(pid), f"worker {pid} did not stop"
    replay(2)
    health = json.loads(c.get("/healthz")[2])
    c.close()
    return {"statuses": statuses, "health": health}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:  # a stopped worker not yet reaped by the master is a zombie
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def check_logs(log: Path) -> set[int]:
    pids, lines = set(), 0
    for line in log.read_text().splitlines():
        if not line.startswith("{"):
            continue
        rec = json.loads(line)  # every structured line is JSON
        lines += 1
        if rec.get("event") == "request" and rec.get("path") == "/_dash-update-component":
            pids.add(rec["pid"])
            assert rec["user"] == "polis1" and isinstance(rec["ms"], float)
    assert lines > 10
    return pids


def test_gunicorn_on_sqlite_with_redis(demo_db_path, data_dir, tmp_path):
    ok, reason = _redis_ok()
    require_or_skip(ok, reason)
    db = copy_sqlite(demo_db_path, tmp_path / "serve.sqlite")
    db_url = f"sqlite:///{db}"
    add_user(db_url, "polis1", "områdespolis")
    proc, url = start({"LAGESBILD_DATABASE_URL": db_url, "LAGESBILD_REDIS_URL": REDIS_URL,
                       "LAGESBILD_DATA_DIR": str(data_dir)}, tmp_path / "gunicorn.log", workers=3)
    try:
        result = journey(url, tmp_path / "gunicorn.log")
    finally:
        stop(proc)
    assert result["statuses"] == [200] * 16
    assert result["health"]["database"]["ok"] and result["health"]["cache"] == {
        **result["health"]["cache"], "backend": "redis", "ok": True}
    assert len(check_logs(tmp_path / "gunicorn.log")) >= 2  # the session is valid in another worker


def test_gunicorn_refuses_to_start_without_a_secret(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")},
           "LAGESBILD_AUTH": "header", "LAGESBILD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
           "LAGESBILD_PORT": str(free_port())}
    r = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py", "app:server"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "LAGESBILD_SECRET_KEY" in r.stderr and "secrets.token_hex(32)" in r.stderr


@pytest.mark.postgis
def test_gunicorn_on_postgis_with_redis(pg_engine, data_dir, tmp_path):
    from store.bootstrap import bootstrap

    ok, reason = _redis_ok()
    require_or_skip(ok, reason)
    bootstrap(pg_engine, data_dir, demo=False)  # the reference areas of every list
    db_url = pg_engine.url.render_as_string(hide_password=False)
    assert db_url.startswith(PG_URL.rsplit("/", 1)[0].split("://")[0].split("+")[0])
    add_user(db_url, "polis1", "områdespolis")
    proc, url = start({"LAGESBILD_DATABASE_URL": db_url, "LAGESBILD_REDIS_URL": REDIS_URL,
                       "LAGESBILD_DATA_DIR": str(data_dir)}, tmp_path / "gunicorn.log", workers=2)
    try:
        result = journey(url, tmp_path / "gunicorn.log")
    finally:
        stop(proc)
        pg_engine.dispose()
    assert result["statuses"] == [200] * 16
    assert result["health"]["database"]["dialect"] == "postgresql"
    assert len(check_logs(tmp_path / "gunicorn.log")) >= 2
