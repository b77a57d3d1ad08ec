"""The three-click journeys in real headless Chromium, counting clicks and saving screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DROPDOWNS_REPAIRED, shot

pytestmark = pytest.mark.browser
TIMEOUT = 30000


class Clicks:
    """Counts the user's clicks so the test can assert the three-click promise."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def click(self, selector: str, **kw):
        self.n += 1
        self.page.locator(selector).first.click(**kw)

    def click_map(self, selector: str):
        """A real mouse click where the shape is (whatever area shape is on top there answers)."""
        self.n += 1
        click_at(self.page, selector)


def click_at(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def wait_ready(page):
    page.wait_for_selector("#map path.area-74", state="attached", timeout=TIMEOUT)
    page.wait_for_selector("#area-panel .overview, #area-panel .indicator-card", timeout=TIMEOUT)


def area_title(page) -> str:
    return page.locator("#area-panel .area-title").inner_text(timeout=TIMEOUT)


def test_landing_area_indicator_hotspots_in_three_clicks(page, live_server):
    page.goto(live_server)
    wait_ready(page)
    assert page.locator("#area-panel .overview").count() == 1  # landing: national overview of changes
    clicks = Clicks(page)
    clicks.click_map("#map path.dot-1")  # click 1: Araby on the map
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    assert area_title(page) == "Araby"
    assert page.locator(".indicator-card").count() >= 10
    assert "area=1" in page.url
    shot(page, "journey_1_area")
    clicks.click(".indicator-card[data-indicator='narkotikabrott']")  # click 2: an indicator card
    page.wait_for_function("document.querySelector('#legend h3') && document.querySelector('#legend h3').innerText.includes('Narkotikabrott')",
                           timeout=TIMEOUT)
    page.wait_for_selector(".indicator-card.selected[data-indicator='narkotikabrott']", timeout=TIMEOUT)
    expect(page.locator("#trend .gtitle")).to_contain_text("Narkotikabrott", timeout=TIMEOUT)
    shot(page, "journey_2_indicator")
    clicks.click("#hotspot-toggle")  # click 3: hotspots
    page.wait_for_selector("#map path[class*='hotspot-']", state="attached", timeout=TIMEOUT)
    classes = page.eval_on_selector_all("#map path[class*='hotspot-']", "els => els.map(e => e.getAttribute('class'))")
    assert all(re.search(r"hotspot-(hot|cold)(99|95|90)|hotspot-ns", c) for c in classes)
    expect(page.locator("#hotspot-card")).to_contain_text("Hur beräknades detta?", timeout=TIMEOUT)
    assert "layers=hotspots" in page.url
    assert clicks.n == 3
    shot(page, "journey_3_hotspots")
    assert page.console_errors == [] and page.external_requests == []


def test_compare_cell_selects_area_and_indicator(page, live_server):
    page.goto(live_server)
    wait_ready(page)
    page.locator("#compare-view").scroll_into_view_if_needed()  # drawn when it comes into view
    # the real series are the table's default columns (the synthetic ones are a tick away)
    page.wait_for_selector("#compare-table td[data-dash-column='polisen_handelser']", timeout=TIMEOUT)
    row = page.locator("#compare-table tr", has_text="Alby").first
    row.locator("td[data-dash-column='polisen_handelser']").click()
    page.wait_for_selector(".indicator-card.selected[data-indicator='polisen_handelser']", timeout=TIMEOUT)
    assert area_title(page) == "Alby"
    assert "area=17" in page.url and "indicator=polisen_handelser" in page.url
    shot(page, "compare_cell")


def test_permalink_restores_the_view(page, live_server):
    page.goto(f"{live_server}/?area=74&indicator=skjutningar&period=2026-T1&cmp=baseline&layers=hotspots&list=2025")
    page.wait_for_selector(".indicator-card.selected[data-indicator='skjutningar']", timeout=TIMEOUT)
    assert area_title(page) == "Rinkeby"
    expect(page.locator("#comparison")).to_contain_text("Säsongsnormal", timeout=TIMEOUT)
    expect(page.locator("#period")).to_contain_text("tertial 1 2026", timeout=TIMEOUT)
    page.wait_for_selector("#map path[class*='hotspot-']", state="attached", timeout=TIMEOUT)
    assert page.locator("#hotspot-toggle").get_attribute("aria-pressed") == "true"
    # the base outlines arrive from their own URL after the areas: they must still be painted below
    page.wait_for_selector("#map path.base-outline", state="attached", timeout=TIMEOUT)
    covering = page.evaluate("""() => {
        const a = document.querySelector('#map path.area-74');
        const z = el => +getComputedStyle(el.closest('.leaflet-pane')).zIndex;
        return [...document.querySelectorAll('#map path.base-outline')].filter(o => z(o) > z(a)
            || (z(o) === z(a) && (a.compareDocumentPosition(o) & Node.DOCUMENT_POSITION_FOLLOWING))).length; }""")
    assert covering == 0, "a base outline is painted over the area"
    shot(page, "permalink")


def test_back_button_steps_back_through_selections(page, live_server):
    page.goto(live_server)
    wait_ready(page)
    click_at(page, "#map path.dot-1")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    page.locator(".indicator-card[data-indicator='ran']").click()
    page.wait_for_selector(".indicator-card.selected[data-indicator='ran']", timeout=TIMEOUT)
    assert "indicator=ran" in page.url
    page.go_back()
    page.wait_for_function("!location.search.includes('indicator=')", timeout=TIMEOUT)
    page.wait_for_function("document.querySelectorAll('.indicator-card.selected').length === 0", timeout=TIMEOUT)
    assert area_title(page) == "Araby"
    page.go_back()
    page.wait_for_selector("#area-panel .overview", timeout=TIMEOUT)


def test_language_toggle(page, live_server):
    page.goto(f"{live_server}/?area=74")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    assert page.evaluate("document.documentElement.lang") == "sv"  # screen readers read Swedish
    expect(page.locator("#page")).to_have_attribute("lang", "sv", timeout=TIMEOUT)
    page.locator("#lang").click()
    expect(page.locator("#page")).to_have_attribute("lang", "en", timeout=TIMEOUT)
    page.wait_for_function("document.querySelector('h1').innerText.startsWith('Situation picture')", timeout=TIMEOUT)
    page.wait_for_selector("text=SYNTHETIC", timeout=TIMEOUT)
    assert "lang=en" in page.url
    expect(page.locator("#lang")).to_have_text("Svenska", timeout=TIMEOUT)
    expect(page.locator("#banner")).to_have_text("Demo mode: no login. Synthetic data is labelled.", timeout=TIMEOUT)
    expect(page.locator("#compare-csv")).to_have_text("Download CSV", timeout=TIMEOUT)
    expect(page.locator("#compare-xlsx")).to_have_text("Download Excel", timeout=TIMEOUT)
    expect(page.locator("#indicator")).to_contain_text("Indicator", timeout=TIMEOUT)  # its placeholder
    # the export and notes panel and the skip link too (everything on the page follows the toggle)
    expect(page.locator(".export-panel h2")).to_have_text("Export situation picture", timeout=TIMEOUT)
    expect(page.locator("#export-tier")).to_contain_text("Police version (everything)", timeout=TIMEOUT)
    expect(page.locator(".skip-link")).to_have_text("Skip to the area panel", timeout=TIMEOUT)
    assert page.get_attribute("#export-purpose", "placeholder").startswith("e.g.")
    # the map's layers control keeps the labels it was drawn with unless renamed in the page
    expect(page.locator("#map .leaflet-control-layers-overlays")).to_have_text(
        re.compile(r"^\s*Police regions\s+Municipal borders\s*$"), timeout=TIMEOUT)
    shot(page, "english")
    page.locator("#lang").click()
    expect(page.locator("#map .leaflet-control-layers-overlays")).to_have_text(
        re.compile(r"^\s*Polisregioner\s+Kommungränser\s*$"), timeout=TIMEOUT)
    expect(page.locator("#compare-csv")).to_have_text("Ladda ner CSV", timeout=TIMEOUT)


def test_a_page_opened_in_english_is_english_throughout(page, live_server):
    """?lang=en: no click on the toggle, yet every panel (export, notes) speaks English."""
    page.goto(f"{live_server}/?area=74&lang=en")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    expect(page.locator(".export-panel h2")).to_have_text("Export situation picture", timeout=TIMEOUT)
    expect(page.locator("#note-meta")).to_have_text(re.compile(r"^(No notes|Last changed)"), timeout=TIMEOUT)
    assert page.evaluate("document.getElementById('page').lang") == "en"


def test_keyboard_only_area_selection(page, live_server):
    page.goto(live_server)
    wait_ready(page)
    page.wait_for_function(DROPDOWNS_REPAIRED, timeout=TIMEOUT)  # the page's own Tab order, repaired
    visited = []
    for _ in range(40):  # Tab until the area search has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#area-search') !== null"):
            break
        visited.append(page.evaluate("(e => e.id || e.tagName + '.' + e.className)(document.activeElement)"))
    else:
        pytest.fail(f"the area search is not reachable with Tab; focus went to {visited}")
    # Enter opens the list and moves focus to its search box; only then type (Dash 4's dropdown
    # drops keystrokes that arrive while its popover is still mounting, as on a busy machine)
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('dash-dropdown-search')",
                           timeout=TIMEOUT)
    page.keyboard.type("Rinkeby")
    page.get_by_role("option", name=re.compile("^Rinkeby")).first.wait_for(timeout=TIMEOUT)  # the list has filtered
    page.keyboard.press("Enter")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    assert area_title(page) == "Rinkeby"
    for _ in range(60):  # on to the first indicator card
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('indicator-card')"):
            break
    else:
        pytest.fail("indicator cards are not reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    focused = page.evaluate("document.activeElement.dataset.indicator")
    page.keyboard.press("Enter")
    page.wait_for_selector(f".indicator-card.selected[data-indicator='{focused}']", timeout=TIMEOUT)
    shot(page, "keyboard")


def test_copy_link_confirms(page, live_server):
    page.goto(f"{live_server}/?area=74")
    page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
    page.locator("#copy-link").click()
    page.wait_for_selector("#copy-status:has-text('Länk kopierad')", timeout=TIMEOUT)


def test_hotspot_methods_and_places(page, live_server):
    # a period with synthetic point events (the page opens on real data, 2023-T2, where the demo
    # has no point events inside the areas)
    page.goto(f"{live_server}/?area=23&indicator=skadegorelse&period=2026-T1&layers=hotspots,pois")
    page.wait_for_selector("#map path[class*='hotspot-']", state="attached", timeout=TIMEOUT)
    page.wait_for_selector("#poi-check li", timeout=TIMEOUT)  # the one-click nearness test, in words
    expect(page.locator("#poi-check")).to_contain_text(re.compile(r"Inom \d+ m från"), timeout=TIMEOUT)
    page.click("#hotspot-method")
    page.get_by_role("option", name="Täthet (kärnskattning)").click()
    page.wait_for_selector("#map path[class*='density-']", state="attached", timeout=TIMEOUT)
    assert "hs=kde" in page.url
    expect(page.locator("#hotspot-card")).to_contain_text(re.compile("bandbredd", re.I), timeout=TIMEOUT)
    shot(page, "hotspots_kde")
    page.click("#hotspot-method")
    page.get_by_role("option", name="Framväxande (36 mån)").click()
    page.wait_for_selector("#map path[class*='emerging-']", state="attached", timeout=TIMEOUT)
    shot(page, "hotspots_emerging")


def test_events_layer_draws_clusters_and_approximate_points_apart(page, live_server):
    page.goto(f"{live_server}/?area=74&period=2026-T1&layers=events")
    page.wait_for_selector("#map .event-cluster, #map path.event-exact", state="attached", timeout=TIMEOUT)
    assert page.locator("#events-toggle").get_attribute("aria-pressed") == "true"
    shot(page, "events_layer")
    # switching the layer off removes the points
    page.locator("#events-toggle").click()
    page.wait_for_function("document.querySelectorAll('#map .event-cluster, #map path.event-exact').length === 0",
                           timeout=TIMEOUT)
    assert "layers=" not in page.url
