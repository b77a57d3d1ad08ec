"""Spreadsheet-safe CSV and XLSX: the one place every export writes tables through.

Text that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed (also
after leading spaces) is what Excel and LibreOffice take for a formula (CSV/formula injection: an
area, indicator or POI name, a note or a purpose typed as ``=HYPERLINK(…)`` would run in the
reader's spreadsheet). Such text is written with a leading apostrophe (``'=1+1``), which the
spreadsheet shows as text. Numbers stay numbers: only ``str`` cells are touched, and a text that is
a plain number (``-4``, ``+1,5``) is left as it is (a spreadsheet reads it as that number, which
cannot run anything).

Writers:

- :func:`csv_text` — a DataFrame as CSV text (Swedish: ``;`` and decimal comma);
- :func:`xlsx_bytes` — DataFrames as an XLSX workbook (one sheet each);
- :func:`safe_frame` / :func:`safe_cell` — for writers that format the workbook themselves
  (``reports/tabular.py``): every frame and every cell they write goes through these.

>>> safe_cell("=1+1"), safe_cell("@SUM(A1)"), safe_cell("-4"), safe_cell(-4.5), safe_cell("Rinkeby")
("'=1+1", "'@SUM(A1)", '-4', -4.5, 'Rinkeby')
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

#: first characters a spreadsheet may read as the start of a formula (or that hide one after them)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (see the module docstring)."""
    head = text.lstrip(" \u00a0")
    return head[:1] in FORMULA_START and not _PLAIN_NUMBER.match(text.strip())


def safe_cell(value):
    """``value`` as a spreadsheet should receive it: formula-like text prefixed with ``'``."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) made safe; numbers untouched."""
    columns = {}
    for i in range(frame.shape[1]):  # by position: column names may repeat
        s = frame.iloc[:, i]
        columns[i] = s.map(safe_cell) if s.dtype == object or pd.api.types.is_string_dtype(s.dtype) else s
    out = pd.DataFrame(columns, index=frame.index)
    out.columns = [safe_cell(c) for c in frame.columns]
    return out


def csv_line(cells: list, sep: str = ";") -> str:
    """One CSV line (quoted where needed) of safe cells, e.g. a comment line above the table."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerow([safe_cell(c) for c in cells])
    return buf.getvalue()


def csv_text(frame: pd.DataFrame, sep: str = ";", decimal: str = ",", **kw) -> str:
    """``frame`` as CSV text, every text cell safe (Swedish Excel: ``;`` and decimal comma)."""
    return safe_frame(frame).to_csv(index=False, sep=sep, decimal=decimal, **kw)


def write_csv(frame: pd.DataFrame, out, sep: str = ";", decimal: str = ",", **kw) -> None:
    """Write ``frame`` as safe CSV to a file object (e.g. ``sys.stdout``)."""
    safe_frame(frame).to_csv(out, index=False, sep=sep, decimal=decimal, **kw)


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per frame, every text cell safe."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(xw, sheet_name=name, index=False)
    return buf.getvalue()
