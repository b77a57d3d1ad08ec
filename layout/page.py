"""The one page: header controls, map, area panel, trend, lägesbild, comparison, sources.

Static texts carry the id ``{"type": "t", "key": KEY}`` so one callback can switch language.
"""

from __future__ import annotations

from dash import dcc, html

from config import settings
from geodata.sources import SOURCES
from ids import Ids
from indicators.calendar import parse_period
from layout.figures import empty_figure
from layout.map_panel import build_map
from layout.period_bar import build_period_bar
from layout.strings import t, tx
from reports.methods import METHOD_PATH

#: the period kinds of the control, as ``services.periods.KINDS`` (ISO weeks join both lists)
PERIOD_KINDS = ("tertial", "month", "year", "r12", "ytd")
KOMMUN_PERIOD_KINDS = ("tertial", "year")  # the kommun tier's grid (reports/disclosure.py)


def export_panel(lang: str, tier: str = "police"):
    """The export and notes panel for the viewer's tier."""
    from layout.export_panel import build_export_panel

    return build_export_panel(lang, tier)


def _months(src: dict, lang: str) -> str | None:
    """'2019-05 – 2024-03' for a time series (None for reference data)."""
    first, last = src.get("first_month"), src.get("last_month")
    if not (first or last):
        return None
    return t("sources.months", lang, first=first or "?", last=last or "?")


def build_sources(lang: str, sources: list[dict] | None = None) -> html.Details:
    """The Källor panel: every data set the page draws on, with publisher, licence and — for time
    series — the first and last month in the store (``services.real_series.sources``)."""
    if sources is None:  # no store at hand: the static list
        sources = [{"title": s.title_for(lang), "publisher": s.publisher,
                    "licence": s.licence, "url": s.official_url, "note": s.note_for(lang)}
                   for s in SOURCES.values()]
        sources.append({"title": t("synthetic_note", lang), "publisher": "store/synthetic.py (seed 20251201)",
                        "licence": "", "url": ""})
    items = []
    for src in sources:
        meta = " · ".join(x for x in (_months(src, lang), src.get("publisher"), src.get("licence"), src.get("url")) if x)
        items.append(html.Li([html.Strong(src["title"]), html.Br(), html.Span(meta, className="muted"),
                              *([html.Br(), html.Span(src["note"])] if src.get("note") else [])],
                             className="source-synthetic" if src.get("synthetic") else None))
    return html.Details([html.Summary(tx("sources", lang)), html.Ul(items, className="sources")],
                        id=Ids.SOURCES, className="card card-body")


def _control(id_, key: str, lang: str, component) -> html.Div:
    return html.Div(className="control", children=[html.Label(t(key, lang), htmlFor=id_, id={"type": Ids.TEXT, "key": key}),
                                                   component])


def _dropdown(id_, options, value, min_width: int = 150, searchable: bool = False, width: int | None = None) -> dcc.Dropdown:
    style = {"minWidth": f"{min_width}px", "color": "#1b1b1b"}
    if width:
        style["width"] = f"{width}px"
    return dcc.Dropdown(id=id_, options=options, value=value, clearable=False, searchable=searchable, style=style)


def period_kind_of(period: str | None) -> str:
    """The kind of a period label, for the kind control's first value."""
    try:
        return parse_period(period).kind.value if period else "tertial"
    except ValueError:
        return "tertial"


