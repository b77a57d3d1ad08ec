"""The hub: every control, click and the URL meet here and become one view (``Ids.VIEW``).

One callback owns the URL and the controls in both directions (Dash forbids the cycle across
callbacks): a change in the URL (page load, back button) sets the controls; a click or a control
change sets the URL (a new history entry). Every panel then draws from the view, and only when a
part of the view it shows has changed (``view["changed"]``): on a page load everything, on the back
and forward buttons what differs from the view being left — so stepping back to the landing view
takes the hexagons off and zooms the map out again.
"""

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
    no_update,
)

from ids import Ids
from services.viewstate import METRICS, canonical_period, decode, encode, toggle_layer
from texts import LANGS

OVERVIEW = {"type": Ids.OVERVIEW_ITEM, "area": ALL, "indicator": ALL}
COMPARE_CELL = {"type": Ids.COMPARE_DATATABLE, "id": ALL}
TOGGLES = {Ids.HOTSPOT_TOGGLE: "hotspots", Ids.EVENTS_TOGGLE: "events", Ids.POI_TOGGLE: "pois"}
#: the language the layout is drawn in (Swedish first): a page load rewrites its texts only for another
DRAWN_LANG = LANGS[0]


def defaults() -> dict:
    from services.geo import default_list_year
    from services.periods import landing_period

    return {"period": landing_period(), "list": default_list_year()}


def _clicked(value) -> bool:
    return bool(value)


def next_view(view: dict, trigger, values: dict) -> dict:
    """The view after ``trigger`` (pure; ``values`` are the current control and click values).

    ``values`` may carry what the step needs from the store: ``synthetic`` (ids of synthetic
    indicators, for the real-data switch), ``latest``/``real_latest`` (the two default periods of
    the current kind) and ``newest_month`` (the newest month with data, for a change of kind).
    A trigger without a step (none today) leaves the view as it was, unzoomed.
    """
    view = {**view, "zoom": False}
    if isinstance(trigger, dict):  # a pattern-matching id: the step of its type
        typed = TYPED_STEPS.get(trigger.get("type"))
        return typed(view, trigger, values) if typed else view
    step = STEPS.get(trigger)
    return step(view, values) if step else view


# --------------------------------------------------------------------------- the steps of next_view
# Each takes the view (a copy, already unzoomed) and the values, and returns the new view.


def _area_clicked(view: dict, values: dict) -> dict:
    feature = values.get("click") or {}
    if feature.get("id") is not None:
        view.update(area=str(feature["id"]), zoom=True)
    return view


def _area_searched(view: dict, values: dict) -> dict:
    view.update(area=values["area"], zoom=values["area"] is not None)
    return view


def _indicator_chosen(view: dict, values: dict) -> dict:
    view["indicator"] = values["indicator"]
    return view


def _card_picked(view: dict, values: dict) -> dict:
    pick = values.get("card") or {}
    if pick.get("id"):
        view["indicator"] = str(pick["id"])
    return view


def _overview_item(view: dict, trigger: dict, values: dict) -> dict:
    view.update(area=trigger["area"], indicator=trigger["indicator"], zoom=True)
    return view


def _compare_cell(view: dict, trigger: dict, values: dict) -> dict:
    cell = values.get("cell") or {}
    if cell.get("row_id"):
        view.update(area=str(cell["row_id"]), zoom=True)
        if cell.get("column_id") not in (None, "area_name", "region"):
            view["indicator"] = cell["column_id"]
    return view


def _period_chosen(view: dict, values: dict) -> dict:
    view["period"] = canonical_period(values["period"]) or view.get("period")  # never cleared
    return view


def _period_kind_chosen(view: dict, values: dict) -> dict:
    from services.periods import convert

    if values.get("period_kind") and view.get("period"):
        view["period"] = convert(view["period"], values["period_kind"], values.get("newest_month"))
    return view


def _latest_period(view: dict, values: dict) -> dict:
    view["period"] = values.get("latest") or view.get("period")
    return view


def _real_period(view: dict, values: dict) -> dict:
    view["period"] = values.get("real_latest") or view.get("period")
    return view


def _real_only_switched(view: dict, values: dict) -> dict:
    view["real"] = not view.get("real")
    if view["real"] and view.get("indicator") in set(values.get("synthetic") or ()):
        view["indicator"] = None  # a synthetic indicator is hidden everywhere
    return view


def _metric_chosen(view: dict, values: dict) -> dict:
    view["metric"] = values["metric"] if values.get("metric") in METRICS else "value"
    return view


