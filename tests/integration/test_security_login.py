"""Login throttling (issue 12, item 4): one argon2 verification in every case (unknown name, wrong
password, account waiting after failures, inactive account, account without a password), backoff
instead of a hard lock, a trusted device that an attacker cannot keep out, a per-client limit.

Timing is checked on the code path (how many hash verifications a login attempt runs), not on the
wall clock; time moves with a settable clock (``security.throttle.clock``)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from testing.harness import TEST_SECRET, configured, copy_sqlite

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def store(demo_db_path, tmp_path_factory):
    from security.users import create_user, set_active
    from store.engine import make_engine

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("login") / "l.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    for name in ("anna", "bo", "cecilia", "dora"):
        create_user(engine, name, "områdespolis", password=PASSWORD)
    create_user(engine, "gone", "områdespolis", password=PASSWORD)
    set_active(engine, "gone", False)
    create_user(engine, "proxyonly", "uppföljning")
    yield path, engine
    engine.dispose()


@pytest.fixture
def app(store, data_dir):
    from store.schema import login_throttle

    path, engine = store
    with engine.begin() as conn:
        conn.execute(delete(login_throttle))
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None}):
        from app import app

        yield app, engine


@pytest.fixture
def clock(monkeypatch):
    from security import throttle
    from security.users import utcnow

    class Clock:
        now = utcnow()

        def __call__(self):
            return self.now

        def advance(self, **kw):
            self.now += timedelta(**kw)

    c = Clock()
    monkeypatch.setattr(throttle, "clock", c)
    return c


@pytest.fixture
def verifications(monkeypatch):
    """Counts argon2 verifications (the expensive step whose presence decides the answer time)."""
    from security import users

    class Counting:
        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def verify(self, *a, **kw):
            self.calls += 1
            return self.inner.verify(*a, **kw)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    counting = Counting(users._hasher)
    monkeypatch.setattr(users, "_hasher", counting)
    return counting


def attempt(app, name: str, password: str, addr: str = "10.1.1.1", client=None):
    c = client or app.server.test_client()
    page = c.get("/login", environ_base={"REMOTE_ADDR": addr}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = c.post("/login", data={"username": name, "password": password, "csrf_token": token, "next": "/"},
               environ_base={"REMOTE_ADDR": addr})
    return r


def answer(r, name: str) -> tuple[int, str]:
    """Status and page with the typed name (shown back in the form) and the form token taken out."""
    body = r.get_data(as_text=True).replace(f'name="username" value="{name}"', 'name="username" value="NAME"')
    return r.status_code, re.sub(r'name="csrf_token" value="[^"]+"', "", body)


def test_one_hash_verification_and_the_same_answer_in_every_case(app, clock, verifications):
    app, _ = app
    for i in range(5):  # anna waits after 5 failures
        attempt(app, "anna", f"wrong {i}", addr=f"10.2.0.{i}")
    cases = {
        "unknown": ("nobody-here", PASSWORD),
        "wrong password": ("bo", "not the password"),
        "waiting after failures, right password": ("anna", PASSWORD),
        "inactive": ("gone", PASSWORD),
        "no password (proxy only)": ("proxyonly", PASSWORD),
    }
    answers = {}
    for case, (name, password) in cases.items():
        before = verifications.calls
        r = attempt(app, name, password, addr="10.3.3.3")
        assert verifications.calls - before == 1, case
        answers[case] = answer(r, name)
    assert len(set(answers.values())) == 1, answers  # one status and page for all of them
    assert answers["unknown"][0] == 401
    before = verifications.calls
    assert attempt(app, "bo", PASSWORD, addr="10.3.3.4").status_code == 303
    assert verifications.calls - before == 1


def test_backoff_not_a_hard_lock(app, clock):
    from security import throttle

    app, engine = app
    for i in range(5):
        assert attempt(app, "cecilia", f"wrong {i}", addr=f"10.4.0.{i}").status_code == 401
    # after the 5th failure the account waits a second: even the right password is refused ...
    assert attempt(app, "cecilia", PASSWORD, addr="10.4.1.1").status_code == 401
    clock.advance(seconds=2)
    # ... and not a quarter of an hour: two seconds later it works
    assert attempt(app, "cecilia", PASSWORD, addr="10.4.1.1").status_code == 303
    # the wait doubles with each further failure and stops at the cap
    waits = []
    for i in range(25):
        attempt(app, "cecilia", f"wrong again {i}", addr=f"10.5.{i}.1")
        waits.append(throttle.wait_seconds(engine, "acct:cecilia", clock()))
        clock.advance(seconds=waits[-1] + 1)
    assert waits[:6] == [0, 0, 0, 0, 1, 2]
    assert max(waits) == throttle.ACCOUNT.cap_s == 900
    # attempts made while waiting do not lengthen the wait
    attempt(app, "cecilia", "x", addr="10.6.0.1")
    w = throttle.wait_seconds(engine, "acct:cecilia", clock())
    for i in range(10):
        attempt(app, "cecilia", f"hammer {i}", addr=f"10.6.1.{i}")
    assert throttle.wait_seconds(engine, "acct:cecilia", clock()) <= w


def test_an_attacker_cannot_keep_a_user_out_of_her_own_browser(app, clock):
    app, _ = app
    first = app.server.test_client()
    assert attempt(app, "dora", PASSWORD, addr="10.7.0.1", client=first).status_code == 303
    device = first.get_cookie("__Host-lagesbild_device")
    assert device is not None and device.http_only and device.secure

    def own():  # dora's browser after she logged out: only the device cookie is left
        c = app.server.test_client()
        c.set_cookie("__Host-lagesbild_device", device.value)
        return c

    # a distributed attacker (a new address for every guess) keeps the account name waiting
    for i in range(40):
        attempt(app, "dora", f"guess {i}", addr=f"10.8.{i}.9")
        clock.advance(seconds=30)
    assert attempt(app, "dora", PASSWORD, addr="10.8.99.9").status_code == 401  # a new browser waits
    # dora's own browser is throttled on its own key: she gets in at once
    assert attempt(app, "dora", PASSWORD, addr="10.7.0.1", client=own()).status_code == 303
    # a device cookie is bound to its account: it does not lift the wait of another name
    for i in range(5):
        attempt(app, "cecilia", f"wrong {i}", addr=f"10.7.1.{i}")
    assert attempt(app, "cecilia", PASSWORD, addr="10.7.0.1", client=own()).status_code == 401


def test_one_client_cannot_guess_fast(app, clock, verifications):
    from security import throttle

    app, _ = app
    statuses = [attempt(app, f"user{i}", "guess", addr="10.9.9.9").status_code for i in range(30)]
    assert statuses[:throttle.CLIENT.free] == [401] * throttle.CLIENT.free
    assert set(statuses[throttle.CLIENT.free + 1:]) == {429}
    before = verifications.calls
    r = attempt(app, "anna", PASSWORD, addr="10.9.9.9")  # even the right password
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert verifications.calls == before  # refused without a hash: the answer says nothing about names
    assert attempt(app, "anna", PASSWORD, addr="10.9.9.10").status_code == 303  # other clients go on


def test_failed_logins_store_no_typed_text(app, clock):
    from security.audit import query
    from store.schema import audit_log, login_throttle

    app, engine = app
    typed = "Hemligt-Lösen0rd!"  # a password typed into the name field
    assert attempt(app, typed, "whatever", addr="10.10.0.1").status_code == 401
    with engine.connect() as conn:
        rows = [tuple(map(str, r)) for r in conn.execute(select(audit_log))]
        keys = [r[0] for r in conn.execute(select(login_throttle.c.key))]
    assert not any(typed in cell or typed.casefold() in cell.casefold() for r in rows for cell in r)
    assert not any(typed.casefold() in k.casefold() for k in keys)
    row = query(engine, action="login_failed", limit=1)[0]
    assert row["user"] == "?okänd" and '"name_hmac"' in row["detail"] and '"reason": "unknown"' in row["detail"]
    # a real account's name is kept (it names who was attacked)
    attempt(app, "bo", "wrong", addr="10.10.0.2")
    assert query(engine, action="login_failed", limit=1)[0]["user"] == "bo"


def test_password_length_limits_without_truncation(app, clock):
    """ASVS 2.1.2/2.1.3: 64 characters and more are allowed, more than 128 refused; a login password
    is never cut short (the right password followed by more text is wrong)."""
    from security.users import create_user, validate_password

    app, engine = app
    assert validate_password("å" * 64) and validate_password("x" * 128)
    with pytest.raises(ValueError, match="at most 128"):
        validate_password("x" * 129)
    long_pw = "en lång lösenfras med mellanslag och emoji 🚓 " * 2
    create_user(engine, "lång", "områdespolis", password=long_pw[:120])
    assert attempt(app, "lång", long_pw[:120], addr="10.11.0.1").status_code == 303
    assert attempt(app, "lång", long_pw[:120] + "x" * 20, addr="10.11.0.2").status_code == 401
