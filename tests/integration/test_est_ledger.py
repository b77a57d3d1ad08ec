"""The agreement ledger (issue 14): import with file/row/column errors and nothing written, history
on every edit, export → import round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from geodata.errors import InputError
from store.ledger import Item, current_items, import_ledger, item_history, ledger_frame, save_item
from store.schema import ledger_items
from tests.est import files

ON = dt.date.fromisoformat(files.TODAY)


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ledger_items)).scalar_one()


def test_the_agreement_imports_cleanly(copy_engine, tmp_path):
    rep = import_ledger(copy_engine, files.ledger(tmp_path), user="kp", on=ON)
    assert rep.status == "imported" and rep.rows_accepted == 10
    items = current_items(copy_engine, kommun="0180")
    kinds = [it.kind for it in items]
    assert kinds.count("problem") == 3 and kinds.count("promise") == 2 and kinds.count("action") == 4
    by = {it.key: it for it in items}
    assert by["H1"].status == "klar" and by["H1"].done_date == dt.date(2026, 3, 27)
    assert by["P1"].indicator_ids == ("narkotikabrott",) and by["P1"].area_ids == ("74",)
    assert by["L2"].indicator_ids == ()  # ej mätbart
    assert {it.key for it in current_items(copy_engine, public_only=True)} == set(by) - {"H4"}
    again = import_ledger(copy_engine, files.ledger(tmp_path, name="igen.csv"), user="kp", on=ON)
    assert again.status == "unchanged" and _count(copy_engine) == 10


def test_an_edit_is_a_new_row_and_history_is_kept(copy_engine, tmp_path):
    import_ledger(copy_engine, files.ledger(tmp_path), user="kp", on=ON)
    edited = files.LEDGER.replace("2026-04-10;planerad;", "2026-04-10;klar;2026-04-07")
    rep = import_ledger(copy_engine, files.ledger(tmp_path, edited, "v2.csv"), user="kp", on=ON)
    assert rep.status == "imported" and _count(copy_engine) == 11
    hist = item_history(copy_engine, "H3")
    assert hist["status"].tolist() == ["planerad", "klar"] and hist["supersedes"].iloc[1] == hist["id"].iloc[0]
    it = {i.key: i for i in current_items(copy_engine)}["H3"]
    save_item(copy_engine, Item(**{**it.__dict__, "owner": "Trafikkontoret, enhetschef"}), "kp2")
    assert len(item_history(copy_engine, "H3")) == 3
    assert {i.key: i for i in current_items(copy_engine)}["H3"].owner == "Trafikkontoret, enhetschef"


def test_export_reads_back_unchanged(copy_engine, tmp_path):
    from reports.spreadsheet import csv_text, xlsx_bytes

    import_ledger(copy_engine, files.ledger(tmp_path), user="kp", on=ON)
    frame = ledger_frame(current_items(copy_engine))
    (tmp_path / "ut.csv").write_text(csv_text(frame), encoding="utf-8-sig")
    (tmp_path / "ut.xlsx").write_bytes(xlsx_bytes({"Överenskommelse": frame}))
    assert import_ledger(copy_engine, tmp_path / "ut.csv", user="kp", on=ON).status == "unchanged"
    assert import_ledger(copy_engine, tmp_path / "ut.xlsx", user="kp", on=ON).status == "unchanged"


@pytest.mark.parametrize(("change", "row", "column", "message"), [
    (("Kommunpolis Andersson;Polisen", ";Polisen"), 8, "Ansvarig", "without an owner"),
    (("74;Rinkeby T-bana;ran;", "74;Rinkeby T-bana;rån_okänd;"), 4, "Indikatorer", "unknown indicator id 'rån_okänd'"),
    (("åtgärd;H2;L1", "åtgärd;H2;L9"), 9, "Tillhör", "unknown parent 'L9'"),
    (("åtgärd;H2;L1", "åtgärd;H2;A1"), 9, "Tillhör", "cannot belong to a överenskommelse"),
    (("2026-03-31;klar;2026-03-27", "2026-03-31;klar;2026-05-27"), 8, "Klart", "in the future"),
    (("2026-03-31;klar;2026-03-27", "2026-03-31;klar;"), 8, "Klart", "without the day"),
    (("löfte;L2", "löfte;L1"), 7, "Id", "appears twice"),
    (("problem;P3", "problemet;P3"), 5, "Typ", "unknown type 'problemet'"),
    (("2026-04-30;pågående", "2026-04-31;pågående"), 9, "Förfallodatum", "is not a date"),
])
def test_bad_files_name_file_row_column_and_write_nothing(copy_engine, tmp_path, change, row, column, message):
    assert change[0] in files.LEDGER
    bad = files.ledger(tmp_path, files.LEDGER.replace(*change, 1), "bad.csv")
    with pytest.raises(InputError) as err:
        import_ledger(copy_engine, bad, user="kp", on=ON)
    assert (err.value.row, err.value.column) == (row, column) and message in str(err.value)
    assert "bad.csv" in str(err.value) and _count(copy_engine) == 0


def test_cli_ledger_import_export(copy_engine, tmp_path, monkeypatch, capsys):
    import cli

    monkeypatch.setattr(cli, "engine", lambda: copy_engine)
    assert cli.main(["ledger", "import", str(files.ledger(tmp_path))]) == 0
    out = tmp_path / "export.xlsx"
    assert cli.main(["ledger", "export", str(out), "--kommun", "0180", "--public"]) == 0
    import pandas as pd

    back = pd.read_excel(out, dtype=str)
    assert len(back) == 9 and "H4" not in set(back["Id"])
    bad = files.ledger(tmp_path, files.LEDGER.replace("Kommunpolis Andersson;Polisen", ";Polisen"), "bad.csv")
    assert cli.main(["ledger", "import", str(bad)]) == 2
    assert "bad.csv: row 8, column 'Ansvarig'" in capsys.readouterr().err