def _set_from(key: str):
    """The step that copies one control's value (``values[key]``) into the view."""
    def step(view: dict, values: dict) -> dict:
        view[key] = values[key]
        return view
    return step


def _region_chosen(view: dict, values: dict) -> dict:
    view["region"] = None if values["region"] == "alla" else values["region"]
    return view


def _hotspot_method_chosen(view: dict, values: dict) -> dict:
    view["hs"] = values["hs"]
    if "hotspots" not in (view.get("layers") or []):
        view = toggle_layer(view, "hotspots")
    return view


def _layer_toggled(layer: str):
    """The step of a layer's button: the layer on or off."""
    def step(view: dict, values: dict) -> dict:
        return toggle_layer(view, layer)
    return step


def _language_toggled(view: dict, values: dict) -> dict:
    current = view.get("lang", "sv")
    view["lang"] = next(code for code in LANGS if code != current)  # the other language
    return view


#: the step of each control and click (``Ids`` are strings: ``ctx.triggered_id`` finds its step)
STEPS = {
    Ids.AREAS: _area_clicked, Ids.AREA_DOTS: _area_clicked, Ids.AREA_SEARCH: _area_searched,
    Ids.INDICATOR: _indicator_chosen, Ids.CARD_PICK: _card_picked,
    Ids.PERIOD: _period_chosen, Ids.PERIOD_KIND: _period_kind_chosen,
    Ids.PERIOD_LATEST: _latest_period, Ids.PERIOD_REAL: _real_period, Ids.REAL_ONLY: _real_only_switched,
    Ids.MAP_METRIC: _metric_chosen, Ids.COMPARISON: _set_from("cmp"), Ids.LIST_YEAR: _set_from("list"),
    Ids.REGION: _region_chosen, Ids.HOTSPOT_METHOD: _hotspot_method_chosen,
    **{trigger: _layer_toggled(layer) for trigger, layer in TOGGLES.items()},
    Ids.LANG: _language_toggled,
}
#: the step of each pattern-matching id, by its ``type``
TYPED_STEPS = {Ids.OVERVIEW_ITEM: _overview_item, Ids.COMPARE_DATATABLE: _compare_cell}


VIEW_KEYS = ("area", "indicator", "period", "cmp", "layers", "hs", "metric", "list", "region", "real", "lang")


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


def from_history(old: dict | None, new: dict) -> dict:
    """The view the URL (back/forward button) asks for, as a step from the view on screen: only the
    parts that differ are redrawn, and the map follows the area (zoomed to it, or out to the whole
    list when the step goes back to no area)."""
    new = {**new, "changed": changed_keys(old, new)}
    new["zoom"] = new.get("area") is not None if old is None else "area" in new["changed"]
    return new


def layer_view(view: dict, first_load: bool):
    """The view for the point/hotspot layers: only while a layer is on, or when one was switched off
    (by its button or by the back button).

    Those callbacks then never run for a page without layers (and never ask the server for points
    on behalf of a kommun-tier user who cannot switch them on).
    """
    if view.get("layers") or (not first_load and "layers" in view.get("changed", ())):
        return view
    return no_update


COMPARE_KEYS = ("indicator", "period", "cmp", "lang", "list", "region", "real")
#: what the cards (no indicator: the chosen card is marked in the browser) and the trend show
AREA_KEYS = ("area", "period", "cmp", "lang", "list", "region", "real")
TREND_KEYS = ("area", "indicator", "period", "lang", "list")
LAGESBILD_KEYS = ("area", "period", "cmp", "lang", "real", "indicator")  # indicator: the hotspot sentences


def panel_view(view: dict, keys: tuple[str, ...], first_load: bool):
    """The view for a panel that shows ``keys``: passed on only when one of them changed, so a
    click that does not concern the panel costs it no round trip to the server."""
    if first_load or any(k in view.get("changed", ()) for k in keys):
        return view
    return no_update


def compare_view(view: dict, from_url: bool, drawn: dict | None = None, visible: bool = True):
    """The view for the compare table: only when something it shows changed since it was last drawn
    (``drawn``; an area click does not redraw a table of every area), and only while the table is
    on screen (``visible``): a card click far above it changes the indicator, and redrawing a
    table and sixteen charts nobody sees made click 2 eleven times slower than a no-op. Scrolling
    to the table catches up (``assets/lagesbild.js`` sets ``compare-visible``; the clientside
    callback ``compareCatchUp`` passes the view on).
    """
    if drawn is None:  # never drawn (a page load) or no record of it
        if not visible:
            return no_update
        return view if from_url or any(k in view.get("changed", ()) for k in COMPARE_KEYS) else no_update
    changed = [k for k in COMPARE_KEYS if drawn.get(k) != view.get(k)]
    if not changed or not visible:
        return no_update
    return {**view, "changed": changed}


