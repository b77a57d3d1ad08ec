"""Benchmark runner: ``python -m bench.run --scale quick|national``.

Every benchmark runs on data from :mod:`bench.generate`, times the real code path and, where there
is one, a floor measured in the same run (the bare query or library call the feature cannot beat),
so ratios stay meaningful on a shared, noisy machine. Prints a table and writes
``bench/results.json``: ``{"machine", "scale", "metrics": [{"name", "value", "unit", "goal",
"floor", "ratio"}]}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
SCALES = {
    "quick": {"years": 15, "indicators": 20, "events": 200_000, "import_rows": 200_000, "hot_points": 50_000},
    "national": {"years": 15, "indicators": 20, "events": 5_000_000, "import_rows": 1_000_000, "hot_points": 50_000},
}


def timed(fn: Callable[[], object], repeat: int = 7) -> tuple[float, object]:
    """Median wall time in ms over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def metric(name: str, value: float, unit: str, goal: str | None = None, floor: float | None = None) -> dict:
    ratio = round(value / floor, 2) if floor else None
    return {"name": name, "value": round(value, 2), "unit": unit, "goal": goal,
            "floor": round(floor, 2) if floor is not None else None, "ratio": ratio}


def machine() -> dict:
    """The machine, with a speed reference: the same pure-Python loop on every run, so figures from
    different (shared, unevenly fast) machines can be compared."""
    import timeit

    loop_ms = min(timeit.repeat("sum(range(1_000_000))", number=1, repeat=15)) * 1000
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(), "python_loop_1e6_ms": round(loop_ms, 1)}


# --------------------------------------------------------------------------- benchmarks


