"""Map-layer views: events, hotspots and places for an area and period, memoised per data version."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import shapely
from sqlalchemy import and_, select

from indicators.calendar import month_range, parse_period, shift_month
from layers.events import events_geojson, precision_summary
from layers.hotspots import hotspots
from layers.pois import poi_hypothesis
from services.cache import memoize
from services.context import data_version, engine
from store.engine import engine_for
from store.queries import EVENT_COLUMNS, latest_area_geometries, pois_frame, read_frame
from store.schema import DESO_EVENTS, IMPRECISE_EVENTS, events

DEFAULT_BUFFER_M = 300.0


def period_span(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start, end)`` timestamps of a period text (months are local time)."""
    p = parse_period(period)
    start = pd.Timestamp(p.first + "-01")
    end = pd.Timestamp(shift_month(p.last, 1) + "-01")
    return start, end


@lru_cache(maxsize=4)
def _regions(url: str, version: int) -> dict[str, shapely.Geometry]:
    polys = latest_area_geometries(engine_for(url), "EPSG:3006")
    return dict(zip(polys["id"].astype(str), polys.geometry.values, strict=True))


def study_region(area_id: str, buffer_m: float = DEFAULT_BUFFER_M) -> shapely.Geometry:
    """The area's latest polygon (EPSG:3006), buffered by ``buffer_m``."""
    eng = engine()
    regions = _regions(str(eng.url), data_version(eng))
    if str(area_id) not in regions:
        raise KeyError(f"unknown area '{area_id}'")
    geom = regions[str(area_id)]
    return geom.buffer(buffer_m) if buffer_m else geom


POINT_COLUMNS = ["id", "x", "y", "occurred_at", "type", "precision"]  # what the hotspot methods read


def events_in_region(region: shapely.Geometry, period: str, types: list[str] | None = None,
                     area_id: str | None = None, columns: list[str] | None = None,
                     real_only: bool = False) -> pd.DataFrame:
    """Events with coordinates in the region's bounding box (plus events assigned to ``area_id``
    without a precise position, e.g. polisen.se texts naming the area), within the period
    (``real_only``: synthetic demo events left out, the page's "endast verkliga data")."""
    minx, miny, maxx, maxy = region.bounds
    start, end = period_span(period)
    first, last = start.strftime("%Y-%m"), (end - pd.Timedelta(days=1)).strftime("%Y-%m")
    months = list(month_range(first, last))
    cols = columns or EVENT_COLUMNS
    in_box = and_(events.c.y.between(miny, maxy), events.c.x.between(minx, maxx))
    stmt = select(*[events.c[c] for c in cols]).where(events.c.month.in_(months), in_box)
    if types:
        stmt = stmt.where(events.c.type.in_(types))
    if real_only:
        stmt = stmt.where(events.c.synthetic.is_(False))
    frame = read_frame(engine(), stmt, cols)
    if area_id is None:
        return frame
    # events known only to be in the area (a text naming it, a DeSO): their points are centroids
    named = select(*[events.c[c] for c in cols]).where(
        events.c.area_id == str(area_id), IMPRECISE_EVENTS, events.c.month.between(first, last))
    if types:
        named = named.where(events.c.type.in_(types))
    if real_only:
        named = named.where(events.c.synthetic.is_(False))
    extra = read_frame(engine(), named, cols)
    return pd.concat([frame, extra[~extra["id"].isin(frame["id"])]], ignore_index=True) if len(extra) else frame


@memoize(maxsize=256)
def _hotspot_layer(url: str, version: int, area_id: str, period: str, types: tuple[str, ...] | None,
                   buffer_m: float, real_only: bool = False) -> dict:
    region = study_region(area_id, buffer_m)
    pts = events_in_region(region, period, list(types) if types else None, columns=POINT_COLUMNS,
                           real_only=real_only)
    result = hotspots(pts, region, period=period_span(period), types=types, resolution="auto")
    fc = result.to_geojson()
    fc["method"]["area_id"] = area_id
    fc["method"]["buffer_m"] = buffer_m
    fc["method"]["period_label"] = period
    return fc


def hotspot_layer(area_id: str, period: str, types: list[str] | None = None,
                  buffer_m: float = DEFAULT_BUFFER_M, real_only: bool = False) -> dict:
    """Gi* hexagon layer (the stable hotspot FeatureCollection) for an area + buffer and period
    (``real_only``: from real events only)."""
    eng = engine()
    key_types = tuple(sorted(types)) if types else None
    return _hotspot_layer(str(eng.url), data_version(eng), str(area_id), parse_period(period).label,
                          key_types, float(buffer_m), bool(real_only))


