"""Map callbacks: list year, restyling through hideout, zoom, hotspots, events, places."""

from __future__ import annotations

import logging

from dash import Input, Output, callback, html, no_update

from callbacks.principal import viewer_policy
from callbacks.view import touches
from ids import Ids
from layers.legends import (
    event_legend_rows,
    event_type_names,
    events_hideout,
    hotspot_hideout,
    layer_legend_rows,
    poi_legend_rows,
    pois_hideout,
)
from layers.method_card import method_card
from layout.map_panel import area_dots, category_legend_children, legend_children
from layout.strings import t
from services import layers as svc_layers
from services import page
from services.geo import areas_layer, default_list_year

log = logging.getLogger(__name__)
RESTYLE_KEYS = ("area", "indicator", "period", "cmp", "layers", "hs", "lang", "list", "metric")
HOTSPOT_KEYS = ("area", "indicator", "period", "layers", "hs", "lang", "real")
EVENT_KEYS = ("area", "indicator", "period", "layers", "lang", "real")


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
    prevent_initial_call=True,
)
def restyle_and_zoom(view: dict | None):
    """The map's answer to a view: restyle (through hideout only) and zoom to a newly chosen area
    (the metric the areas are coloured by is part of the view, so the URL holds it)."""
    return (*restyle_areas(view, (view or {}).get("metric") or "value"), zoom_to_area(view))


def restyle_areas(view: dict | None, metric: str, trigger=Ids.VIEW):
    """Selection highlight and choropleth by the chosen indicator — through hideout only. The
    legend lists the categories of the areas drawn; with hotspots on, the hotspot legend
    (``show_hotspots``) takes its place."""
    if not view or (trigger == Ids.VIEW and not touches(view, RESTYLE_KEYS)):
        return no_update, no_update
    lang = view.get("lang", "sv")
    note = t("panel_note", lang) if (view.get("list") or 2025) < 2021 else None
    hideout: dict = {"selected": view.get("area"), "mode": "category",
                     "outline": "hotspots" in (view.get("layers") or [])}
    legend = category_legend_children(lang, note, areas_layer(int(view.get("list") or default_list_year())))
    if view.get("indicator") and view.get("period") and viewer_policy().cross_area_tables:
        try:
            hide, rows = page.choropleth(view["indicator"], view["period"], view.get("cmp", "prev_year"), metric, lang,
                                         view.get("list"))
        except Exception:  # noqa: BLE001 - keep the map usable; the panel shows the error
            log.exception("choropleth failed")
            hide, rows = {"mode": "category"}, []
        if rows:
            hideout.update(hide)
            name = page.catalogue().set_index("id").loc[view["indicator"], f"name_{lang}"]
            legend = legend_children(f"{name} · {t('metric_' + metric, lang)}",
                                     [{"key": f"class{i}", "color": r["color"], "label": r["label"]}
                                      for i, r in enumerate(rows)], note)
    if "hotspots" in (view.get("layers") or []) and view.get("area"):
        legend = []
    return hideout, legend


def zoom_to_area(view: dict | None):
    """Fly to the selected area when it changes; back to the whole list when the back button
    returns to no area."""
    if not view or not view.get("zoom"):
        return no_update
    if not view.get("area"):
        from layout.map_panel import data_bounds

        return {"bounds": data_bounds(areas_layer(view.get("list") or 2025)), "options": {"animate": False}}
    bounds = page.area_bounds(view["area"], view.get("list"))
    return {"bounds": bounds, "options": {"animate": False}} if bounds else no_update  # no fly: the panels come first


def _method_rows(fc: dict, rows: list[dict], lang: str) -> html.Details:
    card = method_card(fc.get("method", {}), fc.get("excluded", {}), lang)
    return html.Details([
        html.Summary(t("method_title", lang)),
        html.Div(legend_children(None, rows), className="hotspot-legend"),
        html.Table(html.Tbody([html.Tr([html.Th(label), html.Td(str(value))]) for label, value in card]),
                   className="method-table"),
    ], open=True)


HOTSPOT_FUNCS = {"gistar": svc_layers.hotspot_view, "kde": svc_layers.kde_layer,
                 "emerging": svc_layers.emerging_layer, "deso": svc_layers.deso_layer}


def _lang_only(view: dict) -> bool:
    return set(view.get("changed") or ()) == {"lang"}


