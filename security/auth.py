"""Authentication, the request gate, and the Flask routes of the security package.

Modes (``LAGESBILD_AUTH``):

- ``local``: ``/login`` (plain HTML form, CSRF token, argon2, throttled per client and per account
  with backoff, see :mod:`security.throttle`); a ``__Host-`` session cookie (``Secure``,
  ``HttpOnly``, ``SameSite=Strict``, ``Path=/``) holding the token of a server-side session
  (:mod:`security.sessions`), checked on every request: idle timeout
  ``LAGESBILD_SESSION_IDLE_MINUTES`` (30), absolute lifetime ``LAGESBILD_SESSION_MINUTES`` (480);
  logout, a password change and deactivation end every session of the user.
- ``header``: the user name in ``LAGESBILD_AUTH_HEADER`` (``X-Remote-User``), believed only from a
  proxy that proves itself: the shared secret ``LAGESBILD_HEADER_SECRET`` in
  ``LAGESBILD_HEADER_SECRET_HEADER`` (constant-time compare) and/or a TCP peer in an explicitly set
  ``LAGESBILD_TRUSTED_PROXIES`` (never ``X-Forwarded-For``; loopback only with the secret); without
  either the app refuses to start. The account must exist and be active.
- ``none``: demo; everyone is ``demo`` (admin); the page shows the demo banner.

The gate (first ``before_request``) refuses every route except ``/login``, ``/logout``,
``/healthz`` and ``/csp-report`` to the unauthenticated: page loads are redirected to the login
page, everything else (Dash's ``/_dash-*`` endpoints, assets, component suites) gets 401 JSON.
``/admin/*`` is for role admin. ``POST /_dash-update-component`` must name a registered callback,
carry the CSRF header, pass :func:`security.access.check_callback`, and is written to the audit log
before it runs.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from math import ceil
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, g, jsonify, redirect, request, session

from config import settings
from security import audit, csrf, pages, throttle
from security.access import DEMO, Principal, check_callback
from security.users import active_principal, verify_login
from texts import t

log = logging.getLogger("lagesbild.auth")

PUBLIC_PATHS = frozenset({"/login", "/logout", "/healthz", "/csp-report"})
PROBE_PATHS = frozenset({"/healthz", "/csp-report"})
DASH_UPDATE = "/_dash-update-component"
NON_PAGE_PREFIXES = ("/_dash-", "/assets/", "/_favicon", "/_reload", "/static/", "/admin/api")
#: the audit log's user for a failed login with a name that is no account (the name may be a password)
UNKNOWN_USER = "?okänd"


@dataclass(frozen=True)
class Hooks:
    """What the gate needs of the app level, given as values by the composition (``server``), so
    that this package imports nothing above it."""

    #: whether the database answers now (a page load is answered "unavailable" when it does not)
    database_ok: Callable[[], bool]
    #: the 503 answer when the database does not answer (given the exception)
    database_unavailable: Callable[[Exception], Response]
    #: one log line per request: ``(method, path, status, started, user, remote, request_id)``
    log_request: Callable[[str, str, int, float, str | None, str | None, str], None]


def _engine():
    from services.context import engine

    return engine()


# --------------------------------------------------------------------------- who is asking


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    nets = []
    for p in proxies:
        try:
            nets.append(ipaddress.ip_network(p, strict=False))
        except ValueError:
            log.warning("LAGESBILD_TRUSTED_PROXIES: '%s' is not an address or network; ignored", p)
    return tuple(nets)


def from_trusted_proxy(addr: str | None) -> bool:
    if not addr:
        return False
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in net for net in _networks(settings().trusted_proxies))


def client_ip() -> str | None:
    """The client's address: the TCP peer, or the last ``X-Forwarded-For`` hop when the peer is
    a trusted proxy (for logs and the audit trail only; never used to authenticate)."""
    peer = request.remote_addr
    fwd = request.headers.get("X-Forwarded-For")
    if fwd and from_trusted_proxy(peer):
        return fwd.split(",")[-1].strip()[:64] or peer
    return peer


SESSION_KEYS = ("sid", "csrf")


def _session_principal() -> Principal | None:
    """The principal of the request's server-side session (checked on every request: a session
    ended by logout, password change or deactivation, idle too long or too old is refused)."""
    from security import sessions

    sid = session.get("sid")
    if not isinstance(sid, str):
        return None
    s = settings()
    name = sessions.check(_engine(), sid, s.session_idle_minutes, s.session_minutes)
    p = active_principal(_engine(), name) if name is not None else None
    if p is None:
        for k in SESSION_KEYS:
            session.pop(k, None)
    return p


def _header_principal() -> Principal | None:
    """The proxy's user, believed only from a proxy that proves itself: the shared secret header
    (``LAGESBILD_HEADER_SECRET``, compared in constant time) and/or a peer address in an explicit
    ``LAGESBILD_TRUSTED_PROXIES``. Misconfigured header mode believes nobody."""
    from security import header_mode_problem

    s = settings()
    name = request.headers.get(s.auth_header)
    if not name:
        return None
    problem = header_mode_problem(s)
    if problem:
        log.error("header mode refused: %s", problem, extra={"event": "header_mode_misconfigured"})
        return None
    if s.trusted_proxies_set or not s.header_secret:
        if not from_trusted_proxy(request.remote_addr):
            log.warning("%s from an untrusted address ignored", s.auth_header,
                        extra={"event": "untrusted_auth_header", "remote": request.remote_addr})
            return None
    if s.header_secret:
        sent = request.headers.get(s.header_secret_header, "")
        if not hmac.compare_digest(sent.encode("utf-8", "replace"), s.header_secret.encode("utf-8")):
            log.warning("%s without the proxy secret ignored", s.auth_header,
                        extra={"event": "untrusted_auth_header", "remote": request.remote_addr})
            return None
    p = active_principal(_engine(), name.strip())
    if p is None:
        log.warning("proxy user '%s' has no active account", name[:128],
                    extra={"event": "unknown_proxy_user", "remote": request.remote_addr})
    return p


def authenticate() -> Principal | None:
    mode = settings().auth
    if mode == "none":
        return DEMO
    if mode == "local":
        return _session_principal()
    return _header_principal()


# --------------------------------------------------------------------------- responses


def _json_error(status: int, error: str, message: str, fields: dict | None = None, **extra) -> Response:
    """``{"error", "message_sv", "message_en", **extra}``: the catalogue's text ``message`` (its
    ``fields`` filled in) in both languages."""
    fields = fields or {}
    resp = jsonify({"error": error, "message_sv": t(message, "sv", **fields),
                    "message_en": t(message, "en", **fields), **extra})
    resp.status_code = status
    return resp


def _message_page(title: str, message: str, status: int) -> Response:
    """A small page with the catalogue's ``title`` and ``message``, in the pages' language."""
    return _html(pages.message_page(t(title, pages.LANG), t(message, pages.LANG)), status)


def _html(body: str, status: int = 200) -> Response:
    resp = Response(body, status=status, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = pages.PAGE_CSP
    return resp


def _is_page_request() -> bool:
    return (request.method in ("GET", "HEAD") and not request.path.startswith(NON_PAGE_PREFIXES)
            and request.accept_mimetypes.accept_html)


def safe_next(value: str | None) -> str:
    """A local path to return to after login (anything else becomes ``/``)."""
    if not value or not isinstance(value, str) or len(value) > 2000:
        return "/"
    parts = urlsplit(value)
    if (parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//")
            or "\\" in value or any(ord(c) < 32 for c in value)):
        return "/"
    if parts.path in ("/login", "/logout"):
        return "/"
    return value


def _refuse_unauthenticated() -> Response:
    mode = settings().auth
    if _is_page_request():
        if mode == "local":
            nxt = request.full_path.rstrip("?") if request.query_string else request.path
            return redirect("/login?" + urlencode({"next": safe_next(nxt)}), 302)
        return _message_page("page.gate.denied", "page.gate.proxy_only", 401)
    return _json_error(401, "unauthenticated", "page.gate.unauthenticated",
                       **({"login": "/login"} if mode == "local" else {}))


def _forbidden(reason: str) -> Response:
    return _json_error(403, "forbidden", "page.gate.forbidden", reason=reason)


# --------------------------------------------------------------------------- the gate


def make_gate(dash_app, hooks: Hooks):
    def gate():
        g.request_id = (request.headers.get("X-Request-ID", "")[:64]
                        if from_trusted_proxy(request.remote_addr) else "") or secrets.token_hex(8)
        g.t0 = time.perf_counter()
        path = request.path
        if path in PROBE_PATHS:  # answered without looking at sessions or accounts
            g.principal = None
            return None
        g.principal = authenticate()
        if path in PUBLIC_PATHS:
            return None
        if g.principal is None:
            return _refuse_unauthenticated()
        if _is_page_request() and not hooks.database_ok():  # the page says so, and retries by itself
            return hooks.database_unavailable(RuntimeError("database not answering"))
        mode = settings().auth
        if path.startswith("/admin") and not g.principal.is_admin:
            if mode != "none":
                audit.record("denied", layer="admin", detail={"path": path[:200]})
            return _forbidden("admin only")
        if path == DASH_UPDATE and request.method == "POST":
            return _guard_callback(dash_app)
        if request.method not in ("GET", "HEAD", "OPTIONS") and mode != "none" and not csrf.same_origin():
            audit.record("denied", layer="origin", detail={"path": path[:200], "reason": "cross-origin request"})
            return _forbidden("cross-origin request")
        return None

    return gate


def _guard_callback(dash_app) -> Response | None:
    mode = settings().auth
    principal: Principal = g.principal
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return _json_error(400, "bad_request", "page.gate.malformed_callback")
    dash_app._setup_server()  # noqa: SLF001 - moves dash.callback registrations into callback_map
    if body["output"] not in dash_app.callback_map:
        return _json_error(400, "unknown_callback", "page.gate.unknown_callback")
    if mode != "none" and not (csrf.same_origin() and csrf.check_callback_token(principal.name)):
        audit.record("denied", layer="csrf", detail={"output": body["output"][:200],
                                                     "reason": "csrf token or origin"})
        return _json_error(403, "csrf", "page.gate.csrf")
    decision = check_callback(principal, body)
    ctx = audit.callback_context(body)
    if not decision.allowed:
        audit.record("denied", area_id=ctx["area_id"], period=ctx["period"], layer=ctx["layer"],
                     detail={"outputs": ctx["outputs"], "reason": decision.reason})
        return _forbidden(decision.reason)
    if mode != "none":
        audit.record("view", area_id=ctx["area_id"], period=ctx["period"], layer=ctx["layer"],
                     detail={"outputs": ctx["outputs"]})
    return None


def make_after(hooks: Hooks):
    from security import headers

    def after(response: Response) -> Response:
        principal = g.get("principal")
        mode = settings().auth
        if (mode != "none" and principal is not None and response.status_code == 200
                and response.mimetype == "text/html"
                and "Content-Security-Policy" not in response.headers):  # the Dash page itself
            token = csrf.callback_token(principal.name)
            if token and request.cookies.get(csrf.COOKIE) != token:
                csrf.set_cookie(response, token)
        headers.apply(response)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if "t0" in g:
            hooks.log_request(request.method, request.path, response.status_code, g.t0,
                        principal.name if principal else None, client_ip(), g.get("request_id", ""))
        return response

    return after


# --------------------------------------------------------------------------- routes


def login():
    mode = settings().auth
    if mode == "none":
        return redirect("/", 302)
    if mode != "local":
        return _message_page("page.login.proxy_title", "page.login.via_proxy", 404)
    nxt = safe_next(request.values.get("next"))
    if request.method == "GET":
        if g.get("principal") is not None:
            return redirect(nxt, 302)
        return _html(pages.login_page(csrf.form_token(), nxt))
    if not (csrf.same_origin() and csrf.check_form_token()):
        session.pop("fcsrf", None)
        return _html(pages.login_page(csrf.form_token(), nxt, t("page.login.form_expired", pages.LANG)), 400)
    name = (request.form.get("username") or "").strip()[:128]
    password = request.form.get("password") or ""
    remote = client_ip()
    engine, now = _engine(), throttle.clock()
    wait = throttle.wait_seconds(engine, throttle.client_key(remote), now)
    if wait > 0:  # this address failed too often: refused at once (tells nothing about accounts)
        audit.record("login_failed", user=UNKNOWN_USER, detail={"reason": "client_throttled", "remote": remote})
        log.warning("login refused: client throttled", extra={"event": "login_throttled", "remote": remote})
        resp = _html(pages.login_page(csrf.form_token(), nxt, _throttled_message(ceil(wait)), username=name), 429)
        resp.headers["Retry-After"] = str(ceil(wait))
        return resp
    device = throttle.device_nonce(request.cookies.get(throttle.DEVICE_COOKIE), name)
    result = verify_login(engine, name, password, now=now, client=remote, device=device)
    if not result.ok:
        # the name typed is stored only when it is an account's name: anything else may be a password
        who = result.user.name if result.user is not None else UNKNOWN_USER
        detail = {"reason": result.reason, "remote": remote, "device": bool(device)}
        if result.user is None:
            detail["name_hmac"] = throttle.name_digest(name)
        audit.record("login_failed", user=who, detail=detail)
        if result.wait_s and result.reason != "throttled":
            audit.record("login_throttled", user=who, detail={"seconds": result.wait_s, "remote": remote})
        log.warning("login failed", extra={"event": "login_failed", "user": who, "reason": result.reason,
                                           "remote": remote})
        return _html(pages.login_page(csrf.form_token(), nxt, t("page.login.failed", pages.LANG), username=name), 401)
    from security import sessions

    audit.record("login", user=name, detail={"remote": remote})  # no audit row, no session
    session.clear()  # a fresh session: nothing from before the login survives
    session.permanent = True
    session["sid"] = sessions.create(_engine(), result.user.name, remote)
    session["csrf"] = csrf.new_token()
    g.principal = result.user.principal()
    resp = redirect(nxt, 303)
    csrf.set_cookie(resp, session["csrf"])
    # this browser is now a known device of the account: failures elsewhere do not slow it down
    resp.set_cookie(throttle.DEVICE_COOKIE, throttle.device_cookie(result.user.name),
                    max_age=throttle.DEVICE_DAYS * 86400, secure=True, httponly=True, samesite="Strict", path="/")
    return resp


def _throttled_message(seconds: int) -> str:
    """The refusal of a throttled client address (wait ``seconds``), in the pages' language."""
    wait = (t("page.login.seconds.one", pages.LANG) if seconds == 1
            else t("page.login.seconds.other", pages.LANG, n=seconds))
    return t("page.login.client_throttled", pages.LANG, wait=wait)


