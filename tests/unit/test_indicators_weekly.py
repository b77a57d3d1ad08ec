"""The weekly flag: the NB/Poisson tail against the area's own baseline, BH across the week's table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.stats as sps
from statsmodels.stats.multitest import multipletests

from indicators.calendar import previous_weeks
from indicators.dispersion import Dispersion
from indicators.weekly import weekly_dispersion, weekly_flags

WEEK = "2025-W14"


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit", "type", "week", "count"])


def _history(unit: str, kind: str, per_week: list[int], now: int) -> list[tuple]:
    weeks = [p.label for p in reversed(previous_weeks(WEEK, len(per_week)))]
    return [(unit, kind, w, c) for w, c in zip(weeks, per_week, strict=True)] + [(unit, kind, WEEK, now)]


def test_poisson_and_negbin_tails_match_scipy() -> None:
    counts = _frame(_history("a", "skott", [0] * 50 + [1, 0], 3) + _history("b", "ran", [1] * 52, 4))
    disp = {"skott": Dispersion(0.0, 0.0, 0.0, 0, 1.0, 0), "ran": Dispersion(0.5, 0.5, 9.0, 100, 1.5, 0)}
    t = weekly_flags(counts, WEEK, baseline_weeks=52, dispersion=disp).set_index("unit")
    m_a = (1 + 0.5) / 52
    assert np.isclose(t.loc["a", "p"], sps.poisson.sf(2, m_a)) and t.loc["a", "test"] == "poisson"
    m_b = (52 + 0.5) / 52
    size = 1 / 0.5
    assert np.isclose(t.loc["b", "p"], sps.nbinom.sf(3, size, size / (size + m_b)))
    assert t.loc["b", "test"] == "negbin"
    assert np.allclose(t["p_adjusted"].sort_index(), multipletests(t["p"].sort_index(), method="fdr_bh")[1])


def test_spike_is_flagged_and_quiet_areas_are_not() -> None:
    rows = []
    for u in range(40):
        rows += _history(f"u{u}", "skott", [0] * 52, 0 if u else 5)
        rows += _history(f"u{u}", "ran", [2] * 52, 2)
    t = weekly_flags(_frame(rows), WEEK)
    assert t.loc[t["flag"], "unit"].tolist() == ["u0"]
    assert t.loc[0, "type"] == "skott"


def test_one_event_against_zero_baseline_is_not_a_flag() -> None:
    t = weekly_flags(_frame(_history("a", "skott", [0] * 52, 1)), WEEK)
    assert not t["flag"].any() and t.loc[0, "p"] < 0.05


def test_false_flags_under_the_null_are_rare() -> None:
    rng = np.random.default_rng(7)
    rows = []
    for u in range(60):
        mu = rng.uniform(0.2, 3.0)
        series = rng.poisson(mu, 53)
        rows += _history(f"u{u}", "ran", series[:52].tolist(), int(series[52]))
    t = weekly_flags(_frame(rows), WEEK)
    assert int(t["flag"].sum()) <= 1


def test_weekly_dispersion_finds_overdispersed_weeks() -> None:
    rng = np.random.default_rng(3)
    rows = []
    weeks = [p.label for p in reversed(previous_weeks(WEEK, 156))]
    for u in range(30):
        mu = rng.uniform(1, 6)
        c = rng.negative_binomial(1 / 0.6, 1 / (1 + 0.6 * mu), len(weeks))
        rows += [(f"u{u}", "ran", w, int(x)) for w, x in zip(weeks, c, strict=True)]
    d = weekly_dispersion(_frame(rows), WEEK)["ran"]
    assert 0.35 < d.alpha < 0.9 and d.model == "negbin"
