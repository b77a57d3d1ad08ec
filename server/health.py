"""Health: ``/healthz`` (app, database, cache) and the answer when the database is down.

``/healthz`` is public (load balancers probe it) and says little: ok flags, timings, the backend
names and error classes, never messages, URLs or versions. 200 when the database answers, 503 when
it does not. A Redis that does not answer gives ``cache.ok: false`` with 200: the app serves
uncached.

Any ``sqlalchemy.exc.OperationalError`` / ``DBAPIError`` escaping a request (a callback, the layout,
a route) becomes a 503 with ``{"error": "database_unavailable", "message_sv", "message_en"}`` (JSON
for XHR/POST, a small self-refreshing page for page loads), so the page can show a banner and the
next request recovers by itself once the database is back.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, jsonify, request
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from security import pages
from texts import t

log = logging.getLogger("lagesbild.health")

#: the 503 answer's body (its field names are an interface: clients read ``message_sv``/``message_en``)
DB_UNAVAILABLE = {
    "error": "database_unavailable",
    "message_sv": t("page.gate.database_unavailable", "sv"),
    "message_en": t("page.gate.database_unavailable", "en"),
}


def _engine() -> Engine:
    from services.context import engine

    return engine()


def database_status(engine: Engine | None = None) -> dict:
    """``{"ok": bool, "ms": float, "dialect": str[, "error": class name]}``; never raises."""
    t0 = time.perf_counter()
    try:
        eng = engine or _engine()
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"ok": True, "ms": round((time.perf_counter() - t0) * 1000, 2), "dialect": eng.dialect.name}
    except Exception as exc:  # noqa: BLE001 - health never raises
        return {"ok": False, "ms": round((time.perf_counter() - t0) * 1000, 2), "error": type(exc).__name__}


def database_ok(engine: Engine | None = None) -> bool:
    """Whether the configured database answers a ``SELECT 1`` now."""
    return database_status(engine)["ok"]


def healthz() -> tuple[Response, int]:
    from services.cache import cache_status

    db = database_status()
    cache = cache_status()
    from services.warmup import warmup_status

    body = {"app": {"ok": True, "warmup": warmup_status()}, "database": db, "cache": cache,
            "status": "ok" if db["ok"] and cache["ok"] else ("degraded" if db["ok"] else "down")}
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "no-store"
    return resp, 200 if db["ok"] else 503


def _wants_html() -> bool:
    """A page load or the login form (browsers), not Dash's XHR or an API client."""
    navigating = request.method == "GET" or (request.method == "POST" and request.path == "/login")
    return (navigating and not request.path.startswith(("/_dash-", "/assets/"))
            and request.accept_mimetypes.accept_html and not request.accept_mimetypes.accept_json)


def database_unavailable(exc: Exception):
    log.error("database unavailable: %s", type(exc).__name__, extra={"event": "database_unavailable",
                                                                      "path": request.path})
    if _wants_html():
        resp = Response(pages.unavailable_page(DB_UNAVAILABLE["message_sv"], DB_UNAVAILABLE["message_en"]),
                        status=503, mimetype="text/html")
        resp.headers["Content-Security-Policy"] = pages.PAGE_CSP
    else:
        resp = jsonify(DB_UNAVAILABLE)
        resp.status_code = 503
    resp.headers["Retry-After"] = "5"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _is_connection_error(exc: DBAPIError) -> bool:
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        return True
    name = type(getattr(exc, "orig", None)).__name__
    return name in ("OperationalError", "InterfaceError", "AdminShutdown", "ConnectionFailure")


def install(server: Flask) -> None:
    server.add_url_rule("/healthz", "lagesbild_healthz", healthz, methods=["GET"])

    def handle_dbapi(exc: DBAPIError):
        if _is_connection_error(exc):
            return database_unavailable(exc)
        raise exc

    server.register_error_handler(OperationalError, database_unavailable)
    server.register_error_handler(DBAPIError, handle_dbapi)
