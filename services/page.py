"""What the page shows, as plain data: memoised per data version, shared by the callbacks."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from indicators.calendar import parse_period, shift_month
from indicators.series import seasonal_band
from layers.choropleth import choropleth_hideout, legend
from services import indicators as ind
from services.cache import memoize
from services.context import data_version, engine
from services.real_series import hide_other_places, national_context
from store.engine import engine_for
from store.queries import catalogue_frame, targets_frame, values_frame
from texts import t

TREND_MONTHS = 48
#: what the map can colour the areas by when an indicator is chosen
MAP_METRICS = ("value", "rate_per_1000", "change", "z")


@memoize(maxsize=512)
def _summary(url: str, version: int, area_id: str, period: str, cmp_: str, lang: str, list_year: int | None) -> dict:
    from services.nowcast import annotate_summary
    from services.revisions import annotate_summary as annotate_revisions

    eng = engine_for(url)
    summary = annotate_summary(ind.area_summary_json(eng, area_id, period, cmp_, lang, list_year), eng, lang)
    summary = annotate_revisions(summary, eng, lang)  # data versions, preliminary values, revision notes
    return mark_ended(summary, dict(_ended(url, version)), lang, _final_last(url, version))


def _ended(url: str, version: int) -> tuple:
    from services.periods import _ended as ended

    return ended(url, version)


def _final_last(url: str, version: int) -> dict[str, str]:
    """Each indicator's last month as the verdict engine sees it (before months still being
    registered)."""
    from services.periods import _final_catalogue

    cat = _final_catalogue(url, version)
    return {str(r.id): r.last_month for r in cat.itertuples() if isinstance(r.last_month, str)}


def mark_ended(summary: dict, ended: dict[str, str], lang: str = "sv", final_last: dict[str, str] | None = None) -> dict:
    """A real series that has ended says so: where the period lies (partly) after an ended series'
    last month, the summary's "2026-05–2026-08 ännu inte rapporterade" becomes "serien slutade
    2024-03, inga senare uppgifter" in the coverage note and the reason, and the entry gets
    ``ended`` (its last month). ``ended``: ``services.periods.ended_series()``.

    >>> s = {"period": "2026-T2", "indicators": [{"id": "brand", "complete": False,
    ...      "coverage_note": "2026-05–2026-08 ännu inte rapporterade",
    ...      "reason": "Grå: ofullständig period (2026-05–2026-08 ännu inte rapporterade), ingen bedömning."}]}
    >>> mark_ended(s, {"brand": "2024-03"})["indicators"][0]["reason"]
    'Grå: ofullständig period (serien slutade 2024-03, inga senare uppgifter), ingen bedömning.'
    """
    from indicators.texts import gap_parts

    if not ended:
        return summary
    p = parse_period(summary["period"])
    for entry in summary["indicators"]:
        last = ended.get(entry["id"])
        if not last or entry.get("complete") or p.last <= last:
            continue
        entry["ended"] = last
        engine_last = (final_last or {}).get(entry["id"], last)
        pending = tuple(m for m in p.months if m > engine_last)  # what the engine called pending
        still = tuple(m for m in pending if m <= last)  # of them, months still being registered
        old = gap_parts(pending, (), (), lang)
        new = t("page.ended", lang, month=last)
        if still:
            new = gap_parts(still, (), (), lang) + "; " + new
        for field in ("coverage_note", "reason", f"reason_{lang}"):
            if isinstance(entry.get(field), str):
                entry[field] = entry[field].replace(old, new)
        if not entry.get("coverage_note"):
            entry["coverage_note"] = new
    return summary


def summary(area_id: str, period: str, cmp_: str = "prev_year", lang: str = "sv", list_year: int | None = None) -> dict:
    """The area summary (same JSON as ``cli.py summary``)."""
    eng = engine()
    return _summary(str(eng.url), data_version(eng), str(area_id), period, cmp_, lang, list_year)


@memoize(maxsize=64)
def _compare(url: str, version: int, region: str, period: str, cmp_: str, lang: str, list_year: int | None) -> pd.DataFrame:
    return ind.compare_frame(engine_for(url), region, period, cmp_, lang, list_year)


def compare(region: str, period: str, cmp_: str = "prev_year", lang: str = "sv", list_year: int | None = None,
            real_only: bool = False) -> pd.DataFrame:
    """The compare table for a region ('alla' = every area of the list); ``real_only`` leaves the
    synthetic indicators out (the verdicts, FDR included, are those of the whole table)."""
    eng = engine()
    table = _compare(str(eng.url), data_version(eng), region or "alla", period, cmp_, lang, list_year)
    return table[~table["synthetic"].astype(bool)] if real_only else table


@memoize(maxsize=8)
def _catalogue(url: str, version: int) -> pd.DataFrame:
    return catalogue_frame(engine_for(url))


def catalogue() -> pd.DataFrame:
    eng = engine()
    return _catalogue(str(eng.url), data_version(eng))


def indicator_options(lang: str, real_only: bool = False) -> list[dict]:
    """The indicator dropdown's options, by name in ``lang`` (synthetic ones say so; left out with
    ``real_only``, the page's "endast verkliga data" switch)."""
    eng = engine()
    return [{"label": o["label"], "value": o["value"]} for o in _indicator_options(str(eng.url), data_version(eng), lang)
            if not (real_only and o.get("synthetic"))]


