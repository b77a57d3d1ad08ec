"""Import transactions: one file = one transaction, serialised, audited, idempotent on the store's state.

Every ``import_*`` function reads and validates the file (pure, no writes) and writes everything in
one transaction, so a bad file writes nothing; errors are :class:`geodata.errors.InputError`
naming file, row and column. Imports never destroy data by accident:

- **serialised**: every import transaction first takes the import lock (:func:`import_transaction`:
  a PostgreSQL advisory lock, or on SQLite the write lock held through the ``locks`` row), so
  concurrent imports of one file run one after the other and the later ones find nothing to do
  ("unchanged") instead of failing on the import log;
- **idempotent on the result**: an import is "unchanged" when it would not change the store (areas:
  the list years' rows and population profiles; indicator values and targets: the values of the
  file's keys; events and places: the earlier import of the same file still has its rows), not
  merely when the same file was imported before. Re-importing a file after another one changed the
  store therefore restores it. The import log keeps an earlier import of the same content under the
  kind ``<kind>#<id>`` (the log's (kind, hash) pair is unique);
- an area import that would **remove areas** from a list refuses unless ``replace=True``
  (``--replace``), saying how many would go;
- files larger than ``LAGESBILD_IMPORT_MAX_MB`` (default 500) are refused before they are read;
- every import (and every "unchanged" one) writes an ``import`` row to the audit log in its own
  transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from geodata.areas import read_area_file
from geodata.errors import InputError
from geodata.lineage import assign_ids, lineage
from geodata.reference_areas import ReferenceAreas, enrich
from geodata.tabular import (
    find_column,
    is_month_label,
    parse_month,
    parse_number,
    read_table,
    require_column,
)
from store.audit import write_audit
from store.bulk import bulk_insert
from store.queries import area_geometries, areas_frame, catalogue_frame
from store.schema import (
    area_lineage,
    area_profiles,
    areas,
    imports,
    indicator_values,
    indicators,
    targets,
)

#: PostgreSQL advisory lock key of imports ("LAGE" as an integer)
IMPORT_LOCK_KEY = 0x4C414745
#: how long an import waits for another one to finish (SQLite's busy timeout while taking the lock)
IMPORT_LOCK_WAIT_MS = 30 * 60 * 1000


@dataclass
class ImportReport:
    """What an import did."""

    kind: str
    file: str
    status: str  # "imported" | "unchanged"
    rows_accepted: int = 0
    rows_rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    import_id: int | None = None
    replaced: int = 0  # stored values (and targets) replaced, kept as revisions
    preliminary: int = 0  # values stored as preliminary

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def current_user() -> str:
    """Who runs the import (``LAGESBILD_USER`` or the OS user)."""
    return os.environ.get("LAGESBILD_USER") or getpass.getuser()


def file_hash(path: str | Path) -> str:
    """SHA-256 of the file's bytes (for a directory: of its files' bytes in name order)."""
    h = hashlib.sha256()
    p = Path(path)
    files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
    for f in files:
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def check_size(path: str | Path) -> None:
    """Refuse a file (or directory) larger than ``LAGESBILD_IMPORT_MAX_MB`` before reading it."""
    from config import settings

    p = Path(path)
    if not p.exists():
        raise InputError(p, "file not found")
    size = sum(q.stat().st_size for q in p.rglob("*") if q.is_file()) if p.is_dir() else p.stat().st_size
    limit = settings().import_max_mb
    if size > limit * 1_000_000:
        raise InputError(p, f"the file is {size / 1e6:,.1f} MB, larger than the import limit of {limit:g} MB "
                            "(set LAGESBILD_IMPORT_MAX_MB to allow larger files, or split the file)")
    if p.is_file() and p.suffix.lower() in ZIP_SUFFIXES:
        check_archive(p, limit)


ZIP_SUFFIXES = (".zip", ".xlsx", ".xlsm")
MAX_ARCHIVE_MEMBERS = 1000


def check_archive(path: Path, limit_mb: float) -> None:
    """A zip (also an XLSX workbook) is judged on what it unpacks to: at most the import limit in
    total and :data:`MAX_ARCHIVE_MEMBERS` members (a zip bomb is refused before it is opened)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"is not a readable zip archive ({exc})") from exc
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise InputError(path, f"the archive holds {len(members):,} files (at most {MAX_ARCHIVE_MEMBERS:,})")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limit_mb * 1_000_000:
        raise InputError(path, f"the archive unpacks to {unpacked / 1e6:,.1f} MB, larger than the import limit of "
                               f"{limit_mb:g} MB (LAGESBILD_IMPORT_MAX_MB)")


def acquire_import_lock(conn: Connection) -> None:
    """Take the import lock for the rest of ``conn``'s transaction (released at commit/rollback).

    PostgreSQL: ``pg_advisory_xact_lock``. SQLite: writing the ``locks`` row as the transaction's
    first statement takes the database's write lock (waiting up to :data:`IMPORT_LOCK_WAIT_MS` for
    another import to commit); the reads that follow in the transaction see what that import wrote.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": IMPORT_LOCK_KEY})
        return
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {IMPORT_LOCK_WAIT_MS}")
    try:
        conn.execute(text("INSERT INTO locks (name, holder, acquired_at) VALUES ('import', :h, :t) "
                          "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at"),
                     {"h": f"{current_user()}@{os.getpid()}"[:128], "t": dt.datetime.now()})
    finally:
        conn.exec_driver_sql("PRAGMA busy_timeout = 30000")


@contextlib.contextmanager
def import_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction holding the import lock (imports run one at a time)."""
    with engine.begin() as conn:
        acquire_import_lock(conn)
        yield conn


