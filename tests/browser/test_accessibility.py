"""WCAG 2.1 AA by law's measure (DOS-lagen): axe-core on every journey's pages in both languages.

axe-core is vendored for the tests (``tests/browser/vendor/axe.min.js``, from the npm registry,
MPL-2.0, see the README there): injected into the page by the test, never served by the app and
never loaded from a CDN. A serious or critical violation of a WCAG 2.0/2.1 A or AA rule fails the
test with its rule, help text and elements. What automation cannot judge is checked by hand (see the
README's "Accessibility").
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DROPDOWNS_REPAIRED, shot

pytestmark = pytest.mark.browser
TIMEOUT = 30000
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def axe(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the page as it is now (once the page's own
    accessibility repairs have run)."""
    page.wait_for_function(DROPDOWNS_REPAIRED, timeout=TIMEOUT)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_AA)
    assert result["testEngine"]["version"].startswith("4."), result["testEngine"]
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def report(violations: list[dict]) -> str:
    return "\n".join(f"[{v['impact']}] {v['id']}: {v['help']} — "
                     + "; ".join(json.dumps(n["target"]) for n in v["nodes"][:5]) for v in violations)


def ready(page, selector: str) -> None:
    if "#compare-" in selector or "#small-multiples" in selector:  # the compare view draws when scrolled to
        page.wait_for_selector("#compare-view", state="attached", timeout=TIMEOUT)
        page.locator("#compare-view").scroll_into_view_if_needed()
    page.wait_for_selector(selector, state="attached", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")


JOURNEYS = {
    "landing": ("/", "#area-panel .overview"),
    "area": ("/?area=74&indicator=skjutningar&layers=hotspots", "#map path[class*='hotspot-']"),
    "compare": ("/?period=2023-T2&region=Stockholm&indicator=brand_i_motorfordon&area=74",
                "#small-multiples .sm-panel"),
    "export": ("/?area=74", "#area-panel .indicator-card"),
}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_no_serious_or_critical_wcag_violation(page, live_server, journey, lang):
    path, selector = JOURNEYS[journey]
    page.goto(live_server + path + ("&" if "?" in path else "?") + f"lang={lang}")
    ready(page, selector)
    if journey == "compare":  # the chooser open, three periods side by side, a cell picked
        page.locator("#compare-view details summary").click()
        page.locator("#compare-periods label").nth(2).click()
        page.wait_for_selector("#compare-grid td[data-dash-column^='brand_i_motorfordon@']", timeout=TIMEOUT)
        page.locator("#compare-grid td[data-dash-column='brand_i_motorfordon']").first.click()
        page.locator("#compare-view").scroll_into_view_if_needed()
    if journey == "export":  # the export panel with its notes editor open, after an export
        page.locator("#note-editor summary").click()
        with page.expect_download(timeout=TIMEOUT):
            page.locator("#export-csv").click()
        expect(page.locator("#export-status")).not_to_be_empty(timeout=TIMEOUT)
        page.locator(".export-panel").scroll_into_view_if_needed()
    expect(page.locator("#page")).to_have_attribute("lang", lang, timeout=TIMEOUT)
    violations = axe(page)
    shot(page, f"a11y_{journey}_{lang}")
    assert not violations, report(violations)
    assert page.external_requests == []  # nothing from a CDN, axe included


def test_axe_is_for_the_tests_only(live_server):
    """The app never serves axe-core to its users."""
    html = urllib.request.urlopen(live_server + "/", timeout=10).read().decode("utf-8")
    assert "axe" not in html.lower()
    for path in ("/assets/axe.min.js", "/assets/vendor/axe.min.js"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(live_server + path, timeout=10)
        assert err.value.code == 404
    # any other path is the page itself (Dash routes every path to its index), never the file
    body = urllib.request.urlopen(live_server + "/tests/browser/vendor/axe.min.js", timeout=10).read()
    assert b"axe v4" not in body and b"<html" in body
    assert AXE.read_bytes().startswith(b"/*! axe v4.")


def test_table_sorts_and_dropdowns_open_from_the_keyboard(page, live_server):
    page.goto(live_server + "/?period=2023-T2")
    ready(page, "#compare-grid td[data-dash-column='polisen_handelser']")
    arrow = page.locator("#compare-grid th[data-dash-column='polisen_handelser'] .column-header--sort").last
    expect(arrow).to_have_attribute("role", "button", timeout=TIMEOUT)
    expect(arrow).to_have_attribute("aria-label", "Sortera efter Polisens händelser som nämner området")
    arrow.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # descending
    page.wait_for_function("""() => { const v = [...document.querySelectorAll("#compare-grid td[data-dash-column='polisen_handelser']")]
        .map(e => parseFloat(e.innerText.replace(/^\\S+\\s+/, '').replace(/\\s/g, ''))).filter(x => !isNaN(x));
        return v.length > 5 && v.every((x, i) => i === 0 || v[i - 1] >= x) && v[0] >= 10; }""", timeout=TIMEOUT)
    # the period dropdown: one Tab stop (the button, named by its label), opened with Enter
    button = page.locator("button#period")
    expect(button).to_have_attribute("tabindex", "0", timeout=TIMEOUT)
    assert page.locator("#period").evaluate("b => b.previousElementSibling.tabIndex") == -1
    labelled = page.evaluate("""() => document.getElementById('period').getAttribute('aria-labelledby')
        .split(' ').map(id => (document.getElementById(id) || {}).textContent || '').join(' ')""")
    assert labelled.startswith("Period")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("button#period")).to_have_attribute("aria-expanded", "true", timeout=TIMEOUT)
    page.keyboard.press("Escape")
    # radio groups are named groups of native radios (no listbox of options around them)
    group = page.locator("#compare-periods")
    expect(group).to_have_attribute("role", "radiogroup")
    assert page.locator("#compare-periods [role='option']").count() == 0
    assert page.locator("#compare-periods input[type='radio']").count() == 3


def test_the_table_cells_and_their_reasons_from_the_keyboard(page, live_server):
    """Tab into the table, arrows between cells (each reason read out below the table, nothing
    selected yet), Enter selects the area and indicator, Tab leaves the table (no trap)."""
    page.goto(live_server + "/?period=2023-T2&region=Stockholm")
    ready(page, "#compare-grid td[data-dash-column='brand_i_motorfordon']")
    page.locator("#compare-xlsx").focus()
    page.keyboard.press("Tab")
    info = page.locator("#compare-cell-info")
    expect(info).to_contain_text("Alby · Brand i motorfordon · T2 2023 — ", timeout=TIMEOUT)  # the first cell
    page.keyboard.press("ArrowRight")
    expect(info).to_contain_text("Alby · Anlagd brand · T2 2023 — ", timeout=TIMEOUT)
    page.keyboard.press("ArrowDown")
    expect(info).to_contain_text(re.compile(r"^\S.* · Anlagd brand · T2 2023 — (Grön|Gul|Röd|Grå): "),
                                 timeout=TIMEOUT)
    second = info.inner_text().split(" · ")[0]
    assert second != "Alby"
    page.wait_for_timeout(700)
    assert "area=" not in page.url  # browsing does not select
    page.keyboard.press("Enter")
    expect(page.locator("#area-panel .area-title")).to_have_text(second, timeout=TIMEOUT)
    assert "indicator=brand" in page.url and "indicator=brand_i" not in page.url
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#compare-grid') === null")
