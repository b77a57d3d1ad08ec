"""Map callbacks: list year, restyling through hideout, zoom, hotspots, events, places."""

from __future__ import annotations

import logging

from dash import Input, Output, callback, html, no_update

from callbacks.view import touches
from ids import Ids
from layers.hotspots import hotspot_legend
from layers.method_card import method_card
from layout.map_panel import HOTSPOT_COLORS, area_dots, category_legend_children
from layout.strings import t
from services import layers as svc_layers
from services import page
from services.geo import areas_layer

log = logging.getLogger(__name__)
RESTYLE_KEYS = ("area", "indicator", "period", "cmp", "layers", "hs", "lang", "list")
HOTSPOT_KEYS = ("area", "indicator", "period", "layers", "hs", "lang")
KDE_COLORS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
EVENT_KEYS = ("area", "indicator", "period", "layers")


@callback(
    Output(Ids.AREAS, "data"),
    Output(Ids.AREA_DOTS, "data"),
    Output(Ids.AREA_SEARCH, "options"),
    Input(Ids.LIST_YEAR, "value"),
    prevent_initial_call=True,
)
def show_list_year(list_year: int):
    """Show the areas of the chosen list (each list's own polygons)."""
    from layout.root import area_search_options

    fc = areas_layer(int(list_year))
    return fc, area_dots(fc), area_search_options(int(list_year))


@callback(
    Output(Ids.AREAS, "hideout"),
    Output(Ids.LEGEND, "children"),
    Output(Ids.MAP, "viewport"),
    Input(Ids.VIEW, "data"),
    Input(Ids.MAP_METRIC, "value"),
    prevent_initial_call=True,
)
def restyle_and_zoom(view: dict | None, metric: str):
    """The map's answer to a view: restyle (through hideout only) and zoom to a newly chosen area."""
    from dash import ctx

    viewport = zoom_to_area(view) if ctx.triggered_id == Ids.VIEW else no_update
    return (*restyle_areas(view, metric, ctx.triggered_id), viewport)


def restyle_areas(view: dict | None, metric: str, trigger=Ids.VIEW):
    """Selection highlight and choropleth by the chosen indicator — through hideout only."""
    if not view or (trigger == Ids.VIEW and not touches(view, RESTYLE_KEYS)):
        return no_update, no_update
    lang = view.get("lang", "sv")
    note = t("panel_note", lang) if (view.get("list") or 2025) < 2021 else None
    hideout: dict = {"selected": view.get("area"), "mode": "category",
                     "outline": "hotspots" in (view.get("layers") or [])}
    legend = category_legend_children(lang, note)
    if view.get("indicator") and view.get("period") and page.viewer_tier() == "police":
        try:
            hide, rows = page.choropleth(view["indicator"], view["period"], view.get("cmp", "prev_year"), metric, lang,
                                         view.get("list"))
        except Exception:  # noqa: BLE001 - keep the map usable; the panel shows the error
            log.exception("choropleth failed")
            hide, rows = {"mode": "category"}, []
        if rows:
            hideout.update(hide)
            name = page.catalogue().set_index("id").loc[view["indicator"], "name_sv" if lang == "sv" else "name_en"]
            legend = [html.H3(f"{name} · {t('metric_' + metric, lang)}")]
            legend += [html.Div([html.Span(className="swatch", style={"background": r["color"]}), html.Span(r["label"])],
                                className="row") for r in rows]
            if note:
                legend.append(html.Div(note, className="note"))
    if "hotspots" in (view.get("layers") or []) and view.get("area"):
        method = view.get("hs") or "gistar"
        legend = [html.H3(t(f"hs_{method}", lang))] + method_legend(method, lang)
    return hideout, legend


def zoom_to_area(view: dict | None):
    """Fly to the selected area when it changes."""
    if not view or not view.get("zoom") or not view.get("area"):
        return no_update
    bounds = page.area_bounds(view["area"], view.get("list"))
    return {"bounds": bounds, "options": {"animate": False}} if bounds else no_update  # no fly: the panels come first


