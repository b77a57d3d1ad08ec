"""Validate event points and select those that may take part in a layer, counting the rest.

Input contract: a (Geo)DataFrame with ``x``, ``y`` (EPSG:3006 metres), ``occurred_at``
(datetime64 or ISO text), ``type`` (str), ``precision`` (a ``geodata.precision`` class) and
optionally ``id``. Every point left out is counted once, under the first reason that applies, in
this order: ``missing_time`` (only when a period is asked for), ``outside_period``,
``missing_coordinates``, ``unknown_precision``, ``imprecise_location_<class>``,
``outside_study_region``. Points of other event types are filtered out first and not counted
(they are not part of the indicator).

>>> import pandas as pd
>>> pts = pd.DataFrame({"x": [1.0, None], "y": [2.0, 3.0], "occurred_at": ["2025-01-02"] * 2,
...                     "type": ["Rån", "Rån"], "precision": ["exact", "exact"]})
>>> select_points(pts).excluded["missing_coordinates"]
1
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geodata.precision import HOTSPOT_ELIGIBLE, PRECISION_CLASSES

LOCAL_TZ = "Europe/Stockholm"
REQUIRED_COLUMNS = ("x", "y", "precision")

PeriodLike = tuple[Any, Any] | str | None


def exclusion_reasons(eligible: Collection[str] = HOTSPOT_ELIGIBLE) -> tuple[str, ...]:
    """Every exclusion reason key, in the order reasons are applied."""
    imprecise = tuple(f"imprecise_location_{c}" for c in PRECISION_CLASSES if c not in eligible)
    return ("missing_time", "outside_period", "missing_coordinates", "unknown_precision",
            *imprecise, "outside_study_region")


@dataclass(frozen=True)
class Selection:
    """Points kept for a layer, and the count left out per reason.

    Attributes
    ----------
    frame : pandas.DataFrame
        The kept rows (original columns; ``occurred_at`` parsed to naive local time if a period
        was given), built on first access.
    x, y : numpy.ndarray
        EPSG:3006 coordinates of the kept rows.
    excluded : dict
        Reason → count, every reason present (zeros included), in application order.
    period : tuple of pandas.Timestamp or None
        ``[start, end)`` in naive local time.
    """

    source: pd.DataFrame = field(repr=False)
    keep: np.ndarray = field(repr=False)
    x: np.ndarray
    y: np.ndarray
    excluded: dict[str, int]
    period: tuple[pd.Timestamp, pd.Timestamp] | None

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The kept rows."""
        return self.source[self.keep]


