"""The period table, the RAG rules and their reasons, including every edge case of issues 3 and 11.

Most tests here check the mechanics of the Poisson case (``dispersion={}``: α = 0); the tests
with extra-Poisson variation are at the end and in ``test_indicators_nb.py``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep

from indicators.calendar import parse_period
from indicators.rag import RagRules
from indicators.stats import difference_t
from indicators.summary import compare_table
from indicators.table import indicator_table
from testing.synthetic import area_row, catalogue_row, monthly_rows, spread

T2 = parse_period("2025-T2")
POISSON: dict = {}  # no dispersion given: α = 0 for every indicator, the exact Poisson tests


def sm_etest(c1: float, n1: float, c2: float, n2: float) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(poisson_2indep(c1, n1, c2, n2, method="etest").pvalue)


def sv(p: float) -> str:
    return f"{p:.3f}".replace(".", ",")


def tertial_rows(area: str, ind: str, totals: dict[int, float]) -> list[tuple]:
    """Rows for T2 of each year, the year's total spread over May–August."""
    rows: list[tuple] = []
    for year, total in totals.items():
        rows += monthly_rows(area, ind, spread(total, parse_period(f"{year}-T2").months))
    return rows


def frames(rows: list[tuple], cat_rows: list[dict], area_rows: list[dict] | None = None) -> tuple:
    values = pd.DataFrame(rows, columns=["area_id", "indicator_id", "month", "value"])
    areas = pd.DataFrame(area_rows or [area_row("A")])
    return values, pd.DataFrame(cat_rows), areas


def one(
    values: pd.DataFrame,
    cat: pd.DataFrame,
    areas: pd.DataFrame,
    comparison: str = "prev_year",
    period: str = "2025-T2",
    **kw: object,
) -> pd.Series:
    kw.setdefault("dispersion", POISSON)
    table = compare_table(values, cat, areas, period, comparison, **kw)
    assert len(table) == 1
    return table.iloc[0]


SHOOT = catalogue_row(
    "skj", rare=True, last_month="2025-08", name_sv="Skjutningar", name_en="Shootings"
)


# --------------------------------------------------------------------------- the reason sentence
def test_red_reason_has_numbers_and_swedish_decimal_comma() -> None:
    v, c, a = frames(tertial_rows("A", "skj", {2022: 9, 2023: 11, 2024: 10, 2025: 30}), [SHOOT])
    row = one(v, c, a)
    p = sm_etest(30, 1, 10, 1)
    assert row["rag"] == "red"
    assert row["p"] == pytest.approx(p, rel=1e-9)
    assert (
        row["reason_sv"]
        == f"Röd: 30 skjutningar mot 10 samma tertial i fjol, E-test (Poisson) p = {sv(p)}, signifikant efter FDR."
    )
    assert (
        row["reason_en"]
        == f"Red: 30 shootings vs 10 in the same tertial last year, E-test (Poisson) p = {p:.3f}, significant after FDR."
    )
    assert row["arrow"] == "▲" and row["signal"] == "sig_worse" and row["verdict"] == "säker ökning"
    assert row["reason"] == row["reason_sv"]


def test_non_significant_change_is_within_normal_variation() -> None:
    # 9 → 16 is "+78 %" but noise
    v, c, a = frames(tertial_rows("A", "skj", {2022: 10, 2023: 10, 2024: 9, 2025: 16}), [SHOOT])
    row = one(v, c, a, lang="en")
    assert row["pct_change"] == round(700 / 9, 1)  # stored as every view prints it
    assert row["rag"] == "green"
    assert row["reason"].endswith(
        f"E-test (Poisson) p = {sm_etest(16, 1, 9, 1):.3f}, within normal variation."
    )
    assert "inom normal variation" in row["reason_sv"]


# --------------------------------------------------------------------------- edge cases
def test_zero_in_both_periods() -> None:
    v, c, a = frames(tertial_rows("A", "skj", {2022: 0, 2023: 0, 2024: 0, 2025: 0}), [SHOOT])
    row = one(v, c, a)
    assert row["p"] == 1.0 and row["z_poisson"] == 0.0 and row["change"] == 0.0
    assert math.isnan(row["pct_change"])
    assert row["rag"] == "green" and "E-test (Poisson) p = 1,000, inom normal variation" in row["reason_sv"]
    assert row["arrow"] == "="


