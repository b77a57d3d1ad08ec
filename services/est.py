"""EST samverkan (issue 14) for one kommun: the week's flags, partners' observations, open actions,
places for next week, the tertial follow-up. Thin glue between the store and the pure functions;
the page's callbacks, the CLI and the reports call these.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from geodata.errors import InputError
from indicators.calendar import Period, PeriodKind, parse_period, previous_weeks, week_labels
from indicators.weekly import BASELINE_WEEKS, weekly_dispersion, weekly_flags
from store.queries import areas_frame, events_frame

#: weeks of history the weekly dispersion is estimated from (three years of week-to-week pairs)
HISTORY_WEEKS = 3 * 52


def check_week(text: str) -> Period:
    """An ISO week, or an :class:`InputError` naming the text."""
    try:
        p = parse_period(text)
    except ValueError as exc:
        raise InputError(None, f"--week: {exc}") from exc
    if p.kind is not PeriodKind.WEEK:
        raise InputError(None, f"--week: '{text}' is not an ISO week (expected YYYY-Www, e.g. 2025-W14)")
    return p


def kommun_areas(engine: Engine, kommun: str, list_year: int | None = None) -> pd.DataFrame:
    """The areas of the newest list (or ``list_year``) in kommun ``kommun`` (code)."""
    frame = areas_frame(engine, list_year)
    if list_year is None and len(frame):
        frame = frame[frame["list_year"] == frame["list_year"].max()]
    out = frame[frame["kommun_kod"].astype(str) == str(kommun)]
    if out.empty:
        known = sorted(set(frame["kommun_kod"].dropna().astype(str)))
        raise InputError(None, f"--kommun: no area of the list lies in kommun '{kommun}' (kommuner with areas: "
                         f"{', '.join(known)})")
    return out.reset_index(drop=True)


def weekly_counts(engine: Engine, area_ids: list[str], week: str, history_weeks: int = HISTORY_WEEKS) -> pd.DataFrame:
    """``unit, type, week, count`` of the areas' dated events from ``history_weeks`` before ``week``
    through ``week`` (unit = area id)."""
    p = parse_period(week)
    first = previous_weeks(p, history_weeks)[-1]
    ev = events_frame(engine, area_ids=area_ids, months=(first.months[0], p.months[-1]))
    if ev.empty:
        return pd.DataFrame(columns=["unit", "type", "week", "count"])
    ev = ev.assign(week=week_labels(ev["occurred_at"]))
    ev = ev[(ev["week"] >= first.label) & (ev["week"] <= p.label)]
    return (ev.groupby([ev["area_id"].astype(str).rename("unit"), "type", "week"])["count"].sum()
            .reset_index())


def week_flags(engine: Engine, kommun: str, week: str, list_year: int | None = None) -> pd.DataFrame:
    """The week's flag table for a kommun's areas, with area names (most surprising first)."""
    p = check_week(week)
    areas = kommun_areas(engine, kommun, list_year)
    counts = weekly_counts(engine, areas["id"].astype(str).tolist(), p.label)
    table = weekly_flags(counts, p.label, BASELINE_WEEKS, weekly_dispersion(counts, p.label, HISTORY_WEEKS))
    names = dict(zip(areas["id"].astype(str), areas["name"], strict=False))
    table.insert(1, "area_name", table["unit"].map(names))
    return table.rename(columns={"unit": "area_id"})


def today() -> dt.date:
    """Today's date (tests replace it)."""
    return dt.date.today()


def current_week(on: dt.date | None = None) -> str:
    """The ISO week of ``on`` (default today)."""
    iso = (on or today()).isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


# --------------------------------------------------------------------------- documents
def _rows_for(engine: Engine, area_ids: list[str], period: str, tier: str, lang: str) -> tuple[dict, dict]:
    """``({area: {indicator: Row}}, {area: ReportContent})`` — each area's lägesbild table for the
    tier (the engine's verdict object, cut and suppressed by the tier's policy)."""
    from reports.content import build_content
    from services.reports import gather

    rows: dict[str, dict] = {}
    contents: dict[str, object] = {}
    for a in area_ids:
        data = gather(a, period, tier, lang=lang, engine=engine, with_map=False)
        content = build_content(data, figures=False)
        contents[a] = content
        rows[a] = {r.id: r for r in [*content.rows, *content.small_rows]}
    return rows, contents


