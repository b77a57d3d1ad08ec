"""Real offence series per area from the police-recorded crimes per DeSO (``crime_deso/``).

The crime tables give a count per DeSO 2018 and offence date, never a position inside the DeSO, so
a DeSO's count cannot be split between an area and its surroundings. **One rule** decides which
DeSOs count for an area:

    a DeSO counts for an area when at least ``min_share`` of the DeSO's surface lies inside the
    area (default :data:`DEFAULT_MIN_SHARE` = 25 %); an area none of whose DeSOs reaches it has
    no real series (never a series of zeros).

The default comes from the data (``python -m bench.deso_share_threshold``, ``bench/RESULTS.md``):
per resident, DeSOs that lie (partly) inside an area record 2.6 times the offences of the other
DeSOs of the same kommuner; with that contrast a DeSO's offences are more likely inside the area
than outside once about 28 % of it lies inside (1 / (1 + 2.57); 95 % interval 25–31 %). That
assumes residents spread evenly over a DeSO; where the area is its more densely built part the
break-even is lower, so the rule takes the round value at the lower end. The bench prints every
area's totals at 25 % and 50 % side by side.

Where the share of a DeSO inside an area comes from (one share per DeSO and area):

* the DeSO→area key of the 2025 list (``deso_uso/``): the share of the DeSO inside the area,
  computed on SCB's full-resolution DeSO 2025 and Polisen's polygons; a DeSO 2018 split in 2025
  gets the equal-weight mean of its 2025 parts (parts not in the key count as 0);
* the DeSO polygons of Stockholms län (DeSO 2018) and Göteborgsregionen (DeSO 2025) where they give
  more: for a DeSO 2018 split in 2025 (the 2018 polygon itself, or the area-weighted 2025 parts),
  for a DeSO lying in two areas (the key gives only its share in *any* area) and for areas that are
  not on the 2025 list.

Oxhagen and Varberga (Örebro) are one RegSO and there are no DeSO polygons there: the key assigns
their DeSOs only to both together. Their joint series is stored under the id of the earlier list's
area "Oxhagen / Varberga" (the same place); on the 2025 list neither area gets it as its own.

Areas of older lists reuse their id's series where the area is the same place as the one the
series describes (same stable id and polygons with intersection over union ≥ :data:`SAME_PLACE_IOU`);
otherwise they get no real series, and :func:`series_basis` says why.

Offence month = ``Brottsdatum`` (the offence date, not the registration date). Each offence
series runs from the first month whose national count reaches half the median month (earlier months
are incomplete in the released extract) to the extract's last month (2024-03); the last months are
still short of late registrations and are not marked otherwise here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.deso import MIN_COVERAGE, area_deso_overlap, read_deso_polygons, read_deso_table
from geodata.errors import InputError
from geodata.sources import require
from texts import t

#: crime_deso files → indicator id (offence codes as in the files)
OFFENCE_FILES: dict[str, str] = {
    "bilbrand_brott.csv.gz": "brand_i_motorfordon",
    "brand_brott.csv.gz": "brand",
    "upplopp_brott.csv.gz": "upplopp",
    "blaljus_sabotage_brott.csv.gz": "blaljussabotage",
    "vald_mot_polis_1_brott.csv.gz": "vald_mot_polis",
    "vald_mot_polis_2_brott.csv.gz": "vald_mot_polis",
}
OFFENCE_INDICATORS: tuple[str, ...] = tuple(dict.fromkeys(OFFENCE_FILES.values()))

DEFAULT_MIN_SHARE = 0.25
#: an older list's area is "the same place" as its id's series when IoU reaches this (as the ids
#: of the panel's areas are linked: geodata.lineage.assign_ids)
SAME_PLACE_IOU = 0.5
#: a second area counts as "also holding the DeSO" from this share on (below: generalisation slivers)
SLIVER = 0.05

KEY_COLUMNS = ("deso2025", "deso2018_equiv", "code_relation", "kommun_kod", "area_2025",
               "specialomrades_id", "share_of_deso_in_any_uso_pct", "method")
DESO_CODE = re.compile(r"^\d{4}[ABC]\d{4}$")
RELATIONS = ("same_code", "parent_code_split_2025")
JOINT_SUFFIX = "(not separable)"

SERIES_COLUMNS = ["area_id", "indicator_id", "month", "value"]
BASIS_COLUMNS = ["area_id", "list_year", "status", "reason", "series_id", "source", "deso_count",
                 "min_share", "max_share", "iou", "note_sv", "note_en"]


def pct(x: float) -> str:
    """Share as a whole percent in Swedish style (``'25 %'``)."""
    return f"{round(100 * float(x)):d} %"


# --------------------------------------------------------------------------- reading


def read_area_key(data_dir: Path | None) -> pd.DataFrame:
    """The DeSO 2025 → area (2025 list) key, checked.

    Returns ``deso2025, deso2018, relation, kommun_kod, area_name, area_id`` (the stable id as a
    string, None for the joint and unassigned rows), ``share`` (0–1, share of the DeSO inside any
    area of the list), ``joint`` (the row belongs to two areas that cannot be told apart) and
    ``method``. A bad value raises :class:`InputError` naming the file, row and column.
    """
    path = require(data_dir, "deso_area_key")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in KEY_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}", row=1)
    rows = np.arange(len(raw)) + 2  # header is row 1
    for col in ("deso2025", "deso2018_equiv"):
        bad = ~raw[col].str.match(DESO_CODE)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(path, f"'{raw[col].iat[i]}' is not a DeSO code", row=int(rows[i]), column=col)
    bad = ~raw["code_relation"].isin(RELATIONS)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, f"'{raw['code_relation'].iat[i]}' is not one of {', '.join(RELATIONS)}",
                         row=int(rows[i]), column="code_relation")
    share = pd.to_numeric(raw["share_of_deso_in_any_uso_pct"], errors="coerce")
    bad = share.isna() | (share < 0) | (share > 100)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, f"'{raw['share_of_deso_in_any_uso_pct'].iat[i]}' is not a share in percent (0–100)",
                         row=int(rows[i]), column="share_of_deso_in_any_uso_pct")
    joint = raw["area_2025"].str.endswith(JOINT_SUFFIX)
    sid = pd.to_numeric(raw["specialomrades_id"].replace("", np.nan), errors="coerce")
    bad = raw["area_2025"].ne("") & ~joint & sid.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, f"area '{raw['area_2025'].iat[i]}' has no numeric id",
                         row=int(rows[i]), column="specialomrades_id")
    return pd.DataFrame({
        "deso2025": raw["deso2025"], "deso2018": raw["deso2018_equiv"], "relation": raw["code_relation"],
        "kommun_kod": raw["kommun_kod"].str.zfill(4),
        "area_name": raw["area_2025"].where(raw["area_2025"].ne(""), None),
        "area_id": [None if (j or pd.isna(s)) else str(int(s)) for j, s in zip(joint, sid, strict=True)],
        "share": (share / 100.0).to_numpy(), "joint": joint.to_numpy(), "method": raw["method"],
    })


def coverage_start(monthly_totals: pd.Series, share: float = 0.5) -> str:
    """First month whose national count reaches ``share`` of the median month (earlier months are
    incomplete registrations in the released extract)."""
    threshold = share * float(monthly_totals.median())
    return str(monthly_totals[monthly_totals >= threshold].index.min())


def months_between(first: str, last: str) -> list[str]:
    """``'YYYY-MM'`` months from ``first`` to ``last`` inclusive."""
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


@dataclass(frozen=True)
class OffenceCounts:
    """Monthly offence counts per DeSO 2018 (``deso, indicator_id, month, value``) and each
    indicator's series window ``(first, last)``."""

    counts: pd.DataFrame
    windows: dict[str, tuple[str, str]]