def test_zero_before_and_some_after() -> None:
    v, c, a = frames(tertial_rows("A", "skj", {2022: 0, 2023: 1, 2024: 0, 2025: 8}), [SHOOT])
    row = one(v, c, a)
    assert math.isnan(row["pct_change"])  # not +inf %
    assert row["z_poisson"] == pytest.approx(2 * math.sqrt(8), abs=5e-4)
    assert row["p"] == pytest.approx(sm_etest(8, 1, 0, 1), rel=1e-9)
    assert row["rag"] == "red"
    assert "8 skjutningar mot 0 samma tertial i fjol" in row["reason_sv"]


def test_single_month_of_history_has_no_comparison() -> None:
    cat = [
        catalogue_row(
            "ny",
            first_month="2025-08",
            last_month="2025-08",
            name_sv="Nytt mått",
            name_en="New measure",
        )
    ]
    v, c, a = frames(monthly_rows("A", "ny", {"2025-08": 3}), cat)
    prev = one(v, c, a, period="2025-08")
    assert prev["rag"] == "grey" and prev["status"] == "no_previous"
    assert (
        prev["reason_sv"]
        == "Grå: 3 nytt mått, men samma månad i fjol saknas (serien börjar 2025-08), ingen jämförelse."
    )
    base = one(v, c, a, "baseline", period="2025-08")
    assert base["rag"] == "grey" and base["status"] == "no_baseline"
    assert math.isnan(base["baseline"]) and math.isnan(base["p"])
    assert "baseline" in base["reason_en"] and "0 available" in base["reason_en"]


def test_area_not_on_last_years_list() -> None:
    areas = [area_row("A", 2025), area_row("B", 2025), area_row("A", 2023)]
    rows = tertial_rows("A", "skj", {2022: 2, 2023: 2, 2024: 2, 2025: 2}) + monthly_rows(
        "B", "skj", spread(5, T2.months)
    )
    v, c, a = frames(rows, [SHOOT], areas)
    table = compare_table(v, c, a, T2, "prev_year")
    b = table.set_index("area_id").loc["B"]
    assert b["rag"] == "grey" and b["complete"]
    assert "området fanns inte på 2023 års lista" in b["reason_sv"]
    assert "the area was not on the 2023 list" in b["reason_en"]
    assert table.set_index("area_id").loc["A", "rag"] == "green"


def test_month_not_yet_reported_is_grey_never_a_drop() -> None:
    # the catalogue says data are in up to 2025-06: July and August are pending, not zero
    cat = [catalogue_row("skj", last_month="2025-06", name_sv="Skjutningar")]
    rows = tertial_rows("A", "skj", {2022: 8, 2023: 8, 2024: 8}) + monthly_rows(
        "A", "skj", {"2025-05": 3, "2025-06": 2}
    )
    v, c, a = frames(rows, cat)
    row = one(v, c, a)
    assert not row["complete"] and row["months_reported"] == 2 and row["value"] == 5.0
    assert row["rag"] == "grey" and math.isnan(row["p"]) and math.isnan(row["change"])
    assert (
        row["reason_sv"]
        == "Grå: ofullständig period (2025-07–2025-08 ännu inte rapporterade), ingen bedömning."
    )


def test_missing_month_inside_coverage_is_missing_not_zero() -> None:
    rows = tertial_rows("A", "skj", {2022: 8, 2023: 8, 2024: 8, 2025: 8})
    rows = [r for r in rows if r[2] != "2025-06"]
    v, c, a = frames(rows, [SHOOT])
    row = one(v, c, a)
    assert not row["complete"] and row["rag"] == "grey"
    assert "data saknas för 2025-06" in row["reason_sv"]