def _meta(kommun_name: str, period: str, tier: str, lang: str) -> list[tuple[str, str]]:
    from reports.samverkan import t

    return [(t("kommun", lang), kommun_name), (t("period", lang), parse_period(period).label_for(lang)),
            (t("tier", lang), t("tier_kommun" if tier == "kommun" else "tier_police", lang))]


def kommun_name(kommun: str) -> str:
    from geodata.boundaries import kommuner

    k = kommuner()
    hit = k.loc[k["kommun_kod"] == str(kommun), "kommun"]
    return f"{hit.iloc[0]} ({kommun})" if len(hit) else str(kommun)


def followup_document(engine: Engine, kommun: str, period: str, tier: str = "police", lang: str = "sv",
                      on: dt.date | None = None):
    """The follow-up of the kommun's agreement for a tertial (or year): planned vs delivered actions
    and the linked indicators' verdicts as the tier's lägesbild shows them."""
    from reports.disclosure import policy
    from reports.samverkan import EstDocument, followup, followup_blocks, t
    from store.ledger import current_items

    label = policy(tier).check_period(period).label
    items = current_items(engine, kommun=kommun, public_only=tier == "kommun")
    areas = kommun_areas(engine, kommun)
    names = dict(zip(areas["id"].astype(str), areas["name"], strict=False))
    linked = sorted({a for it in items for a in it.area_ids if a in names})
    rows, _ = _rows_for(engine, linked, label, tier, lang)
    fus = followup(items, label, rows, names, on or today())
    doc = EstDocument(lang, tier, t("followup_title", lang), kommun_name(kommun), _meta(kommun_name(kommun), label, tier, lang),
                      footer=f"Lägesbild · {dt.datetime.now():%Y-%m-%d %H:%M}")
    doc.blocks = followup_blocks(fus, lang) if fus else [("p", t("no_items", lang))]
    return doc, fus


def lagesbild4_document(engine: Engine, kommun: str, period: str, lang: str = "sv", on: dt.date | None = None):
    """The kommun's lägesbild under lag (2023:196) 4 §, always in the kommun tier: the mapping of
    crime (each area's kommun-tier table), the partners' observations, the agreement's public
    problems, promises and actions with follow-up, and room for the analysis. No notes."""
    from reports.disclosure import policy
    from reports.samverkan import EstDocument, followup, followup_blocks, observation_summary, t
    from store.ledger import current_items
    from store.observations import category_label, observations_frame

    tier = "kommun"
    p = policy(tier).check_period(period)
    areas = kommun_areas(engine, kommun)
    names = dict(zip(areas["id"].astype(str), areas["name"], strict=False))
    rows, contents = _rows_for(engine, list(names), p.label, tier, lang)
    items = current_items(engine, kommun=kommun, public_only=True)
    fus = followup(items, p.label, rows, names, on or today())
    obs = observations_frame(engine, kommun=kommun, months=(p.first, p.last))
    from store.catalogue import OBSERVATION_CATEGORIES

    labels = {c: category_label(c, lang) for c in OBSERVATION_CATEGORIES}
    summary = observation_summary(obs, labels, names)
    name = kommun_name(kommun)
    doc = EstDocument(lang, tier, t("s4_title", lang), name, _meta(name, p.label, tier, lang),
                      footer=f"Lägesbild · {t('tier_kommun', lang)} · {dt.datetime.now():%Y-%m-%d %H:%M}")
    blocks: list[tuple] = [("h2", t("s4_1", lang)), ("p", t("s4_1_intro", lang))]
    blocks += [("indicators", contents[a]) for a in names]
    blocks += [("h2", t("s4_2", lang)), ("p", t("s4_2_intro", lang))]
    if summary.empty:
        blocks.append(("p", t("no_observations", lang)))
    else:
        blocks.append(("table", [t("category", lang), t("count", lang), t("places", lang)],
                       [[r.label, str(r.count), r.places] for r in summary.itertuples()]))
    blocks.append(("h2", t("s4_3", lang)))
    blocks += followup_blocks(fus, lang) if fus else [("p", t("no_items", lang))]
    blocks += [("h2", t("s4_4", lang)), ("p", t("s4_4_intro", lang)), ("box", t("analysis_lines", lang))]
    doc.blocks = blocks
    return doc
