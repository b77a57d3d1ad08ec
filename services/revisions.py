"""Data versions, revisions and preliminary values as the summary, the page, the exports and the
CLI show them (the store side: :mod:`store.revisions`; the arithmetic: :mod:`indicators.revisions`).

Only what is shown is added here, never a verdict's input (the verdict engine reads final values
only, ``services.indicators``):

* ``data_version`` of every figure: the newest import among the value rows of the area and
  indicator that the entry's numbers come from (the period and the same months of the three years
  before: value, previous, baseline);
* ``preliminary``: the period holds preliminary values (a month that had not ended when it was
  imported, or one its file marks preliminary). They are shown (``preliminary_months``, the period
  with them as ``value_preliminary``), marked, grey, and never tested: for the engine such a month
  is pending (``complete: false``);
* ``revision``: a value shown now that changed after an earlier export of the same area and
  period. Exports are audited (``audit_log``, action ``export``: report downloads and CLI exports
  of the area, and compare tables of its region or of every area); each names the data version it
  showed (``data_version`` in its detail; older rows: the newest import logged before it). The
  note compares with the newest such export whose figure differs from today's:
  ``{"change": +3, "since": "2026-03-02", "previous": 12, …}`` — "reviderat +3 sedan 2026-03-02".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, or_, select

from indicators.calendar import parse_period
from indicators.revisions import (
    aggregate,
    fmt_figure,
    period_revision,
    revision_text,
    signed,
    text,
    values_as_of,
)
from services.context import data_version
from store.queries import area_values
from store.revisions import has_revisions, revisions_frame
from store.schema import audit_log
from texts import by_prefix, t

HISTORY_YEARS = 3  # the entry's previous year and three-year baseline
ALL_REGIONS = ("alla", "all", "hela landet", "sverige", "nation")
#: CLI commands whose export shows no indicator value of the area
NOT_FIGURES = ("hotspots", "revisions")

# --------------------------------------------------------------------------- reads


def _window(period: str) -> tuple[tuple[str, ...], tuple[str, str]]:
    p = parse_period(period)
    months = list(p.months)
    for k in range(1, HISTORY_YEARS + 1):
        months += list(p.shift_years(-k).months)
    return tuple(sorted(set(months))), (min(months), max(months))


def _local_date(at: datetime) -> str:
    """The Swedish calendar date of a naive-UTC audit time."""
    try:
        from zoneinfo import ZoneInfo

        return at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Stockholm")).date().isoformat()
    except Exception:  # noqa: BLE001 - no time-zone data: the UTC date
        return at.date().isoformat()


def _covers(detail: dict, area_region: str | None) -> bool:
    """Whether a table export (no area of its own) showed the area's figures."""
    if detail.get("command") != "compare" and detail.get("view") != "compare":
        return False
    region = str(detail.get("region") or "").strip().casefold()
    return region in ALL_REGIONS or (area_region is not None and region == str(area_region).casefold())


def exports_of(engine: Engine, area_id: str, period: str, region: str | None = None) -> list[dict]:
    """The audited exports that showed the area's figures for the period, newest first:
    ``{"at", "date", "data_version", "format", "user", "command"}``."""
    label = parse_period(period).label
    a = audit_log.c
    stmt = (select(a.id, a.at, a.user, a.area_id, a.layer, a.detail)
            .where(a.period == label, a.action == "export", or_(a.area_id == str(area_id), a.area_id.is_(None)))
            .order_by(a.id.desc()))
    with engine.connect() as conn:
        rows = conn.execute(stmt).fetchall()
    out = []
    for r in rows:
        try:
            detail = json.loads(r.detail) if r.detail else {}
        except (TypeError, ValueError):
            detail = {}
        if not isinstance(detail, dict) or detail.get("command") in NOT_FIGURES:
            continue
        if r.area_id is None and not _covers(detail, region):
            continue
        out.append({"id": int(r.id), "at": r.at, "date": _local_date(r.at), "user": r.user, "format": r.layer,
                    "command": detail.get("command") or detail.get("view") or "report",
                    "data_version": _int(detail.get("data_version"))})
    missing = [e for e in out if e["data_version"] is None]
    if missing:
        logged = _import_times(engine)
        for e in missing:
            e["data_version"] = max((i for at, i in logged if at <= e["at"]), default=0)
    return out


def _int(v) -> int | None:
    try:
        return None if v is None else int(v)
    except (TypeError, ValueError):
        return None


def _import_times(engine: Engine) -> list[tuple[datetime, int]]:
    """(audit time, import id) of every logged import (the data version an older export saw)."""
    a = audit_log.c
    with engine.connect() as conn:
        rows = conn.execute(select(a.at, a.detail).where(a.action == "import")).fetchall()
    out = []
    for at, detail in rows:
        try:
            d = json.loads(detail or "{}")
        except ValueError:
            continue
        if d.get("status") == "imported" and d.get("import_id") is not None:
            out.append((at, int(d["import_id"])))
    return out


