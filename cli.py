"""Lägesbild command line: ``python cli.py COMMAND --help``.

Exit codes: 0 success, 2 invalid input (the message names file, row and column), 1 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from commands.output import audit_export, print_report
from config import ConfigError, settings
from geodata.errors import InputError
from texts import t

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
#: command modules that add their own commands: each has ``register(add, engine)`` (see build_parser)
COMMAND_MODULES = ("commands.report", "commands.accounts", "commands.samverkan")


def engine():
    """The configured store, migrated (for commands in feature packages too)."""
    return _engine()


def _engine():
    from store.engine import engine_for, is_migrated, migrate

    engine = engine_for(settings().database_url)
    if not is_migrated(engine):
        migrate(engine)
    return engine


def _audit_refused_import(args, exc: InputError) -> None:
    """An import refused as invalid input is an input-validation failure: audited (best effort,
    the import's own transaction was rolled back)."""
    from store.audit import write_audit
    from store.imports import current_user

    try:
        with engine().begin() as conn:
            write_audit(conn, "import_refused", current_user(), layer=args.command.removeprefix("import-"),
                        detail={"file": str(getattr(args, "path", "")), "error": str(exc)[:1000]})
    except Exception as err:  # noqa: BLE001 - the refusal itself is already reported
        print(f"warning: the refusal could not be written to the audit log ({type(err).__name__})", file=sys.stderr)


# --------------------------------------------------------------------------- commands


def cmd_bootstrap(args) -> int:
    from store.bootstrap import bootstrap

    s = settings()
    result = bootstrap(_engine(), s.data_dir, demo=not args.no_demo, seed=args.seed)
    for rep in result.reports:
        print_report(rep)
    for msg in result.messages:
        print(msg)
    print(f"database: {s.database_url}")
    return EXIT_OK


def cmd_import_areas(args) -> int:
    from store.imports import import_areas

    print_report(import_areas(_engine(), args.path, args.list_year, replace=args.replace))
    return EXIT_OK


def cmd_import_indicators(args) -> int:
    from store.imports import import_indicators

    print_report(import_indicators(_engine(), args.path, args.create_missing_indicators,
                                    preliminary_months=tuple(args.preliminary_month or ())))
    return EXIT_OK


def cmd_import_events(args) -> int:
    from store.events_import import import_events

    print_report(import_events(_engine(), args.path, source=args.source))
    return EXIT_OK


def cmd_import_pois(args) -> int:
    from store.events_import import import_pois

    print_report(import_pois(_engine(), args.path, args.kind))
    return EXIT_OK


def cmd_demo(args) -> int:
    from store.demo import clear_demo, load_demo

    engine = _engine()
    if args.replace:
        clear_demo(engine)
    for rep in load_demo(engine, settings().data_dir, seed=args.seed):
        print_report(rep)
    return EXIT_OK


def cmd_areas(args) -> int:
    from store.queries import areas_frame, list_years

    engine = _engine()
    year = args.list_year or max(list_years(engine), default=None)
    frame = areas_frame(engine, year)[["id", "name", "category", "kommun", "lpo", "region", "population"]]
    if args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False))
    else:
        print(f"list {year}: {len(frame)} areas")
        print(frame.to_string(index=False))
    return EXIT_OK


