"""Compare view: areas × indicators for a region and period, small multiples, downloads."""

from __future__ import annotations

import logging

from dash import Input, Output, State, callback, dcc, html, no_update

from callbacks.view import COMPARE_KEYS, touches
from ids import Ids
from layout.figures import empty_figure, small_multiples_figure
from layout.panels import compare_table
from layout.strings import t
from reports.spreadsheet import csv_text, xlsx_bytes
from services import page
from services.reports import log_table_export

log = logging.getLogger(__name__)
MAX_COLUMNS = 10


def _ordered_indicators(table, view: dict) -> list[str]:
    ids = list(dict.fromkeys(table["indicator_id"]))
    chosen = view.get("indicator")
    real = [i for i in ids if not table.loc[table["indicator_id"] == i, "synthetic"].iloc[0]]
    ordered = ([chosen] if chosen in ids else []) + [i for i in ids if i != chosen and i not in real] + real
    return ordered[:MAX_COLUMNS]


@callback(
    Output(Ids.COMPARE_TABLE, "children"),
    Output(Ids.SMALL_MULTIPLES, "figure"),
    Input(Ids.COMPARE_VIEW, "data"),
)
def show_compare(view: dict | None):
    """The regional table (FDR across the whole table) and the chosen indicator per area."""
    if not view or not view.get("period") or not touches(view, COMPARE_KEYS):
        return no_update, no_update
    lang, region = view.get("lang", "sv"), view.get("region") or "alla"
    if not page.viewer_policy().cross_area_tables:  # a table of every area would reveal small counts
        msg = t("kommun_no_series", lang)
        return html.P(msg, className="muted"), empty_figure(msg, lang)
    try:
        table = page.compare(region, view["period"], view.get("cmp", "prev_year"), lang, view.get("list"))
        inds = _ordered_indicators(table, view)
        names = dict(zip(table["indicator_id"], table["indicator_name"], strict=False))
        dt = compare_table(table, inds, names, lang)
        note = html.P(("FDR (Benjamini–Hochberg) över alla områden × indikatorer i listan för perioden – "
                       "samma bedömning som på områdets kort. ■ röd, ◆ gul, ● grön, ○ ingen bedömning; "
                       "▲ ökning, ▼ minskning; syntetiska indikatorer är märkta i korten.") if lang == "sv" else
                      ("FDR (Benjamini–Hochberg) across every area × indicator of the list for the period – "
                       "the same verdict as on the area's cards. ■ red, ◆ amber, ● green, ○ not assessed; "
                       "▲ rise, ▼ fall; synthetic indicators are labelled on the cards."), className="muted")
        if view.get("indicator"):
            series = page.small_multiples(region, view["indicator"], view["period"], view.get("list"))
            fig = small_multiples_figure(series, lang, names.get(view["indicator"], view["indicator"]))
        else:
            fig = empty_figure(t("pick_indicator", lang), lang)
        return [note, dt], fig
    except Exception:  # noqa: BLE001
        log.exception("compare failed for %s", view)
        return html.Div(t("error", lang), className="error-text", role="alert"), empty_figure(t("error", lang), lang)


@callback(
    Output(Ids.COMPARE_DOWNLOAD, "data"),
    Input(Ids.COMPARE_CSV, "n_clicks"),
    Input(Ids.COMPARE_XLSX, "n_clicks"),
    State(Ids.VIEW, "data"),
    prevent_initial_call=True,
)
def download_compare(csv_clicks, xlsx_clicks, view):
    """Every number of the compare table as CSV (Swedish Excel) or XLSX, synthetic flag included."""
    from dash import ctx

    if not view or not view.get("period") or not page.viewer_policy().cross_area_tables:
        return no_update
    region, fmt = view.get("region") or "alla", "xlsx" if ctx.triggered_id == Ids.COMPARE_XLSX else "csv"
    table = page.compare(region, view["period"], view.get("cmp", "prev_year"), view.get("lang", "sv"),
                         view.get("list"))  # an unknown region is an InputError: 400 with the reason
    log_table_export("compare", fmt, view["period"], {"region": region, "comparison": view.get("cmp", "prev_year"),
                                                      "list": view.get("list"), "rows": len(table)})
    name = f"lagesbild_jamforelse_{region}_{view['period'].replace(':', '-')}"
    if fmt == "xlsx":
        return dcc.send_bytes(xlsx_bytes({"Jämförelse": table}), f"{name}.xlsx")
    return dcc.send_string(csv_text(table, sep=";", decimal=","), f"{name}.csv")
