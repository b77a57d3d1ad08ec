"""Are the verdicts calibrated on real police series? A back-test of every test the page shows.

    python -m bench.calibration [--replicates 20] [--seed 1] [--json bench/calibration.json]

The real series are the police-recorded offences per DeSO in ``crime_deso/`` (car fires, arson,
riots, sabotage of emergency services, violence against police), summed per area of the 2025 list
with the product's own DeSO → area rule (``real_area_series``), monthly from each series' start
(the first month with at least half the median national count) to 2023-12 (2024 is still being
registered). Every statistic below is computed with the product's functions
(:func:`indicators.dispersion.estimate_dispersion`, :func:`indicators.stats.nb_etest`,
:func:`indicators.stats.etest`, :func:`indicators.fdr.benjamini_hochberg`,
:func:`indicators.stats.nb_prediction_interval`, :mod:`indicators.cusum`).

What "unchanged" means on real data: for each area, indicator and period of the year (a tertial or
a calendar month), two of the area's years are drawn at random and compared as "this year" and
"last year" (or four years: one against the other three, for the baseline comparison). The years
are exchangeable, so there is no trend, but every real swing from year to year (and every real
change between years) is kept: the hardest fair null for a test. Consecutive years as they happened
are reported too (their flags include real changes: an upper bound on false alarms). Planted rises
multiply the current count of 10 % of the cells of each table by 2 or 3.

Each table is one FDR family (all areas × indicators of one period), as on the page.
Goals (issue 11): unchanged cells with p < .05 ≤ 6 %; the seasonal band holds 95 % of months;
CUSUM raises a false alarm less than once in 10 years per series.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.calendar import parse_month
from indicators.dispersion import estimate_dispersion
from indicators.fdr import benjamini_hochberg
from indicators.stats import etest, nb_etest, nb_prediction_interval

LAST_MONTH = "2023-12"
INDICATORS = ("brand_i_motorfordon", "brand", "upplopp", "blaljussabotage", "vald_mot_polis")
BUCKETS = ((0, 2), (2, 5), (5, 10), (10, np.inf))


# --------------------------------------------------------------------------- real series
def real_area_series(data_dir: Path, min_share_pct: float = 25.0) -> pd.DataFrame:
    """Monthly counts ``area_id, indicator_id, month, value`` per area of the 2025 list.

    A DeSO counts for the area it is keyed to (``deso_uso/deso2025_to_utsatt_omrade_2025_derived.csv``)
    when at least ``min_share_pct`` % of it lies inside an utsatt område; months from the series'
    start to :data:`LAST_MONTH`, zeros filled.
    """
    from store.catalogue import DESO_CRIME_FILES
    from store.demo import coverage_start, month_range

    key = pd.read_csv(data_dir / "deso_uso" / "deso2025_to_utsatt_omrade_2025_derived.csv",
                      dtype=str)
    key = key[pd.to_numeric(key["share_of_deso_in_any_uso_pct"], errors="coerce") >= min_share_pct]
    key = key.dropna(subset=["specialomrades_id"])
    area_of = dict(zip(key["deso2018_equiv"],
                       key["specialomrades_id"].astype(float).astype(int).astype(str), strict=True))
    frames = []
    per: dict[str, list[pd.DataFrame]] = {}
    for fname, ind in DESO_CRIME_FILES.items():
        raw = pd.read_csv(data_dir / "crime_deso" / fname,
                          usecols=["Brottsdatum", "DeSO.område", "Antal"])
        raw["month"] = pd.to_datetime(raw["Brottsdatum"], errors="coerce").dt.strftime("%Y-%m")
        per.setdefault(ind, []).append(raw.dropna(subset=["month"]))
    areas = sorted(set(area_of.values()))
    for ind, parts in per.items():
        raw = pd.concat(parts)
        first = coverage_start(raw.groupby("month")["Antal"].sum())
        raw = raw[(raw["month"] >= first) & (raw["month"] <= LAST_MONTH)]
        raw = raw.assign(area_id=raw["DeSO.område"].map(area_of)).dropna(subset=["area_id"])
        counts = raw.groupby(["area_id", "month"])["Antal"].sum()
        grid = pd.MultiIndex.from_product([areas, month_range(first, LAST_MONTH)],
                                          names=["area_id", "month"])
        full = counts.reindex(grid, fill_value=0).reset_index().rename(columns={"Antal": "value"})
        full["indicator_id"] = ind
        frames.append(full)
    return pd.concat(frames, ignore_index=True)[["area_id", "indicator_id", "month", "value"]]


def catalogue() -> pd.DataFrame:
    return pd.DataFrame({"id": list(INDICATORS), "unit": "count"})


def period_matrix(series: pd.DataFrame, kind: str) -> dict[str, pd.DataFrame]:
    """Per indicator: rows (area, period of the year), columns years, values complete sums."""
    out = {}
    for ind, g in series.groupby("indicator_id"):
        m = g["month"].astype(str)
        year = m.str[:4].astype(int)
        mon = m.str[5:7].astype(int)
        slot = (mon - 1) // 4 + 1 if kind == "tertial" else (mon if kind == "month" else 1)
        size = {"tertial": 4, "month": 1, "year": 12}[kind]
        frame = pd.DataFrame({"area": g["area_id"], "slot": slot, "year": year, "v": g["value"]})
        agg = frame.groupby(["area", "slot", "year"])["v"].agg(["sum", "count"])
        agg = agg[agg["count"] == size]["sum"].unstack("year")
        out[str(ind)] = agg
    return out


# --------------------------------------------------------------------------- tests of a table
@dataclass
class Rates:
    cells: int = 0
    nominal_poisson: int = 0
    nominal_nb: int = 0
    fdr_poisson: int = 0
    fdr_nb: int = 0

    def add(self, p_pois: np.ndarray, p_nb: np.ndarray) -> None:
        self.cells += len(p_pois)
        self.nominal_poisson += int((p_pois < 0.05).sum())
        self.nominal_nb += int((p_nb < 0.05).sum())
        self.fdr_poisson += int((benjamini_hochberg(p_pois) < 0.05).sum())
        self.fdr_nb += int((benjamini_hochberg(p_nb) < 0.05).sum())

    def row(self) -> dict:
        n = max(self.cells, 1)
        return {"cells": self.cells, "p<.05 Poisson": self.nominal_poisson / n,
                "p<.05 NB": self.nominal_nb / n, "FDR Poisson": self.fdr_poisson / n,
                "FDR NB": self.fdr_nb / n}


def _tests(c, ref, exposure, alpha):
    return etest(c, 1.0, ref, exposure), nb_etest(c, 1.0, ref, exposure, alpha)


def null_tables(mats, alphas, rng, replicates, baseline: bool):
    """Yield (indicator ids, current, reference, exposure, alpha, pair mean) of each null table:
    one per period of the year and replicate, every area × indicator drawing its years."""
    slots = sorted({s for m in mats.values() for s in m.index.get_level_values("slot")})
    need = 4 if baseline else 2
    for _ in range(replicates):
        for slot in slots:
            cur, ref, exp_, alp, mean = [], [], [], [], []
            for ind, mat in mats.items():
                if slot not in mat.index.get_level_values("slot"):
                    continue
                block = mat.xs(slot, level="slot")
                for area, row in block.iterrows():
                    vals = row.dropna().to_numpy(dtype=float)
                    if len(vals) < need:
                        continue
                    pick = rng.choice(len(vals), need, replace=False)
                    c = vals[pick[0]]
                    r = vals[pick[1:]].sum()
                    cur.append(c)
                    ref.append(r)
                    exp_.append(need - 1.0)
                    alp.append(alphas[ind].for_area(str(area)))
                    mean.append((c + r) / need)
            if cur:
                yield (np.array(cur), np.array(ref), np.array(exp_), np.array(alp), np.array(mean))


def consecutive_tables(mats, alphas):
    """The real year-to-year comparisons, one table per (period of the year, year)."""
    tables: dict[tuple, list] = {}
    for ind, mat in mats.items():
        for (area, slot), row in mat.iterrows():
            years = sorted(int(y) for y in row.dropna().index)
            for y in years:
                if y - 1 in years:
                    t = tables.setdefault((slot, y), [[], [], []])
                    t[0].append(float(row[y]))
                    t[1].append(float(row[y - 1]))
                    t[2].append(alphas[ind].for_area(str(area)))
    for cur, ref, alp in tables.values():
        yield np.array(cur), np.array(ref), np.ones(len(cur)), np.array(alp)


def test_rows(series: pd.DataFrame, kind: str, replicates: int, seed: int) -> list[dict]:
    n_months = {"month": 1, "tertial": 4, "year": 12}[kind]
    disp = estimate_dispersion(series, catalogue(), n_months)
    alphas = disp  # the product's rule: the pooled α, or the area's own when larger
    mats = period_matrix(series, kind)
    rows = []
    for baseline in (False, True):
        rng = np.random.default_rng(seed)
        null = Rates()
        buckets = {b: Rates() for b in BUCKETS}
        planted = {2: [0, 0, 0], 3: [0, 0, 0]}  # found nominal, found after FDR, planted
        for cur, ref, exp_, alp, mean in null_tables(mats, alphas, rng, replicates, baseline):
            p_pois, p_nb = _tests(cur, ref, exp_, alp)
            null.add(p_pois, p_nb)
            for b in BUCKETS:
                sel = (mean >= b[0]) & (mean < b[1])
                if sel.any():
                    buckets[b].cells += int(sel.sum())
                    buckets[b].nominal_poisson += int((p_pois[sel] < 0.05).sum())
                    buckets[b].nominal_nb += int((p_nb[sel] < 0.05).sum())
            for factor in (2, 3):
                plant = rng.random(len(cur)) < 0.10
                boosted = np.where(plant, cur * factor, cur)
                _, p_b = _tests(boosted, ref, exp_, alp)
                q_b = benjamini_hochberg(p_b)
                planted[factor][0] += int((p_b[plant] < 0.05).sum())
                planted[factor][1] += int((q_b[plant] < 0.05).sum())
                planted[factor][2] += int(plant.sum())
        label = f"{kind}, {'baseline (1 vs 3 years)' if baseline else 'previous year'}"
        row = {"series": label, "null": null.row(),
               "by_mean": {f"{b[0]}–{b[1]}": buckets[b].row() for b in BUCKETS},
               "planted_x2": {"p<.05": planted[2][0] / max(planted[2][2], 1),
                              "FDR": planted[2][1] / max(planted[2][2], 1)},
               "planted_x3": {"p<.05": planted[3][0] / max(planted[3][2], 1),
                              "FDR": planted[3][1] / max(planted[3][2], 1)}}
        if not baseline:
            real = Rates()
            for cur, ref, exp_, alp in consecutive_tables(mats, alphas):
                p_pois, p_nb = _tests(cur, ref, exp_, alp)
                real.add(p_pois, p_nb)
            row["consecutive"] = real.row()
        row["alpha"] = {i: round(d.alpha, 3) for i, d in disp.items()}
        row["areas_with_own_alpha"] = {i: len(d.by_area) for i, d in disp.items()}
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- seasonal band
def band_rows(series: pd.DataFrame, seed: int) -> dict:
    """Share of months inside the band: the old one (Poisson quantiles of the baseline mean)
    and the prediction interval (negative binomial, baseline uncertainty), on the months as they
    happened and with the years of each calendar month shuffled (no trend)."""
    from scipy import stats

    disp = estimate_dispersion(series, catalogue(), 1)
    rng = np.random.default_rng(seed)
    out = {}
    for label, shuffle in (("as happened", False), ("years shuffled", True)):
        inside_old = inside_new = total = 0
        big_old = big_new = big = 0
        for ind, g in series.groupby("indicator_id"):
            for area, s in g.groupby("area_id"):
                idx = np.array([parse_month(m) for m in s["month"]])
                v = s["value"].to_numpy(dtype=float)
                if shuffle:
                    v = v.copy()
                    for cm in range(12):
                        sel = np.flatnonzero(idx % 12 == cm)
                        v[sel] = v[sel][rng.permutation(len(sel))]
                by = dict(zip(idx.tolist(), v.tolist(), strict=True))
                cur, base_total = [], []
                for i in idx:
                    base = [by.get(i - 12 * k) for k in (1, 2, 3)]
                    if any(b is None for b in base):
                        continue
                    cur.append(by[i])
                    base_total.append(sum(base))
                if not cur:
                    continue
                cur, base_total = np.array(cur), np.array(base_total)
                mean = base_total / 3
                lo_old = np.where(mean > 0, stats.poisson.ppf(0.025, mean), 0.0)
                hi_old = np.where(mean > 0, stats.poisson.ppf(0.975, mean), 0.0)
                _, lo, hi = nb_prediction_interval(base_total, 3, disp[str(ind)].for_area(str(area)))
                in_old = (cur >= lo_old) & (cur <= hi_old)
                in_new = (cur >= lo) & (cur <= hi)
                inside_old += int(in_old.sum())
                inside_new += int(in_new.sum())
                total += len(cur)
                sel = mean >= 2
                big_old += int(in_old[sel].sum())
                big_new += int(in_new[sel].sum())
                big += int(sel.sum())
        out[label] = {"months": total, "old band": inside_old / max(total, 1),
                      "prediction interval": inside_new / max(total, 1),
                      "months, baseline mean ≥ 2": big, "old band, mean ≥ 2": big_old / max(big, 1),
                      "prediction interval, mean ≥ 2": big_new / max(big, 1)}
    return out


# --------------------------------------------------------------------------- CUSUM
def cusum_rows(series: pd.DataFrame, seed: int) -> dict:
    """False alarms of the monthly CUSUM per 10 series-years: the old standardisation (Poisson,
    k = 0.5, h = 4) and the calibrated one (:func:`indicators.cusum.calibrated_signals`), on
    series whose years were shuffled within each calendar month (no trend: every signal is a
    false alarm) and as they happened."""
    from indicators.cusum import CUSUM_H, CUSUM_K, cusum_matrix, nb_residual_matrix, residual_matrix

    disp = estimate_dispersion(series, catalogue(), 1)
    rng = np.random.default_rng(seed)
    out = {}
    for label, shuffle in (("years shuffled", True), ("as happened", False)):
        old = new = months = 0
        for ind, g in series.groupby("indicator_id"):
            mat = g.pivot(index="month", columns="area_id", values="value")
            idx = np.array([parse_month(m) for m in mat.index])
            dense = mat.to_numpy(dtype=float)
            if shuffle:
                dense = dense.copy()
                for cm in range(12):
                    sel = np.flatnonzero(idx % 12 == cm)
                    for j in range(dense.shape[1]):
                        dense[sel, j] = dense[sel, j][rng.permutation(len(sel))]
            _, _, r_old = residual_matrix(dense, np.ones(dense.shape[1], bool))
            _, c_old = cusum_matrix(r_old, 0.5, 4.0, "upper")
            r_new = nb_residual_matrix(dense, np.array([disp[str(ind)].for_area(str(a)) for a in mat.columns]))
            _, c_new = cusum_matrix(r_new, CUSUM_K, CUSUM_H, "upper")
            watched = ~np.isnan(r_old)
            months += int(watched.sum())
            old += int(c_old.sum())
            new += int(c_new.sum())
        years = months / 12
        out[label] = {"series-years": round(years, 1),
                      "old (k=0.5, h=4) per 10 years": 10 * old / max(years, 1),
                      f"calibrated (k={CUSUM_K}, h={CUSUM_H}) per 10 years": 10 * new / max(years, 1)}
    for mu in (0.5, 2.0, 10.0):  # stable Poisson series: the textbook case of the issue
        x = rng.poisson(mu, (36 + 120, 2000)).astype(float)
        _, _, r_old = residual_matrix(x, np.ones(x.shape[1], bool))
        _, c_old = cusum_matrix(r_old, 0.5, 4.0, "upper")
        _, c_new = cusum_matrix(nb_residual_matrix(x, np.zeros(x.shape[1])), CUSUM_K, CUSUM_H, "upper")
        out[f"stable Poisson({mu:g}/month), simulated"] = {
            "series-years": 2000 * 10.0,
            "old (k=0.5, h=4) per 10 years": float(c_old[36:].sum() / 2000),
            f"calibrated (k={CUSUM_K}, h={CUSUM_H}) per 10 years": float(c_new[36:].sum() / 2000),
            "old: share of series with an alarm in 10 years": float(c_old[36:].any(axis=0).mean()),
        }
    return out


def _fmt(x: float) -> str:
    return f"{100 * x:5.1f} %"


def main() -> None:
    from config import settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-share", type=float, default=25.0)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    t0 = time.perf_counter()
    series = real_area_series(settings().data_dir, args.min_share)
    n_areas = series["area_id"].nunique()
    print(f"Real series: {n_areas} areas of the 2025 list × {series['indicator_id'].nunique()} "
          f"offence types, {series['month'].min()}–{series['month'].max()}, "
          f"{int(series['value'].sum())} offences (DeSOs ≥ {args.min_share:g} % inside an area).")
    result = {"areas": n_areas, "tests": [], "band": None, "cusum": None}
    print("\nUnchanged cells (years drawn at random): share flagged; goal p < .05 ≤ 6 %")
    head = (f"{'comparison':38} {'cells':>6} {'p<.05 Poisson':>14} {'p<.05 NB':>9} "
            f"{'FDR Poisson':>12} {'FDR NB':>7}   {'×2 found NB (FDR)':>18} {'×3 found NB (FDR)':>18}")
    print(head)
    for kind in ("month", "tertial", "year"):
        for row in test_rows(series, kind, args.replicates, args.seed):
            n = row["null"]
            print(f"{row['series']:38} {n['cells']:>6} {_fmt(n['p<.05 Poisson']):>14} "
                  f"{_fmt(n['p<.05 NB']):>9} {_fmt(n['FDR Poisson']):>12} {_fmt(n['FDR NB']):>7}   "
                  f"{_fmt(row['planted_x2']['p<.05'])} ({_fmt(row['planted_x2']['FDR'])}) "
                  f"{_fmt(row['planted_x3']['p<.05'])} ({_fmt(row['planted_x3']['FDR'])})")
            for b, r in row["by_mean"].items():
                if r["cells"]:
                    print(f"{'   mean count ' + b:38} {r['cells']:>6} {_fmt(r['p<.05 Poisson']):>14} "
                          f"{_fmt(r['p<.05 NB']):>9}")
            if "consecutive" in row:
                c = row["consecutive"]
                print(f"{'   consecutive years (real changes too)':38} {c['cells']:>6} "
                      f"{_fmt(c['p<.05 Poisson']):>14} {_fmt(c['p<.05 NB']):>9} "
                      f"{_fmt(c['FDR Poisson']):>12} {_fmt(c['FDR NB']):>7}")
            result["tests"].append(row)
    print("\nSeasonal normal range: share of months inside (goal 95 %)")
    band = band_rows(series, args.seed)
    for label, r in band.items():
        print(f"  {label:16} {r['months']:>6} months   old band {_fmt(r['old band'])}   "
              f"prediction interval {_fmt(r['prediction interval'])}   | baseline mean ≥ 2: "
              f"{r['months, baseline mean ≥ 2']} months, old {_fmt(r['old band, mean ≥ 2'])}, "
              f"prediction interval {_fmt(r['prediction interval, mean ≥ 2'])}")
    result["band"] = band
    print("\nCUSUM false alarms per series and 10 years (goal < 1)")
    cus = cusum_rows(series, args.seed)
    for label, r in cus.items():
        print("  " + label + ": " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                              for k, v in r.items()))
    result["cusum"] = cus
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=float))


if __name__ == "__main__":
    main()
