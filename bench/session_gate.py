"""What the server-side session check costs per request: ``python -m bench.session_gate STORE.sqlite``.

Times ``GET /assets/lagesbild.css`` (the cheapest route behind the gate) with the Flask test client,
median of 300, in demo mode (no session) and logged in (the session row looked up on every request,
its ``last_seen_at`` written at most once a minute). STORE is copied first; any migrated store works.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _median_ms(client, n: int = 300) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get("/assets/lagesbild.css")
        times.append((time.perf_counter() - t) * 1000)
        if r.status_code not in (200, 304):
            raise RuntimeError(f"status {r.status_code}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    from security.users import create_user
    from store.engine import make_engine, migrate
    from testing.harness import TEST_SECRET, configured, flask_login

    src = Path((argv or sys.argv[1:])[0])
    db = Path(tempfile.mkdtemp()) / "gate.sqlite"
    shutil.copy(src, db)
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    create_user(engine, "bench", "områdespolis", password="bench-password-123")
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{db}", "LAGESBILD_AUTH": "none",
                     "LAGESBILD_REDIS_URL": None}):
        from app import app

        c = app.server.test_client()
        _median_ms(c, 50)
        demo = _median_ms(c)
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{db}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_REDIS_URL": None}):
        c = app.server.test_client()
        flask_login(c, "bench", "bench-password-123")
        _median_ms(c, 50)
        local = _median_ms(c)
    print(f"median per request: demo {demo:.2f} ms, logged in {local:.2f} ms, the gate adds {local - demo:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