def logout():
    mode = settings().auth
    if mode != "local":
        return redirect("/", 302) if mode == "none" else _message_page("page.logout.heading", "page.logout.via_proxy", 404)
    principal = g.get("principal")
    if request.method == "GET":
        if principal is None:
            return redirect("/login", 302)
        return _html(pages.logout_page(csrf.form_token(), principal.name))
    if principal is not None and not (csrf.same_origin() and csrf.check_form_token()):
        return redirect("/logout", 303)
    if principal is not None:
        from security import sessions

        ended = sessions.end_all(_engine(), principal.name, "logout")  # every session of the user
        audit.record("logout", user=principal.name, detail={"sessions_ended": ended})
    session.clear()
    resp = redirect("/login", 303)
    resp.delete_cookie(csrf.COOKIE, path="/", secure=True, samesite="Strict")
    return resp


def admin_audit():
    principal = g.get("principal")
    if principal is None or not principal.is_admin:
        return _forbidden("admin only")
    filters = {k: (request.args.get(k) or "").strip()[:128] for k in ("user", "action", "since")}
    try:
        since = audit.parse_since(filters["since"]) if filters["since"] else None
    except ValueError as exc:
        return _html(pages.message_page(t("page.audit_log.heading", pages.LANG), str(exc)), 400)
    limit = 500
    rows = audit.query(_engine(), since=since, user=filters["user"] or None,
                       action=filters["action"] or None, limit=limit)
    audit.record("audit_view", detail={k: v for k, v in filters.items() if v})
    return _html(pages.audit_page(rows, filters, limit))


