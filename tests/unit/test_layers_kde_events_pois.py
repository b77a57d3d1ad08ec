"""KDE surface, events layer, places-of-interest test and method card."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from shapely.geometry import Point, box

from i18n import half_up
from layers.events import (
    EVENT_TYPE_COLORS,
    event_color,
    events_geojson,
    filter_events,
    precision_summary,
)
from layers.hotspots import hotspots
from layers.kde import kde_surface, quartic_kernel, suggest_bandwidth
from layers.method_card import TITLE, method_card
from layers.pois import poi_hypothesis

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("LAGESBILD_DATA_DIR") or REPO.parent / "shared" / "data")


def points(xs, ys, precision="exact", when="2025-04-10T12:00:00", kind="Rån"):
    return pd.DataFrame({"x": np.asarray(xs, float), "y": np.asarray(ys, float), "occurred_at": when,
                         "type": kind, "precision": precision})


# --- KDE --------------------------------------------------------------------------------------


def test_quartic_kernel_integrates_to_one():
    h = 300.0
    total, _ = integrate.quad(lambda r: 2 * math.pi * r * float(quartic_kernel(r, h)), 0, h)
    assert total == pytest.approx(1.0, rel=1e-9)
    assert float(quartic_kernel(h, h)) == 0.0


def test_kde_equals_direct_sum_for_points_at_cell_centres():
    region = box(500_000, 6_500_000, 503_000, 6_503_000)
    rng = np.random.default_rng(0)
    cell = 50.0
    xs = 500_000 + (rng.integers(10, 50, 300) + 0.5) * cell
    ys = 6_500_000 + (rng.integers(10, 50, 300) + 0.5) * cell
    res = kde_surface(points(xs, ys), region, bandwidth_m=300, cell_m=cell)
    c = res.cells
    d = np.hypot(c["x"].to_numpy()[:, None] - xs[None, :], c["y"].to_numpy()[:, None] - ys[None, :])
    direct = quartic_kernel(d, 300.0).sum(axis=1) * 1e6
    # the grid kernel is renormalised to conserve mass: within 1 % of the continuous kernel
    np.testing.assert_allclose(c["density"].to_numpy(), direct, rtol=0.01, atol=1e-6 * direct.max())
    assert (c["density"] * (cell / 1000) ** 2).sum() == pytest.approx(300, rel=1e-9)
    assert res.method["bandwidth_m"] == 300.0 and res.method["units"].startswith("events per km²")


def test_kde_geojson_and_levels():
    region = box(500_000, 6_500_000, 502_000, 6_502_000)
    res = kde_surface(points([501_000] * 20 + [500_300], [6_501_000] * 20 + [6_500_300]), region)
    fc = res.to_geojson()
    json.dumps(fc, allow_nan=False)
    levels = {f["properties"]["level"] for f in fc["features"]}
    assert levels <= set(range(1, 6)) and 5 in levels
    assert len(fc["features"]) < len(res.cells)
    assert fc["method"]["bandwidth_m"] == 300.0


def test_suggested_bandwidth_formula():
    rng = np.random.default_rng(2)
    x, y = rng.normal(0, 400, 500), rng.normal(0, 250, 500)
    sd = math.sqrt(np.var(x) + np.var(y))
    dm = np.median(np.hypot(x - x.mean(), y - y.mean()))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * 500**-0.2
    assert suggest_bandwidth(x, y) == pytest.approx(expected)
    res = kde_surface(points(x + 500_000, y + 6_500_000), box(498_000, 6_498_000, 502_000, 6_502_000),
                      bandwidth_m="suggest")
    assert res.method["bandwidth_m"] == pytest.approx(round(expected, 1))
    assert res.method["bandwidth_rule"] != "fixed"
    assert math.isnan(suggest_bandwidth([1.0], [2.0]))


# --- events -----------------------------------------------------------------------------------


def test_events_geojson_properties_and_filters():
    pts = pd.DataFrame({
        "id": [1, 2, 3, 4],
        "x": [674_000.0, 674_100.0, np.nan, 674_200.0],
        "y": [6_580_000.0, 6_580_100.0, 6_580_000.0, 6_580_200.0],
        "occurred_at": ["2025-03-01T22:15:00+01:00", "2025-06-02T01:00:00+02:00",
                        "2025-03-03T00:00:00+01:00", "2025-03-04T10:00:00+01:00"],
        "type": ["Skottlossning", "Brand", "Brand", "Okänd typ"],
        "precision": ["exact", "kommun", "exact", "lan"],
    })
    fc = events_geojson(pts)
    json.dumps(fc, allow_nan=False)
    props = [f["properties"] for f in fc["features"]]
    assert [p["approx"] for p in props] == [False, True, True]
    assert props[0]["time"] == "2025-03-01T22:15:00"  # local time, ISO
    assert props[0]["color"] == EVENT_TYPE_COLORS["Skottlossning"]
    # a type without a fixed colour gets its own stable one (not the grey of "no type")
    assert props[2]["color"] == event_color("Okänd typ") != event_color(None)
    assert event_color("Okänd typ") == event_color("Okänd typ") and event_color(None) == "#8c8c8c"
    assert fc["excluded"]["missing_coordinates"] == 1
    assert [f["id"] for f in fc["features"]] == [1, 2, 4]
    only = events_geojson(pts, types=["Brand"], period="2025-06")
    assert [f["id"] for f in only["features"]] == [2]
    assert filter_events(pts, period=("2025-03-01", "2025-03-04"))["id"].tolist() == [1, 3]  # end exclusive


def test_precision_summary_counts_every_class():
    pts = points([1] * 6, [1] * 6, precision=["exact", "street", "kommun", "kommun", "lan", None])
    s = precision_summary(pts).set_index("precision")
    assert s.loc["kommun", "count"] == 2 and s.loc["deso", "count"] == 0
    assert s.loc["unknown", "count"] == 1
    assert s["count"].sum() == 6
    assert bool(s.loc["street", "hotspot_eligible"]) and not bool(s.loc["kommun", "hotspot_eligible"])


def test_events_from_polisen_api_are_all_approximate():
    path = data_dir() / "events" / "polisen_api" / "polisen_events_2022_2026.parquet"
    if not path.exists():
        pytest.skip(f"real events missing: {path}")
    from layers._geojson import to_sweref_xy

    e = pd.read_parquet(path).head(500)
    x, y = to_sweref_xy(e["lon"].to_numpy(), e["lat"].to_numpy())
    pts = pd.DataFrame({"x": x, "y": y, "occurred_at": e["datetime"], "type": e["type"],
                        "precision": "kommun", "id": e["id"]})
    fc = events_geojson(pts, period="2023")
    assert fc["features"] and all(f["properties"]["approx"] for f in fc["features"])
    # and they never take part in hotspots
    region = Point(674_000, 6_580_000).buffer(30_000)
    assert hotspots(pts, region).method["points_used"] == 0


# --- places of interest -----------------------------------------------------------------------


def test_poi_binomial_test_equals_scipy():
    region = box(0, 6_500_000, 2_000, 6_502_000)
    rng = np.random.default_rng(4)
    bars = pd.DataFrame({"x": [300.0, 1_500.0, 1_600.0, 5_000.0], "y": [6_500_300.0, 6_501_500.0,
                                                                         6_501_550.0, 6_500_000.0],
                         "kind": ["krog", "krog", "krog", "krog"]})
    near = np.column_stack([rng.normal(1_500, 60, 45), rng.normal(6_501_500, 60, 45)])
    far = np.column_stack([rng.uniform(0, 2_000, 75), rng.uniform(6_500_000, 6_502_000, 75)])
    xy = np.vstack([near, far])
    pts = points(xy[:, 0], xy[:, 1])
    res = poi_hypothesis(pts, bars, region, distance_m=200, kind="krog",
                         kind_label={"sv": "krogar", "en": "bars"})
    assert res.n_places == 3  # the fourth is farther than 200 m from the region
    inside = sum(
        min(Point(px, py).distance(Point(bx, by)) for bx, by in zip(bars.x[:3], bars.y[:3], strict=True)) <= 200
        for px, py in xy
    )
    assert res.events_inside == inside and res.events_total == 120
    ref = stats.binomtest(res.events_inside, 120, res.area_share, alternative="two-sided")
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert res.area_inside_km2 + res.area_outside_km2 == pytest.approx(4.0)
    assert res.rate_ratio == pytest.approx((res.events_inside / res.area_inside_km2)
                                           / (res.events_outside / res.area_outside_km2))
    assert res.sentence["sv"].startswith(f"Inom 200 m från 3 krogar inträffade {inside} av 120 händelser")
    assert "gånger tätare än i resten av området, p <\u00a00,001." in res.sentence["sv"]
    share = half_up(100 * res.events_inside / 120)  # rounded half away from zero, as every view
    assert f"({share:.0f}\u00a0%) på 7\u00a0% av ytan: 9,3 gånger" in res.sentence["sv"]
    assert res.sentence["en"].startswith(f"Within 200 m of 3 bars, {inside} of 120 events")
    greater = poi_hypothesis(pts, bars, region, distance_m=200, kind="krog", alternative="greater")
    assert greater.p_value == pytest.approx(
        stats.binomtest(inside, 120, res.area_share, alternative="greater").pvalue)


def test_poi_sentences_for_edge_cases():
    region = box(0, 6_500_000, 1_000, 6_501_000)
    places = pd.DataFrame({"x": [500.0], "y": [6_500_500.0]})
    none = poi_hypothesis(points([], []), places, region)
    assert none.sentence["sv"].startswith("Inga händelser") and math.isnan(none.p_value)
    sparse = poi_hypothesis(points([50, 60, 950, 940, 500], [6_500_050] * 4 + [6_500_500]), places, region,
                            distance_m=100, kind_label={"sv": "skolor", "en": "schools"})
    assert "gånger så tätt som" in sparse.sentence["sv"] or "tätare" in sparse.sentence["sv"]
    assert "p = " in sparse.sentence["sv"]
    far = poi_hypothesis(points([1], [6_500_001]), pd.DataFrame({"x": [9_000.0], "y": [6_500_000.0]}), region)
    assert far.n_places == 0 and far.sentence["en"].startswith("No places")
    assert json.dumps(far.as_dict(), allow_nan=False)


# --- method card ------------------------------------------------------------------------------


def test_method_card_from_hotspot_result():
    region = box(674_000, 6_580_000, 676_000, 6_582_000)
    pts = points([674_500] * 5 + [674_600] * 2, [6_580_500] * 7, precision=["exact"] * 5 + ["kommun"] * 2)
    res = hotspots(pts, region, period="2025-T1")
    sv = dict(method_card(res.method, res.excluded, "sv"))
    assert sv["Metod"].startswith("Getis-Ord Gi*")
    assert sv["Rutnät"].startswith("H3-hexagoner, upplösning 9 (kantlängd ≈ 17")
    assert sv["Grannskap"] == "cellen och dess 6 närmaste grannar, binära vikter"
    assert sv["Många samtidiga test"].startswith("Benjamini–Hochberg (FDR), 90/95/99")
    assert sv["Period"] == "2025-01-01 – 2025-04-30"
    assert sv["Punkter som används"] == "5"
    assert sv["Utelämnade punkter"] == "2"
    assert sv["– oprecis position (kommunens mittpunkt)"] == "2"
    en = dict(method_card(res.method, res.excluded, "en"))
    # 5 events over 40 cells: too sparse for the normal approximation, so the exact test, and why
    assert en["Significance"] == (
        "exact test (the distribution when the counts are shuffled between cells), two-sided – sparse "
        "data: 0.13 events per cell on average, the normal approximation needs at least 10")
    assert sv["Signifikans"].endswith("glesa data: 0,13 händelser per cell i snitt, normalfördelningen kräver minst 10")
    # which cells: the 40 at least 90 % inside the 2 km square, not the 28 edge cells mostly outside
    assert sv["Celler"] == ("40 celler som ligger till minst 90\u00a0% inom studieområdet; 28 kantceller som "
                            "mest ligger utanför ingår inte – med få händelser skulle de få grannarna att se "
                            "ut som hot spots")
    assert en["Cells"].startswith("40 cells lying at least 90% inside the study region; 28 edge cells")
    assert "– imprecise location (municipality centre)" in en
    forced = hotspots(pts, region, period="2025-T1", permutations=0)  # asked for: no reason given
    assert dict(method_card(forced.method, forced.excluded, "en"))["Significance"] == "normal approximation, two-sided"
    assert TITLE["sv"] == "Hur beräknades detta?"


def test_method_card_for_kde_and_emerging():
    region = box(500_000, 6_500_000, 501_000, 6_501_000)
    kde = kde_surface(points([500_500], [6_500_500]), region, bandwidth_m=250)
    rows = dict(method_card(kde.method, kde.excluded, "en"))
    assert rows["Bandwidth"] == "250 m (fixed)" and rows["Cell size"] == "50 m"
    em = {"method": "emerging hot spot analysis", "time_slices": 36, "trend_test": "Mann-Kendall",
          "trend_alpha": 0.05}
    rows = dict(method_card(em, None, "sv"))
    assert rows["Tidssteg"] == "36 månader" and rows["Trendtest"] == "Mann–Kendall, α = 0,05"
