"""Compare view: the areas × indicators table for one to three periods, its column chooser, small
multiples of every area, and the downloads.

The hub (``callbacks/view.py``) hands over ``compare-view-state`` only when something the table
shows changes; the chooser, the period count and the download shape are this view's own controls.
Sorting, tooltips, the selected cell's reason and the small multiples' highlight run in the
browser (``assets/compare.js``): none of them needs the server.
"""

from __future__ import annotations

import logging

from dash import (
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

from callbacks.principal import viewer, viewer_policy
from ids import Ids
from layout import compare as view_
from layout.strings import t
from reports import compare_export as export
from services import compare as data
from services.reports import log_table_export

log = logging.getLogger(__name__)


def _lang(view: dict | None) -> str:
    return (view or {}).get("lang") or "sv"


def _kommun() -> bool:
    """True when the viewer's disclosure policy allows no table of every area (the kommun tier)."""
    return not viewer_policy().cross_area_tables


# --------------------------------------------------------------------------- the column chooser
def chooser_state(view: dict | None, trigger, real: list[str] | None, synthetic: list[str] | None):
    """(real options, synthetic options, real value, synthetic value) for the chooser; a value is
    ``no_update`` when it does not change (so the table is not drawn twice)."""
    lang = _lang(view)
    cols = data.indicator_columns(lang)
    real_opts, syn_opts = view_.column_options(cols)
    real_ids = [o["value"] for o in real_opts]
    syn_ids = [o["value"] for o in syn_opts]
    chosen = (view or {}).get("indicator")
    if real is None and synthetic is None:  # first draw: every real series (+ the chosen indicator)
        wanted = data.default_columns(lang, chosen)
    elif trigger == Ids.COMPARE_ONLY_REAL:
        wanted = real_ids
    elif trigger == Ids.COMPARE_ALL_COLUMNS:
        wanted = real_ids + syn_ids
    else:
        wanted = list(real or []) + list(synthetic or [])
        changed = (view or {}).get("changed") or ()
        if trigger == Ids.COMPARE_VIEW and "indicator" in changed and chosen and chosen not in wanted:
            wanted.append(chosen)  # a card or cell picked elsewhere: its column is shown
    new_real = [i for i in real_ids if i in wanted]
    new_syn = [i for i in syn_ids if i in wanted]
    return (real_opts, syn_opts, no_update if new_real == real else new_real,
            no_update if new_syn == synthetic else new_syn)


@callback(
    Output(Ids.COMPARE_REAL, "options"),
    Output(Ids.COMPARE_SYNTHETIC, "options"),
    Output(Ids.COMPARE_REAL, "value"),
    Output(Ids.COMPARE_SYNTHETIC, "value"),
    Output(Ids.COMPARE_PERIODS, "options"),
    Output(Ids.COMPARE_SHAPE, "options"),
    Input(Ids.COMPARE_VIEW, "data"),
    Input(Ids.COMPARE_ONLY_REAL, "n_clicks"),
    Input(Ids.COMPARE_ALL_COLUMNS, "n_clicks"),
    State(Ids.COMPARE_REAL, "value"),
    State(Ids.COMPARE_SYNTHETIC, "value"),
)
def choose_columns(view, _only_real, _all, real, synthetic):
    """The chooser's options (in the view's language) and which columns are ticked."""
    if not view:  # not drawn yet (the view comes when the table is scrolled to): nothing chosen yet
        return no_update, no_update, no_update, no_update, no_update, no_update
    if _kommun():
        return [], [], [], [], no_update, no_update
    periods, shapes = view_.radio_options(_lang(view))
    return (*chooser_state(view, ctx.triggered_id, real, synthetic), periods, shapes)


# --------------------------------------------------------------------------- the table
def table_props(view: dict, real: list[str] | None, synthetic: list[str] | None, n_periods: int,
                sort_by: list[dict] | None) -> dict:
    """Everything the grid and its notes show for a view (pure apart from the memoised reads)."""
    lang = _lang(view)
    region = view.get("region") or "alla"
    period = view["period"]
    every = data.indicator_columns(lang)
    wanted = list(real or []) + list(synthetic or [])
    shown = data.ordered_columns(wanted, lang)
    tables = data.tables(region, period, view.get("cmp", "prev_year"), lang, view.get("list"), n_periods)
    selected = tables[-1][0]
    props = view_.grid_props(tables, shown, lang, selected, with_region=region == "alla")
    props["data"] = view_.sort_rows(props["data"], sort_by)
    n_areas = len(props["data"])
    props["count"] = view_.count_text(shown, every, len(tables), n_areas, lang)
    props["summary"] = view_.summary_text(len(shown), len(every), lang)
    props["note"] = view_.legend_note(len(tables), lang)
    props["tables"], props["shown"] = tables, shown
    return props


GRID_PROPS = ("data", "columns", "style_data_conditional", "style_header_conditional", "tooltip_header")


@callback(
    *(Output(Ids.COMPARE_GRID, p) for p in GRID_PROPS),
    Output(Ids.COMPARE_NOTE, "children"),
    Output(Ids.COMPARE_COUNT, "children"),
    Output(Ids.COMPARE_COLUMNS_SUMMARY, "children"),
    Input(Ids.COMPARE_VIEW, "data"),
    Input(Ids.COMPARE_REAL, "value"),
    Input(Ids.COMPARE_SYNTHETIC, "value"),
    Input(Ids.COMPARE_PERIODS, "value"),
    State(Ids.COMPARE_GRID, "sort_by"),
)
def show_compare(view: dict | None, real, synthetic, n_periods, sort_by):
    """The regional table (FDR across the whole list, per period), sorted as the user left it."""
    if not view or not view.get("period") or (real is None and synthetic is None):
        return (no_update,) * 8
    lang = _lang(view)
    if _kommun():  # a table of every area would reveal small counts
        return [], [], [], [], {}, t("kommun_no_series", lang), "", no_update
    try:
        p = table_props(view, real, synthetic, n_periods or 1, sort_by)
    except Exception:  # noqa: BLE001
        log.exception("compare failed for %s", view)
        return [], [], [], [], {}, t("error", lang), "", no_update
    return (*(p[k] for k in GRID_PROPS), p["note"], p["count"], p["summary"])


# --------------------------------------------------------------------------- small multiples
@callback(
    Output(Ids.SMALL_MULTIPLES, "children"),
    Output(Ids.SMALL_MULTIPLES_NOTE, "children"),
    Input(Ids.COMPARE_VIEW, "data"),
    State(Ids.VIEW, "data"),
)
def show_multiples(view: dict | None, current: dict | None):
    """The chosen indicator for every area of the selection, sorted by its verdict; the selected
    area highlighted."""
    if not view or not view.get("period"):
        return no_update, no_update
    lang = _lang(view)
    if _kommun():
        return [], t("kommun_no_series", lang)
    every = {c.id: c for c in data.indicator_columns(lang)}
    indicator = view.get("indicator")
    if indicator not in every:
        return [], t("pick_indicator", lang)
    try:
        from indicators.calendar import parse_period

        region = view.get("region") or "alla"
        period = view["period"]
        panels = data.small_multiples(region, indicator, period, view.get("cmp", "prev_year"), lang,
                                      view.get("list"))
        p = parse_period(period)
        col = every[indicator]
        grid = view_.small_multiples_grid(panels, p.first, p.last, col.name,
                                          view_.unit_label(col.name, col.unit, lang), (current or {}).get("area"),
                                          lang)
        return grid, view_.multiples_note(panels, col.name, p.label_for(lang), region, None, lang)
    except Exception:  # noqa: BLE001
        log.exception("small multiples failed for %s", view)
        return [], t("error", lang)


# --------------------------------------------------------------------------- downloads
def download_file(view: dict, real, synthetic, n_periods: int, shape: str, sort_by, fmt: str):
    """(bytes, file name) of the table as shown or the long format, as CSV or XLSX."""
    lang = _lang(view)
    p = table_props(view, real, synthetic, n_periods or 1, sort_by)
    order = [r["id"] for r in p["data"]]
    version = data.current_data_version()
    cmp_ = view.get("cmp", "prev_year")
    if shape == "long":
        frame = export.long_frame(p["tables"], order, cmp_, version, lang)
    else:
        frame = export.shown_frame(p["tables"], [(c.id, c.name, c.unit) for c in p["shown"]], order, cmp_,
                                   version, lang)
    region = view.get("region") or "alla"
    name = export.filename(region, view["period"], shape, fmt)
    if fmt == "xlsx":
        shown_ids = {c.id for c in p["shown"]}
        hidden = [c.name for c in data.indicator_columns(lang) if c.id not in shown_ids] if shape == "shown" else []
        about = export.about_rows(region, [q for q, _ in p["tables"]], cmp_, version, shape, hidden, lang)
        return export.to_xlsx(frame, about, lang), name
    return export.to_csv(frame, lang), name


@callback(
    Output(Ids.COMPARE_DOWNLOAD, "data"),
    Input(Ids.COMPARE_CSV, "n_clicks"),
    Input(Ids.COMPARE_XLSX, "n_clicks"),
    State(Ids.VIEW, "data"),
    State(Ids.COMPARE_REAL, "value"),
    State(Ids.COMPARE_SYNTHETIC, "value"),
    State(Ids.COMPARE_PERIODS, "value"),
    State(Ids.COMPARE_SHAPE, "value"),
    State(Ids.COMPARE_GRID, "sort_by"),
    prevent_initial_call=True,
)
def download_compare(_csv, _xlsx, view, real, synthetic, n_periods, shape, sort_by):
    """The table as shown (or the long format) as Swedish Excel CSV or XLSX; logged as an export."""
    if not view or not view.get("period") or _kommun():
        return no_update
    fmt = "xlsx" if ctx.triggered_id == Ids.COMPARE_XLSX else "csv"
    content, name = download_file(view, real, synthetic, n_periods, shape or "shown", sort_by, fmt)
    # the audit row first: when it cannot be written the file is not sent (503)
    log_table_export("compare", fmt, view["period"], user=viewer().name, detail=
                     {"shape": shape or "shown", "region": view.get("region") or "alla",
                      "periods": n_periods or 1, "comparison": view.get("cmp", "prev_year"),
                      "list": view.get("list")})
    return dcc.send_bytes(content, name)


# --------------------------------------------------------------------------- in the browser
# sort by the numbers (never the text shown); the server keeps the order when it redraws
clientside_callback(
    ClientsideFunction(namespace="compare", function_name="sortRows"),
    Output(Ids.COMPARE_GRID, "data", allow_duplicate=True),
    Input(Ids.COMPARE_GRID, "sort_by"),
    State(Ids.COMPARE_GRID, "data"),
    prevent_initial_call=True,
)
# every cell's tooltip: its verdict's reason (carried in the row as ``<col>__tip``)
clientside_callback(
    ClientsideFunction(namespace="compare", function_name="tooltips"),
    Output(Ids.COMPARE_GRID, "tooltip_data"),
    Input(Ids.COMPARE_GRID, "data"),
)
# a click on a cell: its reason in words under the table, and the bare area and indicator ids to
# the hub (which selects them everywhere)
clientside_callback(
    ClientsideFunction(namespace="compare", function_name="cellPicked"),
    Output({"type": Ids.COMPARE_DATATABLE, "id": "main"}, "active_cell"),
    Output(Ids.COMPARE_CELL_INFO, "children"),
    Input(Ids.COMPARE_GRID, "active_cell"),
    State(Ids.COMPARE_GRID, "data"),
    prevent_initial_call=True,
)
# the selected area in the small multiples: its panel's class moves, nothing is redrawn
clientside_callback(
    ClientsideFunction(namespace="compare", function_name="highlight"),
    Output(Ids.SMALL_MULTIPLES_MARK, "children"),
    Input(Ids.VIEW, "data"),
    Input(Ids.SMALL_MULTIPLES, "children"),
)
