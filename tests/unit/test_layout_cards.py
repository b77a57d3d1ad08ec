"""The indicator card says why it has its colour, in the words the PDF/DOCX report uses."""

from __future__ import annotations

from layout.panels import card_data
from reports.facts import verdict

# medborgarkontakter in a demo area: not a significant change, but 26 % under its target → amber by
# the target rule (as cli.py summary gives it: a missed target is never red outside the target
# comparison)
OFF_TARGET = {
    "id": "medborgarkontakter", "name": "Medborgarkontakter", "unit": "count", "direction": "effort",
    "proactive": False, "value": 104.0, "previous": 99.0, "baseline": 101.0, "target": 140.0,
    "change": 5.0, "p_test": 0.72, "p_adjusted": 0.9581, "significant": False, "rag": "amber",
    "rule": "target", "complete": True, "synthetic": True, "signal": "normal", "arrow": "▲",
    "target_state": "off_target", "verdict_sv": "inom normal variation; sämre än målet",
    "verdict_en": "within normal variation; worse than target",
    "reason": "Gul: 104 medborgarkontakter mot målet 140 (−26 %), sämre än målet; förändringen är inom normal variation.",
}


def test_a_card_amber_by_its_target_says_it_is_worse_than_the_target() -> None:
    card = card_data(OFF_TARGET, "prev_year", "sv", False, [])
    assert card["rag"] == "amber"
    assert card["verdict"] == "inom normal variation; sämre än målet"
    en = card_data(OFF_TARGET, "prev_year", "en", False, [])
    assert en["verdict"] == "within normal variation; worse than target"


def test_card_verdicts_are_the_report_verdicts() -> None:
    on_target = {**OFF_TARGET, "value": 150.0, "change": 51.0, "rag": "green", "target_state": "on_target",
                 "verdict_sv": "inom normal variation; på eller bättre än målet",
                 "verdict_en": "within normal variation; on or better than target"}
    significant = {**OFF_TARGET, "id": "ran", "direction": "up_is_bad", "target": None, "rule": "statistical",
                   "value": 13.0, "previous": 2.0, "change": 11.0, "p_adjusted": 0.01, "significant": True,
                   "signal": "sig_worse", "target_state": None, "verdict_sv": "säker ökning",
                   "verdict_en": "clear increase", "rag": "red"}
    incomplete = {**significant, "complete": False, "p_adjusted": None, "value": None, "change": None,
                  "signal": "untested", "arrow": "", "verdict_sv": "ingen bedömning (ofullständig period)",
                  "verdict_en": "not assessed (incomplete period)", "rag": "grey"}
    for ind in (OFF_TARGET, on_target, significant, incomplete):
        for cmp_ in ("prev_year", "baseline", "target"):
            for lang in ("sv", "en"):
                assert card_data(ind, cmp_, lang, False, [])["verdict"] == verdict(ind, cmp_, lang)
    assert card_data(on_target, "prev_year", "sv", False, [])["verdict"].endswith("på eller bättre än målet")
    assert card_data(significant, "prev_year", "sv", False, [])["verdict"] == "säker ökning"
    assert card_data(incomplete, "prev_year", "sv", False, [])["verdict"] == "ingen bedömning (ofullständig period)"
