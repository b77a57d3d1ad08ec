"""One audit row (``audit_log``), written on a connection the caller already holds.

The store writes its own audit rows inside the transaction of what it audits (an import, a note),
so the two commit or fail together: an import whose audit row cannot be written is not imported.
``security.audit.record`` writes through the same function for requests and commands.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert

from store.schema import audit_log

LIMITS = {"user": 128, "action": 32, "area_id": 32, "period": 16, "layer": 64}


def _clip(name: str, value) -> str | None:
    if value is None:
        return None
    text = str(value)
    limit = LIMITS.get(name)
    return text[:limit] if limit else text


def audit_row(action: str, user: str, area_id=None, period=None, layer=None, detail=None,
              purpose=None, at: datetime | None = None) -> dict:
    """The row as stored (texts clipped, ``detail`` as JSON)."""
    if isinstance(detail, dict | list):
        detail = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    return {"at": at or datetime.now(UTC).replace(tzinfo=None), "user": _clip("user", user),
            "action": _clip("action", action), "area_id": _clip("area_id", area_id),
            "period": _clip("period", period), "layer": _clip("layer", layer),
            "detail": None if detail is None else str(detail)[:4000],
            "purpose": None if purpose is None else str(purpose)[:1000]}


def write_audit(conn: Connection, action: str, user: str, **kw) -> dict:
    """Insert one audit row on ``conn`` (inside the caller's transaction); returns the row."""
    row = audit_row(action, user, **kw)
    conn.execute(insert(audit_log).values(**row))
    return row


log = logging.getLogger("lagesbild.audit")


class AuditUnavailable(RuntimeError):
    """The audit row could not be written: whatever it would have logged must not be served
    (the app answers 503)."""


def record_audit(engine: Engine, action: str, user: str, **kw) -> dict:
    """Append one row in its own transaction and log it; raises :class:`AuditUnavailable` when the
    row cannot be written (callers that serve data must then not serve it)."""
    try:
        with engine.begin() as conn:
            row = write_audit(conn, action, user, **kw)
    except Exception as exc:  # noqa: BLE001 - any failure to log refuses the request
        log.error("audit write failed: %s", type(exc).__name__, extra={"event": "audit_failed", "action": action})
        raise AuditUnavailable(f"the audit log cannot be written ({type(exc).__name__})") from exc
    log.info("audit %s", action, extra={"event": "audit", **{k: v for k, v in row.items() if k != "at"}})
    return row
