"""The view ↔ URL round trip and the hub's pure step function."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from callbacks.view import next_view, period_kind_of
from ids import Ids
from services.viewstate import HOTSPOT_METHODS, LAYERS, METRICS, decode, empty_view, encode


def test_decode_ignores_invalid_values():
    v = decode("?cmp=nonsense&layers=hotspots,tiles&list=abc&lang=de", {"period": "2025-T2"})
    assert v["cmp"] == "prev_year" and v["layers"] == ["hotspots"] and v["list"] is None and v["lang"] == "sv"
    assert v["period"] == "2025-T2"


@given(
    area=st.one_of(st.none(), st.sampled_from(["74", "9", "P55"])),
    indicator=st.one_of(st.none(), st.sampled_from(["skjutningar", "narkotikabrott"])),
    period=st.sampled_from(["2025-T2", "2025-05", "2025", "R12:2025-08", "YTD:2023-09", "2015-T1", "2031-T3"]),
    cmp_=st.sampled_from(["prev_year", "baseline", "target"]),
    layers=st.lists(st.sampled_from(LAYERS), unique=True),
    hs=st.sampled_from(HOTSPOT_METHODS),
    metric=st.sampled_from(METRICS),
    list_year=st.sampled_from([2015, 2023, 2025]),
    region=st.one_of(st.none(), st.sampled_from(["Stockholm", "Väst"])),
    real=st.booleans(),
    lang=st.sampled_from(["sv", "en"]),
)
def test_round_trip(area, indicator, period, cmp_, layers, hs, metric, list_year, region, real, lang):
    """The URL holds the whole view: every key comes back as it went in."""
    view = {**empty_view(), "area": area, "indicator": indicator, "period": period, "cmp": cmp_,
            "layers": [x for x in LAYERS if x in layers], "hs": hs, "metric": metric, "list": list_year,
            "region": region, "real": real, "lang": lang}
    assert decode(encode(view)) == view


def test_a_period_that_parses_is_kept_and_one_that_does_not_falls_back():
    assert decode("?period=r12:2024-03")["period"] == "R12:2024-03"
    assert decode("?period=ytd:2023-09")["period"] == "YTD:2023-09"
    assert decode("?period=2027-T1", {"period": "2023-T2"})["period"] == "2027-T1"  # no data: kept, the page says so
    assert decode("?period=2025-T4", {"period": "2023-T2"})["period"] == "2023-T2"
    assert decode("?period=nonsense", {"period": "2023-T2"})["period"] == "2023-T2"
    assert encode({**empty_view(), "period": "R12:2024-03"}) == "?period=R12:2024-03&cmp=prev_year"


def test_hub_steps():
    v = {**empty_view(), "period": "2025-T2", "list": 2025}
    v1 = next_view(v, Ids.AREAS, {"click": {"id": "74", "properties": {}}})
    assert v1["area"] == "74" and v1["zoom"]
    v2 = next_view(v1, Ids.CARD_PICK, {"card": {"id": "skjutningar", "n": 1}})
    assert v2["indicator"] == "skjutningar" and not v2["zoom"] and v2["area"] == "74"
    v3 = next_view(v2, Ids.HOTSPOT_TOGGLE, {})
    assert v3["layers"] == ["hotspots"]
    assert next_view(v3, Ids.HOTSPOT_TOGGLE, {})["layers"] == []
    v4 = next_view(v3, {"type": "compare-datatable", "id": "main"},
                   {"cell": {"row_id": "9", "column_id": "ran", "row": 3, "column": 4}})
    assert (v4["area"], v4["indicator"]) == ("9", "ran")
    assert next_view(v4, Ids.LANG, {})["lang"] == "en"


def test_period_kind_of():
    assert [period_kind_of(p) for p in ("2025-T2", "2025-05", "2025", "R12:2025-08", "YTD:2025-03", "2025-W14")] == \
        ["tertial", "month", "year", "r12", "ytd", "week"]


def test_the_period_control_never_clears_the_period_and_a_kind_switch_keeps_the_time():
    v = {**empty_view(), "period": "2021-T2", "list": 2025}
    assert next_view(v, Ids.PERIOD, {"period": None})["period"] == "2021-T2"  # a cleared dropdown
    assert next_view(v, Ids.PERIOD, {"period": "r12:2024-03"})["period"] == "R12:2024-03"
    assert next_view(v, Ids.PERIOD_KIND, {"period_kind": "month"})["period"] == "2021-08"
    assert next_view(v, Ids.PERIOD_KIND, {"period_kind": "ytd"})["period"] == "YTD:2021-08"
    assert next_view(v, Ids.PERIOD_KIND, {"period_kind": "year"})["period"] == "2021"
    future = {**v, "period": "2027-T1"}  # a kind switch from a period past the data lands on its newest month
    assert next_view(future, Ids.PERIOD_KIND, {"period_kind": "month", "newest_month": "2026-11"})["period"] == "2026-11"
    assert next_view(v, Ids.PERIOD_LATEST, {"latest": "2026-T2"})["period"] == "2026-T2"
    assert next_view(v, Ids.PERIOD_REAL, {"real_latest": "2023-T2"})["period"] == "2023-T2"


def test_the_real_data_switch_hides_a_chosen_synthetic_indicator():
    v = {**empty_view(), "period": "2023-T2", "area": "74", "indicator": "skjutningar"}
    on = next_view(v, Ids.REAL_ONLY, {"synthetic": {"skjutningar", "ran"}})
    assert on["real"] is True and on["indicator"] is None
    real_ind = next_view({**v, "indicator": "brand"}, Ids.REAL_ONLY, {"synthetic": {"skjutningar"}})
    assert real_ind["indicator"] == "brand"
    assert next_view(on, Ids.REAL_ONLY, {})["real"] is False
    assert next_view(v, Ids.MAP_METRIC, {"metric": "z"})["metric"] == "z"
    assert next_view(v, Ids.MAP_METRIC, {"metric": "bogus"})["metric"] == "value"


def test_the_back_button_to_the_landing_view_takes_the_layers_off_and_zooms_out():
    from callbacks.view import from_history, layer_view

    on_screen = {**empty_view(), "period": "2023-T2", "area": "74", "indicator": "ran", "layers": ["hotspots"],
                 "list": 2025, "changed": ["layers"]}
    landing = from_history(on_screen, decode("", {"period": "2023-T2", "list": 2025}))
    assert set(landing["changed"]) == {"area", "indicator", "layers"}
    assert landing["zoom"] is True  # the map goes back to the whole list
    assert layer_view(landing, first_load=False) is landing  # the hexagons are taken off
    forward = from_history(landing, decode("?area=74&indicator=ran&layers=hotspots", {"period": "2023-T2", "list": 2025}))
    assert forward["zoom"] is True and "layers" in forward["changed"]
    same = from_history(forward, decode("?area=74&indicator=ran&layers=hotspots&metric=z",
                                        {"period": "2023-T2", "list": 2025}))
    assert same["changed"] == ["metric"] and same["zoom"] is False  # only the map's colours change
    first = from_history(None, decode("?period=2021-T2", {"period": "2023-T2", "list": 2025}))
    assert first["zoom"] is False and "period" in first["changed"]


def test_the_compare_table_waits_while_it_is_off_screen():
    from dash import no_update

    from callbacks.view import compare_view

    drawn = {**empty_view(), "period": "2023-T2", "indicator": None}
    view = {**drawn, "indicator": "ran", "area": "74", "changed": ["indicator"]}
    assert compare_view(view, False, drawn, visible=False) is no_update
    passed = compare_view(view, False, drawn, visible=True)
    assert passed["indicator"] == "ran" and passed["changed"] == ["indicator"]
    caught_up = compare_view({**view, "area": "9", "changed": ["area"]}, False, drawn, visible=True)
    assert caught_up["changed"] == ["indicator"]  # what changed since it was drawn, not since the last click
    assert compare_view({**view, "changed": ["area"]}, False, {**drawn, "indicator": "ran"}) is no_update
    assert compare_view(view, True) is view  # a page load draws it
