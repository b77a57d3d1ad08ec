"""The running months of the real DeSO series, estimated: what the page, the CLI and the summary
JSON show of months still being registered (the method: :mod:`indicators.nowcast`).

The police's DeSO extracts (``crime_deso/``) give each offence its registration date; the store
keeps only counts by offence month. The delay distribution and the late-registration dispersion
of each offence type are fitted once per process from the extracts, read as of their last
registration month (the *cut*, 2024-03); the registered counts of an area come from the store.

Only what is shown changes here, never a verdict's input:

* the last months of a real series whose registration is not yet complete are *preliminary*:
  :func:`engine_catalogue` ends the catalogue's ``last_month`` before them for the verdict
  engine, so a period holding one is incomplete (``complete: false``, no test, no red/green);
* :func:`annotate_summary` adds the ``nowcast`` field to the summary JSON, :func:`series_nowcast`
  the months for the trend chart. The estimate never enters a test.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from indicators import nowcast as nc
from indicators.calendar import parse_period
from texts import t

# --------------------------------------------------------------------------- models (per process)


@lru_cache(maxsize=2)
def _models(data_dir: str | None) -> tuple[str, dict[str, nc.TypeModel]] | None:
    """(cut, fitted model per indicator) from the extracts, or None without them."""
    from geodata.errors import InputError
    from geodata.registrations import coverage_start, read_all_registrations
    from geodata.sources import require
    from store.catalogue import DESO_CRIME_FILES

    try:
        rows = read_all_registrations(require(None if data_dir is None else Path(data_dir), "crime_deso"),
                                      DESO_CRIME_FILES)
    except InputError:
        return None
    cut = str(rows["registration_month"].max())
    tables = {}
    for ind, g in rows.groupby("indicator"):
        start = coverage_start(g)
        tables[ind] = (start, nc.delay_counts(g, start, cut)[1][0])
    return cut, nc.fit_types(tables, cut)


def models() -> tuple[str, dict[str, nc.TypeModel]] | None:
    """``(cut, {indicator: TypeModel})`` fitted on the DeSO extracts (None without a data dir)."""
    from config import settings

    data_dir = settings().data_dir
    return _models(str(data_dir) if data_dir else None)


def preliminary_months(indicator_id: str) -> tuple[str, ...]:
    """The months of ``indicator_id`` still being registered at the extracts' cut (oldest first)."""
    m = models()
    if m is None or indicator_id not in m[1]:
        return ()
    cut, fitted = m
    n = fitted[indicator_id].delay.preliminary_months()
    c = nc.month_index(cut)
    return tuple(nc.month_label(c - i) for i in range(n - 1, -1, -1))


def engine_catalogue(cat: pd.DataFrame) -> pd.DataFrame:
    """The catalogue as the verdict engine must see it: a real series that ends at the extracts'
    cut ends, for the engine, before its preliminary months (they are pending: never tested)."""
    m = models()
    if m is None or cat.empty:
        return cat
    cut = m[0]
    out = cat.copy()
    ids = out["id"] if "id" in out.columns else pd.Series(out.index, index=out.index)
    for i, ind in ids.items():
        months = preliminary_months(str(ind))
        if months and out.at[i, "last_month"] == cut:
            out.at[i, "last_month"] = nc.month_label(nc.month_index(months[0]) - 1)
    return out


# --------------------------------------------------------------------------- per series


def _area_series(engine: Engine, area_id: str, indicator_id: str, cut: str) -> pd.DataFrame:
    from store.queries import values_frame

    first = nc.month_label(nc.month_index(cut) - nc.MAX_PRELIMINARY - nc.PRIOR_MONTHS - 3)
    return values_frame(engine, [indicator_id], [str(area_id)], (first, cut))[["month", "value"]]


@lru_cache(maxsize=64)
def _level_k(url: str, version: int, indicator_id: str) -> float:
    """The Gamma shape of the areas' monthly counts of ``indicator_id`` (all areas in the store)."""
    from store.engine import engine_for
    from store.queries import values_frame

    cut, fitted = models()
    delay = fitted[indicator_id].delay
    c = nc.month_index(cut)
    first = c - nc.MAX_PRELIMINARY - nc.PRIOR_MONTHS - 3
    v = values_frame(engine_for(url), [indicator_id], None, (nc.month_label(first), cut))
    if v.empty:
        return nc.RemainderModel().k
    wide = v.pivot_table(index="area_id", columns="month", values="value", aggfunc="sum")
    wide = wide.reindex(columns=[nc.month_label(i) for i in range(first, c + 1)]).fillna(0.0)
    k, _ = nc.level_shape(wide.to_numpy(), c - first, delay)
    return float(k)


