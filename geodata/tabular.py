"""Read tables as Swedish offices export them: CSV from Excel (``;``, ``,`` or tab; decimal comma;
UTF-8, UTF-8 with BOM or cp1252), XLSX, Parquet.

Every error names the file, the row (as Excel numbers it: the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.errors import InputError

MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:-|M|/|\.)?\s*(\d{1,2})\s*$")
# Bytes that are undefined in cp1252: their presence means the text is neither UTF-8 nor cp1252.
CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
MOJIBAKE = re.compile("Ã[\u0080-\u00ff]|Â[\u00a0-\u00bf]")


def decode_text(raw: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM) or cp1252; refuse mixed or broken encodings."""
    if not raw.strip():
        raise InputError(path, "the file is empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            row = raw[: exc.start].count(b"\n") + 1
            raise InputError(path, "the file starts with a UTF-8 BOM but this row is not UTF-8 (mixed encodings)", row=row) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_row = raw[: exc.start].count(b"\n") + 1
        lines = raw.split(b"\n")
        utf8_rows = [
            i + 1 for i, line in enumerate(lines)
            if any(b >= 0x80 for b in line) and _is_utf8(line)
        ]
        if utf8_rows:
            raise InputError(
                path,
                f"mixed encodings: row {utf8_rows[0]} is UTF-8 but row {bad_row} is not; save the file "
                "again as 'CSV UTF-8' from Excel",
                row=bad_row,
            ) from exc
        undefined = [b for b in raw if b in CP1252_UNDEFINED]
        if undefined:
            raise InputError(path, f"neither UTF-8 nor Windows-1252 (byte 0x{undefined[0]:02X}); the encoding is broken", row=bad_row) from exc
        return raw.decode("cp1252")
    match = MOJIBAKE.search(text)
    if match:
        row = text[: match.start()].count("\n") + 1
        raise InputError(path, f"the text '{match.group()}' looks like UTF-8 read as Windows-1252 (double encoded); the encoding is broken", row=row)
    return text


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(header: str) -> str:
    """The delimiter of a header line: the most frequent of ``;``, tab and ``,``.

    >>> sniff_delimiter("Område;Indikator;Månad;Värde")
    ';'
    """
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV/TSV/XLSX/Parquet table as strings (CSV) with ``_row`` = the Excel row number.

    Raises
    ------
    InputError
        Empty file, broken encoding, ragged rows, unreadable workbook.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(path, dtype=str)
        except Exception as exc:
            raise InputError(path, f"cannot be read as an Excel workbook ({exc})") from exc
    elif suffix == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:
            raise InputError(path, f"cannot be read as Parquet ({exc})") from exc
    else:
        text = decode_text(path.read_bytes(), path)
        lines = text.splitlines()
        header_line = next((ln for ln in lines if ln.strip()), "")
        delimiter = sniff_delimiter(header_line)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = [r for r in reader]
        while rows and not any(c.strip() for c in rows[-1]):
            rows.pop()
        if not rows:
            raise InputError(path, "the file is empty")
        header = [h.strip() for h in rows[0]]
        while header and header[-1] == "":  # Excel's trailing empty columns
            header.pop()
        if len(header) < 2:
            raise InputError(path, f"found a single column '{header[0] if header else ''}': expected a table separated by ';', ',' or tab", row=1)
        body = []
        for i, r in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in r):
                continue
            cells = r[: len(header)] if all(c.strip() == "" for c in r[len(header):]) else r
            if len(cells) != len(header):
                raise InputError(path, f"has {len(r)} fields where the header has {len(header)}", row=i)
            body.append([*cells, i])
        if not body:
            raise InputError(path, "the file has a header but no rows")
        return pd.DataFrame(body, columns=[*header, "_row"])
    if frame.empty:
        raise InputError(path, "the file has no rows")
    frame = frame.reset_index(drop=True)
    frame["_row"] = np.arange(2, len(frame) + 2)
    return frame


def find_column(frame: pd.DataFrame, aliases: tuple[str, ...]) -> str | None:
    """The first column whose normalised name is one of ``aliases`` (case and å/ä/ö-insensitive)."""
    norm = {_norm(c): c for c in frame.columns if c != "_row"}
    return next((norm[a] for a in aliases if a in norm), None)


def require_column(frame: pd.DataFrame, aliases: tuple[str, ...], path: Path, what: str, expected: str) -> str:
    """:func:`find_column`, or an error naming the file, what is missing, what was expected and the
    columns the file has."""
    col = find_column(frame, aliases)
    if col is None:
        raise InputError(path, f"no {what} column (expected {expected}); columns: "
                         f"{[c for c in frame.columns if c != '_row']}", row=1)
    return col


def _norm(name: str) -> str:
    return (
        str(name).strip().lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
        .replace(" ", "_").replace(".", "_").replace("-", "_")
    )


def parse_number(text: object, path: Path, row: int, column: str) -> float:
    """Parse ``'1 234,5'``, ``'1234.5'``, ``'12'``; error names file, row and column.

    NaN and infinity (``'nan'``, ``'inf'``, ``'1e400'``) are refused: they are no count, rate or share.
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        value = float(text)
        if np.isnan(value):
            raise InputError(path, "value is missing", row=row, column=column)
        if not np.isfinite(value):
            raise InputError(path, f"'{text}' is not a finite number (infinity is not a value)", row=row, column=column)
        return value
    s = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if s == "":
        raise InputError(path, "value is missing", row=row, column=column)
    if "," in s and "." in s:  # 1.234,5 (Swedish thousands dot) or 1,234.5
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    else:
        s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError as exc:
        raise InputError(path, f"'{text}' is not a number", row=row, column=column) from exc
    if not np.isfinite(value):  # 'nan', 'inf', 'Infinity', '1e400' (overflows to inf)
        raise InputError(path, f"'{text}' is not a finite number (NaN and infinity are not values)",
                         row=row, column=column)
    return value


def parse_month(text: object, path: Path, row: int, column: str) -> str:
    """Parse ``'2024-03'``, ``'2024M03'``, ``'202403'``, ``'2024-3'`` to ``'2024-03'``.

    >>> parse_month("2024M3", Path("x.csv"), 2, "Månad")
    '2024-03'
    """
    s = str(text).strip()
    m = MONTH_RE.match(s)
    if m is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        m = MONTH_RE.match(s[:7])
    if m is None:
        raise InputError(path, f"'{text}' is not a month (expected YYYY-MM)", row=row, column=column)
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise InputError(path, f"'{text}' is not a month (month {month} is outside 1–12)", row=row, column=column)
    if not 1990 <= year <= 2100:
        raise InputError(path, f"'{text}' is not a plausible year", row=row, column=column)
    return f"{year:04d}-{month:02d}"


def is_month_label(name: str) -> bool:
    """Whether a column header is a month (wide tables)."""
    s = str(name).strip()
    m = MONTH_RE.match(s)
    return bool(m) and 1 <= int(m.group(2)) <= 12 and len(re.sub(r"\D", "", s)) >= 5