_csp_lock = threading.Lock()
_csp_window = [0.0, 0]
CSP_REPORTS_PER_MINUTE = 60


def csp_report():
    """Browsers POST CSP violations here (``report-uri``): logged, rate-limited, never stored."""
    if (request.content_length or 0) > 16384:
        return "", 413
    now = time.monotonic()
    with _csp_lock:
        if now - _csp_window[0] > 60:
            _csp_window[0], _csp_window[1] = now, 0
        _csp_window[1] += 1
        over = _csp_window[1] > CSP_REPORTS_PER_MINUTE
    if not over:
        raw = request.get_data(cache=False)[:16384]
        try:
            report = json.loads(raw or b"null")
        except ValueError:
            report = raw.decode("utf-8", "replace")[:2000]
        log.warning("csp violation", extra={"event": "csp_violation", "report": report,
                                            "remote": request.remote_addr})
    return "", 204


def audit_unavailable(exc: Exception) -> Response:
    """A request whose audit row cannot be written is refused (brottsdatalagen: no unlogged access)."""
    log.error("request refused: audit log not writable", extra={"event": "audit_unavailable", "path": request.path})
    if _is_page_request():
        resp = _message_page("page.gate.unavailable", "page.gate.audit_unavailable", 503)
    else:
        resp = _json_error(503, "audit_unavailable", "page.gate.audit_unavailable")
    resp.headers["Retry-After"] = "5"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def bad_request(exc: Exception) -> Response:
    """Invalid input in a request (an unknown region, a period that is no period …): 400 with the
    reason, never a 500."""
    message = str(exc)[:500]
    log.info("bad request: %s", message, extra={"event": "bad_request", "path": request.path})
    return _json_error(400, "bad_request", "page.gate.bad_request", {"message": message})


