"""Change statistics for two periods and against a seasonal baseline (vectorised).

Every function takes scalars or array-likes and broadcasts; scalars in give a float out, arrays in
give an ``ndarray`` out. NaN in any input gives NaN out (a missing value is never read as zero);
callers turn NaN into ``None`` with a reason.

Edge cases, on purpose:

* **zero in both periods** – difference 0, percent change undefined (NaN), Poisson z 0, E-test
  p = 1 (nothing happened in either period, there is no evidence of change);
* **zero before and some after** – percent change undefined (NaN, never "+inf %"); the Poisson z
  and the E-test are well defined (E-test 5 vs 0: p ≈ 0.020);
* **zero baseline mean** – the Poisson tail probability of any event is 0, which says nothing
  useful; :func:`poisson_tail` returns the mathematical value and the table code falls back to the
  E-test against the three-year total instead (see :mod:`indicators.table`).

>>> round(etest(14, 1, 6, 1), 4)
0.0791
>>> round(poisson_z(14, 6), 3)
2.584
>>> percent_change(5, 0)
nan
"""

from __future__ import annotations

import numpy as np
from scipy import special
from scipy import stats as sps

_ALTERNATIVES = ("two-sided", "larger", "smaller")


def _arrays(*args: object) -> tuple[bool, list[np.ndarray]]:
    scalar = all(np.ndim(a) == 0 for a in args)
    arrs = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
    return scalar, [np.array(a, dtype=float, copy=True) for a in arrs]


def _out(x: np.ndarray, scalar: bool) -> float | np.ndarray:
    return float(x) if scalar else np.asarray(x, dtype=float)


# --------------------------------------------------------------------------- descriptive
def difference(current: object, previous: object) -> float | np.ndarray:
    """``current − previous``."""
    scalar, (c, p) = _arrays(current, previous)
    return _out(c - p, scalar)


def percent_change(current: object, previous: object) -> float | np.ndarray:
    """``100 (current − previous) / previous``; NaN when ``previous`` is 0 or missing.

    Descriptive only: on small counts it misleads (9 → 16 is +78 % and usually noise), so no RAG
    decision uses it.
    """
    scalar, (c, p) = _arrays(current, previous)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(p != 0, 100.0 * (c - p) / p, np.nan)
    return _out(out, scalar)


def poisson_z(current: object, reference: object) -> float | np.ndarray:
    """Variance-stabilised Poisson z-score ``2 (√C − √R)``.

    ``R`` is the previous count, or the baseline mean per year. For a known reference mean the
    score is ≈ N(0, 1) under "no change"; for two observed counts its null variance is ≈ 2, so use
    it to rank and describe, and use :func:`etest` to decide. Zero in both periods gives 0.
    """
    scalar, (c, r) = _arrays(current, reference)
    with np.errstate(invalid="ignore"):
        out = np.where((c < 0) | (r < 0), np.nan, 2.0 * (np.sqrt(np.abs(c)) - np.sqrt(np.abs(r))))
    return _out(out, scalar)


# --------------------------------------------------------------------------- E-test
def _score(x1: np.ndarray, x2: np.ndarray, r_d: np.ndarray) -> np.ndarray:
    # Exactly the expression statsmodels uses, so ties at the boundary are decided identically.
    with np.errstate(invalid="ignore"):
        return (x1 - x2 * r_d) / np.sqrt((x1 + x2) * r_d + 1e-20)


def _roots(t: np.ndarray, x2: np.ndarray, r_d: np.ndarray) -> np.ndarray:
    """Real x1 with score(x1, x2) = t; the score is strictly increasing in x1."""
    a = x2 * r_d
    q = t * t * r_d
    disc = np.sqrt(q * q + 4.0 * q * (a + x2))
    return np.where(t >= 0, (2 * a + q + disc) / 2.0, (2 * a + q - disc) / 2.0)


def _first_at_least(t: np.ndarray, x2: np.ndarray, r_d: np.ndarray) -> np.ndarray:
    """Smallest integer x1 ≥ 0 with score(x1, x2) ≥ t."""
    u = np.maximum(np.ceil(_roots(t, x2, r_d)), 0.0)
    down = (u >= 1) & (_score(u - 1, x2, r_d) >= t)
    u = np.where(down, u - 1, u)
    up = _score(u, x2, r_d) < t
    return np.where(up, u + 1, u)


