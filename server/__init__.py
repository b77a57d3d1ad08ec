"""The server around the Dash app: logs, the gate, health, and how they are put together.

``app.py`` calls :func:`install_server` once, right after creating the Dash app: JSON logs
(:mod:`server.logs`), the gate of :mod:`security` (given the database check, the
database-unavailable answer and the request logger as values: the gate imports nothing of this
package), ``/healthz`` and the database error answer (:mod:`server.health`), then the startup log
line. ``gunicorn.conf.py`` takes its log configuration from :mod:`server.logs`.

Public helpers for the rest of the app:

- :func:`server.health.database_ok` → whether the database answers now
"""

from __future__ import annotations

import logging

from config import settings
from security import check_secret, install_gate
from security.auth import Hooks
from server import health, logs

log = logging.getLogger("lagesbild.server")


def install_server(app) -> None:
    """Wire logs, the gate and health into the Dash app's Flask server (idempotent).

    Safe in demo mode (``LAGESBILD_AUTH=none``): nobody logs in, the principal is ``demo``, the
    page keeps its demo banner; headers, CSP, ``/healthz``, logs and the database error answer
    still apply.
    """
    check_secret()
    server = app.server
    if server.extensions.get("lagesbild_server"):
        return
    server.extensions["lagesbild_server"] = True
    logs.configure_logging()
    install_gate(app, Hooks(database_ok=health.database_ok, database_unavailable=health.database_unavailable,
                            log_request=logs.log_request))
    health.install(server)
    _drop_validation_layout(app)
    from services.cache import backend_name

    s = settings()
    log.info("server installed", extra={"event": "startup", "auth": s.auth, "cache": backend_name(),
                                        "database": s.database_url.split(":", 1)[0]})


def _drop_validation_layout(app) -> None:
    """Do not embed Dash's ``validation_layout`` in every page's config.

    It is a whole layout, built once at import (with the least-privileged ``system`` principal) and
    sent to every user whatever their tier; the renderer uses it only to validate callbacks for the
    dev tools (off in production) and falls back to the live layout without it. Dropping it keeps
    the page from carrying anything the user's own ``/_dash-layout`` does not, and saves ~300 KB per
    page load.
    """
    original = app._config  # noqa: SLF001 - Dash builds the page config here

    def config_without_validation_layout():
        cfg = original()
        if settings().auth != "none":  # demo mode keeps Dash's default
            cfg.pop("validation_layout", None)
        return cfg

    app._config = config_without_validation_layout  # noqa: SLF001


__all__ = ["install_server"]
