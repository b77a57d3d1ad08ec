"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23

On PostgreSQL the tables also get PostGIS geometry columns generated from the stored WKB / x,y
(with GiST indexes), so analysts can use spatial SQL on the same rows the app reads.
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('area_lineage',
    sa.Column('from_id', sa.String(length=32), nullable=False),
    sa.Column('from_year', sa.Integer(), nullable=False),
    sa.Column('to_id', sa.String(length=32), nullable=False),
    sa.Column('to_year', sa.Integer(), nullable=False),
    sa.Column('share_of_from', sa.Float(), nullable=False),
    sa.Column('share_of_to', sa.Float(), nullable=False),
    sa.Column('iou', sa.Float(), nullable=False),
    sa.Column('relation', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('from_id', 'from_year', 'to_id', 'to_year', name=op.f('pk_area_lineage'))
    )
    op.create_table('area_profiles',
    sa.Column('area_id', sa.String(length=32), nullable=False),
    sa.Column('list_year', sa.Integer(), nullable=False),
    sa.Column('population', sa.Float(), nullable=True),
    sa.Column('share_0_24', sa.Float(), nullable=True),
    sa.Column('foreign_born_share', sa.Float(), nullable=True),
    sa.Column('net_income_median_tkr', sa.Float(), nullable=True),
    sa.Column('low_economic_standard_pct', sa.Float(), nullable=True),
    sa.Column('employment_rate_16_64', sa.Float(), nullable=True),
    sa.Column('deso_count', sa.Integer(), nullable=True),
    sa.Column('coverage', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('area_id', 'list_year', name=op.f('pk_area_profiles'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=128), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('area_id', sa.String(length=32), nullable=True),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('layer', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)

    op.create_table('deso_units',
    sa.Column('deso', sa.String(length=16), nullable=False),
    sa.Column('kommun_kod', sa.String(length=4), nullable=False),
    sa.Column('version', sa.String(length=16), nullable=False),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('area_id', sa.String(length=32), nullable=True),
    sa.Column('share_in_area', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('deso', name=op.f('pk_deso_units'))
    )
    op.create_table('imports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('rows_accepted', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('imported_by', sa.String(length=128), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports')),
    sa.UniqueConstraint('kind', 'file_hash', name='uq_imports_kind_hash')
    )
    op.create_table('indicators',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name_sv', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('proactive', sa.Boolean(), nullable=False),
    sa.Column('rare', sa.Boolean(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('first_month', sa.String(length=7), nullable=True),
    sa.Column('last_month', sa.String(length=7), nullable=True),
    sa.Column('description_sv', sa.Text(), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    op.create_table('areas',
    sa.Column('pk', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('area_id', sa.String(length=32), nullable=False),
    sa.Column('list_year', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('ort', sa.Text(), nullable=True),
    sa.Column('kommun_kod', sa.String(length=4), nullable=True),
    sa.Column('kommun', sa.Text(), nullable=True),
    sa.Column('lpo', sa.Text(), nullable=True),
    sa.Column('lpo_code', sa.String(length=16), nullable=True),
    sa.Column('polisomrade', sa.Text(), nullable=True),
    sa.Column('polisomrade_code', sa.String(length=16), nullable=True),
    sa.Column('region', sa.String(length=32), nullable=True),
    sa.Column('region_code', sa.String(length=16), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('population', sa.Float(), nullable=True),
    sa.Column('area_km2', sa.Float(), nullable=True),
    sa.Column('shape_note', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=True),
    sa.Column('geom_3006', sa.LargeBinary(), nullable=False),
    sa.Column('geom_4326', sa.LargeBinary(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_areas_import_id_imports')),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_areas')),
    sa.UniqueConstraint('area_id', 'list_year', name='uq_areas_id_year')
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index('ix_areas_list_year', ['list_year'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('type', sa.String(length=128), nullable=False),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('precision', sa.String(length=16), nullable=False),
    sa.Column('area_id', sa.String(length=32), nullable=True),
    sa.Column('kommun_kod', sa.String(length=4), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_events_import_id_imports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_area_month', ['area_id', 'month'], unique=False)
        batch_op.create_index('ix_events_kommun_month', ['kommun_kod', 'month'], unique=False)
        batch_op.create_index('ix_events_source_ext', ['source', 'ext_id'], unique=False)

    op.create_table('indicator_values',
    sa.Column('area_id', sa.String(length=32), nullable=False),
    sa.Column('indicator_id', sa.String(length=64), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_indicator_values_import_id_imports')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_values_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('area_id', 'indicator_id', 'month', name=op.f('pk_indicator_values'))
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_values_indicator_month', ['indicator_id', 'month'], unique=False)
        batch_op.create_index('ix_indicator_values_month', ['month', 'indicator_id', 'area_id', 'value'], unique=False)

    op.create_table('pois',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_pois_import_id_imports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pois'))
    )
    with op.batch_alter_table('pois', schema=None) as batch_op:
        batch_op.create_index('ix_pois_kind', ['kind'], unique=False)

    op.create_table('targets',
    sa.Column('area_id', sa.String(length=32), nullable=False),
    sa.Column('indicator_id', sa.String(length=64), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_targets_import_id_imports')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_targets_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('area_id', 'indicator_id', 'month', name=op.f('pk_targets'))
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE areas ADD COLUMN geom geometry(MultiPolygon, 3006) "
            "GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromWKB(geom_3006), 3006)::geometry(MultiPolygon, 3006)) STORED"
        )
        op.execute("CREATE INDEX ix_areas_geom ON areas USING gist (geom)")
        op.execute(
            "ALTER TABLE events ADD COLUMN geom geometry(Point, 3006) "
            "GENERATED ALWAYS AS (CASE WHEN x IS NULL OR y IS NULL THEN NULL "
            "ELSE ST_SetSRID(ST_MakePoint(x, y), 3006) END) STORED"
        )
        op.execute("CREATE INDEX ix_events_geom ON events USING gist (geom)")
        op.execute(
            "ALTER TABLE pois ADD COLUMN geom geometry(Point, 3006) "
            "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), 3006)) STORED"
        )
        op.execute("CREATE INDEX ix_pois_geom ON pois USING gist (geom)")


def downgrade() -> None:
    op.drop_table('targets')
    with op.batch_alter_table('pois', schema=None) as batch_op:
        batch_op.drop_index('ix_pois_kind')

    op.drop_table('pois')
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_values_indicator_month')
        batch_op.drop_index('ix_indicator_values_month')

    op.drop_table('indicator_values')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_source_ext')
        batch_op.drop_index('ix_events_kommun_month')
        batch_op.drop_index('ix_events_area_month')

    op.drop_table('events')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index('ix_areas_list_year')

    op.drop_table('areas')
    op.drop_table('indicators')
    op.drop_table('imports')
    op.drop_table('deso_units')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_at')

    op.drop_table('audit_log')
    op.drop_table('area_profiles')
    op.drop_table('area_lineage')
