"""The weekly flag (EST, issue 14): a rare event type in one area this week against the area's own
baseline, tested with the engine's count models and FDR across the week's table.

For each (unit, type) — a unit is an area — the week's count ``c`` is compared with the area's own
mean weekly count over the ``baseline_weeks`` weeks before it (``m = (total + ½) / n``: the Jeffreys
mean, so a baseline of zeros still leaves room for an event). The tail ``P(X ≥ c)`` comes from
:func:`indicators.stats.nb_tail` with the NB2 dispersion α the engine estimates for that event type
on weekly counts (:func:`indicators.dispersion.fit_pairs` on pairs of a week and the same week a year
earlier, built by :func:`indicators.dispersion.window_pairs`; an area's own larger α through
:meth:`~indicators.dispersion.Dispersion.for_area`); α = 0 is the exact Poisson tail. The week's
p-values are adjusted by Benjamini–Hochberg over the whole table (:func:`indicators.fdr.benjamini_hochberg`),
and a row is flagged when its adjusted p is at most ``q`` and the week holds at least ``min_count``
events (one event against a zero baseline is not a signal).

>>> import pandas as pd
>>> rows = [("a", "skott", w, 0) for w in range(1, 30)] + [("a", "skott", 30, 4)]
>>> counts = pd.DataFrame(rows, columns=["unit", "type", "week", "count"])
>>> counts["week"] = counts["week"].map("2025-W{:02d}".format)
>>> t = weekly_flags(counts, "2025-W30", baseline_weeks=26)
>>> bool(t.loc[0, "flag"]), t.loc[0, "test"]
(True, 'poisson')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.calendar import parse_period, previous_weeks
from indicators.dispersion import Dispersion, area_alphas, fit_pairs, window_pairs
from indicators.fdr import benjamini_hochberg
from indicators.stats import nb_tail

#: weeks of the area's own history the mean is taken from
BASELINE_WEEKS = 52
#: false discovery rate of the week's table
FDR_Q = 0.05
#: at least this many events in the week before a row can be flagged
MIN_COUNT = 2

FLAG_COLUMNS = ["unit", "type", "week", "count", "baseline_mean", "baseline_weeks", "alpha", "test",
                "p", "p_adjusted", "flag"]


def weekly_matrix(counts: pd.DataFrame, weeks: list[str]) -> tuple[pd.MultiIndex, np.ndarray]:
    """(unit, type) × ``weeks`` matrix of counts (0 where a week has no row: events are counted
    from dated records, a week without a record had none)."""
    keys = pd.MultiIndex.from_frame(counts[["unit", "type"]].astype(str)).unique()
    mat = np.zeros((len(keys), len(weeks)))
    if len(counts):
        col = pd.Index(weeks).get_indexer(counts["week"].astype(str))
        row = keys.get_indexer(pd.MultiIndex.from_frame(counts[["unit", "type"]].astype(str)))
        ok = col >= 0
        np.add.at(mat, (row[ok], col[ok]), counts["count"].to_numpy(dtype=float)[ok])
    return keys, mat


def weekly_dispersion(counts: pd.DataFrame, week: str, history_weeks: int = 3 * 52) -> dict[str, Dispersion]:
    """α per event type for one week's counts, from pairs (week, the same week a year earlier) of
    every unit over the ``history_weeks`` weeks before ``week`` (the engine's conditional estimator)."""
    weeks = [p.label for p in reversed(previous_weeks(week, history_weeks))]
    keys, mat = weekly_matrix(counts, weeks)
    out: dict[str, Dispersion] = {}
    types = keys.get_level_values(1)
    units = keys.get_level_values(0)
    for kind in pd.unique(types):
        rows = np.flatnonzero(types == kind)
        cur, prev, r = window_pairs(mat[rows], 1, lag=52, return_rows=True)
        fit = fit_pairs(cur, prev)
        own = area_alphas(cur, prev, r, len(rows))
        by_area = {str(units[rows[i]]): float(a) for i, a in enumerate(own) if a > fit.alpha}
        out[str(kind)] = Dispersion(fit.alpha, fit.alpha_mle, fit.lr, fit.pairs, fit.variance_ratio, 0, by_area)
    return out


def weekly_flags(
    counts: pd.DataFrame,
    week: str,
    baseline_weeks: int = BASELINE_WEEKS,
    dispersion: dict[str, Dispersion] | None = None,
    q: float = FDR_Q,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """The week's table: every (unit, type) with events in the week or its baseline, tested.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``unit, type, week, count`` (weeks as ``YYYY-Www``), holding at least the week and the
        ``baseline_weeks`` before it.
    dispersion : dict, optional
        ``{type: Dispersion}`` (default: :func:`weekly_dispersion` of ``counts``).

    Returns
    -------
    pandas.DataFrame
        :data:`FLAG_COLUMNS`, most surprising first. ``test`` is ``negbin`` or ``poisson``.
    """
    label = parse_period(week).label
    base = [p.label for p in reversed(previous_weeks(label, baseline_weeks))]
    keys, mat = weekly_matrix(counts, [*base, label])
    if not len(keys):
        return pd.DataFrame(columns=FLAG_COLUMNS)
    disp = dispersion if dispersion is not None else weekly_dispersion(counts, label)
    now, hist = mat[:, -1], mat[:, :-1]
    keep = (now > 0) | (hist.sum(axis=1) > 0)
    keys, now, hist = keys[keep], now[keep], hist[keep]
    mean = (hist.sum(axis=1) + 0.5) / baseline_weeks
    units, types = keys.get_level_values(0).astype(str), keys.get_level_values(1).astype(str)
    alpha = np.array([disp[t].for_area(u) if t in disp else 0.0 for u, t in zip(units, types, strict=True)])
    p = np.where(now > 0, np.asarray(nb_tail(now, mean, alpha, "larger"), dtype=float), 1.0)
    p_adj = benjamini_hochberg(p)
    out = pd.DataFrame({
        "unit": units, "type": types, "week": label, "count": now.astype(int),
        "baseline_mean": mean, "baseline_weeks": baseline_weeks, "alpha": alpha,
        "test": np.where(alpha > 0, "negbin", "poisson"), "p": p, "p_adjusted": p_adj,
        "flag": (p_adj <= q) & (now >= min_count),
    })
    return out.sort_values(["p", "unit", "type"], kind="mergesort").reset_index(drop=True)[FLAG_COLUMNS]