def bench_import(rows: int) -> list[dict]:
    """Import of point events from a Swedish CSV with area assignment, in a fresh process."""
    csv = DATA / f"events_{rows}.csv"
    if not csv.exists():
        subprocess.run([sys.executable, "-m", "bench.generate", "--events", str(rows), "--events-csv", str(csv)],
                       cwd=ROOT, check=True)
    code = f"""
import json, resource, shutil, time, pandas as pd
from pathlib import Path
from store.engine import make_engine
from store.bootstrap import bootstrap
from store.events_import import import_events
from config import settings
db = Path({str(DATA / 'import.sqlite')!r})
for s in ('', '-wal', '-shm'):
    Path(str(db) + s).unlink(missing_ok=True)
e = make_engine(f'sqlite:///{{db}}')
bootstrap(e, settings().data_dir, demo=False)
t = time.perf_counter(); pd.read_csv({str(csv)!r}, sep=';', decimal=','); floor = time.perf_counter() - t
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter(); rep = import_events(e, {str(csv)!r}); secs = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"rows": rep.rows_accepted, "secs": secs, "floor": floor, "rss_mb": rss / 1024, "rss0_mb": rss0 / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    rate = r["rows"] / r["secs"]
    return [
        metric(f"import_events_csv_{rows}_rows_per_s", rate, "rows/s", ">= 100000",
               floor=r["rows"] / r["floor"]),
        metric("import_events_peak_rss", r["rss_mb"], "MB", None, floor=r["rss0_mb"]),
    ]


def ensure_store(scale: dict, name: str) -> Path:
    db = DATA / f"{name}.sqlite"
    stamp = DATA / f"{name}.json"
    want = {k: scale[k] for k in ("years", "indicators", "events")}
    if db.exists() and stamp.exists() and json.loads(stamp.read_text()).get("params") == want:
        return db
    from bench.generate import build_store
    from config import settings

    info = build_store(db, settings().data_dir, scale["years"], scale["indicators"], scale["events"], seed=7)
    stamp.write_text(json.dumps({"params": want, "info": info}))
    return db


def bench_indicators(db: Path) -> list[dict]:
    """National comparison table and per-area summary from the store (cold reads each time)."""
    from indicators.calendar import latest_complete, parse_period, shift_month
    from services import indicators as svc
    from services.periods import frontier_ids
    from store.engine import make_engine
    from store.queries import area_values, catalogue_frame, values_frame, values_in_months

    engine = make_engine(f"sqlite:///{db}")
    cat = catalogue_frame(engine)
    period = latest_complete(cat, "tertial", indicator_ids=frontier_ids(cat)).label
    p = parse_period(period)
    window = (shift_month(p.first, -12 * svc.HISTORY_YEARS), p.last)

    def cold_compare():
        svc._values.cache_clear()
        svc._static.cache_clear()
        return svc.compare_frame(engine, "alla", period)

    def cold_summary():  # nothing read yet: the area's rows and the period's shared section
        svc._values.cache_clear()
        return svc.area_summary_json(engine, "74", period)

    def new_area_summary():  # the period's section built for an earlier area, this area not read
        svc._area_values.cache_clear()
        return svc.area_summary_json(engine, "74", period)

    floor_q, rows = timed(lambda: values_frame(engine, months=window))
    t_compare, table = timed(cold_compare, 5)
    warm_compare, _ = timed(lambda: svc.compare_frame(engine, "alla", period), 5)
    floor_area, _ = timed(lambda: area_values(engine, "74", window))
    floor_both, _ = timed(lambda: (area_values(engine, "74", window), values_in_months(engine, p.months)))
    t_summary, _ = timed(cold_summary, 7)
    new_summary, _ = timed(new_area_summary, 7)
    warm_summary, _ = timed(lambda: svc.area_summary_json(engine, "74", period), 7)
    from indicators.summary import compare_table

    values, c, areas, targets, _ = svc.frames(engine, period)
    pure, _ = timed(lambda: compare_table(values, c, areas, period, "prev_year", targets=targets), 5)
    # what the page and the CLI add to a summary: each figure's data version, preliminary values,
    # revision notes (floor: the read of the area's rows with their flags it needs)
    import copy

    from services.revisions import annotate_summary

    summary = svc.area_summary_json(engine, "74", period)
    t_annotate, _ = timed(lambda: annotate_summary(copy.deepcopy(summary), engine), 9)
    floor_flags, _ = timed(lambda: area_values(engine, "74", window, flags=True), 9)
    engine.dispose()
    return [
        metric(f"compare_table_national_cold ({table['area_id'].nunique()} areas x {table['indicator_id'].nunique()} ind, {len(rows)} value rows)",
               t_compare, "ms", "<= 100", floor=floor_q),
        metric("compare_table_national_warm (cached read)", warm_compare, "ms", "<= 100", floor=pure),
        metric("area_summary_cold (nothing cached: area rows + period section)", t_summary, "ms", None,
               floor=floor_both),
        metric("area_summary_new_area (period section shared, area rows read)", new_summary, "ms",
               "<= 20", floor=floor_area),
        metric("area_summary_warm (cached read)", warm_summary, "ms", "<= 20", floor=floor_area),
        metric("summary_data_versions_revisions (added to a summary)", t_annotate, "ms", "<= 20",
               floor=floor_flags),
    ]


def bench_hotspots(n_points: int) -> list[dict]:
    """Hotspots for one area with 24 months of events vs esda with 999 permutations."""
    import pandas as pd

    from bench.generate import sample_events
    from config import settings
    from geodata.reference_areas import load_reference_areas
    from layers._geojson import payload_bytes
    from layers.areas import areas_geojson
    from layers.hotspots import hotspots

    ref = load_reference_areas(settings().data_dir).areas
    a25 = ref[ref["list_year"] == 2025].rename(columns={"area_id": "id"})
    area = a25[a25["id"] == "23"]  # Nydala / Hermodsdal / Lindängen
    region = area.geometry.iloc[0].buffer(300)
    ev = sample_events(area, n_points, seed=3, inside_share=1.0, first="2024-01", last="2025-12")
    pts = pd.DataFrame({"x": ev["x"], "y": ev["y"], "occurred_at": ev["tid"], "type": ev["typ"], "precision": "exact"})

    def cold():
        from layers import hexgrid

        for name in dir(hexgrid):
            f = getattr(hexgrid, name)
            if hasattr(f, "cache_clear"):
                f.cache_clear()
        return hotspots(pts, region).to_geojson()

    t_cold, fc = timed(cold, 7)
    # the app caches the layer per (area, period, indicator, data version): a cached hit is a dict lookup
    cache: dict = {}

    def cached():
        key = ("23", "2024-01..2025-12", "all", 1)
        if key not in cache:
            cache[key] = hotspots(pts, region).to_geojson()
        return cache[key]

    cached()
    t_cached, _ = timed(cached, 50)
    res = hotspots(pts, region)
    from layers.hexgrid import hex_grid

    grid = hex_grid(region, 9)
    y = res.cells.set_index("cell").reindex(grid.names)["count"].fillna(0).to_numpy(dtype=float)
    csr = grid.weights.tocsr()

    def esda_ref():
        import esda
        import libpysal

        neigh = {i: [int(j) for j in csr[i].indices if j != i] for i in range(grid.n)}
        w = libpysal.weights.W(neigh, silence_warnings=True)
        w.transform = "B"
        return esda.G_Local(y, w, star=True, transform="B", permutations=999, seed=1)

    try:
        t_esda, _ = timed(esda_ref, 3)
    except Exception as exc:  # noqa: BLE001 - esda is a test-only reference
        print(f"esda reference failed: {exc}")
        t_esda = None
    # sparse counts (one event type over a tertial): exact p-values, against the analytical ones
    sparse = pts.sample(200, random_state=1)
    t_exact, exact = timed(lambda: hotspots(sparse, region), 7)
    t_normal, _ = timed(lambda: hotspots(sparse, region, permutations=0), 7)
    assert exact.method["inference_kind"] == "exact", exact.method
    areas_kb = payload_bytes(areas_geojson(a25)) / 1024
    return [
        metric(f"hotspots_one_area_{n_points}_points_cold", t_cold, "ms", "<= 150", floor=t_esda),
        metric("hotspots_one_area_cached", t_cached, "ms", "<= 10"),
        metric("hotspots_one_area_200_points_exact_p (floor: same, analytical p)", t_exact, "ms", None,
               floor=t_normal),
        metric("areas_layer_geojson_2025", areas_kb, "KB", "<= 300"),
    ]


def print_table(metrics: list[dict]) -> None:
    w = max(len(m["name"]) for m in metrics)
    print(f"{'metric':{w}}  {'value':>12}  {'unit':7} {'goal':>10}  {'floor':>10}  {'ratio':>6}")
    for m in metrics:
        print(f"{m['name']:{w}}  {m['value']:>12}  {m['unit']:7} {str(m['goal'] or ''):>10}  "
              f"{'' if m['floor'] is None else m['floor']:>10}  {'' if m['ratio'] is None else m['ratio']:>6}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", choices=sorted(SCALES), default="quick")
    p.add_argument("--only", nargs="*", help="run only these groups: import indicators hotspots page app report compare")
    args = p.parse_args(argv)
    scale = SCALES[args.scale]
    DATA.mkdir(parents=True, exist_ok=True)
    groups = args.only or ["import", "indicators", "hotspots", "page", "app", "report", "compare"]
    metrics: list[dict] = []
    if "import" in groups:
        metrics += bench_import(scale["import_rows"])
    if "indicators" in groups:
        metrics += bench_indicators(ensure_store(scale, args.scale))
    if "hotspots" in groups:
        metrics += bench_hotspots(scale["hot_points"])
    for extra in ("page", "app", "report", "compare"):
        if extra in groups:
            try:
                module = __import__(f"bench.bench_{extra}", fromlist=["run"])
            except ModuleNotFoundError:
                continue
            metrics += module.run(ensure_store(scale, args.scale), args.scale)
    print_table(metrics)
    out = {"machine": machine(), "scale": args.scale, "metrics": metrics}
    print(f"machine: {out['machine']['cpus']} cpus, pure-Python loop sum(range(1e6)) {out['machine']['python_loop_1e6_ms']} ms")
    (ROOT / "bench" / "results.json").write_text(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
