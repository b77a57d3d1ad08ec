"""Nowcasting: the final count of months that are still being registered.

A police-recorded offence has an offence date (``Brottsdatum``) and a registration date
(``Inskrivningsdatum``). A series by offence month, read at a cut date, lacks the offences of its
last months that are not yet registered: those counts still grow. This module estimates, from the
registration delays in the data, what each such month (or a tertial made of such months) will
finally count, with a 90 % prediction interval. It is pure: arrays and frames in, numbers out.

Method (the epidemiological "nowcasting" of a reporting triangle; references below)
--------------------------------------------------------------------------------------
1. **Delay distribution** ``F(h)``: the share of an offence month's final count registered within
   ``h`` months. Chain ladder on the reporting triangle (rows: offence months; columns: delay in
   whole months; only cells registered by the cut are known): development factor
   ``f_d = Σ C[t, d] / Σ C[t, d-1]`` over the last ``window`` offence months that have delay ``d``
   observed (``C`` cumulative), ``F(D) = 1`` and ``F(d-1) = F(d) / f_d``. It is estimated pooled
   over all of Sweden per offence type (areas have 0–10 offences a month: too few for a triangle
   of their own) and applied to every series of that type. A type with fewer than ``min_events``
   offences in the window borrows pseudo-counts from the all-types triangle.
2. **Expected remainder**, Poisson–Gamma (the conjugate model of Höhle & an der Heiden 2014,
   ``surveillance::nowcast``): a month's final count is Poisson with a Gamma-distributed level
   of mean ``μ`` (the series' own mean of the 12 months before the incomplete ones) and shape
   ``k`` (month-to-month heterogeneity, fitted by ``statsmodels`` NB2: ``k = 1/α``). Given ``x``
   registered within ``h`` months, the count still to come by horizon ``T`` is negative binomial
   with mean ``(k + x)(F(T) - F(h)) / (k/μ + F(h))`` and variance index
   ``(k/μ + F(T)) / (k/μ + F(h))``. As ``k → 0`` this is the chain ladder ``x (1/F(h) - 1)``; the
   prior keeps a month with 0 registered from being certain to stay at 0.
3. **Extra-Poisson late registration.** Late registrations come in batches (one riot: dozens of
   offences registered together months later). The variance index is widened by ``δ``, the NB1
   dispersion (``Var = μ(1 + δ)``, maximum likelihood with the model's expectation as ``μ``) of
   what was registered later against what the model expected, over retrospective nowcasts of the
   national series at the 24 previous month ends, each made with the delay distribution known
   then (out of sample, data up to the cut only: as ``baselinenowcast`` calibrates its
   uncertainty on past nowcast errors). NB1 because a sum of independent NB1 counts with the same
   ``δ`` is again NB1 with that ``δ``: the dispersion fitted nationally holds for an area's and a
   kommun's series as well. A sum of months (a tertial) has its own ``δ``, fitted the same way
   on four-month sums (late batches and a changing registration pace touch neighbouring months
   together). A type whose series began less than ``RETRO_CUTS`` months before the cut has few
   past nowcasts to learn from; its ``δ`` is credibility-weighted (Bühlmann, as actuaries weight
   a short claims history) with the all-types ``δ``: ``w·δ_own + (1 − w)·δ_all``, ``w`` its
   number of past nowcasts / ``RETRO_CUTS`` (:func:`fit_types`). The mean is kept: a calibration factor fitted too (``statsmodels``' NB1 with a
   constant) chased a few batches and overshot for months (riots 2021, back-test).
4. **Prediction**: negative binomial with that mean and variance; the estimate is its median (an
   integer: the median minimises the absolute error, and for batch-prone types it does not chase
   a batch that usually does not come), the interval its 5 % and 95 % quantiles, added to what is
   registered. A tertial adds its months' remainders (moments summed, matched to one negative
   binomial).

References: McGough et al. 2020 (NobBS); Höhle & an der Heiden 2014 (Biometrics 70:993);
Günther et al. 2021 and epinowcast; baselinenowcast (epinowcast, Wellcome Open Research 10:614,
2025); Renshaw & Verrall 1998 (the chain ladder as a Poisson model).

>>> counts = np.array([[8, 2], [9, 1], [10, 0]], dtype=float)  # 3 offence months × delays 0..1
>>> delay = estimate_delay(counts, "2024-01", "2024-03", max_delay=1)
>>> [round(v, 3) for v in delay.cdf]
[0.85, 1.0]
>>> round(chain_ladder(10, 0, delay), 2)
11.76
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

MAX_DELAY = 24
"""Longest delay modelled, in months (later registrations count as registered at this delay)."""
DELAY_WINDOW = 24
"""Offence months per development factor (the most recent ones that have the delay observed)."""
MIN_EVENTS = 200
"""Below this many offences in the window, a type's triangle borrows from the all-types triangle."""
PRIOR_MONTHS = 12
"""Months of the series' own history that give the prior mean of a month's final count."""
RETRO_CUTS = 24
"""Earlier month ends at which the national series is re-nowcast to fit ``δ``."""
HORIZONS = (0, 1, 2)
"""Delays (months since the offence month's end) nowcast and calibrated: the last three months."""
LEVEL = 0.90
PRELIMINARY_SHARE = 0.01
"""A month is preliminary while at least this share of its final count is still expected."""
MAX_PRELIMINARY = 6
"""…but never for more than this many months (older months are shown as registered)."""
MAX_DELTA = 100.0
_K_POISSON = 1e6  # the level's Gamma shape when no extra-Poisson variation is found


