"""The compare view for regional follow-up: areas × indicators for one to three periods, a column
chooser (real series first, a count of what is hidden), a tooltip on every cell with its verdict's
reason, small multiples of every area of the selection, and the downloads.

Pure factories: the callbacks (``callbacks/compare.py``) hand in the verdict rows of
``services.compare``; every number, colour, arrow and verdict shown is a field of those rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from dash import dash_table, dcc, html

from i18n import fmt_number, fmt_percent
from ids import Ids
from layout.strings import TEXTS, t, tx
from services.compare import IndicatorColumn, SmallMultiple, short_label

#: the colour's shape (colour is never the only cue); the direction of change is its own arrow
RAG_ICON = {"red": "■", "amber": "◆", "green": "●", "grey": "○"}
RAG_WORD = {"sv": {"red": "röd", "amber": "gul", "green": "grön", "grey": "ingen bedömning"},
            "en": {"red": "red", "amber": "amber", "green": "green", "grey": "not assessed"}}
#: cell backgrounds (dark text on them: contrast ≥ 7:1)
RAG_FILL = {"red": "#fde0dc", "amber": "#fdebd0", "green": "#dff3e4"}
#: panel title colours in the small multiples (≥ 4.5:1 on white)
RAG_INK = {"red": "#a3162a", "amber": "#8a4500", "green": "#17692e", "grey": "#4d4d4d"}
SELECTED_LINE = "#00205b"
LINE = "#4f7fb3"
#: a column id of an earlier period: ``<indicator>@<period>`` (the selected period's columns are
#: the bare indicator id); ``assets/compare.js`` strips the suffix before the hub sees a click
PERIOD_SEP = "@"

COMPARE_TEXTS: dict[str, dict[str, str]] = {
    "cmp_periods": {"sv": "Perioder sida vid sida", "en": "Periods side by side"},
    "cmp_periods_1": {"sv": "Vald period", "en": "Selected period"},
    "cmp_periods_2": {"sv": "2 senaste", "en": "Last 2"},
    "cmp_periods_3": {"sv": "3 senaste", "en": "Last 3"},
    "cmp_columns": {"sv": "Indikatorer i tabellen", "en": "Indicators in the table"},
    "cmp_real": {"sv": "Verkliga brottsserier (Polisen, per DeSO)", "en": "Real offence series (Police, per DeSO)"},
    "cmp_synthetic": {"sv": "Syntetiska demoindikatorer", "en": "Synthetic demo indicators"},
    "cmp_only_real": {"sv": "Bara verkliga", "en": "Real only"},
    "cmp_all": {"sv": "Alla", "en": "All"},
    "cmp_download": {"sv": "Ladda ner", "en": "Download"},
    "cmp_shape_shown": {"sv": "Tabellen som den visas", "en": "The table as shown"},
    "cmp_shape_long": {"sv": "Långt format (en rad per område, indikator och period)",
                       "en": "Long format (one row per area, indicator and period)"},
    "cmp_multiples": {"sv": "Små diagram per område", "en": "Small multiples per area"},
    "cmp_cell_hint": {"sv": "Håll muspekaren över en cell för bedömningens motivering; ett klick väljer området. "
                            "Tangentbord: Tab till tabellen, piltangenterna mellan cellerna (motiveringen står här), "
                            "Enter väljer området.",
                      "en": "Hover over a cell for the reason of its verdict; a click selects the area. Keyboard: Tab "
                            "into the table, arrow keys between cells (the reason is shown here), Enter selects the "
                            "area."},
}
TEXTS.update(COMPARE_TEXTS)


# --------------------------------------------------------------------------- the section
def build_compare_section(lang: str, regions: Sequence[str]) -> html.Section:
    """The compare card: region, periods, column chooser, downloads, table and small multiples.

    The options of the column chooser are filled by ``callbacks/compare.py`` (they follow the
    language and the catalogue)."""
    options = [{"label": t("all_regions", lang), "value": "alla"}] + [{"label": r, "value": r} for r in regions]
    radio = {"inputStyle": {"marginRight": "4px"}, "labelStyle": {"display": "inline-flex", "alignItems": "center",
                                                                   "marginRight": "12px"}}
    periods = dcc.RadioItems(id=Ids.COMPARE_PERIODS, value=1, className="compare-radio",
                             options=_period_options(lang), **radio)
    chooser = html.Details(className="compare-columns", children=[
        html.Summary(html.Span(tx("cmp_columns", lang), id=Ids.COMPARE_COLUMNS_SUMMARY)),
        html.Div(className="compare-column-groups", children=[
            html.Fieldset([html.Legend(tx("cmp_real", lang)),
                           dcc.Checklist(id=Ids.COMPARE_REAL, options=[], value=None, className="compare-check",
                                         inputStyle={"marginRight": "4px"})]),
            html.Fieldset([html.Legend(tx("cmp_synthetic", lang)),
                           dcc.Checklist(id=Ids.COMPARE_SYNTHETIC, options=[], value=None,
                                         className="compare-check", inputStyle={"marginRight": "4px"})]),
            html.Div([html.Button(tx("cmp_only_real", lang), id=Ids.COMPARE_ONLY_REAL, className="btn", n_clicks=0),
                      html.Button(tx("cmp_all", lang), id=Ids.COMPARE_ALL_COLUMNS, className="btn", n_clicks=0)],
                     className="compare-column-buttons"),
        ]),
    ])
    downloads = html.Fieldset(className="compare-downloads", children=[
        html.Legend(tx("cmp_download", lang)),
        dcc.RadioItems(id=Ids.COMPARE_SHAPE, value="shown", className="compare-radio",
                       options=_shape_options(lang), **radio),
        html.Button(tx("download_csv", lang), id=Ids.COMPARE_CSV, className="btn", n_clicks=0),
        html.Button(tx("download_xlsx", lang), id=Ids.COMPARE_XLSX, className="btn", n_clicks=0),
        dcc.Download(id=Ids.COMPARE_DOWNLOAD),
    ])
    return html.Section(className="card compare-card", id="compare-view", **{"aria-labelledby": "compare-title"},
                        children=[
        html.Div([html.H2(t("compare", lang), id="compare-title"),
                  html.Div([html.Label(tx("region", lang, instance="compare"), htmlFor=Ids.REGION, className="sr-only"),
                            dcc.Dropdown(id=Ids.REGION, options=options, value="alla", clearable=False,
                                         searchable=False, style={"minWidth": "180px"})],
                           className="region-select")], className="card-head"),
        html.Div(className="card-body compare-controls", children=[
            html.Fieldset([html.Legend(tx("cmp_periods", lang)), periods], className="compare-periods"),
            chooser, downloads,
        ]),
        html.Div(id=Ids.COMPARE_TABLE, className="card-body", children=[
            html.P(id=Ids.COMPARE_NOTE, className="muted compare-note"),
            html.P(id=Ids.COMPARE_COUNT, className="compare-count", role="status"),
            dcc.Loading(compare_grid(), type="dot", delay_show=300),
            html.P(tx("cmp_cell_hint", lang), id=Ids.COMPARE_CELL_INFO, className="muted compare-cell-info",
                   **{"aria-live": "polite"}),
            # the hub (callbacks/view.py) listens to {"type": "compare-datatable"} cells: this hidden
            # table carries the grid's clicks to it with a bare area id and indicator id
            html.Div(dash_table.DataTable(id={"type": "compare-datatable", "id": "main"}, data=[], columns=[]),
                     hidden=True),
        ]),
        html.Div(className="card-body", children=[
            html.H3(t("cmp_multiples", lang), id="compare-multiples-title", className="compare-h3"),
            html.P([html.Span(id=Ids.SMALL_MULTIPLES_NOTE), " ",
                    html.Strong(id=Ids.SMALL_MULTIPLES_MARK, **{"aria-live": "polite"})], className="muted"),
            dcc.Graph(id=Ids.SMALL_MULTIPLES, figure=_blank_figure(), config={"displaylogo": False,
                                                                        "displayModeBar": False}),
        ]),
    ])


def _period_options(lang: str) -> list[dict]:
    return [{"label": t(f"cmp_periods_{n}", lang), "value": n} for n in (1, 2, 3)]


def _shape_options(lang: str) -> list[dict]:
    return [{"label": t("cmp_shape_shown", lang), "value": "shown"}, {"label": t("cmp_shape_long", lang), "value": "long"}]


def radio_options(lang: str) -> tuple[list[dict], list[dict]]:
    """(periods, download shape) options in ``lang``."""
    return _period_options(lang), _shape_options(lang)


def compare_grid() -> dash_table.DataTable:
    """The table (filled by the callbacks). Sorting is ``custom``: ``assets/compare.js`` sorts the
    rows by their numbers (``<column>__sort``), never by the text shown."""
    return dash_table.DataTable(
        id=Ids.COMPARE_GRID, data=[], columns=[], sort_action="custom", sort_mode="single", sort_by=[],
        page_action="none", merge_duplicate_headers=True, cell_selectable=True,  # every area on one page
        tooltip_delay=250, tooltip_duration=None,
        style_table={"overflowX": "auto", "minWidth": "100%"},
        style_cell={"fontFamily": "system-ui, sans-serif", "fontSize": 13, "padding": "4px 6px",
                    "whiteSpace": "nowrap", "textAlign": "right", "minWidth": "96px", "color": "#1b1b1b"},
        style_cell_conditional=[{"if": {"column_id": "area_name"}, "textAlign": "left", "minWidth": "160px"},
                                {"if": {"column_id": "region"}, "textAlign": "left"}],
        style_header={"fontWeight": "600", "backgroundColor": "#f3f4f6", "whiteSpace": "normal", "height": "auto",
                      "color": "#1b1b1b"},
        css=[{"selector": ".dash-spreadsheet-menu", "rule": "display: none"}],
    )


def _blank_figure() -> dict:
    fig = go.Figure()
    fig.update_layout(height=60, margin=dict(l=0, r=0, t=0, b=0), paper_bgcolor="#fff", plot_bgcolor="#fff")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig.to_plotly_json()


# --------------------------------------------------------------------------- chooser
def column_options(columns: Sequence[IndicatorColumn]) -> tuple[list[dict], list[dict]]:
    """(real, synthetic) checklist options."""
    real = [{"label": c.name, "value": c.id} for c in columns if not c.synthetic]
    syn = [{"label": c.name, "value": c.id} for c in columns if c.synthetic]
    return real, syn


def count_text(shown: Sequence[IndicatorColumn], every: Sequence[IndicatorColumn], n_periods: int,
               n_areas: int, lang: str) -> str:
    """What the table shows and what it leaves out, in words (never a silent cap)."""
    hidden = [c for c in every if c.id not in {s.id for s in shown}]
    n_real_hidden = sum(1 for c in hidden if not c.synthetic)
    sv = lang == "sv"
    head = (f"Visar {len(shown)} av {len(every)} indikatorer" if sv else
            f"Showing {len(shown)} of {len(every)} indicators")
    per = (f" × {n_periods} perioder" if sv else f" × {n_periods} periods") if n_periods > 1 else ""
    areas = f", {n_areas} områden" if sv else f", {n_areas} areas"
    if not hidden:
        return head + per + areas + (" – inga dolda." if sv else " – none hidden.")
    names = ", ".join(c.name for c in hidden)
    if sv:
        kinds = (f"{n_real_hidden} verkliga och {len(hidden) - n_real_hidden} syntetiska" if n_real_hidden
                 else "alla syntetiska")
        return (f"{head}{per}{areas}. {len(hidden)} dolda ({kinds}): {names}. "
                "Välj fler under ”Indikatorer i tabellen”.")
    kinds = (f"{n_real_hidden} real and {len(hidden) - n_real_hidden} synthetic" if n_real_hidden
             else "all synthetic")
    return (f"{head}{per}{areas}. {len(hidden)} hidden ({kinds}): {names}. "
            "Choose more under “Indicators in the table”.")


def summary_text(shown: int, total: int, lang: str) -> str:
    """The chooser's summary line: ``Indikatorer i tabellen: 6 av 17 visas``."""
    return (f"{t('cmp_columns', lang)}: {shown} av {total} visas" if lang == "sv" else
            f"{t('cmp_columns', lang)}: {shown} of {total} shown")


