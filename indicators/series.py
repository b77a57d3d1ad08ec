"""Monthly series for the trend chart: the seasonal baseline band of each month.

For each month, the baseline is the mean of the same calendar month in the previous ``years``
years. The band is the central 95 % range a month would fall in if nothing had changed: Poisson
quantiles of the baseline mean for counts; mean ± 1.96 sd of the baseline months otherwise.

>>> s = pd.DataFrame({"month": [f"{y}-01" for y in (2021, 2022, 2023, 2024)], "value": [4., 6., 5., 9.]})
>>> seasonal_band(s, "count").iloc[-1][["mean", "lo", "hi"]].tolist()
[5.0, 1.0, 10.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from indicators.calendar import parse_month


def seasonal_band(series: pd.DataFrame, unit: str, years: int = 3, level: float = 0.95) -> pd.DataFrame:
    """``month, mean, lo, hi, n_years`` for every month that has at least two baseline years."""
    s = series.dropna(subset=["value"])
    by_index = dict(zip((parse_month(m) for m in s["month"]), s["value"].astype(float), strict=True))
    rows = []
    for month in series["month"]:
        i = parse_month(month)
        base = [by_index[i - 12 * k] for k in range(1, years + 1) if (i - 12 * k) in by_index]
        if len(base) < 2:
            continue
        mean = float(np.mean(base))
        if unit == "count":
            lo, hi = stats.poisson.ppf([(1 - level) / 2, (1 + level) / 2], mean) if mean > 0 else (0.0, 0.0)
        else:
            sd = float(np.std(base, ddof=1))
            z = stats.norm.ppf((1 + level) / 2)
            lo, hi = mean - z * sd, mean + z * sd
        rows.append({"month": month, "mean": mean, "lo": float(lo), "hi": float(hi), "n_years": len(base)})
    return pd.DataFrame(rows, columns=["month", "mean", "lo", "hi", "n_years"])
