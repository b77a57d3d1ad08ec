"""Read point event files into one normalised frame.

Formats: CSV (Swedish Excel variants), GeoJSON, GeoPackage, Parquet with x/y in SWEREF 99 TM
(swapped northing/easting detected) or lat/lon; the polisen.se events API JSON (and its flattened
Parquet history), whose points are kommun or län centres; the police's DeSO crime tables
(``DeSO.område``, ``Brottsdatum``, ``Antal``).

Output columns (:data:`POINT_COLUMNS`): ``ext_id, occurred_at, type, x, y, lon, lat, precision,
kommun_kod, count, text, deso, _row``.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from geodata import precision as P
from geodata.areas import SWEDEN_3006, SWEDEN_4326
from geodata.errors import InputError
from geodata.tabular import decode_text, find_column, require_column, sniff_delimiter

POINT_COLUMNS = ["ext_id", "occurred_at", "type", "x", "y", "lon", "lat", "precision", "kommun_kod",
                 "count", "text", "deso", "_row"]
TIME_ALIASES = ("occurred_at", "tid", "tidpunkt", "datum", "datetime", "date", "time", "brottsdatum", "handelsetid")
TYPE_ALIASES = ("type", "typ", "handelsetyp", "brottstyp", "brottskod_klartext", "kategori")
ID_ALIASES = ("id", "ext_id", "handelse_id", "event_id")
X_ALIASES = ("x", "e", "easting", "ostlig", "x_sweref", "x_coord")
Y_ALIASES = ("y", "n", "northing", "nordlig", "y_sweref", "y_coord")
LAT_ALIASES = ("lat", "latitude", "latitud")
LON_ALIASES = ("lon", "lng", "long", "longitude", "longitud")
PRECISION_ALIASES = ("precision", "precision_class", "precisionsklass", "noggrannhet")

_TO_WGS = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
_TO_SWEREF = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


def to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _TO_WGS.transform(np.asarray(x, float), np.asarray(y, float))


def to_sweref(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _TO_SWEREF.transform(np.asarray(lon, float), np.asarray(lat, float))


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([None] * n, dtype=object) for c in POINT_COLUMNS})


def parse_times(values: pd.Series, path: Path, rows: np.ndarray, column: str) -> pd.Series:
    """Parse timestamps to naive Swedish local time; the first unparseable one is an error.

    Naive texts are local time already; texts with an offset (``+02:00``) are converted to
    Europe/Stockholm.
    """
    text = values.astype(str).str.strip()
    has_offset = bool(text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True).any())
    try:
        parsed = pd.to_datetime(text, errors="coerce", utc=has_offset)
    except (ValueError, TypeError):
        parsed = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
        has_offset = True
    bad = parsed.isna().to_numpy()
    if bad.any():  # several formats in one file: parse the rest one by one
        retry = pd.to_datetime(text[bad], errors="coerce", format="mixed", utc=has_offset)
        parsed = parsed.copy()
        parsed[bad] = retry
        bad = parsed.isna().to_numpy()
    if bad.any():
        i = _first_bad(bad)
        raise InputError(path, f"'{values.iloc[i]}' is not a date/time", row=int(rows[i]), column=column)
    if has_offset:
        parsed = parsed.dt.tz_convert("Europe/Stockholm").dt.tz_localize(None)
    return parsed


def _read_points_frame(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".gpkg", ".shp") or (suffix == ".json" and _is_geojson(path)):
        try:
            gdf = gpd.read_file(path)
        except Exception as exc:
            raise InputError(path, f"cannot be read as a geodata file ({exc})") from exc
        if gdf.empty:
            raise InputError(path, "the file contains no features")
        if gdf.crs is None:
            gdf = gdf.set_crs("EPSG:4326")
        if not (gdf.geom_type == "Point").all():
            i = _first_bad((gdf.geom_type != "Point").to_numpy())
            raise InputError(path, f"{gdf.geom_type.iloc[i]} is not a point", row=i + 1, column="geometry")
        g = gdf.to_crs("EPSG:3006")
        frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        frame["x"], frame["y"] = g.geometry.x.to_numpy(), g.geometry.y.to_numpy()
        frame["_row"] = np.arange(1, len(frame) + 1)
        return frame
    if suffix == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:
            raise InputError(path, f"cannot be read as Parquet ({exc})") from exc
        frame["_row"] = np.arange(1, len(frame) + 1)
        return frame
    opts = _csv_options(path)
    try:
        frame = pd.read_csv(path, low_memory=False, compression="infer", **opts)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"the encoding is broken ({exc})") from exc
    except Exception as exc:
        raise InputError(path, f"cannot be read as CSV ({exc})") from exc
    if frame.empty:
        raise InputError(path, "the file has a header but no rows")
    frame["_row"] = np.arange(2, len(frame) + 2)
    return frame


def _csv_options(path: Path) -> dict:
    """``pd.read_csv`` options of a CSV event file from its first megabyte: separator, decimal
    mark, encoding, and the id column read as text (so ``0012`` and ``12`` stay apart and every
    chunk of the file writes an id the same way)."""
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as fh:
            raw = fh.read(1 << 20)
    else:
        with open(path, "rb") as fh:
            raw = fh.read(1 << 20)
    text = decode_text(raw[: raw.rfind(b"\n") + 1] or raw, path)
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else ("utf-8" if _utf8_ok(raw[:1 << 20]) else "cp1252")
    header = text.splitlines()[0] if text else ""
    sep = sniff_delimiter(header)
    names = [h.strip().strip('"') for h in header.split(sep)] if header else []
    ids = find_column(pd.DataFrame(columns=names), ID_ALIASES) if names else None
    return {"sep": sep, "decimal": "," if sep in (";", "\t") else ".", "encoding": encoding,
            "dtype": {ids: str} if ids else None}


def _utf8_ok(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(raw) - 4  # cut in the middle of a character at the sample's end
    return True


def _is_geojson(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096).decode("utf-8", "ignore")
    return '"FeatureCollection"' in head or '"Feature"' in head


def _numeric(frame: pd.DataFrame, col: str, path: Path) -> np.ndarray:
    values = frame[col]
    if values.dtype == object or str(values.dtype).startswith("str"):
        values = values.astype(str).str.replace("\u00a0", "").str.replace(" ", "").str.replace(",", ".")
    out = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(out)
    if bad.any():
        i = _first_bad(bad)
        raise InputError(path, f"'{frame[col].iloc[i]}' is not a coordinate", row=int(frame['_row'].iloc[i]), column=col)
    return out


def _generic_coordinates(path: Path, frame: pd.DataFrame, rows: np.ndarray, state: dict,
                         warnings: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, lon, lat) from x/y (SWEREF 99 TM) or lat/lon columns, swapped columns corrected the
    same way in every chunk (``state``); a point outside Sweden names its row."""
    xcol, ycol = find_column(frame, X_ALIASES), find_column(frame, Y_ALIASES)
    latcol, loncol = find_column(frame, LAT_ALIASES), find_column(frame, LON_ALIASES)
    if xcol and ycol:
        x, y = _numeric(frame, xcol, path), _numeric(frame, ycol, path)
        if "swap_xy" not in state:
            state["swap_xy"] = bool(np.median(x) > 5_000_000 and np.median(y) < 1_500_000)
            if state["swap_xy"]:
                warnings.append(f"{path}: columns '{xcol}'/'{ycol}' hold northing/easting swapped; read as E = '{ycol}', N = '{xcol}'")
        if state["swap_xy"]:
            x, y = y, x
        bad = ~((x >= SWEDEN_3006[0]) & (x <= SWEDEN_3006[2]) & (y >= SWEDEN_3006[1]) & (y <= SWEDEN_3006[3]))
        if bad.any():
            i = _first_bad(bad)
            raise InputError(path, f"({x[i]:.1f}, {y[i]:.1f}) is not in Sweden in SWEREF 99 TM (EPSG:3006)", row=int(rows[i]), column=xcol)
        lon, lat = to_wgs84(x, y)
    elif latcol and loncol:
        lat, lon = _numeric(frame, latcol, path), _numeric(frame, loncol, path)
        if "swap_latlon" not in state:
            state["swap_latlon"] = bool(np.median(lat) < 30 and np.median(lon) > 50)
            if state["swap_latlon"]:
                warnings.append(f"{path}: latitude/longitude columns swapped; corrected")
        if state["swap_latlon"]:
            lat, lon = lon, lat
        bad = ~((lon >= SWEDEN_4326[0]) & (lon <= SWEDEN_4326[2]) & (lat >= SWEDEN_4326[1]) & (lat <= SWEDEN_4326[3]))
        if bad.any():
            i = _first_bad(bad)
            raise InputError(path, f"({lat[i]}, {lon[i]}) is not in Sweden (lat, lon in WGS84)", row=int(rows[i]), column=latcol)
        x, y = to_sweref(lon, lat)
    else:
        raise InputError(path, "no coordinates: expected x/y (SWEREF 99 TM) or lat/lon columns", row=1)
    return x, y, lon, lat