def _method_rows(fc: dict, method: str, lang: str) -> html.Details:
    rows = method_card(fc.get("method", {}), fc.get("excluded", {}), lang)
    legend = method_legend(method, lang)
    return html.Details([
        html.Summary(t("method_title", lang)),
        html.Div(legend, className="hotspot-legend"),
        html.Table(html.Tbody([html.Tr([html.Th(label), html.Td(str(value))]) for label, value in rows]),
                   className="method-table"),
    ], open=True)


HOTSPOT_FUNCS = {"gistar": svc_layers.hotspot_layer, "kde": svc_layers.kde_layer,
                 "emerging": svc_layers.emerging_layer, "deso": svc_layers.deso_layer}


def method_legend(method: str, lang: str) -> list:
    """Legend rows of the hotspot method in use."""
    from layers.emerging import emerging_legend

    if method == "emerging":
        rows = [(r["color"], r["label"]) for r in emerging_legend(lang)]
    elif method == "kde":
        rows = [(c, f"{'nivå' if lang == 'sv' else 'level'} {i + 1}") for i, c in enumerate(KDE_COLORS)]
    else:
        rows = [(HOTSPOT_COLORS.get(r["class"], "#eee"), r["label"]) for r in hotspot_legend(lang)]
    return [html.Div([html.Span(className="swatch", style={"background": c}), html.Span(label)], className="row")
            for c, label in rows]


@callback(
    Output(Ids.HOTSPOTS, "data"),
    Output(Ids.HOTSPOT_CARD, "children"),
    Input(Ids.LAYER_VIEW, "data"),
    prevent_initial_call=True,
)
def show_hotspots(view: dict | None):
    """Click 3: the hotspot layer (Gi*, density, emerging or DeSO Gi*) with its method card."""
    if not touches(view, HOTSPOT_KEYS):
        return no_update, no_update
    if "hotspots" not in (view.get("layers") or []):
        return None, None
    lang = view.get("lang", "sv")
    if not view.get("area") or not view.get("period"):
        return None, html.P(t("hotspot_needs_area", lang), className="muted")
    method = view.get("hs") or "gistar"
    try:
        types = svc_layers.event_types_for(view.get("indicator"))
        fc = HOTSPOT_FUNCS[method](view["area"], view["period"], types)
    except LookupError as exc:  # e.g. no DeSO polygons for the kommun
        return None, html.P(str(exc), className="muted")
    except Exception:  # noqa: BLE001
        log.exception("hotspots failed")
        return None, html.P(t("error", lang), className="error")
    return fc, _method_rows(fc, method, lang)


@callback(Output(Ids.EVENTS, "data"), Input(Ids.LAYER_VIEW, "data"), prevent_initial_call=True)
def show_events(view: dict | None):
    """Clustered events around the area (kommun-centre points drawn dashed, never as exact)."""
    if not touches(view, EVENT_KEYS):
        return no_update
    if "events" not in (view.get("layers") or []) or not view.get("area") or not view.get("period"):
        return None
    try:
        fc, _ = svc_layers.events_layer(view["area"], view["period"], svc_layers.event_types_for(view.get("indicator")))
    except Exception:  # noqa: BLE001
        log.exception("events failed")
        return None
    return fc


@callback(Output(Ids.POIS, "data"), Output(Ids.POI_CHECK, "children"), Input(Ids.LAYER_VIEW, "data"),
          prevent_initial_call=True)
def show_pois(view: dict | None):
    """Places of interest, and the hypothesis check per kind of place for the area and period."""
    if not touches(view, ("layers", "area", "period", "indicator", "lang")):
        return no_update, no_update
    if "pois" not in (view.get("layers") or []):
        return None, None
    lang = view.get("lang", "sv")
    checks = []
    if view.get("area") and view.get("period"):
        types = svc_layers.event_types_for(view.get("indicator"))
        for kind in svc_layers.poi_kinds():
            try:
                test = svc_layers.poi_check(view["area"], view["period"], kind, types=types)
            except Exception:  # noqa: BLE001
                log.exception("poi check failed")
                continue
            if test.n_places:
                checks.append(html.Li(test.sentence[lang]))
    body = [html.H3(t("poi_check", lang)), html.Ul(checks)] if checks else None
    return svc_layers.pois_layer(), body
