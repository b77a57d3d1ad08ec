"""Back-test of the nowcast on the real police DeSO extracts: cut at each month end, compare.

For every month end 2021-01 … 2023-12 the extracts are cut as they stood then (only offences
registered by that day); the last three offence months (and, at a tertial's end, that tertial)
are nowcast with :mod:`indicators.nowcast`, fitted on the cut data alone, and compared with what
the extract finally holds. The extract was drawn on 2024-03-31, so the last months of a late cut
are still incomplete there too: the model is asked for the count registered by 2024-03-31 (its
horizon is known), and the tables count only cuts up to 2023-09 (six months of registration at
least), as the brief asks; the coverage of the final count (no horizon) is printed beside it.

Levels: every area of the 2025 list with DeSOs lying at least half inside it (the store's rule:
``geodata.deso.majority_deso_map``); the same areas through the derived DeSO key
(``deso_uso/``, every DeSO of an area, any share); every kommun; Sweden.

    python -m bench.nowcast [--first 2021-01] [--last 2023-12] [--evaluate-to 2023-09] [--csv FILE]

Prints Markdown tables: coverage of the 90 % interval (goal ≥ 0.85), median absolute and
relative error of the model's estimate, the chain ladder and the count as registered so far.
Results in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from indicators import nowcast as nc

LEVELS = ("area", "area_key", "kommun", "national")
LEVEL_NAMES = {
    "area": "area (2025 list, DeSO ≥ 50 % inside)",
    "area_key": "area (2025 list, deso_uso key)",
    "kommun": "kommun",
    "national": "Sweden",
}
GOAL = 0.85


def load(data_dir: Path) -> pd.DataFrame:
    """Every registered offence with its indicator, months and series keys of each level."""
    from geodata.areas import read_area_file
    from geodata.deso import area_deso_overlap, majority_deso_map, read_deso_polygons
    from geodata.registrations import read_all_registrations
    from geodata.sources import require
    from store.catalogue import DESO_CRIME_FILES

    rows = read_all_registrations(require(data_dir, "crime_deso"), DESO_CRIME_FILES)
    areas = read_area_file(require(data_dir, "areas_2025"), 2025).areas
    major = majority_deso_map(area_deso_overlap(areas, read_deso_polygons(data_dir)))
    rows["area"] = rows["deso"].map(major.set_index("deso")["area_id"].astype(str))
    key = pd.read_csv(Path(data_dir) / "deso_uso" / "deso2025_to_utsatt_omrade_2025_derived.csv", dtype=str)
    key = key.dropna(subset=["specialomrades_id"]).drop_duplicates("deso2018_equiv")
    key["specialomrades_id"] = key["specialomrades_id"].str.replace(r"\.0$", "", regex=True)
    rows["area_key"] = rows["deso"].map(key.set_index("deso2018_equiv")["specialomrades_id"])
    rows["national"] = "SE"
    return rows


def tertial_end(month: str) -> bool:
    return month[5:] in ("04", "08", "12")


def backtest(rows: pd.DataFrame, first_cut: str, last_cut: str) -> pd.DataFrame:
    """One row per (indicator, level, series, cut, kind, horizon) with registered, truth and nowcast."""
    end = max(rows["registration_month"])
    e = nc.month_index(end)
    starts = {ind: _start(g) for ind, g in rows.groupby("indicator")}
    tables = {ind: {lv: nc.delay_counts(g.dropna(subset=[lv]), starts[ind], end, by=lv) for lv in LEVELS}
              for ind, g in rows.groupby("indicator")}
    national = {ind: (starts[ind], t["national"][1][0]) for ind, t in tables.items()}
    out = []
    for cut_i in range(nc.month_index(first_cut), nc.month_index(last_cut) + 1):
        cut = nc.month_label(cut_i)
        begun = {ind: v for ind, v in national.items() if cut_i - nc.month_index(v[0]) >= max(nc.HORIZONS)}
        for ind, fitted in nc.fit_types(begun, cut).items():  # the service's own fit (services.nowcast)
            t0 = nc.month_index(starts[ind])
            out += _evaluate(ind, tables[ind], fitted, cut, cut_i - t0, e - t0)
    return pd.concat(out, ignore_index=True)


def _evaluate(ind: str, tables: dict, fitted: nc.TypeModel, cut: str, c: int, e: int) -> list[pd.DataFrame]:
    """The nowcasts of one type at one cut (``c``, ``e``: the cut and the extract's end, in months
    from the type's first month), every level."""
    out = []
    for lv, (keys, counts) in tables.items():
        reg = nc.registered_by(counts, c)
        k, mu = nc.level_shape(reg, c, fitted.delay)
        model = fitted.model(k)
        truth_all = counts.sum(axis=-1)
        for h in nc.HORIZONS:
            t = c - h
            x = reg[:, t]
            now = nc.nowcast_months(x, h, fitted.delay, mu, model, target=e - t)
            final = nc.nowcast_months(x, h, fitted.delay, mu, model)
            out.append(_rows(ind, lv, keys, cut, "month", h, x, truth_all[:, t], now, final, fitted, k))
        if tertial_end(cut) and c >= 3:
            hs = np.array([3, 2, 1, 0])
            ts = c - hs
            now = nc.nowcast_total(reg[:, ts], hs, fitted.delay, mu, fitted.model(k, summed=True), target=e - ts)
            final = nc.nowcast_total(reg[:, ts], hs, fitted.delay, mu, fitted.model(k, summed=True))
            out.append(_rows(ind, lv, keys, cut, "tertial", 3, reg[:, ts].sum(axis=1),
                             truth_all[:, ts].sum(axis=1), now, final, fitted, k))
    return out


def _start(g: pd.DataFrame) -> str:
    from geodata.registrations import coverage_start

    return coverage_start(g)


def _rows(ind, lv, keys, cut, kind, h, x, truth, now: nc.Nowcast, final: nc.Nowcast, fitted: nc.TypeModel,
          k: float) -> pd.DataFrame:
    return pd.DataFrame({
        "indicator": ind, "level": lv, "key": keys, "cut": cut, "kind": kind, "horizon": h,
        "registered": x, "truth": truth, "estimate": now.estimate, "mean": now.mean, "lo": now.lo, "hi": now.hi,
        "chain_ladder": now.chain_ladder, "lo_final": final.lo, "hi_final": final.hi,
        "share_registered": float(fitted.delay.share(h)), "delta": fitted.delta, "delta_sum": fitted.delta_sum, "k": k,
    })


def summarise(ev: pd.DataFrame) -> pd.Series:
    """Coverage, errors and width for a group of evaluated nowcasts."""
    truth = ev["truth"].to_numpy()
    pos = truth > 0

    def mae(col: str) -> float:
        return float(np.median(np.abs(truth - ev[col].to_numpy())))

    def mre(col: str) -> float:
        return float(np.median(np.abs(truth[pos] - ev[col].to_numpy()[pos]) / truth[pos])) if pos.any() else np.nan

    def mean_ae(col: str) -> float:
        return float(np.mean(np.abs(truth - ev[col].to_numpy())))

    covered = (truth >= ev["lo"]) & (truth <= ev["hi"])
    covered_final = (truth >= ev["lo_final"]) & (truth <= ev["hi_final"])
    return pd.Series({
        "n": len(ev), "grew": float(np.mean(truth > ev["registered"])),
        "coverage": float(covered.mean()), "coverage_final": float(covered_final.mean()),
        "coverage_grew": float(covered[truth > ev["registered"]].mean()) if (truth > ev["registered"]).any() else np.nan,
        "mae_registered": mae("registered"), "mae_chain": mae("chain_ladder"), "mae_model": mae("estimate"),
        "mre_registered": mre("registered"), "mre_chain": mre("chain_ladder"), "mre_model": mre("estimate"),
        "mean_ae_registered": mean_ae("registered"), "mean_ae_chain": mean_ae("chain_ladder"),
        "mean_ae_model": mean_ae("estimate"), "width": float((ev["hi"] - ev["lo"]).mean()),
        "mean_truth": float(truth.mean()),
    })


def _fmt(v: float, pct: bool = False) -> str:
    if v != v:
        return "–"
    return f"{v:.1%}" if pct else (f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}")


def table(groups: pd.DataFrame, label_cols: list[str]) -> str:
    head = [*label_cols, "n", "mean final", "grew", "cover 90 %", "cover (final)", "cover if grew", "MdAE reg. · CL · model",
            "MdRE reg. · CL · model", "MAE reg. · CL · model", "width"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for idx, r in groups.iterrows():
        labels = idx if isinstance(idx, tuple) else (idx,)
        cov = _fmt(r["coverage"], True)
        cov = f"**{cov}**" if r["coverage"] < GOAL else cov
        lines.append("| " + " | ".join([
            *[str(v) for v in labels], f"{int(r['n']):,}", _fmt(r["mean_truth"]), _fmt(r["grew"], True), cov,
            _fmt(r["coverage_final"], True), _fmt(r["coverage_grew"], True),
            f"{_fmt(r['mae_registered'])} · {_fmt(r['mae_chain'])} · {_fmt(r['mae_model'])}",
            f"{_fmt(r['mre_registered'], True)} · {_fmt(r['mre_chain'], True)} · {_fmt(r['mre_model'], True)}",
            f"{_fmt(r['mean_ae_registered'])} · {_fmt(r['mean_ae_chain'])} · {_fmt(r['mean_ae_model'])}",
            _fmt(r["width"]),
        ]) + " |")
    return "\n".join(lines)


def report(res: pd.DataFrame, evaluate_to: str) -> str:
    ev = res[res["cut"] <= evaluate_to].copy()
    ev["what"] = np.where(ev["kind"] == "tertial", "tertial (4 months)", "month, h = " + ev["horizon"].astype(str))
    ev["level_name"] = ev["level"].map(LEVEL_NAMES)
    parts = []
    by_level = ev.groupby(["level_name", "what"], sort=False).apply(summarise, include_groups=False)
    parts.append("### By level and horizon (all five offence types)\n\n" + table(by_level, ["level", "nowcast of"]))
    nat = ev[ev["level"] == "national"]
    by_type = nat.groupby(["indicator", "what"], sort=True).apply(summarise, include_groups=False)
    parts.append("### Sweden, by offence type\n\n" + table(by_type, ["offence type", "nowcast of"]))
    low = ev[ev["level"].isin(["area", "area_key", "kommun"]) & (ev["kind"] == "month")]
    by_type_low = low.groupby(["indicator", "level_name"], sort=True).apply(summarise, include_groups=False)
    parts.append("### Areas and kommuner, by offence type (months h = 0–2)\n\n"
                 + table(by_type_low, ["offence type", "level"]))
    late = res[(res["cut"] > evaluate_to)]
    if len(late):
        lt = late.groupby(late["level"].map(LEVEL_NAMES)).apply(summarise, include_groups=False)
        parts.append(f"### Cuts after {evaluate_to} (the extract's final count is itself still incomplete)\n\n"
                     + table(lt, ["level"]))
    params = res.drop_duplicates(["indicator", "cut"]).groupby("indicator")[["delta", "delta_sum"]].median()
    share0 = res[res["horizon"] == 0].drop_duplicates(["indicator", "cut"]).groupby("indicator")["share_registered"].median()
    lines = ["| offence type | F(0) | δ (month) | δ (4 months) |", "|---|---|---|---|"]
    for ind, r in params.iterrows():
        lines.append(f"| {ind} | {share0[ind]:.3f} | {r['delta']:.2f} | {r['delta_sum']:.2f} |")
    parts.append("### Fitted per cut (median over the cuts)\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    from config import settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", default="2021-01", help="first cut (month end), YYYY-MM")
    ap.add_argument("--last", default="2023-12", help="last cut (month end), YYYY-MM")
    ap.add_argument("--evaluate-to", default="2023-09",
                    help="last cut counted in the tables (later ones are shown apart)")
    ap.add_argument("--csv", type=Path, help="write every evaluated nowcast to this CSV")
    args = ap.parse_args(argv)
    data_dir = settings().data_dir
    start = time.perf_counter()
    rows = load(data_dir)
    res = backtest(rows, args.first, args.last)
    took = time.perf_counter() - start
    if args.csv:
        res.to_csv(args.csv, index=False)
    print(f"Nowcast back-test: cuts {args.first} … {args.last} (tables: cuts up to {args.evaluate_to}); "
          f"extract registered up to {max(rows['registration_month'])}; {len(res):,} nowcasts in {took:.0f} s.\n"
          "cover 90 % = share of final counts inside the 90 % interval (goal ≥ 0.85; bold below it), "
          "the model asked for the count registered by the extract's end; cover (final) = the same "
          "interval for the final count; cover if grew = coverage among the counts that did grow. MdAE / MdRE = median absolute / relative error (relative: "
          "final count > 0) of the count registered so far, the chain ladder and the model's "
          "estimate (median); MAE = mean absolute error; grew = share of counts that were still "
          "incomplete at the cut; width = mean width of the interval.\n")
    print(report(res, args.evaluate_to))


if __name__ == "__main__":
    main()
