"""Real data on the demo store: areas with real offence series (≥ 60 of the 2025 list), the areas
that must not show their id's series, the sources with first/last month and licence, and the
national shootings/explosions context on the trend chart."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import cli
from config import settings


@pytest.fixture(scope="module")
def env(demo_db_path, data_dir):
    import os

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


@pytest.fixture(scope="module")
def client(env):
    from app import app

    return app.server.test_client()


def test_cli_sources_prints_months_licence_and_areas_with_real_series(env, capsys):
    assert cli.main(["sources"]) == 0
    out = capsys.readouterr().out
    n = int(re.search(r"2025: (\d+) of 65", out).group(1))
    assert n >= 60
    crime = out[out.index("Polisanmälda brott per DeSO"):]
    assert crime.splitlines()[1].strip().startswith("månader: 2019-05 … 2024-03 · licens: Allmän handling")
    assert "månader: 2018-01 … 2025-12" in out  # the national shootings and explosions
    assert "80 Lina: Inga verkliga brottsserier: ingen DeSO ligger till minst 25 %" in out
    assert cli.main(["sources", "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_key = {s["key"]: s for s in data["sources"]}
    assert by_key["crime_deso"]["areas_with_real_series"]["2025"] == [n, 65]
    assert (by_key["crime_deso"]["first_month"], by_key["crime_deso"]["last_month"]) == ("2019-05", "2024-03")
    assert all({"first_month", "last_month", "licence"} <= set(s) for s in data["sources"])
    assert sum(a["status"] == "real" for a in data["areas"]) == n


def test_an_older_lists_area_that_is_not_its_ids_place_shows_no_real_series(env):
    from services.context import engine
    from services.indicators import area_summary_json, compare_frame

    eng = engine()
    old = area_summary_json(eng, "9", "2023-T3", "prev_year", "sv", 2023)  # Rinkeby / Tensta
    new = area_summary_json(eng, "9", "2023-T3", "prev_year", "sv", 2025)  # Tensta
    o, n = ({i["id"]: i for i in s["indicators"]} for s in (old, new))
    assert n["brand_i_motorfordon"]["value"] is not None and o["brand_i_motorfordon"]["value"] is None
    assert o["skjutningar"]["value"] == n["skjutningar"]["value"]  # only the real offence series are hidden
    assert old["area"]["real_series"]["reason"] == "other_place" and "Tensta" in old["area"]["real_series"]["note"]
    assert new["area"]["real_series"]["status"] == "real"
    table = compare_frame(eng, "Stockholm", "2023-T3", "prev_year", "sv", 2023).set_index(["area_id", "indicator_id"])
    table25 = compare_frame(eng, "Stockholm", "2023-T3", "prev_year", "sv", 2025).set_index(["area_id", "indicator_id"])
    assert table.loc[("9", "brand"), "value"] is None or table.loc[("9", "brand"), "value"] != table.loc[("9", "brand"), "value"]
    assert table.loc[("7", "brand"), "value"] == table25.loc[("7", "brand"), "value"]  # Husby: the same place


def test_varberga_2025_and_the_joint_area_2023(client):
    from services.context import engine
    from services.indicators import area_summary_json

    eng = engine()
    joint = area_summary_json(eng, "58", "2023-T3", "prev_year", "sv", 2023)  # Oxhagen / Varberga
    assert {i["id"]: i for i in joint["indicators"]}["brand_i_motorfordon"]["value"] is not None
    assert "Gemensam serie" in joint["area"]["real_series"]["note"]
    view = {"area": "58", "indicator": "brand_i_motorfordon", "period": "2023-T3", "cmp": "prev_year", "layers": [],
            "list": 2025, "region": None, "lang": "sv", "zoom": True, "changed": None}
    body = {"output": "..area-head.children...cards-data.data...trend.figure...trend-card.className..",
            "outputs": [{"id": "area-head", "property": "children"}, {"id": "cards-data", "property": "data"},
                        {"id": "trend", "property": "figure"}, {"id": "trend-card", "property": "className"}],
            "inputs": [{"id": "panel-view", "property": "data", "value": view}], "changedPropIds": ["panel-view.data"],
            "state": []}
    r = client.post("/_dash-update-component", json=body).get_json()["response"]
    head = json.dumps(r["area-head"], ensure_ascii=False)
    assert "Varberga" in head and "kan bara räknas tillsammans" in head
    card = next(c for c in r["cards-data"]["data"] if c["id"] == "brand_i_motorfordon")
    assert card["value"] == "–" and "minst 25 %" in card["reason"]  # the card's source names the rule
    assert "Inga värden" in json.dumps(r["trend"], ensure_ascii=False)  # the trend does not show the joint series


def test_trend_of_shootings_has_the_national_real_line(env):
    from layout.figures import trend_figure
    from services.page import trend

    data = trend("74", "skjutningar", "2025-T2")
    nat = data["national"]
    assert list(nat["year"]) == list(range(2018, 2026)) and nat.set_index("year").loc[2023, "value"] == 368
    assert nat["preliminary"].all()
    fig = trend_figure(data, "sv", "Skjutningar")
    lines = [t for t in fig.data if t.yaxis == "y9"]
    assert len(lines) == 1 and "verkliga uppgifter" in lines[0].name and "preliminära" in lines[0].name
    months = data["series"]["month"]
    shown = {y for y in range(2018, 2026) if months.min() <= f"{y}-07" <= months.max()}
    assert set(pd.to_datetime(lines[0].x).year) == shown and len(shown) >= 3  # years whose middle the chart shows
    assert fig.layout.yaxis9.side == "right" and fig.layout.yaxis9.overlaying == "y"
    assert "SYNTETISKA DATA" in fig.layout.title.text
    expl = trend("74", "sprangningar", "2025-T2")["national"]
    assert expl.set_index("year").loc[2025, "value"] == 194
    robbery = trend("74", "ran", "2025-T2")
    assert robbery["national"] is None
    assert not [t for t in trend_figure(robbery, "sv", "Rån").data if t.yaxis == "y9"]


def test_the_sources_panel_shows_first_and_last_month_and_licence(client):
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert "månader 2019-05 – 2024-03" in layout and "Allmän handling" in layout
    assert "Skjutningar och sprängningar i riket per år" in layout
    assert re.search(r"2025 års lista: (\d+) av 65 områden har verkliga brottsserier", layout)
