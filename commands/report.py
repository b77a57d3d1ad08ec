"""``cli.py report`` and ``cli.py note``: lägesbild exports and analyst notes from the command line.

    python cli.py report --area 74 --period 2026-T1 --format pdf --out rinkeby.pdf [--tier kommun]
    python cli.py report --region Stockholm --period 2026-T1 --format pdf --out stockholm.pdf
    python cli.py report --region Stockholm --period 2026-T1 --format pdf --out reports/ --split
    python cli.py note add --area 74 --period 2026-T1 --section problem --text "…" [--kommun] [--internal]
    python cli.py note edit --id 12 --text "…"
    python cli.py note list --area 74 --period 2026-T1 [--history]

Exit codes as every command: 0 success, 2 invalid input, 1 internal error.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

FORMATS = ("pdf", "docx", "html", "md", "csv", "xlsx")


def _user(args) -> str:
    name = getattr(args, "author", None) or os.environ.get("LAGESBILD_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli"


def _check_period(text: str) -> str:
    from indicators.calendar import parse_period

    try:
        return parse_period(text).label
    except ValueError as exc:
        raise InputError(None, f"--period: {exc}") from exc


def cmd_report(args, engine: Callable[[], Engine]) -> int:
    from services.reports import BOOK_FORMATS, export_report, region_batch, region_book

    period = _check_period(args.period)
    fmt = (args.format or Path(args.out).suffix.lstrip(".") or "pdf").lower()
    if fmt not in FORMATS:
        raise InputError(None, f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    if bool(args.area) == bool(args.region):
        raise InputError(None, "give exactly one of --area ID or --region NAME")
    engine = engine()
    user = _user(args)
    if args.region:
        if args.split or fmt not in BOOK_FORMATS:
            paths = region_batch(args.region, period, Path(args.out), fmt, args.tier, args.comparison,
                                 args.lang, engine=engine, user=user)
            print(f"{len(paths)} reports in {args.out} ({fmt}, {args.tier})")
            return 0
        book = region_book(args.region, period, fmt, args.tier, args.comparison, args.lang, engine=engine,
                           user=user)
        out = Path(args.out)
        if out.is_dir() or args.out.endswith(("/", "\\")):
            out.mkdir(parents=True, exist_ok=True)
            out = out / book.filename
        elif not out.parent.exists():
            raise InputError(str(out), f"directory {out.parent} does not exist")
        out.write_bytes(book.content)
        print(f"{out}: {len(book.content):,} bytes ({fmt}, {args.tier} tier, one file with a contents page)")
        return 0
    out = Path(args.out)
    if out.is_dir():
        raise InputError(str(out), "--out is a directory; give a file name (or use --region)")
    if not out.parent.exists():
        raise InputError(str(out), f"directory {out.parent} does not exist")
    f = export_report(args.area, period, fmt, args.tier, args.comparison, args.lang, args.purpose,
                      user=user, engine=engine)
    out.write_bytes(f.content)
    print(f"{out}: {len(f.content):,} bytes ({fmt}, {args.tier} tier)")
    return 0


def cmd_note(args, engine: Callable[[], Engine]) -> int:
    from store.notes import add_note, area_history, current_notes, edit_note

    engine = engine()
    if args.action == "add":
        for need in ("area", "period", "section", "text"):
            if not getattr(args, need):
                raise InputError(None, f"note add needs --{need}")
        n = add_note(engine, args.area, _check_period(args.period), args.section, args.text,
                     _user(args), internal=args.internal, kommun=args.kommun)
        print(f"note {n.id} added ({n.section}{', internal' if n.internal else ''}"
              f"{', shown to the kommun' if n.kommun and not n.internal else ''})")
        return 0
    if args.action == "edit":
        if args.id is None or args.text is None:
            raise InputError(None, "note edit needs --id and --text")
        n = edit_note(engine, args.id, args.text, _user(args),
                      internal=True if args.internal else (False if args.public else None),
                      kommun=True if args.kommun else (False if args.not_kommun else None))
        print(f"note {n.id} replaces note {n.supersedes}")
        return 0
    if not args.area or not args.period:
        raise InputError(None, "note list needs --area and --period")
    period = _check_period(args.period)
    rows = area_history(engine, args.area, period) if args.history else current_notes(engine, args.area, period)
    for n in rows:
        flag = (" [intern]" if n.internal else "") + (" [kommun]" if n.kommun and not n.internal else "")
        sup = f" (ersätter {n.supersedes})" if n.supersedes else ""
        print(f"{n.id}\t{n.section}\t{n.created_at:%Y-%m-%d %H:%M}\t{n.author}{flag}{sup}\t"
              f"{n.text.replace(chr(10), ' / ') or '(tillbakadragen)'}")
    if not rows:
        print("(inga anteckningar)", file=sys.stderr)
    return 0


def register(add, engine: Callable[[], Engine]) -> None:
    """Add ``report`` and ``note`` to the CLI (called by ``cli.build_parser`` with its engine factory)."""
    p = add("report", partial(cmd_report, engine=engine), "Export the lägesbild of an area (or of every area of a region) as "
            "PDF, DOCX, HTML, Markdown, CSV or XLSX, in the police or the kommun tier.")
    p.add_argument("--area", help="area id (SPECIALOMRADES_ID), e.g. 74 for Rinkeby")
    p.add_argument("--region", help="instead of --area: every area of a police region (or 'alla') in ONE pdf or "
                   "docx with a contents page (--out: a file, or a directory to name it in); other formats "
                   "and --split write one file per area into the --out directory")
    p.add_argument("--period", required=True, help="2025-05, 2025-T2, 2025, R12:2025-08, YTD:2025-08")
    p.add_argument("--format", choices=FORMATS, default=None, help="default: from --out's suffix, else pdf")
    p.add_argument("--out", required=True, help="output file (with --region also a directory)")
    p.add_argument("--split", action="store_true", help="with --region: one file per area (into the --out directory)")
    p.add_argument("--tier", choices=["police", "kommun"], default="police",
                   help="kommun: tertials and years only, counts below 5 and what could reveal them hidden, "
                        "no points or hotspots, only notes marked for the kommun")
    p.add_argument("--comparison", choices=["prev_year", "baseline", "target"], default="prev_year")
    p.add_argument("--lang", choices=["sv", "en"], default="sv")
    p.add_argument("--purpose", help="ärende/syfte, printed on the report and written to the audit log")
    p.add_argument("--author", help="who exports (audit log; default: $LAGESBILD_USER or the login name)")

    p = add("note", partial(cmd_note, engine=engine), "Analyst notes per area, period and 4P section (framsteg, problem, "
            "prioriteringar, atgarder), with history.")
    p.add_argument("action", choices=["add", "edit", "list"])
    p.add_argument("--area")
    p.add_argument("--period")
    p.add_argument("--section", help="framsteg | problem | prioriteringar | atgarder")
    p.add_argument("--text")
    p.add_argument("--id", type=int, help="note edit: the note to replace")
    p.add_argument("--internal", action="store_true", help="police only, labelled internal (never in the kommun tier)")
    p.add_argument("--public", action="store_true", help="note edit: no longer internal")
    p.add_argument("--kommun", action="store_true",
                   help="shown in the kommun tier (only notes marked so are; add and edit)")
    p.add_argument("--not-kommun", action="store_true", help="note edit: no longer shown in the kommun tier")
    p.add_argument("--author", help="default: $LAGESBILD_USER or the login name")
    p.add_argument("--history", action="store_true", help="note list: every version, withdrawn ones too")
