"""Every number a report prints, formatted once, with the kommun tier's suppression applied.

:class:`Numbers` is the single place that decides how an indicator's value, comparison, change,
p-value and verdict read in a report. In the police tier everything is shown as in
``cli.py summary``. In the kommun tier each *count* indicator's cells

============  ===========================================================================
cell          meaning
============  ===========================================================================
``V``         the period's value
``P``         the same period last year (also a bar of the chart)
``Y2, Y3``    the same period two and three years back (bars of the chart)
``B3``        three times the seasonal baseline (= P + Y2 + Y3); printed as the mean B3/3
``C``         the change against the chosen comparison (V − P, V − B3/3 or V − target)
``T``         the target (a published constant)
============  ===========================================================================

go through :func:`reports.suppression.suppress` with the relations ``B3 = P + Y2 + Y3`` and the
change's definition, so that no "<5" can be backed out from a total or a difference. Percent
changes are printed only when the change and its reference are; z-scores, p-values, rates per
1,000, cumulative deviations and projections only in the police tier. A verdict (RAG colour and
words) on a count is shown in the kommun tier only when the value and its reference are both
shown: a verdict about a hidden small count would narrow it down.
"""

from __future__ import annotations

import math

from i18n import fmt_number, fmt_p, fmt_percent
from indicators.texts import fmt_value
from reports.model import THRESHOLD, ReportData
from reports.suppression import (
    PRIMARY,
    SECONDARY,
    SECONDARY_MARK,
    Suppression,
    primary_mark,
    suppress,
)
from reports.texts import L

SUPPRESSED = (PRIMARY, SECONDARY)

#: the summary field each comparison is made against, and the one its statistical test uses
REF_FIELD = {"prev_year": "previous", "baseline": "baseline", "target": "target"}
STAT_REF_FIELD = {"prev_year": "previous", "baseline": "baseline", "target": "previous"}
_CELL = {"value": "V", "previous": "P", "baseline": "B3", "change": "C", "target": "T"}


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def signed(value: float | None, lang: str, decimals: int = 0) -> str:
    """``+3`` / ``−3`` / ``±0`` with the language's number format."""
    if _missing(value):
        return "–"
    body = fmt_number(abs(value), lang, decimals)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{body}"


def change_decimals(value: float | None, unit: str) -> int:
    if _missing(value):
        return 0
    if unit == "share":
        return 1
    return 0 if float(value).is_integer() else 1


def kommun_cells(ind: dict, comparison: str, totals: list[tuple[str, float | None]] | None):
    """The suppression cells and relations of one count indicator (see module docstring)."""
    totals = list(totals or [])
    prior = [v for _, v in totals[:-2]]  # oldest first: Y3, Y2
    y3 = prior[-2] if len(prior) >= 2 else None
    y2 = prior[-1] if len(prior) >= 1 else None
    base = ind.get("baseline")
    cells = {
        "V": ind.get("value"), "P": ind.get("previous"), "Y2": y2, "Y3": y3,
        "B3": None if _missing(base) else float(round(3 * base)),
        "C": ind.get("change"), "T": ind.get("target"),
    }
    relations = [{"B3": 1, "P": -1, "Y2": -1, "Y3": -1}]
    if comparison == "baseline":
        relations.append({"C": 3, "V": -3, "B3": 1})
    elif comparison == "target":
        relations.append({"C": 1, "V": -1, "T": 1})
    else:
        relations.append({"C": 1, "V": -1, "P": 1})
    return cells, relations, {"V", "P", "Y2", "Y3", "B3"}


