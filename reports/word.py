"""The editable DOCX (python-docx): the same content as the PDF, in Word styles.

A4, the tier and the area/period in the page header and "Sida X av Y" fields in the footer (both
repeat on every page), headings in Word's heading styles, facts as bullets, notes as quotes, the
indicator table as a real Word table, the map and charts as pictures.
"""

from __future__ import annotations

import io
from dataclasses import replace

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

import texts
from reports.content import ReportContent

TIER_HEX = {"police": "1F3A5F", "kommun": "1B6E3A"}
RAG_HEX = {"red": "C62828", "amber": "F2B01E", "green": "2E7D32", "grey": "9E9E9E", "hidden": "E0E0E0"}
MUTED = RGBColor(0x5F, 0x5F, 0x5F)


def _shade(cell_or_par, hex_fill: str) -> None:
    """Background colour of a table cell or a paragraph."""
    el = cell_or_par._tc if hasattr(cell_or_par, "_tc") else cell_or_par._p
    pr = el.get_or_add_tcPr() if hasattr(cell_or_par, "_tc") else el.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    pr.append(shd)


def _field(run, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES) inside ``run``."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instr
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    num = OxmlElement("w:t")
    num.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, text, sep, num, end):
        run._r.append(el)


def _small(par, text: str, size: float = 8, color: RGBColor | None = MUTED, bold: bool = False):
    run = par.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _new_document() -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(1.8)
    sec.top_margin, sec.bottom_margin = Cm(2.4), Cm(1.8)
    sec.header_distance, sec.footer_distance = Cm(0.8), Cm(0.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    return doc


def _page_frame(sec, content: ReportContent) -> None:
    """The section's header (tier band + area/period) and footer (created, data version, page X
    of Y), its own (not the previous section's)."""
    lab = content.labels
    sec.header.is_linked_to_previous = False
    sec.footer.is_linked_to_previous = False
    hp = sec.header.paragraphs[0]
    for run in list(hp.runs):
        run._r.getparent().remove(run._r)
    _shade(hp, TIER_HEX.get(content.tier, "1B1B1B"))
    r = hp.add_run(" " + content.tier_label)
    r.bold = True
    r.font.size = Pt(8.5)
    r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    hp2 = sec.header.paragraphs[1] if len(sec.header.paragraphs) > 1 else sec.header.add_paragraph()
    _small(hp2, content.header, 8)
    fp = sec.footer.paragraphs[0]
    _small(fp, f"{content.footer} · {content.tier_short} · {lab['page']} ")
    _field(_small(fp, ""), "PAGE")
    _small(fp, f" {lab['of']} ")
    _field(_small(fp, ""), "NUMPAGES")


def render_docx(content: ReportContent) -> bytes:
    """The DOCX of a report."""
    doc = _new_document()
    _page_frame(doc.sections[0], content)
    _body(doc, content)
    _properties(doc, content.title, f"{content.header} · {content.tier_short}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_docx_book(contents: list[ReportContent], title: str, subtitle: str) -> bytes:
    """Several reports (a region) as one DOCX: a contents page (Word's table of contents, filled
    when fields are updated, and the list of areas), then each report in its own section (new
    page, its own header and footer)."""
    if not contents:
        raise ValueError("render_docx_book: no reports")
    first = contents[0]
    doc = _new_document()
    _page_frame(doc.sections[0], replace(first, header=title))
    _small(doc.add_paragraph(), title, 22, None, bold=True)  # not a Title: the contents list the areas' titles
    _small(doc.add_paragraph(), subtitle, 10)
    doc.add_heading(texts.t("rep.contents", first.lang), level=1)
    toc = doc.add_paragraph()
    _field(toc.add_run(), 'TOC \\t "Title,1" \\h \\z')
    _small(doc.add_paragraph(), texts.t("rep.book_contents_note", first.lang), 8)
    for c in contents:
        doc.add_paragraph(c.title.split(": ", 1)[-1] + f" ({c.area_id})", style="List Number")
    for c in contents:
        sec = doc.add_section(WD_SECTION.NEW_PAGE)
        _page_frame(sec, c)
        _body(doc, c)
    _properties(doc, title, f"{title} · {first.tier_short}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _properties(doc, title: str, subject: str) -> None:
    core = doc.core_properties
    core.title = title
    core.subject = subject
    core.author = "Lägesbild"


def _head(doc, content: ReportContent) -> None:
    """Title, subtitle, the identity table and (with synthetic data) the banner."""
    doc.add_heading(content.title, level=0)
    p = doc.add_paragraph()
    _small(p, content.subtitle, 10)
    t = doc.add_table(rows=0, cols=2)
    for k, v in content.meta:
        cells = t.add_row().cells
        cells[0].paragraphs[0].add_run(k).bold = True
        cells[1].paragraphs[0].add_run(v)
    for row in t.rows:
        row.cells[0].width, row.cells[1].width = Cm(3.5), Cm(13.9)
    if content.synthetic_banner:
        p = doc.add_paragraph()
        _shade(p, "FFF3D6")
        _small(p, content.synthetic_banner, 9, RGBColor(0x5B, 0x3B, 0x00), bold=True)


def _notes(doc, section, lab: dict[str, str]) -> None:
    """A section's notes as quotes (internal ones shaded), each with author and time."""
    if not section.notes:
        return
    p = doc.add_paragraph()
    _small(p, lab["notes"].upper(), 8, bold=True)
    for n in section.notes:
        q = doc.add_paragraph(n.text, style="Quote")
        if n.internal:
            _shade(q, "FFF4F4")
        meta = doc.add_paragraph()
        tag = f" · {lab['internal']}" if n.internal else ""
        _small(meta, f"— {n.author}, {n.created_at:%Y-%m-%d %H:%M}{tag}")


def _summary(doc, content: ReportContent) -> None:
    """The 4P sections (priorities as Word's numbered list) with their notes."""
    doc.add_heading(content.labels["summary_heading"], level=1)
    for s in content.sections:
        doc.add_heading(s.title, level=2)
        for f in s.facts:
            style = "List Number" if s.key == "prioriteringar" else "List Bullet"
            text = f.text
            if s.key == "prioriteringar":
                head, _, rest = text.partition(" ")
                if head.endswith(".") and head[:-1].isdigit():
                    text = rest
            doc.add_paragraph(text, style=style)
        _notes(doc, s, content.labels)


def _figures(doc, content: ReportContent) -> None:
    """The map and the charts with their captions."""
    if content.map_png:
        doc.add_heading(content.labels["map"], level=1)
        doc.add_picture(io.BytesIO(content.map_png), width=Cm(17.4))
        _small(doc.add_paragraph(), content.map_caption, 8)
    if content.chart_png:
        doc.add_heading(content.chart_title, level=1)
        doc.add_picture(io.BytesIO(content.chart_png), width=Cm(17.4))
        _small(doc.add_paragraph(), content.chart_caption, 8)


def _indicator_row(table, r, lab: dict[str, str], kommun: bool) -> None:
    """One indicator's row: name (tagged when synthetic), numbers, the coloured verdict, reason."""
    cells = table.add_row().cells
    values = [r.value, r.reference, r.change] + ([] if kommun else [r.p])
    name = cells[0].paragraphs[0]
    name.add_run(r.name)
    if r.synthetic:
        run = name.add_run(f"\n{lab['synthetic_tag']}")
        run.bold = True
        run.font.size = Pt(7)
        run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
    for k, v in enumerate(values, start=1):
        par = cells[k].paragraphs[0]
        par.add_run(v)
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    verdict_cell = cells[len(values) + 1]
    chip = verdict_cell.paragraphs[0].add_run(f" {r.rag_text} ")
    chip.bold = True
    light = r.rag in ("amber", "hidden")
    chip.font.color.rgb = RGBColor(0x1B, 0x1B, 0x1B) if light else RGBColor(0xFF, 0xFF, 0xFF)
    rpr = chip._r.get_or_add_rPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), RAG_HEX.get(r.rag, "9E9E9E"))
    rpr.append(shd)
    verdict_cell.paragraphs[0].add_run(f" {r.verdict}")
    _small(cells[-1].paragraphs[0], r.reason, 7.5, None)


def _indicator_table(doc, content: ReportContent) -> None:
    """The indicator table (8 pt where no size is set) and the note on rows left out."""
    lab = content.labels
    doc.add_heading(lab["table"], level=1)
    cols = list(content.columns) + [lab["col_reason"]]
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for k, c in enumerate(cols):
        cell = table.rows[0].cells[k]
        cell.paragraphs[0].add_run(c).bold = True
        _shade(cell, "E8ECF1")
    for r in content.rows:
        _indicator_row(table, r, lab, content.tier == "kommun")
    runs = (run for row in table.rows for cell in row.cells for par in cell.paragraphs for run in par.runs)
    for run in runs:
        if run.font.size is None:
            run.font.size = Pt(8)
    if content.small_note:  # indicators with no figure to show: one sentence, not empty rows
        doc.add_paragraph(content.small_note)


def _closing(doc, content: ReportContent) -> None:
    """Hypothesis checks, the hotspot method, method notes and sources."""
    lab = content.labels
    if content.hypotheses:
        doc.add_heading(lab["hypotheses"], level=2)
        for h in content.hypotheses:
            doc.add_paragraph(h, style="List Bullet")
    if content.method_rows:
        doc.add_heading(f"{lab['hotspots']}: {lab['method'].lower()}", level=2)
        mt = doc.add_table(rows=0, cols=2)
        for k, v in content.method_rows:
            cells = mt.add_row().cells
            _small(cells[0].paragraphs[0], k, 8, None, bold=True)
            _small(cells[1].paragraphs[0], v, 8, None)
    for line in content.hotspot_lines:
        doc.add_paragraph(line)
    doc.add_heading(lab["method_notes"], level=2)
    for m in content.method_notes:
        _small(doc.add_paragraph(style="List Bullet"), m, 8.5, None)
    doc.add_heading(lab["sources"], level=2)
    for s in content.sources:
        _small(doc.add_paragraph(style="List Bullet"), s, 8.5, None)


def _body(doc, content: ReportContent) -> None:
    """One report's headings, facts, notes, pictures and tables."""
    _head(doc, content)
    _summary(doc, content)
    if content.footnote:  # the method behind the plain words (kommun tier)
        _small(doc.add_paragraph(), content.footnote, 8, None)
    if content.caveats:
        doc.add_heading(content.labels["caveats"], level=2)
        for c in content.caveats:
            _small(doc.add_paragraph(style="List Bullet"), c, 8.5, None)
    _figures(doc, content)
    _indicator_table(doc, content)
    _closing(doc, content)
