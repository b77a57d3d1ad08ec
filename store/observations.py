"""Partners' observations (EST, issue 14): what the kommun, housing companies, security guards,
schools and the police saw, reported against a checklist. Not crimes: their own table and map layer,
never added to a crime count.

A file (CSV from Swedish Excel — ``;``, decimal comma, UTF-8/BOM/cp1252 — or XLSX) has one row per
observation:

==================  =====================================================================
column              holds
==================  =====================================================================
Datum               the day it was seen (``2025-04-01``); never in the future
Kategori            one of :data:`store.catalogue.OBSERVATION_CATEGORIES` (id, Swedish or English)
Organisation        who reported (e.g. Stadsdelsförvaltningen, Svenska Bostäder, Securitas)
Roll                the reporter's role (optional; e.g. fältassistent, väktare)
x, y  or lat, lon   a point in SWEREF 99 TM or WGS84 (optional)
Område              an area id or exact name (optional)
Plats               a free-text place without coordinates (optional)
Kommun              kommun code or name (needed only when neither point nor area gives it)
Beskrivning         free text (optional)
==================  =====================================================================

Every row needs a place: a point, an area or a free-text place. Validation as every import: the
first error names file, row and column, and nothing is written; exact duplicate rows are one
observation (warned); re-importing a file (or rows the store holds already) is a no-op.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert, select

from geodata.areas import SWEDEN_3006, SWEDEN_4326
from geodata.boundaries import kommuner
from geodata.errors import InputError
from geodata.points import to_sweref, to_wgs84
from geodata.tabular import find_column, parse_number, read_table
from store.catalogue import OBSERVATION_CATEGORIES
from store.events_import import assign_points_to_areas, assign_points_to_kommun
from store.imports import (
    ImportReport,
    check_size,
    current_user,
    file_hash,
    finish_import,
    import_transaction,
    resolve_areas,
    start_import,
    today,
    unchanged_report,
)
from store.queries import areas_frame, latest_area_geometries, read_frame
from store.schema import observations
from texts import LANGS, has, t

DATE_ALIASES = ("datum", "date", "observationsdatum", "observerad", "dag")
CATEGORY_ALIASES = ("kategori", "category", "typ", "type")
ORG_ALIASES = ("organisation", "organization", "org", "aktor", "rapportor_organisation")
ROLE_ALIASES = ("roll", "role", "reporter_role", "rapportorsroll", "rapportor")
AREA_ALIASES = ("omrade", "area", "area_id", "omrades_id", "specialomrades_id")
PLACE_ALIASES = ("plats", "place", "adress", "address", "platsbeskrivning")
KOMMUN_ALIASES = ("kommun", "kommun_kod", "kommunkod", "municipality")
TEXT_ALIASES = ("beskrivning", "description", "kommentar", "text", "notering")
X_ALIASES = ("x", "e", "easting", "x_sweref")
Y_ALIASES = ("y", "n", "northing", "y_sweref")
LAT_ALIASES = ("lat", "latitude", "latitud")
LON_ALIASES = ("lon", "lng", "longitude", "longitud")

OBSERVATION_COLUMNS = ["id", "obs_date", "week", "month", "category", "organisation", "reporter_role", "x", "y",
                       "lon", "lat", "area_id", "kommun_kod", "place_text", "description", "created_by",
                       "import_id"]


def category_lookup() -> dict[str, str]:
    """Every accepted spelling (id, Swedish, English; case-insensitive) → category id."""
    out: dict[str, str] = {}
    for cid in OBSERVATION_CATEGORIES:
        for key in (cid, *(category_label(cid, lang) for lang in LANGS)):
            out[" ".join(key.split()).casefold()] = cid
    return out


def category_label(cid: str, lang: str = "sv") -> str:
    """The category's name in ``lang`` (the id when unknown)."""
    key = f"page.obs_category.{cid}"
    return t(key, lang) if has(key) else cid


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() in ("", "nan", "None", "NaT")


def _text(v: object) -> str | None:
    return None if _blank(v) else " ".join(str(v).split())


