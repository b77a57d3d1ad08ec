"""The method card of a hotspot layer: "Hur beräknades detta?" / "How was this calculated?".

Built from a layer's ``method`` and ``excluded`` dicts as (label, value) rows, Swedish or English.

>>> rows = method_card({"method": "kernel density (quartic/biweight kernel)", "bandwidth_m": 300.0,
...                     "bandwidth_rule": "fixed", "points_used": 1200},
...                    {"imprecise_location_kommun": 40, "outside_study_region": 0}, "sv")
>>> rows[0], rows[1], rows[-2]
(('Metod', 'Kärntäthet (kvartisk kärna)'), ('Bandbredd', '300 m (fast)'), ('Utelämnade punkter', '40'))
>>> rows[-1]
('– oprecis position (kommunens mittpunkt)', '40')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from geodata.precision import LABELS as PRECISION_LABELS
from i18n import check_lang, fmt_number
from texts import LANGS, has, t

#: the card's title in each language
TITLE = {lang: t("ind.card.title", lang) for lang in LANGS}

# the catalogue key (``ind.card.method.<key>``) of each method a layer names
_METHOD_KEYS = {
    "Getis-Ord Gi*": "gistar",
    "kernel density (quartic/biweight kernel)": "kde",
    "emerging hot spot analysis": "emerging",
}

Row = tuple[str, str]


def _t(key: str, lang: str) -> str:
    return t(f"ind.card.label.{key}", lang)


def reason_label(reason: str, lang: str = "sv") -> str:
    """Readable text of an exclusion reason key."""
    if reason.startswith("imprecise_location_"):
        cls = reason.removeprefix("imprecise_location_")
        name = PRECISION_LABELS[lang].get(cls, cls)
        return t("ind.excluded.imprecise_location", lang, name=name)
    key = f"ind.excluded.{reason}"
    return t(key, lang) if has(key) else reason


def _n(lang: str):
    return lambda v, d=0: fmt_number(v, lang, d)


def _cells_text(method: Mapping[str, Any], lang: str) -> str | None:
    """Which hexagons were analysed, and why the edge cells were left out."""
    cover, cells = method.get("cover"), method.get("cells")
    if cover is None or cells is None:
        return None
    n = _n(lang)
    left = int(method.get("cells_left_out") or 0)
    if cover == "share":
        pct = n(round(100 * float(method.get("min_cell_share") or 0)))
        text = t("ind.card.cells.share", lang, cells=n(cells), pct=pct)
    elif cover in ("center", "full"):
        text = t(f"ind.card.cells.{cover}", lang, cells=n(cells))
    else:
        return t("ind.card.cells.touching", lang, cells=n(cells))
    if left:
        text += t("ind.card.cells.left_out", lang, left=n(left))
    return text


def _period(p: Mapping[str, str], lang: str) -> str:
    start = pd.Timestamp(p["start"]).date()
    last = (pd.Timestamp(p["end"]) - pd.Timedelta(days=1)).date()
    return f"{start.isoformat()} – {last.isoformat()}"


def method_card(
    method: Mapping[str, Any], excluded: Mapping[str, int] | None = None, lang: str = "sv"
) -> list[tuple[str, str]]:
    """Rows (label, value) describing how a layer was computed.

    Parameters
    ----------
    method : mapping
        A layer's ``method`` dict (hotspots, kde, emerging, DeSO Gi*).
    excluded : mapping, optional
        Reason → number of points left out.
    lang : {'sv', 'en'}

    Returns
    -------
    list of (str, str)
        Only rows whose information is present; the excluded points close the card, one row per
        non-zero reason after a total.
    """
    check_lang(lang)
    rows: list[Row] = []
    for section in (_method_rows, _grid_rows, _neighbourhood_rows, _inference_rows, _scale_rows,
                    _scope_rows):
        rows += section(method, lang)
    if excluded is not None:
        rows += _excluded_rows(excluded, lang)
    return rows


def _method_rows(method: Mapping[str, Any], lang: str) -> list[Row]:
    name = method.get("method")
    if not name:
        return []
    key = _METHOD_KEYS.get(name)
    return [(_t("method", lang), t(f"ind.card.method.{key}", lang) if key else str(name))]


def _grid_rows(method: Mapping[str, Any], lang: str) -> list[Row]:
    """The H3 grid (resolution, cell size, why finer than 9) and which cells were analysed."""
    if method.get("grid") != "H3":
        return []
    n = _n(lang)
    text = t("ind.card.grid.h3", lang, resolution=method["h3_resolution"])
    edge, area = method.get("mean_edge_length_m"), method.get("mean_cell_area_km2")
    if edge is not None:
        text += t("ind.card.grid.edge", lang, edge=n(edge))
        text += t("ind.card.grid.area", lang, area=n(area, 3)) if area is not None else ")"
    if str(method.get("resolution_rule") or "").startswith("auto") and method["h3_resolution"] > 9:
        text += t("ind.card.grid.finer", lang)
    rows = [(_t("grid", lang), text)]
    cells_row = _cells_text(method, lang)
    if cells_row:
        rows.append((_t("cells", lang), cells_row))
    return rows


def _neighbourhood_rows(method: Mapping[str, Any], lang: str) -> list[Row]:
    rows = []
    if method.get("polygons"):
        rows.append((_t("polygons", lang), str(method["polygons"])))
    if method.get("neighbourhood"):
        if method.get("grid") == "H3":
            text = t("ind.card.neighbourhood.h3", lang)
        elif method.get("contiguity") == "queen":
            text = t("ind.card.neighbourhood.queen", lang)
        else:
            text = str(method["neighbourhood"])
        rows.append((_t("neighbourhood", lang), text))
    return rows


def _inference_rows(method: Mapping[str, Any], lang: str) -> list[Row]:
    """The significance test (permutations, exact or normal; why) and the FDR control."""
    n = _n(lang)
    rows = []
    if method.get("inference"):
        rows.append((_t("inference", lang), _test_text(method, lang) + _test_why(method, lang)))
    if method.get("fdr"):
        levels = method.get("confidence_levels") or [0.90, 0.95, 0.99]
        lv = "/".join(n(round(100 * c)) for c in sorted(levels))
        rows.append((_t("fdr", lang), t("ind.card.fdr", lang, levels=lv)))
    return rows


def _test_text(method: Mapping[str, Any], lang: str) -> str:
    n = _n(lang)
    perms = method.get("permutations") or 0
    if perms:
        return t("ind.card.inference.permutation", lang, perms=n(perms))
    if method.get("inference_kind") in ("exact", "mixed"):
        text = t("ind.card.inference.exact", lang)
        if method.get("inference_kind") == "mixed":
            k, m = method.get("exact_slices"), method.get("time_slices")
            text += t("ind.card.inference.mixed", lang, k=n(k), m=n(m))
        return text
    return t("ind.card.inference.normal", lang)


def _test_why(method: Mapping[str, Any], lang: str) -> str:
    """Why this test: the mean count per cell (or unit) against what the normal approximation
    needs."""
    n = _n(lang)
    why, mean, least = (method.get(k) for k in ("inference_choice", "mean_count", "analytical_min_mean"))
    if why not in ("sparse", "dense") or mean is None or least is None:
        return ""
    unit = t("ind.card.unit.cell" if method.get("grid") == "H3" else "ind.card.unit.polygon", lang)
    if method.get("time_slices"):
        unit += t("ind.card.unit.and_month", lang)
    if why == "sparse":  # why not the usual test: the normal approximation needs more events
        return t("ind.card.inference.sparse", lang, mean=n(mean, 2), unit=unit, least=n(least))
    return t("ind.card.inference.dense", lang, mean=n(mean, 1), unit=unit)


def _scale_rows(method: Mapping[str, Any], lang: str) -> list[Row]:
    """Bandwidth, cell size, time steps and the trend test."""
    n = _n(lang)
    rows = []
    if method.get("bandwidth_m") is not None:
        fixed = method.get("bandwidth_rule", "fixed") == "fixed"
        rule = t("ind.card.bandwidth.fixed" if fixed else "ind.card.bandwidth.silverman", lang)
        rows.append((_t("bandwidth", lang), f"{n(method['bandwidth_m'])} m ({rule})"))
    if method.get("cell_size_m") is not None:
        rows.append((_t("cell", lang), f"{n(method['cell_size_m'])} m"))
    if method.get("time_slices"):
        rows.append((_t("slices", lang), t("ind.card.months", lang, n=n(method["time_slices"]))))
    if method.get("trend_test"):
        alpha = method.get("trend_alpha", 0.05)
        rows.append((_t("trend", lang), f"Mann–Kendall, α = {n(alpha, 2)}"))
    return rows


def _scope_rows(method: Mapping[str, Any], lang: str) -> list[Row]:
    """Period, event types, study region and the points used."""
    n = _n(lang)
    rows = []
    if method.get("period"):
        rows.append((_t("period", lang), _period(method["period"], lang)))
    if method.get("event_types"):
        rows.append((_t("types", lang), ", ".join(method["event_types"])))
    if method.get("study_region_km2") is not None:
        rows.append((_t("region", lang), f"{n(method['study_region_km2'], 2)} km²"))
    if method.get("points_used") is not None:
        rows.append((_t("used", lang), n(method["points_used"])))
    return rows


def _excluded_rows(excluded: Mapping[str, int], lang: str) -> list[Row]:
    """The points left out: a total, then one row per non-zero reason."""
    n = _n(lang)
    total = sum(int(v) for v in excluded.values())
    rows = [(_t("excluded", lang), n(total))]
    for reason, count in excluded.items():
        if count:
            rows.append((f"– {reason_label(reason, lang)}", n(count)))
    return rows
