"""Swedish Excel CSV variants: delimiters, decimal comma, encodings, and the errors for broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.errors import InputError
from geodata.tabular import parse_month, parse_number, read_table

HEADER = "Område;Indikator;Månad;Värde\n"
ROWS = "Rinkeby;Skjutningar;2025-01;2\nRinkeby;Trygghet (andel trygga);2025-01;61,5\n"


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf8", "utf8-bom", "cp1252"],
)
def test_reads_swedish_excel_exports(tmp_path, encoding, prefix):
    path = tmp_path / "v.csv"
    path.write_bytes(prefix + (HEADER + ROWS).encode(encoding))
    t = read_table(path)
    assert list(t.columns) == ["Område", "Indikator", "Månad", "Värde", "_row"]
    assert t["Värde"].tolist() == ["2", "61,5"]
    assert t["_row"].tolist() == [2, 3]


@pytest.mark.parametrize("sep", [",", "\t"])
def test_other_delimiters(tmp_path, sep):
    path = tmp_path / "v.csv"
    path.write_text(f"Område{sep}Indikator{sep}Månad{sep}Värde\nRinkeby{sep}ran{sep}2025-02{sep}3\n", "utf-8")
    assert read_table(path)["Värde"].tolist() == ["3"]


def test_mixed_encoding_is_refused_with_the_row(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(HEADER.encode("utf-8") + "Rågsved;ran;2025-01;1\n".encode() + "Hagsätra;ran;2025-01;1\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"mixed.csv: row 3: mixed encodings"):
        read_table(path)


def test_double_encoded_utf8_is_refused(tmp_path):
    path = tmp_path / "double.csv"
    path.write_text(HEADER + "RÃ¥gsved;ran;2025-01;1\n", "utf-8")
    with pytest.raises(InputError, match=r"row 2: .*double encoded"):
        read_table(path)


def test_empty_and_ragged_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv: the file is empty"):
        read_table(empty)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(HEADER + "Rinkeby;ran;2025-01;1;extra\n", "utf-8")
    with pytest.raises(InputError, match="row 2: has 5 fields where the header has 4"):
        read_table(ragged)


@pytest.mark.parametrize("text,value", [("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("12", 12.0),
                                        ("0,25", 0.25), ("1.234,5", 1234.5), ("−3", -3.0)])
def test_parse_number(text, value):
    assert parse_number(text, Path("f.csv"), 2, "Värde") == value


def test_parse_number_error_names_cell():
    with pytest.raises(InputError, match=r"f.csv: row 7, column 'Värde': 'tolv' is not a number"):
        parse_number("tolv", Path("f.csv"), 7, "Värde")


@pytest.mark.parametrize("text,month", [("2024-03", "2024-03"), ("2024M03", "2024-03"), ("202403", "2024-03"),
                                        ("2024-3", "2024-03"), ("2024-03-01", "2024-03")])
def test_parse_month(text, month):
    assert parse_month(text, Path("f.csv"), 2, "Månad") == month


def test_month_13_is_refused():
    with pytest.raises(InputError, match=r"row 4, column 'Månad': '2024-13' is not a month"):
        parse_month("2024-13", Path("f.csv"), 4, "Månad")


def test_a_missing_required_column_names_file_what_and_the_columns_there_are(tmp_path):
    from geodata.tabular import require_column

    path = tmp_path / "fel.csv"
    path.write_bytes("Omrade;Period;Antal\nRinkeby;2025-01;2\n".encode("cp1252"))
    t = read_table(path)
    assert require_column(t, ("omrade",), path, "area", "Område") == "Omrade"
    with pytest.raises(InputError, match=r"fel.csv: row 1: no indicator column \(expected Indikator\); "
                                         r"columns: \['Omrade', 'Period', 'Antal'\]"):
        require_column(t, ("indikator",), path, "indicator", "Indikator")