def read_offence_counts(data_dir: Path | None) -> OffenceCounts:
    """The crime tables as monthly counts per DeSO within each indicator's series window.

    The window is the existing rule: from :func:`coverage_start` of the national monthly totals
    (every row with an offence date, with or without a DeSO) to the last offence month.
    """
    base = require(data_dir, "crime_deso")
    per_indicator: dict[str, list[pd.DataFrame]] = {}
    for fname, ind in OFFENCE_FILES.items():
        path = base / fname
        if not path.exists():
            raise InputError(path, "missing crime table (see the data README, section 3)")
        raw = pd.read_csv(path, usecols=["Brottsdatum", "DeSO.område", "Antal"], dtype={"DeSO.område": str})
        raw["month"] = pd.to_datetime(raw["Brottsdatum"], errors="coerce").dt.strftime("%Y-%m")
        per_indicator.setdefault(ind, []).append(raw.dropna(subset=["month"]))
    parts, windows = [], {}
    for ind, frames in per_indicator.items():
        raw = pd.concat(frames, ignore_index=True)
        totals = raw.groupby("month")["Antal"].sum()
        first, last = coverage_start(totals), str(totals.index.max())
        windows[ind] = (first, last)
        raw = raw[(raw["month"] >= first) & (raw["month"] <= last)].dropna(subset=["DeSO.område"])
        c = raw.groupby(["DeSO.område", "month"])["Antal"].sum().reset_index()
        parts.append(pd.DataFrame({"deso": c["DeSO.område"], "indicator_id": ind, "month": c["month"],
                                   "value": c["Antal"].astype(float)}))
    return OffenceCounts(pd.concat(parts, ignore_index=True), windows)


