"""The page in real headless Chromium: offline, all areas drawn, the list-year switch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser


def area_paths(page):
    return page.locator("#map path[class*='area-']")


def test_landing_shows_all_2025_areas_offline(page, live_server):
    page.goto(live_server)
    page.wait_for_selector("#map path.area-74", state="attached", timeout=20000)
    assert area_paths(page).count() == 65
    assert page.locator(".legend").inner_text().startswith("Kategori")
    shot(page, "landing")
    assert page.external_requests == []  # works with no internet: nothing outside the app
    assert page.console_errors == []


def test_list_year_switch_shows_59_areas_for_2023(page, live_server):
    page.goto(live_server)
    page.wait_for_selector("#map path.area-74", state="attached", timeout=20000)
    page.click("#list-year")
    page.get_by_role("option", name="2023", exact=True).click()
    page.wait_for_function("document.querySelectorAll(\"#map path[class*='area-']\").length === 59", timeout=20000)
    assert page.locator("#map path.area-74").count() == 0  # Rinkeby became its own area only in 2025
    assert page.locator("#map path.area-9").count() == 1  # Rinkeby / Tensta
    shot(page, "list_2023")
    page.click("#list-year")
    page.get_by_role("option", name="2015", exact=True).click()
    page.wait_for_function("document.querySelectorAll(\"#map path[class*='area-']\").length === 53", timeout=20000)
    # the legend is its own callback: wait for it rather than racing the polygons
    expect(page.locator(".legend")).to_contain_text("2021 års gränser", timeout=20000)
