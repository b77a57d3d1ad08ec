"""The compare view in real Chromium: numeric sorting, a real indicator visible by default for
2023-T2, the verdict's reason as every cell's tooltip, periods side by side, the column chooser,
small multiples of every area with the selected one highlighted, and a download."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser
TIMEOUT = 30000
URL = "/?period=2023-T2"


def number(text: str) -> float | None:
    """The value of a cell: '● 56 ▲ (+24 %)' → 56; '○ –' → None."""
    m = re.match(r"^\S+\s+([−-]?[\d\u00a0 ]+(?:,\d+)?)", text.strip())
    return None if m is None else float(m.group(1).replace("\u00a0", "").replace(" ", "").replace(",", ".").replace("−", "-"))


def column_values(page, col: str) -> list[float | None]:
    return [number(t) for t in page.eval_on_selector_all(
        f"#compare-grid td[data-dash-column='{col}']", "els => els.map(e => e.innerText)")]


def open_compare(page, live_server, query: str = URL):
    page.goto(live_server + query)
    page.wait_for_selector("#compare-view", state="attached", timeout=TIMEOUT)
    page.locator("#compare-view").scroll_into_view_if_needed()  # it draws when scrolled to
    page.wait_for_selector("#compare-grid td[data-dash-column='brand_i_motorfordon']", timeout=TIMEOUT)
    page.locator("#compare-grid").scroll_into_view_if_needed()


def sort_by(page, col: str, times: int = 1):
    arrow = page.locator(f"#compare-grid th[data-dash-column='{col}'] .column-header--sort").last
    for _ in range(times):
        before = page.eval_on_selector_all(f"#compare-grid td[data-dash-column='{col}']", "els => els.map(e => e.innerText)")
        arrow.click()
        page.wait_for_function(
            """([col, before]) => JSON.stringify([...document.querySelectorAll(`#compare-grid td[data-dash-column='${col}']`)]
                 .map(e => e.innerText)) !== JSON.stringify(before)""", arg=[col, before], timeout=TIMEOUT)


def test_numbers_sort_as_numbers(page, live_server):
    open_compare(page, live_server)
    col = "polisen_handelser"  # 0–56 events per area in 2023-T2: text order would put 9 above 56
    values = column_values(page, col)
    assert max(v for v in values if v is not None) >= 10, "the column needs numbers of two digits"
    sort_by(page, col)  # ascending
    asc = [v for v in column_values(page, col) if v is not None]
    assert asc == sorted(asc)
    sort_by(page, col)  # descending
    desc = column_values(page, col)
    present = [v for v in desc if v is not None]
    assert present == sorted(present, reverse=True) and present[0] >= 10
    assert all(v is None for v in desc[len(present):])  # no value: last
    shot(page, "compare_sorted")


def test_a_real_indicator_is_visible_by_default_for_2023_t2(page, live_server):
    open_compare(page, live_server)
    headers = page.eval_on_selector_all("#compare-grid th", "els => els.map(e => e.innerText.trim())")
    real = ["Brand i motorfordon", "Anlagd brand", "Upplopp", "Blåljussabotage", "Våld mot polis"]
    assert [h for h in headers if h in real] == real  # all of them, first, in this order
    first = page.locator("#compare-grid td[data-dash-column='brand_i_motorfordon']").first
    expect(first).to_be_visible()
    assert first.bounding_box()["x"] < 700  # among the first columns, not scrolled off to the right
    expect(page.locator("#compare-count")).to_contain_text(re.compile(r"Visar 6 av 17 indikatorer.*11 dolda"))
    shot(page, "compare_default_2023T2")


def test_every_cell_explains_its_verdict(page, live_server, demo_engine):
    from services.indicators import compare_frame

    truth = compare_frame(demo_engine, "alla", "2023-T2", "prev_year", "sv").set_index(["area_id", "indicator_id"])
    open_compare(page, live_server)
    row = page.locator("#compare-grid tr", has=page.locator("td[data-dash-column='area_name']", has_text="Rinkeby"))
    cell = row.locator("td[data-dash-column='brand_i_motorfordon']")
    cell.hover()
    tip = page.locator(".dash-tooltip")
    expect(tip).to_be_visible(timeout=TIMEOUT)
    reason = truth.loc[("74", "brand_i_motorfordon"), "reason"]
    expect(tip).to_contain_text("Rinkeby · Brand i motorfordon · T2 2023")
    assert reason in tip.inner_text().replace("\n", " ")
    shot(page, "compare_tooltip")
    # a click says the same in words (keyboard and touch) and selects the area and indicator
    cell.click()
    expect(page.locator("#compare-cell-info")).to_contain_text(reason, timeout=TIMEOUT)
    expect(page.locator("#area-panel .area-title")).to_have_text("Rinkeby", timeout=TIMEOUT)
    assert "indicator=brand_i_motorfordon" in page.url and "area=74" in page.url


def test_three_periods_side_by_side_each_with_its_verdict(page, live_server, demo_engine):
    from services.indicators import compare_frame

    open_compare(page, live_server, URL + "&region=Stockholm")
    page.locator("#compare-periods label", has_text="3 senaste").click()
    page.wait_for_selector("#compare-grid td[data-dash-column='brand_i_motorfordon@2022-T3']", timeout=TIMEOUT)
    heads = page.eval_on_selector_all("#compare-grid th", "els => els.map(e => e.innerText.trim())")
    assert {"T3 2022", "T1 2023", "T2 2023"} <= set(heads)
    t1 = compare_frame(demo_engine, "Stockholm", "2023-T1", "prev_year", "sv").set_index(["area_id", "indicator_id"])
    row = page.locator("#compare-grid tr", has=page.locator("td[data-dash-column='area_name']", has_text="Alby"))
    old = row.locator("td[data-dash-column='upplopp@2023-T1']")
    value = t1.loc[("17", "upplopp"), "value"]
    assert number(old.inner_text()) == value
    old.hover()
    expect(page.locator(".dash-tooltip")).to_contain_text(t1.loc[("17", "upplopp"), "reason"], timeout=TIMEOUT)
    shot(page, "compare_three_periods")
    old.click()  # an earlier period's cell selects the bare indicator
    page.wait_for_function("location.search.includes('indicator=upplopp')", timeout=TIMEOUT)
    expect(page.locator("#area-panel .area-title")).to_have_text("Alby", timeout=TIMEOUT)


def test_column_chooser_counts_what_is_hidden(page, live_server):
    open_compare(page, live_server)
    page.locator("#compare-view details summary").click()
    page.locator("#compare-synthetic label", has_text="Skjutningar").click()
    page.wait_for_selector("#compare-grid td[data-dash-column='skjutningar']", timeout=TIMEOUT)
    expect(page.locator("#compare-count")).to_contain_text("Visar 7 av 17 indikatorer")
    expect(page.locator("#compare-columns-summary")).to_contain_text("7 av 17 visas")
    page.locator("#compare-only-real").click()
    page.wait_for_function("!document.querySelector(\"#compare-grid td[data-dash-column='skjutningar']\")",
                           timeout=TIMEOUT)
    expect(page.locator("#compare-count")).to_contain_text("Visar 6 av 17 indikatorer")


def test_small_multiples_show_every_area_and_mark_the_selected_one(page, live_server):
    open_compare(page, live_server, URL + "&region=Stockholm&indicator=brand_i_motorfordon&area=74")
    page.wait_for_selector("#small-multiples .sm-panel", timeout=TIMEOUT)
    n_rows = page.locator("#compare-grid tbody tr:has(td)").count()
    panels = page.locator("#small-multiples .sm-panel")
    assert panels.count() == n_rows > 16  # every area of Stockholm, not the first 16
    expect(page.locator("#small-multiples-mark")).to_contain_text(re.compile(r"Valt område: Rinkeby \(nummer \d+ av "
                                                                             + str(n_rows)))
    expect(page.locator("#small-multiples .sm-panel.selected")).to_have_attribute("data-area", "74")
    assert page.locator("#small-multiples .sm-panel.selected").count() == 1
    svg = unquote(page.locator("#small-multiples .sm-panel img").first.get_attribute("src").split(",", 1)[1])
    assert all(f">{y}</text>" in svg for y in ("2021", "2022", "2023"))  # labelled time axis
    alts = page.eval_on_selector_all("#small-multiples .sm-panel img", "els => els.map(e => e.alt)")
    assert all("Brand i motorfordon per månad" in a for a in alts)  # every picture has its words
    page.locator("#small-multiples").scroll_into_view_if_needed()
    shot(page, "compare_small_multiples")
    # another area selected elsewhere: the frame moves without a redraw
    page.locator("#compare-grid tr", has=page.locator("td[data-dash-column='area_name']", has_text="Alby")) \
        .locator("td[data-dash-column='area_name']").click()
    expect(page.locator("#small-multiples-mark")).to_contain_text("Valt område: Alby", timeout=TIMEOUT)
    expect(page.locator("#small-multiples .sm-panel.selected")).to_have_attribute("data-area", "17")
    assert page.locator("#small-multiples .sm-panel.selected").count() == 1


def test_the_table_downloads_as_shown(page, live_server):
    open_compare(page, live_server, URL + "&region=Stockholm")
    sort_by(page, "brand_i_motorfordon", times=2)
    with page.expect_download(timeout=TIMEOUT) as dl:
        page.locator("#compare-csv").click()
    path = dl.value.path()
    text = open(path, encoding="utf-8-sig").read()
    head, *lines = text.splitlines()
    assert dl.value.suggested_filename == "lagesbild_jamforelse_stockholm_2023-T2_tabell.csv"
    assert head.startswith("Område-id;Område;Region;Period;Periodens namn;Jämförelse;Dataversion;Brand i motorfordon;")
    shown = [n.strip() for n in page.eval_on_selector_all("#compare-grid td[data-dash-column='area_name']",
                                                          "els => els.map(e => e.innerText)")]
    assert [line.split(";")[1] for line in lines] == shown  # the order of the table on screen
    assert all(line.split(";")[3] == "2023-T2" for line in lines)
