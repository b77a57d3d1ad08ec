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
    area_index = pd.Index(meta.index.astype(str))
    ind_index = pd.Index(cat.index.astype(str))
    n_a, n_i, n_m = len(area_index), len(ind_index), p.n_months
    cube = _cube(values, bounds, area_index, ind_index, p, years, value_arr)
    units = cat["unit"].astype(str).to_numpy()
    additive = np.isin(units, ["count", "hours"])
    is_count = units == "count"
    agg, complete, n_ok = _aggregate(cube, additive)

    # flatten to cells (area-major)
    n_c = n_a * n_i
    cur = agg[:, :, 0].ravel()
    cur_ok = complete[:, :, 0].ravel()
    prev = agg[:, :, 1].ravel()
    prev_ok = complete[:, :, 1].ravel()
    base_mat = np.where(complete[:, :, 1:], agg[:, :, 1:], np.nan).reshape(n_c, years)
    base_mean, _, base_n = baseline_stats(base_mat)
    base_ok = base_n >= max(min_years, 1)
    base_mean = np.where(base_ok, base_mean, np.nan)
    base_total = np.where(base_ok, np.nansum(base_mat, axis=1), np.nan)
    base_used = np.where(base_ok[:, None], base_mat, np.nan)
    cell_count = np.tile(is_count, n_a)
    cell_rare = np.tile(cat["rare"].astype(bool).to_numpy(), n_a)
    cur_v = np.where(cur_ok, cur, np.nan)
    prev_v = np.where(prev_ok, prev, np.nan)

    # targets over the period's months (all months needed)
    target = np.full(n_c, np.nan)
    if targets is not None and len(targets):
        require_columns(targets, ["area_id", "indicator_id", "month", "target"], "targets")
        if target_arr is None:
            tsub = targets[targets["month"].isin(p.months)]
            tarr = _dense(tsub, "target", area_index, ind_index, list(p.months), (n_a, n_i, n_m))
        else:
            tarr = target_arr
        t_val = np.where(additive[None, :], tarr.sum(axis=-1), tarr.mean(axis=-1))
        target = t_val.ravel()  # NaN when any month lacks a target

    # statistics
    baseline_mode = cmp_ is Comparison.BASELINE
    target_mode = cmp_ is Comparison.TARGET
    if alpha is None:
        alpha_cells = np.zeros(n_c)
    else:
        alpha = np.asarray(alpha, dtype=float)
        alpha_cells = alpha.ravel() if alpha.ndim == 2 else np.tile(alpha, n_a)
    cell_alpha = np.where(cell_count, alpha_cells, np.nan)
    z_base = np.where(
        cell_count,
        baseline_z(cur_v, base_used, poisson=True),
        baseline_z(cur_v, base_used, poisson=False),
    )
    # the E-test against the statistical reference: plain Poisson (descriptive, ``p_etest``) and
    # with the indicator's dispersion (the verdict's test outside target comparisons)
    need_e = cell_count & cur_ok & (base_ok if baseline_mode else prev_ok)
    p_e = np.full(n_c, np.nan)
    p_nb = np.full(n_c, np.nan)
    if need_e.any():
        if baseline_mode:
            ref_count, ref_exp = base_total[need_e], base_n[need_e].astype(float)
        else:
            ref_count, ref_exp = prev[need_e], np.ones(int(need_e.sum()))
        p_e[need_e] = etest(cur[need_e], 1.0, ref_count, ref_exp)
        p_nb[need_e] = nb_etest(cur[need_e], 1.0, ref_count, ref_exp, cell_alpha[need_e])
    tail_ok = cell_rare & cell_count & (base_mean > 0)
    p_tail = np.full(n_c, np.nan)
    if tail_ok.any():
        p_tail[tail_ok] = poisson_tail(cur_v[tail_ok], base_mean[tail_ok])
    base_for_t = np.where(base_n[:, None] >= 2, base_used, np.nan)
    if baseline_mode:
        _, p_t = prediction_t(cur_v, base_for_t)
        reference, ref_ok = base_mean, base_ok
        z_pois = poisson_z(cur_v, base_mean)
    else:
        _, p_t = difference_t(cur_v, prev_v, np.where(base_n[:, None] >= 2, base_mat, np.nan))
        reference, ref_ok = prev_v, prev_ok
        z_pois = poisson_z(cur_v, prev_v)
    poisson = cell_alpha == 0
    # a break in the series inside the months the comparison spans: no verdict across it
    breaks = series_breaks(cat)
    reach = 0 if target_mode else 12 * (years if baseline_mode else 1)
    span_first, span_last = parse_month(p.first) - reach, parse_month(p.last)
    break_of = {
        ind: next((b for b in breaks.get(ind, []) if span_first < parse_month(b.month) <= span_last),
                  None)
        for ind in ind_index
    }
    crosses = np.tile(np.array([break_of[i] is not None for i in ind_index], dtype=bool), n_a)
    if target_mode:
        worse_up = np.tile(cat["direction"].astype(str).to_numpy() == "up_is_bad", n_a)
        p_test = _target_p(cur_v, target, cell_count, cell_alpha, worse_up, base_for_t)
        test = np.where(
            cell_count, np.where(poisson, "poisson_tail", "nb_tail"), "t"
        ).astype(object)
        has_target = ~np.isnan(target)
        status = np.select(
            [~cur_ok, crosses, ~has_target, np.isnan(p_test)],
            ["incomplete", "break", "no_target", "no_variance"],
            default="",
        ).astype(object)
        reference, ref_ok = target, has_target
    else:
        p_test = np.where(cell_count, p_nb, p_t)
        test = np.where(cell_count, np.where(poisson, "etest", "nb_etest"), "t").astype(object)
        status = np.select(
            [~cur_ok, crosses, ~ref_ok, np.isnan(p_test)],
            ["incomplete", "break", "no_baseline" if baseline_mode else "no_previous",
             "no_variance"],
            default="",
        ).astype(object)
    tested = status == ""
    p_test = np.where(tested, p_test, np.nan)
    test[~tested] = None
    status[tested] = None
    ref_for_change = target if target_mode else reference

    pop = (
        meta["population"].astype(float).to_numpy()
        if "population" in meta.columns
        else np.full(n_a, np.nan)
    )
    cell_pop = np.repeat(pop, n_i)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(np.tile(additive, n_a) & (cell_pop > 0), cur_v / cell_pop * 1000.0, np.nan)
        change = cur_v - ref_for_change

    cols: dict[str, object] = {
        "area_id": np.repeat(area_index.to_numpy(dtype=object), n_i),
        "indicator_id": np.tile(ind_index.to_numpy(dtype=object), n_a),
    }
    for col in AREA_META:
        if col in meta.columns:
            cols["area_name" if col == "name" else col] = np.repeat(meta[col].to_numpy(), n_i)
    for col in CATALOGUE_ATTRIBUTES:
        cols[col] = np.tile(cat[col].to_numpy(), n_a)
    cols.update(
        n_months=np.full(n_c, n_m),
        months_reported=n_ok[:, :, 0].ravel(),
        complete=cur_ok,
        value=cur,
        previous=prev,
        previous_complete=prev_ok,
        baseline=base_mean,
        baseline_total=base_total,
        baseline_years=base_n,
        target=target,
        reference=ref_for_change,
        change=change,
        pct_change=percent_change(cur_v, ref_for_change),
        z_poisson=np.where(cell_count, z_pois, np.nan),
        z_baseline=z_base,
        z=np.where(cell_count, z_pois, z_base),
        p_etest=p_e,
        p_tail=p_tail,
        p_test=p_test,
        test=test,
        dispersion=cell_alpha,
        status=status,
        rate_per_1000=rate,
        population=cell_pop,
    )

    # month lists for incomplete cells only: per indicator (pending, uncovered) and per pattern of
    # missing months, so equal lists are built once
    empty: tuple[str, ...] = ()
    gaps = {k: [empty] * n_c for k in ("pending", "missing", "uncovered")}
    gaps_prev: list[tuple] = [empty] * n_c
    pending, uncovered, usable, present = (
        cube["pending"],
        cube["uncovered"],
        cube["usable"],
        cube["present"],
    )
    months0 = np.array(p.months)
    months1 = np.array([format_month(i) for i in cube["month_idx"][1]])
    bits = 1 << np.arange(n_m, dtype=np.int64)
    bad = np.flatnonzero(~cur_ok)
    if len(bad):
        a_idx, i_idx = np.divmod(bad, n_i)
        miss = ((usable[i_idx, 0] & ~present[a_idx, i_idx, 0]) * bits).sum(axis=1)
        by_ind: dict[int, tuple] = {}
        by_miss: dict[int, tuple] = {}
        for c, i, m in zip(bad.tolist(), i_idx.tolist(), miss.tolist(), strict=True):
            if i not in by_ind:
                by_ind[i] = (tuple(months0[pending[i, 0]]), tuple(months0[uncovered[i, 0]]))
            if m not in by_miss:
                by_miss[m] = tuple(months0[(m & bits) != 0])
            gaps["pending"][c], gaps["uncovered"][c] = by_ind[i]
            gaps["missing"][c] = by_miss[m]
    bad = np.flatnonzero(~prev_ok & cur_ok)
    if len(bad):
        a_idx, i_idx = np.divmod(bad, n_i)
        miss = ((usable[i_idx, 1] & ~present[a_idx, i_idx, 1]) * bits).sum(axis=1)
        prev_memo: dict[tuple[int, int], tuple] = {}
        for c, i, m in zip(bad.tolist(), i_idx.tolist(), miss.tolist(), strict=True):
            key = (i, m)
            if key not in prev_memo:
                prev_memo[key] = (
                    tuple(months1[pending[i, 1]]),
                    tuple(months1[(m & bits) != 0]),
                    tuple(months1[uncovered[i, 1]]),
                )
            gaps_prev[c] = prev_memo[key]
    cols.update(gaps)
    cols["previous_gaps"] = gaps_prev
    starts = [
        format_month(int(f)) if f > -(10**8) else None for f in bounds.reindex(ind_index)["first"]
    ]
    cols["series_start"] = np.tile(np.array(starts, dtype=object), n_a)
    ends = series_end(cat)
    cols["series_end"] = np.tile(np.array([ends.get(i) for i in ind_index], dtype=object), n_a)
    cols["series_break"] = np.tile(np.array(
        [None if break_of[i] is None else f"{break_of[i].month}|{break_of[i].note_sv}|{break_of[i].note_en}"
         for i in ind_index], dtype=object), n_a)

    prev_year = int(p.shift_years(-1).last[:4])
    plist = list_in_force(areas, prev_year)
    cols["previous_list_year"] = np.full(n_c, plist, dtype=object)
    if plist is not None and areas["list_year"].nunique() > 1:
        members = set(areas.loc[areas["list_year"] == plist, "id"].astype(str))
        cols["on_previous_list"] = np.repeat(
            np.array([a in members for a in area_index], dtype=object), n_i
        )
    else:
        cols["on_previous_list"] = np.full(n_c, None, dtype=object)
    return cols


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
