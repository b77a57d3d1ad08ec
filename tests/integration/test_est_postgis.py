"""EST imports on PostgreSQL + PostGIS (production store): observations and the ledger import, are
no-ops on re-import, and a bad file writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from geodata.errors import InputError
from store.bootstrap import bootstrap
from store.ledger import current_items, import_ledger, item_history
from store.observations import import_observations, observations_frame
from store.schema import ledger_items, observations
from tests.est import files

pytestmark = pytest.mark.postgis
ON = dt.date.fromisoformat(files.TODAY)


def test_observations_and_ledger_on_postgis(pg_engine, data_dir, tmp_path):
    bootstrap(pg_engine, data_dir, demo=False)
    assert import_observations(pg_engine, files.observations(tmp_path), user="kp", on=ON).status == "imported"
    assert import_observations(pg_engine, files.observations(tmp_path, name="b.csv"), user="kp", on=ON).status == "unchanged"
    obs = observations_frame(pg_engine, kommun="0180", weeks=(files.WEEK, files.WEEK))
    assert len(obs) == 6 and set(obs["area_id"].dropna()) == {"74"}
    assert import_ledger(pg_engine, files.ledger(tmp_path), user="kp", on=ON).status == "imported"
    edited = files.LEDGER.replace("2026-04-10;planerad;", "2026-04-10;klar;2026-04-07")
    assert import_ledger(pg_engine, files.ledger(tmp_path, edited, "v2.csv"), user="kp", on=ON).status == "imported"
    assert item_history(pg_engine, "H3")["status"].tolist() == ["planerad", "klar"]
    assert len(current_items(pg_engine, kommun="0180")) == 10
    bad = files.ledger(tmp_path, files.LEDGER.replace("Kommunpolis Andersson;Polisen", ";Polisen").replace("H1", "H9"),
                       "bad.csv")
    with pytest.raises(InputError, match="without an owner"):
        import_ledger(pg_engine, bad, user="kp", on=ON)
    with pg_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ledger_items)).scalar_one() == 11
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 6
