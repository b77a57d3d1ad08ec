"""Pure pieces of the page: period labels, the period bar's sentence, ended series, the lägesbild
with each note under its own 4P section, the landing view's real totals."""

from __future__ import annotations

import doctest
import importlib
from datetime import datetime
from types import SimpleNamespace

import pytest

from layout.period_bar import period_note, preset_label
from services.page import mark_ended


@pytest.mark.parametrize("name", ["services.periods", "services.viewstate", "layout.period_bar"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_page_and_calendar_kinds_agree():
    from layout.page import PERIOD_KINDS
    from services.periods import KINDS

    assert tuple(PERIOD_KINDS) == tuple(KINDS)


FACTS = {"has_data": True, "real": (), "n_real": 6, "real_last": "2024-03", "span": ("2015-01", "2026-11")}


def test_period_note_says_what_the_period_holds():
    assert "ingen verklig serie är komplett" in period_note("2026-T2", FACTS, "2026-T2", "2023-T2", False, "sv")
    assert "mars 2024" in period_note("2026-T2", FACTS, "2026-T2", "2023-T2", False, "sv")
    real = {**FACTS, "real": tuple("abcdef")}
    assert "senaste perioden där alla verkliga serier" in period_note("2023-T2", real, "2026-T2", "2023-T2", False, "sv")
    assert "5 av 6" in period_note("2021-T2", {**FACTS, "real": tuple("abcde")}, "2026-T2", "2023-T2", False, "sv")
    none = {**FACTS, "has_data": False}
    assert period_note("2027-T1", none, "2026-T2", "2023-T2", True, "en").startswith(
        "No data for tertial 1 2027 (Jan–Apr): the data in the system cover January 2015 – November 2026.")
    assert period_note("2027-T1", none, "2026-T2", "2023-T2", True, "en").endswith("Synthetic indicators are hidden.")
    assert period_note("2025-T2", {**FACTS, "n_real": 0}, "2025-T2", None, False, "sv") == ""  # nothing real: nothing to say


def test_preset_labels_name_the_period():
    assert preset_label("real", "2023-T2", "sv") == "Senaste med verkliga data: T2 2023"
    assert preset_label("latest", "R12:2026-11", "en") == "Latest period: 12 months to November 2026"
    assert preset_label("latest", None, "sv") == "Senaste perioden"


def test_an_ended_series_says_so_and_a_lagging_one_does_not():
    summary = {"period": "2026-T2", "indicators": [
        {"id": "brand", "complete": False, "coverage_note": "2026-05–2026-08 ännu inte rapporterade",
         "reason": "Grå: ofullständig period (2026-05–2026-08 ännu inte rapporterade), ingen bedömning."},
        {"id": "ran", "complete": False, "coverage_note": "2026-08 ännu inte rapporterad",
         "reason": "Grå: ofullständig period (2026-08 ännu inte rapporterad), ingen bedömning."}]}
    out = mark_ended(summary, {"brand": "2024-03"}, "sv")
    brand, ran = out["indicators"]
    assert brand["ended"] == "2024-03" and "ännu inte" not in brand["reason"] + brand["coverage_note"]
    assert brand["coverage_note"] == "serien slutade 2024-03, inga senare uppgifter"
    assert "ended" not in ran and ran["coverage_note"] == "2026-08 ännu inte rapporterad"
    # months still being registered stay "not yet reported", the months after the end say it ended
    mixed = {"period": "R12:2024-06", "indicators": [
        {"id": "upplopp", "complete": False, "coverage_note": "2023-11–2024-06 not yet reported",
         "reason": "Grey: incomplete period (2023-11–2024-06 not yet reported), not assessed."}]}
    entry = mark_ended(mixed, {"upplopp": "2024-03"}, "en", {"upplopp": "2023-10"})["indicators"][0]
    assert entry["coverage_note"] == "2023-11–2024-03 not yet reported; the series ended in 2024-03, no later data"
    # a period inside the series is left alone
    inside = {"period": "2023-T2", "indicators": [{"id": "brand", "complete": True, "coverage_note": None}]}
    assert "ended" not in mark_ended(inside, {"brand": "2024-03"})["indicators"][0]


def _note(section, text, internal=False):
    return SimpleNamespace(section=section, text=text, author="anna", created_at=datetime(2026, 12, 1), internal=internal)


def _texts(node, out=None):
    out = [] if out is None else out
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, list | tuple):
        for n in node:
            _texts(n, out)
    elif hasattr(node, "children"):
        _texts(node.children, out)
    return out


def test_a_note_shows_under_its_own_section():
    from layout.summary import lagesbild_block

    facts = {"framsteg": [SimpleNamespace(text="Färre bränder", kind="x")],
             "problem": [SimpleNamespace(text="Fler rån", kind="y")]}
    block = lagesbild_block(facts, (_note("problem", "Rån vid torget kvällstid"), _note("atgarder", "Mer närvaro", True)),
                            "sv", "police")
    sections = {s.className.split()[-1]: " ".join(_texts(s)) for s in block.children}
    assert list(sections) == ["fourp-framsteg", "fourp-problem", "fourp-atgarder"]
    assert "Rån vid torget kvällstid" in sections["fourp-problem"]
    assert "Rån vid torget" not in sections["fourp-framsteg"]
    assert "Mer närvaro" in sections["fourp-atgarder"] and "INTERN" in sections["fourp-atgarder"]
    problem = block.children[1]
    assert _texts(problem)[:2] == ["Problem", "Fler rån"]  # generated facts first, the note after them


def test_real_totals_block():
    from layout.landing import real_totals_block

    rows = [{"id": "brand", "name": "Anlagd brand", "unit": "count", "areas": 60, "of": 65, "total": 40.0,
             "reference": 48.0, "total_paired": 40.0},
            {"id": "upplopp", "name": "Upplopp", "unit": "count", "areas": 0, "of": 65, "total": None,
             "reference": None, "total_paired": None}]
    text = " ".join(_texts(real_totals_block(rows, "tertial 2 2023 (maj–aug)", "prev_year", "sv")))
    assert "Anlagd brand" in text and "40" in text and "mot 48 samma period i fjol" in text and "60 av 65" in text
    assert "Upplopp" not in text
    empty = " ".join(_texts(real_totals_block(rows[1:], "T2 2026", "prev_year", "sv")))
    assert "Ingen verklig serie är komplett" in empty
    assert real_totals_block([], "x", "prev_year", "sv") is None
