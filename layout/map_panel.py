"""The map card: offline base outlines, areas, hotspots, events and places, legend."""

from __future__ import annotations

from urllib.parse import urlsplit

import dash_leaflet as dl
from dash import html

from ids import Ids
from layers.legends import category_legend_rows, events_hideout, hotspot_hideout
from layout.strings import t

SWEDEN_CENTER = [62.0, 16.5]
SWEDEN_ZOOM = 5


def outline_url(name: str) -> str:
    """The app's own route for a base outline (served by app.py from services.geo.base_outlines)."""
    return f"/geodata/outlines/{name}.json"


def fn(name: str) -> dict:
    """Reference to a function in ``assets/lagesbild.js``."""
    return {"variable": f"lagesbild.{name}"}


def legend_key(row: dict) -> html.Span:
    """The key of a legend row, drawn as the map draws it (``layers.legends`` symbols; shapes in
    lagesbild.css)."""
    color, symbol = row["color"], row.get("symbol", "fill")
    style = {"borderColor": color} if symbol in ("outline", "dashed", "ring") else {"background": color}
    text = {"metro": "T", "cluster": "3"}.get(symbol)
    return html.Span(text, className=f"key key-{symbol}", style=style, **{"aria-hidden": "true"})


def legend_children(title: str | None, rows: list[dict], note: str | None = None) -> list:
    """A legend block: title, one row per entry (key + label), and a note."""
    out: list = [html.H3(title)] if title else []
    out += [html.Div([legend_key(r), html.Span(r["label"])], className="row", **{"data-key": r["key"]})
            for r in rows]
    if note:
        out.append(html.Div(note, className="note"))
    return out


def category_legend_children(lang: str, note: str | None = None, areas_fc: dict | None = None) -> list:
    """The area categories present on the map (the 2025 list has no risk areas)."""
    return legend_children(t("legend_category", lang), category_legend_rows(areas_fc, lang), note)


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


def tile_layer(tile_url: str | None, attribution: str | None) -> list:
    """The organisation's own basemap (an XYZ template in ``LAGESBILD_TILE_URL``), or nothing:
    offline, the page draws its own outlines and names."""
    if not tile_url:
        return []
    host = urlsplit(tile_url.replace("{s}", "a")).netloc
    return [dl.TileLayer(id=Ids.TILES, url=tile_url, attribution=attribution or host, maxZoom=19)]


def build_map(areas_fc: dict, lang: str, tile_url: str | None, tile_attribution: str | None = None) -> html.Div:
    """The map card (ids: map, areas, hotspots, events, pois, legend)."""
    # The base and outline layers load from their own URL after the areas: in Leaflet's shared
    # overlay pane they would then be painted over the areas (one SVG, insertion order), so they
    # get panes of their own below it (overlay pane: z-index 400). With a tile basemap the land is
    # not filled (it would hide the tiles).
    base = [
        *tile_layer(tile_url, tile_attribution),
        dl.Pane(dl.GeoJSON(id=Ids.SWEDEN_OUTLINE, url=outline_url("sweden"), style=fn("outlineStyle"),
                           hideout={"color": "#9a9a9a", "weight": 1, "fill": not tile_url, "fillColor": "#f4f1ea"},
                           interactive=False),
                name="base", style={"zIndex": 350}),
    ]
    overlays = dl.Pane(dl.LayersControl([
        dl.Overlay(dl.GeoJSON(id=Ids.REGION_OUTLINE, url=outline_url("regions"), style=fn("outlineStyle"),
                              hideout={"color": "#3d3d3d", "weight": 2}, interactive=False),
                   name=t("region_outline", lang), checked=True, id=Ids.REGION_OVERLAY),
        dl.Overlay(dl.GeoJSON(id=Ids.KOMMUN_OUTLINE, url=outline_url("kommuner"), style=fn("outlineStyle"),
                              hideout={"color": "#a0a0a0", "weight": 0.6}, interactive=False),
                   name=t("kommun_outline", lang), checked=False, id=Ids.KOMMUN_OVERLAY),
    ], position="topright", collapsed=False), name="outlines", style={"zIndex": 380})
    # names of police regions (national zoom) and kommuner (closer in): text markers in a pane
    # above the areas that never takes the mouse (lagesbild.css shows them by zoom band)
    labels = dl.Pane(dl.GeoJSON(id=Ids.MAP_LABELS, url=outline_url("labels"), pointToLayer=fn("mapLabel"),
                                interactive=False),
                     name="labels", style={"zIndex": 450, "pointerEvents": "none"})
    layers = [
        dl.GeoJSON(id=Ids.AREAS, data=areas_fc, style=fn("areaStyle"), onEachFeature=fn("areaTooltip"),
                   hideout={"selected": None, "mode": "category"}),
        dl.GeoJSON(id=Ids.AREA_DOTS, data=area_dots(areas_fc), pointToLayer=fn("areaDot"),
                   onEachFeature=fn("areaTooltip")),
        # hexagons and event points in panes of their own above the areas: a restyle redraws the
        # areas (hideout), which in the shared overlay pane would then cover the hexagons
        dl.Pane(dl.GeoJSON(id=Ids.HOTSPOTS, data=None, style=fn("hotspotStyle"), onEachFeature=fn("hotspotTooltip"),
                           hideout=hotspot_hideout(None, lang)),
                name="hotspots", style={"zIndex": 410}),
        dl.GeoJSON(id=Ids.POIS, data=None, pointToLayer=fn("poiPoint"), onEachFeature=fn("poiTooltip"),
                   hideout={}),
        dl.Pane(dl.GeoJSON(id=Ids.EVENTS, data=None, cluster=True, pointToLayer=fn("eventPoint"),
                           onEachFeature=fn("eventTooltip"), clusterToLayer=fn("cluster"), zoomToBoundsOnClick=True,
                           superClusterOptions={"radius": 60, "maxZoom": 16}, hideout=events_hideout(lang)),
                name="events", style={"zIndex": 420}),
        dl.ScaleControl(position="bottomright", imperial=False),
    ]
    legend = html.Div(className="legend", **{"aria-live": "polite"}, children=[
        html.Div(id=Ids.LEGEND, className="legend-block", children=category_legend_children(lang, None, areas_fc)),
        html.Div(id=Ids.HOTSPOT_LEGEND, className="legend-block"),
        html.Div(id=Ids.EVENT_LEGEND, className="legend-block"),
        html.Div(id=Ids.POI_LEGEND, className="legend-block"),
    ])
    return html.Div(
        className="card map-card",
        children=[
            dl.MapContainer(id=Ids.MAP, bounds=data_bounds(areas_fc), minZoom=4, maxZoom=18,
                            children=[*base, overlays, labels, *layers], attributionControl=bool(tile_url),
                            keyboard=True, className="zoom-low zoom-national", trackViewport=False,
                            eventHandlers={"zoomend": fn("zoomBand")}),
            legend,
        ],
    )
