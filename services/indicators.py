"""Indicator views: store reads (memoised per data version) → pure indicator functions.

The views read only the value rows their numbers depend on (the results are identical to running
the engine on the whole history window of :func:`frames`):

* the compare table: the period and the same months of the baseline years, for every area;
* an area summary: the area's whole window (its table, målstyrning and CUSUM) and the period's
  :class:`~indicators.summary.PeriodSection` (coverage and cross-sectional z-scores), built once
  per period, list and data version from every area's rows of the period;
* both: for indicators without a ``last_month``, the rows of their latest month in the window,
  so their coverage ("as far as the data go") is judged on the same month as with every row.

``bench/check_indicator_equivalence.py`` and ``tests/unit/test_indicators_perf_equivalence.py``
check that the results are those of the whole window.

The verdict engine reads **final values only** (``final_only=True`` in every read below): a
preliminary value (a month that had not ended when it was imported, or one its file marks
preliminary) is pending for the engine, never tested; the trend and the cards show it flagged
(``services.revisions``).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine

from geodata.errors import InputError
from i18n import fmt_number, fmt_p
from indicators.calendar import Period, coverage_bounds, parse_period, shift_month
from indicators.catalogue import series_breaks
from indicators.dispersion import Dispersion, estimate_dispersion
from indicators.rag import RagRules
from indicators.summary import (
    PeriodSection,
    area_summary,
    compare_table,
    period_section,
    verdict_table,
)
from indicators.table import window_months
from services.context import data_version
from services.real_series import area_note, hide_other_places
from store.queries import (
    area_values,
    areas_frame,
    catalogue_frame,
    latest_value_months,
    list_years,
    profiles_frame,
    targets_frame,
    values_frame,
    values_in_months,
)
from texts import t

HISTORY_YEARS = 4  # previous year + the three-year seasonal baseline
ALL_REGIONS = ("alla", "all", "hela landet", "sverige", "nation")


@lru_cache(maxsize=32)
def _static(url: str, version: int, list_year: int | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from services.nowcast import engine_catalogue
    from store.engine import engine_for

    eng = engine_for(url)
    # months still being registered are pending for the engine: never tested (services/nowcast.py)
    return (engine_catalogue(catalogue_frame(eng)), areas_frame(eng, list_year), targets_frame(eng),
            profiles_frame(eng, list_year))


@lru_cache(maxsize=32)
def _targets_by_area(url: str, version: int, list_year: int | None) -> dict[str, pd.DataFrame]:
    """The targets frame split by area (an area's summary reads its own rows only)."""
    targets = _static(url, version, list_year)[2]
    return {str(a): part for a, part in targets.groupby("area_id", sort=False)}


@lru_cache(maxsize=32)
def _window_values(url: str, version: int, first: str, last: str) -> pd.DataFrame:
    from store.engine import engine_for

    return values_frame(engine_for(url), months=(first, last), final_only=True)


@lru_cache(maxsize=16)  # a period uses two: its compare months and its summary months
def _month_values(url: str, version: int, months: tuple[str, ...], first: str, last: str,
                  open_ids: tuple[str, ...]) -> pd.DataFrame:
    """Every area's rows of ``months`` (inside the window ``first``–``last``), plus the rows of
    each ``open_ids`` indicator's latest month in the window when that month is not among them."""
    from store.engine import engine_for

    eng = engine_for(url)
    frame = values_in_months(eng, months, final_only=True)
    wanted = set(months)
    witness = {(i, m) for i, m in latest_value_months(eng, open_ids, (first, last), final_only=True).items()
               if m not in wanted}
    if not witness:
        return frame
    extra = values_in_months(eng, sorted({m for _, m in witness}), final_only=True)
    keep = [(i, m) in witness for i, m in zip(extra["indicator_id"], extra["month"], strict=True)]
    return pd.concat([frame, extra[keep]], ignore_index=True)


@lru_cache(maxsize=256)
def _area_values(url: str, version: int, area_id: str, first: str, last: str) -> pd.DataFrame:
    from store.engine import engine_for

    return area_values(engine_for(url), area_id, (first, last), final_only=True)


@lru_cache(maxsize=32)
def _list_years(url: str, version: int) -> list[int]:
    from store.engine import engine_for

    return list_years(engine_for(url))


def _values(url: str, version: int, first: str, last: str) -> pd.DataFrame:
    """All value rows of the window ``first``–``last`` (memoised per data version)."""
    return _window_values(url, version, first, last)


def _clear_values() -> None:
    for memo in (_window_values, _month_values, _area_values, _section, _list_years, _history,
                 _dispersion, _family):
        memo.cache_clear()


_values.cache_clear = _clear_values  # type: ignore[attr-defined]  # every value read at once


def _window(p: Period) -> tuple[str, str]:
    return shift_month(p.first, -12 * HISTORY_YEARS), p.last


def _open_ids(cat: pd.DataFrame) -> tuple[str, ...]:
    """Indicators whose coverage ends where their data end (no ``last_month``)."""
    return tuple(str(i) for i, v in zip(cat["id"], cat["last_month"], strict=True)
                 if not (isinstance(v, str) and v))


def _list_year(url: str, version: int, list_year: int | None) -> int | None:
    years = _list_years(url, version)
    if list_year is None:
        return max(years) if years else None
    if list_year not in years:
        raise InputError(None, f"list year {list_year} is not in the store (lists: {years})")
    return list_year


def frames(engine: Engine, period: str, list_year: int | None = None):
    """(values, catalogue, areas, targets, profiles) for a period, read once per data version."""
    p = parse_period(period)
    url, version = str(engine.url), data_version(engine)
    list_year = _list_year(url, version, list_year)
    cat, areas, targets, profiles = _static(url, version, list_year)
    values = _values(url, version, *_window(p))
    return values, cat, areas, targets, profiles


@lru_cache(maxsize=16)
def _section(url: str, version: int, period: str, list_year: int | None,
             open_ids: tuple[str, ...]) -> PeriodSection:
    """The period's shared summary part for the list (see the module doc)."""
    p = parse_period(period)
    cat, areas, _, _ = _static(url, version, list_year)
    shared = hide_other_places(_month_values(url, version, p.months, *_window(p), open_ids), url, version, list_year)
    return period_section(shared, cat, areas, p, list_year)


def _compare_values(url: str, version: int, p: Period, cat: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`indicators.summary.compare_table` reads (see the module doc)."""
    months = tuple(window_months(p, RagRules().baseline_years))  # what the table's cube reads
    return _month_values(url, version, months, *_window(p), _open_ids(cat))


@lru_cache(maxsize=2)
def _history(url: str, version: int) -> pd.DataFrame:
    """Every value row of every area and month (what the dispersion is estimated from)."""
    from store.engine import engine_for

    return values_frame(engine_for(url), final_only=True)


@lru_cache(maxsize=16)
def _dispersion(url: str, version: int, n_months: int) -> dict[str, Dispersion]:
    """α per count indicator for windows of ``n_months`` months, from the whole history of every
    area in the store (memoised per data version)."""
    cat = _static(url, version, None)[0]
    history = _history(url, version)
    breaks = {i: [b.month for b in found] for i, found in series_breaks(cat).items()}
    return estimate_dispersion(history, cat, n_months, coverage_bounds(cat, history), breaks)


def dispersion_for(engine: Engine, n_months: int) -> dict[str, Dispersion]:
    """The dispersion the verdicts of periods of ``n_months`` months use."""
    return _dispersion(str(engine.url), data_version(engine), n_months)


@lru_cache(maxsize=24)
def _family(url: str, version: int, period: str, comparison: str,
            list_year: int | None) -> pd.DataFrame:
    """The verdicts of every area × indicator of the list (the FDR family), both languages."""
    p = parse_period(period)
    cat, areas, targets, _ = _static(url, version, list_year)
    values = hide_other_places(_compare_values(url, version, p, cat), url, version, list_year)
    return verdict_table(values, cat, areas, p, comparison, targets=targets,
                         list_year=int(areas["list_year"].iloc[0]) if len(areas) else None,
                         dispersion=_dispersion(url, version, p.n_months))


def verdicts(engine: Engine, period: str, comparison: str = "prev_year",
             list_year: int | None = None) -> pd.DataFrame:
    """:func:`indicators.summary.verdict_table` of the list for a period and comparison: the one
    object every view (cards, compare table, landing list, lägesbild, exports, CLI) reads."""
    period = _check_period(period)
    url, version = str(engine.url), data_version(engine)
    return _family(url, version, period, comparison, _list_year(url, version, list_year))


def _check_period(period: str) -> str:
    try:
        p = parse_period(period)
    except ValueError as exc:
        raise InputError(None, f"--period: {exc}") from exc
    if p.kind.value == "week":  # indicator values are monthly: a week is counted from dated events only
        raise InputError(None, f"--period: '{p.label}' is an ISO week; indicator values are monthly. Weekly "
                         "counts of dated events: `python cli.py weekly --kommun CODE --week " + p.label + "`")
    return p.label


@lru_cache(maxsize=8)
def _newest_list_of(url: str, version: int) -> dict[str, int]:
    from store.engine import engine_for

    frame = areas_frame(engine_for(url))
    return frame.groupby("id")["list_year"].max().astype(int).to_dict()


def area_summary_json(engine: Engine, area_id: str, period: str, comparison: str = "prev_year",
                      lang: str = "sv", list_year: int | None = None) -> dict:
    """The stable summary JSON for one area (``cli.py summary``)."""
    period = _check_period(period)
    url, version = str(engine.url), data_version(engine)
    if list_year is None:  # the newest list the area is on
        newest = _newest_list_of(url, version)
        if str(area_id) not in newest:
            raise InputError(None, f"unknown area id '{area_id}' (`python cli.py areas` lists them)")
        list_year = newest[str(area_id)]
    list_year = _list_year(url, version, list_year)
    cat, areas, targets, profiles = _static(url, version, list_year)
    if str(area_id) not in set(areas["id"]):
        raise InputError(None, f"area '{area_id}' is not on the {list_year} list")
    section = _section(url, version, period, list_year, _open_ids(cat))
    values = hide_other_places(_area_values(url, version, str(area_id), *_window(parse_period(period))),
                               url, version, list_year)
    # the summary reads only the area's own targets; an area without any gets the whole frame, as
    # before (the summary filters it)
    targets = _targets_by_area(url, version, list_year).get(str(area_id), targets)
    family = _family(url, version, period, comparison, list_year)
    data = area_summary(values, cat, areas, targets, str(area_id), period, comparison, lang,
                        profiles=profiles if len(profiles) else None, section=section,
                        family=family, monthly_dispersion=_dispersion(url, version, 1))
    note = area_note(str(area_id), list_year, lang, engine)  # which DeSOs the real offence series count, or why none
    if note is not None:
        data["area"]["real_series"] = note
    return data


def region_area_ids(areas: pd.DataFrame, region: str) -> list[str]:
    """Area ids of a police region (case-insensitive) or of the whole list for 'alla'."""
    if region.strip().lower() in ALL_REGIONS:
        return areas["id"].astype(str).tolist()
    known = sorted(areas["region"].dropna().unique())
    match = [r for r in known if r.casefold() == region.strip().casefold()]
    if not match:
        raise InputError(None, f"unknown region '{region}' (regions: {', '.join(known)}, or 'alla')")
    return areas.loc[areas["region"] == match[0], "id"].astype(str).tolist()


def compare_frame(engine: Engine, region: str, period: str, comparison: str = "prev_year",
                  lang: str = "sv", list_year: int | None = None) -> pd.DataFrame:
    """The regional table (areas × indicators) as a DataFrame."""
    period = _check_period(period)
    url, version = str(engine.url), data_version(engine)
    list_year = _list_year(url, version, list_year)
    _, areas, _, _ = _static(url, version, list_year)
    ids = region_area_ids(areas, region)
    family = _family(url, version, period, comparison, list_year)
    return compare_table(None, None, areas, period, comparison, ids, lang=lang, family=family)


def compare_json(engine: Engine, region: str, period: str, comparison: str = "prev_year",
                 lang: str = "sv", list_year: int | None = None) -> dict:
    """``cli.py compare --format json``: ``{"region", "period", "comparison", "rows": [...]}``."""
    table = compare_frame(engine, region, period, comparison, lang, list_year)
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    return {"region": region, "period": parse_period(period).label, "comparison": comparison,
            "fdr": t("page.fdr_family", lang), "rows": rows}




def summary_table_text(data: dict) -> str:
    """A plain-text table of a summary for the terminal."""
    lang = data.get("lang", "sv")
    lines = [f"{data['area']['name']} ({data['area']['id']}) · {data.get('period_label', data['period'])}",
             ""]
    head = (f"{'indikator':32} {'värde':>8} {'jämf.':>8} {'':1} {'p':>7} {'just. p':>7} {'RAG':6} "
            f"{'bedömning'}")
    lines.append(head)
    ref_field = {"prev_year": "previous", "baseline": "baseline", "target": "target"}
    for ind in data["indicators"]:
        prev = ind.get(ref_field.get(data["comparison"], "previous"))
        lines.append(f"{ind['name'][:32]:32} {fmt_number(ind.get('value'), lang, 1):>8} "
                     f"{fmt_number(prev, lang, 1):>8} {ind.get('arrow') or ' ':1} "
                     f"{fmt_p(ind.get('p'), lang):>7} {fmt_p(ind.get('p_adjusted'), lang):>7} "
                     f"{ind.get('rag') or '':6} {ind.get('verdict') or ''}"
                     + (" (syntetisk)" if ind.get("synthetic") else ""))
    return "\n".join(lines)
