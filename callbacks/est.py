"""Samverkan (EST) callbacks: the weekly meeting view, places for next week, the tertial follow-up
and the documents. Each unpacks the controls, calls ``services.est`` and packs components; the
viewer's tier decides what is shown (the kommun tier: no flags, its own kommuner, public items)."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    no_update,
)
from dash.exceptions import PreventUpdate

from callbacks.principal import viewer
from geodata.errors import InputError
from ids import Ids
from indicators.calendar import parse_period
from layout.est import (
    actions_list,
    doc_blocks,
    flags_block,
    observation_list,
    p_,
    places_list,
    priority_block,
    status_words,
    w,
)
from services import est


def _viewer() -> tuple[str, str, tuple[str, ...] | None]:
    """(name, tier, granted kommuner or None for all) of the viewer."""
    p = viewer()
    return p.name, p.tier, (None if p.tier == "police" else tuple(p.kommuner))


def _lang(lang: str | None) -> str:
    return lang or "sv"


def _engine():
    from services.context import engine

    return engine()


@callback(
    Output(Ids.EST_KOMMUN, "value"),
    Output(Ids.EST_WEEK, "value"),
    Input(Ids.URL, "search"),
    State(Ids.EST_KOMMUN, "options"),
)
def open_from_url(search: str | None, options: list[dict] | None):
    """A permalink ``?kommun=0180&week=2026-W14`` opens that kommun's weekly view."""
    q = parse_qs((search or "").lstrip("?"))
    kommun = (q.get("kommun") or [None])[-1]
    week = (q.get("week") or [None])[-1]
    period = (q.get("period") or [None])[-1]
    if week is None and period and period.strip().upper()[4:6] == "-W":  # ?period=2026-W14 opens the week
        week = period.strip()
    valid = {o["value"] for o in options or []}
    try:
        week = est.check_week(week).label if week else None
    except InputError:
        week = None
    if kommun not in valid:
        kommun = None
    if kommun is None and week is None:
        raise PreventUpdate
    return kommun or no_update, week or no_update


@callback(
    Output(Ids.EST_FLAGS, "children"),
    Output(Ids.EST_OBSERVATIONS, "data"),
    Output(Ids.EST_MAP, "viewport"),
    Output(Ids.EST_OBS_LIST, "children"),
    Output(Ids.EST_ACTIONS, "children"),
    Output(Ids.EST_PLACES, "children"),
    Output(Ids.EST_PRINT_TITLE, "children"),
    Input(Ids.EST_KOMMUN, "value"),
    Input(Ids.EST_WEEK, "value"),
    Input(Ids.EST_PLACES_SAVED, "data"),
    Input(Ids.LANG_STORE, "data"),
)
def update_week_view(kommun: str | None, week: str | None, _saved, lang: str | None):
    """The weekly meeting view of one kommun and week."""
    _, tier, granted = _viewer()
    if not kommun or not week or not est.may_see(kommun, tier, granted):
        raise PreventUpdate
    lang = _lang(lang)
    v = est.week_view(_engine(), kommun, week, tier, lang)
    title = f"{est.kommun_name(kommun)} · {parse_period(v['week']).label_for(lang)}"
    return (flags_block(v["flags"], lang, v["type_names"]), v["geojson"],
            {"bounds": v["bounds"], "options": {"animate": False}},
            observation_list(v["observations"], v["labels"], v["area_names"], lang),
            actions_list(v["actions"], est.today(), lang),
            places_list(v["places"], parse_period(v["next_week"]).label_for(lang), lang), title)


@callback(
    Output(Ids.EST_PLACE_STATUS, "children"),
    Output(Ids.EST_PLACES_SAVED, "data"),
    Output(Ids.EST_PLACE_NAME, "value"),
    Output(Ids.EST_PLACE_OWNER, "value"),
    Output(Ids.EST_PLACE_REASON, "value"),
    Input(Ids.EST_PLACE_ADD, "n_clicks"),
    State(Ids.EST_KOMMUN, "value"),
    State(Ids.EST_WEEK, "value"),
    State(Ids.EST_PLACE_NAME, "value"),
    State(Ids.EST_PLACE_OWNER, "value"),
    State(Ids.EST_PLACE_REASON, "value"),
    State(Ids.EST_PLACES_SAVED, "data"),
    State(Ids.LANG_STORE, "data"),
    prevent_initial_call=True,
)
def add_place(_n, kommun, week, place, owner, reason, saved, lang):
    """Add a place for the week after the selected one (police roles only)."""
    from store.est_places import add_place as store_add

    user, tier, _ = _viewer()
    lang = _lang(lang)
    if tier != "police":
        return w("police_only", lang), no_update, no_update, no_update, no_update
    if not kommun or not week:
        raise PreventUpdate
    try:
        store_add(_engine(), kommun, est.next_week(week), place, owner, user, reason)
    except InputError as exc:
        return str(exc), no_update, no_update, no_update, no_update
    return w("added", lang, place=place, owner=owner), (saved or 0) + 1, "", "", ""


