"""Issue 13 items 1, 4, 7 and issue 16 item 2 in real headless Chromium: links that last, back and
forward, one page with the trend in view, a search that keeps every key, notes under their 4P
section, real data first. Each test asserts what a user would see fail.

Screenshots of each user's journey at 1440×900 and 1024×768 go to tests/artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser
TIMEOUT = 30000
SETTLED = "document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"


@pytest.fixture(params=[(1440, 900), (1024, 768)], ids=["1440x900", "1024x768"])
def sized(request, browser, live_server):
    """A page at each of the two screen sizes the issue names."""
    w, h = request.param
    context = browser.new_context(viewport={"width": w, "height": h}, locale="sv-SE", bypass_csp=True)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.size = f"{w}x{h}"
    yield pg
    context.close()


def settle(page):
    page.wait_for_function(SETTLED, timeout=TIMEOUT)


def area_title(page) -> str:
    return page.locator("#area-panel .area-title").inner_text(timeout=TIMEOUT)


def no_error(page):
    """Nothing on the page says "Något gick fel", and the browser logged no error."""
    assert page.locator("text=Något gick fel").count() == 0
    assert page.console_errors == []


# --------------------------------------------------------------------------- item 1: links that last
@pytest.mark.parametrize(("query", "shown"), [
    ("period=2021-T2", "tertial 2 2021"),  # an older tertial, where the real data is
    ("period=R12:2024-03", "12 mån t.o.m. mars 2024"),
    ("period=YTD:2023-09", "jan–sep 2023"),
])
def test_a_shared_link_opens_on_its_period(page, live_server, query, shown):
    page.goto(f"{live_server}/?area=74&{query}&cmp=prev_year&list=2025")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    settle(page)
    assert area_title(page) == "Rinkeby"  # not reset to "Välj ett område"
    expect(page.locator("#period")).to_contain_text(shown, timeout=TIMEOUT)  # the period box is not emptied
    expect(page.locator("#coverage-line")).to_contain_text(shown.split(" (")[0][:6], timeout=TIMEOUT)
    assert query.split("=", 1)[1] in page.url.replace("%3A", ":")  # the period stays in the URL
    # the next click keeps it too (the hub writes the URL from the view)
    page.locator(".indicator-card[data-indicator='brand_i_motorfordon']").click()
    page.wait_for_function("location.search.includes('indicator=brand_i_motorfordon')", timeout=TIMEOUT)
    assert query.split("=", 1)[1] in page.url.replace("%3A", ":")
    expect(page.locator("#trend .gtitle")).to_contain_text("Brand i motorfordon", timeout=TIMEOUT)
    no_error(page)
    shot(page, f"link_{query.split('=')[1].replace(':', '-')}")


def test_a_link_to_a_period_without_data_opens_and_says_so(page, live_server):
    page.goto(f"{live_server}/?area=74&period=2027-T1")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    expect(page.locator("#period")).to_contain_text("tertial 1 2027", timeout=TIMEOUT)
    expect(page.locator("#period-note")).to_contain_text("Inga data för tertial 1 2027", timeout=TIMEOUT)
    expect(page.locator(".no-period-data")).to_contain_text("välj en annan period", timeout=TIMEOUT)
    assert "period=2027-T1" in page.url
    no_error(page)
    shot(page, "link_future_tertial")


def test_any_period_can_be_chosen_in_the_controls_with_the_keyboard(page, live_server):
    page.goto(f"{live_server}/?area=74")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    settle(page)
    page.focus("#period")
    page.keyboard.press("Enter")  # opens the list; type to narrow it to a year
    page.wait_for_selector("#period ~ * input.dash-dropdown-search, input.dash-dropdown-search", timeout=TIMEOUT)
    page.keyboard.type("2016")
    page.get_by_role("option", name=re.compile("tertial 1 2016")).wait_for(timeout=TIMEOUT)
    page.get_by_role("option", name=re.compile("tertial 1 2016")).click()
    page.wait_for_function("location.search.includes('period=2016-T1')", timeout=TIMEOUT)
    expect(page.locator("#coverage-line")).to_contain_text("tertial 1 2016", timeout=TIMEOUT)
    # the kind keeps the time: month → the tertial's last month
    page.click("#period-kind")
    page.get_by_role("option", name="Månad").click()
    page.wait_for_function("location.search.includes('period=2016-04')", timeout=TIMEOUT)
    expect(page.locator("#period")).to_contain_text("april 2016", timeout=TIMEOUT)
    page.click("#period-kind")
    page.get_by_role("option", name="Hittills i år").click()
    page.wait_for_function("location.search.includes('period=YTD:2016-04')", timeout=TIMEOUT)
    no_error(page)


def test_the_url_holds_the_map_metric_and_round_trips(page, live_server):
    page.goto(f"{live_server}/?area=74&indicator=brand_i_motorfordon&period=2023-T2&list=2025")
    page.wait_for_selector(".indicator-card.selected[data-indicator='brand_i_motorfordon']", timeout=TIMEOUT)
    page.click("#map-metric")
    page.get_by_role("option", name="z-värde (Poisson)").click()
    page.wait_for_function("location.search.includes('metric=z')", timeout=TIMEOUT)
    expect(page.locator("#legend h3")).to_contain_text("z-värde", timeout=TIMEOUT)
    url = page.url
    page.goto(url)  # the link, opened again
    page.wait_for_selector(".indicator-card.selected[data-indicator='brand_i_motorfordon']", timeout=TIMEOUT)
    expect(page.locator("#map-metric")).to_contain_text("z-värde", timeout=TIMEOUT)
    expect(page.locator("#legend h3")).to_contain_text("z-värde", timeout=TIMEOUT)
    page.go_back()  # … and the back button restores the metric before it
    page.wait_for_function("!location.search.includes('metric=z')", timeout=TIMEOUT)
    expect(page.locator("#map-metric")).to_contain_text("Värde", timeout=TIMEOUT)
    expect(page.locator("#legend h3")).not_to_contain_text("z-värde", timeout=TIMEOUT)


def test_back_button_restores_zoom_and_layers(page, live_server):
    page.goto(live_server)
    page.wait_for_selector("#area-panel .overview", timeout=TIMEOUT)
    settle(page)
    page.locator("#map path.dot-1").first.dispatch_event("click")  # Araby
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('#map').classList.contains('zoom-high')", timeout=TIMEOUT)
    page.click("#hotspot-toggle")
    page.wait_for_selector("#map path[class*='hotspot-']", state="attached", timeout=TIMEOUT)
    settle(page)
    page.go_back()  # the hexagons go, the area stays
    page.wait_for_function("document.querySelectorAll(\"#map path[class*='hotspot-']\").length === 0", timeout=TIMEOUT)
    assert area_title(page) == "Araby"
    assert page.locator("#hotspot-toggle").get_attribute("aria-pressed") == "false"
    page.go_back()  # the landing view: zoomed out to the whole list
    page.wait_for_selector("#area-panel .overview", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('#map').classList.contains('zoom-low')", timeout=TIMEOUT)
    page.go_forward()
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('#map').classList.contains('zoom-high')", timeout=TIMEOUT)
    page.go_forward()  # the hexagons come back
    page.wait_for_selector("#map path[class*='hotspot-']", state="attached", timeout=TIMEOUT)
    # from hotspots straight back to the landing view (what the issue saw: hexagons left, map zoomed)
    page.go_back()
    page.go_back()
    page.wait_for_selector("#area-panel .overview", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('#map').classList.contains('zoom-low')", timeout=TIMEOUT)
    settle(page)
    assert page.locator("#map path[class*='hotspot-']").count() == 0
    no_error(page)


# --------------------------------------------------------------------------- item 4: one page, one scroll
def test_after_a_card_click_the_trend_is_in_view_and_the_page_has_one_scrollbar(sized, live_server):
    page = sized
    page.goto(f"{live_server}/?area=74&period=2023-T2&list=2025")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    settle(page)
    cards = page.locator(".indicator-card")
    last = cards.nth(cards.count() - 1)  # the card furthest down: the one that used to hide the trend
    chosen = last.get_attribute("data-indicator")
    last.click()
    page.wait_for_selector(f".indicator-card.selected[data-indicator='{chosen}']", timeout=TIMEOUT)
    page.wait_for_function("(() => { const t = document.querySelector('#trend .gtitle'); return t && t.textContent; })()",
                           timeout=TIMEOUT)
    settle(page)
    box = page.evaluate("(() => { const r = document.querySelector('#trend .main-svg').getBoundingClientRect();"
                        " return {top: r.top, bottom: r.bottom, h: innerHeight}; })()")
    assert box["top"] >= -1 and box["bottom"] <= box["h"] + 1, f"trend not in view at {page.size}: {box}"
    inner = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => {
        const s = getComputedStyle(e);
        return ['auto', 'scroll'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 2 && e.clientHeight > 150
            && !e.closest('.dash-dropdown-content, .leaflet-container, .dash-spreadsheet-container'); }).map(e => e.id || e.className)""")
    assert inner == [], f"a second scrollbar: {inner}"
    # tertial shading: the T2 bands and the chosen period are drawn in the chart
    assert page.locator("#trend .layer-below .shapelayer path").count() >= 4
    no_error(page)
    shot(page, f"trend_in_view_{page.size}")


