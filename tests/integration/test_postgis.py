"""The production store: the same migrations and imports on a real PostgreSQL + PostGIS."""

from __future__ import annotations

import pandas as pd
import pytest

from store.bootstrap import bootstrap
from store.engine import is_migrated
from store.events_import import import_events
from store.imports import import_indicators
from store.queries import (
    areas_frame,
    events_frame,
    latest_area_geometries,
    table_counts,
    values_frame,
)

pytestmark = pytest.mark.postgis


def test_bootstrap_migrates_and_loads_every_list(pg_engine, data_dir):
    bootstrap(pg_engine, data_dir, demo=False)
    assert is_migrated(pg_engine)
    a = areas_frame(pg_engine)
    assert a.groupby("list_year").size().to_dict() == {2015: 53, 2017: 61, 2019: 60, 2021: 61, 2023: 59, 2025: 65}
    with pg_engine.connect() as conn:
        # PostGIS columns generated from the stored WKB: spatial SQL works on the same rows
        srid, valid = conn.exec_driver_sql(
            "select min(ST_SRID(geom)), bool_and(ST_IsValid(geom)) from areas"
        ).one()
        assert srid == 3006 and valid
        name = conn.exec_driver_sql(
            "select name from areas where list_year = 2025 and "
            "ST_Contains(geom, (select ST_PointOnSurface(geom) from areas where area_id = '74' and list_year = 2025))"
        ).scalar_one()
    assert name == "Rinkeby"


def test_imports_are_transactions_on_postgres(pg_engine, data_dir, tmp_path):
    bootstrap(pg_engine, data_dir, demo=False)
    good = tmp_path / "good.csv"
    good.write_text("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;3\nAlby;ran;2025-01;1\n", "utf-8")
    assert import_indicators(pg_engine, good).rows_accepted == 2
    before = table_counts(pg_engine)
    bad = tmp_path / "bad.csv"
    bad.write_text("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-02;3\nAlby;ran;2025-13;1\n", "utf-8")
    from geodata.errors import InputError

    with pytest.raises(InputError, match="2025-13"):
        import_indicators(pg_engine, bad)
    assert table_counts(pg_engine) == before
    assert import_indicators(pg_engine, good).status == "unchanged"
    assert len(values_frame(pg_engine)) == 2


def test_event_copy_and_spatial_assignment_agree_with_postgis(pg_engine, data_dir, tmp_path):
    bootstrap(pg_engine, data_dir, demo=False)
    polys = latest_area_geometries(pg_engine)
    pts = polys.geometry.representative_point()
    rows = ["tid;typ;x;y"] + [f"2025-04-0{1 + i % 9} 12:00;Test;{p.x:.2f};{p.y:.2f}" for i, p in enumerate(pts[:20])]
    rows.append("2025-04-01 12:00;Test;500000.00;6500000.00")  # in Sweden, in no area
    path = tmp_path / "pts.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    rep = import_events(pg_engine, path)
    assert rep.rows_accepted == 21
    ev = events_frame(pg_engine)
    with pg_engine.connect() as conn:
        pg = pd.DataFrame(conn.exec_driver_sql(
            "select e.id, (select a.area_id from areas a where ST_Contains(a.geom, e.geom) "
            "and a.list_year = (select max(b.list_year) from areas b where b.area_id = a.area_id) "
            "order by a.list_year desc, a.area_id limit 1) from events e").fetchall(), columns=["id", "pg_area"])
    merged = ev.merge(pg, on="id")
    assert merged["area_id"].isna().sum() == 1
    both = merged.dropna(subset=["area_id"])
    assert (both["area_id"] == both["pg_area"]).all()


def _schema_diff(engine) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from store.schema import metadata

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # PostGIS adds its own table and the generated geometry columns: not part of the portable schema
    return [d for d in diff if "spatial_ref_sys" not in str(d) and "'geom'" not in str(d)]


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_migrations_match_the_schema_on_postgres(pg_engine):
    from store.engine import migrate

    migrate(pg_engine)
    assert _schema_diff(pg_engine) == []


def test_migrations_match_the_schema_on_sqlite(sqlite_engine):
    assert _schema_diff(sqlite_engine) == []


def test_demo_bootstrap_on_postgres(pg_engine, data_dir):
    """The whole demo (real DeSO series and events, polisen.se events, synthetic data) on PostGIS."""
    from store.queries import catalogue_frame

    bootstrap(pg_engine, data_dir, demo=True)
    counts = table_counts(pg_engine)
    assert counts["indicator_values"] > 100_000 and counts["events"] > 100_000 and counts["pois"] > 90
    cat = catalogue_frame(pg_engine).set_index("id")
    assert cat.loc["skjutningar", "synthetic"] and not cat.loc["brand_i_motorfordon", "synthetic"]
    with pg_engine.connect() as conn:
        longest = conn.exec_driver_sql("select max(length(type)) from events").scalar_one()
        in_areas = conn.exec_driver_sql(
            "select count(*) from events e join areas a on a.list_year = 2025 and ST_Contains(a.geom, e.geom) "
            "where e.source = 'synthetic_demo'").scalar_one()
    assert longest > 128  # the police's offence texts
    assert in_areas > 1000  # synthetic points lie inside the real polygons (checked by PostGIS)
    with pg_engine.connect() as conn:  # real offence series for ≥ 60 areas of the 2025 list, each with values
        real_2025 = conn.exec_driver_sql(
            "select count(*) from area_real_series r where r.list_year = 2025 and r.status = 'real' and exists "
            "(select 1 from indicator_values v where v.area_id = r.series_id and v.indicator_id = 'brand' "
            "and not v.synthetic)").scalar_one()
    assert real_2025 >= 60
    before = table_counts(pg_engine)
    bootstrap(pg_engine, data_dir, demo=True)  # a second bootstrap changes nothing
    assert table_counts(pg_engine) == before
