"""How often does a map of pure chance get a "95 %" hot or cold spot? Analytical vs exact p-values.

Events are spread uniformly at random over the H3 cells of a real area (plus 300 m, 2 km, 6 km
around it), so every hot or cold spot found is a false alarm; with BH FDR at 5 % the share of
maps with any should be at most 5 %. Prints one row per grid and number of events.

    python -m bench.hotspot_calibration [--runs 200]

The rule it backs: ``layers.gistar.ANALYTICAL_MIN_MEAN`` (analytical p from 10 events per cell
on average, exact p below). Results in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse

import numpy as np

from layers.gistar import ANALYTICAL_MIN_MEAN, gi_star_classes
from layers.hexgrid import hex_grid

SIGNIFICANT_95 = ["hot99", "hot95", "cold99", "cold95"]


def rates(grid, n_events: int, runs: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    analytical = exact = 0
    for _ in range(runs):
        y = np.bincount(rng.integers(0, grid.n, n_events), minlength=grid.n).astype(float)
        analytical += bool(np.isin(gi_star_classes(y, grid.weights)["class"], SIGNIFICANT_95).any())
        exact += bool(np.isin(gi_star_classes(y, grid.weights, exact=True)["class"], SIGNIFICANT_95).any())
    return analytical / runs, exact / runs


def main() -> None:
    from config import settings
    from geodata.reference_areas import load_reference_areas

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    ref = load_reference_areas(settings().data_dir).areas
    area = ref[(ref["list_year"] == 2025) & (ref["area_id"] == "23")].geometry.iloc[0]
    print(f"{'grid cells':>10}  {'events':>7}  {'per cell':>8}  {'analytical':>10}  {'exact':>6}  (share of "
          f"{args.runs} maps of chance with a 95 % hot or cold spot; nominal 0.05)")
    for buffer_m in (300, 2000, 6000):
        grid = hex_grid(area.buffer(buffer_m), 9)
        for n_events in (1, 5, 30, 100, 300, int(ANALYTICAL_MIN_MEAN * grid.n)):
            a, e = rates(grid, n_events, args.runs, seed=n_events)
            print(f"{grid.n:>10}  {n_events:>7}  {n_events / grid.n:>8.2f}  {a:>10.3f}  {e:>6.3f}")


if __name__ == "__main__":
    main()
