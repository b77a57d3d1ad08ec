"""The lägesbild panel on the page: the same 4P facts as the exported report, plus human notes."""

from __future__ import annotations

from dash import html

from layout.strings import t

#: the sections of the panel in order (their titles: the catalogue's ``page.summary.section.<key>``)
SECTIONS = ("framsteg", "problem", "prioriteringar", "atgarder", "hypotheses", "caveats")


def _note_item(n) -> html.Li:
    """One analyst note: its text, who wrote it and when (internal ones marked)."""
    return html.Li([n.text, html.Span(f" — {n.author}, {n.created_at:%Y-%m-%d}" + (" · INTERN" if n.internal else ""),
                                      className="muted")], className="note")


def lagesbild_block(facts: dict, notes: tuple, lang: str, tier: str) -> html.Div:
    """4P facts (generated, each traceable to a number), each section followed by the analysts'
    note for it (marked as written by the police, kept apart from the generated facts)."""
    by_section: dict[str, list] = {}
    for n in notes:
        if (n.text or "").strip():
            by_section.setdefault(n.section, []).append(n)
    children = []
    if tier == "kommun":
        children.append(html.P(t("summary.kommun", lang), className="tier-note"))
    for key in SECTIONS:
        items = facts.get(key) or []
        own = by_section.pop(key, [])
        if not items and not own:
            continue
        body = [html.H3(t(f"summary.section.{key}", lang))]
        if items:
            body.append(html.Ul([html.Li(f.text, **{"data-kind": f.kind}) for f in items]))
        if own:
            body.append(html.Div([html.Div(t("summary.note_label", lang), className="note-label"),
                                  html.Ul([_note_item(n) for n in own])],
                                 className="section-notes", **{"data-section": key}))
        children.append(html.Section(body, className=f"fourp fourp-{key}", **{"data-section": key}))
    for f in facts.get("footnote") or []:  # the method behind the kommun tier's plain words (¹)
        children.append(html.P(f.text, className="muted footnote"))
    rest = [n for ns in by_section.values() for n in ns]  # a section the facts do not have (none today)
    if rest:
        children.append(html.Section([
            html.H3(t("summary.notes", lang)),
            html.Ul([html.Li([html.Strong(f"{n.section}: "), *_note_item(n).children]) for n in rest]),
        ], className="notes"))
    return html.Div(children)
