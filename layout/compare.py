"""The compare view for regional follow-up: areas × indicators for one to three periods, a column
chooser (real series first, a count of what is hidden), a tooltip on every cell with its verdict's
reason, small multiples of every area of the selection, and the downloads.

Pure factories: the callbacks (``callbacks/compare.py``) hand in the verdict rows of
``services.compare``; every number, colour, arrow and verdict shown is a field of those rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from urllib.parse import quote

import pandas as pd
from dash import dash_table, dcc, html

from i18n import fmt_number, fmt_percent
from ids import Ids
from layout.strings import t, tx
from services.compare import IndicatorColumn, SmallMultiple, short_label
from texts import by_prefix

#: the colour's shape (colour is never the only cue); the direction of change is its own arrow
RAG_ICON = {"red": "■", "amber": "◆", "green": "●", "grey": "○"}
#: cell backgrounds (dark text on them: contrast ≥ 7:1)
RAG_FILL = {"red": "#fde0dc", "amber": "#fdebd0", "green": "#dff3e4"}
#: a column id of an earlier period: ``<indicator>@<period>`` (the selected period's columns are
#: the bare indicator id); ``assets/compare.js`` strips the suffix before the hub sees a click
PERIOD_SEP = "@"


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
    return html.Section(className="card compare-card", id=Ids.COMPARE_SECTION, **{"aria-labelledby": "compare-title"},
                        children=[
        html.Div([html.H2(tx("compare", lang), id="compare-title"),
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
            html.Div(dash_table.DataTable(id={"type": Ids.COMPARE_DATATABLE, "id": "main"}, data=[], columns=[]),
                     hidden=True),
        ]),
        html.Div(className="card-body", children=[
            html.H3(tx("cmp_multiples", lang), id="compare-multiples-title", className="compare-h3"),
            html.P([html.Span(id=Ids.SMALL_MULTIPLES_NOTE), " ",
                    html.Strong(id=Ids.SMALL_MULTIPLES_MARK, **{"aria-live": "polite"})], className="muted"),
            html.Div(id=Ids.SMALL_MULTIPLES, className="small-multiples"),
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
    head = t("cmp_count.head", lang, shown=len(shown), total=len(every))
    if n_periods > 1:
        head += t("cmp_count.periods", lang, n=n_periods)
    head += t("cmp_count.areas", lang, n=n_areas)
    if not hidden:
        return t("cmp_count.none_hidden", lang, head=head)
    names = ", ".join(c.name for c in hidden)
    kinds = (t("cmp_count.kinds", lang, real=n_real_hidden, synthetic=len(hidden) - n_real_hidden)
             if n_real_hidden else t("cmp_count.all_synthetic", lang))
    return t("cmp_count.hidden", lang, head=head, n=len(hidden), kinds=kinds, names=names)


def summary_text(shown: int, total: int, lang: str) -> str:
    """The chooser's summary line: ``Indikatorer i tabellen: 6 av 17 visas``."""
    return t("cmp_summary", lang, columns=t("cmp_columns", lang), shown=shown, total=total)


def legend_note(n_periods: int, lang: str) -> str:
    scope = t("cmp_legend.each_period" if n_periods > 1 else "cmp_legend.the_period", lang)
    return t("cmp_legend", lang, scope=scope)


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
    area_word = t("cmp_area", lang)
    columns = [{"name": ["", area_word] if multi else area_word, "id": "area_name"}]
    if with_region:
        columns.append({"name": ["", "Region"] if multi else "Region", "id": "region"})
    tips: dict[str, str] = {}
    for c in shown:
        for period in periods:
            col = column_id(c.id, period, selected_period)
            columns.append({"name": [c.name, short_label(period, lang)] if multi else c.name, "id": col})
            kind = t("cmp_kind.synthetic" if c.synthetic else "cmp_kind.real", lang)
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
    where = t("whole_country", lang) if region in (None, "", "alla") else region
    pos = next((k for k, p in enumerate(panels, start=1) if p.area_id == str(selected)), None)
    name = next((p.name for p in panels if p.area_id == str(selected)), None)
    text = t("sm_note", lang, indicator=indicator, n=n, where=where, period=period_label)
    if name:
        text += t("sm_note.selected", lang, name=name, pos=pos, n=n)
    return text


#: one panel's picture (SVG user units; the picture scales with the page)
SVG_W, SVG_H = 300, 112
_PAD_L, _PAD_R, _PAD_T, _PAD_B = 28, 6, 6, 18


def _nice_top(top: float) -> float:
    """A round upper end for the shared y scale (≥ ``top``): 1, 2, 5 × 10^k.

    >>> _nice_top(0), _nice_top(7), _nice_top(56), _nice_top(1463.9)
    (1.0, 8.0, 60.0, 1500.0)
    """
    if top <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(top))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * k >= top:
            return float(f"{m * k:.6g}")
    return float(10 * k)