def already_imported(conn: Connection, kind: str, digest: str) -> int | None:
    """Import id of an earlier import of the same content, if any."""
    return conn.execute(
        select(imports.c.id).where(imports.c.kind == kind, imports.c.file_hash == digest)
    ).scalar_one_or_none()


def start_import(conn: Connection, kind: str, path: Path, digest: str, user: str | None = None) -> int:
    """Log the start of an import; an earlier log row of the same content is kept under ``kind#id``
    (so the new import gets a new id, and with it a new data version for every cache)."""
    earlier = already_imported(conn, kind, digest)
    if earlier is not None:
        conn.execute(update(imports).where(imports.c.id == earlier).values(kind=f"{kind}#{earlier}"[:32]))
    result = conn.execute(
        insert(imports).values(
            kind=kind, file_name=str(path), file_hash=digest, rows_accepted=0, rows_rejected=0,
            started_at=dt.datetime.now(), imported_by=user or current_user(),
        )
    )
    return int(result.inserted_primary_key[0])


def finish_import(conn: Connection, import_id: int, accepted: int, rejected: int, warnings: list[str],
                  extra: dict | None = None) -> None:
    """Close the import's log row and write its audit row (same transaction: no import unaudited)."""
    conn.execute(
        update(imports).where(imports.c.id == import_id).values(
            rows_accepted=accepted, rows_rejected=rejected, finished_at=dt.datetime.now(),
            warnings=json.dumps(warnings, ensure_ascii=False),
        )
    )
    row = conn.execute(select(imports.c.kind, imports.c.file_name, imports.c.file_hash, imports.c.imported_by)
                       .where(imports.c.id == import_id)).one()
    write_audit(conn, "import", row.imported_by, layer=row.kind,
                detail={"status": "imported", "import_id": import_id, "file": row.file_name,
                        "sha256": row.file_hash, "rows_accepted": accepted, "rows_rejected": rejected,
                        **(extra or {})})


def audit_unchanged(conn: Connection, kind: str, path: Path | str, digest: str, user: str | None,
                    reason: str) -> None:
    """The audit row of an import that found nothing to change."""
    write_audit(conn, "import", user or current_user(), layer=kind,
                detail={"status": "unchanged", "file": str(path), "sha256": digest, "reason": reason})


def unchanged_report(conn: Connection, kind: str, path: Path | str, digest: str, user: str | None,
                     reason: str) -> ImportReport:
    audit_unchanged(conn, kind, path, digest, user, reason)
    return ImportReport(kind, str(path), "unchanged", warnings=[reason])


def rows_remain(conn: Connection, table, import_id: int) -> bool:
    """Whether any row written by import ``import_id`` is still in ``table``."""
    return conn.execute(select(table.c.import_id).where(table.c.import_id == import_id).limit(1)).first() is not None


# --------------------------------------------------------------------------- areas


def _area_rows(gdf: gpd.GeoDataFrame, import_id: int | None,
               population: dict[tuple[str, int], float] | None = None) -> list[dict]:
    wgs = gdf.to_crs("EPSG:4326")
    population = population or {}
    rows = []
    for (_, r), g4326 in zip(gdf.iterrows(), wgs.geometry.values, strict=True):
        rows.append(
            dict(
                area_id=str(r["area_id"]), list_year=int(r["list_year"]), name=r["name"],
                category=r["category"], ort=r.get("ort"), kommun_kod=r.get("kommun_kod"),
                kommun=r.get("kommun"), lpo=r.get("lpo"), lpo_code=r.get("lpo_code"),
                polisomrade=r.get("polisomrade"), polisomrade_code=r.get("polisomrade_code"),
                region=r.get("region"), region_code=r.get("region_code"),
                valid_from=dt.date.fromisoformat(r["valid_from"]) if r.get("valid_from") else None,
                valid_to=dt.date.fromisoformat(r["valid_to"]) if r.get("valid_to") else None,
                population=population.get((str(r["area_id"]), int(r["list_year"]))),
                area_km2=round(float(r.geometry.area) / 1e6, 4),
                shape_note=r.get("shape_note"), source=r.get("source"),
                geom_3006=shapely.to_wkb(r.geometry), geom_4326=shapely.to_wkb(g4326),
                import_id=import_id,
            )
        )
    for row in rows:
        for k, v in row.items():
            if isinstance(v, float) and np.isnan(v):
                row[k] = None
    return rows


def _replace_areas(conn: Connection, gdf: gpd.GeoDataFrame, import_id: int | None,
                   population: dict[tuple[str, int], float] | None = None) -> None:
    for year in sorted(gdf["list_year"].unique()):
        conn.execute(delete(areas).where(areas.c.list_year == int(year)))
    conn.execute(insert(areas), _area_rows(gdf, import_id, population))