@lru_cache(maxsize=8)
def _indicator_options(url: str, version: int, lang: str) -> tuple[dict, ...]:
    cat = _catalogue(url, version)
    name = f"name_{lang}"
    suffix = t("page.synthetic_suffix", lang)
    return tuple({"label": r[name] + (suffix if r["synthetic"] else ""), "value": r["id"],
                  **({"synthetic": True} if r["synthetic"] else {})}
                 for _, r in cat.sort_values(name).iterrows())


#: synthetic per-area indicators that get Polisen's real national yearly totals as a context line
NATIONAL_CONTEXT = {"skjutningar": "shootings", "sprangningar": "explosions"}


@memoize(maxsize=256)
def _series(url: str, version: int, area_id: str, indicator_id: str, last: str,
            list_year: int | None = None) -> pd.DataFrame:
    eng = engine_for(url)
    first = shift_month(last, -(TREND_MONTHS + 36))
    v = values_frame(eng, [indicator_id], [area_id], (first, last), flags=True)
    v = hide_other_places(v, url, version, list_year)[["month", "value", "preliminary"]]
    t = targets_frame(eng, [area_id])
    t = t[(t["indicator_id"] == indicator_id) & (t["month"] >= first) & (t["month"] <= last)][["month", "target"]]
    return v.merge(t, on="month", how="outer").sort_values("month").reset_index(drop=True)


def _list_of(list_year: int | None) -> int:
    from services.geo import default_list_year

    return int(list_year) if list_year else default_list_year()


def national_series(indicator_id: str) -> pd.DataFrame | None:
    """Polisen's national yearly totals for the synthetic shootings/explosions indicators
    (``year, value, source_url, preliminary``), None for other indicators or without the file."""
    col = NATIONAL_CONTEXT.get(indicator_id)
    rows = national_context() if col else []
    if not rows:
        return None
    return pd.DataFrame({"year": [r["year"] for r in rows], "value": [r[col] for r in rows],
                         "source_url": [r[f"source_url_{col}"] for r in rows],
                         "preliminary": [r["preliminary"] for r in rows]})


