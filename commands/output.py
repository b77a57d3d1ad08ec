"""What every command shares: the import report it prints and the audit row of data it writes out
(used by ``cli.py`` and the command modules alike)."""

from __future__ import annotations


def audit_export(engine, command: str, fmt: str, period: str, area_id: str | None = None, **detail) -> None:
    """The audit row of data a command writes out (summary, compare, hotspots), before it does:
    if the row cannot be written, the command fails and prints nothing."""
    from services.context import data_version
    from store.audit import write_audit
    from store.imports import current_user

    detail.setdefault("data_version", data_version(engine))  # what the output showed (revision notes)
    with engine.begin() as conn:
        write_audit(conn, "export", current_user(), area_id=area_id, period=period, layer=fmt,
                    detail={"command": command, **{k: v for k, v in detail.items() if v is not None}})


def print_report(rep) -> None:
    """One line per import: file, status, rows accepted and rejected, then its warnings."""
    status = "unchanged (the store holds this already)" if rep.status == "unchanged" else rep.status
    extra = ""
    if getattr(rep, "preliminary", 0):
        extra += f"; {rep.preliminary} preliminary (shown, never tested)"
    if getattr(rep, "replaced", 0):
        extra += f"; {rep.replaced} stored values replaced, the earlier ones kept (`cli.py revisions`)"
    print(f"{rep.kind}: {rep.file}: {status}; rows accepted {rep.rows_accepted}, rejected {rep.rows_rejected}{extra}")
    for w in rep.warnings:
        print(f"  warning: {w}")
