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


def lagesbild_block(facts: dict, notes: tuple, lang: str, tier: str) -> html.Div:
    """4P facts (generated, each traceable to a number) and the analysts' notes kept apart."""
    sv = lang == "sv"
    children = []
    if tier == "kommun":
        children.append(html.P("Kommunversion: aggregat, små tal (<5) undertryckta." if sv else
                               "Municipal version: aggregates, small counts (<5) suppressed.", className="tier-note"))
    for key, (title_sv, title_en) in SECTIONS.items():
        items = facts.get(key) or []
        if not items:
            continue
        children.append(html.Section([
            html.H3(title_sv if sv else title_en),
            html.Ul([html.Li(f.text, **{"data-kind": f.kind}) for f in items]),
        ], className=f"fourp fourp-{key}"))
    human = [n for n in notes if (n.text or "").strip()]
    if human:
        children.append(html.Section([
            html.H3("Anteckningar (skrivna av polisen)" if sv else "Notes (written by the police)"),
            html.Ul([html.Li([html.Strong(f"{n.section}: "), n.text,
                              html.Span(f" — {n.author}, {n.created_at:%Y-%m-%d}" + (" · INTERN" if n.internal else ""),
                                        className="muted")]) for n in human]),
        ], className="notes"))
    return html.Div(children)