def period_kind_of(period: str | None) -> str:
    from services.periods import kind_of

    return kind_of(period)


def period_controls(view: dict, lang: str) -> dict:
    """What the period controls show for a view: the options of its kind (the period always among
    them), the two default periods of that kind, and the sentence about the period's data."""
    from layout.period_bar import period_note, preset_label
    from services import periods

    period = view.get("period")
    kind = periods.kind_of(period)
    latest, real = (periods.default_period(kind), periods.real_period(kind)) if kind in periods.KINDS else (None, None)
    facts = periods.coverage_of(period) if period else None
    allowed = _viewer_policy().allows_period  # the kommun tier: its grid of periods only
    return {
        "kind": kind,
        "options": [o for o in periods.period_choices(kind, lang, period) if allowed(o["value"])],
        "latest": latest, "real": real,
        "latest_label": preset_label("latest", latest, lang),
        "real_label": preset_label("real", real, lang),
        "note": period_note(period, facts, latest, real, bool(view.get("real")), lang),
    }


def _store_values() -> dict:
    """What a step may need from the store (cached per data version)."""
    from services.page import catalogue
    from services.periods import data_span

    cat = catalogue()
    span = data_span()
    return {"synthetic": set(cat.loc[cat["synthetic"].astype(bool), "id"].astype(str)),
            "newest_month": span[1] if span else None}


