"""The export and notes panel: one-click PDF/DOCX/CSV/XLSX of the lägesbild, tier, ärende/syfte,
and the analyst notes editor (one text per 4P section, each with a "shown in the municipality
version" and an "internal" box, one save; only notes marked for the kommun reach the kommun tier).

The panel reads the page's current selection (area, period, comparison, language) in its
callbacks (``callbacks/export.py``). Principals of the kommun tier get the kommun version only and
no notes editor.
"""

from __future__ import annotations

from dash import dcc, html

from ids import Ids
from layout.strings import t, tx
from reports.texts import SECTIONS, section_title

FORMAT_BUTTONS = ((Ids.EXPORT_PDF, "PDF"), (Ids.EXPORT_DOCX, "Word (DOCX)"), (Ids.EXPORT_CSV, "CSV"),
                  (Ids.EXPORT_XLSX, "Excel (XLSX)"))


def build_notes_editor(lang: str = "sv") -> html.Details:
    """One textarea and the boxes "shown in the municipality version" and "internal" per 4P section,
    a save button and a status line."""
    rows = []
    for s in SECTIONS:
        tid = {"type": Ids.NOTE_TEXT, "section": s}
        rows.append(html.Div(className="control note-section", children=[
            html.Label(tx(f"section_{s}", lang)),
            dcc.Textarea(id=tid, value="", rows=3, maxLength=10_000, style={"width": "100%"},
                         title=section_title(s, lang)),
            dcc.Checklist(id={"type": Ids.NOTE_INTERNAL, "section": s},
                          options=[{"label": tx("notes_kommun", lang, instance=s, style={"marginLeft": "4px"}),
                                    "value": "kommun"},
                                   {"label": tx("notes_internal", lang, instance=s, style={"marginLeft": "4px"}),
                                    "value": "internal"}],
                          value=[], inputStyle={"marginRight": "4px"}, style={"fontSize": "12px"}),
        ]))
    return html.Details(id=Ids.NOTE_EDITOR, className="notes-editor", children=[
        html.Summary(tx("notes", lang)),
        tx("notes_help", lang, html.P, className="muted", style={"fontSize": "12px"}),
        html.Div(id=Ids.NOTE_META, className="muted", style={"fontSize": "12px"}),
        *rows,
        html.Button(tx("notes_save", lang), id=Ids.NOTE_SAVE, className="btn primary", n_clicks=0),
        html.Div(id=Ids.NOTE_STATUS, className="muted", role="status", **{"aria-live": "polite"}),
    ])


def build_export_panel(lang: str = "sv", tier: str = "police") -> html.Div:
    """The export card (format buttons, tier, ärende/syfte) and, in the police tier, the notes editor.
    ``tier``: the viewer's tier, given by the page's caller (``app.py`` reads the principal).
    """
    kommun_only = tier == "kommun"
    options = [{"label": tx("export_kommun", lang, style={"marginLeft": "4px"}), "value": "kommun"}]
    if not kommun_only:
        options.insert(0, {"label": tx("export_police", lang, style={"marginLeft": "4px"}), "value": "police"})
    body = [
        html.Div(className="control", children=[
            html.Label(tx("export_tier", lang), htmlFor=Ids.EXPORT_TIER),
            dcc.RadioItems(id=Ids.EXPORT_TIER, options=options, value="kommun" if kommun_only else "police",
                           inputStyle={"marginRight": "4px"}, labelStyle={"display": "block"},
                           style={"fontSize": "13px"}),
        ]),
        html.Div(className="control", children=[
            html.Label(tx("export_purpose", lang), htmlFor=Ids.EXPORT_PURPOSE),
            dcc.Input(id=Ids.EXPORT_PURPOSE, type="text", maxLength=200, debounce=True,
                      placeholder=t("export_purpose_ph", lang), style={"width": "100%"}),
        ]),
        html.Div(className="export-buttons", role="group", **{"aria-label": t("export_formats", lang)},
                 style={"display": "flex", "flexWrap": "wrap", "gap": "6px", "margin": "8px 0"},
                 children=[html.Button(label, id=bid, className="btn", n_clicks=0) for bid, label in FORMAT_BUTTONS]),
        dcc.Loading(dcc.Download(id=Ids.EXPORT_DOWNLOAD), type="dot"),
        html.Div(id=Ids.EXPORT_STATUS, className="muted", role="status", **{"aria-live": "polite"},
                 style={"fontSize": "12px"}),
    ]
    if not kommun_only:
        body.append(build_notes_editor(lang))
    return html.Div(className="card export-panel", children=[
        html.Div(tx("export", lang, html.H2), className="card-head"),
        html.Div(body, className="card-body"),
    ])
