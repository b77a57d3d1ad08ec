"""The indicator cards Chromium draws show the verdict object (value, comparison with its arrow,
colour and the verdict's words) exactly as ``layout.panels.card_data`` gives it from the summary
JSON — the browser half of the consistency check in
``tests/integration/test_verdict_consistency.py``."""

from __future__ import annotations

import random

import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
CASES = 4


def test_cards_in_the_browser_are_the_verdict_object(page, live_server, demo_engine):
    from layout.panels import card_data
    from services.indicators import area_summary_json, compare_json

    rng = random.Random(11)
    area_ids = sorted({r["area_id"] for r in compare_json(demo_engine, "alla", "2025-T3")["rows"]})
    checked = 0
    for _ in range(CASES):
        area = rng.choice(area_ids)
        period = rng.choice(["2025-T2", "2025-T3", "2026-T1"])
        cmp_ = rng.choice(["prev_year", "baseline"])
        summary = area_summary_json(demo_engine, area, period, cmp_, "sv")
        page.goto(f"{live_server}/?area={area}&period={period}&cmp={cmp_}&lang=sv")
        page.wait_for_selector("#area-panel .indicator-card", timeout=TIMEOUT)
        for ind in summary["indicators"]:
            card = card_data(ind, cmp_, "sv", False, [])
            el = page.locator(f".indicator-card[data-indicator='{ind['id']}']")
            assert el.count() == 1, ind["id"]
            assert f"rag-{card['rag']}" in (el.get_attribute("class") or ""), (area, period, ind["id"])
            assert el.locator(".value").inner_text().strip() == card["value"], (area, period, ind["id"])
            cmp_texts = el.locator(".cmp").all_inner_texts()
            assert cmp_texts[0].strip() == card["cmp"].strip(), (area, period, ind["id"])
            assert card["verdict"] in el.locator(".verdict").inner_text(), (area, period, ind["id"])
            checked += 1
    assert checked >= CASES * 10
