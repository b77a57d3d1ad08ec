"""server-side sessions, login throttling and named locks (issue 12)

- ``sessions``: one row per login; the cookie holds a random token, the row its SHA-256. Ended at
  logout, password change, deactivation, idle timeout or absolute expiry.
- ``login_throttle``: failed logins per client address, per account (HMAC of the typed name) and per
  trusted device, with the time until which further attempts are refused (backoff).
- ``locks``: named lock rows (imports serialise on ``import`` on SQLite; PostgreSQL uses an advisory
  lock).

Revision ID: 0008_sec_sessions_throttle_locks
Revises: 0007_series_end_breaks
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_sec_sessions_throttle_locks"
down_revision = "0007_series_end_breaks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.Column("remote", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index("ix_sessions_user_name", "sessions", ["user_name"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "locks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=True),
        sa.Column("acquired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_locks")),
    )
    op.bulk_insert(sa.table("locks", sa.column("name", sa.String)), [{"name": "import"}])


def downgrade() -> None:
    op.drop_table("locks")
    op.drop_table("login_throttle")
    op.drop_index("ix_sessions_user_name", table_name="sessions")
    op.drop_table("sessions")
