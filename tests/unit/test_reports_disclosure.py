"""The kommun tier's disclosure policy (``reports/disclosure.py``): the period grid, the notes rule,
joint suppression of tertials and years, and — end to end on random series — that nothing the tier
prints for any period and comparison lets ``linprog`` narrow a hidden count below the threshold."""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reports.disclosure
from reports.disclosure import (
    KOMMUN,
    POLICE,
    DisclosureRefused,
    area_cells,
    grid_totals,
    policy,
    protect_series,
)
from reports.model import ReportData
from reports.numberview import Numbers
from reports.suppression import PRIMARY, PUBLISHED, SECONDARY
from testing.disclosure_audit import audit, figures_from_numbers

T = 5


def test_doctests():
    assert doctest.testmod(reports.disclosure).failed == 0


# --------------------------------------------------------------------------- the policy
@pytest.mark.parametrize("period, ok", [("2025-T1", True), ("2025-T3", True), ("2025", True),
                                         ("2025-05", False), ("YTD:2025-08", False), ("R12:2025-08", False),
                                         ("ytd:2025-08", False), ("nonsense", False), (None, False)])
def test_the_kommun_tier_sees_tertials_and_years_only(period, ok):
    assert KOMMUN.allows_period(period) is ok
    if period is not None and period != "nonsense":
        assert POLICE.allows_period(period)
    if not ok and period not in (None, "nonsense"):
        with pytest.raises(DisclosureRefused) as exc:
            KOMMUN.check_period(period)
        assert "tertial" in exc.value.message("sv") and "tertial" in exc.value.message("en")
        assert KOMMUN.grid_period(period, "2025-T2") == "2025-T2"


def test_what_else_the_tiers_see():
    assert policy("police") is POLICE and policy("kommun") is KOMMUN and policy("anything") is KOMMUN
    assert not any(KOMMUN.allows_layer(x) for x in ("hotspots", "events", "pois"))
    assert all(POLICE.allows_layer(x) for x in ("hotspots", "events", "pois"))
    assert not (KOMMUN.monthly_series or KOMMUN.cross_area_tables or KOMMUN.event_analyses or KOMMUN.statistics)
    assert KOMMUN.list_year(2021) is None and POLICE.list_year(2021) == 2021
    # notes: the police see all, the kommun tier only what is marked for it and not internal
    assert [KOMMUN.note_visible(i, k) for i, k in itertools.product((False, True), repeat=2)] == \
        [False, True, False, False]
    assert all(POLICE.note_visible(i, k) for i, k in itertools.product((False, True), repeat=2))
    with pytest.raises(DisclosureRefused):
        KOMMUN.refuse_cross_area()
    POLICE.refuse_cross_area()


# --------------------------------------------------------------------------- one year's table
def lp_range(published: dict[str, float], hidden: list[str], name: str) -> tuple[float, float]:
    """Independent of the engine: min/max of ``name`` given Y = T1 + T2 + T3, the published cells
    and x ≥ 0 (integrality relaxed, marks ignored) — the audit's reading."""
    from scipy.optimize import linprog

    idx = {n: k for k, n in enumerate(hidden)}
    row, rhs = np.zeros(len(hidden)), 0.0
    for n, c in (("Y", 1.0), ("T1", -1.0), ("T2", -1.0), ("T3", -1.0)):
        if n in idx:
            row[idx[n]] += c
        else:
            rhs -= c * published[n]
    out = []
    for sign in (1.0, -1.0):
        c = np.zeros(len(hidden))
        c[idx[name]] = sign
        kw = {"A_eq": [row], "b_eq": [rhs]} if row.any() else {}
        r = linprog(c, bounds=[(0, None)] * len(hidden), method="highs", **kw)
        out.append(-sign * np.inf if r.status == 3 else sign * r.fun)
    return out[0], out[1]


