"""Factories for the area panel: header, indicator cards, coverage line, overview, kommun table
(the compare view is ``layout/compare.py``)."""

from __future__ import annotations

from dash import html

from i18n import fmt_number, fmt_p
from ids import Ids
from layers.areas import CATEGORY_LABELS
from layout.figures import fmt_value, sparkline_svg
from reports.facts import verdict
from texts import by_prefix, t

#: the colour's shape (colour is never the only cue); the direction of a change is its own arrow
#: (▲ rise, ▼ fall), drawn beside the comparison: a red fall reads "■ Röd … ▼"
RAG_ICON = {"red": "■", "amber": "◆", "green": "●", "grey": "○"}


def p_text(p: float | None, lang: str) -> str:
    """``p = 0,013`` or ``p < 0,001`` (never ``p = < 0,001``)."""
    text = fmt_p(p, lang)
    return f"p {text}" if text.startswith("<") else f"p\u00a0=\u00a0{text}"


def q_text(q: float | None, lang: str) -> str:
    """``justerat p = 0,013`` / ``adjusted p < 0,001``: the FDR-adjusted p-value, always labelled
    (the raw p of the test is in the reason sentence)."""
    return t("page.adjusted_p", lang, p=p_text(q, lang))


def _reference(row) -> float | None:  # noqa: ANN001
    """The value a verdict compared with (``reference`` of the verdict table)."""
    for field in ("reference", "previous", "baseline"):
        v = getattr(row, field, None)
        if v is not None and v == v:
            return v
    return None


def rag_label(rag: str | None, lang: str) -> str:
    rag = rag or "grey"
    return f"{RAG_ICON[rag]} {t(f'page.rag_label.{rag}', lang)}"


def comparison_value(ind: dict, cmp_: str):
    return {"prev_year": ind.get("previous"), "baseline": ind.get("baseline"), "target": ind.get("target")}.get(cmp_)


def card_data(ind: dict, cmp_: str, lang: str, selected: bool, spark: list[float]) -> dict:
    """What one indicator card shows: name, value, comparison, RAG (icon and word) with its verdict
    and reason, 36-month sparkline. Plain data: ``assets/lagesbild.js`` (``renderCards``) draws the
    cards as text nodes, twenty cards in one step instead of a hundred-odd Dash components, which
    is what an area click used to spend most of its time on in the browser.
    """
    unit = ind.get("unit") or "count"
    ref = comparison_value(ind, cmp_)
    change = ind.get("change")
    arrow = ind.get("arrow") or ""
    change_txt = "" if change is None else (arrow + " " if arrow else "") + (
        fmt_number(change, lang, 0 if unit == "count" else 1) if change < 0 else "+" + fmt_number(change, lang, 0 if unit == "count" else 1))
    rag = ind.get("rag") or "grey"
    value = fmt_value(ind.get("value"), unit, lang)
    estimate = (ind.get("nowcast") or {}).get("period")
    if estimate:  # months still being registered: the estimate, marked as one (never a verdict)
        value = f"≈\u00a0{estimate['estimate']} ({estimate['lo90']}–{estimate['hi90']})"
    preliminary = bool(ind.get("preliminary"))
    if preliminary and ind.get("value_preliminary") is not None:  # the period with its preliminary months
        value = fmt_value(ind["value_preliminary"], unit, lang)
    revision = (ind.get("revision") or {}).get("text")
    return {
        "id": ind["id"],
        "name": ind["name"],
        "synthetic": t("page.badge.synthetic", lang) if ind.get("synthetic") else None,
        "value": value,
        "cmp": t("page.card.cmp", lang, reference=fmt_value(ref, unit, lang),
                 comparison=by_prefix("page.cmp_word.", lang)[cmp_]) + (f" ({change_txt})" if change_txt else ""),
        "rag": rag,
        "rag_label": rag_label(rag, lang),
        # the card of a real series that ended before the period (``services.page.mark_ended``)
        "verdict": (t("page.card.ended", lang, month=ind["ended"]) if ind.get("ended")
                    else verdict(ind, cmp_, lang)),  # the words of the PDF/DOCX report, target included
        "reason": (ind.get("coverage_note") if estimate or preliminary else "\n".join(
            x for x in (ind.get("reason"), ind.get("source") and
                        t("page.card.source", lang, source=ind["source"])) if x)) or "",
        # a preliminary period is shown grey and marked, never red/green (it is not tested)
        "preliminary": t("page.badge.preliminary", lang) if preliminary else None,
        "revision": revision or None,  # "reviderat +3 sedan 2026-03-02 (var 12)"
        "selected": bool(selected),
        "spark": sparkline_svg(spark),
    }


