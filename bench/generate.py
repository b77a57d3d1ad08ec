"""National-scale synthetic data for the benchmarks (every benchmark uses this generator).

``python -m bench.generate --db bench/data/national.sqlite --years 15 --indicators 20 --events 5000000``
builds a store with the real areas (all lists), 15 years of monthly values for 20 indicators and
millions of point events inside and around the real polygons. ``--events-csv PATH`` writes point
events as a Swedish Excel CSV (``;``, decimal comma) for the import benchmark instead.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from store.synthetic import COUNT_PROFILES, month_range

EVENT_TYPES = ("skjutningar", "narkotikabrott", "ran", "misshandel_utomhus", "skadegorelse", "vapenbrott",
               "sprangningar")


def bench_profiles(n_indicators: int, seed: int) -> dict[str, tuple[float, float, int]]:
    """The demo's count indicators plus generated ones up to ``n_indicators`` (the 3 non-count
    demo indicators — hours and the survey share — are added by the series generator)."""
    rng = np.random.default_rng([seed, 5])
    profiles = dict(COUNT_PROFILES)
    k = 0
    while len(profiles) + 2 < n_indicators:
        k += 1
        profiles[f"lokal_{k:02d}"] = (float(rng.uniform(0.2, 8.0)), float(rng.uniform(0.0, 0.3)), int(rng.integers(1, 13)))
    return profiles


def sample_events(polygons: pd.DataFrame, n: int, seed: int, inside_share: float = 0.7,
                  first: str = "2024-01", last: str = "2025-12") -> pd.DataFrame:
    """``n`` point events: ``inside_share`` clustered inside the areas, the rest around them."""
    from store.synthetic import sample_in_polygon

    rng = np.random.default_rng([seed, 11])
    n_in = int(n * inside_share)
    weights = polygons.geometry.area.to_numpy()
    weights = weights / weights.sum()
    per_area = rng.multinomial(n_in, weights)
    xs, ys = [], []
    for geom, k in zip(polygons.geometry.values, per_area, strict=True):
        if k == 0:
            continue
        centres = sample_in_polygon(geom, 4, rng)
        n_c = int(k * 0.6)
        pts = np.vstack([sample_in_polygon(geom, n_c, rng, centres, 120.0), sample_in_polygon(geom, k - n_c, rng)])
        xs.append(pts[:, 0])
        ys.append(pts[:, 1])
    n_out = n - n_in
    reps = polygons.geometry.representative_point()
    pick = rng.integers(0, len(reps), n_out)
    xs.append(reps.x.to_numpy()[pick] + rng.normal(0, 3000, n_out))
    ys.append(reps.y.to_numpy()[pick] + rng.normal(0, 3000, n_out))
    x, y = np.concatenate(xs), np.concatenate(ys)
    start = pd.Timestamp(first + "-01").value // 10**9
    end = (pd.Period(last, "M").end_time.value // 10**9)
    t = pd.to_datetime(rng.integers(start, end, len(x)), unit="s")
    order = rng.permutation(len(x))
    return pd.DataFrame({
        "id": np.arange(1, len(x) + 1), "tid": t[order], "typ": rng.choice(EVENT_TYPES, len(x)),
        "x": x[order].round(2), "y": y[order].round(2), "precision": "exact",
    })


def write_swedish_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV as Swedish Excel writes it: ``;`` separated, decimal comma, UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    out["tid"] = out["tid"].dt.strftime("%Y-%m-%d %H:%M")
    out.to_csv(path, sep=";", decimal=",", index=False)


def build_store(db: Path, data_dir: Path | None, years: int, n_indicators: int, n_events: int, seed: int) -> dict:
    """A SQLite store with reference areas, ``years`` of monthly values and ``n_events`` events."""
    from geodata.points import to_wgs84
    from store.bootstrap import bootstrap
    from store.engine import make_engine
    from store.events_import import assign_points_to_areas, write_events
    from store.imports import _update_coverage, upsert_catalogue, write_targets, write_values
    from store.queries import areas_frame, latest_area_geometries
    from store.synthetic import generate_series, generate_targets

    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    t0 = time.perf_counter()
    bootstrap(engine, data_dir, demo=False)
    areas = areas_frame(engine).sort_values("list_year").drop_duplicates("id", keep="last")
    last = pd.Timestamp.today().to_period("M") - 1
    months = month_range((last - 12 * years + 1).strftime("%Y-%m"), last.strftime("%Y-%m"))
    profiles = bench_profiles(n_indicators, seed)
    series = generate_series(areas, months, seed, count_profiles=profiles)
    extra = [dict(id=k, name_sv=f"Lokal indikator {k[-2:]}", name_en=f"Local indicator {k[-2:]}", unit="count",
                  direction="up_is_bad", proactive=False, rare=False, source="Syntetisk benchmarkdata",
                  synthetic=True) for k in profiles if k.startswith("lokal_")]
    targets = generate_targets(series.values, ("narvaro_timmar", "medborgarkontakter"), months[-24:], seed)
    polys = latest_area_geometries(engine)
    ev = sample_events(polys, n_events, seed, first=months[-24], last=months[-1])
    lon, lat = to_wgs84(ev["x"].to_numpy(), ev["y"].to_numpy())
    ev = ev.rename(columns={"tid": "occurred_at", "typ": "type"}).assign(
        ext_id=None, lon=lon, lat=lat, count=1, kommun_kod=None,
        area_id=assign_points_to_areas(ev["x"].to_numpy(), ev["y"].to_numpy(), polys))
    with engine.begin() as conn:
        from store.catalogue import DEFAULT_INDICATORS

        upsert_catalogue(conn, DEFAULT_INDICATORS + extra)
        write_values(conn, series.values, synthetic=True, import_id=None)
        write_targets(conn, targets, synthetic=True, import_id=None)
        write_events(conn, ev, "bench", True, None)
        _update_coverage(conn)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return {"areas": len(areas), "months": len(months), "indicators": series.values["indicator_id"].nunique(),
            "values": len(series.values), "events": len(ev), "seconds": round(time.perf_counter() - t0, 1)}


def main(argv: list[str] | None = None) -> int:
    from config import settings

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", type=Path, default=Path("bench/data/national.sqlite"))
    p.add_argument("--years", type=int, default=15)
    p.add_argument("--indicators", type=int, default=20)
    p.add_argument("--events", type=int, default=5_000_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--events-csv", type=Path, help="only write this many events as a Swedish CSV to PATH")
    args = p.parse_args(argv)
    if args.events_csv:
        # polygons come straight from the reference files (no store needed)
        from geodata.reference_areas import load_reference_areas

        ref = load_reference_areas(settings().data_dir).areas
        polys = ref.sort_values("list_year").drop_duplicates("area_id", keep="last").rename(columns={"area_id": "id"})
        write_swedish_csv(sample_events(polys, args.events, args.seed), args.events_csv)
        print(f"wrote {args.events} events to {args.events_csv}")
        return 0
    print(build_store(args.db, settings().data_dir, args.years, args.indicators, args.events, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
