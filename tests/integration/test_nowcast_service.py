"""The nowcast in the product: months still being registered are estimated, shown as estimates and
never tested (demo store: the real DeSO series end at the extracts' cut, 2024-03)."""

from __future__ import annotations

import pandas as pd
import pytest

from services import nowcast as svc

REAL = ("brand_i_motorfordon", "brand", "upplopp", "blaljussabotage", "vald_mot_polis")


@pytest.fixture(scope="module")
def busy_area(demo_engine) -> str:
    """The area with the most real offences in the last year of the extracts."""
    from store.queries import values_frame

    v = values_frame(demo_engine, list(REAL), None, ("2023-04", "2024-03"))
    return str(v.groupby("area_id")["value"].sum().idxmax())


def _summary(engine, area: str, period: str) -> dict:
    from services.indicators import area_summary_json

    return svc.annotate_summary(area_summary_json(engine, area, period, "prev_year", "sv"), engine, "sv")


def test_a_nowcast_month_is_not_complete_and_never_tested(demo_engine, busy_area) -> None:
    summary = _summary(demo_engine, busy_area, "2024-03")
    real = {i["id"]: i for i in summary["indicators"] if i["id"] in REAL}
    assert set(real) == set(REAL)
    for ind in real.values():
        assert ind["complete"] is False
        assert ind["rag"] not in ("red", "green", "amber")
        assert ind["p_adjusted"] is None and ind["value"] is None  # the engine saw the month as pending
        month = ind["nowcast"]["months"][-1]
        assert month["month"] == "2024-03" and month["complete"] is False and month["preliminary"] is True
        assert month["lo90"] <= month["estimate"] <= month["hi90"] and month["registered"] <= month["lo90"]
        assert ind["nowcast"]["label"] == "uppskattning (ej slutligt registrerat)"
        assert ind["coverage_note"].startswith("2024-03: ej slutligt registrerat")
    # what is registered is the store's value: the estimate only adds to it
    from store.queries import values_frame

    v = values_frame(demo_engine, ["vald_mot_polis"], [busy_area], ("2024-03", "2024-03"))
    assert real["vald_mot_polis"]["nowcast"]["months"][-1]["registered"] == int(v["value"].sum())


def test_the_compare_table_agrees_no_verdict_for_a_nowcast_month(demo_engine) -> None:
    from services.indicators import compare_json

    rows = [r for r in compare_json(demo_engine, "alla", "2024-03", "prev_year", "sv")["rows"]
            if r["indicator_id"] in REAL]
    assert rows
    assert all(r["complete"] is False and r["rag"] not in ("red", "green", "amber") for r in rows)


def test_a_finished_period_has_no_nowcast(demo_engine, busy_area) -> None:
    summary = _summary(demo_engine, busy_area, "2023-T2")
    real = [i for i in summary["indicators"] if i["id"] in REAL]
    assert all(i["nowcast"] is None for i in real)
    assert all(i["complete"] for i in real)


def test_a_tertial_with_preliminary_months_adds_their_estimates(demo_engine, busy_area) -> None:
    summary = _summary(demo_engine, busy_area, "2023-T3")
    vmp = next(i for i in summary["indicators"] if i["id"] == "vald_mot_polis")
    months = [m["month"] for m in vmp["nowcast"]["months"]]
    assert months == list(svc.preliminary_months("vald_mot_polis")[: len(months)])
    assert "2023-09" not in months  # final by 2024-03
    total = vmp["nowcast"]["period"]
    from store.queries import values_frame

    v = values_frame(demo_engine, ["vald_mot_polis"], [busy_area], ("2023-09", "2023-12"))
    assert total["registered"] == int(v["value"].sum())
    assert total["registered"] <= total["lo90"] <= total["estimate"] <= total["hi90"]
    assert total["complete"] is False and vmp["complete"] is False


def test_series_nowcast_shape_and_the_trend_figure(demo_engine, busy_area) -> None:
    from layout.figures import nowcast_label, trend_figure

    rows = svc.series_nowcast(demo_engine, busy_area, "brand")
    assert [r["month"] for r in rows] == list(svc.preliminary_months("brand"))
    assert set(rows[0]) == {"month", "registered", "estimate", "lo90", "hi90", "share_registered", "complete",
                            "preliminary"}
    assert all(r["complete"] is False and r["preliminary"] is True for r in rows)
    # a series that does not end at the extracts' cut is not one still being registered
    assert svc.series_nowcast(demo_engine, busy_area, "brand",
                              pd.DataFrame({"month": ["2023-01"], "value": [3.0]})) == []
    assert svc.series_nowcast(demo_engine, busy_area, "skjutningar") == []

    from indicators.calendar import parse_period

    months = [f"2023-{m:02d}" for m in range(4, 13)] + ["2024-01", "2024-02", "2024-03"]
    series = pd.DataFrame({"month": months, "value": [1.0] * len(months), "target": [None] * len(months)})
    trend = {"series": series, "band": pd.DataFrame(columns=["month", "lo", "hi", "mean"]), "cum": None,
             "meta": {"unit": "count"}, "period": parse_period("2024-03"), "nowcast": rows}
    fig = trend_figure(trend, "sv", "Anlagd brand").to_plotly_json()
    names = [t.get("name") for t in fig["data"]]
    assert "Registrerat hittills (ej slutligt)" in names
    estimate = next(t for t in fig["data"] if (t.get("name") or "").startswith("Uppskattning (ej slutligt"))
    assert [str(x)[:7] for x in estimate["x"]] == [r["month"] for r in rows]
    assert estimate["marker"]["color"] not in ("#1a7f37", "#b2182b")  # never the verdict colours
    hatched = next(t for t in fig["data"] if t.get("name") == "Registrerat hittills (ej slutligt)")
    assert hatched["marker"]["pattern"]["shape"] == "/"
    actual = next(t for t in fig["data"] if t.get("name") == "Utfall")
    assert len(actual["x"]) == len(months) - len(rows)  # the preliminary months are not drawn as final
    assert any(nowcast_label("sv").split(" (")[0] in (s.get("text") or "") for s in fig["layout"]["annotations"])


def test_the_card_shows_the_estimate(demo_engine, busy_area) -> None:
    from layout.panels import card_data

    summary = _summary(demo_engine, busy_area, "2024-03")
    ind = next(i for i in summary["indicators"] if i["id"] == "brand_i_motorfordon")
    card = card_data(ind, "prev_year", "sv", False, [])
    total = ind["nowcast"]["period"]
    assert card["value"] == f"≈\u00a0{total['estimate']} ({total['lo90']}–{total['hi90']})"
    assert card["rag"] == "grey" and "ofullständig" in card["verdict"]
    assert card["reason"] == ind["coverage_note"]
