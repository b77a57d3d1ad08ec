"""Real data as plain data: which areas have real offence series (and why not), the sources
("Källor") with their first and last month, and the national shootings/explosions context.

The real offence series are stored per stable area id. An older list's area that is not the same
place as its id's series (Polisen split or redrew it), and the 2025 areas Oxhagen and Varberga
(only a joint series exists), must not show those values: :func:`hide_other_places` drops them from
the rows a view of that list reads (``area_real_series``, written with the series).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine, select

from geodata.deso_series import OFFENCE_INDICATORS
from geodata.sources import SOURCES
from services.context import data_version, engine
from store.engine import engine_for
from store.queries import real_series_frame
from store.schema import indicators
from texts import t

#: Källor: which catalogue indicators each time-series source feeds
SOURCE_INDICATORS: dict[str, tuple[str, ...]] = {
    "crime_deso": OFFENCE_INDICATORS,
    "polisen_events": ("polisen_handelser",),
}
SYNTHETIC_KEY = "synthetic"


@lru_cache(maxsize=16)
def _basis(url: str, version: int, list_year: int | None) -> pd.DataFrame:
    return real_series_frame(engine_for(url), list_year)


@lru_cache(maxsize=16)
def _hidden(url: str, version: int, list_year: int) -> frozenset[str]:
    b = _basis(url, version, list_year)
    return frozenset(b.loc[b["status"] == "none", "area_id"].astype(str))


def hide_other_places(values: pd.DataFrame, url: str, version: int, list_year: int | None) -> pd.DataFrame:
    """``values`` without the real offence rows of the areas that, on ``list_year``, have no real
    series of their own (their id's series describes another place, or only a joint one exists).

    Rows are ``area_id, indicator_id, …``; other indicators and other areas pass unchanged. A store
    without ``area_real_series`` rows (no demo real series) hides nothing.
    """
    if list_year is None or values.empty:
        return values
    hidden = _hidden(url, version, int(list_year))
    if not hidden:
        return values
    drop = values["indicator_id"].isin(OFFENCE_INDICATORS).to_numpy() & values["area_id"].astype(str).isin(hidden).to_numpy()
    return values[~drop] if drop.any() else values


def real_series_basis(list_year: int | None = None, eng: Engine | None = None) -> pd.DataFrame:
    """Why each area (of ``list_year``, or every list) has a real offence series or not."""
    eng = eng or engine()
    return _basis(str(eng.url), data_version(eng), list_year)


def area_note(area_id: str, list_year: int, lang: str = "sv", eng: Engine | None = None) -> dict | None:
    """``{"status", "reason", "deso_count", "min_share", "note"}`` for one area of a list (None when
    the store has no such row)."""
    b = real_series_basis(int(list_year), eng)
    row = b[b["area_id"].astype(str) == str(area_id)]
    if row.empty:
        return None
    r = row.iloc[0]
    return {"status": r["status"], "reason": r["reason"] if isinstance(r["reason"], str) else None,
            "deso_count": int(r["deso_count"]), "min_share": float(r["min_share"]),
            "note": r[f"note_{lang}"]}


def coverage_counts(eng: Engine | None = None) -> dict[int, tuple[int, int]]:
    """``{list_year: (areas with a real offence series, areas on the list)}``."""
    b = real_series_basis(None, eng)
    if b.empty:
        return {}
    g = b.groupby("list_year")["status"]
    return {int(y): (int((s == "real").sum()), int(len(s))) for y, s in g}


# --------------------------------------------------------------------------- Källor


@lru_cache(maxsize=4)
def _windows(url: str, version: int) -> dict:
    """First/last month and synthetic flag per catalogue indicator."""
    eng = engine_for(url)
    with eng.connect() as conn:
        cat = {r.id: (r.first_month, r.last_month, bool(r.synthetic)) for r in conn.execute(
            select(indicators.c.id, indicators.c.first_month, indicators.c.last_month, indicators.c.synthetic))}
    return {"catalogue": cat}


def _span(cat: dict, ids: tuple[str, ...]) -> tuple[str | None, str | None]:
    firsts = [cat[i][0] for i in ids if i in cat and cat[i][0]]
    lasts = [cat[i][1] for i in ids if i in cat and cat[i][1]]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def sources(lang: str = "sv", eng: Engine | None = None, data_dir=None) -> list[dict]:
    """Every data source with title, publisher, licence, address, note and — for time series —
    the first and last month the store holds (``None`` for reference data such as polygons).

    The crime-table entry also carries ``areas_with_real_series`` (``{list_year: [n, of]}``); the
    national shootings its years; the synthetic demo set its months.
    """
    eng = eng or engine()
    url, version = str(eng.url), data_version(eng)
    w = _windows(url, version)
    cat, counts = w["catalogue"], coverage_counts(eng)
    out = []
    for key, src in SOURCES.items():
        first = last = None
        if key in SOURCE_INDICATORS:
            first, last = _span(cat, SOURCE_INDICATORS[key])  # the series' complete months
        elif key == "polisen_national":
            years = [r["year"] for r in national_context(data_dir)]
            first, last = (f"{min(years)}-01", f"{max(years)}-12") if years else (None, None)
        item = {"key": key, "title": src.title_for(lang), "publisher": src.publisher,
                "licence": src.licence, "url": src.official_url,
                "note": src.note_for(lang),
                "first_month": first, "last_month": last, "synthetic": False}
        if key == "crime_deso":
            item["areas_with_real_series"] = {y: list(v) for y, v in sorted(counts.items())}
            if counts:
                y = max(counts)
                n, of = counts[y]
                item["note"] += t("page.real_series.list_coverage", lang, year=y, n=n, of=of)
        out.append(item)
    syn = [i for i, v in cat.items() if v[2]]
    if syn:
        first, last = _span(cat, tuple(syn))
        out.append({"key": SYNTHETIC_KEY,
                    "title": t("page.real_series.synthetic_title", lang),
                    "publisher": "Lägesbild, store/synthetic.py (seed 20251201)",
                    "licence": "–", "url": "",
                    "note": t("page.real_series.synthetic_note", lang, indicators=", ".join(sorted(syn))),
                    "first_month": first, "last_month": last, "synthetic": True})
    return out


# --------------------------------------------------------------------------- national context


@lru_cache(maxsize=4)
def _national(path: str, mtime: float) -> tuple[dict, ...]:
    from geodata.national import read_national_shootings

    frame = read_national_shootings(path)
    return tuple(frame.to_dict("records"))


def national_context(data_dir=None) -> list[dict]:
    """Polisen's national shootings and explosions per year: ``year, shootings, explosions,
    source_url_shootings, source_url_explosions, preliminary`` (empty when the file is missing).

    Polisen calls these figures preliminary; so does every label that shows them.
    """
    from config import settings
    from geodata.sources import data_path

    path = data_path(data_dir if data_dir is not None else settings().data_dir, "polisen_national")
    if path is None or not path.exists():
        return []
    return [dict(r) for r in _national(str(path), path.stat().st_mtime)]
