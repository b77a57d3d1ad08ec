"""The numbers of one period for many areas × indicators at once (vectorised, no text, no RAG).

:func:`indicator_table` reads only the months it needs (the period and the same months in the
previous ``years`` years), lays them out as a dense ``areas × indicators × years × months`` array
and computes every statistic with numpy. :mod:`indicators.rag` turns the result into colours and
reasons; :mod:`indicators.summary` into the JSON and table the app and CLI show.

Which test decides (column ``test``, p-value in ``p_test``; ``p`` is the same number):

==============  ============================================  =====================================
comparison      count indicators                              hours / share / rate
==============  ============================================  =====================================
``prev_year``   E-test C vs P under the negative binomial     t-test (C − P) scaled by the baseline
                model with the indicator's dispersion α       years
                (``nb_etest``; ``etest``, the Poisson
                E-test, where the history shows no extra
                variance)
``baseline``    the same test, C vs ΣB with exposure 1 vs k   prediction t-test against the k years
                years: the baseline's own uncertainty is in
                the test (rare indicators too)
``target``      one-sided tail probability of a count as bad  one-sided t-test of C against the
                as C or worse when the target is the mean     target, scaled by the baseline years
                (``nb_tail``; ``poisson_tail`` with α = 0)
==============  ============================================  =====================================

The dispersion α of each count indicator is estimated from the history, pooled over areas, for
the period's length (:mod:`indicators.dispersion`; column ``dispersion``). ``p_etest`` is always
the plain Poisson E-test (descriptive: it ignores the extra variance) and ``p_tail`` the Poisson
tail against the baseline mean (descriptive).

Why a cell has no test (column ``status``): ``incomplete`` (the current period has pending,
missing or uncovered months), ``no_previous`` (last year's period is not complete, e.g. the area
had no data then or the series started later), ``no_baseline`` (fewer than ``min_years`` complete
baseline years, e.g. a single month of history), ``no_variance`` (non-count unit whose baseline
years do not vary or are fewer than two). Values are reported even then (partial sums over the
months that are in, with ``complete = False``) so the user sees what is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from indicators.calendar import (
    Period,
    coverage_bounds,
    format_month,
    parse_month,
    parse_period,
    shift_month,
)
from indicators.catalogue import (
    CATALOGUE_ATTRIBUTES,
    Comparison,
    SeriesBreak,
    area_set,
    list_in_force,
    parse_comparison,
    require_columns,
    series_breaks,
    series_end,
    validate_catalogue,
)
from indicators.dispersion import Dispersion, estimate_dispersion
from indicators.frames import scatter
from indicators.stats import (
    baseline_stats,
    baseline_z,
    difference_t,
    etest,
    nb_etest,
    nb_tail,
    percent_change,
    poisson_tail,
    poisson_z,
    prediction_t,
)

AREA_META = (
    "name",
    "category",
    "kommun_kod",
    "kommun",
    "lpo",
    "polisomrade",
    "region",
    "population",
)


def area_meta(
    areas: pd.DataFrame, area_ids: Sequence[str] | None = None, list_year: int | None = None
) -> pd.DataFrame:
    """Area rows indexed by id: the list year's set, or the given ids (each from the latest list
    year that holds it). Unknown ids raise ``ValueError`` naming them."""
    if area_ids is None:
        return area_set(areas, list_year)
    ids = [str(a) for a in area_ids]
    latest = _latest_positions(areas)
    if latest is not None:  # one pass over the (few hundred) rows instead of sort + dedupe
        unknown = [a for a in ids if a not in latest]
        if unknown:
            raise ValueError(f"unknown area id(s): {', '.join(repr(a) for a in unknown)}")
        return areas.iloc[[latest[a] for a in ids]].set_index("id", drop=False)
    ordered = areas.sort_values("list_year") if "list_year" in areas.columns else areas
    latest_rows = ordered.drop_duplicates("id", keep="last").set_index("id", drop=False)
    unknown = [a for a in ids if a not in latest_rows.index]
    if unknown:
        raise ValueError(f"unknown area id(s): {', '.join(repr(a) for a in unknown)}")
    return latest_rows.loc[ids]


def _latest_positions(areas: pd.DataFrame) -> dict | None:
    """Row position of each id's latest list year, or None when that is ambiguous (a repeated
    (id, list year) pair, or list years that are not plain integers): then the caller sorts."""
    if "list_year" not in areas.columns:
        return None
    years = areas["list_year"]
    if years.dtype.kind not in "iu":
        return None
    year_list = years.tolist()
    best: dict = {}
    for pos, (area, year) in enumerate(zip(areas["id"].tolist(), year_list, strict=True)):
        have = best.get(area)
        if have is None or year > year_list[have]:
            best[area] = pos
        elif year == year_list[have]:
            return None
    return best


def _dense(
    sub: pd.DataFrame,
    col: str,
    area_index: pd.Index,
    ind_index: pd.Index,
    months: list[str],
    shape: tuple[int, ...],
) -> np.ndarray:
    """Long rows as a dense ``areas × indicators × months`` array, reshaped (NaN: no row)."""
    arr = scatter(
        sub, ["area_id", "indicator_id", "month"], col, [area_index, ind_index, pd.Index(months)]
    )
    return arr.reshape(shape)


def window_months(p: Period, years: int) -> list[str]:
    """The period's months, then the same months 1, 2, … ``years`` years earlier."""
    return [shift_month(m, -12 * off) for off in range(years + 1) for m in p.months]


