"""The negative binomial tests and the dispersion estimate, against scipy and statsmodels.

* :func:`indicators.stats.nb_etest` equals the E-test's defining double sum over
  ``scipy.stats.nbinom`` probabilities (brute force), and the Poisson E-test of statsmodels at α = 0;
  for large counts it agrees with the Wald test of a statsmodels GLM with a negative binomial
  family of the same α;
* :func:`indicators.stats.nb_tail` equals ``scipy.stats.nbinom``'s tails;
* :func:`indicators.stats.nb_prediction_interval` equals the moment-matched ``scipy.stats.nbinom``
  quantiles and holds its level on data drawn from the model;
* :func:`indicators.dispersion.fit_pairs` maximises the beta-binomial likelihood of
  ``scipy.stats.betabinom`` and finds the α it was given.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy import stats as sps

from indicators.dispersion import Dispersion, describe, estimate_dispersion, fit_pairs, window_pairs
from indicators.stats import etest, nb_etest, nb_prediction_interval, nb_tail


def brute_nb_etest(y1, n1, y2, n2, alpha, alternative="two-sided", width=700):
    """The NB E-test by its definition: Σ over a grid of both counts of P(x1) P(x2) where the
    statistic is at least as extreme as observed (scipy.stats.nbinom probabilities)."""
    if y1 + y2 == 0:
        return 1.0
    lam = (y1 + y2) / (n1 + n2)
    x = np.arange(width)
    s1, s2 = n1 / alpha, n2 / alpha
    p1 = sps.nbinom.pmf(x, s1, s1 / (s1 + n1 * lam))
    p2 = sps.nbinom.pmf(x, s2, s2 / (s2 + n2 * lam))
    x1, x2 = np.meshgrid(x, x, indexing="ij")

    def stat(a, b):
        l_ = (a + b) / (n1 + n2)
        v = (l_ + alpha * l_ * l_) * (1 / n1 + 1 / n2)
        return np.where(v > 0, (a / n1 - b / n2) / np.sqrt(np.where(v > 0, v, 1.0)), 0.0)

    t = stat(np.array(y1, float), np.array(y2, float))
    grid = stat(x1, x2)
    w = p1[:, None] * p2[None, :]
    if alternative == "two-sided":
        return float(w[np.abs(grid) >= abs(t) - 1e-12].sum())
    if alternative == "larger":
        return float(w[grid >= t - 1e-12].sum())
    return float(w[grid <= t + 1e-12].sum())


@settings(max_examples=60, deadline=None)
@given(
    y1=st.integers(0, 45),
    y2=st.integers(0, 45),
    n2=st.sampled_from([1.0, 2.0, 3.0]),
    alpha=st.sampled_from([0.02, 0.3, 1.0, 2.5]),
    alternative=st.sampled_from(["two-sided", "larger", "smaller"]),
)
def test_nb_etest_equals_its_definition_over_scipy_nbinom(y1, y2, n2, alpha, alternative):
    width = 700 if alpha < 1 else 2500
    assert nb_etest(y1, 1.0, y2, n2, alpha, alternative) == pytest.approx(
        brute_nb_etest(y1, 1.0, y2, n2, alpha, alternative, width), abs=1e-9
    )


def test_nb_etest_at_zero_dispersion_is_the_poisson_etest_of_statsmodels():
    from statsmodels.stats.rates import test_poisson_2indep

    for y1, y2, n2 in [(14, 6, 1), (40, 63, 3), (4, 1, 3), (0, 5, 1), (59, 23, 1)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            sm = test_poisson_2indep(y1, 1, y2, n2, method="etest").pvalue
        assert nb_etest(y1, 1, y2, n2, 0.0) == pytest.approx(sm, abs=1e-10)
        assert nb_etest(y1, 1, y2, n2, 0.0) == etest(y1, 1, y2, n2)
        # continuous in α: a tiny dispersion gives (almost) the Poisson answer
        assert nb_etest(y1, 1, y2, n2, 1e-9) == pytest.approx(sm, abs=1e-6)


def test_the_issues_rare_baseline_example_counts_the_baselines_own_uncertainty():
    # 4 this year vs 1 in three years: the Poisson tail against a *known* mean of 1/3 says .0008;
    # a test that knows the mean was estimated says much less
    known = sps.poisson.sf(3, 1 / 3) * 2
    assert known == pytest.approx(0.0008, abs=1e-4)
    assert nb_etest(4, 1, 1, 3, 0.0) == pytest.approx(0.0072, abs=5e-4)
    assert nb_etest(4, 1, 1, 3, 0.5) > nb_etest(4, 1, 1, 3, 0.0)


def test_nb_etest_for_large_counts_agrees_with_a_statsmodels_negative_binomial_glm():
    import statsmodels.api as sm

    for y1, y2, alpha in [(300, 220, 0.02), (120, 90, 0.05), (800, 700, 0.01)]:
        exog = np.array([[1.0, 1.0], [1.0, 0.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(np.array([y1, y2], float), exog,
                         family=sm.families.NegativeBinomial(alpha=alpha)).fit()
        # the Wald test of the period coefficient uses the same variance function μ + αμ²
        assert nb_etest(y1, 1, y2, 1, alpha) == pytest.approx(float(fit.pvalues[1]), abs=0.01)


def test_nb_etest_vectorises_and_handles_bad_input():
    p = nb_etest([30, 8, 0, 5], 1, [5, 2, 0, 0], 1, [0.7, 0.7, 0.7, 0.0])
    assert p.shape == (4,) and p[2] == 1.0
    assert p[3] == pytest.approx(etest(5, 1, 0, 1))
    assert np.isnan(nb_etest(-1, 1, 3, 1, 0.3)) and np.isnan(nb_etest(3, 1, 3, 1, -0.1))
    assert np.isnan(nb_etest(np.nan, 1, 3, 1, 0.3))
    with pytest.raises(ValueError, match="alternative"):
        nb_etest(1, 1, 1, 1, 0.1, "both")


@settings(max_examples=60, deadline=None)
@given(c=st.integers(0, 60), mean=st.floats(0.1, 40), alpha=st.sampled_from([0.05, 0.5, 3.0]))
def test_nb_tail_equals_scipy(c, mean, alpha):
    size = 1 / alpha
    prob = size / (size + mean)
    assert nb_tail(c, mean, alpha, "larger") == pytest.approx(
        sps.nbinom.sf(c - 1, size, prob), rel=1e-9, abs=1e-14)
    assert nb_tail(c, mean, alpha, "smaller") == pytest.approx(
        sps.nbinom.cdf(c, size, prob), rel=1e-9, abs=1e-14)
    assert nb_tail(c, mean, 0.0, "larger") == pytest.approx(sps.poisson.sf(c - 1, mean), rel=1e-9,
                                                            abs=1e-14)


def test_prediction_interval_is_the_moment_matched_nbinom_and_holds_its_level():
    total, k, alpha = 30.0, 3, 0.3
    centre, lo, hi = nb_prediction_interval(total, k, alpha)
    m = (total + 0.5) / k
    var = (m + alpha * m * m) * (1 + 1 / k)
    size = m * m / (var - m)
    assert centre[0] == pytest.approx(10.0)
    assert (lo[0], hi[0]) == (sps.nbinom.ppf(0.025, size, size / (size + m)),
                              sps.nbinom.ppf(0.975, size, size / (size + m)))
    # on data from the model (a true mean per series, three baseline years and a new year),
    # the interval holds about 95 % of new values (the predictive law is not exactly NB: 94.8 %)
    rng = np.random.default_rng(3)
    mu = rng.uniform(5, 40, 20000)
    r = 1 / alpha
    draw = lambda: rng.negative_binomial(r, r / (r + mu))  # noqa: E731
    base = draw() + draw() + draw()
    new = draw()
    _, lo, hi = nb_prediction_interval(base, 3, alpha)
    inside = ((new >= lo) & (new <= hi)).mean()
    assert 0.94 <= inside <= 0.985
    # a baseline of zeros still leaves room for an event
    assert nb_prediction_interval(0.0, 3, 0.0)[2][0] >= 1


def test_fit_pairs_maximises_the_scipy_betabinomial_likelihood_and_finds_alpha():
    rng = np.random.default_rng(1)
    alpha = 0.4
    mu = rng.uniform(1, 25, 3000)
    r = 1 / alpha
    c = rng.negative_binomial(r, r / (r + mu))
    p = rng.negative_binomial(r, r / (r + mu))
    fit = fit_pairs(c, p)
    assert fit.alpha == pytest.approx(alpha, rel=0.15) and fit.model == "negbin"
    s = c + p
    keep = s > 0

    def nll(log_a):
        rr = np.exp(-log_a)
        return -sps.betabinom.logpmf(c[keep], s[keep], rr, rr).sum()

    ref = optimize.minimize_scalar(nll, bounds=(np.log(1e-3), np.log(10)), method="bounded",
                                   options={"xatol": 1e-8})
    assert fit.alpha_mle == pytest.approx(float(np.exp(ref.x)), rel=1e-3)


def test_fit_pairs_falls_back_to_poisson_when_the_data_show_no_extra_variance():
    rng = np.random.default_rng(2)
    mu = rng.uniform(1, 25, 3000)
    fit = fit_pairs(rng.poisson(mu), rng.poisson(mu))
    assert fit.alpha == 0.0 and fit.model == "poisson" and fit.lr < 2.706
    assert fit_pairs([0, 0], [0, 0]).alpha == 0.0  # no information at all


def test_window_pairs_only_use_complete_windows():
    m = np.array([[1, 2, 3, 4, np.nan, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]], float)
    cur, prev = window_pairs(m, 2, lag=12)
    # windows starting at months 12..16 paired with 0..4; those touching month 4 (NaN) are dropped
    assert list(prev) == [3.0, 5.0, 7.0]
    assert list(cur) == [27.0, 29.0, 31.0]


def test_estimate_dispersion_pools_areas_and_respects_breaks():
    rng = np.random.default_rng(5)
    months = [f"{y}-{m:02d}" for y in range(2016, 2024) for m in range(1, 13)]
    alpha, rows = 0.25, []
    for a in range(40):
        level = rng.uniform(3, 20)
        counts = rng.negative_binomial(1 / alpha, (1 / alpha) / (1 / alpha + level), len(months))
        rows += [(f"A{a}", "x", m, float(c)) for m, c in zip(months, counts, strict=True)]
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "month", "value"])
    cat = pd.DataFrame({"id": ["x"], "unit": ["count"]})
    month = estimate_dispersion(values, cat, 1)["x"]
    assert isinstance(month, Dispersion) and month.n_months == 1
    assert month.alpha == pytest.approx(alpha, rel=0.15)
    # a year is the sum of 12 independent months: α / 12
    year = estimate_dispersion(values, cat, 12)["x"]
    assert year.alpha == pytest.approx(alpha / 12, rel=0.5)
    # a break in the series: no pair straddles it
    broken = estimate_dispersion(values, cat, 1, breaks={"x": ["2020-01"]})["x"]
    assert broken.pairs < month.pairs
    assert "negativ binomial" in describe(month, "sv") and "α = " in describe(month, "sv")


def test_an_area_that_swings_more_than_the_pool_is_tested_with_its_own_dispersion():
    from indicators.dispersion import area_alphas

    rng = np.random.default_rng(4)
    months = [f"{y}-{m:02d}" for y in range(2016, 2024) for m in range(1, 13)]
    rows = []
    for a in range(30):
        alpha = 1.5 if a == 0 else 0.05  # one area swings far more than the rest
        level = 8.0
        counts = rng.negative_binomial(1 / alpha, (1 / alpha) / (1 / alpha + level), len(months))
        rows += [(f"A{a}", "x", m, float(c)) for m, c in zip(months, counts, strict=True)]
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "month", "value"])
    d = estimate_dispersion(values, pd.DataFrame({"id": ["x"], "unit": ["count"]}), 1)["x"]
    assert d.alpha < 0.2 and d.for_area("A0") > 0.8  # its own, larger α
    assert d.for_area("A5") == d.alpha  # the others keep the pooled one
    assert area_alphas(np.array([0.0]), np.array([0.0]), np.array([0]), 1)[0] == 0.0