def parse_day(text: object, path: Path, row: int, column: str, on: dt.date) -> dt.date:
    """A date ``YYYY-MM-DD`` (also ``YYYY-MM-DD 00:00:00`` from Excel); not after ``on``."""
    s = str(text).strip()
    try:
        day = dt.date.fromisoformat(s[:10])
        if len(s) > 10 and s[10:].strip() not in ("00:00:00", "00:00", "T00:00:00"):
            raise ValueError(s)
    except ValueError as exc:
        raise InputError(path, f"'{text}' is not a date (expected YYYY-MM-DD)", row=row, column=column) from exc
    if day > on:
        raise InputError(path, f"'{day.isoformat()}' is in the future (today is {on.isoformat()}): an observation "
                         "is reported after it was seen", row=row, column=column)
    return day


def _kommun_codes(raw: object, path: Path, row: int, column: str, names: dict[str, str]) -> str:
    s = str(raw).strip()
    if s.isdigit() and len(s) <= 4 and s.zfill(4) in names.values():
        return s.zfill(4)
    hit = names.get(" ".join(s.split()).casefold())
    if hit is None:
        raise InputError(path, f"unknown kommun '{raw}' (give the four-digit code, e.g. 0180, or the name)",
                         row=row, column=column)
    return hit


def _columns(path: Path, frame: pd.DataFrame) -> dict[str, str | None]:
    """Where each of the file's columns is (None: absent); the required ones checked."""
    cols = {name: find_column(frame, aliases) for name, aliases in (
        ("date", DATE_ALIASES), ("category", CATEGORY_ALIASES), ("org", ORG_ALIASES), ("role", ROLE_ALIASES),
        ("area", AREA_ALIASES), ("place", PLACE_ALIASES), ("kommun", KOMMUN_ALIASES), ("text", TEXT_ALIASES),
        ("x", X_ALIASES), ("y", Y_ALIASES), ("lat", LAT_ALIASES), ("lon", LON_ALIASES))}
    present = [c for c in frame.columns if c != "_row"]
    for need, what in (("date", "Datum"), ("category", "Kategori"), ("org", "Organisation")):
        if cols[need] is None:
            raise InputError(path, f"no {what} column; columns: {present}", row=1)
    if not any(cols[c] for c in ("x", "lat", "area", "place")):
        raise InputError(path, "no place: expected x/y (SWEREF 99 TM), lat/lon (WGS84), Område or Plats columns", row=1)
    return cols


def _kommun_names() -> dict[str, str]:
    """Kommun name (casefolded) or code → code."""
    k = kommuner()
    knames = {" ".join(str(n).split()).casefold(): str(c) for c, n in zip(k["kommun_kod"], k["kommun"], strict=True)}
    return knames | {str(c): str(c) for c in k["kommun_kod"]}


def _day_category_org(path: Path, cols: dict, r: dict, row: int, on: dt.date, lookup: dict) -> tuple[dt.date, str, str]:
    """The row's day, checklist category and reporting organisation."""
    day = parse_day(r[cols["date"]], path, row, cols["date"], on) if not _blank(r[cols["date"]]) else None
    if day is None:
        raise InputError(path, "date is missing", row=row, column=cols["date"])
    cat_raw = r[cols["category"]]
    cat = lookup.get(" ".join(str(cat_raw).split()).casefold()) if not _blank(cat_raw) else None
    if cat is None:
        allowed = ", ".join(category_label(cid, "sv") for cid in OBSERVATION_CATEGORIES)
        raise InputError(path, f"unknown category '{'' if _blank(cat_raw) else cat_raw}' (the checklist's "
                         f"categories: {allowed})", row=row, column=cols["category"])
    org = _text(r[cols["org"]])
    if org is None:
        raise InputError(path, "organisation is missing (who reported it)", row=row, column=cols["org"])
    return day, cat, org