# --------------------------------------------------------------------------- shares


def key_shares(key: pd.DataFrame, joint_id: str | None) -> pd.DataFrame:
    """(DeSO 2018, area) shares from the key: ``deso, area_id, share, source='key'``.

    A DeSO 2018 split in 2025 gets the equal-weight mean of its parts' shares; its parts are
    numbered 1…n in the last digit, and parts missing from the key (they touch no area) count 0.
    Joint rows go to ``joint_id`` (left out when it is None); unassigned rows are left out.
    """
    k = key.copy()
    k["area_id"] = np.where(k["joint"], joint_id, k["area_id"])
    k = k.dropna(subset=["area_id"])
    split = k["relation"] == "parent_code_split_2025"
    parts = k[split].assign(n=k.loc[split, "deso2025"].str[-1].astype(int))
    n_parts = parts.groupby("deso2018")["n"].max()
    agg = parts.groupby(["deso2018", "area_id"])["share"].sum().reset_index()
    agg["share"] = agg["share"] / agg["deso2018"].map(n_parts)
    same = k[~split][["deso2018", "area_id", "share"]]
    out = pd.concat([same, agg], ignore_index=True).rename(columns={"deso2018": "deso"})
    out = out.groupby(["deso", "area_id"], as_index=False)["share"].max()
    out["source"] = "key"
    return out


def deso2018_codes(data_dir: Path | None) -> set[str]:
    """Every DeSO 2018 code (SCB's table, 5,984 codes): the codes the crime tables use."""
    return set(read_deso_table(data_dir)["deso"].astype(str))


def polygon_shares(places: gpd.GeoDataFrame, desos: gpd.GeoDataFrame, codes2018: set[str]) -> pd.DataFrame:
    """(DeSO 2018, area) shares from the regional DeSO polygons: ``deso, area_id, share,
    share_of_area, source='polygons'``.

    DeSO 2018 polygons (Stockholms län) are used as they are. DeSO 2025 polygons (Göteborgsregionen)
    keep their code when it is a DeSO 2018 code; a 2025 part of a split 2018 DeSO (same code but the
    last digit) is added to its parent with area weights; other new codes are left out.
    """
    ov = area_deso_overlap(places[["area_id", "geometry"]], desos)
    if ov.empty:
        return pd.DataFrame(columns=["deso", "area_id", "share", "share_of_area", "source"])
    d_area = pd.Series(desos.geometry.area.to_numpy(), index=desos["deso"].to_numpy())
    d_area = d_area[~d_area.index.duplicated()]
    ov["deso_m2"] = ov["deso"].map(d_area)
    ov["inter_m2"] = ov["share_of_deso"] * ov["deso_m2"]
    codes2025 = set(desos.loc[desos["version"] == "DeSO2025", "deso"])

    def to2018(code: str) -> str | None:
        if code in codes2018:
            return code
        parent = code[:-1] + "0"
        return parent if parent in codes2018 and parent not in codes2025 else None

    ov["deso2018"] = ov["deso"].map(to2018)
    ov = ov.dropna(subset=["deso2018"])
    # the parent's surface: all its parts, also those that touch no area
    parent_m2 = {}
    for code, m2 in d_area.items():
        p = to2018(code)
        if p is not None:
            parent_m2[p] = parent_m2.get(p, 0.0) + float(m2)
    g = ov.groupby(["deso2018", "area_id"], as_index=False).agg(inter_m2=("inter_m2", "sum"),
                                                                share_of_area=("share_of_area", "sum"))
    g["share"] = g["inter_m2"] / g["deso2018"].map(parent_m2)
    return pd.DataFrame({"deso": g["deso2018"], "area_id": g["area_id"], "share": g["share"].clip(upper=1.0),
                         "share_of_area": g["share_of_area"], "source": "polygons"})


