"""Compare view benchmarks (issue 13, item 2): the server's part of the regional table for every
area of the list, for one and three periods side by side, the small multiples of every area and
the downloads, each beside a floor measured in the same run:

- table, 1 period (warm): :func:`callbacks.compare.table_props` for ``alla`` — the verdict rows are
  memoised, so this is the cells, tooltips and styles of 65 areas; floor: the memoised verdict rows
  alone (``services.page.compare``), what any view of them costs;
- table, 3 periods (warm): the same for the last three tertials; floor: the 1-period table;
- table, 3 periods (cold): a period's verdict rows computed (the first look at an older period);
- small multiples of all 65 areas (series, order, 65 SVG pictures); floor: the 1-period table;
- downloads (as shown, CSV; long format, XLSX) for three periods; floor: the 3-period table.

``python -m bench.bench_compare [DB]`` prints the table; ``run(db_path, scale)`` returns the metrics.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench.run import metric, timed

ROOT = Path(__file__).resolve().parents[1]


def run(db_path: Path, scale: str) -> list[dict]:
    os.environ["LAGESBILD_DATABASE_URL"] = f"sqlite:///{db_path}"
    from config import settings

    settings.cache_clear()
    from callbacks.compare import download_file, table_props
    from layout.compare import small_multiples_grid, unit_label
    from services import compare, page
    from services import indicators as svc_ind
    from services.periods import default_period

    period = default_period()
    view = {"period": period, "cmp": "prev_year", "lang": "sv", "region": None, "list": None}
    real = compare.default_columns("sv")
    syn: list[str] = []
    table_props(view, real, syn, 3, None)  # warm: every period's verdicts computed once

    t_floor, _ = timed(lambda: page.compare("alla", period, "prev_year", "sv", None), 7)
    t_one, props = timed(lambda: table_props(view, real, syn, 1, None), 7)
    t_three, _ = timed(lambda: table_props(view, real, syn, 3, None), 7)

    def cold_three():
        svc_ind._family.cache_clear()  # the verdict objects of the periods (FDR families)
        page._compare.cache_clear()
        return table_props(view, real, syn, 3, None)

    t_cold, _ = timed(cold_three, 3)
    table_props(view, real, syn, 3, None)

    def multiples():
        from indicators.calendar import parse_period

        p = parse_period(period)
        panels = compare.small_multiples("alla", "brand_i_motorfordon", period, "prev_year", "sv", None)
        return small_multiples_grid(panels, p.first, p.last, "Brand i motorfordon",
                                    unit_label("Brand i motorfordon", "count", "sv"), "74", "sv")

    t_sm, grid = timed(multiples, 5)
    t_csv, _ = timed(lambda: download_file(view, real, syn, 3, "shown", None, "csv"), 5)
    t_xlsx, _ = timed(lambda: download_file(view, real, syn, 3, "long", None, "xlsx"), 3)
    n = len(props["data"])
    return [
        metric(f"compare_table_1_period_warm ({n} areas × {len(real)} indicators, {period})", t_one, "ms",
               "<= 300", floor=t_floor),
        metric("compare_table_3_periods_warm", t_three, "ms", "<= 500", floor=t_one),
        metric("compare_table_3_periods_cold (verdicts of 3 periods computed)", t_cold, "ms", None, floor=t_three),
        metric(f"compare_small_multiples_{len(grid[1].children)}_areas_svg", t_sm, "ms", "<= 500", floor=t_one),
        metric("compare_download_as_shown_csv_3_periods", t_csv, "ms", "<= 1000", floor=t_three),
        metric("compare_download_long_xlsx_3_periods", t_xlsx, "ms", "<= 3000", floor=t_three),
    ]


if __name__ == "__main__":  # python -m bench.bench_compare [DB]
    from bench.run import print_table

    db = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "instance" / "lagesbild.sqlite"
    print_table(run(db, "quick"))