def legend_note(n_periods: int, lang: str) -> str:
    if lang == "sv":
        return ("Varje cell: färgens form (■ röd, ◆ gul, ● grön, ○ ingen bedömning), värdet, riktningen "
                "(▲ ökning, ▼ minskning) och förändringen i procent mot jämförelsen. Sortera på en kolumnrubrik "
                "(efter talet). Bedömningen är densamma som på områdets kort: FDR (Benjamini–Hochberg) över alla "
                "områden × indikatorer i listan" + (", för varje period för sig." if n_periods > 1 else " för perioden."))
    return ("Each cell: the colour's shape (■ red, ◆ amber, ● green, ○ not assessed), the value, the direction "
            "(▲ rise, ▼ fall) and the percentage change against the comparison. Sort on a column header (by the "
            "number). The verdict is the one on the area's cards: FDR (Benjamini–Hochberg) across every area × "
            "indicator of the list" + (", for each period separately." if n_periods > 1 else " for the period."))


# --------------------------------------------------------------------------- the table
def column_id(indicator_id: str, period: str, selected: str) -> str:
    """The grid column of an indicator in a period (bare id for the selected period)."""
    return indicator_id if period == selected else f"{indicator_id}{PERIOD_SEP}{period.replace(':', '_')}"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def cell_text(row, lang: str) -> str:
    """``'■ 59 ▲ (+40 %)'``: the verdict row's colour icon, value, arrow and % change."""
    unit = row.unit
    value = "–" if _missing(row.value) else fmt_number(row.value, lang, 0 if unit == "count" else 1)
    arrow = f" {row.arrow}" if isinstance(row.arrow, str) and row.arrow and row.arrow != "=" else ""
    pct = "" if _missing(row.pct_change) else f" ({fmt_percent(row.pct_change, lang)})"
    return f"{RAG_ICON.get(row.rag or 'grey', '○')} {value}{arrow}{pct}"


