"""The hub: every control, click and the URL meet here and become one view (``Ids.VIEW``).

One callback owns the URL and the controls in both directions (Dash forbids the cycle across
callbacks): a change in the URL (page load, back button) sets the controls; a click or a control
change sets the URL (a new history entry). Every panel then draws from the view.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, no_update

from ids import Ids
from services.viewstate import decode, encode, toggle_layer

OVERVIEW = {"type": "overview-item", "area": ALL, "indicator": ALL}
COMPARE_CELL = {"type": "compare-datatable", "id": ALL}
TOGGLES = {Ids.HOTSPOT_TOGGLE: "hotspots", Ids.EVENTS_TOGGLE: "events", Ids.POI_TOGGLE: "pois"}


def defaults() -> dict:
    from services.geo import default_list_year
    from services.periods import default_period

    return {"period": default_period(), "list": default_list_year()}


def _clicked(value) -> bool:
    return bool(value)


def next_view(view: dict, trigger, values: dict) -> dict:
    """The view after ``trigger`` (pure; ``values`` are the current control and click values)."""
    view = {**view, "zoom": False}
    if trigger in (Ids.AREAS, Ids.AREA_DOTS):
        feature = values.get("click") or {}
        if feature.get("id") is not None:
            view.update(area=str(feature["id"]), zoom=True)
    elif trigger == Ids.AREA_SEARCH:
        view.update(area=values["area"], zoom=values["area"] is not None)
    elif trigger == Ids.INDICATOR:
        view["indicator"] = values["indicator"]
    elif trigger == Ids.CARD_PICK:
        pick = values.get("card") or {}
        if pick.get("id"):
            view["indicator"] = str(pick["id"])
    elif isinstance(trigger, dict) and trigger.get("type") == "overview-item":
        view.update(area=trigger["area"], indicator=trigger["indicator"], zoom=True)
    elif isinstance(trigger, dict) and trigger.get("type") == "compare-datatable":
        cell = values.get("cell") or {}
        if cell.get("row_id"):
            view.update(area=str(cell["row_id"]), zoom=True)
            if cell.get("column_id") not in (None, "area_name", "region"):
                view["indicator"] = cell["column_id"]
    elif trigger == Ids.PERIOD:
        view["period"] = values["period"]
    elif trigger == Ids.PERIOD_KIND:
        from services.periods import default_period

        view["period"] = default_period(values["period_kind"]) or view.get("period")
    elif trigger == Ids.COMPARISON:
        view["cmp"] = values["cmp"]
    elif trigger == Ids.LIST_YEAR:
        view["list"] = values["list"]
    elif trigger == Ids.REGION:
        view["region"] = None if values["region"] == "alla" else values["region"]
    elif trigger == Ids.HOTSPOT_METHOD:
        view["hs"] = values["hs"]
        if "hotspots" not in (view.get("layers") or []):
            view = toggle_layer(view, "hotspots")
    elif trigger in TOGGLES:
        view = toggle_layer(view, TOGGLES[trigger])
    elif trigger == Ids.LANG:
        view["lang"] = "en" if view.get("lang", "sv") == "sv" else "sv"
    return view


VIEW_KEYS = ("area", "indicator", "period", "cmp", "layers", "hs", "list", "region", "lang")


def changed_keys(old: dict | None, new: dict) -> list[str]:
    """Which parts of the view changed (all of them on a page load): panels skip the rest."""
    if old is None:
        return list(VIEW_KEYS)
    return [k for k in VIEW_KEYS if old.get(k) != new.get(k)]


def touches(view: dict | None, keys: tuple[str, ...]) -> bool:
    """Whether a panel that depends on ``keys`` has to redraw for this view."""
    if not view:
        return False
    changed = view.get("changed")
    return changed is None or any(k in changed for k in keys)


def layer_view(view: dict, from_url: bool):
    """The view for the point/hotspot layers: only while a layer is on, or when one was switched off.

    Those callbacks then never run for a page without layers (and never ask the server for points
    on behalf of a kommun-tier user who cannot switch them on).
    """
    if view.get("layers") or (not from_url and "layers" in view.get("changed", ())):
        return view
    return no_update


COMPARE_KEYS = ("indicator", "period", "cmp", "lang", "list", "region")


def compare_view(view: dict, from_url: bool):
    """The view for the compare table: only when something it shows changed (an area click does not
    redraw a table of every area)."""
    if from_url or any(k in view.get("changed", ()) for k in COMPARE_KEYS):
        return view
    return no_update


def period_kind_of(period: str | None) -> str:
    if not period:
        return "tertial"
    if "-T" in period:
        return "tertial"
    if period.startswith("R12:"):
        return "r12"
    if len(period) == 4:
        return "year"
    return "month"


def _viewer_policy():
    from services.page import viewer_policy

    return viewer_policy()


def within_policy(view: dict) -> dict:
    """The view cut to what the viewer's tier may see: the kommun tier's period on its grid
    (a month, year-to-date or rolling period — from a permalink or a crafted request — becomes the
    default tertial), the newest list, no map layers it may not have."""
    pol = _viewer_policy()
    if pol.period_kinds is None and pol.older_lists and pol.map_layers:
        return view
    from services.periods import default_period

    out = dict(view)
    period = pol.grid_period(out.get("period"), None)
    out["period"] = period if period is not None else default_period()
    if not pol.older_lists:
        from services.geo import default_list_year

        out["list"] = default_list_year()
    if out.get("layers"):
        out["layers"] = [x for x in out["layers"] if pol.allows_layer(x)]
    return out


@callback(
    Output(Ids.VIEW, "data"),
    Output(Ids.URL, "search"),
    Output(Ids.AREA_SEARCH, "value"),
    Output(Ids.INDICATOR, "value"),
    Output(Ids.PERIOD, "value"),
    Output(Ids.PERIOD, "options"),
    Output(Ids.PERIOD_KIND, "value"),
    Output(Ids.COMPARISON, "value"),
    Output(Ids.LIST_YEAR, "value"),
    Output(Ids.REGION, "value"),
    Output(Ids.HOTSPOT_TOGGLE, "aria-pressed"),
    Output(Ids.EVENTS_TOGGLE, "aria-pressed"),
    Output(Ids.POI_TOGGLE, "aria-pressed"),
    Output(Ids.LANG_STORE, "data"),
    Output(Ids.HOTSPOT_METHOD, "value"),
    Output(Ids.LAYER_VIEW, "data"),
    Output(Ids.COMPARE_VIEW, "data"),
    Input(Ids.URL, "search"),
    Input(Ids.AREAS, "clickData"),
    Input(Ids.AREA_DOTS, "clickData"),
    Input(Ids.AREA_SEARCH, "value"),
    Input(Ids.INDICATOR, "value"),
    Input(Ids.CARD_PICK, "data"),
    Input(OVERVIEW, "n_clicks"),
    Input(COMPARE_CELL, "active_cell"),
    Input(Ids.PERIOD, "value"),
    Input(Ids.PERIOD_KIND, "value"),
    Input(Ids.COMPARISON, "value"),
    Input(Ids.LIST_YEAR, "value"),
    Input(Ids.REGION, "value"),
    Input(Ids.HOTSPOT_TOGGLE, "n_clicks"),
    Input(Ids.EVENTS_TOGGLE, "n_clicks"),
    Input(Ids.POI_TOGGLE, "n_clicks"),
    Input(Ids.LANG, "n_clicks"),
    Input(Ids.HOTSPOT_METHOD, "value"),
    State(Ids.VIEW, "data"),
)
def update_view(search, area_click, dot_click, area, indicator, card_pick, overview_clicks, cells, period,
                period_kind, cmp_, list_year, region, _hot, _ev, _poi, _lang, hs, view):
    """Turn the trigger into the new view; write it to the URL and back into the controls."""
    from services.periods import period_options

    trigger = ctx.triggered_id
    from_url = view is None or trigger is None or trigger == Ids.URL
    if from_url:
        new = decode(search, defaults())
        new["zoom"] = new.get("area") is not None
    else:
        if isinstance(trigger, dict) and trigger.get("type") == "overview-item":
            if not _clicked(ctx.triggered[0]["value"]):  # new items render with n_clicks = 0
                return (no_update,) * 17
        values = {"click": area_click if trigger == Ids.AREAS else dot_click, "area": area, "indicator": indicator,
                  "period": period, "period_kind": period_kind, "cmp": cmp_, "list": list_year, "region": region,
                  "cell": next((c for c in (cells or []) if c), None), "hs": hs, "card": card_pick}
        new = next_view(view, trigger, values)
    asked = new
    new = within_policy(new)
    cut = new != asked  # the URL named what the tier may not see: it is rewritten to what is shown
    new["changed"] = changed_keys(None if from_url else view, new)
    lang = new.get("lang", "sv")
    kind = period_kind_of(new.get("period"))
    allowed = _viewer_policy().allows_period
    options = [o for o in period_options(lang) if period_kind_of(o["value"]) == kind and allowed(o["value"])]
    layers = new.get("layers") or []
    url_out = no_update if from_url and not cut else encode(new)
    lang_out = lang if from_url or lang != (view or {}).get("lang", "sv") else no_update

    def echo(value, current):
        """Write a control only when its value changes: an echo would wake its own listeners
        (the list-year control, for one, resends every polygon of the list)."""
        return no_update if value == current else value

    return (new, url_out, echo(new.get("area"), area), echo(new.get("indicator"), indicator),
            echo(new.get("period"), period),
            options if from_url or {"period", "lang"} & set(new["changed"]) else no_update,
            echo(kind, period_kind), echo(new.get("cmp", "prev_year"), cmp_), echo(new.get("list"), list_year),
            echo(new.get("region") or "alla", region),
            str("hotspots" in layers).lower(), str("events" in layers).lower(), str("pois" in layers).lower(),
            lang_out, echo(new.get("hs") or "gistar", hs), layer_view(new, from_url), compare_view(new, from_url))
