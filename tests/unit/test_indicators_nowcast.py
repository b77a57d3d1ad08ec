"""The nowcast of months still being registered (indicators.nowcast): hand computations, simulated
coverage from a known delay distribution, and the statsmodels fits checked against statsmodels."""

from __future__ import annotations

import doctest
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from indicators import nowcast as nc

# 3 offence months × delays 0..2, read at the end of the third month (2024-03)
TRIANGLE = np.array([[10, 4, 2], [12, 3, 1], [8, 2, 0]], dtype=float)


def test_docstring_examples() -> None:
    result = doctest.testmod(nc, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_triangle_hides_what_was_registered_after_the_cut() -> None:
    tri = nc.triangle(TRIANGLE, 2)
    assert np.isnan(tri[1, 2]) and np.isnan(tri[2, 1]) and np.isnan(tri[2, 2])
    assert tri[0].tolist() == [10, 4, 2] and tri[1, :2].tolist() == [12, 3] and tri[2, 0] == 8
    # registered by the end of the third month: all of month 1, two delays of month 2, one of month 3
    assert nc.registered_by(TRIANGLE, 2).tolist() == [16, 15, 8]
    assert nc.registered_by(TRIANGLE, 1).tolist() == [14, 12]


def test_chain_ladder_equals_a_hand_computation() -> None:
    # cumulative known cells: month 1: 10, 14, 16; month 2: 12, 15; month 3: 8
    f1 = (14 + 15) / (10 + 12)  # development factor 0 → 1 over the two months that have delay 1
    f2 = 16 / 14  # 1 → 2: only month 1 has delay 2
    delay = nc.estimate_delay(TRIANGLE, "2024-01", "2024-03")
    assert delay.cdf == pytest.approx((1 / (f1 * f2), 1 / f2, 1.0), rel=1e-12)
    assert nc.chain_ladder(15, 1, delay) == pytest.approx(15 * f2, rel=1e-12)
    assert nc.chain_ladder(8, 0, delay) == pytest.approx(8 * f1 * f2, rel=1e-12)
    # towards a horizon: month 3 registered within one month = 8 · f1
    assert nc.chain_ladder(8, 0, delay, target=1) == pytest.approx(8 * f1, rel=1e-12)
    # a window of one month per factor uses only the newest month that has the delay
    one = nc.estimate_delay(TRIANGLE, "2024-01", "2024-03", window=1)
    assert one.cdf[0] == pytest.approx(1 / ((15 / 12) * f2), rel=1e-12)


def test_delay_counts_place_each_row_by_offence_month_and_delay() -> None:
    rows = pd.DataFrame({
        "offence_month": ["2024-01", "2024-01", "2024-02", "2024-02", "2023-12"],
        "registration_month": ["2024-01", "2024-03", "2024-01", "2026-01", "2024-01"],
        "count": [1, 2, 1, 1, 5],
        "kommun": ["A", "B", "A", "A", "A"],
    })
    keys, counts = nc.delay_counts(rows, "2024-01", "2024-03", max_delay=3, by="kommun")
    assert keys == ["A", "B"] and counts.shape == (2, 3, 4)
    assert counts[0, 0, 0] == 1  # A, January, registered the same month
    assert counts[1, 0, 2] == 2  # B, January, two months later
    assert counts[0, 1, 0] == 1  # registered before the offence month: delay 0
    assert counts[0, 1, 3] == 1  # 23 months later: counted at the longest delay
    assert counts.sum() == 5  # December 2023 is before the first month


def test_borrowing_from_all_types_when_a_type_is_rare() -> None:
    rare = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float)  # half registered late
    pool = np.array([[90, 10, 0], [90, 10, 0], [100, 0, 0]], dtype=float)
    own = nc.estimate_delay(rare, "2024-01", "2024-03", min_events=0)
    borrowed = nc.estimate_delay(rare, "2024-01", "2024-03", prior_counts=pool, min_events=50)
    assert own.cdf[0] == pytest.approx(2 / 3)
    assert borrowed.borrowed == 47  # 3 own offences in the window, made up to 50
    assert own.cdf[0] < borrowed.cdf[0] < 0.9 + 1e-9