def grid_props(tables: Sequence[tuple[str, pd.DataFrame]], shown: Sequence[IndicatorColumn], lang: str,
               selected_period: str, with_region: bool) -> dict:
    """``data``, ``columns``, ``style_data_conditional``, ``style_header_conditional`` and
    ``tooltip_header`` of the grid for the verdict rows of each period (oldest first).

    Each row is an area (``id`` = its stable id); each shown cell has ``<col>`` (the text),
    ``<col>__sort`` (the value, what the column sorts by), ``<col>__rag`` and ``<col>__tip``
    (the verdict's reason, the cell's tooltip)."""
    ids = [c.id for c in shown]
    periods = [p for p, _ in tables]
    multi = len(periods) > 1
    rows: dict[str, dict] = {}
    for period, table in tables:
        sub = table[table["indicator_id"].isin(ids)]
        label = short_label(period, lang)
        for r in table.drop_duplicates("area_id").itertuples():
            rows.setdefault(str(r.area_id), {"id": str(r.area_id), "area_name": r.area_name, "region": r.region,
                                             "area_name__sort": str(r.area_name), "region__sort": str(r.region)})
        for r in sub.itertuples():
            col = column_id(r.indicator_id, period, selected_period)
            row = rows[str(r.area_id)]
            row[col] = cell_text(r, lang)
            row[f"{col}__sort"] = None if _missing(r.value) else float(r.value)
            row[f"{col}__rag"] = r.rag or "grey"
            row[f"{col}__tip"] = f"{r.area_name} · {r.indicator_name} · {label} — {r.reason or ''}"
    area_word = "Område" if lang == "sv" else "Area"
    columns = [{"name": ["", area_word] if multi else area_word, "id": "area_name"}]
    if with_region:
        columns.append({"name": ["", "Region"] if multi else "Region", "id": "region"})
    tips: dict[str, str] = {}
    for c in shown:
        for period in periods:
            col = column_id(c.id, period, selected_period)
            columns.append({"name": [c.name, short_label(period, lang)] if multi else c.name, "id": col})
            kind = ("syntetisk demoindikator" if lang == "sv" else "synthetic demo indicator") if c.synthetic else (
                "verklig serie" if lang == "sv" else "real series")
            tips[col] = f"{c.name} ({kind}), {parse_label(period, lang)}"
    styles = [{"if": {"filter_query": f'{{{col["id"]}__rag}} = "{rag}"', "column_id": col["id"]},
               "backgroundColor": fill}
              for col in columns[2 if with_region else 1:] for rag, fill in RAG_FILL.items()]
    # the picked cell: a blue frame (the table's default pink would read as a red verdict)
    styles.append({"if": {"state": "active"}, "backgroundColor": "#e6effa", "border": "2px solid #0a5eb0",
                   "color": "#1b1b1b"})
    head = [{"if": {"column_id": column_id(c.id, selected_period, selected_period)},
             "borderBottom": "3px solid #0a5eb0"} for c in shown] if multi else []
    return {"data": list(rows.values()), "columns": columns, "style_data_conditional": styles,
            "style_header_conditional": head, "tooltip_header": tips}


