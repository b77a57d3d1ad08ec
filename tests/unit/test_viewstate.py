"""The view ↔ URL round trip and the hub's pure step function."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from callbacks.view import next_view, period_kind_of
from ids import Ids
from services.viewstate import LAYERS, decode, empty_view, encode


def test_decode_ignores_invalid_values():
    v = decode("?cmp=nonsense&layers=hotspots,tiles&list=abc&lang=de", {"period": "2025-T2"})
    assert v["cmp"] == "prev_year" and v["layers"] == ["hotspots"] and v["list"] is None and v["lang"] == "sv"
    assert v["period"] == "2025-T2"


@given(
    area=st.one_of(st.none(), st.sampled_from(["74", "9", "P55"])),
    indicator=st.one_of(st.none(), st.sampled_from(["skjutningar", "narkotikabrott"])),
    period=st.sampled_from(["2025-T2", "2025-05", "2025", "R12:2025-08"]),
    cmp_=st.sampled_from(["prev_year", "baseline", "target"]),
    layers=st.lists(st.sampled_from(LAYERS), unique=True),
    list_year=st.sampled_from([2015, 2023, 2025]),
    lang=st.sampled_from(["sv", "en"]),
)
def test_round_trip(area, indicator, period, cmp_, layers, list_year, lang):
    view = {**empty_view(), "area": area, "indicator": indicator, "period": period, "cmp": cmp_,
            "layers": [x for x in LAYERS if x in layers], "list": list_year, "lang": lang}
    assert decode(encode(view)) == view


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
    assert [period_kind_of(p) for p in ("2025-T2", "2025-05", "2025", "R12:2025-08")] == ["tertial", "month", "year", "r12"]
