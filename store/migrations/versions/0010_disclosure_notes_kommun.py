"""notes.kommun: a note is shown in the kommun tier only when the police marked it for the kommun

Until now every note not marked internal reached the kommun tier; the kommun tier's policy
(``reports/disclosure.py``) shows only notes explicitly marked for the kommun. Existing notes are
not marked (nothing is shared that was not shared on purpose).

Revision ID: 0010_disclosure_notes_kommun
Revises: 0009_revisions
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_disclosure_notes_kommun"
down_revision = "0009_revisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.add_column(sa.Column("kommun", sa.Boolean(), nullable=False, server_default=sa.text("false")))


def downgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("kommun")