def month_index(month: str) -> int:
    """``'2024-03'`` → a month number (year × 12 + month − 1).

    >>> month_index("2024-03") - month_index("2023-12")
    3
    """
    try:
        year, mon = str(month)[:7].split("-")
        y, m = int(year), int(mon)
    except ValueError as exc:
        raise ValueError(f"'{month}' is not a month (expected YYYY-MM)") from exc
    if not 1 <= m <= 12:
        raise ValueError(f"'{month}' is not a month (expected YYYY-MM)")
    return y * 12 + m - 1


def month_label(index: int) -> str:
    """The inverse of :func:`month_index`.

    >>> month_label(month_index("2023-12") + 1)
    '2024-01'
    """
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# --------------------------------------------------------------------------- reporting triangle


def delay_counts(rows: pd.DataFrame, first_month: str, last_month: str, max_delay: int = MAX_DELAY,
                 by: str | None = None) -> tuple[list, np.ndarray]:
    """Counts by (series, offence month, delay in months): the complete reporting table.

    Parameters
    ----------
    rows
        ``offence_month``, ``registration_month`` (``YYYY-MM``), ``count`` and the column ``by``.
        A registration before the offence month counts as delay 0; one later than ``max_delay``
        as ``max_delay``. Offence months outside ``[first_month, last_month]`` are left out.
    by
        The series column (``None``: one series).

    Returns
    -------
    (keys, counts)
        The series keys (sorted) and an array ``(series, months, max_delay + 1)``.
    """
    t0, t1 = month_index(first_month), month_index(last_month)
    om = np.array([month_index(m) for m in rows["offence_month"]], dtype=int) if len(rows) else np.zeros(0, int)
    rm = np.array([month_index(m) for m in rows["registration_month"]], dtype=int) if len(rows) else np.zeros(0, int)
    keep = (om >= t0) & (om <= t1)
    if by is None:
        keys: list = ["all"]
        idx = np.zeros(int(keep.sum()), dtype=int)
    else:
        col = rows[by].to_numpy()[keep]
        keys = sorted(pd.unique(col))
        idx = pd.Index(keys).get_indexer(col)
    out = np.zeros((len(keys), t1 - t0 + 1, max_delay + 1))
    delay = np.clip(rm[keep] - om[keep], 0, max_delay)
    np.add.at(out, (idx, om[keep] - t0, delay), rows["count"].to_numpy(dtype=float)[keep])
    return keys, out


