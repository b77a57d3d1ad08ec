"""``cli.py user``, ``audit`` and ``backup``."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from testing.harness import configured, copy_sqlite


@pytest.fixture
def db(demo_db_path, tmp_path, data_dir):
    path = copy_sqlite(demo_db_path, tmp_path / "cli.sqlite")
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_DATA_DIR": str(data_dir)}):
        yield path


def run(argv, stdin: str = "", monkeypatch=None, capsys=None):
    import cli

    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out = capsys.readouterr() if capsys is not None else None
    return code, out


def test_user_add_list_and_input_errors(db, monkeypatch, capsys):
    code, out = run(["user", "add", "anna", "--role", "omradespolis", "--password-stdin"],
                    "a long enough password\n", monkeypatch, capsys)
    assert code == 0 and "områdespolis" in out.out and "with a password" in out.out
    code, out = run(["user", "add", "kp", "--role", "kommunpartner", "--kommun", "0180", "--kommun", "1480"],
                    "", monkeypatch, capsys)
    assert code == 0 and "0180, 1480" in out.out and "header login only" in out.out
    for argv, message in (
        (["user", "add", "anna", "--role", "admin"], "exists already"),
        (["user", "add", "x", "--role", "chef"], "unknown role"),
        (["user", "add", "x", "--role", "kommunpartner"], "at least one --kommun"),
        (["user", "add", "x", "--role", "kommunpartner", "--kommun", "180"], "four digits"),
        (["user", "add", "bad name!", "--role", "admin"], "user name"),
        (["user", "add", "y", "--role", "admin", "--password-stdin"], "no password"),
    ):
        code, out = run(argv, "", monkeypatch, capsys)
        assert code == 2 and message in out.err, (argv, out.err)
    code, out = run(["user", "add", "z", "--role", "admin", "--password-stdin"], "short\n", monkeypatch, capsys)
    assert code == 2 and "at least 12" in out.err
    code, out = run(["user", "list", "--format", "json"], "", monkeypatch, capsys)
    users = {u["name"]: u for u in json.loads(out.out)}
    assert users["anna"]["role"] == "områdespolis" and users["anna"]["password"] is True
    assert users["kp"]["kommuner"] == ["0180", "1480"] and users["kp"]["password"] is False
    code, out = run(["user", "disable", "kp"], "", monkeypatch, capsys)
    assert code == 0
    code, out = run(["user", "list"], "", monkeypatch, capsys)
    assert "False" in next(line for line in out.out.splitlines() if line.startswith("kp "))


def test_audit_command_filters_and_formats(db, monkeypatch, capsys):
    from security.audit import record
    from services.context import engine

    record("view", area_id="74", period="2026-T1", layer="hotspots", user="anna", engine=engine())
    record("export", area_id="74", period="2026-T1", layer="pdf", purpose="ärende 1", user="bo", engine=engine())
    code, out = run(["audit", "--since", "1h", "--user", "bo", "--format", "json"], "", monkeypatch, capsys)
    rows = json.loads(out.out)
    assert code == 0 and [r["action"] for r in rows] == ["export"] and rows[0]["purpose"] == "ärende 1"
    code, out = run(["audit", "--action", "view"], "", monkeypatch, capsys)
    assert code == 0 and "hotspots" in out.out and "export" not in out.out
    code, out = run(["audit", "--since", "last tuesday"], "", monkeypatch, capsys)
    assert code == 2 and "--since" in out.err


def test_backup_is_a_consistent_copy(db, tmp_path, monkeypatch, capsys):
    out_file = tmp_path / "backup.sqlite"
    code, out = run(["backup", "--out", str(out_file)], "", monkeypatch, capsys)
    assert code == 0 and "integrity ok" in out.out
    src, dst = sqlite3.connect(db), sqlite3.connect(out_file)
    for table in ("areas", "indicator_values", "events", "pois"):
        assert src.execute(f"select count(*) from {table}").fetchone() == \
            dst.execute(f"select count(*) from {table}").fetchone()
    assert dst.execute("pragma journal_mode").fetchone()[0] == "delete"
    assert dst.execute("select count(*) from audit_log where action = 'backup'").fetchone()[0] == 0
    assert src.execute("select count(*) from audit_log where action = 'backup'").fetchone()[0] == 1
    code, out = run(["backup", "--out", str(out_file)], "", monkeypatch, capsys)
    assert code == 2 and "exists already" in out.err
    code, out = run(["backup", "--out", str(db)], "", monkeypatch, capsys)
    assert code == 2 and "live database" in out.err


def test_backup_refuses_postgres_without_touching_it(monkeypatch, capsys):
    with configured({"LAGESBILD_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}):
        code, out = run(["backup", "--out", "/tmp/x.dump"], "", monkeypatch, capsys)
    assert code == 2 and "pg_dump" in out.err