@callback(
    Output(Ids.HOTSPOTS, "data"),
    Output(Ids.HOTSPOTS, "hideout"),
    Output(Ids.HOTSPOT_CARD, "children"),
    Output(Ids.HOTSPOT_LEGEND, "children"),
    Input(Ids.LAYER_VIEW, "data"),
    prevent_initial_call=True,
)
def show_hotspots(view: dict | None):
    """Click 3: the hotspot layer (Gi*, density, emerging or DeSO Gi*) with its method card and a
    legend of the classes it holds. Gi* is ``services.layers.hotspot_view``: the layer the
    lägesbild's hotspot sentences count. A language switch changes the hideout (tooltip words)
    and the texts, not the data."""
    if not touches(view, HOTSPOT_KEYS):
        return no_update, no_update, no_update, no_update
    if "hotspots" not in (view.get("layers") or []) or not viewer_policy().allows_layer("hotspots"):
        return None, no_update, None, []
    lang = view.get("lang", "sv")
    if not view.get("area") or not view.get("period"):
        return None, no_update, html.P(t("hotspot_needs_area", lang), className="muted"), []
    method = view.get("hs") or "gistar"
    try:
        types = svc_layers.event_types_for(view.get("indicator"))
        fc = HOTSPOT_FUNCS[method](view["area"], view["period"], types, real_only=bool(view.get("real")))
        if view.get("changed") == ["lang"]:  # the cells are the same: only the method card's words change
            return no_update, _method_rows(fc, method, lang)
    except LookupError as exc:  # e.g. no DeSO polygons for the kommun
        return None, no_update, html.P(str(exc), className="muted"), []
    except Exception:  # noqa: BLE001
        log.exception("hotspots failed")
        return None, no_update, html.P(t("error", lang), className="error"), []
    rows = layer_legend_rows(method, fc, lang)
    legend = legend_children(t(f"hs_{method}", lang), rows)
    return (no_update if _lang_only(view) else fc), hotspot_hideout(fc, lang), _method_rows(fc, rows, lang), legend


def _type_names(lang: str) -> dict[str, str]:
    """Indicator names by id (synthetic point events carry the indicator id as their type)."""
    cat = page.catalogue()
    return dict(zip(cat["id"], cat[f"name_{lang}"], strict=True))


@callback(Output(Ids.EVENTS, "data"), Output(Ids.EVENTS, "hideout"), Output(Ids.EVENT_LEGEND, "children"),
          Input(Ids.LAYER_VIEW, "data"), prevent_initial_call=True)
def show_events(view: dict | None):
    """Clustered events around the area (kommun-centre points drawn dashed, never as exact), with
    a legend of the symbols and event types present."""
    if not touches(view, EVENT_KEYS):
        return no_update, no_update, no_update
    if "events" not in (view.get("layers") or []) or not view.get("area") or not view.get("period") \
            or not viewer_policy().allows_layer("events"):
        return None, no_update, []
    lang = view.get("lang", "sv")
    try:
        fc, _ = svc_layers.events_layer(view["area"], view["period"], svc_layers.event_types_for(view.get("indicator")),
                                        real_only=bool(view.get("real")))
        names = event_type_names({f["properties"].get("type") for f in fc["features"]}, _type_names(lang), lang)
    except Exception:  # noqa: BLE001
        log.exception("events failed")
        return None, no_update, []
    legend = legend_children(t("events", lang), event_legend_rows(fc, lang, names))
    return (no_update if _lang_only(view) else fc), events_hideout(lang, names), legend


@callback(Output(Ids.POIS, "data"), Output(Ids.POIS, "hideout"), Output(Ids.POI_CHECK, "children"),
          Output(Ids.POI_LEGEND, "children"), Input(Ids.LAYER_VIEW, "data"), prevent_initial_call=True)
def show_pois(view: dict | None):
    """Places of interest (each kind its own symbol and legend row), and the hypothesis check per
    kind of place for the area and period."""
    if not touches(view, ("layers", "area", "period", "indicator", "lang", "real")):
        return no_update, no_update, no_update, no_update
    if "pois" not in (view.get("layers") or []) or not viewer_policy().allows_layer("pois"):
        return None, no_update, None, []
    lang = view.get("lang", "sv")
    checks = []
    if view.get("area") and view.get("period"):
        types = svc_layers.event_types_for(view.get("indicator"))
        for kind in svc_layers.poi_kinds():
            try:
                test = svc_layers.poi_check(view["area"], view["period"], kind, types=types,
                                            real_only=bool(view.get("real")))
            except Exception:  # noqa: BLE001
                log.exception("poi check failed")
                continue
            if test.n_places:
                checks.append(html.Li(test.sentence[lang]))
    body = [html.H3(t("poi_check", lang)), html.Ul(checks)] if checks else None
    fc = svc_layers.pois_layer(real_only=bool(view.get("real")))
    legend = legend_children(t("pois", lang), poi_legend_rows(fc, lang))
    return fc, pois_hideout(fc, lang), body, legend