class Numbers:
    """Formatted, tier-aware numbers of a report.

    >>> from reports.model import ReportData
    >>> ind = {"id": "ran", "name": "Rån", "unit": "count", "value": 3.0, "previous": 12.0,
    ...        "baseline": 10.0, "target": None, "change": -9.0, "pct_change": -75.0,
    ...        "p_adjusted": 0.2, "significant": False, "rag": "green", "rule": "statistical"}
    >>> s = {"lang": "sv", "comparison": "prev_year", "indicators": [ind], "area": {}}
    >>> n = Numbers(ReportData(summary=s, tier="kommun"))
    >>> n.text("ran", "value"), n.text("ran", "previous"), n.text("ran", "change")
    ('<5', '12', '..')
    >>> Numbers(ReportData(summary=s)).text("ran", "change")
    '−9'
    """

    def __init__(self, data: ReportData) -> None:
        self.lang = data.lang
        self.kommun = data.kommun
        self.comparison = data.summary.get("comparison", "prev_year")
        self.by_id = {ind["id"]: ind for ind in data.indicators}
        self.totals = data.period_totals
        self.supp: dict[str, Suppression] = {}
        if self.kommun:
            for ind in data.indicators:
                if ind.get("unit") == "count":
                    cells, rels, counts = kommun_cells(ind, self.comparison,
                                                       data.period_totals.get(ind["id"]))
                    self.supp[ind["id"]] = suppress(cells, rels, counts=counts, threshold=THRESHOLD)

    # ------------------------------------------------------------------ what is shown
    def shown(self, ind_id: str, field: str) -> bool:
        """Whether ``field`` of the indicator may be printed in this tier."""
        ind = self.by_id[ind_id]
        if _missing(ind.get(field)) and field not in ("verdict", "pct_change"):
            return False
        if not self.kommun:
            return True
        if field in ("p_adjusted", "p_test", "z_poisson", "z_baseline", "rate_per_1000",
                     "cum_deviation", "projection"):
            return False
        s = self.supp.get(ind_id)
        if s is None:
            return True
        if field == "pct_change":
            ref = REF_FIELD[self.comparison]
            return self.shown(ind_id, "change") and self.shown(ind_id, ref)
        if field == "verdict":  # hidden when the value or its reference is suppressed
            stat_ref = STAT_REF_FIELD[self.comparison]
            return s.status.get("V") not in SUPPRESSED and s.status.get(_CELL[stat_ref]) not in SUPPRESSED
        return s.shown(_CELL.get(field, field))

    def raw(self, ind_id: str, field: str) -> float | None:
        """The number when shown, else ``None``."""
        return self.by_id[ind_id].get(field) if self.shown(ind_id, field) else None

    def mark(self, ind_id: str, field: str) -> str:
        """What stands in for a hidden number: ``'<5'``, ``'..'`` or ``'–'`` (no value)."""
        ind = self.by_id[ind_id]
        s = self.supp.get(ind_id)
        if s is not None and field in _CELL and not _missing(ind.get(field)):
            return s.display(_CELL[field], "")
        if _missing(ind.get(field)):
            return "–"
        return SECONDARY_MARK

    # ------------------------------------------------------------------ texts
    def text(self, ind_id: str, field: str) -> str:
        """The printed text of a field (value in its unit, signed change, percent, p)."""
        ind = self.by_id[ind_id]
        v = ind.get(field)
        if not self.shown(ind_id, field):
            return self.mark(ind_id, field) if field != "pct_change" or not _missing(v) else "–"
        unit = ind.get("unit", "count")
        lang = self.lang
        if field in ("value", "previous", "target"):
            return fmt_value(v, unit, lang)
        if field == "baseline":
            if unit == "count" and not float(v).is_integer():
                return fmt_number(v, lang, 1)
            return fmt_value(v, unit, lang)
        if field == "change":
            return signed(v, lang, change_decimals(v, unit))
        if field == "pct_change":
            return fmt_percent(v, lang, 0)
        if field in ("p_adjusted", "p_test"):
            return fmt_p(v, lang)
        if field in ("z_poisson", "z_baseline"):
            return fmt_number(v, lang, 2)
        if field == "rate_per_1000":
            return fmt_number(v, lang, 2)
        if field == "cum_deviation":
            return signed(v, lang, change_decimals(v, unit))
        return str(v)

    def change_text(self, ind_id: str) -> str:
        """``'+18 (+113 %)'``; the percent only when it may be shown and exists."""
        c = self.text(ind_id, "change")
        pct = self.by_id[ind_id].get("pct_change")
        if self.shown(ind_id, "pct_change") and not _missing(pct) and self.shown(ind_id, "change"):
            return f"{c} ({fmt_percent(pct, self.lang, 0)})"
        return c

    def reference_text(self, ind_id: str) -> str:
        return self.text(ind_id, REF_FIELD[self.comparison])

    def reference_label(self) -> str:
        return L(f"ref_{self.comparison}", self.lang)

    # ------------------------------------------------------------------ period totals (charts)
    def period_series(self, ind_id: str) -> list[tuple[str, float | None, str]]:
        """The kommun chart's bars: (label, value or None when hidden, printed text)."""
        ind = self.by_id[ind_id]
        totals = list(self.totals.get(ind_id, []))
        names = ["Y3", "Y2", "P", "V"][-len(totals):] if totals else []
        out = []
        s = self.supp.get(ind_id)
        for (label, v), name in zip(totals, names, strict=True):
            if name == "V":
                v = ind.get("value")
            elif name == "P":
                v = ind.get("previous")
            if _missing(v):
                out.append((label, None, "–"))
                continue
            text = fmt_value(v, ind.get("unit", "count"), self.lang)
            if s is not None and not s.shown(name):
                out.append((label, None, s.display(name, text)))
            else:
                out.append((label, v, text))
        return out

    def count_text(self, value: float | None) -> str:
        """A stand-alone count (no relation to other printed numbers), suppressed in the kommun tier."""
        if _missing(value):
            return "–"
        if self.kommun and value < THRESHOLD:
            return primary_mark(THRESHOLD)
        return fmt_number(value, self.lang, 0)