def enumerate_values(published: dict[str, float], status: dict[str, str], name: str, limit: int = 40) -> set[int]:
    """Every value of ``name`` in a table consistent with what is printed, the marks included
    ("<5": 0–4, "..": at least 5), by enumeration."""
    seen = set()
    for t in itertools.product(range(limit), repeat=3):
        cells = {"T1": t[0], "T2": t[1], "T3": t[2], "Y": sum(t)}
        ok = True
        for n, st_ in status.items():
            v = cells[n]
            if st_ == PUBLISHED and v != published[n] or st_ == PRIMARY and v >= T or st_ == SECONDARY and v < T:
                ok = False
                break
        if ok:
            seen.add(cells[name])
    return seen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.tuples(*[st.integers(0, 4) | st.integers(0, 14)] * 3))
def test_a_year_and_its_tertials_never_give_a_hidden_count_away(tertials):
    totals = {f"2023-T{k + 1}": float(v) for k, v in enumerate(tertials)}
    totals["2023"] = float(sum(tertials))
    cells = protect_series(totals)
    names = {"2023-T1": "T1", "2023-T2": "T2", "2023-T3": "T3", "2023": "Y"}
    status = {names[k]: cells.status[k] for k in totals}
    values = {names[k]: v for k, v in totals.items()}
    for n, v in values.items():  # primary exactly below the threshold
        assert (status[n] == PRIMARY) == (v < T), (n, status)
    published = {n: v for n, v in values.items() if status[n] == PUBLISHED}
    hidden = [n for n in values if status[n] != PUBLISHED]
    for n in hidden:
        lo, hi = lp_range(published, hidden, n)
        assert hi - lo >= T - 1e-6, (n, lo, hi, status, values)
        if status[n] == PRIMARY:
            assert enumerate_values(published, status, n) == set(range(T)), (n, status, values)
    # tertials are never the complementary cell: the year total goes first
    assert all(status[n] != SECONDARY for n in ("T1", "T2", "T3")), status


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.tuples(*[st.integers(0, 4) | st.integers(0, 14)] * 3))
def test_the_closed_form_year_rule_agrees_with_the_general_engine(tertials):
    """``_protect_year`` decides with the closed form; ``reports.suppression.protect`` (linear and
    integer programs) must decide the same."""
    from reports.disclosure import _protect_year
    from reports.suppression import protect

    vals = dict(zip(("T1", "T2", "T3", "Y"), (*tertials, sum(tertials)), strict=True))
    general = protect(vals, [{"Y": 1, "T1": -1, "T2": -1, "T3": -1}], counts=set(vals), threshold=T,
                      cost={"Y": -1, **{k: v for k, v in vals.items() if k != "Y"}})
    closed = _protect_year(tuple(float(v) for v in vals.values()), T)
    assert closed == tuple(general.status[k] for k in ("T1", "T2", "T3", "Y")), (vals, closed, general.status)


def test_the_two_cases_of_the_issue():
    cells = protect_series({"2023-T1": 11, "2023-T2": 6, "2023-T3": 1, "2023": 18})
    assert not cells.shown("2023") and cells.shown("2023-T1") and cells.shown("2023-T2")
    cells = protect_series({"2022-T1": 5, "2022-T2": 1, "2022-T3": 22, "2022": 28})
    assert [cells.text(k, "x") for k in ("2022-T1", "2022-T2", "2022-T3", "2022")] == ["x", "<5", "x", ".."]


def test_cells_wait_for_every_month_to_be_registered():
    monthly = {f"2024-{m:02d}": 2.0 for m in range(1, 13)}
    totals = grid_totals(monthly, available=[f"2024-{m:02d}" for m in range(1, 11)])
    assert totals["2024-T1"] == 8.0 and totals["2024-T2"] == 8.0
    assert totals["2024-T3"] is None and totals["2024"] is None  # Nov–Dec still being registered
    cells = protect_series(totals)
    assert cells.mark("2024-T3") == "–" and cells.value("2024-T3") is None


