"""The access log (brottsdatalagen): who viewed which area, period and layer, who exported or
imported what, logins and failed logins, with time. The app only ever INSERTs into ``audit_log``.

Use from anywhere with a request (callbacks, export routes)::

    from security.audit import record
    record("export", area_id="74", period="2026-T1", layer="pdf", detail={"tier": "police"},
           purpose="ärende 2026-123")

Callback requests are recorded automatically by the gate (``view``, with the area, period and the
layers the request's outputs draw), except in demo mode, where nobody is identified.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from security.access import current_principal, output_ids, requested_areas, requested_value
from security.users import utcnow
from store.audit import AuditUnavailable, record_audit
from store.schema import audit_log

MAX_SINCE_DAYS = 36_600  # 100 years: anything further back is everything

log = logging.getLogger("lagesbild.audit")
__all__ = ["AuditUnavailable", "callback_context", "parse_since", "query", "record"]

#: outputs that name a layer or view in the audit row (first match wins, in this order)
LAYER_OUTPUTS = ("events", "hotspots", "pois", "notes", "export", "lagesbild", "trend", "compare-table",
                 "area-head", "cards-data", "areas")
#: inputs whose change names the layer asked for
TOGGLE_LAYERS = {"hotspot-toggle": "hotspots", "events-toggle": "events", "poi-toggle": "pois"}


def _engine() -> Engine:
    from services.context import engine

    return engine()


def record(action: str, area_id: str | None = None, period: str | None = None, layer: str | None = None,
           detail=None, purpose: str | None = None, *, user: str | None = None,
           engine: Engine | None = None) -> None:
    """Append one row to the audit log (``user`` defaults to the current principal).

    ``detail`` may be a dict (stored as JSON). Raises :class:`AuditUnavailable` when the row cannot
    be written: callers that serve data must not serve it unlogged (requests get 503).
    """
    record_audit(engine or _engine(), action, user or current_principal().name, area_id=area_id, period=period,
                 layer=layer, detail=detail, purpose=purpose, at=utcnow())


def callback_context(body: dict) -> dict:
    """What a ``/_dash-update-component`` request asks to see: area, period, layer, outputs."""
    outs = output_ids(body)
    changed = [str(c).rsplit(".", 1)[0] for c in body.get("changedPropIds") or []]
    layer = next((TOGGLE_LAYERS[c] for c in changed if c in TOGGLE_LAYERS), None)
    if layer is None:
        layer = next((o for o in LAYER_OUTPUTS if o in outs), None)
    if layer is None:
        layer = next((o for o in outs if o.startswith("note")), None)
    areas = requested_areas(body)
    return {"area_id": areas[0] if areas else None, "period": requested_value(body, "period"),
            "layer": layer, "outputs": sorted(set(outs)), "changed": changed}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``2026-11-01``, ``2026-11-01T08:00``, or relative ``7d`` / ``12h`` / ``30m`` (UTC)."""
    text = text.strip()
    now = now or utcnow()
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if text[:-1].isdigit() and text[-1:] in units:
        n, per_day = int(text[:-1]), {"d": 1, "h": 24, "m": 24 * 60}[text[-1]]
        if n > MAX_SINCE_DAYS * per_day:
            raise ValueError(f"--since '{text[:40]}': at most {MAX_SINCE_DAYS} days ({MAX_SINCE_DAYS}d) back")
        return now - timedelta(**{units[text[-1]]: n})
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError as exc:
        raise ValueError(f"--since '{text[:40]}': expected YYYY-MM-DD[THH:MM] or 7d / 12h / 30m") from exc


def query(engine: Engine, since: datetime | None = None, user: str | None = None, action: str | None = None,
          limit: int = 1000) -> list[dict]:
    """Audit rows, newest first."""
    stmt = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if since is not None:
        stmt = stmt.where(audit_log.c.at >= since)
    if user:
        stmt = stmt.where(audit_log.c.user == user)
    if action:
        stmt = stmt.where(audit_log.c.action == action)
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return [{**r, "at": r["at"].isoformat(timespec="seconds") if r["at"] else None} for r in rows]
