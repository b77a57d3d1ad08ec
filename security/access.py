"""Who is asking, and what they may see: principals, roles, tiers and the callback policy.

Roles (``users.role``): ``områdespolis``, ``kommunpolis``, ``uppföljning``, ``admin`` see the police
tier; ``kommunpartner`` sees only the kommun tier (aggregates, suppressed small counts, no points, no
notes) and only for the kommuner granted in ``users.kommuner``.

:func:`current_principal` works anywhere: inside a request (callbacks, layout functions, routes) it
is the authenticated user; in demo mode (``LAGESBILD_AUTH=none``) it is ``demo`` (admin, police
tier); outside a request with authentication on (e.g. Dash building its validation layout at
import) it is a least-privileged ``system`` principal (kommun tier, no kommuner).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs

from flask import g, has_request_context

from config import settings

ROLES = ("områdespolis", "kommunpolis", "uppföljning", "admin", "kommunpartner")
KOMMUN_TIER_ROLES = frozenset({"kommunpartner"})
#: output component ids that carry points or notes: never sent to the kommun tier
SENSITIVE_OUTPUT_IDS = frozenset({"events", "hotspots", "pois"})
SENSITIVE_OUTPUT_PREFIXES = ("note",)
#: input/state ids whose value names an area
#: keys of a view store (``dcc.Store`` data) that name the selected area
STORE_AREA_KEYS = ("area", "area_id", "selected")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def normalise_role(text: str) -> str:
    """The canonical role for ``text`` (``omradespolis`` → ``områdespolis``); ValueError if unknown."""
    folded = _fold(text.strip())
    for role in ROLES:
        if _fold(role) == folded:
            return role
    raise ValueError(f"unknown role '{text}' (roles: {', '.join(ROLES)})")


@dataclass(frozen=True)
class Principal:
    """The user behind a request."""

    name: str
    role: str
    kommuner: tuple[str, ...] = field(default=())

    @property
    def tier(self) -> str:
        """``'kommun'`` for kommunpartner (and the unauthenticated), else ``'police'``."""
        return "kommun" if self.role in KOMMUN_TIER_ROLES or self.role not in ROLES else "police"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see_kommun(self, kommun_kod: str | None) -> bool:
        """Police tier: every kommun; kommun tier: only granted ones."""
        if self.tier == "police":
            return True
        return kommun_kod is not None and str(kommun_kod) in self.kommuner

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "kommuner": list(self.kommuner), "tier": self.tier}


DEMO = Principal("demo", "admin")
SYSTEM = Principal("system", "system")  # least privilege: kommun tier, no kommuner
ANONYMOUS = Principal("anonym", "anonym")


def principal_from_row(name: str, role: str, kommuner_json: str | None) -> Principal:
    try:
        codes = json.loads(kommuner_json) if kommuner_json else []
    except ValueError:
        codes = []
    return Principal(name=name, role=role, kommuner=tuple(sorted(str(c) for c in codes)))


def current_principal() -> Principal:
    """The principal of the current request (see module docstring for outside a request)."""
    demo = settings().auth == "none"
    if has_request_context():
        p = g.get("principal")
        if p is not None:
            return p
        return DEMO if demo else ANONYMOUS
    return DEMO if demo else SYSTEM


# --------------------------------------------------------------------------- areas → kommun


@lru_cache(maxsize=4)
def _area_kommuner(url: str, version: int) -> dict[str, str | None]:
    from store.engine import engine_for
    from store.queries import areas_frame

    frame = areas_frame(engine_for(url))
    frame = frame.sort_values("list_year")  # the latest list wins
    return {str(a): (None if k is None or str(k) == "nan" else str(k))
            for a, k in zip(frame["id"], frame["kommun_kod"], strict=True)}


def area_kommun(area_id: str) -> str | None:
    """The kommun code of an area (its latest list), or None when unknown."""
    from services.context import data_version, engine

    eng = engine()
    return _area_kommuner(str(eng.url), data_version(eng)).get(str(area_id))


def may_view_area(principal: Principal, area_id: str | None) -> bool:
    if area_id is None or principal.tier == "police":
        return True
    return principal.may_see_kommun(area_kommun(area_id))


# --------------------------------------------------------------------------- callback requests


def _id_strings(id_) -> list[str]:
    """The string(s) of a component id: the id itself, or every string value of a dict id."""
    if isinstance(id_, dict):
        return [str(v) for v in id_.values() if isinstance(v, str)]
    if isinstance(id_, str) and id_.startswith("{"):
        try:
            parsed = json.loads(id_)
        except ValueError:
            return [id_]
        return _id_strings(parsed) if isinstance(parsed, dict) else [id_]
    return [str(id_)]


def output_ids(body: dict) -> list[str]:
    """Every output id string a callback request asks for: from ``output`` (the key the server
    dispatches on) and from ``outputs`` (what the renderer sends), so neither can hide the other."""
    from dash._utils import split_callback_id

    ids: list[str] = []
    key = body.get("output")
    if isinstance(key, str) and key:
        parts = split_callback_id(key)
        for part in parts if isinstance(parts, list) else [parts]:
            ids.extend(_id_strings(part["id"].replace("\\.", ".")))
    outs = body.get("outputs")
    for item in outs if isinstance(outs, list) else [outs]:
        for o in item if isinstance(item, list) else [item]:
            if isinstance(o, dict) and "id" in o:
                ids.extend(_id_strings(o["id"]))
    return ids


def is_sensitive_output(id_str: str) -> bool:
    return id_str in SENSITIVE_OUTPUT_IDS or id_str.startswith(SENSITIVE_OUTPUT_PREFIXES)


def _flatten(items) -> list[dict]:
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, list):
            out.extend(x for x in item if isinstance(x, dict))
        elif isinstance(item, dict):
            out.append(item)
    return out


def _query_value(search: str, key: str) -> str | None:
    values = parse_qs(search.lstrip("?")).get(key)
    return values[-1].strip() if values and values[-1].strip() else None


def _area_from(id_str: str, prop: str, value) -> str | None:
    """The area a single input/state value names, if any."""
    if value is None or value == "":
        return None
    if id_str == "area-search" and prop == "value" and isinstance(value, str | int):
        return str(value)
    if prop == "clickData" and isinstance(value, dict) and id_str in ("areas", "area-dots"):
        v = value.get("id") or (value.get("properties") or {}).get("id")
        return None if v is None else str(v)
    if id_str == "areas" and prop == "hideout" and isinstance(value, dict):
        v = value.get("selected")
        return None if v is None else str(v)
    if prop == "data" and isinstance(value, dict):  # a dcc.Store holding the view (view, state)
        for k in STORE_AREA_KEYS:
            if isinstance(value.get(k), str | int) and value.get(k) != "":
                return str(value[k])
    if prop == "search" and isinstance(value, str):  # the URL query (permalinks: ?area=74)
        return _query_value(value, "area")
    return None


def requested_value(body: dict, key: str) -> str | None:
    """A view value (``period``, ``indicator`` …) named by the request: the control's own value,
    else a view store's ``data[key]``, else the URL query."""
    found = None
    for item in _flatten(body.get("inputs")) + _flatten(body.get("state")):
        id_strs, prop, value = _id_strings(item.get("id")), str(item.get("property")), item.get("value")
        if key in id_strs and prop == "value" and isinstance(value, str | int):
            return str(value)
        if found is None and prop == "data" and isinstance(value, dict) and isinstance(value.get(key), str | int):
            found = str(value[key])
        if found is None and prop == "search" and isinstance(value, str):
            found = _query_value(value, key)
    return found