def combine_shares(key_sh: pd.DataFrame, poly_sh: pd.DataFrame, split_2018: set[str]) -> pd.DataFrame:
    """One share per (DeSO, area) for the places of the 2025 list.

    The key's share (full-resolution geometry) is used, except for the DeSOs where the polygons give
    more: DeSOs 2018 split in 2025 (``split_2018``) and DeSOs lying in two areas (both ≥
    :data:`SLIVER`), whose shares are the polygons' own per area. Pairs only the polygons know are
    added.
    """
    poly = poly_sh[poly_sh["share"] >= SLIVER]
    multi = set(poly.loc[poly.duplicated("deso", keep=False), "deso"])
    prefer_poly = (multi | split_2018) & set(poly_sh["deso"])
    from_key = key_sh[~key_sh["deso"].isin(prefer_poly)]
    from_poly = poly_sh[poly_sh["deso"].isin(prefer_poly) | ~poly_sh["deso"].isin(set(key_sh["deso"]))]
    cols = ["deso", "area_id", "share", "source"]
    return pd.concat([from_key[cols], from_poly[cols]], ignore_index=True)


# --------------------------------------------------------------------------- places and basis


@dataclass(frozen=True)
class Places:
    """The place each stored series describes (``area_id``, ``name``, ``list_year``, geometry in
    EPSG:3006) and the joint areas (2025 ids that share the joint series)."""

    frame: gpd.GeoDataFrame
    joint_id: str | None
    joint_members: tuple[str, ...]
    joint_names: tuple[str, ...]


def series_places(areas: gpd.GeoDataFrame, key: pd.DataFrame) -> Places:
    """Each stored series' place: an id's newest polygon; the joint series' place is the union of
    its 2025 areas, stored under the id that an earlier list gave the joint area."""
    newest = int(areas["list_year"].max())
    latest = areas.sort_values("list_year").drop_duplicates("area_id", keep="last")
    joint_label = next(iter(key.loc[key["joint"], "area_name"]), None)
    joint_id, members, names = None, (), ()
    if joint_label:
        names = tuple(n.strip() for n in joint_label.replace(JOINT_SUFFIX, "").split("+"))
        cur = areas[areas["list_year"] == newest]
        members = tuple(str(i) for i in cur.loc[cur["name"].isin(names), "area_id"])
        older = set(areas.loc[areas["list_year"] < newest, "area_id"].astype(str))
        on_older = sorted((m for m in members if m in older), key=lambda s: (len(s), s))
        joint_id = on_older[0] if on_older else None
    rows = latest[~latest["area_id"].isin(members)][["area_id", "name", "list_year", "geometry"]]
    parts = [rows]
    if joint_id is not None:
        cur = areas[(areas["list_year"] == newest) & areas["area_id"].isin(members)]
        union = shapely.union_all(cur.geometry.values)
        parts.append(gpd.GeoDataFrame({"area_id": [joint_id], "name": [" + ".join(names)], "list_year": [newest]},
                                      geometry=[union], crs=areas.crs))
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=areas.crs)
    return Places(frame, joint_id, members, names)


@dataclass(frozen=True)
class RealSeries:
    """Everything the store needs: the monthly values per stored id, the basis per (area, list)
    and the (DeSO, area) shares used."""

    values: pd.DataFrame
    basis: pd.DataFrame
    shares: pd.DataFrame
    min_share: float


def _iou(a, b) -> float:
    inter = a.intersection(b).area
    union = a.area + b.area - inter
    return float(inter / union) if union > 0 else 0.0


def _note(status: str, reason: str | None, **kw) -> tuple[str, str]:
    """Why the area has its real series or none, in Swedish and in English (``note_sv``, ``note_en``)."""
    return _note_in("sv", status, reason, **kw), _note_in("en", status, reason, **kw)


