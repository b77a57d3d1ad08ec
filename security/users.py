"""Local accounts: argon2 password hashes, throttled logins (:mod:`security.throttle`), per-process lookup cache.

All SQL through SQLAlchemy Core with bound parameters. Times are naive UTC (the schema's DateTime).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, select, update

from security import sessions, throttle
from security.access import Principal, normalise_role, principal_from_row
from store.schema import users

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128  # ASVS 2.1.2: at least 64 permitted, more than 128 denied
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
    """Every account; ``failed_attempts``/``locked_until`` from the login throttle (failures in the
    current window, and until when the account name must wait)."""
    from dataclasses import replace

    with engine.connect() as conn:
        out = [_user(r) for r in conn.execute(select(users).order_by(users.c.name))]
    th = throttle.state(engine, [throttle.account_key(u.name, known=True) for u in out])
    return [replace(u, failed_attempts=th.get(throttle.account_key(u.name, known=True), (0, None))[0],
                    locked_until=th.get(throttle.account_key(u.name, known=True), (0, None))[1]) for u in out]


def set_password(engine: Engine, name: str, password: str) -> None:
    pw_hash = _hasher.hash(validate_password(password))
    with engine.begin() as conn:
        n = conn.execute(update(users).where(users.c.name == name).values(
            password_hash=pw_hash, failed_attempts=0, locked_until=None)).rowcount
    if not n:
        raise ValueError(f"unknown user '{name}'")
    forget_cached()
    throttle.clear(engine, throttle.account_key(name, known=True))
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
    """Clear the account's login throttle (its wait after failed logins)."""
    if get_user(engine, name) is None:
        raise ValueError(f"unknown user '{name}'")
    throttle.clear(engine, throttle.account_key(name, known=True))


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str  # ok | unknown | inactive | no_password | bad_password | throttled
    user: User | None = None
    wait_s: float = 0.0  # how long the account (or device) must now wait before its next attempt


def _password_hash(engine: Engine, user: User | None) -> str:
    """The hash to verify against: the account's, or the dummy one (unknown, inactive, no password)."""
    if user is None or not user.active or not user.has_password:
        return _DUMMY_HASH
    with engine.connect() as conn:
        return conn.execute(select(users.c.password_hash).where(users.c.id == user.id)).scalar_one()


def _verify(pw_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(pw_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_login(engine: Engine, name: str, password: str, now: datetime | None = None,
                 client: str | None = None, device: str | None = None) -> LoginResult:
    """Check a password, with throttling (:mod:`security.throttle`).

    Every call runs exactly one argon2 verification — against the account's hash, or against a
    dummy hash when the name is unknown, the account inactive or without a password, or the account
    waiting after failures — so the answer time does not tell these cases apart. A failure counts
    against the typed name (``device``: the nonce of a valid device cookie for this name, which
    is then counted instead of the name) and against ``client`` (the client's address). An attempt
    while the name or device waits is refused without being counted, even with the right password.
    """
    now = now or utcnow()
    too_long = len(password) > MAX_PASSWORD_LENGTH  # never truncated: a longer one is simply wrong
    if too_long:
        password = password[:MAX_PASSWORD_LENGTH]  # bounds the hash's work; checked against the dummy
    user = get_user(engine, name) if NAME_RE.match(name or "") else None
    subject, policy = ((throttle.device_key(device), throttle.DEVICE) if device else
                       (throttle.account_key(name, known=user is not None), throttle.ACCOUNT))
    waiting = throttle.wait_seconds(engine, subject, now) > 0
    pw_hash = _DUMMY_HASH if waiting or too_long else _password_hash(engine, user)
    ok = _verify(pw_hash, password) and pw_hash is not _DUMMY_HASH
    if client is not None and not ok:
        throttle.record_failure(engine, throttle.client_key(client), throttle.CLIENT, now)
    if waiting:
        return LoginResult(False, "throttled", user, throttle.wait_seconds(engine, subject, now))
    if not ok:
        failures = throttle.record_failure(engine, subject, policy, now)
        reason = ("unknown" if user is None else "inactive" if not user.active
                  else "no_password" if not user.has_password else "bad_password")
        return LoginResult(False, reason, user, policy.wait_after(failures))
    throttle.clear(engine, subject)
    if _hasher.check_needs_rehash(pw_hash):
        with engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user.id).values(password_hash=_hasher.hash(password)))
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
