"""A kommunpartner in real Chromium: the page and every export (PDF, DOCX, CSV, XLSX from the export
buttons) show the same numbers and the same notes, no hidden count is printed or drawn, and a permalink
with a month lands on a tertial. The PDF's first page is rendered with ``pdftoppm`` into the artifacts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime

import pytest

from testing.disclosure_audit import numbers_from_csv, numbers_from_xlsx
from testing.harness import TEST_SECRET, copy_sqlite
from tests.browser.conftest import ARTIFACTS, running_app, shot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
ALE, AREA, PERIOD = "1440", "12", "2023-T3"  # Lövgärdet: real car-fire series with small counts
SHARED = "Trygghetsvandring vid torget med bostadsbolaget"
UNMARKED = "Samtal med fastighetsägaren om belysningen"
MARKS = ("<5", "..", "–")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\xa0", " ").replace("\u202f", " ")).strip()


def bare(name: str) -> str:
    """An indicator's name without its SYNTETISK badge."""
    return re.sub(r"\s*SYNTETISK$", "", norm(name))


@pytest.fixture(scope="module")
def kommun_server(demo_db_path, data_dir, tmp_path_factory):
    from security.users import create_user
    from store.engine import make_engine
    from store.notes import add_note

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("kpb") / "kp.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    create_user(engine, "kp1", "kommunpartner", [ALE], password=PASSWORD)
    now = datetime(2024, 1, 10, 9, 0)
    add_note(engine, AREA, PERIOD, "problem", SHARED, "anna", kommun=True, now=now)
    add_note(engine, AREA, PERIOD, "framsteg", UNMARKED, "anna", now=now)
    engine.dispose()
    with running_app(path, data_dir, "disclosure_server", ready_path="/healthz", LAGESBILD_AUTH="local",
                     LAGESBILD_SECRET_KEY=TEST_SECRET, LAGESBILD_REDIS_URL=None) as url:
        yield url


@pytest.fixture
def kp_page(browser, kommun_server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.goto(kommun_server + f"/?area={AREA}&period={PERIOD}")
    page.wait_for_selector("form[action='/login']")
    page.fill("#username", "kp1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    yield page
    context.close()


def page_table(page) -> list[list[str]]:
    page.locator("table.kommun-table tbody tr").first.wait_for(timeout=60000)
    rows = []
    for tr in page.locator("table.kommun-table tbody tr").all():
        rows.append([norm(td.inner_text()) for td in tr.locator("td").all()])
    return rows


def download(page, button: str) -> bytes:
    with page.expect_download(timeout=120000) as info:
        page.click(f"#{button}")
    return open(info.value.path(), "rb").read()


def by_indicator(rows) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        out.setdefault(norm(r["name"]), {})[str(r["measure"])] = norm(str(r["shown"] or "").lstrip("'"))
    return out


def test_the_page_and_every_export_show_the_same_and_no_hidden_count(kp_page, kommun_server):
    page = kp_page
    rows = page_table(page)
    shot(page, "disclosure_kommun_page")
    names = [bare(r[0]) for r in rows]
    assert "Brand i motorfordon" in names
    assert any(c in MARKS[:2] for r in rows for c in r[1:]), "the area has hidden counts in this period"
    # nothing of the police tier on the page: no hotspot/event/place buttons, no trend, no notes editor
    assert page.locator("#hotspot-toggle").is_hidden() and page.locator("#events-toggle").is_hidden()
    assert page.locator("#note-save").count() == 0
    words = norm(page.locator("#lagesbild").inner_text())
    assert SHARED in words and UNMARKED not in words

    csv_rows = numbers_from_csv(download(page, "export-csv"))
    xlsx_rows = numbers_from_xlsx(download(page, "export-xlsx"))
    pdf = download(page, "export-pdf")
    docx_bytes = download(page, "export-docx")
    (ARTIFACTS / "disclosure_kommun.pdf").write_bytes(pdf)

    # CSV = XLSX = page (value, reference, change)
    key = sorted((str(r["indicator_id"]), str(r["measure"]), norm(str(r["shown"]).lstrip("'"))) for r in csv_rows)
    assert key == sorted((str(r["indicator_id"]), str(r["measure"]), norm(str(r["shown"]).lstrip("'")))
                         for r in xlsx_rows)
    csv = by_indicator(csv_rows)
    for name, value, ref, change, assessment in rows:
        got = csv[bare(name)]
        assert value == got.get("value", "–") and ref == got.get("previous", "–"), (name, value, ref, got)
        assert change.startswith(got.get("change", "–")), (name, change, got)
        words = got.get("bedömning", "..")
        assert assessment == ".." if words == ".." else assessment.endswith(words), (name, assessment, got)
    # a hidden number is never in the files, and never a bar: hidden chart rows have no value
    assert all(r["value"] is None for r in csv_rows if norm(str(r["shown"]).lstrip("'")) in MARKS[:2])
    assert not any(str(r["measure"]) in ("count", "z", "p_adjusted", "class") for r in csv_rows)

    # DOCX: the same table, the page's lägesbild sentences, the marked note only
    import docx

    doc = docx.Document(io.BytesIO(docx_bytes))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Indikator")
    drows = [[norm(c.text) for c in r.cells] for r in table.rows[1:]]
    assert [[bare(r[0])] + r[1:4] for r in drows] == [[bare(r[0])] + r[1:4] for r in rows]
    for drow, row in zip(drows, rows, strict=True):  # the same verdict, or none on both
        assert (row[4] == "..") == drow[4].startswith(".."), (row, drow)
    body = norm("\n".join(p.text for p in doc.paragraphs))
    assert SHARED in body and UNMARKED not in body
    for li in page.locator("#lagesbild li").all():
        sentence = norm(li.inner_text())
        if sentence.startswith(("framsteg:", "problem:", "prioriteringar:", "atgarder:")):
            continue  # notes are shown with their section on the page
        assert sentence.split(" — ")[0][:60] in body, sentence

    # PDF: the same numbers per row, the marked note only, no hot spot map
    from pypdf import PdfReader

    pdf_text = norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "KOMMUNVERSION" in pdf_text and SHARED in pdf_text and UNMARKED not in pdf_text
    assert "hotspotceller" not in pdf_text and "händelser (z =" not in pdf_text
    for name, value, ref, _change, _assessment in rows:
        name = bare(name)
        assert re.search(re.escape(name) + r".{0,40}?" + re.escape(value) + r"\s+" + re.escape(ref), pdf_text), \
            (name, value, ref)

    # look at it: the PDF's first two pages as PNGs
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2",
                        str(ARTIFACTS / "disclosure_kommun.pdf"), str(ARTIFACTS / "disclosure_kommun_pdf")],
                       check=True, timeout=60)


def test_a_permalink_with_a_month_lands_on_a_tertial(kp_page, kommun_server):
    page = kp_page
    page_table(page)
    page.goto(kommun_server + f"/?area={AREA}&period=2023-09")
    rows = page_table(page)
    assert rows
    assert re.search(r"[?&]period=\d{4}-T[123]", page.url) or "period=2023-09" not in page.url
    shown = norm(page.locator("#period").inner_text())
    assert "sep 2023" not in shown.lower() and "2023-09" not in shown
