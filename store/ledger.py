"""The agreement ledger (EST, issue 14): samverkansöverenskommelse → problems → medborgarlöften →
actions, with history (every edit a new row superseding the item's previous one, as notes are).

A ledger file (CSV from Swedish Excel or XLSX) has one row per item:

==============  ===========================================================================
column          holds
==============  ===========================================================================
Typ             överenskommelse | problem | löfte (medborgarlöfte) | åtgärd
Id              the item's own id (``A1``, ``P2`` …), unique; the same id in a later file edits it
Tillhör         the parent's id: problem → överenskommelse, löfte → problem, åtgärd → löfte or problem
Kommun          kommun code (inherited from the parent when empty)
Titel           the wording (for a löfte: the public wording of the medborgarlöfte)
Beskrivning     free text (optional)
Områden         area ids or exact names, separated by ``,`` or ``|`` (optional)
Plats           a place in words (optional)
Indikatorer     indicator ids of the catalogue, separated by ``,`` or ``|`` (optional; none: ej mätbart)
Ansvarig        owner (required for an åtgärd)
Organisation    the owner's organisation (required for an åtgärd)
Förfallodatum   due date of an åtgärd (required for an åtgärd)
Status          planerad | pågående | klar | inställd (åtgärd; default planerad)
Klart           the day an åtgärd was done (required when klar; never in the future)
Från, Till      the agreement's period (tertials, e.g. 2026-T1)
Intern          ja/nej: internal (police only, never in the kommun's documents)
==============  ===========================================================================

Errors name file, row and column; a bad file writes nothing; a file that changes nothing is
"unchanged".
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert, select

from geodata.errors import InputError
from geodata.tabular import find_column, read_table
from indicators.calendar import parse_period
from store.imports import (
    ImportReport,
    check_size,
    current_user,
    file_hash,
    finish_import,
    import_transaction,
    parse_flag,
    resolve_areas,
    start_import,
    today,
    unchanged_report,
)
from store.queries import areas_frame, catalogue_frame, read_frame
from store.schema import ledger_items
from texts import by_prefix

KINDS = ("agreement", "problem", "promise", "action")
KIND_WORDS = {
    "overenskommelse": "agreement", "samverkansoverenskommelse": "agreement", "agreement": "agreement",
    "problem": "problem",
    "lofte": "promise", "medborgarlofte": "promise", "promise": "promise",
    "atgard": "action", "action": "action",
}
#: kind → its Swedish word (the catalogue's ``page.ledger_kind.<kind>``: the export's ``Typ`` column)
KIND_SV: dict[str, str] = by_prefix("page.ledger_kind.", "sv")
PARENTS = {"agreement": (), "problem": ("agreement",), "promise": ("problem", "agreement"),
           "action": ("promise", "problem")}
STATUSES = {"planerad": "planerad", "planned": "planerad", "pagaende": "pagaende", "pågående": "pagaende",
            "ongoing": "pagaende", "klar": "klar", "done": "klar", "installd": "installd", "inställd": "installd",
            "cancelled": "installd"}
#: status → its word (the catalogue's ``page.status.<status>``), in Swedish and in English
STATUS_SV: dict[str, str] = by_prefix("page.status.", "sv")
STATUS_EN: dict[str, str] = by_prefix("page.status.", "en")

COLUMNS = {  # file column → aliases (normalised as geodata.tabular.find_column does)
    "Typ": ("typ", "type", "kind"), "Id": ("id", "item_id"), "Tillhör": ("tillhor", "parent", "foralder"),
    "Kommun": ("kommun", "kommun_kod", "kommunkod"), "Titel": ("titel", "title", "formulering"),
    "Beskrivning": ("beskrivning", "description"), "Områden": ("omraden", "omrade", "areas", "area_ids"),
    "Plats": ("plats", "place"), "Indikatorer": ("indikatorer", "indikator", "indicators"),
    "Ansvarig": ("ansvarig", "owner"), "Organisation": ("organisation", "organization"),
    "Förfallodatum": ("forfallodatum", "due_date", "due", "senast"), "Status": ("status",),
    "Klart": ("klart", "klart_datum", "done_date", "done"), "Från": ("fran", "from", "period_from"),
    "Till": ("till", "to", "period_to"), "Intern": ("intern", "internal"),
}
#: the stored fields an item is compared on (a file row equal on these changes nothing)
FIELDS = ("kind", "parent_key", "kommun_kod", "title", "description", "area_ids", "place", "indicator_ids",
          "owner", "organisation", "due_date", "status", "done_date", "period_from", "period_to", "internal")
ITEM_COLUMNS = ["id", "item_key", *FIELDS, "removed", "author", "created_at", "supersedes", "import_id"]


@dataclass(frozen=True)
class Item:
    """One ledger item as it stands (the newest row of its key)."""

    key: str
    kind: str
    title: str
    parent_key: str | None = None
    kommun_kod: str | None = None
    description: str | None = None
    area_ids: tuple[str, ...] = ()
    place: str | None = None
    indicator_ids: tuple[str, ...] = ()
    owner: str | None = None
    organisation: str | None = None
    due_date: dt.date | None = None
    status: str | None = None
    done_date: dt.date | None = None
    period_from: str | None = None
    period_to: str | None = None
    internal: bool = False


def _norm(text: object) -> str:
    s = " ".join(str(text).split()).casefold()
    return s.replace("å", "a").replace("ä", "a").replace("ö", "o")


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() in ("", "nan", "None", "NaT")


def _text(v: object) -> str | None:
    return None if _blank(v) else " ".join(str(v).split())


def _day(v: object, path: Path, row: int, column: str) -> dt.date | None:
    if _blank(v):
        return None
    s = str(v).strip()
    try:
        day = dt.date.fromisoformat(s[:10])
        if len(s) > 10 and s[10:].strip() not in ("00:00:00", "00:00", "T00:00:00"):
            raise ValueError(s)
    except ValueError as exc:
        raise InputError(path, f"'{v}' is not a date (expected YYYY-MM-DD)", row=row, column=column) from exc
    return day


def _split(v: object) -> list[str]:
    return [] if _blank(v) else [p.strip() for p in re.split(r"[,|;]", str(v)) if p.strip()]


@dataclass(frozen=True)
class _Sheet:
    """A ledger file being read: its path and where each of its columns is (None: absent)."""

    path: Path
    cols: dict[str, str | None]

    def cell(self, r: dict, name: str) -> object:
        return r[self.cols[name]] if self.cols[name] else None

    def error(self, message: str, row: int, name: str, named: bool = True) -> InputError:
        """An error at ``row`` in column ``name`` (the file's own heading; with ``named``, the
        canonical name when the file has no such column)."""
        return InputError(self.path, message, row=row, column=(self.cols[name] or name) if named else self.cols[name])


def _sheet(path: Path, frame: pd.DataFrame) -> _Sheet:
    cols = {name: find_column(frame, aliases) for name, aliases in COLUMNS.items()}
    present = [c for c in frame.columns if c != "_row"]
    for need in ("Typ", "Id", "Titel"):
        if cols[need] is None:
            raise InputError(path, f"no {need} column; columns: {present}", row=1)
    return _Sheet(path, cols)


def _file_kinds(sheet: _Sheet, rows: list[dict], stored: dict[str, Item]) -> dict[str, str]:
    """Every row's id → kind, read before the rows themselves (a child may come before its parent)."""
    file_kinds: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for r in rows:
        row = int(r["_row"])
        kind_raw = r[sheet.cols["Typ"]]
        kind = KIND_WORDS.get(_norm(kind_raw)) if not _blank(kind_raw) else None
        if kind is None:
            raise sheet.error(f"unknown type '{'' if _blank(kind_raw) else kind_raw}' (expected överenskommelse, "
                              "problem, löfte or åtgärd)", row, "Typ")
        key = _text(r[sheet.cols["Id"]])
        if key is None:
            raise sheet.error("id is missing", row, "Id")
        if key in first_row:
            raise sheet.error(f"id '{key}' appears twice (rows {first_row[key]} and {row})", row, "Id")
        if key in stored and stored[key].kind != kind:
            raise sheet.error(f"id '{key}' is a {KIND_SV[stored[key].kind]} in the ledger, not a {KIND_SV[kind]}",
                              row, "Typ")
        first_row[key], file_kinds[key] = row, kind
    return file_kinds