@callback(
    Output(Ids.EST_OBS_AREA, "options"),
    Input(Ids.EST_KOMMUN, "value"),
)
def observation_areas(kommun: str | None):
    """The kommun's areas for the observation form."""
    _, tier, granted = _viewer()
    if not kommun or not est.may_see(kommun, tier, granted):
        raise PreventUpdate
    areas = est.kommun_areas(_engine(), kommun)
    return [{"label": r.name, "value": str(r.id)} for r in areas.itertuples()]


@callback(
    Output(Ids.EST_OBS_STATUS, "children"),
    Output(Ids.EST_PLACES_SAVED, "data", allow_duplicate=True),
    Input(Ids.EST_OBS_ADD, "n_clicks"),
    State(Ids.EST_KOMMUN, "value"),
    State(Ids.EST_OBS_DATE, "value"),
    State(Ids.EST_OBS_CATEGORY, "value"),
    State(Ids.EST_OBS_AREA, "value"),
    State(Ids.EST_OBS_PLACE, "value"),
    State(Ids.EST_OBS_ORG, "value"),
    State(Ids.EST_OBS_ROLE, "value"),
    State(Ids.EST_PLACES_SAVED, "data"),
    State(Ids.LANG_STORE, "data"),
    prevent_initial_call=True,
)
def add_observation(_n, kommun, day, category, area, place, org, role, saved, lang):
    """One observation for the selected kommun (police and the kommun's own accounts), checked as an
    import row is; the weekly view redraws."""
    from store.observations import add_observation as store_add

    user, tier, granted = _viewer()
    if not kommun or not est.may_see(kommun, tier, granted):
        raise PreventUpdate
    values = {"Datum": day or "", "Kategori": category or "", "Organisation": org or "", "Roll": role or "",
              "Område": area or "", "Plats": place or "", "Kommun": kommun}
    try:
        n = store_add(_engine(), values, user)
    except InputError as exc:
        return str(exc).removeprefix("formulär: row 1, "), no_update
    done = w("obs_saved" if n else "obs_exists", _lang(lang))
    return done, (saved or 0) + 1


@callback(
    Output(Ids.EST_FOLLOWUP, "children"),
    Input(Ids.EST_KOMMUN, "value"),
    Input(Ids.EST_TERTIAL, "value"),
    Input(Ids.EST_TABS, "value"),
    Input(Ids.LANG_STORE, "data"),
)
def update_followup(kommun: str | None, tertial: str | None, tab: str | None, lang: str | None):
    """The tertial follow-up as the PDF prints it (drawn when its tab is open)."""
    _, tier, granted = _viewer()
    if tab != "followup" or not kommun or not tertial or not est.may_see(kommun, tier, granted):
        raise PreventUpdate
    doc, _ = est.followup_document(_engine(), kommun, tertial, tier, _lang(lang))
    return doc_blocks(doc)


DOCS = {Ids.EST_FOLLOWUP_PDF: ("followup", "pdf"), Ids.EST_FOLLOWUP_DOCX: ("followup", "docx"),
        Ids.EST_L4_PDF: ("l4", "pdf"), Ids.EST_L4_DOCX: ("l4", "docx")}


@callback(
    Output(Ids.EST_DOWNLOAD, "data"),
    Output(Ids.EST_STATUS, "children"),
    Input(Ids.EST_FOLLOWUP_PDF, "n_clicks"),
    Input(Ids.EST_FOLLOWUP_DOCX, "n_clicks"),
    Input(Ids.EST_L4_PDF, "n_clicks"),
    Input(Ids.EST_L4_DOCX, "n_clicks"),
    State(Ids.EST_KOMMUN, "value"),
    State(Ids.EST_TERTIAL, "value"),
    State(Ids.EST_L4_PERIOD, "value"),
    State(Ids.LANG_STORE, "data"),
    prevent_initial_call=True,
)
def download(_a, _b, _c, _d, kommun, tertial, l4_period, lang):
    """The follow-up (the viewer's tier) or the § 4 document (kommun tier) as PDF or DOCX."""
    user, tier, granted = _viewer()
    if ctx.triggered_id not in DOCS or not kommun or not est.may_see(kommun, tier, granted):
        raise PreventUpdate
    kind, fmt = DOCS[ctx.triggered_id]
    period = tertial if kind == "followup" else l4_period
    try:
        content, name = est.est_export(kind, kommun, period, fmt, tier, _lang(lang), user)
    except InputError as exc:
        return no_update, str(exc)
    return dcc.send_bytes(content, name), name


@callback(
    Output(Ids.EST_PRIORITY, "children"),
    Input(Ids.EST_KOMMUN, "value"),
    Input(Ids.EST_TERTIAL, "value"),
    Input(Ids.EST_TABS, "value"),
    Input(Ids.EST_PRIO_STATUS, "children"),
    Input(Ids.LANG_STORE, "data"),
)
def update_priority(kommun: str | None, tertial: str | None, tab: str | None, _saved, lang: str | None):
    """The tertial's ranking of the kommun's areas (police tier: built on unprotected figures)."""
    _, tier, _ = _viewer()
    lang = _lang(lang)
    if tab != "prio" or not kommun or not tertial:
        raise PreventUpdate
    if tier != "police":
        return p_("police_only", lang)
    table, saved = est.priority_view(_engine(), kommun, tertial)
    return priority_block(table, saved, parse_period(est.next_tertial(tertial)).label_for(lang), lang)


