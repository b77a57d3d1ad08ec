"""How much more than Poisson an indicator's counts vary from year to year (NB2 dispersion α).

Real police series swing from year to year more than a Poisson model allows (``DOMAIN.md``). The
tests of :mod:`indicators.stats` (:func:`~indicators.stats.nb_etest`, :func:`~indicators.stats.nb_tail`)
take that into account through the dispersion α of the negative binomial model
``Var = μ + α μ²`` of one period's count. This module estimates α per indicator from the history
in the store, pooled over areas, for the period length being tested (a month, a tertial, a year).

Estimator
---------
For every area and every window of ``n`` consecutive complete months, the count ``C`` is paired with
the count ``P`` of the same window one year earlier. Under "no change" both are NB with the same
mean and the same α, and then ``C`` given ``C + P = s`` is **beta-binomial**(s, 1/α, 1/α) whatever
the (unknown, area-specific) mean: maximising this conditional likelihood over α estimates the
dispersion without estimating a single mean (the nuisance parameters cancel, as in the conditional
binomial test of two Poisson counts). ``α = 0`` is the Poisson model, the limit of the
beta-binomial; a likelihood-ratio test (one-sided, at 5 %: statistic ≥ 2.71) decides whether the
data show extra variance at all, and where they do not, α is 0 and the tests are the exact Poisson
tests.

>>> rng = np.random.default_rng(1)
>>> mu = rng.uniform(2, 30, 4000)
>>> c = rng.negative_binomial(1 / 0.3, 1 / (1 + 0.3 * mu))
>>> p = rng.negative_binomial(1 / 0.3, 1 / (1 + 0.3 * mu))
>>> round(fit_pairs(c, p).alpha, 2)
0.31
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special

from indicators.calendar import parse_month

#: LR statistic above which extra variance is taken as shown (χ²₁ boundary test at 5 %: 2·1.353)
LR_CRITICAL = 2.706
#: the largest α considered (counts with more dispersion than this are not counts of events)
ALPHA_MAX = 50.0


@dataclass(frozen=True)
class Dispersion:
    """The dispersion of one indicator for one period length.

    Attributes
    ----------
    alpha : float
        NB2 dispersion used by the tests (0: Poisson, no extra variance shown).
    alpha_mle : float
        The maximum-likelihood estimate before the likelihood-ratio check.
    lr : float
        Likelihood-ratio statistic of α = α̂ against α = 0.
    pairs : int
        Year-to-year pairs with at least one event (the ones that carry information).
    variance_ratio : float
        Σ(C − P)² / Σ(C + P): how many times the Poisson variance the pairs vary (descriptive).
    n_months : int
        Window length the pairs were built from.
    by_area : dict
        The area's own α where its history shows more extra variance than the pooled estimate
        (likelihood-ratio test against Poisson at 5 %, at least 3 informative pairs); a test of
        that area uses ``max(alpha, by_area[area])`` (:meth:`for_area`).
    """

    alpha: float
    alpha_mle: float
    lr: float
    pairs: int
    variance_ratio: float
    n_months: int
    by_area: dict = field(default_factory=dict, compare=False, repr=False)

    def for_area(self, area_id: str) -> float:
        """The α a test of ``area_id`` uses: the pooled one, or the area's own when larger (real
        series differ between areas in how much they swing: a few swing far more than the pool)."""
        return max(self.alpha, float(self.by_area.get(str(area_id), 0.0)))

    @property
    def model(self) -> str:
        """``"negbin"`` or ``"poisson"``."""
        return "negbin" if self.alpha > 0 else "poisson"


def _bb_loglik(c: np.ndarray, s: np.ndarray, a: float, b: np.ndarray | float,
               w: np.ndarray) -> float:
    """Σ w log P(C = c | C + P = s) for C|s ~ beta-binomial(s, a, b), without the binomial
    coefficient (constant in α); ``w`` counts repeated pairs."""
    return float((w * (special.betaln(c + a, s - c + b) - special.betaln(a, b))).sum())


def _binom_loglik(c: np.ndarray, s: np.ndarray, share: np.ndarray, w: np.ndarray) -> float:
    """The α → 0 limit: C|s ~ binomial(s, share), without the binomial coefficient."""
    return float((w * (special.xlogy(c, share) + special.xlogy(s - c, 1.0 - share))).sum())


def fit_pairs(
    current: np.ndarray, previous: np.ndarray, exposure: np.ndarray | float = 1.0
) -> Dispersion:
    """Conditional maximum-likelihood α from pairs of counts with the same mean rate.

    Parameters
    ----------
    current, previous : array_like
        Pairs of counts (e.g. a tertial and the same tertial a year earlier, of one area each).
    exposure : array_like or float
        Periods summed in ``previous`` per period of ``current`` (1 for year-to-year pairs).
    """
    c = np.asarray(current, dtype=float).ravel()
    p = np.asarray(previous, dtype=float).ravel()
    k = np.broadcast_to(np.asarray(exposure, dtype=float), c.shape).ravel()
    ok = np.isfinite(c) & np.isfinite(p) & (c >= 0) & (p >= 0)
    c, p, k = c[ok], p[ok], k[ok]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = float(((c - p) ** 2).sum() / (c + p).sum()) if (c + p).sum() > 0 else float("nan")
    s = c + p
    info = s > 0
    c, s, k = c[info], s[info], k[info]
    n_pairs = int(info.sum())
    if n_pairs < 2:
        return Dispersion(0.0, 0.0, 0.0, n_pairs, ratio, 0)
    # the same (c, s, k) pair occurs many times among small counts: weigh each once
    uniq, w = np.unique(np.stack([c, s, k], axis=1), axis=0, return_counts=True)
    c, s, k, w = uniq[:, 0], uniq[:, 1], uniq[:, 2], w.astype(float)
    share = 1.0 / (1.0 + k)
    base = _binom_loglik(c, s, share, w)

    def nll(log_alpha: float) -> float:
        r = np.exp(-log_alpha)
        return -_bb_loglik(c, s, r, k * r, w)

    grid = np.linspace(np.log(1e-4), np.log(ALPHA_MAX), 41)
    values = np.array([nll(g) for g in grid])
    best = int(np.argmin(values))
    if best == 0 and values[0] >= -base - 1e-9:
        return Dispersion(0.0, 0.0, 0.0, n_pairs, ratio, 0)
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = optimize.minimize_scalar(nll, bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-6})
    alpha_hat = float(np.exp(res.x))
    lr = max(0.0, 2.0 * (-float(res.fun) - base))
    alpha = alpha_hat if lr >= LR_CRITICAL else 0.0
    return Dispersion(alpha, alpha_hat, lr, n_pairs, ratio, 0)


def window_pairs(
    matrix: np.ndarray, n_months: int, lag: int = 12, return_rows: bool = False
) -> tuple[np.ndarray, ...]:
    """Pairs (window sum, the same window ``lag`` months earlier) of every row of ``matrix``.

    ``matrix`` is units × consecutive months (NaN: no data); a window counts only when all its
    ``n_months`` months have data. ``return_rows``: also the row of each pair.
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[1] < n_months + lag:
        empty = (np.empty(0), np.empty(0))
        return (*empty, np.empty(0, dtype=int)) if return_rows else empty
    filled = np.nan_to_num(m, nan=0.0)
    csum = np.concatenate([np.zeros((m.shape[0], 1)), np.cumsum(filled, axis=1)], axis=1)
    sums = csum[:, n_months:] - csum[:, :-n_months]  # window ending at month j + n − 1
    nan_count = np.concatenate(
        [np.zeros((m.shape[0], 1)), np.cumsum(np.isnan(m), axis=1)], axis=1
    )
    complete = (nan_count[:, n_months:] - nan_count[:, :-n_months]) == 0
    sums = np.where(complete, sums, np.nan)
    cur, prev = sums[:, lag:], sums[:, :-lag]
    ok = ~np.isnan(cur) & ~np.isnan(prev)
    if return_rows:
        rows = np.broadcast_to(np.arange(m.shape[0])[:, None], ok.shape)
        return cur[ok], prev[ok], rows[ok]
    return cur[ok], prev[ok]


