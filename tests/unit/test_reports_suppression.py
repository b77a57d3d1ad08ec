"""Kommun-tier suppression: counts below 5 become "<5", and no hidden count can be backed out of
the totals and differences that stay visible (checked by exhaustive enumeration and by an
independent integer program, over many random tables)."""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reports.numberview
import reports.suppression
from reports.model import ReportData
from reports.numberview import Numbers
from reports.suppression import PRIMARY, PUBLISHED, SECONDARY, suppress

T = 5


def test_doctests():
    for mod in (reports.suppression, reports.numberview):
        assert doctest.testmod(mod).failed == 0


# --------------------------------------------------------------------------- helpers
def table_cells(grid: np.ndarray) -> tuple[dict, list[dict]]:
    """Cells and relations of a table with row totals, column totals and a grand total."""
    r, c = grid.shape
    cells = {f"x{i}{j}": int(grid[i, j]) for i in range(r) for j in range(c)}
    rels = []
    for i in range(r):
        cells[f"r{i}"] = int(grid[i].sum())
        rels.append({f"r{i}": 1, **{f"x{i}{j}": -1 for j in range(c)}})
    for j in range(c):
        cells[f"c{j}"] = int(grid[:, j].sum())
        rels.append({f"c{j}": 1, **{f"x{i}{j}": -1 for i in range(r)}})
    cells["t"] = int(grid.sum())
    rels.append({"t": 1, **{f"r{i}": -1 for i in range(r)}})
    return cells, rels