# --------------------------------------------------------------------------- item 7: search and notes
@pytest.mark.parametrize("start", ["/", "/?area=74"], ids=["landing", "area-chosen"])
def test_the_area_search_keeps_every_key_at_30_ms(page, live_server, start):
    page.goto(live_server + start)
    page.wait_for_selector("#area-panel .overview, #area-panel .indicator-card", timeout=TIMEOUT)
    settle(page)
    for attempt in range(5):
        page.focus("#area-search")
        page.keyboard.type("Husby", delay=30)  # right after focus, 30 ms per key
        page.wait_for_selector("input.dash-dropdown-search", timeout=TIMEOUT)
        expect(page.locator("input.dash-dropdown-search")).to_have_value("Husby", timeout=TIMEOUT)
        if attempt < 4:
            page.keyboard.press("Escape")
            page.locator("h1").click()
    page.get_by_role("option", name=re.compile("^Husby")).first.wait_for(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('area=')", timeout=TIMEOUT)
    expect(page.locator("#area-panel .area-title")).to_have_text("Husby", timeout=TIMEOUT)


def test_a_saved_note_shows_at_once_under_its_section(page, live_server):
    page.goto(f"{live_server}/?area=16&period=2023-T2&list=2025")
    page.wait_for_selector("#lagesbild .fourp", timeout=TIMEOUT)
    settle(page)
    page.locator("#note-editor summary").click()
    text = "Oro vid centrumtorget kvällstid enligt bostadsbolaget"
    box = page.locator("textarea[id*='problem']")
    box.fill(text)
    page.click("#note-save")
    expect(page.locator("#note-status")).to_contain_text(re.compile("^Sparat"), timeout=TIMEOUT)
    section = page.locator("#lagesbild .fourp-problem")
    expect(section).to_contain_text(text, timeout=TIMEOUT)  # no reload
    expect(section.locator(".section-notes")).to_contain_text("skriven av polisen", timeout=TIMEOUT)
    for other in ("framsteg", "prioriteringar", "atgarder"):
        assert text not in page.locator(f"#lagesbild .fourp-{other}").all_inner_texts().__str__()
    assert page.locator("#lagesbild .notes").count() == 0  # not in a pile at the bottom
    shot(page, "note_under_section")


# --------------------------------------------------------------------------- issue 16 item 2: real data first
def test_a_new_user_lands_on_real_data_with_a_clear_choice(sized, live_server):
    page = sized
    page.goto(live_server)
    page.wait_for_selector("#area-panel .overview", timeout=TIMEOUT)
    settle(page)
    expect(page.locator("#period")).to_contain_text("tertial 2 2023", timeout=TIMEOUT)
    expect(page.locator("#period-real")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#period-real")).to_contain_text("Senaste med verkliga data: T2 2023")
    expect(page.locator("#period-latest")).to_contain_text("Senaste perioden: T2 2026")
    expect(page.locator("#real-totals")).to_contain_text("Brand i motorfordon", timeout=TIMEOUT)
    real_total = page.locator("#real-totals tr", has_text="Brand i motorfordon").locator("td.num").inner_text()
    assert int(real_total.replace("\u00a0", "").replace(" ", "")) > 0  # real numbers on the landing view
    shot(page, f"real_first_landing_{page.size}")
    page.locator("#map path.dot-1").first.dispatch_event("click")  # the first area clicked: Araby
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    settle(page)
    car = page.locator(".indicator-card[data-indicator='brand_i_motorfordon']")
    assert car.locator(".badge.synthetic").count() == 0
    assert re.fullmatch(r"\d+", car.locator(".value").inner_text().strip())  # a real count, not "–"
    assert "ännu inte rapporterade" not in page.locator("#area-panel").inner_text()
    shot(page, f"real_first_area_{page.size}")
    # the newest period: the real series say they have ended, the bar says there is no real series
    page.click("#period-latest")
    page.wait_for_function("location.search.includes('period=2026-T2')", timeout=TIMEOUT)
    expect(page.locator("#period-note")).to_contain_text("ingen verklig serie är komplett", timeout=TIMEOUT)
    expect(car).to_contain_text("serien slutade 2024-03", timeout=TIMEOUT)
    assert "ännu inte rapporterade" not in car.inner_text()
    shot(page, f"real_first_newest_{page.size}")
    # "endast verkliga data": synthetic indicators hidden in the cards, the indicator list and the URL says so
    page.click("#period-real")
    page.wait_for_function("location.search.includes('period=2023-T2')", timeout=TIMEOUT)
    page.click("#real-only")
    page.wait_for_function("location.search.includes('real=1')", timeout=TIMEOUT)
    expect(page.locator("#real-only")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("document.querySelectorAll('.indicator-card .badge.synthetic').length === 0", timeout=TIMEOUT)
    assert page.locator(".indicator-card").count() == 6
    page.click("#indicator")
    options = page.get_by_role("option").all_inner_texts()
    assert options and not any("syntetisk" in o for o in options)
    page.keyboard.press("Escape")
    no_error(page)
    shot(page, f"real_only_{page.size}")


def test_the_journeys_at_both_sizes(sized, live_server):
    """Screenshots of each user's journey (looked at by hand): the area officer (area → card → hotspots),
    the liaison officer (area → lägesbild → export panel), follow-up staff (compare view)."""
    page = sized
    page.goto(live_server)
    page.wait_for_selector("#area-panel .overview", timeout=TIMEOUT)
    settle(page)
    shot(page, f"journey_{page.size}_0_landing")
    page.focus("#area-search")
    page.keyboard.type("Rinkeby", delay=30)
    page.get_by_role("option", name=re.compile("^Rinkeby")).first.wait_for(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    settle(page)
    shot(page, f"journey_{page.size}_1_area")
    page.locator(".indicator-card[data-indicator='brand_i_motorfordon']").click()
    page.wait_for_function("(() => { const t = document.querySelector('#trend .gtitle'); return t && t.textContent; })()",
                           timeout=TIMEOUT)
    settle(page)
    shot(page, f"journey_{page.size}_2_trend")
    page.click("#hotspot-toggle")
    page.wait_for_selector("#hotspot-card", timeout=TIMEOUT)
    settle(page)
    page.wait_for_timeout(500)
    shot(page, f"journey_{page.size}_3_hotspots")
    page.locator("#lagesbild").scroll_into_view_if_needed()
    settle(page)
    shot(page, f"journey_{page.size}_4_lagesbild")
    page.locator(".export-panel").scroll_into_view_if_needed()
    shot(page, f"journey_{page.size}_5_export")
    page.locator("#compare-view").scroll_into_view_if_needed()
    page.wait_for_selector("#compare-table td", timeout=TIMEOUT)
    settle(page)
    page.wait_for_timeout(500)
    shot(page, f"journey_{page.size}_6_compare")
    no_error(page)
