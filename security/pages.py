"""The few pages Flask serves itself: login, logout, the audit view, "database unavailable".

Plain HTML with one inline ``<style>`` (allowed by its SHA-256 in these pages' own CSP), no script,
no external asset. Every value is escaped with :func:`html.escape`. Their words come from the
catalogue (``page.login.*``, ``page.logout.*``, ``page.audit_log.*``, ``page.gate.*``), in Swedish
(:data:`LANG`, the pages' ``lang``).
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from texts import t

#: the language of these pages (``<html lang="sv">``)
LANG = "sv"

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f1ea;color:#1b1b1b;margin:0}
main{max-width:26rem;margin:8vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
main.wide{max-width:none;margin:2rem;overflow:auto}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #888;border-radius:4px}
button{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;background:#12325b;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fde2e1;border-left:4px solid #b2182b;padding:.6rem;margin:.8rem 0}
.muted{color:#555;font-size:.9rem}table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eee}
form.filter{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap}form.filter input{width:auto}
"""
STYLE_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode() + "'"
#: the CSP of these pages: nothing but their own inline style and forms posting to this origin
PAGE_CSP = (f"default-src 'none'; style-src {STYLE_HASH}; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")


def _t(key: str, **fields: object) -> str:
    """The catalogue's text ``key`` in these pages' language, escaped for HTML."""
    return escape(t(key, LANG, **fields))


def _doc(title: str, body: str, extra_head: str = "", wide: bool = False) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{LANG}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="referrer" content="same-origin">{extra_head}'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f'<body><main{" class=wide" if wide else ""}>{body}</main></body></html>')


def login_page(token: str, next_path: str, error: str | None = None, username: str = "") -> str:
    err = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = f"""<h1>{_t("page.login.heading")}</h1>{err}
<form method="post" action="/login" autocomplete="on">
<input type="hidden" name="csrf_token" value="{escape(token)}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="username">{_t("page.login.username")}</label>
<input id="username" name="username" value="{escape(username)}" autocomplete="username" required autofocus maxlength="128">
<label for="password">{_t("page.login.password")}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128">
<button type="submit">{_t("page.login.submit")}</button>
</form>
<p class="muted">{_t("page.login.notice")}</p>"""
    return _doc(t("page.login.title", LANG), body)


def logout_page(token: str, user: str) -> str:
    signed_in = t("page.logout.signed_in", LANG, user=f"<strong>{escape(user)}</strong>")  # a trusted template
    body = f"""<h1>{_t("page.logout.heading")}</h1><p>{signed_in}</p>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{escape(token)}">
<button type="submit">{_t("page.logout.submit")}</button></form><p><a href="/">{_t("page.logout.back")}</a></p>"""
    return _doc(t("page.logout.title", LANG), body)


def message_page(title: str, message: str) -> str:
    return _doc(title, f"<h1>{escape(title)}</h1><p>{escape(message)}</p>")


def unavailable_page(message_sv: str, message_en: str) -> str:
    return _doc(t("page.gate.unavailable_title", LANG),
                f"<h1>{_t('page.gate.unavailable')}</h1><p>{escape(message_sv)}</p>"
                f'<p class="muted" lang="en">{escape(message_en)}</p>',
                extra_head='<meta http-equiv="refresh" content="10">')


AUDIT_COLUMNS = ("at", "user", "action", "area_id", "period", "layer", "purpose", "detail")
#: the audit view's filters (query parameters; their labels are ``page.audit_log.<name>``)
AUDIT_FILTERS = ("user", "action", "since")


def audit_page(rows: list[dict], filters: dict, limit: int) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in AUDIT_COLUMNS)
    body_rows = "".join(
        "<tr>" + "".join(f"<td>{escape('' if r.get(c) is None else str(r.get(c)))}</td>" for c in AUDIT_COLUMNS)
        + "</tr>" for r in rows)
    form = "".join(
        f'<label>{_t("page.audit_log." + name)}<input name="{name}" value="{escape(filters.get(name) or "")}"></label>'
        for name in AUDIT_FILTERS)
    body = (f"<h1>{_t('page.audit_log.heading')}</h1><form class=filter method=get action=/admin/audit>{form}"
            f"<button type=submit>{_t('page.audit_log.filter')}</button></form>"
            f'<p class="muted">{_t("page.audit_log.rows", n=len(rows), limit=limit)}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body_rows}</tbody></table>")
    return _doc(t("page.audit_log.title", LANG), body, wide=True)
