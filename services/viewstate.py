"""The page's view as a plain dict and its URL query (permalinks). Pure: no Dash, no I/O.

>>> v = decode("?area=74&indicator=skjutningar&period=2025-T2&cmp=baseline&layers=hotspots&list=2025")
>>> v["area"], v["layers"], v["list"]
('74', ['hotspots'], 2025)
>>> encode(v)
'?area=74&indicator=skjutningar&period=2025-T2&cmp=baseline&layers=hotspots&list=2025'
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

COMPARISONS = ("prev_year", "baseline", "target")
LAYERS = ("hotspots", "events", "pois")
LANGS = ("sv", "en")
KEYS = ("area", "indicator", "period", "cmp", "layers", "hs", "list", "region", "lang")
HOTSPOT_METHODS = ("gistar", "kde", "emerging", "deso")


def empty_view() -> dict:
    return {"area": None, "indicator": None, "period": None, "cmp": "prev_year", "layers": [], "hs": "gistar",
            "list": None, "region": None, "lang": "sv"}


def decode(search: str | None, defaults: dict | None = None) -> dict:
    """Parse ``?area=…&indicator=…`` into a view; unknown or invalid values fall back to defaults."""
    view = {**empty_view(), **(defaults or {})}
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)

    def one(key: str) -> str | None:
        values = query.get(key)
        return values[-1].strip() if values and values[-1].strip() else None

    if one("area"):
        view["area"] = one("area")
    if one("indicator"):
        view["indicator"] = one("indicator")
    if one("period"):
        view["period"] = one("period")
    if one("cmp") in COMPARISONS:
        view["cmp"] = one("cmp")
    if one("layers") is not None:
        view["layers"] = [x for x in one("layers").split(",") if x in LAYERS]
    if one("hs") in HOTSPOT_METHODS:
        view["hs"] = one("hs")
    if one("list") and one("list").isdigit():
        view["list"] = int(one("list"))
    if one("region"):
        view["region"] = one("region")
    if one("lang") in LANGS:
        view["lang"] = one("lang")
    return view


def encode(view: dict) -> str:
    """The URL query of a view (only set keys, in a fixed order; English only when chosen)."""
    pairs = []
    for key in KEYS:
        value = view.get(key)
        if key == "layers":
            value = ",".join(x for x in LAYERS if x in (value or [])) or None
        if (key == "lang" and value == "sv") or (key == "hs" and value == "gistar"):
            value = None
        if value is not None and value != "":
            pairs.append((key, str(value)))
    return "?" + urlencode(pairs, safe=",:") if pairs else ""


def toggle_layer(view: dict, layer: str) -> dict:
    layers = list(view.get("layers") or [])
    layers = [x for x in layers if x != layer] if layer in layers else [*layers, layer]
    return {**view, "layers": [x for x in LAYERS if x in layers]}
