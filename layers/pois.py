"""Hypothesis check: are events denser within X m of places of kind K than elsewhere in the area?

Conditional on the total number of events n in the study region, under "no association" each event
falls within the buffer with probability p0 = (buffer area ∩ region) / region area, so the inside
count is Binomial(n, p0): the exact test is ``scipy.stats.binomtest(inside, n, p0)``. It tests
density, not cause; the sentence says so in numbers, the UI should say it in words.

>>> import pandas as pd
>>> from shapely.geometry import box
>>> region = box(0, 6_500_000, 1_000, 6_501_000)
>>> pts = pd.DataFrame({"x": [100.0] * 8 + [900.0] * 2, "y": [6_500_100.0] * 10,
...                     "occurred_at": "2025-01-01", "type": "Rån", "precision": "exact"})
>>> places = pd.DataFrame({"x": [100.0], "y": [6_500_100.0], "kind": ["bar"]})
>>> res = poi_hypothesis(pts, places, region, distance_m=100, kind_label={"sv": "krogar", "en": "bars"})
>>> res.events_inside, res.events_outside, round(res.area_share, 4)
(8, 2, 0.0314)
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from scipy.stats import binomtest

from geodata.precision import HOTSPOT_ELIGIBLE
from i18n import fmt_number, fmt_p
from layers._points import PeriodLike, period_dict, select_points
from texts import LANGS, t

#: Map symbol of each kind of place (its name: ``ind.poi_kind.<kind>`` in the text catalogue):
#: every kind its own shape and colour (the map, the legend and the report's map). Other kinds
#: get a grey circle and their own name.
POI_KINDS: dict[str, dict[str, Any]] = {
    "tunnelbana": {"shape": "metro", "color": "#0072b2", "letter": "T"},
    "krog": {"shape": "diamond", "color": "#7b3294", "letter": ""},
}
DEFAULT_POI_STYLE = {"shape": "circle", "color": "#555555", "letter": ""}


def poi_kind_style(kind: str | None) -> dict[str, str]:
    """``{shape, color, letter}`` of a kind of place."""
    spec = POI_KINDS.get(str(kind))
    return {k: spec[k] for k in ("shape", "color", "letter")} if spec else dict(DEFAULT_POI_STYLE)


def poi_kind_label(kind: str | None, lang: str = "sv") -> str:
    """Name of a kind of place (the kind itself when it has no name here)."""
    return t(f"ind.poi_kind.{kind}", lang) if str(kind) in POI_KINDS else str(kind)


@dataclass(frozen=True)
class PoiTest:
    """Result of ``poi_hypothesis`` (areas in km², rates per km²)."""

    kind: str | None
    distance_m: float
    n_places: int
    area_inside_km2: float
    area_outside_km2: float
    area_share: float
    events_inside: int
    events_outside: int
    events_total: int
    rate_inside_per_km2: float
    rate_outside_per_km2: float
    rate_ratio: float
    events_per_place: float
    p_value: float
    alternative: str
    sentence: dict[str, str]
    method: dict[str, Any] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-safe except NaN/inf, which become ``None``)."""
        out: dict[str, Any] = {}
        for k, v in self.__dict__.items():
            out[k] = None if isinstance(v, float) and not math.isfinite(v) else v
        return out


