"""The lägesbild panel on the page: the same 4P facts as the exported report, plus human notes."""

from __future__ import annotations

from dash import html

SECTIONS = {
    "framsteg": ("Framsteg", "Progress"),
    "problem": ("Problem", "Problems"),
    "prioriteringar": ("Prioriteringar", "Priorities"),
    "atgarder": ("Åtgärdspunkter", "Points for action"),
    "hypotheses": ("Hypotesprövning", "Hypothesis checks"),
    "caveats": ("Om underlaget", "About the data"),
}


def _note_item(n, sv: bool) -> html.Li:
    """One analyst note: its text, who wrote it and when (internal ones marked)."""
    return html.Li([n.text, html.Span(f" — {n.author}, {n.created_at:%Y-%m-%d}" + (" · INTERN" if n.internal else ""),
                                      className="muted")], className="note")


def lagesbild_block(facts: dict, notes: tuple, lang: str, tier: str) -> html.Div:
    """4P facts (generated, each traceable to a number), each section followed by the analysts'
    note for it (marked as written by the police, kept apart from the generated facts)."""
    sv = lang == "sv"
    by_section: dict[str, list] = {}
    for n in notes:
        if (n.text or "").strip():
            by_section.setdefault(n.section, []).append(n)
    children = []
    if tier == "kommun":
        children.append(html.P("Kommunversion: aggregat, små tal (<5) undertryckta." if sv else
                               "Municipal version: aggregates, small counts (<5) suppressed.", className="tier-note"))
    for key, (title_sv, title_en) in SECTIONS.items():
        items = facts.get(key) or []
        own = by_section.pop(key, [])
        if not items and not own:
            continue
        body = [html.H3(title_sv if sv else title_en)]
        if items:
            body.append(html.Ul([html.Li(f.text, **{"data-kind": f.kind}) for f in items]))
        if own:
            body.append(html.Div([html.Div("Anteckning (skriven av polisen)" if sv else "Note (written by the police)",
                                           className="note-label"),
                                  html.Ul([_note_item(n, sv) for n in own])],
                                 className="section-notes", **{"data-section": key}))
        children.append(html.Section(body, className=f"fourp fourp-{key}", **{"data-section": key}))
    for f in facts.get("footnote") or []:  # the method behind the kommun tier's plain words (¹)
        children.append(html.P(f.text, className="muted footnote"))
    rest = [n for ns in by_section.values() for n in ns]  # a section the facts do not have (none today)
    if rest:
        children.append(html.Section([
            html.H3("Anteckningar (skrivna av polisen)" if sv else "Notes (written by the police)"),
            html.Ul([html.Li([html.Strong(f"{n.section}: "), *_note_item(n, sv).children]) for n in rest]),
        ], className="notes"))
    return html.Div(children)
