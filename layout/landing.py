"""The landing view's real numbers: the real series summed over the list's areas (issue 16:
opening the page shows real numbers, not only synthetic ones)."""

from __future__ import annotations

from dash import html

from i18n import fmt_number
from layout.strings import t
from texts import by_prefix


def real_totals_block(rows: list[dict], period_label: str, cmp_: str, lang: str) -> html.Div | None:
    """A small table: real indicator, total over the areas with a complete period, the same areas'
    comparison total, how many areas count. None when the store has no real series."""
    if not rows:
        return None
    shown = [r for r in rows if r["areas"]]
    head = html.H3(t("landing.title", lang, period=period_label))
    if not shown:
        return html.Div([head, html.P(t("landing.none", lang), className="muted")], className="real-totals", id="real-totals")
    word = by_prefix("page.cmp_word.", lang).get(cmp_, "")
    body = []
    for r in shown:
        ref = "" if r["reference"] is None else t("card.cmp", lang, reference=fmt_number(r["reference"], lang, 0),
                                                  comparison=word)
        body.append(html.Tr([html.Th(r["name"], scope="row"), html.Td(fmt_number(r["total"], lang, 0), className="num"),
                             html.Td(ref, className="muted"),
                             html.Td(t("landing.areas", lang, n=r["areas"], of=r["of"]), className="muted")]))
    return html.Div([head, html.Table(html.Tbody(body), className="real-totals-table"),
                     html.P(t("landing.note", lang), className="muted small")], className="real-totals", id="real-totals")
