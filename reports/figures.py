"""Server-rendered report figures (matplotlib, no tiles, offline): the area map and trend charts.

The map is drawn in SWEREF 99 TM (metres), so the scale bar is exact: kommun borders and
neighbouring areas for context, the hotspot hexagons coloured by Gi* class (persistent ones, hot
in the same period last year too, outlined), the area and its study region, event points (police
tier only) and places of interest; the legend, scale bar, north arrow and attribution sit in a
side panel so nothing covers the map. Figures are built with ``matplotlib.figure.Figure`` (no
pyplot state), so concurrent requests do not share anything.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

from i18n import fmt_number  # noqa: E402
from indicators.calendar import parse_month, parse_period, shift_month  # noqa: E402
from layers.areas import CATEGORY_COLORS, CATEGORY_LABELS, UNKNOWN_CATEGORY_COLOR  # noqa: E402
from layers.palettes import HOTSPOT_COLORS  # noqa: E402
from reports.model import MapData  # noqa: E402
from reports.texts import L, hotspot_label  # noqa: E402
from texts import has, t  # noqa: E402

CM = 1 / 2.54
FONT = "DejaVu Sans"
INK = "#1b1b1b"
MUTED = "#6b6b6b"
HOT = ("hot99", "hot95", "hot90")
#: kind of place → (marker, colour); its legend name is the catalogue's ``rep.poi.<kind>``
POI_STYLE = {"tunnelbana": ("o", "#0072b2"), "krog": ("D", "#7b3294")}


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def _nice_length(width_m: float) -> float:
    """A round scale-bar length near a quarter of the map width."""
    target = width_m / 4
    exp = 10 ** math.floor(math.log10(target))
    for m in (5, 2.5, 2, 1):
        if m * exp <= target:
            return m * exp
    return exp


def _scale_bar(ax, x0: float, y0: float, length: float, height: float, lang: str) -> None:
    half = length / 2
    ax.add_patch(Rectangle((x0, y0), half, height, facecolor=INK, edgecolor=INK, lw=0.6, zorder=20))
    ax.add_patch(Rectangle((x0 + half, y0), half, height, facecolor="white", edgecolor=INK, lw=0.6,
                           zorder=20))
    unit, div = ("km", 1000) if length >= 1000 else ("m", 1)
    for pos, val in ((x0, 0), (x0 + half, half), (x0 + length, length)):
        dec = 0 if float(val / div).is_integer() else 1
        label = fmt_number(val / div, lang, dec) + (f" {unit}" if pos == x0 + length else "")
        ax.text(pos, y0 + height * 1.8, label, ha="center", va="bottom", fontsize=6.5, color=INK,
                zorder=21, family=FONT)


def _north(ax, x: float, y: float, size: float) -> None:
    ax.annotate("", xy=(x, y), xytext=(x, y - size), zorder=21,
                arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 1.2})
    ax.text(x, y + size * 0.12, "N", ha="center", va="bottom", fontsize=8, fontweight="bold",
            color=INK, zorder=21, family=FONT)


def _hexes(fc: dict | None) -> gpd.GeoDataFrame:
    if not fc or not fc.get("features"):
        return gpd.GeoDataFrame({"cell": [], "class": []}, geometry=[], crs="EPSG:3006")
    gdf = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")
    return gdf.to_crs("EPSG:3006")


@dataclass(frozen=True)
class _Drawn:
    """What the map shows, for its legend: the hexagon classes drawn, whether there are
    hexagons, hot spots of last year (still hot, or no longer), events, and the kinds of place."""

    cat_color: str
    classes: tuple[str, ...]
    any_hexes: bool
    persistent: bool
    former: bool
    events: bool
    poi_kinds: tuple[str, ...]


def _axes(width_cm: float, height_cm: float, map_w: float) -> tuple[Figure, object, object]:
    """The figure, the map axes (no ticks, a grey frame) and the legend panel beside it."""
    fig = Figure(figsize=(width_cm * CM, height_cm * CM))
    ax = fig.add_axes((0.005, 0.01, map_w, 0.98))
    side = fig.add_axes((map_w + 0.02, 0.01, 1 - map_w - 0.025, 0.98))
    side.axis("off")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#999999")
        spine.set_linewidth(0.6)
    return fig, ax, side


def _extent(ax, m: MapData, width_cm: float, height_cm: float, map_w: float) -> tuple[float, float, float, float]:
    """Set the map's extent: the study region, padded, at the axes' aspect ratio;
    returns ``(x0, x1, y0, y1)``."""
    minx, miny, maxx, maxy = m.region.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w, h = (maxx - minx) * 1.12, (maxy - miny) * 1.12
    aspect = (height_cm * 0.98) / (width_cm * map_w)
    if h / w > aspect:
        w = h / aspect
    else:
        h = w * aspect
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_facecolor("#fbfbf8")
    return x0, x1, y0, y1


def _draw_context(ax, m: MapData, extent: tuple[float, float, float, float]) -> None:
    """Kommun borders and the neighbouring areas (named where their label falls on the map)."""
    x0, x1, y0, y1 = extent
    for g in m.kommun_lines:
        gpd.GeoSeries([g], crs="EPSG:3006").plot(ax=ax, color="#9e9e9e", linewidth=0.8,
                                                 linestyle=(0, (4, 2)), zorder=1)
    for oname, g in m.other_areas:
        gpd.GeoSeries([g], crs="EPSG:3006").plot(ax=ax, facecolor="#ececec", edgecolor="#a0a0a0",
                                                 linewidth=0.6, zorder=2)
        p = g.representative_point()
        if x0 < p.x < x1 and y0 < p.y < y1:
            ax.text(p.x, p.y, oname, fontsize=5.5, color=MUTED, ha="center", va="center", zorder=3,
                    family=FONT, clip_on=True)


def _draw_hexes(ax, hotspots: dict | None, previous: dict | None) -> tuple[list[str], bool, bool, bool]:
    """The hotspot hexagons by Gi* class, persistent ones outlined, last year's no longer hot
    dashed; returns (classes drawn, any hexagons, any persistent, any former)."""
    hexes = _hexes(hotspots)
    prev_hot = set()
    feats = (hotspots or {}).get("features", [])
    if any("was_hot" in f["properties"] for f in feats):  # the page's layer: its own marks
        prev_hot = {f["properties"]["cell"] for f in feats if f["properties"].get("was_hot")}
    elif previous:
        prev_hot = {f["properties"]["cell"] for f in previous.get("features", [])
                    if f["properties"]["class"] in HOT}
    classes_present = []
    persistent = former = hexes.iloc[0:0]
    if len(hexes):
        ns = hexes[hexes["class"] == "ns"]
        if len(ns):
            ns.plot(ax=ax, facecolor="none", edgecolor="#c8c8c8", linewidth=0.35, zorder=4)
        for cls in ("cold99", "cold95", "cold90", "hot90", "hot95", "hot99"):
            sub = hexes[hexes["class"] == cls]
            if len(sub):
                classes_present.append(cls)
                sub.plot(ax=ax, facecolor=HOTSPOT_COLORS[cls], edgecolor="white", linewidth=0.4,
                         alpha=0.9, zorder=5)
        persistent = hexes[hexes["class"].isin(HOT) & hexes["cell"].isin(prev_hot)]
        if len(persistent):
            persistent.plot(ax=ax, facecolor="none", edgecolor=INK, linewidth=1.1, zorder=6)
        # hot spots of last year that are not hot now: dashed, as on the page (the text names them)
        former = hexes[~hexes["class"].isin(HOT) & hexes["cell"].isin(prev_hot)]
        if len(former):
            former.plot(ax=ax, facecolor="none", edgecolor=HOTSPOT_COLORS["hot99"], linewidth=0.9,
                        linestyle=(0, (2, 1.5)), zorder=6)
    return classes_present, bool(len(hexes)), bool(len(persistent)), bool(len(former))


def _draw_area(ax, m: MapData, extent: tuple[float, float, float, float]) -> tuple[str, bool, list[str]]:
    """The study region, the area (in its category's colour), event points and places of
    interest on the map; returns (area colour, any events, the kinds of place drawn)."""
    x0, x1, y0, y1 = extent
    cat_color = CATEGORY_COLORS.get(m.category or "", UNKNOWN_CATEGORY_COLOR)
    gpd.GeoSeries([m.region], crs="EPSG:3006").plot(ax=ax, facecolor="none", edgecolor="#555555",
                                                    linewidth=0.8, linestyle=(0, (3, 2)), zorder=7)
    gpd.GeoSeries([m.area], crs="EPSG:3006").plot(ax=ax, facecolor="none", edgecolor=cat_color,
                                                  linewidth=2.2, zorder=8)
    has_events = m.events_xy is not None and len(m.events_xy) > 0
    if has_events:
        xy = np.asarray(m.events_xy, dtype=float)
        ax.scatter(xy[:, 0], xy[:, 1], s=1.6, c=INK, alpha=0.55, linewidths=0, zorder=9)
    kinds_present = []
    for kind, _name, x, y in m.pois:
        if not (x0 < x < x1 and y0 < y < y1):
            continue
        marker, color = POI_STYLE.get(kind, ("s", "#4d4d4d"))
        ax.scatter([x], [y], s=14, marker=marker, c=color, edgecolors="white", linewidths=0.6, zorder=10)
        if kind not in kinds_present:
            kinds_present.append(kind)
    return cat_color, has_events, kinds_present


def _poi_label(kind: str, lang: str) -> str:
    """The legend's name of a kind of place (an unknown kind: the kind itself)."""
    return t(f"rep.poi.{kind}", lang) if has(f"rep.poi.{kind}") else kind


def _legend(side, m: MapData, drawn: _Drawn, name: str, lang: str) -> None:
    """The legend panel: what the map shows, in drawing order, and the attribution below."""
    handles = [Line2D([], [], color=drawn.cat_color, lw=2.2,
                      label=f"{name or L('legend_area', lang)}\n({CATEGORY_LABELS[lang].get(m.category or '', '')})"),
               Line2D([], [], color="#555555", lw=0.8, linestyle=(0, (3, 2)),
                      label=L("legend_buffer", lang, buffer=fmt_number(m.buffer_m, lang)))]
    for cls in ("hot99", "hot95", "hot90", "cold90", "cold95", "cold99"):  # the classes on the map
        if cls in drawn.classes:
            handles.append(Patch(facecolor=HOTSPOT_COLORS[cls], edgecolor="#bbbbbb", lw=0.4,
                                 label=hotspot_label(cls, lang)))
    if drawn.any_hexes:
        handles.append(Patch(facecolor="none", edgecolor="#c8c8c8", lw=0.6, label=hotspot_label("ns", lang)))
    if drawn.persistent:
        handles.append(Patch(facecolor="none", edgecolor=INK, lw=1.1, label=L("legend_was_hot", lang)))
    if drawn.former:
        handles.append(Patch(facecolor="none", edgecolor=HOTSPOT_COLORS["hot99"], lw=0.9, linestyle=(0, (2, 1.5)),
                             label=L("legend_former_hot", lang)))
    if drawn.events:
        handles.append(Line2D([], [], marker="o", lw=0, markersize=2.5, color=INK,
                              label=L("legend_events", lang)))
    for kind in drawn.poi_kinds:
        marker, color = POI_STYLE.get(kind, ("s", "#4d4d4d"))
        handles.append(Line2D([], [], marker=marker, lw=0, markersize=4.5, color=color,
                              markeredgecolor="white", label=_poi_label(kind, lang)))
    if m.other_areas:
        handles.append(Patch(facecolor="#ececec", edgecolor="#a0a0a0", lw=0.6, label=L("legend_other_areas", lang)))
    if m.kommun_lines:
        handles.append(Line2D([], [], color="#9e9e9e", lw=0.8, linestyle=(0, (4, 2)), label=L("legend_kommun", lang)))
    leg = side.legend(handles=handles, loc="upper left", frameon=False, fontsize=6.6,
                      handlelength=1.8, borderaxespad=0, labelspacing=0.7,
                      title=L("legend_title", lang), title_fontsize=7.5,
                      prop={"family": FONT, "size": 6.6})
    leg._legend_box.align = "left"
    side.text(0, 0.0, L("map_attrib", lang), fontsize=5.3, color=MUTED, va="bottom", ha="left",
              wrap=True, family=FONT, transform=side.transAxes)


def render_map(m: MapData, hotspots: dict | None, previous: dict | None, lang: str = "sv",
               name: str = "", width_cm: float = 17.0, height_cm: float = 11.0, dpi: int = 170) -> bytes:
    """PNG of the area map with hotspot hexagons, legend, scale bar and north arrow."""
    map_w = 0.70
    fig, ax, side = _axes(width_cm, height_cm, map_w)
    extent = _extent(ax, m, width_cm, height_cm, map_w)
    x0, x1, y0, y1 = extent
    _draw_context(ax, m, extent)
    classes, any_hexes, persistent, former = _draw_hexes(ax, hotspots, previous)
    cat_color, has_events, kinds = _draw_area(ax, m, extent)

    # scale bar and north arrow inside the map, in corners kept clear of the study region
    length = _nice_length(x1 - x0)
    _scale_bar(ax, x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04, length, (y1 - y0) * 0.012, lang)
    _north(ax, x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.08, (y1 - y0) * 0.08)

    _legend(side, m, _Drawn(cat_color, tuple(classes), any_hexes, persistent, former, has_events, tuple(kinds)),
            name, lang)
    return _png(fig, dpi)


# --------------------------------------------------------------------------- charts
def _month_label(month: str, lang: str) -> str:
    """``'2025-05'`` → ``'maj 25'`` (sv) / ``'May 25'`` (en)."""
    return f"{t(f'rep.month_short.{int(month[5:])}', lang)} {month[2:4]}"


def render_trends(panels: Sequence[dict], period: str, lang: str = "sv", width_cm: float = 17.0,
                  dpi: int = 170) -> bytes:
    """Small multiples of monthly values (police tier).

    ``panels``: dicts with ``title``, ``months`` (list of 'YYYY-MM'), ``values`` (list),
    ``targets`` (list or None), ``unit``.
    """
    p = parse_period(period)
    n = len(panels)
    cols = 2 if n > 1 else 1
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width_cm * CM, (4.6 * rows + 0.3) * CM))
    fig.subplots_adjust(left=0.07, right=0.985, top=0.93 if rows == 1 else 0.95, bottom=0.1 if rows == 1 else 0.06,
                        hspace=0.55, wspace=0.18)
    last = parse_month(p.last)
    prev = p.same_period_last_year()
    for k, panel in enumerate(panels):
        ax = fig.add_subplot(rows, cols, k + 1)
        months = list(panel["months"])
        idx = np.array([parse_month(m) - last for m in months], dtype=float)
        vals = np.array([np.nan if v is None else v for v in panel["values"]], dtype=float)
        for q, alpha in ((p, 0.16), (prev, 0.08)):
            a, b = parse_month(q.first) - last - 0.5, parse_month(q.last) - last + 0.5
            ax.axvspan(a, b, color="#1f4e79", alpha=alpha, lw=0)
        ax.plot(idx, vals, color="#1f4e79", lw=1.3, marker="o", markersize=1.8)
        if panel.get("targets") is not None:
            tg = np.array([np.nan if v is None else v for v in panel["targets"]], dtype=float)
            if np.isfinite(tg).any():
                ax.plot(idx, tg, color="#b2182b", lw=1.0, linestyle=(0, (4, 2)))
        ax.set_title(panel["title"], fontsize=7.5, loc="left", family=FONT, color=INK, pad=3)
        ticks = [i for i in range(int(idx.min()), int(idx.max()) + 1)
                 if int(shift_month(p.last, i)[5:]) in (1, 7)]
        ax.set_xticks(ticks)
        ax.set_xticklabels([_month_label(shift_month(p.last, i), lang) for i in ticks], fontsize=6,
                           family=FONT)
        ax.tick_params(axis="y", labelsize=6)
        ax.set_xlim(idx.min() - 0.7, idx.max() + 0.7)
        ymax = np.nanmax(np.concatenate([vals, [0]])) if np.isfinite(vals).any() else 1
        if panel.get("unit") != "share":
            ax.set_ylim(0, ymax * 1.15 + (1 if ymax < 5 else 0))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _pos: fmt_number(v, lang, 0 if float(v).is_integer() else 1)))
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.grid(axis="y", color="#e6e6e6", lw=0.5)
        ax.set_axisbelow(True)
    return _png(fig, dpi)


