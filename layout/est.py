"""The Samverkan section (EST, issue 14): the kommun's weekly meeting view, the tertial follow-up
and the § 4 document — builders of components from plain data (the callbacks stay thin)."""

from __future__ import annotations

import dash_leaflet as dl
from dash import dcc, html

from i18n import fmt_number, fmt_p
from ids import Ids
from layers.observations import CATEGORY_COLORS
from layout.map_panel import fn
from layout.strings import t, tx
from reports.samverkan import EstDocument, status_text
from texts import by_prefix


def w(key: str, lang: str, **kw: object) -> str:
    """A text built into the section's tables and lists (the catalogue's ``page.est.<key>``; the
    static ones are the ``page.est_*`` texts of ``layout/strings.py``)."""
    return t(f"est.{key}", lang, **kw)


def status_words(lang: str) -> dict[str, str]:
    """Every ledger status → its word in ``lang`` (``{"klar": "klar", …}`` / ``{"klar": "done", …}``)."""
    return by_prefix("page.status.", lang)


def _table(head: list[str], rows: list[list], class_name: str = "est-table") -> html.Table:
    return html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                       html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows])], className=class_name)


def flags_block(flags, lang: str, type_names: dict | None = None, limit: int = 12) -> list:
    """The week's flag table: flagged rows first, then the closest calls (up to ``limit`` rows)."""
    if flags is None:
        return [html.P(w("flags_kommun", lang), className="muted")]
    shown = flags[flags["flag"]]
    rest = flags[~flags["flag"]].head(max(0, limit - len(shown)))
    out: list = [] if len(shown) else [html.P(w("no_flags", lang), className="est-none")]
    rows = []
    for r in [*shown.itertuples(), *rest.itertuples()]:
        rows.append(html.Tr([html.Td(r.area_name or r.area_id), html.Td((type_names or {}).get(r.type, r.type)),
                             html.Td(str(r.count), className="num"),
                             html.Td(fmt_number(r.baseline_mean, lang, 2), className="num"),
                             html.Td(fmt_p(r.p_adjusted, lang), className="num"),
                             html.Td(w("yes", lang) if r.flag else "")],
                            className="est-flagged" if r.flag else None))
    if rows:
        out.append(html.Table([html.Thead(html.Tr([html.Th(w(k, lang), scope="col") for k in
                                                   ("area", "type", "count", "mean", "q", "flag")])),
                               html.Tbody(rows)], className="est-table", id="est-flag-table"))
    hidden = len(flags) - len(shown) - len(rest)
    if hidden > 0:
        out.append(html.P(w("more_flags", lang, n=hidden), className="muted small"))
    return out


def _s(v) -> str:
    return "" if v is None or v != v else str(v)


def observation_list(obs, labels: dict, area_names: dict, lang: str) -> list:
    """The week's observations as a list (every one, with or without a point)."""
    if obs.empty:
        return [html.P(w("no_obs", lang), className="est-none")]
    rows = []
    for r in obs.itertuples():
        text = None if r.place_text is None or r.place_text != r.place_text else str(r.place_text)
        area = None if r.area_id is None or r.area_id != r.area_id else area_names.get(str(r.area_id), str(r.area_id))
        place = " · ".join(x for x in (area, text) if x)
        if r.lon is None or r.lon != r.lon:
            place = f"{place} ({w('obs_no_point', lang)})" if place else w("obs_no_point", lang)
        swatch = html.Span(className="est-swatch", style={"background": CATEGORY_COLORS.get(r.category, "#757575")},
                           **{"aria-hidden": "true"})
        rows.append([str(r.obs_date)[:10], html.Span([swatch, labels.get(r.category, r.category)]), place,
                     r.organisation, _s(r.reporter_role), _s(r.description)])
    return [_table([w(k, lang) for k in ("date", "category", "place", "org", "role", "what")], rows)]


def actions_list(actions, today, lang: str) -> list:
    """Open actions due by the end of next week (overdue marked)."""
    if not actions:
        return [html.P(w("no_actions", lang), className="est-none")]
    rows = []
    for a in actions:
        late = a.due_date < today
        rows.append([a.title, f"{a.owner} ({a.organisation})", a.due_date.isoformat(),
                     html.Span(w("overdue", lang), className="est-late") if late else status_text(a.status, lang)])
    return [_table([w(k, lang) for k in ("action", "owner", "due", "status")], rows)]


