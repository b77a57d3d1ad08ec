"""EST samverkan (issue 14) for one kommun: the week's flags, partners' observations, open actions,
places for next week, the tertial follow-up. Thin glue between the store and the pure functions;
the page's callbacks, the CLI and the reports call these.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from geodata.errors import InputError
from indicators.calendar import Period, PeriodKind, parse_period, previous_weeks, week_labels
from indicators.weekly import BASELINE_WEEKS, weekly_dispersion, weekly_flags
from store.queries import areas_frame, events_frame

#: weeks of history the weekly dispersion is estimated from (three years of week-to-week pairs)
HISTORY_WEEKS = 3 * 52


def check_week(text: str) -> Period:
    """An ISO week, or an :class:`InputError` naming the text."""
    try:
        p = parse_period(text)
    except ValueError as exc:
        raise InputError(None, f"--week: {exc}") from exc
    if p.kind is not PeriodKind.WEEK:
        raise InputError(None, f"--week: '{text}' is not an ISO week (expected YYYY-Www, e.g. 2025-W14)")
    return p


def kommun_areas(engine: Engine, kommun: str, list_year: int | None = None) -> pd.DataFrame:
    """The areas of the newest list (or ``list_year``) in kommun ``kommun`` (code)."""
    frame = areas_frame(engine, list_year)
    if list_year is None and len(frame):
        frame = frame[frame["list_year"] == frame["list_year"].max()]
    out = frame[frame["kommun_kod"].astype(str) == str(kommun)]
    if out.empty:
        known = sorted(set(frame["kommun_kod"].dropna().astype(str)))
        raise InputError(None, f"--kommun: no area of the list lies in kommun '{kommun}' (kommuner with areas: "
                         f"{', '.join(known)})")
    return out.reset_index(drop=True)


def weekly_counts(engine: Engine, area_ids: list[str], week: str, history_weeks: int = HISTORY_WEEKS) -> pd.DataFrame:
    """``unit, type, week, count`` of the areas' dated events from ``history_weeks`` before ``week``
    through ``week`` (unit = area id)."""
    p = parse_period(week)
    first = previous_weeks(p, history_weeks)[-1]
    ev = events_frame(engine, area_ids=area_ids, months=(first.months[0], p.months[-1]))
    if ev.empty:
        return pd.DataFrame(columns=["unit", "type", "week", "count"])
    ev = ev.assign(week=week_labels(ev["occurred_at"]))
    ev = ev[(ev["week"] >= first.label) & (ev["week"] <= p.label)]
    return (ev.groupby([ev["area_id"].astype(str).rename("unit"), "type", "week"])["count"].sum()
            .reset_index())


def week_flags(engine: Engine, kommun: str, week: str, list_year: int | None = None) -> pd.DataFrame:
    """The week's flag table for a kommun's areas, with area names (most surprising first)."""
    p = check_week(week)
    areas = kommun_areas(engine, kommun, list_year)
    counts = weekly_counts(engine, areas["id"].astype(str).tolist(), p.label)
    table = weekly_flags(counts, p.label, BASELINE_WEEKS, weekly_dispersion(counts, p.label, HISTORY_WEEKS))
    names = dict(zip(areas["id"].astype(str), areas["name"], strict=False))
    table.insert(1, "area_name", table["unit"].map(names))
    return table.rename(columns={"unit": "area_id"})


def today() -> dt.date:
    """Today's date (tests replace it)."""
    return dt.date.today()


def current_week(on: dt.date | None = None) -> str:
    """The ISO week of ``on`` (default today)."""
    iso = (on or today()).isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"