def test_poisson_gamma_limits() -> None:
    delay = nc.DelayDistribution((0.8, 1.0), "2024-03", 100)
    # k → 0: the chain ladder's expectation x (1/F − 1)
    m, _ = nc.remainder_moments(8, 0, delay, prior_mean=50, model=nc.RemainderModel(k=1e-9))
    assert m == pytest.approx(8 * (1 / 0.8 - 1), rel=1e-6)
    # k → ∞ (Poisson level): μ (1 − F), whatever was registered
    m, index = nc.remainder_moments(8, 0, delay, prior_mean=50, model=nc.RemainderModel(k=1e9))
    assert m == pytest.approx(50 * 0.2, rel=1e-6) and index == pytest.approx(1.0, abs=1e-6)
    # a month with none registered still expects a little when its series is busy
    m0, _ = nc.remainder_moments(0, 0, delay, prior_mean=5, model=nc.RemainderModel(k=2))
    assert m0 == pytest.approx(2 * 0.2 / (2 / 5 + 0.8))


def test_the_remainder_is_the_conjugate_negative_binomial() -> None:
    """Given x registered, λ ~ Gamma(k + x, k/μ + F) and the rest ~ Poisson(λ(1 − F)): check the
    negative binomial's quantiles against a Monte Carlo of that mixture."""
    rng = np.random.default_rng(7)
    delay = nc.DelayDistribution((0.7, 1.0), "2024-03", 100)
    k, mu, x = 3.0, 20.0, 12
    lam = rng.gamma(k + x, 1 / (k / mu + 0.7), 400_000)
    rest = rng.poisson(lam * 0.3)
    m, index = nc.remainder_moments(x, 0, delay, mu, nc.RemainderModel(k=k))
    assert m == pytest.approx(rest.mean(), rel=0.01)
    assert m * index == pytest.approx(rest.var(), rel=0.02)
    lo, hi = nc.remainder_quantiles(m, index, (0.05, 0.95))
    assert (lo, hi) == (np.quantile(rest, 0.05), np.quantile(rest, 0.95))


def test_a_tertial_adds_its_months_remainders() -> None:
    rng = np.random.default_rng(3)
    delay = nc.DelayDistribution((0.8, 0.92, 0.97, 0.99, 1.0), "2024-04", 1000)
    model = nc.RemainderModel(k=10.0, delta=1.5)
    x, h, mu = np.array([40.0, 45.0, 38.0, 30.0]), np.array([3, 2, 1, 0]), 45.0
    total = nc.nowcast_total(x, h, delay, mu, model)
    mean, index = nc.remainder_moments(x, h, delay, mu, model)
    n, p = nc.nb_params(mean, index)
    draws = sum(rng.negative_binomial(n[i], p[i], 200_000) for i in range(4)) + x.sum()
    assert total.mean == pytest.approx(x.sum() + mean.sum())
    assert abs(total.lo - np.quantile(draws, 0.05)) <= 1
    assert abs(total.hi - np.quantile(draws, 0.95)) <= 1
    assert total.chain_ladder == pytest.approx(sum(nc.chain_ladder(x[i], h[i], delay) for i in range(4)))


def test_preliminary_months_follow_the_delay_distribution() -> None:
    assert nc.DelayDistribution((0.96, 0.991, 1.0), "2024-03", 1).preliminary_months() == 1
    assert nc.DelayDistribution((0.9, 0.95, 0.98, 0.995, 1.0), "2024-03", 1).preliminary_months() == 3
    assert nc.DelayDistribution(tuple([0.5] * 12 + [1.0]), "2024-03", 1).preliminary_months() == nc.MAX_PRELIMINARY


# --------------------------------------------------------------------------- simulated coverage

TRUE_F = np.array([0.80, 0.93, 0.97, 0.99, 1.0])


def _simulate(rng, n_series: int, n_months: int, means: np.ndarray, k: float, batch: float = 0.0) -> np.ndarray:
    """Counts ``(series, months, delays)``: NB(mean, k) offences a month, each registered after a
    delay drawn from TRUE_F; with ``batch`` > 0 the late ones come in clusters (a Poisson number
    of batches, geometric sizes of mean ``batch``) — extra-Poisson late registration."""
    pmf = np.diff(np.concatenate([[0.0], TRUE_F]))
    out = np.zeros((n_series, n_months, len(pmf)))
    for s in range(n_series):
        lam = rng.gamma(k, means[s] / k, n_months)
        if batch <= 0:
            n = rng.poisson(lam)
            for t in range(n_months):
                out[s, t] = rng.multinomial(n[t], pmf)
        else:
            out[s, :, 0] = rng.poisson(lam * pmf[0])
            for d in range(1, len(pmf)):
                n_batches = rng.poisson(lam * pmf[d] / batch)
                out[s, :, d] = [rng.geometric(1 / batch, b).sum() if b else 0 for b in n_batches]
    return out


