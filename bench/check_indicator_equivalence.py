"""Prove that indicator outputs did not change: ``python -m bench.check_indicator_equivalence``.

Record the outputs of the code before a change, then compare the changed code with them::

    git worktree add /tmp/before HEAD && cd /tmp/before      # the old code …
    python -m bench.check_indicator_equivalence --save /tmp/indicator_ref --data-root /work/main
    cd /work/main                                            # … and the new one
    python -m bench.check_indicator_equivalence --check /tmp/indicator_ref

(``--data-root``: the checkout holding ``bench/data`` and ``instance``, which git does not track.)
About 5 minutes for ``--save`` with the old code, 1–2 minutes for ``--check``; ``--quick`` samples.

Covers synthetic frames with every awkward case (missing rows, open-ended, late-starting and
lagging series, two area lists, an area without population), and, on the bench store
(``bench/data/quick.sqlite``) and the demo store (``instance/lagesbild.sqlite``) when they exist:

* ``services.indicators.area_summary_json`` (the cold/warm service path incl. the SQLite read) for
  every area of the newest list × ``prev_year``/``baseline``/``target`` × sv/en on the latest
  complete tertial, and for a sample of areas (plus areas only on older lists) on other periods
  (previous tertials, a month, R12, YTD, a year, an incomplete current tertial, an older tertial);
* ``services.indicators.compare_frame`` for the whole country and every region, × the three
  comparisons × both languages, on the same periods, and for an older list year;
* the pure engine (``compare_table``, ``area_summary``) on the *unwindowed* values frame, and
  its public building blocks (``indicator_table``, ``assess``, ``period_values``,
  ``cross_sectional_table``, ``peer_group``, ``malstyrning``, ``coverage_bounds``, ``area_meta``);
* ``store.queries`` reads: ``values_frame`` with each kind of filter, catalogue, areas, targets,
  profiles.

Summaries are compared as their ``json.dumps`` text (key order and ``-0.0`` included); frames
column by column: dtype, exact float bits (NaN and sign included), and for object columns the
type and value of every cell.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
STORES = {
    "synthetic": None,
    "quick": ROOT / "bench" / "data" / "quick.sqlite",
    "demo": ROOT / "instance" / "lagesbild.sqlite",
}
COMPARISONS = ("prev_year", "baseline", "target")


# --------------------------------------------------------------------------- collecting outputs
def _periods(engine) -> dict[str, list[str]]:
    """Periods to check: 'main' (all areas, both languages) and 'extra' (a sample of areas)."""
    from indicators.calendar import format_month, latest_complete, parse_month, parse_period
    from services.periods import frontier_ids
    from store.queries import catalogue_frame

    cat = catalogue_frame(engine)
    ids = frontier_ids(cat)
    main = latest_complete(cat, "tertial", indicator_ids=ids)
    last_month = latest_complete(cat, "month", indicator_ids=ids).label
    y, t = int(main.label[:4]), int(main.label[-1])
    prev_t = f"{y - 1}-T3" if t == 1 else f"{y}-T{t - 1}"
    newest = max(m for m in cat["last_month"].dropna())
    current = f"{newest[:4]}-T{(parse_month(newest) % 12) // 4 + 1}"  # may be incomplete
    extra = [
        prev_t,
        f"{y - 1}-T{t}",
        last_month,
        format_month(parse_month(last_month) - 7),
        f"R12:{last_month}",
        f"YTD:{last_month}",
        str(y - 1),
        current,
        f"{y - 5}-T2",
    ]
    seen = {main.label}
    extra = [parse_period(p).label for p in extra]
    extra = [p for p in extra if not (p in seen or seen.add(p))]
    return {"main": [main.label], "extra": extra}


def collect(db: Path, quick: bool = False) -> dict[str, object]:
    """Every checked output for one store, keyed by a readable name."""
    from indicators.summary import area_summary, compare_table
    from services import indicators as svc
    from store.engine import make_engine
    from store.queries import (
        areas_frame,
        catalogue_frame,
        profiles_frame,
        targets_frame,
        values_frame,
    )

    engine = make_engine(f"sqlite:///{db}")
    out: dict[str, object] = {}
    periods = _periods(engine)
    all_areas = areas_frame(engine)
    newest_year = int(all_areas["list_year"].max())
    newest_ids = all_areas.loc[all_areas["list_year"] == newest_year, "id"].astype(str).tolist()
    old_only = sorted(set(all_areas["id"].astype(str)) - set(newest_ids))[:4]
    regions = [
        "alla",
        *sorted(all_areas.loc[all_areas["list_year"] == newest_year, "region"].dropna().unique()),
    ]
    sample = newest_ids[::4] + old_only
    if quick:
        newest_ids, sample, regions = newest_ids[::8], newest_ids[::16] + old_only[:1], regions[:2]

    def clear() -> None:
        for name in ("_values", "_static", "_newest_list_of"):
            fn = getattr(svc, name, None)
            if hasattr(fn, "cache_clear"):
                fn.cache_clear()
        for name in dir(svc):  # any further memo the service layer may grow
            fn = getattr(svc, name)
            if name.startswith("_") and hasattr(fn, "cache_clear"):
                fn.cache_clear()

    for kind, plist in periods.items():
        for period in plist:
            clear()
            ids = newest_ids if kind == "main" else sample
            langs = ("sv", "en") if kind == "main" else ("sv",)
            for cmp_ in COMPARISONS:
                for lang in langs:
                    for region in regions:
                        if kind == "extra" and lang == "en":
                            continue
                        out[f"compare|{period}|{cmp_}|{lang}|{region}"] = svc.compare_frame(
                            engine, region, period, cmp_, lang
                        )
                    for aid in ids:
                        out[f"summary|{period}|{cmp_}|{lang}|{aid}"] = json.dumps(
                            svc.area_summary_json(engine, aid, period, cmp_, lang),
                            ensure_ascii=False,
                        )
            clear()  # a cold summary first, then warm ones
            out[f"summary-cold|{period}|{newest_ids[0]}"] = json.dumps(
                svc.area_summary_json(engine, newest_ids[0], period), ensure_ascii=False
            )
            clear()
            out[f"compare-cold|{period}"] = svc.compare_frame(engine, "alla", period, "baseline")
    main = periods["main"][0]
    older = sorted(int(y) for y in all_areas["list_year"].unique())[-2]
    for cmp_ in COMPARISONS:
        out[f"compare|{main}|{cmp_}|list{older}"] = svc.compare_frame(
            engine, "alla", main, cmp_, "sv", older
        )

    # the pure engine on every value in the store (no service-layer window)
    values = values_frame(engine)
    cat, areas, targets = (
        catalogue_frame(engine),
        areas_frame(engine, newest_year),
        targets_frame(engine),
    )
    profiles = profiles_frame(engine, newest_year)
    profiles = profiles if len(profiles) else None
    for period in periods["main"] + periods["extra"][:3]:
        for cmp_ in COMPARISONS:
            out[f"pure-compare|{period}|{cmp_}"] = compare_table(
                values, cat, areas, period, cmp_, targets=targets
            )
            for aid in newest_ids[:: (3 if period == main else 9)]:
                out[f"pure-summary|{period}|{cmp_}|{aid}"] = json.dumps(
                    area_summary(
                        values, cat, areas, targets, aid, period, cmp_, "sv", profiles=profiles
                    ),
                    ensure_ascii=False,
                )
    out["pure-compare-no-targets"] = compare_table(values, cat, areas, main, "target")
    out["pure-summary-no-profiles"] = json.dumps(
        area_summary(values, cat, areas, None, newest_ids[0], main), ensure_ascii=False
    )

    # the store reads themselves
    from indicators.calendar import parse_period, shift_month

    p = parse_period(main)
    window = (shift_month(p.first, -48), p.last)
    one = cat["id"].iloc[0]
    out["values|all"] = values
    out["values|window"] = values_frame(engine, months=window)
    out["values|area"] = values_frame(engine, area_ids=[newest_ids[0]], months=window)
    out["values|ind-area"] = values_frame(engine, [one], [newest_ids[0]], window)
    out["values|none"] = values_frame(engine, area_ids=["no-such-area"])
    out["static|catalogue"] = cat
    out["static|areas"] = areas_frame(engine)
    out["static|areas-newest"] = areas
    out["static|targets"] = targets
    out["static|targets-area"] = targets_frame(engine, [newest_ids[0]])
    out["static|targets-none"] = targets_frame(engine, ["no-such-area"])
    out["static|profiles"] = profiles_frame(engine, newest_year)
    svc_values = svc.frames(engine, main)[0]
    out.update(
        _engine_parts(
            svc_values,
            cat,
            areas,
            targets,
            profiles,
            [main, *periods["extra"][:2]],
            newest_ids,
            "store",
        )
    )
    engine.dispose()
    return out


def _engine_parts(
    values, cat, areas, targets, profiles, periods, area_ids, tag
) -> dict[str, object]:
    """The public building blocks the summary and the table are made of."""
    from indicators.calendar import coverage_bounds, parse_period
    from indicators.crosssection import cross_sectional_table, peer_group
    from indicators.rag import assess
    from indicators.table import area_meta, indicator_table, period_values
    from indicators.targets import malstyrning

    out: dict[str, object] = {}
    bounds = coverage_bounds(cat, values)
    out[f"{tag}-bounds"] = bounds
    out[f"{tag}-area_meta"] = area_meta(areas, area_ids[::-3])
    for period in periods:
        for cmp_ in COMPARISONS:
            table = indicator_table(values, cat, areas, period, cmp_, targets=targets)
            out[f"{tag}-table|{period}|{cmp_}"] = table
            out[f"{tag}-assess|{period}|{cmp_}"] = assess(table, period, cmp_)
            sub = table[table["area_id"].isin(area_ids[:7])]
            out[f"{tag}-assess-sub|{period}|{cmp_}"] = assess(sub, period, cmp_)
        wide = period_values(values, cat, areas, period, bounds=bounds)
        out[f"{tag}-wide|{period}"] = wide
        for aid in area_ids[::5]:
            out[f"{tag}-xs|{period}|{aid}"] = cross_sectional_table(wide, aid)
            out[f"{tag}-xs-group|{period}|{aid}"] = cross_sectional_table(wide, aid, area_ids[1::2])
            out[f"{tag}-xs-self|{period}|{aid}"] = cross_sectional_table(
                wide, aid, include_self=True
            )
    if profiles is not None:
        for aid in area_ids:
            out[f"{tag}-peers|{aid}"] = repr(peer_group(profiles, aid))
    if targets is not None and len(targets):
        year = int(parse_period(periods[0]).last[:4])
        for aid in area_ids[::7]:
            out[f"{tag}-malstyrning|{aid}"] = malstyrning(values, targets, aid, year)
    return out


def collect_synthetic() -> dict[str, object]:
    """Synthetic frames with missing rows, late-starting, lagging and open-ended series and two lists."""
    from indicators.summary import area_summary, compare_table
    from testing.synthetic import synthetic_frames

    f = synthetic_frames(
        n_areas=24,
        n_indicators=14,
        first_year=2019,
        last_month="2025-10",
        seed=3,
        missing_share=0.06,
    )
    values, cat, areas, targets, profiles = (
        f[k] for k in ("values", "catalogue", "areas", "targets", "profiles")
    )
    cat = cat.copy()
    cat.loc[1, "last_month"] = None  # open-ended: as far as the data go
    cat.loc[2, "first_month"] = "2024-03"  # the series starts late
    cat.loc[3, "last_month"] = "2025-06"  # lagging feed
    cat.loc[4, "rare"] = True
    old = areas.iloc[::2].copy()
    old["list_year"] = 2023
    areas = pd.concat([old, areas], ignore_index=True)
    areas.loc[len(old) + 5, "population"] = np.nan
    ids = areas.loc[areas["list_year"] == 2025, "id"].tolist()
    out: dict[str, object] = {}
    periods = ["2025-T2", "2025-T3", "R12:2025-10", "2025-07", "YTD:2025-10", "2024", "2024-T3"]
    for period in periods:
        for cmp_ in COMPARISONS:
            out[f"syn-compare|{period}|{cmp_}"] = compare_table(
                values, cat, areas, period, cmp_, targets=targets
            )
            out[f"syn-compare-en|{period}|{cmp_}"] = compare_table(
                values, cat, areas, period, cmp_, ids[:9], lang="en", targets=targets
            )
            for aid in ids:
                out[f"syn-summary|{period}|{cmp_}|{aid}"] = json.dumps(
                    area_summary(
                        values, cat, areas, targets, aid, period, cmp_, "sv", profiles=profiles
                    ),
                    ensure_ascii=False,
                )
        out[f"syn-compare-2023|{period}"] = compare_table(
            values, cat, areas, period, "prev_year", list_year=2023
        )
    for aid in ids[::4]:
        out[f"syn-summary-en|{aid}"] = json.dumps(
            area_summary(values, cat, areas, None, aid, "2025-T3", "baseline", "en"),
            ensure_ascii=False,
        )
    out.update(
        _engine_parts(values, cat, areas, targets, profiles, ["2025-T3", "R12:2025-10"], ids, "syn")
    )
    return out


# --------------------------------------------------------------------------- comparing
def _cells(col: pd.Series) -> list:
    return [
        ("nan", None) if isinstance(v, float) and math.isnan(v) else (type(v).__name__, v)
        for v in col.tolist()
    ]


def frame_diff(a: pd.DataFrame, b: pd.DataFrame) -> str | None:
    """None when ``a`` and ``b`` are identical (strictly), else what differs."""
    if list(a.columns) != list(b.columns):
        return f"columns {list(a.columns)} != {list(b.columns)}"
    if (
        not a.index.equals(b.index)
        or type(a.index) is not type(b.index)
        or a.index.dtype != b.index.dtype
        or a.index.names != b.index.names
    ):
        return "index differs"
    for c in a.columns:
        x, y = a[c], b[c]
        if x.dtype != y.dtype:
            return f"column {c!r}: dtype {x.dtype} != {y.dtype}"
        if x.dtype.kind == "f":
            xa, ya = x.to_numpy(), y.to_numpy()
            if not (
                np.array_equal(xa, ya, equal_nan=True)
                and np.array_equal(np.signbit(xa), np.signbit(ya))
            ):
                bad = np.flatnonzero(~((xa == ya) | (np.isnan(xa) & np.isnan(ya))))
                return f"column {c!r}: {len(bad)} values differ, e.g. row {bad[:1]}"
        elif x.dtype.kind in "biu":
            if not np.array_equal(x.to_numpy(), y.to_numpy()):
                return f"column {c!r}: values differ"
        else:
            cx, cy = _cells(x), _cells(y)
            if cx != cy:
                i = next(i for i, (u, v) in enumerate(zip(cx, cy, strict=True)) if u != v)
                return f"column {c!r}: row {i}: {cx[i]!r} != {cy[i]!r}"
    return None


def compare(ref: dict[str, object], new: dict[str, object]) -> list[str]:
    problems = []
    for key in sorted(set(ref) | set(new)):
        if key not in ref or key not in new:
            problems.append(f"{key}: only in {'reference' if key in ref else 'new'}")
            continue
        a, b = ref[key], new[key]
        if isinstance(a, pd.DataFrame):
            why = frame_diff(a, b)
            if why:
                problems.append(f"{key}: {why}")
        elif a != b:
            problems.append(f"{key}: JSON differs")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write the reference outputs to this directory")
    mode.add_argument(
        "--check", type=Path, help="compare with the reference outputs in this directory"
    )
    ap.add_argument("--stores", nargs="*", default=list(STORES), choices=list(STORES))
    ap.add_argument("--quick", action="store_true", help="a sample of areas and regions only")
    ap.add_argument(
        "--data-root",
        type=Path,
        default=ROOT,
        help="checkout whose bench/data and instance hold the stores (default: this one)",
    )
    args = ap.parse_args(argv)
    stores = {
        k: None if v is None else args.data_root / v.relative_to(ROOT) for k, v in STORES.items()
    }
    failed = False
    for name in args.stores:
        db = stores[name]
        if db is not None and not db.exists():
            print(f"{name}: {db} not found, skipped")
            continue
        t0 = time.perf_counter()
        outputs = collect_synthetic() if db is None else collect(db, args.quick)
        secs = time.perf_counter() - t0
        target = (args.save or args.check) / f"{name}{'-quick' if args.quick else ''}.pkl"
        if args.save:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pickle.dumps(outputs))
            print(f"{name}: saved {len(outputs)} outputs to {target} ({secs:.1f} s)")
            continue
        problems = compare(pickle.loads(target.read_bytes()), outputs)
        n_sum = sum(1 for k in outputs if "summary" in k)
        n_tab = sum(1 for v in outputs.values() if isinstance(v, pd.DataFrame))
        if problems:
            failed = True
            print(f"{name}: {len(problems)} of {len(outputs)} outputs DIFFER ({secs:.1f} s)")
            for line in problems[:30]:
                print("  ", line)
        else:
            print(
                f"{name}: all {len(outputs)} outputs identical "
                f"({n_sum} summaries, {n_tab} frames; {secs:.1f} s)"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
