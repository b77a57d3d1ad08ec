"""Area panel (overview or indicator cards), lägesbild summary and the trend chart.

The cards and the trend chart are one callback (both are fast and change together on clicks 1 and
2): every callback costs the browser a round of bookkeeping, so an area click sets off as few as
possible. The lägesbild stays apart: it is the slow one when nothing is precomputed, and the cards
should not wait for it.
"""

from __future__ import annotations

import logging

from dash import ClientsideFunction, Input, Output, callback, clientside_callback, html, no_update

from callbacks.principal import viewer_policy, viewer_tier
from callbacks.view import AREA_KEYS, LAGESBILD_KEYS, TREND_KEYS, touches
from ids import Ids
from indicators.calendar import parse_period
from layout.figures import empty_figure, trend_figure
from layout.landing import real_totals_block
from layout.panels import area_header, card_data, coverage_line, kommun_table, overview_list
from layout.strings import t
from layout.summary import lagesbild_block
from reports.disclosure import DisclosureRefused
from services import page
from services.cache import memoize
from services.context import data_version, engine

log = logging.getLogger(__name__)
# the cards do not depend on the indicator: the chosen card is marked in the browser (markSelected);
# the hub passes the view to these panels (PANEL_VIEW, LAGESBILD_VIEW) only when their keys change


def _error(lang: str) -> html.Div:
    return html.Div(t("error", lang), className="error-text", role="alert")


@callback(
    Output(Ids.AREA_HEAD, "children"),
    Output(Ids.CARDS_DATA, "data"),
    Output(Ids.TREND, "figure"),
    Output(Ids.TREND_CARD, "className"),
    Input(Ids.PANEL_VIEW, "data"),
)
def show_area_and_trend(view: dict | None):
    """Clicks 1 and 2: the area's cards and the chosen indicator's trend, each only when it changes."""
    return (*area_panel(view), trend(view), trend_card_class(view))


def trend_card_class(view: dict | None):
    """The trend card folds to one line while there is no trend to show (no area or no indicator)."""
    if not touches(view, ("area", "indicator")):
        return no_update
    if viewer_tier() == "kommun":  # its chart says the series are for the police version only
        return "trend-card" if view.get("area") else "trend-card idle"
    return "trend-card" if view.get("area") and view.get("indicator") else "trend-card idle"


def _visible(indicators: list[dict], view: dict) -> list[dict]:
    """The indicators to show: every one, or only the real ones (the "endast verkliga data" switch)."""
    return [i for i in indicators if not i.get("synthetic")] if view.get("real") else indicators


def _no_data_note(view: dict, lang: str):
    """A line saying the period has no data at all (a link to a future or too early period)."""
    from services.periods import coverage_of

    if coverage_of(view["period"])["has_data"]:
        return None
    return html.P(t("no_period_data", lang, period=parse_period(view["period"]).label_for(lang)),
                  className="no-period-data", role="status")


clientside_callback(
    ClientsideFunction(namespace="lagesbild", function_name="renderCards"),
    Output(Ids.INDICATOR_CARDS, "className"),
    Input(Ids.CARDS_DATA, "data"),
)

# Click 2 marks the chosen card in the browser: the cards are not sent again for it (the output is
# never written; the function returns no_update).
clientside_callback(
    ClientsideFunction(namespace="lagesbild", function_name="markSelected"),
    Output(Ids.INDICATOR_CARDS, "title"),
    Input(Ids.PANEL_VIEW, "data"),
    prevent_initial_call=True,
)