def action_editor(lang: str, police: bool) -> html.Details:
    """The ledger on the page: set an action's status (and done date); each save is a new ledger row."""
    words = status_words(lang)
    return html.Details(className="est-form no-print", hidden=not police, children=[
        html.Summary(w("edit_action", lang)),
        html.Div(className="est-form-row", children=[
            _control(Ids.EST_ACTION_PICK, "est_action_pick", lang, _dd(Ids.EST_ACTION_PICK, [], None, 320)),
            _control(Ids.EST_ACTION_STATE, "est_action_state", lang,
                     _dd(Ids.EST_ACTION_STATE, [{"label": v, "value": k} for k, v in words.items()], "klar", 160)),
            _control(Ids.EST_ACTION_DONE, "est_action_done", lang,
                     dcc.Input(id=Ids.EST_ACTION_DONE, type="text", placeholder="ÅÅÅÅ-MM-DD", maxLength=10)),
            html.Button(w("save_action", lang), id=Ids.EST_ACTION_SAVE, className="btn", n_clicks=0),
        ]),
        html.Div(id=Ids.EST_ACTION_MSG, role="status", className="est-status"),
    ])


def places_list(places, week_label: str, lang: str) -> list:
    """The places chosen for next week, each with its owner."""
    if places.empty:
        return [html.P(w("no_places", lang, week=week_label), className="est-none")]
    return [html.P(w("places_for", lang, week=week_label), className="muted small"),
            html.Ol([html.Li([html.Strong(r.place), f" — {r.owner}", *([html.Span(f" · {r.reason}", className="muted")]
                                                                     if r.reason else [])])
                     for r in places.itertuples()], className="est-places-list")]


def doc_blocks(doc: EstDocument) -> list:
    """An EST document's blocks as page components (the page shows what the PDF prints)."""
    out: list = []
    for block in doc.blocks:
        kind = block[0]
        if kind == "h2":
            out.append(html.H3(block[1]))
        elif kind == "h3":
            out.append(html.H4(block[1]))
        elif kind == "p":
            out.append(html.P(block[1]))
        elif kind == "table":
            out.append(_table(block[1], block[2]))
        elif kind == "indicators":
            c = block[1]
            out.append(html.H4(c.title.split(": ", 1)[-1]))
            out.append(_table(list(c.columns), [[r.name, r.value, r.reference, r.change,
                                                 *([r.p] if c.tier != "kommun" else []),
                                                 f"{r.rag_text} {r.verdict}".strip()] for r in c.rows]))
        elif kind == "box":
            out.append(html.Div(block[1], className="est-box"))
    return out


def p_(key: str, lang: str, **kw: object) -> str:
    """A text of the prioritisation (the catalogue's ``page.prio.<key>``)."""
    return t(f"prio.{key}", lang, **kw)


def _pct(v: float) -> str:
    return "–" if v != v else f"{round(100 * v)}"


def priority_block(table, saved, next_label: str, lang: str) -> list:
    """The ranking with its parts, an impact score, a choice box and a reason per area."""
    head = [p_(k, lang) for k in ("area", "level", "change", "persistence", "harm", "trygghet", "need", "impact",
                                  "choose", "reason")]
    rows = []
    for r in table.itertuples():
        a = str(r.area_id)
        rows.append(html.Tr([
            html.Td(r.area_name), *[html.Td(_pct(getattr(r, k)), className="num")
                                    for k in ("level", "change", "persistence", "harm", "trygghet")],
            html.Td(html.Strong(_pct(r.need)), className="num"),
            html.Td(dcc.Dropdown(id={"type": "est-impact", "area": a}, options=[{"label": str(i), "value": i}
                                                                               for i in range(4)],
                                 value=None, clearable=True, searchable=False, style={"minWidth": "70px"})),
            html.Td(dcc.Checklist(id={"type": "est-choose", "area": a}, options=[{"label": "", "value": a}],
                                  value=[], inputClassName="est-choose")),
            html.Td(dcc.Input(id={"type": "est-reason", "area": a}, type="text", maxLength=1000,
                              style={"width": "100%"})),
        ]))
    out: list = [html.P(p_("hint", lang), className="muted small"),
                 html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
                            className="est-table est-priority-table")]
    if saved is None or saved.empty:
        out.append(html.P(p_("none_saved", lang, tertial=next_label), className="est-none"))
    else:
        names = dict(zip(table["area_id"].astype(str), table["area_name"], strict=False))
        out.append(html.P(p_("saved", lang, tertial=next_label), className="small"))
        out.append(html.Ol([html.Li(f"{names.get(str(r.area_id), r.area_id)} — {r.reason}") for r in saved.itertuples()]))
    return out


