"""Every statistic against scipy/statsmodels on the same inputs, plus the edge cases."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from scipy.spatial.distance import cdist
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep

from indicators.crosssection import (
    cross_sectional_table,
    cross_sectional_z,
    funnel_limits,
    funnel_table,
    peer_group,
    profile_distances,
)
from indicators.cusum import cusum, cusum_matrix, monthly_residuals
from indicators.fdr import benjamini_hochberg
from indicators.stats import (
    baseline_z,
    difference_t,
    etest,
    percent_change,
    poisson_tail,
    poisson_z,
    prediction_t,
)


def sm_etest(c1: float, n1: float, c2: float, n2: float, alternative: str = "two-sided") -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(poisson_2indep(c1, n1, c2, n2, method="etest", alternative=alternative).pvalue)


# --------------------------------------------------------------------------- E-test
@pytest.mark.parametrize(
    "case",
    [
        (14, 1, 6, 1),
        (0, 1, 0, 1),
        (5, 1, 0, 1),
        (0, 1, 5, 1),
        (1, 1, 0, 1),
        (30, 1, 10, 1),
        (5, 1, 30, 3),
        (0, 1, 7, 3),
        (9, 1, 16, 1),
        (250, 1, 300, 1),
        (1000, 1, 2900, 3),
        (3, 2, 7, 5),
        (2, 1, 2, 1),
        (12, 4, 30, 12),
    ],
)
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_etest_matches_statsmodels(case: tuple[int, int, int, int], alternative: str) -> None:
    assert etest(*case, alternative=alternative) == pytest.approx(
        sm_etest(*case, alternative), abs=1e-10
    )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 400),
    st.integers(0, 400),
    st.sampled_from([1.0, 2.0, 4.0]),
    st.sampled_from([1.0, 3.0, 2.0, 12.0]),
)
def test_etest_matches_statsmodels_property(c1: int, c2: int, n1: float, n2: float) -> None:
    assert etest(c1, n1, c2, n2) == pytest.approx(sm_etest(c1, n1, c2, n2), abs=1e-10)


def test_etest_vectorised_equals_scalar_calls() -> None:
    rng = np.random.default_rng(7)
    c1, c2 = rng.poisson(8, 300), rng.poisson(8, 300)
    vec = etest(c1, 1.0, c2, 1.0)
    assert vec.shape == (300,)
    for i in range(0, 300, 37):
        assert vec[i] == pytest.approx(sm_etest(c1[i], 1, c2[i], 1), abs=1e-10)


def test_etest_edge_cases() -> None:
    assert etest(0, 1, 0, 1) == 1.0  # zero in both periods: no evidence of change
    assert etest(5, 1, 0, 1) == pytest.approx(0.01975605, abs=1e-7)  # zero before, some after
    assert np.isnan(etest(np.nan, 1, 3, 1))
    assert np.isnan(etest(3, 0, 3, 1))  # exposure must be positive
    with pytest.raises(ValueError, match="alternative"):
        etest(1, 1, 1, 1, alternative="bigger")


# --------------------------------------------------------------------------- descriptive
def test_percent_change_and_poisson_z() -> None:
    assert percent_change(16, 9) == pytest.approx(77.777, abs=1e-3)
    assert np.isnan(percent_change(5, 0))  # undefined, never +inf %
    assert np.isnan(percent_change(0, 0))
    assert poisson_z(0, 0) == 0.0
    assert poisson_z(14, 6) == pytest.approx(2 * (np.sqrt(14) - np.sqrt(6)))
    assert poisson_z(4, 0) == pytest.approx(4.0)
    assert np.isnan(poisson_z(-1, 3))


# --------------------------------------------------------------------------- tail probability
@pytest.mark.parametrize(
    ("count", "mean"), [(0, 0.5), (1, 0.5), (6, 1.5), (14, 6.0), (3, 6.0), (40, 31.2)]
)
def test_poisson_tail_matches_scipy(count: int, mean: float) -> None:
    upper = sps.poisson.sf(count - 1, mean)
    lower = sps.poisson.cdf(count, mean)
    assert poisson_tail(count, mean, "larger") == pytest.approx(upper, rel=1e-12, abs=1e-300)
    assert poisson_tail(count, mean, "smaller") == pytest.approx(lower, rel=1e-12)
    assert poisson_tail(count, mean) == pytest.approx(min(1.0, 2 * min(upper, lower)), rel=1e-12)


def test_poisson_tail_zero_mean_is_degenerate_not_nan() -> None:
    assert poisson_tail(2, 0.0, "larger") == 0.0
    assert poisson_tail(0, 0.0, "larger") == 1.0


# --------------------------------------------------------------------------- baseline z and t-tests
def test_baseline_z_poisson_and_overdispersed() -> None:
    # Poisson noise dominates: sd = sqrt(mean)
    z = baseline_z([14.0], np.array([[6.0, 5.0, 7.0]]))
    assert z[0] == pytest.approx((14 - 6) / np.sqrt(6))
    # year-to-year spread larger than the mean: sd = sample sd
    b = np.array([[2.0, 10.0, 18.0]])
    assert baseline_z([30.0], b)[0] == pytest.approx((30 - 10) / np.std(b, ddof=1))
    assert np.isnan(baseline_z([3.0], np.array([[0.0, 0.0, 0.0]]))[0])  # zero baseline: no scale


def test_baseline_z_non_count_uses_sample_sd() -> None:
    b = np.array([[60.0, 62.0, 64.0]])
    assert baseline_z([66.0], b, poisson=False)[0] == pytest.approx((66 - 62) / 2.0)
    assert np.isnan(baseline_z([66.0], np.array([[60.0, np.nan, np.nan]]), poisson=False)[0])


def test_prediction_t_matches_scipy_interval() -> None:
    b = np.array([[60.0, 62.0, 65.0]])
    mean, s, k = b.mean(), b.std(ddof=1), 3
    half = sps.t.ppf(0.975, k - 1) * s * np.sqrt(1 + 1 / k)
    t_in, p_in = prediction_t([mean + 0.99 * half], b)
    t_out, p_out = prediction_t([mean + 1.01 * half], b)
    assert p_in[0] > 0.05 > p_out[0]
    assert p_in[0] == pytest.approx(2 * sps.t.sf(abs(t_in[0]), k - 1))


def test_difference_t_matches_scipy() -> None:
    b = np.array([[100.0, 110.0, 95.0]])
    t, p = difference_t([130.0], [110.0], b)
    expected_t = 20.0 / (np.std(b, ddof=1) * np.sqrt(2))
    assert t[0] == pytest.approx(expected_t)
    assert p[0] == pytest.approx(2 * sps.t.sf(expected_t, 2))


# --------------------------------------------------------------------------- FDR
def test_bh_matches_statsmodels_with_nans() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(size=200) ** 3
    p[::17] = np.nan
    ours = benjamini_hochberg(p)
    ok = ~np.isnan(p)
    ref = multipletests(p[ok], method="fdr_bh")[1]
    np.testing.assert_allclose(ours[ok], ref, rtol=1e-12)
    assert np.isnan(ours[~ok]).all()


# --------------------------------------------------------------------------- cross-section
def test_cross_sectional_z_include_self_matches_scipy() -> None:
    s = pd.Series([3.0, 7.0, 4.0, 9.0, 1.0, 5.0], index=list("abcdef"))
    z = cross_sectional_z(s, "d", include_self=True)
    assert z.z == pytest.approx(sps.zscore(s.to_numpy(), ddof=1)[3])


def test_cross_sectional_z_leave_one_out_and_groups() -> None:
    s = pd.Series([3.0, 7.0, 4.0, 9.0, 1.0, np.nan], index=list("abcdef"))
    others = s.drop(["d", "f"])
    z = cross_sectional_z(s, "d")
    assert z.z == pytest.approx((9 - others.mean()) / others.std(ddof=1))
    assert z.n == 4
    grp = cross_sectional_z(s, "d", group=["a", "b", "c"])
    assert grp.z == pytest.approx((9 - 14 / 3) / np.std([3, 7, 4], ddof=1))
    assert cross_sectional_z(s, "f").reason == "no_value"
    assert cross_sectional_z(s, "d", group=["a", "b"]).reason == "group_too_small"


def test_cross_sectional_table_equals_scalar() -> None:
    rng = np.random.default_rng(1)
    wide = pd.DataFrame(
        rng.normal(size=(12, 4)), index=[f"a{i}" for i in range(12)], columns=list("wxyz")
    )
    wide.iloc[3, 2] = np.nan
    table = cross_sectional_table(wide, "a0", group=[f"a{i}" for i in range(6)])
    for col in wide.columns:
        one = cross_sectional_z(wide[col], "a0", group=[f"a{i}" for i in range(6)])
        assert table.loc[col, "z"] == pytest.approx(one.z)


def test_peer_distances_match_scipy_seuclidean() -> None:
    rng = np.random.default_rng(5)
    prof = pd.DataFrame(rng.normal(size=(10, 4)) * [1, 10, 100, 0.1], columns=["p", "q", "r", "s"])
    prof.insert(0, "area_id", [f"a{i}" for i in range(10)])
    dist, used, reason = profile_distances(prof, "a3")
    assert reason is None and used == ("p", "q", "r", "s")
    x = prof[list(used)].to_numpy()
    ref = cdist(x[[3]], x, "seuclidean", V=x.var(axis=0, ddof=1))[0]
    expected = pd.Series(ref, index=prof["area_id"]).drop("a3").sort_values()
    np.testing.assert_allclose(dist.to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert list(dist.index) == list(expected.index)
    group = peer_group(prof, "a3", k=3)
    assert group.peers == tuple(expected.index[:3])


def test_peer_group_reasons() -> None:
    prof = pd.DataFrame({"area_id": ["a", "b", "c"], "x": [1.0, 2.0, 3.0]})
    assert peer_group(prof, "zzz").reason == "no_profile"
    assert peer_group(None, "a").reason == "no_profiles"
    assert peer_group(prof, "a", k=5).reason == "too_few_profiles"


# --------------------------------------------------------------------------- funnel
def _spiegelhalter(p: float, mu: float) -> float:
    r = sps.poisson.ppf(p, mu)
    f_r, f_r1 = sps.poisson.cdf(r, mu), sps.poisson.cdf(r - 1, mu)
    return max(r - (f_r - p) / (f_r - f_r1), 0.0)


@pytest.mark.parametrize("exposure", [2.0, 5.0, 12.5, 40.0])
def test_funnel_limits_exact_poisson(exposure: float) -> None:
    rate = 1.8
    lim = funnel_limits([exposure], rate).iloc[0]
    mu = rate * exposure
    for level, tag in ((0.95, "950"), (0.998, "998")):
        a = (1 - level) / 2
        assert lim[f"lower_{tag}"] == pytest.approx(_spiegelhalter(a, mu) / exposure)
        assert lim[f"upper_{tag}"] == pytest.approx(_spiegelhalter(1 - a, mu) / exposure)
    assert lim["lower_998"] <= lim["lower_950"] < rate < lim["upper_950"] < lim["upper_998"]


def test_funnel_limits_chi2_formula() -> None:
    lim = funnel_limits([10.0], 2.0, method="chi2").iloc[0]
    mu = 20.0
    assert lim["lower_950"] == pytest.approx(sps.chi2.ppf(0.025, 2 * mu) / 2 / 10)
    assert lim["upper_998"] == pytest.approx(sps.chi2.ppf(0.999, 2 * mu + 2) / 2 / 10)


def test_funnel_table_flags() -> None:
    counts = pd.Series({"a": 10.0, "b": 60.0, "c": 11.0, "d": 5.0})
    exposure = pd.Series({"a": 10.0, "b": 10.0, "c": 10.0, "d": np.nan})
    table = funnel_table(counts, exposure, target_rate=1.0)
    assert table.loc["a", "flag"] == "within"
    assert table.loc["b", "flag"] == "above_outer"
    assert table.loc["d", "flag"] == "no_exposure"


# --------------------------------------------------------------------------- CUSUM
def test_cusum_hand_example() -> None:
    months = [f"2024-{m:02d}" for m in range(1, 8)]
    z = pd.Series([1.0, 2.0, 2.0, np.nan, 0.0, 3.0, 1.0], index=months)
    res = cusum(z, k=0.5, h=3.0)
    np.testing.assert_allclose(res.path.to_numpy(), [0.5, 2.0, 3.5, 3.5, 3.0, 5.5, 6.0])
    assert res.signals == ("2024-03", "2024-06")
    assert res.skipped == ("2024-04",)
    low = cusum(-z, k=0.5, h=3.0, side="lower")
    np.testing.assert_allclose(low.path.to_numpy(), res.path.to_numpy())
    reset = cusum(z, k=0.5, h=3.0, reset=True)
    assert reset.signals == ("2024-03",)  # restarts at 0 after March: 0, 2.5, 3.0 never exceed 3
    np.testing.assert_allclose(reset.path.to_numpy(), [0.5, 2.0, 3.5, 0.0, 0.0, 2.5, 3.0])


def test_cusum_matrix_equals_loop() -> None:
    rng = np.random.default_rng(2)
    z = rng.normal(0.3, 1.0, size=(60, 3))
    z[10, 1] = np.nan
    path, crossed = cusum_matrix(z, 0.5, 2.0)
    for j in range(3):
        s, expected = 0.0, []
        for zi in z[:, j]:
            if not np.isnan(zi):
                s = max(0.0, s + zi - 0.5)
            expected.append(s)
        np.testing.assert_allclose(path[:, j], expected)


def test_monthly_residuals_against_three_year_mean() -> None:
    months = [f"{y}-{m:02d}" for y in range(2021, 2025) for m in range(1, 13)]
    values = pd.Series(4.0, index=months)
    values["2024-03"] = 12.0
    values = values.drop(
        "2022-05"
    )  # missing month: no residual for 2022-05, nor for 2024-05 (baseline gap)
    res = monthly_residuals(values)
    assert res.loc["2024-03", "expected"] == 4.0
    assert res.loc["2024-03", "residual"] == pytest.approx((12 - 4) / 2.0)
    assert res.loc["2022-05", "reason"] == "missing"
    assert (
        np.isnan(res.loc["2024-05", "residual"]) and res.loc["2024-05", "reason"] == "no_baseline"
    )
    assert res.loc["2023-12", "reason"] == "no_baseline"  # needs three earlier years