def build_header(lang: str, list_years: list[int], list_year: int, periods: list[dict], period: str | None,
                 user: str | None = None, period_kinds: tuple[str, ...] = PERIOD_KINDS) -> html.Header:
    cmp_options = [{"label": t(f"cmp_{c}", lang), "value": c} for c in ("prev_year", "baseline", "target")]
    kind_options = [{"label": t(f"kind_{k}", lang), "value": k} for k in period_kinds]
    return html.Header(className="app-header", children=[
        html.Div([tx("title", lang, html.H1), tx("subtitle", lang, html.Div, className="subtitle")]),
        html.Div(className="controls", children=[
            _control(Ids.LIST_YEAR, "list_year", lang,
                     _dropdown(Ids.LIST_YEAR, [{"label": str(y), "value": y} for y in list_years], list_year, 90)),
            _control(Ids.PERIOD_KIND, "period_kind", lang,
                     _dropdown(Ids.PERIOD_KIND, kind_options, period_kind_of(period), 140)),
            # every period of the kind back to the first month with data, newest first (grouped by
            # year); type a year or a month name to narrow the list
            _control(Ids.PERIOD, "period", lang, _dropdown(Ids.PERIOD, periods, period, 250, searchable=True, width=250)),
            _control(Ids.COMPARISON, "comparison", lang, _dropdown(Ids.COMPARISON, cmp_options, "prev_year", 200)),
            html.Button(t("copy_link", lang), id=Ids.COPY_LINK, className="btn", n_clicks=0),
            # the kommun's samverkan (EST): weekly meeting, tertial follow-up, § 4 document
            html.A(t("est_link", lang), href=f"#{Ids.EST}", id=Ids.EST_LINK, className="btn"),
            html.Span(id=Ids.COPY_STATUS, className="copy-status", role="status"),
            # named by its visible text ("English"/"Svenska", WCAG 2.5.3); the title says what it does
            html.Button(t("language", lang), id=Ids.LANG, className="btn", n_clicks=0, lang=t("language.code", lang),
                        title="Byt språk / switch language"),
            html.Div([html.Span(user, className="user-name"), html.A(t("logout", lang), href="/logout", className="btn logout")],
                     className="user-box") if user else None,
        ]),
    ])


def hotspot_method_options(lang: str) -> list[dict]:
    """How the hotspot layer is computed."""
    return [{"label": t(f"hs_{m}", lang), "value": m} for m in ("gistar", "kde", "emerging", "deso")]


def map_metric_options(lang: str) -> list[dict]:
    """What the areas are coloured by once an indicator is chosen."""
    return [{"label": t(f"metric_{m}", lang), "value": m} for m in ("value", "rate_per_1000", "change", "z")]


def build_map_card(lang: str, areas_fc: dict, area_options: list[dict],
                   kommun_tier: bool = False) -> html.Div:
    s = settings()
    hide = {"hidden": True, "disabled": True} if kommun_tier else {}
    return html.Div(className="card", children=[
        html.Div(className="map-tools", children=[
            html.Div(dcc.Dropdown(id=Ids.AREA_SEARCH, options=area_options, placeholder=t("search", lang),
                                  searchable=True, clearable=True), className="search"),
            html.Button(t("hotspots", lang), id=Ids.HOTSPOT_TOGGLE, className="btn toggle", n_clicks=0,
                        **{"aria-pressed": "false"}, **hide),
            html.Div(dcc.Dropdown(id=Ids.HOTSPOT_METHOD, options=hotspot_method_options(lang), value="gistar",
                                  clearable=False, searchable=False, style={"minWidth": "190px"}),
                     className="method-select", title=t("hotspot_method", lang), hidden=kommun_tier),
            html.Button(t("events", lang), id=Ids.EVENTS_TOGGLE, className="btn toggle", n_clicks=0,
                        **{"aria-pressed": "false"}, **hide),
            html.Button(t("pois", lang), id=Ids.POI_TOGGLE, className="btn toggle", n_clicks=0,
                        **{"aria-pressed": "false"}, **hide),
            html.Div(dcc.Dropdown(id=Ids.MAP_METRIC, options=map_metric_options(lang), value="value", clearable=False,
                                  searchable=False, style={"minWidth": "170px"}),
                     className="metric-select", title=t("map_metric", lang), hidden=kommun_tier),
        ]),
        dcc.Loading(build_map(areas_fc, lang, s.tile_url, s.tile_attribution), type="circle", delay_show=300,
                    overlay_style={"visibility": "visible", "opacity": 0.7}, target_components={Ids.HOTSPOTS: "data"}),
        html.Div(id=Ids.HOTSPOT_CARD, className="card-body method-card"),
        html.Div(id=Ids.POI_CHECK, className="card-body poi-check", **{"aria-live": "polite"}),
    ])


