"""Reads that return the plain frames the pure layers work on (the data contracts).

- :func:`areas_frame` → ``id, name, category, ort, kommun_kod, kommun, lpo, polisomrade, region,
  population, list_year`` (+ ``shape_note``, ``area_km2``)
- :func:`catalogue_frame` → the indicator catalogue
- :func:`values_frame` → ``area_id, indicator_id, month, value`` (``final_only``: without
  preliminary values; ``flags``: with ``preliminary`` and ``import_id``)
- :func:`targets_frame` → ``area_id, indicator_id, month, target``
- :func:`events_frame` → point events with ``x, y`` (EPSG:3006), ``precision`` …

All SQL goes through bound parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine, and_, false, func, select

from store.schema import (
    PRELIMINARY_VALUES,
    area_lineage,
    area_profiles,
    area_real_series,
    areas,
    events,
    imports,
    indicator_revisions,
    indicator_values,
    indicators,
    pois,
    targets,
)


def read_frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    """Run a SELECT with bound parameters straight on the driver cursor into a DataFrame.

    SQLAlchemy ``Row`` objects cost more than the query itself for 100,000 rows; the statement is
    still compiled by SQLAlchemy with bound parameters (no string interpolation of values).
    """
    with engine.connect() as conn:
        compiled = stmt.compile(conn, compile_kwargs={"render_postcompile": True})
        params = compiled.params
        args = tuple(params[k] for k in compiled.positiontup) if compiled.positional else params
        cur = conn.connection.driver_connection.cursor()
        try:
            cur.execute(str(compiled), args)
            rows = cur.fetchall()
        finally:
            cur.close()
    return pd.DataFrame.from_records(rows, columns=columns)


AREA_COLUMNS = [
    "id", "name", "category", "ort", "kommun_kod", "kommun", "lpo", "polisomrade", "region",
    "population", "list_year", "shape_note", "area_km2", "valid_from",
]


def list_years(engine: Engine) -> list[int]:
    """List years present in the store, ascending."""
    with engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(select(areas.c.list_year).distinct().order_by(areas.c.list_year))]


def areas_frame(engine: Engine, list_year: int | None = None) -> pd.DataFrame:
    """Areas of one list year (all years when None), without geometry."""
    cols = [areas.c.area_id.label("id"), *[areas.c[c] for c in AREA_COLUMNS[1:]]]
    stmt = select(*cols).order_by(areas.c.list_year, areas.c.name)
    if list_year is not None:
        stmt = stmt.where(areas.c.list_year == list_year)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).fetchall(), columns=AREA_COLUMNS)
    frame["population"] = frame["population"].astype(float)
    return frame


def area_geometries(engine: Engine, list_year: int | None, crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """Areas with geometry in ``crs`` (EPSG:4326 for the map, EPSG:3006 for metric work)."""
    geom_col = areas.c.geom_4326 if crs == "EPSG:4326" else areas.c.geom_3006
    stmt = select(areas.c.area_id, areas.c.list_year, areas.c.name, areas.c.category, areas.c.kommun_kod,
                  areas.c.region, geom_col.label("wkb")).order_by(areas.c.list_year, areas.c.area_id)
    if list_year is not None:
        stmt = stmt.where(areas.c.list_year == list_year)
    with engine.connect() as conn:
        rows = conn.execute(stmt).fetchall()
    frame = pd.DataFrame(rows, columns=["id", "list_year", "name", "category", "kommun_kod", "region", "wkb"])
    geoms = shapely.from_wkb(np.asarray([bytes(w) for w in frame["wkb"]], dtype=object)) if len(frame) else []
    return gpd.GeoDataFrame(frame.drop(columns="wkb"), geometry=geoms, crs=crs)


def latest_area_geometries(engine: Engine, crs: str = "EPSG:3006") -> gpd.GeoDataFrame:
    """Each area id once, with the polygon of the latest list it is on (the geography of its series)."""
    gdf = area_geometries(engine, None, crs)
    return gdf.sort_values("list_year").drop_duplicates("id", keep="last").reset_index(drop=True)


def lineage_frame(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(select(area_lineage)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in area_lineage.columns])


def profiles_frame(engine: Engine, list_year: int | None = None) -> pd.DataFrame:
    """Peer-group profiles (SCB DeSO statistics) per area, for the areas whose DeSOs are known."""
    stmt = select(area_profiles)
    if list_year is not None:
        stmt = stmt.where(area_profiles.c.list_year == list_year)
    with engine.connect() as conn:
        rows = conn.execute(stmt).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in area_profiles.columns])


def real_series_frame(engine: Engine, list_year: int | None = None) -> pd.DataFrame:
    """Why each area has a real offence series or not (``area_real_series``; empty when the demo's
    real series were not loaded)."""
    stmt = select(area_real_series)
    if list_year is not None:
        stmt = stmt.where(area_real_series.c.list_year == list_year)
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(area_real_series.c.list_year, area_real_series.c.area_id)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in area_real_series.columns])


def catalogue_frame(engine: Engine) -> pd.DataFrame:
    """The indicator catalogue (see indicators engine contract)."""
    with engine.connect() as conn:
        rows = conn.execute(select(indicators).order_by(indicators.c.synthetic, indicators.c.id)).fetchall()
    frame = pd.DataFrame(rows, columns=[c.name for c in indicators.columns])
    for col in ("proactive", "rare", "synthetic"):
        frame[col] = frame[col].astype(bool)
    return frame


#: the extra columns of ``flags=True``: whether a value is preliminary, and the import that wrote it
FLAG_COLUMNS = ["preliminary", "import_id"]


def _flagged(frame: pd.DataFrame) -> pd.DataFrame:
    frame["preliminary"] = frame["preliminary"].astype(bool)
    frame["import_id"] = pd.to_numeric(frame["import_id"], errors="coerce").astype("Int64")
    return frame


def values_frame(
    engine: Engine,
    indicator_ids: Sequence[str] | None = None,
    area_ids: Sequence[str] | None = None,
    months: tuple[str, str] | None = None,
    final_only: bool = False,
    flags: bool = False,
) -> pd.DataFrame:
    """Monthly values, optionally filtered by indicators, areas and an inclusive month range.

    ``final_only`` leaves out preliminary values (what the verdict engine reads: a preliminary
    month is never tested); ``flags`` adds the columns ``preliminary`` and ``import_id`` (what the
    trend, the cards and the revision notes read).
    """
    iv = indicator_values.c
    stmt = select(iv.area_id, iv.indicator_id, iv.month, iv.value, *([iv.preliminary, iv.import_id] if flags else []))
    conds = [iv.preliminary == false()] if final_only else []
    if indicator_ids is not None:
        conds.append(indicator_values.c.indicator_id.in_(list(indicator_ids)))
    if area_ids is not None:
        conds.append(indicator_values.c.area_id.in_(list(area_ids)))
    if months is not None:
        conds.append(indicator_values.c.month.between(months[0], months[1]))
    if conds:
        stmt = stmt.where(and_(*conds))
    frame = read_frame(engine, stmt, ["area_id", "indicator_id", "month", "value", *(FLAG_COLUMNS if flags else [])])
    frame["value"] = frame["value"].astype(float)
    return _flagged(frame) if flags else frame


def values_in_months(
    engine: Engine, months: Sequence[str], exclude_area: str | None = None, final_only: bool = False
) -> pd.DataFrame:
    """Monthly values of the listed months only (e.g. a period and the same months of earlier
    years), as :func:`values_frame` returns them; optionally without one area's rows, and
    (``final_only``) without preliminary values.

    One index-only lookup in the covering month index per month instead of a scan of the range.
    """
    iv = indicator_values.c
    stmt = select(iv.area_id, iv.indicator_id, iv.month, iv.value).where(
        iv.month.in_(sorted(set(months)))
    )
    if exclude_area is not None:
        stmt = stmt.where(iv.area_id != exclude_area)
    if final_only:
        stmt = stmt.where(iv.preliminary == false())
    frame = read_frame(engine, stmt, ["area_id", "indicator_id", "month", "value"])
    frame["value"] = frame["value"].astype(float)
    return frame


def area_values(engine: Engine, area_id: str, months: tuple[str, str], final_only: bool = False,
                flags: bool = False) -> pd.DataFrame:
    """One area's monthly values in an inclusive month range, as :func:`values_frame` returns them
    (``final_only``, ``flags`` as there).

    ``month || ''`` (the same value) keeps SQLite from scanning the whole range of the month
    index for one area; it looks the area up in the primary key instead.
    """
    iv = indicator_values.c
    stmt = select(iv.area_id, iv.indicator_id, iv.month, iv.value, *([iv.preliminary, iv.import_id] if flags else [])
                  ).where(iv.area_id == area_id, (iv.month + "").between(months[0], months[1]))
    if final_only:
        stmt = stmt.where(iv.preliminary == false())
    frame = read_frame(engine, stmt, ["area_id", "indicator_id", "month", "value", *(FLAG_COLUMNS if flags else [])])
    frame["value"] = frame["value"].astype(float)
    return _flagged(frame) if flags else frame


def latest_value_months(
    engine: Engine, indicator_ids: Sequence[str], months: tuple[str, str], final_only: bool = False
) -> dict[str, str]:
    """The latest month with a value per indicator inside an inclusive month range (indicators
    without any value there are left out; ``final_only``: final values only)."""
    if not indicator_ids:
        return {}
    conds = [indicator_values.c.indicator_id.in_(list(indicator_ids)),
             indicator_values.c.month.between(months[0], months[1])]
    if final_only:
        conds.append(indicator_values.c.preliminary == false())
    stmt = (
        select(indicator_values.c.indicator_id, func.max(indicator_values.c.month))
        .where(*conds)
        .group_by(indicator_values.c.indicator_id)
    )
    with engine.connect() as conn:
        return {str(i): str(m) for i, m in conn.execute(stmt) if m is not None}


def latest_preliminary_month(engine: Engine) -> str | None:
    """The newest month with a preliminary value in the store (None without any); one lookup in
    the partial index of preliminary rows."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(indicator_values.c.month)).where(PRELIMINARY_VALUES)).scalar_one()


