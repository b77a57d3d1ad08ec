"""PDF (reportlab) and DOCX (python-docx) of an :class:`reports.samverkan.EstDocument`, in the house
style of the lägesbild (the same fonts, colours and indicator table)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx.shared import Cm, Pt, RGBColor
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import texts
from reports.pdf import INK, MARGIN_X, RULE, TEXT_W, TIER_COLORS, _indicator_table, _p, _styles
from reports.samverkan import EstDocument
from reports.word import RAG_HEX, TIER_HEX, _new_document, _shade, _small


def _table(columns: list[str], rows: list[list[str]], st) -> Table:
    n = len(columns)
    first = 0.34 if n > 3 else 0.5
    widths = [TEXT_W * first] + [TEXT_W * (1 - first) / (n - 1)] * (n - 1)
    data = [[_p(c, st["cellb"]) for c in columns]] + [[_p(v, st["cell"]) for v in r] for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                           ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))
    return t


def render_est_pdf(doc: EstDocument) -> bytes:
    """The A4 PDF."""
    st = _styles()
    buf = io.BytesIO()
    tier_color = TIER_COLORS.get(doc.tier, INK)

    def decorate(c, d) -> None:
        c.saveState()
        c.setFillColor(tier_color)
        c.rect(0, A4[1] - 9 * mm, A4[0], 9 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("DejaVu-Bold", 8.5)
        c.drawString(MARGIN_X, A4[1] - 6 * mm, doc.title)
        c.drawRightString(A4[0] - MARGIN_X, A4[1] - 6 * mm, dict(doc.meta).get("Version", ""))
        c.setFillColor(colors.HexColor("#5f5f5f"))
        c.setFont("DejaVu", 7.5)
        c.drawString(MARGIN_X, 9 * mm, doc.footer)
        c.drawRightString(A4[0] - MARGIN_X, 9 * mm, f"{texts.t('rep.page', doc.lang)} {d.page}")
        c.restoreState()

    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=18 * mm,
                            bottomMargin=17 * mm, title=doc.title, author="Lägesbild", subject=doc.subtitle,
                            lang=texts.t("rep.pdf_lang", doc.lang))
    story: list = [_p(doc.title, st["title"]), _p(doc.subtitle, st["subtitle"])]
    meta = Table([[_p(k, st["cellb"]), _p(v, st["cell"])] for k, v in doc.meta],
                 colWidths=[35 * mm, TEXT_W - 35 * mm], hAlign="LEFT")
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story += [meta, Spacer(1, 4)]
    for block in doc.blocks:
        kind = block[0]
        if kind in ("h2", "h3"):
            story.append(_p(block[1], st[kind]))
        elif kind == "p":
            story.append(_p(block[1], st["body"]))
            story.append(Spacer(1, 2))
        elif kind == "table":
            story.append(_table(block[1], block[2], st))
            story.append(Spacer(1, 4))
        elif kind == "indicators":
            content = block[1]
            story.append(KeepTogether([_p(content.title.split(": ", 1)[-1], st["h3"]),
                                       _indicator_table(content, st)]))
            if content.small_note:
                story.append(_p(content.small_note, st["small"]))
            story.append(Spacer(1, 4))
        elif kind == "box":
            box = Table([[Paragraph(escape(block[1]), st["note"])]], colWidths=[TEXT_W], rowHeights=[60 * mm])
            box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(box)
    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def render_est_docx(doc: EstDocument) -> bytes:
    """The editable DOCX (Word headings, real tables; the analysis box left to be written in)."""
    d = _new_document()
    head = d.sections[0].header.paragraphs[0]
    _small(head, doc.title, 8, RGBColor.from_string(TIER_HEX.get(doc.tier, "1B1B1B")), bold=True)
    _small(d.sections[0].footer.paragraphs[0], doc.footer, 7.5)
    d.add_heading(doc.title, level=0)
    _small(d.add_paragraph(), doc.subtitle, 10)
    meta = d.add_table(rows=0, cols=2)
    for k, v in doc.meta:
        cells = meta.add_row().cells
        cells[0].paragraphs[0].add_run(k).bold = True
        cells[1].paragraphs[0].add_run(v)
    for block in doc.blocks:
        kind = block[0]
        if kind in ("h2", "h3"):
            d.add_heading(block[1], level=1 if kind == "h2" else 2)
        elif kind == "p":
            d.add_paragraph(block[1])
        elif kind in ("table", "indicators"):
            if kind == "indicators":
                content = block[1]
                d.add_heading(content.title.split(": ", 1)[-1], level=3)
                columns = list(content.columns)
                rows = [[r.name, r.value, r.reference, r.change, *([r.p] if content.tier != "kommun" else []),
                         f"{r.rag_text} {r.verdict}".strip()] for r in content.rows]
                rags = [r.rag for r in content.rows]
            else:
                columns, rows, rags = block[1], block[2], None
            table = d.add_table(rows=1, cols=len(columns))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, columns, strict=True):
                cell.paragraphs[0].add_run(str(text)).bold = True
            for k, r in enumerate(rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, r, strict=True):
                    run = cell.paragraphs[0].add_run(str(text))
                    run.font.size = Pt(8.5)
                if rags is not None and rags[k] in RAG_HEX:
                    _shade(cells[-1], {"red": "FBE3E3", "amber": "FFF3D6", "green": "E3F2E5"}.get(rags[k], "F2F2F2"))
            if kind == "indicators" and content.small_note:
                _small(d.add_paragraph(), content.small_note, 8)
        elif kind == "box":
            box = d.add_table(rows=1, cols=1)
            box.style = "Table Grid"
            cell = box.rows[0].cells[0]
            cell.width = Cm(17.4)
            _small(cell.paragraphs[0], block[1], 9)
            for _ in range(8):
                cell.add_paragraph("")
    d.core_properties.title = doc.title
    d.core_properties.subject = doc.subtitle
    d.core_properties.author = "Lägesbild"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
