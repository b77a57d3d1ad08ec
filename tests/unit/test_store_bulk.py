"""store.bulk: a big load on SQLite drops the table's secondary indexes and rebuilds them after, in
the caller's transaction, whatever the connection did before (a temporary table, a sort)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Table, Text, text

from store.bulk import bulk_insert, deferred_indexes
from store.engine import make_engine


def _table(engine):
    meta = MetaData()
    t = Table("t", meta, Column("id", Integer, primary_key=True), Column("k", Text, index=True))
    meta.create_all(engine)
    return t


def _indexes(conn) -> list[str]:
    return [r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 't' AND sql IS NOT NULL")]


def test_indexes_are_rebuilt_after_a_big_load_when_the_transaction_used_temporary_storage(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    t = _table(engine)
    with engine.begin() as conn:
        before = _indexes(conn)
        # an earlier step of the same import opened SQLite's temporary database (a temp table)
        conn.execute(text("CREATE TEMP TABLE seen (x INTEGER)"))
        conn.execute(text("INSERT INTO seen VALUES (1)"))
        with deferred_indexes(conn, t, expected_rows=200_000) as dropped:
            assert dropped and _indexes(conn) == []
            bulk_insert(conn, t, ["id", "k"], [(i, str(i % 7)) for i in range(1000)])
        assert _indexes(conn) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one() == 1000
        assert _indexes(conn) == before
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT id FROM t WHERE k = '3'"))
        assert "ix_t_k" in plan


def test_an_error_inside_the_load_keeps_the_indexes_and_the_rows(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    t = _table(engine)
    with engine.begin() as conn:
        bulk_insert(conn, t, ["id", "k"], [(1, "a")])
        before = _indexes(conn)
    try:
        with engine.begin() as conn, deferred_indexes(conn, t, expected_rows=200_000):
            bulk_insert(conn, t, ["id", "k"], [(2, "b")])
            raise RuntimeError("row 2 is wrong")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert _indexes(conn) == before
        assert conn.exec_driver_sql("SELECT id FROM t").scalars().all() == [1]


def test_a_big_bulk_insert_rebuilds_the_indexes_it_dropped(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    t = _table(engine)
    with engine.begin() as conn:
        before = _indexes(conn)
        conn.execute(text("CREATE TEMP TABLE seen (x INTEGER)"))
        assert bulk_insert(conn, t, ["id", "k"], [(i, str(i % 7)) for i in range(100_001)]) == 100_001
    with engine.connect() as conn:
        assert _indexes(conn) == before
        assert conn.exec_driver_sql("SELECT count(*) FROM t WHERE k = '3'").scalar_one() == 14_286
