"""EST samverkan commands (issue 14)::

    python cli.py weekly --kommun 0180 --week 2026-W14 [--format table|json|csv]
    python cli.py import-observations PATH
    python cli.py ledger import PATH | ledger export PATH
    python cli.py followup --kommun 0180 --tertial 2026-T1 --out followup.pdf
    python cli.py lagesbild4 --kommun 0180 --period 2026 --out lagesbild.pdf|.docx

Exit codes as every command: 0 success, 2 invalid input (file, row, column named), 1 internal error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from commands.output import audit_export, print_report
from geodata.errors import InputError
from texts import t

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def cmd_weekly(args, engine: Callable[[], Engine]) -> int:
    from i18n import fmt_number, fmt_p
    from reports.spreadsheet import csv_text
    from services.est import check_week, week_flags

    week = check_week(args.week).label
    engine = engine()
    table = week_flags(engine, args.kommun, week)
    audit_export(engine, "weekly", args.format, week, kommun=args.kommun)
    if args.format == "json":
        rows = json.loads(table.to_json(orient="records", force_ascii=False))
        json.dump({"kommun": args.kommun, "week": week, "method": "nb_tail/poisson vs the area's own 52 weeks, BH-FDR",
                   "rows": rows}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        sys.stdout.write(csv_text(table))
    else:
        lang = args.lang
        print(t("page.cli.flags.head", lang, week=week, kommun=args.kommun, n=int(table["flag"].sum())))
        for r in table.itertuples():
            mark = "FLAGGA" if r.flag else ""
            print(f"  {r.area_name or r.area_id:<28} {r.type:<22} {r.count:>3}  "
                  f"{t('page.cli.flags.mean', lang)} {fmt_number(r.baseline_mean, lang, 2):>6}  "
                  f"p {fmt_p(r.p, lang):>6}  q {fmt_p(r.p_adjusted, lang):>6}  {r.test:<7} {mark}")
    return 0


def cmd_import_observations(args, engine: Callable[[], Engine]) -> int:
    from store.observations import import_observations

    print_report(import_observations(engine(), args.path))
    return 0


def cmd_ledger(args, engine: Callable[[], Engine]) -> int:
    from reports.spreadsheet import csv_text, xlsx_bytes
    from store.ledger import current_items, import_ledger, ledger_frame

    engine = engine()
    path = Path(args.path)
    if args.action == "import":
        print_report(import_ledger(engine, path))
        return 0
    frame = ledger_frame(current_items(engine, kommun=args.kommun, public_only=args.public))
    audit_export(engine, "ledger export", path.suffix.lstrip(".") or "csv", "", kommun=args.kommun,
                      file=str(path), items=len(frame))
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(xlsx_bytes({"Överenskommelse": frame}))
    elif path.suffix.lower() in (".csv", ".txt", ""):
        path.write_text(csv_text(frame), encoding="utf-8-sig")
    else:
        raise InputError(path, "ledger export writes .csv or .xlsx")
    print(f"ledger: {len(frame)} items written to {path}")
    return 0


def _write_doc(doc, out: Path, fmt: str | None) -> str:
    from reports.samverkan_render import render_est_docx, render_est_pdf

    fmt = (fmt or out.suffix.lstrip(".") or "pdf").lower()
    if fmt not in ("pdf", "docx"):
        raise InputError(out, f"--format '{fmt}': expected pdf or docx")
    out.write_bytes(render_est_pdf(doc) if fmt == "pdf" else render_est_docx(doc))
    return fmt


def cmd_followup(args, engine: Callable[[], Engine]) -> int:
    from services.est import followup_document

    engine = engine()
    doc, fus = followup_document(engine, args.kommun, args.period, args.tier, args.lang)
    fmt = (args.format or args.out.suffix.lstrip(".") or "pdf").lower()
    audit_export(engine, "followup", fmt, doc.meta[1][1], kommun=args.kommun, tier=args.tier)
    _write_doc(doc, args.out, fmt)
    print(f"followup: {len(fus)} promises/problems, {sum(f.planned for f in fus)} actions planned, "
          f"{sum(f.delivered for f in fus)} delivered → {args.out}")
    return 0


def cmd_lagesbild4(args, engine: Callable[[], Engine]) -> int:
    from services.est import lagesbild4_document

    engine = engine()
    doc = lagesbild4_document(engine, args.kommun, args.period, args.lang)
    fmt = (args.format or args.out.suffix.lstrip(".") or "pdf").lower()
    audit_export(engine, "lagesbild4", fmt, args.period, kommun=args.kommun, tier="kommun")
    _write_doc(doc, args.out, fmt)
    print(f"lagesbild4: kommun {args.kommun}, {args.period} (kommun tier) → {args.out}")
    return 0


def register(add, engine: Callable[[], Engine]) -> None:
    """Add the EST commands to the CLI (called by ``cli.build_parser`` with its engine factory)."""
    p = add("weekly", partial(cmd_weekly, engine=engine), "The week's flags for a kommun's areas: each event type's count in the ISO week "
            "against the area's own mean of the 52 weeks before (negative binomial tail with the dispersion "
            "estimated from weekly counts, Poisson where none is shown), Benjamini–Hochberg across the table.")
    p.add_argument("--kommun", required=True, help="kommun code, e.g. 0180 (Stockholm)")
    p.add_argument("--week", required=True, help="ISO week, e.g. 2026-W14")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--lang", choices=["sv", "en"], default="sv")

    p = add("import-observations", partial(cmd_import_observations, engine=engine), "Import partners' observations (EST): CSV from Excel "
            "(; decimal comma, UTF-8/BOM/cp1252) or XLSX with Datum, Kategori (the checklist's categories), "
            "Organisation, Roll and a place: x/y (SWEREF 99 TM), lat/lon (WGS84), Område (id or name) or Plats "
            "(free text, with Kommun). Never added to crime counts. All or nothing; re-import is a no-op.")
    p.add_argument("path", type=Path)

    p = add("ledger", partial(cmd_ledger, engine=engine), "The agreement ledger (samverkansöverenskommelse → problem → löfte → åtgärd): "
            "import a CSV/XLSX (one row per item: Typ, Id, Tillhör, Kommun, Titel, Områden, Indikatorer, Ansvarig, "
            "Organisation, Förfallodatum, Status, Klart …; a changed item is kept as a new version) or export "
            "the ledger as it stands in the same layout.")
    p.add_argument("action", choices=["import", "export"])
    p.add_argument("path", type=Path)
    p.add_argument("--kommun", help="export: one kommun's items only")
    p.add_argument("--public", action="store_true", help="export: without internal items (and their children)")

    p = add("followup", partial(cmd_followup, engine=engine), "The tertial follow-up of a kommun's agreement: per medborgarlöfte the "
            "actions planned in the period vs delivered (and overdue), and the linked indicators' verdicts as "
            "the area's lägesbild shows them ('ej mätbart' where a promise has no indicator). PDF or DOCX.")
    p.add_argument("--kommun", required=True, help="kommun code, e.g. 0180")
    p.add_argument("--period", required=True, help="tertial (2026-T1) or year")
    p.add_argument("--tier", choices=["police", "kommun"], default="police",
                   help="kommun: the public items only, the kommun tier's suppression on every figure")
    p.add_argument("--format", choices=["pdf", "docx"], default=None)
    p.add_argument("--lang", choices=["sv", "en"], default="sv")
    p.add_argument("--out", type=Path, required=True)

    p = add("lagesbild4", partial(cmd_lagesbild4, engine=engine), "The kommun's lägesbild under lag (2023:196) 4 § in the kommun tier: "
            "mapping of crime per area (suppressed as the kommun tier is), the partners' observations, the "
            "agreement's problems, promises and actions with follow-up, room for the analysis. No notes.")
    p.add_argument("--kommun", required=True, help="kommun code, e.g. 0180")
    p.add_argument("--period", required=True, help="tertial (2026-T1) or year (2026)")
    p.add_argument("--format", choices=["pdf", "docx"], default=None)
    p.add_argument("--lang", choices=["sv", "en"], default="sv")
    p.add_argument("--out", type=Path, required=True)


__all__ = ["InputError", "Path", "register"]
