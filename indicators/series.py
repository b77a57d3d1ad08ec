"""Monthly series for the trend chart: the seasonal normal range of each month.

For each month, the baseline is the same calendar month in the previous ``years`` years. The
normal range is a **prediction interval**: the range a new month falls in with probability
``level`` if nothing has changed, counting both the month's own variation and the uncertainty of
a baseline estimated from two or three years.

* counts: quantiles of the negative binomial with the indicator's monthly dispersion α
  (:func:`indicators.stats.nb_prediction_interval`; Poisson when α = 0); a baseline of zeros
  still allows an event or two;
* other units: ``mean ± t(k − 1) · s · √(1 + 1/k)``.

``python -m bench.calibration`` measures how many real months fall inside (goal 95 %).

>>> s = pd.DataFrame({"month": [f"{y}-01" for y in (2021, 2022, 2023, 2024)], "value": [4., 6., 5., 9.]})
>>> [float(x) for x in seasonal_band(s, "count").iloc[-1][["mean", "lo", "hi"]]]
[5.0, 1.0, 11.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from indicators.calendar import parse_month
from indicators.stats import nb_prediction_interval


def seasonal_band(series: pd.DataFrame, unit: str, years: int = 3, level: float = 0.95,
                  alpha: float = 0.0) -> pd.DataFrame:
    """``month, mean, lo, hi, n_years`` for every month that has at least two baseline years.

    ``alpha``: the indicator's monthly NB dispersion (counts only).
    """
    s = series.dropna(subset=["value"])
    by_index = dict(zip((parse_month(m) for m in s["month"]), s["value"].astype(float), strict=True))
    rows = []
    for month in series["month"]:
        i = parse_month(month)
        base = [by_index[i - 12 * k] for k in range(1, years + 1) if (i - 12 * k) in by_index]
        if len(base) < 2:
            continue
        k = len(base)
        mean = float(np.mean(base))
        if unit == "count":
            _, lo_a, hi_a = nb_prediction_interval(sum(base), k, alpha, level)
            lo, hi = float(lo_a[0]), float(hi_a[0])
        else:
            sd = float(np.std(base, ddof=1))
            half = stats.t.ppf((1 + level) / 2, k - 1) * sd * np.sqrt(1 + 1 / k)
            lo, hi = mean - half, mean + half
        rows.append({"month": month, "mean": mean, "lo": lo, "hi": hi, "n_years": k})
    return pd.DataFrame(rows, columns=["month", "mean", "lo", "hi", "n_years"])
