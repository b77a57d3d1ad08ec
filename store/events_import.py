"""Import point events: parse, assign to areas (vectorised, spatial index), write in one transaction.

Only points whose precision class allows it (exact, street) are assigned to an area by
point-in-polygon, against each area's latest polygon (the geography of its series). polisen.se
events are kommun/län centres: they get a kommun, and an area only when their text names it
(precision ``area_text``). DeSO crime rows get the area their DeSO lies at least half inside.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
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
from geodata.points import PointReader
from store.bulk import bulk_insert, deferred_indexes
from store.imports import (
    ImportReport,
    already_imported,
    check_size,
    file_hash,
    finish_import,
    import_transaction,
    rows_remain,
    start_import,
    unchanged_report,
)
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


@dataclass
class EventContext:
    """What assigning events needs from the store, read once per import (not per chunk)."""

    engine: Engine
    _polys: gpd.GeoDataFrame | None = None
    _areas: pd.DataFrame | None = None
    _units: pd.DataFrame | None = None

    @property
    def polys(self) -> gpd.GeoDataFrame:
        if self._polys is None:
            self._polys = latest_area_geometries(self.engine, "EPSG:3006")
        return self._polys

    @property
    def areas(self) -> pd.DataFrame:
        if self._areas is None:
            self._areas = areas_frame(self.engine)
        return self._areas

    @property
    def units(self) -> pd.DataFrame:
        if self._units is None:
            with self.engine.connect() as conn:
                self._units = pd.DataFrame(conn.execute(select(deso_units)).fetchall(),
                                           columns=[c.name for c in deso_units.columns])
        return self._units


def assign_events(frame: pd.DataFrame, fmt: str, ctx: EventContext, path: Path) -> tuple[pd.DataFrame, Counter]:
    """Assign area and kommun to one chunk of parsed events; returns it and counts for the warnings
    (:func:`event_warnings`)."""
    counts: Counter = Counter()
    frame = frame.copy()
    frame["area_id"] = None
    counts["rows"] = len(frame)
    if fmt == "polisen_api":
        lookup = kommun_lookup()
        by_name = {n.casefold(): k for n, k in zip(lookup["kommun"], lookup["kommun_kod"], strict=True)}
        names = frame.pop("kommun_name")
        frame["kommun_kod"] = [by_name.get(str(n).casefold()) if n is not None else None for n in names]
        hit = match_area_names(frame["text"].to_numpy(), frame["kommun_kod"].to_numpy(), ctx.areas)
        frame["area_id"] = hit
        frame.loc[pd.notna(hit), "precision"] = P.AREA_TEXT
        counts["named_area"] = int(pd.notna(hit).sum())
    elif fmt == "deso_crimes":
        units = ctx.units
        if units.empty:
            raise InputError(path, "no DeSO units in the store: run `python cli.py bootstrap` first (it loads DeSO polygons)")
        u = units.set_index("deso")
        known = frame["deso"].isin(u.index).to_numpy()
        frame["x"] = frame["deso"].map(u["x"])
        frame["y"] = frame["deso"].map(u["y"])
        frame["area_id"] = frame["deso"].map(u["area_id"].where(u["share_in_area"] >= 0.5))
        frame["area_id"] = frame["area_id"].astype(object).where(frame["area_id"].notna(), None)
        counts["no_polygon"] = int((~known).sum())
        from geodata.points import to_wgs84

        lon, lat = to_wgs84(frame["x"].to_numpy(float), frame["y"].to_numpy(float))
        frame["lon"], frame["lat"] = lon, lat
    else:
        eligible = frame["precision"].isin(P.POINT_IN_POLYGON_ELIGIBLE).to_numpy()
        x, y = frame["x"].to_numpy(float), frame["y"].to_numpy(float)
        ids = assign_points_to_areas(x[eligible], y[eligible], ctx.polys)
        area_ids = np.full(len(frame), None, dtype=object)
        area_ids[eligible] = ids
        frame["area_id"] = area_ids
        frame["kommun_kod"] = assign_points_to_kommun(x, y)
        counts["eligible"] = int(eligible.sum())
        counts["outside"] = int(pd.isna(area_ids[eligible]).sum())
        counts["coarse"] = int((~eligible).sum())
        for cls in sorted(set(frame["precision"][~eligible])):
            counts[f"class:{cls}"] += 1
    return frame, counts


def event_warnings(path: Path, fmt: str, counts: Counter) -> list[str]:
    """The warnings of an event import from the counts of all its chunks."""
    if fmt == "polisen_api":
        return [f"{path}: {counts['named_area']} of {counts['rows']} events name an area in their text"]
    if fmt == "deso_crimes":
        n = counts["no_polygon"]
        return [f"{path}: {n} rows are in DeSOs without a polygon here (outside Stockholms län and "
                "Göteborgsregionen): kept without position"] if n else []
    out = []
    if counts["outside"]:
        out.append(f"{path}: {counts['outside']} of {counts['eligible']} precise points lie outside every area (kept, with kommun)")
    if counts["coarse"]:
        classes = sorted(k.split(":", 1)[1] for k in counts if k.startswith("class:"))
        out.append(f"{path}: {counts['coarse']} points are too imprecise for area assignment ({', '.join(classes)})")
    return out


def prepare_events(frame: pd.DataFrame, fmt: str, engine: Engine, path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Assign area and kommun to parsed events (a whole file's frame; pure apart from reading areas)."""
    out, counts = assign_events(frame, fmt, EventContext(engine), path)
    return out, event_warnings(path, fmt, counts)