def registered_by(counts: np.ndarray, cut: int) -> np.ndarray:
    """What was registered by the end of month ``cut`` (index relative to the first month), per
    offence month ``0 … cut`` (or up to the table's last month): an array ``(…, months)``."""
    d_max = counts.shape[-1] - 1
    n = min(counts.shape[-2], cut + 1)
    cum = np.cumsum(counts[..., :n, :], axis=-1)
    upto = np.minimum(cut - np.arange(n), d_max)
    return np.take_along_axis(cum, np.broadcast_to(upto[:, None], cum.shape[:-1] + (1,)), axis=-1)[..., 0]


def triangle(counts: np.ndarray, cut: int) -> np.ndarray:
    """The reporting triangle known at the end of month ``cut``: ``counts`` for offence months
    ``0 … cut`` (or up to the table's last month) with the cells registered after the cut NaN."""
    n = min(counts.shape[-2], cut + 1)
    t = np.arange(n)[:, None]
    d = np.arange(counts.shape[-1])[None, :]
    tri = np.array(counts[..., :n, :], dtype=float)
    tri[..., (t + d) > cut] = np.nan
    return tri


def development_factors(tri: np.ndarray, window: int = DELAY_WINDOW) -> np.ndarray:
    """Chain-ladder development factors of a triangle ``(months, delays)`` (NaN = not yet known).

    ``f[d] = Σ_t C[t, d] / Σ_t C[t, d-1]`` over the last ``window`` offence months whose delay ``d``
    is known (``C`` the cumulative counts); ``f[0] = 1``; 1 where nothing is known.
    """
    n_months, n_delays = tri.shape
    known = ~np.isnan(tri)
    cum = np.cumsum(np.nan_to_num(tri), axis=1)
    f = np.ones(n_delays)
    for d in range(1, n_delays):
        rows = np.flatnonzero(known[:, d])[-window:]
        if len(rows) == 0:
            continue
        den = cum[rows, d - 1].sum()
        if den > 0:
            f[d] = cum[rows, d].sum() / den
    return f


def cdf_from_factors(f: np.ndarray) -> np.ndarray:
    """``F(h)``, the share registered within ``h`` months, from development factors (``F(D) = 1``)."""
    F = np.ones(len(f))
    for d in range(len(f) - 1, 0, -1):
        F[d - 1] = F[d] / f[d]
    return F


@dataclass(frozen=True)
class DelayDistribution:
    """Share of the final count registered within ``h`` months (``cdf[h]``), as known at ``cut``."""

    cdf: tuple[float, ...]
    cut: str
    n_events: int
    borrowed: float = 0.0  # pseudo-offences taken from the all-types triangle

    @property
    def max_delay(self) -> int:
        return len(self.cdf) - 1

    def share(self, h) -> np.ndarray:
        """``F(h)`` for delays ``h`` (array-like; beyond the longest delay: 1)."""
        h = np.asarray(h)
        return np.asarray(self.cdf)[np.clip(h, 0, self.max_delay)]

    def preliminary_months(self, share: float = PRELIMINARY_SHARE, cap: int = MAX_PRELIMINARY) -> int:
        """How many of the last months (the cut's own month first) are still being registered:
        those with more than ``share`` of their final count still expected (at most ``cap``)."""
        n = 0
        while n < min(cap, self.max_delay + 1) and 1.0 - self.cdf[n] > share:
            n += 1
        return n


