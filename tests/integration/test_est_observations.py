"""Partners' observations (issue 14): import validates like every import, all or nothing, re-import
is a no-op, never part of a crime count."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from geodata.errors import InputError
from store.observations import add_observation, import_observations, observations_frame
from store.schema import events, observations
from tests.est import files

ON = dt.date.fromisoformat(files.TODAY)


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(observations)).scalar_one()


def test_a_week_of_observations_imports_and_reimport_is_a_no_op(copy_engine, tmp_path):
    path = files.observations(tmp_path)
    rep = import_observations(copy_engine, path, user="kp", on=ON)
    assert rep.status == "imported" and rep.rows_accepted == 6
    obs = observations_frame(copy_engine, kommun="0180", weeks=(files.WEEK, files.WEEK))
    assert len(obs) == 6 and set(obs["week"]) == {files.WEEK}
    assert set(obs["area_id"].dropna()) == {"74"}  # points inside Rinkeby, area by id and by name
    free = obs[obs["place_text"] == "Parkeringen vid Skolgången"].iloc[0]
    assert free["lon"] is None or free["lon"] != free["lon"]  # free text: no coordinates invented
    assert set(obs["category"]) >= {"klotter", "trasig_belysning", "narkotikahandel_observerad"}
    # re-import: nothing changes (also under another file name)
    again = import_observations(copy_engine, files.observations(tmp_path, name="kopia.csv"), user="kp", on=ON)
    assert again.status == "unchanged" and _count(copy_engine) == 6
    with copy_engine.connect() as conn:  # never crimes
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 0


def test_xlsx_and_cp1252(copy_engine, tmp_path):
    from geodata.tabular import read_table

    frame = read_table(files.observations(tmp_path)).drop(columns="_row")
    xlsx = tmp_path / "obs.xlsx"
    frame.to_excel(xlsx, index=False)
    assert import_observations(copy_engine, xlsx, user="kp", on=ON).rows_accepted == 6
    cp = files.write(tmp_path, "cp.csv", files.OBSERVATIONS.replace("2026-03-30", "2026-03-29"), "cp1252")
    rep = import_observations(copy_engine, cp, user="kp", on=ON)
    assert rep.status == "imported" and _count(copy_engine) == 7  # only the changed row is new


@pytest.mark.parametrize(("change", "row", "column", "message"), [
    (("klotter;Svenska", "graffitti;Svenska"), 2, "Kategori", "unknown category 'graffitti'"),
    (("2026-04-04;narkotikahandel", "2026-04-09;narkotikahandel"), 7, "Datum", "is in the future"),
    (("2026-04-01;ansamling", "2026-04-31;ansamling"), 4, "Datum", "is not a date"),
    (("Securitas;väktare;59,3893;17,9241", "Securitas;väktare;;"), 4, "Plats", "no place"),
    (("0180;Föräldrar", "9999;Föräldrar"), 6, "Kommun", "unknown kommun '9999'"),
    ((";;74;Gångtunnel", ";;7400;Gångtunnel"), 3, "Område", "unknown area '7400'"),
    (("Rinkebyskolan;rektor", ";rektor"), 6, "Organisation", "organisation is missing"),
])
def test_bad_rows_name_file_row_column_and_write_nothing(copy_engine, tmp_path, change, row, column, message):
    bad = files.observations(tmp_path, files.OBSERVATIONS.replace(*change), name="bad.csv")
    with pytest.raises(InputError) as err:
        import_observations(copy_engine, bad, user="kp", on=ON)
    assert err.value.row == row and err.value.column == column and message in str(err.value)
    assert "bad.csv" in str(err.value)
    assert _count(copy_engine) == 0


def test_one_observation_from_the_page(copy_engine):
    n = add_observation(copy_engine, {"Datum": "2026-04-07", "Kategori": "Klotter", "Organisation": "Stockholms stad",
                                      "Område": "74", "Plats": "Tunnelbanan"}, "kommunpartner", on=ON)
    assert n == 1 and add_observation(copy_engine, {"Datum": "2026-04-07", "Kategori": "Klotter",
                                                    "Organisation": "Stockholms stad", "Område": "74",
                                                    "Plats": "Tunnelbanan"}, "kommunpartner", on=ON) == 0
    with pytest.raises(InputError, match="future"):
        add_observation(copy_engine, {"Datum": "2026-04-09", "Kategori": "Klotter", "Organisation": "x",
                                      "Område": "74"}, "k", on=ON)


def test_cli_exit_2_names_the_row(copy_engine, tmp_path, monkeypatch, capsys):
    import cli

    monkeypatch.setattr(cli, "engine", lambda: copy_engine)
    bad = files.observations(tmp_path, files.OBSERVATIONS.replace("klotter;Svenska", "graffitti;Svenska"), name="bad.csv")
    assert cli.main(["import-observations", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv: row 2, column 'Kategori': unknown category 'graffitti'" in err
