"""Server-side sessions: every login is a row in ``sessions``, checked on every request.

The session cookie (Flask's signed cookie, named ``__Host-lagesbild_session``) carries a random
token; the table keeps only its SHA-256, so a copy of the database holds no usable session. A
session is valid while its row is not ended, it was used within ``LAGESBILD_SESSION_IDLE_MINUTES``
(default 30) and it is younger than ``LAGESBILD_SESSION_MINUTES`` (default 480, absolute). Logout,
a password change and deactivating the account end **every** session of the user at once, in every
worker (the next request of any of them finds its row ended).

``last_seen_at`` is written at most once a minute per session (a request within a minute of the
last write does not write), so the idle timeout can end a session up to a minute early, never late.

Times come from :func:`clock` (naive UTC); tests replace it to move time without sleeping.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update

from store.schema import sessions

TOUCH_EVERY = timedelta(seconds=60)


def clock() -> datetime:
    """Now, naive UTC (the schema's DateTime). Replaced in tests."""
    from security.users import utcnow

    return utcnow()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create(engine: Engine, user: str, remote: str | None = None) -> str:
    """Start a session for ``user``; returns the token for the cookie (the table keeps its hash)."""
    token = secrets.token_urlsafe(32)
    now = clock()
    with engine.begin() as conn:
        conn.execute(insert(sessions).values(id=_digest(token), user_name=user, created_at=now,
                                             last_seen_at=now, remote=(remote or "")[:64] or None))
    return token


def check(engine: Engine, token: str, idle_minutes: int, max_minutes: int) -> str | None:
    """The user name of a live session, or None (unknown, ended, idle too long or too old).

    A session found idle or too old is ended on the way (``end_reason`` ``idle``/``expired``).
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        return None
    sid = _digest(token)
    with engine.connect() as conn:
        row = conn.execute(select(sessions.c.user_name, sessions.c.created_at, sessions.c.last_seen_at,
                                  sessions.c.ended_at).where(sessions.c.id == sid)).first()
    if row is None or row.ended_at is not None:
        return None
    now = clock()
    reason = None
    if now - row.created_at > timedelta(minutes=max_minutes) or row.created_at > now + timedelta(minutes=1):
        reason = "expired"
    elif now - row.last_seen_at > timedelta(minutes=idle_minutes):
        reason = "idle"
    if reason is not None:
        with engine.begin() as conn:
            conn.execute(update(sessions).where(sessions.c.id == sid, sessions.c.ended_at.is_(None))
                         .values(ended_at=now, end_reason=reason))
        return None
    if now - row.last_seen_at >= min(TOUCH_EVERY, timedelta(minutes=idle_minutes) / 4):
        with engine.begin() as conn:
            conn.execute(update(sessions).where(sessions.c.id == sid, sessions.c.ended_at.is_(None))
                         .values(last_seen_at=now))
    return row.user_name


def end(engine: Engine, token: str, reason: str = "logout") -> None:
    """End one session (by its token)."""
    if not isinstance(token, str):
        return
    with engine.begin() as conn:
        conn.execute(update(sessions).where(sessions.c.id == _digest(token), sessions.c.ended_at.is_(None))
                     .values(ended_at=clock(), end_reason=reason[:32]))


def end_all(engine: Engine, user: str, reason: str) -> int:
    """End every live session of ``user``; returns how many were live."""
    with engine.begin() as conn:
        n = conn.execute(update(sessions).where(sessions.c.user_name == user, sessions.c.ended_at.is_(None))
                         .values(ended_at=clock(), end_reason=reason[:32])).rowcount
    return int(n or 0)


def live(engine: Engine, user: str) -> int:
    """How many sessions of ``user`` are not ended (idle/expired ones count until next used)."""
    from sqlalchemy import func

    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(sessions).where(
            sessions.c.user_name == user, sessions.c.ended_at.is_(None))).scalar_one())