def build_trend(lang: str, indicator_options: list[dict]) -> html.Section:
    """The trend chart, placed above the indicator cards (click 2 draws it where the eye is): while
    no indicator is chosen it folds to one line (class ``idle``); at 1280 px and wider it stays in
    view (sticky) while the cards scroll under it, narrower screens scroll it into view on a card
    click (``assets/lagesbild.js``)."""
    return html.Section(id=Ids.TREND_CARD, className="trend-card idle", **{"aria-label": t("trend", lang)}, children=[
        html.Div([tx("trend", lang, html.H2),
                  html.Div(dcc.Dropdown(id=Ids.INDICATOR, options=indicator_options, value=None, clearable=True,
                                        placeholder=t("indicator", lang),
                                        style={"minWidth": "220px"}), className="indicator-select")],
                 className="card-head"),
        tx("trend_hint", lang, html.P, className="trend-hint muted"),
        # drawn with its message from the start: no bare plotly axes before the first callback
        html.Div(dcc.Graph(id=Ids.TREND, figure=empty_figure(t("pick_trend", lang), lang),
                           config={"displaylogo": False, "responsive": True,
                                   "modeBarButtonsToRemove": ["lasso2d", "select2d"]},
                           style={"minHeight": "330px"}), className="trend-body"),
    ])


def build_side(lang: str, indicator_options: list[dict], sources: list[dict] | None = None,
               tier: str = "police") -> html.Aside:
    return html.Aside(className="side", children=[
        html.Div(className="card card-body", id=Ids.AREA_PANEL, children=[
            dcc.Loading(html.Div(id=Ids.AREA_HEAD, children=[html.P(t("pick_area", lang))]), type="dot", delay_show=300),
            build_trend(lang, indicator_options),
            # the indicator cards: drawn by assets/lagesbild.js (renderCards) from Ids.CARDS_DATA;
            # a click on one sets Ids.CARD_PICK (click 2)
            html.Div(id=Ids.INDICATOR_CARDS, className="cards", role="group",
                     **{"aria-label": t("indicators_label", lang)}),
            # every verdict on the cards follows the rules of METHODS.md, served at /metod
            html.A(tx("method_link", lang), href=f"{METHOD_PATH}#farger", target="_blank",
                   rel="noopener", className="method-link"),
            dcc.Store(id=Ids.CARDS_DATA),
            dcc.Store(id=Ids.CARD_PICK),
        ]),
        html.Div(className="card", children=[
            html.Div(tx("lagesbild", lang, html.H2), className="card-head"),
            dcc.Loading(html.Div(id=Ids.LAGESBILD, className="card-body summary"), type="dot", delay_show=300),
        ]),
        html.Div(id=Ids.EXPORT, className="export-slot", children=export_panel(lang, tier)),
        dcc.Store(id=Ids.NOTES_SAVED, data=0),
        build_sources(lang, sources),
    ])


def build_compare(lang: str, regions: list[str]) -> html.Section:
    """The compare view (``layout/compare.py``)."""
    from layout.compare import build_compare_section

    return build_compare_section(lang, regions)


def build_page(lang: str, list_years: list[int], list_year: int, areas_fc: dict,
               periods: list[dict], period: str | None, area_options: list[dict],
               indicator_options: list[dict], regions: list[str], user: str | None = None,
               kommun_tier: bool = False, sources: list[dict] | None = None,
               est_section: html.Section | None = None) -> html.Div:
    s = settings()
    banner = tx("demo_banner", lang) if s.auth == "none" else ""
    return html.Div([
        dcc.Location(id=Ids.URL, refresh=False),
        dcc.Store(id=Ids.VIEW),
        dcc.Store(id=Ids.LAYER_VIEW),
        dcc.Store(id=Ids.PANEL_VIEW),
        dcc.Store(id=Ids.LAGESBILD_VIEW),
        dcc.Store(id=Ids.COMPARE_VIEW),
        dcc.Store(id=Ids.COMPARE_VISIBLE, data=False),
        dcc.Store(id=Ids.LANG_STORE),
        tx("skip_link", lang, html.A, href="#area-panel", className="skip-link"),
        build_header(lang, list_years, list_year, periods, period, user,
                     KOMMUN_PERIOD_KINDS if kommun_tier else PERIOD_KINDS),
        build_period_bar(lang),
        html.Div(banner, id=Ids.BANNER, className="banner demo", role="status"),
        html.Div(id=Ids.ERROR_BANNER, className="banner error", role="alert"),
        html.Main(className="main", children=[
            html.Section(build_map_card(lang, areas_fc, area_options, kommun_tier), **{"aria-label": "Karta"}),
            build_side(lang, indicator_options, sources, "kommun" if kommun_tier else "police"),
        ]),
        build_compare(lang, regions),
        est_section,
    ], id=Ids.PAGE, lang=lang)
