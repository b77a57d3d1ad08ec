"""Analyst notes: stored per area, period and 4P section with author and time; an edit is a new row
superseding the old one, so the history stays; internal notes never reach the kommun tier."""

from __future__ import annotations

import doctest
from datetime import datetime

import pytest

import store.notes
from geodata.errors import InputError
from store.notes import (
    NoteConflict,
    add_note,
    area_history,
    check_section,
    current_notes,
    edit_note,
    latest_per_section,
    note_history,
    save_section,
)


def test_doctests():
    assert doctest.testmod(store.notes).failed == 0


def test_an_edit_is_a_new_row_and_the_history_keeps_every_version(sqlite_engine):
    t0, t1, t2 = datetime(2026, 5, 1, 9), datetime(2026, 5, 2, 10), datetime(2026, 5, 3, 11)
    a = add_note(sqlite_engine, "74", "2026-T1", "problem", "Oro vid skolan.", "anna", now=t0)
    b = edit_note(sqlite_engine, a.id, "Oro vid skolan; möte med rektor.", "bo", now=t1)
    c = edit_note(sqlite_engine, b.id, "Oro vid skolan; möte hölls 12/3.", "carl", now=t2)
    assert (b.supersedes, c.supersedes) == (a.id, b.id)
    assert [n.text for n in current_notes(sqlite_engine, "74", "2026-T1")] == ["Oro vid skolan; möte hölls 12/3."]
    hist = note_history(sqlite_engine, c.id)
    assert [(n.author, n.created_at) for n in hist] == [("carl", t2), ("bo", t1), ("anna", t0)]
    assert len(area_history(sqlite_engine, "74", "2026-T1")) == 3
    with pytest.raises(NoteConflict):  # editing an old version is refused, not silently forked
        edit_note(sqlite_engine, a.id, "x", "dan")


def test_sections_periods_and_areas_are_kept_apart(sqlite_engine):
    add_note(sqlite_engine, "74", "2026-T1", "Framsteg", "A", "anna")
    add_note(sqlite_engine, "74", "2026-T1", "points for action", "B", "anna")
    add_note(sqlite_engine, "74", "2025-T3", "problem", "C", "anna")
    add_note(sqlite_engine, "9", "2026-T1", "problem", "D", "anna")
    cur = current_notes(sqlite_engine, "74", "2026-T1")
    assert [(n.section, n.text) for n in cur] == [("framsteg", "A"), ("atgarder", "B")]
    assert [n.text for n in current_notes(sqlite_engine, "74", "2026-T1", section="atgarder")] == ["B"]
    assert check_section("Åtgärdspunkter") == "atgarder"


def test_internal_notes_are_left_out_on_request(sqlite_engine):
    add_note(sqlite_engine, "74", "2026-T1", "problem", "Delas med kommunen", "anna")
    add_note(sqlite_engine, "74", "2026-T1", "problem", "Spaning vid torget", "bo", internal=True)
    assert len(current_notes(sqlite_engine, "74", "2026-T1")) == 2
    shared = current_notes(sqlite_engine, "74", "2026-T1", include_internal=False)
    assert [n.text for n in shared] == ["Delas med kommunen"]


def test_an_empty_edit_withdraws_the_note_but_keeps_it_in_the_history(sqlite_engine):
    a = add_note(sqlite_engine, "74", "2026-T1", "problem", "Fel uppgift", "anna")
    b = edit_note(sqlite_engine, a.id, "", "anna")
    assert current_notes(sqlite_engine, "74", "2026-T1") == []
    assert [n.text for n in note_history(sqlite_engine, b.id)] == ["", "Fel uppgift"]


def test_the_editors_save_supersedes_only_changed_sections(sqlite_engine):
    assert save_section(sqlite_engine, "74", "2026-T1", "problem", "  ", "anna") is None
    a = save_section(sqlite_engine, "74", "2026-T1", "problem", "Text", "anna")
    assert save_section(sqlite_engine, "74", "2026-T1", "problem", "Text", "bo") is None
    b = save_section(sqlite_engine, "74", "2026-T1", "problem", "Text", "bo", internal=True)
    assert b.supersedes == a.id and b.internal
    assert latest_per_section(sqlite_engine, "74", "2026-T1")["problem"].id == b.id


@pytest.mark.parametrize("kwargs", [
    {"section": "nope"}, {"period": "2026-T4"}, {"text": ""}, {"author": " "}, {"text": "x" * 10_001},
])
def test_bad_input_is_an_input_error(sqlite_engine, kwargs):
    args = {"area_id": "74", "period": "2026-T1", "section": "problem", "text": "ok", "author": "anna"}
    args.update(kwargs)
    with pytest.raises(InputError):
        add_note(sqlite_engine, **args)


def test_note_text_is_stored_as_written(sqlite_engine):
    payload = "<img src=x onerror=alert(1)>\nrad två"
    n = add_note(sqlite_engine, "74", "2026-T1", "problem", payload, "anna")
    assert n.text == payload


def test_the_report_and_the_store_agree_on_the_sections():
    import reports.facts
    import reports.texts

    assert store.notes.SECTIONS == reports.texts.SECTIONS == reports.facts.SECTIONS
