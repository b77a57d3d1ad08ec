"""Periods for the page: every choosable period, the default ones, and what a period holds.

Three defaults, each per period kind:

* :func:`default_period` – *senaste perioden*: the latest period every indicator reported up to the
  newest month has in full (most of them synthetic in the demo);
* :func:`real_period` – *senaste med verkliga data*: the latest period every real (not synthetic)
  series has in full and final (months still being registered count as not yet there, as for the
  verdicts: ``services.nowcast.engine_catalogue``);
* :func:`landing_period` – what the page opens on without a period in its URL: the newest period,
  unless no real series is complete in it; then the real-data one (issue 16: real data first).

:func:`period_choices` lists every period of a kind from the first month with data to the newest
one (newest first, so the list reads grouped by year), always with the period being shown even when
it lies outside (a future tertial in a shared link): a link never loses its period.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from indicators.calendar import (
    PeriodKind,
    format_month,
    latest_complete,
    parse_month,
    parse_period,
)
from services.context import data_version, engine
from store.engine import engine_for
from store.queries import catalogue_frame
from texts import t

#: a real series whose last month lies this many months or more before the newest month of the store
#: has ended (no later data will come): it says so instead of "not yet reported"
ENDED_AFTER_MONTHS = 6


def frontier_ids(catalogue: pd.DataFrame) -> list[str]:
    """Indicators reported up to the newest month (the ones that set the default period).

    Indicators that lag behind (e.g. a feed cut off mid-month) are shown as incomplete for that
    period rather than pulling every view back to an older one.
    """
    last = catalogue["last_month"].dropna()
    if last.empty:
        return []
    newest = max(last)
    return catalogue.loc[catalogue["last_month"] == newest, "id"].tolist()


def real_ids(catalogue: pd.DataFrame) -> list[str]:
    """Indicators that are real data (not synthetic) and have a reported month."""
    ok = catalogue["last_month"].notna() & ~catalogue["synthetic"].astype(bool)
    return catalogue.loc[ok, "id"].astype(str).tolist()


# --------------------------------------------------------------------------- kinds
#: the period kinds the page offers, in the order of the control. ISO weeks (``2025-W14``) slot in
#: here once ``indicators.calendar`` parses them: add the kind, its step in :data:`_STEP` and a
#: label key ``kind_<kind>`` in ``layout/strings.py``; :func:`kind_of` already recognises them.
KINDS: tuple[str, ...] = ("tertial", "month", "year", "r12", "ytd")


def kind_of(period: str | None) -> str:
    """The kind of a period text (``'tertial'`` for None or text that is not a period).

    >>> [kind_of(p) for p in ("2025-T2", "2025-05", "2025", "R12:2025-08", "YTD:2025-03", "2025-W14")]
    ['tertial', 'month', 'year', 'r12', 'ytd', 'week']
    """
    if not period:
        return "tertial"
    text = str(period).strip().upper()
    if len(text) == 8 and text[4:6] == "-W" and text[:4].isdigit() and text[6:].isdigit():
        return "week"
    try:
        return parse_period(period).kind.value
    except ValueError:
        return "tertial"


def is_period(text: str | None) -> bool:
    """Whether ``text`` parses as a period."""
    if not text:
        return False
    try:
        parse_period(text)
    except ValueError:
        return False
    return True


def anchored(month: str, kind: str) -> str:
    """The period of ``kind`` that ends with (or holds) ``month``.

    >>> [anchored("2021-06", k) for k in ("tertial", "month", "year", "r12", "ytd")]
    ['2021-T2', '2021-06', '2021', 'R12:2021-06', 'YTD:2021-06']
    """
    k = PeriodKind(kind)
    if k is PeriodKind.MONTH:
        return month
    if k is PeriodKind.TERTIAL:
        return f"{month[:4]}-T{(int(month[5:]) - 1) // 4 + 1}"
    if k is PeriodKind.YEAR:
        return month[:4]
    return f"{k.value.upper()}:{month}"


def convert(period: str, kind: str, newest_month: str | None = None) -> str:
    """``period`` as a period of ``kind`` at the same point in time (its last month), so switching
    the kind keeps the time the user was looking at; not later than ``newest_month``.

    >>> convert("2021-T2", "month"), convert("2021-05", "tertial"), convert("R12:2023-09", "year")
    ('2021-08', '2021-T2', '2023')
    """
    last = parse_period(period).last
    if newest_month and last > newest_month:
        last = newest_month
    return anchored(last, kind)


# --------------------------------------------------------------------------- the store's calendar
def default_period(kind: str = "tertial") -> str | None:
    """*Senaste perioden*: the latest complete period of ``kind`` for the indicators reported up to
    the newest month."""
    eng = engine()
    return _defaults(str(eng.url), data_version(eng), kind)["newest"]


def real_period(kind: str = "tertial") -> str | None:
    """*Senaste med verkliga data*: the latest period of ``kind`` that every real series has in
    full and final (None without real series)."""
    eng = engine()
    return _defaults(str(eng.url), data_version(eng), kind)["real"]


def landing_period(kind: str = "tertial") -> str | None:
    """The period the page opens on: the newest, unless no real series is complete in it (then the
    newest with real data)."""
    eng = engine()
    return _defaults(str(eng.url), data_version(eng), kind)["landing"]


def data_span() -> tuple[str, str] | None:
    """(first, last) month with data in the store (any indicator)."""
    eng = engine()
    return _span(str(eng.url), data_version(eng))


def period_choices(kind: str, lang: str = "sv", current: str | None = None) -> list[dict]:
    """Every period of ``kind`` from the first month with data to the newest (newest first), as
    dropdown options; ``current`` is always among them (outside the data: marked as such)."""
    eng = engine()
    options = [dict(o) for o in _choices(str(eng.url), data_version(eng), kind, lang)]
    if current and is_period(current):
        label = parse_period(current).label
        if not any(o["value"] == label for o in options):
            options.append({"label": _label(label, lang) + t("page.period.no_data_suffix", lang),
                            "value": label})
            options.sort(key=lambda o: parse_period(o["value"]).last, reverse=True)
    return options


def period_options(lang: str = "sv", kind: str = "tertial", current: str | None = None) -> list[dict]:
    """The period control's options for the kind of ``current`` (default: tertials)."""
    return period_choices(kind_of(current) if current else kind, lang, current)


