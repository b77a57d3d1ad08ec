"""Benjamini–Hochberg false discovery rate control.

>>> import numpy as np
>>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2])).round(3).tolist()
[0.04, 0.053, 0.053, 0.2]
"""

from __future__ import annotations

import numpy as np


def benjamini_hochberg(p_values: np.ndarray | list[float]) -> np.ndarray:
    """BH-adjusted p-values (q-values); NaN inputs stay NaN and do not count in the family.

    Equals ``statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]`` on the non-NaN
    entries.
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    mask = ~np.isnan(p)
    m = int(mask.sum())
    if m == 0:
        return out
    pv = p[mask]
    order = np.argsort(pv, kind="mergesort")
    ranked = pv[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.clip(adjusted, 0.0, 1.0)
    result = np.empty(m)
    result[order] = adjusted
    out[mask] = result
    return out