def hotspot_view(area_id: str, period: str, types: list[str] | None = None,
                 buffer_m: float = DEFAULT_BUFFER_M, real_only: bool = False) -> dict:
    """The Gi* layer the map draws and the lägesbild's hotspot sentences count: the period's
    layer with each cell's ``was_hot`` in the same period last year (``layers.hotspots.mark_previous``;
    the grid depends on the region only, so both periods have the same cells)."""
    from layers.hotspots import mark_previous

    p = parse_period(period)
    previous = p.same_period_last_year().label
    now = hotspot_layer(area_id, p.label, types, buffer_m, real_only)
    return mark_previous(now, hotspot_layer(area_id, previous, types, buffer_m, real_only), previous)


def event_types_for(indicator_id: str | None) -> list[str] | None:
    """Event types that make up an indicator: synthetic demo events use the indicator id; the
    police's DeSO crime events use the offence text (see ``store.catalogue.DESO_TYPE_KEYWORDS``)."""
    from store.catalogue import DESO_TYPE_KEYWORDS

    if not indicator_id:
        return None
    with engine().connect() as conn:
        found = conn.execute(select(events.c.type).where(events.c.type == indicator_id).limit(1)).first()
        if found:
            return [indicator_id]
        keyword = DESO_TYPE_KEYWORDS.get(indicator_id)
        if keyword:
            rows = conn.execute(select(events.c.type).where(events.c.precision == "deso").distinct()).fetchall()
            hits = [r[0] for r in rows if keyword.lower() in r[0].lower()]
            return hits or None
    return None


def events_layer(area_id: str, period: str, types: list[str] | None = None,
                 buffer_m: float = DEFAULT_BUFFER_M, real_only: bool = False) -> tuple[dict, pd.DataFrame]:
    """Events around an area for the clustered point layer, and counts by precision class."""
    region = study_region(area_id, buffer_m)
    pts = events_in_region(region, period, types, area_id=area_id, real_only=real_only)
    inside = shapely.contains_xy(region, pts["x"].astype(float).fillna(0), pts["y"].astype(float).fillna(0))
    pts = pts[inside | (pts["area_id"] == str(area_id))]
    return events_geojson(pts), precision_summary(pts)


def pois_layer(kinds: list[str] | None = None, real_only: bool = False) -> dict:
    """Places of interest as GeoJSON points (name and kind as text properties; ``real_only``:
    synthetic places left out)."""
    frame = pois_frame(engine(), kinds)
    if real_only:
        frame = frame[~frame["synthetic"].astype(bool)]
    feats = [{"type": "Feature", "id": int(r.id), "geometry": {"type": "Point", "coordinates": [round(r.lon, 5), round(r.lat, 5)]},
              "properties": {"kind": r.kind, "name": r.name, "synthetic": bool(r.synthetic)}}
             for r in frame.itertuples()]
    return {"type": "FeatureCollection", "features": feats}


def poi_kinds() -> list[str]:
    return sorted(pois_frame(engine())["kind"].unique())


def poi_check(area_id: str, period: str, kind: str, distance_m: float = 200.0,
              types: list[str] | None = None, real_only: bool = False):
    """The one-click hypothesis check: events near places of ``kind`` vs elsewhere in the area."""
    region = study_region(area_id, 0)
    pts = events_in_region(region, period, types, columns=POINT_COLUMNS, real_only=real_only)
    places = pois_frame(engine(), [kind])
    if real_only:
        places = places[~places["synthetic"].astype(bool)]
    return poi_hypothesis(pts, places, region, distance_m=distance_m, kind=kind, period=period_span(period),
                          types=types)


# --------------------------------------------------------------------------- other hotspot methods

HOTSPOT_METHODS = ("gistar", "kde", "emerging", "deso")


@lru_cache(maxsize=1)
def _kommun_polygons() -> dict[str, shapely.Geometry]:
    from geodata.boundaries import kommuner

    k = kommuner().to_crs("EPSG:3006")
    return dict(zip(k["kommun_kod"], k.geometry.values, strict=True))


def kommun_region(kommun_kod: str) -> shapely.Geometry:
    """A whole kommun as the study region (EPSG:3006)."""
    polys = _kommun_polygons()
    if kommun_kod not in polys:
        raise KeyError(f"unknown kommun '{kommun_kod}'")
    return polys[kommun_kod]


@memoize(maxsize=128)
def _kde_layer(url: str, version: int, area_id: str, period: str, types: tuple[str, ...] | None, buffer_m: float,
               real_only: bool = False) -> dict:
    from layers.kde import kde_surface

    region = study_region(area_id, buffer_m)
    pts = events_in_region(region, period, list(types) if types else None, columns=POINT_COLUMNS,
                           real_only=real_only)
    res = kde_surface(pts, region, period=period_span(period), types=types)
    fc = res.to_geojson()
    fc["method"]["period_label"] = period
    return fc