def _cube(
    values: pd.DataFrame,
    bounds: pd.DataFrame,
    area_index: pd.Index,
    ind_index: pd.Index,
    p: Period,
    years: int,
    arr: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Dense arrays for the period (offset 0) and the same months ``1..years`` years earlier
    (``arr``: the values already laid out as ``areas × indicators × years × months``)."""
    n_y, n_m = years + 1, p.n_months
    window = window_months(p, years)
    month_idx = np.array([parse_month(m) for m in window]).reshape(n_y, n_m)
    if arr is None:
        # rows of other months are dropped by the scatter anyway; filtering first pays on big frames
        sub = values[values["month"].isin(window)] if len(values) > 4096 else values
        arr = _dense(
            sub, "value", area_index, ind_index, window, (len(area_index), len(ind_index), n_y, n_m)
        )
    b = bounds.reindex(ind_index)
    pending = month_idx[None] > b["last"].to_numpy()[:, None, None]  # (I, Y, M)
    uncovered = month_idx[None] < b["first"].to_numpy()[:, None, None]
    usable = ~(pending | uncovered)
    present = ~np.isnan(arr)
    ok = present & usable[None]
    return {
        "arr": arr,
        "month_idx": month_idx,
        "pending": pending,
        "uncovered": uncovered,
        "usable": usable,
        "present": present,
        "ok": ok,
    }


def _aggregate(
    cube: dict[str, np.ndarray], additive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (area, indicator, year offset): value over usable months, complete flag, months used."""
    ok = cube["ok"]
    complete = ok.all(axis=-1)
    n_ok = ok.sum(axis=-1)
    total = np.where(ok, cube["arr"], 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n_ok
    agg = np.where(additive[None, :, None], total, mean)
    return np.where(n_ok > 0, agg, np.nan), complete, n_ok


def period_values(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    period: str | Period,
    area_ids: Sequence[str] | None = None,
    list_year: int | None = None,
    bounds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Complete-period values per area (rows) × indicator (columns); NaN where incomplete.

    Summed units are given per 1,000 inhabitants (NaN where the population is unknown), other
    units as they are: the comparable number for cross-sectional z-scores.
    """
    p = parse_period(period)
    cat = validate_catalogue(catalogue)
    meta = area_meta(areas, area_ids, list_year)
    bounds = coverage_bounds(cat, values) if bounds is None else bounds
    val, area_index, ind_index = _period_matrix(values, cat, meta, p, bounds)
    return pd.DataFrame(val, index=area_index, columns=ind_index)


def _period_matrix(
    values: pd.DataFrame, cat: pd.DataFrame, meta: pd.DataFrame, p: Period, bounds: pd.DataFrame
) -> tuple[np.ndarray, pd.Index, pd.Index]:
    """:func:`period_values` as an ``areas × indicators`` array with its two axes."""
    area_index, ind_index = pd.Index(meta.index.astype(str)), pd.Index(cat.index.astype(str))
    cube = _cube(values, bounds, area_index, ind_index, p, 0)
    additive = np.isin(cat["unit"].astype(str).to_numpy(), ["count", "hours"])
    agg, complete, _ = _aggregate(cube, additive)
    val = np.where(complete[:, :, 0], agg[:, :, 0], np.nan)
    pop = (
        meta["population"].astype(float).to_numpy()
        if "population" in meta.columns
        else np.full(len(meta), np.nan)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        per_1000 = np.where((pop > 0)[:, None], val / pop[:, None] * 1000.0, np.nan)
    return np.where(additive[None, :], per_1000, val), area_index, ind_index


def indicator_table(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    period: str | Period,
    comparison: str = "prev_year",
    area_ids: Sequence[str] | None = None,
    targets: pd.DataFrame | None = None,
    list_year: int | None = None,
    years: int = 3,
    min_years: int | None = None,
    bounds: pd.DataFrame | None = None,
    dispersion: dict[str, Dispersion] | None = None,
) -> pd.DataFrame:
    """Values and statistics per (area, indicator) for one period.

    Parameters
    ----------
    values, catalogue, areas, targets : pandas.DataFrame
        The store's frames. A missing (area, month) row inside the coverage window is missing
        data, never zero.
    period : str or Period
        E.g. ``"2025-T2"``.
    comparison : {"prev_year", "baseline", "target"}
    area_ids : sequence of str, optional
        Default: every area of ``list_year``'s list (latest list by default).
    years : int
        Baseline years (previous years' same months), default 3.
    min_years : int, optional
        Fewest complete baseline years to form a baseline (default ``years``: all of them).
    bounds : pandas.DataFrame, optional
        Precomputed :func:`indicators.calendar.coverage_bounds` (pass it when ``values`` has been
        pre-filtered, so open-ended coverage is still judged on the full data).
    dispersion : dict, optional
        ``{indicator_id: Dispersion}`` for the period's length (default: estimated from
        ``values`` with :func:`indicators.dispersion.estimate_dispersion`; pass the estimate from
        the whole history when ``values`` holds only the months the table reads).

    Returns
    -------
    pandas.DataFrame
        One row per area × indicator (areas in order, then catalogue order). Columns: area
        fields, indicator fields, ``value``, ``complete``, ``months_reported``, ``n_months``,
        ``previous``, ``previous_complete``, ``baseline`` (mean of complete baseline years),
        ``baseline_total``, ``baseline_years``, ``target``, ``reference`` (what ``change`` is
        against), ``change``, ``pct_change``, ``z_poisson``, ``z_baseline``, ``z``, ``p_etest``,
        ``p_tail``, ``p_test``, ``test``, ``dispersion`` (α of count indicators), ``status``,
        ``rate_per_1000``, ``pending``, ``missing``,
        ``uncovered`` (tuples of months, filled only for incomplete cells), ``previous_gaps``
        (same, for last year's period), ``series_start`` (the indicator's first month),
        ``previous_list_year``, ``on_previous_list``.
    """
    p = parse_period(period)
    cmp_ = parse_comparison(comparison)
    min_years = years if min_years is None else min_years
    if years < 1:
        raise ValueError(f"years={years}: the comparison needs at least one previous year")
    require_columns(values, ["area_id", "indicator_id", "month", "value"], "values")
    cat = validate_catalogue(catalogue)
    meta = area_meta(areas, area_ids, list_year)
    bounds = coverage_bounds(cat, values) if bounds is None else bounds
    alpha = dispersion_array(cat, values, p, bounds, dispersion, meta.index)
    return pd.DataFrame(
        _table_columns(values, cat, meta, areas, p, cmp_, targets, years, min_years, bounds,
                       alpha=alpha)
    )


def dispersion_array(
    cat: pd.DataFrame,
    values: pd.DataFrame,
    p: Period,
    bounds: pd.DataFrame,
    dispersion: dict[str, Dispersion] | None,
    area_ids: Sequence[str],
) -> np.ndarray:
    """α per area × catalogue indicator (0 for non-count units): the indicator's pooled α, or the
    area's own where its history swings more (:meth:`Dispersion.for_area`), from ``dispersion``
    or estimated from ``values`` for the period's length."""
    if dispersion is None:
        dispersion = estimate_dispersion(values, cat, p.n_months, bounds)
    inds = [str(i) for i in cat.index]
    return np.array(
        [[dispersion[i].for_area(a) if i in dispersion else 0.0 for i in inds]
         for a in (str(x) for x in area_ids)],
        dtype=float,
    ).reshape(len(area_ids), len(inds))


@dataclass(frozen=True)
class _Cells:
    """What the column builders of :func:`_table_columns` share: the two axes, the dense cube, and
    per cell (area-major, ``n_areas × n_indicators``) the period's, last year's and the baseline
    years' aggregates."""

    area_index: pd.Index
    ind_index: pd.Index
    n_months: int
    cube: dict[str, np.ndarray]
    additive: np.ndarray  # per indicator: summed unit (count, hours)
    cell_count: np.ndarray  # per cell: count unit
    cell_rare: np.ndarray
    months_reported: np.ndarray
    cur: np.ndarray  # the period's value (partial sums where incomplete)
    cur_ok: np.ndarray
    cur_v: np.ndarray  # the value where complete, else NaN
    prev: np.ndarray
    prev_ok: np.ndarray
    prev_v: np.ndarray
    base_mat: np.ndarray  # cells × years, NaN where a year is incomplete
    base_mean: np.ndarray  # NaN without enough complete years
    base_n: np.ndarray
    base_ok: np.ndarray
    base_total: np.ndarray
    base_used: np.ndarray  # base_mat where the baseline is formed, else NaN

    @property
    def n_areas(self) -> int:
        return len(self.area_index)

    @property
    def n_inds(self) -> int:
        return len(self.ind_index)

    @property
    def n_cells(self) -> int:
        return self.n_areas * self.n_inds

    def per_cell(self, per_indicator: np.ndarray) -> np.ndarray:
        """An indicator-axis array repeated for every area."""
        return np.tile(per_indicator, self.n_areas)

    def per_area_cell(self, per_area: np.ndarray) -> np.ndarray:
        """An area-axis array repeated for every indicator."""
        return np.repeat(per_area, self.n_inds)


def _cells(
    values: pd.DataFrame,
    cat: pd.DataFrame,
    meta: pd.DataFrame,
    p: Period,
    years: int,
    min_years: int,
    bounds: pd.DataFrame,
    value_arr: np.ndarray | None,
) -> _Cells:
    """The cube of the period and the ``years`` before, aggregated and flattened to cells."""
    area_index = pd.Index(meta.index.astype(str))
    ind_index = pd.Index(cat.index.astype(str))
    n_a, n_c = len(area_index), len(area_index) * len(ind_index)
    cube = _cube(values, bounds, area_index, ind_index, p, years, value_arr)
    units = cat["unit"].astype(str).to_numpy()
    additive = np.isin(units, ["count", "hours"])
    agg, complete, n_ok = _aggregate(cube, additive)
    base_mat = np.where(complete[:, :, 1:], agg[:, :, 1:], np.nan).reshape(n_c, years)
    base_mean, _, base_n = baseline_stats(base_mat)
    base_ok = base_n >= max(min_years, 1)
    cur, cur_ok = agg[:, :, 0].ravel(), complete[:, :, 0].ravel()
    prev, prev_ok = agg[:, :, 1].ravel(), complete[:, :, 1].ravel()
    return _Cells(
        area_index=area_index,
        ind_index=ind_index,
        n_months=p.n_months,
        cube=cube,
        additive=additive,
        cell_count=np.tile(units == "count", n_a),
        cell_rare=np.tile(cat["rare"].astype(bool).to_numpy(), n_a),
        months_reported=n_ok[:, :, 0].ravel(),
        cur=cur,
        cur_ok=cur_ok,
        cur_v=np.where(cur_ok, cur, np.nan),
        prev=prev,
        prev_ok=prev_ok,
        prev_v=np.where(prev_ok, prev, np.nan),
        base_mat=base_mat,
        base_mean=np.where(base_ok, base_mean, np.nan),
        base_n=base_n,
        base_ok=base_ok,
        base_total=np.where(base_ok, np.nansum(base_mat, axis=1), np.nan),
        base_used=np.where(base_ok[:, None], base_mat, np.nan),
    )


def _target_cells(
    cells: _Cells, targets: pd.DataFrame | None, p: Period, target_arr: np.ndarray | None
) -> np.ndarray:
    """The target per cell over the period's months (NaN when any month lacks a target)."""
    if targets is None or not len(targets):
        return np.full(cells.n_cells, np.nan)
    require_columns(targets, ["area_id", "indicator_id", "month", "target"], "targets")
    if target_arr is None:
        tsub = targets[targets["month"].isin(p.months)]
        target_arr = _dense(
            tsub, "target", cells.area_index, cells.ind_index, list(p.months),
            (cells.n_areas, cells.n_inds, cells.n_months),
        )
    t_val = np.where(cells.additive[None, :], target_arr.sum(axis=-1), target_arr.mean(axis=-1))
    return t_val.ravel()


def _alpha_cells(cells: _Cells, alpha: np.ndarray | None) -> np.ndarray:
    """The dispersion α per cell: given per area × indicator or per indicator; NaN for non-counts."""
    if alpha is None:
        flat = np.zeros(cells.n_cells)
    else:
        alpha = np.asarray(alpha, dtype=float)
        flat = alpha.ravel() if alpha.ndim == 2 else cells.per_cell(alpha)
    return np.where(cells.cell_count, flat, np.nan)


def _breaks_in_span(
    cat: pd.DataFrame, ind_index: pd.Index, p: Period, cmp_: Comparison, years: int
) -> dict[str, SeriesBreak | None]:
    """Per indicator, the first break in the series inside the months the comparison spans (no
    verdict across it), or None."""
    breaks = series_breaks(cat)
    if cmp_ is Comparison.TARGET:
        reach = 0
    else:
        reach = 12 * (years if cmp_ is Comparison.BASELINE else 1)
    span_first, span_last = parse_month(p.first) - reach, parse_month(p.last)
    return {
        ind: next((b for b in breaks.get(ind, []) if span_first < parse_month(b.month) <= span_last),
                  None)
        for ind in ind_index
    }


def _etests(
    cells: _Cells, baseline_mode: bool, cell_alpha: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The E-test of counts against the statistical reference (last year, or the baseline years
    with exposure k): plain Poisson (descriptive, ``p_etest``) and with the indicator's dispersion
    (the verdict's test outside target comparisons)."""
    need_e = cells.cell_count & cells.cur_ok & (cells.base_ok if baseline_mode else cells.prev_ok)
    p_e = np.full(cells.n_cells, np.nan)
    p_nb = np.full(cells.n_cells, np.nan)
    if need_e.any():
        if baseline_mode:
            ref_count, ref_exp = cells.base_total[need_e], cells.base_n[need_e].astype(float)
        else:
            ref_count, ref_exp = cells.prev[need_e], np.ones(int(need_e.sum()))
        cur = cells.cur[need_e]
        p_e[need_e] = etest(cur, 1.0, ref_count, ref_exp)
        p_nb[need_e] = nb_etest(cur, 1.0, ref_count, ref_exp, cell_alpha[need_e])
    return p_e, p_nb


def _rare_tail(cells: _Cells) -> np.ndarray:
    """Poisson tail of rare counts against the baseline mean (descriptive, ``p_tail``)."""
    tail_ok = cells.cell_rare & cells.cell_count & (cells.base_mean > 0)
    p_tail = np.full(cells.n_cells, np.nan)
    if tail_ok.any():
        p_tail[tail_ok] = poisson_tail(cells.cur_v[tail_ok], cells.base_mean[tail_ok])
    return p_tail


@dataclass(frozen=True)
class _Verdict:
    """The deciding test of each cell (see the module's table) and what ``change`` is against."""

    p_test: np.ndarray  # NaN where untested
    test: np.ndarray  # test name, None where untested
    status: np.ndarray  # why untested, None where tested
    reference: np.ndarray
    z_poisson: np.ndarray


def _verdict(
    cells: _Cells,
    cmp_: Comparison,
    target: np.ndarray,
    cell_alpha: np.ndarray,
    p_nb: np.ndarray,
    crosses: np.ndarray,
    worse_up: np.ndarray,
) -> _Verdict:
    """The deciding test per cell, its p-value and the status of cells without one."""
    baseline_mode = cmp_ is Comparison.BASELINE
    cur_v = cells.cur_v
    base_for_t = np.where(cells.base_n[:, None] >= 2, cells.base_used, np.nan)
    if baseline_mode:
        _, p_t = prediction_t(cur_v, base_for_t)
        reference, ref_ok = cells.base_mean, cells.base_ok
        z_pois = poisson_z(cur_v, cells.base_mean)
    else:
        _, p_t = difference_t(
            cur_v, cells.prev_v, np.where(cells.base_n[:, None] >= 2, cells.base_mat, np.nan)
        )
        reference, ref_ok = cells.prev_v, cells.prev_ok
        z_pois = poisson_z(cur_v, cells.prev_v)
    poisson = cell_alpha == 0
    count = cells.cell_count
    if cmp_ is Comparison.TARGET:
        p_test = _target_p(cur_v, target, count, cell_alpha, worse_up, base_for_t)
        test = np.where(count, np.where(poisson, "poisson_tail", "nb_tail"), "t").astype(object)
        has_target = ~np.isnan(target)
        status = np.select(
            [~cells.cur_ok, crosses, ~has_target, np.isnan(p_test)],
            ["incomplete", "break", "no_target", "no_variance"],
            default="",
        ).astype(object)
        reference = target
    else:
        p_test = np.where(count, p_nb, p_t)
        test = np.where(count, np.where(poisson, "etest", "nb_etest"), "t").astype(object)
        status = np.select(
            [~cells.cur_ok, crosses, ~ref_ok, np.isnan(p_test)],
            ["incomplete", "break", "no_baseline" if baseline_mode else "no_previous",
             "no_variance"],
            default="",
        ).astype(object)
    tested = status == ""
    test[~tested] = None
    status[tested] = None
    return _Verdict(np.where(tested, p_test, np.nan), test, status, reference, z_pois)


def _identity_columns(cells: _Cells, meta: pd.DataFrame, cat: pd.DataFrame) -> dict[str, object]:
    """``area_id``, ``indicator_id``, the area's fields and the indicator's attributes."""
    n_i, n_a = cells.n_inds, cells.n_areas
    cols: dict[str, object] = {
        "area_id": np.repeat(cells.area_index.to_numpy(dtype=object), n_i),
        "indicator_id": np.tile(cells.ind_index.to_numpy(dtype=object), n_a),
    }
    for col in AREA_META:
        if col in meta.columns:
            cols["area_name" if col == "name" else col] = np.repeat(meta[col].to_numpy(), n_i)
    for col in CATALOGUE_ATTRIBUTES:
        cols[col] = np.tile(cat[col].to_numpy(), n_a)
    return cols


def _number_columns(
    cells: _Cells,
    meta: pd.DataFrame,
    target: np.ndarray,
    cell_alpha: np.ndarray,
    verdict: _Verdict,
    p_e: np.ndarray,
) -> dict[str, object]:
    """The values, references, changes, z-scores, p-values, tests and rates of every cell."""
    cur_v, cell_count = cells.cur_v, cells.cell_count
    z_base = np.where(
        cell_count,
        baseline_z(cur_v, cells.base_used, poisson=True),
        baseline_z(cur_v, cells.base_used, poisson=False),
    )
    pop = (
        meta["population"].astype(float).to_numpy()
        if "population" in meta.columns
        else np.full(cells.n_areas, np.nan)
    )
    cell_pop = cells.per_area_cell(pop)
    reference = verdict.reference
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(
            cells.per_cell(cells.additive) & (cell_pop > 0), cur_v / cell_pop * 1000.0, np.nan
        )
        change = cur_v - reference
    return {
        "n_months": np.full(cells.n_cells, cells.n_months),
        "months_reported": cells.months_reported,
        "complete": cells.cur_ok,
        "value": cells.cur,
        "previous": cells.prev,
        "previous_complete": cells.prev_ok,
        "baseline": cells.base_mean,
        "baseline_total": cells.base_total,
        "baseline_years": cells.base_n,
        "target": target,
        "reference": reference,
        "change": change,
        "pct_change": percent_change(cur_v, reference),
        "z_poisson": np.where(cell_count, verdict.z_poisson, np.nan),
        "z_baseline": z_base,
        "z": np.where(cell_count, verdict.z_poisson, z_base),
        "p_etest": p_e,
        "p_tail": _rare_tail(cells),
        "p_test": verdict.p_test,
        "test": verdict.test,
        "dispersion": cell_alpha,
        "status": verdict.status,
        "rate_per_1000": rate,
        "population": cell_pop,
    }


def _gap_columns(cells: _Cells, p: Period) -> dict[str, object]:
    """``pending``, ``missing``, ``uncovered`` (months of incomplete cells) and ``previous_gaps``
    (the same three for last year's period, where only that one is incomplete)."""
    empty: tuple[str, ...] = ()
    n_c = cells.n_cells
    gaps: dict[str, object] = {k: [empty] * n_c for k in ("pending", "missing", "uncovered")}
    gaps["previous_gaps"] = [empty] * n_c
    months0 = np.array(p.months)
    months1 = np.array([format_month(i) for i in cells.cube["month_idx"][1]])
    _current_gaps(cells, months0, gaps)
    _previous_gaps(cells, months1, gaps["previous_gaps"])
    return gaps


def _missing_bits(cells: _Cells, bad: np.ndarray, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Indicator index and missing-month bit pattern of the cells ``bad`` in year ``offset``."""
    a_idx, i_idx = np.divmod(bad, cells.n_inds)
    usable, present = cells.cube["usable"], cells.cube["present"]
    bits = 1 << np.arange(cells.n_months, dtype=np.int64)
    miss = ((usable[i_idx, offset] & ~present[a_idx, i_idx, offset]) * bits).sum(axis=1)
    return i_idx, miss


def _current_gaps(cells: _Cells, months0: np.ndarray, gaps: dict) -> None:
    """Fill the month lists of the period's incomplete cells: per indicator (pending, uncovered)
    and per pattern of missing months, so equal lists are built once."""
    bad = np.flatnonzero(~cells.cur_ok)
    if not len(bad):
        return
    pending, uncovered = cells.cube["pending"], cells.cube["uncovered"]
    bits = 1 << np.arange(cells.n_months, dtype=np.int64)
    i_idx, miss = _missing_bits(cells, bad, 0)
    by_ind: dict[int, tuple] = {}
    by_miss: dict[int, tuple] = {}
    for c, i, m in zip(bad.tolist(), i_idx.tolist(), miss.tolist(), strict=True):
        if i not in by_ind:
            by_ind[i] = (tuple(months0[pending[i, 0]]), tuple(months0[uncovered[i, 0]]))
        if m not in by_miss:
            by_miss[m] = tuple(months0[(m & bits) != 0])
        gaps["pending"][c], gaps["uncovered"][c] = by_ind[i]
        gaps["missing"][c] = by_miss[m]


def _previous_gaps(cells: _Cells, months1: np.ndarray, gaps_prev: list) -> None:
    """Fill (pending, missing, uncovered) of last year's period for the cells complete now but not
    then."""
    bad = np.flatnonzero(~cells.prev_ok & cells.cur_ok)
    if not len(bad):
        return
    pending, uncovered = cells.cube["pending"], cells.cube["uncovered"]
    bits = 1 << np.arange(cells.n_months, dtype=np.int64)
    i_idx, miss = _missing_bits(cells, bad, 1)
    memo: dict[tuple[int, int], tuple] = {}
    for c, i, m in zip(bad.tolist(), i_idx.tolist(), miss.tolist(), strict=True):
        key = (i, m)
        if key not in memo:
            memo[key] = (
                tuple(months1[pending[i, 1]]),
                tuple(months1[(m & bits) != 0]),
                tuple(months1[uncovered[i, 1]]),
            )
        gaps_prev[c] = memo[key]


def _series_columns(
    cells: _Cells, cat: pd.DataFrame, bounds: pd.DataFrame, break_of: dict[str, SeriesBreak | None]
) -> dict[str, object]:
    """``series_start`` (first covered month), ``series_end`` and ``series_break``
    (``"month|note_sv|note_en"`` of a break inside the comparison's span) per cell."""
    ind_index = cells.ind_index
    starts = [
        format_month(int(f)) if f > -(10**8) else None for f in bounds.reindex(ind_index)["first"]
    ]
    ends = series_end(cat)
    brk = [None if break_of[i] is None else f"{break_of[i].month}|{break_of[i].note_sv}|{break_of[i].note_en}"
           for i in ind_index]
    return {
        "series_start": cells.per_cell(np.array(starts, dtype=object)),
        "series_end": cells.per_cell(np.array([ends.get(i) for i in ind_index], dtype=object)),
        "series_break": cells.per_cell(np.array(brk, dtype=object)),
    }


def _list_columns(cells: _Cells, areas: pd.DataFrame, p: Period) -> dict[str, object]:
    """``previous_list_year`` (the list in force last year) and ``on_previous_list`` (None when
    the frame holds a single list)."""
    n_c = cells.n_cells
    plist = list_in_force(areas, int(p.shift_years(-1).last[:4]))
    if plist is not None and areas["list_year"].nunique() > 1:
        members = set(areas.loc[areas["list_year"] == plist, "id"].astype(str))
        on_prev = cells.per_area_cell(
            np.array([a in members for a in cells.area_index], dtype=object)
        )
    else:
        on_prev = np.full(n_c, None, dtype=object)
    return {
        "previous_list_year": np.full(n_c, plist, dtype=object),
        "on_previous_list": on_prev,
    }


def _table_columns(
    values: pd.DataFrame,
    cat: pd.DataFrame,
    meta: pd.DataFrame,
    areas: pd.DataFrame,
    p: Period,
    cmp_: Comparison,
    targets: pd.DataFrame | None,
    years: int,
    min_years: int,
    bounds: pd.DataFrame,
    value_arr: np.ndarray | None = None,
    target_arr: np.ndarray | None = None,
    alpha: np.ndarray | None = None,
) -> dict[str, object]:
    """The columns of :func:`indicator_table` (validated catalogue, area rows and bounds given;
    ``value_arr``/``target_arr``: the values and targets already laid out, see :func:`_cube`;
    ``alpha``: the dispersion per catalogue indicator, 0 = Poisson)."""
    cells = _cells(values, cat, meta, p, years, min_years, bounds, value_arr)
    target = _target_cells(cells, targets, p, target_arr)
    cell_alpha = _alpha_cells(cells, alpha)
    break_of = _breaks_in_span(cat, cells.ind_index, p, cmp_, years)
    crosses = cells.per_cell(np.array([break_of[i] is not None for i in cells.ind_index], dtype=bool))
    worse_up = cells.per_cell(cat["direction"].astype(str).to_numpy() == "up_is_bad")
    p_e, p_nb = _etests(cells, cmp_ is Comparison.BASELINE, cell_alpha)
    verdict = _verdict(cells, cmp_, target, cell_alpha, p_nb, crosses, worse_up)
    return {
        **_identity_columns(cells, meta, cat),
        **_number_columns(cells, meta, target, cell_alpha, verdict, p_e),
        **_gap_columns(cells, p),
        **_series_columns(cells, cat, bounds, break_of),
        **_list_columns(cells, areas, p),
    }


def _target_p(
    value: np.ndarray,
    target: np.ndarray,
    is_count: np.ndarray,
    alpha: np.ndarray,
    worse_up: np.ndarray,
    baseline: np.ndarray,
) -> np.ndarray:
    """One-sided p of a value at least as far on the bad side of its target as observed, when the
    target is the true mean: NB tail for counts (α per cell), a t-test scaled by the baseline years'
    spread otherwise. NaN where it cannot be computed (no target; a count target of 0, which is an
    aim, not a mean; fewer than two varying baseline years)."""
    p = np.full(value.shape, np.nan)
    ok = ~np.isnan(value) & ~np.isnan(target)
    cnt = ok & is_count & (target > 0)
    if cnt.any():
        up, down = cnt & worse_up, cnt & ~worse_up
        if up.any():
            p[up] = nb_tail(value[up], target[up], alpha[up], "larger")
        if down.any():
            p[down] = nb_tail(value[down], target[down], alpha[down], "smaller")
    other = ok & ~is_count
    if other.any():
        _, var, n = baseline_stats(baseline[other])
        with np.errstate(invalid="ignore", divide="ignore"):
            t = (value[other] - target[other]) / np.sqrt(var)
        t = np.where(worse_up[other], t, -t)
        pt = sps.t.sf(t, np.maximum(n - 1, 1))
        p[other] = np.where((n >= 2) & (var > 0) & np.isfinite(t), pt, np.nan)
    return p