def _parent(sheet: _Sheet, r: dict, row: int, kind: str, kinds: dict[str, str]) -> str | None:
    """The row's parent id, checked against the kinds a parent of ``kind`` may have."""
    parent = _text(sheet.cell(r, "Tillhör"))
    if PARENTS[kind]:
        if parent is None:
            raise sheet.error(f"a {KIND_SV[kind]} belongs to a {' or '.join(KIND_SV[p] for p in PARENTS[kind])}: "
                              "Tillhör is empty", row, "Tillhör")
        if parent not in kinds:
            raise sheet.error(f"unknown parent '{parent}' (neither in the file nor in the ledger)", row, "Tillhör",
                              named=False)
        if kinds[parent] not in PARENTS[kind]:
            raise sheet.error(f"a {KIND_SV[kind]} cannot belong to a {KIND_SV[kinds[parent]]} ('{parent}')", row,
                              "Tillhör", named=False)
    elif parent is not None:
        raise sheet.error("an överenskommelse belongs to no other item: Tillhör must be empty", row, "Tillhör",
                          named=False)
    return parent


def _areas_and_indicators(sheet: _Sheet, r: dict, row: int, area_table: pd.DataFrame,
                          known_ind: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names = _split(sheet.cell(r, "Områden"))
    areas = tuple(str(a) for a in resolve_areas(pd.Series(names, dtype=object), area_table, sheet.path,
                                                pd.Series([row] * len(names)), sheet.cols["Områden"] or "Områden")
                  ) if names else ()
    inds = tuple(_split(sheet.cell(r, "Indikatorer")))
    for ind in inds:
        if ind not in known_ind:
            raise sheet.error(f"unknown indicator id '{ind}' (known: {', '.join(sorted(known_ind))})", row,
                              "Indikatorer", named=False)
    return areas, inds


def _action_status(sheet: _Sheet, r: dict, row: int, owner: str | None, org: str | None, due: dt.date | None,
                   done: dt.date | None, on: dt.date) -> str:
    """An åtgärd's status, once its owner, organisation, due date and done day are checked."""
    if owner is None:
        raise sheet.error("an åtgärd without an owner (Ansvarig): every action needs one", row, "Ansvarig")
    if org is None:
        raise sheet.error("an åtgärd without the owner's organisation", row, "Organisation")
    if due is None:
        raise sheet.error("an åtgärd without a due date (Förfallodatum)", row, "Förfallodatum")
    status_raw = sheet.cell(r, "Status")
    status = "planerad" if _blank(status_raw) else STATUSES.get(_norm(status_raw)) or STATUSES.get(
        str(status_raw).strip().casefold())
    if status is None:
        raise sheet.error(f"unknown status '{status_raw}' (planerad, pågående, klar or inställd)", row, "Status",
                          named=False)
    if status == "klar" and done is None:
        raise sheet.error("status klar without the day it was done (Klart)", row, "Klart")
    if done is not None and done > on:
        raise sheet.error(f"'{done.isoformat()}' is in the future (today is {on.isoformat()})", row, "Klart",
                          named=False)
    return status


def _periods(sheet: _Sheet, r: dict, row: int) -> list[str | None]:
    periods = []
    for name in ("Från", "Till"):
        v = _text(sheet.cell(r, name))
        if v is not None:
            try:
                v = parse_period(v).label
            except ValueError as exc:
                raise sheet.error(str(exc), row, name, named=False) from exc
        periods.append(v)
    return periods


def _kommun(sheet: _Sheet, r: dict, row: int, key: str, kommun_of: dict[str, str | None]) -> str | None:
    kommun = _text(sheet.cell(r, "Kommun"))
    if kommun is not None:
        kommun = kommun.zfill(4) if kommun.isdigit() else kommun
        if not (kommun.isdigit() and len(kommun) == 4):
            raise sheet.error(f"'{kommun}' is not a kommun code (four digits, e.g. 0180)", row, "Kommun", named=False)
        if key in kommun_of and kommun_of[key] not in (None, kommun):
            raise sheet.error(f"id '{key}' belongs to kommun {kommun_of[key]} in the ledger", row, "Kommun",
                              named=False)
    return kommun


def _item(sheet: _Sheet, r: dict, kind: str, kinds: dict[str, str], kommun_of: dict[str, str | None],
          area_table: pd.DataFrame, known_ind: set[str], on: dt.date) -> Item:
    """One row as an item (its kommun may still be empty: inherited afterwards)."""
    row = int(r["_row"])
    key = _text(r[sheet.cols["Id"]])
    title = _text(sheet.cell(r, "Titel"))
    if title is None:
        raise sheet.error("title is missing", row, "Titel", named=False)
    parent = _parent(sheet, r, row, kind, kinds)
    areas, inds = _areas_and_indicators(sheet, r, row, area_table, known_ind)
    owner, org = _text(sheet.cell(r, "Ansvarig")), _text(sheet.cell(r, "Organisation"))
    due = _day(sheet.cell(r, "Förfallodatum"), sheet.path, row, sheet.cols["Förfallodatum"] or "Förfallodatum")
    done = _day(sheet.cell(r, "Klart"), sheet.path, row, sheet.cols["Klart"] or "Klart")
    status = _action_status(sheet, r, row, owner, org, due, done, on) if kind == "action" else None
    period_from, period_to = _periods(sheet, r, row)
    kommun = _kommun(sheet, r, row, key, kommun_of)
    internal = parse_flag(sheet.cell(r, "Intern"), sheet.path, row, sheet.cols["Intern"]) if sheet.cols["Intern"] \
        else False
    return Item(key, kind, title, parent, kommun, _text(sheet.cell(r, "Beskrivning")), areas,
                _text(sheet.cell(r, "Plats")), inds, owner, org, due, status, done, period_from, period_to, internal)


def _inherit_kommun(sheet: _Sheet, pending: list[tuple[int, Item]], stored: dict[str, Item]) -> list[tuple[int, Item]]:
    """Each item's kommun, from its own row or the nearest ancestor's (in the file or the ledger)."""
    file_items = {it.key: it for _, it in pending}
    out = []
    for row, it in pending:
        k, parent = it.kommun_kod, it.parent_key
        while k is None and parent is not None:
            p = file_items.get(parent) or stored.get(parent)
            k, parent = (p.kommun_kod, p.parent_key) if p else (None, None)
        if k is None:
            raise sheet.error("no kommun: give the kommun code here or on the parent", row, "Kommun")
        out.append((row, Item(**{**it.__dict__, "kommun_kod": k})))
    return out


def parse_ledger(path: Path, frame: pd.DataFrame, area_table: pd.DataFrame, catalogue: pd.DataFrame,
                 stored: dict[str, Item], on: dt.date) -> list[tuple[int, Item]]:
    """Validate a ledger table into items (with their Excel rows); the first error raises
    :class:`InputError` naming file, row and column."""
    sheet = _sheet(path, frame)
    known_ind = set(catalogue["id"].astype(str))
    rows = frame.to_dict("records")
    file_kinds = _file_kinds(sheet, rows, stored)
    kinds = {k: it.kind for k, it in stored.items()} | file_kinds
    kommun_of = {k: it.kommun_kod for k, it in stored.items()}
    pending = [(int(r["_row"]), _item(sheet, r, file_kinds[_text(r[sheet.cols["Id"]])], kinds, kommun_of,
                                      area_table, known_ind, on)) for r in rows]
    return _inherit_kommun(sheet, pending, stored)


def _to_row(it: Item) -> dict:
    return dict(item_key=it.key, kind=it.kind, parent_key=it.parent_key, kommun_kod=it.kommun_kod, title=it.title,
                description=it.description, area_ids=json.dumps(list(it.area_ids)), place=it.place,
                indicator_ids=json.dumps(list(it.indicator_ids)), owner=it.owner, organisation=it.organisation,
                due_date=it.due_date, status=it.status, done_date=it.done_date, period_from=it.period_from,
                period_to=it.period_to, internal=bool(it.internal))


def _from_row(r: dict) -> Item:
    def day(v):
        if v is None or isinstance(v, dt.date):
            return v
        return dt.date.fromisoformat(str(v)[:10])

    return Item(r["item_key"], r["kind"], r["title"], r["parent_key"], r["kommun_kod"], r["description"],
                tuple(json.loads(r["area_ids"] or "[]")), r["place"], tuple(json.loads(r["indicator_ids"] or "[]")),
                r["owner"], r["organisation"], day(r["due_date"]), r["status"], day(r["done_date"]),
                r["period_from"], r["period_to"], bool(r["internal"]))


def _rows(conn_or_engine, key: str | None = None) -> pd.DataFrame:
    stmt = select(*[ledger_items.c[c] for c in ITEM_COLUMNS]).order_by(ledger_items.c.id)
    if key is not None:
        stmt = stmt.where(ledger_items.c.item_key == key)
    if isinstance(conn_or_engine, Engine):
        frame = read_frame(conn_or_engine, stmt, ITEM_COLUMNS)
    else:
        frame = pd.DataFrame(conn_or_engine.execute(stmt).fetchall(), columns=ITEM_COLUMNS)
    return frame.astype(object).where(frame.notna(), None)


def _current(rows: pd.DataFrame) -> dict[str, tuple[int, Item]]:
    out: dict[str, tuple[int, Item]] = {}
    for r in rows.to_dict("records"):  # ordered by id: the newest row of a key wins
        if r["removed"]:
            out.pop(r["item_key"], None)
        else:
            out[r["item_key"]] = (int(r["id"]), _from_row(r))
    return out


def current_items(engine: Engine, kommun: str | None = None, public_only: bool = False) -> list[Item]:
    """The ledger as it stands (newest row per item), optionally one kommun's and without internal items."""
    items = [it for _, it in _current(_rows(engine)).values()]
    if kommun is not None:
        items = [it for it in items if it.kommun_kod == str(kommun)]
    if public_only:
        hidden = {it.key for it in items if it.internal}
        changed = True
        while changed:  # an internal item hides its children too
            changed = False
            for it in items:
                if it.key not in hidden and it.parent_key in hidden:
                    hidden.add(it.key)
                    changed = True
        items = [it for it in items if it.key not in hidden]
    return items


def item_history(engine: Engine, key: str) -> pd.DataFrame:
    """Every row ever written for ``key``, oldest first (who, when, what)."""
    return _rows(engine, key)


def import_ledger(engine: Engine, path: str | Path, user: str | None = None, on: dt.date | None = None) -> ImportReport:
    """Import a ledger file: new items and changed ones written as new rows (history kept)."""
    path = Path(path)
    check_size(path)
    digest = file_hash(path)
    frame = read_table(path)
    stored = {k: it for k, (_, it) in _current(_rows(engine)).items()}
    parsed = parse_ledger(path, frame, areas_frame(engine), catalogue_frame(engine), stored, on or today())
    with import_transaction(engine) as conn:
        current = _current(_rows(conn))
        changed = [(row, it) for row, it in parsed if it.key not in current or current[it.key][1] != it]
        if not changed:
            return unchanged_report(conn, "ledger", path, digest, user, "the ledger holds these items already: nothing changed")
        import_id = start_import(conn, "ledger", path, digest, user)
        now = dt.datetime.now()
        conn.execute(insert(ledger_items), [
            {**_to_row(it), "author": user or current_user(), "created_at": now,
             "supersedes": current[it.key][0] if it.key in current else None, "import_id": import_id}
            for _, it in changed])
        edited = sum(it.key in current for _, it in changed)
        finish_import(conn, import_id, len(parsed), 0, [], {"items_written": len(changed), "items_edited": edited})
    warnings = [f"{edited} items edited (the earlier versions kept)"] if edited else []
    return ImportReport("ledger", str(path), "imported", len(parsed), 0, warnings, import_id)


def save_item(engine: Engine, item: Item, author: str) -> int:
    """Write one item from the page (new or edited; checked as a file row would be). Returns its row id."""
    frame = pd.DataFrame([ledger_frame([item]).iloc[0].to_dict() | {"_row": 1}])
    stored = {k: it for k, (_, it) in _current(_rows(engine)).items()}
    (_, checked), = parse_ledger(Path("formulär"), frame, areas_frame(engine), catalogue_frame(engine), stored, today())
    with engine.begin() as conn:
        current = _current(_rows(conn))
        if checked.key in current and current[checked.key][1] == checked:
            return current[checked.key][0]
        res = conn.execute(insert(ledger_items).values(
            **_to_row(checked), author=author, created_at=dt.datetime.now(),
            supersedes=current[checked.key][0] if checked.key in current else None))
        return int(res.inserted_primary_key[0])


def ledger_frame(items: list[Item]) -> pd.DataFrame:
    """Items in the file layout (what ``ledger export`` writes and ``ledger import`` reads back)."""
    order = {k: i for i, k in enumerate(KINDS)}
    rows = []
    for it in sorted(items, key=lambda i: (order[i.kind], i.key)):
        rows.append({
            "Typ": KIND_SV[it.kind], "Id": it.key, "Tillhör": it.parent_key or "", "Kommun": it.kommun_kod or "",
            "Titel": it.title, "Beskrivning": it.description or "", "Områden": ", ".join(it.area_ids),
            "Plats": it.place or "", "Indikatorer": ", ".join(it.indicator_ids), "Ansvarig": it.owner or "",
            "Organisation": it.organisation or "",
            "Förfallodatum": it.due_date.isoformat() if it.due_date else "",
            "Status": STATUS_SV.get(it.status or "", ""), "Klart": it.done_date.isoformat() if it.done_date else "",
            "Från": it.period_from or "", "Till": it.period_to or "", "Intern": "ja" if it.internal else "nej",
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))
