"""gunicorn settings for ``make serve`` (production): ``gunicorn --config gunicorn.conf.py app:server``.

Environment: ``LAGESBILD_HOST``/``LAGESBILD_PORT`` (bind), ``LAGESBILD_WORKERS`` (default
2 × CPUs + 1, at most 8), ``LAGESBILD_THREADS`` (per worker, default 4), plus every ``LAGESBILD_*``
setting of the app. Workers share nothing but the database (``LAGESBILD_DATABASE_URL``,
PostgreSQL+PostGIS in production) and Redis (``LAGESBILD_REDIS_URL``); sessions are signed cookies
(``LAGESBILD_SECRET_KEY``), so any worker serves any user.

The configuration is checked when this file is loaded (a bad one, e.g. authentication on without a
secret key, stops ``make serve`` with one clear message). The app is *not* preloaded in the master:
importing it starts threads (pyarrow's thread pool and jemalloc's background thread, via pandas)
and opens SQLite/PostgreSQL connections, and forking a multi-threaded process can hand a worker a
lock that is held forever. A load test here had one worker stuck from boot on SQLite's allocator
mutex. Each worker imports the app itself after the fork, so workers inherit nothing but sockets.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from server.logs import gunicorn_logconfig  # noqa: E402

_cpus = os.cpu_count() or 1

bind = f"{os.environ.get('LAGESBILD_HOST', '127.0.0.1')}:{os.environ.get('LAGESBILD_PORT', '8050')}"
workers = int(os.environ.get("LAGESBILD_WORKERS", min(2 * _cpus + 1, 8)))
worker_class = "gthread"
threads = int(os.environ.get("LAGESBILD_THREADS", 4))
preload_app = False  # see the module docstring: fork only a single-threaded master
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then (bounded memory growth)
max_requests_jitter = 500
limit_request_line = 8190
limit_request_field_size = 8190
# X-Forwarded-Proto etc. only from the configured proxies (the app never trusts X-Forwarded-For
# for authentication; see security/auth.py)
forwarded_allow_ips = os.environ.get("LAGESBILD_TRUSTED_PROXIES", "127.0.0.1")
control_socket_disable = True  # no management socket in production
proc_name = "lagesbild"
accesslog = None  # the app writes one JSON line per request (server/logs.py)
errorlog = "-"
logconfig_dict = gunicorn_logconfig()


def _check_configuration() -> str:
    """Refuse to start on a bad configuration, before the app is loaded or a worker forked."""
    from config import ConfigError, load_settings
    from security import check_secret

    try:
        s = load_settings()
        check_secret()
    except ConfigError as exc:
        sys.stderr.write(f"lagesbild: configuration error: {exc}\n")
        raise SystemExit(2) from exc
    return (f"auth={s.auth} database={s.database_url.split(':', 1)[0]} "
            f"cache={'redis' if s.redis_url else 'per-process'} workers={workers} threads={threads}")


_summary = _check_configuration()


def on_starting(server) -> None:
    server.log.info("lagesbild: %s", _summary)


def post_worker_init(worker) -> None:
    """One line per worker once it has imported the app and can serve (also what bench/load.py waits for)."""
    worker.log.info("lagesbild: worker ready (pid %s)", worker.pid)


def post_fork(server, worker) -> None:
    """Belt and braces: nothing of the app should exist in the master, but if a hook or a future
    setting preloads it, drop inherited pools so a worker never shares a connection."""
    if "services.cache" in sys.modules:
        sys.modules["services.cache"].reset_after_fork()
    if "store.engine" in sys.modules and "config" in sys.modules:
        try:
            sys.modules["store.engine"].engine_for(sys.modules["config"].settings().database_url).dispose(close=False)
        except Exception as exc:  # noqa: BLE001
            server.log.warning("lagesbild: could not reset the database pool after fork: %s", exc)
