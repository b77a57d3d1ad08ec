"""Imports that cannot destroy data (issue 12, item 6): an area file that would shrink a list is
refused without ``--replace``; idempotency is judged on the store's state, so the official file
restores what a bad one changed (population profiles included); size limits; concurrent imports
serialise and the losers say "unchanged"; event files are read in chunks with the same result."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import delete, select

import cli
from config import settings
from store.queries import areas_frame, events_frame, table_counts, values_frame
from tests.conftest import ROOT

AREAS_2025 = "utsatta_omraden/polisen_2025/uso_2025_sweref99tm.geojson"


@pytest.fixture
def run_cli(copy_engine, monkeypatch, data_dir):
    monkeypatch.setenv("LAGESBILD_DATABASE_URL", str(copy_engine.url))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    monkeypatch.delenv("LAGESBILD_IMPORT_MAX_MB", raising=False)
    settings.cache_clear()

    def run(*argv) -> int:
        return cli.main([str(a) for a in argv])

    yield run
    settings.cache_clear()


def one_area_file(data_dir, tmp_path, area_id: str = "74") -> str:
    """A valid 2025 area file holding one area (as the probe's)."""
    gj = json.loads((data_dir / AREAS_2025).read_text("utf-8"))
    gj["features"] = [f for f in gj["features"] if str(f["properties"]["SPECIALOMRADES_ID"]) == area_id]
    path = tmp_path / "uso_2025_one.geojson"
    path.write_text(json.dumps(gj), "utf-8")
    return str(path)


def list_2025(engine) -> pd.DataFrame:
    a = areas_frame(engine, 2025)
    return a[["id", "name", "category", "kommun_kod", "population"]].sort_values("id").reset_index(drop=True)


def profiles_2025(engine) -> pd.DataFrame:
    from store.schema import area_profiles

    with engine.connect() as conn:
        rows = conn.execute(select(area_profiles).where(area_profiles.c.list_year == 2025)).mappings().all()
    return pd.DataFrame(rows).sort_values("area_id").reset_index(drop=True)


def test_an_area_file_that_would_shrink_a_list_is_refused_and_the_official_file_restores_it(
        run_cli, copy_engine, data_dir, tmp_path, capsys):
    official = data_dir / AREAS_2025
    before, profiles_before = list_2025(copy_engine), profiles_2025(copy_engine)
    assert len(before) == 65 and before["population"].notna().sum() >= 30
    counts = table_counts(copy_engine)
    one = one_area_file(data_dir, tmp_path)
    assert run_cli("import-areas", one) == 2
    err = capsys.readouterr().err
    assert "would remove 64 of the 65 areas of the 2025 list" in err and "--replace" in err and "uso_2025_one" in err
    assert table_counts(copy_engine) == counts
    pd.testing.assert_frame_equal(list_2025(copy_engine), before)
    # with --replace the operator means it
    assert run_cli("import-areas", one, "--replace") == 0
    assert len(list_2025(copy_engine)) == 1
    # the official file again: imported (not "unchanged" because its hash was seen), list restored
    assert run_cli("import-areas", official, "--replace") == 0
    out = capsys.readouterr().out
    assert "imported" in out and "unchanged" not in out
    pd.testing.assert_frame_equal(list_2025(copy_engine), before)  # population included
    pd.testing.assert_frame_equal(profiles_2025(copy_engine), profiles_before)
    # and once more: now nothing changes
    n = table_counts(copy_engine)
    assert run_cli("import-areas", official) == 0
    assert "unchanged" in capsys.readouterr().out
    assert table_counts(copy_engine)["areas"] == n["areas"]


def test_reimporting_indicator_values_restores_them(run_cli, copy_engine, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;3\nRinkeby;ran;2025-02;4\n", "utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;300\n", "utf-8")
    assert run_cli("import-indicators", good) == 0
    assert run_cli("import-indicators", bad) == 0
    assert run_cli("import-indicators", good) == 0
    assert "imported" in capsys.readouterr().out.splitlines()[-1]
    v = values_frame(copy_engine).set_index("month")["value"]
    assert v["2025-01"] == 3 and v["2025-02"] == 4
    assert run_cli("import-indicators", good) == 0
    assert "unchanged" in capsys.readouterr().out


def test_events_come_back_after_they_were_removed(run_cli, copy_engine, tmp_path, capsys):
    from store.schema import events

    path = tmp_path / "ev.csv"
    path.write_text("id;tid;typ;x;y;precision\na1;2025-03-01 22:10;Rån;674000;6580000;exact\n"
                    "a2;2025-03-02 01:00;Rån;674100;6580100;kommun\n", "utf-8")
    assert run_cli("import-events", path) == 0
    assert run_cli("import-events", path) == 0
    assert "unchanged" in capsys.readouterr().out
    with copy_engine.begin() as conn:
        conn.execute(delete(events))
    assert run_cli("import-events", path) == 0
    assert len(events_frame(copy_engine)) == 2


def test_files_larger_than_the_limit_are_refused_with_a_clear_message(run_cli, copy_engine, tmp_path, monkeypatch,
                                                                       capsys):
    path = tmp_path / "big.csv"
    path.write_text("Område;Indikator;Månad;Värde\n" + "Rinkeby;ran;2025-01;1\n" * 100, "utf-8")
    monkeypatch.setenv("LAGESBILD_IMPORT_MAX_MB", "0.001")
    settings.cache_clear()
    before = table_counts(copy_engine)
    for command in ("import-indicators", "import-events", "import-areas"):
        assert run_cli(command, path) == 2
        err = capsys.readouterr().err
        assert "big.csv" in err and "larger than the import limit of 0.001 MB" in err
        assert "LAGESBILD_IMPORT_MAX_MB" in err
    assert run_cli("import-pois", path, "--kind", "krog") == 2
    assert table_counts(copy_engine) == before
    monkeypatch.setenv("LAGESBILD_IMPORT_MAX_MB", "lots")
    settings.cache_clear()
    assert run_cli("import-indicators", path) == 2
    assert "LAGESBILD_IMPORT_MAX_MB" in capsys.readouterr().err


def _concurrently(db_url: str, data_dir, argv: list[str], n: int = 3) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "LAGESBILD_DATABASE_URL": db_url, "LAGESBILD_DATA_DIR": str(data_dir)}
    env.pop("LAGESBILD_IMPORT_MAX_MB", None)
    procs = [subprocess.Popen([sys.executable, "cli.py", *argv], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(n)]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=600)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def _one_imported_rest_unchanged(results: list[subprocess.CompletedProcess]) -> None:
    for r in results:
        assert r.returncode == 0, r.stderr[-2000:]
        assert "IntegrityError" not in r.stderr + r.stdout
    statuses = sorted("unchanged" if "unchanged" in r.stdout else "imported" for r in results)
    assert statuses == ["imported"] + ["unchanged"] * (len(results) - 1), [r.stdout for r in results]


def test_concurrent_imports_of_one_file_serialise_on_sqlite(copy_engine, data_dir, tmp_path):
    one = one_area_file(data_dir, tmp_path)
    url = str(copy_engine.url)
    _one_imported_rest_unchanged(_concurrently(url, data_dir, ["import-areas", one, "--replace"]))
    assert len(list_2025(copy_engine)) == 1
    csv = tmp_path / "v.csv"
    csv.write_text("Område;Indikator;Månad;Värde\n74;ran;2025-01;3\n74;ran;2025-02;5\n", "utf-8")
    _one_imported_rest_unchanged(_concurrently(url, data_dir, ["import-indicators", csv]))
    ev = tmp_path / "e.csv"
    ev.write_text("id;tid;typ;x;y;precision\nb1;2025-03-01 22:10;Rån;674000;6580000;exact\n", "utf-8")
    _one_imported_rest_unchanged(_concurrently(url, data_dir, ["import-events", ev]))
    assert len(events_frame(copy_engine)) == 1


@pytest.mark.postgis
def test_concurrent_imports_of_one_file_serialise_on_postgres(pg_engine, data_dir):
    from store.engine import migrate

    migrate(pg_engine)
    url = pg_engine.url.render_as_string(hide_password=False)
    _one_imported_rest_unchanged(_concurrently(url, data_dir, ["import-areas", data_dir / AREAS_2025]))
    assert len(areas_frame(pg_engine, 2025)) == 65


def test_event_files_read_in_chunks_give_the_same_store(copy_engine, reference_engine, tmp_path, monkeypatch,
                                                       data_dir):
    """A chunk of 3 rows and the whole file at once write the same events; a duplicate id across
    chunks is dropped when identical and refused (row named) when different."""
    import shutil

    import geodata.points as gp
    from store.engine import make_engine
    from store.events_import import import_events
    from store.schema import events

    lines = ["id;tid;typ;x;y;precision"]
    for i in range(10):
        lines.append(f"e{i};2025-03-0{1 + i % 9} 12:00;Rån;{674000 + 97 * i};{6580000 + 41 * i};exact")
    lines.append("e2;2025-03-03 12:00;Rån;674194;6580082;exact")  # an exact repeat of row 4 (chunk 1)
    path = tmp_path / "chunks.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    other = tmp_path / "other.sqlite"
    shutil.copy(reference_engine.url.database, other)
    whole = make_engine(f"sqlite:///{other}")
    try:
        rep_whole = import_events(whole, path)
        monkeypatch.setattr(gp, "CHUNK_ROWS", 3)
        rep_chunked = import_events(copy_engine, path)
        def stored(engine):
            with engine.connect() as conn:
                return pd.read_sql(select(events.c.ext_id, events.c.occurred_at, events.c.type, events.c.x,
                                          events.c.y, events.c.precision, events.c.area_id, events.c.kommun_kod,
                                          events.c["count"]).order_by(events.c.ext_id), conn)

        a, b = stored(whole), stored(copy_engine)
        assert len(a) == 10
        pd.testing.assert_frame_equal(a, b)
        assert rep_whole.rows_accepted == rep_chunked.rows_accepted == 10
        assert any("1 exact duplicate" in w for w in rep_chunked.warnings)
    finally:
        whole.dispose()
    bad = tmp_path / "clash.csv"
    bad.write_text("\n".join(lines[:-1] + ["e2;2025-03-03 12:00;Skottlossning;674194;6580082;exact"]) + "\n", "utf-8")
    before = table_counts(copy_engine)
    from geodata.errors import InputError

    with pytest.raises(InputError, match=r"clash.csv: row 12, column 'id': event id e2 appears again"):
        import_events(copy_engine, bad)
    assert table_counts(copy_engine) == before


def test_archives_are_judged_on_what_they_unpack_to(run_cli, copy_engine, tmp_path, monkeypatch, capsys):
    """A small gzip or zip that unpacks to more than the limit is refused (a zip bomb stops before it
    is opened, a gzip bomb while it is read), and the refusal is audited."""
    import gzip
    import zipfile

    from security.audit import query

    monkeypatch.setenv("LAGESBILD_IMPORT_MAX_MB", "1")
    settings.cache_clear()
    rows = "".join(f"e{i};2025-03-01 12:00;Rån;674000;6580000;exact\n" for i in range(60_000))  # ~3 MB
    gz = tmp_path / "bomb.csv.gz"
    gz.write_bytes(gzip.compress(("id;tid;typ;x;y;precision\n" + rows).encode()))
    assert gz.stat().st_size < 1_000_000
    before = table_counts(copy_engine)
    assert run_cli("import-events", gz) == 2
    err = capsys.readouterr().err
    assert "bomb.csv.gz" in err and "unpacks to more than 1 MB" in err
    zp = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("areas.geojson", " " * 3_000_000)
    assert run_cli("import-areas", zp) == 2
    assert "unpacks to 3.0 MB, larger than the import limit of 1 MB" in capsys.readouterr().err
    assert table_counts(copy_engine) == before
    refused = query(copy_engine, action="import_refused", limit=5)
    assert {r["layer"] for r in refused} >= {"events", "areas"}
    assert any("bomb.zip" in r["detail"] for r in refused)
