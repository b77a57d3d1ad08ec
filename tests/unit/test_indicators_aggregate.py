"""Aggregation invariants (hypothesis) and unit rules: sums, weighted means, rates, missing data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.aggregate import aggregate, period_total

REGIONS = ["Syd", "Väst", "Nord"]


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(1, 8))
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=n, max_size=n))
    kommun = draw(st.lists(st.sampled_from(["0114", "0180", "1280"]), min_size=n, max_size=n))
    pops = draw(st.lists(st.one_of(st.none(), st.floats(100, 50_000)), min_size=n, max_size=n))
    areas = pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(n)],
            "name": [f"A{i}" for i in range(n)],
            "kommun_kod": kommun,
            "kommun": kommun,
            "lpo": [f"L{i % 2}" for i in range(n)],
            "polisomrade": [f"P{i % 3}" for i in range(n)],
            "region": regions,
            "population": [np.nan if p is None else p for p in pops],
            "list_year": 2025,
        }
    )
    months = ["2025-01", "2025-02"]
    counts = draw(st.lists(st.integers(0, 50), min_size=2 * n, max_size=2 * n))
    values = pd.DataFrame(
        {
            "area_id": np.repeat(areas["id"].to_numpy(), 2),
            "indicator_id": "x",
            "month": months * n,
            "value": np.array(counts, dtype=float),
        }
    )
    catalogue = pd.DataFrame({"id": ["x"], "unit": ["count"]})
    return values, catalogue, areas


@settings(max_examples=40, deadline=None)
@given(frames())
def test_region_sums_equal_area_sums_and_nation_sums_regions(data: tuple) -> None:
    values, catalogue, areas = data
    area = aggregate(values, catalogue, areas, "area")
    region = aggregate(values, catalogue, areas, "region")
    nation = aggregate(values, catalogue, areas, "nation")
    region_of = areas.set_index("id")["region"]
    by_region = (
        area.assign(region=region_of.reindex(area["unit_id"]).to_numpy())
        .groupby(["region", "month"])["value"]
        .sum()
    )
    got = region.set_index(["unit_id", "month"])["value"]
    pd.testing.assert_series_equal(got.sort_index(), by_region.sort_index(), check_names=False)
    nat = nation.set_index("month")["value"]
    pd.testing.assert_series_equal(
        nat.sort_index(), region.groupby("month")["value"].sum().sort_index(), check_names=False
    )
    for level in ("kommun", "lpo", "polisomrade"):
        lv = aggregate(values, catalogue, areas, level).groupby("month")["value"].sum()
        pd.testing.assert_series_equal(lv.sort_index(), nat.sort_index(), check_names=False)


@settings(max_examples=40, deadline=None)
@given(frames())
def test_rate_per_1000_only_when_every_population_is_known(data: tuple) -> None:
    values, catalogue, areas = data
    region = aggregate(values, catalogue, areas, "region")
    for _, row in region.iterrows():
        pops = areas.loc[areas["region"] == row["unit_id"], "population"]
        if pops.isna().any():
            assert np.isnan(row["rate_per_1000"])
        else:
            assert row["rate_per_1000"] == pytest.approx(row["value"] / pops.sum() * 1000)


def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "a"],
            "name": list("abca"),
            "kommun_kod": ["0114"] * 4,
            "kommun": ["K"] * 4,
            "lpo": ["L"] * 4,
            "polisomrade": ["P"] * 4,
            "region": ["Syd", "Syd", "Väst", "Syd"],
            "population": [1000.0, 3000.0, np.nan, 1000.0],
            "list_year": [2025, 2025, 2025, 2023],
        }
    )


def test_share_is_population_weighted_not_summed() -> None:
    catalogue = pd.DataFrame({"id": ["s"], "unit": ["share"]})
    values = pd.DataFrame(
        {"area_id": ["a", "b"], "indicator_id": "s", "month": "2025-01", "value": [40.0, 80.0]}
    )
    out = aggregate(values, catalogue, _areas(), "region").set_index("unit_id")
    assert out.loc["Syd", "value"] == pytest.approx((40 * 1000 + 80 * 3000) / 4000)
    assert bool(out.loc["Syd", "weighted"])
    assert np.isnan(out.loc["Syd", "rate_per_1000"])


def test_share_falls_back_to_plain_mean_without_population() -> None:
    catalogue = pd.DataFrame({"id": ["s"], "unit": ["share"]})
    areas = _areas().assign(region="Syd")
    values = pd.DataFrame(
        {"area_id": ["a", "c"], "indicator_id": "s", "month": "2025-01", "value": [40.0, 80.0]}
    )
    out = aggregate(values, catalogue, areas, "region").iloc[0]
    assert out["value"] == 60.0 and not out["weighted"]


def test_missing_area_month_is_flagged_not_zero() -> None:
    catalogue = pd.DataFrame({"id": ["x"], "unit": ["count"]})
    values = pd.DataFrame(
        {
            "area_id": ["a", "a", "b"],
            "indicator_id": "x",
            "month": ["2025-01", "2025-02", "2025-01"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    out = aggregate(values, catalogue, _areas(), "region").set_index(["unit_id", "month"])
    assert bool(out.loc[("Syd", "2025-01"), "complete"])
    feb = out.loc[("Syd", "2025-02")]
    assert (
        feb["value"] == 2.0
        and feb["n_reporting"] == 1
        and feb["n_areas"] == 2
        and not feb["complete"]
    )
    totals = period_total(aggregate(values, catalogue, _areas(), "region"), catalogue).set_index(
        "unit_id"
    )
    assert totals.loc["Syd", "value"] == 6.0 and not totals.loc["Syd", "complete"]


def test_list_year_chooses_the_area_set() -> None:
    catalogue = pd.DataFrame({"id": ["x"], "unit": ["count"]})
    values = pd.DataFrame(
        {"area_id": ["a", "b"], "indicator_id": "x", "month": "2025-01", "value": [1.0, 5.0]}
    )
    assert aggregate(values, catalogue, _areas(), "nation")["value"].iloc[0] == 6.0
    assert aggregate(values, catalogue, _areas(), "nation", list_year=2023)["value"].iloc[0] == 1.0
    with pytest.raises(ValueError, match="list year 2019"):
        aggregate(values, catalogue, _areas(), "nation", list_year=2019)


def test_period_restricts_months() -> None:
    catalogue = pd.DataFrame({"id": ["x"], "unit": ["count"]})
    values = pd.DataFrame(
        {"area_id": "a", "indicator_id": "x", "month": ["2025-04", "2025-05"], "value": [1.0, 5.0]}
    )
    out = aggregate(values, catalogue, _areas(), "area", period="2025-T2")
    assert out["month"].tolist() == ["2025-05"]