def _rebuild_lineage(conn: Connection) -> None:
    stmt = select(areas.c.area_id, areas.c.list_year, areas.c.geom_3006)
    rows = conn.execute(stmt).fetchall()
    gdf = gpd.GeoDataFrame(
        {"area_id": [r[0] for r in rows], "list_year": [r[1] for r in rows]},
        geometry=shapely.from_wkb([bytes(r[2]) for r in rows]), crs="EPSG:3006",
    )
    lin = lineage(gdf)
    conn.execute(delete(area_lineage))
    if len(lin):
        conn.execute(insert(area_lineage), lin.to_dict("records"))


#: what an area import's result is compared on ("unchanged" when equal); not the source or import id
AREA_STATE = ("area_id", "list_year", "name", "category", "ort", "kommun_kod", "kommun", "lpo", "lpo_code",
              "polisomrade", "polisomrade_code", "region", "region_code", "valid_from", "valid_to",
              "population", "area_km2", "shape_note", "geom_3006", "geom_4326")
PROFILE_STATE = tuple(c.name for c in area_profiles.columns)


def _norm(v):
    if isinstance(v, memoryview | bytearray):
        return bytes(v)
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def _state(rows, columns: tuple[str, ...]) -> list[tuple]:
    """Rows as sorted tuples of ``columns`` (comparable across the store and a pending import)."""
    out = [tuple(_norm(r[c]) for c in columns) for r in rows]
    return sorted(out, key=lambda t: (str(t[0]), str(t[1])))


def _stored_state(conn: Connection, table, columns: tuple[str, ...], years: list[int]) -> list[tuple]:
    rows = conn.execute(select(*[table.c[c] for c in columns]).where(table.c.list_year.in_(years))).mappings()
    return _state(list(rows), columns)


def area_profiles_for(gdf: gpd.GeoDataFrame) -> pd.DataFrame | None:
    """Population and peer-group profiles of ``gdf``'s areas from the DeSO data (as bootstrap
    computes them), or None when the DeSO reference files are not available."""
    from config import settings
    from geodata.deso import area_deso_overlap, read_deso_polygons, read_deso_table
    from geodata.deso import area_profiles as profiles_of

    try:
        desos, table = read_deso_polygons(settings().data_dir), read_deso_table(settings().data_dir)
    except (InputError, OSError):
        return None
    out = []
    for year, group in gdf.groupby("list_year"):
        prof = profiles_of(area_deso_overlap(group, desos), table)
        prof["list_year"] = int(year)
        prof["source"] = "deso_indicators"
        out.append(prof)
    return pd.concat(out, ignore_index=True) if out else None


def import_areas(engine: Engine, path: str | Path, list_year: int | None = None,
                 user: str | None = None, replace: bool = False) -> ImportReport:
    """Import an official area file: the file's list years get exactly the file's areas.

    Refuses (InputError) when areas of a list year would be removed, unless ``replace``. The areas'
    population profiles are recomputed from the DeSO data when it is available (else the stored
    profiles of the same ids are kept). "unchanged" when the list years' areas and profiles would
    stay as they are.
    """
    path = Path(path)
    check_size(path)
    digest = file_hash(path)
    parsed = read_area_file(path, list_year)
    warnings = list(parsed.warnings)
    years = sorted(int(y) for y in parsed.areas["list_year"].unique())
    with import_transaction(engine) as conn:
        reference = area_geometries(engine, None, "EPSG:3006").rename(columns={"id": "area_id"})
        reference = reference[~reference["list_year"].isin(years)]
        gdf, w = assign_ids(parsed.areas, reference)
        warnings.extend(w)
        gdf = enrich(gdf)
        gdf["shape_note"] = None
        gdf["source"] = path.name
        for year in years:
            stored = {r[0] for r in conn.execute(select(areas.c.area_id).where(areas.c.list_year == year))}
            incoming = set(gdf.loc[gdf["list_year"] == year, "area_id"].astype(str))
            gone = sorted(stored - incoming, key=lambda x: (len(x), x))
            if gone and not replace:
                raise InputError(path, f"the file would remove {len(gone)} of the {len(stored)} areas of the {year} "
                                       f"list (it holds {len(incoming)}; ids {', '.join(gone[:10])}"
                                       f"{' …' if len(gone) > 10 else ''}). Nothing was imported. Give --replace "
                                       "to replace the whole list with the file's areas")
            if gone:
                warnings.append(f"{path}: {len(gone)} areas of the {year} list removed (--replace)")
        profiles = area_profiles_for(gdf)
        if profiles is None:  # no DeSO data here: keep the profiles stored for the same areas
            stored_prof = pd.DataFrame(conn.execute(select(area_profiles).where(
                area_profiles.c.list_year.in_(years))).mappings().all(), columns=list(PROFILE_STATE))
            keys = set(zip(gdf["area_id"].astype(str), gdf["list_year"].astype(int), strict=True))
            profiles = stored_prof[[(a, int(y)) in keys for a, y in
                                    zip(stored_prof["area_id"], stored_prof["list_year"], strict=True)]]
        profiles = profiles.reindex(columns=list(PROFILE_STATE)).replace({np.nan: None})
        population = {(str(a), int(y)): (None if p is None else float(p)) for a, y, p in
                      zip(profiles["area_id"], profiles["list_year"], profiles["population"], strict=True)}
        pending = _area_rows(gdf, None, population)
        if (_state(pending, AREA_STATE) == _stored_state(conn, areas, AREA_STATE, years)
                and _state(profiles.to_dict("records"), PROFILE_STATE)
                == _stored_state(conn, area_profiles, PROFILE_STATE, years)):
            return unchanged_report(conn, "areas", path, digest, user,
                                    "the store holds these areas already: nothing changed")
        import_id = start_import(conn, "areas", path, digest, user)
        _replace_areas(conn, gdf, import_id, population)
        conn.execute(delete(area_profiles).where(area_profiles.c.list_year.in_(years)))
        if len(profiles):
            conn.execute(insert(area_profiles), profiles.to_dict("records"))
        _rebuild_lineage(conn)
        finish_import(conn, import_id, len(gdf), 0, warnings)
    return ImportReport("areas", str(path), "imported", len(gdf), 0, warnings, import_id)


