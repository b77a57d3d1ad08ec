"""ISO weeks: parse/label/shift, and hypothesis properties (weeks partition the year, week totals of
dated events add up to month totals)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.calendar import (
    PeriodKind,
    parse_period,
    previous_weeks,
    week_labels,
    week_month_days,
    week_of,
    weeks_in_year,
    weeks_of_year,
)

years = st.integers(min_value=1990, max_value=2100)


def test_parse_and_label() -> None:
    w = parse_period("2025-W14")
    assert w.kind is PeriodKind.WEEK
    assert w.days == ("2025-03-31", "2025-04-06")
    assert w.months == ("2025-03", "2025-04")
    assert w.label_sv == "vecka 14 2025 (31 mar–6 apr)"
    assert w.label_en == "week 14 2025 (31 Mar–6 Apr)"
    assert parse_period("2025-w7").label == "2025-W07"
    assert parse_period(w.label) == w


@pytest.mark.parametrize("text", ["2025-W53", "2025-W00", "2026-W54"])
def test_bad_week_names_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO week"):
        parse_period(text)


def test_53_week_years_and_shift() -> None:
    assert [y for y in range(2015, 2031) if weeks_in_year(y) == 53] == [2015, 2020, 2026]
    assert parse_period("2026-W53").same_period_last_year().label == "2025-W52"
    assert parse_period("2025-W14").same_period_last_year().label == "2024-W14"
    assert [p.label for p in previous_weeks("2026-W01", 2)] == ["2025-W52", "2025-W51"]
    assert week_of(dt.date(2024, 12, 30)).label == "2025-W01"


@given(years)
@settings(max_examples=60, deadline=None)
def test_weeks_partition_the_iso_year(year: int) -> None:
    weeks = weeks_of_year(year)
    assert len(weeks) in (52, 53) and len(weeks) == weeks_in_year(year)
    starts = [dt.date.fromisoformat(w.days[0]) for w in weeks]
    ends = [dt.date.fromisoformat(w.days[1]) for w in weeks]
    assert all(s.weekday() == 0 and (e - s).days == 6 for s, e in zip(starts, ends, strict=True))
    # consecutive, no gap, no overlap: the weeks tile the ISO year exactly
    assert all((b - a).days == 1 for a, b in zip(ends[:-1], starts[1:], strict=True))
    assert starts[0] == dt.date.fromisocalendar(year, 1, 1)
    assert ends[-1] + dt.timedelta(days=1) == dt.date.fromisocalendar(year + 1, 1, 1)
    # every day of the ISO year lies in exactly one week, the one week_of names
    day = starts[0] + dt.timedelta(days=(year * 37) % (len(weeks) * 7))
    assert sum(w.days[0] <= day.isoformat() <= w.days[1] for w in weeks) == 1
    assert week_of(day).label in {w.label for w in weeks}


@given(years, st.integers(1, 53))
@settings(max_examples=80, deadline=None)
def test_week_month_days_add_to_seven(year: int, week: int) -> None:
    week = min(week, weeks_in_year(year))
    p = parse_period(f"{year}-W{week:02d}")
    split = week_month_days(p)
    assert sum(split.values()) == 7 and tuple(split) == p.months


@given(st.integers(2000, 2030), st.lists(st.integers(0, 365 * 2), min_size=0, max_size=300))
@settings(max_examples=60, deadline=None)
def test_week_totals_add_up_to_month_totals(year: int, offsets: list[int]) -> None:
    """Events with dates: counted per (week, month) piece, the pieces of every week add up to the
    week's total, and the pieces of every month add up to the month's total."""
    start = dt.date(year, 1, 1)
    dates = pd.Series([pd.Timestamp(start + dt.timedelta(days=o)) for o in offsets], dtype="datetime64[ns]")
    frame = pd.DataFrame({"week": week_labels(dates) if len(dates) else pd.Series(dtype=str),
                          "month": dates.dt.strftime("%Y-%m")})
    by_month = frame.groupby("month").size()
    by_week = frame.groupby("week").size()
    pieces = frame.groupby(["week", "month"]).size()
    assert int(by_week.sum()) == int(by_month.sum()) == len(offsets)
    for month, total in by_month.items():
        assert int(pieces.xs(month, level="month").sum()) == int(total)
    for week, total in by_week.items():
        assert int(pieces.xs(week, level="week").sum()) == int(total)
        # a week's pieces lie only in the months the week touches
        assert set(pieces.xs(week, level="week").index) <= set(parse_period(week).months)
    # and over whole ISO years the week totals equal the month totals of the same days
    if len(dates):
        iso_years = {int(w[:4]) for w in frame["week"]}
        for y in iso_years:
            a, b = weeks_of_year(y)[0].days[0], weeks_of_year(y)[-1].days[1]
            inside = (dates >= pd.Timestamp(a)) & (dates <= pd.Timestamp(b))
            assert int(by_week[[w for w in by_week.index if w.startswith(f"{y}-W")]].sum()) == int(inside.sum())


def test_week_labels_vectorised() -> None:
    d = pd.Series(pd.to_datetime(["2025-03-30", "2025-03-31", "2026-12-31", "2027-01-03"]))
    assert week_labels(d).tolist() == ["2025-W13", "2025-W14", "2026-W53", "2026-W53"]
    assert np.all(week_labels(d).map(lambda t: parse_period(t).kind is PeriodKind.WEEK))


def test_a_week_in_the_url_opens_its_tertial_for_the_indicators() -> None:
    from services.viewstate import decode

    assert decode("?period=2026-W14")["period"] == "2026-T1"
    assert decode("?period=2026-w18")["period"] == "2026-T1"  # 27 April – 3 May: the tertial of its Monday
    assert decode("?period=2026-W20")["period"] == "2026-T2"
