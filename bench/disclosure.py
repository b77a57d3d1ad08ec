"""What the kommun tier's joint suppression costs and hides: ``python -m bench.disclosure STORE.sqlite``.

For every area of the newest list: the time to build its grid (``services.reports.area_disclosure``:
every count series' tertial and year cells, primary and complementary suppression) in a fresh
process, beside the floor measured in the same run — reading the area's monthly values alone — and
how many of the cells are hidden (primary "<5", complementary "..") and how many year totals.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from testing.harness import configured

    store = Path((argv or sys.argv[1:])[0])
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{store}", "LAGESBILD_REDIS_URL": None}):
        from reports.disclosure import _protect_year
        from reports.suppression import PRIMARY, SECONDARY
        from services.context import data_version, engine
        from services.geo import area_table, default_list_year
        from services.reports import _area_disclosure
        from store.queries import values_frame

        eng = engine()
        year = default_list_year()
        ids = area_table(year)["id"].astype(str).tolist()
        url, version = str(eng.url), data_version(eng)
        _area_disclosure(url, version, ids[0], year, 5)  # imports, catalogue, nowcast models
        floor, cost = [], []
        cells = primary = secondary = years = years_hidden = 0
        for aid in ids:
            t = time.perf_counter()
            values_frame(eng, area_ids=[aid])
            floor.append(time.perf_counter() - t)
            t = time.perf_counter()
            grid = _area_disclosure.__wrapped__(url, version, aid, year, 5)
            cost.append(time.perf_counter() - t)
            for s in grid.series.values():
                for label, st in s.status.items():
                    if s.values.get(label) is None:
                        continue  # not available (missing or not yet registered)
                    cells += 1
                    primary += st == PRIMARY
                    secondary += st == SECONDARY
                    if "-T" not in label:
                        years += 1
                        years_hidden += st in (PRIMARY, SECONDARY)
        info = _protect_year.cache_info()
    med_f, med_c = statistics.median(floor) * 1000, statistics.median(cost) * 1000
    print(f"{len(ids)} areas: grid per area median {med_c:.0f} ms (max {max(cost) * 1000:.0f} ms), "
          f"floor (read the area's values) {med_f:.0f} ms, ratio {med_c / med_f:.1f}; "
          f"distinct year tables solved {info.misses}, reused {info.hits}")
    print(f"available cells {cells}: primary {primary} ({100 * primary / cells:.1f} %), complementary {secondary} "
          f"({100 * secondary / cells:.1f} %); year totals hidden {years_hidden} of {years}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