def targets_frame(engine: Engine, area_ids: Sequence[str] | None = None) -> pd.DataFrame:
    stmt = select(targets.c.area_id, targets.c.indicator_id, targets.c.month, targets.c.target)
    if area_ids is not None:
        stmt = stmt.where(targets.c.area_id.in_(list(area_ids)))
    frame = read_frame(engine, stmt, ["area_id", "indicator_id", "month", "target"])  # no Row objects
    frame["target"] = frame["target"].astype(float)
    return frame


EVENT_COLUMNS = ["id", "occurred_at", "month", "type", "x", "y", "lon", "lat", "precision", "area_id",
                 "kommun_kod", "count", "source", "synthetic"]


def events_frame(
    engine: Engine,
    area_ids: Sequence[str] | None = None,
    months: tuple[str, str] | None = None,
    types: Sequence[str] | None = None,
    kommun_kod: str | None = None,
) -> pd.DataFrame:
    """Point events, filtered by area ids, inclusive month range, types and kommun."""
    stmt = select(*[events.c[c] for c in EVENT_COLUMNS])
    conds = []
    if area_ids is not None:
        conds.append(events.c.area_id.in_(list(area_ids)))
    if kommun_kod is not None:
        conds.append(events.c.kommun_kod == kommun_kod)
    if months is not None:
        conds.append(events.c.month.between(months[0], months[1]))
    if types is not None:
        conds.append(events.c.type.in_(list(types)))
    if conds:
        stmt = stmt.where(and_(*conds))
    return read_frame(engine, stmt, EVENT_COLUMNS)


def pois_frame(engine: Engine, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    stmt = select(pois.c.id, pois.c.kind, pois.c.name, pois.c.x, pois.c.y, pois.c.lon, pois.c.lat,
                  pois.c.source, pois.c.synthetic)
    if kinds is not None:
        stmt = stmt.where(pois.c.kind.in_(list(kinds)))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).fetchall(),
                            columns=["id", "kind", "name", "x", "y", "lon", "lat", "source", "synthetic"])


def table_counts(engine: Engine) -> dict[str, int]:
    """Row count of every data table (used to prove that a rejected import wrote nothing)."""
    out = {}
    with engine.connect() as conn:
        for t in (imports, areas, area_lineage, area_profiles, indicators, indicator_values, targets, events, pois,
                  indicator_revisions):
            out[t.name] = int(conn.execute(select(func.count()).select_from(t)).scalar_one())
    return out


def imports_frame(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(select(imports).order_by(imports.c.id)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in imports.columns])