# --------------------------------------------------------------------------- baseline comparison
def test_baseline_uses_etest_with_exposure_one_vs_three() -> None:
    cat = [catalogue_row("ran", last_month="2025-08", name_sv="Rån", name_en="Robbery")]
    v, c, a = frames(tertial_rows("A", "ran", {2022: 20, 2023: 25, 2024: 18, 2025: 40}), cat)
    row = one(v, c, a, "baseline")
    assert row["test"] == "etest"
    assert row["baseline"] == pytest.approx(21.0)
    assert row["p"] == pytest.approx(sm_etest(40, 1, 63, 3), rel=1e-9)
    assert "mot i snitt 21 samma tertial de tre föregående åren" in row["reason_sv"]


def test_rare_indicator_against_the_baseline_counts_the_baselines_uncertainty() -> None:
    # issue 11: the three-year mean is estimated, not known; the E-test of 7 vs the total of three
    # years (exposure 1 vs 3) decides; the Poisson tail against the mean stays descriptive
    v, c, a = frames(tertial_rows("A", "skj", {2022: 1, 2023: 2, 2024: 1, 2025: 7}), [SHOOT])
    row = one(v, c, a, "baseline")
    mean = 4 / 3
    tail = min(1.0, 2 * min(sps.poisson.sf(6, mean), sps.poisson.cdf(7, mean)))
    assert row["test"] == "etest" and row["p"] == pytest.approx(sm_etest(7, 1, 4, 3), rel=1e-9)
    assert row["p_tail"] == pytest.approx(tail, rel=1e-9) and row["p"] > row["p_tail"]
    assert "E-test (Poisson) p" in row["reason_sv"] and "i snitt 1,3" in row["reason_sv"]


def test_rare_indicator_with_zero_baseline_falls_back_to_etest() -> None:
    v, c, a = frames(tertial_rows("A", "skj", {2022: 0, 2023: 0, 2024: 0, 2025: 2}), [SHOOT])
    row = one(v, c, a, "baseline")
    assert row["test"] == "etest"
    assert row["p"] == pytest.approx(sm_etest(2, 1, 0, 3), rel=1e-9)


# --------------------------------------------------------------------------- direction awareness
@pytest.mark.parametrize(
    ("direction", "proactive", "now", "expected"),
    [
        ("up_is_bad", False, 60, "red"),
        ("up_is_bad", False, 5, "green"),
        ("up_is_good", False, 60, "green"),
        ("up_is_good", False, 5, "red"),
        ("effort", False, 60, "amber"),
        ("effort", False, 5, "amber"),
        ("up_is_bad", True, 60, "amber"),
        ("up_is_bad", True, 5, "amber"),
    ],
)
def test_statistical_rule_is_direction_aware(
    direction: str, proactive: bool, now: int, expected: str
) -> None:
    cat = [
        catalogue_row(
            "x", direction=direction, proactive=proactive, last_month="2025-08", name_sv="Brott"
        )
    ]
    v, c, a = frames(tertial_rows("A", "x", {2022: 25, 2023: 25, 2024: 25, 2025: now}), cat)
    row = one(v, c, a)
    assert row["rag"] == expected
    if expected == "amber":
        assert "värd att notera" in row["reason_sv"] and "noteworthy" in row["reason_en"]


def test_hours_use_the_t_test_scaled_by_baseline_years() -> None:
    cat = [
        catalogue_row(
            "h",
            unit="hours",
            direction="effort",
            last_month="2025-08",
            name_sv="Närvaro",
            name_en="Presence",
        )
    ]
    v, c, a = frames(tertial_rows("A", "h", {2022: 400, 2023: 420, 2024: 410, 2025: 415}), cat)
    row = one(v, c, a)
    _, p = difference_t([415.0], [410.0], np.array([[400.0, 420.0, 410.0]]))
    assert row["test"] == "t" and row["p"] == pytest.approx(p[0])
    assert math.isnan(row["p_etest"])
    assert row["reason_sv"].startswith(
        "Grön: närvaro 415\u00a0timmar mot 410 samma tertial i fjol, t-test p = "
    )


# --------------------------------------------------------------------------- FDR across the whole table
def _many_areas(n: int = 30) -> tuple:
    rng = np.random.default_rng(11)
    rows: list[tuple] = []
    areas = [area_row(f"A{i}") for i in range(n)]
    for i in range(n):
        last = int(rng.poisson(20))
        now = 34 if i == 0 else int(rng.poisson(20))
        rows += tertial_rows(f"A{i}", "ran", {2022: 20, 2023: 20, 2024: last, 2025: now})
    cat = [catalogue_row("ran", last_month="2025-08", name_sv="Rån", name_en="Robbery")]
    return frames(rows, cat, areas)