# --------------------------------------------------------------------------- end to end on random series
def kommun_rows(cells, truth: dict[str, float], period: str, comparison: str) -> list[dict]:
    """Everything the kommun tier prints of one indicator for a period: Numbers → rows."""
    from indicators.calendar import parse_period

    p = parse_period(period)

    def tot(q):
        ms = q.months
        return float(sum(truth[m] for m in ms)) if all(m in truth for m in ms) else None

    v, prev = tot(p), tot(p.shift_years(-1))
    base = [tot(q) for q in p.baseline_periods(3)]
    exact_baseline = None if None in base else sum(base) / 3
    baseline = None if exact_baseline is None else round(exact_baseline, 3)
    target = 9.0 if comparison == "target" else None
    # change and per cent from the unrounded mean, as the engine computes them (a per cent from the
    # rounded 7.667 reads 95.6 where 23/3 gives 95.65: the audit rightly calls that a wrong figure)
    ref = {"prev_year": prev, "baseline": exact_baseline, "target": target}[comparison]
    change = None if v is None or ref is None else round(v - ref, 3)
    pct = None if change is None or not ref else round(100 * change / ref, 1)
    ind = {"id": "x", "name": "X", "unit": "count", "direction": "up_is_bad", "value": v, "previous": prev,
           "baseline": baseline, "target": target, "change": change, "pct_change": pct, "rag": "red",
           "signal": "sig_worse", "verdict_sv": "säker ökning", "complete": True, "p_adjusted": 0.01}
    summary = {"lang": "sv", "period": p.label, "comparison": comparison, "indicators": [ind], "area": {}}
    n = Numbers(ReportData(summary=summary, tier="kommun", disclosure=cells))
    rows = [{"indicator_id": "x", "measure": f, "value": n.raw("x", f), "shown": n.text("x", f)}
            for f in ("value", "previous", "baseline", "target", "change", "pct_change") if ind.get(f) is not None]
    rows.append({"indicator_id": "x", "measure": "rag", "value": None,
                 "shown": "Röd" if n.shown("x", "verdict") else ".."})
    rows += [{"indicator_id": "x", "measure": label, "value": val, "shown": text}
             for label, val, text in n.period_series("x")]
    return rows


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**31 - 1), st.sampled_from([0.4, 0.9, 1.6]))
def test_nothing_printed_for_any_period_narrows_a_hidden_count(seed, rate):
    """Poisson monthly counts over 2019–2024; every tertial and year from 2020 on, every comparison:
    linprog over all that is printed leaves every hidden cell and every month at least 5 wide."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    months = [f"{y}-{m:02d}" for y in range(2019, 2025) for m in range(1, 13)]
    truth = dict(zip(months, rng.poisson(rate, len(months)).astype(float), strict=True))
    frame = pd.DataFrame({"indicator_id": "x", "month": months, "value": [truth[m] for m in months]})
    cells = area_cells(frame, {"x": "count"}, {"x": "2024-12"})
    from testing.disclosure_audit import Collected

    col = Collected()
    periods = [f"{y}-T{t}" for y in range(2020, 2025) for t in (1, 2, 3)] + [str(y) for y in range(2020, 2025)]
    for period in periods:
        for cmp_ in ("prev_year", "baseline", "target"):
            rows = kommun_rows(cells, truth, period, cmp_)
            col.extend(figures_from_numbers(rows, period, cmp_, {"x"}, source="unit"))
    assert not col.verdicts_on_hidden, col.verdicts_on_hidden[:3]
    result = audit(col, {"x": truth}, T, months=[m for m in months if m >= "2020"])
    assert result.checked >= 40  # the audit had hidden cells to try (60 months, and more)
    assert not result.narrow(), result.describe()


# --------------------------------------------------------------------------- the chart
def test_hidden_counts_are_never_drawn_as_bars(monkeypatch):
    import reports.figures as figures

    captured = {}
    monkeypatch.setattr(figures, "_png", lambda fig, dpi: captured.setdefault("fig", fig) and b"png")
    panels = [{"title": "A", "bars": [("2022-T1", None, "<5"), ("2023-T1", 12.0, "12"), ("2024-T1", None, ".."),
                                      ("2025-T1", 7.0, "7")]},
              {"title": "B", "bars": [("2022-T1", None, "<5"), ("2023-T1", None, "<5"), ("2024-T1", None, "–"),
                                      ("2025-T1", None, "<5")]}]
    figures.render_period_bars(panels)
    ax_a, ax_b = captured["fig"].axes
    assert sorted(round(p.get_height(), 6) for p in ax_a.patches) == [7.0, 12.0]  # only the shown values
    assert len(ax_b.patches) == 0 and list(ax_b.get_yticks()) == []
    texts = [t.get_text() for t in ax_a.texts]
    assert texts.count("<5") == 1 and ".." in texts
