"""The kommun PDF a kommun reader can use, read back from the demo store: plain words with the
method in a footnote, no rows without a figure, no statistical notation ("p = < 0,001" nowhere),
grammatical place names, and ``report --region`` as ONE PDF with a contents page (``--split``
keeps one file per area)."""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
from pathlib import Path

import pytest

REGION = "Bergslagen"  # four areas: a small book
#: a table row whose every cell is "<5", ".." or "–" (what the kommun table used to start with)
EMPTY_ROW = re.compile(r"(?:(?:<5|–|\.\.) ){3}(?:\.\.|Grå|Ingen bedömning)")
STAT_NOTATION = re.compile(r"(?<![\w-])p\s*[=<>≤]|p-värde|Gi\*|FDR|Benjamini|E-test|z\s*=")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


@pytest.fixture(scope="module")
def store(demo_db_path, data_dir, tmp_path_factory):
    from config import settings
    from store.engine import make_engine

    path = tmp_path_factory.mktemp("kommun") / "kommun.sqlite"
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

        yield {"engine": engine, "period": default_period()}
        engine.dispose()
    settings.cache_clear()


def cli(*argv: str) -> tuple[int, str]:
    import cli as cli_module

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_module.main(list(argv))
    return code, out.getvalue() + err.getvalue()


def pdf_text(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [norm(p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture(scope="module")
def kommun(store):
    """Alby (17) and Rinkeby (74), default period: real series not yet reported, small counts,
    nearness checks around licensed premises and metro exits."""
    from reports.content import build_content
    from services.reports import export_report, gather

    out = {}
    for area in ("17", "74"):
        data = gather(area, store["period"], "kommun", engine=store["engine"])
        out[area] = {"data": data, "content": build_content(data, figures=False),
                     "pdf": export_report(area, store["period"], "pdf", "kommun", engine=store["engine"]).content}
    return out


def test_no_row_of_the_kommun_table_is_without_a_figure(kommun):
    for area, k in kommun.items():
        content = k["content"]
        assert content.small_rows, f"{area}: the demo area has indicators with nothing to show"
        for row in content.rows:
            assert any(ch.isdigit() for ch in row.value + row.reference + row.change), (area, row)
        text = " ".join(pdf_text(k["pdf"]))
        table = text.split("Indikator Värde I fjol Förändring Bedömning", 1)[1].split("Utan tal att visa", 1)[0]
        assert not EMPTY_ROW.search(table), (area, EMPTY_ROW.search(table).group(0))
        first = re.split(r"\b(Röd|Gul|Grön|Grå|Ingen bedömning)\b", table, maxsplit=1)[0]
        assert re.search(r"\d", first), f"{area}: the first table row shows a number: {first!r}"
        for row in content.small_rows:  # named once, under the table
            assert row.name.lower()[:12] in norm(content.small_note).lower()
        assert norm(content.small_note)[:40] in text


def test_no_statistical_notation_in_the_kommun_body(kommun):
    for area, k in kommun.items():
        pages = pdf_text(k["pdf"])
        text = " ".join(pages)
        assert "p = <" not in text and "p =" not in text, area
        body = text.split("Om metoden:", 1)[0]  # the 4P text up to the footnote
        assert not STAT_NOTATION.search(body), (area, STAT_NOTATION.search(body).group(0))
        assert "¹ Om metoden" in text  # the method is named in the footnote
        assert "inom normal variation" in text or "säker" in text  # the verdict object's plain words
        for section in k["content"].sections:
            for fact in section.facts:
                assert not STAT_NOTATION.search(fact.text), fact.text


def test_places_are_named_in_good_swedish(kommun, store):
    from services.reports import export_report

    rinkeby = " ".join(pdf_text(kommun["74"]["pdf"]))
    police = " ".join(pdf_text(export_report("74", store["period"], "pdf", "police", engine=store["engine"]).content))
    for text in (rinkeby, police):
        assert not re.search(r"från \d+ (krog|tunnelbana)\b", text)
        assert "p = <" not in text
    # the kommun tier has no hypothesis checks about places (disclosure policy): the police one names them
    assert re.search(r"från (1 krog|\d+ krogar)\b", police)
    assert re.search(r"från \d+ tunnelbaneuppgång(ar)?\b", police)


def test_region_is_one_pdf_with_a_contents_page(store, tmp_path):
    from pypdf import PdfReader

    from services.reports import region_ids
    from store.queries import areas_frame

    out = tmp_path / "bok.pdf"
    code, msg = cli("report", "--region", REGION, "--period", store["period"], "--tier", "kommun",
                    "--out", str(out))
    assert code == 0, msg
    assert [p.name for p in tmp_path.iterdir()] == ["bok.pdf"]
    reader = PdfReader(str(out))
    pages = [norm(p.extract_text()) for p in reader.pages]
    ids = region_ids(REGION, store["engine"])
    areas = areas_frame(store["engine"])
    latest = areas[areas["list_year"] == areas["list_year"].max()]
    names = dict(zip(latest["id"].astype(str), latest["name"], strict=True))
    assert "Innehåll" in pages[0] and f"polisregion {REGION}" in pages[0]
    outline = [o.title for o in reader.outline]
    assert outline == ["Innehåll", *(f"{names[a]} ({a})" for a in ids)]
    for item, a in zip(reader.outline[1:], ids, strict=True):
        start = reader.get_destination_page_number(item)  # the page the bookmark opens
        assert f"Lägesbild: {names[a]}" in pages[start]
        assert f"Lägesbild · {names[a]} ({a})" in pages[start]  # its own running header
        assert f"{names[a]} ({a})" in pages[0] and re.search(rf"\.\s*{start + 1}\b", pages[0])  # in the contents
    for k, page in enumerate(pages, start=1):
        assert "KOMMUNVERSION" in page and f"Sida {k} av {len(pages)}" in page
        assert "p = <" not in page and "p =" not in page


def test_region_split_and_docx(store, tmp_path):
    from services.reports import region_ids

    n = len(region_ids(REGION, store["engine"]))
    code, msg = cli("report", "--region", REGION, "--period", store["period"], "--tier", "kommun",
                    "--out", str(tmp_path / "delar"), "--split")
    assert code == 0, msg
    assert len(list((tmp_path / "delar").glob("*.pdf"))) == n
    code, msg = cli("report", "--region", REGION, "--period", store["period"], "--tier", "kommun",
                    "--format", "docx", "--out", str(tmp_path) + "/")
    assert code == 0, msg
    files = list(tmp_path.glob("*.docx"))
    assert len(files) == 1
    import docx

    doc = docx.Document(str(files[0]))
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert len(titles) == n and all(t.startswith("Lägesbild: ") for t in titles)
    assert len(doc.sections) == n + 1  # the contents, then one section (own header) per area
    assert "Innehåll" in [p.text for p in doc.paragraphs]
    assert Path(files[0]).name.startswith(f"lagesbild_{REGION.lower()}_")


def test_region_book_rejects_formats_it_cannot_bind(store):
    from geodata.errors import InputError
    from services.reports import region_book

    with pytest.raises(InputError, match="--split"):
        region_book(REGION, store["period"], "csv", "kommun", engine=store["engine"])
