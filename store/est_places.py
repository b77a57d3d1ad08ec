"""Places picked at the weekly meeting for the coming week (EST "platser nästa vecka"), each with an
owner, and the tertial's chosen three areas (prioritisation). History kept: a removal or an edit is a
new row (``week_places.supersedes``); the tertial's choice is the newest set saved for it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, insert, select

from geodata.errors import InputError
from indicators.calendar import PeriodKind, parse_period
from store.schema import priorities, week_places

PLACE_COLUMNS = ["id", "kommun_kod", "week", "place", "area_id", "owner", "reason", "removed", "author",
                 "created_at", "supersedes"]


def _check_week(week: str) -> str:
    try:
        p = parse_period(week)
    except ValueError as exc:
        raise InputError(None, str(exc)) from exc
    if p.kind is not PeriodKind.WEEK:
        raise InputError(None, f"'{week}' is not an ISO week (YYYY-Www)")
    return p.label


def add_place(engine: Engine, kommun: str, week: str, place: str, owner: str, author: str,
              reason: str | None = None, area_id: str | None = None) -> int:
    """Add a place for ``week``; the place and its owner are required. Returns the row id."""
    place, owner = " ".join(str(place or "").split()), " ".join(str(owner or "").split())
    if not place:
        raise InputError(None, "the place is empty")
    if not owner:
        raise InputError(None, f"'{place}': every place needs an owner (Ansvarig)")
    with engine.begin() as conn:
        res = conn.execute(insert(week_places).values(
            kommun_kod=str(kommun), week=_check_week(week), place=place[:300], owner=owner[:200],
            reason=(" ".join(str(reason).split())[:500] or None) if reason else None, area_id=area_id,
            removed=False, author=author, created_at=dt.datetime.now()))
        return int(res.inserted_primary_key[0])


def remove_place(engine: Engine, place_id: int, author: str) -> int:
    """Mark a place removed (a new row superseding it; the old one stays)."""
    with engine.begin() as conn:
        row = conn.execute(select(week_places).where(week_places.c.id == int(place_id))).mappings().first()
        if row is None:
            raise InputError(None, f"no place with id {place_id}")
        values = {k: row[k] for k in ("kommun_kod", "week", "place", "area_id", "owner", "reason")}
        res = conn.execute(insert(week_places).values(**values, removed=True, author=author,
                                                      created_at=dt.datetime.now(), supersedes=int(place_id)))
        return int(res.inserted_primary_key[0])


def places_for(engine: Engine, kommun: str, week: str) -> pd.DataFrame:
    """The week's places as they stand (removed ones and superseded rows left out), oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(*[week_places.c[c] for c in PLACE_COLUMNS])
                            .where(week_places.c.kommun_kod == str(kommun), week_places.c.week == _check_week(week))
                            .order_by(week_places.c.id)).fetchall()
    frame = pd.DataFrame(rows, columns=PLACE_COLUMNS)
    gone = set(frame["supersedes"].dropna().astype(int))
    return frame[~frame["id"].isin(gone) & ~frame["removed"].astype(bool)].reset_index(drop=True)


def save_priorities(engine: Engine, kommun: str, tertial: str, chosen: list[dict], author: str) -> None:
    """Save the tertial's chosen areas (at most three, each with a reason; ``impact`` 0–3 hand-scored)."""
    p = parse_period(tertial)
    if p.kind is not PeriodKind.TERTIAL:
        raise InputError(None, f"'{tertial}' is not a tertial")
    if not 1 <= len(chosen) <= 3:
        raise InputError(None, f"choose one to three areas (got {len(chosen)})")
    now = dt.datetime.now()
    rows = []
    for rank, c in enumerate(chosen, start=1):
        reason = " ".join(str(c.get("reason") or "").split())
        if not reason:
            raise InputError(None, f"area {c.get('area_id')}: the reason is empty")
        impact = c.get("impact")
        if impact is not None and int(impact) not in (0, 1, 2, 3):
            raise InputError(None, f"area {c.get('area_id')}: påverkansmöjlighet {impact} is not 0–3")
        rows.append(dict(kommun_kod=str(kommun), tertial=p.label, rank=rank, area_id=str(c["area_id"]),
                         impact=None if impact is None else int(impact), reason=reason[:1000], author=author,
                         created_at=now))
    with engine.begin() as conn:
        conn.execute(insert(priorities), rows)


def priorities_for(engine: Engine, kommun: str, tertial: str) -> pd.DataFrame:
    """The newest set of chosen areas saved for the tertial (empty when none)."""
    cols = ["rank", "area_id", "impact", "reason", "author", "created_at"]
    with engine.connect() as conn:
        rows = conn.execute(select(*[priorities.c[c] for c in cols])
                            .where(priorities.c.kommun_kod == str(kommun),
                                   priorities.c.tertial == parse_period(tertial).label)
                            .order_by(priorities.c.created_at, priorities.c.rank)).fetchall()
    frame = pd.DataFrame(rows, columns=cols)
    if frame.empty:
        return frame
    newest = frame["created_at"].max()
    return frame[frame["created_at"] == newest].reset_index(drop=True)
