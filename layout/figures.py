"""Plotly figures and inline SVG sparklines (styling only: the numbers come from services)."""

from __future__ import annotations

import copy
import math
import textwrap
from functools import lru_cache
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from i18n import fmt_number
from indicators.texts import fmt_value as _fmt_value_in_unit
from texts import t

FONT = dict(family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size=12, color="#1b1b1b")


def _base_layout(fig: go.Figure, lang: str, height: int = 280) -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=44, r=12, t=34, b=86), font=FONT, paper_bgcolor="#fff", plot_bgcolor="#fff",
        separators=t("fmt.decimal", lang) + t("fmt.thousands", lang), hovermode="x unified",
        legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0, font=dict(size=11)),
    )
    fig.update_xaxes(showgrid=False, linecolor="#999", ticks="outside")
    fig.update_yaxes(gridcolor="#eee", zeroline=False, rangemode="tozero")
    return fig


@lru_cache(maxsize=32)
def _empty_figure(message: str, lang: str) -> dict:
    fig = _base_layout(go.Figure(), lang, 240)
    # plotly does not wrap annotations: break long messages so they fit a narrow card
    text = "<br>".join(textwrap.wrap(message, 44)) or message
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=13, color="#5a5a5a"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig.to_plotly_json()


def empty_figure(message: str, lang: str = "sv") -> dict:
    """A blank chart carrying a message (built once per message: it is drawn on many clicks)."""
    return copy.deepcopy(_empty_figure(message, lang))


def _month_ts(months: pd.Series) -> pd.Series:
    return pd.to_datetime(months + "-15")


def trend_figure(trend: dict, lang: str, title: str) -> go.Figure:
    """Monthly values with tertials shaded, the seasonal baseline band, targets and cumulative deviation."""
    s, band, cum, meta, period = trend["series"], trend["band"], trend["cum"], trend["meta"], trend["period"]
    has_cum = cum is not None and len(cum) > 0
    # one chart unless there is a cumulative deviation to show below it (make_subplots is costly)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.06) \
        if has_cum else go.Figure()
    cell = (1, 1) if has_cum else ()
    x = _month_ts(s["month"])
    if len(s):
        first_year, last_year = int(s["month"].min()[:4]), int(s["month"].max()[:4])
        # tertials: T2 (May–Aug) shaded, T1 and T3 white, the chosen period outlined. (They were
        # add_vrect calls made before any trace, which plotly skips on a still empty subplot: the
        # web trend had no shading. Plain shape dicts, set once, also cost a fraction of the time.)
        span = dict(type="rect", xref="x", yref="y domain", y0=0, y1=1, layer="below")
        lo, hi = f"{s['month'].min()}-01", (pd.Timestamp(s["month"].max() + "-01") + pd.offsets.MonthEnd(1)).strftime("%Y-%m-%d")
        shapes = [{**span, "x0": max(f"{year}-05-01", lo), "x1": min(f"{year}-09-01", hi), "fillcolor": "#e6ebf3",
                   "line": {"width": 0}}  # clipped to the months shown: no empty axis beyond the data
                  for year in range(first_year, last_year + 1) if f"{year}-05-01" < hi and f"{year}-09-01" > lo]
        period_end = (pd.Timestamp(period.last + "-01") + pd.offsets.MonthEnd(1)).strftime("%Y-%m-%d")
        shapes.append({**span, "x0": f"{period.first}-01", "x1": period_end, "fillcolor": "rgba(10,94,176,0.14)",
                       "line": {"color": "#0a5eb0", "width": 1}})
        fig.layout.shapes = shapes
    if len(band):
        bx = _month_ts(band["month"])
        fig.add_trace(go.Scatter(x=bx, y=band["hi"], mode="lines", line=dict(width=0), hoverinfo="skip", showlegend=False), *cell)
        fig.add_trace(go.Scatter(x=bx, y=band["lo"], mode="lines", line=dict(width=0), fill="tonexty",
                                 fillcolor="rgba(120,120,120,0.18)",
                                 name=t("page.fig.normal_range", lang),
                                 hoverinfo="skip"), *cell)
        fig.add_trace(go.Scatter(x=bx, y=band["mean"], mode="lines", line=dict(color="#777", dash="dot", width=1),
                                 name=t("page.fig.baseline", lang)), *cell)
    unit = meta.get("unit")
    bar = unit == "count"
    name = t("page.fig.actual", lang)
    nowcast = [r for r in trend.get("nowcast") or [] if r["month"] in set(s["month"])]
    preliminary = [r for r in trend.get("preliminary") or [] if r["month"] in set(s["month"])]
    final = ~s["month"].isin([r["month"] for r in nowcast] + [r["month"] for r in preliminary])
    if bar:
        fig.add_trace(go.Bar(x=x[final], y=s["value"][final], name=name, marker_color="#0a5eb0", opacity=0.85), *cell)
    else:
        fig.add_trace(go.Scatter(x=x[final], y=s["value"][final], name=name, mode="lines+markers",
                                 line=dict(color="#0a5eb0", width=2), marker=dict(size=4)), *cell)
    if nowcast:
        _add_nowcast(fig, nowcast, bar, lang, cell)
    if preliminary:
        _add_preliminary(fig, preliminary, bar, lang, cell)
    if s["target"].notna().any():
        fig.add_trace(go.Scatter(x=x, y=s["target"], name=t("page.fig.target", lang), mode="lines",
                                 line=dict(color="#b35806", width=2, dash="dash", shape="hv")), *cell)
    if has_cum:
        fig.add_trace(go.Bar(x=_month_ts(cum["month"]), y=cum["cum_deviation"],
                             name=t("page.fig.cum_deviation", lang),
                             marker_color=["#1a7f37" if v >= 0 else "#b2182b" for v in cum["cum_deviation"]]), 2, 1)
        fig.update_yaxes(rangemode="normal", row=2, col=1, title_text="Δ", title_font=dict(size=11))
    national = trend.get("national")
    has_national = national is not None and len(national) > 0 and len(s) > 0
    if has_national:
        _add_national(fig, national, s["month"], lang)
    if meta.get("synthetic"):
        title += t("page.fig.synthetic_title", lang)
    n_legend = sum(1 for tr in fig.data if tr.showlegend is not False)
    legend_rows = max(1, math.ceil(n_legend / 2))  # about two entries a row in the side panel
    fig = _base_layout(fig, lang, (380 if has_cum else 330) + 18 * (legend_rows - 1))
    # the legend below the two-line month/year ticks, anchored to the figure's bottom edge (at
    # y = -0.18 of the plot it covered the years: "Jan" with no year under most ticks)
    fig.update_layout(legend=dict(yref="container", y=0, yanchor="bottom"),
                      margin=dict(b=52 + 18 * legend_rows, r=52 if has_national else 12))
    fig.update_layout(title=dict(text=title, x=0, font=dict(size=13)), bargap=0.15)
    fig.update_xaxes(tickformat="%b\n%Y")
    return fig