def _point(path: Path, cols: dict, r: dict, row: int) -> tuple[float | None, ...]:
    """(x, y, lon, lat) of the row's point, from SWEREF 99 TM or WGS84 columns; all None without one."""
    x = y = lon = lat = None
    if cols["x"] and cols["y"] and not (_blank(r[cols["x"]]) and _blank(r[cols["y"]])):
        x, y = (parse_number(r[cols[c]], path, row, cols[c]) for c in ("x", "y"))
        if not (SWEDEN_3006[0] <= x <= SWEDEN_3006[2] and SWEDEN_3006[1] <= y <= SWEDEN_3006[3]):
            raise InputError(path, f"({x:.1f}, {y:.1f}) is not in Sweden in SWEREF 99 TM (EPSG:3006)",
                             row=row, column=cols["x"])
        lo, la = to_wgs84(np.array([x]), np.array([y]))
        lon, lat = float(lo[0]), float(la[0])
    elif cols["lat"] and cols["lon"] and not (_blank(r[cols["lat"]]) and _blank(r[cols["lon"]])):
        lat, lon = (parse_number(r[cols[c]], path, row, cols[c]) for c in ("lat", "lon"))
        if not (SWEDEN_4326[0] <= lon <= SWEDEN_4326[2] and SWEDEN_4326[1] <= lat <= SWEDEN_4326[3]):
            raise InputError(path, f"({lat}, {lon}) is not in Sweden (lat, lon in WGS84)", row=row, column=cols["lat"])
        xs, ys = to_sweref(np.array([lon]), np.array([lat]))
        x, y = float(xs[0]), float(ys[0])
    return x, y, lon, lat


def _kommun(path: Path, cols: dict, r: dict, row: int, x: float | None, y: float | None, area: str | None,
            area_kommun: dict, knames: dict[str, str]) -> str:
    """The row's kommun: where its point lies, else its area's; a Kommun column must agree with it."""
    kommun = assign_points_to_kommun(np.array([x]), np.array([y]))[0] if x is not None else None
    if kommun is None and area is not None:
        kommun = area_kommun.get(area)
    if cols["kommun"] and not _blank(r[cols["kommun"]]):
        given = _kommun_codes(r[cols["kommun"]], path, row, cols["kommun"], knames)
        if kommun is not None and given != kommun:
            raise InputError(path, f"kommun '{r[cols['kommun']]}' does not hold the place given (it lies in "
                             f"{kommun})", row=row, column=cols["kommun"])
        kommun = given
    if kommun is None:
        raise InputError(path, "the place names no kommun: add a Kommun column (code or name)",
                         row=row, column=cols["place"] or cols["area"])
    return str(kommun)


def _without_duplicates(parsed: pd.DataFrame, path: Path, warnings: list[str]) -> pd.DataFrame:
    parsed["row_key"] = [row_key(r) for r in parsed.to_dict("records")]
    dup = parsed.duplicated("row_key")
    if dup.any():
        warnings.append(f"{path}: {int(dup.sum())} exact duplicate rows taken once (rows "
                        f"{', '.join(str(int(v)) for v in parsed.loc[dup, '_row'][:5])})")
        parsed = parsed[~dup]
    return parsed.reset_index(drop=True)


def parse_observations(path: Path, frame: pd.DataFrame, area_table: pd.DataFrame, polygons, on: dt.date
                       ) -> tuple[pd.DataFrame, list[str]]:
    """Validate an observation table (see the module docstring) into rows ready to write.

    Pure apart from the point-in-polygon lookups (``polygons``: the areas in EPSG:3006). The first
    error raises :class:`InputError` naming file, row and column.
    """
    warnings: list[str] = []
    cols = _columns(path, frame)
    lookup = category_lookup()
    knames = _kommun_names()
    area_kommun = dict(zip(area_table["id"].astype(str), area_table["kommun_kod"], strict=False))
    out = []
    for r in frame.to_dict("records"):
        row = int(r["_row"])
        day, cat, org = _day_category_org(path, cols, r, row, on, lookup)
        x, y, lon, lat = _point(path, cols, r, row)
        area = None
        if cols["area"] and not _blank(r[cols["area"]]):
            area = str(resolve_areas(pd.Series([r[cols["area"]]]), area_table, path, pd.Series([row]), cols["area"])[0])
        place = _text(r[cols["place"]]) if cols["place"] else None
        if x is None and area is None and place is None:
            raise InputError(path, "no place: give a point (x/y or lat/lon), an area or a free-text place",
                             row=row, column=cols["place"] or cols["area"] or cols["x"] or cols["lat"])
        if x is not None and area is None:
            area = assign_points_to_areas(np.array([x]), np.array([y]), polygons)[0]
        kommun = _kommun(path, cols, r, row, x, y, area, area_kommun, knames)
        iso = day.isocalendar()
        out.append(dict(
            obs_date=day, week=f"{iso.year:04d}-W{iso.week:02d}", month=day.strftime("%Y-%m"), category=cat,
            organisation=org, reporter_role=_text(r[cols["role"]]) if cols["role"] else None,
            x=x, y=y, lon=lon, lat=lat, area_id=area, kommun_kod=kommun, place_text=place,
            description=_text(r[cols["text"]]) if cols["text"] else None, _row=row))
    return _without_duplicates(pd.DataFrame(out), path, warnings), warnings


