"""The gate of the Lägesbild server: login and roles, the request gate, CSRF, CSP and security
headers, the access policy, users, the audit log.

The app-level composition (``server.install_server``, called by ``app.py``) calls :func:`install_gate`
once and gives it the database check and the request logger as values. Everything is configured
from ``config.settings()`` (``LAGESBILD_AUTH``, ``LAGESBILD_SECRET_KEY``,
``LAGESBILD_TRUSTED_PROXIES``, ``LAGESBILD_SESSION_MINUTES``, ``LAGESBILD_AUTH_HEADER``).

Public helpers for the rest of the app:

- :func:`security.access.current_principal` → ``Principal(name, role, kommuner, tier)``
- :func:`security.audit.record` → one row in the audit log
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from config import ConfigError, settings

MIN_SECRET_LENGTH = 32
MAX_REQUEST_BYTES = 16 * 1024 * 1024
#: ``__Host-``: Secure, Path=/, no Domain (browsers keep it on https and on http://localhost/127.0.0.1)
SESSION_COOKIE = "__Host-lagesbild_session"


def check_secret() -> None:
    """Refuse to start with authentication on and no (or a short) ``LAGESBILD_SECRET_KEY``, or in
    header mode without a way for the proxy to prove itself (:func:`header_mode_problem`)."""
    s = settings()
    if s.auth == "none":
        return
    if not s.secret_key:
        raise ConfigError(
            f"LAGESBILD_AUTH={s.auth} needs LAGESBILD_SECRET_KEY in the environment (it signs the "
            "session cookies and CSRF tokens; every worker must share it). Generate one with: "
            "python -c 'import secrets; print(secrets.token_hex(32))'")
    if len(s.secret_key) < MIN_SECRET_LENGTH:
        raise ConfigError(f"LAGESBILD_SECRET_KEY is {len(s.secret_key)} characters: use at least "
                          f"{MIN_SECRET_LENGTH} (python -c 'import secrets; print(secrets.token_hex(32))')")
    check_header_mode()


def header_mode_problem(s=None) -> str | None:
    """Why ``LAGESBILD_AUTH=header`` is not safely configured, or None when it is (or is not used).

    The proxy must prove itself: with ``LAGESBILD_HEADER_SECRET`` (≥ 32 characters, sent by the
    proxy in ``LAGESBILD_HEADER_SECRET_HEADER``), or with an explicit ``LAGESBILD_TRUSTED_PROXIES``
    that names the proxy's addresses and no loopback address (any process on the server could
    connect from there and name itself admin).
    """
    import ipaddress

    s = s or settings()
    if s.auth != "header":
        return None
    if s.header_secret:
        if len(s.header_secret) < MIN_SECRET_LENGTH:
            return (f"LAGESBILD_HEADER_SECRET is {len(s.header_secret)} characters: use at least "
                    f"{MIN_SECRET_LENGTH} (python -c 'import secrets; print(secrets.token_hex(32))')")
        return None
    how = (f"set LAGESBILD_HEADER_SECRET (≥ {MIN_SECRET_LENGTH} characters) and make the proxy send it in "
           f"the {s.header_secret_header} header, or set LAGESBILD_TRUSTED_PROXIES to the proxy's own "
           "addresses (not loopback)")
    if not s.trusted_proxies_set:
        return ("LAGESBILD_AUTH=header believes the user name in " + s.auth_header + " only from a proxy "
                "that proves itself, and none is configured: " + how)
    open_to_all = []
    for p in s.trusted_proxies:
        try:
            net = ipaddress.ip_network(p, strict=False)
        except ValueError:
            return f"LAGESBILD_TRUSTED_PROXIES: '{p}' is not an address or network"
        local = ipaddress.ip_address("127.0.0.1" if net.version == 4 else "::1")
        if local in net or net.prefixlen == 0:
            open_to_all.append(p)
    if open_to_all:
        return (f"LAGESBILD_TRUSTED_PROXIES includes {', '.join(open_to_all)}: any process on this server "
                f"could connect from there and name itself any user. With LAGESBILD_AUTH=header, {how}")
    return None


def check_header_mode() -> None:
    """Refuse to start in header mode without a proxy secret or an explicit proxy list."""
    problem = header_mode_problem()
    if problem:
        raise ConfigError(problem)


def install_gate(app, hooks) -> None:
    """Put the gate on the Dash app's Flask server: the secret key and the session cookie's
    attributes, login, the request gate, CSRF, headers and the error answers (:mod:`security.auth`).

    Called once by the composition (``server.install_server``), which gives the gate what it needs of the
    app level as values in ``hooks`` (:class:`security.auth.Hooks`: the database check, the
    database-unavailable answer, the request logger); this package imports nothing above it.
    Safe in demo mode (``LAGESBILD_AUTH=none``): nobody logs in, the principal is ``demo``, the
    page keeps its demo banner; headers and CSP still apply.
    """
    from security import auth

    check_secret()
    server = app.server
    s = settings()
    server.secret_key = s.secret_key or secrets.token_hex(32)
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_REFRESH_EACH_REQUEST=False,  # expiry counts from login; idle time is checked server-side
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=s.session_minutes),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    auth.install(server, app, hooks)


__all__ = ["install_gate", "check_secret", "check_header_mode", "header_mode_problem"]