def area_header(summary: dict, lang: str, list_year: int | None) -> html.Div:
    a = summary["area"]
    cat = CATEGORY_LABELS[lang].get(a.get("category"), a.get("category"))
    pop = a.get("population")
    meta = " · ".join(x for x in (cat, a.get("kommun"), f"LPO {a['lpo']}" if a.get("lpo") else None,
                                   t("page.area.region", lang, region=a["region"]) if a.get("region") else None,
                                   (t("page.area.population", lang, population=fmt_number(pop, lang)) if pop else
                                    t("page.area.population_unknown", lang))) if x)
    real = (a.get("real_series") or {}).get("note")  # which DeSOs the real offence series count, or why none
    return html.Div([html.H2(a["name"], className="area-title"), html.Div(meta, className="area-meta"),
                     html.Div(real, className="area-meta real-series muted", id="real-series-note") if real else None])


def coverage_line(summary: dict, lang: str) -> html.Div:
    inds = summary["indicators"]
    complete = sum(1 for i in inds if i.get("complete"))
    notes = sorted({i["coverage_note"] for i in inds if i.get("coverage_note")})
    synthetic = sum(1 for i in inds if i.get("synthetic"))
    text = t("page.coverage", lang, period=summary.get("period_label", summary["period"]), complete=complete,
             total=len(inds))
    extra = t("page.coverage.synthetic", lang, n=synthetic) if synthetic else ""
    return html.Div([text + extra + ".", html.Br() if notes else None,
                     html.Span(" · ".join(notes[:3]), className="muted") if notes else None],
                    className="coverage", id=Ids.COVERAGE_LINE)


def overview_list(rows, lang: str, title: str) -> html.Div:
    items = []
    for r in rows.itertuples():
        rag = r.rag
        items.append(html.Li(html.Button(
            [html.Span(rag_label(rag, lang), className=f"badge {rag}"), " ",
             html.Strong(f"{r.area_name}: "), f"{r.indicator_name} ",
             html.Span(t("page.overview.item", lang, value=fmt_number(r.value, lang, 0),
                         reference=fmt_number(_reference(r), lang, 0), arrow=r.arrow or "",
                         q=q_text(r.p_adjusted, lang)), className="muted")],
            id={"type": Ids.OVERVIEW_ITEM, "area": str(r.area_id), "indicator": r.indicator_id},
            className="link-button", n_clicks=0, title=r.reason)))
    if not items:
        items = [html.Li(t("page.overview.none", lang))]
    return html.Div([html.H3(title), html.Ul(items, className="overview")])


def kommun_table(area: dict, rows: list[dict], lang: str, period_label: str, empty_note: str = "") -> html.Div:
    """The kommun tier's indicator table: aggregates only, small counts shown as "<5"; the
    indicators with no figure to show are named in ``empty_note`` below it (as in the exports)."""
    head = [t(f"page.kommun_table.{k}", lang) for k in ("indicator", "value", "comparison", "change", "assessment")]
    body = [html.Tr([html.Td([r["name"], html.Span(" " + t("page.badge.synthetic", lang), className="badge synthetic")
                              if r["synthetic"] else None]),
                     html.Td(r["value"]), html.Td(r["reference"]), html.Td(r["change"]),
                     html.Td(r.get("verdict", ".."), className="assessment")]) for r in rows]
    return html.Div([
        html.H2(area["name"], className="area-title"),
        html.P(t("page.kommun_table.note", lang), className="tier-note"),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)], className="kommun-table"),
        html.P(empty_note, className="muted kommun-empty") if empty_note else None,
        html.P(period_label, className="muted"),
    ])