def trend(area_id: str, indicator_id: str, period: str, list_year: int | None = None) -> dict:
    """Monthly series for the trend chart: values, targets, seasonal band, cumulative deviation,
    (``national``) Polisen's national yearly totals for shootings and explosions, the estimate
    of the months still being registered (``nowcast``, see ``services.nowcast``) and the
    preliminary values (``preliminary``: ``[{"month", "value"}]``, also flagged in the series'
    ``preliminary`` column; drawn hatched, never judged). Memoised per data version (the same
    data in both languages)."""
    eng = engine()
    return _trend(str(eng.url), data_version(eng), str(area_id), indicator_id, parse_period(period).label,
                  _list_of(list_year))


@memoize(maxsize=256)
def _trend(url: str, version: int, area_id: str, indicator_id: str, period: str, list_year: int) -> dict:
    eng = engine_for(url)
    p = parse_period(period)
    cat = catalogue().set_index("id")
    if indicator_id not in cat.index:
        raise KeyError(f"unknown indicator '{indicator_id}'")
    meta = cat.loc[indicator_id]
    last = max(p.last, meta["last_month"] or p.last) if isinstance(meta["last_month"], str) else p.last
    last = max(last, _last_preliminary(url, version, str(area_id), indicator_id, last))
    s = _series(url, version, str(area_id), indicator_id, last, list_year)
    prelim = s["preliminary"].eq(True)
    alpha = ind.dispersion_for(eng, 1).get(indicator_id)
    # the normal range and the cumulative deviation from final values only (a preliminary month is
    # shown, never judged)
    band = seasonal_band(s.loc[~prelim, ["month", "value"]].dropna(), meta["unit"],
                         alpha=alpha.alpha if alpha is not None else 0.0)
    shown_from = shift_month(last, -TREND_MONTHS + 1)
    s = s[s["month"] >= shown_from]
    band = band[band["month"] >= shown_from]
    cum = None
    if s["target"].notna().any():
        year = p.last[:4]
        yr = s[s["month"].str.startswith(year) & ~s["preliminary"].eq(True)].dropna(subset=["target"])
        dev = (yr["value"] - yr["target"])
        cum = pd.DataFrame({"month": yr["month"], "cum_deviation": dev.cumsum()}).dropna()
    from services.nowcast import series_nowcast

    nowcast = series_nowcast(eng, str(area_id), indicator_id)  # months still being registered
    preliminary = [{"month": str(m), "value": float(v)} for m, v, f in
                   zip(s["month"], s["value"], s["preliminary"].eq(True), strict=True) if f and v == v]
    return {"series": s, "band": band, "cum": cum, "meta": meta.to_dict(), "period": p,
            "national": national_series(indicator_id), "nowcast": nowcast, "preliminary": preliminary}


@memoize(maxsize=256)
def _last_preliminary(url: str, version: int, area_id: str, indicator_id: str, after: str) -> str:
    """The newest preliminary month of an area's series after ``after`` (else ``after``): the
    trend reaches it even when the chosen period ends before it."""
    v = values_frame(engine_for(url), [indicator_id], [area_id], (after, "9999-12"), flags=True)
    v = v[v["preliminary"]]
    return str(v["month"].max()) if len(v) else after


def choropleth(indicator_id: str, period: str, cmp_: str, metric: str, lang: str, list_year: int | None) -> tuple[dict, list[dict]]:
    """Hideout (class per area) and legend rows for colouring every area by an indicator."""
    table = compare("alla", period, cmp_, lang, list_year)
    rows = table[table["indicator_id"] == indicator_id].set_index("area_id")
    metric = metric if metric in MAP_METRICS else "value"
    values = pd.to_numeric(rows[metric], errors="coerce")
    if values.notna().sum() == 0:
        return {"mode": "category"}, []
    if metric in ("change", "z"):
        finite = values.dropna()
        hide = choropleth_hideout(values, kind="diverging", method="quantiles", k=7 if len(finite) >= 14 else 5,
                                  property=metric)
    else:
        palette = "Blues" if rows["direction"].iloc[0] == "effort" else "YlOrRd"
        hide = choropleth_hideout(values, kind="sequential", method="quantiles", k=5, palette=palette,
                                  property=metric)
    return {**hide, "mode": "choropleth"}, legend(hide, lang)


