"""Report views: gather one area's report inputs from the store, render, name and log the export.

The pure work (4P facts, suppression, figures, PDF/DOCX/HTML/Markdown/CSV/XLSX) lives in
``reports/``; this module only reads (summary, hotspot layers, hypothesis checks, events around the
area, monthly values, notes, geometry) and hands plain data over. Map layers come from
``services.layers`` and so from the configured store (``LAGESBILD_DATABASE_URL``).

The kommun tier is cut here, by its policy (:mod:`reports.disclosure`): only periods on its grid
(tertials and years), the newest list, no hotspot layer, event points, places or hypothesis checks,
only the notes marked for the kommun, and the area's grid of counts with primary and complementary
suppression over every period the tier can reach (``ReportData.disclosure``) — whatever the
renderers do with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
import shapely
from sqlalchemy import Engine

from geodata.errors import InputError
from geodata.precision import HOTSPOT_ELIGIBLE, PRECISION_CLASSES
from geodata.sources import SOURCES
from indicators.calendar import parse_period, shift_month
from reports.disclosure import AreaCells, DisclosureRefused, area_cells, policy
from reports.model import MEDIA_TYPES, MapData, NoteItem, ReportData, check_format, check_tier
from services.cache import memoize
from services.context import data_version
from services.context import engine as configured_engine
from services.indicators import area_summary_json, region_area_ids
from services.real_series import hide_other_places
from store.audit import record_audit
from store.notes import current_notes
from store.queries import (
    area_geometries,
    areas_frame,
    catalogue_frame,
    pois_frame,
    targets_frame,
    values_frame,
)
from texts import t

CHART_MONTHS = 36
MAP_BUFFER_M = 300.0


@dataclass(frozen=True)
class ReportFile:
    """A rendered report: bytes, a file name and its media type."""

    content: bytes
    filename: str
    media_type: str


# --------------------------------------------------------------------------- reads
@lru_cache(maxsize=1)
def _kommun_3006():
    from geodata.boundaries import kommuner

    return kommuner().to_crs("EPSG:3006")


@lru_cache(maxsize=8)
def _area_polys(url: str, version: int, list_year: int | None):
    from store.engine import engine_for

    return area_geometries(engine_for(url), list_year, "EPSG:3006")


def _period_totals(monthly: pd.DataFrame, units: dict[str, str], period: str) -> dict[str, list]:
    """Per indicator: the total (mean for shares/rates) of the period and of the same period in the
    three previous years, oldest first; ``None`` where a month is missing."""
    p = parse_period(period)
    periods = [p.shift_years(-k) for k in (3, 2, 1, 0)]
    out: dict[str, list] = {}
    by = {k: g.set_index("month")["value"] for k, g in monthly.groupby("indicator_id")}
    for ind, unit in units.items():
        series = by.get(ind)
        row = []
        for q in periods:
            vals = None if series is None else series.reindex(list(q.months))
            if vals is None or vals.isna().any():
                row.append((q.label, None))
            else:
                total = float(vals.mean()) if unit in ("share", "rate") else float(vals.sum())
                row.append((q.label, total))
        out[ind] = row
    return out


def _events_around(area_id: str, period: str, buffer_m: float, real_only: bool = False) -> pd.DataFrame:
    from services.layers import events_in_region, study_region

    region = study_region(area_id, buffer_m)
    pts = events_in_region(region, period, area_id=area_id, real_only=real_only)
    if pts.empty:
        return pts
    inside = shapely.contains_xy(region, pts["x"].astype(float).fillna(0), pts["y"].astype(float).fillna(0))
    return pts[inside | (pts["area_id"] == str(area_id))]


def _precision(pts: pd.DataFrame) -> tuple[dict, ...]:
    rows = []
    for cls in PRECISION_CLASSES:
        sub = pts[pts["precision"] == cls] if len(pts) else pts
        n = int(sub["count"].fillna(1).sum()) if len(sub) else 0
        syn = int(sub.loc[sub["synthetic"].astype(bool), "count"].fillna(1).sum()) if len(sub) else 0
        rows.append({"precision": cls, "count": n, "synthetic": syn,
                     "hotspot_eligible": cls in HOTSPOT_ELIGIBLE})
    return tuple(rows)


def _map_data(eng: Engine, area_id: str, summary: dict, pts: pd.DataFrame, tier: str,
              buffer_m: float) -> MapData:
    from services.layers import study_region

    area = study_region(area_id, 0)
    region = area.buffer(buffer_m)
    minx, miny, maxx, maxy = region.bounds
    pad = max(maxx - minx, maxy - miny) * 0.35
    box = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    kom = _kommun_3006()
    near = kom[kom.intersects(box)]
    lines = tuple(g for g in (shapely.clip_by_rect(g.boundary, *box.bounds) for g in near.geometry)
                  if not g.is_empty)
    polys = _area_polys(str(eng.url), data_version(eng), summary["area"].get("list_year"))
    others = polys[(polys["id"] != str(area_id)) & polys.intersects(box)]
    other = tuple((str(r.name), r.geometry) for r in others.itertuples())
    events_xy = None
    if tier == "police" and len(pts):
        ok = pts[pts["precision"].isin(list(HOTSPOT_ELIGIBLE))]
        events_xy = ok[["x", "y"]].astype(float).to_numpy()
    pois = pois_frame(eng)
    bx = box.bounds
    pois = pois[(pois["x"] >= bx[0]) & (pois["x"] <= bx[2]) & (pois["y"] >= bx[1]) & (pois["y"] <= bx[3])]
    return MapData(area=area, region=region, buffer_m=buffer_m, category=summary["area"].get("category"),
                   kommun_lines=lines, other_areas=other, events_xy=events_xy,
                   pois=tuple((str(r.kind), str(r.name or ""), float(r.x), float(r.y))
                              for r in pois.itertuples()))


def _sources(summary: dict, lang: str) -> tuple[dict, ...]:
    keys = ["areas_2025", "areas_2023", "kommun", "deso_indicators", "crime_deso", "polisen_events",
            "tunnelbana"]
    out = []
    for k in keys:
        s = SOURCES[k]
        out.append({"title": s.title_for(lang), "publisher": s.publisher,
                    "licence": s.licence, "url": s.official_url})
    return tuple(out)


def gather(area_id: str, period: str, tier: str = "police", comparison: str = "prev_year",
           lang: str = "sv", purpose: str | None = None, engine: Engine | None = None,
           list_year: int | None = None, with_map: bool = True,
           buffer_m: float = MAP_BUFFER_M, real_only: bool = False) -> ReportData:
    """Every input of one area's report, already cut to the tier's policy (a period the tier may
    not see raises :class:`reports.disclosure.DisclosureRefused`; ``real_only``: the page's
    "endast verkliga data" — synthetic indicators, events and places left out)."""
    from services.layers import hotspot_layer, hotspot_view, poi_check, poi_kinds

    tier = check_tier(tier)
    from services.revisions import annotate_summary as annotate_revisions

    pol = policy(tier)
    pol.check_period(period)
    list_year = pol.list_year(list_year)
    eng = engine or configured_engine()
    summary = area_summary_json(eng, str(area_id), period, comparison, lang, list_year)
    # every figure with the data version it came from, preliminary values and revision notes
    summary = annotate_revisions(summary, eng, lang)
    if real_only:
        summary = {**summary, "indicators": [i for i in summary["indicators"] if not i.get("synthetic")]}
    aid = summary["area"]["id"]
    p = parse_period(summary["period"])
    hot = hot_prev = None
    pts = pd.DataFrame(columns=["x", "y", "precision", "count", "synthetic", "area_id"])
    if pol.allows_layer("hotspots"):
        try:
            # what the page's Gi* layer draws
            hot = hotspot_view(aid, p.label, buffer_m=buffer_m, real_only=real_only)
            hot_prev = hotspot_layer(aid, p.same_period_last_year().label, buffer_m=buffer_m,
                                     real_only=real_only)
            pts = _events_around(aid, p.label, buffer_m, real_only)
        except KeyError:  # the area has no polygon in the store
            hot = hot_prev = None
    tests = []
    if hot is not None and pol.event_analyses:
        for kind in poi_kinds():
            t = poi_check(aid, p.label, kind, real_only=real_only)
            if t.n_places:
                d = asdict(t)
                d.pop("method", None)
                tests.append(d)
    first = shift_month(p.first, -36)
    # final values only, as the verdicts (preliminary ones are in the summary, marked); with the
    # import each came from (the CSV/XLSX numbers carry it)
    monthly = hide_other_places(values_frame(eng, area_ids=[aid], months=(first, p.last), final_only=True,
                                             flags=True).drop(columns="preliminary"), str(eng.url),
                                data_version(eng), summary["area"].get("list_year"))
    if real_only:
        monthly = monthly[monthly["indicator_id"].isin([i["id"] for i in summary["indicators"]])]
    units = {i["id"]: i["unit"] for i in summary["indicators"]}
    targets = targets_frame(eng, [aid])
    targets = targets[(targets["month"] >= shift_month(p.last, -(CHART_MONTHS - 1))) &
                      (targets["month"] <= p.last)]
    cat = catalogue_frame(eng)
    last = {str(r.id): (r.last_month or None) for r in cat.itertuples()}
    notes = tuple(NoteItem(n.section, n.text, n.author, n.created_at, n.internal, n.kommun)
                  for n in current_notes(eng, aid, p.label) if pol.note_visible(n.internal, n.kommun))
    map_data = _map_data(eng, aid, summary, pts, tier, buffer_m) if with_map and hot is not None else None
    disclosure = (area_disclosure(eng, aid, summary["area"].get("list_year"), pol.threshold)
                  if pol.suppresses else None)
    return ReportData(
        summary=summary, tier=tier, generated_at=datetime.now().replace(microsecond=0),
        data_version=data_version(eng), purpose=(purpose or "").strip() or None,
        hotspots=hot, hotspots_previous=hot_prev, poi_tests=tuple(tests),
        precision=_precision(pts) if pol.event_analyses else (),
        monthly=(monthly[monthly["month"] >= shift_month(p.last, -(CHART_MONTHS - 1))].reset_index(drop=True)
                 if pol.monthly_series else None),
        targets=targets.reset_index(drop=True), period_totals=_period_totals(monthly, units, p.label),
        last_month=last, notes=notes, map=map_data, sources=_sources(summary, lang), disclosure=disclosure,
    )


def area_disclosure(eng: Engine, area_id: str, list_year: int | None, threshold: int = 5) -> AreaCells:
    """The kommun tier's grid of an area: every count series over its whole history, suppressed
    jointly (:func:`reports.disclosure.area_cells`); memoised per data version."""
    return _area_disclosure(str(eng.url), data_version(eng), str(area_id), list_year, int(threshold))


@memoize(maxsize=256)
def _area_disclosure(url: str, version: int, area_id: str, list_year: int | None, threshold: int) -> AreaCells:
    from services.nowcast import engine_catalogue
    from store.engine import engine_for

    eng = engine_for(url)
    cat = engine_catalogue(catalogue_frame(eng))  # months still being registered are not cells yet
    monthly = hide_other_places(values_frame(eng, area_ids=[area_id]), url, version, list_year)
    units = {str(r.id): str(r.unit) for r in cat.itertuples()}
    last = {str(r.id): (r.last_month if isinstance(r.last_month, str) and r.last_month else None)
            for r in cat.itertuples()}
    return area_cells(monthly, units, last, threshold)


# --------------------------------------------------------------------------- render + export
def render(data: ReportData, fmt: str) -> bytes:
    """The report in ``fmt`` (pdf, docx, html, md, csv, xlsx)."""
    fmt = check_format(fmt)
    from reports.content import build_content

    content = build_content(data, figures=fmt in ("pdf", "docx", "html"))
    if fmt == "pdf":
        from reports.pdf import render_pdf

        return render_pdf(content)
    if fmt == "docx":
        from reports.word import render_docx

        return render_docx(content)
    if fmt == "html":
        from reports.markup import render_html

        return render_html(content).encode("utf-8")
    if fmt == "md":
        from reports.markup import render_markdown

        return render_markdown(content).encode("utf-8")
    from reports.tabular import render_csv, render_xlsx

    return render_csv(content) if fmt == "csv" else render_xlsx(content)


def slug(text: str) -> str:
    """ASCII file-name part: ``'Hässelby gård / Vällingby'`` → ``'hasselby-gard-vallingby'``."""
    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "omrade"


def report_filename(data: ReportData, fmt: str) -> str:
    area = data.area
    period = data.summary["period"].replace(":", "-")
    return f"lagesbild_{area['id']}_{slug(area['name'])}_{period}_{data.tier}.{fmt}"


def export_report(area_id: str, period: str, fmt: str, tier: str = "police",
                  comparison: str = "prev_year", lang: str = "sv", purpose: str | None = None,
                  user: str | None = None, engine: Engine | None = None, real_only: bool = False) -> ReportFile:
    """Gather, render and name one area's report; logs the export when ``user`` is given
    (``real_only``: synthetic indicators, events and places left out)."""
    fmt = check_format(fmt)
    eng = engine or configured_engine()
    data = gather(area_id, period, tier, comparison, lang, purpose, eng,
                  with_map=fmt in ("pdf", "docx", "html"), real_only=real_only)
    out = ReportFile(render(data, fmt), report_filename(data, fmt), MEDIA_TYPES[fmt])
    if user:
        log_export(eng, user, data, fmt)
    return out


def log_export(engine: Engine, user: str, data: ReportData, fmt: str) -> None:
    """One audit row per export: who, which area and period, format and tier, and the purpose.
    Raises ``store.audit.AuditUnavailable`` when the row cannot be written."""
    detail = {"format": fmt, "tier": data.tier, "comparison": data.summary.get("comparison"),
              "lang": data.lang, "data_version": data.data_version}
    record_audit(engine, "export", str(user), area_id=str(data.area["id"]), period=data.summary["period"],
                 layer=fmt, detail=detail, purpose=data.purpose)


def log_table_export(view: str, fmt: str, period: str | None, detail: dict, user: str,
                     area_id: str | None = None, engine: Engine | None = None) -> None:
    """One audit row for a table download (the compare view's CSV/XLSX): who, what, which period.
    Raises when the row cannot be written: the file is then not sent."""
    eng = engine or configured_engine()
    detail = {"view": view, "format": fmt, **detail}
    detail.setdefault("data_version", data_version(eng))  # what the table showed
    record_audit(eng, "export", user, area_id=area_id, period=period, layer=fmt, detail=detail)


#: formats a region's reports can be bound into one file (a contents page, one area after another)
BOOK_FORMATS = ("pdf", "docx")


def region_ids(region: str, engine: Engine | None = None) -> list[str]:
    """Area ids of a police region (or ``alla``) on the newest list."""
    eng = engine or configured_engine()
    areas = areas_frame(eng)
    if areas.empty:
        raise InputError(None, "the store has no areas (run `python cli.py bootstrap`)")
    latest = areas[areas["list_year"] == areas["list_year"].max()]
    return region_area_ids(latest, region)


def region_book(region: str, period: str, fmt: str = "pdf", tier: str = "police",
                comparison: str = "prev_year", lang: str = "sv", engine: Engine | None = None,
                user: str | None = None) -> ReportFile:
    """Every area of a police region (or ``alla``) in ONE PDF or DOCX: a contents page, then each
    area's report from a new page with its own running header. Each area is logged as an export."""
    from reports.content import build_content
    from reports.texts import L

    fmt = check_format(fmt)
    if fmt not in BOOK_FORMATS:
        raise InputError(None, f"--format {fmt}: one file per region is made for {', '.join(BOOK_FORMATS)}; "
                               "use --split for separate files")
    eng = engine or configured_engine()
    ids = region_ids(region, eng)
    contents = []
    for aid in ids:
        data = gather(aid, period, tier, comparison, lang, None, eng)
        contents.append(build_content(data, figures=True))
        if user:
            log_export(eng, user, data, fmt)
    first = contents[0]
    where = t("page.whole_country", lang) if region.strip().lower() in ("alla", "all") else (
        t("page.export.police_region", lang, region=region))
    title = f"{L('doc_title', lang)} – {where}"
    subtitle = t("page.export.subtitle", lang, period=first.period_label, tier=first.tier_short, n=len(contents),
                 comparison_word=L("comparison", lang).lower(), comparison=L(f"cmp_{comparison}", lang))
    if fmt == "pdf":
        from reports.pdf import render_pdf_book

        body = render_pdf_book(contents, title, subtitle)
    else:
        from reports.word import render_docx_book

        body = render_docx_book(contents, title, subtitle)
    period_slug = parse_period(period).label.replace(":", "-")
    return ReportFile(body, f"lagesbild_{slug(region)}_{period_slug}_{tier}.{fmt}", MEDIA_TYPES[fmt])


def region_batch(region: str, period: str, out_dir: Path, fmt: str = "pdf", tier: str = "police",
                 comparison: str = "prev_year", lang: str = "sv", engine: Engine | None = None,
                 user: str | None = None) -> list[Path]:
    """One report per area of a police region (or ``alla``) into ``out_dir`` (``--split``);
    returns the paths. :func:`region_book` binds them into one file."""
    eng = engine or configured_engine()
    ids = region_ids(region, eng)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for aid in ids:
        f = export_report(aid, period, fmt, tier, comparison, lang, None, user, eng)
        path = out_dir / f.filename
        path.write_bytes(f.content)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- the page's panel
def ui_text(key: str, lang: str, **kw: object) -> str:
    """A status message of the export and notes panel (the catalogue's ``page.export.<key>``)."""
    return t(f"page.export.{key}", lang, **kw)


def export_for(area_id: str | None, period: str | None, fmt: str, tier: str = "police",
               comparison: str | None = "prev_year", lang: str = "sv", purpose: str | None = None,
               user: str | None = None, allowed_tier: str = "police",
               engine: Engine | None = None, real_only: bool = False) -> tuple[ReportFile | None, str]:
    """The export button: (the file or None, a status message). ``allowed_tier='kommun'`` (the
    principal's tier) forces the kommun tier whatever was asked for."""
    if not area_id:
        return None, ui_text("pick_area", lang)
    if not period:
        return None, ui_text("pick_period", lang)
    tier = check_tier(tier or "police")
    forced = allowed_tier == "kommun" and tier != "kommun"
    if allowed_tier == "kommun":
        tier = "kommun"
    try:
        f = export_report(str(area_id), period, fmt, tier, comparison or "prev_year", lang, purpose,
                          user=user, engine=engine, real_only=real_only)
    except DisclosureRefused as exc:  # a period the tier may not see: no file, the reason
        return None, exc.message(lang)
    from reports.texts import L

    msg = ui_text("exported", lang, name=f.filename, tier=L(f"tier_{tier}_short", lang).lower())
    return f, msg + (ui_text("kommun_forced", lang) if forced else "")


def editor_state(area_id: str | None, period: str | None, lang: str = "sv", allowed_tier: str = "police",
                 engine: Engine | None = None) -> tuple[dict[str, tuple[str, bool, bool]], str]:
    """What the notes editor shows: section → (text, internal, kommun), and a line about the last
    edit (nothing at all for a kommun-tier viewer)."""
    from store.notes import SECTIONS, latest_per_section

    empty = {s: ("", False, False) for s in SECTIONS}
    if not area_id or not period or allowed_tier != "police":
        return empty, ""
    heads = latest_per_section(engine or configured_engine(), str(area_id), period)
    state = {s: ((heads[s].text, heads[s].internal, heads[s].kommun) if s in heads else ("", False, False))
             for s in SECTIONS}
    if not heads:
        return state, ui_text("no_notes", lang)
    newest = max(heads.values(), key=lambda n: (n.created_at, n.id))
    return state, ui_text("last_edit", lang, time=f"{newest.created_at:%Y-%m-%d %H:%M}", user=newest.author)


def save_editor(area_id: str | None, period: str | None, sections: dict[str, tuple],
                author: str, lang: str = "sv", allowed_tier: str = "police",
                engine: Engine | None = None) -> str:
    """Save the editor: each changed section ``(text, internal[, kommun])`` becomes a new note row
    (superseding the old one). A kommun-tier viewer cannot write notes."""
    from store.notes import save_section

    if allowed_tier != "police":
        raise PermissionError("notes are written in the police tier only")
    if not area_id:
        return ui_text("pick_area", lang)
    if not period:
        return ui_text("pick_period", lang)
    eng = engine or configured_engine()
    saved = [save_section(eng, str(area_id), period, s, flags[0] or "", author, bool(flags[1]),
                          kommun=bool(flags[2]) if len(flags) > 2 else False)
             for s, flags in sections.items()]
    n = sum(1 for x in saved if x is not None)
    if not n:
        return ui_text("unchanged", lang)
    return ui_text("saved", lang, n=n, time=datetime.now().strftime("%H:%M"), user=author)