#: the national context line (Polisen's yearly totals) on its own right-hand axis
NATIONAL_AXIS = "y9"
NATIONAL_COLOR = "#6a3d9a"


def _add_national(fig: go.Figure, national: pd.DataFrame, months: pd.Series, lang: str) -> None:
    """Polisen's national yearly totals (real, preliminary) as a dashed line on a secondary axis,
    one point per year at mid-year, for the years whose middle the chart shows."""
    mid = national["year"].astype(str) + "-07"  # drawn at mid-year: only years whose middle the chart shows
    nat = national[(mid >= months.min()) & (mid <= months.max())]
    if nat.empty:
        return
    name = t("page.fig.national", lang)
    hover = t("page.fig.national_hover", lang, year="%{customdata}", value="%{y}")
    fig.add_trace(go.Scatter(
        x=pd.to_datetime(nat["year"].astype(str) + "-07-01"), y=nat["value"], name=name, yaxis=NATIONAL_AXIS,
        mode="lines+markers", line=dict(color=NATIONAL_COLOR, width=2, dash="dash"), marker=dict(size=7, symbol="diamond"),
        customdata=nat["year"], hovertemplate=f"{hover}<extra></extra>",
    ))
    fig.update_layout(**{"yaxis9": dict(overlaying="y", side="right", rangemode="tozero", showgrid=False,
                                        tickmode="auto", nticks=5, tickformat=",d",
                                        title=dict(text=t("page.fig.national_axis", lang),
                                                   font=dict(size=11, color=NATIONAL_COLOR)),
                                        tickfont=dict(color=NATIONAL_COLOR), anchor="x")})


def nowcast_label(lang: str) -> str:
    """The words for a month still being registered (the legend and the span's label)."""
    return t("page.nowcast.label", lang)


