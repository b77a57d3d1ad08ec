"""A map you can read, and text that says what it shows.

Legends list only what the layer holds; each point layer has its own symbols; the lägesbild's
hotspot sentences are counted from the very layer object the map draws (``mark_previous``).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from config import ConfigError, load_settings
from layers import legends
from layers.emerging import CATEGORIES, CATEGORY_COLORS
from layers.hotspots import HOT, hotspots, mark_previous
from layers.pois import POI_KINDS, poi_kind_style
from reports.facts import build_facts
from reports.model import ReportData
from tests.unit.test_reports_facts import summary

REGION = box(674_000, 6_580_000, 677_000, 6_583_000)


def clusters(centres: list[tuple[float, float]], n_each: int, background: int, seed: int,
             sigma: float = 250.0) -> pd.DataFrame:
    """A background uniform over the region plus clusters (σ = 250 m, about a cell and its neighbours) at ``centres``."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = REGION.bounds
    xs = [rng.uniform(minx + 50, maxx - 50, background)]
    ys = [rng.uniform(miny + 50, maxy - 50, background)]
    for cx, cy in centres:
        xs.append(cx + rng.normal(0, sigma, n_each))
        ys.append(cy + rng.normal(0, sigma, n_each))
    return pd.DataFrame({"x": np.concatenate(xs), "y": np.concatenate(ys), "occurred_at": "2025-06-01",
                         "type": "ran", "precision": "exact"})


@pytest.fixture(scope="module")
def layer():
    """The layer built once: this year's clusters at A and B, last year's at A and C."""
    a, b, c = (675_000.0, 6_581_000.0), (676_300.0, 6_582_300.0), (675_000.0, 6_582_400.0)
    now = hotspots(clusters([a, b], 40, 150, seed=1), REGION).to_geojson()
    then = hotspots(clusters([a, c], 40, 150, seed=2), REGION).to_geojson()
    return mark_previous(now, then, "2024-T2")


def _n(text: str, pattern: str) -> int:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return int(m.group(1))


def test_hotspot_sentences_count_what_the_map_draws(layer):
    # the map: its legend (classes present, marks) and the style rule of assets/lagesbild.js
    legend = {r["key"]: r.get("count", 0) for r in legends.hotspot_legend_rows(layer, "sv")}
    props = [f["properties"] for f in layer["features"]]
    hot = [p for p in props if p["class"] in HOT]
    persistent = [p for p in hot if p["was_hot"]]
    former = [p for p in props if p["was_hot"] and p["class"] not in HOT]
    assert persistent and former and len(hot) > len(persistent), "the scenario should have all three"
    assert legend.get("persistent") == len(persistent) and legend.get("former") == len(former)
    # the text: built from the same object
    facts = build_facts(ReportData(summary=summary(), hotspots=layer))
    text = {k: " ".join(f.text for f in v) for k, v in facts.items()}
    total = _n(text["problem"], r"(\d+) hexagonceller är hotspots")
    assert total == len(hot) == sum(legend.get(c, 0) for c in HOT)
    for cls in HOT:
        level = cls[-2:]
        if legend.get(cls):
            assert _n(text["problem"], rf"(\d+) med {level}\xa0%") == legend[cls]
        else:
            assert f"med {level}\xa0%" not in text["problem"]
    assert _n(text["problem"], r"(\d+) nya jämfört") == len(hot) - len(persistent)
    assert _n(text["problem"], r"(\d+) kvarstående") == len(persistent)
    assert _n(text["prioriteringar"], r"Kvarstående hotspots: (\d+) hexagonceller?") == len(persistent)
    assert "svart kant på kartan" in text["prioriteringar"]
    assert _n(text["framsteg"], r"(\d+) hexagonceller? som var hotspots?") == len(former)
    assert "streckad kant på kartan" in text["framsteg"]


def test_without_last_year_nothing_is_called_persistent(layer):
    fresh = mark_previous({k: v for k, v in layer.items() if k != "previous"}, None)
    facts = build_facts(ReportData(summary=summary(), hotspots=fresh))
    words = " ".join(f.text for v in facts.values() for f in v)
    assert "kvarstående" not in words.lower() and "inte längre" not in words
    assert [r["key"] for r in legends.hotspot_legend_rows(fresh)] == \
        [c for c in ("hot99", "hot95", "hot90", "ns", "cold90", "cold95", "cold99")
         if any(f["properties"]["class"] == c for f in fresh["features"])]


def test_category_legend_shows_only_categories_on_the_map():
    fc = {"features": [{"properties": {"category": "utsatt"}}, {"properties": {"category": "sarskilt_utsatt"}}]}
    rows = legends.category_legend_rows(fc, "sv")
    assert [r["label"] for r in rows] == ["Särskilt utsatt område", "Utsatt område"]  # no Riskområde
    fc["features"].append({"properties": {"category": "risk", "changed": True}})
    assert [r["key"] for r in legends.category_legend_rows(fc, "en")] == [
        "sarskilt_utsatt", "utsatt", "risk", "changed"]


