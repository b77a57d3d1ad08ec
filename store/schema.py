"""The database schema (SQLAlchemy Core), one definition for SQLite and PostgreSQL+PostGIS.

Geometry is stored as WKB (``LargeBinary``) in both SQLite and PostgreSQL, so one code path reads
it; on PostgreSQL the migration adds PostGIS ``geometry`` columns generated from the WKB (with GiST
indexes) for spatial SQL. Months are ``'YYYY-MM'`` strings (sortable, portable). Event times are
naive local Swedish time.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("rows_accepted", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("imported_by", String(128), nullable=False),
    Column("warnings", Text),  # JSON list of strings
    UniqueConstraint("kind", "file_hash", name="uq_imports_kind_hash"),
)

areas = Table(
    "areas",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("area_id", String(32), nullable=False),
    Column("list_year", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("category", String(32), nullable=False),
    Column("ort", Text),
    Column("kommun_kod", String(4)),
    Column("kommun", Text),
    Column("lpo", Text),
    Column("lpo_code", String(16)),
    Column("polisomrade", Text),
    Column("polisomrade_code", String(16)),
    Column("region", String(32)),
    Column("region_code", String(16)),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("population", Float),
    Column("area_km2", Float),
    Column("shape_note", Text),
    Column("source", String(64)),
    Column("geom_3006", LargeBinary, nullable=False),
    Column("geom_4326", LargeBinary, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
    UniqueConstraint("area_id", "list_year", name="uq_areas_id_year"),
)
Index("ix_areas_list_year", areas.c.list_year)

area_lineage = Table(
    "area_lineage",
    metadata,
    Column("from_id", String(32), primary_key=True),
    Column("from_year", Integer, primary_key=True),
    Column("to_id", String(32), primary_key=True),
    Column("to_year", Integer, primary_key=True),
    Column("share_of_from", Float, nullable=False),
    Column("share_of_to", Float, nullable=False),
    Column("iou", Float, nullable=False),
    Column("relation", String(32), nullable=False),
)

area_profiles = Table(
    "area_profiles",
    metadata,
    Column("area_id", String(32), primary_key=True),
    Column("list_year", Integer, primary_key=True),
    Column("population", Float),
    Column("share_0_24", Float),
    Column("foreign_born_share", Float),
    Column("net_income_median_tkr", Float),
    Column("low_economic_standard_pct", Float),
    Column("employment_rate_16_64", Float),
    Column("deso_count", Integer),
    Column("coverage", Float),
    Column("source", String(64)),
)

#: why each area of each list has a real offence series (from the DeSO crime tables) or not;
#: ``series_id`` is the id whose stored values the area shows (geodata.deso_series.series_basis)
area_real_series = Table(
    "area_real_series",
    metadata,
    Column("area_id", String(32), primary_key=True),
    Column("list_year", Integer, primary_key=True),
    Column("status", String(16), nullable=False),  # real | none
    Column("reason", String(32)),  # below_share | joint_only | other_place | no_source
    Column("series_id", String(32)),
    Column("source", String(32)),  # key | polygons | key+polygons
    Column("deso_count", Integer, nullable=False, default=0),
    Column("min_share", Float, nullable=False),
    Column("max_share", Float),
    Column("iou", Float),
    Column("note_sv", Text),
    Column("note_en", Text),
    Column("import_id", Integer, ForeignKey("imports.id")),
)

deso_units = Table(
    "deso_units",
    metadata,
    Column("deso", String(16), primary_key=True),
    Column("kommun_kod", String(4), nullable=False),
    Column("version", String(16), nullable=False),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
    Column("area_id", String(32)),
    Column("share_in_area", Float),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name_sv", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("direction", String(16), nullable=False),
    Column("proactive", Boolean, nullable=False, default=False),
    Column("rare", Boolean, nullable=False, default=False),
    Column("source", Text, nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("first_month", String(7)),
    Column("last_month", String(7)),
    Column("description_sv", Text),
    Column("description_en", Text),
    # an ended series: no data after this month will come (never "not yet reported")
    Column("series_end", String(7)),
    # JSON list of {"month", "sv", "en"}: from each month on, not comparable with before
    Column("breaks", Text),
)

indicator_values = Table(
    "indicator_values",
    metadata,
    Column("area_id", String(32), primary_key=True),
    Column("indicator_id", String(64), ForeignKey("indicators.id"), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("value", Float, nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
    # a value of a month that had not ended (or that its file marks preliminary): shown, flagged,
    # never tested (the verdict engine reads final rows only; migration 0009_revisions)
    Column("preliminary", Boolean, nullable=False, default=False, server_default=false()),
)
Index("ix_indicator_values_indicator_month", indicator_values.c.indicator_id, indicator_values.c.month)
# covering index: a period window for every area is an index-only range scan (final rows too:
# ``preliminary`` is in the index)
Index("ix_indicator_values_month", indicator_values.c.month, indicator_values.c.indicator_id,
      indicator_values.c.area_id, indicator_values.c.value, indicator_values.c.preliminary)

# the preliminary values only (a few rows): the newest preliminary month in one lookup
PRELIMINARY_VALUES = text("preliminary")
Index("ix_indicator_values_preliminary", indicator_values.c.month,
      sqlite_where=PRELIMINARY_VALUES, postgresql_where=PRELIMINARY_VALUES)

# Revisions (migration 0009_revisions): every value or target an import replaced (or removed), with
# the import that wrote it and the import that replaced it, so that any earlier data version of a
# figure can be rebuilt: the value of a key as of import V is the row whose
# ``old_import_id <= V < import_id``, or the current row when its ``import_id <= V``.
indicator_revisions = Table(
    "indicator_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("area_id", String(32), nullable=False),
    Column("indicator_id", String(64), nullable=False),
    Column("month", String(7), nullable=False),
    Column("field", String(8), nullable=False),  # value | target
    Column("old_value", Float, nullable=False),
    Column("old_preliminary", Boolean, nullable=False, default=False, server_default=false()),
    Column("old_synthetic", Boolean, nullable=False, default=False, server_default=false()),
    Column("old_import_id", Integer, ForeignKey("imports.id")),  # NULL: written outside an import
    Column("new_value", Float),  # NULL: the import removed the key
    Column("new_preliminary", Boolean),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),  # the import that replaced it
    Column("replaced_at", DateTime, nullable=False),  # UTC, the audit log's clock
)
Index("ix_indicator_revisions_key", indicator_revisions.c.area_id, indicator_revisions.c.indicator_id,
      indicator_revisions.c.month)
Index("ix_indicator_revisions_import_id", indicator_revisions.c.import_id)

targets = Table(
    "targets",
    metadata,
    Column("area_id", String(32), primary_key=True),
    Column("indicator_id", String(64), ForeignKey("indicators.id"), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("target", Float, nullable=False),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ext_id", String(64)),
    Column("source", String(64), nullable=False),
    Column("occurred_at", DateTime, nullable=False),
    Column("month", String(7), nullable=False),
    Column("type", Text, nullable=False),
    Column("x", Float),
    Column("y", Float),
    Column("lon", Float),
    Column("lat", Float),
    Column("precision", String(16), nullable=False),
    Column("area_id", String(32)),
    Column("kommun_kod", String(4)),
    Column("count", Integer, nullable=False, default=1),
    Column("synthetic", Boolean, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
)
# map queries ask for a period's months and a bounding box (migration 0005); area and kommun lookups
# only for events without a precise position (migration 0004)
IMPRECISE_EVENTS = text("precision NOT IN ('exact', 'street')")
DESO_EVENTS = text("precision = 'deso'")
Index("ix_events_month_y", events.c.month, events.c.y)
Index("ix_events_source_ext", events.c.source, events.c.ext_id)
Index("ix_events_area_month_imprecise", events.c.area_id, events.c.month,
      sqlite_where=IMPRECISE_EVENTS, postgresql_where=IMPRECISE_EVENTS)
Index("ix_events_kommun_month_deso", events.c.kommun_kod, events.c.month,
      sqlite_where=DESO_EVENTS, postgresql_where=DESO_EVENTS)

pois = Table(
    "pois",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("name", Text),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("source", Text, nullable=False),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
)
Index("ix_pois_kind", pois.c.kind)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("area_id", String(32)),
    Column("period", String(16)),
    Column("layer", String(64)),
    Column("detail", Text),
    Column("purpose", Text),
)
Index("ix_audit_log_at", audit_log.c.at)
# the exports of a period (revision notes look up what an earlier export showed; migration 0009)
Index("ix_audit_log_period_action", audit_log.c.period, audit_log.c.action)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("area_id", String(32), nullable=False),
    Column("period", String(16), nullable=False),
    Column("section", String(32), nullable=False),  # framsteg | problem | prioriteringar | atgarder
    Column("text", Text, nullable=False),
    Column("internal", Boolean, nullable=False, default=False),  # never shown in the kommun tier
    # shown in the kommun tier only when the police marked it so (migration 0010_disclosure_…)
    Column("kommun", Boolean, nullable=False, default=False, server_default=text("false")),
    Column("author", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("supersedes", Integer, ForeignKey("notes.id")),  # history: an edit is a new row
)
Index("ix_notes_area_period", notes.c.area_id, notes.c.period)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("password_hash", Text),  # argon2; NULL for header-authenticated accounts
    Column("role", String(32), nullable=False),
    Column("kommuner", Text),  # JSON list of kommun codes (kommunpartner)
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
)

# Server-side sessions (migration 0008_sec): the cookie carries a random token, the table its SHA-256.
# A session ends at logout, password change or deactivation (of every session of the user), after
# LAGESBILD_SESSION_IDLE_MINUTES without a request, and LAGESBILD_SESSION_MINUTES after login.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 hex of the token (never the token itself)
    Column("user_name", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("end_reason", String(32)),
    Column("remote", String(64)),
)
Index("ix_sessions_user_name", sessions.c.user_name)

# Login throttling (migration 0008_sec): failures per client address, per account name (an HMAC of
# the typed name, so unknown names behave like known ones) and per trusted device.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(96), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_failure_at", DateTime, nullable=False),
    Column("blocked_until", DateTime),
)

# Named locks (migration 0008_sec): on SQLite, writing the row of a lock as the first statement of a
# transaction holds the database's write lock until commit (imports serialise on it); PostgreSQL
# uses advisory locks instead.
locks = Table(
    "locks",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128)),
    Column("acquired_at", DateTime),
)

# --- EST samverkan (issue 14, migration 0011_est_samverkan) -----------------------------------------
# Partners' observations: their own table and map layer, never added to a crime count.
observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("row_key", String(64), nullable=False),  # sha256 of the row's content: re-import is a no-op
    Column("obs_date", Date, nullable=False),
    Column("week", String(8), nullable=False),  # ISO week 'YYYY-Www'
    Column("month", String(7), nullable=False),
    Column("category", String(48), nullable=False),  # store.catalogue.OBSERVATION_CATEGORIES
    Column("organisation", Text, nullable=False),
    Column("reporter_role", Text),
    Column("x", Float),
    Column("y", Float),
    Column("lon", Float),
    Column("lat", Float),
    Column("area_id", String(32)),
    Column("kommun_kod", String(4)),
    Column("place_text", Text),  # a free-text place without coordinates
    Column("description", Text),
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),
)
Index("ix_observations_row_key", observations.c.row_key, unique=True)
Index("ix_observations_kommun_week", observations.c.kommun_kod, observations.c.week)

# The agreement ledger: agreement → problem → promise (medborgarlöfte) → action. Every edit is a new
# row superseding the previous one of the same item_key (history kept, as notes are).
ledger_items = Table(
    "ledger_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_key", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # agreement | problem | promise | action
    Column("parent_key", String(64)),
    Column("kommun_kod", String(4)),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("area_ids", Text),  # JSON list
    Column("place", Text),
    Column("indicator_ids", Text),  # JSON list
    Column("owner", Text),
    Column("organisation", Text),
    Column("due_date", Date),
    Column("status", String(16)),  # planerad | pagaende | klar | installd
    Column("done_date", Date),
    Column("period_from", String(16)),
    Column("period_to", String(16)),
    Column("internal", Boolean, nullable=False, default=False, server_default=text("false")),
    Column("removed", Boolean, nullable=False, default=False, server_default=text("false")),
    Column("author", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("supersedes", Integer, ForeignKey("ledger_items.id")),
    Column("import_id", Integer, ForeignKey("imports.id")),
)
Index("ix_ledger_items_key", ledger_items.c.item_key)
Index("ix_ledger_items_kommun", ledger_items.c.kommun_kod)

week_places = Table(
    "week_places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kommun_kod", String(4), nullable=False),
    Column("week", String(8), nullable=False),
    Column("place", Text, nullable=False),
    Column("area_id", String(32)),
    Column("owner", Text, nullable=False),
    Column("reason", Text),
    Column("removed", Boolean, nullable=False, default=False, server_default=text("false")),
    Column("author", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("supersedes", Integer, ForeignKey("week_places.id")),
)
Index("ix_week_places_kommun_week", week_places.c.kommun_kod, week_places.c.week)

priorities = Table(
    "priorities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kommun_kod", String(4), nullable=False),
    Column("tertial", String(8), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("area_id", String(32), nullable=False),
    Column("impact", Integer),  # hand-scored påverkansmöjlighet 0–3
    Column("reason", Text, nullable=False),
    Column("author", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_priorities_kommun_tertial", priorities.c.kommun_kod, priorities.c.tertial)
