"""Callback latency through the real Flask/Dash stack, and what the security gate adds to it.

``run(db_path, scale)`` (called by ``python -m bench.run --only app``) imports the app in process on
the bench store and times, with the Flask test client:

- the page load (index + ``/_dash-layout`` + ``/_dash-dependencies``) with login on;
- the three-click journey's callbacks (area → hotspots → period), warm, login on, with the same
  callbacks in demo mode (no session, CSRF, policy or audit row) as the floor: the ratio is the
  gate's cost;
- one audit-row insert (the gate's only write) on its own.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.run import metric

PASSWORD = "bench-password-123"
JOURNEY = (("area-search", "value", "74"), ("hotspot-toggle", "n_clicks", 1), ("period", "value", "2026-T1"))


def _median_ms(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _journey_requests(client, headers: dict) -> list[tuple[dict, str]]:
    """The callback bodies of the journey, chained like the renderer (first wave per click + one more)."""
    from testing.harness import apply_response, callback_body, layout_values, triggered_by

    deps = [d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")]
    values = layout_values(client.get("/_dash-layout").get_json())
    bodies = []
    for cid, prop, value in JOURNEY:
        values[(cid, prop)] = value
        changed = [f"{cid}.{prop}"]
        for _ in range(2):
            nxt = []
            for dep in triggered_by(deps, changed):
                body = callback_body(dep, values, changed)
                r = client.post("/_dash-update-component", json=body, headers=headers)
                bodies.append((body, dep["output"]))
                if r.status_code == 200:
                    nxt += apply_response(values, r.get_json())
            changed = nxt
    return bodies


def run(db_path, scale: str) -> list[dict]:
    from security.users import create_user
    from store.engine import make_engine
    from testing.harness import TEST_SECRET, configured, copy_sqlite, flask_login

    work = Path(db_path).with_name("bench_app.sqlite")
    copy_sqlite(db_path, work)
    engine = make_engine(f"sqlite:///{work}")
    try:
        create_user(engine, "bench", "områdespolis", password=PASSWORD)
    except ValueError:
        pass
    url = f"sqlite:///{work}"
    out: list[dict] = []
    with configured({"LAGESBILD_DATABASE_URL": url, "LAGESBILD_AUTH": "local", "LAGESBILD_SECRET_KEY": TEST_SECRET,
                     "LAGESBILD_REDIS_URL": None}):
        from app import app

        client = app.server.test_client()
        flask_login(client, "bench", PASSWORD)
        client.get("/", headers={"Accept": "text/html"})
        headers = {"X-CSRFToken": client.get_cookie("_csrf_token").value}

        def page():
            client.get("/", headers={"Accept": "text/html"})
            client.get("/_dash-layout")
            client.get("/_dash-dependencies")

        page()
        out.append(metric("page load (index + layout + dependencies), login on", _median_ms(page, 5), "ms"))
        bodies = _journey_requests(client, headers)  # warms every memoised view

        def journey(h):
            return lambda: [client.post("/_dash-update-component", json=b, headers=h) for b, _ in bodies]

        secured = _median_ms(journey(headers))
    with configured({"LAGESBILD_DATABASE_URL": url, "LAGESBILD_AUTH": "none", "LAGESBILD_REDIS_URL": None}):
        demo = _median_ms(journey({}))
    n = max(len(bodies), 1)
    out.append(metric(f"three-click journey, {n} callbacks, warm, login on", secured, "ms", floor=demo))
    out.append(metric("security gate per callback (session, CSRF, policy, audit row)", (secured - demo) / n, "ms",
                      goal="≤ 5"))
    from security.audit import record

    out.append(metric("one audit row (SQLite)", _median_ms(lambda: record("view", area_id="74", user="bench",
                                                                         engine=engine), 50), "ms"))
    engine.dispose()
    return out