def load_reference(engine: Engine, ref: ReferenceAreas, profiles: pd.DataFrame | None = None,
                   user: str | None = None) -> ImportReport:
    """Write the reference areas of every list (bootstrap) in one transaction."""
    digest = hashlib.sha256("".join(file_hash(p) for p in ref.files).encode()).hexdigest()
    with engine.begin() as conn:
        if already_imported(conn, "reference_areas", digest) is not None:
            return ImportReport("reference_areas", "reference", "unchanged")
        import_id = start_import(conn, "reference_areas", Path(",".join(p.name for p in ref.files)), digest, user)
        _replace_areas(conn, ref.areas, import_id)
        conn.execute(delete(area_lineage))
        if len(ref.lineage):
            conn.execute(insert(area_lineage), ref.lineage.to_dict("records"))
        if profiles is not None and len(profiles):
            conn.execute(delete(area_profiles))
            conn.execute(insert(area_profiles), profiles.replace({np.nan: None}).to_dict("records"))
            pop = profiles.sort_values("list_year").drop_duplicates(["area_id", "list_year"])
            for r in pop.itertuples():
                conn.execute(
                    update(areas).where(areas.c.area_id == r.area_id, areas.c.list_year == int(r.list_year))
                    .values(population=float(r.population))
                )
        finish_import(conn, import_id, len(ref.areas), 0, ref.warnings)
    return ImportReport("reference_areas", "reference", "imported", len(ref.areas), 0, ref.warnings, import_id)


# --------------------------------------------------------------------------- indicators

AREA_ALIASES = ("area_id", "omrade", "område", "area", "omrades_id", "specialomrades_id", "specialomr", "omradesnamn", "namn")
INDICATOR_ALIASES = ("indikator", "indicator", "indikator_id", "indicator_id")
MONTH_ALIASES = ("manad", "month", "period", "ar_manad", "arsmanad")
VALUE_ALIASES = ("varde", "value", "antal", "utfall", "count")
TARGET_ALIASES = ("mal", "target", "malvarde")
PRELIMINARY_ALIASES = ("preliminar", "preliminary", "preliminart", "prel")
#: the words a preliminary column may hold (case-insensitive; an empty cell is "no")
YES_WORDS = frozenset({"ja", "j", "yes", "y", "1", "true", "sant", "x"})
NO_WORDS = frozenset({"nej", "n", "no", "0", "false", "falskt", ""})


def today() -> dt.date:
    """Today's date for the product (the running month is refused on import); tests replace it."""
    return dt.date.today()


def parse_flag(text: object, path: Path, row: int, column: str) -> bool:
    """``ja``/``nej``, ``1``/``0``, ``true``/``false`` (an empty cell is ``nej``); anything else is an
    error naming file, row and column.

    >>> parse_flag("Ja", Path("x.csv"), 2, "Preliminär"), parse_flag(" ", Path("x.csv"), 3, "Preliminär")
    (True, False)
    """
    if isinstance(text, bool | np.bool_):
        return bool(text)
    if isinstance(text, (int, float, np.integer, np.floating)) and not (isinstance(text, float) and np.isnan(text)):
        if float(text) in (0.0, 1.0):
            return bool(float(text))
    s = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text).strip().casefold()
    if s in ("nan", "none"):
        s = ""
    if s in YES_WORDS:
        return True
    if s in NO_WORDS:
        return False
    raise InputError(path, f"'{text}' is not ja/nej (expected ja/nej, 1/0 or true/false)", row=row, column=column)