def test_bh_across_the_whole_table_matches_statsmodels() -> None:
    v, c, a = _many_areas()
    table = compare_table(v, c, a, T2, "prev_year")
    np.testing.assert_allclose(
        table["p_adjusted"], multipletests(table["p"], method="fdr_bh")[1], rtol=1e-12
    )


def test_raw_significance_that_does_not_survive_fdr_is_amber() -> None:
    v, c, a = _many_areas()
    table = compare_table(v, c, a, T2, "prev_year", dispersion=POISSON)
    nominal = table[(table["p"] < 0.05) & (table["p_adjusted"] >= 0.05) & (table["change"] > 0)]
    assert len(nominal) >= 1
    row = nominal.iloc[0]
    assert row["rag"] == "amber"
    assert f"inte signifikant efter FDR (justerat p = {sv(row['p_adjusted'])})" in row["reason_sv"]
    lenient = compare_table(v, c, a, T2, "prev_year", rules=RagRules(amber_on_raw=False),
                            dispersion=POISSON)
    assert lenient.loc[nominal.index[0], "rag"] == "green"


# --------------------------------------------------------------------------- targets and precedence
def _target_frames(actual_per_month: float, direction: str = "effort") -> tuple:
    cat = [
        catalogue_row(
            "k", direction=direction, last_month="2025-08", name_sv="Kontakter", name_en="Contacts"
        )
    ]
    rows = tertial_rows("A", "k", {2022: 100, 2023: 100, 2024: 100}) + monthly_rows(
        "A", "k", dict.fromkeys(T2.months, actual_per_month)
    )
    v, c, a = frames(rows, cat)
    targets = pd.DataFrame(
        {"area_id": "A", "indicator_id": "k", "month": list(T2.months), "target": 25.0}
    )
    return v, c, a, targets


@pytest.mark.parametrize(
    ("actual", "expected"), [(25.0, "green"), (23.0, "amber"), (21.0, "amber"), (15.0, "amber"),
                             (30.0, "green")]
)
def test_target_rule_effort_target_is_a_floor_and_never_red(actual: float, expected: str) -> None:
    v, c, a, targets = _target_frames(actual)
    row = one(v, c, a, "target", targets=targets)
    assert row["rag"] == expected and row["rule"] == "target"
    assert row["target"] == 100.0 and row["change"] == 4 * actual - 100
    total = 4 * actual
    if actual == 21.0:
        # 84 vs a floor of 100: P(X ≤ 84) under Poisson(100) ≈ 0.06: a miss within normal variation
        p = sps.poisson.cdf(84, 100)
        assert row["test"] == "poisson_tail" and row["p"] == pytest.approx(p, rel=1e-9)
        assert row["reason_sv"] == (
            "Gul: 84 kontakter mot målet 100 (−16\u00a0%), sämre än målet men inom normal variation, "
            f"svanssannolikhet (Poisson) p = {sv(p)}."
        )
    if actual == 15.0:
        # 60 vs 100 is a significant miss, but an effort measure is never "worse": amber
        assert row["p"] < 0.001 and "värd att notera" in row["reason_sv"]
    assert row["arrow"] == ("▲" if total > 100 else "▼" if total < 100 else "=")


def test_the_issues_target_examples_read_amber_not_red() -> None:
    # 3 against a target of 4 (a floor): red at p = 1 before; a miss within normal variation now
    cat = [catalogue_row("m", direction="up_is_good", last_month="2025-08", name_sv="Möten")]
    rows = tertial_rows("A", "m", {2022: 4, 2023: 4, 2024: 4, 2025: 3})
    v, c, a = frames(rows, cat)
    targets = pd.DataFrame({"area_id": "A", "indicator_id": "m", "month": list(T2.months),
                            "target": 1.0})
    row = one(v, c, a, "target", targets=targets)
    assert row["rag"] == "amber" and "inom normal variation" in row["reason_sv"]
    # +5 % over a ceiling is not red; +250 % is
    for now, colour in ((105, "amber"), (350, "red")):
        cat = [catalogue_row("r", last_month="2025-08", name_sv="Rån")]
        v, c, a = frames(tertial_rows("A", "r", {2022: 100, 2023: 100, 2024: 100, 2025: now}), cat)
        tg = pd.DataFrame({"area_id": "A", "indicator_id": "r", "month": list(T2.months),
                           "target": 25.0})
        assert one(v, c, a, "target", targets=tg)["rag"] == colour


