"""area_real_series: why each area of each list has a real offence series or not

The real DeSO offence series are stored per stable id; an older list's area that is not the same
place as its id's series (Polisen split or redrew it) must not show that series. This table holds,
per (area, list year), the rule's outcome: status, reason, the id whose values the area shows, the
number of DeSOs counted, the share threshold and the notes the page and the CLI show.

Revision ID: 0006_real_series_basis
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_real_series_basis"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "area_real_series",
        sa.Column("area_id", sa.String(length=32), nullable=False),
        sa.Column("list_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("series_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=True),
        sa.Column("deso_count", sa.Integer(), nullable=False),
        sa.Column("min_share", sa.Float(), nullable=False),
        sa.Column("max_share", sa.Float(), nullable=True),
        sa.Column("iou", sa.Float(), nullable=True),
        sa.Column("note_sv", sa.Text(), nullable=True),
        sa.Column("note_en", sa.Text(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_area_real_series_import_id_imports")),
        sa.PrimaryKeyConstraint("area_id", "list_year", name=op.f("pk_area_real_series")),
    )


def downgrade() -> None:
    op.drop_table("area_real_series")
