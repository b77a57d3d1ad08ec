"""Målstyrning: monthly targets against actuals, cumulative deviation and a year-end projection.

As in the police's own follow-up sheets: target 25 a month, actual 21 gives a deviation of −4,
and the cumulative deviation is the running sum over the months of the year.

>>> vals = pd.DataFrame({"area_id": "a", "indicator_id": "x", "month": ["2025-01", "2025-02"],
...                      "value": [21.0, 27.0]})
>>> tg = pd.DataFrame({"area_id": "a", "indicator_id": "x",
...                    "month": [f"2025-{m:02d}" for m in range(1, 13)], "target": 25.0})
>>> t = target_table(vals, tg, "a", "x", 2025)
>>> t[["deviation", "cum_deviation"]].head(2).to_dict("list")
{'deviation': [-4.0, 2.0], 'cum_deviation': [-4.0, -2.0]}
>>> p = year_end_projection(t, unit="count", direction="effort")
>>> p.projected_total, p.target_total, p.on_track
(288.0, 300.0, False)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.calendar import Period, parse_period
from indicators.frames import Coded, scatter


@dataclass(frozen=True)
class Projection:
    """Where the year ends at the current pace.

    ``pace`` is the mean actual per reported month; ``projected_total = actual_to_date + pace ×
    months_left`` for summed units (count, hours) and ``pace`` itself for averaged units (share,
    rate). ``on_track`` is direction-aware (``up_is_bad``: at or below the annual target;
    otherwise at or above) and ``None`` when no month is reported or targets are missing.
    """

    year: int
    months_reported: int
    actual_to_date: float | None
    target_to_date: float | None
    pace: float | None
    projected_total: float | None
    target_total: float | None
    projected_deviation: float | None
    on_track: bool | None


def malstyrning(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    area_id: str,
    period: int | str | Period,
    through: str | dict[str, str] | None = None,
    indicator_ids: list[str] | None = None,
) -> pd.DataFrame:
    """The målstyrning table for every indicator of one area that has a target (vectorised).

    Parameters
    ----------
    period : int, str or Period
        A year (``2025``) or any period; one row per indicator and month of it.
    through : str or dict, optional
        Last reported month (one for all, or per indicator id, e.g. the catalogue's
        ``last_month``): later months have no actual even if a row exists.
    indicator_ids : list of str, optional
        Indicators to include (default: those with a target for the area in the period).

    Returns
    -------
    pandas.DataFrame
        ``indicator_id``, ``month``, ``target``, ``actual``, ``deviation`` (actual − target),
        ``cum_deviation`` (running sum over months with both values), ``cum_target``,
        ``cum_actual``, ``status`` (``ok``, ``no_actual``, ``no_target``). A month without an
        actual is never counted as zero: its deviation and cumulative deviation are NaN and later
        months continue the running sum of the reported months.
    """
    ids, months, arr = _malstyrning_arrays(values, targets, area_id, period, through, indicator_ids)
    n_i, n_m = len(ids), len(months)
    return pd.DataFrame(
        {
            "indicator_id": np.repeat(np.array(ids, dtype=object), n_m),
            "month": np.tile(np.array(months, dtype=object), n_i),
            **{k: v.ravel() for k, v in arr.items()},
        }
    )


def _malstyrning_arrays(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    area_id: str,
    period: int | str | Period,
    through: str | dict[str, str] | None = None,
    indicator_ids: list[str] | None = None,
    coded: tuple[Coded, Coded] | None = None,
) -> tuple[list[str], list[str], dict[str, np.ndarray]]:
    """:func:`malstyrning` as ``indicators × months`` arrays (``target``, ``actual``, …).

    ``coded``: ``values`` and ``targets`` are already only ``area_id``'s rows, and these are their
    :class:`~indicators.frames.Coded` key columns (indicator, month).
    """
    p = parse_period(str(period)) if not isinstance(period, Period) else period
    months = list(p.months)
    if coded is None:
        tg = targets[targets["area_id"] == area_id]
        tg = tg[tg["month"].isin(months)]
    else:
        tg = targets[coded[1].positions("month", months) >= 0]
    ids = (
        sorted(set(tg["indicator_id"].astype(str)))
        if indicator_ids is None
        else list(indicator_ids)
    )
    if coded is None:
        va = values[values["area_id"] == area_id]
        va = va[va["month"].isin(months)]
        axes = [pd.Index(ids), pd.Index(months)]
        actual = scatter(va, ["indicator_id", "month"], "value", axes)
        target = scatter(tg, ["indicator_id", "month"], "target", axes)
    else:  # rows of other months are dropped by the scatter, as the filter above drops them
        actual = coded[0].scatter(["indicator_id", "month"], [ids, months])
        target = coded[1].scatter(["indicator_id", "month"], [ids, months])
    n_i, n_m = len(ids), len(months)
    if through is not None:
        limits = [through.get(i) if isinstance(through, dict) else through for i in ids]
        late = np.array([[lim is not None and m > lim for m in months] for lim in limits]).reshape(
            n_i, n_m
        )
        actual = np.where(late, np.nan, actual)
    both = ~np.isnan(actual) & ~np.isnan(target)
    deviation = np.where(both, actual - target, np.nan)
    cum_dev = np.where(both, np.cumsum(np.where(both, deviation, 0.0), axis=1), np.nan)
    cum_target = np.where(both, np.cumsum(np.where(both, target, 0.0), axis=1), np.nan)
    cum_actual = np.where(both, np.cumsum(np.where(both, actual, 0.0), axis=1), np.nan)
    status = np.where(np.isnan(actual), "no_actual", np.where(np.isnan(target), "no_target", "ok"))
    return (
        ids,
        months,
        {
            "target": target,
            "actual": actual,
            "deviation": deviation,
            "cum_deviation": cum_dev,
            "cum_target": cum_target,
            "cum_actual": cum_actual,
            "status": status,
        },
    )


def target_table(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    area_id: str,
    indicator_id: str,
    period: int | str | Period,
    through: str | None = None,
) -> pd.DataFrame:
    """The målstyrning table for one area and indicator (see :func:`malstyrning` for columns).

    Months run over ``period`` (a year such as ``2025``, or any period); ``through`` is the last
    reported month.
    """
    table = malstyrning(values, targets, area_id, period, through, indicator_ids=[indicator_id])
    return table.drop(columns=["indicator_id"]).reset_index(drop=True)


def year_end_projection(
    table: pd.DataFrame, unit: str = "count", direction: str = "up_is_bad"
) -> Projection:
    """Project the year end from a :func:`target_table` covering one calendar year."""
    return _projection(
        int(str(table["month"].iloc[0])[:4]),
        table["actual"].to_numpy(dtype=float),
        table["target"].to_numpy(dtype=float),
        (table["status"] == "ok").to_numpy(),
        unit,
        direction,
    )


def _projection(
    year: int, actual: np.ndarray, target: np.ndarray, ok: np.ndarray, unit: str, direction: str
) -> Projection:
    """:func:`year_end_projection` from the month arrays (``ok``: status ``"ok"``)."""
    reported = ~np.isnan(actual)
    n = int(reported.sum())
    additive = unit in ("count", "hours")
    target_total = None
    if not np.isnan(target).any():
        target_total = float(target.sum()) if additive else float(target.mean())
    if n == 0:
        return Projection(year, 0, None, None, None, None, target_total, None, None)
    actual_to_date = float(actual[reported].sum())
    pace = actual_to_date / n
    if additive:
        projected = actual_to_date + pace * (len(actual) - n)
        target_to_date = float(target[ok].sum()) if ok.any() else None
    else:
        projected = actual_to_date = pace
        target_to_date = float(target[ok].mean()) if ok.any() else None
    deviation = projected - target_total if target_total is not None else None
    on_track = None
    if deviation is not None:
        on_track = bool(deviation <= 0) if direction == "up_is_bad" else bool(deviation >= 0)
    return Projection(
        year, n, actual_to_date, target_to_date, pace, projected, target_total, deviation, on_track
    )
