"""The kommun tier's policy where a kommunpartner meets it: the page offers tertials and years only,
a permalink with a month lands on a tertial, crafted periods are refused by the gate and by the
exports (page, download, ``cli.py report --tier kommun``), the compare downloads give nothing, and
only notes the police marked for the kommun reach the page and the exports."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from testing.disclosure_audit import KommunScript, numbers_from_csv
from testing.harness import TEST_SECRET, configured, copy_sqlite, flask_login

PASSWORD = "correct horse battery staple"
ALE, LOVGARDET = "1440", "12"
PERIOD = "2023-T3"


@pytest.fixture(scope="module")
def store(demo_db_path, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine
    from store.notes import add_note

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("policy") / "p.sqlite")
    eng = make_engine(f"sqlite:///{path}")
    create_user(eng, "kp1", "kommunpartner", [ALE], password=PASSWORD)
    create_user(eng, "polis1", "kommunpolis", password=PASSWORD)
    now = datetime(2024, 1, 10, 9, 0)
    add_note(eng, LOVGARDET, PERIOD, "problem", "DELAS: trygghetsvandring vid torget", "anna", kommun=True, now=now)
    add_note(eng, LOVGARDET, PERIOD, "framsteg", "OMÄRKT: samtal med fastighetsägaren", "anna", now=now)
    add_note(eng, LOVGARDET, PERIOD, "atgarder", "INTERN: spaning vid skolan", "anna", internal=True,
             kommun=True, now=now)
    eng.dispose()
    return path


@pytest.fixture
def env(store, data_dir):
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{store}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None}):
        from services import warmup

        warmup._started.set()  # the police views' warm-up is not under test
        from app import app

        yield app


def login(app, user: str) -> KommunScript:
    client = app.server.test_client()
    assert flask_login(client, user, PASSWORD).status_code == 303
    client.get("/", headers={"Accept": "text/html"})
    return KommunScript(client, {"X-CSRFToken": client.get_cookie("_csrf_token").value})


def test_the_page_offers_the_kommun_tier_tertials_and_years_only(env):
    kp, police = login(env, "kp1"), login(env, "polis1")
    periods = [o["value"] for o in kp.values[("period", "options")]]
    kinds = [o["value"] for o in kp.values[("period-kind", "options")]]
    assert periods and all("-T" in p or p.isdigit() for p in periods), periods
    assert set(kinds) == {"tertial", "year"}
    assert any(p.startswith(("R12:", "YTD:")) or len(p) == 7 for p in
               (o["value"] for o in police.values[("period", "options")]))  # the police keep every period
    assert [o["value"] for o in kp.values[("list-year", "options")]] == [max(
        o["value"] for o in police.values[("list-year", "options")])]


def test_a_permalink_with_a_month_lands_on_a_tertial(env):
    kp = login(env, "kp1")
    status, payload = kp.post("view.data", {("url", "search"): f"?area={LOVGARDET}&period=2023-09&layers=hotspots,events"},
                              ["url.search"])
    assert status == 200
    view = payload["response"]["view"]["data"]
    assert view["area"] == LOVGARDET and "-T" in view["period"] and view["layers"] == []


@pytest.mark.parametrize("period", ["2023-09", "YTD:2023-09", "R12:2023-09"])
def test_crafted_periods_are_refused_everywhere(env, period, store):
    kp = login(env, "kp1")
    status, table = kp.area_table(LOVGARDET, period, "prev_year")
    assert status == 403 and table is None  # the gate: a view naming an off-grid period
    status, raw, _ = kp.export(LOVGARDET, period, "prev_year", "csv")
    assert status == 403 and raw is None
    # the functions behind them refuse too (the first line): page, export, CLI
    from reports.disclosure import DisclosureRefused
    from services import page
    from services.reports import export_for

    with pytest.raises(DisclosureRefused):
        page.kommun_rows(LOVGARDET, period, "prev_year", "sv")
    f, msg = export_for(LOVGARDET, period, "csv", "police", allowed_tier="kommun")
    assert f is None and "tertial" in msg
    import cli

    code = cli.main(["report", "--area", LOVGARDET, "--period", period, "--format", "csv", "--tier", "kommun",
                     "--out", str(store.parent / "x.csv")])
    assert code == 2 and not (store.parent / "x.csv").exists()


def test_no_table_across_areas_for_the_kommun_tier(env):
    kp = login(env, "kp1")
    for region in ("Väst", "alla"):
        status, rows = kp.compare(region, PERIOD, "prev_year")
        assert status == 200 and rows == []
        status, raw = kp.compare_download(region, PERIOD, "prev_year")
        assert raw is None
    status, traces = kp.trend(LOVGARDET, PERIOD, "ran")
    assert status == 200 and traces == []


def test_only_notes_marked_for_the_kommun_reach_the_kommun_tier(env):
    kp, police = login(env, "kp1"), login(env, "polis1")
    _, words = kp.lagesbild(LOVGARDET, PERIOD, "prev_year")
    assert "DELAS" in words and "OMÄRKT" not in words and "INTERN" not in words
    _, words = police.lagesbild(LOVGARDET, PERIOD, "prev_year")
    assert "DELAS" in words and "OMÄRKT" in words and "INTERN" in words
    status, raw, _ = kp.export(LOVGARDET, PERIOD, "prev_year", "docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(raw)).paragraphs)
    assert "DELAS" in text and "OMÄRKT" not in text and "INTERN" not in text
    # the numbers of the kommun export: counts below 5 never as numbers, no hotspot rows
    _, raw, _ = kp.export(LOVGARDET, PERIOD, "prev_year", "csv")
    rows = numbers_from_csv(raw)
    assert rows and not any(str(r["measure"]) in ("count", "z", "p_adjusted", "class") for r in rows)
    assert all(r["value"] is None for r in rows if str(r["shown"]).lstrip("'") in ("<5", ".."))


def test_the_notes_editor_marks_a_note_for_the_kommun(env):
    police = login(env, "polis1")
    from callbacks.export import _flags
    from services.reports import editor_state

    state, _ = editor_state(LOVGARDET, PERIOD)
    assert _flags(state["problem"]) == ["kommun"] and _flags(state["atgarder"]) == ["kommun", "internal"]
    assert _flags(state["framsteg"]) == []
    values = {("area-search", "value"): LOVGARDET, ("period", "value"): PERIOD, ("note-save", "n_clicks"): 1}
    for (key, prop), _ in list(police.values.items()):  # the editor as load_notes fills it, one section added
        section = next((s for s in state if f'"{s}"' in key), None)
        if prop == "value" and key.startswith("{") and '"note-text"' in key:
            values[(key, prop)] = "Nytt: möte med skolan" if section == "prioriteringar" else state[section][0]
        if prop == "value" and key.startswith("{") and '"note-internal"' in key:
            values[(key, prop)] = ["kommun"] if section == "prioriteringar" else _flags(state[section])
    status, payload = police.post("note-status.children", values, ["note-save.n_clicks"])
    assert status == 200, payload
    kp = login(env, "kp1")
    _, words = kp.lagesbild(LOVGARDET, PERIOD, "prev_year")
    assert "Nytt: möte med skolan" in words and "DELAS" in words and "OMÄRKT" not in words