def coverage_of(period: str) -> dict:
    """What the store holds for a period: ``has_data`` (some indicator has a month of it),
    ``real`` (ids of real series complete and final in it), ``n_real`` (real series in the store),
    ``real_last`` (the last month of the real series, raw), ``ended`` ({id: last month} of real
    series that have ended), ``span`` (first, last month of the store)."""
    eng = engine()
    return dict(_coverage(str(eng.url), data_version(eng), parse_period(period).label))


def ended_series() -> dict[str, str]:
    """Real series that have ended: {indicator id: last month} (their last month is
    :data:`ENDED_AFTER_MONTHS` or more before the newest month of the store)."""
    eng = engine()
    return dict(_ended(str(eng.url), data_version(eng)))


# --------------------------------------------------------------------------- memoised per data version
@lru_cache(maxsize=8)
def _frontier(url: str, version: int) -> tuple[pd.DataFrame, list[str]]:
    cat = catalogue_frame(engine_for(url))
    return cat, frontier_ids(cat)


@lru_cache(maxsize=4)
def _final_catalogue(url: str, version: int) -> pd.DataFrame:
    """The catalogue as the verdict engine sees it (months still being registered are pending)."""
    from services.nowcast import engine_catalogue

    cat, _ = _frontier(url, version)
    return engine_catalogue(cat)


@lru_cache(maxsize=8)
def _span(url: str, version: int) -> tuple[str, str] | None:
    cat, _ = _frontier(url, version)
    firsts, lasts = cat["first_month"].dropna(), cat["last_month"].dropna()
    if lasts.empty:
        return None
    first = min(firsts) if not firsts.empty else min(lasts)
    return str(first), str(max(lasts))


@lru_cache(maxsize=32)
def _defaults(url: str, version: int, kind: str) -> dict:
    cat, ids = _frontier(url, version)
    if not ids:
        return {"newest": None, "real": None, "landing": None}
    newest = latest_complete(cat, kind, indicator_ids=ids).label
    reals = real_ids(cat)
    real = latest_complete(_final_catalogue(url, version), kind, indicator_ids=reals).label if reals else None
    landing = newest
    if real and not dict(_coverage(url, version, newest))["real"]:
        landing = real
    return {"newest": newest, "real": real, "landing": landing}