def overview(period: str, cmp_: str, lang: str, list_year: int | None, region: str | None = None, n: int = 8,
             table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Areas with the strongest significant changes first (FDR-adjusted, bad direction first)."""
    table = compare(region or "alla", period, cmp_, lang, list_year) if table is None else table
    sig = table[table["rag"].isin(["red", "amber", "green"]) & table["p_adjusted"].notna()].copy()
    sig["order"] = sig["rag"].map({"red": 0, "amber": 1, "green": 2})
    sig["abs_z"] = pd.to_numeric(sig["z"], errors="coerce").abs().fillna(0)
    sig = sig[sig["significant"].fillna(False).astype(bool)] if "significant" in sig else sig
    return sig.sort_values(["order", "p_adjusted", "abs_z"], ascending=[True, True, False]).head(n)


def real_totals(period: str, cmp_: str, lang: str, list_year: int | None, region: str | None = None,
                table: pd.DataFrame | None = None) -> list[dict]:
    """The real series summed over the list's areas for the landing view: per real indicator the
    number of areas with a complete period, their total and the total of the same areas'
    comparison values (never a verdict: the sum of many small areas is not what the tests test).
    """
    table = compare(region or "alla", period, cmp_, lang, list_year) if table is None else table
    real = table[~table["synthetic"].astype(bool)]
    out = []
    for ind_id, g in real.groupby("indicator_id", sort=False):
        done = g[g["complete"].astype(bool) & g["value"].notna()]
        both = done[done["reference"].notna()]
        out.append({"id": str(ind_id), "name": str(g["indicator_name"].iloc[0]), "unit": str(g["unit"].iloc[0]),
                    "areas": int(len(done)), "of": int(g["area_id"].nunique()),
                    "total": float(done["value"].sum()) if len(done) else None,
                    "reference": float(both["reference"].sum()) if len(both) else None,
                    "total_paired": float(both["value"].sum()) if len(both) else None})
    return sorted(out, key=lambda r: (-(r["areas"] > 0), r["name"]))


def regions(list_year: int | None) -> list[str]:
    """Police regions that have areas on the list."""
    from services.geo import area_table, default_list_year

    return sorted(area_table(list_year or default_list_year())["region"].dropna().unique())


def area_bounds(area_id: str, list_year: int | None) -> list[list[float]] | None:
    """[[south, west], [north, east]] of an area for zooming the map."""
    from services.geo import areas_layer, default_list_year

    fc = areas_layer(list_year or default_list_year())
    for f in fc["features"]:
        if f["id"] == str(area_id):
            coords = np.array([pt for poly in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon"
                                               else [f["geometry"]["coordinates"]]) for pt in poly[0]])
            pad = 0.004
            return [[float(coords[:, 1].min()) - pad, float(coords[:, 0].min()) - pad],
                    [float(coords[:, 1].max()) + pad, float(coords[:, 0].max()) + pad]]
    return None


@memoize(maxsize=256)
def _sparklines(url: str, version: int, area_id: str, last: str, list_year: int | None = None) -> dict[str, list[float]]:
    first = shift_month(last, -35)
    v = hide_other_places(values_frame(engine_for(url), None, [area_id], (first, last)), url, version, list_year)
    months = [shift_month(first, i) for i in range(36)]
    out = {}
    for ind_id, g in v.groupby("indicator_id"):
        by = dict(zip(g["month"], g["value"], strict=True))
        out[str(ind_id)] = [by.get(m) for m in months]
    return out


def sparklines(area_id: str, period: str, list_year: int | None = None) -> dict[str, list[float]]:
    """The last 36 months of every indicator of an area (None where missing) on a list."""
    eng = engine()
    return _sparklines(str(eng.url), data_version(eng), str(area_id), parse_period(period).last, _list_of(list_year))


@memoize(maxsize=256)
def _report_data(url: str, version: int, area_id: str, period: str, cmp_: str, lang: str, tier: str,
                 real_only: bool = False):
    """The report's inputs for the page (no map), memoised per data version; the tier's policy
    applies (``services.reports.gather``); ``real_only``: the page's "endast verkliga data"."""
    from services.reports import gather

    return gather(area_id, period, tier, cmp_, lang, engine=engine_for(url), with_map=False,
                  real_only=real_only)


@memoize(maxsize=256)
def _lagesbild(url: str, version: int, area_id: str, period: str, cmp_: str, lang: str, tier: str,
               types: tuple[str, ...] | None = None, real_only: bool = False):
    from dataclasses import replace

    from reports.facts import Fact
    from reports.plain import has_marks, method_footnote, report_facts
    from services.layers import hotspot_view

    data = _report_data(url, version, area_id, period, cmp_, lang, tier, real_only)
    if types and tier == "police" and data.hotspots is not None:
        # the hotspot sentences count the layer the map draws for this indicator's events
        data = replace(data, hotspots=hotspot_view(area_id, period, list(types), real_only=real_only),
                       hotspots_previous=None)
    facts = report_facts(data)  # the exports' own wording pass (plain words for the kommun reader)
    if data.kommun and has_marks(facts):  # the ¹ of the plain sentences points to the method, as in the PDF
        facts = {**facts, FOOTNOTE: [Fact(FOOTNOTE, method_footnote(data), (), "footnote")]}
    return facts


#: the key of the method footnote among the facts the page shows (the kommun tier's plain words)
FOOTNOTE = "footnote"


def lagesbild(area_id: str, period: str, cmp_: str, lang: str, tier: str, indicator: str | None = None,
              real_only: bool = False):
    """(4P facts, current notes) for the page — the report's own facts, cut to the viewer's tier.

    The hotspot sentences describe the Gi* layer the map draws (``services.layers.hotspot_view``):
    for the events of the chosen ``indicator`` when it has point events, else for all events, as
    the map. The facts are memoised per data version; the notes are read on every call (they
    change without an import).
    """
    from reports.disclosure import policy
    from services.layers import event_types_for
    from store.notes import current_notes

    pol = policy(tier)
    pol.check_period(period)
    eng = engine()
    types = event_types_for(indicator) if indicator and pol.allows_layer("hotspots") else None
    facts = _lagesbild(str(eng.url), data_version(eng), str(area_id), period, cmp_, lang, tier,
                       tuple(sorted(types)) if types else None, bool(real_only))
    notes = tuple(n for n in current_notes(eng, str(area_id), parse_period(period).label)
                  if pol.note_visible(n.internal, n.kommun))
    return facts, notes


def kommun_rows(area_id: str, period: str, cmp_: str, lang: str) -> tuple[dict, list[dict], str]:
    """The kommun tier's numbers for the page — the report's own table (``reports.content``: the
    same rows, the rows with no figure to show left out and named in one sentence), so the page and
    every export print the same: area, rows, that sentence. A period off the tier's grid raises
    ``reports.disclosure.DisclosureRefused``."""
    from reports.content import is_empty_row, small_counts_note, table_row
    from reports.numberview import Numbers

    eng = engine()
    data = _report_data(str(eng.url), data_version(eng), str(area_id), period, cmp_, lang, "kommun")
    numbers = Numbers(data)
    lines = [table_row(i, data, numbers) for i in data.summary["indicators"]]
    empty = [r for r in lines if is_empty_row(r)]
    rows = [{"id": r.id, "name": r.name, "synthetic": r.synthetic, "value": r.value, "reference": r.reference,
             "change": r.change, "verdict": f"{r.rag_text}: {r.verdict}" if r.verdict else r.rag_text}
            for r in lines if r not in empty]
    return data.summary["area"], rows, small_counts_note(empty, numbers.reference_label(), lang)
