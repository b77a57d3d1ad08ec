"""Målstyrning, year-end projection, the area summary JSON and the compare table."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from indicators.summary import COMPARE_COLUMNS, area_summary, compare_table
from indicators.targets import malstyrning, target_table, year_end_projection
from testing.synthetic import area_row, catalogue_row, synthetic_frames

MONTHS_2025 = [f"2025-{m:02d}" for m in range(1, 13)]


def _targets(value: float = 25.0) -> pd.DataFrame:
    return pd.DataFrame(
        {"area_id": "A", "indicator_id": "k", "month": MONTHS_2025, "target": value}
    )


def _values(actuals: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_id": "A",
            "indicator_id": "k",
            "month": list(actuals),
            "value": list(actuals.values()),
        }
    )


# --------------------------------------------------------------------------- målstyrning
def test_seed_example_target_25_actual_21() -> None:
    table = target_table(
        _values({"2025-01": 21, "2025-02": 24, "2025-03": 30}), _targets(), "A", "k", 2025
    )
    assert table.loc[0, "deviation"] == -4.0
    assert table["cum_deviation"].head(3).tolist() == [-4.0, -5.0, 0.0]
    assert table["status"].head(4).tolist() == ["ok", "ok", "ok", "no_actual"]
    assert math.isnan(table.loc[3, "cum_deviation"])  # an unreported month is not a zero


def test_missing_month_does_not_count_as_zero() -> None:
    table = target_table(_values({"2025-01": 21, "2025-03": 30}), _targets(), "A", "k", 2025)
    assert math.isnan(table.loc[1, "deviation"]) and math.isnan(table.loc[1, "cum_deviation"])
    assert table.loc[2, "cum_deviation"] == 1.0  # −4 + 5, February skipped


def test_through_hides_unreported_months() -> None:
    table = target_table(
        _values({"2025-01": 21, "2025-02": 24}), _targets(), "A", "k", 2025, through="2025-01"
    )
    assert table["actual"].notna().sum() == 1


def test_projection_at_current_pace() -> None:
    table = target_table(
        _values({"2025-01": 21, "2025-02": 24, "2025-03": 30}), _targets(), "A", "k", 2025
    )
    proj = year_end_projection(table, unit="count", direction="effort")
    assert proj.months_reported == 3 and proj.pace == 25.0
    assert proj.projected_total == 300.0 and proj.target_total == 300.0
    assert proj.projected_deviation == 0.0 and proj.on_track is True
    bad = year_end_projection(table, unit="count", direction="up_is_bad")
    assert bad.on_track is True  # exactly on a ceiling is on track
    low = year_end_projection(
        target_table(_values({"2025-01": 21}), _targets(), "A", "k", 2025), "count", "effort"
    )
    assert low.projected_total == 252.0 and low.on_track is False


def test_projection_without_data_or_targets() -> None:
    empty = target_table(_values({}), _targets(), "A", "k", 2025)
    assert year_end_projection(empty).projected_total is None
    partial = target_table(_values({"2025-01": 21}), _targets().iloc[:6], "A", "k", 2025)
    proj = year_end_projection(partial, "count", "effort")
    assert proj.target_total is None and proj.on_track is None and proj.projected_total == 252.0


def test_malstyrning_covers_every_targeted_indicator() -> None:
    targets = pd.concat([_targets(), _targets(3.0).assign(indicator_id="j")])
    values = pd.concat([_values({"2025-01": 21}), _values({"2025-01": 4}).assign(indicator_id="j")])
    table = malstyrning(values, targets, "A", 2025)
    assert sorted(table["indicator_id"].unique()) == ["j", "k"]
    assert table.set_index(["indicator_id", "month"]).loc[("j", "2025-01"), "deviation"] == 1.0


# --------------------------------------------------------------------------- summary JSON
@pytest.fixture(scope="module")
def national() -> dict[str, pd.DataFrame]:
    return synthetic_frames(
        n_areas=65, n_indicators=20, first_year=2011, last_month="2025-12", seed=3
    )


def test_area_summary_shape_is_stable_and_json_safe(national: dict) -> None:
    f = national
    s = area_summary(
        f["values"],
        f["catalogue"],
        f["areas"],
        f["targets"],
        "1005",
        "2025-T2",
        "prev_year",
        "sv",
        profiles=f["profiles"],
    )
    text = json.dumps(s, allow_nan=False)  # no NaN anywhere
    assert json.loads(text) == s
    assert {"area", "period", "period_label", "comparison", "indicators"} <= set(s)
    assert s["period"] == "2025-T2" and s["comparison"] == "prev_year"
    assert {"id", "name", "category", "kommun", "lpo", "region"} <= set(s["area"])
    assert len(s["area"]["peers"]) == 5
    required = {
        "id",
        "name",
        "unit",
        "value",
        "previous",
        "baseline",
        "z_poisson",
        "p_etest",
        "p_adjusted",
        "rag",
        "reason",
        "synthetic",
        "complete",
        "change",
        "pct_change",
        "z_baseline",
        "p_tail",
        "target",
        "cum_deviation",
        "coverage_note",
        "source",
        "direction",
        "rate_per_1000",
    }
    assert len(s["indicators"]) == 20
    for ind in s["indicators"]:
        assert required <= set(ind)
        assert ind["rag"] in {"red", "amber", "green", "grey"} and ind["reason"]
        assert ind["synthetic"] is True
    # one FDR family: every area × indicator of the list; the area's q-values are its rows of the
    # whole table's BH adjustment (statsmodels), and every verdict field is the table's
    table = compare_table(f["values"], f["catalogue"], f["areas"], "2025-T2", "prev_year",
                          targets=f["targets"])
    tested = table["p"].notna()
    bh = multipletests(table.loc[tested, "p"], method="fdr_bh")[1]
    np.testing.assert_allclose(table.loc[tested, "p_adjusted"], bh, rtol=1e-12)
    mine = table[table["area_id"] == "1005"].set_index("indicator_id")
    for i in s["indicators"]:
        row = mine.loc[i["id"]]
        assert i["rag"] == row["rag"] and i["reason"] == row["reason"]
        assert i["verdict"] == row["verdict"] and i["arrow"] == row["arrow"]
        for key in ("p", "p_adjusted"):
            want = row[key]
            assert (i[key] is None) == (want != want)
            if i[key] is not None:
                assert i[key] == pytest.approx(float(f"{want:.4g}"))
    effort = [i for i in s["indicators"] if i["id"] == "narvaro"][0]
    assert effort["target"] is not None and effort["cum_deviation"] is not None
    assert effort["projection"]["months_reported"] == 8


def test_area_summary_without_profile_or_population(national: dict) -> None:
    f = national
    areas = f["areas"].copy()
    areas.loc[areas["id"] == "1005", "population"] = np.nan
    s = area_summary(
        f["values"],
        f["catalogue"],
        areas,
        None,
        "1005",
        "2025-T2",
        "baseline",
        "en",
        profiles=f["profiles"][f["profiles"]["area_id"] != "1005"],
    )
    assert s["area"]["peers"] == [] and "DeSOs are not known" in s["area"]["peer_note"]
    counts = [i for i in s["indicators"] if i["unit"] == "count"]
    assert all(
        i["z_all"] is None and i["cross_section_note"] == "population unknown" for i in counts
    )
    assert all(i["z_peers"] is None for i in s["indicators"])
    share = [i for i in s["indicators"] if i["unit"] == "share"][0]
    assert share["z_all"] is not None
    assert s["indicators"][0]["reason"].startswith(("Red", "Amber", "Green", "Grey"))


def test_area_summary_errors() -> None:
    f = synthetic_frames(n_areas=2, n_indicators=2, first_year=2024, last_month="2025-08")
    with pytest.raises(ValueError, match="unknown area id"):
        area_summary(f["values"], f["catalogue"], f["areas"], None, "nope", "2025-T2")
    with pytest.raises(ValueError, match="'2025-T5' is not a tertial"):
        area_summary(f["values"], f["catalogue"], f["areas"], None, "1000", "2025-T5")


# --------------------------------------------------------------------------- compare table
def test_compare_table_columns_and_fdr_over_whole_table(national: dict) -> None:
    f = national
    table = compare_table(
        f["values"], f["catalogue"], f["areas"], "2025-T2", "prev_year", lang="en"
    )
    assert list(table.columns) == COMPARE_COLUMNS
    assert len(table) == 65 * 20
    tested = table["p"].notna()
    np.testing.assert_allclose(
        table.loc[tested, "p_adjusted"],
        multipletests(table.loc[tested, "p"], method="fdr_bh")[1],
        rtol=1e-12,
    )
    assert table["reason"].equals(table["reason_en"])


def test_compare_table_subset_of_areas(national: dict) -> None:
    f = national
    ids = f["areas"].loc[f["areas"]["region"] == "Syd", "id"].tolist()
    table = compare_table(
        f["values"], f["catalogue"], f["areas"], "2025-T2", "baseline", area_ids=ids
    )
    assert set(table["area_id"]) == set(ids)


def test_hand_made_frames_work_without_optional_columns() -> None:
    cat = pd.DataFrame([catalogue_row("x", last_month="2025-08")])
    areas = pd.DataFrame([area_row("A")]).drop(columns=["population"])
    values = pd.DataFrame(
        {
            "area_id": "A",
            "indicator_id": "x",
            "month": ["2025-05", "2025-06", "2025-07", "2025-08"],
            "value": 1.0,
        }
    )
    table = compare_table(values, cat, areas, "2025-T2")
    assert table.loc[0, "rag"] == "grey" and math.isnan(table.loc[0, "rate_per_1000"])
