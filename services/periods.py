"""Period choices for the page and the default period (the latest complete tertial)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from indicators.calendar import format_month, latest_complete, parse_month, parse_period
from services.context import data_version, engine
from store.engine import engine_for
from store.queries import catalogue_frame


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


def default_period(kind: str = "tertial") -> str | None:
    """The latest complete period of ``kind`` for the indicators reported up to the newest month."""
    eng = engine()
    return _default_period(str(eng.url), data_version(eng), kind)


def period_options(lang: str = "sv", n_tertials: int = 12) -> list[dict]:
    """Tertials, years, rolling 12 months and months up to the latest complete month; and, first,
    the tertials and months after it that hold preliminary values (labelled so: shown, never
    tested; the default period stays the latest complete one)."""
    eng = engine()
    return [dict(o) for o in _period_options(str(eng.url), data_version(eng), lang, n_tertials)]


# read once per data version (every page load and the view callbacks ask)
@lru_cache(maxsize=8)
def _frontier(url: str, version: int) -> tuple[pd.DataFrame, list[str]]:
    cat = catalogue_frame(engine_for(url))
    return cat, frontier_ids(cat)


@lru_cache(maxsize=8)
def _newest_preliminary(url: str, version: int) -> str | None:
    from store.queries import latest_preliminary_month

    return latest_preliminary_month(engine_for(url))


PRELIMINARY_WORD = {"label_sv": "preliminär", "label_en": "preliminary"}


@lru_cache(maxsize=32)
def _default_period(url: str, version: int, kind: str) -> str | None:
    cat, ids = _frontier(url, version)
    if not ids:
        return None
    return latest_complete(cat, kind, indicator_ids=ids).label


@lru_cache(maxsize=16)
def _period_options(url: str, version: int, lang: str, n_tertials: int) -> tuple[dict, ...]:
    cat, ids = _frontier(url, version)
    if not ids:
        return ()
    last_month = latest_complete(cat, "month", indicator_ids=ids).label
    last_t = latest_complete(cat, "tertial", indicator_ids=ids)
    label = "label_sv" if lang == "sv" else "label_en"
    options = []
    year, t = int(last_t.label[:4]), int(last_t.label[-1])
    for _ in range(n_tertials):
        p = parse_period(f"{year}-T{t}")
        options.append({"label": getattr(p, label), "value": p.label})
        year, t = (year - 1, 3) if t == 1 else (year, t - 1)
    r12 = parse_period(f"R12:{last_month}")
    options.append({"label": getattr(r12, label), "value": r12.label})
    last_year = int(last_month[:4]) - (0 if last_month.endswith("-12") else 1)
    for y in range(last_year, last_year - 4, -1):
        options.append({"label": str(y), "value": str(y)})
    idx = parse_month(last_month)
    for i in range(idx, idx - 24, -1):
        p = parse_period(format_month(i))
        options.append({"label": getattr(p, label), "value": p.label})
    newest = _newest_preliminary(url, version)
    if newest is not None and newest > last_month:  # months after the complete ones with preliminary values
        word = PRELIMINARY_WORD[label]
        months, tertials = [], []
        for i in range(parse_month(newest), idx, -1):
            p = parse_period(format_month(i))
            months.append({"label": f"{getattr(p, label)} ({word})", "value": p.label})
            t = parse_period(f"{p.label[:4]}-T{(int(p.label[5:]) - 1) // 4 + 1}")
            if t.label != last_t.label and all(o["value"] != t.label for o in tertials):
                tertials.append({"label": f"{getattr(t, label)} ({word})", "value": t.label})
        options = tertials + options
        first_month = next(k for k, o in enumerate(options) if len(o["value"]) == 7 and o["value"][4] == "-"
                           and "T" not in o["value"])
        options = options[:first_month] + months + options[first_month:]
    return tuple(options)
