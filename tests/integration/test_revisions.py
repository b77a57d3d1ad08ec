"""Revisions (issue 16, item 4) and the running month (issue 11, item 5), through the CLI on a real
store: a re-import that changes a value keeps the old one (``cli.py revisions``, any earlier data
version rebuilt), the summary notes "reviderat … sedan" against the last export that showed another
value, every figure carries its data version; the running month is refused unless preliminary,
preliminary values are shown marked and grey and never tested, and a final import replaces them
and makes the period testable."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import select

import cli
import store.imports
from config import settings
from indicators.revisions import values_as_of
from store.queries import table_counts, values_frame
from store.revisions import revisions_frame
from store.schema import audit_log, imports

AREA, IND = "74", "ran"  # Rinkeby, robbery (a count)


@pytest.fixture
def run_cli(copy_engine, monkeypatch, data_dir):
    monkeypatch.setenv("LAGESBILD_DATABASE_URL", str(copy_engine.url))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LAGESBILD_USER", "analytiker")
    settings.cache_clear()

    def run(*argv) -> int:
        return cli.main([str(a) for a in argv])

    yield run
    settings.cache_clear()


@pytest.fixture
def today(monkeypatch):
    """Set the product's "today" (the running month) for the imports."""
    def set_today(day: dt.date) -> None:
        monkeypatch.setattr(store.imports, "today", lambda: day)

    set_today(dt.date(2026, 12, 4))
    return set_today


def history(first: str = "2022-01", last: str = "2026-11", seed: int = 3) -> dict[str, float]:
    """A robbery series for Rinkeby: deterministic counts 2–9 per month."""
    months = pd.period_range(first, last, freq="M").strftime("%Y-%m")
    return {m: float(2 + (i * 7 + seed) % 8) for i, m in enumerate(months)}


def write_long(path, values: dict[str, float], preliminary: dict[str, str] | None = None) -> str:
    head = "Område;Indikator;Månad;Värde" + (";Preliminär" if preliminary is not None else "")
    lines = [head]
    for m, v in values.items():
        row = f"{AREA};{IND};{m};{v:g}"
        if preliminary is not None:
            row += f";{preliminary.get(m, '')}"
        lines.append(row)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return str(path)


def summary_json(run_cli, capsys, period: str) -> tuple[dict, dict]:
    assert run_cli("summary", "--area", AREA, "--period", period, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    return data, next(i for i in data["indicators"] if i["id"] == IND)


def import_ids(engine) -> list[int]:
    with engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(select(imports.c.id).where(imports.c.kind == "indicators")
                                                .order_by(imports.c.id))]


# --------------------------------------------------------------------------- revisions


