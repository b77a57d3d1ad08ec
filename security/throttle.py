"""Login throttling with backoff: per client address, per account name and per trusted device.

Every failed login counts against the client's address and against the name typed (or, from a
browser that holds a valid *device cookie* for that name, against that device instead). After a
few free failures each further one makes the key wait before it may try again, doubling from one
second up to a cap (:data:`CLIENT`, :data:`ACCOUNT`, :data:`DEVICE`). Attempts made while a key
waits are refused and not counted, so hammering does not lengthen the wait, and the wait is over
after at most the cap: there is no hard lock.

Why an attacker cannot keep a user out with it: the account's wait only applies to browsers without
a device cookie for that account. A browser where the user logged in before (within
:data:`DEVICE_DAYS` days) presents its device cookie and is throttled on its own key only, which an
attacker without that cookie cannot touch (OWASP's "device cookies"). A user on a new device while
someone guesses at their account waits at most :attr:`ACCOUNT.cap_s` between attempts.

Unknown account names are throttled exactly like known ones (their key is an HMAC of the typed name
with the secret key, so the table never holds a typed name that might be a password); answers do
not tell known from unknown names (see :func:`security.users.verify_login`).

A client whose address waits gets ``429`` at once, without a password check: that answer depends
only on the address, never on the name typed, so it tells nothing about accounts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update

from store.schema import login_throttle

DEVICE_COOKIE = "__Host-lagesbild_device"
DEVICE_DAYS = 180


@dataclass(frozen=True)
class Policy:
    """``free`` failures cost nothing; the n-th failure after them makes the key wait
    ``base_s * 2**n`` seconds, at most ``cap_s``; a key with no failure for ``window`` starts over."""

    free: int
    base_s: float
    cap_s: float
    window: timedelta

    def wait_after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return float(min(self.cap_s, self.base_s * 2 ** min(failures - self.free, 30)))


CLIENT = Policy(free=20, base_s=1.0, cap_s=300.0, window=timedelta(hours=1))
ACCOUNT = Policy(free=5, base_s=1.0, cap_s=900.0, window=timedelta(hours=24))
DEVICE = Policy(free=5, base_s=1.0, cap_s=900.0, window=timedelta(hours=24))


def clock() -> datetime:
    """Now, naive UTC. Replaced in tests."""
    from security.users import utcnow

    return utcnow()


def _secret() -> bytes:
    from config import settings

    return (settings().secret_key or "lagesbild-no-secret").encode()


def client_key(address: str | None) -> str:
    return "ip:" + (address or "unknown")[:64]


def account_key(name: str, known: bool) -> str:
    """A known account by its name (``user unlock`` clears it); anything else typed in the name
    field by an HMAC, so no typed text is stored."""
    if known:
        return "acct:" + name
    return "unk:" + name_digest(name)


def name_digest(name: str) -> str:
    """HMAC-SHA256 (secret key) of a typed user name, 32 hex digits: correlates repeated attempts
    with the same unknown name in the audit log without storing what was typed."""
    return hmac.new(_secret(), name.casefold().encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def device_key(nonce: str) -> str:
    return "dev:" + nonce


# --------------------------------------------------------------------------- device cookies


def _serializer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(_secret(), salt="lagesbild-device")


def device_cookie(name: str) -> str:
    """A fresh device cookie value for an account that just logged in on this browser."""
    return _serializer().dumps({"u": name.casefold(), "n": secrets.token_urlsafe(16)})


def device_nonce(cookie: str | None, name: str) -> str | None:
    """The device's nonce if ``cookie`` is a valid, unexpired device cookie for ``name``."""
    if not cookie or len(cookie) > 400:
        return None
    from itsdangerous import BadSignature

    try:
        data = _serializer().loads(cookie, max_age=DEVICE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("u") != name.casefold() or not isinstance(data.get("n"), str):
        return None
    return data["n"][:40]


# --------------------------------------------------------------------------- the table


def wait_seconds(engine: Engine, key: str, now: datetime) -> float:
    """Seconds ``key`` must still wait before its next attempt (0 when it may try now)."""
    with engine.connect() as conn:
        until = conn.execute(select(login_throttle.c.blocked_until).where(login_throttle.c.key == key)).scalar()
    if until is None or until <= now:
        return 0.0
    return (until - now).total_seconds()


def record_failure(engine: Engine, key: str, policy: Policy, now: datetime) -> int:
    """Count one failure for ``key``; returns its failures in the current window.

    The increment is one UPDATE, so concurrent failures in several workers all count.
    """
    start_over = login_throttle.c.last_failure_at < now - policy.window
    with engine.begin() as conn:
        conn.execute(_insert_missing(conn, key, now))
        conn.execute(update(login_throttle).where(login_throttle.c.key == key).values(
            failures=_case(start_over, 1, login_throttle.c.failures + 1), last_failure_at=now))
        failures = int(conn.execute(select(login_throttle.c.failures).where(login_throttle.c.key == key)).scalar_one())
        wait = policy.wait_after(failures)
        conn.execute(update(login_throttle).where(login_throttle.c.key == key).values(
            blocked_until=now + timedelta(seconds=wait) if wait else None))
    return failures


def _insert_missing(conn, key: str, now: datetime):
    """``INSERT … ON CONFLICT DO NOTHING`` of an empty row (SQLite and PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(login_throttle).values(key=key, failures=0, last_failure_at=now).on_conflict_do_nothing()


def _case(cond, a, b):
    from sqlalchemy import case

    return case((cond, a), else_=b)


def clear(engine: Engine, key: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(login_throttle).where(login_throttle.c.key == key))


def state(engine: Engine, keys: list[str]) -> dict[str, tuple[int, datetime | None]]:
    """``{key: (failures, blocked_until)}`` for the keys that have a row."""
    if not keys:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(login_throttle.c.key, login_throttle.c.failures, login_throttle.c.blocked_until)
                            .where(login_throttle.c.key.in_(keys))).fetchall()
    return {r.key: (int(r.failures), r.blocked_until) for r in rows}
