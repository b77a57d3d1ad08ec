"""How often does a map of pure chance get a 95 % hot spot? The old grid against the new one.

Events are spread uniformly at random over the *study region* of real areas of the 2025 list
(the area's polygon + 300 m, as the map draws it) — complete spatial randomness over the area,
not over the cells — and ``layers.hotspots.hotspots`` is run on them as the app runs it. Every
hot spot found is then a false alarm; with BH FDR at 5 % the share of maps with any hot spot at
95 % or more should be at most 5 %.

* **old**: ``cover='overlap'`` — every H3 cell touching the region, treated as a whole cell
  (the reference line: cells lying mostly outside the region collect few events and make their
  inside neighbours look hot).
* **new**: what the app runs — ``cover='share'`` (only the cells at least ``MIN_CELL_SHARE``,
  90 %, inside the region; events in the region but in a cell left out are excluded and counted)
  and ``resolution='auto'`` (9, or finer while fewer than 30 cells are analysed).

A second table gives the power on a planted cluster: ``k`` extra events uniform in a disc of
100 m or 250 m radius around a random point of the area, over the same background; "found"
means a cell whose centre lies within 350 m of the cluster's centre (one ring at resolution 9)
is a hot spot at 95 % or more. The old
grid's figures are inflated by the same bias that gives its false alarms (every inside cell
looks hot beside the half-empty edge cells), so only the new column is a power.

    python -m bench.hotspot_calibration [--runs 1000] [--power-runs 400] [--areas 38,75,74,20,23]

Prints Markdown tables (figures are kept in ``bench/RESULTS.md``). The Monte-Carlo limit in the
"ok" column is 5 % plus 1.96 standard errors of a 5 % rate over ``--runs`` maps.
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from h3.api import basic_int as h3i

from layers._geojson import to_sweref_xy
from layers.hexgrid import MIN_CELL_SHARE, MIN_GRID_CELLS, grid_resolution, hex_grid
from layers.hotspots import hotspots

HOT_95 = ["hot99", "hot95"]
ANY_95 = ["hot99", "hot95", "cold99", "cold95"]
DEFAULT_AREAS = (38, 75, 74, 20, 23)  # Sångvägen 0.09 km², Hjulsta 0.31, Rinkeby 1.0, Hammarkullen 1.6, Nydala 3.4
COUNTS = (1, 5, 30, 100, 300)
POWER = ((30, 10), (100, 20), (300, 40))  # (background events, cluster events)
CLUSTER_RADII_M = (100.0, 250.0)  # a block; a cell and its neighbours (Gi*'s own scale)
BUFFER_M = 300.0
FOUND_WITHIN_M = 350.0


def uniform_xy(region: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points uniform over the region's area (rejection sampling in its bounding box)."""
    minx, miny, maxx, maxy = region.bounds
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        m = 2 * (n - have) + 16
        x, y = rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m)
        keep = shapely.contains_xy(region, x, y)
        out.append(np.column_stack([x[keep], y[keep]]))
        have += int(keep.sum())
    return np.vstack(out)[:n]


def disc_xy(centre: np.ndarray, n: int, radius: float, rng: np.random.Generator) -> np.ndarray:
    """``n`` points uniform over a disc."""
    r = radius * np.sqrt(rng.uniform(0, 1, n))
    a = rng.uniform(0, 2 * np.pi, n)
    return centre + np.column_stack([r * np.cos(a), r * np.sin(a)])


def new_method(pts: pd.DataFrame, region: shapely.Geometry):
    """The app's hotspot layer (``services.layers.hotspot_layer``)."""
    return hotspots(pts, region, resolution="auto")


def old_method(pts: pd.DataFrame, region: shapely.Geometry):
    """The grid before 0.2.0: every touching cell, resolution 9."""
    return hotspots(pts, region, cover="overlap", resolution=9)


def frame(xy: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "occurred_at": "2025-03-01", "type": "bench",
                         "precision": "exact"})


@dataclass
class Row:
    area: str
    km2: float
    cells_old: int
    cells_new: int
    res_new: int
    events: int
    per_cell: float
    old_hot: float
    new_hot: float
    new_any: float
    left_out: float
    inference: str


def false_alarms(name: str, region: shapely.Geometry, n: int, runs: int, seed: int) -> Row:
    rng = np.random.default_rng(seed)
    old_hot = new_hot = new_any = 0
    left = used = 0
    kinds: set[str] = set()
    cells_old = cells_new = 0
    for _ in range(runs):
        pts = frame(uniform_xy(region, n, rng))
        old, new = old_method(pts, region), new_method(pts, region)
        old_hot += bool(old.cells["class"].isin(HOT_95).any())
        new_hot += bool(new.cells["class"].isin(HOT_95).any())
        new_any += bool(new.cells["class"].isin(ANY_95).any())
        left += new.excluded["outside_analysed_cells"]
        used += new.method["points_used"]
        kinds.add(new.method["inference_kind"])
        cells_old, cells_new = max(cells_old, old.grid.n), new.grid.n
    return Row(name, region.area / 1e6, cells_old, cells_new, new.grid.resolution, n, used / runs / cells_new,
               old_hot / runs,
               new_hot / runs, new_any / runs, left / max(1, left + used), "/".join(sorted(kinds)))


