"""Import point events: parse, assign to areas (vectorised, spatial index), write in one transaction.

Only points whose precision class allows it (exact, street) are assigned to an area by
point-in-polygon, against each area's latest polygon (the geography of its series). polisen.se
events are kommun/län centres: they get a kommun, and an area only when their text names it
(precision ``area_text``). DeSO crime rows get the area their DeSO lies at least half inside.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine, select

from geodata import precision as P
from geodata.boundaries import kommun_lookup, kommuner
from geodata.errors import InputError
from geodata.points import read_points
from store.bulk import bulk_insert
from store.imports import ImportReport, already_imported, file_hash, finish_import, start_import
from store.queries import areas_frame, latest_area_geometries
from store.schema import deso_units, events, pois

EVENT_WRITE_COLUMNS = ["ext_id", "source", "occurred_at", "month", "type", "x", "y", "lon", "lat",
                       "precision", "area_id", "kommun_kod", "count", "synthetic", "import_id"]


def first_containing(x: np.ndarray, y: np.ndarray, geoms, values) -> np.ndarray:
    """For each point, ``values[i]`` of the first polygon ``geoms[i]`` containing it (None if none).

    Vectorised per polygon: a bounding-box filter in numpy, then ``shapely.contains_xy`` on the
    prepared polygon — no point objects and no tree, which for a million points is several times
    faster than an STRtree query.
    """
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    out = np.full(len(x), None, dtype=object)
    open_ = np.ones(len(x), dtype=bool)
    for geom, value in zip(geoms, values, strict=True):
        if geom is None or geom.is_empty:
            continue
        minx, miny, maxx, maxy = geom.bounds
        idx = np.flatnonzero(open_ & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        if idx.size == 0:
            continue
        shapely.prepare(geom)
        hit = idx[shapely.contains_xy(geom, x[idx], y[idx])]
        out[hit] = value
        open_[hit] = False
    return out


def assign_points_to_areas(x: np.ndarray, y: np.ndarray, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """Area id of each point (None outside every area), EPSG:3006.

    Where polygons overlap (an old list's area inside a newer one), the polygon of the newest list
    wins, then the smallest id.
    """
    if len(x) == 0 or polygons.empty:
        return np.full(len(x), None, dtype=object)
    if "list_year" in polygons:
        polygons = polygons.sort_values(["list_year", "id"], ascending=[False, True])
    return first_containing(x, y, polygons.geometry.values, polygons["id"].to_numpy())


@lru_cache(maxsize=1)
def _kommuner_3006() -> tuple[np.ndarray, np.ndarray]:
    k = kommuner().to_crs("EPSG:3006")
    return k["kommun_kod"].to_numpy(), k.geometry.values


def assign_points_to_kommun(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kommun code of each EPSG:3006 point (None outside Sweden's generalised outline)."""
    codes, geoms = _kommuner_3006()
    return first_containing(x, y, geoms, codes)


def _area_name_patterns(areas: pd.DataFrame) -> dict[str, list[tuple[re.Pattern, str]]]:
    """Per kommun, regexes of area names (each part of 'A / B' on its own, whole words)."""
    out: dict[str, list[tuple[re.Pattern, str]]] = {}
    for r in areas.drop_duplicates("id").itertuples():
        if not r.kommun_kod:
            continue
        for part in re.split(r"\s*/\s*|\s*\(|\)", str(r.name)):
            part = part.strip()
            if len(part) >= 4 and part.lower() not in {"söder", "norra", "södra", "centrum"}:
                out.setdefault(r.kommun_kod, []).append((re.compile(rf"\b{re.escape(part)}\b", re.IGNORECASE), str(r.id)))
    return out


def match_area_names(texts: np.ndarray, kommun_codes: np.ndarray, areas: pd.DataFrame) -> np.ndarray:
    """Area id whose name the text mentions, among the areas of the event's kommun (else None)."""
    patterns = _area_name_patterns(areas)
    out = np.full(len(texts), None, dtype=object)
    for i, (text, kod) in enumerate(zip(texts, kommun_codes, strict=True)):
        for pat, area_id in patterns.get(kod, ()):
            if pat.search(str(text)):
                out[i] = area_id
                break
    return out


def prepare_events(frame: pd.DataFrame, fmt: str, engine: Engine, path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Assign area and kommun to parsed events (pure apart from reading areas)."""
    warnings: list[str] = []
    frame = frame.copy()
    frame["area_id"] = None
    if fmt == "polisen_api":
        lookup = kommun_lookup()
        by_name = {n.casefold(): k for n, k in zip(lookup["kommun"], lookup["kommun_kod"], strict=True)}
        names = frame.pop("kommun_name")
        frame["kommun_kod"] = [by_name.get(str(n).casefold()) if n is not None else None for n in names]
        areas = areas_frame(engine)
        hit = match_area_names(frame["text"].to_numpy(), frame["kommun_kod"].to_numpy(), areas)
        frame["area_id"] = hit
        frame.loc[pd.notna(hit), "precision"] = P.AREA_TEXT
        warnings.append(f"{path}: {int(pd.notna(hit).sum())} of {len(frame)} events name an area in their text")
    elif fmt == "deso_crimes":
        with engine.connect() as conn:
            units = pd.DataFrame(conn.execute(select(deso_units)).fetchall(), columns=[c.name for c in deso_units.columns])
        if units.empty:
            raise InputError(path, "no DeSO units in the store: run `python cli.py bootstrap` first (it loads DeSO polygons)")
        u = units.set_index("deso")
        known = frame["deso"].isin(u.index).to_numpy()
        frame["x"] = frame["deso"].map(u["x"])
        frame["y"] = frame["deso"].map(u["y"])
        frame["area_id"] = frame["deso"].map(u["area_id"].where(u["share_in_area"] >= 0.5))
        frame["area_id"] = frame["area_id"].astype(object).where(frame["area_id"].notna(), None)
        if (~known).any():
            warnings.append(f"{path}: {int((~known).sum())} rows are in DeSOs without a polygon here (outside Stockholms län and Göteborgsregionen): kept without position")
        from geodata.points import to_wgs84

        lon, lat = to_wgs84(frame["x"].to_numpy(float), frame["y"].to_numpy(float))
        frame["lon"], frame["lat"] = lon, lat
    else:
        eligible = frame["precision"].isin(P.POINT_IN_POLYGON_ELIGIBLE).to_numpy()
        polys = latest_area_geometries(engine, "EPSG:3006")
        x, y = frame["x"].to_numpy(float), frame["y"].to_numpy(float)
        ids = assign_points_to_areas(x[eligible], y[eligible], polys)
        area_ids = np.full(len(frame), None, dtype=object)
        area_ids[eligible] = ids
        frame["area_id"] = area_ids
        frame["kommun_kod"] = assign_points_to_kommun(x, y)
        outside = int(pd.isna(area_ids[eligible]).sum())
        if outside:
            warnings.append(f"{path}: {outside} of {int(eligible.sum())} precise points lie outside every area (kept, with kommun)")
        coarse = int((~eligible).sum())
        if coarse:
            warnings.append(f"{path}: {coarse} points are too imprecise for area assignment ({', '.join(sorted(set(frame['precision'][~eligible])))})")
    return frame, warnings


def _check_duplicates(frame: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, list[str]]:
    if frame["ext_id"].isna().all():
        return frame, []
    dup = frame.duplicated("ext_id", keep=False) & frame["ext_id"].notna()
    if not dup.any():
        return frame, []
    cols = ["occurred_at", "type", "x", "y", "count"]
    d = frame[dup]
    distinct = d.drop_duplicates(["ext_id", *cols])
    clash = distinct[distinct.duplicated("ext_id", keep=False)]
    if len(clash):
        first = clash.iloc[0]
        rows = clash[clash["ext_id"] == first["ext_id"]]["_row"].tolist()
        raise InputError(path, f"event id {first['ext_id']} appears in rows {rows[0]} and {rows[1]} with different content", row=int(rows[1]), column="id")
    n = int(dup.sum() - d["ext_id"].nunique())
    return frame.drop_duplicates("ext_id"), [f"{path}: {n} exact duplicate events ignored"]


def import_events(engine: Engine, path: str | Path, source: str | None = None, synthetic: bool = False,
                  user: str | None = None) -> ImportReport:
    """Import a point event file (one transaction; same file twice = no-op)."""
    path = Path(path)
    digest = file_hash(path)
    with engine.connect() as conn:
        if already_imported(conn, "events", digest) is not None:
            return ImportReport("events", str(path), "unchanged", warnings=["same file imported before: nothing changed"])
    frame, warnings, fmt = read_points(path)
    frame, w = _check_duplicates(frame, path)
    warnings += w
    frame, w = prepare_events(frame, fmt, engine, path)
    warnings += w
    source = source or {"polisen_api": "polisen.se", "deso_crimes": "polisen_deso"}.get(fmt, path.stem)
    rejected = 0
    with engine.begin() as conn:
        if frame["ext_id"].notna().any():
            existing = {r[0] for r in conn.execute(select(events.c.ext_id).where(events.c.source == source))}
            if existing:
                new = ~frame["ext_id"].isin(existing)
                rejected = int((~new).sum())
                if rejected:
                    warnings.append(f"{path}: {rejected} events already in the store (same source and id) were skipped")
                frame = frame[new.to_numpy()]
        import_id = start_import(conn, "events", path, digest, user)
        n = write_events(conn, frame, source, synthetic, import_id)
        finish_import(conn, import_id, n, rejected, warnings)
    return ImportReport("events", str(path), "imported", n, rejected, warnings, import_id)


def _floats_or_none(values) -> list:
    """A float column as a list, NaN → None (fast path when there is no NaN)."""
    arr = np.asarray(values, dtype=float)
    nan = np.isnan(arr)
    if not nan.any():
        return arr.tolist()
    out = arr.astype(object)
    out[nan] = None
    return out.tolist()


def _objects_or_none(values) -> list:
    """An object column as a list with every missing value as None."""
    arr = np.asarray(values, dtype=object)
    missing = pd.isna(arr)
    if missing.any():
        arr = arr.copy()
        arr[missing] = None
    return arr.tolist()


CHUNK_ROWS = 200_000


def write_events(conn, frame: pd.DataFrame, source: str, synthetic: bool, import_id: int | None) -> int:
    """Bulk-write normalised events (occurred_at as naive local time), in chunks."""
    n = len(frame)
    if n == 0:
        return 0
    stamps = pd.to_datetime(frame["occurred_at"]).to_numpy(dtype="datetime64[s]")
    pg = conn.dialect.name == "postgresql"
    cols = {c: frame[c].to_numpy() for c in ("ext_id", "type", "x", "y", "lon", "lat", "precision", "area_id",
                                              "kommun_kod", "count")}

    def chunk(lo: int, hi: int) -> list[tuple]:
        iso = np.datetime_as_string(stamps[lo:hi], unit="s")  # 'YYYY-MM-DDTHH:MM:SS'
        months = iso.astype("<U7").tolist()
        times = pd.DatetimeIndex(stamps[lo:hi]).to_pydatetime().tolist() if pg else np.char.replace(iso, "T", " ").tolist()
        m = hi - lo
        return list(zip(
            _objects_or_none(cols["ext_id"][lo:hi]), [source] * m, times, months,
            pd.Series(cols["type"][lo:hi]).astype(str).tolist(),
            _floats_or_none(cols["x"][lo:hi]), _floats_or_none(cols["y"][lo:hi]), _floats_or_none(cols["lon"][lo:hi]),
            _floats_or_none(cols["lat"][lo:hi]), pd.Series(cols["precision"][lo:hi]).astype(str).tolist(),
            _objects_or_none(cols["area_id"][lo:hi]), _objects_or_none(cols["kommun_kod"][lo:hi]),
            np.asarray(cols["count"][lo:hi], dtype=int).tolist(), [bool(synthetic)] * m, [import_id] * m, strict=True,
        ))

    parts = (chunk(lo, min(lo + CHUNK_ROWS, n)) for lo in range(0, n, CHUNK_ROWS))
    return bulk_insert(conn, events, EVENT_WRITE_COLUMNS, parts, total=n, chunks=True)


# --------------------------------------------------------------------------- places of interest


def import_pois(engine: Engine, path: str | Path, kind: str, user: str | None = None,
                synthetic: bool = False) -> ImportReport:
    """Import places of interest of one kind (points; name column optional)."""
    from geodata.points import _read_points_frame, to_sweref, to_wgs84
    from geodata.tabular import find_column

    path = Path(path)
    if not kind or not kind.strip():
        raise InputError(path, "--kind is required (e.g. krog, skola, station)")
    digest = file_hash(path)
    with engine.connect() as conn:
        if already_imported(conn, "pois", digest) is not None:
            return ImportReport("pois", str(path), "unchanged", warnings=["same file imported before: nothing changed"])
    frame = _read_points_frame(path)
    if "x" not in frame or "y" not in frame:
        lat_c, lon_c = find_column(frame, ("lat", "latitude")), find_column(frame, ("lon", "lng", "longitude"))
        if not lat_c or not lon_c:
            raise InputError(path, "no coordinates: expected geometry, x/y (SWEREF 99 TM) or lat/lon", row=1)
        lat = pd.to_numeric(frame[lat_c], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(frame[lon_c], errors="coerce").to_numpy(float)
        bad = ~np.isfinite(lat) | ~np.isfinite(lon)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(path, "coordinate missing or not a number", row=int(frame["_row"].iloc[i]), column=lat_c)
        x, y = to_sweref(lon, lat)
    else:
        x, y = frame["x"].to_numpy(float), frame["y"].to_numpy(float)
        lon, lat = to_wgs84(x, y)
    name_c = find_column(frame, ("name", "namn", "station", "benamning", "exit_name"))
    names = frame[name_c].astype(str).tolist() if name_c else [None] * len(frame)
    with engine.begin() as conn:
        import_id = start_import(conn, "pois", path, digest, user)
        rows = list(zip([kind.strip()] * len(frame), names, x.tolist(), y.tolist(), np.asarray(lon).tolist(),
                        np.asarray(lat).tolist(), [path.name] * len(frame), [synthetic] * len(frame),
                        [import_id] * len(frame), strict=True))
        n = bulk_insert(conn, pois, ["kind", "name", "x", "y", "lon", "lat", "source", "synthetic", "import_id"], rows)
        finish_import(conn, import_id, n, 0, [])
    return ImportReport("pois", str(path), "imported", n, 0, [], import_id)
