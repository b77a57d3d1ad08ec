"""Events as a clustered point layer: filter by type and period, colour by type, show precision.

Each feature carries ``type``, ``precision``, ``color`` (fixed palette by type), ``time`` (ISO local
time) and ``approx``: true for points that only stand for a larger unit (DeSO, kommun or län centre,
area named in text) so the map can draw them differently, never as if they were exact.

>>> import pandas as pd
>>> pts = pd.DataFrame({"x": [674_000.0, 674_100.0], "y": [6_580_000.0, 6_580_100.0],
...                     "occurred_at": ["2025-03-01T22:15:00", "2025-03-02T01:00:00"],
...                     "type": ["Skottlossning", "Brand"], "precision": ["exact", "kommun"]})
>>> fc = events_geojson(pts)
>>> [(f["properties"]["type"], f["properties"]["approx"]) for f in fc["features"]]
[('Skottlossning', False), ('Brand', True)]
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

import texts
from geodata.precision import HOTSPOT_ELIGIBLE, LABELS, PRECISION_CLASSES
from layers._geojson import feature_collection, to_wgs84_xy
from layers._points import PeriodLike, check_points, normalise_period, parse_times, precision_codes
from layers.palettes import qualitative_color

DEFAULT_EVENT_COLOR = "#8c8c8c"

#: Fixed colours for police-relevant event types (Okabe–Ito hues; related types share a hue).
EVENT_TYPE_COLORS: dict[str, str] = {
    "Skottlossning": "#d55e00",
    "Skottlossning, misstänkt": "#d55e00",
    "Explosion": "#cc79a7",
    "Detonation": "#cc79a7",
    "Bombhot": "#cc79a7",
    "Smällar": "#cc79a7",
    "Brand": "#e69f00",
    "Mordbrand": "#e69f00",
    "Mord/dråp": "#1a1a1a",
    "Mord/dråp, försök": "#1a1a1a",
    "Misshandel": "#0072b2",
    "Misshandel, grov": "#0072b2",
    "Olaga hot": "#0072b2",
    "Våld/hot mot tjänsteman": "#0072b2",
    "Rån": "#56b4e9",
    "Rån väpnat": "#56b4e9",
    "Rån övrigt": "#56b4e9",
    "Rån, försök": "#56b4e9",
    "Narkotikabrott": "#009e73",
    "Vapenlagen": "#009e73",
    "Knivlagen": "#009e73",
    "Skadegörelse": "#b8a200",
    "Sabotage mot blåljusverksamhet": "#b8a200",
    "Stöld": "#7f6b8f",
    "Stöld/inbrott": "#7f6b8f",
    "Inbrott": "#7f6b8f",
    "Motorfordon, stöld": "#7f6b8f",
}


def event_color(event_type: str | None) -> str:
    """Colour of an event type: the fixed one, else a stable qualitative colour of its name (so
    two types on the map are told apart), grey without a type."""
    if not event_type:
        return DEFAULT_EVENT_COLOR
    return EVENT_TYPE_COLORS.get(event_type) or qualitative_color(event_type)


def filter_events(
    points: pd.DataFrame,
    types: Collection[str] | None = None,
    period: PeriodLike = None,
) -> pd.DataFrame:
    """Rows of ``types`` with ``occurred_at`` in ``[start, end)``; ``occurred_at`` as local time.

    Rows without a time are dropped when a period is given.
    """
    check_points(points)
    out = points
    if types is not None:
        out = out[out["type"].isin(list(types))]
    span = normalise_period(period)
    if "occurred_at" in out.columns:
        out = out.assign(occurred_at=parse_times(out["occurred_at"]).to_numpy())
    if span is not None:
        t = out["occurred_at"]
        out = out[(t >= span[0]) & (t < span[1])]
    return out


def events_geojson(
    points: pd.DataFrame,
    types: Collection[str] | None = None,
    period: PeriodLike = None,
    decimals: int = 5,
) -> dict[str, Any]:
    """FeatureCollection of events (EPSG:4326) for a dash-leaflet ``GeoJSON(cluster=True)`` layer.

    Points without coordinates are left out (counted in the top-level ``excluded``).
    """
    ev = filter_events(points, types, period)
    x = pd.to_numeric(ev["x"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(ev["y"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    ev = ev[ok]
    lon, lat = to_wgs84_xy(x[ok], y[ok])
    lon = np.round(lon, decimals).tolist()
    lat = np.round(lat, decimals).tolist()
    times = (
        [None if pd.isna(t) else t.isoformat() for t in ev["occurred_at"]]
        if "occurred_at" in ev.columns else [None] * len(ev)
    )
    types_ = ev["type"].astype(object).where(ev["type"].notna(), None).tolist() if "type" in ev.columns \
        else [None] * len(ev)
    precision = ev["precision"].astype(object).where(ev["precision"].notna(), None).tolist()
    ids = ev["id"].tolist() if "id" in ev.columns else [None] * len(ev)
    features = []
    for i, lo, la, t, ty, pr in zip(ids, lon, lat, times, types_, precision, strict=True):
        feature: dict[str, Any] = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lo, la]},
            "properties": {
                "type": ty, "precision": pr, "color": event_color(ty), "time": t,
                "approx": pr not in HOTSPOT_ELIGIBLE,
            },
        }
        if i is not None and not (isinstance(i, float) and np.isnan(i)):
            feature["id"] = i.item() if isinstance(i, np.generic) else i
        features.append(feature)
    return feature_collection(features, excluded={"missing_coordinates": int((~ok).sum())})


def precision_summary(points: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Count of points per precision class, finest first, with labels and hotspot eligibility.

    Columns: ``precision``, ``label``, ``count``, ``share`` (0–1), ``hotspot_eligible``; a row
    ``unknown`` is added when some points have a missing or unknown class.
    """
    check_points(points)
    codes = precision_codes(points["precision"])
    counts = np.bincount(codes + 1, minlength=len(PRECISION_CLASSES) + 1)
    total = max(int(len(points)), 1)
    rows = [
        {"precision": cls, "label": LABELS[lang][cls], "count": int(counts[i + 1]),
         "share": counts[i + 1] / total, "hotspot_eligible": cls in HOTSPOT_ELIGIBLE}
        for i, cls in enumerate(PRECISION_CLASSES)
    ]
    if counts[0]:
        rows.append({"precision": "unknown", "label": texts.t("ind.precision.unknown", lang),
                     "count": int(counts[0]), "share": counts[0] / total, "hotspot_eligible": False})
    return pd.DataFrame(rows, columns=["precision", "label", "count", "share", "hotspot_eligible"])
