"""A live app (subprocess, on the demo store) and headless Debian Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_or_skip

ARTIFACTS = ROOT / "tests" / "artifacts"
#: assets/a11y.js has repaired every enabled dropdown (it runs one animation frame after Dash's last
#: render; the Tab order and axe are of the repaired page — a cold first load can hit the gap)
DROPDOWNS_REPAIRED = """() => Array.from(document.querySelectorAll('.dash-dropdown-focus-target')).every(
    i => { const b = i.nextElementSibling;
           return !b || !b.classList.contains('dash-dropdown') || b.disabled || i.tabIndex === -1; })"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(db_path, data_dir, log_name: str = "live_server", ready_path: str = "/_dash-layout",
                **extra_env: str | None):
    """``app.py`` in a subprocess on the store ``db_path``: ``extra_env`` added to its environment
    (a value None removes the variable); ready when ``ready_path`` answers."""
    from testing.harness import wait_ready

    port = free_port()
    env = {**os.environ, "LAGESBILD_DATABASE_URL": f"sqlite:///{db_path}", "LAGESBILD_PORT": str(port),
           "LAGESBILD_HOST": "127.0.0.1", "LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_AUTH": "none"}
    for key, value in extra_env.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # under pytest-xdist each worker its own log
    log_name = f"{log_name}_{worker}" if worker else log_name
    log = open(ARTIFACTS / f"{log_name}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_ready(url, proc, timeout=120, path=ready_path)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}: see {ARTIFACTS / (log_name + '.log')}") from exc
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="session")
def live_server(demo_db_path, data_dir):
    with running_app(demo_db_path, data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    require_or_skip(exe is not None, "Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    # Playwright's wait_for_function evaluates strings, which the app's CSP (no 'unsafe-eval') blocks;
    # the journeys bypass CSP for the test driver only — tests/browser/test_security_*.py check the CSP.
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.external_requests = []
    pg.console_errors = []
    pg.on("request", lambda r: None if r.url.startswith(live_server) or r.url.startswith("data:")
          else pg.external_requests.append(r.url))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