def render_period_bars(panels: Sequence[dict], lang: str = "sv",
                       width_cm: float = 17.0, dpi: int = 170) -> bytes:
    """Small multiples of the same period over four years (kommun tier), hidden values marked.

    ``panels``: dicts with ``title`` and ``bars`` = ``[(label, value or None, text)]``. Only shown
    values are drawn as bars; a hidden one (``value`` None, text ``'<5'``, ``'..'`` or ``'–'``) gets
    no bar at all, only its mark at the foot of the axis — a bar of any height would draw a number
    the reader must not have (and a bar of height 5 for "<5" would also be false).
    """
    n = len(panels)
    cols = 2 if n > 1 else 1
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width_cm * CM, (4.6 * rows + 0.3) * CM))
    fig.subplots_adjust(left=0.07, right=0.985, top=0.93 if rows == 1 else 0.95, bottom=0.1 if rows == 1 else 0.06,
                        hspace=0.6, wspace=0.18)
    for k, panel in enumerate(panels):
        ax = fig.add_subplot(rows, cols, k + 1)
        bars = list(panel["bars"])
        xs = np.arange(len(bars))
        known = [v for _, v, _ in bars if v is not None]
        top = max(known + [1]) * 1.25
        for x, (_label, v, text) in zip(xs, bars, strict=True):
            current = x == len(bars) - 1
            color = "#1f4e79" if current else "#9bb7d4"
            if v is not None:
                ax.bar(x, v, color=color, width=0.62)
                ax.text(x, v + top * 0.02, text, ha="center", va="bottom", fontsize=6.5, family=FONT)
            else:  # hidden or missing: the mark only, never a bar
                ax.text(x, top * 0.03, text, ha="center", va="bottom", fontsize=7, family=FONT, color=MUTED)
        ax.set_xticks(xs)
        ax.set_xticklabels([label for label, _, _ in bars], fontsize=6, family=FONT)
        ax.set_xlim(-0.6, len(bars) - 0.4)  # every year's slot, with or without a bar
        ax.set_ylim(0, top)
        if not known:  # nothing shown: no scale either
            ax.set_yticks([])
        ax.set_title(panel["title"], fontsize=7.5, loc="left", family=FONT, color=INK, pad=3)
        ax.tick_params(axis="y", labelsize=6)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _pos: fmt_number(v, lang, 0 if float(v).is_integer() else 1)))
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.grid(axis="y", color="#e6e6e6", lw=0.5)
        ax.set_axisbelow(True)
    return _png(fig, dpi)


def monthly_panel(monthly: pd.DataFrame, targets: pd.DataFrame | None, ind: dict, period: str,
                  months: int = 36, title: str | None = None) -> dict:
    """One trend panel's data from the area's monthly values (and targets) for an indicator."""
    p = parse_period(period)
    ms = [shift_month(p.last, -k) for k in range(months - 1, -1, -1)]
    s = monthly[monthly["indicator_id"] == ind["id"]].set_index("month")["value"].reindex(ms)
    tg = None
    if targets is not None and len(targets):
        t = targets[targets["indicator_id"] == ind["id"]].set_index("month")["target"]
        if len(t):
            tg = [None if pd.isna(v) else float(v) for v in t.reindex(ms)]
    return {"title": title or ind["name"], "months": ms,
            "values": [None if pd.isna(v) else float(v) for v in s], "targets": tg,
            "unit": ind.get("unit")}
