"""Server-side sessions (issue 12, item 3): a copied session cookie is worthless after logout, a
password change, deactivation, the idle timeout or the absolute lifetime — on the page layout and on
callbacks alike. Time is moved with a settable clock (``security.sessions.clock``), never slept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from testing.harness import (
    TEST_SECRET,
    callback_body,
    configured,
    copy_sqlite,
    flask_login,
    layout_values,
)

PASSWORD = "correct horse battery staple"
COOKIE = "__Host-lagesbild_session"


@pytest.fixture(scope="module")
def store(demo_db_path, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("sessions") / "s.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    for name in ("anna", "bo", "cecilia", "david", "erik"):
        create_user(engine, name, "områdespolis", password=PASSWORD)
    yield path, engine
    engine.dispose()


@pytest.fixture
def app(store, data_dir):
    path, engine = store
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None, "LAGESBILD_SESSION_IDLE_MINUTES": None,
                     "LAGESBILD_SESSION_MINUTES": None}):
        from app import app

        yield app, engine


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: ``clock.advance(minutes=…)``."""
    from security import sessions
    from security.users import utcnow

    class Clock:
        now = utcnow()

        def __call__(self):
            return self.now

        def advance(self, **kw):
            self.now += timedelta(**kw)

    c = Clock()
    monkeypatch.setattr(sessions, "clock", c)
    return c


def logged_in(app, name: str):
    """A test client logged in as ``name`` that has loaded the page (so it holds the CSRF cookie)."""
    c = app.server.test_client()
    assert flask_login(c, name, PASSWORD).status_code == 303
    assert c.get("/", headers={"Accept": "text/html"}).status_code == 200
    return c


def stolen(app, victim) -> object:
    """Another client holding a copy of the victim's cookies (as an attacker who copied them)."""
    thief = app.server.test_client()
    for name in (COOKIE, "_csrf_token"):
        thief.set_cookie(name, victim.get_cookie(name).value)
    return thief


def callback(app, client) -> int:
    """Status of one ordinary callback POST (the list-year control) made with ``client``."""
    deps = client.get("/_dash-dependencies")
    if deps.status_code != 200:
        return deps.status_code
    values = layout_values(client.get("/_dash-layout").get_json())
    dep = next(d for d in deps.get_json() if any(i["id"] == "list-year" for i in d["inputs"]))
    token = client.get_cookie("_csrf_token").value
    return client.post("/_dash-update-component", json=callback_body(dep, values, ["list-year.value"]),
                       headers={"X-CSRFToken": token}).status_code


def test_the_session_cookie_is_a_host_cookie(app):
    app, _ = app
    c = app.server.test_client()
    r = flask_login(c, "anna", PASSWORD)
    cookie = next(x for x in r.headers.getlist("Set-Cookie") if x.startswith(COOKIE + "="))
    attrs = [a.strip().lower() for a in cookie.split(";")[1:]]
    assert "secure" in attrs and "path=/" in attrs and "httponly" in attrs and "samesite=strict" in attrs
    assert not any(a.startswith("domain") for a in attrs)


def test_a_cookie_reused_after_logout_is_refused(app):
    import re

    app, _ = app
    victim = logged_in(app, "bo")
    other_device = logged_in(app, "bo")
    thief = stolen(app, victim)  # cookies copied while the victim is logged in
    assert thief.get("/_dash-layout").status_code == 200 and callback(app, thief) == 200
    form = victim.get("/logout").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert victim.post("/logout", data={"csrf_token": token}).status_code == 303
    assert victim.get("/_dash-layout").status_code == 401
    # the copy is refused on the layout and on a callback POST (with the copied CSRF token)
    assert thief.get("/_dash-layout").status_code == 401
    replay = stolen(app, thief) if thief.get_cookie(COOKIE) else None
    assert callback(app, thief) == 401
    assert replay is None or replay.get("/_dash-layout").status_code == 401
    # logout ends every session of the user, also the one on another device
    assert other_device.get("/_dash-layout").status_code == 401


def test_a_password_change_and_deactivation_end_every_session(app):
    import cli

    app, engine = app
    a1, a2 = logged_in(app, "cecilia"), logged_in(app, "cecilia")
    assert a1.get("/_dash-layout").status_code == 200 and a2.get("/_dash-layout").status_code == 200
    from security.users import set_password

    set_password(engine, "cecilia", "another long passphrase")
    assert a1.get("/_dash-layout").status_code == 401 and a2.get("/_dash-layout").status_code == 401
    d = logged_in(app, "david")
    thief = stolen(app, d)
    assert callback(app, thief) == 200
    assert cli.main(["user", "disable", "david"]) == 0
    try:
        assert d.get("/_dash-layout").status_code == 401
        assert callback(app, thief) == 401
        # enabling again does not revive the old sessions
        assert cli.main(["user", "enable", "david"]) == 0
        assert thief.get("/_dash-layout").status_code == 401
    finally:
        cli.main(["user", "enable", "david"])


def test_idle_timeout_and_absolute_lifetime(app, clock):
    app, _ = app
    c = logged_in(app, "erik")
    clock.advance(minutes=29)
    assert c.get("/_dash-layout").status_code == 200  # used: the idle time starts again
    clock.advance(minutes=29)
    assert c.get("/_dash-layout").status_code == 200 and callback(app, c) == 200
    clock.advance(minutes=31)  # 31 minutes without a request
    assert c.get("/_dash-layout").status_code == 401
    assert callback(app, c) == 401
    # absolute: busy all day, still ends 480 minutes after login
    c = logged_in(app, "erik")
    for _ in range(23):
        clock.advance(minutes=20)
        assert c.get("/_dash-layout").status_code == 200
    clock.advance(minutes=21)  # 481 minutes after login
    assert c.get("/_dash-layout").status_code == 401


def test_the_idle_timeout_is_configurable(store, data_dir, clock):
    path, _ = store
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None, "LAGESBILD_SESSION_IDLE_MINUTES": "5"}):
        from app import app

        c = logged_in(app, "anna")
        clock.advance(minutes=4)
        assert c.get("/_dash-layout").status_code == 200
        clock.advance(minutes=6)
        assert c.get("/_dash-layout").status_code == 401