def _viewer_policy():
    from callbacks.principal import viewer_policy

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
    Output(Ids.INDICATOR, "options"),
    Output(Ids.PERIOD, "value"),
    Output(Ids.PERIOD, "options"),
    Output(Ids.PERIOD_KIND, "value"),
    Output(Ids.PERIOD_NOTE, "children"),
    Output(Ids.PERIOD_LATEST, "children"),
    Output(Ids.PERIOD_LATEST, "aria-pressed"),
    Output(Ids.PERIOD_REAL, "children"),
    Output(Ids.PERIOD_REAL, "aria-pressed"),
    Output(Ids.REAL_ONLY, "aria-pressed"),
    Output(Ids.COMPARISON, "value"),
    Output(Ids.LIST_YEAR, "value"),
    Output(Ids.REGION, "value"),
    Output(Ids.HOTSPOT_TOGGLE, "aria-pressed"),
    Output(Ids.EVENTS_TOGGLE, "aria-pressed"),
    Output(Ids.POI_TOGGLE, "aria-pressed"),
    Output(Ids.LANG_STORE, "data"),
    Output(Ids.HOTSPOT_METHOD, "value"),
    Output(Ids.MAP_METRIC, "value"),
    Output(Ids.LAYER_VIEW, "data"),
    Output(Ids.COMPARE_VIEW, "data"),
    Output(Ids.PANEL_VIEW, "data"),
    Output(Ids.LAGESBILD_VIEW, "data"),
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
    Input(Ids.PERIOD_LATEST, "n_clicks"),
    Input(Ids.PERIOD_REAL, "n_clicks"),
    Input(Ids.REAL_ONLY, "n_clicks"),
    Input(Ids.COMPARISON, "value"),
    Input(Ids.LIST_YEAR, "value"),
    Input(Ids.REGION, "value"),
    Input(Ids.HOTSPOT_TOGGLE, "n_clicks"),
    Input(Ids.EVENTS_TOGGLE, "n_clicks"),
    Input(Ids.POI_TOGGLE, "n_clicks"),
    Input(Ids.LANG, "n_clicks"),
    Input(Ids.HOTSPOT_METHOD, "value"),
    Input(Ids.MAP_METRIC, "value"),
    State(Ids.VIEW, "data"),
    State(Ids.COMPARE_VIEW, "data"),
    State(Ids.COMPARE_VISIBLE, "data"),
)
def update_view(search, area_click, dot_click, area, indicator, card_pick, overview_clicks, cells, period,
                period_kind, _latest, _real_latest, _real, cmp_, list_year, region, _hot, _ev, _poi, _lang, hs,
                metric, view, compare_drawn=None, compare_visible=None):
    """Turn the trigger into the new view; write it to the URL and back into the controls."""
    from services.page import indicator_options
    from services.periods import default_period, real_period

    n_out = 27
    trigger = ctx.triggered_id
    first_load = view is None or trigger is None
    from_url = first_load or trigger == Ids.URL
    if from_url:
        new = from_history(None if first_load else view, decode(search, defaults()))
        if not first_load and not new["changed"]:
            return (no_update,) * n_out  # the URL we wrote ourselves coming back
    else:
        if isinstance(trigger, dict) and trigger.get("type") == Ids.OVERVIEW_ITEM:
            if not _clicked(ctx.triggered[0]["value"]):  # new items render with n_clicks = 0
                return (no_update,) * n_out
        kind = period_kind_of(view.get("period"))
        values = {"click": area_click if trigger == Ids.AREAS else dot_click, "area": area, "indicator": indicator,
                  "period": period, "period_kind": period_kind, "cmp": cmp_, "list": list_year, "region": region,
                  "cell": next((c for c in (cells or []) if c), None), "hs": hs, "card": card_pick,
                  "metric": metric, **_store_values()}
        if trigger == Ids.PERIOD_LATEST:
            values["latest"] = default_period(kind)
        elif trigger == Ids.PERIOD_REAL:
            values["real_latest"] = real_period(kind)
        new = next_view(view, trigger, values)
        new["changed"] = changed_keys(view, new)
    # the view cut to what the viewer's tier may see (a crafted or shared link included): the URL
    # is then rewritten to what is shown
    asked = {k: v for k, v in new.items() if k != "changed"}
    new = within_policy(new)
    cut = {k: v for k, v in new.items() if k != "changed"} != asked
    if cut:
        new["changed"] = changed_keys(None if from_url else view, new)
    changed = set(new["changed"])
    lang = new.get("lang", "sv")
    layers = new.get("layers") or []
    url_out = no_update if from_url and not cut else encode(new)
    # the layout is drawn in Swedish: on a page load the texts are rewritten only for ?lang=en
    lang_out = lang if (first_load and lang != DRAWN_LANG) or (not first_load and "lang" in changed) else no_update
    periods_out = period_controls(new, lang) if cut or changed & {"period", "lang", "real"} else None

    def echo(value, current):
        """Write a control only when its value changes: an echo would wake its own listeners
        (the list-year control, for one, resends every polygon of the list)."""
        return no_update if value == current else value

    def bar(key):
        return periods_out[key] if periods_out else no_update

    # what the layout already shows on a page load (Swedish, its own period and options) is not sent
    # again: every prop the hub writes costs the browser a render before the map is usable
    as_drawn = first_load and lang == DRAWN_LANG and new.get("period") == period
    options_out = no_update if as_drawn else bar("options")
    indicators_out = (indicator_options(lang, bool(new.get("real")))
                      if (changed & {"lang", "real"}) and not (first_load and lang == DRAWN_LANG and not new.get("real"))
                      else no_update)

    def pressed(key):
        return no_update if not periods_out else str(periods_out[key] == new.get("period")).lower()

    real_only = bool(new.get("real"))
    return (new, url_out, echo(new.get("area"), area), echo(new.get("indicator"), indicator),
            indicators_out,
            echo(new.get("period"), period), options_out, echo(bar("kind"), period_kind) if periods_out else no_update,
            bar("note"), bar("latest_label"), pressed("latest"), bar("real_label"), pressed("real"),
            str(real_only).lower(),
            echo(new.get("cmp", "prev_year"), cmp_), echo(new.get("list"), list_year),
            echo(new.get("region") or "alla", region),
            str("hotspots" in layers).lower(), str("events" in layers).lower(), str("pois" in layers).lower(),
            lang_out, echo(new.get("hs") or "gistar", hs), echo(new.get("metric") or "value", metric),
            layer_view(new, first_load),
            # on a page load the compare table (below the fold) waits until it is scrolled to: it is the
            # heaviest view of the page and the map and panel come first
            compare_view(new, False, compare_drawn, bool(compare_visible)) if first_load
            else compare_view(new, False, compare_drawn, compare_visible is not False),
            panel_view(new, AREA_KEYS + TREND_KEYS, first_load), panel_view(new, LAGESBILD_KEYS, first_load))


# The compare table catches up when it comes into view (the hub skipped it while it was off screen).
clientside_callback(
    ClientsideFunction(namespace="lagesbild", function_name="compareCatchUp"),
    Output(Ids.COMPARE_VIEW, "data", allow_duplicate=True),
    Input(Ids.COMPARE_VISIBLE, "data"),
    State(Ids.VIEW, "data"),
    State(Ids.COMPARE_VIEW, "data"),
    prevent_initial_call=True,
)