def _add_nowcast(fig: go.Figure, rows: list[dict], bar: bool, lang: str, cell: tuple = (1, 1)) -> None:
    """Months still being registered: what is registered so far hatched (or dashed), the estimate
    with its 90 % interval in grey (never red or green: it is not a verdict), the span labelled."""
    nx = _month_ts(pd.Series([r["month"] for r in rows]))
    reg = [r["registered"] for r in rows]
    est = [r["estimate"] for r in rows]
    so_far = t("page.fig.so_far", lang)
    if bar:
        fig.add_trace(go.Bar(x=nx, y=reg, name=so_far, marker=dict(
            color="rgba(10,94,176,0.25)", line=dict(color="#0a5eb0", width=1),
            pattern=dict(shape="/", fgcolor="#0a5eb0", size=6, solidity=0.35))), *cell)
    else:
        fig.add_trace(go.Scatter(x=nx, y=reg, name=so_far, mode="lines+markers",
                                 line=dict(color="#0a5eb0", width=2, dash="dash"), marker=dict(size=4)), *cell)
    hover = [t("page.fig.nowcast_hover", lang, registered=r["registered"], estimate=r["estimate"], lo90=r["lo90"],
               hi90=r["hi90"]) for r in rows]
    fig.add_trace(go.Scatter(
        x=nx, y=est, mode="markers", name=nowcast_label(lang).capitalize() + t("page.fig.nowcast_interval", lang),
        marker=dict(symbol="diamond-open", size=9, color="#444", line=dict(width=2)),
        error_y=dict(type="data", symmetric=False, array=[r["hi90"] - r["estimate"] for r in rows],
                     arrayminus=[r["estimate"] - r["lo90"] for r in rows], color="#444", thickness=1.5, width=5),
        text=hover, hovertemplate="%{text}<extra></extra>"), *cell)
    first = pd.Timestamp(rows[0]["month"] + "-01")
    last = pd.Timestamp(rows[-1]["month"] + "-01") + pd.offsets.MonthEnd(1)
    fig.add_vrect(x0=first, x1=last, line=dict(color="#444", width=1, dash="dash"), fillcolor="rgba(0,0,0,0)",
                  layer="below", annotation_text=nowcast_label(lang).replace(" (", "<br>("),
                  annotation_position="top left", annotation_align="left",
                  annotation_font=dict(size=10, color="#444"), **({"row": cell[0], "col": cell[1]} if cell else {}))


def _add_preliminary(fig: go.Figure, rows: list[dict], bar: bool, lang: str, cell: tuple = (1, 1)) -> None:
    """Preliminary values (a month that had not ended when it was imported, or one its file marks
    preliminary): hatched like the months still being registered, grey-framed and labelled
    "preliminär" — shown, never judged (no colour of a verdict)."""
    nx = _month_ts(pd.Series([r["month"] for r in rows]))
    name = t("page.fig.preliminary_name", lang)
    hover = [t("page.fig.preliminary_hover", lang, month=r["month"],
               value=fmt_number(r["value"], lang, 0 if float(r["value"]).is_integer() else 1)) for r in rows]
    if bar:
        fig.add_trace(go.Bar(x=nx, y=[r["value"] for r in rows], name=name, text=hover,
                             hovertemplate="%{text}<extra></extra>", marker=dict(
                                 color="rgba(120,120,120,0.18)", line=dict(color="#555", width=1),
                                 pattern=dict(shape="x", fgcolor="#555", size=6, solidity=0.3))), *cell)
    else:
        fig.add_trace(go.Scatter(x=nx, y=[r["value"] for r in rows], name=name, mode="markers", text=hover,
                                 hovertemplate="%{text}<extra></extra>",
                                 marker=dict(symbol="circle-open", size=9, color="#555", line=dict(width=2))), *cell)
    for r in rows:  # each month framed and labelled (preliminary months need not be adjacent)
        first = pd.Timestamp(r["month"] + "-01")
        fig.add_vrect(x0=first, x1=first + pd.offsets.MonthEnd(1), line=dict(color="#555", width=1, dash="dot"),
                      fillcolor="rgba(0,0,0,0)", layer="below", annotation_text=t("page.preliminary", lang),
                      annotation_position="top left", annotation_align="left",
                      annotation_font=dict(size=10, color="#555"), **({"row": cell[0], "col": cell[1]} if cell else {}))


def sparkline_svg(values: list[float], color: str = "#0a5eb0", width: int = 120, height: int = 26) -> str:
    """A tiny inline SVG line (data URI) of the last months: no plotly, no request."""
    pts = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if len(pts) < 2:
        return ""
    lo, hi = min(pts), max(pts)
    span = (hi - lo) or 1.0
    step = width / (len(values) - 1)
    coords = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        coords.append(f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}")
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}'>"
           f"<polyline fill='none' stroke='{color}' stroke-width='1.5' points='{' '.join(coords)}'/></svg>")
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


# the one formatter of a value in its unit (cards, reports, reasons)
fmt_value = _fmt_value_in_unit
