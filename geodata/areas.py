"""Read the police's official area files (utsatta områden) in every published schema.

Handles shapefile, GeoJSON (with or without a ``crs`` member), GeoPackage and a zip of those, in
SWEREF 99 TM (EPSG:3006) or WGS84 (EPSG:4326); the 2021, 2023 and 2025 field names and the
UO-Project panel; drops Z; repairs invalid polygons and reports which. The result is a normalised
GeoDataFrame in EPSG:3006.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geodata.errors import InputError
from texts import LANGS, by_prefix

SWEREF99TM = "EPSG:3006"
WGS84 = "EPSG:4326"
LIST_YEARS: tuple[int, ...] = (2015, 2017, 2019, 2021, 2023, 2025)

#: bounds of Sweden (with margin) in EPSG:3006 and EPSG:4326
SWEDEN_3006 = (200_000.0, 6_100_000.0, 1_000_000.0, 7_700_000.0)
SWEDEN_4326 = (10.0, 55.0, 25.0, 69.5)

CATEGORY_CODES = ("sarskilt_utsatt", "utsatt", "risk")
#: the categories in words, per language (the catalogue's ``page.category.<code>``)
CATEGORY_LABELS: dict[str, dict[str, str]] = {lang: by_prefix("page.category.", lang) for lang in LANGS}

NORMALISED_COLUMNS = [
    "area_id", "list_year", "name", "category", "ort", "lpo", "lpo_code", "polisomrade",
    "polisomrade_code", "region", "region_code", "valid_from", "valid_to", "source_row",
]

# Field names as Polisen publishes them; lower-cased keys. First match wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "area_id": ("specialomrades_id", "specialomr", "id"),
    "name": ("namn", "area_panel", "name"),
    "category": ("kategori", "type", "category"),
    "ort": ("ort",),
    "lpo": ("lokalpolisomrade", "lokalpolis", "lpo"),
    "lpo_code": ("omradeskod",),
    "polisomrade": ("polisomr_1", "polisomrade", "po"),
    "polisomrade_code": ("polisomradeskod", "polisomrad"),
    "region": ("region",),
    "region_code": ("regionkod",),
    "valid_from": ("aktualitet_start", "aktualitet"),
    "valid_to": ("aktualitet_slut",),
    "list_year": ("year", "listar", "list_year"),
}


@dataclass
class AreaFile:
    """A read and normalised area file."""

    path: Path
    areas: gpd.GeoDataFrame  # NORMALISED_COLUMNS + geometry, EPSG:3006, 2-D, valid MultiPolygons
    warnings: list[str] = field(default_factory=list)
    source_crs: str = SWEREF99TM


def normalise_category(raw: object) -> str | None:
    """Map the police's category spellings to a code (None if unknown).

    >>> normalise_category("Särskild utsatt område"), normalise_category("Riskområde")
    ('sarskilt_utsatt', 'risk')
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return None
    text = str(raw).strip().lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    text = re.sub(r"[\s_\-]+", "", text)
    if text.startswith("sarskil"):
        return "sarskilt_utsatt"
    if text.startswith("risk"):
        return "risk"
    if text.startswith("utsatt"):
        return "utsatt"
    if text in CATEGORY_CODES:
        return text
    return None


def _vsi_path(path: Path) -> str:
    """A path pyogrio can open; for a zip, the first geodata member inside it."""
    if path.suffix.lower() != ".zip":
        return str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.namelist()
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a readable zip archive ({exc})") from exc
    for ext in (".shp", ".gpkg", ".geojson", ".json"):
        hits = [m for m in members if m.lower().endswith(ext) and not m.startswith("__MACOSX")]
        if hits:
            return f"/vsizip/{path}/{hits[0]}"
    raise InputError(path, "the zip holds no shapefile, GeoPackage or GeoJSON")