def test_a_reimport_that_changes_a_value_keeps_the_old_one_and_the_summary_says_so(
        run_cli, copy_engine, tmp_path, capsys, today):
    vals = history()
    first = write_long(tmp_path / "first.csv", vals)
    assert run_cli("import-indicators", first) == 0
    capsys.readouterr()
    v1 = import_ids(copy_engine)[-1]
    # an export of 2025-T1 (the summary is audited as one, with the data version it showed)
    data, before = summary_json(run_cli, capsys, "2025-T1")
    shown = sum(vals[m] for m in ("2025-01", "2025-02", "2025-03", "2025-04"))
    assert before["value"] == shown and before["revision"] is None
    assert before["data_version"] == v1 and data["data_version"] == v1
    with copy_engine.connect() as conn:
        detail = json.loads(conn.execute(select(audit_log.c.detail).where(audit_log.c.action == "export")
                                         .order_by(audit_log.c.id.desc())).first()[0])
    assert detail["command"] == "summary" and detail["data_version"] == v1

    # a corrected file: one month revised up by 5
    revised = dict(vals, **{"2025-02": vals["2025-02"] + 5})
    second = write_long(tmp_path / "second.csv", revised)
    assert run_cli("import-indicators", second) == 0
    out = capsys.readouterr().out
    assert "1 stored values replaced, the earlier ones kept" in out
    v2 = import_ids(copy_engine)[-1]
    assert v2 > v1

    # the old value is retrievable: in the revisions table, and as of the first data version
    revs = revisions_frame(copy_engine, [AREA], [IND], field="value")
    assert revs[["month", "old_value", "new_value", "old_import_id", "import_id"]].values.tolist() == [
        ["2025-02", vals["2025-02"], vals["2025-02"] + 5, v1, v2]]
    now = values_frame(copy_engine, [IND], [AREA], flags=True)
    then = values_as_of(now, revs, v1).set_index("month")["value"]
    assert then.to_dict() == vals
    assert values_as_of(now, revs, v2).set_index("month")["value"].to_dict() == revised

    # cli.py revisions lists it (JSON and table)
    assert run_cli("revisions", "--area", AREA, "--indicator", IND, "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)["revisions"]
    assert len(listed) == 1 and listed[0]["month"] == "2025-02" and listed[0]["change"] == 5.0
    assert listed[0]["old_value"] == vals["2025-02"] and listed[0]["old_import_id"] == v1
    assert listed[0]["import_id"] == v2 and listed[0]["file"].endswith("second.csv")
    assert listed[0]["old_file"].endswith("first.csv")
    assert run_cli("revisions", "--area", AREA, "--indicator", IND) == 0
    table = capsys.readouterr().out
    assert "2025-02" in table and "+5" in table and "second.csv" in table

    # the summary notes the revision against the export that showed the old value
    data, after = summary_json(run_cli, capsys, "2025-T1")
    local_today = dt.datetime.now(dt.UTC).astimezone(ZoneInfo("Europe/Stockholm")).date()
    rev = after["revision"]
    assert after["value"] == shown + 5 and after["data_version"] == v2
    assert rev["change"] == 5.0 and rev["previous"] == shown and rev["value"] == shown + 5
    assert rev["since"] == local_today.isoformat() and rev["export"]["data_version"] == v1
    assert rev["months"] == [{"month": "2025-02", "previous": vals["2025-02"], "value": vals["2025-02"] + 5,
                              "was_preliminary": False, "preliminary": False}]
    assert rev["revised_by"] == [v2]
    assert rev["text"] == f"reviderat +5 sedan {local_today.isoformat()} (var {shown:g})"
    assert run_cli("summary", "--area", AREA, "--period", "2025-T1", "--format", "table") == 0
    assert f"Rån: reviderat +5 sedan {local_today.isoformat()}" in capsys.readouterr().out
    # the report of the period says it among its caveats (the kommun tier without the numbers)
    assert run_cli("report", "--area", AREA, "--period", "2025-T1", "--format", "md", "--out", tmp_path / "r.md") == 0
    assert f"Rån: reviderat +5 sedan {local_today.isoformat()} (var {shown:g})" in (tmp_path / "r.md").read_text("utf-8")
    assert run_cli("report", "--area", AREA, "--period", "2025-T1", "--format", "md", "--tier", "kommun",
                   "--out", tmp_path / "k.md") == 0
    kommun = (tmp_path / "k.md").read_text("utf-8")
    line = next(x for x in kommun.splitlines() if "reviderat" in x)
    assert f"Rån: reviderat sedan {local_today.isoformat()}." in line and "+5" not in line and "var " not in line
    capsys.readouterr()
    # another period, whose months did not change, has no note; nor a period nobody exported
    _, other = summary_json(run_cli, capsys, "2024-T1")
    assert other["revision"] is None

    # re-importing the same file changes nothing, revisions included
    counts = table_counts(copy_engine)
    assert run_cli("import-indicators", second) == 0
    assert "unchanged" in capsys.readouterr().out
    assert table_counts(copy_engine) == counts

    # the first file again restores the value (a revision too); the note now compares with the
    # newest export that showed another value (the summary made after the correction)
    assert run_cli("import-indicators", first) == 0
    capsys.readouterr()
    _, back = summary_json(run_cli, capsys, "2025-T1")
    assert back["value"] == shown
    assert back["revision"]["change"] == -5.0 and back["revision"]["previous"] == shown + 5
    assert back["revision"]["export"]["data_version"] == v2
    assert len(revisions_frame(copy_engine, [AREA], [IND])) == 2


def test_an_export_carries_the_data_version_of_each_figure(run_cli, copy_engine, tmp_path, capsys, today):
    vals = history()
    assert run_cli("import-indicators", write_long(tmp_path / "a.csv", vals)) == 0
    v1 = import_ids(copy_engine)[-1]
    # another indicator imported later: its figures have another version, robbery keeps its own
    path = tmp_path / "b.csv"
    path.write_text("Område;Indikator;Månad;Värde\n" + "".join(
        f"{AREA};skjutningar;{m};1\n" for m in history()), "utf-8")
    assert run_cli("import-indicators", path) == 0
    v2 = import_ids(copy_engine)[-1]
    capsys.readouterr()
    assert run_cli("report", "--area", AREA, "--period", "2025-T1", "--format", "csv", "--out", tmp_path / "r.csv") == 0
    frame = pd.read_csv(tmp_path / "r.csv", sep=";", decimal=",", skiprows=1, encoding="utf-8-sig")
    assert "dataversion" in frame.columns
    table = frame[frame["avsnitt"] == "Indikatorer"]
    assert set(table.loc[table["indikator_id"] == IND, "dataversion"]) == {v1}
    assert set(table.loc[table["indikator_id"] == "skjutningar", "dataversion"]) == {v2}
    assert table.loc[table["indikator_id"] == "trygghet", "dataversion"].isna().all()  # no value: no version
    # the document's rows say it too
    assert run_cli("report", "--area", AREA, "--period", "2025-T1", "--format", "md", "--out", tmp_path / "r.md") == 0
    md = (tmp_path / "r.md").read_text("utf-8")
    line = next(x for x in md.splitlines() if "Dataversion per indikator" in x)
    assert f"Rån {v1}" in line and f"Skjutningar {v2}" in line and "Trygghet" not in line
    # the compare table: every row with its data version
    capsys.readouterr()
    assert run_cli("compare", "--region", "Stockholm", "--period", "2025-T1", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    mine = {r["indicator_id"]: r["data_version"] for r in rows if r["area_id"] == AREA}
    assert mine[IND] == v1 and mine["skjutningar"] == v2 and mine["trygghet"] is None


# --------------------------------------------------------------------------- the running month


def test_the_running_month_is_refused_unless_preliminary_and_never_tested(
        run_cli, copy_engine, tmp_path, capsys, today, monkeypatch):
    vals = history(last="2026-11")
    running = dict(vals, **{"2026-12": 2.0})
    counts = table_counts(copy_engine)
    # without a mark: exit 2, naming file, row, column and the month; nothing written
    plain = write_long(tmp_path / "plain.csv", running)
    assert run_cli("import-indicators", plain) == 2
    err = capsys.readouterr().err
    row = list(running).index("2026-12") + 2
    assert f"plain.csv: row {row}, column 'Månad': 2026-12 is the running month (today is 2026-12-04)" in err
    assert "--preliminary-month 2026-12" in err and "Preliminär" in err
    assert table_counts(copy_engine) == counts
    # "nej" is no mark either; an unknown word is an error naming its cell
    assert run_cli("import-indicators", write_long(tmp_path / "nej.csv", running, {"2026-12": "nej"})) == 2
    assert "2026-12 is the running month" in capsys.readouterr().err
    assert run_cli("import-indicators", write_long(tmp_path / "kanske.csv", running, {"2026-12": "kanske"})) == 2
    assert f"row {row}, column 'Preliminär': 'kanske' is not ja/nej" in capsys.readouterr().err
    # a later month is refused too
    later = write_long(tmp_path / "later.csv", {"2027-02": 1.0})
    assert run_cli("import-indicators", later) == 2
    assert "2027-02 is a month that has not begun" in capsys.readouterr().err
    assert table_counts(copy_engine) == counts

    # marked preliminary: imported and flagged
    marked = write_long(tmp_path / "marked.csv", running, {"2026-12": "ja"})
    assert run_cli("import-indicators", marked) == 0
    assert "1 preliminary (shown, never tested)" in capsys.readouterr().out
    v = values_frame(copy_engine, [IND], [AREA], flags=True).set_index("month")
    assert bool(v.at["2026-12", "preliminary"]) and not v.drop("2026-12")["preliminary"].any()
    assert "2026-12" not in set(values_frame(copy_engine, [IND], [AREA], final_only=True)["month"])
    # the same file again changes nothing
    counts = table_counts(copy_engine)
    assert run_cli("import-indicators", marked) == 0
    assert "unchanged" in capsys.readouterr().out and table_counts(copy_engine) == counts

    # the summary shows the period preliminary: grey, untested, the preliminary value beside
    final_part = sum(vals[m] for m in ("2026-09", "2026-10", "2026-11"))
    _, e = summary_json(run_cli, capsys, "2026-T3")
    assert e["preliminary"] is True and e["complete"] is False
    assert e["rag"] == "grey" and e["p"] is None and e["p_adjusted"] is None and e["signal"] not in ("sig_worse", "sig_better")
    assert e["value"] == final_part  # the verdict engine saw the final months only
    assert e["value_preliminary"] == final_part + 2.0
    assert [m["month"] for m in e["preliminary_months"]] == ["2026-12"] and e["preliminary_months"][0]["value"] == 2.0
    assert "2026-12 preliminär (ej slutlig)" in e["coverage_note"]
    # the compare table (the FDR family) agrees: grey, untested
    assert run_cli("compare", "--region", "Stockholm", "--period", "2026-T3", "--format", "json") == 0
    row = next(r for r in json.loads(capsys.readouterr().out)["rows"] if r["area_id"] == AREA and r["indicator_id"] == IND)
    assert row["rag"] == "grey" and row["p"] is None and row["complete"] is False
    # the month alone as a period: not tested either
    _, m = summary_json(run_cli, capsys, "2026-12")
    assert m["preliminary"] is True and m["rag"] == "grey" and m["p"] is None and m["value"] is None

    # the month is over: a final file replaces the preliminary value (a revision) and the period is tested
    today(dt.date(2027, 1, 5))
    final = dict(vals, **{"2026-12": 9.0})
    assert run_cli("import-indicators", write_long(tmp_path / "final.csv", final)) == 0
    assert "1 stored values replaced" in capsys.readouterr().out
    revs = revisions_frame(copy_engine, [AREA], [IND])
    assert revs[["month", "old_value", "old_preliminary", "new_value", "new_preliminary"]].values.tolist() == [
        ["2026-12", 2.0, True, 9.0, False]]
    _, e = summary_json(run_cli, capsys, "2026-T3")
    assert e["preliminary"] is False and e["complete"] is True
    assert e["value"] == final_part + 9.0 and e["p"] is not None and e["test"]
    assert e["rag"] in ("red", "amber", "green")
    # the earlier summaries showed the preliminary 2: the note says the figure was revised
    assert e["revision"]["change"] == 7.0 and e["revision"]["months"][0]["was_preliminary"] is True


def test_preliminary_month_flag_and_a_preliminary_mark_of_a_past_month(run_cli, copy_engine, tmp_path, capsys, today):
    vals = dict(history(last="2026-11"), **{"2026-12": 4.0})
    path = write_long(tmp_path / "flag.csv", vals)
    assert run_cli("import-indicators", path, "--preliminary-month", "2026-12", "--preliminary-month", "2026-11") == 0
    v = values_frame(copy_engine, [IND], [AREA], flags=True).set_index("month")["preliminary"]
    assert v[v].index.tolist() == ["2026-11", "2026-12"]
    assert run_cli("import-indicators", path, "--preliminary-month", "2026-13") == 2
    assert "'2026-13' is not a month" in capsys.readouterr().err
    # a wide table: the running month's column is named; a Preliminär column marks the row's values
    wide = tmp_path / "wide.csv"
    wide.write_text("Område;Indikator;2026-10;2026-11;2026-12\nRinkeby;skjutningar;1;0;2\n", "utf-8")
    assert run_cli("import-indicators", wide) == 2
    assert "wide.csv: row 2, column '2026-12': 2026-12 is the running month" in capsys.readouterr().err
    wide.write_text("Område;Indikator;2026-11;2026-12;Preliminär\nRinkeby;skjutningar;0;2;ja\n", "utf-8")
    assert run_cli("import-indicators", wide) == 0
    w = values_frame(copy_engine, ["skjutningar"], [AREA], flags=True)
    assert w["preliminary"].all() and sorted(w["month"]) == ["2026-11", "2026-12"]
    # the store's coverage ends at the last final month: the default period is not the preliminary one
    from store.queries import catalogue_frame

    assert catalogue_frame(copy_engine).set_index("id").at[IND, "last_month"] == "2026-10"


def test_the_page_draws_preliminary_months_hatched_and_cards_grey(run_cli, copy_engine, tmp_path, capsys, today):
    from layout.figures import trend_figure
    from layout.panels import card_data
    from services import page

    vals = dict(history(last="2026-11"), **{"2026-12": 2.0})
    assert run_cli("import-indicators", write_long(tmp_path / "p.csv", vals, {"2026-12": "ja"})) == 0
    # a period before the preliminary month still shows it in the trend
    tr = page.trend(AREA, IND, "2026-T2")
    assert tr["preliminary"] == [{"month": "2026-12", "value": 2.0}]
    assert tr["series"]["month"].max() == "2026-12"
    fig = trend_figure(tr, "sv", "Rån")
    names = [t.name for t in fig.data]
    actual = next(t for t in fig.data if t.name == "Utfall")
    assert pd.Timestamp("2026-12-15") not in set(pd.to_datetime(actual.x))
    prelim = next(t for t in fig.data if t.name and t.name.startswith("Preliminärt värde"))
    assert list(prelim.y) == [2.0] and prelim.marker.pattern.shape == "x", names
    assert any(a.text == "preliminär" for a in fig.layout.annotations)
    # the card: the period with its preliminary month, marked, grey
    summary = page.summary(AREA, "2026-T3", "prev_year", "sv", None)
    entry = next(i for i in summary["indicators"] if i["id"] == IND)
    card = card_data(entry, "prev_year", "sv", True, [])
    assert card["preliminary"] == "PRELIMINÄR" and card["rag"] == "grey"
    assert card["value"] == f"{sum(vals[m] for m in ('2026-09', '2026-10', '2026-11', '2026-12')):g}"
    assert "preliminär" in card["reason"]
    # the period and the month with the preliminary value can be chosen (labelled); the default
    # period stays the latest complete one
    from services.periods import default_period, period_options

    opts = {o["value"]: o["label"] for kind in ("tertial", "month") for o in period_options("sv", kind)}
    assert opts["2026-T3"] == "tertial 3 2026 (sep–dec) (preliminär)" and opts["2026-12"].endswith("(preliminär)")
    assert not opts["2026-11"].endswith("(preliminär)") and not opts["2026-T2"].endswith("(preliminär)")
    assert default_period() == "2026-T2"


@pytest.mark.postgis
def test_revisions_and_preliminary_values_on_postgres(pg_engine, data_dir, tmp_path):
    """The same on PostgreSQL: the migration's column and table, revisions kept, final-only reads."""
    from store.bootstrap import bootstrap
    from store.imports import import_indicators

    bootstrap(pg_engine, data_dir, demo=False)
    on = dt.date(2026, 12, 4)
    vals = dict(history(first="2025-01", last="2026-11"), **{"2026-12": 2.0})
    first = import_indicators(pg_engine, write_long(tmp_path / "a.csv", vals, {"2026-12": "ja"}), on=on)
    assert first.preliminary == 1 and first.replaced == 0
    assert set(values_frame(pg_engine, final_only=True)["month"]) == set(vals) - {"2026-12"}
    flagged = values_frame(pg_engine, flags=True).set_index("month")
    assert bool(flagged.at["2026-12", "preliminary"]) and int(flagged.at["2026-12", "import_id"]) == first.import_id
    with pytest.raises(Exception, match="2026-12 is the running month"):
        import_indicators(pg_engine, write_long(tmp_path / "b.csv", vals), on=on)
    final = import_indicators(pg_engine, write_long(tmp_path / "c.csv", dict(vals, **{"2026-12": 5.0})),
                              on=dt.date(2027, 1, 2))
    assert final.replaced == 1
    revs = revisions_frame(pg_engine, [AREA], [IND], with_imports=True)
    assert revs[["month", "old_value", "old_preliminary", "new_value", "old_import_id", "import_id"]].values.tolist() == [
        ["2026-12", 2.0, True, 5.0, first.import_id, final.import_id]]
    assert revs["old_file"].iloc[0].endswith("a.csv") and revs["file"].iloc[0].endswith("c.csv")
    counts = table_counts(pg_engine)
    assert import_indicators(pg_engine, tmp_path / "c.csv", on=dt.date(2027, 1, 2)).status == "unchanged"
    assert table_counts(pg_engine) == counts