def _coverage(counts: np.ndarray, cut: int, fitted: nc.TypeModel, k: float, mu: np.ndarray) -> tuple[int, int]:
    reg = nc.registered_by(counts, cut)
    hit = total = 0
    for h in nc.HORIZONS:
        now = nc.nowcast_months(reg[:, cut - h], h, fitted.delay, mu, fitted.model(k))
        truth = counts[:, cut - h].sum(axis=-1)
        hit += int(((truth >= now.lo) & (truth <= now.hi)).sum())
        total += len(truth)
    return hit, total


def test_known_delay_distribution_is_recovered_and_areas_are_covered() -> None:
    """Many small series (areas, 1–30 a month) pooled into a national table: the delay estimate
    is close to the truth and the 90 % intervals of the areas' last three months cover ≈ 90 %."""
    rng = np.random.default_rng(11)
    means = rng.uniform(1, 30, 300)
    counts = _simulate(rng, 300, 40, means, k=6.0)
    cut = 39
    fitted = nc.fit_type(counts.sum(axis=0), "2020-01", nc.month_label(nc.month_index("2020-01") + cut))
    assert np.abs(np.array(fitted.delay.cdf[:4]) - TRUE_F[:4]).max() < 0.01
    reg = nc.registered_by(counts, cut)
    k, mu = nc.level_shape(reg, cut, fitted.delay)
    assert 3 < k < 12  # the true Gamma shape is 6
    hit, total = _coverage(counts, cut, fitted, k, mu)
    assert 0.86 <= hit / total <= 0.98, hit / total


def test_extra_poisson_late_registration_widens_the_interval_to_keep_coverage() -> None:
    """Nations whose late registrations come in batches: the fitted δ is well above 0 and keeps
    the national interval near 90 %; the same interval with δ = 0 (Poisson) covers far less."""
    rng = np.random.default_rng(5)
    hit = hit_poisson = total = 0
    deltas = []
    for _ in range(30):
        counts = _simulate(rng, 1, 40, np.array([150.0]), k=20.0, batch=6.0)
        cut = 39
        fitted = nc.fit_type(counts[0], "2020-01", nc.month_label(nc.month_index("2020-01") + cut))
        deltas.append(fitted.delta)
        reg = nc.registered_by(counts, cut)
        k, mu = nc.level_shape(reg, cut, fitted.delay)
        h_, t_ = _coverage(counts, cut, fitted, k, mu)
        poisson = nc.TypeModel(fitted.delay, 0.0, 0.0, fitted.k_national)
        hp, _ = _coverage(counts, cut, poisson, k, mu)
        hit, hit_poisson, total = hit + h_, hit_poisson + hp, total + t_
    assert np.median(deltas) > 2  # batches of mean 6: variance index ≈ 1 + 2·6 − 1 … well above 1
    assert 0.83 <= hit / total <= 0.99, hit / total
    assert hit_poisson / total < hit / total - 0.15, (hit_poisson / total, hit / total)


def test_a_type_with_a_short_history_borrows_its_dispersion_by_credibility() -> None:
    """A type that began 8 months before the cut (as riots did in the extracts) has few past
    nowcasts to learn δ from: it takes ``w·δ_own + (1 − w)·δ_pooled`` with w = its retrospective
    cuts / RETRO_CUTS; a type with a full window keeps its own δ exactly."""
    rng = np.random.default_rng(3)
    old = _simulate(rng, 1, 40, np.array([150.0]), k=20.0, batch=6.0)[0]
    new = _simulate(rng, 1, 8, np.array([20.0]), k=20.0)[0]
    cut = nc.month_label(nc.month_index("2020-01") + 39)
    tables = {"old": ("2020-01", old), "new": (nc.month_label(nc.month_index("2020-01") + 32), new)}
    fitted = nc.fit_types(tables, cut)
    alone_new = nc.fit_type(new, tables["new"][0], cut)
    alone_old = nc.fit_type(old, "2020-01", cut)
    pool = np.zeros_like(old)
    pool += old
    pool[32:] += new
    pooled = nc.fit_type(pool, "2020-01", cut)
    w = (7 - max(nc.HORIZONS)) / nc.RETRO_CUTS
    assert fitted["new"].delta == pytest.approx(w * alone_new.delta + (1 - w) * pooled.delta)
    assert fitted["new"].delta > alone_new.delta  # the batches of the long series are learnt from
    assert fitted["old"].delta == pytest.approx(alone_old.delta)  # a full window: its own δ


