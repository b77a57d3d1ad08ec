"""Content-Security-Policy and the other security headers, on every response.

The Dash page's CSP allows scripts only from this origin plus the SHA-256 of each inline
``<script>`` block the served HTML actually contains (Dash's renderer bootstrap ``var renderer = new
DashRenderer();`` and any inline clientside callbacks); the hashes are computed from the response
body itself, so they follow Dash upgrades. ``<script type="application/json">`` (Dash's config) is
data, not script, and needs no hash. No ``'unsafe-inline'`` and no ``'unsafe-eval'`` for scripts.

Styles need ``'unsafe-inline'``: React sets ``style`` attributes, and Leaflet, react-select/
Radix and plotly inject ``<style>`` elements at run time; the risk of inline *styles* (CSS-based
exfiltration of text on the page) is small next to inline scripts and needs an HTML injection
first, which React's escaping prevents. Images: ``data:`` and ``blob:`` (Leaflet icons, plotly's
PNG export). With ``LAGESBILD_TILE_URL`` set, its origin is added to ``img-src``: that is the only
configured way to name another origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Response, request

from config import settings

_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_DATA_TYPE_RE = re.compile(r"""type\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_SRC_RE = re.compile(r"\bsrc\s*=", re.I)

#: paths served with long-lived, fingerprinted or static content: may be cached (privately)
CACHEABLE_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")


def inline_script_hashes(html_text: str) -> list[str]:
    """CSP source expressions (``'sha256-…'``) of the executable inline scripts in ``html_text``
    (not those inside HTML comments, not data blocks, not ``src=`` scripts)."""
    stripped = _COMMENT_RE.sub("", html_text)
    out = []
    for m in _SCRIPT_RE.finditer(stripped):
        attrs = m.group("attrs")
        if _SRC_RE.search(attrs) or _DATA_TYPE_RE.search(attrs):
            continue
        digest = base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode()
        expr = f"'sha256-{digest}'"
        if expr not in out:
            out.append(expr)
    return out


@lru_cache(maxsize=4)
def _tile_source(tile_url: str | None) -> str:
    if not tile_url:
        return ""
    parts = urlsplit(tile_url.replace("{s}", "tiles"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = parts.netloc.replace("tiles.", "*.", 1) if "{s}." in tile_url else parts.netloc
    return f" {parts.scheme}://{host}"


def page_csp(script_hashes: list[str]) -> str:
    """The CSP of the Dash page (see module docstring for every exception)."""
    tile = _tile_source(settings().tile_url)
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes) if script_hashes else "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob:{tile}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "report-uri /csp-report",
    ]
    return "; ".join(directives)


#: responses that are not HTML documents: nothing may run or be framed
NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # never to another origin; our POSTs keep a real Origin
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()",
}


def apply(response: Response) -> Response:
    """after_request: CSP, the static headers, and caching rules (pages that set their own CSP,
    like ``security.pages``, keep it)."""
    for k, v in STATIC_HEADERS.items():
        response.headers.setdefault(k, v)
    if "Content-Security-Policy" not in response.headers:
        if response.mimetype == "text/html" and not response.is_streamed:
            hashes = inline_script_hashes(response.get_data(as_text=True))
            response.headers["Content-Security-Policy"] = page_csp(hashes)
        else:
            response.headers["Content-Security-Policy"] = NON_HTML_CSP
    path = request.path
    if path.startswith(CACHEABLE_PREFIXES) and response.status_code in (200, 304):
        cc = response.headers.get("Cache-Control", "")
        if "private" not in cc and "no-store" not in cc:
            response.headers["Cache-Control"] = ", ".join(x for x in ("private", cc) if x)
    else:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
