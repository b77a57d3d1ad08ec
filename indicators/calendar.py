"""Reporting calendar: months, tertials, years, rolling 12 months, year to date, and completeness.

A period is parsed from the text users and URLs carry:

=================  ==========================================  =========
text               months                                      kind
=================  ==========================================  =========
``2025-05``        2025-05                                     month
``2025-T2``        2025-05 … 2025-08 (T1 Jan–Apr, T3 Sep–Dec)  tertial
``2025``           2025-01 … 2025-12                           year
``R12:2025-08``    2024-09 … 2025-08                           r12
``YTD:2025-08``    2025-01 … 2025-08                           ytd
``2025-W14``       2025-03, 2025-04 (the months the week touches)  week
=================  ==========================================  =========

An ISO week (Monday–Sunday, week 1 holds the year's first Thursday; some years have 53 weeks)
carries its days (:attr:`Period.days`); its ``months`` are the months it overlaps, so a week is
only ever counted from data with dates (events), never from monthly indicator values.

>>> w = parse_period("2025-W14")
>>> w.days, w.months
(('2025-03-31', '2025-04-06'), ('2025-03', '2025-04'))
>>> w.label_sv
'vecka 14 2025 (31 mar–6 apr)'

>>> p = parse_period("2025-T2")
>>> p.months
('2025-05', '2025-06', '2025-07', '2025-08')
>>> p.same_period_last_year().label
'2024-T2'
>>> p.baseline_months()[:2]
('2022-05', '2022-06')
>>> p.label_sv
'tertial 2 2025 (maj–aug)'

Completeness (:func:`month_status`, :func:`completeness`): a month of a period is

* ``ok`` – a value row exists;
* ``missing`` – inside the indicator's coverage window but no row (missing data, never zero);
* ``pending`` – after the indicator's ``last_month`` (not yet reported);
* ``uncovered`` – before the indicator's ``first_month`` (the series had not started).

A period is complete for an (area, indicator) only when every month is ``ok``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from texts import t

MONTHS_SV = tuple(t(f"ind.month.short.{m}", "sv") for m in range(1, 13))
MONTHS_EN = tuple(t(f"ind.month.short.{m}", "en") for m in range(1, 13))
MONTH_NAMES_SV = tuple(t(f"ind.month.name.{m}", "sv") for m in range(1, 13))
MONTH_NAMES_EN = tuple(t(f"ind.month.name.{m}", "en") for m in range(1, 13))
_EXPECTED = "expected YYYY-MM, YYYY-Tn, YYYY, R12:YYYY-MM, YTD:YYYY-MM or YYYY-Www"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_TERTIAL_RE = re.compile(r"^(\d{4})-T(\d+)$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")


class PeriodKind(StrEnum):
    """Kind of reporting period."""

    MONTH = "month"
    TERTIAL = "tertial"
    YEAR = "year"
    R12 = "r12"
    YTD = "ytd"
    WEEK = "week"


# --------------------------------------------------------------------------- months as integers
def parse_month(text: str) -> int:
    """Month ``'YYYY-MM'`` as an integer index ``year * 12 + month - 1``.

    Raises
    ------
    ValueError
        Naming the text, e.g. ``'2024-13' is not a month``.

    Examples
    --------
    >>> parse_month("2025-05") - parse_month("2024-05")
    12
    """
    if type(text) is str:
        hit = _PARSED.get(text)
        if hit is not None:
            return hit
    match = _MONTH_RE.match(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a month: expected YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1000:
        raise ValueError(f"{text!r} is not a month")
    index = year * 12 + month - 1
    if type(text) is str:
        _remember(_PARSED, text, index)
    return index


def format_month(index: int) -> str:
    """Inverse of :func:`parse_month`: ``24304 -> '2025-05'``."""
    if type(index) is int:
        hit = _FORMATTED.get(index)
        if hit is not None:
            return hit
    year, month0 = divmod(int(index), 12)
    text = f"{year:04d}-{month0 + 1:02d}"
    if type(index) is int:
        _remember(_FORMATTED, index, text)
    return text


# Months are parsed and formatted over and over (periods, windows, labels): plain memo dicts,
# bounded, keyed only by exact ``str``/``int`` so the results are exactly what the code computes.
_MEMO_LIMIT = 4096
_PARSED: dict[str, int] = {}
_FORMATTED: dict[int, str] = {}


def _remember(memo: dict, key: object, value: object) -> None:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value


def month_range(first: str, last: str) -> tuple[str, ...]:
    """All months from ``first`` to ``last`` inclusive (empty when ``last`` precedes ``first``)."""
    return tuple(format_month(i) for i in range(parse_month(first), parse_month(last) + 1))


def shift_month(month: str, months: int) -> str:
    """``month`` moved by ``months`` (negative: earlier)."""
    return format_month(parse_month(month) + months)


def tertial_of(month: str) -> int:
    """Tertial number 1–3 of a month (T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec)."""
    return (parse_month(month) % 12) // 4 + 1


# --------------------------------------------------------------------------- periods
@dataclass(frozen=True)
class Period:
    """A reporting period: what it is called and which months it holds.

    Attributes
    ----------
    kind : PeriodKind
        ``month``, ``tertial``, ``year``, ``r12`` (rolling 12 months), ``ytd`` (year to date) or
        ``week`` (ISO week).
    label : str
        The canonical text, which :func:`parse_period` parses back to an equal ``Period``.
    months : tuple of str
        The months, oldest first, as ``'YYYY-MM'``.
    """

    kind: PeriodKind
    label: str
    months: tuple[str, ...]
    days: tuple[str, str] | None = None  # first and last day (ISO dates), weeks only

    def __str__(self) -> str:
        return self.label

    @property
    def first(self) -> str:
        """First month of the period."""
        return self.months[0]

    @property
    def last(self) -> str:
        """Last month of the period (the anchor of r12/ytd)."""
        return self.months[-1]

    @property
    def n_months(self) -> int:
        """Number of months."""
        return len(self.months)

    def shift_years(self, years: int) -> Period:
        """The same kind of period ``years`` years later (negative: earlier)."""
        if self.kind is PeriodKind.WEEK:
            year, week = int(self.label[:4]) + years, int(self.label[6:])
            return week_period(year, min(week, weeks_in_year(year)))
        last = shift_month(self.last, 12 * years)
        year = int(last[:4])
        if self.kind is PeriodKind.MONTH:
            return parse_period(last)
        if self.kind is PeriodKind.TERTIAL:
            return parse_period(f"{year}-T{tertial_of(last)}")
        if self.kind is PeriodKind.YEAR:
            return parse_period(str(year))
        return parse_period(f"{self.kind.value.upper()}:{last}")

    def same_period_last_year(self) -> Period:
        """The same months one year earlier (``2025-T2`` → ``2024-T2``)."""
        return self.shift_years(-1)

    def baseline_periods(self, years: int = 3) -> tuple[Period, ...]:
        """The same period in each of the previous ``years`` years, most recent first."""
        return tuple(self.shift_years(-k) for k in range(1, years + 1))

    def baseline_months(self, years: int = 3) -> tuple[str, ...]:
        """The same months in the previous ``years`` years, oldest first (``years × n_months``)."""
        return tuple(m for p in reversed(self.baseline_periods(years)) for m in p.months)

    def label_for(self, lang: str = "sv") -> str:
        """Human label in Swedish or English."""
        return _label(self, lang)

    @property
    def label_sv(self) -> str:
        """Swedish label, e.g. ``'tertial 2 2025 (maj–aug)'``."""
        return _label(self, "sv")

    @property
    def label_en(self) -> str:
        """English label, e.g. ``'tertial 2 2025 (May–Aug)'``."""
        return _label(self, "en")


def _label(p: Period, lang: str) -> str:
    def short(m: int) -> str:
        return t(f"ind.month.short.{m + 1}", lang)

    if p.kind is PeriodKind.WEEK:
        a, b = (dt.date.fromisoformat(d) for d in p.days)
        return t("ind.period.week", lang, week=int(p.label[6:]), year=p.label[:4],
                 first=f"{a.day} {short(a.month - 1)}", last=f"{b.day} {short(b.month - 1)}")
    y_first, m_first = int(p.first[:4]), int(p.first[5:]) - 1
    y_last, m_last = int(p.last[:4]), int(p.last[5:]) - 1
    if p.kind is PeriodKind.MONTH:
        return f"{t(f'ind.month.name.{m_last + 1}', lang)} {y_last}"
    if p.kind is PeriodKind.TERTIAL:
        return f"tertial {tertial_of(p.last)} {y_last} ({short(m_first)}–{short(m_last)})"
    if p.kind is PeriodKind.YEAR:
        return str(y_last)
    if p.kind is PeriodKind.R12:
        return t("ind.period.r12", lang, last=short(m_last), year=y_last, first=short(m_first),
                 first_year=y_first)
    span = f"{short(0)}–{short(m_last)} {y_last}" if m_last else f"{short(0)} {y_last}"
    return t("ind.period.ytd", lang, span=span)


def parse_period(text: str | Period) -> Period:
    """Parse a period text; a :class:`Period` is returned unchanged.

    Raises
    ------
    ValueError
        With a message naming the bad text, e.g. ``'2025-T4' is not a tertial (T1–T3)``.

    Examples
    --------
    >>> parse_period("R12:2025-08").months[0]
    '2024-09'
    >>> parse_period("YTD:2025-03").months
    ('2025-01', '2025-02', '2025-03')
    """
    if isinstance(text, Period):
        return text
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a period: {_EXPECTED}")
    if type(text) is str:
        hit = _PERIODS.get(text)
        if hit is None:
            hit = _parse_period(text)
            _remember(_PERIODS, text, hit)
        return hit
    return _parse_period(text)


_PERIODS: dict[str, Period] = {}  # Period is frozen: sharing one instance per text is safe


def _parse_period(text: str) -> Period:
    raw = text.strip()
    upper = raw.upper()
    for prefix, kind in (("R12:", PeriodKind.R12), ("YTD:", PeriodKind.YTD)):
        if upper.startswith(prefix):
            anchor = raw[len(prefix) :].strip()
            try:
                last = parse_month(anchor)
            except ValueError as exc:
                raise ValueError(f"{text!r} is not a period: {anchor!r} is not a month") from exc
            first = last - 11 if kind is PeriodKind.R12 else last - last % 12
            months = tuple(format_month(i) for i in range(first, last + 1))
            return Period(kind, f"{prefix}{format_month(last)}", months)
    match = _WEEK_RE.match(upper)
    if match:
        year, week = int(match.group(1)), int(match.group(2))
        if year < 1000 or not 1 <= week <= weeks_in_year(year):
            raise ValueError(f"{text!r} is not an ISO week ({year} has weeks 1–{weeks_in_year(year)})")
        return week_period(year, week)
    if _MONTH_RE.match(raw):
        index = parse_month(raw)
        return Period(PeriodKind.MONTH, format_month(index), (format_month(index),))
    match = _TERTIAL_RE.match(upper)
    if match:
        year, t = int(match.group(1)), int(match.group(2))
        if not 1 <= t <= 3:
            raise ValueError(f"{text!r} is not a tertial (T1–T3)")
        first = year * 12 + 4 * (t - 1)
        return Period(
            PeriodKind.TERTIAL,
            f"{year}-T{t}",
            tuple(format_month(i) for i in range(first, first + 4)),
        )
    match = _YEAR_RE.match(raw)
    if match:
        year = int(match.group(1))
        if year < 1000:
            raise ValueError(f"{text!r} is not a year")
        return Period(
            PeriodKind.YEAR, str(year), tuple(format_month(year * 12 + i) for i in range(12))
        )
    raise ValueError(f"{text!r} is not a period: {_EXPECTED}")


def tertial_containing(month: str) -> Period:
    """The tertial a month belongs to."""
    return parse_period(f"{month[:4]}-T{tertial_of(month)}")


# --------------------------------------------------------------------------- ISO weeks
def weeks_in_year(year: int) -> int:
    """Number of ISO weeks of ``year`` (52 or 53; 28 December always lies in the last week).

    >>> weeks_in_year(2020), weeks_in_year(2025), weeks_in_year(2026)
    (53, 52, 53)
    """
    return dt.date(year, 12, 28).isocalendar().week


def week_period(year: int, week: int) -> Period:
    """The ISO week ``week`` of ISO year ``year`` as a :class:`Period` (label ``YYYY-Www``)."""
    first = dt.date.fromisocalendar(year, week, 1)
    last = first + dt.timedelta(days=6)
    months = tuple(dict.fromkeys(f"{d.year:04d}-{d.month:02d}" for d in (first, last)))
    return Period(PeriodKind.WEEK, f"{year:04d}-W{week:02d}", months, (first.isoformat(), last.isoformat()))


def week_of(day: dt.date | str) -> Period:
    """The ISO week a date belongs to (``2025-12-29`` lies in ``2026-W01``).

    >>> week_of("2025-12-29").label
    '2026-W01'
    """
    d = dt.date.fromisoformat(day) if isinstance(day, str) else day
    iso = d.isocalendar()
    return week_period(iso.year, iso.week)


def weeks_of_year(year: int) -> tuple[Period, ...]:
    """Every ISO week of ISO year ``year``, in order."""
    return tuple(week_period(year, w) for w in range(1, weeks_in_year(year) + 1))


def previous_weeks(week: str | Period, n: int) -> tuple[Period, ...]:
    """The ``n`` weeks before ``week``, most recent first (the week's own short baseline)."""
    p = parse_period(week)
    start = dt.date.fromisoformat(p.days[0])
    return tuple(week_of(start - dt.timedelta(days=7 * k)) for k in range(1, n + 1))


def week_month_days(week: str | Period) -> dict[str, int]:
    """How many of the week's seven days fall in each month it touches.

    >>> week_month_days("2025-W14")
    {'2025-03': 1, '2025-04': 6}
    """
    p = parse_period(week)
    start = dt.date.fromisoformat(p.days[0])
    out: dict[str, int] = {}
    for k in range(7):
        d = start + dt.timedelta(days=k)
        key = f"{d.year:04d}-{d.month:02d}"
        out[key] = out.get(key, 0) + 1
    return out


def week_labels(dates: pd.Series) -> pd.Series:
    """ISO week label (``YYYY-Www``) of every date or timestamp in ``dates`` (vectorised)."""
    d = pd.to_datetime(dates)
    iso = d.dt.isocalendar()
    return iso["year"].astype(int).map("{:04d}".format) + "-W" + iso["week"].astype(int).map("{:02d}".format)


# --------------------------------------------------------------------------- coverage
def coverage_bounds(catalogue: pd.DataFrame, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Coverage window per indicator as month indices (columns ``first``, ``last``), indexed by id.

    ``first_month`` missing means "from the beginning" (``first = -inf`` as a very small integer).
    ``last_month`` missing means "as far as the data go": the latest month present in ``values``
    for that indicator (no data and no ``last_month``: the indicator has no reported month, so
    every month is ``pending``).
    """
    ids = catalogue["id"].astype(str).to_numpy()
    first = np.array([_opt_month(v, -(10**9)) for v in catalogue["first_month"]], dtype=np.int64)
    last = np.array([_opt_month(v, None) for v in catalogue["last_month"]], dtype=object)
    need = [i for i, v in enumerate(last) if v is None]
    if need:
        latest: dict[str, int] = {}
        if values is not None and len(values):
            sub = values[values["indicator_id"].isin({ids[i] for i in need})]
            if len(sub):
                top = sub.groupby("indicator_id", observed=True)["month"].max()
                latest = {str(k): parse_month(v) for k, v in top.items()}
        for i in need:
            last[i] = latest.get(ids[i], -(10**9) - 1)
    return pd.DataFrame(
        {"first": first, "last": last.astype(np.int64)}, index=pd.Index(ids, name="id")
    )


def _opt_month(value: object, default: int | None) -> int | None:
    if (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or value is pd.NA
        or value == ""
    ):
        return default
    return parse_month(str(value))


def month_status(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    period: str | Period,
    area_ids: list[str] | tuple[str, ...],
) -> pd.DataFrame:
    """Status of every (area, indicator, month) of a period.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_id``, ``indicator_id``, ``month``, ``status`` with status one of ``ok``,
        ``missing``, ``pending``, ``uncovered`` (see the module docstring). A missing row is
        never read as zero.
    """
    p = parse_period(period)
    bounds = coverage_bounds(catalogue, values)
    months = np.array([parse_month(m) for m in p.months])
    grid = pd.MultiIndex.from_product(
        [list(area_ids), bounds.index.tolist(), list(p.months)],
        names=["area_id", "indicator_id", "month"],
    ).to_frame(index=False)
    sub = values[values["month"].isin(p.months) & values["area_id"].isin(area_ids)]
    present = pd.MultiIndex.from_frame(sub[["area_id", "indicator_id", "month"]].astype(str))
    has = pd.MultiIndex.from_frame(grid).isin(present)
    n_ind, n_m = len(bounds), len(months)
    first = np.tile(np.repeat(bounds["first"].to_numpy(), n_m), len(area_ids))
    last = np.tile(np.repeat(bounds["last"].to_numpy(), n_m), len(area_ids))
    mon = np.tile(months, n_ind * len(area_ids))
    status = np.where(
        mon > last, "pending", np.where(mon < first, "uncovered", np.where(has, "ok", "missing"))
    )
    grid["status"] = status
    return grid


def completeness(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    period: str | Period,
    area_ids: list[str] | tuple[str, ...],
) -> pd.DataFrame:
    """Per (area, indicator): is the period complete, and which months are not.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_id``, ``indicator_id``, ``complete`` (bool), ``n_ok``, ``pending``,
        ``missing``, ``uncovered`` (tuples of months).

    Examples
    --------
    >>> cat = pd.DataFrame({"id": ["x"], "first_month": ["2020-01"], "last_month": ["2025-06"]})
    >>> vals = pd.DataFrame({"area_id": ["a"], "indicator_id": ["x"], "month": ["2025-05"], "value": [1.0]})
    >>> row = completeness(vals, cat, "2025-T2", ["a"]).iloc[0]
    >>> bool(row["complete"]), row["missing"], row["pending"]
    (False, ('2025-06',), ('2025-07', '2025-08'))
    """
    status = month_status(values, catalogue, period, area_ids)
    rows = []
    for (area, ind), grp in status.groupby(["area_id", "indicator_id"], sort=False):
        by = grp.groupby("status")["month"].apply(tuple).to_dict()
        rows.append(
            {
                "area_id": area,
                "indicator_id": ind,
                "complete": bool(len(by.get("ok", ())) == len(grp)),
                "n_ok": len(by.get("ok", ())),
                "pending": by.get("pending", ()),
                "missing": by.get("missing", ()),
                "uncovered": by.get("uncovered", ()),
            }
        )
    return pd.DataFrame(rows)


def latest_complete(
    catalogue: pd.DataFrame,
    kind: str = "tertial",
    values: pd.DataFrame | None = None,
    indicator_ids: list[str] | None = None,
) -> Period:
    """The latest period of ``kind`` that every chosen indicator has reported in full.

    The reported frontier is the earliest ``last_month`` over the indicators (with ``values`` used
    for indicators whose ``last_month`` is missing, see :func:`coverage_bounds`).

    Parameters
    ----------
    kind : {"month", "tertial", "year", "r12", "ytd"}
    indicator_ids : list of str, optional
        Restrict to these indicators (default: the whole catalogue).

    Raises
    ------
    ValueError
        When no indicator has a reported month.

    Examples
    --------
    >>> cat = pd.DataFrame({"id": ["a", "b"], "first_month": [None, None],
    ...                     "last_month": ["2025-09", "2025-08"]})
    >>> latest_complete(cat, "tertial").label, latest_complete(cat, "month").label
    ('2025-T2', '2025-08')
    """
    cat = catalogue if indicator_ids is None else catalogue[catalogue["id"].isin(indicator_ids)]
    bounds = coverage_bounds(cat, values)
    reported = bounds["last"][bounds["last"] > -(10**9)]
    if reported.empty:
        raise ValueError("no indicator in the catalogue has a reported month")
    frontier = int(reported.min())
    k = PeriodKind(kind)
    if k is PeriodKind.WEEK:
        raise ValueError("indicator values are monthly: weeks are counted from dated events, not reported")
    if k is PeriodKind.MONTH:
        return parse_period(format_month(frontier))
    if k in (PeriodKind.R12, PeriodKind.YTD):
        return parse_period(f"{k.value.upper()}:{format_month(frontier)}")
    if k is PeriodKind.TERTIAL:
        candidate = tertial_containing(format_month(frontier))
        return (
            candidate if candidate.last == format_month(frontier) else _previous_tertial(candidate)
        )
    year, month0 = divmod(frontier, 12)
    return parse_period(str(year if month0 == 11 else year - 1))


def _previous_tertial(p: Period) -> Period:
    year, t = int(p.label[:4]), int(p.label[-1])
    return parse_period(f"{year - 1}-T3" if t == 1 else f"{year}-T{t - 1}")
