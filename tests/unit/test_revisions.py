"""Data versions rebuilt from the revision rows (``indicators.revisions``, ``store.revisions``):
any sequence of imports, replayed with the rows the store keeps, gives back every earlier state;
the period revision counts only months that were shown then and changed; the preliminary marks and
the running-month refusal of imports."""

from __future__ import annotations

import datetime as dt
import doctest
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import indicators.revisions
import store.imports
import store.revisions
from geodata.errors import InputError
from indicators.revisions import aggregate, period_revision, values_as_of
from store.imports import mark_preliminary, parse_flag
from store.revisions import revision_rows

KEYS = [("74", "ran", m) for m in ("2026-01", "2026-02", "2026-03")]


def test_doctests():
    for module in (indicators.revisions, store.revisions, store.imports):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


# one import: for each key, keep / write a value (and a preliminary flag) / remove
_action = st.one_of(st.none(), st.just("remove"),
                    st.tuples(st.integers(0, 4).map(float), st.booleans()))
_imports = st.lists(st.lists(_action, min_size=len(KEYS), max_size=len(KEYS)), min_size=1, max_size=7)


def _frame(state: dict) -> pd.DataFrame:
    rows = [{"area_id": a, "indicator_id": i, "month": m, "value": v, "preliminary": p, "import_id": imp}
            for (a, i, m), (v, p, imp) in state.items()]
    return pd.DataFrame(rows, columns=["area_id", "indicator_id", "month", "value", "preliminary", "import_id"])


@settings(max_examples=150, deadline=None)
@given(_imports)
def test_every_earlier_state_is_rebuilt_from_the_kept_rows(imports):
    """Replay imports the way ``import_indicators`` writes them (changed keys only, the replaced
    rows kept); ``values_as_of`` at each version equals the store's state right after it."""
    state: dict = {}  # key -> (value, preliminary, import_id)
    kept: list[dict] = []
    snapshots = {0: {}}
    for version, actions in enumerate(imports, start=1):
        new_rows, removed = {}, []
        for key, act in zip(KEYS, actions, strict=True):
            if act == "remove" and key in state:
                removed.append(key)
            elif isinstance(act, tuple):
                new_rows[key] = act
        old = _frame({k: state[k] for k in list(new_rows) + removed if k in state})
        new = pd.DataFrame([{"area_id": k[0], "indicator_id": k[1], "month": k[2], "value": v, "preliminary": p}
                            for k, (v, p) in new_rows.items()],
                           columns=["area_id", "indicator_id", "month", "value", "preliminary"])
        rows = revision_rows(old, new, "value", version)
        kept += rows
        changed = {(r["area_id"], r["indicator_id"], r["month"]) for r in rows}
        for k in removed:
            del state[k]
        for k, (v, p) in new_rows.items():
            if k not in state or k in changed:  # unchanged keys keep the import that wrote them
                state[k] = (v, p, version)
        snapshots[version] = {k: (v, p) for k, (v, p, _) in state.items()}
    revs = pd.DataFrame(kept, columns=store.revisions.REVISION_COLUMNS[1:])
    now = _frame(state)
    for version, snap in snapshots.items():
        got = values_as_of(now, revs, version)
        rebuilt = {(r.area_id, r.indicator_id, r.month): (float(r.value), bool(r.preliminary))
                   for r in got.itertuples()}
        assert rebuilt == snap, version


def test_revision_rows_only_for_changes_and_removals():
    old = pd.DataFrame({"area_id": ["74"] * 3, "indicator_id": ["ran"] * 3,
                        "month": ["2026-01", "2026-02", "2026-03"], "value": [1.0, 2.0, 3.0],
                        "preliminary": [False, True, False], "import_id": [3, 3, None]})
    new = pd.DataFrame({"area_id": ["74"] * 2, "indicator_id": ["ran"] * 2, "month": ["2026-01", "2026-02"],
                        "value": [1.0, 2.0], "preliminary": [False, False]})
    rows = revision_rows(old, new, "value", 9, at=dt.datetime(2026, 3, 2, 8, 0))
    got = [(r["month"], r["old_value"], r["old_preliminary"], r["new_value"], r["new_preliminary"], r["old_import_id"])
           for r in rows]
    # 2026-01 unchanged: no row; 2026-02 same value, no longer preliminary: a row; 2026-03 removed
    assert got == [("2026-02", 2.0, True, 2.0, False, 3), ("2026-03", 3.0, False, None, None, None)]
    assert all(r["import_id"] == 9 and r["replaced_at"] == dt.datetime(2026, 3, 2, 8, 0) for r in rows)


