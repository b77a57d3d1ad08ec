"""Imports through the CLI: good files land, bad files exit 2 and leave every table untouched,
re-importing the same file changes nothing."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import cli
from config import settings
from store.queries import catalogue_frame, events_frame, table_counts, values_frame


@pytest.fixture
def run_cli(copy_engine, monkeypatch, data_dir):
    monkeypatch.setenv("LAGESBILD_DATABASE_URL", str(copy_engine.url))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    settings.cache_clear()

    def run(*argv: str) -> int:
        return cli.main([str(a) for a in argv])

    yield run
    settings.cache_clear()


def write(path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


LONG = "Område;Indikator;Månad;Värde\nRinkeby;Skjutningar;2025-01;2\nRinkeby;Skjutningar;2025-02;0\n74;ran;2025-01;3\nAlby;Trygghet (andel trygga);2025-01;61,5\n"


def test_long_table_imports_and_reimport_is_a_no_op(run_cli, copy_engine, tmp_path, capsys):
    path = write(tmp_path / "long.csv", LONG, "cp1252")
    assert run_cli("import-indicators", path) == 0
    v = values_frame(copy_engine)
    assert len(v) == 4
    assert v.set_index(["area_id", "indicator_id", "month"])["value"][("17", "trygghet", "2025-01")] == 61.5
    before = table_counts(copy_engine)
    assert run_cli("import-indicators", path) == 0
    assert "unchanged" in capsys.readouterr().out
    assert table_counts(copy_engine) == before


def test_wide_table_with_bom_and_comma_delimiter(run_cli, copy_engine, tmp_path):
    text = "\ufeffOmråde,Indikator,2025-01,2025-02,2025-03\nRinkeby,ran,1,2,\nTensta,ran,0,\"1,0\",4\n"
    assert run_cli("import-indicators", write(tmp_path / "wide.csv", text)) == 0
    v = values_frame(copy_engine).sort_values(["area_id", "month"])
    assert len(v) == 5  # the empty cell is missing, not zero
    assert v[(v["area_id"] == "9") & (v["month"] == "2025-02")]["value"].item() == 1.0


def test_unknown_indicator_lists_known_ones_unless_flag(run_cli, copy_engine, tmp_path, capsys):
    path = write(tmp_path / "local.csv", "Område;Indikator;Månad;Värde\nRinkeby;Trygghetsvandringar;2025-01;4\n")
    before = table_counts(copy_engine)
    assert run_cli("import-indicators", path) == 2
    err = capsys.readouterr().err
    assert "local.csv: row 2, column 'Indikator': unknown indicator 'Trygghetsvandringar'" in err
    assert "skjutningar" in err and "--create-missing-indicators" in err
    assert table_counts(copy_engine) == before
    assert run_cli("import-indicators", path, "--create-missing-indicators") == 0
    assert "trygghetsvandringar" in set(catalogue_frame(copy_engine)["id"])


BAD_INDICATOR_FILES = {
    "unknown_area.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;1\nAtlantis;ran;2025-01;1\n", "utf-8",
                         r"row 3, column 'Område': unknown area 'Atlantis'"),
    "month13.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2024-12;1\nRinkeby;ran;2024-13;1\n", "utf-8",
                    r"row 3, column 'Månad': '2024-13' is not a month"),
    "negative.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;-2\n", "utf-8",
                     r"row 2, column 'Värde': negative value -2 for 'ran'"),
    "conflict.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;1\nRinkeby;ran;2025-01;2\n", "utf-8",
                     r"appears in rows 2 and 3 with different values"),
    "empty.csv": ("", "utf-8", r"empty.csv: the file is empty"),
    "not_a_number.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;tre\n", "utf-8",
                         r"row 2, column 'Värde': 'tre' is not a number"),
    # non-finite numbers are no values (issue 12): each names file, row and column
    "inf.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;1\nRinkeby;ran;2025-02;inf\n", "utf-8",
                r"row 3, column 'Värde': 'inf' is not a finite number"),
    "nan.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;nan\n", "utf-8",
                r"row 2, column 'Värde': 'nan' is not a finite number"),
    "NaN.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;NaN\n", "utf-8",
                r"row 2, column 'Värde': 'NaN' is not a finite number"),
    "overflow.csv": ("Område;Indikator;Månad;Värde\nRinkeby;ran;2025-01;1e400\n", "utf-8",
                     r"row 2, column 'Värde': '1e400' is not a finite number"),
    "minus_infinity_wide.csv": ("Område;Indikator;2025-01;2025-02\nRinkeby;ran;1;-Infinity\n", "utf-8",
                                r"row 2, column '2025-02': '-Infinity' is not a finite number"),
    "inf_target.csv": ("Område;Indikator;Månad;Värde;Mål\nRinkeby;ran;2025-01;1;inf\n", "utf-8",
                       r"row 2, column 'Mål': 'inf' is not a finite number"),
}


@pytest.mark.parametrize("name", sorted(BAD_INDICATOR_FILES))
def test_bad_indicator_files_exit_2_and_change_nothing(run_cli, copy_engine, tmp_path, capsys, name):
    # a good file first, so "nothing changed" is checked against a store with values in it
    assert run_cli("import-indicators", write(tmp_path / "good.csv", LONG)) == 0
    text, enc, message = BAD_INDICATOR_FILES[name]
    before = table_counts(copy_engine)
    values_before = values_frame(copy_engine)
    assert run_cli("import-indicators", write(tmp_path / name, text, enc)) == 2
    err = capsys.readouterr().err
    assert name in err
    assert pd.Series([err]).str.contains(message, regex=True).item(), err
    assert table_counts(copy_engine) == before
    pd.testing.assert_frame_equal(values_frame(copy_engine), values_before)


def test_broken_encoding_is_refused(run_cli, copy_engine, tmp_path, capsys):
    path = tmp_path / "broken.csv"
    path.write_bytes("Område;Indikator;Månad;Värde\n".encode() + "Rågsved;ran;2025-01;1\n".encode("cp1252")
                     + "Hagsätra;ran;2025-01;1\n".encode())
    before = table_counts(copy_engine)
    assert run_cli("import-indicators", path) == 2
    assert "mixed encodings" in capsys.readouterr().err
    assert table_counts(copy_engine) == before


def test_area_import_of_bad_files_exit_2(run_cli, copy_engine, tmp_path, capsys, data_dir):
    text = (data_dir / "utsatta_omraden/polisen_2025/uso_2025_sweref99tm.geojson").read_text("utf-8")
    before = table_counts(copy_engine)
    assert run_cli("import-areas", write(tmp_path / "cut_2025.geojson", text[:5000])) == 2
    assert "cut_2025.geojson" in capsys.readouterr().err
    assert table_counts(copy_engine) == before


def test_area_import_2023_and_2025_official_files(run_cli, copy_engine, data_dir, capsys):
    from store.queries import areas_frame

    assert run_cli("import-areas", data_dir / "utsatta_omraden/uo_panel/uso_2023.shp") == 0
    assert run_cli("import-areas", data_dir / "utsatta_omraden/polisen_2025/uso_2025_sweref99tm.geojson") == 0
    a = areas_frame(copy_engine)
    assert (a["list_year"] == 2023).sum() == 59 and (a["list_year"] == 2025).sum() == 65
    assert a[a["list_year"] == 2025]["category"].value_counts().to_dict() == {"utsatt": 46, "sarskilt_utsatt": 19}


def test_events_csv_sweref_swapped_and_assigned(run_cli, copy_engine, tmp_path, capsys):
    from store.queries import latest_area_geometries

    polys = latest_area_geometries(copy_engine)
    rinkeby = polys.set_index("id").geometry["74"].representative_point()
    # northing in the x column and easting in the y column (a classic Excel mix-up), decimal comma
    lines = ["id;tid;typ;x;y;precision"]
    lines.append(f"a1;2025-03-01 22:10;Skottlossning;{str(round(rinkeby.y, 2)).replace('.', ',')};{str(round(rinkeby.x, 2)).replace('.', ',')};exact")
    lines.append("a2;2025-03-02 01:00;Rån;6580000;670000;kommun")
    assert run_cli("import-events", write(tmp_path / "ev.csv", "\n".join(lines) + "\n")) == 0
    out = capsys.readouterr().out
    assert "swapped" in out
    ev = events_frame(copy_engine).set_index("type")
    assert ev.loc["Skottlossning", "area_id"] == "74"
    assert pd.isna(ev.loc["Rån", "area_id"])  # kommun-level points are never put in an area


def test_polisen_api_json_is_kommun_precision(run_cli, copy_engine, data_dir):
    path = data_dir / "events/polisen_api/events_api_snapshot_2026-08-22.json"
    assert run_cli("import-events", path) == 0
    ev = events_frame(copy_engine)
    assert len(ev) == 500
    assert set(ev["precision"]) == {"lan"}  # this snapshot names only län
    assert ev["area_id"].isna().all()
    before = table_counts(copy_engine)
    assert run_cli("import-events", path) == 0
    assert table_counts(copy_engine) == before


def test_truncated_events_json_exit_2(run_cli, copy_engine, tmp_path, data_dir, capsys):
    text = (data_dir / "events/polisen_api/events_api_snapshot_2026-08-22.json").read_text("utf-8")
    before = table_counts(copy_engine)
    assert run_cli("import-events", write(tmp_path / "cut.json", text[:3000])) == 2
    err = capsys.readouterr().err
    assert "cut.json" in err and "truncated" in err
    assert table_counts(copy_engine) == before


def test_polisen_event_naming_an_area_gets_area_text_precision(run_cli, copy_engine, tmp_path):
    events = [
        {"id": 1, "datetime": "2025-05-02 21:14:00 +02:00", "name": "2 maj 21.14, Skottlossning, Botkyrka",
         "summary": "Skott har avlossats i Alby.", "url": "/x", "type": "Skottlossning",
         "location": {"name": "Botkyrka", "gps": "59.237,17.849"}},
        {"id": 2, "datetime": "2025-05-03 10:00:00 +02:00", "name": "3 maj 10.00, Stöld, Botkyrka",
         "summary": "En stöld i centrum.", "url": "/y", "type": "Stöld",
         "location": {"name": "Botkyrka", "gps": "59.237,17.849"}},
    ]
    path = tmp_path / "api.json"
    path.write_text(json.dumps(events, ensure_ascii=False), "utf-8")
    assert run_cli("import-events", path) == 0
    ev = events_frame(copy_engine).set_index("type")
    assert ev.loc["Skottlossning", "precision"] == "area_text" and ev.loc["Skottlossning", "area_id"] == "17"
    assert ev.loc["Stöld", "precision"] == "kommun" and pd.isna(ev.loc["Stöld", "area_id"])
    assert (ev["kommun_kod"] == "0127").all()