@callback(
    Output(Ids.EST_PRIO_STATUS, "children"),
    Input(Ids.EST_PRIO_SAVE, "n_clicks"),
    State(Ids.EST_KOMMUN, "value"),
    State(Ids.EST_TERTIAL, "value"),
    State({"type": "est-choose", "area": ALL}, "value"),
    State({"type": "est-impact", "area": ALL}, "value"),
    State({"type": "est-reason", "area": ALL}, "value"),
    State(Ids.LANG_STORE, "data"),
    prevent_initial_call=True,
)
def save_priority(_n, kommun, tertial, chosen, impacts, reasons, lang):
    """Save the chosen areas (at most three, each with a reason) for the next tertial."""
    from store.est_places import save_priorities

    user, tier, _ = _viewer()
    lang = _lang(lang)
    if tier != "police":
        return p_("police_only", lang)
    if not kommun or not tertial:
        raise PreventUpdate
    areas = [s["id"]["area"] for s in ctx.states_list[2]]
    picks = [{"area_id": a, "impact": i, "reason": r} for a, c, i, r in zip(areas, chosen, impacts, reasons,
                                                                             strict=True) if c]
    nxt = est.next_tertial(tertial)
    try:
        save_priorities(_engine(), kommun, nxt, picks, user)
    except InputError as exc:
        return str(exc)
    return p_("saved_ok", lang, n=len(picks), tertial=parse_period(nxt).label_for(lang))


@callback(
    Output(Ids.EST_TABS, "options"),
    Output(Ids.EST_WEEK, "options"),
    Output(Ids.EST_TERTIAL, "options"),
    Output(Ids.EST_L4_PERIOD, "options"),
    Output(Ids.EST_PLACE_ADD, "children"),
    Output(Ids.EST_PRINT, "children"),
    Input(Ids.LANG_STORE, "data"),
    prevent_initial_call=True,
)
def est_language(lang: str | None):
    """The section's option labels and buttons follow the language toggle (static texts follow
    through ``callbacks/language.py``)."""
    from layout.strings import t

    lang = _lang(lang)
    tabs = [{"label": t(f"est_tab_{k}", lang), "value": v}
            for k, v in (("week", "week"), ("followup", "followup"), ("l4", "l4"), ("prio", "prio"))]
    tertials = est.tertial_choices(lang)
    return tabs, est.week_choices(lang), tertials, tertials, t("est_place_add", lang), t("est_print", lang)


@callback(
    Output({"type": "est-panel", "tab": ALL}, "hidden"),
    Input(Ids.EST_TABS, "value"),
)
def show_tab(tab: str | None):
    """Show the chosen view of the section (the others stay mounted, hidden)."""
    return [o["id"]["tab"] != (tab or "week") for o in ctx.outputs_list]


clientside_callback(
    ClientsideFunction(namespace="est", function_name="printWeek"),
    Output(Ids.EST_PRINT, "title"),
    Input(Ids.EST_PRINT, "n_clicks"),
    prevent_initial_call=True,
)


# --------------------------------------------------------------------------- the ledger on the page
@callback(
    Output(Ids.EST_ACTION_PICK, "options"),
    Input(Ids.EST_KOMMUN, "value"),
    Input(Ids.EST_PLACES_SAVED, "data"),
    Input(Ids.LANG_STORE, "data"),
)
def action_options(kommun: str | None, _saved, lang: str | None):
    """The kommun's actions for the status editor (police roles only)."""
    _, tier, _granted = _viewer()
    if not kommun or tier != "police":
        return []
    return est.action_choices(_engine(), kommun, _lang(lang))


@callback(
    Output(Ids.EST_ACTION_MSG, "children"),
    Output(Ids.EST_PLACES_SAVED, "data", allow_duplicate=True),
    Input(Ids.EST_ACTION_SAVE, "n_clicks"),
    State(Ids.EST_KOMMUN, "value"),
    State(Ids.EST_ACTION_PICK, "value"),
    State(Ids.EST_ACTION_STATE, "value"),
    State(Ids.EST_ACTION_DONE, "value"),
    State(Ids.EST_PLACES_SAVED, "data"),
    State(Ids.LANG_STORE, "data"),
    prevent_initial_call=True,
)
def save_action(_n, kommun, key, status, done, saved, lang):
    """Set an action's status (a new ledger row, history kept); the weekly view redraws."""
    user, tier, _granted = _viewer()
    lang = _lang(lang)
    if tier != "police":
        return w("actions_police_only", lang), no_update
    if not kommun or not key:
        raise PreventUpdate
    try:
        item = est.update_action(_engine(), kommun, key, status or "", done, user)
    except InputError as exc:
        return str(exc), no_update
    words = status_words(lang)
    return w("action_saved", lang, title=item.title, status=words.get(item.status, item.status)), (saved or 0) + 1
