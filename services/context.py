"""The engine of this process and the data version used in cache keys."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from config import settings
from store.engine import engine_for
from store.schema import imports


def engine() -> Engine:
    """The engine for the configured database (one pool per process)."""
    return engine_for(settings().database_url)


def data_version(eng: Engine | None = None) -> int:
    """Id of the newest import: part of every cache key, so an import invalidates cached views."""
    eng = eng or engine()
    with eng.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(imports.c.id), 0))).scalar_one())
