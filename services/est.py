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
from texts import by_prefix

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
    from store.est_places import priorities_for
    from store.ledger import current_items

    label = policy(tier).check_period(period).label
    items = current_items(engine, kommun=kommun, public_only=tier == "kommun")
    areas = kommun_areas(engine, kommun)
    names = dict(zip(areas["id"].astype(str), areas["name"], strict=False))
    chosen = priorities_for(engine, kommun, label) if parse_period(label).kind is PeriodKind.TERTIAL else None
    linked = sorted({a for it in items for a in it.area_ids if a in names}
                    | (set(chosen["area_id"].astype(str)) & set(names) if chosen is not None else set()))
    rows, _ = _rows_for(engine, linked, label, tier, lang)
    fus = followup(items, label, rows, names, on or today())
    doc = EstDocument(lang, tier, t("followup_title", lang), kommun_name(kommun), _meta(kommun_name(kommun), label, tier, lang),
                      footer=f"Lägesbild · {dt.datetime.now():%Y-%m-%d %H:%M}")
    doc.blocks = followup_blocks(fus, lang) if fus else [("p", t("no_items", lang))]
    if chosen is not None and not chosen.empty:
        doc.blocks += chosen_blocks(engine, kommun, label, rows, names, lang)
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


# --------------------------------------------------------------------------- the weekly meeting view
def kommun_choices(engine: Engine, allowed: tuple[str, ...] | None = None) -> list[dict]:
    """Kommuner with areas on the newest list, as dropdown options (``allowed``: a kommun account's)."""
    frame = areas_frame(engine)
    if frame.empty:
        return []
    frame = frame[frame["list_year"] == frame["list_year"].max()].dropna(subset=["kommun_kod"])
    pairs = sorted(set(zip(frame["kommun"].astype(str), frame["kommun_kod"].astype(str), strict=True)))
    return [{"label": f"{name} ({code})", "value": code} for name, code in pairs
            if allowed is None or code in allowed]


def week_choices(lang: str = "sv", on: dt.date | None = None, n: int = 52) -> list[dict]:
    """The current week and the ``n`` before it, newest first, as dropdown options."""
    now = parse_period(current_week(on))
    weeks = [now, *previous_weeks(now, n)]
    return [{"label": w.label_for(lang), "value": w.label} for w in weeks]


def default_week(on: dt.date | None = None) -> str:
    """The week a weekly meeting looks back on: the last complete ISO week."""
    return previous_weeks(current_week(on), 1)[0].label


def next_week(week: str) -> str:
    """The ISO week after ``week``."""
    start = dt.date.fromisoformat(parse_period(week).days[1]) + dt.timedelta(days=1)
    return current_week(start)


def kommun_bounds(kommun: str) -> list:
    """``[[south, west], [north, east]]`` of the kommun (WGS84)."""
    from geodata.boundaries import kommuner

    k = kommuner()
    geom = k.loc[k["kommun_kod"] == str(kommun)].to_crs("EPSG:4326")
    if geom.empty:
        return [[55.0, 10.0], [69.5, 25.0]]
    w, s, e, n = geom.total_bounds
    return [[float(s), float(w)], [float(n), float(e)]]


