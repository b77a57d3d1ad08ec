"""CLI commands for accounts and the audit log: ``user``, ``audit``, ``backup`` (registered by ``cli.py``).

- ``user add NAME --role ROLE [--kommun CODE …] [--password-stdin]``; ``user list [--format]``;
  ``user passwd NAME --password-stdin``; ``user disable|enable|unlock NAME``
- ``audit [--since 7d|2026-11-01] [--user NAME] [--action A] [--limit N] [--format table|json]``
- ``backup --out FILE``: SQLite online backup (consistent while the app runs); PostgreSQL → pg_dump
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def _cli_user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return "cli"


def _record(action: str, engine, **kw) -> None:
    from security.audit import record

    record(action, user=_cli_user(), engine=engine, **kw)


def _read_password(args) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline()
        pw = line.rstrip("\r\n")
        if not pw:
            raise InputError(None, "--password-stdin: no password on standard input")
        return pw
    if sys.stdin.isatty():
        pw = getpass.getpass("Lösenord: ")
        if pw != getpass.getpass("Upprepa lösenordet: "):
            raise InputError(None, "the passwords differ")
        return pw or None
    return None


def cmd_user(args, engine: Callable[[], Engine]) -> int:
    from security import users

    engine = engine()
    sub = args.user_command
    try:
        if sub == "add":
            password = _read_password(args)
            u = users.create_user(engine, args.name, args.role, args.kommun, password)
            _record("user_add", engine, detail={"name": u.name, "role": u.role, "kommuner": list(u.kommuner),
                                                "password": u.has_password})
            kind = "with a password (local login)" if u.has_password else "without a password (header login only)"
            print(f"user {u.name}: role {u.role}" + (f", kommuner {', '.join(u.kommuner)}" if u.kommuner else "")
                  + f", {kind}")
        elif sub == "list":
            rows = [{"name": u.name, "role": u.role, "kommuner": list(u.kommuner), "active": u.active,
                     "password": u.has_password, "failed_attempts": u.failed_attempts,
                     "locked_until": u.locked_until.isoformat(timespec="seconds") if u.locked_until else None,
                     "created_at": u.created_at.isoformat(timespec="seconds")} for u in users.list_users(engine)]
            if args.format == "json":
                print(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                _print_table(rows, ("name", "role", "kommuner", "active", "password", "failed_attempts",
                                    "locked_until", "created_at"))
        elif sub == "passwd":
            password = _read_password(args)
            if not password:
                raise InputError(None, "user passwd: give the password on standard input (--password-stdin)")
            users.set_password(engine, args.name, password)
            _record("user_passwd", engine, detail={"name": args.name})
            print(f"user {args.name}: password set, login throttle cleared, every session ended")
        elif sub in ("disable", "enable"):
            users.set_active(engine, args.name, sub == "enable")
            _record(f"user_{sub}", engine, detail={"name": args.name})
            print(f"user {args.name}: " + ("enabled" if sub == "enable" else "disabled, every session ended"))
        elif sub == "unlock":
            users.unlock(engine, args.name)
            _record("user_unlock", engine, detail={"name": args.name})
            print(f"user {args.name}: unlocked")
    except ValueError as exc:
        raise InputError(None, str(exc)) from exc
    return 0


def _print_table(rows: list[dict], cols: tuple[str, ...]) -> None:
    def cell(v) -> str:
        if isinstance(v, list):
            return ",".join(v)
        return "" if v is None else str(v).replace("\n", " ")

    widths = {c: max([len(c)] + [len(cell(r.get(c))) for r in rows]) for c in cols}
    widths = {c: min(w, 60) for c, w in widths.items()}
    print("  ".join(c.ljust(widths[c]) for c in cols).rstrip())
    for r in rows:
        print("  ".join(cell(r.get(c))[:60].ljust(widths[c]) for c in cols).rstrip())


def cmd_audit(args, engine: Callable[[], Engine]) -> int:
    from security.audit import parse_since, query

    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        raise InputError(None, str(exc)) from exc
    if args.limit <= 0:
        raise InputError(None, "--limit must be positive")
    rows = query(engine(), since=since, user=args.user, action=args.action, limit=args.limit)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        _print_table(rows, ("at", "user", "action", "area_id", "period", "layer", "purpose", "detail"))
    return 0


def cmd_backup(args, engine: Callable[[], Engine]) -> int:
    from config import settings

    if not settings().is_sqlite:  # decided from the URL: never connect to (or migrate) PostgreSQL here
        raise InputError(None, "backup: the database is PostgreSQL; back it up with pg_dump, e.g. "
                               "pg_dump --format=custom --file=lagesbild.dump \"$DATABASE\" "
                               "(restore with pg_restore), or with the server's own base backups / WAL archiving")
    engine = engine()
    src_path = engine.url.database
    if not src_path or src_path == ":memory:":
        raise InputError(None, "backup: the SQLite database is in memory")
    out = Path(args.out).expanduser().resolve()
    if out == Path(src_path).resolve():
        raise InputError(None, f"backup: {out} is the live database")
    if out.exists() and not args.force:
        raise InputError(out, "exists already (use --force to replace it)")
    if not out.parent.is_dir():
        raise InputError(out, f"directory {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    src = sqlite3.connect(src_path, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            # online: one read transaction gives a consistent snapshot; in WAL mode writers go on
            src.backup(dst)
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
        finally:
            dst.close()
    finally:
        src.close()
    if check != "ok":
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"backup failed its integrity check: {check}")
    os.replace(tmp, out)
    size = out.stat().st_size
    _record("backup", engine, detail={"out": str(out), "bytes": size})
    print(f"backup: {out} ({size / 1e6:.1f} MB, integrity ok)")
    return 0


def register(add, engine: Callable[[], Engine]) -> None:
    """Add ``user``, ``audit`` and ``backup`` to the CLI (called by ``cli.build_parser`` with its engine factory)."""
    from security.access import ROLES

    p = add("user", partial(cmd_user, engine=engine), "Manage accounts: add, list, passwd, disable, enable, unlock.")
    sub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    a = sub.add_parser("add", help="add an account", description=(
        "Add an account. Roles: " + ", ".join(ROLES) + ". kommunpartner sees only the kommun tier of "
        "the kommuner given with --kommun. Without --password-stdin (and no terminal) the account has "
        "no password and can log in only through the trusted proxy header (LAGESBILD_AUTH=header)."))
    a.add_argument("name")
    a.add_argument("--role", required=True, help=", ".join(ROLES) + " (å/ä/ö may be written a/a/o)")
    a.add_argument("--kommun", action="append", default=[], metavar="CODE",
                   help="kommun code granted to a kommunpartner, e.g. 0180 (repeatable)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    ls = sub.add_parser("list", help="list accounts")
    ls.add_argument("--format", default="table", choices=["table", "json"])
    pw = sub.add_parser("passwd", help="set a password (ends every session, clears the login throttle)")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    for name, text in (("disable", "deactivate an account (every session of it ends at once)"),
                       ("enable", "reactivate an account"), ("unlock", "clear a lockout after failed logins")):
        sp = sub.add_parser(name, help=text)
        sp.add_argument("name")

    p = add("audit", partial(cmd_audit, engine=engine), "Show the audit log (who viewed, exported or imported what, logins), newest first.")
    p.add_argument("--since", help="2026-11-01, 2026-11-01T08:00 (UTC) or relative: 7d, 12h, 30m")
    p.add_argument("--user", help="only this user")
    p.add_argument("--action", help="only this action (view, export, import, login, login_failed, denied …)")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--format", default="table", choices=["table", "json"])

    p = add("backup", partial(cmd_backup, engine=engine), "Online backup of the SQLite store to FILE (PostgreSQL: use pg_dump).")
    p.add_argument("--out", required=True, type=Path, help="the backup file to write")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
