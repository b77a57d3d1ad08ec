"""Revisions: every value an import replaced, kept with the import that replaced it.

An import that changes an indicator value (or a target) first copies the stored row into
``indicator_revisions`` (old value, its preliminary and synthetic flags, the import that wrote it)
with the new value and the import that replaces it; a key an import removes gets ``new_value``
NULL. Nothing else is ever deleted from the table, so the value a figure had at any data version
(import id) can be rebuilt (:func:`indicators.revisions.values_as_of`), and ``cli.py revisions``
lists the changes.

The import's own transaction writes the revision rows: a refused or failed import leaves none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, and_, insert, select
from sqlalchemy.orm import aliased

from store.schema import imports, indicator_revisions

#: the columns :func:`revisions_frame` returns
REVISION_COLUMNS = ["id", "area_id", "indicator_id", "month", "field", "old_value", "old_preliminary",
                    "old_synthetic", "old_import_id", "new_value", "new_preliminary", "import_id", "replaced_at"]


def utcnow() -> datetime:
    """Naive UTC, the audit log's clock (revision times compare with export times)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def revision_rows(old: pd.DataFrame, new: pd.DataFrame | None, field: str, import_id: int,
                  at: datetime | None = None) -> list[dict]:
    """The revision rows of replacing ``old`` (the stored rows of the keys an import writes or
    removes: ``area_id, indicator_id, month, value`` and optionally ``preliminary``,
    ``synthetic``, ``import_id``) by ``new`` (the same keys with ``value`` and optionally
    ``preliminary``; a key missing from ``new`` is removed).

    Only keys whose value or preliminary flag changes are returned.

    >>> old = pd.DataFrame({"area_id": ["74", "74"], "indicator_id": ["ran", "ran"],
    ...                     "month": ["2025-01", "2025-02"], "value": [12.0, 3.0], "import_id": [4, 4]})
    >>> new = pd.DataFrame({"area_id": ["74", "74"], "indicator_id": ["ran", "ran"],
    ...                     "month": ["2025-01", "2025-02"], "value": [15.0, 3.0]})
    >>> [(r["month"], r["old_value"], r["new_value"], r["old_import_id"]) for r in revision_rows(old, new, "value", 7)]
    [('2025-01', 12.0, 15.0, 4)]
    """
    if old is None or old.empty:
        return []
    key = ["area_id", "indicator_id", "month"]
    at = at or utcnow()
    o = old.copy()
    for col, default in (("preliminary", False), ("synthetic", False), ("import_id", None)):
        if col not in o.columns:
            o[col] = default
    if new is not None and len(new):
        n = new[key + ["value"] + (["preliminary"] if "preliminary" in new.columns else [])].rename(
            columns={"value": "new_value", "preliminary": "new_preliminary"})
        if "new_preliminary" not in n.columns:
            n["new_preliminary"] = False
        o = o.merge(n, on=key, how="left")
    else:
        o["new_value"], o["new_preliminary"] = float("nan"), None
    rows = []
    for r in o.itertuples(index=False):
        removed = pd.isna(r.new_value)
        new_prelim = None if removed else bool(r.new_preliminary)
        if not removed and float(r.new_value) == float(r.value) and new_prelim == bool(r.preliminary):
            continue
        rows.append({
            "area_id": str(r.area_id), "indicator_id": str(r.indicator_id), "month": str(r.month), "field": field,
            "old_value": float(r.value), "old_preliminary": bool(r.preliminary), "old_synthetic": bool(r.synthetic),
            "old_import_id": None if pd.isna(r.import_id) else int(r.import_id),
            "new_value": None if removed else float(r.new_value), "new_preliminary": new_prelim,
            "import_id": int(import_id), "replaced_at": at,
        })
    return rows


def record_revisions(conn: Connection, rows: list[dict]) -> int:
    """Write revision rows (inside the import's transaction); returns how many."""
    if rows:
        conn.execute(insert(indicator_revisions), rows)
    return len(rows)


def has_revisions(engine: Engine, area_id: str) -> bool:
    """Whether any value of the area was ever replaced (one index lookup)."""
    rv = indicator_revisions.c
    with engine.connect() as conn:
        return conn.execute(select(rv.id).where(rv.area_id == str(area_id)).limit(1)).first() is not None


def revisions_frame(engine: Engine, area_ids: Sequence[str] | None = None,
                    indicator_ids: Sequence[str] | None = None, months: tuple[str, str] | None = None,
                    field: str | None = None, with_imports: bool = False) -> pd.DataFrame:
    """Revision rows (oldest first), filtered by areas, indicators, an inclusive month range and
    field (``value`` | ``target``). ``with_imports`` adds the file, user and finish time of the
    import that wrote the old value (``old_file``, ``old_by``, ``old_at``) and of the one that
    replaced it (``file``, ``by``, ``at``)."""
    rv = indicator_revisions.c
    conds = []
    if area_ids is not None:
        conds.append(rv.area_id.in_([str(a) for a in area_ids]))
    if indicator_ids is not None:
        conds.append(rv.indicator_id.in_(list(indicator_ids)))
    if months is not None:
        conds.append(rv.month.between(months[0], months[1]))
    if field is not None:
        conds.append(rv.field == field)
    cols = [rv[c] for c in REVISION_COLUMNS]
    names = list(REVISION_COLUMNS)
    stmt = select(*cols)
    if with_imports:
        old_imp, new_imp = aliased(imports), aliased(imports)
        cols += [old_imp.c.file_name, old_imp.c.imported_by, old_imp.c.finished_at,
                 new_imp.c.file_name, new_imp.c.imported_by, new_imp.c.finished_at]
        names += ["old_file", "old_by", "old_at", "file", "by", "at"]
        stmt = (select(*cols).select_from(indicator_revisions)
                .outerjoin(old_imp, old_imp.c.id == rv.old_import_id)
                .outerjoin(new_imp, new_imp.c.id == rv.import_id))
    if conds:
        stmt = stmt.where(and_(*conds))
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(rv.area_id, rv.indicator_id, rv.month, rv.import_id, rv.id)).fetchall()
    frame = pd.DataFrame(rows, columns=names)
    for col in ("old_value", "new_value"):
        frame[col] = frame[col].astype(float)
    for col in ("old_preliminary", "old_synthetic"):
        frame[col] = frame[col].astype(bool)
    return frame