def _place_xy(pois: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if {"x", "y"} <= set(pois.columns):
        return (pd.to_numeric(pois["x"], errors="coerce").to_numpy(float),
                pd.to_numeric(pois["y"], errors="coerce").to_numpy(float))
    geom = getattr(pois, "geometry", None)
    if geom is not None:
        if pois.crs is not None and pois.crs != "EPSG:3006":
            geom = geom.to_crs("EPSG:3006")
        return geom.x.to_numpy(float), geom.y.to_numpy(float)
    raise ValueError("places: expected columns x, y (EPSG:3006) or a point geometry")


def _pct(share: float, lang: str) -> str:
    value = 100 * share
    dec = 1 if 0 < value < 1 else 0
    return t("fmt.percent", lang, value=fmt_number(value, lang, dec))


def _sentences(r: dict[str, Any], labels: Mapping[str, str]) -> dict[str, str]:
    """The result in one sentence per language (``labels``: the places' plural name in each)."""
    return {lang: _sentence(r, labels[lang], lang) for lang in LANGS}


def _sentence(r: dict[str, Any], label: str, lang: str) -> str:
    d = fmt_number(r["distance_m"], lang, 0)
    if r["events_total"] == 0:
        return t("ind.poi.no_events", lang)
    if r["n_places"] == 0:
        return t("ind.poi.no_places", lang, places=label, distance=d)
    ratio = r["rate_ratio"]
    if r["events_outside"] == 0:
        dens = t("ind.poi.none_outside", lang)
    else:
        dens = t("ind.poi.denser" if ratio >= 1 else "ind.poi.as_dense", lang, ratio=fmt_number(ratio, lang, 1))
    p = r["p_value"]
    if math.isnan(p):
        ptext = ""
    else:
        formatted = fmt_p(p, lang)
        ptext = f", p {formatted}" if formatted.startswith("<") else f", p = {formatted}"
    return t("ind.poi.sentence", lang, distance=d, places=f"{fmt_number(r['n_places'], lang)} {label}",
             inside=fmt_number(r["events_inside"], lang), total=fmt_number(r["events_total"], lang),
             share_events=_pct(r["events_inside"] / r["events_total"], lang),
             share_area=_pct(r["area_share"], lang), density=dens, p=ptext)


def poi_hypothesis(
    points: pd.DataFrame,
    pois: pd.DataFrame,
    region: shapely.Geometry,
    *,
    distance_m: float = 200.0,
    kind: str | None = None,
    kind_label: Mapping[str, str] | None = None,
    period: PeriodLike = None,
    types: Collection[str] | None = None,
    alternative: str = "two-sided",
    eligible: Collection[str] = HOTSPOT_ELIGIBLE,
) -> PoiTest:
    """Compare event density within ``distance_m`` of places with the rest of ``region``.

    Parameters
    ----------
    points : pandas.DataFrame
        Events (points contract, EPSG:3006); only ``eligible`` precision classes count.
    pois : pandas.DataFrame or geopandas.GeoDataFrame
        Places: ``x``, ``y`` (EPSG:3006) or point geometry; optional ``kind`` column.
    region : shapely.Geometry
        Study region (EPSG:3006).
    distance_m : float
        Buffer radius around each place.
    kind : str, optional
        Keep only places whose ``kind`` equals this.
    kind_label : mapping, optional
        Plural name of the places for the sentence, ``{'sv': 'krogar', 'en': 'bars'}``.
    period, types : optional
        As for ``hotspots``.
    alternative : {'two-sided', 'greater', 'less'}
        Alternative hypothesis of the binomial test.

    Returns
    -------
    PoiTest
    """
    if distance_m <= 0:
        raise ValueError(f"poi_hypothesis: distance_m must be positive, got {distance_m}")
    pts = _places_near(pois, kind, region, distance_m)
    region_area = float(region.area)
    if len(pts):
        zone = shapely.intersection(shapely.union_all(shapely.buffer(pts, distance_m, quad_segs=16)), region)
    else:
        zone = shapely.Polygon()
    area_in = float(zone.area)
    area_out = region_area - area_in
    share = area_in / region_area if region_area > 0 else float("nan")

    sel = select_points(points, region=region, period=period, types=types, eligible=eligible)
    inside_mask = shapely.intersects_xy(zone, sel.x, sel.y) if len(pts) and len(sel.x) else \
        np.zeros(len(sel.x), dtype=bool)
    n_in = int(inside_mask.sum())
    n = int(len(sel.x))
    n_out = n - n_in

    with np.errstate(divide="ignore", invalid="ignore"):
        rate_in = n_in / (area_in / 1e6) if area_in > 0 else float("nan")
        rate_out = n_out / (area_out / 1e6) if area_out > 0 else float("nan")
        ratio = rate_in / rate_out if rate_out > 0 else (float("inf") if rate_in > 0 else float("nan"))
    p = float("nan")
    if n > 0 and 0 < share < 1:
        p = float(binomtest(n_in, n, share, alternative=alternative).pvalue)
    labels = dict(kind_label) if kind_label else {lang: kind or t("ind.poi.places", lang) for lang in LANGS}
    summary = {
        "distance_m": float(distance_m), "n_places": int(len(pts)), "events_total": n,
        "events_inside": n_in, "events_outside": n_out, "area_share": share, "rate_ratio": ratio,
        "p_value": p,
    }
    return PoiTest(
        kind=kind, distance_m=float(distance_m), n_places=int(len(pts)),
        area_inside_km2=area_in / 1e6, area_outside_km2=area_out / 1e6, area_share=share,
        events_inside=n_in, events_outside=n_out, events_total=n,
        rate_inside_per_km2=rate_in, rate_outside_per_km2=rate_out, rate_ratio=ratio,
        events_per_place=n_in / len(pts) if len(pts) else float("nan"),
        p_value=p, alternative=alternative, sentence=_sentences(summary, labels),
        method=_method(distance_m, alternative, eligible, types, sel.period, region_area),
        excluded=sel.excluded,
    )


def _places_near(pois: pd.DataFrame, kind: str | None, region: shapely.Geometry,
                 distance_m: float) -> np.ndarray:
    """The places (of ``kind``) with coordinates whose buffer reaches into the region."""
    places = pois
    if kind is not None:
        if "kind" not in pois.columns:
            raise ValueError("places: a 'kind' column is needed to choose a kind of place")
        places = pois[pois["kind"] == kind]
    px, py = _place_xy(places)
    ok = np.isfinite(px) & np.isfinite(py)
    pts = shapely.points(px[ok], py[ok])
    near = shapely.dwithin(pts, region, distance_m) if len(pts) else np.zeros(0, dtype=bool)
    return pts[near]


def _method(distance_m: float, alternative: str, eligible: Collection[str],
            types: Collection[str] | None, period: Any, region_area: float) -> dict[str, Any]:
    """The test's ``method`` dict (its method card)."""
    return {
        "method": "exact conditional binomial test of the inside count given the total",
        "null_probability": "buffer area share of the study region",
        "alternative": alternative,
        "buffer": f"union of {distance_m:g} m circles around the places, clipped to the region",
        "precision_classes_used": sorted(eligible),
        "event_types": sorted(types) if types is not None else None,
        "period": period_dict(period),
        "study_region_km2": round(region_area / 1e6, 3),
    }
