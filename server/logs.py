"""Structured logs: one JSON object per line on stderr (app, gunicorn, requests, audit, CSP reports).

Every request gets a line ``{"event": "request", "method", "path", "status", "ms", "user",
"remote", "request_id", "pid"}``; ``X-Request-ID`` is taken from a trusted proxy or generated, and
returned in the response. Query strings are not logged (they can carry search text).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """``logging`` records as JSON lines; ``extra={...}`` fields become top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": os.getpid(),
        }
        for k, v in vars(record).items():
            if k not in _RESERVED and not k.startswith("_"):
                out[k] = v
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


_configured = False


def configure_logging(level: str | None = None) -> None:
    """JSON lines on stderr for the root logger (once per process; gunicorn's loggers are set up by
    ``gunicorn.conf.py`` with the same formatter)."""
    global _configured
    if _configured:
        return
    _configured = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(level or os.environ.get("LAGESBILD_LOG_LEVEL", "INFO").upper())
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the dev server's access log: ours is JSON
    logging.getLogger("alembic").setLevel(logging.WARNING)


request_log = logging.getLogger("lagesbild.request")


def log_request(method: str, path: str, status: int, started: float, user: str | None, remote: str | None,
                request_id: str) -> None:
    request_log.info("%s %s %s", method, path, status, extra={
        "event": "request", "method": method, "path": path, "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 1), "user": user, "remote": remote,
        "request_id": request_id})


def gunicorn_logconfig() -> dict:
    """``logconfig_dict`` for gunicorn: its error log as JSON on stderr, no separate access log."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "server.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": os.environ.get("LAGESBILD_LOG_LEVEL", "INFO").upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
            "alembic": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }
