"""The print-ready A4 PDF (reportlab): tier band, area and period on every page, page X of Y.

:func:`render_pdf` prints one area's report; :func:`render_pdf_book` prints several (a region) as
one PDF with a contents page, each area starting on a new page with its own running header and a
bookmark in the PDF outline.

Fonts are the DejaVu Sans files that ship with matplotlib (Swedish letters, the minus sign,
≈, ≥ and non-breaking spaces all render; nothing is fetched), embedded as subsets with a
ToUnicode map so the text can be searched and extracted.
"""

from __future__ import annotations

import io
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

import texts
from reports.content import ReportContent

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
TOP = 24 * mm
BOTTOM = 17 * mm
TEXT_W = PAGE_W - 2 * MARGIN_X
INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#5f5f5f")
RULE = colors.HexColor("#c9c9c9")
TIER_COLORS = {"police": colors.HexColor("#1f3a5f"), "kommun": colors.HexColor("#1b6e3a")}
RAG_COLORS = {"red": ("#c62828", "white"), "amber": ("#f2b01e", "#1b1b1b"),
              "green": ("#2e7d32", "white"), "grey": ("#9e9e9e", "white"), "hidden": ("#e0e0e0", "#1b1b1b")}


@lru_cache(maxsize=1)
def fonts() -> str:
    """Register DejaVu Sans (from matplotlib's data) once; returns the family name."""
    import matplotlib

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in (("DejaVu", "DejaVuSans.ttf"), ("DejaVu-Bold", "DejaVuSans-Bold.ttf"),
                       ("DejaVu-Oblique", "DejaVuSans-Oblique.ttf"),
                       ("DejaVu-BoldOblique", "DejaVuSans-BoldOblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(base / file)))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold",
                                  italic="DejaVu-Oblique", boldItalic="DejaVu-BoldOblique")
    return "DejaVu"


def _styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    base = ParagraphStyle("body", fontName=f, fontSize=9, leading=12.2, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName="DejaVu-Bold", fontSize=19, leading=23,
                                spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9.5, textColor=MUTED, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName="DejaVu-Bold", fontSize=13, leading=16,
                             spaceBefore=10, spaceAfter=5, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName="DejaVu-Bold", fontSize=10.5, leading=13.5,
                             spaceBefore=7, spaceAfter=3, keepWithNext=1),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=11, bulletIndent=2, spaceAfter=2.5),
        "small": ParagraphStyle("small", parent=base, fontSize=7.6, leading=9.6, textColor=MUTED,
                                leftIndent=9, bulletIndent=1, spaceAfter=1.5),
        "numbered": ParagraphStyle("numbered", parent=base, leftIndent=13, bulletIndent=1, spaceAfter=2.5),
        "caption": ParagraphStyle("caption", parent=base, fontSize=7.8, leading=10, textColor=MUTED,
                                  spaceBefore=2, spaceAfter=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cellb": ParagraphStyle("cellb", parent=base, fontName="DejaVu-Bold", fontSize=8, leading=10),
        "cellr": ParagraphStyle("cellr", parent=base, fontSize=8, leading=10, alignment=2),
        "reason": ParagraphStyle("reason", parent=base, fontSize=7.3, leading=9.2, textColor=MUTED),
        "note": ParagraphStyle("note", parent=base, fontName="DejaVu-Oblique", fontSize=8.8, leading=11.8),
        "notehead": ParagraphStyle("notehead", parent=base, fontName="DejaVu-Bold", fontSize=7.6,
                                   leading=9.5, textColor=MUTED),
        "banner": ParagraphStyle("banner", parent=base, fontName="DejaVu-Bold", fontSize=8.5, leading=11,
                                 textColor=colors.HexColor("#5b3b00")),
        "footnote": ParagraphStyle("footnote", parent=base, fontSize=7.8, leading=10, textColor=INK,
                                   spaceBefore=4, spaceAfter=2),
        "toc": ParagraphStyle("toc", parent=base, fontSize=10, leading=15, leftIndent=0, rightIndent=18),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


class _NumberedCanvas(rl_canvas.Canvas):
    """Defers page decoration until the page count is known (``Sida 3 av 5``); each page is
    decorated with the report whose :class:`_Begin` marker was drawn last (``_content``)."""

    content: ReportContent

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab API
        self._pages.append(dict(self.__dict__))
        self._marks = []  # the bookmarks of the next page
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            for key, title in state.get("_marks") or ():  # only now is the page the PDF's current one
                self.bookmarkPage(key)
                if title:
                    self.addOutlineEntry(title, key, level=0)
            _decorate(self, state.get("_content") or self.content, total)
            super().showPage()
        super().save()


def _decorate(c: rl_canvas.Canvas, content: ReportContent, total: int) -> None:
    f = fonts()
    page = c.getPageNumber()
    # tier band, on every page
    band_h = 6.2 * mm
    y = PAGE_H - 9 * mm - band_h
    c.setFillColor(TIER_COLORS.get(content.tier, INK))
    c.rect(MARGIN_X, y, TEXT_W, band_h, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont("DejaVu-Bold", 8)
    c.drawString(MARGIN_X + 2.5 * mm, y + 2.1 * mm, content.tier_label)
    # running header: area and period
    c.setFillColor(MUTED)
    c.setFont(f, 7.5)
    c.drawString(MARGIN_X, y - 4 * mm, content.header)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.line(MARGIN_X, y - 5.5 * mm, PAGE_W - MARGIN_X, y - 5.5 * mm)
    # footer: created, data version, tier, page X of Y
    c.line(MARGIN_X, 12.5 * mm, PAGE_W - MARGIN_X, 12.5 * mm)
    c.setFont(f, 7.2)
    c.drawString(MARGIN_X, 8.5 * mm, f"{content.footer} · {content.tier_short}")
    lab = content.labels
    c.drawRightString(PAGE_W - MARGIN_X, 8.5 * mm, f"{lab['page']} {page} {lab['of']} {total}")


def _meta_table(content: ReportContent, st) -> Table:
    data = [[_p(k, st["cellb"]), _p(v, st["cell"])] for k, v in content.meta]
    t = Table(data, colWidths=[32 * mm, TEXT_W - 32 * mm], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _box(flowables: list, fill: str, border: str, width: float = TEXT_W) -> Table:
    t = Table([[flowables]], colWidths=[width])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
                           ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor(border)),
                           ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                           ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return t


def _notes(section, content: ReportContent, st) -> list:
    lab = content.labels
    if not section.notes:
        return []
    inner = [_p(lab["notes"].upper(), st["notehead"])]
    for n in section.notes:
        tag = f" · {lab['internal']}" if n.internal else ""
        inner.append(Spacer(1, 2))
        inner.append(_p(n.text, st["note"]))
        inner.append(_p(f"— {n.author}, {n.created_at:%Y-%m-%d %H:%M}{tag}", st["small"]))
    fill, border = ("#fff4f4", "#d98c8c") if any(n.internal for n in section.notes) else ("#f3f6fa", "#a9bdd6")
    return [Spacer(1, 3), _box(inner, fill, border, TEXT_W - 11)]


def _image(png: bytes, width: float) -> Image:
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)


class _Begin(Flowable):
    """Zero-size marker where a report begins: the pages from here on carry its header and
    footer, and it gets a bookmark (and a contents entry in a book)."""

    def __init__(self, content: ReportContent, key: str, toc_text: str | None = None,
                 in_toc: bool = True) -> None:
        super().__init__()
        self.content, self.key, self.toc_text, self.in_toc = content, key, toc_text, in_toc
        self.width = self.height = 0

    def wrap(self, *_args):
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv._content = self.content  # noqa: SLF001 - read by _NumberedCanvas.save
        # bookmarks wait for _NumberedCanvas.save: the pages are written there, not here
        canv._marks = [*getattr(canv, "_marks", []), (self.key, self.toc_text)]  # noqa: SLF001


def _indicator_table(content: ReportContent, st) -> Table:
    kommun = content.tier == "kommun"
    widths = [44 * mm, 19 * mm, 19 * mm, 25 * mm] + ([15 * mm] if not kommun else [])
    widths.append(TEXT_W - sum(widths))
    headr = ParagraphStyle("cellbr", parent=st["cellb"], alignment=2)
    last = len(content.columns) - 1
    head = [_p(c, st["cellb"] if k in (0, last) else headr) for k, c in enumerate(content.columns)]
    data = [head]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    syn = content.labels["synthetic_tag"]
    for r in content.rows:
        name = escape(r.name) + (f"<br/><font size=6.3 color='#8a5a00'><b>{escape(syn)}</b></font>"
                                 if r.synthetic else "")
        fill, ink = RAG_COLORS.get(r.rag, RAG_COLORS["grey"])
        verdict = (f"<span backColor='{fill}' color='{ink}'><b>&nbsp;{escape(r.rag_text)}&nbsp;</b></span>")
        cells = [Paragraph(name, st["cell"]), _p(r.value, st["cellr"]), _p(r.reference, st["cellr"]),
                 _p(r.change, st["cellr"])]
        if not kommun:
            cells.append(_p(r.p, st["cellr"]))
        cells.append(Paragraph(f"{verdict} {escape(r.verdict)}", st["cell"]))
        data.append(cells)
        i = len(data) - 1
        if not r.reason:  # nothing the verdict column does not already say
            style += [("LINEBELOW", (0, i), (-1, i), 0.3, RULE), ("BOTTOMPADDING", (0, i), (-1, i), 3.5)]
            continue
        data.append([_p(r.reason, st["reason"])] + [""] * (len(cells) - 1))
        style += [("SPAN", (0, i + 1), (-1, i + 1)),
                  ("LINEBELOW", (0, i + 1), (-1, i + 1), 0.3, RULE),
                  ("TOPPADDING", (0, i + 1), (-1, i + 1), 0), ("BOTTOMPADDING", (0, i + 1), (-1, i + 1), 3.5)]
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(style))
    return t


def _summary(content: ReportContent, st) -> list:
    """The 4P sections: each title kept with its first fact, the priorities numbered, the notes boxed."""
    story: list = [_p(content.labels["summary_heading"], st["h2"])]
    for sec in content.sections:
        block = [_p(sec.title, st["h3"])]
        for f in sec.facts:
            head, _, rest = f.text.partition(" ")
            if sec.key == "prioriteringar" and head.endswith(".") and head[:-1].isdigit():
                block.append(Paragraph(escape(rest), st["numbered"], bulletText=head))
            else:
                block.append(Paragraph(escape(f.text), st["bullet"], bulletText="•"))
        story.append(KeepTogether(block[:2]))
        story.extend(block[2:])
        story.extend(_notes(sec, content, st))
    return story


def _bullets(heading: str, lines: list[str], style: ParagraphStyle, bullet: str, st) -> list:
    """A small heading and its lines as bulleted paragraphs."""
    return [_p(heading, st["h3"]), *(Paragraph(escape(line), style, bulletText=bullet) for line in lines)]


def _figures(content: ReportContent, st) -> list:
    """The map and the charts, each kept with its heading and caption."""
    lab = content.labels
    story: list = []
    if content.map_png:
        story.append(KeepTogether([_p(lab["map"], st["h2"]), _image(content.map_png, TEXT_W),
                                   _p(content.map_caption, st["caption"])]))
    if content.chart_png:
        story.append(KeepTogether([_p(content.chart_title, st["h2"]), _image(content.chart_png, TEXT_W),
                                   _p(content.chart_caption, st["caption"])]))
    return story


def _hotspot_method(content: ReportContent, st) -> list:
    """The hotspot analysis: why there is none, or its method card as a two-column table."""
    lab = content.labels
    if not (content.method_rows or content.hotspot_lines):
        return []
    story: list = [_p(f"{lab['hotspots']}: {lab['method'].lower()}", st["h3"])]
    story += [_p(line, st["body"]) for line in content.hotspot_lines]
    if content.method_rows:
        rows = [[_p(k, st["cellb"]), _p(v, st["cell"])] for k, v in content.method_rows]
        table = Table(rows, colWidths=[45 * mm, TEXT_W - 45 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(table)
    return story


def _story(content: ReportContent, st) -> list:
    """The flowables of one report."""
    lab = content.labels
    story: list = [_p(content.title, st["title"]), _p(content.subtitle, st["subtitle"]),
                   _meta_table(content, st), Spacer(1, 5)]
    if content.synthetic_banner:
        story.append(_box([_p(content.synthetic_banner, st["banner"])], "#fff3d6", "#e0a526"))
    story += _summary(content, st)
    if content.footnote:  # the method behind the plain words (kommun tier)
        story.append(Table([[_p(content.footnote, st["footnote"])]], colWidths=[TEXT_W], style=TableStyle([
            ("LINEABOVE", (0, 0), (0, 0), 0.5, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2)])))
    if content.caveats:
        story += _bullets(lab["caveats"], content.caveats, st["small"], "–", st)
    story += _figures(content, st)
    story.append(_p(lab["table"], st["h2"]))
    story.append(_indicator_table(content, st))
    if content.small_note:  # the indicators with no number to show, in one sentence
        story.append(Spacer(1, 4))
        story.append(_p(content.small_note, st["body"]))
    if content.hypotheses:
        story += _bullets(lab["hypotheses"], content.hypotheses, st["bullet"], "•", st)
    story += _hotspot_method(content, st)
    story += _bullets(lab["method_notes"], content.method_notes, st["small"], "–", st)
    story += _bullets(lab["sources"], content.sources, st["small"], "–", st)
    return story


def _doc(buf, title: str, subject: str, lang: str):
    doc = _BookDoc(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=TOP,
                   bottomMargin=BOTTOM, title=title, author="Lägesbild", subject=subject,
                   creator="Lägesbild (reportlab)", lang=texts.t("rep.pdf_lang", lang))
    frame = Frame(MARGIN_X, BOTTOM, TEXT_W, PAGE_H - TOP - BOTTOM, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    return doc


class _BookDoc(BaseDocTemplate):
    """Contents entries from the :class:`_Begin` markers (what page each report starts on)."""

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab API
        if isinstance(flowable, _Begin) and flowable.toc_text and flowable.in_toc:
            self.notify("TOCEntry", (0, escape(flowable.toc_text), self.page, flowable.key))


def _canvas_for(content: ReportContent):
    class _Canvas(_NumberedCanvas):
        pass

    _Canvas.content = content
    return _Canvas


def render_pdf(content: ReportContent) -> bytes:
    """The A4 PDF of a report."""
    st = _styles()
    buf = io.BytesIO()
    doc = _doc(buf, content.title, f"{content.header} · {content.tier_short}", content.lang)
    doc.build([_Begin(content, "report", None), *_story(content, st)], canvasmaker=_canvas_for(content))
    return buf.getvalue()


def render_pdf_book(contents: list[ReportContent], title: str, subtitle: str) -> bytes:
    """Several reports (e.g. every area of a region) as one PDF: a contents page with the page
    each area starts on, then each report from a new page with its own running header; the PDF
    outline has a bookmark per area."""
    if not contents:
        raise ValueError("render_pdf_book: no reports")
    st = _styles()
    first = contents[0]
    cover = replace(first, header=title, title=title)
    buf = io.BytesIO()
    doc = _doc(buf, title, f"{title} · {first.tier_short}", first.lang)
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [st["toc"]]
    contents_title = texts.t("rep.contents", first.lang)
    story: list = [_Begin(cover, "contents", contents_title, in_toc=False),
                   _p(title, st["title"]), _p(subtitle, st["subtitle"]), Spacer(1, 6),
                   _p(contents_title, st["h2"]), toc]
    for k, content in enumerate(contents):
        area = content.title.split(": ", 1)[-1]
        story += [PageBreak(), _Begin(content, f"area{k}", f"{area} ({content.area_id})"), *_story(content, st)]
    doc.multiBuild(story, canvasmaker=_canvas_for(cover))
    return buf.getvalue()
