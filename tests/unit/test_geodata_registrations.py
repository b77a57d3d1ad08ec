"""Reading offence and registration months from the police's DeSO crime tables."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.errors import InputError
from geodata.registrations import coverage_start, read_registrations

HEADER = '"","Id","Brottskod","Brottskod.klartext","Inskrivningsdatum","Brottsdatum","Kommun","Län","DeSO.område","Antal"\n'


def _write(tmp_path, lines: list[str]):
    path = tmp_path / "brott.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_rows_become_offence_and_registration_months(tmp_path) -> None:
    path = _write(tmp_path, [
        '"1",1,1211,"bilbrand","2024-02-01","2024-01-31","Malmö","Skåne Län","1280C1010",1\n',
        '"2",2,1211,"bilbrand","2024-01-05","2024-01-05","Malmö","Skåne Län","",2\n',
    ])
    rows = read_registrations(path, "brand_i_motorfordon")
    assert rows["offence_month"].tolist() == ["2024-01", "2024-01"]
    assert rows["registration_month"].tolist() == ["2024-02", "2024-01"]
    assert rows["count"].tolist() == [1.0, 2.0]
    assert rows["deso"].iloc[0] == "1280C1010" and pd.isna(rows["deso"].iloc[1])
    assert rows["kommun"].tolist() == ["Malmö", "Malmö"]
    assert (rows["indicator"] == "brand_i_motorfordon").all()


def test_a_bad_date_names_file_row_and_column(tmp_path) -> None:
    path = _write(tmp_path, [
        '"1",1,1211,"bilbrand","2024-02-01","2024-01-31","Malmö","Skåne Län","1280C1010",1\n',
        '"2",2,1211,"bilbrand","2024-13-01","2024-01-05","Malmö","Skåne Län","1280C1010",1\n',
    ])
    with pytest.raises(InputError) as err:
        read_registrations(path, "x")
    text = str(err.value)
    assert "brott.csv" in text and "2024-13-01" in text and "Inskrivningsdatum" in text and "3" in text


def test_a_bad_count_and_a_missing_column(tmp_path) -> None:
    path = _write(tmp_path, ['"1",1,1211,"bilbrand","2024-02-01","2024-01-31","Malmö","Skåne Län","1280C1010",-1\n'])
    with pytest.raises(InputError, match="Antal"):
        read_registrations(path, "x")
    bad = tmp_path / "kort.csv"
    bad.write_text('"Brottsdatum","Antal"\n"2024-01-01",1\n', encoding="utf-8")
    with pytest.raises(InputError, match="Inskrivningsdatum"):
        read_registrations(bad, "x")


def test_coverage_starts_with_three_regular_months() -> None:
    months = ["2020-06", "2020-08", "2020-10", "2021-04", "2021-05", "2021-06", "2021-07"]
    counts = [22, 1, 1, 7, 8, 6, 19]
    rows = pd.DataFrame({"offence_month": months, "count": counts})
    assert coverage_start(rows) == "2021-04"  # June 2020 alone is a spike, not the start
    assert coverage_start(rows, run=1) == "2020-06"
