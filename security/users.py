"""Local accounts: argon2 password hashes, lockout after repeated failures, per-process lookup cache.

All SQL through SQLAlchemy Core with bound parameters. Times are naive UTC (the schema's DateTime).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, case, select, update

from security import sessions
from security.access import Principal, normalise_role, principal_from_row
from store.schema import users

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
NAME_RE = re.compile(r"^[A-Za-z0-9._@\-åäöÅÄÖ]{1,128}$")
KOMMUN_RE = re.compile(r"^\d{4}$")
PRINCIPAL_TTL_S = 10.0

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("lagesbild-timing-equaliser")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    kommuner: tuple[str, ...]
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime
    has_password: bool

    def principal(self) -> Principal:
        return Principal(self.name, self.role, self.kommuner)


def _user(row) -> User:
    p = principal_from_row(row.name, row.role, row.kommuner)
    return User(id=row.id, name=row.name, role=row.role, kommuner=p.kommuner, active=bool(row.active),
                failed_attempts=int(row.failed_attempts or 0), locked_until=row.locked_until,
                created_at=row.created_at, has_password=bool(row.password_hash))


def validate_name(name: str) -> str:
    name = name.strip()
    if not NAME_RE.match(name):
        raise ValueError(f"user name '{name}': 1–128 letters, digits or . _ @ -")
    return name


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"password: at most {MAX_PASSWORD_LENGTH} characters")
    return password


def validate_kommuner(role: str, kommuner: list[str] | tuple[str, ...] | None) -> list[str]:
    codes = sorted({c.strip() for c in (kommuner or []) if c and c.strip()})
    bad = [c for c in codes if not KOMMUN_RE.match(c)]
    if bad:
        raise ValueError(f"kommun code(s) {', '.join(bad)}: expected four digits, e.g. 0180 (Stockholm)")
    if role == "kommunpartner" and not codes:
        raise ValueError("role kommunpartner needs at least one --kommun CODE")
    return codes


def create_user(engine: Engine, name: str, role: str, kommuner: list[str] | None = None,
                password: str | None = None) -> User:
    """Add an account (``password=None``: header-authenticated only). ValueError on bad input."""
    name = validate_name(name)
    role = normalise_role(role)
    codes = validate_kommuner(role, kommuner)
    pw_hash = _hasher.hash(validate_password(password)) if password is not None else None
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.name == name)).first():
            raise ValueError(f"user '{name}' exists already")
        conn.execute(users.insert().values(
            name=name, password_hash=pw_hash, role=role, kommuner=json.dumps(codes), active=True,
            failed_attempts=0, locked_until=None, created_at=utcnow()))
    forget_cached()
    return get_user(engine, name)  # type: ignore[return-value]


def get_user(engine: Engine, name: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(users).order_by(users.c.name))]


def set_password(engine: Engine, name: str, password: str) -> None:
    pw_hash = _hasher.hash(validate_password(password))
    with engine.begin() as conn:
        n = conn.execute(update(users).where(users.c.name == name).values(
            password_hash=pw_hash, failed_attempts=0, locked_until=None)).rowcount
    if not n:
        raise ValueError(f"unknown user '{name}'")
    forget_cached()
    sessions.end_all(engine, name, "password_changed")


def set_active(engine: Engine, name: str, active: bool) -> None:
    with engine.begin() as conn:
        n = conn.execute(update(users).where(users.c.name == name).values(active=active)).rowcount
    if not n:
        raise ValueError(f"unknown user '{name}'")
    forget_cached()
    if not active:
        sessions.end_all(engine, name, "disabled")


def unlock(engine: Engine, name: str) -> None:
    with engine.begin() as conn:
        n = conn.execute(update(users).where(users.c.name == name).values(
            failed_attempts=0, locked_until=None)).rowcount
    if not n:
        raise ValueError(f"unknown user '{name}'")


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str  # ok | unknown | inactive | no_password | bad_password | locked
    user: User | None = None
    locked_now: bool = False


def verify_login(engine: Engine, name: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a password; count failures and lock the account for 15 min after 5 in a row.

    While locked, even the right password is refused (and not counted). Unknown users cost the same
    argon2 verification as known ones, so timing does not tell which names exist.
    """
    now = now or utcnow()
    if len(password) > MAX_PASSWORD_LENGTH:
        password = password[:MAX_PASSWORD_LENGTH]
    user = get_user(engine, name) if NAME_RE.match(name or "") else None
    if user is None or not user.has_password or not user.active:
        try:
            _hasher.verify(_DUMMY_HASH, password + "x")
        except VerificationError:
            pass
        if user is None:
            return LoginResult(False, "unknown")
        return LoginResult(False, "inactive" if not user.active else "no_password", user)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(False, "locked", user)
    with engine.connect() as conn:
        pw_hash = conn.execute(select(users.c.password_hash).where(users.c.id == user.id)).scalar_one()
    try:
        _hasher.verify(pw_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        with engine.begin() as conn:
            # one atomic statement: concurrent failures in several workers all count
            fails = users.c.failed_attempts + 1
            conn.execute(update(users).where(users.c.id == user.id).values(
                failed_attempts=case((users.c.locked_until < now, 1), else_=fails),
                locked_until=case((case((users.c.locked_until < now, 1), else_=fails) >= MAX_FAILURES,
                                   now + LOCKOUT), else_=None)))
            row = conn.execute(select(users.c.failed_attempts, users.c.locked_until)
                               .where(users.c.id == user.id)).one()
        locked_now = row.locked_until is not None and row.locked_until > now
        return LoginResult(False, "bad_password", user, locked_now=locked_now)
    values = {"failed_attempts": 0, "locked_until": None}
    if _hasher.check_needs_rehash(pw_hash):
        values["password_hash"] = _hasher.hash(password)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user.id).values(**values))
    return LoginResult(True, "ok", user)


# --------------------------------------------------------------------------- per-request lookup

_cache: dict[tuple[str, str], tuple[float, Principal | None]] = {}
_cache_lock = threading.Lock()


def forget_cached() -> None:
    with _cache_lock:
        _cache.clear()


def active_principal(engine: Engine, name: str) -> Principal | None:
    """The principal of an existing, active account (cached per process for 10 s, so that
    deactivating an account or changing its role takes effect within seconds in every worker)."""
    key = (str(engine.url), name)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
    user = get_user(engine, name) if NAME_RE.match(name or "") else None
    principal = user.principal() if user is not None and user.active else None
    with _cache_lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[key] = (now + PRINCIPAL_TTL_S, principal)
    return principal
