"""The page's lägesbild and its map say the same about hotspots (the demo store, the callbacks).

The map draws ``show_hotspots``'s layer; the lägesbild is ``services.page.lagesbild`` for the same
view. For the chosen indicator's events, the sentence's counts must equal the map's classes and
marks, and a persistent cell is mentioned only when the map marks one.
"""

from __future__ import annotations

import re

import pytest

HOT = ("hot99", "hot95", "hot90")


@pytest.fixture(scope="module")
def store(demo_db_path, data_dir):
    import os

    from config import settings

    old = {k: os.environ.get(k) for k in ("LAGESBILD_DATABASE_URL", "LAGESBILD_DATA_DIR")}
    os.environ["LAGESBILD_DATABASE_URL"] = f"sqlite:///{demo_db_path}"
    os.environ["LAGESBILD_DATA_DIR"] = str(data_dir)
    settings.cache_clear()
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    settings.cache_clear()


def texts(facts: dict) -> dict[str, str]:
    return {k: " ".join(f.text for f in v) for k, v in facts.items()}


@pytest.mark.parametrize("indicator", ["narkotikabrott", "skadegorelse"])
def test_the_lagesbild_counts_the_cells_the_map_draws(store, indicator):
    from callbacks.map_layers import show_hotspots
    from indicators.texts import noun
    from services import page

    checked = 0
    for period in ("2025-T1", "2025-T2", "2025-T3", "2026-T1"):
        view = {"area": "74", "indicator": indicator, "period": period, "layers": ["hotspots"], "hs": "gistar",
                "lang": "sv", "cmp": "prev_year", "changed": None}
        fc, hideout, _card, legend = show_hotspots(view)
        props = [f["properties"] for f in fc["features"]]
        hot = [p for p in props if p["class"] in HOT]
        persistent = sum(1 for p in hot if p["was_hot"])
        former = sum(1 for p in props if p["was_hot"] and p["class"] not in HOT)
        facts, _ = page.lagesbild("74", period, "prev_year", "sv", "police", indicator)
        text = texts(facts)
        assert fc["method"]["event_types"] == [indicator]
        if not hot:
            assert "hexagonceller är hotspots" not in text["problem"]
            continue
        checked += 1
        m = re.search(r"(\d+) hexagonceller? (?:är|är en) hotspots?", text["problem"])
        assert m and int(m.group(1)) == len(hot), (period, text["problem"], len(hot))
        name = noun(page.catalogue().set_index("id").loc[indicator, "name_sv"])
        assert f"för {name}" in text["problem"]  # the events the map counts
        for cls in HOT:
            n = sum(1 for p in hot if p["class"] == cls)
            if n:
                assert f"{n} med {cls[-2:]}\xa0%" in text["problem"], (period, cls, text["problem"])
        assert ("svart kant på kartan" in text.get("prioriteringar", "")) == (persistent > 0)
        assert ("streckad kant på kartan" in text.get("framsteg", "")) == (former > 0)
        assert hideout["test"] in ("exakt test", "normalfördelning")
    assert checked, "the demo data should give the map some hot spots for this indicator"