def area_panel(view: dict | None) -> tuple:
    """Click 1: the area's header, coverage line and indicator cards (as data for
    ``renderCards``), or the overview of changes; ``(no_update, no_update)`` when the view change
    does not concern them."""
    if not view or not view.get("period") or not touches(view, AREA_KEYS):
        return no_update, no_update
    lang, period, cmp_ = view.get("lang", "sv"), view["period"], view.get("cmp", "prev_year")
    try:
        if viewer_policy().suppresses:  # the kommun tier's table, whatever is asked
            if not view.get("area"):
                return html.P(t("pick_area", lang)), []
            area, rows, empty_note = page.kommun_rows(view["area"], period, cmp_, lang)
            return kommun_table(area, rows, lang, period, empty_note), []
        note = _no_data_note(view, lang)
        if not view.get("area"):
            table = page.compare(view.get("region") or "alla", period, cmp_, lang, view.get("list"),
                                 real_only=bool(view.get("real")))
            rows = page.overview(period, cmp_, lang, view.get("list"), view.get("region"), table=table)
            title = t("overview", lang) + f" · {period}"
            totals = real_totals_block(page.real_totals(period, cmp_, lang, view.get("list"), view.get("region"),
                                                        table=table), parse_period(period).label_for(lang), cmp_, lang)
            return [html.P(t("pick_area", lang)), note, totals, overview_list(rows, lang, title)], []
        summary = page.summary(view["area"], period, cmp_, lang, view.get("list"))
        summary = {**summary, "indicators": _visible(summary["indicators"], view)}
        sparks = page.sparklines(view["area"], period, view.get("list"))
        order = {"red": 0, "amber": 1, "green": 2, "grey": 3}
        ranked = sorted(summary["indicators"], key=lambda i: (order.get(i.get("rag"), 3), i["name"]))
        cards = [card_data(ind, cmp_, lang, ind["id"] == view.get("indicator"), sparks.get(ind["id"], []))
                 for ind in ranked]
        return [area_header(summary, lang, view.get("list")), note, coverage_line(summary, lang)], cards
    except DisclosureRefused as exc:  # a period the tier may not see: say why
        return html.P(exc.message(lang), className="muted", role="status"), []
    except Exception:  # noqa: BLE001 - a friendly message, the trace goes to the log
        log.exception("area panel failed for %s", view)
        return _error(lang), []


@callback(Output(Ids.LAGESBILD, "children"), Input(Ids.LAGESBILD_VIEW, "data"), Input(Ids.NOTES_SAVED, "data"))
def show_lagesbild(view: dict | None, _saved=None):
    """The written lägesbild (4P) for the area: the same facts as the exported report, each
    section with its note (redrawn at once when a note is saved)."""
    from dash import ctx

    saved = ctx.triggered_id == Ids.NOTES_SAVED
    if not view or not view.get("period") or not (saved or touches(view, LAGESBILD_KEYS)):
        return no_update
    lang = view.get("lang", "sv")
    if not view.get("area"):
        return html.P(t("pick_area", lang), className="muted")
    try:
        tier = viewer_tier()
        facts, notes = page.lagesbild(view["area"], view["period"], view.get("cmp", "prev_year"), lang, tier,
                                      indicator=view.get("indicator"), real_only=bool(view.get("real")))
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
    if not viewer_policy().monthly_series:
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
        eng = engine()
        return _trend_chart(str(eng.url), data_version(eng), str(view["area"]), view["indicator"],
                            parse_period(view["period"]).label, view.get("list"), lang)
    except Exception:  # noqa: BLE001
        log.exception("trend failed for %s", view)
        return empty_figure(t("error", lang), lang)


@memoize(maxsize=512)
def _trend_chart(url: str, version: int, area_id: str, indicator_id: str, period: str, list_year: int | None,
                 lang: str) -> dict:
    """The trend chart as plotly JSON, memoised per data version: building the plotly figure is most
    of what click 2 costs on the server, and a card clicked again costs nothing."""
    data = page.trend(area_id, indicator_id, period, list_year)
    if data["series"]["value"].notna().sum() == 0:
        return empty_figure(t("no_data", lang), lang)
    name = data["meta"][f"name_{lang}"]
    return trend_figure(data, lang, name).to_plotly_json()
