"""Export and notes callbacks: one-click downloads of the lägesbild, and the 4P notes editor.

Each callback unpacks the page's selection (area, period, comparison, language), calls one
``services.reports`` function and packs the result. The viewer's tier comes from the security
package's principal: a kommun-tier principal only ever gets the kommun version.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, dcc, no_update

from callbacks.principal import viewer
from ids import Ids
from reports.texts import SECTIONS
from services.reports import editor_state, export_for, save_editor

FORMAT_OF = {Ids.EXPORT_PDF: "pdf", Ids.EXPORT_DOCX: "docx", Ids.EXPORT_CSV: "csv", Ids.EXPORT_XLSX: "xlsx"}


def _principal() -> tuple[str, str]:
    """(name, tier) of the viewer."""
    p = viewer()
    return p.name, p.tier


def _lang(view: dict | None) -> str:
    """The page's language (the view holds it; the toggle's click count does not: a page opened
    with ``?lang=en`` has clicked nothing)."""
    return (view or {}).get("lang") or "sv"


@callback(
    Output(Ids.EXPORT_DOWNLOAD, "data"),
    Output(Ids.EXPORT_STATUS, "children"),
    Input(Ids.EXPORT_PDF, "n_clicks"),
    Input(Ids.EXPORT_DOCX, "n_clicks"),
    Input(Ids.EXPORT_CSV, "n_clicks"),
    Input(Ids.EXPORT_XLSX, "n_clicks"),
    State(Ids.AREA_SEARCH, "value"),
    State(Ids.PERIOD, "value"),
    State(Ids.COMPARISON, "value"),
    State(Ids.VIEW, "data"),
    State(Ids.EXPORT_TIER, "value"),
    State(Ids.EXPORT_PURPOSE, "value"),
    prevent_initial_call=True,
)
def download_report(_pdf, _docx, _csv, _xlsx, area_id, period, comparison, view, tier, purpose):
    """Render the selected area's lägesbild in the clicked format and send it to the browser."""
    user, allowed = _principal()
    report, message = export_for(area_id, period, FORMAT_OF[ctx.triggered_id], tier, comparison,
                                 _lang(view), purpose, user=user, allowed_tier=allowed,
                                 real_only=bool((view or {}).get("real")))
    if report is None:
        return no_update, message
    return dcc.send_bytes(report.content, report.filename, type=report.media_type), message


@callback(
    Output({"type": Ids.NOTE_TEXT, "section": ALL}, "value"),
    Output({"type": Ids.NOTE_INTERNAL, "section": ALL}, "value"),
    Output(Ids.NOTE_META, "children"),
    Input(Ids.AREA_SEARCH, "value"),
    Input(Ids.PERIOD, "value"),
    Input(Ids.LANG_STORE, "data"),
    State(Ids.VIEW, "data"),
)
def load_notes(area_id, period, lang, view):
    """Fill the editor with the newest note of each section for the selected area and period; a
    language change rewrites only the line about the last edit (what is being typed stays)."""
    _, tier = _principal()
    lang = lang or _lang(view)
    state, meta = editor_state(area_id, period, lang, allowed_tier=tier)
    if ctx.triggered_id == Ids.LANG_STORE:
        return [no_update] * len(ctx.outputs_list[0]), [no_update] * len(ctx.outputs_list[1]), meta
    order = [o["id"]["section"] for o in ctx.outputs_list[0]]
    return ([state[s][0] for s in order], [_flags(state[s]) for s in order], meta)


def _flags(item: tuple) -> list[str]:
    """The section's boxes from the editor state ``(text, internal, kommun)``."""
    return (["kommun"] if len(item) > 2 and item[2] else []) + (["internal"] if item[1] else [])


@callback(
    Output(Ids.NOTE_STATUS, "children"),
    Output(Ids.NOTES_SAVED, "data"),
    Input(Ids.NOTE_SAVE, "n_clicks"),
    State(Ids.AREA_SEARCH, "value"),
    State(Ids.PERIOD, "value"),
    State({"type": Ids.NOTE_TEXT, "section": ALL}, "value"),
    State({"type": Ids.NOTE_INTERNAL, "section": ALL}, "value"),
    State(Ids.VIEW, "data"),
    prevent_initial_call=True,
)
def save_notes(n, area_id, period, texts, internals, view):
    """Store each changed section as a new note superseding the previous one; the lägesbild panel
    shows it at once under its section (``Ids.NOTES_SAVED`` changes)."""
    order = [s["id"]["section"] for s in ctx.states_list[2]]
    sections = {s: (t or "", "internal" in (i or []), "kommun" in (i or []))
                for s, t, i in zip(order, texts, internals, strict=True) if s in SECTIONS}
    user, tier = _principal()
    return save_editor(area_id, period, sections, user, _lang(view), allowed_tier=tier), n