@lru_cache(maxsize=64)
def _coverage(url: str, version: int, period: str) -> tuple[tuple[str, object], ...]:
    cat, _ = _frontier(url, version)
    # the nowcast's view of the real series (fitted on the extracts once per process): only when
    # the store has real series at all
    final = _final_catalogue(url, version) if real_ids(cat) else cat
    p = parse_period(period)
    span = _span(url, version)
    first_idx, last_idx = parse_month(p.first), parse_month(p.last)

    def covers(row, whole: bool) -> bool:
        start = parse_month(row.first_month) if isinstance(row.first_month, str) and row.first_month else -10**9
        end = parse_month(row.last_month) if isinstance(row.last_month, str) and row.last_month else None
        if end is None:
            return False
        return (start <= first_idx and end >= last_idx) if whole else (start <= last_idx and end >= first_idx)

    has_data = any(covers(r, whole=False) for r in cat.itertuples())
    reals = cat[~cat["synthetic"].astype(bool) & cat["last_month"].notna()]
    real = tuple(str(r.id) for r in final.itertuples() if not r.synthetic and covers(r, whole=True)) if len(reals) else ()
    return (("has_data", has_data), ("real", real), ("n_real", len(reals)),
            ("real_last", str(reals["last_month"].min()) if len(reals) else None),
            ("ended", tuple(sorted(_ended(url, version)))), ("span", span))


@lru_cache(maxsize=8)
def _ended(url: str, version: int) -> tuple[tuple[str, str], ...]:
    cat, _ = _frontier(url, version)
    span = _span(url, version)
    if span is None:
        return ()
    newest = parse_month(span[1])
    out = []
    for r in cat.itertuples():
        if r.synthetic or not isinstance(r.last_month, str) or not r.last_month:
            continue
        if newest - parse_month(r.last_month) >= ENDED_AFTER_MONTHS:
            out.append((str(r.id), r.last_month))
    return tuple(out)


def _label(period: str, lang: str) -> str:
    return option_label(period, lang)


def option_label(period: str, lang: str = "sv") -> str:
    """A period as the period list shows it: the calendar's own label, shorter for rolling 12
    months (the list is narrow).

    >>> option_label("R12:2024-03"), option_label("2023-T2"), option_label("YTD:2023-09", "en")
    ('12 mån t.o.m. mars 2024', 'tertial 2 2023 (maj–aug)', 'Jan–Sep 2023 (year to date)')
    """
    p = parse_period(period)
    if p.kind is PeriodKind.R12:
        return t("page.period.r12_option", lang, month=parse_period(p.last).label_for(lang))
    return p.label_for(lang)


def short_label(period: str, lang: str = "sv") -> str:
    """A period in a few characters, for buttons: ``T2 2023``, ``mars 2024``, ``2022``,
    ``12 mån t.o.m. mars 2024``, ``jan–sep 2023``.

    >>> [short_label(p) for p in ("2023-T2", "2024-03", "2022", "R12:2024-03", "YTD:2023-09")]
    ['T2 2023', 'mars 2024', '2022', '12 mån t.o.m. mars 2024', 'jan–sep 2023']
    """
    p = parse_period(period)
    if p.kind is PeriodKind.TERTIAL:
        return f"T{p.label[-1]} {p.label[:4]}"
    if p.kind is PeriodKind.YTD:
        # the calendar's label without its words: "jan–sep 2023 (hittills i år)" → "jan–sep 2023"
        return p.label_for(lang).rsplit(" (", 1)[0]
    return option_label(period, lang)


#: one step back in time per kind, in months (periods of each kind end on these months)
_STEP = {"tertial": 4, "month": 1, "year": 12, "r12": 1, "ytd": 1}


@lru_cache(maxsize=8)
def _newest_preliminary(url: str, version: int) -> str | None:
    """The newest month holding a preliminary value (imported flagged: shown, never tested)."""
    from store.queries import latest_preliminary_month

    return latest_preliminary_month(engine_for(url))


@lru_cache(maxsize=32)
def _choices(url: str, version: int, kind: str, lang: str) -> tuple[dict, ...]:
    span = _span(url, version)
    if span is None or kind not in _STEP:
        return ()
    first, last = parse_month(span[0]), parse_month(span[1])
    if kind == "r12":  # twelve months of data at least
        first += 11
    # months after the final ones that hold preliminary values can be chosen too, labelled so
    prelim = _newest_preliminary(url, version)
    top = max(last, parse_month(prelim)) if prelim else last
    word = t("page.preliminary", lang)  # a period holding preliminary values, labelled so in the list
    newest = parse_period(anchored(format_month(top), kind))
    out, seen = [], set()
    idx = parse_month(newest.last)
    while idx >= first:
        label = anchored(format_month(idx), kind)
        if label not in seen:
            seen.add(label)
            p = parse_period(label)
            text = option_label(p.label, lang)
            if parse_month(p.last) > last:
                text = f"{text} ({word})"
            out.append({"label": text, "value": p.label})
        idx -= _STEP[kind]
    return tuple(out)
