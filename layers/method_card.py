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
from i18n import NBSP, check_lang, fmt_number

TITLE = {"sv": "Hur beräknades detta?", "en": "How was this calculated?"}

_METHOD_NAMES = {
    "Getis-Ord Gi*": {"sv": "Getis-Ord Gi* (hot spot-analys)", "en": "Getis-Ord Gi* (hot spot analysis)"},
    "kernel density (quartic/biweight kernel)": {
        "sv": "Kärntäthet (kvartisk kärna)", "en": "Kernel density (quartic kernel)"},
    "emerging hot spot analysis": {
        "sv": "Framväxande hot spots (Gi* per månad + Mann–Kendall-trend)",
        "en": "Emerging hot spots (Gi* per month + Mann–Kendall trend)"},
}

_LABELS = {
    "method": ("Metod", "Method"),
    "grid": ("Rutnät", "Grid"),
    "cells": ("Celler", "Cells"),
    "polygons": ("Indelning", "Units"),
    "neighbourhood": ("Grannskap", "Neighbourhood"),
    "inference": ("Signifikans", "Significance"),
    "fdr": ("Många samtidiga test", "Multiple testing"),
    "bandwidth": ("Bandbredd", "Bandwidth"),
    "cell": ("Cellstorlek", "Cell size"),
    "slices": ("Tidssteg", "Time steps"),
    "trend": ("Trendtest", "Trend test"),
    "period": ("Period", "Period"),
    "types": ("Händelsetyper", "Event types"),
    "region": ("Studieområde", "Study region"),
    "used": ("Punkter som används", "Points used"),
    "excluded": ("Utelämnade punkter", "Points left out"),
}

_REASONS = {
    "missing_time": ("saknar tidpunkt", "no time"),
    "outside_period": ("utanför perioden", "outside the period"),
    "missing_coordinates": ("saknar koordinater", "no coordinates"),
    "unknown_precision": ("okänd lägesnoggrannhet", "unknown location precision"),
    "outside_study_region": ("utanför studieområdet", "outside the study region"),
    "outside_analysed_cells": ("i kantceller som mest ligger utanför studieområdet",
                               "in edge cells lying mostly outside the study region"),
}


def _t(key: str, lang: str) -> str:
    sv, en = _LABELS[key]
    return sv if lang == "sv" else en


def reason_label(reason: str, lang: str = "sv") -> str:
    """Readable text of an exclusion reason key."""
    if reason.startswith("imprecise_location_"):
        cls = reason.removeprefix("imprecise_location_")
        name = PRECISION_LABELS[lang].get(cls, cls)
        return f"oprecis position ({name})" if lang == "sv" else f"imprecise location ({name})"
    sv, en = _REASONS.get(reason, (reason, reason))
    return sv if lang == "sv" else en


