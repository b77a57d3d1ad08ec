"""Language toggle: every static text and the control options follow the view's language."""

from __future__ import annotations

from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
)
from dash.exceptions import PreventUpdate

from ids import Ids
from layout.page import PERIOD_KINDS, hotspot_method_options, map_metric_options
from layout.period_bar import real_only_label, real_only_title
from layout.strings import t, text_of
from services.page import regions


@callback(
    Output({"type": Ids.TEXT, "key": ALL}, "children"),
    Output(Ids.COMPARISON, "options"),
    Output(Ids.PERIOD_KIND, "options"),
    Output(Ids.MAP_METRIC, "options"),
    Output(Ids.REGION, "options"),
    Output(Ids.LANG, "children"),
    Output(Ids.AREA_SEARCH, "placeholder"),
    Output(Ids.INDICATOR, "placeholder"),
    Output(Ids.EXPORT_PURPOSE, "placeholder"),
    Output(Ids.HOTSPOT_TOGGLE, "children"),
    Output(Ids.EVENTS_TOGGLE, "children"),
    Output(Ids.POI_TOGGLE, "children"),
    Output(Ids.COPY_LINK, "children"),
    Output(Ids.HOTSPOT_METHOD, "options"),
    Output(Ids.PAGE, "lang"),
    Output(Ids.REGION_OVERLAY, "name"),
    Output(Ids.KOMMUN_OVERLAY, "name"),
    Output(Ids.REAL_ONLY, "children"),
    Output(Ids.REAL_ONLY, "title"),
    Input(Ids.LANG_STORE, "data"),
    State(Ids.VIEW, "data"),
)
def apply_language(lang: str | None, view: dict | None):
    """Rewrite the texts when the language changes (the hub sets the store only then; the hub
    itself writes the indicator and period options and the period bar's labels)."""
    if not lang or not view:  # a page load in Swedish: the layout is already Swedish
        raise PreventUpdate
    keys = [o["id"]["key"] for o in ctx.outputs_list[0]]
    region_options = [{"label": t("all_regions", lang), "value": "alla"}] + [
        {"label": r, "value": r} for r in regions(view.get("list"))]
    return (
        [text_of(k, lang) for k in keys],
        [{"label": t(f"cmp_{c}", lang), "value": c} for c in ("prev_year", "baseline", "target")],
        [{"label": t(f"kind_{k}", lang), "value": k} for k in PERIOD_KINDS],
        map_metric_options(lang),
        region_options,
        t("language", lang),
        t("search", lang),
        t("indicator", lang),
        t("export_purpose_ph", lang),
        t("hotspots", lang), t("events", lang), t("pois", lang), t("copy_link", lang),
        hotspot_method_options(lang),
        lang,
        t("region_outline", lang),
        t("kommun_outline", lang),
        real_only_label(lang),
        real_only_title(lang),
    )


# The map's layers control keeps the labels it was drawn with: rename them in the page (the output
# is never written; the function returns no_update).
clientside_callback(
    ClientsideFunction(namespace="lagesbild", function_name="overlayNames"),
    Output(Ids.PAGE, "title"),
    Input(Ids.REGION_OVERLAY, "name"),
    Input(Ids.KOMMUN_OVERLAY, "name"),
    prevent_initial_call=True,
)
