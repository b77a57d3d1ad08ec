"""Downloads of the compare view: the table as shown, or the long format, as CSV or XLSX.

* **As shown**: one row per area and period, in the order the table shows them, the shown
  indicators only; per indicator its value (rounded as on screen), its % change and its verdict
  (colour word, arrow, plain words). Swedish headers in the Swedish view, a period, a comparison
  and a data version column.
* **Long**: one row per area × indicator × period with every field of the verdict object (value,
  references, change, test, p, FDR-adjusted p, colour, signal, arrow, verdict, reason).

Swedish CSV is what Swedish Excel opens: ``;`` between fields, decimal comma, UTF-8 with BOM.
Numbers are numbers (never text with spaces), rounded half away from zero (:func:`i18n.half_up`).
Every value is a field of the verdict rows handed in: nothing is recomputed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd

from i18n import half_up
from indicators.calendar import parse_period
from reports.spreadsheet import csv_text, safe_frame
from texts import has, t

#: the leading columns of both shapes (headers: catalogue keys ``rep.cmp.meta.<field>``)
META_FIELDS = ("area_id", "area_name", "region", "period", "period_name", "comparison", "data_version")
#: the long format's columns (headers: ``rep.cmp.long.<field>``), after the leading ones
LONG_FIELDS = ("kommun", "indicator_id", "indicator_name", "unit", "synthetic", "value", "reference", "previous",
               "baseline", "target", "change", "pct_change", "test", "p", "p_adjusted", "rag", "signal", "arrow",
               "verdict", "reason", "complete")


def _rag_word(rag, lang: str):
    """``'red'`` → ``'röd'``; no colour → ``'ingen bedömning'``; an unknown one as is."""
    key = f"rep.cmp.rag.{rag or 'grey'}"
    return t(key, lang) if has(key) else rag


def _cmp_word(cmp_: str, lang: str) -> str:
    key = f"rep.cmp.comparison.{cmp_}"
    return t(key, lang) if has(key) else cmp_


def _headers(kind: str, fields: tuple[str, ...], lang: str) -> dict[str, str]:
    return {f: t(f"rep.cmp.{kind}.{f}", lang) for f in fields}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def _round(v, decimals: int):
    return None if _missing(v) else half_up(float(v), decimals)


def _p4(v):
    """A p-value to four significant digits (tiny ones stay visible)."""
    return None if _missing(v) else float(f"{float(v):.4g}")


def _verdict_text(row, lang: str) -> str:
    arrow = row.arrow if isinstance(row.arrow, str) and row.arrow not in ("", "=") else ""
    head = _rag_word(row.rag, lang)
    return f"{head}{' ' + arrow if arrow else ''}: {row.verdict or ''}".strip()


def _meta(row, period: str, cmp_: str, version: int, lang: str) -> dict:
    h = _headers("meta", META_FIELDS, lang)
    return {h["area_id"]: str(row.area_id), h["area_name"]: row.area_name, h["region"]: row.region,
            h["period"]: period, h["period_name"]: parse_period(period).label_for(lang),
            h["comparison"]: _cmp_word(cmp_, lang), h["data_version"]: int(version)}


def shown_frame(tables: Sequence[tuple[str, pd.DataFrame]], indicators: Sequence[tuple[str, str, str]],
                area_order: Sequence[str], cmp_: str, version: int, lang: str) -> pd.DataFrame:
    """The table as shown: one row per area (in ``area_order``) and period (oldest first).

    Parameters
    ----------
    tables : sequence of (period, compare rows)
        :func:`services.compare.tables`.
    indicators : sequence of (id, name, unit)
        The shown columns, in their order.
    area_order : sequence of str
        Area ids in the order the table shows them.
    """
    change_word, verdict_word = t("rep.cmp.shown.change", lang), t("rep.cmp.shown.verdict", lang)
    out: list[dict] = []
    wanted = {i for i, _, _ in indicators}
    by_period = {p: {(str(r.area_id), r.indicator_id): r for r in t.itertuples() if r.indicator_id in wanted}
                 for p, t in tables}
    first_row = {p: {str(r.area_id): r for r in t.drop_duplicates("area_id").itertuples()} for p, t in tables}
    for area in area_order:
        for period, _ in tables:
            head = first_row[period].get(str(area))
            if head is None:
                continue
            rec = _meta(head, period, cmp_, version, lang)
            for ind_id, name, unit in indicators:
                r = by_period[period].get((str(area), ind_id))
                if r is None:
                    rec[name] = rec[f"{name} – {change_word}"] = rec[f"{name} – {verdict_word}"] = None
                    continue
                rec[name] = _round(r.value, 0 if unit == "count" else 1)
                rec[f"{name} – {change_word}"] = _round(r.pct_change, 0)
                rec[f"{name} – {verdict_word}"] = _verdict_text(r, lang)
            out.append(rec)
    frame = pd.DataFrame(out)
    for _, name, unit in indicators:
        if name in frame and unit == "count":
            frame[name] = frame[name].astype("Int64")
        col = f"{name} – {change_word}"
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def long_frame(tables: Sequence[tuple[str, pd.DataFrame]], area_order: Sequence[str], cmp_: str, version: int,
               lang: str, indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Every verdict field, one row per area × indicator × period (``indicator_ids``: all when
    None), areas in ``area_order``, periods oldest first."""
    h = _headers("long", LONG_FIELDS, lang)
    yes, no = t("rep.cmp.yes", lang), t("rep.cmp.no", lang)
    rank = {str(a): k for k, a in enumerate(area_order)}
    out: list[dict] = []
    for period, table in tables:
        rows = table if indicator_ids is None else table[table["indicator_id"].isin(list(indicator_ids))]
        for r in rows.itertuples():
            if str(r.area_id) not in rank:
                continue
            rec = _meta(r, period, cmp_, version, lang)
            rec.update({
                h["kommun"]: r.kommun, h["indicator_id"]: r.indicator_id, h["indicator_name"]: r.indicator_name,
                h["unit"]: r.unit, h["synthetic"]: yes if bool(r.synthetic) else no,
                h["value"]: _round(r.value, 3), h["reference"]: _round(r.reference, 3),
                h["previous"]: _round(r.previous, 3), h["baseline"]: _round(r.baseline, 3),
                h["target"]: _round(r.target, 3), h["change"]: _round(r.change, 3),
                h["pct_change"]: _round(r.pct_change, 1), h["test"]: r.test if isinstance(r.test, str) else None,
                h["p"]: _p4(r.p), h["p_adjusted"]: _p4(r.p_adjusted),
                h["rag"]: _rag_word(r.rag, lang), h["signal"]: r.signal,
                h["arrow"]: r.arrow if isinstance(r.arrow, str) else None, h["verdict"]: r.verdict,
                h["reason"]: r.reason, h["complete"]: yes if bool(r.complete) else no,
                "_rank": rank[str(r.area_id)], "_period": period,
            })
            out.append(rec)
    frame = pd.DataFrame(out)
    if frame.empty:
        return frame
    order = {p: k for k, (p, _) in enumerate(tables)}
    frame["_p"] = frame["_period"].map(order)
    frame = frame.sort_values(["_rank", "_p"], kind="stable").drop(columns=["_rank", "_p", "_period"])
    return frame.reset_index(drop=True)


