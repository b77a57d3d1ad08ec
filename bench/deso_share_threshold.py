"""Which DeSOs count for an area? The evidence for the share threshold, and the 25 % vs 50 % check.

A DeSO's offence count cannot be split between the area and the rest of the DeSO, so a DeSO counts
in full when at least a share ``t`` of it lies inside the area (``geodata.deso_series``). This prints

1. offences per 1,000 residents (pop. 2022) by the share of the DeSO inside any area of the 2025
   list, over every DeSO of the kommuner that have such an area, and a fit of
   ``count = pop × (a + b·share)`` (Poisson, identity link): ``r = (a + b) / a`` is how many times
   more offences a resident inside an area has than one outside. A DeSO's offences are then more
   likely inside the area than outside when ``share ≥ 1 / (1 + r)`` (equal residents per m² on both
   sides assumed), the break-even threshold; its 95 % interval comes from a bootstrap over DeSOs;
2. per threshold (5, 10, 25, 50, 75 %): the areas of the 2025 list with a real series and the
   offences counted;
3. per area of the 2025 list: the totals at 25 % and at 50 % and their ratio.

    python -m bench.deso_share_threshold [--boot 200] [--low 0.25] [--high 0.5]

Results in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd

from geodata.deso_series import build_real_series, read_deso_table, read_offence_counts

BINS = [-0.001, 0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0]


def fit_contrast(n: np.ndarray, pop: np.ndarray, share: np.ndarray) -> tuple[float, float]:
    """(a, b) of ``E[n] = pop·(a + b·share)`` by Poisson maximum likelihood (identity link)."""
    import statsmodels.api as sm

    X = np.column_stack([pop, pop * share])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the identity link's domain warning: the fit stays positive here
        res = sm.GLM(n, X, family=sm.families.Poisson(link=sm.families.links.Identity())).fit()
    return float(res.params[0]), float(res.params[1])


def main() -> None:
    from config import settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boot", type=int, default=200)
    ap.add_argument("--low", type=float, default=0.25)
    ap.add_argument("--high", type=float, default=0.5)
    args = ap.parse_args()
    data_dir = settings().data_dir
    counts = read_offence_counts(data_dir)
    built = {t: build_real_series(data_dir, t, counts=counts) for t in (0.05, 0.10, args.low, args.high, 0.75)}
    ref = built[args.low]

    # 1. offences per resident by share inside
    table = read_deso_table(data_dir)[["deso", "kommun_kod", "pop_2022"]]
    on_2025 = set(ref.basis.loc[ref.basis["list_year"] == 2025, "area_id"])
    sh = ref.shares[ref.shares["area_id"].isin(on_2025)]
    kommuner = set(table.loc[table["deso"].isin(sh["deso"]), "kommun_kod"])
    t = table[table["kommun_kod"].isin(kommuner)].copy()
    # share inside any area of the list (a DeSO in two areas: the sum of its shares)
    t["share"] = t["deso"].map(sh.groupby("deso")["share"].sum().clip(upper=1.0)).fillna(0.0)
    t["n"] = t["deso"].map(counts.counts.groupby("deso")["value"].sum()).fillna(0.0)
    t["bin"] = pd.cut(t["share"], BINS)
    g = t.groupby("bin", observed=True).agg(desos=("deso", "size"), offences=("n", "sum"), pop=("pop_2022", "sum"))
    g["per_1000"] = g["offences"] / g["pop"] * 1000
    windows = ", ".join(f"{k} {a}–{b}" for k, (a, b) in counts.windows.items())
    print(f"1. Offences per 1,000 residents by share of the DeSO inside any 2025 area "
          f"({len(t)} DeSOs in {len(kommuner)} kommuner; all five offence series within their windows: {windows})")
    print(g.to_string(float_format=lambda v: f"{v:.2f}"))
    pop = t["pop_2022"].to_numpy(float) / 1000
    n, s = t["n"].to_numpy(float), t["share"].to_numpy(float)
    a, b = fit_contrast(n, pop, s)
    r = (a + b) / a
    rng = np.random.default_rng(20251201)
    boot = []
    for _ in range(args.boot):
        i = rng.integers(0, len(t), len(t))
        ba, bb = fit_contrast(n[i], pop[i], s[i])
        boot.append(ba / (2 * ba + bb))
    lo, hi = np.percentile(boot, [2.5, 97.5])
    print(f"\nfit: outside {a:.2f}, inside {a + b:.2f} per 1,000 residents; r = {r:.2f}; "
          f"break-even share 1/(1+r) = {1 / (1 + r):.3f} (95 % bootstrap interval {lo:.3f}–{hi:.3f}, {args.boot} resamples)")

    # 2. per threshold
    n_areas = {}
    print("\n2. Areas of the 2025 list with a real series, and offences counted, per threshold")
    print(f"{'threshold':>9} {'areas':>6} {'offences':>9}")
    for thr, rs in sorted(built.items()):
        b25 = rs.basis[rs.basis["list_year"] == 2025]
        ids = set(b25.loc[b25["status"] == "real", "series_id"])
        n_areas[thr] = len(ids)
        total = rs.values.loc[rs.values["area_id"].isin(ids), "value"].sum()
        print(f"{thr:>9.2f} {len(ids):>6d} {total:>9,.0f}")

    # 3. per area, low vs high
    lo_rs, hi_rs = built[args.low], built[args.high]
    names = lo_rs.basis[lo_rs.basis["list_year"] == 2025][["area_id", "note_en"]]
    from geodata.reference_areas import load_reference_areas

    areas = load_reference_areas(data_dir).areas
    nm = areas[areas["list_year"] == 2025].set_index("area_id")["name"]

    def totals(rs):
        b25 = rs.basis[(rs.basis["list_year"] == 2025) & (rs.basis["status"] == "real")]
        v = rs.values[rs.values["area_id"].isin(set(b25["series_id"]))]
        return v.groupby("area_id")["value"].sum(), b25.set_index("area_id")["deso_count"]

    (tl, dl), (th, dh) = totals(lo_rs), totals(hi_rs)
    rows = pd.DataFrame({"area": [nm.get(i, i) for i in names["area_id"]], "id": names["area_id"].to_numpy()})
    rows[f"desos_{args.low:.0%}"] = rows["id"].map(dl).fillna(0).astype(int)
    rows[f"total_{args.low:.0%}"] = rows["id"].map(tl)
    rows[f"desos_{args.high:.0%}"] = rows["id"].map(dh).fillna(0).astype(int)
    rows[f"total_{args.high:.0%}"] = rows["id"].map(th)
    rows["ratio"] = rows[f"total_{args.high:.0%}"] / rows[f"total_{args.low:.0%}"]
    print(f"\n3. Per area of the 2025 list: totals (all five offence series) at {args.low:.0%} and {args.high:.0%}")
    print(rows.sort_values("ratio", na_position="first").to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    both = rows.dropna(subset=["ratio"])
    print(f"\nsummary: {n_areas[args.low]} areas at {args.low:.0%}, {n_areas[args.high]} at {args.high:.0%}; "
          f"of the {len(both)} with both, {int((both['ratio'] == 1).sum())} identical, median ratio "
          f"{both['ratio'].median():.2f}, {int((both['ratio'] < 0.75).sum())} below 0.75, "
          f"{int((both['ratio'] < 0.5).sum())} below 0.5")


if __name__ == "__main__":
    main()
