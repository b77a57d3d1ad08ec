"""The map card: offline base outlines, areas, hotspots, events and places, legend."""

from __future__ import annotations

import dash_leaflet as dl
from dash import html

from ids import Ids
from layers.areas import category_legend
from layers.emerging import CATEGORY_COLORS as EMERGING_COLORS
from layout.strings import t

SWEDEN_CENTER = [62.0, 16.5]
SWEDEN_ZOOM = 5
HOTSPOT_COLORS = {
    "hot99": "#b2182b", "hot95": "#ef8a62", "hot90": "#fddbc7", "ns": "#f7f7f7",
    "cold90": "#d1e5f0", "cold95": "#67a9cf", "cold99": "#2166ac",
}


def outline_url(name: str) -> str:
    """The app's own route for a base outline (served by app.py from services.geo.base_outlines)."""
    return f"/geodata/outlines/{name}.json"


def fn(name: str) -> dict:
    """Reference to a function in ``assets/lagesbild.js``."""
    return {"variable": f"lagesbild.{name}"}


def category_legend_children(lang: str, note: str | None = None) -> list:
    rows = [html.H3(t("legend_category", lang))]
    for item in category_legend(lang):
        rows.append(html.Div([html.Span(className="swatch", style={"background": item["color"]}),
                              html.Span(item["label"])], className="row"))
    rows.append(html.Div([html.Span(className="swatch", style={"background": "#fff", "borderStyle": "dashed"}),
                          html.Span(t("boundary_changed", lang))], className="row"))
    if note:
        rows.append(html.Div(note, className="note"))
    return rows


def area_dots(areas_fc: dict) -> dict:
    """One point per area (a vertex-average centre of its largest ring) for the national view."""
    feats = []
    for f in areas_fc["features"]:
        coords = f["geometry"]["coordinates"]
        rings = [poly[0] for poly in coords] if f["geometry"]["type"] == "MultiPolygon" else [coords[0]]
        ring = max(rings, key=len)
        lon = sum(c[0] for c in ring) / len(ring)
        lat = sum(c[1] for c in ring) / len(ring)
        feats.append({"type": "Feature", "id": f["id"], "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                      "properties": {"id": f["id"], "name": f["properties"]["name"], "category": f["properties"]["category"],
                                     "color": f["properties"]["color"]}})
    return {"type": "FeatureCollection", "features": feats}


def data_bounds(areas_fc: dict, pad: float = 0.3) -> list[list[float]]:
    """[[south, west], [north, east]] of the areas, padded in degrees."""
    lons, lats = [], []
    for f in areas_fc["features"]:
        for poly in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]):
            for lon, lat in poly[0]:
                lons.append(lon)
                lats.append(lat)
    if not lons:
        return [[55.0, 10.5], [69.5, 24.5]]
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]


def build_map(areas_fc: dict, lang: str, tile_url: str | None) -> html.Div:
    """The map card (ids: map, areas, hotspots, events, pois, legend)."""
    # The base and outline layers load from their own URL after the areas: in Leaflet's shared
    # overlay pane they would then be painted over the areas (one SVG, insertion order), so they
    # get panes of their own below it (overlay pane: z-index 400).
    base = [
        dl.Pane(dl.GeoJSON(id=Ids.SWEDEN_OUTLINE, url=outline_url("sweden"), style=fn("outlineStyle"),
                           hideout={"color": "#9a9a9a", "weight": 1, "fill": True, "fillColor": "#f4f1ea"},
                           interactive=False),
                name="base", style={"zIndex": 350}),
    ]
    if tile_url:
        base.insert(0, dl.TileLayer(url=tile_url, attribution="LAGESBILD_TILE_URL"))
    overlays = dl.Pane(dl.LayersControl([
        dl.Overlay(dl.GeoJSON(id=Ids.REGION_OUTLINE, url=outline_url("regions"), style=fn("outlineStyle"),
                              hideout={"color": "#3d3d3d", "weight": 2}, interactive=False),
                   name=t("region_outline", lang), checked=True, id=Ids.REGION_OVERLAY),
        dl.Overlay(dl.GeoJSON(id=Ids.KOMMUN_OUTLINE, url=outline_url("kommuner"), style=fn("outlineStyle"),
                              hideout={"color": "#a0a0a0", "weight": 0.6}, interactive=False),
                   name=t("kommun_outline", lang), checked=False, id=Ids.KOMMUN_OVERLAY),
    ], position="topright", collapsed=False), name="outlines", style={"zIndex": 380})
    layers = [
        dl.GeoJSON(id=Ids.AREAS, data=areas_fc, style=fn("areaStyle"), onEachFeature=fn("areaTooltip"),
                   hideout={"selected": None, "mode": "category"}),
        dl.GeoJSON(id=Ids.AREA_DOTS, data=area_dots(areas_fc), pointToLayer=fn("areaDot"),
                   onEachFeature=fn("areaTooltip")),
        dl.GeoJSON(id=Ids.HOTSPOTS, data=None, style=fn("hotspotStyle"),
                   hideout={"colors": HOTSPOT_COLORS, "emerging": EMERGING_COLORS}),
        dl.GeoJSON(id=Ids.POIS, data=None, pointToLayer=fn("poiPoint")),
        dl.GeoJSON(id=Ids.EVENTS, data=None, cluster=True, pointToLayer=fn("eventPoint"),
                   clusterToLayer=fn("cluster"), zoomToBoundsOnClick=True,
                   superClusterOptions={"radius": 60, "maxZoom": 16}),
        dl.ScaleControl(position="bottomright", imperial=False),
    ]
    return html.Div(
        className="card map-card",
        children=[
            dl.MapContainer(id=Ids.MAP, bounds=data_bounds(areas_fc), minZoom=4, maxZoom=18,
                            children=[*base, overlays, *layers], attributionControl=False,
                            keyboard=True, className="zoom-low", trackViewport=False,
                            eventHandlers={"zoomend": fn("zoomBand")}),
            html.Div(id=Ids.LEGEND, className="legend", children=category_legend_children(lang),
                     **{"aria-live": "polite"}),
        ],
    )