KEY_FIELDS = ("obs_date", "category", "organisation", "reporter_role", "x", "y", "area_id", "kommun_kod",
              "place_text", "description")


def row_key(row: dict) -> str:
    """SHA-256 of an observation's content (coordinates to the metre): the same observation twice is one."""
    parts = []
    for f in KEY_FIELDS:
        v = row.get(f)
        if isinstance(v, float):
            v = None if np.isnan(v) else f"{v:.0f}"
        parts.append("" if v is None else str(v))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _write(conn, rows: pd.DataFrame, user: str, import_id: int | None) -> int:
    known = {r[0] for r in conn.execute(select(observations.c.row_key).where(
        observations.c.row_key.in_(rows["row_key"].tolist())))} if len(rows) else set()
    new = rows[~rows["row_key"].isin(known)]
    now = dt.datetime.now()
    if len(new):
        conn.execute(insert(observations), [
            {**{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items() if k != "_row"},
             "created_by": user, "created_at": now, "import_id": import_id}
            for r in new.to_dict("records")])
    return len(new)


def import_observations(engine: Engine, path: str | Path, user: str | None = None,
                        on: dt.date | None = None) -> ImportReport:
    """Import a file of partners' observations (all or nothing; re-import is a no-op)."""
    path = Path(path)
    check_size(path)
    digest = file_hash(path)
    parsed, warnings = parse_observations(path, read_table(path), areas_frame(engine),
                                          latest_area_geometries(engine, "EPSG:3006"), on or today())
    with import_transaction(engine) as conn:
        known = {r[0] for r in conn.execute(select(observations.c.row_key).where(
            observations.c.row_key.in_(parsed["row_key"].tolist())))}
        if set(parsed["row_key"]) <= known:
            return unchanged_report(conn, "observations", path, digest, user,
                                    "the store holds these observations already: nothing changed")
        import_id = start_import(conn, "observations", path, digest, user)
        written = _write(conn, parsed, user or current_user(), import_id)
        if written < len(parsed):
            warnings.append(f"{len(parsed) - written} observations were in the store already (not written twice)")
        finish_import(conn, import_id, len(parsed), 0, warnings, {"observations_written": written})
    return ImportReport("observations", str(path), "imported", len(parsed), 0, warnings, import_id)


def add_observation(engine: Engine, values: dict, user: str, on: dt.date | None = None) -> int:
    """One observation entered on the page (same checks as an import; ``values`` keyed like a file's
    columns: Datum, Kategori, Organisation, Roll, lat/lon, Område, Plats, Kommun, Beskrivning).
    Returns the number written (0 when the store holds it already)."""
    frame = pd.DataFrame([{**values, "_row": 1}])
    parsed, _ = parse_observations(Path("formulär"), frame, areas_frame(engine),
                                   latest_area_geometries(engine, "EPSG:3006"), on or today())
    with engine.begin() as conn:
        return _write(conn, parsed, user, None)


def observations_frame(engine: Engine, kommun: str | None = None, weeks: tuple[str, str] | None = None,
                       months: tuple[str, str] | None = None) -> pd.DataFrame:
    """Observations, optionally of one kommun and an inclusive range of weeks or months."""
    stmt = select(*[observations.c[c] for c in OBSERVATION_COLUMNS]).order_by(observations.c.obs_date,
                                                                               observations.c.id)
    if kommun is not None:
        stmt = stmt.where(observations.c.kommun_kod == str(kommun))
    if weeks is not None:
        stmt = stmt.where(observations.c.week.between(*weeks))
    if months is not None:
        stmt = stmt.where(observations.c.month.between(*months))
    return read_frame(engine, stmt, OBSERVATION_COLUMNS)