def _last_at_most(t: np.ndarray, x2: np.ndarray, r_d: np.ndarray) -> np.ndarray:
    """Largest integer x1 with score(x1, x2) ≤ t (−1 when none is ≥ 0)."""
    lo = np.floor(_roots(t, x2, r_d))
    lo = np.maximum(lo, -1.0)
    up = _score(lo + 1, x2, r_d) <= t
    lo = np.where(up, lo + 1, lo)
    down = (lo >= 0) & (_score(np.maximum(lo, 0), x2, r_d) > t)
    return np.where(down, lo - 1, lo)


def _sf_ge(k: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """P(X ≥ k) for X ~ Poisson(mean); 1 for k ≤ 0."""
    with np.errstate(invalid="ignore"):
        return np.where(k <= 0, 1.0, special.pdtrc(np.maximum(k - 1, 0), mean))


def _cdf_le(k: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """P(X ≤ k) for X ~ Poisson(mean); 0 for k < 0."""
    with np.errstate(invalid="ignore"):
        return np.where(k < 0, 0.0, special.pdtr(np.maximum(k, 0), mean))


def _pmf(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Poisson pmf on non-negative integer ``x`` (no scipy.stats overhead; log-factorials from a
    lookup table)."""
    xi = x.astype(np.int64)
    table = special.gammaln(np.arange(int(xi.max()) + 2, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.exp(special.xlogy(x, mean) - mean - table[xi + 1])


def _window(mean: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer window ``[lo, lo + width)`` holding all but ~1e-16 of Poisson(mean)."""
    sd = np.sqrt(mean)
    lo = np.maximum(np.floor(mean - 9.0 * sd - 5.0), 0.0)
    hi = np.ceil(mean + 9.0 * sd + 20.0)
    return lo, int((hi - lo).max()) + 1


def _etest_block(y1, n1, y2, n2, alternative: str) -> np.ndarray:
    d = n2 / n1
    r_d = 1.0 / d
    rate2 = (y1 + y2) / n2 / (1 + r_d)
    mean1, mean2 = n1 * rate2, n2 * rate2
    stat = _score(y1, y2, r_d)

    def col(v: np.ndarray) -> np.ndarray:
        return v[:, None]

    # distribution of the second count on its window
    lo2, w2n = _window(mean2)
    x2 = col(lo2) + np.arange(w2n)[None, :]
    w2 = _pmf(x2, col(mean2))
    # cdf and upper tail of the first count, tabulated on its window
    lo1, w1n = _window(mean1)
    pmf1 = _pmf(col(lo1) + np.arange(w1n)[None, :], col(mean1))
    cdf1 = np.cumsum(pmf1, axis=1)
    sf1 = np.cumsum(pmf1[:, ::-1], axis=1)[:, ::-1]

    def p_ge(k: np.ndarray) -> np.ndarray:
        idx = (k - col(lo1)).astype(np.int64)
        got = np.take_along_axis(sf1, np.clip(idx, 0, w1n - 1), axis=1)
        return np.where(idx <= 0, 1.0, np.where(idx >= w1n, 0.0, got))

    def p_le(k: np.ndarray) -> np.ndarray:
        idx = (k - col(lo1)).astype(np.int64)
        got = np.take_along_axis(cdf1, np.clip(idx, 0, w1n - 1), axis=1)
        return np.where(idx < 0, 0.0, np.where(idx >= w1n - 1, 1.0, got))

    eps = 1e-15
    if alternative == "two-sided":
        t = np.abs(stat) - eps
        upper = p_ge(_first_at_least(col(t), x2, col(r_d)))
        lower = p_le(_last_at_most(col(-t), x2, col(r_d)))
        p = (w2 * (upper + lower)).sum(axis=1)
        p = np.where(t <= 0, 1.0, p)
    elif alternative == "larger":
        p = (w2 * p_ge(_first_at_least(col(stat - eps), x2, col(r_d)))).sum(axis=1)
    else:
        p = (w2 * p_le(_last_at_most(col(stat + eps), x2, col(r_d)))).sum(axis=1)
    return np.clip(p, 0.0, 1.0)


def etest(
    count1: object,
    exposure1: object,
    count2: object,
    exposure2: object,
    alternative: str = "two-sided",
) -> float | np.ndarray:
    """Poisson E-test (Krishnamoorthy–Thomson) of equal rates, score statistic, vectorised.

    Same hypothesis and statistic as ``statsmodels.stats.rates.test_poisson_2indep(count1,
    exposure1, count2, exposure2, method="etest")`` (H0: rate1 = rate2), and the same p-value to
    ~1e-12: instead of summing over a square grid of both counts, it sums over the second count
    only and, using that the score is monotone in the first count, takes the rejection region's
    mass from the Poisson cdf in closed form. That makes a whole table (thousands of cells) cost
    a few milliseconds.

    Parameters
    ----------
    count1, count2 : array_like
        Counts in the current and the reference period (non-negative).
    exposure1, exposure2 : array_like
        Exposures (e.g. 1 and 1 for "same period last year", 1 and 3 for "sum of the previous three
        years' same months"). Must be positive.
    alternative : {"two-sided", "larger", "smaller"}
        "larger": rate1 > rate2.

    Returns
    -------
    float or ndarray
        p-values; NaN where an input is NaN, negative or an exposure is not positive. Zero in both
        periods gives p = 1.

    Examples
    --------
    >>> round(etest(5, 1, 0, 1), 4)
    0.0198
    >>> etest(0, 1, 0, 1)
    1.0
    """
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative {alternative!r}: expected one of {_ALTERNATIVES}")
    scalar, (y1, n1, y2, n2) = _arrays(count1, exposure1, count2, exposure2)
    shape = y1.shape
    y1, n1, y2, n2 = (a.ravel() for a in (y1, n1, y2, n2))
    out = np.full(y1.shape, np.nan)
    ok = np.isfinite(y1 + y2 + n1 + n2) & (y1 >= 0) & (y2 >= 0) & (n1 > 0) & (n2 > 0)
    both_zero = ok & (y1 == 0) & (y2 == 0)
    out[both_zero] = 1.0
    todo = np.flatnonzero(ok & ~both_zero)
    if todo.size:
        # Deduplicate identical cells, then process in blocks of similar window width.
        keys = np.ascontiguousarray(np.stack([y1[todo], n1[todo], y2[todo], n2[todo]], axis=1))
        _, first, inverse = np.unique(
            keys.view(np.dtype((np.void, keys.dtype.itemsize * 4))).ravel(),
            return_index=True,
            return_inverse=True,
        )
        uniq = keys[first]
        mean1 = uniq[:, 1] * (uniq[:, 0] + uniq[:, 2]) / (uniq[:, 1] + uniq[:, 3])
        mean2 = uniq[:, 3] * (uniq[:, 0] + uniq[:, 2]) / (uniq[:, 1] + uniq[:, 3])
        width = 18.0 * np.sqrt(np.maximum(mean1, mean2)) + 30.0
        if len(uniq) <= 64:
            bucket = np.zeros(len(uniq))  # small job: one block, least overhead
        else:
            bucket = np.floor(np.log2(width) * 2)  # widths within a factor √2 share a block
        res = np.empty(len(uniq))
        for b in np.unique(bucket):
            members = np.flatnonzero(bucket == b)
            size = max(1, int(1_000_000 // width[members].max()))
            for start in range(0, len(members), size):
                idx = members[start : start + size]
                u = uniq[idx]
                res[idx] = _etest_block(u[:, 0], u[:, 1], u[:, 2], u[:, 3], alternative)
        out[todo] = res[inverse.ravel()]
    out = out.reshape(shape)
    return _out(out, scalar)


# --------------------------------------------------------------------------- against a baseline
def poisson_tail(count: object, mean: object, alternative: str = "two-sided") -> float | np.ndarray:
    """Poisson tail probability of ``count`` under ``Poisson(mean)`` (the seasonal baseline mean).

    "larger": P(X ≥ count); "smaller": P(X ≤ count); "two-sided": ``min(1, 2·min(both))``.
    Meant for rare indicators (shootings, explosions), where a normal approximation fails.
    A zero mean gives P(X ≥ c) = 0 for c ≥ 1 (see the module docstring for why the table code
    does not use it then).

    Examples
    --------
    >>> round(poisson_tail(6, 1.5, "larger"), 4)
    0.0045
    """
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative {alternative!r}: expected one of {_ALTERNATIVES}")
    scalar, (c, mu) = _arrays(count, mean)
    bad = ~np.isfinite(c + mu) | (c < 0) | (mu < 0)
    c0, mu0 = np.where(bad, 0.0, np.floor(c)), np.where(bad, 1.0, mu)
    larger = _sf_ge(c0, mu0)
    smaller = _cdf_le(c0, mu0)
    if alternative == "larger":
        out = larger
    elif alternative == "smaller":
        out = smaller
    else:
        out = np.minimum(1.0, 2.0 * np.minimum(larger, smaller))
    out = np.where(bad, np.nan, out)
    return _out(out, scalar)


def baseline_stats(baseline: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, sample variance (ddof 1) and number of non-NaN years of a baseline matrix.

    Parameters
    ----------
    baseline : ndarray, shape (n_cells, n_years)
        Period totals of the reference years (NaN: year not available).
    """
    b = np.atleast_2d(np.asarray(baseline, dtype=float))
    n = (~np.isnan(b)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(b, axis=1) / np.maximum(n, 1), np.nan)
        dev = np.where(np.isnan(b), 0.0, b - mean[:, None])
        var = np.where(n >= 2, (dev**2).sum(axis=1) / np.maximum(n - 1, 1), np.nan)
    return mean, var, n


def baseline_z(current: object, baseline: np.ndarray, poisson: bool = True) -> np.ndarray:
    """z-score of the current period against the seasonal baseline (previous years' same months).

    ``z = (C − mean) / sd``. For counts (``poisson=True``) ``sd = √max(mean, s²)``: Poisson noise,
    or the year-to-year spread ``s²`` when that is larger (over-dispersion); with a single
    baseline year it is √mean. For other units ``sd = s`` (needs two or more years).
    NaN when the sd is 0 or unavailable (e.g. zero baseline for a count: no scale to measure by).

    Examples
    --------
    >>> baseline_z([14.0], np.array([[6.0, 5.0, 7.0]])).round(3)
    array([3.266])
    """
    c = np.asarray(current, dtype=float).ravel()
    mean, var, n = baseline_stats(baseline)
    if poisson:
        sd = np.sqrt(np.fmax(mean, var))
    else:
        sd = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((sd > 0) & np.isfinite(sd), (c - mean) / sd, np.nan)


def prediction_t(current: object, baseline: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided t-test of a new value against ``k`` baseline years (prediction interval).

    ``t = (C − mean) / (s √(1 + 1/k))`` with ``k − 1`` degrees of freedom, for non-count units
    (hours, shares, rates) where a Poisson model does not apply. NaN when ``k < 2`` or ``s = 0``.

    Returns
    -------
    t, p : ndarray
    """
    c = np.asarray(current, dtype=float).ravel()
    mean, var, n = baseline_stats(baseline)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(var * (1.0 + 1.0 / n))
        t = np.where((se > 0) & (n >= 2), (c - mean) / se, np.nan)
    p = 2.0 * sps.t.sf(np.abs(t), np.maximum(n - 1, 1))
    return t, np.where(np.isnan(t), np.nan, p)


def difference_t(
    current: object, previous: object, baseline: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided t-test of ``current − previous`` using the baseline years' spread as the scale.

    ``t = (C − P) / (s √2)`` with ``k − 1`` degrees of freedom, where ``s`` is the sample sd of the
    ``k`` baseline years (which include last year). For non-count units in the "same period last
    year" comparison. NaN when ``k < 2`` or ``s = 0``.
    """
    c = np.asarray(current, dtype=float).ravel()
    p_ = np.asarray(previous, dtype=float).ravel()
    _, var, n = baseline_stats(baseline)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(2.0 * var)
        t = np.where((se > 0) & (n >= 2), (c - p_) / se, np.nan)
    p = 2.0 * sps.t.sf(np.abs(t), np.maximum(n - 1, 1))
    return t, np.where(np.isnan(t), np.nan, p)
