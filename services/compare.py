"""The compare view's data: the verdict rows of one to three periods, the indicator columns (real
series first), the small multiples of every area of the selection and the downloads.

Every number, colour and verdict is a row of the verdict object
(:func:`services.indicators.verdicts` through :func:`services.page.compare`): this module only
chooses, orders and groups rows, it never recomputes one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.calendar import PeriodKind, parse_period, shift_month
from services import page
from services.cache import memoize
from services.context import data_version, engine
from texts import t

#: the real offence series first, in the order regional follow-up reads them (the issue's list);
#: any other real indicator follows these, then the synthetic ones by name
REAL_FIRST = ("brand_i_motorfordon", "brand", "upplopp", "blaljussabotage", "vald_mot_polis",
              "polisen_handelser")
MAX_PERIODS = 3
#: months of history in each small multiple
SMALL_MULTIPLE_MONTHS = 36
#: the order of the small multiples: the chosen indicator's signal, worst first
SIGNAL_ORDER = {"sig_worse": 0, "nominal": 1, "sig_neutral": 2, "normal": 3, "sig_better": 4, "untested": 5}
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "grey": 3}


def previous_period(period: str) -> str:
    """The period of the same kind just before ``period``.

    >>> previous_period("2023-T1"), previous_period("2023-05"), previous_period("2023")
    ('2022-T3', '2023-04', '2022')
    >>> previous_period("R12:2023-08"), previous_period("YTD:2023-08")
    ('R12:2022-08', 'YTD:2022-08')
    """
    p = parse_period(period)
    if p.kind is PeriodKind.TERTIAL:
        return parse_period(shift_month(p.first, -1)[:4] + "-T" + _tertial(shift_month(p.first, -1))).label
    if p.kind is PeriodKind.MONTH:
        return shift_month(p.last, -1)
    # a year, 12 rolling months or a year to date: the one a year earlier (never overlapping)
    return p.shift_years(-1).label


def _tertial(month: str) -> str:
    return str((int(month[5:]) - 1) // 4 + 1)


def periods_ending(period: str, n: int) -> list[str]:
    """``n`` consecutive periods of ``period``'s kind ending with it, oldest first.

    >>> periods_ending("2023-T2", 3)
    ['2022-T3', '2023-T1', '2023-T2']
    """
    n = max(1, min(int(n), MAX_PERIODS))
    out = [parse_period(period).label]
    while len(out) < n:
        out.insert(0, previous_period(out[0]))
    return out


def short_label(period: str, lang: str) -> str:
    """A column header's period: ``'T2 2023'``, ``'maj 2023'``, ``'2023'``, ``'R12 aug 2023'``."""
    p = parse_period(period)
    if p.kind is PeriodKind.TERTIAL:
        return f"T{p.label[-1]} {p.label[:4]}"
    if p.kind is PeriodKind.YEAR:
        return p.label
    if p.kind is PeriodKind.MONTH:
        return p.label_for(lang)
    prefix = "R12" if p.kind is PeriodKind.R12 else t("page.period.ytd_short", lang)
    month = parse_period(p.last).label_for(lang)
    return f"{prefix} {month}"


@dataclass(frozen=True)
class IndicatorColumn:
    """One indicator the table can show."""

    id: str
    name: str
    synthetic: bool
    unit: str


def indicator_columns(lang: str) -> list[IndicatorColumn]:
    """Every indicator of the catalogue: the real series first (:data:`REAL_FIRST`), then the
    synthetic demo indicators by name."""
    cat = page.catalogue()
    name = f"name_{lang}"
    cols = [IndicatorColumn(str(r["id"]), str(r[name]), bool(r["synthetic"]), str(r["unit"]))
            for _, r in cat.iterrows()]
    rank = {i: k for k, i in enumerate(REAL_FIRST)}
    return sorted(cols, key=lambda c: (c.synthetic, rank.get(c.id, len(rank)), c.name.casefold()))