def week_view(engine: Engine, kommun: str, week: str, tier: str = "police", lang: str = "sv") -> dict:
    """Everything the weekly meeting view shows for a kommun and week.

    ``flags`` is None in the kommun tier (an analysis of police events: not in that tier).
    """
    from layers.observations import bounds_of, observations_geojson
    from reports.samverkan import open_actions_due
    from store.catalogue import OBSERVATION_CATEGORIES
    from store.est_places import places_for
    from store.ledger import current_items
    from store.observations import category_label, observations_frame

    p = check_week(week)
    areas = kommun_areas(engine, kommun)
    names = dict(zip(areas["id"].astype(str), areas["name"], strict=False))
    flags = week_flags(engine, kommun, p.label) if tier == "police" else None
    obs = observations_frame(engine, kommun=kommun, weeks=(p.label, p.label))
    labels = {c: category_label(c, lang) for c in OBSERVATION_CATEGORIES}
    geo = observations_geojson(obs, labels)
    nxt = next_week(p.label)
    until = dt.date.fromisoformat(parse_period(nxt).days[1])
    items = current_items(engine, kommun=kommun, public_only=tier == "kommun")
    from store.queries import catalogue_frame

    cat = catalogue_frame(engine)
    type_names = dict(zip(cat["id"], cat[f"name_{lang}"], strict=False))
    return {
        "week": p.label, "next_week": nxt, "type_names": type_names, "flags": flags, "observations": obs, "labels": labels,
        "area_names": names, "geojson": geo, "bounds": bounds_of(geo, kommun_bounds(kommun)),
        "actions": open_actions_due(items, until), "places": places_for(engine, kommun, nxt),
    }


# --------------------------------------------------------------------------- page helpers
def may_see(kommun: str | None, tier: str, granted: tuple[str, ...] | None) -> bool:
    """Police: every kommun; the kommun tier: only the granted ones."""
    return tier == "police" or (kommun is not None and granted is not None and str(kommun) in granted)


def tertial_choices(lang: str = "sv", on: dt.date | None = None, n: int = 6) -> list[dict]:
    """The running tertial and the ``n`` before it, newest first (the follow-up's periods)."""
    from indicators.calendar import tertial_containing

    p = tertial_containing((on or today()).strftime("%Y-%m"))
    out = []
    for _ in range(n + 1):
        out.append({"label": p.label_for(lang), "value": p.label})
        y, k = int(p.label[:4]), int(p.label[-1])
        p = parse_period(f"{y - 1}-T3" if k == 1 else f"{y}-T{k - 1}")
    return out


def default_tertial(on: dt.date | None = None) -> str:
    """The tertial a follow-up looks at: the last complete one."""
    return tertial_choices("sv", on, 1)[1]["value"]


def est_export(kind: str, kommun: str, period: str, fmt: str, tier: str, lang: str, user: str,
               engine: Engine | None = None) -> tuple[bytes, str]:
    """Render the follow-up (``kind='followup'``, the viewer's tier) or the § 4 document (``'l4'``,
    always the kommun tier) and write its audit row first (no row, no file)."""
    from reports.samverkan_render import render_est_docx, render_est_pdf
    from services.context import engine as configured
    from services.reports import log_table_export

    eng = engine or configured()
    if kind == "followup":
        doc, _ = followup_document(eng, kommun, period, tier, lang)
    elif kind == "l4":
        doc = lagesbild4_document(eng, kommun, period, lang)
    else:
        raise InputError(None, f"unknown document '{kind}'")
    content = render_est_pdf(doc) if fmt == "pdf" else render_est_docx(doc)
    log_table_export(f"est_{kind}", fmt, parse_period(period).label,
                     {"kommun": kommun, "tier": "kommun" if kind == "l4" else tier}, user=user, engine=eng)
    name = "uppfoljning" if kind == "followup" else "lagesbild-4"
    return content, f"{name}-{kommun}-{parse_period(period).label}.{fmt}"


# --------------------------------------------------------------------------- tertial prioritisation
def next_tertial(tertial: str) -> str:
    """The tertial after ``tertial``."""
    y, k = int(parse_period(tertial).label[:4]), int(parse_period(tertial).label[-1])
    return f"{y + 1}-T1" if k == 3 else f"{y}-T{k + 1}"


def previous_tertials(tertial: str, n: int = 3) -> list[str]:
    """The ``n`` tertials before ``tertial``, most recent first."""
    out, y, k = [], int(parse_period(tertial).label[:4]), int(parse_period(tertial).label[-1])
    for _ in range(n):
        y, k = (y - 1, 3) if k == 1 else (y, k - 1)
        out.append(f"{y}-T{k}")
    return out