# --------------------------------------------------------------------------- the summary


def annotate_summary(summary: dict, engine: Engine, lang: str = "sv") -> dict:
    """Add ``data_version`` (top level: the store's; per indicator: the figure's),
    ``preliminary``, ``preliminary_months``, ``value_preliminary`` and ``revision`` to every
    indicator of a summary (see the module doc). Returns ``summary`` (changed in place)."""
    from services.real_series import hide_other_places

    area = summary["area"]
    area_id, period = str(area["id"]), summary["period"]
    p = parse_period(period)
    url, version = str(engine.url), data_version(engine)
    summary["data_version"] = version
    months, span = _window(period)
    rows = area_values(engine, area_id, span, flags=True)
    rows = hide_other_places(rows, url, version, area.get("list_year"))
    rows = rows[rows["month"].isin(months)]
    revs = (revisions_frame(engine, [area_id], None, span, field="value")
            if len(rows) and has_revisions(engine, area_id) else pd.DataFrame())
    exports = exports_of(engine, area_id, p.label, area.get("region")) if len(revs) else []
    # one pass over the area's rows (a summary has ~20 indicators: no per-indicator frame work)
    ids = pd.to_numeric(rows["import_id"], errors="coerce")
    versions = {str(k): int(v) for k, v in ids.groupby(rows["indicator_id"]).max().dropna().items()}
    period_rows: dict[str, list[tuple[str, float, bool, int | None]]] = {}
    in_period = rows["month"].isin(p.months).to_numpy()
    for ind, month, value, prelim, imp in zip(rows["indicator_id"].to_numpy()[in_period],
                                              rows["month"].to_numpy()[in_period],
                                              rows["value"].to_numpy()[in_period],
                                              rows["preliminary"].to_numpy()[in_period],
                                              ids.to_numpy()[in_period], strict=True):
        period_rows.setdefault(str(ind), []).append((str(month), float(value), bool(prelim),
                                                     None if imp != imp else int(imp)))
    with_revs = set(revs["indicator_id"]) if len(revs) else set()
    for entry in summary["indicators"]:
        ind, unit = entry["id"], entry.get("unit") or "count"
        entry["data_version"] = versions.get(ind)
        mine = sorted(period_rows.get(ind, []))
        prelim = [r for r in mine if r[2]]
        entry["preliminary"] = bool(prelim)
        entry["preliminary_months"] = [{"month": m, "value": v, "data_version": i} for m, v, _, i in prelim]
        entry["value_preliminary"] = aggregate([r[1] for r in mine], unit) if prelim else None
        entry["revision"] = None
        if prelim:
            entry["complete"] = False  # the engine saw these months as pending already (final rows only)
            note = text("prelim_note", lang).format(months=", ".join(r[0] for r in prelim))
            present = {r[0] for r in mine}
            old = entry.get("coverage_note")
            missing = [m for m in p.months if m not in present]  # months without any value: the engine's note
            entry["coverage_note"] = note + (f"; {old}" if old and missing else "")
        if ind in with_revs and exports:
            entry["revision"] = _revision(rows[rows["indicator_id"] == ind], revs[revs["indicator_id"] == ind],
                                          exports, p.months, unit, lang)
    return summary


def _revision(rows: pd.DataFrame, revs: pd.DataFrame | None, exports: list[dict], months, unit: str,
              lang: str) -> dict | None:
    """The revision note of one figure against the newest export whose figure differs (None when
    no export showed another value of these months)."""
    if revs is None or revs.empty or rows.empty or not exports:
        return None
    revs = revs[revs["month"].isin(months)]
    if revs.empty:
        return None
    now = rows[rows["month"].isin(months)]
    seen: set[int] = set()
    for e in exports:  # newest first
        v = e["data_version"]
        if v in seen:
            continue
        seen.add(v)
        then = values_as_of(rows, revs, v)
        found = period_revision(now, then, months, unit)
        if found is None:
            continue
        changed = set(m["month"] for m in found["months"])
        by = revs[revs["month"].isin(changed) & (pd.to_numeric(revs["import_id"]) > v)]
        found.update({
            "since": e["date"],
            "export": {"at": e["at"].isoformat(timespec="seconds"), "data_version": v, "format": e["format"],
                       "command": e["command"]},
            "revised_by": sorted({int(i) for i in by["import_id"]}),
            "revised_at": _local_date(max(by["replaced_at"])) if len(by) else None,
        })
        found["text"] = revision_text(found, lang, unit)
        return found
    return None


