"""Shared fixtures: the real data directory, fresh SQLite and PostgreSQL+PostGIS stores.

Browser and PostGIS tests skip locally with a clear reason when Chromium or PostgreSQL is missing;
with ``CI=true`` a missing dependency is a failure, never a skip.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get("LAGESBILD_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TEST_SEED = 20251201


def require_or_skip(ok: bool, reason: str) -> None:
    """Skip locally, fail in CI."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    env = os.environ.get("LAGESBILD_DATA_DIR")
    path = Path(env) if env else ROOT.parent / "shared" / "data"
    require_or_skip(path.is_dir(), f"data directory {path} not found (set LAGESBILD_DATA_DIR)")
    return path


@pytest.fixture
def sqlite_engine(tmp_path):
    """An empty migrated SQLite store."""
    from store.engine import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def reference_engine(tmp_path_factory, data_dir):
    """A SQLite store with the reference areas (no demo) — shared, treat as read-only."""
    from store.bootstrap import bootstrap
    from store.engine import make_engine

    path = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    bootstrap(engine, data_dir, demo=False)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory, data_dir) -> Path:
    """Path of a SQLite store with reference areas and the demo data (built once per session)."""
    from store.bootstrap import bootstrap
    from store.engine import make_engine

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    bootstrap(engine, data_dir, demo=True, seed=TEST_SEED)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_engine(demo_db_path):
    from store.engine import make_engine

    engine = make_engine(f"sqlite:///{demo_db_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def copy_engine(tmp_path, reference_engine):
    """A private copy of the reference store (safe to write to)."""
    import shutil

    from store.engine import make_engine

    src = Path(reference_engine.url.database)
    with reference_engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    dst = tmp_path / "copy.sqlite"
    shutil.copy(src, dst)
    engine = make_engine(f"sqlite:///{dst}")
    yield engine
    engine.dispose()


def _pg_available() -> tuple[bool, str]:
    try:
        import sqlalchemy as sa

        eng = sa.create_engine(PG_URL)
        with eng.connect() as conn:
            conn.exec_driver_sql("select 1")
            has_postgis = conn.exec_driver_sql(
                "select count(*) from pg_available_extensions where name = 'postgis'"
            ).scalar_one()
        eng.dispose()
    except Exception as exc:  # noqa: BLE001
        return False, f"PostgreSQL not reachable at {PG_URL}: {exc}"
    if not has_postgis:
        return False, "PostGIS extension not installed (apt-get install postgresql-15-postgis-3)"
    return True, ""


@pytest.fixture
def pg_engine():
    """A fresh PostgreSQL+PostGIS database, dropped afterwards."""
    import sqlalchemy as sa

    from store.engine import make_engine

    ok, reason = _pg_available()
    require_or_skip(ok, reason)
    name = f"lagesbild_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()