def panel_svg(p: SmallMultiple, top: float, period_first: str, period_last: str, lang: str) -> str:
    """One area's months as a small SVG line chart on the shared scale ``0…top``: y ticks at 0,
    half and top, the year under each January, the selected period shaded. Pure text (no plotly:
    sixty-five of these draw at once)."""
    months = p.months
    n = len(months)
    w, h = SVG_W - _PAD_L - _PAD_R, SVG_H - _PAD_T - _PAD_B

    def x(i: float) -> float:
        return _PAD_L + (i + 0.5) * w / n

    def y(v: float) -> float:
        return _PAD_T + h - (v / top) * h

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{SVG_W}' height='{SVG_H}' "
             f"viewBox='0 0 {SVG_W} {SVG_H}' font-family='system-ui,Segoe UI,Arial,sans-serif' font-size='10'>"]
    if period_first in months:  # the selected period, shaded
        a = months.index(period_first)
        b = months.index(period_last) if period_last in months else n - 1
        parts.append(f"<rect x='{x(a) - w / n / 2:.1f}' y='{_PAD_T}' width='{(b - a + 1) * w / n:.1f}' "
                     f"height='{h}' fill='#dbe7f5'/>")
    for frac in (0.0, 0.5, 1.0):  # the shared y scale
        v = top * frac
        parts.append(f"<line x1='{_PAD_L}' x2='{SVG_W - _PAD_R}' y1='{y(v):.1f}' y2='{y(v):.1f}' "
                     f"stroke='{'#8c8c8c' if frac == 0 else '#e3e3e3'}' stroke-width='1'/>")
        label = fmt_number(v, lang, 0 if float(v).is_integer() else 1)
        parts.append(f"<text x='{_PAD_L - 4}' y='{y(v) + 3.5:.1f}' text-anchor='end' fill='#3d3d3d'>{label}</text>")
    for i, m in enumerate(months):  # the time axis: every January
        if m.endswith("-01"):
            parts.append(f"<line x1='{x(i):.1f}' x2='{x(i):.1f}' y1='{_PAD_T + h}' y2='{_PAD_T + h + 3}' stroke='#8c8c8c'/>")
            parts.append(f"<text x='{x(i):.1f}' y='{SVG_H - 4}' text-anchor='middle' fill='#3d3d3d'>{m[:4]}</text>")
    run: list[str] = []
    for i, v in enumerate(list(p.values) + [None]):  # gaps (months without a value) break the line
        if v is None:
            if len(run) > 1:
                parts.append(f"<polyline fill='none' stroke='#2f6fb0' stroke-width='1.6' points='{' '.join(run)}'/>")
            elif len(run) == 1:
                cx, cy = run[0].split(",")
                parts.append(f"<circle cx='{cx}' cy='{cy}' r='1.6' fill='#2f6fb0'/>")
            run = []
        else:
            run.append(f"{x(i):.1f},{y(min(v, top)):.1f}")
    if all(v is None for v in p.values):
        parts.append(f"<text x='{_PAD_L + w / 2:.1f}' y='{_PAD_T + h / 2:.1f}' text-anchor='middle' fill='#4d4d4d'>"
                     f"{t('sm_no_series', lang)}</text>")
    parts.append("</svg>")
    return "data:image/svg+xml;charset=utf-8," + quote("".join(parts))


def panel_alt(p: SmallMultiple, indicator: str, lang: str) -> str:
    """The picture in words: what it shows, its highest and latest month, the verdict."""
    vals = [(m, v) for m, v in zip(p.months, p.values, strict=True) if v is not None]
    span = f"{p.months[0]}–{p.months[-1]}"
    if not vals:
        return t("sm_alt.empty", lang, name=p.name, indicator=indicator, span=span)
    hi_m, hi = max(vals, key=lambda mv: mv[1])
    last_m, last = vals[-1]
    return t("sm_alt", lang, name=p.name, indicator=indicator, span=span,
             hi=fmt_number(hi, lang, 1 if hi % 1 else 0), hi_month=hi_m,
             last=fmt_number(last, lang, 1 if last % 1 else 0), last_month=last_m, verdict=p.verdict)


def small_multiples_grid(panels: Sequence[SmallMultiple], period_first: str, period_last: str, indicator: str,
                         unit_label: str, selected: str | None, lang: str) -> list:
    """Every area's panel on one shared scale (0 to a round number above the largest month of any
    area) and the same months, sorted as given (:func:`services.compare.signal_order`): a title
    with the verdict's colour shape, arrow and words, the picture with its text alternative. The
    selected area's panel carries the class ``selected`` (``assets/compare.js`` moves it when the
    selection changes, without a redraw)."""
    top = _nice_top(max((v for p in panels for v in p.values if v is not None), default=0.0))
    items = []
    for p in panels:
        arrow = f" {p.arrow}" if p.arrow and p.arrow != "=" else ""
        sel = str(selected) == p.area_id
        items.append(html.Figure(className="sm-panel" + (" selected" if sel else ""),
                                 **{"data-area": p.area_id, "data-name": p.name}, children=[
            html.Figcaption([html.Span(RAG_ICON.get(p.rag, "○"), className=f"sm-icon {p.rag}", **{"aria-hidden": "true"}),
                             " ", html.Strong(p.name), arrow, html.Br(),
                             html.Span(f"{rag_word(p.rag, lang)}: {p.verdict}", className="sm-verdict")]),
            html.Img(src=panel_svg(p, top, period_first, period_last, lang), alt=panel_alt(p, indicator, lang),
                     className="sm-chart", width=SVG_W, height=SVG_H),
        ]))
    return [html.P(unit_label, className="sm-axis"), html.Div(items, className="sm-grid",
                                                              **{"data-lang": lang, "data-top": str(top)})]


def unit_label(indicator_name: str, unit: str, lang: str) -> str:
    """The shared y axis: ``'Brand i motorfordon per månad (antal)'``."""
    word = by_prefix("page.sm_unit.", lang).get(unit, unit)
    return t("sm_axis", lang, indicator=indicator_name, unit=word)


def rag_word(rag: str, lang: str) -> str:
    """The verdict colour in words (``'gul'``); an unknown colour as it is."""
    return by_prefix("page.rag_word.", lang).get(rag, rag)
