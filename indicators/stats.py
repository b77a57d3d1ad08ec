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


# --------------------------------------------------------------------------- negative binomial
# Real police counts vary from year to year more than a Poisson model allows (DOMAIN.md: 1.9–2.7×
# the Poisson variance). The tests below use the negative binomial (NB2) model: a count over one
# period has mean μ and variance μ + α μ²; a sum over ``n`` independent periods (e.g. the three
# baseline years) is NB with mean nμ and size n/α. ``α = 0`` is the Poisson model, and then every
# function here gives exactly its Poisson counterpart.
#: cells are processed in blocks of about this many (cell, x2) pairs (memory ~ 8 × 40 bytes each)
_NB_BLOCK = 400_000
#: probability mass left outside a window (each side)
_NB_TAIL = 1e-12
#: widest window of counts summed over (NB tails with a large α are long)
_NB_MAX_WIDTH = 20_000


def _nb_size_prob(mean: np.ndarray, size: np.ndarray) -> np.ndarray:
    """scipy's ``p`` of NB(size, p) with the given mean: ``size / (size + mean)``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return size / (size + mean)


def _nb_cdf(k: np.ndarray, size: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """P(X ≤ k) for X ~ NB(size, prob) (scipy parametrisation); 0 for k < 0, 1 for mean 0."""
    k = np.asarray(k, dtype=float)
    with np.errstate(invalid="ignore"):
        out = special.betainc(size, np.maximum(k, 0.0) + 1.0, prob)
    out = np.where(prob >= 1.0, 1.0, out)
    return np.where(k < 0, 0.0, out)


def _nb_sf_ge(k: np.ndarray, size: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """P(X ≥ k) for X ~ NB(size, prob), accurate far in the upper tail; 1 for k ≤ 0."""
    k = np.asarray(k, dtype=float)
    with np.errstate(invalid="ignore"):
        out = special.betainc(np.maximum(k, 1.0), size, 1.0 - prob)
    out = np.where(prob >= 1.0, 0.0, out)
    return np.where(k <= 0, 1.0, out)


def _nb_logpmf(x: np.ndarray, size: np.ndarray, prob: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            special.gammaln(x + size)
            - special.gammaln(size)
            - special.gammaln(x + 1.0)
            + size * np.log(prob)
            + special.xlogy(x, 1.0 - prob)
        )


def _nb_ppf(q: float, size: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """Quantile of NB(size, prob) (scipy's definition: smallest k with cdf ≥ q)."""
    return np.asarray(sps.nbinom.ppf(q, size, prob), dtype=float)


def _nb_stat(x1, x2, n1, n2, alpha) -> np.ndarray:
    """Standardised rate difference under the NB model with a pooled rate (0 where both are 0)."""
    lam = (x1 + x2) / (n1 + n2)
    var = (lam + alpha * lam * lam) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(var > 0, (x1 / n1 - x2 / n2) / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)


def _nb_first_at_least(t, x2, n1, n2, alpha, hi) -> np.ndarray:
    """Smallest integer x1 in [0, hi + 1] with stat(x1, x2) ≥ t (hi + 1: none in the window).

    The statistic increases with x1 for fixed x2 (its derivative is positive: see the module's
    tests), so a bisection over integers finds the crossing.
    """
    lo = np.zeros(np.broadcast(t, x2).shape)
    up = np.broadcast_to(hi + 1.0, lo.shape).astype(float).copy()
    ok_at_lo = _nb_stat(lo, x2, n1, n2, alpha) >= t
    for _ in range(int(np.ceil(np.log2(float(np.max(up)) + 2))) + 1):
        mid = np.floor((lo + up) / 2)
        ge = _nb_stat(mid, x2, n1, n2, alpha) >= t
        up = np.where(ge, mid, up)
        lo = np.where(ge, lo, mid)
    return np.where(ok_at_lo, 0.0, up)


def _nb_last_at_most(t, x2, n1, n2, alpha, hi) -> np.ndarray:
    """Largest integer x1 in [-1, hi] with stat(x1, x2) ≤ t (−1: none)."""
    # stat ≤ t  ⇔  not (stat > t): the first x1 with stat > t, minus one
    lo = np.full(np.broadcast(t, x2).shape, -1.0)
    up = np.broadcast_to(hi + 1.0, lo.shape).astype(float).copy()
    for _ in range(int(np.ceil(np.log2(float(np.max(up)) + 3))) + 1):
        mid = np.floor((lo + up) / 2)
        gt = _nb_stat(np.maximum(mid, 0.0), x2, n1, n2, alpha) > t
        gt = gt & (mid >= 0)
        up = np.where(gt, mid, up)
        lo = np.where(gt, lo, mid)
    return up - 1.0


def _nb_etest_block(y1, n1, y2, n2, alpha, alternative: str) -> np.ndarray:
    lam = (y1 + y2) / (n1 + n2)
    size1, size2 = n1 / alpha, n2 / alpha
    prob1 = _nb_size_prob(n1 * lam, size1)
    prob2 = _nb_size_prob(n2 * lam, size2)
    stat = _nb_stat(y1, y2, n1, n2, alpha)
    lo2 = _nb_ppf(_NB_TAIL, size2, prob2)
    hi2 = np.minimum(_nb_ppf(1 - _NB_TAIL, size2, prob2), lo2 + _NB_MAX_WIDTH - 1)
    hi1 = np.minimum(_nb_ppf(1 - _NB_TAIL, size1, prob1), _NB_MAX_WIDTH * 4.0)
    width = int((hi2 - lo2).max()) + 1

    def col(v: np.ndarray) -> np.ndarray:
        return np.asarray(v, dtype=float)[:, None]

    x2 = col(lo2) + np.arange(width)[None, :]
    inside = x2 <= col(hi2)
    w2 = np.where(inside, np.exp(_nb_logpmf(x2, col(size2), col(prob2))), 0.0)
    args = (col(n1), col(n2), col(alpha), col(hi1))
    eps = 1e-12
    if alternative == "two-sided":
        t = np.abs(stat) - eps
        first = _nb_first_at_least(col(t), x2, *args)
        last = _nb_last_at_most(col(-t), x2, *args)
        upper = _nb_sf_ge(first, col(size1), col(prob1))
        lower = _nb_cdf(last, col(size1), col(prob1))
        p = (w2 * (upper + lower)).sum(axis=1)
        p = np.where(t <= 0, 1.0, p)
    elif alternative == "larger":
        first = _nb_first_at_least(col(stat - eps), x2, *args)
        p = (w2 * _nb_sf_ge(first, col(size1), col(prob1))).sum(axis=1)
    else:
        last = _nb_last_at_most(col(stat + eps), x2, *args)
        p = (w2 * _nb_cdf(last, col(size1), col(prob1))).sum(axis=1)
    return np.clip(p, 0.0, 1.0)


def nb_etest(
    count1: object,
    exposure1: object,
    count2: object,
    exposure2: object,
    alpha: object,
    alternative: str = "two-sided",
) -> float | np.ndarray:
    """E-test of equal rates for negative binomial counts (vectorised).

    The E-test (Krishnamoorthy–Thomson; :func:`etest`) generalised to extra-Poisson variation:
    the statistic is the rate difference over its standard error under the NB2 model,
    ``(x1/n1 − x2/n2) / √((λ + αλ²)(1/n1 + 1/n2))`` with the pooled rate
    ``λ = (x1 + x2)/(n1 + n2)``, and the p-value is its exact tail probability when
    ``X1 ~ NB(n1 λ̂, size n1/α)`` and ``X2 ~ NB(n2 λ̂, size n2/α)`` (a parametric bootstrap
    computed exactly, as the Poisson E-test does). The second count's uncertainty – e.g. a
    baseline summed over three years – is part of the test.

    ``alpha = 0`` is the Poisson E-test itself (:func:`etest`, the same numbers bit for bit).

    Parameters
    ----------
    count1, count2 : array_like
        Counts in the current and the reference period.
    exposure1, exposure2 : array_like
        Number of periods each count is summed over (1 and 1 for last year, 1 and 3 for a
        three-year baseline).
    alpha : array_like
        NB2 dispersion of one period's count (≥ 0), e.g. from
        :func:`indicators.dispersion.estimate_dispersion`.
    alternative : {"two-sided", "larger", "smaller"}

    Returns
    -------
    float or ndarray
        p-values; NaN where an input is NaN or out of range. Zero in both periods gives 1.

    Examples
    --------
    >>> round(nb_etest(14, 1, 6, 1, 0.0), 4) == round(etest(14, 1, 6, 1), 4)
    True
    >>> round(nb_etest(14, 1, 6, 1, 0.3), 3)  # the same change, with year-to-year swings
    0.383
    """
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative {alternative!r}: expected one of {_ALTERNATIVES}")
    scalar, (y1, n1, y2, n2, a) = _arrays(count1, exposure1, count2, exposure2, alpha)
    shape = y1.shape
    y1, n1, y2, n2, a = (v.ravel() for v in (y1, n1, y2, n2, a))
    out = np.full(y1.shape, np.nan)
    ok = np.isfinite(y1 + y2 + n1 + n2 + a) & (y1 >= 0) & (y2 >= 0) & (n1 > 0) & (n2 > 0) & (a >= 0)
    pois = ok & (a == 0)
    if pois.any():
        out[pois] = etest(y1[pois], n1[pois], y2[pois], n2[pois], alternative)
    both_zero = ok & ~pois & (y1 == 0) & (y2 == 0)
    out[both_zero] = 1.0
    todo = np.flatnonzero(ok & ~pois & ~both_zero)
    if todo.size:
        keys = np.ascontiguousarray(np.stack([y1[todo], n1[todo], y2[todo], n2[todo], a[todo]], axis=1))
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        lam = (uniq[:, 0] + uniq[:, 2]) / (uniq[:, 1] + uniq[:, 3])
        m2 = uniq[:, 3] * lam
        # rough window width (sd of X2 × 14 + slack) to group cells of similar cost
        width = 14.0 * np.sqrt(m2 + uniq[:, 4] * m2 * m2 / uniq[:, 3]) + 40.0
        order = np.argsort(width, kind="stable")
        res = np.empty(len(uniq))
        start = 0
        while start < len(order):
            size = max(1, int(_NB_BLOCK // min(width[order[start:]].max(), _NB_MAX_WIDTH)))
            idx = order[start : start + size]
            u = uniq[idx]
            res[idx] = _nb_etest_block(u[:, 0], u[:, 1], u[:, 2], u[:, 3], u[:, 4], alternative)
            start += size
        out[todo] = res[np.asarray(inverse).ravel()]
    return _out(out.reshape(shape), scalar)


def nb_tail(count: object, mean: object, alpha: object, alternative: str = "larger") -> float | np.ndarray:
    """Tail probability of ``count`` when the count is NB with a known ``mean`` (e.g. a target).

    "larger": P(X ≥ count); "smaller": P(X ≤ count); "two-sided": ``min(1, 2·min(both))``.
    ``alpha = 0`` gives :func:`poisson_tail`.

    Examples
    --------
    >>> round(nb_tail(6, 1.5, 0.0), 4) == round(poisson_tail(6, 1.5, "larger"), 4)
    True
    >>> round(nb_tail(6, 1.5, 0.5), 3)
    0.027
    """
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative {alternative!r}: expected one of {_ALTERNATIVES}")
    scalar, (c, mu, a) = _arrays(count, mean, alpha)
    bad = ~np.isfinite(c + mu + a) | (c < 0) | (mu < 0) | (a < 0)
    c0 = np.where(bad, 0.0, np.floor(c))
    mu0 = np.where(bad, 1.0, mu)
    a0 = np.where(bad, 0.0, a)
    pois = a0 == 0
    size = np.where(pois, 1.0, 1.0 / np.where(pois, 1.0, a0))
    prob = _nb_size_prob(mu0, size)
    larger = np.where(pois, _sf_ge(c0, mu0), _nb_sf_ge(c0, size, prob))
    smaller = np.where(pois, _cdf_le(c0, mu0), _nb_cdf(c0, size, prob))
    if alternative == "larger":
        out = larger
    elif alternative == "smaller":
        out = smaller
    else:
        out = np.minimum(1.0, 2.0 * np.minimum(larger, smaller))
    return _out(np.where(bad, np.nan, out), scalar)


def nb_prediction_interval(
    baseline_total: object, years: object, alpha: object, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Prediction interval for next period's count from ``years`` baseline periods summing to
    ``baseline_total``, under the NB2 model with the baseline mean's own uncertainty.

    The centre is ``m = (total + ½) / years`` (the Jeffreys-prior mean of a Poisson rate: a
    baseline of zeros still leaves room for an event), the variance of a new count is
    ``v(m) (1 + 1/years)`` with ``v(m) = m + α m²``, and the limits are the quantiles of the
    negative binomial with that mean and variance (Poisson when the variance is not above the
    mean). Returns ``(centre, lo, hi)``; lo and hi are counts.

    Examples
    --------
    >>> c, lo, hi = nb_prediction_interval([0.0], [3], [0.0])
    >>> float(lo[0]), float(hi[0])
    (0.0, 2.0)
    """
    total = np.atleast_1d(np.asarray(baseline_total, dtype=float))
    k = np.atleast_1d(np.asarray(years, dtype=float))
    a = np.atleast_1d(np.asarray(alpha, dtype=float))
    total, k, a = np.broadcast_arrays(total, k, a)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = (total + 0.5) / k
        var = (m + a * m * m) * (1.0 + 1.0 / k)
        excess = var - m
        nb = excess > 1e-12
        size = np.where(nb, m * m / np.where(nb, excess, 1.0), 1.0)
        prob = _nb_size_prob(m, size)
    q_lo, q_hi = (1 - level) / 2, (1 + level) / 2
    lo = np.where(nb, sps.nbinom.ppf(q_lo, size, prob), sps.poisson.ppf(q_lo, m))
    hi = np.where(nb, sps.nbinom.ppf(q_hi, size, prob), sps.poisson.ppf(q_hi, m))
    bad = ~np.isfinite(m) | (k <= 0)
    return (np.where(bad, np.nan, total / np.where(k > 0, k, 1.0)),
            np.where(bad, np.nan, lo), np.where(bad, np.nan, hi))
