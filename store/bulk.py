"""Fast bulk writes inside an open SQLAlchemy transaction (sqlite3 executemany, PostgreSQL COPY)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import Connection, Table


def _secondary_indexes(conn: Connection, table: Table) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's secondary indexes on SQLite."""
    return [(r[0], r[1]) for r in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table.name,)).fetchall()]


def _open_transaction(conn: Connection) -> None:
    """Make sure SQLite has really begun the caller's transaction before a DROP INDEX: Python's
    sqlite3 (before 3.12) begins one only before INSERT/UPDATE/DELETE, so a drop issued first would
    be committed on its own and an error later could not bring the index back."""
    dbapi = conn.connection.driver_connection
    if not dbapi.in_transaction:
        conn.exec_driver_sql("BEGIN")


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence],
                total: int | None = None, chunks: bool = False, cache_mb: int = 256) -> int:
    """Insert rows (tuples in ``columns`` order) into ``table`` on ``conn``'s transaction.

    Uses the driver directly (``executemany`` on SQLite, ``COPY`` on PostgreSQL): an order of
    magnitude faster than ORM inserts for millions of rows. With ``chunks=True``, ``rows`` is an
    iterable of lists of rows (built lazily by the caller, so a million rows never sit in memory
    as Python tuples at once) and ``total`` their number. ``cache_mb``: SQLite's page cache for the
    write (it holds up to that much of the table's new pages). Returns the number of rows written.
    """
    dbapi = conn.connection.driver_connection
    cols = ", ".join(f'"{c}"' for c in columns)
    parts = rows if chunks else [rows]
    if conn.dialect.name == "postgresql":
        n = 0
        with dbapi.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for part in parts:
                for row in part:
                    copy.write_row(row)
                    n += 1
        return n
    marks = ", ".join("?" for _ in columns)
    if not chunks:
        rows = rows if isinstance(rows, list) else list(rows)
        parts, total = [rows], len(rows)
    # A big load into a table is faster with its indexes rebuilt afterwards (one sort instead of
    # a million random B-tree inserts). All of it happens inside the caller's transaction, so
    # readers keep seeing the old table and its indexes until the commit.
    with deferred_indexes(conn, table, total or 0):
        cur = dbapi.cursor()
        cur.execute(f"PRAGMA cache_size=-{int(cache_mb) * 1024}")  # page cache for the bulk write
        n = 0
        try:
            for part in parts:
                part = part if isinstance(part, list) else list(part)
                cur.executemany(f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})', part)
                n += len(part)
        finally:
            cur.close()
    return n


@contextlib.contextmanager
def deferred_indexes(conn: Connection, table: Table, expected_rows: int, keep: Sequence[str] = ()) -> Iterator[bool]:
    """For a load written in many :func:`bulk_insert` calls (chunks): on SQLite, when
    ``expected_rows`` is big against the table, drop its secondary indexes (except ``keep``) for
    the block and rebuild them after it, inside the caller's transaction (an error rolls the drop
    back with everything else). Yields whether it did."""
    if conn.dialect.name != "sqlite" or expected_rows <= 100_000:
        yield False
        return
    existing = conn.exec_driver_sql(f'SELECT count(*) FROM "{table.name}"').scalar_one()
    if expected_rows <= existing // 4:
        yield False
        return
    rebuild = [(n, sql) for n, sql in _secondary_indexes(conn, table) if n not in keep]
    _open_transaction(conn)
    for name, _ in rebuild:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield True
    # the rebuild sorts every row of the table, in temporary files beyond the page cache (the
    # engine's temp_store=FILE), so its memory does not grow with the table
    for _, create in rebuild:
        conn.exec_driver_sql(create)