def _note_in(lang: str, status: str, reason: str | None, **kw) -> str:
    """The note of :func:`_note` in ``lang``, from the catalogue's ``page.deso_note.*``."""
    share = pct(kw["min_share"])
    if status == "real":
        note = t("page.deso_note.real", lang, n=kw["n"], share=share,
                 source=t("page.deso_note.source." + kw["source"].replace("+", "_"), lang))
        if kw.get("joint"):
            note += t("page.deso_note.joint", lang, names=_and(kw["joint"], lang))
        return note
    if reason == "joint_only":
        where = (t("page.deso_note.joint_where", lang, year=kw["joint_year"], name=kw["joint_name"])
                 if kw.get("joint_name") else "")
        return t("page.deso_note.joint_only", lang, names=_and(kw["joint"], lang), where=where)
    if reason == "below_share":
        big = kw.get("max_share")
        largest = t("page.deso_note.largest", lang, share=pct(big)) if big is not None and big == big else ""
        return t("page.deso_note.below_share", lang, share=share, largest=largest)
    if reason == "other_place":
        decimal = t("fmt.decimal", lang)
        return t("page.deso_note.other_place", lang, series_id=kw["series_id"], place_year=kw["place_year"],
                 place_name=kw["place_name"], iou=f"{kw['iou']:.2f}".replace(".", decimal),
                 limit=f"{SAME_PLACE_IOU:.1f}".replace(".", decimal))
    return t("page.deso_note.no_source", lang)


def _and(names, lang: str) -> str:
    """``a och b`` / ``a and b``."""
    return t("page.deso_note.and", lang).join(names)


def series_basis(areas: gpd.GeoDataFrame, places: Places, shares: pd.DataFrame, min_share: float,
                 poly_coverage: pd.Series) -> pd.DataFrame:
    """Why each (area, list year) has a real offence series or not (columns :data:`BASIS_COLUMNS`).

    ``status`` is ``real`` or ``none``; ``reason`` for ``none``: ``below_share`` (no DeSO reaches
    ``min_share``), ``joint_only`` (only a joint series exists), ``other_place`` (the id's series
    describes another place: IoU below :data:`SAME_PLACE_IOU`) or ``no_source`` (not in the key and
    not covered by DeSO polygons). ``series_id`` is the id whose stored values the area shows.
    """
    counted = shares[shares["share"] >= min_share]
    n = counted.groupby("area_id")["deso"].nunique()
    src = counted.groupby("area_id")["source"].agg(lambda s: "+".join(sorted(set(s), key=["key", "polygons"].index)))
    biggest = shares.groupby("area_id")["share"].max()
    known = set(shares.loc[shares["source"] == "key", "area_id"]) | set(
        poly_coverage[poly_coverage >= MIN_COVERAGE].index)
    place = places.frame.set_index("area_id")
    newest = int(areas["list_year"].max())
    joint_place = place.loc[places.joint_id] if places.joint_id is not None else None
    rows = []
    for r in areas.itertuples():
        aid, year = str(r.area_id), int(r.list_year)
        base = dict(area_id=aid, list_year=year, status="none", reason=None, series_id=None, source=None,
                    deso_count=0, min_share=float(min_share), max_share=None, iou=None)
        kw = dict(min_share=min_share, joint=places.joint_names)
        if year == newest and aid in places.joint_members:
            base["reason"] = "joint_only"
            if joint_place is not None:
                older = areas[(areas["area_id"] == places.joint_id) & (areas["list_year"] < newest)]
                if len(older):
                    last = older.sort_values("list_year").iloc[-1]
                    kw.update(joint_name=last["name"], joint_year=int(last["list_year"]))
            base["note_sv"], base["note_en"] = _note("none", "joint_only", **kw)
            rows.append(base)
            continue
        if aid not in place.index:
            base["reason"] = "no_source"
            base["note_sv"], base["note_en"] = _note("none", "no_source", **kw)
            rows.append(base)
            continue
        p = place.loc[aid]
        iou = _iou(r.geometry, p.geometry)
        base["iou"] = round(iou, 3)
        base["max_share"] = float(biggest.get(aid, np.nan))
        if iou < SAME_PLACE_IOU:
            base["reason"] = "other_place"
            base["note_sv"], base["note_en"] = _note("none", "other_place", series_id=aid, place_year=int(p["list_year"]),
                                                     place_name=p["name"], iou=iou, **kw)
        elif aid not in known:
            base["reason"] = "no_source"
            base["note_sv"], base["note_en"] = _note("none", "no_source", **kw)
        elif int(n.get(aid, 0)) == 0:
            base["reason"] = "below_share"
            base["note_sv"], base["note_en"] = _note("none", "below_share", max_share=base["max_share"], **kw)
        else:
            base.update(status="real", series_id=aid, source=src[aid], deso_count=int(n[aid]))
            is_joint = aid == places.joint_id
            base["note_sv"], base["note_en"] = _note("real", None, n=int(n[aid]), source=src[aid],
                                                     **{**kw, "joint": places.joint_names if is_joint else ()})
        rows.append(base)
    return pd.DataFrame(rows, columns=BASIS_COLUMNS)


