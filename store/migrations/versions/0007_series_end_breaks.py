"""indicators.series_end and indicators.breaks: ended series and breaks in a series

A series that has ended (a one-off extract) says so instead of "not yet reported"; a break (a source
changed how it counts or places events) stops every comparison across it.

Revision ID: 0007_series_end_breaks
Revises: 0006_real_series_basis
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_series_end_breaks"
down_revision = "0006_real_series_basis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("series_end", sa.String(length=7), nullable=True))
        batch.add_column(sa.Column("breaks", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("breaks")
        batch.drop_column("series_end")