def _check_duplicates(frame: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, int]:
    """Drop exact duplicates of an event id inside ``frame``; the same id with other content is an
    error naming both rows. Returns the frame and how many rows were dropped."""
    if frame["ext_id"].isna().all():
        return frame, 0
    dup = frame.duplicated("ext_id", keep=False) & frame["ext_id"].notna()
    if not dup.any():
        return frame, 0
    d = frame[dup]
    distinct = d.drop_duplicates(["ext_id", *CONTENT])
    clash = distinct[distinct.duplicated("ext_id", keep=False)]
    if len(clash):
        first = clash.iloc[0]
        rows = clash[clash["ext_id"] == first["ext_id"]]["_row"].tolist()
        raise InputError(path, f"event id {first['ext_id']} appears in rows {rows[0]} and {rows[1]} with different content", row=int(rows[1]), column="id")
    n = int(dup.sum() - d["ext_id"].nunique())
    return frame.drop_duplicates("ext_id"), n


#: SQLite page cache while an import writes (a fixed bound: the import's memory does not grow with the file)
IMPORT_CACHE_MB = 64
#: what makes two rows with one event id the same event
CONTENT = ["occurred_at", "type", "x", "y", "count"]
ID_BATCH = 500


def _lookup(conn, source: str, ids: list[str]) -> pd.DataFrame:
    """Stored events of ``source`` with these ids (batched, on the (source, ext_id) index)."""
    cols = ["ext_id", "import_id", *CONTENT]
    found: list = []
    pg = conn.dialect.name == "postgresql"
    for lo in range(0, len(ids), ID_BATCH):
        batch = ids[lo:lo + ID_BATCH]
        if pg:
            sql = ('SELECT ext_id, import_id, occurred_at, type, x, y, "count" FROM events '
                   "WHERE source = %s AND ext_id = ANY(%s)")
            found.extend(conn.exec_driver_sql(sql, (source, batch)).fetchall())
        else:
            sql = ('SELECT ext_id, import_id, occurred_at, type, x, y, "count" FROM events '
                   f"WHERE source = ? AND ext_id IN ({','.join('?' * len(batch))})")
            found.extend(conn.exec_driver_sql(sql, (source, *batch)).fetchall())
    return pd.DataFrame(found, columns=cols).drop_duplicates("ext_id")


class SeenIds:
    """The event ids of the file read so far, as sorted 64-bit hashes (8 bytes an event, not a
    Python string each): flags the ids of a chunk that an earlier chunk may have had."""

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.uint64)

    def check_and_add(self, ids: np.ndarray) -> np.ndarray:
        h = pd.util.hash_array(np.asarray(ids, dtype=object))
        if len(self.hashes):
            pos = np.searchsorted(self.hashes, h).clip(max=len(self.hashes) - 1)
            maybe = self.hashes[pos] == h
        else:
            maybe = np.zeros(len(h), dtype=bool)
        self.hashes = np.sort(np.concatenate([self.hashes, h]), kind="stable")
        return maybe


def _known_ids(conn, frame: pd.DataFrame, source: str, import_id: int, path: Path, seen: SeenIds,
               store_has_source: bool) -> tuple[pd.DataFrame, int, int]:
    """Drop events whose (source, id) the store holds already.

    An id written earlier by *this* import (an earlier chunk of the same file) is a duplicate in the
    file: dropped when its content is the same, an error naming the row when it differs. An id
    from an earlier import is skipped. Returns (frame, skipped as known, dropped as duplicates).
    The store is asked only about ids an earlier chunk may have had (:class:`SeenIds`) and, when
    it holds events of ``source`` at all, about every id of the chunk.
    """
    has_id = frame["ext_id"].notna().to_numpy()
    if not has_id.any():
        return frame, 0, 0
    ids = frame["ext_id"].to_numpy(dtype=object)[has_id].astype(str)
    maybe = seen.check_and_add(ids)
    ask = ids if store_has_source else ids[maybe]
    if len(ask) == 0:
        return frame, 0, 0
    known = _lookup(conn, source, list(dict.fromkeys(ask.tolist())))
    if known.empty:
        return frame, 0, 0
    mine = known[known["import_id"] == import_id].set_index("ext_id")
    drop = frame["ext_id"].isin(known["ext_id"]).to_numpy()
    duplicates = 0
    if len(mine):
        again = frame[frame["ext_id"].isin(mine.index)]
        for i in range(len(again)):
            r, m = again.iloc[i], mine.loc[again["ext_id"].iloc[i]]
            same = (pd.Timestamp(r["occurred_at"]) == pd.Timestamp(m["occurred_at"]) and str(r["type"]) == str(m["type"])
                    and _close(r["x"], m["x"]) and _close(r["y"], m["y"]) and int(r["count"]) == int(m["count"]))
            if not same:
                raise InputError(path, f"event id {r['ext_id']} appears again in row {int(r['_row'])} with different "
                                       "content (an earlier row of the file has the same id)",
                                 row=int(r["_row"]), column="id")
        duplicates = len(again)
    return frame[~drop], int(drop.sum()) - duplicates, duplicates