def test_emerging_legend_and_colours_are_distinguishable():
    fc = {"features": [{"properties": {"category": c}} for c in ("no_pattern", "new_hot", "new_hot",
                                                                  "persistent_hot")]}
    assert [r["key"] for r in legends.emerging_legend_rows(fc, "sv")] == ["new_hot", "persistent_hot", "no_pattern"]

    def lab(h: str) -> np.ndarray:
        rgb = np.array([int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)])
        lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
        xyz = xyz / np.array([0.95047, 1.0, 1.08883])
        f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
        return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])

    cats = [c for c in CATEGORIES if c != "no_pattern"]
    gaps = [np.linalg.norm(lab(CATEGORY_COLORS[a]) - lab(CATEGORY_COLORS[b])) for a, b in itertools.combinations(cats, 2)]
    assert min(gaps) >= 15, min(gaps)  # CIE76 ΔE: the old ramps had pairs 7.7 apart


def test_point_layers_have_their_own_symbols():
    styles = {k: poi_kind_style(k) for k in POI_KINDS}
    assert len({(s["shape"], s["color"]) for s in styles.values()}) == len(styles)
    assert poi_kind_style("skola")["shape"] == "circle"
    pois = {"features": [{"properties": {"kind": "tunnelbana"}}, {"properties": {"kind": "krog"}},
                         {"properties": {"kind": "krog"}}]}
    rows = legends.poi_legend_rows(pois, "sv")
    assert [(r["label"], r["symbol"], r["count"]) for r in rows] == [
        ("Krog (serveringstillstånd)", "diamond", 2), ("Tunnelbaneuppgång", "metro", 1)]
    assert legends.pois_hideout(pois, "en")["kinds"]["krog"]["label"] == "Licensed premises"
    events = {"features": [{"properties": {"type": "ran", "color": "#56b4e9", "approx": False}},
                           {"properties": {"type": "Brand", "color": "#e69f00", "approx": True}}]}
    keys = [r["key"] for r in legends.event_legend_rows(events, "sv", {"ran": "Rån"})]
    assert keys[:3] == ["exact", "approx", "cluster"] and {"type:ran", "type:Brand"} <= set(keys)
    assert legends.event_legend_rows({"features": []}, "sv") == []


def test_hotspot_hideout_names_the_test(layer):
    h = legends.hotspot_hideout(layer, "sv")
    assert h["test"] == "exakt test" and h["labels"]["hot95"].startswith("Hot spot, 95")
    assert legends.hotspot_hideout({"method": {"inference_kind": "analytical"}}, "en")["test"] == "normal approximation"
    assert legends.hotspot_hideout({"method": {"permutations": 999}}, "en")["test"] == "permutation test"


def test_tile_url_is_validated():
    env = {"LAGESBILD_TILE_URL": "https://karta.polisen.local/{z}/{x}/{y}.png",
           "LAGESBILD_TILE_ATTRIBUTION": "© Polismyndigheten"}
    s = load_settings(env)
    assert s.tile_url == env["LAGESBILD_TILE_URL"] and s.tile_attribution == "© Polismyndigheten"
    assert load_settings({}).tile_url is None
    with pytest.raises(ConfigError, match="LAGESBILD_TILE_URL"):
        load_settings({"LAGESBILD_TILE_URL": "karta.polisen.local/tiles"})


def test_map_builds_a_tile_layer_only_when_configured():
    from ids import Ids
    from layout.map_panel import build_map

    fc = {"type": "FeatureCollection", "features": []}

    def ids(node, out):
        if hasattr(node, "to_plotly_json"):
            d = node.to_plotly_json()
            if d["props"].get("id"):
                out[d["props"]["id"]] = d
            for c in d["props"].values():
                for x in (c if isinstance(c, list) else [c]):
                    ids(x, out)
        return out

    offline = ids(build_map(fc, "sv", None), {})
    assert Ids.TILES not in offline and offline[Ids.MAP]["props"]["attributionControl"] is False
    assert offline[Ids.SWEDEN_OUTLINE]["props"]["hideout"]["fill"] is True
    online = ids(build_map(fc, "sv", "http://127.0.0.1:9/{z}/{x}/{y}.png", "© Testkarta"), {})
    assert online[Ids.TILES]["props"]["attribution"] == "© Testkarta"
    assert online[Ids.MAP]["props"]["attributionControl"] is True
    assert online[Ids.SWEDEN_OUTLINE]["props"]["hideout"]["fill"] is False  # the land fill would hide tiles