def _dd(id_, options, value, width: int = 220, searchable: bool = False) -> dcc.Dropdown:
    return dcc.Dropdown(id=id_, options=options, value=value, clearable=False, searchable=searchable,
                        style={"minWidth": f"{width}px", "color": "#1b1b1b"})


def _control(id_, key: str, lang: str, component) -> html.Div:
    return html.Div(className="control", children=[
        html.Label(t(key, lang), htmlFor=id_, id={"type": Ids.TEXT, "key": f"{key}#est"}), component])


def build_est_section(lang: str, kommun_options: list[dict], kommun: str | None, week_options: list[dict],
                      week: str, tertial_options: list[dict], tertial: str | None, police: bool,
                      category_options: list[dict] | None = None) -> html.Section:
    """The Samverkan section: controls, then three tabs (weekly meeting, tertial follow-up, § 4)."""
    week_tab = html.Div(className="est-week", children=[
        html.Div(className="est-col", children=[
            html.Div(className="card-body", children=[
                tx("est_flags", lang, html.H3), tx("est_flags_hint", lang, html.P, className="muted small"),
                dcc.Loading(html.Div(id=Ids.EST_FLAGS), type="dot", delay_show=300)]),
            html.Div(className="card-body", children=[
                tx("est_actions", lang, html.H3), html.Div(id=Ids.EST_ACTIONS),
                action_editor(lang, police)]),
            html.Div(className="card-body est-places", children=[
                tx("est_places", lang, html.H3), html.Div(id=Ids.EST_PLACES),
                html.Div(className="est-place-form no-print", hidden=not police, children=[
                    _control(Ids.EST_PLACE_NAME, "est_place_name", lang,
                             dcc.Input(id=Ids.EST_PLACE_NAME, type="text", maxLength=300)),
                    _control(Ids.EST_PLACE_OWNER, "est_place_owner", lang,
                             dcc.Input(id=Ids.EST_PLACE_OWNER, type="text", maxLength=200)),
                    _control(Ids.EST_PLACE_REASON, "est_place_reason", lang,
                             dcc.Input(id=Ids.EST_PLACE_REASON, type="text", maxLength=500)),
                    html.Button(t("est_place_add", lang), id=Ids.EST_PLACE_ADD, className="btn", n_clicks=0),
                ]),
                html.Div(id=Ids.EST_PLACE_STATUS, role="status", className="est-status"),
                dcc.Store(id=Ids.EST_PLACES_SAVED, data=0),
            ]),
        ]),
        html.Div(className="est-col", children=[
            html.Div(className="card-body", children=[
                tx("est_observations", lang, html.H3), tx("est_obs_hint", lang, html.P, className="muted small"),
                dl.MapContainer(id=Ids.EST_MAP, bounds=[[59.2, 17.8], [59.45, 18.2]], minZoom=4, maxZoom=18,
                                className="est-map", attributionControl=False, trackViewport=False, children=[
                                    dl.GeoJSON(url="/geodata/outlines/kommuner.json", style=fn("outlineStyle"),
                                               hideout={"color": "#8a8a8a", "weight": 1}, interactive=False),
                                    dl.GeoJSON(id=Ids.EST_OBSERVATIONS, data=None, pointToLayer=fn("obsPoint"),
                                               onEachFeature=fn("obsTooltip")),
                                    dl.ScaleControl(position="bottomright", imperial=False)]),
                html.Div(id=Ids.EST_OBS_LIST),
                html.Details(className="est-obs-form no-print", children=[
                    html.Summary(t("est_obs_new", lang), id={"type": Ids.TEXT, "key": "est_obs_new"}),
                    html.Div(className="est-place-form", children=[
                        _control(Ids.EST_OBS_DATE, "est_obs_date", lang,
                                 dcc.Input(id=Ids.EST_OBS_DATE, type="text", placeholder="ÅÅÅÅ-MM-DD", maxLength=10)),
                        _control(Ids.EST_OBS_CATEGORY, "est_obs_category", lang,
                                 _dd(Ids.EST_OBS_CATEGORY, category_options or [], None, 200)),
                        _control(Ids.EST_OBS_AREA, "est_obs_area", lang,
                                 dcc.Dropdown(id=Ids.EST_OBS_AREA, options=[], value=None, clearable=True,
                                              style={"minWidth": "180px", "color": "#1b1b1b"})),
                        _control(Ids.EST_OBS_PLACE, "est_obs_place", lang,
                                 dcc.Input(id=Ids.EST_OBS_PLACE, type="text", maxLength=300)),
                        _control(Ids.EST_OBS_ORG, "est_obs_org", lang,
                                 dcc.Input(id=Ids.EST_OBS_ORG, type="text", maxLength=200)),
                        _control(Ids.EST_OBS_ROLE, "est_obs_role", lang,
                                 dcc.Input(id=Ids.EST_OBS_ROLE, type="text", maxLength=200)),
                        html.Button(t("est_obs_add", lang), id=Ids.EST_OBS_ADD, className="btn", n_clicks=0),
                    ]),
                    html.Div(id=Ids.EST_OBS_STATUS, role="status", className="est-status"),
                ])]),
        ]),
    ])
    followup_tab = html.Div(className="card-body", children=[
        html.Div(className="controls no-print", children=[
            _control(Ids.EST_TERTIAL, "est_tertial", lang, _dd(Ids.EST_TERTIAL, tertial_options, tertial, 200)),
            html.Button(t("est_download_pdf", lang), id=Ids.EST_FOLLOWUP_PDF, className="btn", n_clicks=0),
            html.Button(t("est_download_docx", lang), id=Ids.EST_FOLLOWUP_DOCX, className="btn", n_clicks=0),
        ]),
        dcc.Loading(html.Div(id=Ids.EST_FOLLOWUP, className="est-doc"), type="dot", delay_show=300),
    ])
    l4_tab = html.Div(className="card-body", children=[
        tx("est_l4_hint", lang, html.P),
        html.Div(className="controls no-print", children=[
            _control(Ids.EST_L4_PERIOD, "est_l4_period", lang, _dd(Ids.EST_L4_PERIOD, tertial_options, tertial, 200)),
            html.Button(t("est_download_pdf", lang), id=Ids.EST_L4_PDF, className="btn", n_clicks=0),
            html.Button(t("est_download_docx", lang), id=Ids.EST_L4_DOCX, className="btn", n_clicks=0),
        ]),
    ])
    prio_tab = html.Div(className="card-body", children=[
        html.Div(className="controls no-print", children=[
            html.Button(p_("save", lang), id=Ids.EST_PRIO_SAVE, className="btn", n_clicks=0, hidden=not police),
            html.Span(id=Ids.EST_PRIO_STATUS, role="status", className="est-status"),
        ]),
        dcc.Loading(html.Div(id=Ids.EST_PRIORITY), type="dot", delay_show=300),
    ])
    return html.Section(id=Ids.EST, className="card est-section", **{"aria-labelledby": "est-heading"}, children=[
        html.Div(className="card-head est-head", children=[
            html.H2(t("est_title", lang), id="est-heading"),
            html.Div(className="controls no-print", children=[
                _control(Ids.EST_KOMMUN, "est_kommun", lang, _dd(Ids.EST_KOMMUN, kommun_options, kommun, 220, True)),
                _control(Ids.EST_WEEK, "est_week", lang, _dd(Ids.EST_WEEK, week_options, week, 250, True)),
                html.Button(t("est_print", lang), id=Ids.EST_PRINT, className="btn", n_clicks=0),
            ]),
        ]),
        html.P(id=Ids.EST_PRINT_TITLE, className="print-only"),
        # three views kept mounted (the weekly map is never torn down under Leaflet), one shown
        dcc.RadioItems(id=Ids.EST_TABS, value="week", inline=True, className="est-tabs no-print",
                       options=[{"label": t("est_tab_week", lang), "value": "week"},
                                {"label": t("est_tab_followup", lang), "value": "followup"},
                                {"label": t("est_tab_l4", lang), "value": "l4"},
                                {"label": t("est_tab_prio", lang), "value": "prio"}],
                       inputClassName="est-tab-input", labelClassName="est-tab"),
        html.Div(week_tab, id={"type": "est-panel", "tab": "week"}, className="est-panel est-panel-week"),
        html.Div(followup_tab, id={"type": "est-panel", "tab": "followup"}, className="est-panel est-panel-followup", hidden=True),
        html.Div(l4_tab, id={"type": "est-panel", "tab": "l4"}, className="est-panel est-panel-l4", hidden=True),
        html.Div(prio_tab, id={"type": "est-panel", "tab": "prio"}, className="est-panel est-panel-prio", hidden=True),
        html.Div(id=Ids.EST_STATUS, role="status", className="est-status"),
        dcc.Download(id=Ids.EST_DOWNLOAD),
    ])