def test_a_fall_has_a_down_arrow_whatever_its_colour() -> None:
    # "62 mot 123 ▲ Röd": a fall of an up_is_good indicator is bad (red) and points down
    cat = [catalogue_row("t", direction="up_is_good", last_month="2025-08", name_sv="Trygga")]
    v, c, a = frames(tertial_rows("A", "t", {2022: 120, 2023: 125, 2024: 123, 2025: 62}), cat)
    row = one(v, c, a)
    assert row["rag"] == "red" and row["arrow"] == "▼" and row["verdict"] == "säker minskning"


def test_target_rule_up_is_bad_target_is_a_ceiling() -> None:
    v, c, a, targets = _target_frames(21.0, direction="up_is_bad")
    assert one(v, c, a, "target", targets=targets)["rag"] == "green"


def test_no_target_is_grey_with_reason() -> None:
    v, c, a, targets = _target_frames(21.0)
    row = one(v, c, a, "target", targets=targets[targets["month"] != "2025-07"])
    assert row["rag"] == "grey"
    assert row["reason_en"] == "Grey: no target set for all of tertial 2 2025 (May–Aug)."


def test_a_missed_target_in_another_comparison_is_at_most_amber() -> None:
    # statistically a normal tertial (84 vs 100, p ≈ 0.2) but below an effort target of 100:
    # amber with the target's reason, never red
    v, c, a, targets = _target_frames(21.0)
    row = one(v, c, a, "prev_year", targets=targets)
    assert row["rag"] == "amber" and row["rule"] == "target"
    assert "sämre än målet; förändringen är inom normal variation" in row["reason_sv"]
    assert row["verdict"] == "inom normal variation; sämre än målet"
    no_target = one(v, c, a, "prev_year")
    assert no_target["rag"] == "green" and no_target["rule"] == "statistical"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fdr_alpha": 0}, "fdr_alpha"),
        ({"k_peers": 0}, "k_peers"),
        ({"min_baseline_years": 4}, "min_baseline_years"),
    ],
)
def test_rag_rules_validate(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RagRules(**kwargs)


def test_every_colour_has_a_reason_on_a_national_table() -> None:
    from testing.synthetic import synthetic_frames

    f = synthetic_frames(
        n_areas=12,
        n_indicators=13,
        first_year=2020,
        last_month="2025-07",
        seed=4,
        missing_share=0.01,
    )
    table = compare_table(
        f["values"], f["catalogue"], f["areas"], "2025-T2", "baseline", targets=f["targets"]
    )
    assert set(table["rag"]) <= {"red", "amber", "green", "grey"}
    assert table["reason_sv"].str.len().gt(20).all() and table["reason_en"].str.len().gt(20).all()
    starts = {"red": "Röd:", "amber": "Gul:", "green": "Grön:", "grey": "Grå:"}
    assert all(
        r.startswith(starts[c]) for c, r in zip(table["rag"], table["reason_sv"], strict=True)
    )
    assert (table.loc[~table["complete"], "rag"] == "grey").all()  # August is pending for all


def test_indicator_table_layout_and_unknown_area() -> None:
    v, c, a = frames(tertial_rows("A", "skj", {2024: 1, 2025: 2}), [SHOOT])
    t = indicator_table(v, c, a, T2, "prev_year")
    assert list(t["area_id"]) == ["A"] and list(t["indicator_id"]) == ["skj"]
    with pytest.raises(ValueError, match="unknown area id"):
        indicator_table(v, c, a, T2, "prev_year", area_ids=["Z"])
    with pytest.raises(ValueError, match="comparison"):
        indicator_table(v, c, a, T2, "last_week")


def test_with_extra_variance_the_negative_binomial_test_decides() -> None:
    from indicators.dispersion import Dispersion
    from indicators.stats import nb_etest

    v, c, a = frames(tertial_rows("A", "skj", {2022: 9, 2023: 11, 2024: 10, 2025: 30}), [SHOOT])
    disp = {"skj": Dispersion(0.5, 0.5, 40.0, 800, 2.4, 4)}
    row = one(v, c, a, dispersion=disp)
    assert row["test"] == "nb_etest" and row["dispersion"] == 0.5
    assert row["p"] == pytest.approx(nb_etest(30, 1, 10, 1, 0.5), rel=1e-9)
    assert row["p_etest"] == pytest.approx(sm_etest(30, 1, 10, 1), rel=1e-9)  # descriptive
    assert row["p"] > row["p_etest"] and row["rag"] == "green"  # 30 vs 10 is within such swings
    assert "E-test (negativ binomial) p" in row["reason_sv"]
    # without a dispersion given, it is estimated from the values (here: no extra variance shown)
    est = compare_table(v, c, a, T2, "prev_year").iloc[0]
    assert est["test"] in ("etest", "nb_etest") and est["dispersion"] >= 0


# --------------------------------------------------------------------------- honest periods (issue 11)
def test_an_ended_series_says_so_instead_of_not_yet_reported() -> None:
    cat = [catalogue_row("b", last_month="2024-03", name_sv="Bilbränder", name_en="Car fires")]
    c = pd.DataFrame(cat).assign(series_end="2024-03")
    rows = tertial_rows("A", "b", {2022: 5, 2023: 6})
    v = pd.DataFrame(rows, columns=["area_id", "indicator_id", "month", "value"])
    a = pd.DataFrame([area_row("A")])
    row = compare_table(v, c, a, "2026-T2", "prev_year", dispersion=POISSON).iloc[0]
    assert row["rag"] == "grey"
    assert row["reason_sv"] == "Grå: serien slutade 2024-03, inga senare uppgifter – ingen bedömning."
    assert "ännu inte" not in row["reason_sv"] and "series ended in 2024-03" in row["reason_en"]


def test_no_verdict_compares_across_a_series_break() -> None:
    import json

    brk = json.dumps([{"month": "2026-01", "sv": "polisen.se anger län", "en": "county only"}])
    cat = pd.DataFrame([catalogue_row("e", direction="effort", last_month="2026-08",
                                      name_sv="Händelser", name_en="Events")]).assign(breaks=brk)
    rows = monthly_rows("A", "e", spread(29, parse_period("2025-T1").months))
    rows += monthly_rows("A", "e", spread(4, parse_period("2026-T1").months))
    rows += monthly_rows("A", "e", spread(3, parse_period("2026-T2").months))
    rows += monthly_rows("A", "e", spread(5, parse_period("2025-T2").months))
    v = pd.DataFrame(rows, columns=["area_id", "indicator_id", "month", "value"])
    a = pd.DataFrame([area_row("A")])
    # Sigtuna/Valsta 2026-T1: "4 vs 29, significant" before; across the break now: grey
    t1 = compare_table(v, cat, a, "2026-T1", "prev_year", dispersion=POISSON).iloc[0]
    assert t1["rag"] == "grey" and t1["status"] == "break" and np.isnan(t1["p"])
    assert "serieavbrott 2026-01 (polisen.se anger län)" in t1["reason_sv"]
    assert "no comparison across it" in t1["reason_en"]
    # the same months on both sides of a break are not paired for the dispersion either
    from indicators.catalogue import series_breaks
    from indicators.dispersion import estimate_dispersion

    assert [b.month for b in series_breaks(cat)["e"]] == ["2026-01"]
    assert estimate_dispersion(v, cat.assign(unit="count"), 4, breaks={"e": ["2026-01"]})["e"].pairs \
        <= estimate_dispersion(v, cat.assign(unit="count"), 4)["e"].pairs


def test_the_polisen_location_break_is_found_in_the_data() -> None:
    from store.demo import location_break

    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 9)]
    share = pd.Series([0.26] * 12 + [0.56] + [1.0] * 7, index=months)
    assert location_break(share) == "2026-01"
    assert location_break(pd.Series([0.26] * 20, index=months)) is None
