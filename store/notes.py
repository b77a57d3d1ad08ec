"""Analyst notes per area, period and 4P section, with history (table ``notes``, migration 0002).

Human text is kept apart from the generated facts: a note is stored as written, with its author and
time, and shown under the section's facts. An edit never overwrites: it is a new row whose
``supersedes`` points at the row it replaces, so the history of every note is the chain of rows
back to the first one. The *current* notes of a section are the rows no other row supersedes
(an edit to an empty text withdraws a note: it stays in the history, not in the current view).
Only notes marked ``kommun`` (and not ``internal``) are shown in the kommun tier
(``reports.disclosure.TierPolicy.note_visible``); the police tier sees every note, internal ones
labelled. Every add and edit writes an audit row (``note_add`` / ``note_edit``: author, area, period,
note id, flags) in the same transaction.

>>> from store.engine import make_engine, migrate
>>> eng = make_engine("sqlite://")
>>> migrate(eng)
>>> n1 = add_note(eng, "74", "2026-T1", "problem", "Oro kring skolan.", author="anna")
>>> n2 = edit_note(eng, n1.id, "Oro kring skolan; möte med rektor 12/3.", author="bo")
>>> [n.text for n in current_notes(eng, "74", "2026-T1")]
['Oro kring skolan; möte med rektor 12/3.']
>>> [n.author for n in note_history(eng, n2.id)]
['bo', 'anna']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from geodata.errors import InputError
from indicators.calendar import parse_period
from store.audit import write_audit
from store.schema import notes

#: The 4P sections, in report order.
SECTIONS: tuple[str, ...] = ("framsteg", "problem", "prioriteringar", "atgarder")
SECTION_ALIASES = {
    "progress": "framsteg", "problems": "problem", "priorities": "prioriteringar",
    "åtgärder": "atgarder", "åtgärdspunkter": "atgarder", "atgardspunkter": "atgarder",
    "points": "atgarder", "actions": "atgarder", "points_for_action": "atgarder",
}
MAX_TEXT = 10_000
MAX_AUTHOR = 128


class NoteConflict(InputError):
    """The note was edited by someone else since it was read (edit the newest version)."""


@dataclass(frozen=True)
class Note:
    """One stored note row."""

    id: int
    area_id: str
    period: str
    section: str
    text: str
    internal: bool
    author: str
    created_at: datetime
    supersedes: int | None
    kommun: bool = False  # marked by the police for the kommun tier


def check_section(section: str) -> str:
    """The canonical section key (``'framsteg'``, ``'problem'``, ``'prioriteringar'``, ``'atgarder'``)."""
    key = " ".join(str(section).strip().casefold().replace("_", " ").split())
    key = SECTION_ALIASES.get(key, SECTION_ALIASES.get(key.replace(" ", "_"), key))
    if key not in SECTIONS:
        raise InputError(None, f"section '{section}': expected one of {', '.join(SECTIONS)}")
    return key


def _check(area_id: str, period: str, text: str, author: str) -> tuple[str, str, str, str]:
    if not str(area_id).strip():
        raise InputError(None, "area id is empty")
    try:
        label = parse_period(period).label
    except ValueError as exc:
        raise InputError(None, f"period: {exc}") from exc
    if text is None:
        raise InputError(None, "note text is missing")
    text = str(text).replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise InputError(None, f"note text is {len(text)} characters (at most {MAX_TEXT})")
    author = str(author or "").strip()
    if not author:
        raise InputError(None, "note author is empty")
    if len(author) > MAX_AUTHOR:
        raise InputError(None, f"note author is longer than {MAX_AUTHOR} characters")
    return str(area_id).strip(), label, text, author


def _row(r) -> Note:
    return Note(int(r.id), str(r.area_id), str(r.period), str(r.section), str(r.text),
                bool(r.internal), str(r.author), r.created_at,
                None if r.supersedes is None else int(r.supersedes), bool(getattr(r, "kommun", False)))


def get_note(engine: Engine, note_id: int) -> Note:
    with engine.connect() as conn:
        r = conn.execute(select(notes).where(notes.c.id == int(note_id))).first()
    if r is None:
        raise InputError(None, f"note {note_id} does not exist")
    return _row(r)


def add_note(engine: Engine, area_id: str, period: str, section: str, text: str, author: str,
             internal: bool = False, now: datetime | None = None, kommun: bool = False) -> Note:
    """Store a new note (not an edit of another); returns the stored row. ``kommun``: shown in the
    kommun tier (unless ``internal``)."""
    area_id, label, text, author = _check(area_id, period, text, author)
    if not text:
        raise InputError(None, "note text is empty")
    section = check_section(section)
    now = now or datetime.now().replace(microsecond=0)
    with engine.begin() as conn:
        new_id = conn.execute(insert(notes).values(
            area_id=area_id, period=label, section=section, text=text, internal=bool(internal),
            kommun=bool(kommun), author=author, created_at=now, supersedes=None)).inserted_primary_key[0]
        write_audit(conn, "note_add", author, area_id=area_id, period=label, layer="notes",
                    detail={"note_id": int(new_id), "section": section, "internal": bool(internal),
                            "kommun": bool(kommun), "chars": len(text)})
    return get_note(engine, new_id)


def edit_note(engine: Engine, note_id: int, text: str, author: str, internal: bool | None = None,
              now: datetime | None = None, kommun: bool | None = None) -> Note:
    """Replace note ``note_id`` by a new row superseding it (the old row stays as history); the
    flags ``internal`` and ``kommun`` keep their values unless given.

    Raises :class:`NoteConflict` when ``note_id`` has already been superseded: the caller edited
    an old version. An empty ``text`` withdraws the note from the current view.
    """
    with engine.begin() as conn:
        old = conn.execute(select(notes).where(notes.c.id == int(note_id))).first()
        if old is None:
            raise InputError(None, f"note {note_id} does not exist")
        newer = conn.execute(select(notes.c.id).where(notes.c.supersedes == int(note_id))).first()
        if newer is not None:
            raise NoteConflict(None, f"note {note_id} was already replaced by note {newer.id}; "
                                     "edit the newest version")
        area_id, label, text, author = _check(old.area_id, old.period, text, author)
        now = now or datetime.now().replace(microsecond=0)
        flag = bool(old.internal if internal is None else internal)
        shared = bool(old.kommun if kommun is None else kommun)
        new_id = conn.execute(insert(notes).values(
            area_id=area_id, period=label, section=old.section, text=text, internal=flag, kommun=shared,
            author=author, created_at=now, supersedes=int(note_id))).inserted_primary_key[0]
        write_audit(conn, "note_edit", author, area_id=area_id, period=label, layer="notes",
                    detail={"note_id": int(new_id), "supersedes": int(note_id), "section": old.section,
                            "internal": flag, "kommun": shared, "chars": len(text), "withdrawn": not text})
    return get_note(engine, new_id)


def _all(engine: Engine, area_id: str, period: str) -> list[Note]:
    try:
        label = parse_period(period).label
    except ValueError as exc:
        raise InputError(None, f"period: {exc}") from exc
    stmt = (select(notes).where(notes.c.area_id == str(area_id), notes.c.period == label)
            .order_by(notes.c.id))
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(stmt)]


def current_notes(engine: Engine, area_id: str, period: str, section: str | None = None,
                  include_internal: bool = True) -> list[Note]:
    """The current (not superseded, not withdrawn) notes, in section order then oldest first."""
    rows = _all(engine, area_id, period)
    replaced = {n.supersedes for n in rows if n.supersedes is not None}
    want = None if section is None else check_section(section)
    heads = [n for n in rows if n.id not in replaced and n.text
             and (want is None or n.section == want) and (include_internal or not n.internal)]
    order = {s: i for i, s in enumerate(SECTIONS)}
    return sorted(heads, key=lambda n: (order.get(n.section, 99), _root(rows, n), n.id))


def _root(rows: Sequence[Note], note: Note) -> int:
    by_id = {n.id: n for n in rows}
    cur = note
    while cur.supersedes is not None and cur.supersedes in by_id:
        cur = by_id[cur.supersedes]
    return cur.id


def latest_per_section(engine: Engine, area_id: str, period: str,
                       include_internal: bool = True) -> dict[str, Note]:
    """The newest current note of each section (what the editor shows and saving supersedes)."""
    out: dict[str, Note] = {}
    for n in current_notes(engine, area_id, period, include_internal=include_internal):
        if n.section not in out or n.id > out[n.section].id:
            out[n.section] = n
    return out


def note_history(engine: Engine, note_id: int) -> list[Note]:
    """The versions of a note, newest first (``note_id`` itself, then what it superseded…)."""
    chain = [get_note(engine, note_id)]
    while chain[-1].supersedes is not None:
        chain.append(get_note(engine, chain[-1].supersedes))
    return chain


def area_history(engine: Engine, area_id: str, period: str) -> list[Note]:
    """Every stored row (all versions, withdrawn ones too) for an area and period, oldest first."""
    return _all(engine, area_id, period)


def save_section(engine: Engine, area_id: str, period: str, section: str, text: str, author: str,
                 internal: bool = False, now: datetime | None = None, kommun: bool = False) -> Note | None:
    """The editor's save: supersede the section's newest note, or add one; no-op if unchanged.

    Returns the new row, or ``None`` when nothing changed (same text and flag, or empty text and
    no note yet).
    """
    section = check_section(section)
    head = latest_per_section(engine, area_id, period).get(section)
    clean = (text or "").replace("\r\n", "\n").strip()
    if head is None:
        if not clean:
            return None
        return add_note(engine, area_id, period, section, clean, author, internal, now, kommun)
    if head.text == clean and head.internal == bool(internal) and head.kommun == bool(kommun):
        return None
    return edit_note(engine, head.id, clean, author, internal, now, kommun)
