"""bench.versus: the table that says whether a commit made the product slower."""

from __future__ import annotations

import pytest

from bench.versus import compare, spread


def test_medians_ratio_and_noise_of_the_metrics_both_commits_measured():
    base = {"a": [10.0, 12.0, 11.0], "only_old": [1.0]}
    head = {"a": [22.0, 20.0, 24.0], "only_new": [2.0]}
    rows = compare(base, head)
    assert [r["name"] for r in rows] == ["a"]
    (row,) = rows
    assert (row["base"], row["head"], row["ratio"]) == (11.0, 22.0, 2.0)
    # noise: the larger spread of the two commits' rounds, (max - min) / median
    assert row["noise"] == pytest.approx(max(2 / 11, 4 / 22), abs=0.005)


def test_spread_of_equal_rounds_is_zero_and_of_a_zero_median_is_zero():
    assert spread([5.0, 5.0, 5.0]) == 0.0
    assert spread([0.0, 0.0]) == 0.0
    assert spread([9.0, 10.0, 12.0]) == pytest.approx(0.3)


def test_the_floor_ratio_compares_value_per_floor_and_needs_a_floor_in_every_round():
    from bench.versus import FLOOR

    base = {"j": [400.0, 420.0], "j" + FLOOR: [200.0, 210.0]}
    head = {"j": [440.0, 462.0], "j" + FLOOR: [220.0, 231.0]}  # 10 % slower, and so was the machine
    (row,) = compare(base, head)
    assert row["ratio"] == 1.1 and row["floor_ratio"] == 1.0
    head_missing = {"j": [440.0, 462.0], "j" + FLOOR: [220.0]}
    assert compare(base, head_missing)[0]["floor_ratio"] is None