def estimate_delay(counts: np.ndarray, first_month: str, cut: str, window: int = DELAY_WINDOW,
                   max_delay: int | None = None, prior_counts: np.ndarray | None = None,
                   min_events: int = MIN_EVENTS) -> DelayDistribution:
    """The delay distribution from a (national) table ``(months, delays)`` read at ``cut``.

    Parameters
    ----------
    counts
        :func:`delay_counts` of one series (months from ``first_month``); only the cells
        registered by ``cut`` are used.
    prior_counts
        The same table for all offence types: when ``counts`` holds fewer than ``min_events``
        offences in the window, ``prior_counts`` is added scaled to make up the difference.
    """
    counts = np.asarray(counts, dtype=float)
    if max_delay is not None:
        counts = _fold_delays(counts, max_delay)
        prior_counts = None if prior_counts is None else _fold_delays(np.asarray(prior_counts, float), max_delay)
    c = month_index(cut) - month_index(first_month)
    if c < 0:
        raise ValueError(f"cut {cut} is before the first month {first_month}")
    tri = triangle(counts, c)
    lo = max(0, tri.shape[0] - window)
    n_events = int(np.nansum(tri[lo:]))
    borrowed = 0.0
    if prior_counts is not None and n_events < min_events:
        ptri = triangle(np.asarray(prior_counts, float)[: counts.shape[0]], c)
        n_prior = float(np.nansum(ptri[lo:]))
        if n_prior > 0:
            borrowed = float(min_events - n_events)
            tri = tri + ptri * (borrowed / n_prior)
    F = cdf_from_factors(development_factors(tri, window))
    return DelayDistribution(tuple(float(v) for v in F), cut, n_events, borrowed)


def _fold_delays(counts: np.ndarray, max_delay: int) -> np.ndarray:
    if counts.shape[-1] <= max_delay + 1:
        return counts
    out = counts[..., : max_delay + 1].copy()
    out[..., max_delay] += counts[..., max_delay + 1 :].sum(axis=-1)
    return out


def chain_ladder(registered, horizon, delay: DelayDistribution, target=None):
    """The chain-ladder estimate ``x · F(target) / F(h)`` (``target`` None: the final count).

    >>> d = DelayDistribution((0.8, 1.0), "2024-03", 100)
    >>> chain_ladder(8, 0, d)
    10.0
    """
    target = delay.max_delay if target is None else target
    out = np.asarray(registered, float) * delay.share(target) / delay.share(horizon)
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- the count model


@dataclass(frozen=True)
class RemainderModel:
    """Parameters of the predictive distribution of what is still to be registered.

    ``k``: Gamma shape of the month-to-month level (NB2 ``1/α`` of the series' monthly counts);
    ``delta``: NB1 overdispersion of late registrations.
    """

    k: float = _K_POISSON
    delta: float = 0.0


def prior_means(registered: np.ndarray, cut: int, delay: DelayDistribution, skip: int | None = None,
                months: int = PRIOR_MONTHS) -> np.ndarray:
    """Each series' expected final monthly count: the mean over ``months`` months before the
    ``skip`` newest (default: the preliminary ones, at least three) of registered / ``F(h)``,
    with half an offence added so that a series with none has a small positive mean.

    ``registered``: ``(series, months)`` registered by the cut, months ``0 … cut``.
    """
    registered = np.atleast_2d(np.asarray(registered, float))
    skip = max(3, delay.preliminary_months()) if skip is None else skip
    hi = cut - skip
    lo = max(0, hi - months + 1)
    if hi < 0:
        return np.full(registered.shape[0], 0.5)
    t = np.arange(lo, hi + 1)
    completed = registered[:, t] / delay.share(cut - t)[None, :]
    return (completed.sum(axis=1) + 0.5) / len(t)