def _level(engine: Engine, indicator_id: str) -> float:
    from services.context import data_version

    return _level_k(str(engine.url), data_version(engine), indicator_id)


def series_nowcast(engine: Engine, area_id: str, indicator_id: str,
                   series: pd.DataFrame | None = None) -> list[dict]:
    """The preliminary months of an area's real series, each
    ``{month, registered, estimate, lo90, hi90, share_registered, complete: False, preliminary: True}``
    (empty when the series is not one still being registered).

    ``series`` (``month``, ``value``) may be given; otherwise it is read from the store.
    """
    m = models()
    if m is None or indicator_id not in m[1]:
        return []
    cut, fitted = m
    if series is None:
        series = _area_series(engine, area_id, indicator_id, cut)
    series = series.dropna(subset=["value"])
    if series.empty or str(series["month"].max()) != cut:
        return []
    table = nc.nowcast_series(series[["month", "value"]], cut, fitted[indicator_id], _level(engine, indicator_id))
    return [{"month": r.month, "registered": int(round(r.registered)), "estimate": int(round(r.estimate)),
             "lo90": int(round(r.lo90)), "hi90": int(round(r.hi90)),
             "share_registered": round(float(r.share_registered), 4), "complete": False, "preliminary": True}
            for r in table.itertuples()]


def period_nowcast(engine: Engine, area_id: str, indicator_id: str, period: str) -> dict | None:
    """The ``nowcast`` field of a summary entry: the preliminary months of ``period`` and, when the
    whole period is in the data, the period's total (complete months as registered plus the
    preliminary ones estimated together). None when the period holds no preliminary month."""
    m = models()
    if m is None or indicator_id not in m[1]:
        return None
    cut, fitted = m
    months = parse_period(period).months
    prelim = set(preliminary_months(indicator_id))
    if not prelim & set(months):
        return None
    series = _area_series(engine, area_id, indicator_id, cut)
    rows = [r for r in series_nowcast(engine, area_id, indicator_id, series) if r["month"] in months]
    if not rows:
        return None
    out: dict = {"months": rows, "period": None, "registered_through": cut,
                 "final_through": nc.month_label(nc.month_index(min(prelim)) - 1)}
    if max(months) <= cut:
        by = dict(zip(series["month"], series["value"], strict=True))
        done = sum(float(by.get(mo, 0.0)) for mo in months if mo not in prelim)
        open_months = [mo for mo in months if mo in prelim]
        c = nc.month_index(cut)
        h = np.array([c - nc.month_index(mo) for mo in open_months])
        x = np.array([float(by.get(mo, 0.0)) for mo in open_months])
        full = series.copy()
        idx = np.arange(c - nc.PRIOR_MONTHS - 3 - nc.MAX_PRELIMINARY, c + 1)
        vals = pd.Series(full["value"].to_numpy(float), index=full["month"]).reindex(
            [nc.month_label(i) for i in idx]).fillna(0.0).to_numpy()
        mu = nc.prior_means(vals[None], len(idx) - 1, fitted[indicator_id].delay,
                            skip=max(3, len(prelim)))
        tot = nc.nowcast_total(x, h, fitted[indicator_id].delay, mu[0],
                               fitted[indicator_id].model(_level(engine, indicator_id), summed=len(h) > 1))
        out["period"] = {"registered": int(round(done + tot.registered)), "estimate": int(round(done + tot.estimate)),
                         "lo90": int(round(done + tot.lo)), "hi90": int(round(done + tot.hi)),
                         "complete": False, "preliminary": True}
    return out


def annotate_summary(summary: dict, engine: Engine, lang: str = "sv") -> dict:
    """Add ``nowcast`` to every indicator of the summary (None unless its period holds months
    still being registered); such an entry is never ``complete`` and its coverage note says why."""
    area_id = str(summary["area"]["id"])
    period = summary["period"]
    for entry in summary["indicators"]:
        field = period_nowcast(engine, area_id, entry["id"], period)
        entry["nowcast"] = field
        if field is None:
            continue
        entry["complete"] = False  # the engine saw these months as pending already (engine_catalogue)
        field["label"] = t("page.nowcast.label", lang)
        field["method"] = t("page.nowcast.method", lang)
        shown = field["period"] or (field["months"][0] if len(field["months"]) == 1 else None)
        if shown is not None:
            entry["coverage_note"] = t("page.nowcast.note", lang,
                months=", ".join(r["month"] for r in field["months"]), estimate=shown["estimate"],
                lo=shown["lo90"], hi=shown["hi90"], registered=shown["registered"])
    return summary