def _cells_text(method: Mapping[str, Any], lang: str) -> str | None:
    """Which hexagons were analysed, and why the edge cells were left out."""
    sv = lang == "sv"
    cover, cells = method.get("cover"), method.get("cells")
    if cover is None or cells is None:
        return None
    n = lambda v, d=0: fmt_number(v, lang, d)  # noqa: E731
    left = int(method.get("cells_left_out") or 0)
    if cover == "share":
        pct = n(round(100 * float(method.get("min_cell_share") or 0)))
        text = (f"{n(cells)} celler som ligger till minst {pct}{NBSP}% inom studieområdet" if sv
                else f"{n(cells)} cells lying at least {pct}% inside the study region")
    elif cover == "center":
        text = (f"{n(cells)} celler med mittpunkten i studieområdet" if sv
                else f"{n(cells)} cells with their centre in the study region")
    elif cover == "full":
        text = (f"{n(cells)} celler helt inom studieområdet" if sv
                else f"{n(cells)} cells wholly inside the study region")
    else:
        return (f"{n(cells)} celler: alla som berör studieområdet, även kantceller som mest ligger "
                "utanför (äldre metod, ger falska hot spots)" if sv else
                f"{n(cells)} cells: every cell touching the study region, even edge cells lying "
                "mostly outside (older method, gives false hot spots)")
    if left:
        text += (f"; {n(left)} kantceller som mest ligger utanför ingår inte – med få händelser "
                 "skulle de få grannarna att se ut som hot spots" if sv else
                 f"; {n(left)} edge cells lying mostly outside are left out – with few events they "
                 "would make their neighbours look like hot spots")
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
    sv = lang == "sv"
    n = lambda v, d=0: fmt_number(v, lang, d)  # noqa: E731
    rows: list[tuple[str, str]] = []
    name = method.get("method")
    if name:
        rows.append((_t("method", lang), _METHOD_NAMES.get(name, {}).get(lang, str(name))))
    if method.get("grid") == "H3":
        text = (f"H3-hexagoner, upplösning {method['h3_resolution']}" if sv
                else f"H3 hexagons, resolution {method['h3_resolution']}")
        edge, area = method.get("mean_edge_length_m"), method.get("mean_cell_area_km2")
        if edge is not None:
            text += (f" (kantlängd ≈ {n(edge)} m" if sv else f" (edge ≈ {n(edge)} m")
            text += f", {'yta' if sv else 'area'} ≈ {n(area, 3)} km²)" if area is not None else ")"
        if str(method.get("resolution_rule") or "").startswith("auto") and method["h3_resolution"] > 9:
            text += (" – finare än 9, så att minst 30 celler analyseras" if sv
                     else " – finer than 9, so that at least 30 cells are analysed")
        rows.append((_t("grid", lang), text))
        cells_row = _cells_text(method, lang)
        if cells_row:
            rows.append((_t("cells", lang), cells_row))
    if method.get("polygons"):
        rows.append((_t("polygons", lang), str(method["polygons"])))
    if method.get("neighbourhood"):
        if method.get("grid") == "H3":
            text = ("cellen och dess 6 närmaste grannar, binära vikter" if sv
                    else "the cell and its 6 adjacent cells, binary weights")
        elif method.get("contiguity") == "queen":
            text = ("området och alla som delar gräns eller hörn (queen), binära vikter" if sv
                    else "the unit and every unit sharing an edge or corner (queen), binary weights")
        else:
            text = str(method["neighbourhood"])
        rows.append((_t("neighbourhood", lang), text))
    if method.get("inference"):
        perms = method.get("permutations") or 0
        if perms:
            text = (f"permutationstest ({n(perms)} permutationer), tvåsidigt" if sv
                    else f"permutation test ({n(perms)} permutations), two-sided")
        elif method.get("inference_kind") in ("exact", "mixed"):
            text = ("exakt test (fördelningen när antalen flyttas slumpvis mellan cellerna), tvåsidigt"
                    if sv else "exact test (the distribution when the counts are shuffled between "
                    "cells), two-sided")
            if method.get("inference_kind") == "mixed":
                k, m = method.get("exact_slices"), method.get("time_slices")
                text += (f", i {n(k)} av {n(m)} tidssteg (normalfördelning i övriga)" if sv
                         else f", in {n(k)} of {n(m)} time steps (normal approximation in the others)")
        else:
            text = "normalfördelning, tvåsidigt" if sv else "normal approximation, two-sided"
        why, mean, least = (method.get(k) for k in ("inference_choice", "mean_count", "analytical_min_mean"))
        if why in ("sparse", "dense") and mean is not None and least is not None:
            unit = "per cell" if method.get("grid") == "H3" else ("per område" if sv else "per unit")
            if method.get("time_slices"):
                unit += " och månad" if sv else " and month"
            if why == "sparse":  # why not the usual test: the normal approximation needs more events
                text += (f" – glesa data: {n(mean, 2)} händelser {unit} i snitt, normalfördelningen "
                         f"kräver minst {n(least)}" if sv else
                         f" – sparse data: {n(mean, 2)} events {unit} on average, the normal "
                         f"approximation needs at least {n(least)}")
            else:
                text += (f" ({n(mean, 1)} händelser {unit} i snitt)" if sv
                         else f" ({n(mean, 1)} events {unit} on average)")
        rows.append((_t("inference", lang), text))
    if method.get("fdr"):
        levels = method.get("confidence_levels") or [0.90, 0.95, 0.99]
        lv = "/".join(n(round(100 * c)) for c in sorted(levels))
        text = (f"Benjamini–Hochberg (FDR), {lv}{NBSP}% konfidens" if sv
                else f"Benjamini–Hochberg (FDR), {lv}% confidence")
        rows.append((_t("fdr", lang), text))
    if method.get("bandwidth_m") is not None:
        fixed = method.get("bandwidth_rule", "fixed") == "fixed"
        rule = ("fast" if fixed else "föreslagen med Silvermans tumregel") if sv else (
            "fixed" if fixed else "suggested by Silverman's rule of thumb")
        rows.append((_t("bandwidth", lang), f"{n(method['bandwidth_m'])} m ({rule})"))
    if method.get("cell_size_m") is not None:
        rows.append((_t("cell", lang), f"{n(method['cell_size_m'])} m"))
    if method.get("time_slices"):
        text = (f"{n(method['time_slices'])} månader" if sv else f"{n(method['time_slices'])} months")
        rows.append((_t("slices", lang), text))
    if method.get("trend_test"):
        alpha = method.get("trend_alpha", 0.05)
        rows.append((_t("trend", lang), f"Mann–Kendall, α = {n(alpha, 2)}"))
    if method.get("period"):
        rows.append((_t("period", lang), _period(method["period"], lang)))
    if method.get("event_types"):
        rows.append((_t("types", lang), ", ".join(method["event_types"])))
    if method.get("study_region_km2") is not None:
        rows.append((_t("region", lang), f"{n(method['study_region_km2'], 2)} km²"))
    if method.get("points_used") is not None:
        rows.append((_t("used", lang), n(method["points_used"])))
    if excluded is not None:
        total = sum(int(v) for v in excluded.values())
        rows.append((_t("excluded", lang), n(total)))
        for reason, count in excluded.items():
            if count:
                rows.append((f"– {reason_label(reason, lang)}", n(count)))
    return rows