def cmd_sources(args) -> int:
    """Every data source with its first and last month and licence; which areas have real series."""
    from services.real_series import real_series_basis, sources

    eng = _engine()
    items = sources(args.lang, eng, settings().data_dir)
    basis = real_series_basis(None, eng)
    year = args.list_year or (int(basis["list_year"].max()) if len(basis) else None)
    if args.format == "json":
        rows = basis[basis["list_year"] == year] if year is not None else basis
        note = f"note_{args.lang}"
        areas = [{"area_id": r.area_id, "list_year": int(r.list_year), "status": r.status,
                  "reason": r.reason, "deso_count": int(r.deso_count), "note": getattr(r, note)}
                 for r in rows.itertuples()]
        print(json.dumps({"sources": items, "list_year": year, "areas": areas}, ensure_ascii=False, indent=2))
        return EXIT_OK
    for it in items:
        months = f"{it['first_month'] or '?'} … {it['last_month'] or '?'}" if it["first_month"] or it["last_month"] else "–"
        print(f"{it['title']}\n    {t('page.cli.sources.months', args.lang)}: {months} · "
              f"{t('page.cli.sources.licence', args.lang)}: {it['licence']} · {it['publisher']}")
        if it.get("url"):
            print(f"    {it['url']}")
    if basis.empty:
        print("\nno real offence series in the store (run `python cli.py bootstrap` with the demo data)")
        return EXIT_OK
    counts = basis.groupby("list_year")["status"].agg(lambda s: f"{int((s == 'real').sum())} of {len(s)}")
    print("\nareas with at least one real offence series (DeSO crime tables), per list: "
          + ", ".join(f"{y}: {c}" for y, c in counts.sort_index(ascending=False).items()))
    from store.queries import areas_frame

    names = areas_frame(eng, year).set_index("id")["name"]
    rows = basis[basis["list_year"] == year]
    note = f"note_{args.lang}"
    shown = rows if args.all else rows[rows["status"] == "none"]
    print(f"{'every area' if args.all else 'areas without one'} on the {year} list:")
    for r in shown.itertuples():
        print(f"  {r.area_id:>4} {names.get(r.area_id, '?')}: {getattr(r, note)}")
    return EXIT_OK


def cmd_summary(args) -> int:
    from services.indicators import area_summary_json
    from services.nowcast import annotate_summary
    from services.revisions import annotate_summary as annotate_revisions

    engine = _engine()
    data = annotate_summary(area_summary_json(engine, args.area, args.period, args.comparison, args.lang,
                                              args.list_year), engine, args.lang)
    data = annotate_revisions(data, engine, args.lang)  # data versions, preliminary values, revisions
    audit_export(engine, "summary", args.format, data["period"], str(data["area"]["id"]),
                  comparison=args.comparison, data_version=data["data_version"])
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from services.indicators import summary_table_text
        from services.revisions import summary_notes_text

        print(summary_table_text(data) + summary_notes_text(data))
    return EXIT_OK


def cmd_revisions(args) -> int:
    """Every value of an area and indicator that an import replaced (the earlier ones are kept)."""
    from services.revisions import revision_list, revision_table_text
    from store.queries import areas_frame, catalogue_frame

    engine = _engine()
    areas = areas_frame(engine)
    area = areas[areas["id"].astype(str) == str(args.area)].sort_values("list_year")
    if area.empty:
        raise InputError(None, f"--area: unknown area id '{args.area}' (`python cli.py areas` lists them)")
    cat = catalogue_frame(engine)
    ind = cat[cat["id"] == args.indicator]
    if ind.empty:
        raise InputError(None, f"--indicator: unknown indicator '{args.indicator}'. Known indicators: "
                               f"{', '.join(sorted(cat['id']))}")
    items = revision_list(engine, str(args.area), args.indicator, args.period)
    audit_export(engine, "revisions", args.format, args.period, str(args.area), indicator=args.indicator,
                  rows=len(items))
    a = area.iloc[-1]
    if args.format == "json":
        print(json.dumps({"area": {"id": str(a["id"]), "name": a["name"]}, "indicator": args.indicator,
                          "period": args.period, "revisions": items}, ensure_ascii=False, indent=2))
    else:
        print(revision_table_text({"id": str(a["id"]), "name": a["name"]}, ind.iloc[0].to_dict(), items, args.lang))
    return EXIT_OK


def cmd_compare(args) -> int:
    from services.indicators import compare_json

    engine = _engine()
    table = compare_json(engine, args.region, args.period, args.comparison, args.lang, args.list_year)
    if table["rows"]:  # every figure carries the data version it came from
        import pandas as pd

        from services.revisions import table_versions

        versions = table_versions(engine, pd.DataFrame(table["rows"])[["area_id", "indicator_id"]], table["period"])
        for row, v in zip(table["rows"], versions["data_version"], strict=True):
            row["data_version"] = None if pd.isna(v) else int(v)
    audit_export(engine, "compare", args.format, table["period"], None, region=args.region,
                  comparison=args.comparison, rows=len(table["rows"]))
    if args.format == "json":
        print(json.dumps(table, ensure_ascii=False, indent=2))
    else:
        import pandas as pd

        from reports.spreadsheet import write_csv

        write_csv(pd.DataFrame(table["rows"]), sys.stdout, sep=";", decimal=",")
    return EXIT_OK