#: the α grid of the per-area estimates (log-spaced, 1e-3 … ALPHA_MAX)
_AREA_GRID = np.exp(np.linspace(np.log(1e-3), np.log(ALPHA_MAX), 61))


def area_alphas(current: np.ndarray, previous: np.ndarray, rows: np.ndarray,
                n_rows: int) -> np.ndarray:
    """Each row's (area's) own α from its pairs: the grid point of largest conditional
    (beta-binomial) likelihood, 0 where the likelihood-ratio test against Poisson (5 %) does not
    reject or fewer than 3 pairs carry information.

    >>> rng = np.random.default_rng(0)
    >>> mu = np.repeat([5.0, 5.0], 400)
    >>> c = np.concatenate([rng.poisson(mu[:400]), rng.negative_binomial(1, 1 / 6, 400)])
    >>> p = np.concatenate([rng.poisson(mu[:400]), rng.negative_binomial(1, 1 / 6, 400)])
    >>> a = area_alphas(c, p, np.repeat([0, 1], 400), 2)
    >>> float(a[0]), bool(0.7 < a[1] < 1.4)
    (0.0, True)
    """
    c = np.asarray(current, dtype=float)
    s = c + np.asarray(previous, dtype=float)
    rows = np.asarray(rows, dtype=int)
    keep = s > 0
    c, s, rows = c[keep], s[keep], rows[keep]
    out = np.zeros(n_rows)
    if not len(c):
        return out
    n_info = np.bincount(rows, minlength=n_rows)
    base = np.bincount(rows, weights=s * np.log(0.5), minlength=n_rows)
    best = np.full(n_rows, -np.inf)
    best_alpha = np.zeros(n_rows)
    for a in _AREA_GRID:
        r = 1.0 / a
        ll = special.betaln(c + r, s - c + r) - special.betaln(r, r)
        tot = np.bincount(rows, weights=ll, minlength=n_rows)
        better = tot > best
        best = np.where(better, tot, best)
        best_alpha = np.where(better, a, best_alpha)
    lr = 2.0 * (best - base)
    return np.where((lr >= LR_CRITICAL) & (n_info >= 3), best_alpha, 0.0)


