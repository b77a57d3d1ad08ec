"""Area panel (overview or indicator cards), lägesbild summary and the trend chart.

The cards and the trend chart are one callback (both are fast and change together on clicks 1 and
2): every callback costs the browser a round of bookkeeping, so an area click sets off as few as
possible. The lägesbild stays apart: it is the slow one when nothing is precomputed, and the cards
should not wait for it.
"""

from __future__ import annotations

import logging

from dash import ClientsideFunction, Input, Output, callback, clientside_callback, html, no_update

from callbacks.view import touches
from ids import Ids
from layout.figures import empty_figure, trend_figure
from layout.panels import area_header, card_data, coverage_line, kommun_table, overview_list
from layout.strings import t
from layout.summary import lagesbild_block
from reports.disclosure import DisclosureRefused
from services import page

log = logging.getLogger(__name__)
AREA_KEYS = ("area", "indicator", "period", "cmp", "lang", "list", "region")
TREND_KEYS = ("area", "indicator", "period", "lang", "list")
LAGESBILD_KEYS = ("area", "period", "cmp", "lang", "indicator")  # indicator: the hotspot sentences


def _error(lang: str) -> html.Div:
    return html.Div(t("error", lang), className="error-text", role="alert")


@callback(
    Output(Ids.AREA_HEAD, "children"),
    Output(Ids.CARDS_DATA, "data"),
    Output(Ids.TREND, "figure"),
    Input(Ids.VIEW, "data"),
)
def show_area_and_trend(view: dict | None):
    """Clicks 1 and 2: the area's cards and the chosen indicator's trend, each only when it changes."""
    return (*area_panel(view), trend(view))


clientside_callback(
    ClientsideFunction(namespace="lagesbild", function_name="renderCards"),
    Output(Ids.INDICATOR_CARDS, "className"),
    Input(Ids.CARDS_DATA, "data"),
)


def area_panel(view: dict | None) -> tuple:
    """Click 1: the area's header, coverage line and indicator cards (as data for
    ``renderCards``), or the overview of changes; ``(no_update, no_update)`` when the view change
    does not concern them."""
    if not view or not view.get("period") or not touches(view, AREA_KEYS):
        return no_update, no_update
    lang, period, cmp_ = view.get("lang", "sv"), view["period"], view.get("cmp", "prev_year")
    try:
        if page.viewer_policy().suppresses:  # the kommun tier's table, whatever is asked
            if not view.get("area"):
                return html.P(t("pick_area", lang)), []
            area, rows = page.kommun_rows(view["area"], period, cmp_, lang)
            return kommun_table(area, rows, lang, period), []
        if not view.get("area"):
            rows = page.overview(period, cmp_, lang, view.get("list"), view.get("region"))
            title = t("overview", lang) + f" · {period}"
            return [html.P(t("pick_area", lang)), overview_list(rows, lang, title)], []
        summary = page.summary(view["area"], period, cmp_, lang, view.get("list"))
        sparks = page.sparklines(view["area"], period, view.get("list"))
        order = {"red": 0, "amber": 1, "green": 2, "grey": 3}
        ranked = sorted(summary["indicators"], key=lambda i: (order.get(i.get("rag"), 3), i["name"]))
        cards = [card_data(ind, cmp_, lang, ind["id"] == view.get("indicator"), sparks.get(ind["id"], []))
                 for ind in ranked]
        return [area_header(summary, lang, view.get("list")), coverage_line(summary, lang)], cards
    except DisclosureRefused as exc:  # a period the tier may not see: say why
        return html.P(exc.message(lang), className="muted", role="status"), []
    except Exception:  # noqa: BLE001 - a friendly message, the trace goes to the log
        log.exception("area panel failed for %s", view)
        return _error(lang), []


@callback(Output(Ids.LAGESBILD, "children"), Input(Ids.VIEW, "data"))
def show_lagesbild(view: dict | None):
    """The written lägesbild (4P) for the area: the same facts as the exported report."""
    if not view or not view.get("period") or not touches(view, LAGESBILD_KEYS):
        return no_update
    lang = view.get("lang", "sv")
    if not view.get("area"):
        return html.P(t("pick_area", lang), className="muted")
    try:
        tier = page.viewer_tier()
        facts, notes = page.lagesbild(view["area"], view["period"], view.get("cmp", "prev_year"), lang, tier,
                                      view.get("indicator"))
        return lagesbild_block(facts, notes, lang, tier)
    except DisclosureRefused as exc:
        return html.P(exc.message(lang), className="muted", role="status")
    except Exception:  # noqa: BLE001
        log.exception("lägesbild failed for %s", view)
        return _error(lang)


def trend(view: dict | None):
    """Click 2: the chosen indicator month by month for the area."""
    if not touches(view, TREND_KEYS):
        return no_update
    lang = view.get("lang", "sv")
    if not page.viewer_policy().monthly_series:
        return empty_figure(t("kommun_no_series", lang), lang)
    if not view.get("area") or not view.get("indicator"):
        # one empty chart for "no area" and "no indicator": when it is already showing (an area
        # click with no indicator chosen), leave it — a plotly redraw is not free in the browser
        changed = view.get("changed")
        if changed is not None and not {"indicator", "lang"} & set(changed) \
                and not (view.get("indicator") and "area" in changed):
            return no_update
        return empty_figure(t("pick_trend", lang), lang)
    try:
        data = page.trend(view["area"], view["indicator"], view["period"], view.get("list"))
    except Exception:  # noqa: BLE001
        log.exception("trend failed for %s", view)
        return empty_figure(t("error", lang), lang)
    if data["series"]["value"].notna().sum() == 0:
        return empty_figure(t("no_data", lang), lang)
    name = data["meta"]["name_sv" if lang == "sv" else "name_en"]
    return trend_figure(data, lang, name)
