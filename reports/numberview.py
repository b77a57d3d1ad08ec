"""Every number a report prints, formatted once, with the kommun tier's disclosure control applied.

:class:`Numbers` is the single place that decides how an indicator's value, comparison, change,
p-value and verdict read in a report. In the police tier everything is shown as in
``cli.py summary``. In the kommun tier each *count* indicator's numbers come from the area's grid of
tertial and year cells, suppressed jointly over every period the tier can reach
(:mod:`reports.disclosure`): the value, last year's value and the chart's bars are cells (shown, or
``"<5"``/``".."``); the baseline, the change, the percent change and the verdict (RAG colour and
words) are shown only when every cell they are computed from is shown — so nothing printed can give
back a hidden count. z-scores, p-values, rates per 1,000, cumulative deviations and projections are
police-tier only.
"""

from __future__ import annotations

import math

from i18n import fmt_number, fmt_p, fmt_percent
from indicators.calendar import parse_period
from indicators.texts import fmt_value
from reports.disclosure import (
    MISSING_MARK,
    POLICE_ONLY_FIELDS,
    AreaCells,
    PeriodFigures,
    SeriesCells,
    period_figures,
    policy,
    protect_series,
)
from reports.model import ReportData
from reports.suppression import SECONDARY_MARK
from reports.texts import L

#: the summary field each comparison is made against, and the one its statistical test uses
REF_FIELD = {"prev_year": "previous", "baseline": "baseline", "target": "target"}
STAT_REF_FIELD = {"prev_year": "previous", "baseline": "baseline", "target": "previous"}


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


def fallback_cells(data: ReportData) -> AreaCells:
    """The kommun tier's cells when a report's inputs carry no grid (``ReportData`` built by hand):
    the period and the same period in the three previous years, each standing alone."""
    out = {}
    for ind in data.indicators:
        if ind.get("unit") != "count":
            continue
        totals = dict(data.period_totals.get(ind["id"]) or [])
        p = parse_period(data.summary["period"])
        totals[p.label] = ind.get("value")
        totals[p.same_period_last_year().label] = ind.get("previous")
        out[ind["id"]] = protect_series(totals)
    return AreaCells(out)


class Numbers:
    """Formatted, tier-aware numbers of a report.

    >>> from reports.model import ReportData
    >>> ind = {"id": "ran", "name": "Rån", "unit": "count", "value": 3.0, "previous": 12.0,
    ...        "baseline": 10.0, "target": None, "change": -9.0, "pct_change": -75.0,
    ...        "p_adjusted": 0.2, "significant": False, "rag": "green", "rule": "statistical"}
    >>> s = {"lang": "sv", "period": "2025-T2", "comparison": "prev_year", "indicators": [ind], "area": {}}
    >>> n = Numbers(ReportData(summary=s, tier="kommun"))
    >>> n.text("ran", "value"), n.text("ran", "previous"), n.text("ran", "change")
    ('<5', '12', '..')
    >>> Numbers(ReportData(summary=s)).text("ran", "change")
    '−9'
    """

    def __init__(self, data: ReportData) -> None:
        self.lang = data.lang
        self.policy = policy(data.tier)
        self.kommun = self.policy.suppresses
        self.comparison = data.summary.get("comparison", "prev_year")
        self.period = parse_period(data.summary["period"])
        self.by_id = {ind["id"]: ind for ind in data.indicators}
        self.totals = data.period_totals
        self.cells: dict[str, SeriesCells] = {}
        self.figs: dict[str, PeriodFigures] = {}
        self._fallback = data.disclosure is None
        if self.kommun:
            grid = data.disclosure if data.disclosure is not None else fallback_cells(data)
            for ind in data.indicators:
                if ind.get("unit") == "count":
                    cells = grid.of(ind["id"])
                    if cells is not None:
                        self.cells[ind["id"]] = cells
                    self.figs[ind["id"]] = period_figures(cells, self.period, self.comparison, ind)

    # ------------------------------------------------------------------ what is shown
    def shown(self, ind_id: str, field: str) -> bool:
        """Whether ``field`` of the indicator may be printed in this tier."""
        ind = self.by_id[ind_id]
        if _missing(ind.get(field)) and field not in ("verdict", "pct_change"):
            return False
        if not self.kommun:
            return True
        if field in POLICE_ONLY_FIELDS:
            return False
        f = self.figs.get(ind_id)
        if f is None:  # not a count: shown as it is
            return True
        if field == "pct_change":
            ref = REF_FIELD[self.comparison]
            return f.shown("pct_change") and self.shown(ind_id, "change") and self.shown(ind_id, ref)
        return f.shown(field)

    def raw(self, ind_id: str, field: str) -> float | None:
        """The number when shown, else ``None``."""
        return self.by_id[ind_id].get(field) if self.shown(ind_id, field) else None

    def mark(self, ind_id: str, field: str) -> str:
        """What stands in for a hidden number: ``'<5'``, ``'..'`` or ``'–'`` (no value)."""
        ind = self.by_id[ind_id]
        f = self.figs.get(ind_id)
        if f is not None and not f.shown(field):
            return f.mark(field)
        if _missing(ind.get(field)):
            return MISSING_MARK
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
        """The kommun chart's bars, the same period in the last four years: (label, value or
        ``None`` when hidden, printed text — the mark when hidden)."""
        ind = self.by_id[ind_id]
        unit = ind.get("unit", "count")
        cells = self.cells.get(ind_id)
        if cells is not None and self._fallback and not self.totals.get(ind_id):
            return []  # inputs built by hand without the years' totals: no chart
        if cells is not None:
            out = []
            for k in (3, 2, 1, 0):
                label = self.period.shift_years(-k).label
                v = cells.value(label)
                out.append((label, v, fmt_value(v, unit, self.lang) if v is not None else cells.mark(label)))
            return out
        if self.kommun and ind_id in self.figs:  # a count without a grid: nothing to draw
            return []
        totals = list(self.totals.get(ind_id, []))
        names = ["Y3", "Y2", "P", "V"][-len(totals):] if totals else []
        out = []
        for (label, v), name in zip(totals, names, strict=True):
            if name == "V":
                v = ind.get("value")
            elif name == "P":
                v = ind.get("previous")
            out.append((label, None, "–") if _missing(v) else (label, v, fmt_value(v, unit, self.lang)))
        return out

    def count_text(self, value: float | None) -> str:
        """A stand-alone count (police tier): the kommun tier gets none (``'..'``) — a count of
        events per period is as easy to difference as any other."""
        if _missing(value):
            return "–"
        if self.kommun:
            return SECONDARY_MARK
        return fmt_number(value, self.lang, 0)