def priority_view(engine: Engine, kommun: str, tertial: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the ranking of the kommun's areas for ``tertial`` with its parts, the choice saved for the
    next tertial). The parts come from the engine's verdict object of this and the three previous
    tertials (police tier)."""
    from indicators.priority import priority_table
    from services.indicators import verdicts
    from store.est_places import priorities_for

    label = parse_period(tertial).label
    areas = kommun_areas(engine, kommun)
    table = priority_table(verdicts(engine, label), [verdicts(engine, t) for t in previous_tertials(label)],
                           areas["id"].astype(str).tolist())
    return table, priorities_for(engine, kommun, next_tertial(label))


def chosen_blocks(engine: Engine, kommun: str, tertial: str, rows: dict, names: dict, lang: str) -> list[tuple]:
    """The follow-up's section on the areas chosen for ``tertial`` (saved after the one before):
    the reason and the harm indicators' verdicts in the tertial (before/after: the tertial against
    the same tertial a year earlier, as the area's lägesbild shows them)."""
    from indicators.priority import HARM
    from reports.samverkan import t
    from store.est_places import priorities_for

    chosen = priorities_for(engine, kommun, tertial)
    if chosen.empty:
        return []
    blocks: list[tuple] = [("h3", t("chosen_title", lang, tertial=parse_period(tertial).label_for(lang)))]
    for r in chosen.itertuples():
        area = str(r.area_id)
        impact = "" if r.impact is None or r.impact != r.impact else f" · {t('impact', lang)} {int(r.impact)}/3"
        blocks.append(("p", f"{int(r.rank)}. {names.get(area, area)}{impact}: {r.reason}"))
        lines = [[row.name, row.value, row.reference, row.change, f"{row.rag_text} {row.verdict}".strip()]
                 for ind, row in rows.get(area, {}).items() if ind in HARM and row.value not in ("", "–")]
        if lines:
            blocks.append(("table", [t("indicator", lang), t("value", lang), t("reference", lang), t("change", lang),
                                     t("verdict", lang)], lines))
    return blocks


# --------------------------------------------------------------------------- the ledger on the page
def action_choices(engine: Engine, kommun: str, lang: str = "sv") -> list[dict]:
    """The kommun's actions for the page's status editor: '<title> (<owner>, <status>)' → key."""
    from store.ledger import current_items

    words = by_prefix("page.status.", lang)
    acts = sorted((it for it in current_items(engine, kommun) if it.kind == "action"),
                  key=lambda it: (it.due_date or dt.date.max, it.key))
    return [{"label": f"{it.title} ({it.owner}, {words.get(it.status or 'planerad', it.status or '')})",
             "value": it.key} for it in acts]


def update_action(engine: Engine, kommun: str, key: str, status: str, done: str | None, author: str,
                  on: dt.date | None = None):
    """Set an action's status on the page (a new ledger row; the earlier one is kept as history).
    'klar' without a date is done today; a date is YYYY-MM-DD and not in the future (checked as a
    file row is). Raises InputError naming the field."""
    from dataclasses import replace

    from store.ledger import STATUS_SV, current_items, save_item

    item = next((it for it in current_items(engine, kommun) if it.key == key and it.kind == "action"), None)
    if item is None:
        raise InputError(None, f"åtgärd '{key}': finns inte för kommun {kommun}")
    if status not in STATUS_SV:
        raise InputError(None, f"status '{status}': ska vara en av {', '.join(STATUS_SV.values())}")
    day = None
    if done and str(done).strip():
        try:
            day = dt.date.fromisoformat(str(done).strip())
        except ValueError as exc:
            raise InputError(None, f"klart datum '{done}': skriv ÅÅÅÅ-MM-DD") from exc
    elif status == "klar":  # done today, unless it was done already (its date stays)
        day = item.done_date if item.status == "klar" and item.done_date else (on or today())
    if status != "klar":
        day = None
    changed = replace(item, status=status, done_date=day)
    save_item(engine, changed, author)
    return changed
