"""Drive the app in the security/production tests and ``bench/`` (no pytest import here).

- :func:`configured`: set ``LAGESBILD_*`` for a block and clear the settings cache (the gate reads
  the settings per request, so one imported app can be exercised in every auth mode)
- :func:`copy_sqlite`: a consistent copy of a SQLite store (online backup API)
- :func:`flask_login`: log in through the Flask test client (form + CSRF token)
- :class:`HttpClient`: a keep-alive HTTP/1.1 client on the standard library with its own cookie
  handling (``http.cookiejar`` never sends ``Secure`` cookies over plain http, even on loopback)
- :func:`layout_values`, :func:`callback_body`, :func:`apply_response`: replay any Dash callback
  generically from ``/_dash-dependencies`` and ``/_dash-layout``, as the renderer would
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TEST_SECRET = "0123456789abcdef" * 4
WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")


@contextlib.contextmanager
def configured(env: dict[str, str | None]) -> Iterator[None]:
    """Set (or, with None, unset) environment variables for the block; settings re-read."""
    from config import settings

    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = str(v)
    settings.cache_clear()
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        settings.cache_clear()


def copy_sqlite(src: Path | str, dst: Path | str) -> Path:
    s, d = sqlite3.connect(str(src)), sqlite3.connect(str(dst))
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()
    return Path(dst)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask_login(client, name: str, password: str, next_path: str = "/"):
    """Log in with the Flask test client; returns the POST response."""
    page = client.get("/login").get_data(as_text=True)
    token = TOKEN_RE.search(page).group(1)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token,
                                       "next": next_path})


# --------------------------------------------------------------------------- Dash callbacks


def parse_id(id_: Any) -> Any:
    if isinstance(id_, str) and id_.startswith("{"):
        try:
            return json.loads(id_)
        except ValueError:
            return id_
    return id_


def is_wildcard(id_: Any) -> bool:
    return isinstance(id_, dict) and any(isinstance(v, list) and v and v[0] in WILDCARDS for v in id_.values())


def split_output(key: str) -> list[dict]:
    from dash._utils import split_callback_id

    parts = split_callback_id(key)
    out = []
    for p in parts if isinstance(parts, list) else [parts]:
        out.append({"id": parse_id(p["id"].replace("\\.", ".")), "property": p["property"].split("@")[0]})
    return out


def id_key(id_: Any) -> str:
    """Dash's string form of an id (dict ids: sorted compact JSON, as ``dash._utils.stringify_id``)."""
    from dash._utils import stringify_id

    return stringify_id(id_) if isinstance(id_, dict) else str(id_)


def layout_values(layout: Any, out: dict | None = None) -> dict[tuple[str, str], Any]:
    """``{(id, prop): value}`` of every component with an id in a ``/_dash-layout`` tree (dict ids
    under their :func:`id_key`)."""
    out = {} if out is None else out
    if isinstance(layout, dict):
        props = layout.get("props")
        if isinstance(props, dict) and "namespace" in layout:
            cid = props.get("id")
            if isinstance(cid, str | dict):
                key = id_key(cid)
                out[(key, "id")] = cid
                for k, v in props.items():
                    if k != "children" or not isinstance(v, dict | list):
                        out[(key, k)] = v
            for v in props.values():
                layout_values(v, out)
        else:
            for v in layout.values():
                layout_values(v, out)
    elif isinstance(layout, list):
        for v in layout:
            layout_values(v, out)
    return out


def matching_ids(pattern: dict, values: dict) -> list[dict]:
    """The dict ids in ``values`` an ``ALL`` pattern matches (``MATCH``/``ALLSMALLER``: none)."""
    if any(isinstance(v, list) and v and v[0] != "ALL" for v in pattern.values()):
        return []
    fixed = {k: v for k, v in pattern.items() if not isinstance(v, list)}
    found = []
    for (_key, prop), cid in values.items():
        if prop == "id" and isinstance(cid, dict) and set(cid) == set(pattern) \
                and all(cid[k] == v for k, v in fixed.items()):
            found.append(cid)
    return found