def power(region: shapely.Geometry, area: shapely.Geometry, background: int, cluster: int, radius: float,
          runs: int, seed: int) -> tuple[float, float]:
    """Share of maps where a cell centred within ``FOUND_WITHIN_M`` of the planted cluster's
    centre is a hot spot at 95 % or more."""
    rng = np.random.default_rng(seed)
    found_old = found_new = 0
    for _ in range(runs):
        centre = uniform_xy(area, 1, rng)[0]
        xy = np.vstack([uniform_xy(region, background, rng), disc_xy(centre, cluster, radius, rng)])
        pts = frame(xy)
        for result, is_new in ((old_method(pts, region), False), (new_method(pts, region), True)):
            c = result.cells
            hot = [h3i.cell_to_latlng(h3i.str_to_int(cell)) for cell in c.loc[c["class"].isin(HOT_95), "cell"]]
            hit = False
            if hot:
                lat, lng = np.array(hot).T
                x, y = to_sweref_xy(lng, lat)
                hit = bool((np.hypot(x - centre[0], y - centre[1]) <= FOUND_WITHIN_M).any())
            if is_new:
                found_new += hit
            else:
                found_old += hit
    return found_old / runs, found_new / runs


def main() -> None:
    from config import settings
    from geodata.reference_areas import load_reference_areas

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000, help="maps of chance per row")
    ap.add_argument("--power-runs", type=int, default=400, help="maps per power row")
    ap.add_argument("--areas", default=",".join(map(str, DEFAULT_AREAS)), help="2025 area ids")
    args = ap.parse_args()
    ref = load_reference_areas(settings().data_dir).areas
    ref = ref[ref["list_year"] == 2025].set_index("area_id")
    ids = [a.strip() for a in args.areas.split(",") if a.strip()]
    limit = 0.05 + 1.96 * math.sqrt(0.05 * 0.95 / args.runs)
    t0 = time.perf_counter()

    print(f"False alarms: share of {args.runs} maps of chance (events uniform over the area + "
          f"{BUFFER_M:.0f} m) with a hot spot at ≥ 95 % (BH FDR); nominal 0.05, ok ≤ {limit:.3f}\n")
    print("| area | km² (+300 m) | cells old (res 9) → new (res) | events | events per cell (new) | p-values (new) "
          "| **old**: hot ≥ 95 % | **new**: hot ≥ 95 % | new: hot or cold ≥ 95 % | events left out (new) | ok |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for i, aid in enumerate(ids):
        name, area = str(ref.loc[aid, "name"]), ref.loc[aid].geometry
        region = area.buffer(BUFFER_M)
        for n in COUNTS:
            r = false_alarms(name, region, n, args.runs, seed=1000 * i + n)
            rows.append(r)
            ok = "yes" if r.new_hot <= limit and r.new_any <= limit else "**no**"
            print(f"| {r.area} | {r.km2:.2f} | {r.cells_old} → {r.cells_new} ({r.res_new}) | {r.events} | {r.per_cell:.2f} "
                  f"| {r.inference} | {r.old_hot:.3f} | {r.new_hot:.3f} | {r.new_any:.3f} | {100 * r.left_out:.1f} % "
                  f"| {ok} |", flush=True)
    worst_old = max(r.old_hot for r in rows)
    worst_new = max(max(r.new_hot, r.new_any) for r in rows)
    print(f"\nWorst row: old {worst_old:.3f}, new {worst_new:.3f} (limit {limit:.3f}); "
          f"grid rule: cells ≥ {MIN_CELL_SHARE:.0%} inside the study region, resolution 9 or finer "
          f"while fewer than {MIN_GRID_CELLS} cells.\n")

    print(f"Power: share of {args.power_runs} maps where a planted cluster (events uniform in a "
          f"disc around a random point of the area) is found: a cell centred within {FOUND_WITHIN_M:.0f} m "
          "of it is a hot spot at ≥ 95 % (old: inflated by its bias, for reference)\n")
    print("| area | background events | cluster events | radius | old | **new** |")
    print("|---|---|---|---|---|---|")
    for i, aid in enumerate(ids):
        name, area = str(ref.loc[aid, "name"]), ref.loc[aid].geometry
        region = area.buffer(BUFFER_M)
        for radius in CLUSTER_RADII_M:
            for b, k in POWER:
                po, pn = power(region, area, b, k, radius, args.power_runs, seed=7000 + 100 * i + b + int(radius))
                print(f"| {name} | {b} | {k} | {radius:.0f} m | {po:.3f} | {pn:.3f} |", flush=True)
    regions = [ref.loc[a].geometry.buffer(BUFFER_M) for a in ids]
    cover = [hex_grid(r, grid_resolution(r)) for r in regions]
    print(f"\nCells left out (mostly outside the region): {', '.join(str(g.cells_left_out) for g in cover)}; "
          f"{time.perf_counter() - t0:.0f} s in all.")


if __name__ == "__main__":
    main()