def to_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """Swedish Excel CSV in the Swedish view (``;``, decimal comma, BOM); plain CSV in English."""
    text = csv_text(frame, sep=t("rep.csv_separator", lang), decimal=t("fmt.decimal", lang))
    return text.encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, about: Sequence[tuple[str, str]], lang: str) -> bytes:
    """An Excel workbook: the table (numbers as numbers) and a sheet describing it."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        sheet = t("rep.cmp.sheet", lang)
        safe_frame(frame).to_excel(xl, index=False, sheet_name=sheet)
        ws = xl.sheets[sheet]
        ws.freeze_panes = "C2"
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col[:50])
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
        safe_frame(pd.DataFrame(list(about), columns=["", ""])).to_excel(
            xl, index=False, header=False, sheet_name=t("rep.cmp.about_sheet", lang))
    return buf.getvalue()


def about_rows(region: str, periods: Sequence[str], cmp_: str, version: int, shape: str, hidden: Sequence[str],
               lang: str) -> list[tuple[str, str]]:
    """What the workbook's second sheet says about the table."""
    def a(key: str) -> str:
        return t(f"rep.cmp.about.{key}", lang)

    where = a("everywhere") if region in (None, "", "alla") else region
    rows = [(a("region"), where),
            (a("periods"), ", ".join(periods)),
            (a("comparison"), _cmp_word(cmp_, lang)),
            (a("data_version"), str(version)),
            (a("format"), a("shown") if shape == "shown" else a("long")),
            (a("verdict"), a("verdict_rule"))]
    if hidden:
        rows.append((a("hidden"), ", ".join(hidden)))
    return rows


def filename(region: str, period: str, shape: str, ext: str) -> str:
    """``lagesbild_jamforelse_stockholm_2023-T2_tabell.csv``."""
    import re
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", str(region or "alla")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "alla"
    kind = "tabell" if shape == "shown" else "lang"
    return f"lagesbild_jamforelse_{slug}_{period.replace(':', '-')}_{kind}.{ext}"
