"""Mann–Kendall trend test, vectorised over many series (rows); equals ``pymannkendall.original_test``.

    S = Σ_{i<j} sign(x_j − x_i)
    Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18      (t: sizes of tied groups)
    Z = (S − 1)/√Var(S) if S > 0;  (S + 1)/√Var(S) if S < 0;  0 if S = 0
    p = 2 (1 − Φ(|Z|)),  tau = S / (n(n−1)/2)

>>> import numpy as np
>>> r = mann_kendall(np.array([[1.0, 2, 3, 4, 5], [5, 4, 3, 2, 1], [1, 1, 1, 1, 1]]))
>>> r["s"].tolist(), r["trend"].tolist()
([10.0, -10.0, 0.0], [1, -1, 0])
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def mann_kendall(x: np.ndarray, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Mann–Kendall test of each row of ``x`` (shape (m, n), no missing values).

    Returns
    -------
    dict of numpy.ndarray
        ``s``, ``var_s``, ``z``, ``p`` (two-sided), ``tau`` and ``trend`` (+1 significant
        increase, −1 significant decrease, 0 none, at level ``alpha``).
    """
    x = np.atleast_2d(np.asarray(x, dtype=float))
    if np.isnan(x).any():
        raise ValueError("mann_kendall: series contain NaN; fill or drop them first")
    m, n = x.shape
    iu, ju = np.triu_indices(n, k=1)
    s = np.empty(m)
    tie_sum = np.empty(m)
    step = max(1, 2_000_000 // max(n * n, 1))  # bound memory of the n × n comparisons
    for a in range(0, m, step):
        xs = x[a : a + step]
        s[a : a + step] = np.sign(xs[:, ju] - xs[:, iu]).sum(axis=1)
        # tie correction: an element of a tied group of size t adds f(t)/t = (t−1)(2t+5)
        ties = (xs[:, :, None] == xs[:, None, :]).sum(axis=2).astype(float)
        tie_sum[a : a + step] = ((ties - 1) * (2 * ties + 5)).sum(axis=1)
    var_s = (n * (n - 1) * (2 * n + 5) - tie_sum) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s > 0, (s - 1) / np.sqrt(var_s), np.where(s < 0, (s + 1) / np.sqrt(var_s), 0.0))
    z = np.where(np.isfinite(z), z, 0.0)
    p = 2 * (1 - stats.norm.cdf(np.abs(z)))
    significant = np.abs(z) > stats.norm.ppf(1 - alpha / 2)
    trend = np.where(significant, np.sign(z), 0).astype(int)
    tau = s / (0.5 * n * (n - 1)) if n > 1 else np.zeros(m)
    return {"s": s, "var_s": var_s, "z": z, "p": p, "tau": tau, "trend": trend}
