"""Partners' observations as a map layer (GeoJSON in EPSG:4326, only id + style fields): their own
layer, never part of a crime count. Observations without coordinates (an area or a free-text place)
are listed, not drawn."""

from __future__ import annotations

import pandas as pd

#: one colour per checklist category (the legend and the list use the same)
CATEGORY_COLORS = {
    "nedskrapning": "#8d6e63", "skadegorelse": "#c62828", "klotter": "#6a1b9a", "trasig_belysning": "#f9a825",
    "otrygg_plats": "#ef6c00", "ansamling_ungdomar": "#1565c0", "narkotikahandel_observerad": "#2e7d32",
    "narkotikaanvandning_observerad": "#558b2f", "eldning_brand": "#d84315", "ordningsstorning": "#00838f",
    "overgivet_fordon": "#546e7a", "ovrigt": "#757575",
}


def observations_geojson(frame: pd.DataFrame, labels: dict[str, str]) -> dict:
    """FeatureCollection of the observations that have a point (coordinates rounded to ~1 m)."""
    feats = []
    for r in frame.itertuples():
        if r.lon is None or r.lat is None or pd.isna(r.lon) or pd.isna(r.lat):
            continue
        feats.append({"type": "Feature", "id": int(r.id),
                      "geometry": {"type": "Point", "coordinates": [round(float(r.lon), 5), round(float(r.lat), 5)]},
                      "properties": {"id": int(r.id), "category": r.category,
                                     "label": labels.get(r.category, r.category), "date": str(r.obs_date)[:10],
                                     "org": r.organisation,
                                     "color": CATEGORY_COLORS.get(r.category, "#757575")}})
    return {"type": "FeatureCollection", "features": feats}


def bounds_of(geojson: dict, fallback: list) -> list:
    """``[[south, west], [north, east]]`` around the points, padded (the fallback when there are none)."""
    pts = [f["geometry"]["coordinates"] for f in geojson["features"]]
    if not pts:
        return fallback
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    pad = 0.004
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]
