"""The compare view's pure parts: periods side by side, numeric sorting, the cells and their
tooltips, the count of what is hidden, the small multiples, and the downloads (headers, decimal
comma, period / comparison / data version columns)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from layout import compare as view
from reports import compare_export as export
from services.compare import (
    IndicatorColumn,
    SmallMultiple,
    periods_ending,
    previous_period,
    signal_order,
)

CAR = IndicatorColumn("brand_i_motorfordon", "Brand i motorfordon", False, "count")
RIOTS = IndicatorColumn("upplopp", "Upplopp", False, "count")
SHOTS = IndicatorColumn("skjutningar", "Skjutningar", True, "count")
SAFE = IndicatorColumn("trygghet", "Trygghet (andel trygga)", True, "share")


def verdict_rows(period: str, values: dict[str, dict[str, float | None]], rag=None, lang="sv") -> pd.DataFrame:
    """Compare rows as ``services.page.compare`` returns them (the verdict object's fields)."""
    names = {"1": "Araby", "2": "Rosengård", "3": "Öxnehaga", "4": "Alby"}
    units = {"brand_i_motorfordon": "count", "upplopp": "count", "skjutningar": "count", "trygghet": "share"}
    out = []
    for area, per_ind in values.items():
        for ind, v in per_ind.items():
            ref = None if v is None else max(v - 2, 0)
            r = (rag or {}).get((area, ind), "green" if v is not None else "grey")
            out.append({
                "area_id": area, "area_name": names[area], "region": "Syd", "kommun": "Malmö",
                "indicator_id": ind, "indicator_name": ind.replace("_", " ").capitalize(), "unit": units[ind],
                "value": v, "previous": ref, "baseline": ref, "target": None, "reference": ref,
                "change": None if v is None else v - ref,
                "pct_change": None if v is None or not ref else 100 * (v - ref) / ref,
                "test": "nb_etest", "p": 0.0004 if r == "red" else 0.61, "p_adjusted": 0.01 if r == "red" else 0.9,
                "rag": r, "signal": "sig_worse" if r == "red" else ("untested" if v is None else "normal"),
                "arrow": "▲" if v and v > (ref or 0) else "=", "verdict": "säker ökning" if r == "red" else "inom normal variation",
                "reason": f"{'Röd' if r == 'red' else 'Grön'}: {v} mot {ref} samma tertial i fjol, p = 0,611, skäl {area}/{ind}/{period}.",
                "synthetic": ind in ("skjutningar", "trygghet"), "complete": v is not None,
            })
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- periods
def test_periods_side_by_side_are_the_ones_before_the_chosen():
    assert periods_ending("2023-T2", 3) == ["2022-T3", "2023-T1", "2023-T2"]
    assert periods_ending("2023-01", 2) == ["2022-12", "2023-01"]
    assert periods_ending("2023", 9) == ["2021", "2022", "2023"]  # at most three
    assert previous_period("R12:2023-08") == "R12:2022-08"
    assert periods_ending("2023-T2", 1) == ["2023-T2"]


# --------------------------------------------------------------------------- sorting
def test_numbers_sort_as_numbers_not_as_text():
    values = [9, 7, 7, 56, 5, 30, 3, None, 59]
    rows = [{"id": str(k), "area_name__sort": f"Område {k:02d}", "car": f"● {v}", "car__sort": v}
            for k, v in enumerate(values)]
    desc = [r["car__sort"] for r in view.sort_rows(rows, [{"column_id": "car", "direction": "desc"}])]
    asc = [r["car__sort"] for r in view.sort_rows(rows, [{"column_id": "car", "direction": "asc"}])]
    assert desc == [59, 56, 30, 9, 7, 7, 5, 3, None]  # text order would put 9 first and 59 after 5
    assert asc == [3, 5, 7, 7, 9, 30, 56, 59, None]  # a missing value is last in both directions
    ties = [r["id"] for r in view.sort_rows(rows, [{"column_id": "car", "direction": "desc"}]) if r["car__sort"] == 7]
    assert ties == ["1", "2"]  # equal numbers in name order


def test_area_names_sort_the_swedish_way():
    rows = [{"id": n, "area_name__sort": n} for n in ("Öxnehaga", "Araby", "Ådalen", "Zinkensdamm", "Älvsjö")]
    out = [r["id"] for r in view.sort_rows(rows, [{"column_id": "area_name", "direction": "asc"}])]
    assert out == ["Araby", "Zinkensdamm", "Ådalen", "Älvsjö", "Öxnehaga"]


# --------------------------------------------------------------------------- cells
def test_cells_show_the_verdict_fields_and_every_cell_has_its_reason():
    t1 = verdict_rows("2023-T1", {"1": {"brand_i_motorfordon": 3, "upplopp": 0}, "2": {"brand_i_motorfordon": 12,
                                                                                     "upplopp": None}})
    t2 = verdict_rows("2023-T2", {"1": {"brand_i_motorfordon": 59, "upplopp": 1}, "2": {"brand_i_motorfordon": 7,
                                                                                      "upplopp": 2}},
                      rag={("1", "brand_i_motorfordon"): "red"})
    props = view.grid_props([("2023-T1", t1), ("2023-T2", t2)], [CAR, RIOTS], "sv", "2023-T2", with_region=False)
    ids = [c["id"] for c in props["columns"]]
    assert ids == ["area_name", "brand_i_motorfordon@2023-T1", "brand_i_motorfordon", "upplopp@2023-T1", "upplopp"]
    assert props["columns"][2]["name"] == ["Brand i motorfordon", "T2 2023"]  # two header rows: indicator, period
    araby = next(r for r in props["data"] if r["id"] == "1")
    assert araby["brand_i_motorfordon"] == "■ 59 ▲ (+4\xa0%)"  # red icon, value, arrow, % change
    assert araby["brand_i_motorfordon__sort"] == 59.0 and araby["brand_i_motorfordon__rag"] == "red"
    rosengard = next(r for r in props["data"] if r["id"] == "2")
    assert rosengard["upplopp@2023-T1"] == "○ –" and rosengard["upplopp@2023-T1__sort"] is None
    for row in props["data"]:  # every shown cell carries its verdict's own reason as the tooltip
        for col in ids[1:]:
            period = col.split("@")[1] if "@" in col else "2023-T2"
            ind = col.split("@")[0]
            reason = (t1 if period == "2023-T1" else t2).set_index(["area_id", "indicator_id"]).loc[
                (row["id"], ind), "reason"]
            assert row[f"{col}__tip"].endswith(reason)
    red = [s for s in props["style_data_conditional"] if s["if"].get("column_id") == "brand_i_motorfordon"
           and '"red"' in s["if"]["filter_query"]]
    assert red and red[0]["backgroundColor"] == view.RAG_FILL["red"]


def test_the_count_says_what_is_hidden_never_a_silent_cap():
    every = [CAR, RIOTS, SHOTS, SAFE]
    text = view.count_text([CAR, RIOTS], every, 1, 27, "sv")
    assert text.startswith("Visar 2 av 4 indikatorer, 27 områden. 2 dolda (alla syntetiska): ")
    assert "Skjutningar" in text and "Trygghet (andel trygga)" in text
    assert "inga dolda" in view.count_text(every, every, 3, 27, "sv")
    en = view.count_text([SHOTS], every, 2, 5, "en")
    assert "3 hidden (2 real and 1 synthetic)" in en and "× 2 periods" in en


# --------------------------------------------------------------------------- small multiples
def test_small_multiples_sort_by_the_verdict():
    t = verdict_rows("2023-T2", {"1": {"upplopp": 1}, "2": {"upplopp": 9}, "3": {"upplopp": None},
                                 "4": {"upplopp": 2}}, rag={("2", "upplopp"): "red"})
    t.loc[t["area_id"] == "3", "rag"] = "grey"
    order = signal_order(t)["area_name"].tolist()
    assert order == ["Rosengård", "Alby", "Araby", "Öxnehaga"]  # the clear rise first, unassessed last


def _svg(uri: str) -> str:
    from urllib.parse import unquote

    assert uri.startswith("data:image/svg+xml")
    return unquote(uri.split(",", 1)[1])


def test_small_multiples_draw_every_area_on_one_scale_with_year_ticks():
    months = tuple(f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13))
    rng = np.random.default_rng(1)
    panels = [SmallMultiple(str(k), f"Område {k}", months, tuple(float(v) for v in rng.poisson(2 + k, 36)),
                            "green", "▲", "inom normal variation", "normal", "") for k in range(27)]
    panels[3] = SmallMultiple("3", "Område 3", months, (None,) * 36, "grey", "", "ingen bedömning", "untested", "")
    axis, grid = view.small_multiples_grid(panels, "2023-05", "2023-08", "Upplopp", "Upplopp per månad (antal)",
                                           "5", "sv")
    figures = grid.children
    assert len(figures) == 27  # every area of the selection, none cut off
    assert [f.to_plotly_json()["props"]["data-area"] for f in figures] == [p.area_id for p in panels]  # order kept
    top = max(v for p in panels for v in p.values if v is not None)
    scale = float(grid.to_plotly_json()["props"]["data-top"])
    assert scale >= top
    label = view.fmt_number(scale, "sv", 0)
    for f in figures:
        svg = _svg(f.children[1].src)
        assert f">{label}</text>" in svg  # one shared y scale, labelled on every panel
        assert all(f">{y}</text>" in svg for y in ("2021", "2022", "2023"))  # a labelled time axis
        assert "<rect" in svg  # the period shaded
        assert f.children[1].alt.startswith(f.to_plotly_json()["props"]["data-name"] + ": Upplopp per månad")
    assert "ingen serie" in _svg(figures[3].children[1].src) and "ingen serie" in figures[3].children[1].alt
    assert [f.className for f in figures].count("sm-panel selected") == 1
    assert figures[5].className == "sm-panel selected"
    assert axis.children == "Upplopp per månad (antal)"