def kde_layer(area_id: str, period: str, types: list[str] | None = None, buffer_m: float = DEFAULT_BUFFER_M,
              real_only: bool = False) -> dict:
    """Kernel density surface (quartic kernel, bandwidth stated in ``method``) over area + buffer."""
    eng = engine()
    return _kde_layer(str(eng.url), data_version(eng), str(area_id), parse_period(period).label,
                      tuple(sorted(types)) if types else None, float(buffer_m), bool(real_only))


@memoize(maxsize=128)
def _emerging_layer(url: str, version: int, area_id: str, last_month: str, months: int,
                    types: tuple[str, ...] | None, buffer_m: float, real_only: bool = False) -> dict:
    from layers.emerging import emerging_hotspots

    region = study_region(area_id, buffer_m)
    first = shift_month(last_month, -(months - 1))
    pts = _events_between(region, first, last_month, list(types) if types else None, real_only)
    res = emerging_hotspots(pts, region, months=months, end=pd.Timestamp(shift_month(last_month, 1) + "-01"),
                            types=types, resolution="auto")
    return res.to_geojson()


def _events_between(region: shapely.Geometry, first: str, last: str, types: list[str] | None,
                    real_only: bool = False) -> pd.DataFrame:
    minx, miny, maxx, maxy = region.bounds
    stmt = select(*[events.c[c] for c in POINT_COLUMNS]).where(
        events.c.month.in_(list(month_range(first, last))), events.c.y.between(miny, maxy),
        events.c.x.between(minx, maxx))
    if types:
        stmt = stmt.where(events.c.type.in_(types))
    if real_only:
        stmt = stmt.where(events.c.synthetic.is_(False))
    return read_frame(engine(), stmt, POINT_COLUMNS)


def emerging_layer(area_id: str, period: str, types: list[str] | None = None, months: int = 36,
                   buffer_m: float = DEFAULT_BUFFER_M, real_only: bool = False) -> dict:
    """Emerging hot spot categories over the ``months`` months ending with the period."""
    eng = engine()
    return _emerging_layer(str(eng.url), data_version(eng), str(area_id), parse_period(period).last, int(months),
                           tuple(sorted(types)) if types else None, float(buffer_m), bool(real_only))


@lru_cache(maxsize=2)
def _deso_polygons(data_dir: str | None):
    from pathlib import Path

    from geodata.deso import read_deso_polygons

    return read_deso_polygons(Path(data_dir) if data_dir else None)


@memoize(maxsize=64)
def _deso_layer(url: str, version: int, kommun_kod: str, period: str, types: tuple[str, ...] | None) -> dict:
    from config import settings
    from layers.deso_gistar import deso_gistar

    polys = _deso_polygons(str(settings().data_dir) if settings().data_dir else None)
    polys = polys[polys["kommun_kod"] == kommun_kod].rename(columns={"deso": "id"})
    if polys.empty:
        raise LookupError(f"no DeSO polygons for kommun {kommun_kod} (only Stockholms län and Göteborgsregionen)")
    start, end = period_span(period)
    first, last = start.strftime("%Y-%m"), (end - pd.Timedelta(days=1)).strftime("%Y-%m")
    stmt = select(events.c.x, events.c.y, events.c.count, events.c.type).where(
        DESO_EVENTS, events.c.kommun_kod == kommun_kod, events.c.month.between(first, last))
    if types:
        stmt = stmt.where(events.c.type.in_(types))
    ev = read_frame(engine(), stmt, ["x", "y", "count", "type"])
    pts = shapely.points(ev["x"].astype(float), ev["y"].astype(float))
    ids = polys["id"].to_numpy()
    tree = shapely.STRtree(polys.geometry.values)
    pi, gi = tree.query(pts, predicate="within")
    counts = pd.Series(ev["count"].to_numpy()[pi], index=ids[gi]).groupby(level=0).sum().reindex(ids, fill_value=0)
    res = deso_gistar(polys.reset_index(drop=True), counts, period={"start": start.isoformat(), "end": end.isoformat()})
    fc = res.to_geojson(tolerance_m=10)
    fc["method"]["source"] = "Polisanmälda brott per DeSO (Polisen)"
    fc["method"]["crimes"] = int(counts.sum())
    return fc


def deso_layer(area_id: str, period: str, types: list[str] | None = None, real_only: bool = False) -> dict:
    """Gi* on the DeSO polygons of the area's kommun from the police-recorded crimes per DeSO (real
    data: ``real_only`` changes nothing)."""
    from services.geo import area_table, default_list_year

    frame = area_table(default_list_year())
    row = frame[frame["id"].astype(str) == str(area_id)]
    if row.empty:
        from store.queries import areas_frame

        allf = areas_frame(engine())
        row = allf[allf["id"].astype(str) == str(area_id)]
    kommun = str(row["kommun_kod"].iloc[0])
    eng = engine()
    return _deso_layer(str(eng.url), data_version(eng), kommun, parse_period(period).label,
                       tuple(sorted(types)) if types else None)