def _norm_key(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def resolve_areas(raw: pd.Series, area_table: pd.DataFrame, path: Path, rows: pd.Series, column: str) -> np.ndarray:
    """Map area ids or exact names to stable ids; unknown or ambiguous names are errors."""
    ids = set(area_table["id"].astype(str))
    by_name: dict[str, set[str]] = {}
    for r in area_table.itertuples():
        by_name.setdefault(_norm_key(r.name), set()).add(str(r.id))
    cache: dict[str, str] = {}
    out = np.empty(len(raw), dtype=object)
    for i, (value, row) in enumerate(zip(raw.to_numpy(), rows.to_numpy(), strict=True)):
        key = str(value).strip()
        if key in cache:
            out[i] = cache[key]
            continue
        if key.endswith(".0") and key[:-2] in ids:
            key = key[:-2]
        if key in ids:
            cache[str(value).strip()] = out[i] = key
            continue
        matches = by_name.get(_norm_key(key), set())
        if len(matches) == 1:
            cache[str(value).strip()] = out[i] = next(iter(matches))
            continue
        if len(matches) > 1:
            raise InputError(path, f"area name '{value}' is ambiguous (ids {sorted(matches)}); use the id", row=int(row), column=column)
        raise InputError(path, f"unknown area '{value}' (give the police's area id or the exact name; `python cli.py areas` lists them)", row=int(row), column=column)
    return out


def _resolve_indicators(raw: pd.Series, catalogue: pd.DataFrame, path: Path, rows: pd.Series, column: str,
                        create_missing: bool) -> tuple[np.ndarray, list[dict]]:
    lookup: dict[str, str] = {}
    for r in catalogue.itertuples():
        for key in (r.id, r.name_sv, r.name_en):
            lookup[_norm_key(key)] = r.id
    new: dict[str, dict] = {}
    out = np.empty(len(raw), dtype=object)
    for i, (value, row) in enumerate(zip(raw.to_numpy(), rows.to_numpy(), strict=True)):
        key = _norm_key(value)
        if key in lookup:
            out[i] = lookup[key]
            continue
        if not key:
            raise InputError(path, "indicator is empty", row=int(row), column=column)
        if not create_missing:
            known = ", ".join(sorted(catalogue["id"]))
            raise InputError(path, f"unknown indicator '{value}'. Known indicators: {known}. "
                             "Add --create-missing-indicators to add it to the catalogue", row=int(row), column=column)
        new_id = "".join(ch if ch.isalnum() else "_" for ch in key.replace("å", "a").replace("ä", "a").replace("ö", "o")).strip("_")
        lookup[key] = new_id
        new[new_id] = dict(id=new_id, name_sv=str(value).strip(), name_en=str(value).strip(), unit="count",
                           direction="up_is_bad", proactive=False, rare=False, source=f"Import: {path.name}",
                           synthetic=False, description_sv="Lokal indikator (importerad).",
                           description_en="Local indicator (imported).")
        out[i] = new_id
    return out, list(new.values())


@dataclass(frozen=True)
class _TableColumns:
    """Where an indicator table's columns are (None: absent)."""

    area: str
    indicator: str
    month: str | None
    value: str | None
    target: str | None
    preliminary: str | None


def _table_columns(path: Path, table: pd.DataFrame) -> _TableColumns:
    area_col = require_column(table, AREA_ALIASES, path, "area", "one of: Område, area_id, …")
    ind_col = require_column(table, INDICATOR_ALIASES, path, "indicator", "Indikator or indicator")
    return _TableColumns(area_col, ind_col, find_column(table, MONTH_ALIASES), find_column(table, VALUE_ALIASES),
                         find_column(table, TARGET_ALIASES), find_column(table, PRELIMINARY_ALIASES))


def _long_rows(path: Path, table: pd.DataFrame, c: _TableColumns, warnings: list[str]) -> pd.DataFrame:
    """The table in long form: its area and indicator columns, ``_month``, ``_value`` (``_target``),
    and for each value the file's column it came from (``_month_col``, ``_value_col``)."""
    extra = [c.preliminary] if c.preliminary else []
    if c.month is not None and c.value is not None:
        long = table[[c.area, c.indicator, c.month, c.value, "_row"] + ([c.target] if c.target else []) + extra]
        long = long.rename(columns={c.month: "_month", c.value: "_value", **({c.target: "_target"} if c.target else {})})
        long["_month_col"] = c.month
        long["_value_col"] = c.value
        return long
    month_cols = [col for col in table.columns if col != "_row" and is_month_label(col)]
    if not month_cols:
        raise InputError(path, "neither a long table (Område, Indikator, Månad, Värde) nor a wide one (one column per month YYYY-MM)", row=1)
    long = table.melt(id_vars=[c.area, c.indicator, "_row", *extra], value_vars=month_cols, var_name="_month", value_name="_value")
    long["_month_col"] = long["_month"]
    long["_value_col"] = long["_month"]
    blank = long["_value"].astype(str).str.strip().isin(["", "nan", "None"])
    if blank.any():
        warnings.append(f"{path}: {int(blank.sum())} empty month cells treated as missing (not zero)")
    return long[~blank]


def _check_ranges(path: Path, long: pd.DataFrame, ind_ids, values: np.ndarray, units: dict) -> None:
    """Counts and hours are never negative, shares lie within 0–100 %."""
    rows = long["_row"]
    for i, (ind, v) in enumerate(zip(ind_ids, values, strict=True)):
        if units.get(ind) in ("count", "hours") and v < 0:
            raise InputError(path, f"negative value {v:g} for '{ind}', which counts ({units[ind]}) and cannot be negative",
                             row=int(rows.iat[i]), column=str(long["_value_col"].iat[i]))
        if units.get(ind) == "share" and not 0 <= v <= 100:
            raise InputError(path, f"share {v:g} outside 0–100 %", row=int(rows.iat[i]), column=str(long["_value_col"].iat[i]))


def _without_duplicate_rows(path: Path, out: pd.DataFrame, long: pd.DataFrame, prelim_col: str | None,
                            warnings: list[str]) -> pd.DataFrame:
    """A key given twice with the same value and flag is taken once (with a warning); with different
    values, or preliminary once and final once, the file is refused."""
    key = ["area_id", "indicator_id", "month"]
    dup = out.duplicated(key, keep=False)
    if not dup.any():
        return out
    d = out[dup].sort_values([*key, "_row"])
    for what, column in (("value", str(long["_value_col"].iat[0])), ("preliminary", str(prelim_col))):
        differs = d.groupby(key)[what].nunique()
        if not (differs > 1).any():
            continue
        k = differs[differs > 1].index[0]
        clash = d.set_index(key).loc[k]
        rows_txt = " and ".join(str(int(x)) for x in clash["_row"])
        how = (f" with different values ({', '.join(f'{v:g}' for v in clash['value'])})" if what == "value"
               else ", preliminary in one and final in another")
        raise InputError(path, f"{k[0]} / {k[1]} / {k[2]} appears in rows {rows_txt}{how}",
                         row=int(clash["_row"].iloc[-1]), column=column)
    warnings.append(f"{path}: {int(dup.sum() - out[dup].drop_duplicates(key).shape[0])} exact duplicate rows ignored")
    return out.drop_duplicates(key)


def parse_indicator_table(path: Path, area_table: pd.DataFrame, catalogue: pd.DataFrame,
                          create_missing: bool = False) -> tuple[pd.DataFrame, list[dict], list[str]]:
    """Parse a long or wide indicator table into ``area_id, indicator_id, month, value, target``.

    Long: area, indicator, month, value (and optionally target) columns. Wide: area, indicator and
    one column per month. Returns the rows, new catalogue entries and warnings.
    """
    table = read_table(path)
    warnings: list[str] = []
    c = _table_columns(path, table)
    long = _long_rows(path, table, c, warnings)
    rows = long["_row"]
    months = np.array([parse_month(m, path, int(r), mc if c.month else str(m))
                       for m, r, mc in zip(long["_month"], rows, long["_month_col"], strict=True)], dtype=object)
    values = np.array([parse_number(v, path, int(r), vc) for v, r, vc in zip(long["_value"], rows, long["_value_col"], strict=True)])
    ids = resolve_areas(long[c.area], area_table, path, rows, c.area)
    ind_ids, new_entries = _resolve_indicators(long[c.indicator], catalogue, path, rows, c.indicator, create_missing)
    units = dict(zip(catalogue["id"], catalogue["unit"], strict=False)) | {e["id"]: e["unit"] for e in new_entries}
    _check_ranges(path, long, ind_ids, values, units)
    prelim = (np.array([parse_flag(v, path, int(r), c.preliminary) for v, r in zip(long[c.preliminary], rows, strict=True)],
                       dtype=bool) if c.preliminary else np.zeros(len(long), dtype=bool))
    out = pd.DataFrame({"area_id": ids, "indicator_id": ind_ids, "month": months, "value": values,
                        "preliminary": prelim, "_row": rows.to_numpy(),
                        "_month_col": long["_month_col"].astype(str).to_numpy()})
    if "_target" in long:
        tgt = [None if str(t).strip() in ("", "nan", "None") else parse_number(t, path, int(r), c.target)
               for t, r in zip(long["_target"], rows, strict=True)]
        out["target"] = tgt
    return _without_duplicate_rows(path, out, long, c.preliminary, warnings), new_entries, warnings


def mark_preliminary(parsed: pd.DataFrame, path: Path, on: dt.date,
                     preliminary_months: tuple[str, ...] | list[str] = (), warnings: list[str] | None = None
                     ) -> pd.DataFrame:
    """Flag the values of ``preliminary_months`` (``--preliminary-month``) preliminary and refuse
    any value of a month that has not ended on ``on`` (the running month and later ones) unless it
    is preliminary: such a value is not final and must never be tested as if it were.

    Raises :class:`InputError` naming file, row, the month column and the month.

    >>> rows = pd.DataFrame({"area_id": ["74"], "indicator_id": ["ran"], "month": ["2026-12"], "value": [3.0],
    ...                      "preliminary": [False], "_row": [2], "_month_col": ["Månad"]})
    >>> mark_preliminary(rows, Path("a.csv"), dt.date(2026, 12, 4), ["2026-12"])["preliminary"].tolist()
    [True]
    >>> mark_preliminary(rows, Path("a.csv"), dt.date(2026, 12, 4))
    Traceback (most recent call last):
    ...
    geodata.errors.InputError: a.csv: row 2, column 'Månad': 2026-12 is the running month (today is 2026-12-04): its values are not final. Mark the row preliminary (a column Preliminär with ja) or give --preliminary-month 2026-12
    """
    out = parsed.copy()
    if "preliminary" not in out.columns:
        out["preliminary"] = False
    flagged = {str(m) for m in preliminary_months}
    if flagged:
        out["preliminary"] = out["preliminary"].astype(bool) | out["month"].isin(flagged)
        unused = sorted(flagged - set(out["month"]))
        if unused and warnings is not None:
            warnings.append(f"{path}: --preliminary-month {', '.join(unused)}: no value of the file is in that month")
    running = f"{on.year:04d}-{on.month:02d}"
    bad = out[(out["month"] >= running) & ~out["preliminary"].astype(bool)]
    if len(bad):
        first = bad.sort_values("_row").iloc[0]
        month = str(first["month"])
        when = ("the running month" if month == running else "a month that has not begun")
        raise InputError(path, f"{month} is {when} (today is {on.isoformat()}): its values are not final. Mark the "
                               f"row preliminary (a column Preliminär with ja) or give --preliminary-month {month}",
                         row=int(first["_row"]), column=str(first.get("_month_col", "Månad")))
    return out


def _stored_values(conn: Connection, parsed: pd.DataFrame) -> pd.DataFrame:
    """The stored rows of the file's keys (``value, synthetic, preliminary, import_id``; a key the
    store does not hold is left out)."""
    key = ["area_id", "indicator_id", "month"]
    iv = indicator_values.c
    months = (parsed["month"].min(), parsed["month"].max())
    ids, inds = sorted(set(parsed["area_id"])), sorted(set(parsed["indicator_id"]))
    stored = pd.DataFrame(conn.execute(
        select(iv.area_id, iv.indicator_id, iv.month, iv.value, iv.synthetic, iv.preliminary, iv.import_id)
        .where(iv.area_id.in_(ids), iv.indicator_id.in_(inds), iv.month.between(*months))).fetchall(),
        columns=[*key, "value", "synthetic", "preliminary", "import_id"])
    return stored.merge(parsed[key], on=key, how="inner")


def _stored_targets(conn: Connection, tg: pd.DataFrame) -> pd.DataFrame:
    key = ["area_id", "indicator_id", "month"]
    t = targets.c
    months = (tg["month"].min(), tg["month"].max())
    stored = pd.DataFrame(conn.execute(
        select(t.area_id, t.indicator_id, t.month, t.target, t.synthetic, t.import_id)
        .where(t.area_id.in_(sorted(set(tg["area_id"]))), t.indicator_id.in_(sorted(set(tg["indicator_id"]))),
               t.month.between(*months))).fetchall(),
        columns=[*key, "value", "synthetic", "import_id"])
    return stored.merge(tg[key], on=key, how="inner")


def _changed(parsed: pd.DataFrame, stored: pd.DataFrame, synthetic: dict | None) -> pd.DataFrame:
    """The rows of ``parsed`` the store does not hold as they are (new keys, other values, other
    flags)."""
    key = ["area_id", "indicator_id", "month"]
    cols = ["value"] + [c for c in ("preliminary", "synthetic") if c in stored.columns]
    got = parsed.merge(stored[key + cols].rename(columns={c: f"{c}_stored" for c in cols}), on=key, how="left")
    differs = got["value_stored"].isna().to_numpy() | (got["value"].to_numpy(float) != got["value_stored"].to_numpy(float))
    if "preliminary_stored" in got:
        differs |= got["preliminary"].astype(bool).to_numpy() != got["preliminary_stored"].fillna(False).astype(bool).to_numpy()
    if synthetic is not None and "synthetic_stored" in got:
        want = np.array([bool(synthetic.get(i, False)) for i in got["indicator_id"]], dtype=bool)
        differs |= want != got["synthetic_stored"].fillna(False).astype(bool).to_numpy()
    return parsed[differs]


def _delete_keys(conn: Connection, table, keys: pd.DataFrame) -> None:
    for a, i, m in keys[["area_id", "indicator_id", "month"]].itertuples(index=False):
        conn.execute(delete(table).where(table.c.area_id == a, table.c.indicator_id == i, table.c.month == m))


def import_indicators(engine: Engine, path: str | Path, create_missing: bool = False,
                      user: str | None = None, preliminary_months: tuple[str, ...] | list[str] = (),
                      on: dt.date | None = None) -> ImportReport:
    """Import monthly indicator values (and targets if the table has a target column).

    A value of the running month (``on``, default :func:`today`) or a later one is refused unless
    it is preliminary (a ``Preliminär`` column with ja, or its month in ``preliminary_months``);
    preliminary values are stored flagged and never tested.

    Only the keys whose value (or flags, or target) change are written; the rows they replace go to
    ``indicator_revisions`` with this import's id (:mod:`store.revisions`), so every earlier value
    stays retrievable. "unchanged" when the store already holds the file's values, flags and
    targets for every key of the file — also after another file changed them, re-importing this
    one restores them (and records that as a revision too).
    """
    from store.revisions import record_revisions, revision_rows

    path = Path(path)
    check_size(path)
    digest = file_hash(path)
    parsed, new_entries, warnings = parse_indicator_table(
        path, areas_frame(engine), catalogue_frame(engine), create_missing
    )
    parsed = mark_preliminary(parsed, path, on or today(), preliminary_months, warnings)
    synthetic = dict(zip(*catalogue_frame(engine)[["id", "synthetic"]].T.values, strict=False))
    key = ["area_id", "indicator_id", "month"]
    tg = (parsed.dropna(subset=["target"])[key + ["target", "_row"]].rename(columns={"target": "value"})
          if "target" in parsed else pd.DataFrame(columns=[*key, "value", "_row"]))
    with import_transaction(engine) as conn:
        stored = _stored_values(conn, parsed) if len(parsed) else parsed.iloc[0:0]
        changed = _changed(parsed, stored, synthetic) if len(parsed) else parsed
        stored_tg = _stored_targets(conn, tg) if len(tg) else tg.iloc[0:0]
        changed_tg = _changed(tg, stored_tg, None) if len(tg) else tg
        if not new_entries and changed.empty and changed_tg.empty:
            return unchanged_report(conn, "indicators", path, digest, user,
                                    "the store holds these values already: nothing changed")
        import_id = start_import(conn, "indicators", path, digest, user)
        if new_entries:
            known = {r[0] for r in conn.execute(select(indicators.c.id))}
            new_entries = [e for e in new_entries if e["id"] not in known]  # added meanwhile by another import
        if new_entries:
            conn.execute(insert(indicators), new_entries)
            warnings.append(f"added to the catalogue: {', '.join(e['id'] for e in new_entries)}")
        n_rev = record_revisions(conn, revision_rows(stored.merge(changed[key], on=key), changed, "value", import_id))
        _delete_keys(conn, indicator_values, changed)
        if len(changed):
            conn.execute(insert(indicator_values), [
                dict(area_id=r.area_id, indicator_id=r.indicator_id, month=r.month, value=float(r.value),
                     synthetic=bool(synthetic.get(r.indicator_id, False)), preliminary=bool(r.preliminary),
                     import_id=import_id)
                for r in changed.itertuples()
            ])
        n_rev += record_revisions(conn, revision_rows(stored_tg.merge(changed_tg[key], on=key),
                                                      changed_tg, "target", import_id))
        _delete_keys(conn, targets, changed_tg)
        if len(changed_tg):
            conn.execute(insert(targets), [dict(area_id=r.area_id, indicator_id=r.indicator_id, month=r.month,
                                                target=float(r.value), synthetic=False, import_id=import_id)
                                           for r in changed_tg.itertuples()])
        n_prelim = int(parsed["preliminary"].sum())
        _update_coverage(conn)
        finish_import(conn, import_id, len(parsed), 0, warnings,
                      {"values_written": int(len(changed)), "targets_written": int(len(changed_tg)),
                       "replaced": n_rev, "preliminary": n_prelim})
    return ImportReport("indicators", str(path), "imported", len(parsed), 0, warnings, import_id,
                        replaced=n_rev, preliminary=n_prelim)


def _update_coverage(conn: Connection) -> None:
    """Recompute each indicator's coverage window (first and last month with a final value: a
    preliminary month lies after it, so the verdict engine sees it as pending, never tested)."""
    from sqlalchemy import false, func

    rows = conn.execute(
        select(indicator_values.c.indicator_id, func.min(indicator_values.c.month), func.max(indicator_values.c.month))
        .where(indicator_values.c.preliminary == false())
        .group_by(indicator_values.c.indicator_id)
    ).fetchall()
    for ind, first, last in rows:
        conn.execute(update(indicators).where(indicators.c.id == ind).values(first_month=first, last_month=last))


def write_values(conn: Connection, frame: pd.DataFrame, synthetic: bool, import_id: int | None) -> int:
    """Bulk-write ``area_id, indicator_id, month, value`` rows (no conflict handling: fresh keys)."""
    rows = list(zip(frame["area_id"].astype(str), frame["indicator_id"].astype(str), frame["month"].astype(str),
                    frame["value"].astype(float), [bool(synthetic)] * len(frame), [import_id] * len(frame), strict=True))
    n = bulk_insert(conn, indicator_values, ["area_id", "indicator_id", "month", "value", "synthetic", "import_id"], rows)
    return n


def write_targets(conn: Connection, frame: pd.DataFrame, synthetic: bool, import_id: int | None) -> int:
    rows = list(zip(frame["area_id"].astype(str), frame["indicator_id"].astype(str), frame["month"].astype(str),
                    frame["target"].astype(float), [bool(synthetic)] * len(frame), [import_id] * len(frame), strict=True))
    return bulk_insert(conn, targets, ["area_id", "indicator_id", "month", "target", "synthetic", "import_id"], rows)


def upsert_catalogue(conn: Connection, entries: list[dict]) -> None:
    """Insert or update catalogue entries by id."""
    existing = {r[0] for r in conn.execute(select(indicators.c.id))}
    for e in entries:
        if e["id"] in existing:
            conn.execute(update(indicators).where(indicators.c.id == e["id"]).values(**{k: v for k, v in e.items() if k != "id"}))
        else:
            conn.execute(insert(indicators).values(**e))