def test_the_shared_scale_ends_on_a_round_number():
    assert [view._nice_top(v) for v in (0, 0.4, 7, 10, 56, 59, 1463.9)] == [1.0, 0.4, 8.0, 10.0, 60.0, 60.0, 1500.0]


# --------------------------------------------------------------------------- downloads
def _tables():
    t1 = verdict_rows("2023-T1", {"1": {"brand_i_motorfordon": 3, "trygghet": 51.25}, "2": {"brand_i_motorfordon": 12,
                                                                                          "trygghet": 48.04}})
    t2 = verdict_rows("2023-T2", {"1": {"brand_i_motorfordon": 59, "trygghet": 52.55}, "2": {"brand_i_motorfordon": 7,
                                                                                          "trygghet": 47.0}},
                      rag={("1", "brand_i_motorfordon"): "red"})
    return [("2023-T1", t1), ("2023-T2", t2)]


def test_download_as_shown_has_swedish_headers_decimal_comma_and_period_columns():
    frame = export.shown_frame(_tables(), [(CAR.id, CAR.name, "count"), (SAFE.id, SAFE.name, "share")],
                               ["2", "1"], "prev_year", 42, "sv")
    assert list(frame.columns[:7]) == ["Område-id", "Område", "Region", "Period", "Periodens namn", "Jämförelse",
                                       "Dataversion"]
    assert "Brand i motorfordon – förändring (%)" in frame.columns and "Trygghet (andel trygga) – bedömning" in frame
    assert frame["Område"].tolist() == ["Rosengård", "Rosengård", "Araby", "Araby"]  # the shown order, periods oldest first
    assert frame["Period"].tolist() == ["2023-T1", "2023-T2"] * 2
    assert set(frame["Jämförelse"]) == {"samma period i fjol"} and set(frame["Dataversion"]) == {42}
    text = export.to_csv(frame, "sv").decode("utf-8-sig")
    head, *lines = text.splitlines()
    assert head.startswith("Område-id;Område;Region;Period;")
    araby_t2 = next(line for line in lines if line.startswith("1;") and ";2023-T2;" in line).split(";")
    assert "52,6" in araby_t2  # 52.55 rounded half away from zero, decimal comma
    assert "59" in araby_t2 and "röd ▲: säker ökning" in araby_t2
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert back.loc[(back["Område-id"] == 1) & (back["Period"] == "2023-T2"), "Brand i motorfordon"].item() == 59


