"""event type as unbounded text (the police's offence texts are longer than 128 characters)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("type", existing_type=sa.String(length=128), type_=sa.Text(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("type", existing_type=sa.Text(), type_=sa.String(length=128), existing_nullable=False)
