"""CSV and XLSX of every number a report shows (``ReportContent.numbers``), tier applied.

One long table: section, indicator, measure, the number (empty where it is hidden) and the text it
is shown as (``'<5'``, ``'..'`` in the kommun tier). Swedish CSV is what Swedish Excel opens
directly: ``;`` separated, decimal comma, UTF-8 with BOM; English CSV uses ``,`` and a point.
Every cell goes through :mod:`reports.spreadsheet` (formula-like text is written as text).
The XLSX adds a sheet with the report's identity (area, period, tier, created, data version).
"""

from __future__ import annotations

import io

import pandas as pd

from reports.content import ReportContent
from reports.spreadsheet import csv_line, csv_text, safe_cell, safe_frame
from texts import t


def _identity(content: ReportContent) -> pd.DataFrame:
    rows = [(t("rep.xlsx.tier", content.lang), content.tier_label), *content.meta]
    return safe_frame(pd.DataFrame(rows, columns=["", ""]))


def render_csv(content: ReportContent) -> bytes:
    """The numbers as CSV bytes (with a first comment line naming area, period and tier)."""
    sep = t("rep.csv_separator", content.lang)
    text = (csv_line([f"# {content.header} · {content.tier_label} · {content.footer}"], sep)
            + csv_text(content.numbers, sep=sep, decimal=t("fmt.decimal", content.lang)))
    return ("\ufeff" + text).encode("utf-8")


def render_xlsx(content: ReportContent) -> bytes:
    """The numbers as an Excel workbook: sheet 1 the numbers, sheet 2 the report's identity."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    buf = io.BytesIO()
    names = (t("rep.xlsx.numbers_sheet", content.lang), t("rep.xlsx.about_sheet", content.lang))
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        safe_frame(content.numbers).to_excel(xw, sheet_name=names[0], index=False, startrow=2)
        ws = xw.sheets[names[0]]
        ws["A1"] = safe_cell(f"{content.header} · {content.tier_label}")
        ws["A1"].font = Font(bold=True, color="FFFFFF")
        ws["A1"].fill = PatternFill("solid", fgColor="1B6E3A" if content.tier == "kommun" else "1F3A5F")
        ws["A2"] = safe_cell(content.footer)
        for k, col in enumerate(content.numbers.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in content.numbers[col].head(200)]) + 2
            ws.column_dimensions[get_column_letter(k)].width = min(width, 60)
        ws.freeze_panes = "A4"
        ident = _identity(content)
        ident.to_excel(xw, sheet_name=names[1], index=False, header=False)
        xw.sheets[names[1]].column_dimensions["A"].width = 18
        xw.sheets[names[1]].column_dimensions["B"].width = 80
    return buf.getvalue()