# --------------------------------------------------------------------------- statsmodels


def test_level_shape_is_statsmodels_negative_binomial() -> None:
    from statsmodels.discrete.discrete_model import NegativeBinomial

    rng = np.random.default_rng(2)
    expected = rng.uniform(0.5, 12, 400)
    counts = rng.negative_binomial(4.0, 4.0 / (4.0 + expected))  # NB2 with k = 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = NegativeBinomial(counts, np.ones((400, 1)), loglike_method="nb2",
                                  offset=np.log(expected)).fit(disp=0, maxiter=200)
    k = nc.fit_level_shape(counts, expected)
    assert k == pytest.approx(1 / direct.params[1], rel=1e-9)
    assert 2.5 < k < 6.5


def test_late_dispersion_is_the_nb1_maximum_likelihood_of_statsmodels() -> None:
    """``nb1_loglike`` is statsmodels' NB1 log-likelihood (checked at statsmodels' own optimum),
    and ``fit_late_dispersion`` maximises it with the constant held at 0."""
    from statsmodels.discrete.discrete_model import NegativeBinomial

    rng = np.random.default_rng(4)
    expected = rng.uniform(0.5, 20, 300)
    late = rng.negative_binomial(expected / 2.0, 1 / 3.0)  # NB1, variance index 3: δ = 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = NegativeBinomial(late, np.ones((300, 1)), loglike_method="nb1",
                                  offset=np.log(expected)).fit(disp=0, maxiter=200)
    beta, alpha = direct.params
    assert nc.nb1_loglike(late, expected * np.exp(beta), alpha) == pytest.approx(direct.llf, rel=1e-10)
    delta = nc.fit_late_dispersion(late, expected)
    grid = np.linspace(0.5, 5, 4501)
    best = grid[np.argmax([nc.nb1_loglike(late, expected, d) for d in grid])]
    assert delta == pytest.approx(best, abs=2e-3)
    assert delta == pytest.approx(alpha, rel=0.1)  # β ≈ 0 here, so the two fits nearly agree
    assert nc.fit_late_dispersion(np.zeros(10), np.ones(10)) == 0.0


def test_nb_params_are_scipys_negative_binomial() -> None:
    n, p = nc.nb_params(6.0, 2.5)
    assert stats.nbinom.mean(n, p) == pytest.approx(6.0)
    assert stats.nbinom.var(n, p) == pytest.approx(15.0)


# --------------------------------------------------------------------------- one series


def test_nowcast_series_marks_the_last_months() -> None:
    delay = nc.DelayDistribution((0.9, 0.97, 0.995, 1.0), "2024-03", 500)
    fitted = nc.TypeModel(delay, delta=0.5, delta_sum=0.8, k_national=50.0)
    months = [nc.month_label(nc.month_index("2022-01") + i) for i in range(27)]
    series = pd.DataFrame({"month": months, "value": [10.0] * 24 + [9.0, 9.0, 8.0]})
    out = nc.nowcast_series(series, "2024-03", fitted, k=5.0)
    assert out["month"].tolist() == ["2024-02", "2024-03"]  # F(1) = 0.97: two months preliminary
    assert out["registered"].tolist() == [9.0, 8.0]
    assert (out["lo90"] >= out["registered"]).all() and (out["hi90"] > out["estimate"]).all()
    assert out.loc[1, "chain_ladder"] == pytest.approx(8 / 0.9)
    assert out.loc[1, "share_registered"] == pytest.approx(0.9)
    assert nc.nowcast_series(series, "2024-03", fitted, k=5.0, n_months=0).empty