def parse_times(values: pd.Series | Sequence[Any]) -> pd.Series:
    """Parse ``occurred_at`` to naive Swedish local time (datetime64).

    Timezone-aware values (or ISO text with offsets, even mixed ones) are converted to
    Europe/Stockholm and made naive; naive values are taken as local time already.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return s
    try:
        parsed = pd.to_datetime(s, format="ISO8601")
    except ValueError:  # mixed UTC offsets (e.g. summer and winter time)
        parsed = pd.to_datetime(s, format="ISO8601", utc=True)
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return parsed


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TERTIAL = re.compile(r"^(\d{4})-T([123])$")
_YEAR = re.compile(r"^(\d{4})$")


def normalise_period(period: PeriodLike) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """``[start, end)`` from a tuple of date-likes or a ``'YYYY'``, ``'YYYY-MM'``, ``'YYYY-Tn'`` text.

    >>> normalise_period("2025-T2")
    (Timestamp('2025-05-01 00:00:00'), Timestamp('2025-09-01 00:00:00'))
    """
    if period is None:
        return None
    if isinstance(period, str):
        text = period.strip()
        if m := _MONTH.match(text):
            start = pd.Timestamp(int(m[1]), int(m[2]), 1)
            return start, start + pd.DateOffset(months=1)
        if m := _TERTIAL.match(text):
            start = pd.Timestamp(int(m[1]), 4 * (int(m[2]) - 1) + 1, 1)
            return start, start + pd.DateOffset(months=4)
        if m := _YEAR.match(text):
            return pd.Timestamp(int(m[1]), 1, 1), pd.Timestamp(int(m[1]) + 1, 1, 1)
        raise ValueError(f"period {period!r}: expected 'YYYY', 'YYYY-MM', 'YYYY-Tn' or (start, end)")
    try:
        start, end = period
    except (TypeError, ValueError):
        raise ValueError(f"period {period!r}: expected (start, end) with end exclusive") from None
    bounds = []
    for b in (start, end):
        ts = pd.Timestamp(b)
        if ts.tzinfo is not None:
            ts = ts.tz_convert(LOCAL_TZ).tz_localize(None)
        bounds.append(ts)
    if not bounds[0] < bounds[1]:
        raise ValueError(f"period {period!r}: start must be before end")
    return bounds[0], bounds[1]


def precision_codes(values: pd.Series) -> np.ndarray:
    """Position of each precision class in ``PRECISION_CLASSES`` (−1 if missing or unknown)."""
    return np.asarray(pd.Index(PRECISION_CLASSES).get_indexer(pd.Index(values)), dtype=np.int64)


def check_points(points: pd.DataFrame, need_time: bool = False) -> None:
    """Raise ``ValueError`` naming the missing columns of the points contract."""
    need = list(REQUIRED_COLUMNS) + (["occurred_at"] if need_time else [])
    missing = [c for c in need if c not in points.columns]
    if missing:
        raise ValueError(
            f"points: missing column(s) {missing}; expected x, y (EPSG:3006), occurred_at, type, "
            "precision"
        )


def select_points(
    points: pd.DataFrame,
    region: shapely.Geometry | None = None,
    period: PeriodLike = None,
    types: Collection[str] | None = None,
    eligible: Collection[str] = HOTSPOT_ELIGIBLE,
) -> Selection:
    """Keep points of ``types`` in ``period``, with coordinates, an eligible precision, in ``region``.

    Parameters
    ----------
    points : pandas.DataFrame
        Points contract (see module docstring).
    region : shapely.Geometry, optional
        Study region in EPSG:3006; boundary points count as inside.
    period : tuple or str, optional
        ``(start, end)`` with ``end`` exclusive, or ``'YYYY'``, ``'YYYY-MM'``, ``'YYYY-Tn'``.
    types : collection of str, optional
        Event types to keep (others are filtered out silently).
    eligible : collection of str
        Precision classes that may take part.

    Returns
    -------
    Selection
    """
    span = normalise_period(period)
    check_points(points, need_time=span is not None)
    if types is not None:
        if "type" not in points.columns:
            raise ValueError("points: a 'type' column is needed to filter by event type")
        points = points[points["type"].isin(list(types))]
    n = len(points)
    keep = np.ones(n, dtype=bool)
    counts = dict.fromkeys(exclusion_reasons(eligible), 0)

    def drop(mask: np.ndarray, reason: str) -> None:
        hit = keep & mask
        counts[reason] += int(hit.sum())
        keep[hit] = False

    frame = points
    if span is not None:
        t = parse_times(points["occurred_at"])
        tv = t.to_numpy(dtype="datetime64[ns]")
        drop(np.isnat(tv), "missing_time")
        inside = (tv >= np.datetime64(span[0].to_datetime64(), "ns")) & (
            tv < np.datetime64(span[1].to_datetime64(), "ns")
        )
        drop(~inside, "outside_period")
        frame = points.assign(occurred_at=t.to_numpy())

    x = pd.to_numeric(points["x"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(points["y"], errors="coerce").to_numpy(dtype=float)
    drop(~(np.isfinite(x) & np.isfinite(y)), "missing_coordinates")

    codes = precision_codes(points["precision"])
    drop(codes < 0, "unknown_precision")
    for code, cls in enumerate(PRECISION_CLASSES):
        if cls not in eligible:
            drop(codes == code, f"imprecise_location_{cls}")

    if region is not None:
        idx = np.flatnonzero(keep)
        inside = shapely.intersects_xy(region, x[idx], y[idx])
        mask = np.zeros(n, dtype=bool)
        mask[idx[~inside]] = True
        drop(mask, "outside_study_region")

    return Selection(source=frame, keep=keep, x=x[keep], y=y[keep], excluded=counts, period=span)


def period_dict(span: tuple[pd.Timestamp, pd.Timestamp] | None) -> dict[str, str] | None:
    """``{'start': ISO date, 'end': ISO date (exclusive)}`` for a method dict."""
    if span is None:
        return None
    return {"start": span[0].isoformat(), "end": span[1].isoformat()}