def not_permitted(exc: Exception):
    """A feature refused the principal (e.g. a kommun-tier account saving notes): 403, audited.
    An operating system's permission error (it has an errno) is an internal error, not a refusal."""
    if getattr(exc, "errno", None) is not None:
        log.error("permission error: %s", type(exc).__name__, extra={"event": "os_permission_error"})
        return _json_error(500, "internal_error", "page.gate.internal_error")
    audit.record("denied", layer="feature", detail={"path": request.path[:200], "reason": str(exc)[:200]})
    return _forbidden(str(exc)[:200])


def install(server: Flask, dash_app, hooks: Hooks) -> None:
    from geodata.errors import InputError

    server.register_error_handler(audit.AuditUnavailable, audit_unavailable)
    server.register_error_handler(InputError, bad_request)
    server.register_error_handler(PermissionError, not_permitted)
    server.add_url_rule("/login", "lagesbild_login", login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "lagesbild_logout", logout, methods=["GET", "POST"])
    server.add_url_rule("/admin/audit", "lagesbild_admin_audit", admin_audit, methods=["GET"])
    server.add_url_rule("/csp-report", "lagesbild_csp_report", csp_report, methods=["POST"])
    # first: nothing of Dash's runs for a request the gate refuses
    server.before_request_funcs.setdefault(None, []).insert(0, make_gate(dash_app, hooks))
    server.after_request(make_after(hooks))
