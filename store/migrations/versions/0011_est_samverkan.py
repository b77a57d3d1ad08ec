"""EST samverkan (issue 14): partners' observations, the agreement ledger, places for next week, the
tertial's chosen three.

- ``observations``: what partners saw (their own layer; never added to a crime count);
- ``ledger_items``: agreements → problems → promises (medborgarlöften) → actions; every edit is a new
  row (``supersedes``), the current item is the newest row of its ``item_key``;
- ``week_places``: places picked at the weekly meeting for the coming week, each with an owner;
- ``priorities``: the three areas or places a kommun's group chose for a tertial, with a reason.

Revision ID: 0011_est_samverkan
Revises: 0010_disclosure_notes_kommun
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_est_samverkan"
down_revision = "0010_disclosure_notes_kommun"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("row_key", sa.String(64), nullable=False),
        sa.Column("obs_date", sa.Date(), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("category", sa.String(48), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("reporter_role", sa.Text()),
        sa.Column("x", sa.Float()),
        sa.Column("y", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("lat", sa.Float()),
        sa.Column("area_id", sa.String(32)),
        sa.Column("kommun_kod", sa.String(4)),
        sa.Column("place_text", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id")),
    )
    op.create_index("ix_observations_row_key", "observations", ["row_key"], unique=True)
    op.create_index("ix_observations_kommun_week", "observations", ["kommun_kod", "week"])
    op.create_table(
        "ledger_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("item_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_key", sa.String(64)),
        sa.Column("kommun_kod", sa.String(4)),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("area_ids", sa.Text()),
        sa.Column("place", sa.Text()),
        sa.Column("indicator_ids", sa.Text()),
        sa.Column("owner", sa.Text()),
        sa.Column("organisation", sa.Text()),
        sa.Column("due_date", sa.Date()),
        sa.Column("status", sa.String(16)),
        sa.Column("done_date", sa.Date()),
        sa.Column("period_from", sa.String(16)),
        sa.Column("period_to", sa.String(16)),
        sa.Column("internal", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("removed", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("supersedes", sa.Integer(), sa.ForeignKey("ledger_items.id")),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id")),
    )
    op.create_index("ix_ledger_items_key", "ledger_items", ["item_key"])
    op.create_index("ix_ledger_items_kommun", "ledger_items", ["kommun_kod"])
    op.create_table(
        "week_places",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kommun_kod", sa.String(4), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("area_id", sa.String(32)),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("removed", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("supersedes", sa.Integer(), sa.ForeignKey("week_places.id")),
    )
    op.create_index("ix_week_places_kommun_week", "week_places", ["kommun_kod", "week"])
    op.create_table(
        "priorities",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kommun_kod", sa.String(4), nullable=False),
        sa.Column("tertial", sa.String(8), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.String(32), nullable=False),
        sa.Column("impact", sa.Integer()),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_priorities_kommun_tertial", "priorities", ["kommun_kod", "tertial"])


def downgrade() -> None:
    for table in ("priorities", "week_places", "ledger_items", "observations"):
        op.drop_table(table)
