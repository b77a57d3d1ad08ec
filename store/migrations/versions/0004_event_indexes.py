"""event indexes for map queries at national scale, cheaper to maintain on bulk imports

- ``(y, x)``: every map query asks for a bounding box (an area plus buffer, a kommun);
- ``(area_id, month)`` only for events without a precise position (an area named in a text, a
  DeSO): precise points are found by their coordinates;
- ``(kommun_kod, month)`` only for the DeSO-level crime events (the DeSO hotspot layer).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

IMPRECISE = sa.text("precision NOT IN ('exact', 'street')")
DESO = sa.text("precision = 'deso'")


def upgrade() -> None:
    op.drop_index("ix_events_area_month", table_name="events")
    op.drop_index("ix_events_kommun_month", table_name="events")
    op.create_index("ix_events_y_x", "events", ["y", "x"])
    op.create_index("ix_events_area_month_imprecise", "events", ["area_id", "month"],
                    sqlite_where=IMPRECISE, postgresql_where=IMPRECISE)
    op.create_index("ix_events_kommun_month_deso", "events", ["kommun_kod", "month"],
                    sqlite_where=DESO, postgresql_where=DESO)


def downgrade() -> None:
    op.drop_index("ix_events_kommun_month_deso", table_name="events")
    op.drop_index("ix_events_area_month_imprecise", table_name="events")
    op.drop_index("ix_events_y_x", table_name="events")
    op.create_index("ix_events_kommun_month", "events", ["kommun_kod", "month"])
    op.create_index("ix_events_area_month", "events", ["area_id", "month"])
