"""Link areas across list years by spatial overlap: id assignment and split/merge lineage.

Areas keep the police's stable id (SPECIALOMRADES_ID / SPECIALOMR) where the file has one. Files
without an id (the 2021 release, the UO-Project panel) get the id of the area they overlap most
(intersection over union ≥ ``min_iou``). Between consecutive lists every overlapping pair is
recorded with its shares, so series can be compared like for like when an area is split
(2025: Rinkeby / Tensta → Rinkeby, Tensta, Hjulsta) or merged.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

LINEAGE_COLUMNS = [
    "from_id", "from_year", "to_id", "to_year", "share_of_from", "share_of_to", "iou", "relation",
]


def overlaps(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame, min_share: float = 0.05) -> pd.DataFrame:
    """Every overlapping pair with intersection shares (both frames in the same metric CRS).

    Returns columns ``i`` (left index position), ``j`` (right position), ``share_left`` (share of the
    left polygon in the intersection), ``share_right``, ``iou``; pairs below ``min_share`` on both
    sides are dropped (slivers from generalisation).
    """
    lg = left.geometry.values
    rg = right.geometry.values
    tree_idx = gpd.GeoSeries(rg).sindex.query(lg, predicate="intersects")
    if tree_idx.size == 0:
        return pd.DataFrame(columns=["i", "j", "share_left", "share_right", "iou"])
    i, j = tree_idx
    inter = gpd.GeoSeries(lg[i]).intersection(gpd.GeoSeries(rg[j]), align=False).area.to_numpy()
    la = gpd.GeoSeries(lg[i]).area.to_numpy()
    ra = gpd.GeoSeries(rg[j]).area.to_numpy()
    frame = pd.DataFrame(
        {"i": i, "j": j, "share_left": inter / la, "share_right": inter / ra,
         "iou": inter / (la + ra - inter)}
    )
    keep = (frame["share_left"] >= min_share) | (frame["share_right"] >= min_share)
    return frame[keep].reset_index(drop=True)


def assign_ids(
    areas: gpd.GeoDataFrame, reference: gpd.GeoDataFrame, min_iou: float = 0.5
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Give areas the stable id of the reference area they overlap most.

    ``areas`` rows whose ``area_id`` is missing or a panel id (``P…``) take the id of the reference
    polygon with the highest IoU if it is at least ``min_iou``; the others keep (or get) a
    ``P…``/``N…`` id and a warning says so. Returns the new frame and the warnings.
    """
    out = areas.copy()
    warnings: list[str] = []
    todo = out["area_id"].isna() | out["area_id"].astype(str).str.startswith("P")
    if not todo.any() or reference.empty:
        return out, warnings
    pairs = overlaps(out[todo.values], reference)
    best = pairs.sort_values("iou", ascending=False).drop_duplicates("i")
    best = best[best["iou"] >= min_iou]
    todo_pos = np.flatnonzero(todo.to_numpy())
    ref_ids = reference["area_id"].to_numpy()
    mapping = {int(todo_pos[r.i]): str(ref_ids[r.j]) for r in best.itertuples()}
    for pos in todo_pos:
        if pos in mapping:
            out.iat[pos, out.columns.get_loc("area_id")] = mapping[pos]
        elif out["area_id"].iat[pos] is None or pd.isna(out["area_id"].iat[pos]):
            new_id = f"N{out['list_year'].iat[pos]}-{int(out['source_row'].iat[pos])}"
            out.iat[pos, out.columns.get_loc("area_id")] = new_id
            warnings.append(f"'{out['name'].iat[pos]}' matches no area of another list; given id {new_id}")
    # Two rows of one list must not end up with the same id (e.g. a split in the panel).
    dup = out.duplicated(["area_id", "list_year"], keep="first")
    for pos in np.flatnonzero(dup.to_numpy()):
        new_id = f"N{out['list_year'].iat[pos]}-{int(out['source_row'].iat[pos])}"
        warnings.append(
            f"'{out['name'].iat[pos]}' ({out['list_year'].iat[pos]}) overlaps the same area as another row; given id {new_id}"
        )
        out.iat[pos, out.columns.get_loc("area_id")] = new_id
    return out, warnings


def relation_of(from_id: str, to_id: str, iou: float, n_to: int, n_from: int) -> str:
    """Name the relation of one overlap pair.

    ``split`` (one old area overlaps several new ones), ``merged`` (several old areas into one new
    one), else ``same`` (same id, IoU ≥ 0.95), ``boundary_changed`` (same id, smaller IoU) or
    ``replaced`` (one to one with a new id).
    """
    if n_to > 1:
        return "split"
    if n_from > 1:
        return "merged"
    if from_id == to_id:
        return "same" if iou >= 0.95 else "boundary_changed"
    return "replaced"


def lineage(areas: gpd.GeoDataFrame, min_share: float = 0.05) -> pd.DataFrame:
    """Overlap lineage between each list year and the next one (all areas, EPSG:3006)."""
    years = sorted(int(y) for y in areas["list_year"].unique())
    rows = []
    for a, b in zip(years, years[1:], strict=False):
        left = areas[areas["list_year"] == a].reset_index(drop=True)
        right = areas[areas["list_year"] == b].reset_index(drop=True)
        pairs = overlaps(left, right, min_share=min_share)
        # count meaningful partners (≥ 20 % of the other side) to tell splits from slivers
        strong = pairs[(pairs["share_left"] >= 0.2) | (pairs["share_right"] >= 0.2)]
        n_to = strong.groupby("i").size()
        n_from = strong.groupby("j").size()
        for r in pairs.itertuples():
            fid, tid = str(left["area_id"].iat[r.i]), str(right["area_id"].iat[r.j])
            rows.append(
                {
                    "from_id": fid, "from_year": a, "to_id": tid, "to_year": b,
                    "share_of_from": round(float(r.share_left), 4),
                    "share_of_to": round(float(r.share_right), 4),
                    "iou": round(float(r.iou), 4),
                    "relation": relation_of(fid, tid, r.iou, int(n_to.get(r.i, 1)), int(n_from.get(r.j, 1))),
                }
            )
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