def _close(a, b) -> bool:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    return abs(float(a) - float(b)) < 1e-6


def import_events(engine: Engine, path: str | Path, source: str | None = None, synthetic: bool = False,
                  user: str | None = None) -> ImportReport:
    """Import a point event file in one transaction, reading it in chunks (bounded memory).

    "unchanged" when an earlier import of the same file still has its events in the store. Events
    whose (source, id) the store holds already are skipped; a file's own duplicate ids are dropped
    when identical and refused when their content differs.
    """
    path = Path(path)
    check_size(path)
    digest = file_hash(path)
    ctx = EventContext(engine)
    from config import settings

    reader = PointReader(path, max_bytes=int(settings().import_max_mb * 1_000_000))
    with import_transaction(engine) as conn:
        earlier = already_imported(conn, "events", digest)
        if earlier is not None and rows_remain(conn, events, earlier):
            return unchanged_report(conn, "events", path, digest, user,
                                    "the events of this file are in the store already: nothing changed")
        import_id = start_import(conn, "events", path, digest, user)
        counts: Counter = Counter()
        n = skipped = duplicates = 0
        chunks = iter(reader)
        first = next(chunks)
        src = source or {"polisen_api": "polisen.se", "deso_crimes": "polisen_deso"}.get(reader.fmt, path.stem)
        has_source = conn.execute(select(events.c.id).where(events.c.source == src).limit(1)).first() is not None
        seen = SeenIds()
        with deferred_indexes(conn, events, reader.estimated_rows(),
                              keep=("ix_events_source_ext",) if has_source else ()):
            for chunk in itertools.chain([first], chunks):
                chunk, d = _check_duplicates(chunk, path)
                duplicates += d
                chunk, c = assign_events(chunk, reader.fmt, ctx, path)
                counts.update(c)
                chunk, k, d = _known_ids(conn, chunk, src, import_id, path, seen, has_source)
                skipped, duplicates = skipped + k, duplicates + d
                n += write_events(conn, chunk, src, synthetic, import_id, cache_mb=IMPORT_CACHE_MB)
        warnings = list(reader.warnings)
        if duplicates:
            warnings.append(f"{path}: {duplicates} exact duplicate events ignored")
        warnings += event_warnings(path, reader.fmt, counts)
        if skipped:
            warnings.append(f"{path}: {skipped} events already in the store (same source and id) were skipped")
        finish_import(conn, import_id, n, skipped, warnings)
    return ImportReport("events", str(path), "imported", n, skipped, warnings, import_id)


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


def write_events(conn, frame: pd.DataFrame, source: str, synthetic: bool, import_id: int | None,
                 cache_mb: int = 256) -> int:
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
    return bulk_insert(conn, events, EVENT_WRITE_COLUMNS, parts, total=n, chunks=True, cache_mb=cache_mb)


# --------------------------------------------------------------------------- places of interest


def import_pois(engine: Engine, path: str | Path, kind: str, user: str | None = None,
                synthetic: bool = False) -> ImportReport:
    """Import places of interest of one kind (points; name column optional); "unchanged" when an
    earlier import of the same file still has its places in the store."""
    from geodata.points import _read_points_frame, to_sweref, to_wgs84
    from geodata.tabular import find_column

    path = Path(path)
    if not kind or not kind.strip():
        raise InputError(path, "--kind is required (e.g. krog, skola, station)")
    check_size(path)
    digest = file_hash(path)
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
    with import_transaction(engine) as conn:
        earlier = already_imported(conn, "pois", digest)
        if earlier is not None and rows_remain(conn, pois, earlier):
            return unchanged_report(conn, "pois", path, digest, user,
                                    "the places of this file are in the store already: nothing changed")
        import_id = start_import(conn, "pois", path, digest, user)
        rows = list(zip([kind.strip()] * len(frame), names, x.tolist(), y.tolist(), np.asarray(lon).tolist(),
                        np.asarray(lat).tolist(), [path.name] * len(frame), [synthetic] * len(frame),
                        [import_id] * len(frame), strict=True))
        n = bulk_insert(conn, pois, ["kind", "name", "x", "y", "lon", "lat", "source", "synthetic", "import_id"], rows)
        finish_import(conn, import_id, n, 0, [])
    return ImportReport("pois", str(path), "imported", n, 0, [], import_id)