def test_download_in_english_has_english_headers_and_a_decimal_point():
    frame = export.shown_frame(_tables(), [(SAFE.id, SAFE.name, "share")], ["1"], "baseline", 7, "en")
    assert list(frame.columns[:7]) == ["Area id", "Area", "Region", "Period", "Period name", "Comparison", "Data version"]
    text = export.to_csv(frame, "en").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Area id,Area,Region,Period,")
    assert "52.6" in text and "seasonal baseline (three years)" in text


def test_long_download_has_every_verdict_field_per_area_indicator_and_period():
    tables = _tables()
    frame = export.long_frame(tables, ["1", "2"], "prev_year", 42, "sv")
    assert len(frame) == 2 * 2 * 2
    for col in ("Period", "Jämförelse", "Dataversion", "Indikator", "Värde", "Jämförelsevärde", "Förändring (%)",
                "p", "Justerat p (FDR)", "Färg", "Signal", "Riktning", "Bedömning", "Motivering"):
        assert col in frame.columns, col
    row = frame[(frame["Område-id"] == "1") & (frame["Period"] == "2023-T2") & (frame["Indikator-id"] == CAR.id)].iloc[0]
    src = tables[1][1].set_index(["area_id", "indicator_id"]).loc[("1", CAR.id)]
    assert row["Värde"] == src["value"] and row["p"] == pytest.approx(src["p"]) and row["Motivering"] == src["reason"]
    assert row["Färg"] == "röd" and row["Bedömning"] == "säker ökning"
    xlsx = export.to_xlsx(frame, export.about_rows("Syd", ["2023-T1", "2023-T2"], "prev_year", 42, "long", [], "sv"), "sv")
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames == ["Jämförelse", "Om tabellen"]
    ws = wb["Jämförelse"]
    header = [c.value for c in ws[1]]
    value_col = header.index("Värde") + 1
    assert isinstance(ws.cell(row=2, column=value_col).value, int | float)  # numbers stay numbers
    assert ("Dataversion", "42") in [(r[0].value, r[1].value) for r in wb["Om tabellen"].iter_rows()]


def test_the_examples_in_the_docstrings_hold():
    import doctest

    import layout.compare
    import reports.plain
    import services.compare

    for module in (services.compare, layout.compare, reports.plain):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__