def cmd_hotspots(args) -> int:
    """Hex Gi* (or density / emerging) layer for an area + buffer, or a whole kommun."""
    import pandas as pd

    from geodata.errors import InputError
    from geodata.points import read_points
    from indicators.calendar import parse_period
    from layers.emerging import emerging_hotspots
    from layers.hotspots import hotspots
    from layers.kde import kde_surface
    from services import layers as svc

    engine()
    label = parse_period(args.period).label
    try:
        region = svc.kommun_region(args.kommun) if args.kommun else svc.study_region(args.area, args.buffer)
    except KeyError as exc:
        raise InputError(None, f"{exc.args[0]} (`python cli.py areas` lists the areas)") from exc
    types = args.type or svc.event_types_for(args.indicator)
    if args.indicator and not types:
        raise InputError(None, f"--indicator {args.indicator}: no point events of that indicator; give --type")
    if args.events:
        frame, _, _ = read_points(args.events)
        pts = pd.DataFrame({"x": frame["x"], "y": frame["y"], "occurred_at": frame["occurred_at"],
                            "type": frame["type"], "precision": frame["precision"]})
        start, end = svc.period_span(label)
        if args.method == "emerging":
            result = emerging_hotspots(pts, region, end=end, types=types, resolution=args.resolution)
        elif args.method == "kde":
            result = kde_surface(pts, region, period=(start, end), types=types)
        else:
            result = hotspots(pts, region, period=(start, end), types=types, permutations=args.permutations,
                              seed=args.seed, resolution=args.resolution)
        fc = result.to_geojson()
    elif args.kommun:
        start, end = svc.period_span(label)
        pts = svc.events_in_region(region, label, types)
        fc = hotspots(pts, region, period=(start, end), types=types, resolution=args.resolution).to_geojson()
    elif args.method == "gistar" and (args.permutations is not None or args.resolution != "auto"):
        start, end = svc.period_span(label)
        pts = svc.events_in_region(region, label, types)
        fc = hotspots(pts, region, period=(start, end), types=types, permutations=args.permutations, seed=args.seed,
                      resolution=args.resolution).to_geojson()
    else:
        fn = {"gistar": svc.hotspot_layer, "kde": svc.kde_layer, "emerging": svc.emerging_layer}[args.method]
        fc = fn(args.area, label, types, buffer_m=args.buffer)
    if args.format == "json":  # the cells as a table, with method and exclusions
        out = {"method": fc.get("method"), "excluded": fc.get("excluded"),
               "cells": [f["properties"] for f in fc["features"]]}
    else:
        out = fc
    audit_export(engine(), "hotspots", args.format, label, args.area, kommun=args.kommun, method=args.method,
                  indicator=args.indicator, events_file=str(args.events) if args.events else None)
    text = json.dumps(out, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return EXIT_OK


def cmd_precompute(args) -> int:
    """Fill the shared cache with the heavy views of a period (a scheduled job at national scale)."""
    import time

    from services import layers as svc
    from services import page
    from services.geo import area_table, default_list_year
    from services.periods import default_period

    engine()
    period = args.period or default_period()
    year = default_list_year()
    ids = area_table(year)["id"].astype(str).tolist()
    t0 = time.perf_counter()
    page.compare("alla", period, "prev_year", "sv", year)
    timings = {"hotspots": 0.0, "summaries": 0.0, "lagesbild": 0.0}
    for area_id in ids:
        started = time.perf_counter()
        svc.hotspot_layer(area_id, period)
        timings["hotspots"] += time.perf_counter() - started
        started = time.perf_counter()
        page.summary(area_id, period, "prev_year", "sv", None)
        page.sparklines(area_id, period)
        timings["summaries"] += time.perf_counter() - started
        started = time.perf_counter()
        page.lagesbild(area_id, period, "prev_year", "sv", "police")
        timings["lagesbild"] += time.perf_counter() - started
    total = time.perf_counter() - t0
    print(json.dumps({"period": period, "areas": len(ids), "seconds": round(total, 2),
                      "hotspots_seconds": round(timings["hotspots"], 2),
                      "summaries_seconds": round(timings["summaries"], 2),
                      "lagesbild_seconds": round(timings["lagesbild"], 2)}))
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def _period(text: str) -> str:
    from indicators.calendar import parse_period

    try:
        parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def _month(text: str) -> str:
    from geodata.tabular import parse_month

    try:
        return parse_month(text, Path("--preliminary-month"), 0, "YYYY-MM")
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.detail) from exc


