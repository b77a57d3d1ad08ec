"""Calendar: parsing, labels, baselines, completeness (with hypothesis properties)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.calendar import (
    Period,
    PeriodKind,
    completeness,
    coverage_bounds,
    latest_complete,
    month_status,
    parse_month,
    parse_period,
    tertial_of,
)

years = st.integers(min_value=1990, max_value=2100)
months = st.integers(min_value=1, max_value=12)


def period_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda y, m: f"{y}-{m:02d}", years, months),
        st.builds(lambda y, t: f"{y}-T{t}", years, st.integers(1, 3)),
        st.builds(str, years),
        st.builds(lambda y, m: f"R12:{y}-{m:02d}", years, months),
        st.builds(lambda y, m: f"YTD:{y}-{m:02d}", years, months),
    )


def test_tertial_months() -> None:
    assert parse_period("2025-T1").months == ("2025-01", "2025-02", "2025-03", "2025-04")
    assert parse_period("2025-T2").months == ("2025-05", "2025-06", "2025-07", "2025-08")
    assert parse_period("2025-T3").months == ("2025-09", "2025-10", "2025-11", "2025-12")


def test_rolling_and_ytd() -> None:
    r12 = parse_period("R12:2025-08")
    assert r12.kind is PeriodKind.R12
    assert r12.months[0] == "2024-09" and r12.months[-1] == "2025-08" and r12.n_months == 12
    assert parse_period("YTD:2025-03").months == ("2025-01", "2025-02", "2025-03")
    assert parse_period("ytd:2025-03").label == "YTD:2025-03"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "'2024-13' is not a month"),
        ("2024-00", "'2024-00' is not a month"),
        ("2025-T4", "'2025-T4' is not a tertial"),
        ("2025-T0", "'2025-T0' is not a tertial"),
        ("R12:2025-13", "'2025-13' is not a month"),
        ("maj 2025", "'maj 2025' is not a period"),
        ("", "'' is not a period"),
    ],
)
def test_parse_errors_name_the_text(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_period(text)


def test_same_period_last_year_and_baseline() -> None:
    p = parse_period("2025-T2")
    assert p.same_period_last_year() == parse_period("2024-T2")
    assert p.baseline_months() == (
        "2022-05",
        "2022-06",
        "2022-07",
        "2022-08",
        "2023-05",
        "2023-06",
        "2023-07",
        "2023-08",
        "2024-05",
        "2024-06",
        "2024-07",
        "2024-08",
    )
    assert parse_period("R12:2025-02").same_period_last_year().months[0] == "2023-03"


def test_labels() -> None:
    assert parse_period("2025-05").label_sv == "maj 2025"
    assert parse_period("2025-05").label_en == "May 2025"
    assert parse_period("2025-T3").label_en == "tertial 3 2025 (Sep–Dec)"
    assert "hittills i år" in parse_period("YTD:2025-08").label_sv


@given(years)
def test_tertials_partition_the_year(year: int) -> None:
    parts = [m for t in (1, 2, 3) for m in parse_period(f"{year}-T{t}").months]
    assert parts == list(parse_period(str(year)).months)
    assert len(set(parts)) == 12


@given(period_texts())
def test_parse_label_round_trip(text: str) -> None:
    p = parse_period(text)
    assert parse_period(p.label) == p
    assert parse_period(str(p)) == p


@given(period_texts(), st.integers(1, 4))
def test_baseline_is_k_years_of_the_same_months(text: str, k: int) -> None:
    p = parse_period(text)
    base = p.baseline_months(k)
    assert len(base) == k * p.n_months
    assert len(set(base)) == len(base)
    expected = {parse_month(m) - 12 * j for m in p.months for j in range(1, k + 1)}
    assert {parse_month(m) for m in base} == expected
    assert max(parse_month(m) for m in base) < parse_month(p.first)


@given(period_texts())
def test_same_period_last_year_is_twelve_months_back(text: str) -> None:
    p = parse_period(text)
    q = p.same_period_last_year()
    assert q.kind == p.kind and q.n_months == p.n_months
    assert [parse_month(a) - parse_month(b) for a, b in zip(p.months, q.months, strict=True)] == [
        12
    ] * p.n_months


@given(years, months)
def test_tertial_of_matches_period(year: int, month: int) -> None:
    m = f"{year}-{month:02d}"
    assert m in parse_period(f"{year}-T{tertial_of(m)}").months


def _cat(**kw: object) -> pd.DataFrame:
    row = {"id": "x", "first_month": "2020-01", "last_month": "2025-06"}
    row.update(kw)
    return pd.DataFrame([row])


def test_completeness_flags_pending_missing_and_uncovered() -> None:
    vals = pd.DataFrame({"area_id": "a", "indicator_id": "x", "month": ["2025-05"], "value": [0.0]})
    row = completeness(vals, _cat(), "2025-T2", ["a"]).iloc[0]
    assert not row["complete"]
    assert row["missing"] == ("2025-06",)  # a missing row is missing, not zero
    assert row["pending"] == ("2025-07", "2025-08")  # after last_month: not yet reported
    early = completeness(vals, _cat(first_month="2025-06"), "2025-T2", ["a"]).iloc[0]
    assert early["uncovered"] == ("2025-05",)


def test_explicit_zero_row_is_ok_not_missing() -> None:
    vals = pd.DataFrame(
        {"area_id": "a", "indicator_id": "x", "month": ["2025-05", "2025-06"], "value": [0.0, 0.0]}
    )
    status = month_status(vals, _cat(last_month="2025-06"), "2025-05", ["a"])
    assert status["status"].tolist() == ["ok"]
    row = completeness(vals, _cat(last_month="2025-06"), "YTD:2025-06", ["a"]).iloc[0]
    assert row["missing"] == ("2025-01", "2025-02", "2025-03", "2025-04")


def test_open_coverage_uses_latest_month_in_values() -> None:
    vals = pd.DataFrame({"area_id": "a", "indicator_id": "x", "month": ["2025-03"], "value": [1.0]})
    bounds = coverage_bounds(_cat(last_month=None), vals)
    assert bounds.loc["x", "last"] == parse_month("2025-03")


def test_latest_complete() -> None:
    cat = pd.DataFrame(
        {"id": ["a", "b"], "first_month": [None, None], "last_month": ["2025-09", "2025-08"]}
    )
    assert latest_complete(cat, "tertial") == parse_period("2025-T2")
    assert latest_complete(cat, "month") == parse_period("2025-08")
    assert latest_complete(cat, "year") == parse_period("2024")
    assert latest_complete(cat, "tertial", indicator_ids=["a"]) == parse_period("2025-T2")
    cat2 = pd.DataFrame({"id": ["a"], "first_month": [None], "last_month": ["2025-12"]})
    assert latest_complete(cat2, "year") == parse_period("2025")
    assert latest_complete(cat2, "tertial") == parse_period("2025-T3")
    cat3 = pd.DataFrame({"id": ["a"], "first_month": [None], "last_month": ["2025-03"]})
    assert latest_complete(cat3, "tertial") == parse_period("2024-T3")
    with pytest.raises(ValueError, match="no indicator"):
        latest_complete(pd.DataFrame({"id": ["a"], "first_month": [None], "last_month": [None]}))


def test_period_is_frozen() -> None:
    p = parse_period("2025")
    assert isinstance(p, Period)
    with pytest.raises(AttributeError):
        p.label = "x"  # type: ignore[misc]
