"""revisions and preliminary values (issue 16 item 4, issue 11 item 5)

- ``indicator_revisions``: every value or target an import replaced or removed, with the import
  that wrote it and the import that replaced it (any earlier data version of a figure can be
  rebuilt; ``cli.py revisions`` lists them);
- ``indicator_values.preliminary``: a value of a month that had not ended when it was imported (or
  that its file marks preliminary) is stored flagged, shown as preliminary and never tested; the
  covering month index gets the column so that the verdict engine's final-only reads stay
  index-only; a partial index holds the preliminary rows' months (the newest one in one lookup);
- ``ix_audit_log_period_action``: the exports of a period, for the revision notes.

Revision ID: 0009_revisions
Revises: 0008_sec_sessions_throttle_locks
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_revisions"
down_revision = "0008_sec_sessions_throttle_locks"
branch_labels = None
depends_on = None

PRELIMINARY = sa.text("preliminary")


def upgrade() -> None:
    with op.batch_alter_table("indicator_values") as batch:
        batch.add_column(sa.Column("preliminary", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.drop_index("ix_indicator_values_month", table_name="indicator_values")
    op.create_index("ix_indicator_values_month", "indicator_values",
                    ["month", "indicator_id", "area_id", "value", "preliminary"], unique=False)
    op.create_index("ix_indicator_values_preliminary", "indicator_values", ["month"], unique=False,
                    sqlite_where=PRELIMINARY, postgresql_where=PRELIMINARY)
    op.create_table(
        "indicator_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_id", sa.String(length=32), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("field", sa.String(length=8), nullable=False),
        sa.Column("old_value", sa.Float(), nullable=False),
        sa.Column("old_preliminary", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("old_synthetic", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("old_import_id", sa.Integer(), nullable=True),
        sa.Column("new_value", sa.Float(), nullable=True),
        sa.Column("new_preliminary", sa.Boolean(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["old_import_id"], ["imports.id"],
                                name=op.f("fk_indicator_revisions_old_import_id_imports")),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_indicator_revisions_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_revisions")),
    )
    op.create_index("ix_indicator_revisions_key", "indicator_revisions", ["area_id", "indicator_id", "month"],
                    unique=False)
    op.create_index("ix_indicator_revisions_import_id", "indicator_revisions", ["import_id"], unique=False)
    op.create_index("ix_audit_log_period_action", "audit_log", ["period", "action"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_period_action", table_name="audit_log")
    op.drop_index("ix_indicator_revisions_import_id", table_name="indicator_revisions")
    op.drop_index("ix_indicator_revisions_key", table_name="indicator_revisions")
    op.drop_table("indicator_revisions")
    op.drop_index("ix_indicator_values_preliminary", table_name="indicator_values")
    op.drop_index("ix_indicator_values_month", table_name="indicator_values")
    op.create_index("ix_indicator_values_month", "indicator_values", ["month", "indicator_id", "area_id", "value"],
                    unique=False)
    with op.batch_alter_table("indicator_values") as batch:
        batch.drop_column("preliminary")