def estimate_dispersion(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    n_months: int,
    bounds: pd.DataFrame | None = None,
    breaks: dict[str, list[str]] | None = None,
) -> dict[str, Dispersion]:
    """α per count indicator for windows of ``n_months`` months, pooled over every area.

    Parameters
    ----------
    values : pandas.DataFrame
        ``area_id, indicator_id, month, value`` (the whole history: more pairs, better estimate).
    catalogue : pandas.DataFrame
        The catalogue (``id``, ``unit``); only ``unit == "count"`` indicators are estimated.
    n_months : int
        Window length (1 month, 4 a tertial, 12 a year or rolling year …).
    bounds : pandas.DataFrame, optional
        :func:`indicators.calendar.coverage_bounds` (months outside ``first``–``last`` are not
        used: months not yet reported are not zeros).
    breaks : dict, optional
        Series breaks per indicator (``{"id": ["2026-01"]}``): no pair straddles a break.

    Returns
    -------
    dict
        ``{indicator_id: Dispersion}`` for every count indicator (α = 0 without enough pairs).
    """
    cat = catalogue.set_index("id", drop=False) if "id" in catalogue.columns else catalogue
    counts = [str(i) for i, u in zip(cat.index, cat["unit"], strict=True) if u == "count"]
    out: dict[str, Dispersion] = {}
    v = values[values["indicator_id"].astype(str).isin(counts)]
    v = v[np.isfinite(pd.to_numeric(v["value"], errors="coerce"))]
    month = v["month"].astype(str)
    all_idx = (month.str.slice(0, 4).astype(int) * 12 + month.str.slice(5, 7).astype(int) - 1).to_numpy()
    groups = v.groupby(v["indicator_id"].astype(str), sort=False).indices
    for ind in counts:
        if ind not in groups:
            out[ind] = Dispersion(0.0, 0.0, 0.0, 0, float("nan"), n_months)
            continue
        rows = v.iloc[groups[ind]]
        idx = all_idx[groups[ind]]
        first, last = int(idx.min()), int(idx.max())
        if bounds is not None and ind in bounds.index:
            b = bounds.loc[ind]
            first = max(first, int(b["first"])) if np.isfinite(b["first"]) else first
            last = min(last, int(b["last"])) if np.isfinite(b["last"]) else last
        if last - first + 1 < n_months + 12:
            out[ind] = Dispersion(0.0, 0.0, 0.0, 0, float("nan"), n_months)
            continue
        areas = pd.Index(rows["area_id"].astype(str).unique())
        mat = np.full((len(areas), last - first + 1), np.nan)
        keep = (idx >= first) & (idx <= last)
        mat[areas.get_indexer(rows["area_id"].astype(str))[keep], idx[keep] - first] = (
            rows["value"].to_numpy(dtype=float)[keep]
        )
        cuts = sorted({parse_month(b) - first for b in (breaks or {}).get(ind, [])
                       if 0 < parse_month(b) - first < mat.shape[1]})
        edges = [0, *cuts, mat.shape[1]]
        segments = [mat[:, a:b] for a, b in zip(edges[:-1], edges[1:], strict=True)]
        cur_all, prev_all, row_all = [], [], []
        for seg in segments:
            c, p, r = window_pairs(seg, n_months, return_rows=True)
            cur_all.append(c)
            prev_all.append(p)
            row_all.append(r)
        cur = np.concatenate(cur_all) if cur_all else np.empty(0)
        prev = np.concatenate(prev_all) if prev_all else np.empty(0)
        pair_rows = np.concatenate(row_all) if row_all else np.empty(0, dtype=int)
        fit = fit_pairs(cur, prev)
        own = area_alphas(cur, prev, pair_rows, len(areas))
        by_area = {a: float(x) for a, x in zip(areas, own, strict=True) if x > fit.alpha}
        out[ind] = Dispersion(fit.alpha, fit.alpha_mle, fit.lr, fit.pairs, fit.variance_ratio,
                              n_months, by_area)
    return out


def describe(d: Dispersion, lang: str = "sv") -> str:
    """One sentence on the model a verdict's test used.

    >>> describe(Dispersion(0.25, 0.25, 30.0, 400, 2.1, 4))
    'negativ binomialfördelning med dispersion α = 0,25 skattad ur 400 årspar av alla områden (variansen ≈ 2,1 × Poisson)'
    >>> describe(Dispersion(0.0, 0.01, 0.4, 400, 1.0, 4), "en")
    'Poisson distribution (the history shows no extra variance: 400 year-to-year pairs)'
    """
    from i18n import fmt_number
    from texts import t

    if d.alpha > 0:
        a = fmt_number(d.alpha, lang, 2)
        r = fmt_number(d.variance_ratio, lang, 1)
        return t("ind.dispersion.nb", lang, alpha=a, pairs=d.pairs, ratio=r)
    return t("ind.dispersion.poisson", lang, pairs=d.pairs)