def parse_label(period: str, lang: str) -> str:
    from indicators.calendar import parse_period

    return parse_period(period).label_for(lang)


def sort_rows(rows: list[dict], sort_by: Sequence[dict] | None) -> list[dict]:
    """The grid's order for ``sort_by`` (what ``assets/compare.js`` does in the browser): by the
    column's number (``<col>__sort``), missing values last in either direction; ties by name."""
    if not sort_by:
        return list(rows)
    col, desc = sort_by[0]["column_id"], sort_by[0].get("direction") == "desc"
    key = f"{col}__sort"
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    if col in ("area_name", "region"):
        present.sort(key=lambda r: (_fold(r[key]), _fold(r["area_name__sort"])), reverse=desc)
    else:
        present.sort(key=lambda r: _fold(r["area_name__sort"]))
        present.sort(key=lambda r: r[key], reverse=desc)  # stable: equal numbers stay in name order
    return present + missing


def _fold(text: str) -> str:
    """Swedish alphabetical order for ASCII sorting: å, ä, ö after z."""
    return str(text).casefold().translate(str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e"}))


# --------------------------------------------------------------------------- small multiples
def multiples_note(panels: Sequence[SmallMultiple], indicator: str, period_label: str, region: str,
                   selected: str | None, lang: str) -> str:
    """What the small multiples show and in which order, in words."""
    n = len(panels)
    where = (("hela landet" if lang == "sv" else "all of Sweden") if region in (None, "", "alla") else region)
    pos = next((k for k, p in enumerate(panels, start=1) if p.area_id == str(selected)), None)
    name = next((p.name for p in panels if p.area_id == str(selected)), None)
    if lang == "sv":
        text = (f"{indicator} per månad, de senaste 36 månaderna, för alla {n} områden ({where}), sorterade "
                f"efter bedömningen för {period_label}: säkra försämringar först, sedan de att bevaka, inom normal "
                "variation, säkra förbättringar och sist utan bedömning. Samma skala på alla diagram; vald period "
                "skuggad.")
        if name:
            text += f" Valt område: {name} (nummer {pos} av {n}), mörkblå tjock linje."
        return text
    text = (f"{indicator} per month, the last 36 months, for all {n} areas ({where}), sorted by the verdict "
            f"for {period_label}: clear deteriorations first, then those to watch, within normal variation, "
            "clear improvements and last the unassessed. The same scale on every chart; the selected period "
            "shaded.")
    if name:
        text += f" Selected area: {name} (number {pos} of {n}), thick dark blue line."
    return text


def _panel_title(p: SmallMultiple, selected: bool) -> str:
    arrow = f" {p.arrow}" if p.arrow and p.arrow != "=" else ""
    name = f"<b>{p.name}</b>" if selected else p.name
    return (f"<span style='color:{RAG_INK.get(p.rag, RAG_INK['grey'])}'>{RAG_ICON.get(p.rag, '○')}</span> "
            f"{name}{arrow}<br><span style='font-size:10px;color:#4d4d4d'>{p.verdict}</span>")


def small_multiples_figure(panels: Sequence[SmallMultiple], period_first: str, period_last: str, unit_label: str,
                           selected: str | None, lang: str, cols: int = 4) -> go.Figure:
    """One small line chart per area, every one on the same y scale (0 to the largest month of any
    area) and the same time axis (year ticks on every panel), the selected period shaded, the
    selected area drawn thick and dark. Traces and titles carry the area id (``meta``/``name``) so
    ``assets/compare.js`` can move the highlight when the selection changes without a redraw."""
    n = len(panels)
    rows = max(1, math.ceil(n / cols))
    top = max((v for p in panels for v in p.values if v is not None), default=1.0) or 1.0
    fig = go.Figure()
    row_h, head = 150, 70  # head: the shared axis label above the first row of panel titles
    height = rows * row_h + head + 30
    gap_x, gap_y = 0.05, 64 / height  # room for the two-line titles and the year ticks
    width = (1 - gap_x * (cols - 1)) / cols
    plot_h = (1 - head / height - gap_y * (rows - 1)) / rows - 0.0
    x0 = pd.Timestamp(period_first + "-01")
    x1 = pd.Timestamp(period_last + "-01") + pd.offsets.MonthEnd(1)
    layout: dict = {}
    annotations = []
    shapes = []
    for k, p in enumerate(panels):
        r, c = divmod(k, cols)
        ax = "" if k == 0 else str(k + 1)
        left = c * (width + gap_x)
        y_top = 1 - head / height - r * (plot_h + gap_y)
        dom_y = [max(0.0, y_top - plot_h), y_top]
        layout[f"xaxis{ax}"] = dict(domain=[left, left + width], anchor=f"y{ax}", type="date", tickformat="%Y",
                                    dtick="M12", ticks="outside", showgrid=False, linecolor="#999",
                                    tickfont=dict(size=10), range=[pd.Timestamp(p.months[0] + "-01"),
                                                                   pd.Timestamp(p.months[-1] + "-28")])
        layout[f"yaxis{ax}"] = dict(domain=dom_y, anchor=f"x{ax}", range=[0, top * 1.08], gridcolor="#eee",
                                    zeroline=False, tickfont=dict(size=10), showticklabels=True, nticks=4)
        sel = str(selected) == p.area_id
        x = [pd.Timestamp(m + "-15") for m in p.months]
        fig.add_trace(go.Scatter(
            x=x, y=[v for v in p.values], mode="lines", xaxis=f"x{ax}", yaxis=f"y{ax}", meta=p.area_id,
            name=p.name, showlegend=False, connectgaps=False,
            line=dict(color=SELECTED_LINE if sel else LINE, width=3 if sel else 1.4),
            hovertemplate="%{x|%Y-%m}: %{y}<extra>" + p.name + "</extra>"))
        shapes.append(dict(type="rect", xref=f"x{ax}", yref=f"y{ax} domain", x0=x0, x1=x1, y0=0, y1=1,
                           fillcolor="rgba(10,94,176,0.10)", line=dict(width=0), layer="below"))
        annotations.append(dict(text=_panel_title(p, sel), name=p.area_id, showarrow=False, xref="paper",
                                yref="paper", x=left, y=y_top + 0.004, xanchor="left", yanchor="bottom",
                                align="left", font=dict(size=12, color="#1b1b1b")))
        if all(v is None for v in p.values):
            annotations.append(dict(text="ingen serie" if lang == "sv" else "no series", showarrow=False,
                                    xref=f"x{ax} domain", yref=f"y{ax} domain", x=0.5, y=0.5,
                                    font=dict(size=11, color="#4d4d4d")))
    annotations.append(dict(text=unit_label, showarrow=False, xref="paper", yref="paper", x=0, y=1,
                            xanchor="left", yanchor="top", font=dict(size=12, color="#1b1b1b")))
    fig.update_layout(**layout, annotations=annotations, shapes=shapes, height=height,
                      margin=dict(l=40, r=10, t=10, b=30), paper_bgcolor="#fff", plot_bgcolor="#fff",
                      font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size=11,
                                color="#1b1b1b"),
                      separators=",\u00a0" if lang == "sv" else ".,", hovermode="closest", showlegend=False,
                      meta={"lang": lang, "areas": [p.area_id for p in panels], "names": [p.name for p in panels]})
    return fig


def unit_label(indicator_name: str, unit: str, lang: str) -> str:
    """The shared y axis: ``'Brand i motorfordon per månad (antal)'``."""
    word = {"count": ("antal", "count"), "hours": ("timmar", "hours"), "share": ("andel, %", "share, %")}.get(
        unit, (unit, unit))
    return (f"{indicator_name} per månad ({word[0]}); samma skala i alla diagram" if lang == "sv" else
            f"{indicator_name} per month ({word[1]}); the same scale in every chart")