def series_values(shares: pd.DataFrame, counts: OffenceCounts, ids: list[str], min_share: float) -> pd.DataFrame:
    """Monthly values per area id: the sum over the DeSOs that reach ``min_share``, zeros filled
    inside each indicator's window, for the ``ids`` with at least one such DeSO."""
    counted = shares[(shares["share"] >= min_share) & shares["area_id"].isin(ids)][["deso", "area_id"]]
    with_desos = sorted(counted["area_id"].unique())
    frames = []
    for ind, (first, last) in counts.windows.items():
        c = counts.counts[counts.counts["indicator_id"] == ind]
        joined = c.merge(counted, on="deso")
        sums = joined.groupby(["area_id", "month"])["value"].sum()
        grid = pd.MultiIndex.from_product([with_desos, months_between(first, last)], names=["area_id", "month"])
        full = sums.reindex(grid, fill_value=0.0).reset_index()
        full["indicator_id"] = ind
        frames.append(full)
    if not frames:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    return pd.concat(frames, ignore_index=True)[SERIES_COLUMNS]


def build_real_series(data_dir: Path | None, min_share: float = DEFAULT_MIN_SHARE,
                      areas: gpd.GeoDataFrame | None = None, desos: gpd.GeoDataFrame | None = None,
                      counts: OffenceCounts | None = None) -> RealSeries:
    """The real offence series of every area id of every list, and why each (area, list) has one
    or not. ``areas`` (every list, EPSG:3006), ``desos`` and ``counts`` are read from ``data_dir``
    when not given."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    if areas is None:
        from geodata.reference_areas import load_reference_areas

        areas = load_reference_areas(data_dir).areas
    desos = read_deso_polygons(data_dir) if desos is None else desos
    counts = read_offence_counts(data_dir) if counts is None else counts
    key = read_area_key(data_dir)
    places = series_places(areas, key)
    codes2018 = deso2018_codes(data_dir)
    poly = polygon_shares(places.frame, desos, codes2018)
    newest = int(areas["list_year"].max())
    on_newest = set(areas.loc[areas["list_year"] == newest, "area_id"].astype(str))
    if places.joint_id is not None:
        on_newest.add(places.joint_id)
    split_2018 = set(key.loc[key["relation"] == "parent_code_split_2025", "deso2018"])
    shares = pd.concat([
        combine_shares(key_shares(key, places.joint_id), poly[poly["area_id"].isin(on_newest)], split_2018),
        poly.loc[~poly["area_id"].isin(on_newest), ["deso", "area_id", "share", "source"]],
    ], ignore_index=True)
    coverage = poly.groupby("area_id")["share_of_area"].sum()
    basis = series_basis(areas, places, shares, min_share, coverage)
    real_ids = sorted(set(basis.loc[basis["status"] == "real", "series_id"]))
    values = series_values(shares, counts, real_ids, min_share)
    return RealSeries(values=values, basis=basis, shares=shares, min_share=float(min_share))


def area_offence_series(data_dir: Path | None, list_year: int = 2025, min_share: float = DEFAULT_MIN_SHARE,
                        **frames) -> pd.DataFrame:
    """Monthly real offence series (``area_id, indicator_id, month, value``) for the areas of
    ``list_year`` that have one under the share rule (see the module docstring).

    >>> s = area_offence_series(data_dir, 2025, 0.25)       # doctest: +SKIP
    >>> s.groupby("area_id")["value"].sum().head()          # doctest: +SKIP
    """
    built = build_real_series(data_dir, min_share, **frames)
    b = built.basis[(built.basis["list_year"] == int(list_year)) & (built.basis["status"] == "real")]
    ids = set(b["series_id"])
    return built.values[built.values["area_id"].isin(ids)].reset_index(drop=True)
