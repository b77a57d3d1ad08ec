"""The page's view as a plain dict and its URL query (permalinks). Pure: no Dash, no I/O.

The URL holds the whole view: what is shown (area, indicator, period, comparison, list, region,
language), how the map shows it (layers, hotspot method, the metric the areas are coloured by) and
whether synthetic indicators are hidden (``real=1``). Values that are not valid fall back to the
defaults, except the period: a period that parses is kept whatever data the store has for it (a
link to a future tertial opens on that tertial and the page says there is no data).

>>> v = decode("?area=74&indicator=skjutningar&period=2025-T2&cmp=baseline&layers=hotspots&list=2025")
>>> v["area"], v["layers"], v["list"]
('74', ['hotspots'], 2025)
>>> encode(v)
'?area=74&indicator=skjutningar&period=2025-T2&cmp=baseline&layers=hotspots&list=2025'
>>> decode("?period=r12:2024-03&metric=z&real=1")["period"], decode("?metric=z&real=1")["metric"]
('R12:2024-03', 'z')
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from indicators.calendar import parse_period

COMPARISONS = ("prev_year", "baseline", "target")
LAYERS = ("hotspots", "events", "pois")
LANGS = ("sv", "en")
HOTSPOT_METHODS = ("gistar", "kde", "emerging", "deso")
METRICS = ("value", "rate_per_1000", "change", "z")
#: URL keys in their order; a key left out of the URL has its default (below)
KEYS = ("area", "indicator", "period", "cmp", "layers", "hs", "metric", "list", "region", "real", "lang")
#: defaults that are never written to the URL (short links for the usual view)
IMPLIED = {"lang": "sv", "hs": "gistar", "metric": "value", "real": False}


def empty_view() -> dict:
    return {"area": None, "indicator": None, "period": None, "cmp": "prev_year", "layers": [], "hs": "gistar",
            "metric": "value", "list": None, "region": None, "real": False, "lang": "sv"}


def canonical_period(text: str | None) -> str | None:
    """The canonical label of a period text (``'r12:2024-3'`` is not one: None), or None.

    Any text :func:`indicators.calendar.parse_period` reads is kept (ISO weeks too, once it reads
    them): whether the store has data for it is for the page to say, not for the URL to hide.
    """
    if not text:
        return None
    try:
        return parse_period(text.strip()).label
    except ValueError:
        return None


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
    period = canonical_period(one("period"))
    if period and period[4:6] == "-W":  # an ISO week: the indicators (monthly) show its tertial; the
        from indicators.calendar import (
            tertial_containing,  # Samverkan section opens the week itself
        )

        period = tertial_containing(parse_period(period).days[0][:7]).label
    if period:
        view["period"] = period
    if one("cmp") in COMPARISONS:
        view["cmp"] = one("cmp")
    if one("layers") is not None:
        view["layers"] = [x for x in LAYERS if x in one("layers").split(",")]
    if one("hs") in HOTSPOT_METHODS:
        view["hs"] = one("hs")
    if one("metric") in METRICS:
        view["metric"] = one("metric")
    if one("list") and one("list").isdigit():
        view["list"] = int(one("list"))
    if one("region"):
        view["region"] = one("region")
    if one("real") is not None:
        view["real"] = one("real").lower() in ("1", "true", "ja", "yes")
    if one("lang") in LANGS:
        view["lang"] = one("lang")
    return view


def encode(view: dict) -> str:
    """The URL query of a view (only set keys, in a fixed order; defaults left out)."""
    pairs = []
    for key in KEYS:
        value = view.get(key)
        if key == "layers":
            value = ",".join(x for x in LAYERS if x in (value or [])) or None
        if key in IMPLIED and (value == IMPLIED[key] or value is None):
            continue
        if key == "real":
            value = "1"
        if value is not None and value != "":
            pairs.append((key, str(value)))
    return "?" + urlencode(pairs, safe=",:") if pairs else ""


def toggle_layer(view: dict, layer: str) -> dict:
    layers = list(view.get("layers") or [])
    layers = [x for x in layers if x != layer] if layer in layers else [*layers, layer]
    return {**view, "layers": [x for x in LAYERS if x in layers]}