def test_period_revision_counts_months_shown_then_and_means_for_shares():
    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    then = pd.DataFrame({"month": ["2026-01", "2026-02"], "value": [60.0, 70.0], "preliminary": [False, False]})
    same = then.copy()
    assert period_revision(same, then, months, "share") is None
    added = pd.concat([then, pd.DataFrame({"month": ["2026-03"], "value": [10.0], "preliminary": [False]})])
    assert period_revision(added, then, months, "count") is None  # a new month is no revision
    now = pd.DataFrame({"month": ["2026-01", "2026-02"], "value": [60.0, 80.0], "preliminary": [False, False]})
    r = period_revision(now, then, months, "share")
    assert (r["previous"], r["value"], r["change"]) == (65.0, 70.0, 5.0)
    assert aggregate([1, 2, 3], "count") == 6.0 and aggregate([1, 2, 3], "hours") == 6.0
    assert aggregate([1, 2, 3], "rate") == 2.0 and aggregate([], "count") is None


@pytest.mark.parametrize("text, value", [("ja", True), ("JA", True), ("1", True), (1, True), ("true", True),
                                         ("nej", False), ("0", False), (0.0, False), ("", False), (None, False),
                                         (float("nan"), False), ("False", False)])
def test_preliminary_flags(text, value):
    assert parse_flag(text, Path("x.csv"), 2, "Preliminär") is value


def test_a_bad_flag_names_its_cell():
    with pytest.raises(InputError, match=r"x.csv: row 7, column 'Preliminär': '2' is not ja/nej"):
        parse_flag("2", Path("x.csv"), 7, "Preliminär")


def _rows(months, prelim=None, cols=None):
    n = len(months)
    return pd.DataFrame({"area_id": ["74"] * n, "indicator_id": ["ran"] * n, "month": months, "value": [1.0] * n,
                         "preliminary": prelim or [False] * n, "_row": list(range(2, n + 2)),
                         "_month_col": cols or ["Månad"] * n})


def test_running_and_later_months_refused_unless_preliminary():
    on = dt.date(2026, 12, 1)  # the first day: December is running
    past = _rows(["2026-10", "2026-11"])
    assert not mark_preliminary(past, Path("a.csv"), on)["preliminary"].any()
    with pytest.raises(InputError, match=r"a.csv: row 3, column '2026-12': 2026-12 is the running month"):
        mark_preliminary(_rows(["2026-11", "2026-12"], cols=["2026-11", "2026-12"]), Path("a.csv"), on)
    with pytest.raises(InputError, match="row 2, column 'Månad': 2027-01 is a month that has not begun"):
        mark_preliminary(_rows(["2027-01", "2026-12"]), Path("a.csv"), on)
    ok = mark_preliminary(_rows(["2026-11", "2026-12"], prelim=[False, True]), Path("a.csv"), on)
    assert ok["preliminary"].tolist() == [False, True]
    warnings: list[str] = []
    flagged = mark_preliminary(_rows(["2026-11", "2026-12"]), Path("a.csv"), on, ["2026-12", "2026-08"], warnings)
    assert flagged["preliminary"].tolist() == [False, True]
    assert warnings == ["a.csv: --preliminary-month 2026-08: no value of the file is in that month"]
    # on the last day of November, December has not begun
    with pytest.raises(InputError, match="2026-12 is a month that has not begun"):
        mark_preliminary(_rows(["2026-12"]), Path("a.csv"), dt.date(2026, 11, 30))