def requested_values(body: dict, key: str) -> list[str]:
    """Every value of ``key`` a callback request names in its controls and view stores' data: the
    gate checks them all, since a callback may read any one of them. (A URL query is not among them:
    the view callback snaps a permalink's period to the tier's grid, so a month in an address lands
    on its tertial instead of being refused.)"""
    found: list[str] = []
    for item in _flatten(body.get("inputs")) + _flatten(body.get("state")):
        id_strs, prop, value = _id_strings(item.get("id")), str(item.get("property")), item.get("value")
        if key in id_strs and prop == "value" and isinstance(value, str | int):
            found.append(str(value))
        elif prop == "data" and isinstance(value, dict) and isinstance(value.get(key), str | int):
            found.append(str(value[key]))
    return list(dict.fromkeys(found))


def requested_areas(body: dict) -> list[str]:
    """Area ids named by a callback request's inputs and state (every candidate, in order)."""
    found: list[str] = []
    for item in _flatten(body.get("inputs")) + _flatten(body.get("state")):
        for id_str in _id_strings(item.get("id")):
            a = _area_from(id_str, str(item.get("property")), item.get("value"))
            if a is not None and a not in found:
                found.append(a)
    return found


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int = 200
    reason: str = ""


def check_callback(principal: Principal, body: dict) -> Decision:
    """The HTTP-level policy for ``POST /_dash-update-component`` (a second line of defence:
    callbacks themselves render the kommun tier)."""
    if principal.tier == "police":
        return Decision(True)
    sensitive = sorted({i for i in output_ids(body) if is_sensitive_output(i)})
    if sensitive:
        return Decision(False, 403, f"outputs not in the kommun tier: {', '.join(sensitive)}")
    for area in requested_areas(body):
        if not may_view_area(principal, area):
            return Decision(False, 403, f"area {area} is outside the granted kommuner")
    for kommun in requested_values(body, "est-kommun"):  # the Samverkan section's kommun control
        if not principal.may_see_kommun(kommun):
            return Decision(False, 403, f"kommun {kommun} is outside the granted kommuner")
    from reports.disclosure import policy

    for period in requested_values(body, "period"):
        if period and not policy(principal.tier).allows_period(period):
            return Decision(False, 403, f"period {period} is not in the kommun tier (tertials and years only)")
    return Decision(True)