def _read_raw(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty")
    try:
        gdf = gpd.read_file(_vsi_path(path))
    except InputError:
        raise
    except Exception as exc:  # pyogrio raises DataSourceError/DataLayerError etc.
        raise InputError(path, f"cannot be read as a geodata file ({exc})") from exc
    if len(gdf) == 0:
        raise InputError(path, "the file contains no features")
    return gdf


def _looks_like(bounds: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return box[0] <= minx and box[1] <= miny and maxx <= box[2] and maxy <= box[3]


def _to_sweref(gdf: gpd.GeoDataFrame, path: Path, warnings: list[str]) -> tuple[gpd.GeoDataFrame, str]:
    """Reproject to EPSG:3006, detecting a missing or wrong CRS from the coordinates."""
    bounds = np.asarray(gdf.total_bounds, dtype=float)
    is_geojson = path.suffix.lower() in (".geojson", ".json") or "json" in _vsi_path(path).lower()
    declared = gdf.crs
    if declared is None:
        if _looks_like(bounds, SWEDEN_3006):
            gdf = gdf.set_crs(SWEREF99TM)
            warnings.append(f"{path}: no CRS given; coordinates are SWEREF 99 TM metres, read as EPSG:3006")
        elif _looks_like(bounds, SWEDEN_4326):
            gdf = gdf.set_crs(WGS84)
            warnings.append(f"{path}: no CRS given; coordinates are longitude/latitude, read as EPSG:4326")
        else:
            raise InputError(path, f"no CRS given and the coordinates {bounds.round(1).tolist()} are neither SWEREF 99 TM nor WGS84 in Sweden")
    elif CRS(declared).to_epsg() == 4326 and is_geojson and _looks_like(bounds, SWEDEN_3006):
        # A GeoJSON without a crs member is WGS84 by definition, but Polisen's files are SWEREF 99 TM.
        gdf = gdf.set_crs(SWEREF99TM, allow_override=True)
        warnings.append(f"{path}: GeoJSON has no crs member but its coordinates are SWEREF 99 TM metres; read as EPSG:3006")
    source_crs = f"EPSG:{CRS(gdf.crs).to_epsg()}" if CRS(gdf.crs).to_epsg() else CRS(gdf.crs).to_string()
    out = gdf.to_crs(SWEREF99TM)
    out_bounds = np.asarray(out.total_bounds, dtype=float)
    if not np.all(np.isfinite(out_bounds)) or not _looks_like(out_bounds, SWEDEN_3006):
        raise InputError(
            path,
            f"the coordinates fall outside Sweden after transforming from {source_crs} to EPSG:3006 "
            f"(bounds {np.asarray(bounds).round(1).tolist()}); the file's CRS is probably wrong",
        )
    return out, source_crs


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygonal part of a geometry as a MultiPolygon (make_valid may return collections)."""
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    if geom.geom_type == "MultiPolygon":
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys: list[shapely.Polygon] = []
    for p in parts:
        polys.extend(shapely.get_parts(p) if p.geom_type == "MultiPolygon" else [p])
    return shapely.MultiPolygon(polys) if polys else shapely.MultiPolygon()


def clean_geometries(
    geoms: gpd.GeoSeries, labels: list[str], path: Path, warnings: list[str]
) -> gpd.GeoSeries:
    """Drop Z, repair invalid polygons (reporting which), promote to MultiPolygon."""
    values = shapely.force_2d(np.asarray(geoms.values, dtype=object))
    out = []
    for i, geom in enumerate(values):
        if geom is None or geom.is_empty:
            raise InputError(path, "empty geometry", row=i + 1, column="geometry")
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise InputError(path, f"{geom.geom_type} is not a polygon", row=i + 1, column="geometry")
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            geom = shapely.make_valid(geom)
            warnings.append(f"{path}: row {i + 1} ('{labels[i]}'): repaired invalid polygon ({reason})")
        geom = _polygonal(geom)
        if geom.is_empty or geom.area <= 0:
            raise InputError(path, "polygon has no area after repair", row=i + 1, column="geometry")
        out.append(geom)
    return gpd.GeoSeries(out, crs=geoms.crs, index=geoms.index)


def _infer_list_year(path: Path) -> int | None:
    for match in re.findall(r"(20\d\d)", path.stem):
        if int(match) in LIST_YEARS:
            return int(match)
    return None


def _clean_id(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def _clean_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _clean_date(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return None
    try:
        return pd.Timestamp(value).date().isoformat()
    except (ValueError, TypeError):
        return None


def read_area_file(path: str | Path, list_year: int | None = None) -> AreaFile:
    """Read an official area file into the normalised schema (EPSG:3006).

    Parameters
    ----------
    path
        Shapefile, GeoJSON, GeoPackage or zip of one of those.
    list_year
        The list the file belongs to; inferred from a ``year`` column (panel) or from the file
        name (``uso_2025…``) when not given.

    Raises
    ------
    InputError
        Unreadable, empty or truncated file, wrong CRS, unknown category, duplicate id, no year.
    """
    path = Path(path)
    warnings: list[str] = []
    raw = _read_raw(path)
    raw, source_crs = _to_sweref(raw, path, warnings)
    lower = {c.lower(): c for c in raw.columns if c != raw.geometry.name}

    def column(key: str) -> str | None:
        return next((lower[a] for a in FIELD_ALIASES[key] if a in lower), None)

    name_col = column("name")
    cat_col = column("category")
    if name_col is None:
        raise InputError(path, f"no area name column (expected one of {FIELD_ALIASES['name']}); columns: {list(raw.columns)}")
    if cat_col is None:
        raise InputError(path, f"no category column (expected one of {FIELD_ALIASES['category']}); columns: {list(raw.columns)}")

    year_col = column("list_year")
    if year_col is not None and list_year is None:
        years = pd.to_numeric(raw[year_col], errors="coerce")
        bad = years.isna() | ~years.isin(LIST_YEARS)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
            raise InputError(path, f"'{raw[year_col].iloc[row - 1]}' is not a list year {LIST_YEARS}", row=row, column=year_col)
        year_values = years.astype(int).to_numpy()
    else:
        list_year = list_year or _infer_list_year(path)
        if list_year is None:
            raise InputError(path, f"cannot tell which list this is: give --list-year (one of {LIST_YEARS})")
        if list_year not in LIST_YEARS:
            raise InputError(path, f"--list-year {list_year} is not a published list year {LIST_YEARS}")
        year_values = np.full(len(raw), list_year)

    names = [_clean_text(v) for v in raw[name_col]]
    for i, n in enumerate(names):
        if n is None:
            raise InputError(path, "area name is empty", row=i + 1, column=name_col)
    categories = []
    for i, v in enumerate(raw[cat_col]):
        code = normalise_category(v)
        if code is None:
            raise InputError(path, f"'{v}' is not a category (särskilt utsatt område, utsatt område, riskområde)", row=i + 1, column=cat_col)
        categories.append(code)

    geoms = clean_geometries(raw.geometry, names, path, warnings)

    def values_of(key: str, cleaner) -> list:
        col = column(key)
        return [cleaner(v) for v in raw[col]] if col is not None else [None] * len(raw)

    data = {
        "area_id": values_of("area_id", _clean_id),
        "list_year": year_values,
        "name": names,
        "category": categories,
        "ort": values_of("ort", _clean_text),
        "lpo": values_of("lpo", _clean_text),
        "lpo_code": values_of("lpo_code", _clean_id),
        "polisomrade": values_of("polisomrade", _clean_text),
        "polisomrade_code": values_of("polisomrade_code", _clean_id),
        "region": values_of("region", _clean_text),
        "region_code": values_of("region_code", _clean_id),
        "valid_from": values_of("valid_from", _clean_date),
        "valid_to": values_of("valid_to", _clean_date),
        "source_row": np.arange(1, len(raw) + 1),
    }
    # The panel's "ID" is the panel's own numbering, not the police's id: mark it.
    if column("area_id") == lower.get("id") and year_col is not None:
        data["area_id"] = [f"P{v}" if v is not None else None for v in data["area_id"]]
    areas = gpd.GeoDataFrame(data, geometry=geoms.values, crs=SWEREF99TM)

    with_id = areas[areas["area_id"].notna()]
    dup = with_id.duplicated(["area_id", "list_year"], keep=False)
    if dup.any():
        first = with_id[dup].iloc[0]
        raise InputError(path, f"area id {first['area_id']} appears more than once in list {first['list_year']}",
                         row=int(first["source_row"]), column=column("area_id"))
    return AreaFile(path=path, areas=areas, warnings=warnings, source_crs=source_crs)