def callback_body(dep: dict, values: dict[tuple[str, str], Any], changed: list[str] | tuple = ()) -> dict:
    """A ``/_dash-update-component`` body for dependency ``dep`` with the current ``values``.

    ``ALL`` patterns are expanded to the matching components of the layout, as the renderer does;
    ``MATCH``/``ALLSMALLER`` patterns match nothing.
    """
    outs = []
    for o in split_output(dep["output"]):
        if is_wildcard(o["id"]):
            outs.append([{"id": cid, "property": o["property"]} for cid in matching_ids(o["id"], values)])
        else:
            outs.append(o)

    def item(x: dict):
        id_ = parse_id(x["id"])
        if is_wildcard(id_):
            return [{"id": cid, "property": x["property"], "value": values.get((id_key(cid), x["property"]))}
                    for cid in matching_ids(id_, values)]
        return {"id": id_, "property": x["property"], "value": values.get((x["id"], x["property"]))}

    return {"output": dep["output"], "outputs": outs if dep["output"].startswith("..") else outs[0],
            "inputs": [item(x) for x in dep["inputs"]], "state": [item(x) for x in dep.get("state", [])],
            "changedPropIds": list(changed)}


def apply_response(values: dict, payload: dict | None) -> list[str]:
    """Write a callback response into ``values``; returns the ``id.prop`` strings it changed."""
    changed = []
    resp = (payload or {}).get("response") or {}
    for cid, props in resp.items():
        if isinstance(props, dict):
            for prop, v in props.items():
                values[(cid, prop)] = v
                changed.append(f"{cid}.{prop}")
    return changed


def triggered_by(deps: list[dict], changed: list[str]) -> list[dict]:
    """Callbacks with an input among ``changed`` (``id.prop``), like the renderer's chain."""
    hit = set(changed)
    return [d for d in deps if any(f"{x['id']}.{x['property']}" in hit for x in d["inputs"])]


# --------------------------------------------------------------------------- live servers


class HttpClient:
    """One keep-alive connection with a cookie dict; ``request`` returns (status, headers, body)."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        parts = urlsplit(base_url)
        self.base, self.host, self.port = base_url.rstrip("/"), parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        h = {"Accept": "*/*", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (0, 1):
            conn = self._connect()
            try:
                conn.request(method, path, body=body, headers=h)
                r = conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # a keep-alive connection the server closed: reconnect once
                if attempt:
                    raise
            except Exception:
                self.close()
                raise
        for raw in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in raw.lower() or not value or "expires=thu, 01 jan 1970" in raw.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return r.status, r.headers, data

    def get(self, path: str, accept: str = "*/*"):
        return self.request("GET", path, headers={"Accept": accept})

    def post_json(self, path: str, obj: Any):
        headers = {"Content-Type": "application/json", "Accept": "application/json", "Origin": self.base}
        if "_csrf_token" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["_csrf_token"]
        return self.request("POST", path, json.dumps(obj).encode(), headers)

    def login(self, name: str, password: str) -> int:
        status, _, page = self.get("/login", accept="text/html")
        m = TOKEN_RE.search(page.decode())
        if not m:
            return status
        form = urlencode({"username": name, "password": password, "csrf_token": m.group(1), "next": "/"})
        status, _, _ = self.request("POST", "/login", form.encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Origin": self.base})
        if status == 303:
            self.get("/", accept="text/html")  # the page load issues the callbacks' CSRF cookie
        return status


def wait_ready(url: str, proc=None, timeout: float = 90.0, path: str = "/healthz") -> None:
    """Wait until ``url + path`` answers (any status); RuntimeError if ``proc`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            c = HttpClient(url, timeout=5)
            c.get(path)
            c.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def stop_process_tree(proc, timeout: float = 40.0) -> None:
    """SIGTERM a server (gunicorn: graceful), then SIGKILL it *and its children* if it does not exit:
    a worker stuck in C code cannot handle SIGTERM and would outlive a killed master."""
    import signal

    children = [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                               text=True).stdout.split()]
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