def _generic_precision(path: Path, frame: pd.DataFrame, rows: np.ndarray, state: dict, warnings: list[str]):
    """Each point's precision class from its column, or exact for all (warned once per file)."""
    pcol = find_column(frame, PRECISION_ALIASES)
    if pcol:
        prec = frame[pcol].astype(str).str.strip().str.lower()
        bad = ~prec.isin(P.PRECISION_CLASSES)
        if bad.any():
            i = _first_bad(bad.to_numpy())
            raise InputError(path, f"'{frame[pcol].iloc[i]}' is not a precision class {P.PRECISION_CLASSES}", row=int(rows[i]), column=pcol)
        return prec.to_numpy()
    if not state.get("warned_precision"):
        state["warned_precision"] = True
        warnings.append(f"{path}: no precision column; points taken as exact positions")
    return P.EXACT


def read_generic_points(path: Path, frame: pd.DataFrame, state: dict | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Points with x/y (SWEREF 99 TM) or lat/lon columns.

    ``state`` carries decisions from a file's first chunk to the next ones (swapped columns), so
    every chunk is read the same way and each warning is given once.
    """
    state = {} if state is None else state
    warnings: list[str] = []
    rows = frame["_row"].to_numpy()
    tcol = require_column(frame, TIME_ALIASES, path, "time", f"one of {TIME_ALIASES[:6]}")
    kcol = require_column(frame, TYPE_ALIASES, path, "event type", f"one of {TYPE_ALIASES[:4]}")
    x, y, lon, lat = _generic_coordinates(path, frame, rows, state, warnings)
    out = _frame(len(frame))
    idcol = find_column(frame, ID_ALIASES)
    out["ext_id"] = frame[idcol].astype(str).to_numpy() if idcol else None
    out["occurred_at"] = parse_times(frame[tcol], path, rows, tcol).to_numpy()
    types = frame[kcol].astype(str).str.strip()
    if (types == "").any() or frame[kcol].isna().any():
        i = _first_bad(((types == "") | frame[kcol].isna()).to_numpy())
        raise InputError(path, "event type is empty", row=int(rows[i]), column=kcol)
    out["type"] = types.to_numpy()
    out["x"], out["y"], out["lon"], out["lat"] = x, y, lon, lat
    out["precision"] = _generic_precision(path, frame, rows, state, warnings)
    out["count"] = 1
    out["_row"] = rows
    return out, warnings


def read_polisen_api(path: Path, records: list[dict] | pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """polisen.se events (API JSON list or the flattened history Parquet): kommun/län centre points."""
    frame = pd.DataFrame(records) if isinstance(records, list) else records
    if "location" in frame.columns:
        loc = frame["location"].apply(lambda v: v if isinstance(v, dict) else {})
        frame["location_name"] = loc.apply(lambda v: v.get("name"))
        gps = loc.apply(lambda v: v.get("gps") or "")
        frame["lat"] = pd.to_numeric(gps.str.split(",").str[0], errors="coerce")
        frame["lon"] = pd.to_numeric(gps.str.split(",").str[1], errors="coerce")
    rows = frame["_row"].to_numpy() if "_row" in frame else np.arange(1, len(frame) + 1)
    for col in ("id", "datetime", "type", "location_name", "lat", "lon"):
        if col not in frame.columns:
            raise InputError(path, f"not a polisen.se events file: no '{col}'")
    bad = frame["lat"].isna() | frame["lon"].isna()
    if bad.any():
        i = _first_bad(bad.to_numpy())
        raise InputError(path, "location.gps is missing or not 'lat,lon'", row=int(rows[i]), column="location.gps")
    out = _frame(len(frame))
    out["ext_id"] = frame["id"].astype(str).to_numpy()
    out["occurred_at"] = parse_times(frame["datetime"].astype(str).str.replace(r" ([+-]\d\d:\d\d)$", r"\1", regex=True),
                                     path, rows, "datetime").to_numpy()
    out["type"] = frame["type"].astype(str).to_numpy()
    lon, lat = frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
    x, y = to_sweref(lon, lat)
    out["x"], out["y"], out["lon"], out["lat"] = x, y, lon, lat
    is_lan = frame["location_name"].astype(str).str.strip().str.endswith(" län")
    out["precision"] = np.where(is_lan, P.LAN, P.KOMMUN)
    out["kommun_name"] = np.where(is_lan, None, frame["location_name"].astype(str).str.strip())
    out["count"] = 1
    out["text"] = (frame.get("name", "").astype(str) + " " + frame.get("summary", "").astype(str)).to_numpy()
    out["_row"] = rows
    return out, [f"{path}: polisen.se positions are kommun or län centres; events are assigned to areas only where their text names the area"]


def read_deso_crimes(path: Path, frame: pd.DataFrame, state: dict | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The police's DeSO crime table: one row per registered crime (``Antal`` crimes).

    With ``state`` (chunked reading) the rows without a DeSO are counted in ``state['no_deso']``
    and the warning is the reader's to give once at the end.
    """
    rows = frame["_row"].to_numpy()
    deso = frame["DeSO.område"].astype(object)
    have = deso.notna().to_numpy()
    warnings = []
    if state is not None:
        state["no_deso"] = state.get("no_deso", 0) + int((~have).sum())
    elif (~have).any():
        warnings.append(no_deso_warning(path, int((~have).sum())))
    frame, rows, deso = frame[have], rows[have], deso[have]
    out = _frame(len(frame))
    out["ext_id"] = frame["Id"].astype(str).to_numpy() if "Id" in frame else None
    out["occurred_at"] = parse_times(frame["Brottsdatum"], path, rows, "Brottsdatum").to_numpy()
    out["type"] = frame["Brottskod.klartext"].astype(str).str.strip().to_numpy() if "Brottskod.klartext" in frame else frame["Brottskod"].astype(str).to_numpy()
    counts = pd.to_numeric(frame["Antal"], errors="coerce").to_numpy()
    bad = ~np.isfinite(counts) | (counts < 0)
    if bad.any():
        i = _first_bad(bad)
        raise InputError(path, f"'{frame['Antal'].iloc[i]}' is not a non-negative count", row=int(rows[i]), column="Antal")
    out["count"] = counts.astype(int)
    out["deso"] = deso.astype(str).str.strip().to_numpy()
    out["kommun_kod"] = out["deso"].str[:4]
    out["precision"] = P.DESO
    out["brottskod"] = frame["Brottskod"].astype(str).to_numpy()
    out["_row"] = rows
    return out, warnings


class LimitedReader(io.RawIOBase):
    """A binary stream that refuses to yield more than ``limit`` bytes (InputError naming the file)."""

    def __init__(self, inner, limit: int, path: Path) -> None:
        self.inner, self.limit, self.path, self.count = inner, limit, path, 0

    @classmethod
    def gzip(cls, path: Path, limit: int) -> io.BufferedReader:
        return io.BufferedReader(cls(gzip.open(path, "rb"), limit, path), buffer_size=1 << 20)

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self.inner.readinto(b)
        self.count += n or 0
        if self.count > self.limit:
            raise InputError(self.path, f"the file unpacks to more than {self.limit / 1e6:,.0f} MB, the import limit "
                                        "(LAGESBILD_IMPORT_MAX_MB)")
        return n

    def close(self) -> None:
        self.inner.close()
        super().close()


CHUNK_ROWS = 50_000
DOCUMENT_SUFFIXES = (".geojson", ".gpkg", ".shp", ".json", ".parquet")


class PointReader:
    """Read an event file in chunks of at most ``chunk_rows`` normalised rows (bounded memory).

    CSV files (also gzipped) are read ``chunk_rows`` lines at a time, Parquet one batch at a
    time; GeoJSON, GeoPackage, shapefiles and the polisen.se JSON are documents read whole (their
    size is bounded by the import limit). Iterate for the chunks (each with ``_row`` = the row in
    the file); :attr:`fmt` is known after the first chunk, :attr:`warnings` complete after the last.
    """

    def __init__(self, path: str | Path, chunk_rows: int | None = None, max_bytes: int | None = None) -> None:
        self.path = Path(path)
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self.max_bytes = max_bytes  # a gzipped file may unpack to at most this much
        self.fmt: str | None = None
        self.warnings: list[str] = []
        self.rows = 0
        self._state: dict = {}

    def estimated_rows(self) -> int:
        """Rows in the file, estimated from its first megabyte (exact for small files; 0 when
        unknown, e.g. compressed)."""
        if self.path.suffix.lower() in DOCUMENT_SUFFIXES + (".gz",):
            return self.rows
        size = self.path.stat().st_size
        with open(self.path, "rb") as fh:
            sample = fh.read(1 << 20)
        lines = sample.count(b"\n")
        return int(size / len(sample) * lines) - 1 if lines and sample else 0

    def _note(self, warnings: list[str]) -> None:
        self.warnings.extend(w for w in warnings if w not in self.warnings)

    def _raw_chunks(self):
        path = self.path
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            try:
                pf = pq.ParquetFile(path)
                batches = pf.iter_batches(batch_size=self.chunk_rows)
            except Exception as exc:
                raise InputError(path, f"cannot be read as Parquet ({exc})") from exc
            row = 1
            for batch in batches:
                frame = batch.to_pandas()
                frame["_row"] = np.arange(row, row + len(frame))
                row += len(frame)
                yield frame
            return
        if suffix in DOCUMENT_SUFFIXES:
            yield _read_points_frame(path)
            return
        opts = _csv_options(path)
        row, any_rows = 2, False
        source, compression = path, "infer"
        if suffix == ".gz" and self.max_bytes:  # counted while it is unpacked: a gzip bomb stops at the limit
            source, compression = LimitedReader.gzip(path, self.max_bytes), None
        try:
            reader = pd.read_csv(source, low_memory=False, compression=compression, chunksize=self.chunk_rows, **opts)
            for frame in reader:
                frame["_row"] = np.arange(row, row + len(frame))
                row += len(frame)
                any_rows = any_rows or len(frame) > 0
                yield frame
        except UnicodeDecodeError as exc:
            raise InputError(path, f"the encoding is broken ({exc})") from exc
        except InputError:
            raise
        except Exception as exc:
            raise InputError(path, f"cannot be read as CSV ({exc})", row=row) from exc
        if not any_rows:
            raise InputError(path, "the file has a header but no rows")

    def __iter__(self):
        path = self.path
        if not path.exists():
            raise InputError(path, "file not found")
        if path.stat().st_size == 0:
            raise InputError(path, "the file is empty")
        if path.suffix.lower() == ".json" and not _is_geojson(path):
            frame, warnings, fmt = read_points(path)
            self.fmt, self.rows = fmt, len(frame)
            self._note(warnings)
            yield frame
            return
        for frame in self._raw_chunks():
            cols = set(frame.columns)
            if self.fmt is None:
                self.fmt = ("deso_crimes" if {"DeSO.område", "Brottsdatum", "Antal"} <= cols else
                            "polisen_api" if {"location_name", "datetime", "lat", "lon", "type"} <= cols else "points")
            if self.fmt == "deso_crimes":
                out, w = read_deso_crimes(path, frame, self._state)
            elif self.fmt == "polisen_api":
                out, w = read_polisen_api(path, frame)
            else:
                out, w = read_generic_points(path, frame, self._state)
            self._note(w)
            self.rows += len(out)
            yield out
        if self._state.get("no_deso"):
            self._note([no_deso_warning(path, self._state["no_deso"])])


def no_deso_warning(path: Path, n: int) -> str:
    return f"{path}: {n} rows have no DeSO and are left out (they cannot be placed)"


def read_points(path: str | Path) -> tuple[pd.DataFrame, list[str], str]:
    """Read any supported event file. Returns (frame, warnings, format name)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty")
    if path.suffix.lower() == ".json" and not _is_geojson(path):
        try:
            records = json.loads(decode_text(path.read_bytes(), path))
        except json.JSONDecodeError as exc:
            raise InputError(path, f"is not valid JSON (truncated?): {exc.msg}", row=exc.lineno) from exc
        if isinstance(records, dict) and "events" in records:
            records = records["events"]
        if not isinstance(records, list) or not records:
            raise InputError(path, "expected a JSON list of polisen.se events")
        frame, warnings = read_polisen_api(path, records)
        return frame, warnings, "polisen_api"
    frame = _read_points_frame(path)
    cols = set(frame.columns)
    if {"DeSO.område", "Brottsdatum", "Antal"} <= cols:
        out, w = read_deso_crimes(path, frame)
        return out, w, "deso_crimes"
    if {"location_name", "datetime", "lat", "lon", "type"} <= cols:
        out, w = read_polisen_api(path, frame)
        return out, w, "polisen_api"
    out, w = read_generic_points(path, frame)
    return out, w, "points"
