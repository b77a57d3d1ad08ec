"""Monthly indicator values summed (or averaged) from areas up to kommun, LPO, polisområde, region
and nation, for the area set of any list year.

Rules by unit (see :class:`indicators.catalogue.Unit`):

* ``count`` and ``hours`` are **summed** over the areas of a unit;
* ``share`` and ``rate`` are **averaged**: population-weighted when every reporting area's
  population is known, a plain mean otherwise (column ``weighted`` says which);
* ``rate_per_1000`` = ``value / population × 1000`` for summed units, where the unit's population
  is known for every area (NaN otherwise; a partly known population would understate it).

A missing (area, month) row is missing data, never zero: the unit's value is then the sum over the
areas that reported, with ``n_reporting < n_areas`` and ``complete = False``.

>>> areas = pd.DataFrame({"id": ["a", "b"], "region": ["Syd", "Syd"], "population": [1000.0, 3000.0],
...                       "list_year": [2025, 2025]})
>>> cat = pd.DataFrame({"id": ["x"], "unit": ["count"]})
>>> vals = pd.DataFrame({"area_id": ["a", "b"], "indicator_id": ["x", "x"],
...                      "month": ["2025-01", "2025-01"], "value": [2.0, 6.0]})
>>> aggregate(vals, cat, areas, "region")[["unit_id", "value", "rate_per_1000"]].to_dict("records")
[{'unit_id': 'Syd', 'value': 8.0, 'rate_per_1000': 2.0}]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from indicators.calendar import Period, parse_period
from indicators.catalogue import Level, Unit, area_set, require_columns
from indicators.frames import codes

LEVEL_KEYS = {
    Level.AREA: ("id", "name"),
    Level.KOMMUN: ("kommun_kod", "kommun"),
    Level.LPO: ("lpo", "lpo"),
    Level.POLISOMRADE: ("polisomrade", "polisomrade"),
    Level.REGION: ("region", "region"),
}
NATION_ID = "SE"
NATION_NAME = "Sverige"


def unit_keys(areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per area: the key and display name of its unit at ``level`` (index: area id)."""
    lvl = Level(level)
    if lvl is Level.NATION:
        return pd.DataFrame({"unit_id": NATION_ID, "unit_name": NATION_NAME}, index=areas.index)
    key, name = LEVEL_KEYS[lvl]
    require_columns(areas, [key], "areas")
    names = areas[name] if name in areas.columns else areas[key]
    return pd.DataFrame(
        {"unit_id": areas[key].astype(str), "unit_name": names.astype(str)}, index=areas.index
    )