def attacker_range(s, name: str) -> tuple[int, int]:
    """Independent check: the integer range of a hidden cell by an integer program written here,
    from what is published and what the marks say ("<5": 0–4, "..": at least 5)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    unknown = [n for n, stt in s.status.items() if stt != PUBLISHED]
    idx = {n: k for k, n in enumerate(unknown)}
    a, b = [], []
    for rel in s.relations:
        row = np.zeros(len(unknown))
        const = 0.0
        for n, coeff in rel.items():
            if n in idx:
                row[idx[n]] += coeff
            else:
                const -= coeff * s.values[n]
        if row.any():
            a.append(row)
            b.append(const)
    lo = np.array([0.0 if s.status[n] == PRIMARY or n in s.counts else -np.inf for n in unknown])
    hi = np.array([T - 1.0 if s.status[n] == PRIMARY else np.inf for n in unknown])
    lo = np.array([T if s.status[n] == SECONDARY and n in s.counts else lo[k] for k, n in enumerate(unknown)])
    integ = np.array([1 if n in s.counts else 0 for n in unknown])
    cons = [LinearConstraint(np.array(a), b, b)] if a else []
    out = []
    for sign in (1, -1):
        c = np.zeros(len(unknown))
        c[idx[name]] = sign
        res = milp(c=c, constraints=cons, integrality=integ, bounds=Bounds(lo, hi))
        assert res.status == 0, res.message  # the truth is always a solution
        out.append(round(sign * res.fun))
    return out[0], out[1]


def brute_force_values(s, name: str, limit: int) -> set[int]:
    """Exhaustive: every value of ``name`` in some table consistent with what is shown (small tables)."""
    inner = sorted(n for n in s.values if n.startswith("x"))
    grid = np.array(list(itertools.product(range(limit + 1), repeat=len(inner))), dtype=np.int32)
    vals = {n: grid[:, k] for k, n in enumerate(inner)}
    for rel in s.relations:  # each relation defines one total from cells already known
        total = next(n for n, c in rel.items() if c == 1)
        vals[total] = sum(vals[n] for n, c in rel.items() if c == -1)
    ok = np.ones(len(grid), bool)
    for n, stt in s.status.items():
        if stt == PUBLISHED:
            ok &= vals[n] == s.values[n]
        elif stt == PRIMARY:
            ok &= vals[n] < T
        elif stt == SECONDARY:
            ok &= vals[n] >= T
    return set(vals[name][ok].tolist())


# --------------------------------------------------------------------------- examples
def test_a_small_count_is_shown_as_less_than_five_and_zero_too():
    s = suppress({"a": 0, "b": 4, "c": 5})
    assert [s.display(n, str(int(s.values[n]))) for n in "abc"] == ["<5", "<5", "5"]


def test_a_total_that_would_reveal_a_small_cell_costs_the_next_smallest_cell():
    s = suppress({"t": 40, "a": 2, "b": 7, "c": 31}, [{"t": 1, "a": -1, "b": -1, "c": -1}])
    assert s.status == {"t": PUBLISHED, "a": PRIMARY, "b": SECONDARY, "c": PUBLISHED}
    lo, hi = attacker_range(s, "a")
    assert hi - lo >= 2


def test_a_difference_is_hidden_before_a_count_and_whenever_it_touches_a_hidden_count():
    s = suppress({"V": 3, "P": 12, "C": -9}, [{"C": 1, "V": -1, "P": 1}], counts={"V", "P"})
    assert s.status["C"] == SECONDARY and s.status["P"] == PUBLISHED
    s = suppress({"V": 3, "P": 2, "C": 1}, [{"C": 1, "V": -1, "P": 1}], counts={"V", "P"})
    assert s.status["C"] == SECONDARY  # a change between two "<5" says something about small counts


def test_nothing_is_suppressed_without_small_counts():
    cells, rels = table_cells(np.array([[10, 20], [30, 40]]))
    assert set(suppress(cells, rels).status.values()) == {PUBLISHED}


# --------------------------------------------------------------------------- the property
small_counts = st.integers(0, 12) | st.integers(0, 4) | st.integers(5, 60)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4).flatmap(lambda r: st.integers(2, 4).flatmap(
    lambda c: st.lists(small_counts, min_size=r * c, max_size=r * c).map(
        lambda v: np.array(v).reshape(r, c)))))
def test_no_suppressed_cell_can_be_recovered_from_totals(grid):
    cells, rels = table_cells(grid)
    s = suppress(cells, rels)
    for n, v in cells.items():
        if v < T:
            assert s.status[n] == PRIMARY, n
        if s.status[n] == PUBLISHED:
            assert v >= T
    for n, stt in s.status.items():
        if stt == PRIMARY:
            lo, hi = attacker_range(s, n)
            assert lo <= cells[n] <= hi
            assert hi - lo >= s.min_range, (n, lo, hi, grid.tolist(), s.status)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=3, max_size=3))
def test_exhaustive_enumeration_agrees_on_tiny_tables(parts):
    grid = np.array([parts])  # one row, three columns, row total = grand total
    cells, rels = table_cells(grid)
    s = suppress(cells, rels)
    for n, stt in s.status.items():
        if stt == PRIMARY and n.startswith("x"):
            values = brute_force_values(s, n, limit=30)
            assert cells[n] in values
            assert len(values) >= 3, (n, sorted(values), s.status)


# --------------------------------------------------------------------------- the kommun tier's cells
def _indicator(v, p, y2, y3, comparison, target=None):
    base = (p + y2 + y3) / 3
    ref = {"prev_year": p, "baseline": base, "target": target}[comparison]
    change = None if ref is None else v - ref
    pct = None if not ref else round(100 * change / ref, 1)
    ind = {"id": "x", "name": "X", "unit": "count", "direction": "up_is_bad", "value": float(v),
           "previous": float(p), "baseline": round(base, 3), "target": target,
           "change": None if change is None else round(change, 3), "pct_change": pct,
           "p_adjusted": 0.5, "p_test": 0.3, "significant": False, "complete": True, "rag": "green",
           "rule": "statistical"}
    totals = [("2023-T1", float(y3)), ("2024-T1", float(y2)), ("2025-T1", float(p)), ("2026-T1", float(v))]
    return ind, totals


@settings(max_examples=150, deadline=None)
@given(st.tuples(*[st.integers(0, 14)] * 4), st.sampled_from(["prev_year", "baseline", "target"]),
       st.integers(3, 20))
def test_kommun_tier_numbers_never_give_away_a_small_count(vals, comparison, target):
    """Enumerate every (V, P, Y2, Y3) in 0–29 (true values 0–14, so the grid's edge never binds)
    that matches what the kommun tier prints (table cells and chart bars, "<5" meaning 0–4 and ".."
    meaning at least 5): a hidden count below 5 keeps all five values of its mark (a baseline or a
    change built on a hidden count is not printed)."""
    v, p, y2, y3 = vals
    tgt = float(target) if comparison == "target" else None
    ind, totals = _indicator(v, p, y2, y3, comparison, tgt)
    summary = {"lang": "sv", "period": "2026-T1", "comparison": comparison, "indicators": [ind], "area": {}}
    n = Numbers(ReportData(summary=summary, tier="kommun", period_totals={"x": totals}))
    bars = {label: text for label, _, text in n.period_series("x")}
    printed = {"V": [n.text("x", "value"), bars["2026-T1"]], "P": [n.text("x", "previous"), bars["2025-T1"]],
               "Y2": [bars["2024-T1"]], "Y3": [bars["2023-T1"]], "B3": [n.text("x", "baseline")]}
    grid = GRID
    cand = {"V": grid[:, 0], "P": grid[:, 1], "Y2": grid[:, 2], "Y3": grid[:, 3]}
    cand["B3"] = cand["P"] + cand["Y2"] + cand["Y3"]
    truth = {"V": v, "P": p, "Y2": y2, "Y3": y3, "B3": p + y2 + y3}
    ok = np.ones(len(grid), bool)
    for cell, texts in printed.items():
        for text in texts:
            if cell == "B3" and not text[:1].isdigit():
                continue  # a baseline built on a hidden count is not printed: its ".." says nothing more
            if cell == "B3":
                ok &= np.isclose(cand["B3"] / 3, float(text.replace(",", ".")), atol=0.051)
            elif text == "<5":
                ok &= cand[cell] < T
            elif text == "..":
                ok &= cand[cell] >= T
            else:  # a printed number: the reader knows it exactly
                ok &= cand[cell] == truth[cell]
    change_text = n.text("x", "change")
    if change_text not in ("..", "–"):
        ref = {"prev_year": cand["P"], "baseline": cand["B3"] / 3, "target": tgt}[comparison]
        true_ref = {"prev_year": p, "baseline": (p + y2 + y3) / 3, "target": tgt}[comparison]
        ok &= np.isclose(cand["V"] - ref, v - true_ref)
    assert ok[int(np.flatnonzero((grid == np.array(vals)).all(axis=1))[0])]
    for k, cell in enumerate(("V", "P", "Y2", "Y3")):
        if vals[k] < T:
            seen = set(grid[ok, k].tolist())
            assert seen >= set(range(T)), (cell, sorted(seen), vals, comparison, printed, change_text)


GRID = np.array(list(itertools.product(range(30), repeat=4)), dtype=np.int16)


@pytest.mark.parametrize("v,hidden", [(3, True), (0, True), (5, False), (12, False)])
def test_police_tier_shows_everything(v, hidden):
    ind, totals = _indicator(v, 10, 10, 10, "prev_year")
    summary = {"lang": "sv", "period": "2026-T1", "comparison": "prev_year", "indicators": [ind], "area": {}}
    police = Numbers(ReportData(summary=summary, tier="police", period_totals={"x": totals}))
    kommun = Numbers(ReportData(summary=summary, tier="kommun", period_totals={"x": totals}))
    assert police.text("x", "value") == str(v)
    assert (kommun.text("x", "value") == "<5") is hidden
    assert kommun.shown("x", "p_adjusted") is False and police.shown("x", "p_adjusted") is True