def _resolution(text: str) -> int | str:
    if text.strip().lower() == "auto":
        return "auto"
    try:
        res = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': expected an H3 resolution 0–15 or 'auto'") from None
    if not 0 <= res <= 15:
        raise argparse.ArgumentTypeError(f"'{text}': expected an H3 resolution 0–15 or 'auto'")
    return res


def _store_commands(add: Callable) -> None:
    """Bootstrap, imports and the demo data."""
    p = add("bootstrap", cmd_bootstrap, "Create/migrate the database, load reference geodata and, if the store is empty, the demo data.")
    p.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    p.add_argument("--seed", type=int, default=20251201, help="seed of the synthetic demo data")

    p = add("import-areas", cmd_import_areas, "Import an official area file (shapefile, GeoJSON, GeoPackage or zip; EPSG:3006 or 4326).")
    p.add_argument("path", type=Path)
    p.add_argument("--list-year", type=int, help="the list the file belongs to (2015 … 2025); inferred from the file name or a year column")
    p.add_argument("--replace", action="store_true", help="let the file remove areas of its list year that it does "
                   "not hold (without it such an import is refused, exit 2, saying how many areas would go)")

    p = add("import-indicators", cmd_import_indicators, "Import monthly indicator values: a long table (Område;Indikator;Månad;Värde[;Mål]) or a wide one (one column per month). CSV from Excel (; , or tab, decimal comma, UTF-8/BOM/cp1252), XLSX.")
    p.add_argument("path", type=Path)
    p.add_argument("--create-missing-indicators", action="store_true", help="add unknown indicators to the catalogue instead of failing")
    p.add_argument("--preliminary-month", action="append", type=_month, metavar="YYYY-MM",
                   help="store this month's values as preliminary (shown, never tested); repeatable. Without it "
                        "(or a column Preliminär with ja/nej) a value of the running month or a later one is "
                        "refused (exit 2)")

    p = add("import-events", cmd_import_events, "Import point events: CSV/GeoJSON/GeoPackage/Parquet with x/y (SWEREF 99 TM) or lat/lon, polisen.se API JSON, or the DeSO crime tables.")
    p.add_argument("path", type=Path)
    p.add_argument("--source", help="source name stored with the events (default: from the format or file name)")

    p = add("import-pois", cmd_import_pois, "Import places of interest (points) of one kind.")
    p.add_argument("path", type=Path)
    p.add_argument("--kind", required=True, help="e.g. krog, skola, station")

    p = add("demo", cmd_demo, "Load the demo data set (real series where public, synthetic and labelled otherwise).")
    p.add_argument("--seed", type=int, default=20251201)
    p.add_argument("--replace", action="store_true", help="remove existing values, events and places first")


def _listing_commands(add: Callable) -> None:
    """The areas and the data sources."""
    p = add("areas", cmd_areas, "List the areas of a list year (ids, names, kommun, LPO, region).")
    p.add_argument("--list-year", type=int, default=None, help="default: the newest list")
    p.add_argument("--format", default="table", choices=["table", "json"])

    p = add("sources", cmd_sources, "Every data source with its first and last month, licence and address; how many "
            "areas of each list have a real offence series, and why the others have none.")
    p.add_argument("--list-year", type=int, default=None, help="the list whose areas are listed (default: newest)")
    p.add_argument("--all", action="store_true", help="list every area of the list, not only those without a real series")
    p.add_argument("--format", default="table", choices=["table", "json"])
    p.add_argument("--lang", default="sv", choices=["sv", "en"])


