"""What the map's legends and tooltips say, from the data each layer draws (pure, no Dash).

Every legend lists only what the layer's data holds: a class, category, kind of place or event
type that is not on the map is not in its legend (no "Riskområde" for the 2025 list, which has
none; an emerging-hotspot legend of the categories present, not all 17). Each row is
``{"key", "color", "label", "symbol"}`` where ``symbol`` tells the page how to draw the key
(``fill`` swatch, ``outline`` swatch, ``dot``, ``ring``, ``cluster``, ``diamond``, ``metro``,
``circle``) and ``count`` how many features it stands for where that helps.

The tooltips are written in the browser from the feature's own properties and the words in the
layer's ``hideout`` (``*_hideout`` below): the language switch changes the hideout only.

>>> fc = {"features": [{"properties": {"class": "hot95", "was_hot": True}},
...                    {"properties": {"class": "ns", "was_hot": False}}]}
>>> [r["key"] for r in hotspot_legend_rows(fc, "sv")]
['hot95', 'ns', 'persistent']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import texts
from geodata.precision import HOTSPOT_ELIGIBLE
from geodata.precision import LABELS as PRECISION_LABELS
from layers.areas import CATEGORY_CODES, CATEGORY_COLORS, CATEGORY_LABELS
from layers.emerging import CATEGORIES as EMERGING_CATEGORIES
from layers.emerging import CATEGORY_COLORS as EMERGING_COLORS
from layers.emerging import CATEGORY_LABELS as EMERGING_LABELS
from layers.hotspots import HOT, HOTSPOT_LABELS
from layers.palettes import HOTSPOT_CLASSES, HOTSPOT_COLORS, KDE_COLORS
from layers.pois import poi_kind_label, poi_kind_style
from texts import LANGS, by_prefix

#: Events of more types than this are shown as "other types" in the legend (grey).
MAX_EVENT_TYPES = 8

#: the words of the legends and tooltips in each language (from the text catalogue)
WORDS: dict[str, dict[str, str]] = {lang: by_prefix("ind.legend.", lang) for lang in LANGS}


def _props(fc: Mapping[str, Any] | None) -> list[dict]:
    return [f.get("properties") or {} for f in (fc or {}).get("features", [])]


def _row(key: str, color: str, label: str, symbol: str = "fill", count: int | None = None) -> dict:
    row = {"key": key, "color": color, "label": label, "symbol": symbol}
    if count is not None:
        row["count"] = int(count)
    return row


# --------------------------------------------------------------------------- areas
def category_legend_rows(areas_fc: Mapping[str, Any] | None, lang: str = "sv") -> list[dict]:
    """The categories of the areas on the map, most severe first, and the "boundary changed"
    mark when an area carries it."""
    props = _props(areas_fc)
    present = Counter(p.get("category") for p in props)
    rows = [_row(c, CATEGORY_COLORS[c], CATEGORY_LABELS[lang][c], count=present[c])
            for c in CATEGORY_CODES if present[c]]
    if any(p.get("changed") for p in props):
        rows.append(_row("changed", "#4a4a4a", WORDS[lang]["changed"], "dashed"))
    return rows


# --------------------------------------------------------------------------- hotspot layers
def hotspot_legend_rows(fc: Mapping[str, Any] | None, lang: str = "sv") -> list[dict]:
    """Gi* classes present (hexagons or DeSO polygons), hot first, then the marks for cells that
    were hot spots in the same period last year (when the layer carries ``was_hot``)."""
    props = _props(fc)
    present = Counter(p.get("class") for p in props)
    rows = [_row(c, HOTSPOT_COLORS[c], HOTSPOT_LABELS[lang][c], count=present[c])
            for c in HOTSPOT_CLASSES if present[c]]
    persistent = sum(1 for p in props if p.get("was_hot") and p.get("class") in HOT)
    former = sum(1 for p in props if p.get("was_hot") and p.get("class") not in HOT)
    if persistent:
        rows.append(_row("persistent", "#000000", WORDS[lang]["persistent"], "outline", persistent))
    if former:
        rows.append(_row("former", "#b2182b", WORDS[lang]["former"], "dashed", former))
    return rows


def emerging_legend_rows(fc: Mapping[str, Any] | None, lang: str = "sv") -> list[dict]:
    """Emerging-hotspot categories present (in the order of ``layers.emerging.CATEGORIES``)."""
    present = Counter(p.get("category") for p in _props(fc))
    return [_row(c, EMERGING_COLORS[c], EMERGING_LABELS[lang][c], count=present[c])
            for c in EMERGING_CATEGORIES if present[c]]


def kde_legend_rows(fc: Mapping[str, Any] | None, lang: str = "sv") -> list[dict]:
    """Density levels present, lowest first."""
    levels = sorted({int(p["level"]) for p in _props(fc) if p.get("level")})
    n = len(KDE_COLORS)
    word = WORDS[lang]["level"]
    return [_row(f"level{k}", KDE_COLORS[min(n, k) - 1], f"{word.capitalize()} {k} {WORDS[lang]['of']} {n}")
            for k in levels]


def layer_legend_rows(method: str, fc: Mapping[str, Any] | None, lang: str = "sv") -> list[dict]:
    """Legend rows of a hotspot layer by its method (``gistar``, ``deso``, ``kde``, ``emerging``)."""
    if method == "emerging":
        return emerging_legend_rows(fc, lang)
    if method == "kde":
        return kde_legend_rows(fc, lang)
    return hotspot_legend_rows(fc, lang)


def test_label(method: Mapping[str, Any] | None, lang: str = "sv") -> str:
    """The significance test a Gi* layer used, in words (for the hexagon tooltip)."""
    kind = (method or {}).get("inference_kind")
    if (method or {}).get("permutations"):
        kind = "permutation"
    if kind == "mixed":
        kind = "exact"
    return WORDS[lang].get(kind or "analytical", WORDS[lang]["analytical"])


def hotspot_hideout(fc: Mapping[str, Any] | None, lang: str = "sv") -> dict[str, Any]:
    """The hotspot layer's ``hideout``: colours for the style function (Gi* classes, emerging
    categories, density levels: the only copy the browser gets) and the words of its tooltips
    (class and category labels, the test used) in ``lang``."""
    w = WORDS[lang]
    return {
        "colors": HOTSPOT_COLORS, "emerging": EMERGING_COLORS, "kde": list(KDE_COLORS),
        "labels": HOTSPOT_LABELS[lang], "emerging_labels": EMERGING_LABELS[lang],
        "test": test_label((fc or {}).get("method"), lang),
        "words": {k: w[k] for k in ("events", "event", "test", "persistent", "former", "level", "of",
                                    "months_hot", "months_cold")},
        "locale": texts.t("ind.locale", lang),
    }


# --------------------------------------------------------------------------- point layers
def event_type_names(types: Iterable[str | None], names: Mapping[str, str] | None = None,
                     lang: str = "sv") -> dict[str, str]:
    """Display name of each event type (``names`` maps ids such as indicator ids to names)."""
    names = names or {}
    out = {}
    for t in types:
        if t is None:
            continue
        out[t] = names.get(t, t)
    return out


def event_legend_rows(fc: Mapping[str, Any] | None, lang: str = "sv",
                      type_names: Mapping[str, str] | None = None) -> list[dict]:
    """The event layer's symbols present (exact point, approximate ring, cluster) and the colour
    of each event type present (most frequent first; beyond ``MAX_EVENT_TYPES``, "other types")."""
    props = _props(fc)
    if not props:
        return []
    w = WORDS[lang]
    type_names = type_names or {}
    rows = []
    exact = sum(1 for p in props if not p.get("approx"))
    approx = len(props) - exact
    if exact:
        rows.append(_row("exact", "#333333", w["exact_point"], "dot", exact))
    if approx:
        rows.append(_row("approx", "#333333", w["approx_point"], "ring", approx))
    rows.append(_row("cluster", "#0a5eb0", w["cluster_row"], "cluster"))
    by_type = Counter((p.get("type"), p.get("color")) for p in props)
    ranked = sorted(by_type.items(), key=lambda kv: (-kv[1], str(kv[0][0])))
    for (t, color), n in ranked[:MAX_EVENT_TYPES]:
        label = type_names.get(t, t) if t else w["unknown_type"]
        rows.append(_row(f"type:{t}", color or "#8c8c8c", str(label), "dot", n))
    rest = sum(n for _, n in ranked[MAX_EVENT_TYPES:])
    if rest:
        rows.append(_row("type:other", "#8c8c8c", w["other_types"], "dot", rest))
    return rows


def events_hideout(lang: str = "sv", type_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The event layer's ``hideout``: words of its tooltips (type names, precision classes)."""
    w = WORDS[lang]
    return {"types": dict(type_names or {}), "precision": PRECISION_LABELS[lang],
            "eligible": sorted(HOTSPOT_ELIGIBLE),
            "words": {k: w[k] for k in ("position", "cluster", "unknown_type", "event", "events")},
            "locale": texts.t("ind.locale", lang)}


def poi_legend_rows(fc: Mapping[str, Any] | None, lang: str = "sv") -> list[dict]:
    """One row per kind of place present, with its own symbol."""
    present = Counter(p.get("kind") for p in _props(fc))
    rows = []
    for kind, n in sorted(present.items(), key=lambda kv: str(kv[0])):
        style = poi_kind_style(kind)
        rows.append(_row(f"poi:{kind}", style["color"], poi_kind_label(kind, lang), style["shape"], n))
    return rows


def pois_hideout(fc: Mapping[str, Any] | None, lang: str = "sv") -> dict[str, Any]:
    """The places layer's ``hideout``: symbol and name of each kind present (style and tooltip)."""
    kinds = sorted({str(p.get("kind")) for p in _props(fc)})
    return {"kinds": {k: {**poi_kind_style(k), "label": poi_kind_label(k, lang)} for k in kinds},
            "words": {"synthetic": WORDS[lang]["synthetic"]}}