def summary_notes_text(data: dict) -> str:
    """Lines for the terminal table of ``cli.py summary``: revisions and preliminary values."""
    lang = data.get("lang", "sv")
    lines = []
    for ind in data["indicators"]:
        unit = ind.get("unit") or "count"
        if ind.get("preliminary"):
            months = ", ".join(f"{m['month']} = {fmt_figure(m['value'], lang, unit)}" for m in ind["preliminary_months"])
            lines.append(f"{ind['name']}: {text('prelim_label', lang)} {months} "
                         f"({t('page.revisions.not_tested', lang)})")
        if ind.get("revision"):
            lines.append(f"{ind['name']}: {ind['revision']['text']}")
    if not lines:
        return ""
    head = t("page.revisions.data_version", lang, version=data.get("data_version"))
    return "\n".join(["", head, *lines])


# --------------------------------------------------------------------------- compare tables


def table_versions(engine: Engine, table: pd.DataFrame, period: str) -> pd.DataFrame:
    """``table`` (compare rows with ``area_id, indicator_id``) with a ``data_version`` column: the
    newest import among the value rows of the period and the three years before, per row."""
    from store.queries import values_frame

    if table.empty:
        return table.assign(data_version=pd.Series(dtype="Int64"))
    months, span = _window(period)
    rows = values_frame(engine, sorted(set(table["indicator_id"])), sorted(set(table["area_id"].astype(str))),
                        span, flags=True)
    rows = rows[rows["month"].isin(months)]
    top = rows.groupby(["area_id", "indicator_id"])["import_id"].max()
    keys = list(zip(table["area_id"].astype(str), table["indicator_id"], strict=True))
    out = table.copy()
    out["data_version"] = pd.array([None if pd.isna(top.get(k)) else int(top.get(k)) for k in keys], dtype="Int64")
    return out


# --------------------------------------------------------------------------- cli.py revisions


def revision_list(engine: Engine, area_id: str, indicator_id: str, period: str | None = None) -> list[dict]:
    """Every value (and target) of an area and indicator that an import replaced, oldest first:
    month, field, old and new value with their flags, and the two imports (id, file, time)."""
    months = None
    if period is not None:
        p = parse_period(period)
        months = (p.first, p.last)
    frame = revisions_frame(engine, [str(area_id)], [indicator_id], months, with_imports=True)
    out = []
    for r in frame.itertuples(index=False):
        change = None if pd.isna(r.new_value) else float(r.new_value) - float(r.old_value)
        out.append({
            "month": r.month, "field": r.field,
            "old_value": float(r.old_value), "old_preliminary": bool(r.old_preliminary),
            "old_import_id": None if pd.isna(r.old_import_id) else int(r.old_import_id),
            "old_file": r.old_file, "old_imported_at": _iso(r.old_at),
            "new_value": None if pd.isna(r.new_value) else float(r.new_value),
            "new_preliminary": None if r.new_preliminary is None else bool(r.new_preliminary),
            "change": change, "import_id": int(r.import_id), "file": r.file, "imported_by": r.by,
            "replaced_at": _iso(r.replaced_at),
        })
    return out


def _iso(v) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    return pd.Timestamp(v).isoformat(timespec="seconds")


def revision_table_text(area: dict, indicator: dict, items: list[dict], lang: str = "sv") -> str:
    """``cli.py revisions --format table``."""
    def word(key: str) -> str:
        return t(f"page.revisions.{key}", lang)

    name = indicator.get(f"name_{lang}") or indicator.get("id")
    head = f"{area['name']} ({area['id']}) · {name}"
    if not items:
        return head + "\n" + word("none")
    lines = [head, "",
             f"{word('col.month'):8} {word('col.field'):6} {word('col.before'):>10} "
             f"{word('col.after'):>10} {word('col.change'):>8}  {'import':>6}  "
             f"{word('col.replaced'):19}  {word('col.file')}"]
    unit = indicator.get("unit") or "count"
    for it in items:
        old = fmt_figure(it["old_value"], lang, unit) + (" p" if it["old_preliminary"] else "")
        new = word("removed") if it["new_value"] is None else (
            fmt_figure(it["new_value"], lang, unit) + (" p" if it["new_preliminary"] else ""))
        change = "" if it["change"] is None else signed(it["change"], lang, unit)
        field = by_prefix("page.revisions.field.", lang).get(it["field"], it["field"])
        lines.append(f"{it['month']:8} {field:6} {old:>10} {new:>10} {change:>8}  {it['import_id']:>6}  "
                     f"{(it['replaced_at'] or '')[:19]:19}  {it['file'] or ''}")
    lines.append("")
    lines.append(word("p"))
    return "\n".join(lines)