def _analysis_commands(add: Callable) -> None:
    """Summary, revisions, the regional table, hot spots and the precomputed cache."""
    p = add("summary", cmd_summary, "Every indicator for one area and period, with comparison statistics and RAG.")
    p.add_argument("--area", required=True, help="the police's area id (SPECIALOMRADES_ID), e.g. 74 for Rinkeby")
    p.add_argument("--period", required=True, type=_period, help="2025-05 (month), 2025-T2 (tertial), 2025 (year), R12:2025-08, YTD:2025-08 "
                   "(an ISO week 2025-W14 is counted from events: `cli.py weekly`)")
    p.add_argument("--comparison", default="prev_year", choices=["prev_year", "baseline", "target"])
    p.add_argument("--format", default="json", choices=["json", "table"])
    p.add_argument("--lang", default="sv", choices=["sv", "en"])
    p.add_argument("--list-year", type=int, default=None, help="list year of the area set (default: newest)")

    p = add("revisions", cmd_revisions, "Every value of an area and indicator that an import replaced: month, "
            "value before and after, preliminary flags, the import that replaced it and when (the earlier values "
            "are kept; `summary` notes a value that changed after an earlier export).")
    p.add_argument("--area", required=True, help="the police's area id")
    p.add_argument("--indicator", required=True, help="indicator id, e.g. ran")
    p.add_argument("--period", type=_period, default=None, help="only the months of this period")
    p.add_argument("--format", default="table", choices=["table", "json"])
    p.add_argument("--lang", default="sv", choices=["sv", "en"])

    p = add("compare", cmd_compare, "The regional table: areas × indicators with value, change, statistics, RAG and reason.")
    p.add_argument("--region", required=True, help="police region (Stockholm, Väst, Syd, Öst, Mitt, Bergslagen, Nord) or 'alla'")
    p.add_argument("--period", required=True, type=_period)
    p.add_argument("--comparison", default="prev_year", choices=["prev_year", "baseline", "target"])
    p.add_argument("--format", default="json", choices=["json", "csv"])
    p.add_argument("--lang", default="sv", choices=["sv", "en"])
    p.add_argument("--list-year", type=int, default=None)

    p = add("hotspots", cmd_hotspots, "Tested hotspots on an H3 hexagon grid (Getis-Ord Gi*, FDR, 90/95/99 % classes) "
            "for an area plus a buffer or a whole kommun; also kernel density (--method kde) and emerging hotspots "
            "(--method emerging). GeoJSON: FeatureCollection with properties cell, count, z, p, p_adjusted, class "
            "and top-level method and excluded.")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--area", help="area id; the study region is the area plus --buffer metres")
    where.add_argument("--kommun", help="kommun code (e.g. 0180): the whole kommun is the study region")
    p.add_argument("--period", required=True, type=_period)
    p.add_argument("--indicator", help="count only the events of this indicator (e.g. skjutningar)")
    p.add_argument("--type", action="append", help="event type to count (repeatable); overrides --indicator")
    p.add_argument("--events", type=Path, help="run on a file of points instead of the store (any import-events format)")
    p.add_argument("--method", default="gistar", choices=["gistar", "kde", "emerging"])
    p.add_argument("--buffer", type=float, default=300.0, help="metres around the area (default 300)")
    p.add_argument("--resolution", type=_resolution, default="auto",
                   help="H3 resolution (9 ≈ 175 m edge) or 'auto' (default: 9, finer while fewer than 30 "
                        "cells lie at least 90 %% inside the study region)")
    p.add_argument("--permutations", type=int, default=None,
                   help="conditional permutations, 0 = analytical (default: analytical where the cells hold ≥ 10 events on average, else 999)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", default="geojson", choices=["geojson", "json"])
    p.add_argument("--out", type=Path, help="write to this file instead of standard output")

    p = add("precompute", cmd_precompute, "Compute the heavy views of a period (national compare table, every "
            "area's summary and hotspot layer) into the cache shared by the app's workers (Redis when "
            "LAGESBILD_REDIS_URL is set). Run it after imports or on a schedule.")
    p.add_argument("--period", type=_period, help="default: the latest complete tertial")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        # argparse %-formats the help it lists ("90/95/99 % classes" would crash `cli.py --help`)
        p = sub.add_parser(name, help=help_text.replace("%", "%%"), description=help_text)
        p.set_defaults(func=func)
        return p

    _store_commands(add)
    _listing_commands(add)
    _analysis_commands(add)

    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(add, engine)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 for usage errors, 0 for --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except (InputError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        if isinstance(exc, InputError) and str(getattr(args, "command", "")).startswith("import-"):
            _audit_refused_import(args, exc)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERNAL
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
