"""The landing view's real numbers: the real series summed over the list's areas (issue 16:
opening the page shows real numbers, not only synthetic ones)."""

from __future__ import annotations

from dash import html

from i18n import fmt_number
from layout.panels import CMP_WORD

TEXT = {
    "sv": {"title": "Verkliga serier i listans områden · {period}", "areas": "{n} av {of} områden",
           "none": "Ingen verklig serie är komplett för perioden – välj ”Senaste med verkliga data” ovan.",
           "note": "Summor av områdenas egna serier; bedömningen görs per område (kort och tabell)."},
    "en": {"title": "Real series in the list's areas · {period}", "areas": "{n} of {of} areas",
           "none": "No real series is complete for the period – choose “Latest with real data” above.",
           "note": "Sums of the areas' own series; the verdicts are per area (cards and table)."},
}


def real_totals_block(rows: list[dict], period_label: str, cmp_: str, lang: str) -> html.Div | None:
    """A small table: real indicator, total over the areas with a complete period, the same areas'
    comparison total, how many areas count. None when the store has no real series."""
    if not rows:
        return None
    tx = TEXT["en" if lang == "en" else "sv"]
    shown = [r for r in rows if r["areas"]]
    head = html.H3(tx["title"].format(period=period_label))
    if not shown:
        return html.Div([head, html.P(tx["none"], className="muted")], className="real-totals", id="real-totals")
    word = CMP_WORD["en" if lang == "en" else "sv"].get(cmp_, "")
    body = []
    for r in shown:
        ref = "" if r["reference"] is None else (
            f"{'mot' if lang == 'sv' else 'vs'} {fmt_number(r['reference'], lang, 0)} {word}")
        body.append(html.Tr([html.Th(r["name"], scope="row"), html.Td(fmt_number(r["total"], lang, 0), className="num"),
                             html.Td(ref, className="muted"),
                             html.Td(tx["areas"].format(n=r["areas"], of=r["of"]), className="muted")]))
    return html.Div([head, html.Table(html.Tbody(body), className="real-totals-table"),
                     html.P(tx["note"], className="muted small")], className="real-totals", id="real-totals")
