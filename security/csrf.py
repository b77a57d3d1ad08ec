"""CSRF tokens: the login/logout forms (synchroniser token in the session) and Dash callbacks.

Dash's renderer reads the cookie named by ``csrf_token_name`` (``_csrf_token``) and echoes it in
the ``X-CSRFToken`` header of every callback POST. With authentication on, the server issues that
cookie and refuses a callback whose header does not equal the principal's token: in local mode a
random value kept in the signed session, in header mode an HMAC of the user name with the secret
key. The cookie is readable by scripts by design (that is how the renderer gets it); it is
``Secure`` and ``SameSite=Strict`` and worthless without the HttpOnly session it belongs to.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from flask import Response, request, session

from config import settings

COOKIE = "_csrf_token"
HEADER = "X-CSRFToken"
FORM_FIELD = "csrf_token"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def form_token() -> str:
    """The token for forms of the current (possibly anonymous) session."""
    tok = session.get("fcsrf")
    if not tok:
        tok = session["fcsrf"] = new_token()
    return tok


def check_form_token() -> bool:
    expected = session.get("fcsrf")
    sent = request.form.get(FORM_FIELD, "")
    return bool(expected) and isinstance(sent, str) and hmac.compare_digest(sent, expected)


def callback_token(user: str) -> str | None:
    """The token the principal's callbacks must carry (None in demo mode)."""
    s = settings()
    if s.auth == "local":
        return session.get("csrf")
    if s.auth == "header" and s.secret_key:
        return hmac.new(s.secret_key.encode(), f"csrf:{user}".encode(), hashlib.sha256).hexdigest()
    return None


def check_callback_token(user: str) -> bool:
    expected = callback_token(user)
    sent = request.headers.get(HEADER, "")
    return bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, secure=True, httponly=False, samesite="Strict", path="/",
                        max_age=settings().session_minutes * 60)


def same_origin() -> bool:
    """False when the request carries an ``Origin`` (or, lacking it, a ``Referer``) of another
    site. Requests without either (curl, old clients) pass: the token check still applies.

    This site is ``Host``, or ``X-Forwarded-Host`` when a trusted proxy sends it (a proxy that
    rewrites ``Host`` to the upstream address, as nginx does by default, still works)."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin or origin == "null":
        return origin != "null"
    hosts = {request.host.lower()}
    forwarded = request.headers.get("X-Forwarded-Host")
    if forwarded:
        from security.auth import from_trusted_proxy

        if from_trusted_proxy(request.remote_addr):
            hosts.add(forwarded.split(",")[0].strip().lower())
    return urlsplit(origin).netloc.lower() in hosts
