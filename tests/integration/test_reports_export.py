"""Exports read back: the PDF (pypdf text) and DOCX (python-docx) say what ``cli.py summary`` says
for the same area and period — area, period, the 4P headings, every indicator's numbers, RAG and
verdict — the tier is printed on every page, the kommun tier hides small counts, points and
internal notes, and the CLI and the page's callbacks work end to end."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from i18n import fmt_p
from indicators.texts import fmt_value

AREA = "74"  # Rinkeby: demo events, tunnelbana exits, licensed premises
INTERNAL_NOTE = "Spaning vid torget torsdagar"
PUBLIC_NOTE = "Möte med skolan 12/3 <img src=x onerror=alert(1)>"
SECTIONS_SV = ("Framsteg", "Problem", "Prioriteringar", "Åtgärdspunkter")
SECTIONS_EN = ("Progress", "Problems", "Priorities", "Points for action")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


@pytest.fixture(scope="module")
def store(demo_db_path, data_dir, tmp_path_factory):
    """A private copy of the demo store, configured as the app's database for this module."""
    from config import settings
    from store.engine import make_engine

    path = tmp_path_factory.mktemp("reports") / "reports.sqlite"
    src, dst = sqlite3.connect(str(demo_db_path)), sqlite3.connect(str(path))
    src.backup(dst)
    src.close()
    dst.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAGESBILD_DATABASE_URL", f"sqlite:///{path}")
        mp.setenv("LAGESBILD_DATA_DIR", str(data_dir))
        mp.setenv("LAGESBILD_AUTH", "none")
        mp.delenv("LAGESBILD_REDIS_URL", raising=False)
        settings.cache_clear()
        engine = make_engine(f"sqlite:///{path}")
        from services.periods import default_period
        from store.notes import add_note

        period = default_period()
        add_note(engine, AREA, period, "problem", PUBLIC_NOTE, "anna", kommun=True)
        add_note(engine, AREA, period, "atgarder", INTERNAL_NOTE, "bo", internal=True)
        yield {"engine": engine, "path": path, "period": period}
        engine.dispose()
    settings.cache_clear()


def cli(*argv: str) -> tuple[int, str]:
    import cli as cli_module

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_module.main(list(argv))
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def summary(store):
    code, out = cli("summary", "--area", AREA, "--period", store["period"], "--format", "json")
    assert code == 0
    return json.loads(out)


@pytest.fixture(scope="module")
def exports(store):
    from services.reports import export_report

    out = {}
    for tier in ("police", "kommun"):
        for fmt in ("pdf", "docx", "html", "md", "csv", "xlsx"):
            out[tier, fmt] = export_report(AREA, store["period"], fmt, tier, engine=store["engine"])
    return out


def pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [norm(p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]


def docx_table(content: bytes) -> tuple[list[str], list[list[str]], str]:
    import docx

    doc = docx.Document(io.BytesIO(content))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Indikator")
    rows = [[norm(c.text) for c in r.cells] for r in table.rows]
    body = norm("\n".join(p.text for p in doc.paragraphs))
    return rows[0], rows[1:], body


def expected_verdict(ind: dict) -> str:
    from reports.facts import verdict

    return verdict(ind, "prev_year", "sv")


RAG_SV = {"red": "Röd", "amber": "Gul", "green": "Grön", "grey": "Grå"}


# --------------------------------------------------------------------------- police tier
def test_pdf_says_what_the_summary_says(exports, summary):
    pages = pdf_pages(exports["police", "pdf"].content)
    text = " ".join(pages)
    area = summary["area"]
    assert f"Lägesbild: {area['name']}" in text
    assert norm(summary["period_label"]) in text
    for h in SECTIONS_SV:
        assert h in text
    for k, page in enumerate(pages, start=1):  # tier, area/period and page number on every page
        assert "POLISVERSION" in page
        assert f"{area['name']} ({area['id']})" in page
        assert f"Sida {k} av {len(pages)}" in page
    assert "dataversion" in text
    assert "SYNTETISK" in text and "syntetiska demodata" in text
    # each indicator's row: between the previous reason and its own reason, in table order
    start = text.index("Indikatorer Indikator")
    for ind in summary["indicators"]:
        reason = norm(ind["reason_sv"])
        end = text.index(reason, start)
        row = text[start:end]
        assert norm(ind["name"]).split()[0] in row
        assert norm(fmt_value(ind["value"], ind["unit"], "sv")) in row, (ind["id"], row)
        assert norm(fmt_value(ind["previous"], ind["unit"], "sv")) in row, (ind["id"], row)
        if ind["p_adjusted"] is not None:
            assert norm(fmt_p(ind["p_adjusted"], "sv")) in row
        assert RAG_SV[ind["rag"]] in row
        assert norm(expected_verdict(ind)) in row, (ind["id"], row)
        assert norm(ind["verdict_sv"]) in row, (ind["id"], row)  # the verdict object's words
        if ind["significant"]:
            assert "säker " in row
        elif ind["signal"] == "nominal":
            assert "inte säker" in row and "säker ökning" not in row
        elif ind["p_adjusted"] is not None:
            assert "inom normal variation" in row and "säker " not in row
        start = end + len(reason)


def test_docx_says_what_the_summary_says(exports, summary):
    head, rows, body = docx_table(exports["police", "docx"].content)
    assert head[:2] == ["Indikator", "Värde"] and head[-1] == "Motivering"
    assert f"Lägesbild: {summary['area']['name']}" in body
    for h in SECTIONS_SV:
        assert h in body
    assert len(rows) == len(summary["indicators"])
    for ind, row in zip(summary["indicators"], rows, strict=True):
        assert row[0].startswith(norm(ind["name"]))
        assert ("SYNTETISK" in row[0]) == ind["synthetic"]
        assert row[1] == norm(fmt_value(ind["value"], ind["unit"], "sv"))
        assert row[2] == norm(fmt_value(ind["previous"], ind["unit"], "sv"))
        assert row[4] == norm(fmt_p(ind["p_adjusted"], "sv"))
        assert row[5] == f"{RAG_SV[ind['rag']]} {norm(expected_verdict(ind))}"
        assert row[6] == norm(ind["reason_sv"])


def test_police_tier_has_map_charts_and_all_notes(exports):
    import docx

    text = " ".join(pdf_pages(exports["police", "pdf"].content))
    assert INTERNAL_NOTE in text and norm(PUBLIC_NOTE) in text and "INTERN" in text
    assert "Karta" in text and "Getis-Ord Gi*" in text and "Källor" in text
    doc = docx.Document(io.BytesIO(exports["police", "docx"].content))
    assert len(doc.inline_shapes) == 2  # map + charts
    header = " ".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "POLISVERSION" in header and "Rinkeby" in header


# --------------------------------------------------------------------------- kommun tier
def test_kommun_tier_hides_small_counts_points_and_internal_notes(exports, summary):
    pages = pdf_pages(exports["kommun", "pdf"].content)
    for k, page in enumerate(pages, start=1):
        assert "KOMMUNVERSION" in page and f"Sida {k} av {len(pages)}" in page
    text = " ".join(pages)
    assert INTERNAL_NOTE not in text and "INTERN" not in text
    assert norm(PUBLIC_NOTE) in text
    assert "händelser (z =" not in text  # no per-cell event counts
    head, rows, body = docx_table(exports["kommun", "docx"].content)
    assert "Just. p" not in head
    by_name = {r[0].split(" SYNTETISK")[0]: r for r in rows}
    small = 0
    for ind in summary["indicators"]:
        row = by_name.get(norm(ind["name"]))
        if row is None:  # no figure to show: named once under the table, never a row of "<5 .. .."
            assert ind["name"].lower() in body.lower()
            assert ind["value"] is None or ind["unit"] != "count" or ind["value"] < 5
            small += ind["value"] is not None
            continue
        for col, field in ((1, "value"), (2, "previous")):
            v = ind[field]
            if ind["unit"] == "count" and v is not None and v < 5:
                small += 1  # "–" when the period is not fully registered: a partial total is never shown
                assert row[col] == "<5" or (row[col] == "–" and not ind.get("complete")), (ind["id"], field, row)
            elif v is not None and row[col] not in ("<5", ".."):
                assert row[col] == norm(fmt_value(v, ind["unit"], "sv"))
        if "<5" in row[1:3] or ".." in row[1:3]:
            assert row[3] in ("..", "–")  # no change computed from a hidden count
            assert row[4].startswith("Ingen bedömning")  # and no verdict about it
    assert small, "the demo area has small counts to hide"
    csv_text = exports["kommun", "csv"].content.decode("utf-8-sig")
    import pandas as pd

    table = pd.read_csv(io.StringIO(csv_text), sep=";", decimal=",", comment="#")
    counts = {i["id"] for i in summary["indicators"] if i["unit"] == "count"}
    sub = table[table["indikator_id"].isin(counts) & table["mått"].isin(["value", "previous"])]
    assert (sub["värde"].dropna() >= 5).all()
    assert set(sub.loc[sub["värde"].isna(), "visas som"]) <= {"<5", "..", "–"}  # – : not fully registered


def test_csv_and_xlsx_hold_every_number_of_the_table(exports, summary):
    import openpyxl
    import pandas as pd

    table = pd.read_csv(io.StringIO(exports["police", "csv"].content.decode("utf-8-sig")), sep=";",
                        decimal=",", comment="#")
    vals = table[table["mått"] == "value"].set_index("indikator_id")["värde"]
    for ind in summary["indicators"]:
        if ind["value"] is not None:
            assert vals[ind["id"]] == pytest.approx(ind["value"])
    wb = openpyxl.load_workbook(io.BytesIO(exports["police", "xlsx"].content))
    ws = wb["Siffror"]
    assert "POLISVERSION" in ws["A1"].value
    assert [c.value for c in ws[3]][:4] == ["avsnitt", "indikator_id", "indikator", "mått"]
    assert ws.max_row - 3 == len(table)


def test_html_is_self_contained_and_escapes_notes(exports):
    html = exports["police", "html"].content.decode("utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'src="data:image/png;base64,' in html and "<script" not in html
    assert "POLISVERSION" in html
    md = exports["kommun", "md"].content.decode("utf-8")
    assert md.startswith("> **KOMMUNVERSION") and "### Framsteg" in md and INTERNAL_NOTE not in md


def test_english_headings(store):
    from services.reports import export_report

    pages = pdf_pages(export_report(AREA, store["period"], "pdf", "police", lang="en",
                                    engine=store["engine"]).content)
    text = " ".join(pages)
    for h in SECTIONS_EN:
        assert h in text
    assert "POLICE VERSION" in pages[-1] and "Page 1 of" in pages[0]


# --------------------------------------------------------------------------- CLI
def test_cli_report_and_note_exit_codes(store, tmp_path):
    p = store["period"]
    out = tmp_path / "r.pdf"
    assert cli("report", "--area", AREA, "--period", p, "--out", str(out), "--author", "test")[0] == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    code, msg = cli("report", "--area", AREA, "--period", p, "--format", "docx", "--tier", "kommun",
                    "--out", str(tmp_path / "r.docx"), "--purpose", "Samverkan 2026-12-01")
    assert code == 0, msg
    assert cli("report", "--area", "99999", "--period", p, "--out", str(tmp_path / "x.pdf"))[0] == 2
    assert cli("report", "--area", AREA, "--period", "2026-T9", "--out", str(tmp_path / "x.pdf"))[0] == 2
    assert cli("report", "--area", AREA, "--period", p, "--out", str(tmp_path / "no" / "x.pdf"))[0] == 2
    assert cli("report", "--area", AREA, "--period", p, "--format", "odt", "--out", "x")[0] == 2
    assert cli("note", "add", "--area", AREA, "--period", p, "--section", "framsteg", "--text",
               "Ny lekplats invigd", "--author", "test")[0] == 0
    assert cli("note", "add", "--area", AREA, "--period", p, "--section", "nope", "--text", "x")[0] == 2
    code, listing = cli("note", "list", "--area", AREA, "--period", p)
    assert code == 0 and "Ny lekplats invigd" in listing and INTERNAL_NOTE in listing
    with store["engine"].connect() as conn:
        rows = conn.exec_driver_sql(
            "select user, action, layer, purpose from audit_log where action = 'export'").fetchall()
    assert ("test", "export", "pdf", None) in [tuple(r) for r in rows]
    assert any(r[3] == "Samverkan 2026-12-01" for r in rows)


def test_cli_region_batch(store, tmp_path):
    code, msg = cli("report", "--region", "Mitt", "--period", store["period"], "--format", "md",
                    "--out", str(tmp_path / "mitt"))
    assert code == 0, msg
    files = sorted(Path(tmp_path / "mitt").glob("*.md"))
    assert files and all(f.read_text(encoding="utf-8").startswith("> **POLISVERSION") for f in files)


# --------------------------------------------------------------------------- the page's callbacks
@pytest.fixture(scope="module")
def client(store):
    from app import app

    c = app.server.test_client()
    assert c.get("/").status_code == 200
    deps = c.get("/_dash-dependencies").get_json()
    return c, deps


def _dep(deps, output_part: str) -> dict:
    return next(d for d in deps if output_part in d["output"])


def _post(c, body):
    r = c.post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_json()["response"]


def test_export_button_downloads_the_report(client, store):
    c, deps = client
    dep = _dep(deps, "export-download.data")
    buttons = [{"id": i, "property": "n_clicks", "value": 1 if i == "export-docx" else 0}
               for i in ("export-pdf", "export-docx", "export-csv", "export-xlsx")]
    state = {"area-search": AREA, "period": store["period"], "comparison": "prev_year", "view": {"lang": "en"},
             "export-tier": "kommun", "export-purpose": "Samverkansmöte"}
    body = {"output": dep["output"],
            "outputs": [{"id": "export-download", "property": "data"}, {"id": "export-status", "property": "children"}],
            "inputs": buttons, "changedPropIds": ["export-docx.n_clicks"],
            "state": [{"id": s["id"], "property": s["property"], "value": state[s["id"]]} for s in dep["state"]]}
    resp = _post(c, body)
    data = resp["export-download"]["data"]
    assert data["filename"].endswith("_kommun.docx")
    import docx

    doc = docx.Document(io.BytesIO(base64.b64decode(data["content"])))
    assert "MUNICIPALITY VERSION" in doc.sections[0].header.paragraphs[0].text  # the view's language: English
    assert "Created" in resp["export-status"]["children"]


def test_notes_editor_loads_saves_and_keeps_history(client, store):
    from store.notes import area_history

    c, deps = client
    sections = ["framsteg", "problem", "prioriteringar", "atgarder"]
    load = _dep(deps, "note-meta.children")

    def load_editor():
        body = {"output": load["output"],
                "outputs": [[{"id": {"section": s, "type": "note-text"}, "property": "value"} for s in sections],
                            [{"id": {"section": s, "type": "note-internal"}, "property": "value"} for s in sections],
                            {"id": "note-meta", "property": "children"}],
                "inputs": [{"id": "area-search", "property": "value", "value": AREA},
                           {"id": "period", "property": "value", "value": store["period"]},
                           {"id": "lang-store", "property": "data", "value": None}],
                "changedPropIds": ["area-search.value"],
                "state": [{"id": "view", "property": "data", "value": {"lang": "sv"}}]}
        resp = _post(c, body)
        text = {s: resp[json.dumps({"section": s, "type": "note-text"}, separators=(",", ":"))]["value"]
                for s in sections}
        internal = {s: resp[json.dumps({"section": s, "type": "note-internal"}, separators=(",", ":"))]["value"]
                    for s in sections}
        return text, internal, resp["note-meta"]["children"]

    text, internal, meta = load_editor()
    assert text["problem"] == PUBLIC_NOTE and text["atgarder"] == INTERNAL_NOTE
    assert internal["atgarder"] == ["internal"] and internal["problem"] == ["kommun"]
    before = len(area_history(store["engine"], AREA, store["period"]))
    text["framsteg"] = "Trygghetsvandring genomförd"
    text["problem"] = PUBLIC_NOTE + " Uppföljning i maj."
    save = _dep(deps, "note-status.children")
    body = {"output": save["output"], "outputs": [{"id": "note-status", "property": "children"},
                                                  {"id": "notes-saved", "property": "data"}],
            "inputs": [{"id": "note-save", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["note-save.n_clicks"],
            "state": [{"id": "area-search", "property": "value", "value": AREA},
                      {"id": "period", "property": "value", "value": store["period"]},
                      [{"id": {"section": s, "type": "note-text"}, "property": "value", "value": text[s]}
                       for s in sections],
                      [{"id": {"section": s, "type": "note-internal"}, "property": "value", "value": internal[s]}
                       for s in sections],
                      {"id": "view", "property": "data", "value": {"lang": "sv"}}]}
    saved = _post(c, body)
    assert saved["note-status"]["children"].startswith("Sparat: 2 avsnitt")
    assert saved["notes-saved"]["data"] == 1  # the lägesbild panel redraws with the notes at once
    after = area_history(store["engine"], AREA, store["period"])
    assert len(after) == before + 2  # one new row per changed section, nothing overwritten
    assert any(n.text == PUBLIC_NOTE and n.author == "anna" for n in after)
    text2, internal2, meta2 = load_editor()
    assert text2 == text and internal2["atgarder"] == ["internal"]
    assert "Senast ändrad" in meta2 and "demo" in meta2


def test_a_kommun_tier_viewer_only_ever_gets_the_kommun_version(store):
    from services.reports import editor_state, export_for, save_editor

    f, msg = export_for(AREA, store["period"], "pdf", "police", "prev_year", "sv", None,
                        allowed_tier="kommun", engine=store["engine"])
    assert f.filename.endswith("_kommun.pdf") and "kommunversionen" in msg
    assert "KOMMUNVERSION" in pdf_pages(f.content)[0]
    assert editor_state(AREA, store["period"], allowed_tier="kommun", engine=store["engine"]) == (
        {s: ("", False, False) for s in ("framsteg", "problem", "prioriteringar", "atgarder")}, "")
    with pytest.raises(PermissionError):
        save_editor(AREA, store["period"], {"problem": ("x", False)}, "kp", allowed_tier="kommun",
                    engine=store["engine"])
    assert export_for(None, store["period"], "pdf")[0] is None


def test_values_written_outside_an_import_export_without_a_data_version(store, tmp_path):
    """Rows older than import tracking (import_id NULL) sit beside imported ones: every format
    renders, and the CSV gives those months an empty data version, the others their import."""
    import pandas as pd

    from services.reports import export_report
    from store.engine import make_engine

    path = tmp_path / "mixed.sqlite"
    src, dst = sqlite3.connect(str(store["path"])), sqlite3.connect(str(path))
    src.backup(dst)
    src.close()
    with dst:
        first = dst.execute("SELECT min(id) FROM imports").fetchone()[0]
        dst.execute("UPDATE indicator_values SET import_id = ? WHERE area_id = ?", (first, AREA))
        dst.execute("UPDATE indicator_values SET import_id = NULL WHERE area_id = ? AND month < "
                    "(SELECT max(month) FROM indicator_values WHERE area_id = ?)", (AREA, AREA))
    dst.close()
    engine = make_engine(f"sqlite:///{path}")
    try:
        files = {fmt: export_report(AREA, store["period"], fmt, "police", engine=engine)
                 for fmt in ("pdf", "docx", "html", "csv")}
    finally:
        engine.dispose()
    assert all(f.content for f in files.values())
    table = pd.read_csv(io.StringIO(files["csv"].content.decode("utf-8-sig")), sep=";", decimal=",",
                        comment="#", dtype={"dataversion": "string"})
    months = table[table["mått"].astype(str).str.fullmatch(r"\d{4}-\d{2}")]
    assert len(months) and months["dataversion"].isna().any()
    assert set(months["dataversion"].dropna()) <= {str(first)}