def default_columns(lang: str, chosen: str | None = None) -> list[str]:
    """What the table shows before the user chooses: every real series (and the chosen
    indicator when it is a synthetic one)."""
    cols = indicator_columns(lang)
    out = [c.id for c in cols if not c.synthetic]
    if chosen and chosen not in out and any(c.id == chosen for c in cols):
        out.append(chosen)
    return out


def ordered_columns(wanted: list[str] | None, lang: str) -> list[IndicatorColumn]:
    """The chosen columns in the catalogue order (real first); unknown ids are dropped."""
    keep = set(wanted or [])
    return [c for c in indicator_columns(lang) if c.id in keep]


def tables(region: str, period: str, cmp_: str, lang: str, list_year: int | None,
           n_periods: int = 1) -> list[tuple[str, pd.DataFrame]]:
    """``[(period, compare rows)]`` for ``n_periods`` periods ending with ``period``, oldest
    first; each the memoised verdict rows of its own period (its own FDR family)."""
    return [(p, page.compare(region, p, cmp_, lang, list_year)) for p in periods_ending(period, n_periods)]


def signal_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of one indicator sorted by their verdict: significant worsening first, then the
    nominal (watch) ones, … , then untested; within a signal by colour, adjusted p and name.

    Only the verdict object's fields are read (``signal``, ``rag``, ``p_adjusted``)."""
    key = pd.DataFrame({
        "s": rows["signal"].map(SIGNAL_ORDER).fillna(len(SIGNAL_ORDER)),
        "r": rows["rag"].map(RAG_ORDER).fillna(len(RAG_ORDER)),
        "q": pd.to_numeric(rows["p_adjusted"], errors="coerce").fillna(2.0),
        "n": rows["area_name"].astype(str).str.casefold(),
    }, index=rows.index)
    return rows.loc[key.sort_values(["s", "r", "q", "n"], kind="stable").index]


@dataclass(frozen=True)
class SmallMultiple:
    """One area's panel: its monthly series and its verdict for the chosen indicator."""

    area_id: str
    name: str
    months: tuple[str, ...]
    values: tuple[float | None, ...]
    rag: str
    arrow: str
    verdict: str
    signal: str
    reason: str


@memoize(maxsize=64)
def _series(url: str, version: int, indicator_id: str, area_ids: tuple[str, ...], first: str, last: str,
            list_year: int) -> pd.DataFrame:
    from services.real_series import hide_other_places
    from store.engine import engine_for
    from store.queries import values_frame

    v = values_frame(engine_for(url), [indicator_id], list(area_ids), (first, last))
    return hide_other_places(v, url, version, list_year)


def small_multiples(region: str, indicator_id: str, period: str, cmp_: str, lang: str,
                    list_year: int | None) -> list[SmallMultiple]:
    """Every area of the selection (none left out), sorted by the indicator's verdict for the
    period (:func:`signal_order`), each with its last :data:`SMALL_MULTIPLE_MONTHS` months."""
    from services.geo import default_list_year

    year = int(list_year or default_list_year())
    table = page.compare(region, period, cmp_, lang, year)
    rows = signal_order(table[table["indicator_id"] == indicator_id])
    p = parse_period(period)
    first = shift_month(p.last, -(SMALL_MULTIPLE_MONTHS - 1))
    months = tuple(shift_month(first, i) for i in range(SMALL_MULTIPLE_MONTHS))
    eng = engine()
    ids = tuple(str(a) for a in rows["area_id"])
    v = _series(str(eng.url), data_version(eng), indicator_id, ids, first, p.last, year)
    by_area = {str(a): dict(zip(g["month"], g["value"], strict=True)) for a, g in v.groupby("area_id")}
    out = []
    for r in rows.itertuples():
        got = by_area.get(str(r.area_id), {})
        vals = tuple(None if got.get(m) is None or got.get(m) != got.get(m) else float(got[m]) for m in months)
        out.append(SmallMultiple(str(r.area_id), str(r.area_name), months, vals, r.rag or "grey",
                                 r.arrow if isinstance(r.arrow, str) else "", str(r.verdict or ""),
                                 str(r.signal or "untested"), str(r.reason or "")))
    return out


def current_data_version() -> int:
    """The data version the downloads name (the id of the newest import)."""
    return data_version(engine())