def aggregate(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    level: str = "region",
    list_year: int | None = None,
    period: str | Period | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Monthly values per unit of ``level`` for the area set of ``list_year``.

    Parameters
    ----------
    values, catalogue, areas : pandas.DataFrame
        The store's frames (see :mod:`indicators.catalogue` for the columns).
    level : {"area", "kommun", "lpo", "polisomrade", "region", "nation"}
    list_year : int, optional
        Which list's areas to include (default: the latest list year in ``areas``).
    period : str, Period or iterable of months, optional
        Restrict to these months (default: all months in ``values``).

    Returns
    -------
    pandas.DataFrame
        One row per (unit, indicator, month): ``level``, ``unit_id``, ``unit_name``,
        ``indicator_id``, ``month``, ``value``, ``n_reporting``, ``n_areas``, ``complete``,
        ``population``, ``rate_per_1000``, ``weighted``.
    """
    require_columns(values, ["area_id", "indicator_id", "month", "value"], "values")
    require_columns(catalogue, ["id", "unit"], "catalogue")
    aset = area_set(areas, list_year)
    keys = unit_keys(aset, level)
    pop = aset["population"].astype(float) if "population" in aset.columns else pd.Series(np.nan, index=aset.index)

    units = catalogue.set_index("id")["unit"].astype(str)
    sub = _rows_to_sum(values, aset.index, units.index, period)

    # group rows by (unit, indicator, month) with integer codes and bincount
    area_pos = codes(sub["area_id"], pd.Index(aset.index))
    unit_codes, unit_ids = pd.factorize(keys["unit_id"])
    row_unit = unit_codes[area_pos]
    ind_codes, ind_ids = pd.factorize(sub["indicator_id"])
    month_codes, month_ids = pd.factorize(sub["month"])
    n_ind, n_mon = len(ind_ids), len(month_ids)
    group = (row_unit * n_ind + ind_codes) * n_mon + month_codes
    gcodes, groups = pd.factorize(group)
    total, n_rep, wv, popsum, n_pop = _group_sums(gcodes, len(groups), sub["value"].to_numpy(dtype=float),
                                                  pop.to_numpy()[area_pos])
    g_unit, rest = np.divmod(groups, n_ind * n_mon)
    g_ind, g_month = np.divmod(rest, n_mon)
    additive = np.array([Unit(units[i]).additive for i in ind_ids], dtype=bool)[g_ind]
    weighted = ~additive & (n_pop == n_rep) & (popsum > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(additive, total, np.where(weighted, wv / popsum, total / n_rep))

    n_areas, unit_pop, names = _unit_totals(unit_codes, len(unit_ids), pop.to_numpy(), keys)
    population = unit_pop[g_unit]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(additive & (population > 0), value / population * 1000.0, np.nan)
    out = pd.DataFrame(
        {
            "level": Level(level).value,
            "unit_id": np.asarray(unit_ids, dtype=object)[g_unit],
            "unit_name": names[g_unit],
            "indicator_id": np.asarray(ind_ids, dtype=object)[g_ind],
            "month": np.asarray(month_ids, dtype=object)[g_month],
            "value": value,
            "n_reporting": n_rep.astype(int),
            "n_areas": n_areas[g_unit].astype(int),
            "complete": n_rep == n_areas[g_unit],
            "population": population,
            "rate_per_1000": rate,
            "weighted": weighted,
        }
    )
    return out.sort_values(["unit_id", "indicator_id", "month"], kind="stable").reset_index(
        drop=True
    )


def _group_sums(gcodes: np.ndarray, n_g: int, v: np.ndarray,
                pop_row: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per group: the sum of the values, the number of rows, the population-weighted sum, the
    population and the number of rows with a known population (rows without one add nothing to
    the weighted sums)."""
    known = ~np.isnan(pop_row)
    total = np.bincount(gcodes, v, n_g)
    n_rep = np.bincount(gcodes, None, n_g)
    wv = np.bincount(gcodes, np.where(known, v * pop_row, 0.0), n_g)
    popsum = np.bincount(gcodes, np.where(known, pop_row, 0.0), n_g)
    n_pop = np.bincount(gcodes, known.astype(float), n_g)
    return total, n_rep, wv, popsum, n_pop


def _rows_to_sum(values: pd.DataFrame, area_ids: pd.Index, indicator_ids: pd.Index,
                 period: str | Period | Iterable[str] | None) -> pd.DataFrame:
    """The value rows of the area set's areas, the catalogue's indicators and the period's
    months that carry a value."""
    sub = values[values["area_id"].isin(area_ids)]
    if period is not None:
        months = parse_period(period).months if isinstance(period, str | Period) else tuple(period)
        sub = sub[sub["month"].isin(months)]
    return sub[sub["indicator_id"].isin(indicator_ids) & sub["value"].notna()]


def _unit_totals(unit_codes: np.ndarray, n_units: int, pop_all: np.ndarray,
                 keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit: number of areas, population (NaN unless known for every area), display name."""
    n_areas = np.bincount(unit_codes, None, n_units)
    unit_known = (
        np.bincount(unit_codes, (~np.isnan(pop_all)).astype(float), n_units) == n_areas
    )
    unit_pop = np.where(
        unit_known, np.bincount(unit_codes, np.nan_to_num(pop_all), n_units), np.nan
    )
    names = keys["unit_name"].to_numpy()[np.unique(unit_codes, return_index=True)[1]]
    return n_areas, unit_pop, names


def period_total(monthly: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Collapse the output of :func:`aggregate` over months: sum for count/hours, mean otherwise.

    Returns one row per (unit, indicator) with ``value``, ``n_months`` and ``complete`` (every
    month complete). Months absent from ``monthly`` are not counted: compare ``n_months`` with the
    period length to detect gaps.
    """
    units = catalogue.set_index("id")["unit"].astype(str)
    additive = units.map(lambda u: Unit(u).additive)
    g = monthly.groupby(["level", "unit_id", "unit_name", "indicator_id"], sort=True)
    out = g.agg(
        total=("value", "sum"),
        mean=("value", "mean"),
        n_months=("month", "size"),
        complete=("complete", "all"),
        population=("population", "first"),
    ).reset_index()
    add = additive.reindex(out["indicator_id"]).fillna(True).to_numpy(dtype=bool)
    out["value"] = np.where(add, out["total"], out["mean"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rate_per_1000"] = np.where(
            add & (out["population"] > 0), out["value"] / out["population"] * 1000.0, np.nan
        )
    return out.drop(columns=["total", "mean"])