def remainder_moments(registered, horizon, delay: DelayDistribution, prior_mean, model: RemainderModel,
                      target=None) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance index (variance / mean) of the count still to be registered between
    ``horizon`` and ``target`` months (``target`` None: the final count). See the module docstring."""
    x = np.asarray(registered, float)
    target = delay.max_delay if target is None else target
    Fh, Ft = delay.share(horizon), delay.share(np.maximum(target, horizon))
    rate = model.k / np.maximum(np.asarray(prior_mean, float), 1e-9)
    mean = (model.k + x) * (Ft - Fh) / (rate + Fh)
    index = (rate + Ft) / (rate + Fh) + model.delta
    return np.asarray(mean, float), np.asarray(index, float)


def nb_params(mean, index) -> tuple[np.ndarray, np.ndarray]:
    """``scipy.stats.nbinom`` (n, p) of a negative binomial with that mean and variance index."""
    mean = np.maximum(np.asarray(mean, float), 1e-12)
    index = np.maximum(np.asarray(index, float), 1.0 + 1e-9)
    p = 1.0 / index
    n = mean * p / (1.0 - p)
    return n, p


def remainder_quantiles(mean, index, qs: Sequence[float]) -> list[np.ndarray]:
    """Quantiles of the still-to-come count (0 where nothing is expected)."""
    n, p = nb_params(mean, index)
    zero = np.asarray(mean, float) <= 1e-12
    return [np.where(zero, 0.0, stats.nbinom.ppf(q, n, p)) for q in qs]


@dataclass(frozen=True)
class Nowcast:
    """One month's (or tertial's) nowcast: what is registered, the estimate and its interval."""

    registered: np.ndarray
    estimate: np.ndarray  # median of the predictive distribution (whole offences)
    mean: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    chain_ladder: np.ndarray


def predict(registered, mean, index, chain, level: float = LEVEL) -> Nowcast:
    """Add the still-to-come distribution to what is registered."""
    x = np.asarray(registered, float)
    a = (1.0 - level) / 2.0
    lo, med, hi = remainder_quantiles(mean, index, (a, 0.5, 1.0 - a))
    return Nowcast(x, x + med, x + np.asarray(mean, float), x + lo, x + hi, np.asarray(chain, float))


def nowcast_months(registered, horizons, delay: DelayDistribution, prior_mean, model: RemainderModel,
                   target=None, level: float = LEVEL) -> Nowcast:
    """Nowcast months registered for ``horizons`` months so far (arrays broadcast together)."""
    mean, index = remainder_moments(registered, horizons, delay, prior_mean, model, target)
    target_h = delay.max_delay if target is None else target
    chain = chain_ladder(registered, horizons, delay, np.maximum(target_h, horizons))
    return predict(registered, mean, index, chain, level)


def nowcast_total(registered: np.ndarray, horizons: Sequence[int], delay: DelayDistribution, prior_mean,
                  model: RemainderModel, target=None, level: float = LEVEL) -> Nowcast:
    """Nowcast the sum of several months (a tertial): ``registered`` ``(…, len(horizons))``.

    The months' still-to-come counts are independent under the model; their sum is taken as the
    negative binomial with the summed mean and variance (exact when the variance indices agree).
    """
    registered = np.asarray(registered, float)
    h = np.asarray(horizons)
    targets = None if target is None else np.asarray(target)
    mean, index = remainder_moments(registered, h, delay, np.asarray(prior_mean, float)[..., None], model,
                                    targets)
    m_sum = mean.sum(axis=-1)
    v_sum = (mean * index).sum(axis=-1)
    idx = np.where(m_sum > 0, v_sum / np.maximum(m_sum, 1e-12), 1.0)
    target_h = delay.max_delay if target is None else np.asarray(target)
    chain = chain_ladder(registered, h, delay, np.maximum(target_h, h)).sum(axis=-1)
    return predict(registered.sum(axis=-1), m_sum, idx, chain, level)


# --------------------------------------------------------------------------- fitting (statsmodels)


def _nb_fit(y: np.ndarray, offset: np.ndarray, method: str):
    from statsmodels.discrete.discrete_model import NegativeBinomial

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = NegativeBinomial(y, np.ones((len(y), 1)), loglike_method=method, offset=offset)
        res = model.fit(disp=0, maxiter=200)
    return res


def fit_level_shape(counts: np.ndarray, expected: np.ndarray) -> float:
    """Gamma shape ``k`` of monthly counts around their expected values: ``statsmodels``
    ``NegativeBinomial`` (NB2, ``Var = μ + αμ²``) with ``log(expected)`` as offset and a constant;
    ``k = 1/α``. Poisson (a very large ``k``) when the counts show no extra-Poisson variation or
    are too few to tell (no count above 0, or the fit does not converge)."""
    y = np.asarray(counts, float).ravel()
    e = np.asarray(expected, float).ravel()
    ok = e > 0
    y, e = y[ok], e[ok]
    if len(y) < 3 or y.sum() == 0:
        return _K_POISSON
    try:
        res = _nb_fit(y, np.log(e), "nb2")
    except (np.linalg.LinAlgError, ValueError):
        return _K_POISSON
    alpha = float(res.params[-1])
    if not res.mle_retvals.get("converged", False) or not np.isfinite(alpha) or alpha <= 1.0 / _K_POISSON:
        return _K_POISSON
    return 1.0 / alpha


def fit_late_dispersion(late: np.ndarray, expected: np.ndarray) -> float:
    """``δ``: the NB1 overdispersion (``Var = μ(1 + δ)``) of the offences registered later given
    what the model expected of them (``μ = expected``: the delay distribution's expectation is
    kept, not re-fitted), by maximum likelihood (:func:`nb1_loglike`, the log-likelihood of
    ``statsmodels``' ``NegativeBinomial(loglike_method="nb1")`` with offset ``log(expected)`` and
    the constant at 0). 0 (Poisson) when nothing was expected or registered later.

    A constant fitted as well (a calibrated mean, ``statsmodels``' own fit) was tried: fitted on a
    few late batches it overshoots for months on end (riots 2021 in the back-test).
    """
    from scipy.optimize import minimize_scalar

    y = np.asarray(late, float).ravel()
    e = np.asarray(expected, float).ravel()
    ok = e > 1e-9
    y, e = y[ok], e[ok]
    if len(y) < 3 or y.sum() == 0:
        return 0.0
    res = minimize_scalar(lambda d: -nb1_loglike(y, e, d), bounds=(0.0, MAX_DELTA), method="bounded",
                          options={"xatol": 1e-6})
    delta = float(res.x) if res.success and np.isfinite(res.x) else 0.0
    return delta if delta > 1e-5 else 0.0


def nb1_loglike(y: np.ndarray, mean: np.ndarray, delta: float) -> float:
    """Log-likelihood of counts ``y`` under NB1 with ``mean`` and ``Var = mean · (1 + delta)``."""
    n, p = nb_params(mean, 1.0 + delta)
    return float(stats.nbinom.logpmf(y, n, p).sum())


def retrospective(counts: np.ndarray, cut: int, delay_at: Callable[[int], DelayDistribution],
                  prior_mean: np.ndarray, k: float, n_cuts: int = RETRO_CUTS,
                  horizons: Sequence[int] = HORIZONS, summed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Past nowcasts against what was registered later, all within the data known at ``cut``.

    For each earlier month end ``c' = cut − j`` (``j = 1 … n_cuts``) and horizon ``h``: the
    offences of month ``c' − h`` registered after ``c'`` and by ``cut`` (``late``), and what the
    Poisson–Gamma model (``δ = 0``) with the delay distribution known at ``c'``
    (``delay_at(c')``) expected of them: out of sample, so that the error of the delay estimate
    and a changing registration pace are in the spread. With ``summed``, one pair per earlier
    month end: the sums over ``horizons`` (e.g. the four months of a tertial).
    ``counts``: ``(series, months, delays)``.
    """
    counts = np.asarray(counts, float)
    if counts.ndim == 2:
        counts = counts[None]
    cum = np.cumsum(counts, axis=-1)
    d_max = counts.shape[-1] - 1
    model = RemainderModel(k=k)
    late, expected = [], []
    for j in range(1, n_cuts + 1):
        if cut - j - max(horizons) < 0:
            break
        delay = delay_at(cut - j)
        y_j, m_j = [], []
        for h in horizons:
            t = cut - j - h
            x = cum[:, t, min(h, d_max)]
            now = cum[:, t, min(cut - t, d_max)]
            m, _ = remainder_moments(x, h, delay, prior_mean, model, target=cut - t)
            y_j.append(now - x)
            m_j.append(m)
        if summed:
            late.append(np.sum(y_j, axis=0))
            expected.append(np.sum(m_j, axis=0))
        else:
            late.extend(y_j)
            expected.extend(m_j)
    if not late:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(late), np.concatenate(expected)


TERTIAL_HORIZONS = (0, 1, 2, 3)


@dataclass(frozen=True)
class TypeModel:
    """What a cut teaches about one offence type: its delays and the late-registration dispersion
    of one month (``delta``) and of a sum of four consecutive months (``delta_sum``: late batches
    and a changing registration pace touch neighbouring months together)."""

    delay: DelayDistribution
    delta: float
    delta_sum: float
    k_national: float

    def model(self, k: float, summed: bool = False) -> RemainderModel:
        """The remainder model for a level with Gamma shape ``k`` (for a sum of months: ``summed``)."""
        return RemainderModel(k=k, delta=self.delta_sum if summed else self.delta)


def fit_type(national: np.ndarray, first_month: str, cut: str, all_types: np.ndarray | None = None,
             window: int = DELAY_WINDOW, n_cuts: int = RETRO_CUTS, pooled: TypeModel | None = None) -> TypeModel:
    """Delay distribution and late-registration dispersion of one offence type from its national
    table ``(months, delays)`` (months from ``first_month``) read at ``cut``; ``all_types`` the
    same table for all types (see :func:`estimate_delay`).

    ``pooled``: the all-types model fitted at the same cut over its whole history. A type whose
    own history gives fewer than ``n_cuts`` retrospective nowcasts (a series that began recently)
    takes its ``δ`` by credibility weighting (Bühlmann): ``w·δ_own + (1 − w)·δ_pooled`` with
    ``w`` = its retrospective cuts / ``n_cuts`` — as its delays borrow from the all-types
    triangle when it has few offences. With a full window the type's own ``δ`` is used alone.
    """
    national = np.asarray(national, float)
    delay = estimate_delay(national, first_month, cut, window, prior_counts=all_types)
    c = min(month_index(cut) - month_index(first_month), national.shape[0] - 1)
    reg = registered_by(national, c)[None]
    mu = prior_means(reg, c, delay)
    k = fit_level_shape(*_history(reg, c, delay, mu))
    t0 = month_index(first_month)
    earlier = {j: estimate_delay(national, first_month, month_label(t0 + j), window, prior_counts=all_types)
               for j in range(max(0, c - n_cuts), c)}
    known = national[None, : c + 1]
    delta = fit_late_dispersion(*retrospective(known, c, earlier.__getitem__, mu, k, n_cuts))
    delta_sum = fit_late_dispersion(*retrospective(known, c, earlier.__getitem__, mu, k, n_cuts,
                                                   TERTIAL_HORIZONS, summed=True))
    if pooled is not None:
        delta = _credible(delta, pooled.delta, c - max(HORIZONS), n_cuts)
        delta_sum = _credible(delta_sum, pooled.delta_sum, c - max(TERTIAL_HORIZONS), n_cuts)
    return TypeModel(delay, delta, max(delta, delta_sum), k)


def _credible(own: float, pooled: float, n_own: int, n_full: int) -> float:
    """Credibility-weighted ``δ``: the type's own with weight ``n_own / n_full`` (at most 1)."""
    w = min(1.0, max(0, n_own) / n_full) if n_full > 0 else 1.0
    return w * own + (1.0 - w) * pooled


def fit_types(tables: dict[str, tuple[str, np.ndarray]], cut: str, n_cuts: int = RETRO_CUTS) -> dict[str, TypeModel]:
    """Every offence type's :class:`TypeModel` at ``cut`` from ``{type: (first month, national
    table)}``: the all-types table (each type from its own first month) lends its delays to a
    type with few offences (:func:`estimate_delay`) and its ``δ`` to a type with a short history
    (:func:`fit_type`'s ``pooled``)."""
    if not tables:
        return {}
    c = month_index(cut)
    t_all = min(month_index(first) for first, _ in tables.values())
    width = max(np.shape(tab)[-1] for _, tab in tables.values())
    tables = {ind: (first, np.pad(np.asarray(tab, float), ((0, 0), (0, width - np.shape(tab)[-1]))))
              for ind, (first, tab) in tables.items()}
    pool = np.zeros((c - t_all + 1, width))
    for first, tab in tables.values():
        t0 = month_index(first) - t_all
        n = min(len(tab), len(pool) - t0)
        pool[t0: t0 + n] += tab[:n]
    pooled = fit_type(pool, month_label(t_all), cut, n_cuts=n_cuts)
    return {ind: fit_type(tab, first, cut, all_types=pool[month_index(first) - t_all:], n_cuts=n_cuts,
                          pooled=pooled)
            for ind, (first, tab) in tables.items()}


def _history(registered: np.ndarray, cut: int, delay: DelayDistribution, mu: np.ndarray,
             months: int = PRIOR_MONTHS) -> tuple[np.ndarray, np.ndarray]:
    """Registered counts of the prior months and what the prior means expect of them."""
    skip = max(3, delay.preliminary_months())
    hi = cut - skip
    lo = max(0, hi - months + 1)
    if hi < 0:
        return np.zeros(0), np.zeros(0)
    t = np.arange(lo, hi + 1)
    return registered[:, t], mu[:, None] * delay.share(cut - t)[None, :]


def level_shape(registered: np.ndarray, cut: int, delay: DelayDistribution) -> tuple[float, np.ndarray]:
    """``(k, μ)`` of a set of series of one level (areas, kommuner …) registered by ``cut``."""
    registered = np.atleast_2d(np.asarray(registered, float))
    mu = prior_means(registered, cut, delay)
    return fit_level_shape(*_history(registered, cut, delay, mu)), mu


# --------------------------------------------------------------------------- one series


def nowcast_series(series: pd.DataFrame, cut: str, fitted: TypeModel, k: float,
                   n_months: int | None = None, level: float = LEVEL) -> pd.DataFrame:
    """The preliminary months of one monthly series registered up to ``cut``.

    Parameters
    ----------
    series
        ``month`` (``YYYY-MM``, by offence month) and ``value`` (registered by ``cut``); missing
        months count as 0.
    fitted, k
        The type's :class:`TypeModel` and the level's Gamma shape (:func:`level_shape`).
    n_months
        How many of the last months to nowcast (default: the delay distribution's
        :meth:`DelayDistribution.preliminary_months`).

    Returns
    -------
    DataFrame
        ``month``, ``horizon``, ``registered``, ``estimate``, ``lo90``, ``hi90``, ``mean``,
        ``chain_ladder``, ``share_registered`` for the months ``cut − n_months + 1 … cut``.
    """
    n = fitted.delay.preliminary_months() if n_months is None else n_months
    cols = ["month", "horizon", "registered", "estimate", "lo90", "hi90", "mean", "chain_ladder",
            "share_registered"]
    if n <= 0:
        return pd.DataFrame(columns=cols)
    c = month_index(cut)
    first = min(c - n - PRIOR_MONTHS - 3, min((month_index(m) for m in series["month"]), default=c))
    values = np.zeros(c - first + 1)
    for m, v in zip(series["month"], series["value"], strict=True):
        i = month_index(m) - first
        if 0 <= i < len(values) and v == v:
            values[i] += float(v)
    rel = c - first
    mu = prior_means(values[None], rel, fitted.delay, skip=max(3, n))
    h = np.arange(n)[::-1]
    x = values[rel - h]
    model = fitted.model(k)
    nc = nowcast_months(x, h, fitted.delay, mu[0], model, level=level)
    return pd.DataFrame({
        "month": [month_label(c - int(v)) for v in h], "horizon": h, "registered": x,
        "estimate": nc.estimate, "lo90": nc.lo, "hi90": nc.hi, "mean": nc.mean,
        "chain_ladder": nc.chain_ladder, "share_registered": fitted.delay.share(h),
    })[cols]
