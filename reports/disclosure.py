"""Disclosure control of the kommun tier, written once: what each tier may see, and which of an
area's counts the kommun tier may see.

Every view consults this module — the page's callbacks (``services.page``, ``callbacks/*``), every
export (``services.reports.gather`` → :class:`reports.numberview.Numbers` → content, facts,
figures, CSV/XLSX; the same for ``cli.py report --tier kommun``), the compare view and its downloads,
and the gate (``security.access.check_callback``, the second line of defence).

**What the kommun tier may reach** (:data:`KOMMUN`)

* periods: tertials and calendar years only — a fixed grid that does not overlap except that a
  year is the sum of its three tertials (handled below). Months, year to date, rolling 12 months and
  weeks are refused (:class:`DisclosureRefused`), because any two overlapping periods difference
  out a third;
* the newest list an area is on (an older list shows the same series or none);
* per area and indicator, for the chosen period: the value, last year's value, the seasonal
  baseline (mean of the three previous years), the change and percent change, the verdict, and the
  same period in the three previous years (the report's bars) — nothing else;
* no monthly series (trend chart, sparklines, small multiples), no table across areas (compare
  view, its downloads, the overview list, the choropleth), no map layer (hotspots, events, places)
  and no analysis of events (hypothesis checks, location-precision counts), no p-values, z-scores,
  rates, cumulative deviations or projections;
* notes only when the police marked them for the kommun (and not internal).

**Which counts** (:func:`protect_series`, :class:`AreaCells`): for each area × count indicator,
every tertial and year total the tier can reach is one cell; ``Y = T1 + T2 + T3`` for each year.
Cells below the threshold (5, zero included) are primary ("<5"); complementary suppression ("..")
hides further cells until no hidden cell can be narrowed — by a reader who knows every published
cell and every relation — to an interval narrower than the threshold, nor a "<5" to fewer than its
five values (:func:`reports.suppression.protect`). The decision is made once over the whole
history of the series, so every view of every period shows the same cells; year totals are hidden
first (they appear with a year's last tertial: hiding one never withdraws a number shown before).

Everything else printed for a count is **derived only from shown cells**: a baseline when its three
years are shown, a change and a percent change when the value and the reference are, a verdict
(colour and words) when the value and the reference its test used are. So the published figures
of the tier are exactly the shown cells and functions of them: no hidden cell can be backed out by
differencing periods, from totals, from changes or from baselines (``tests/integration/
test_disclosure_audit.py`` checks this with ``scipy.optimize.linprog`` on what the server sends).

Counts are indicators with ``unit == 'count'``; shares and hours are not counts of people or events
and are shown as they are (for the allowed periods only).

>>> KOMMUN.allows_period("2025-T2"), KOMMUN.allows_period("2025"), KOMMUN.allows_period("YTD:2025-08")
(True, True, False)
>>> cells = protect_series({"2023-T1": 11, "2023-T2": 6, "2023-T3": 1, "2023": 18})
>>> [cells.text(p, str(int(cells.values[p]))) for p in ("2023-T1", "2023-T2", "2023-T3", "2023")]
['11', '6', '<5', '..']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from geodata.errors import InputError
from indicators.calendar import Period, PeriodKind, parse_period
from reports.model import THRESHOLD
from reports.suppression import PRIMARY, PUBLISHED, SECONDARY, SECONDARY_MARK, primary_mark, protect
from texts import t

MISSING_MARK = "–"
MISSING = "missing"
MAP_LAYERS = frozenset({"hotspots", "events", "pois"})


class DisclosureRefused(InputError):
    """The tier may not see what was asked (a period off its grid, a table across areas …):
    400 with the reason on the web, exit 2 on the command line."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(None, t(key, "en", **fields))  # the command line's message is English
        self.key, self.fields = key, fields

    def message(self, lang: str = "sv") -> str:
        """The reason in ``lang`` (catalogue key ``self.key``)."""
        return t(self.key, lang, **self.fields)


# --------------------------------------------------------------------------- the tiers
@dataclass(frozen=True)
class TierPolicy:
    """What one tier may see (see the module docstring)."""

    tier: str
    threshold: int | None = None  # counts below it are hidden (None: nothing is suppressed)
    period_kinds: frozenset[str] | None = None  # None: every period
    map_layers: frozenset[str] = MAP_LAYERS
    monthly_series: bool = True
    cross_area_tables: bool = True
    event_analyses: bool = True
    statistics: bool = True
    kommun_notes_only: bool = False
    older_lists: bool = True

    @property
    def suppresses(self) -> bool:
        return self.threshold is not None

    def allows_period(self, period: str | Period | None) -> bool:
        """Whether the tier may see ``period`` (unparseable text: no)."""
        if period is None:
            return False
        try:
            p = parse_period(period)
        except ValueError:
            return False
        return self.period_kinds is None or p.kind.value in self.period_kinds

    def check_period(self, period: str | Period) -> Period:
        """The period, or :class:`DisclosureRefused` when the tier may not see it."""
        try:
            p = parse_period(period)
        except ValueError as exc:
            raise InputError(None, f"period: {exc}") from exc
        if not self.allows_period(p):
            raise DisclosureRefused("rep.refused.period", period=p.label)
        return p

    def grid_period(self, period: str | None, fallback: str | None) -> str | None:
        """``period`` when the tier may see it, else ``fallback`` (the page's default)."""
        if period and self.allows_period(period):
            return parse_period(period).label
        return fallback

    def allows_layer(self, layer: str) -> bool:
        return layer in self.map_layers

    def list_year(self, list_year: int | None) -> int | None:
        """The list to read (``None``: the newest list the area is on)."""
        return list_year if self.older_lists else None

    def note_visible(self, internal: bool, kommun: bool = False) -> bool:
        """Whether a note is shown to the tier: the police see every note, the kommun tier only
        the notes marked for the kommun (never an internal one)."""
        if not self.kommun_notes_only:
            return True
        return bool(kommun) and not bool(internal)

    def refuse_cross_area(self) -> None:
        if not self.cross_area_tables:
            raise DisclosureRefused("rep.refused.cross_area")


POLICE = TierPolicy("police")
KOMMUN = TierPolicy(
    "kommun", threshold=THRESHOLD, period_kinds=frozenset({PeriodKind.TERTIAL.value, PeriodKind.YEAR.value}),
    map_layers=frozenset(), monthly_series=False, cross_area_tables=False, event_analyses=False,
    statistics=False, kommun_notes_only=True, older_lists=False,
)
POLICIES = {"police": POLICE, "kommun": KOMMUN}


def policy(tier: str) -> TierPolicy:
    """The policy of a tier (``'police'`` or ``'kommun'``); anything else gets the kommun tier's."""
    return POLICIES.get(str(tier).strip().lower(), KOMMUN)


# --------------------------------------------------------------------------- the grid
def grid_labels(year: int) -> tuple[str, ...]:
    return (f"{year}-T1", f"{year}-T2", f"{year}-T3", str(year))


def grid_totals(monthly: Mapping[str, float], available: Iterable[str] | None = None) -> dict[str, float | None]:
    """Tertial and year totals of a monthly count series over every year it touches; ``None`` for a
    cell with a month that is missing or not ``available`` (not yet fully registered)."""
    months = {m: float(v) for m, v in monthly.items() if v is not None and not _nan(v)}
    ok = set(months) if available is None else set(available) & set(months)
    years = sorted({int(m[:4]) for m in months})
    out: dict[str, float | None] = {}
    for y in years:
        for label in grid_labels(y):
            ms = parse_period(label).months
            out[label] = float(sum(months[m] for m in ms)) if all(m in ok for m in ms) else None
    return out


def _nan(v: object) -> bool:
    return isinstance(v, float) and math.isnan(v)


@dataclass(frozen=True)
class SeriesCells:
    """The grid cells of one area × count indicator and what the kommun tier may see of each."""

    values: Mapping[str, float | None]
    status: Mapping[str, str]
    threshold: int = THRESHOLD

    def shown(self, label: str) -> bool:
        return self.status.get(label, MISSING) == PUBLISHED

    def value(self, label: str) -> float | None:
        return self.values.get(label) if self.shown(label) else None

    def mark(self, label: str) -> str:
        st = self.status.get(label, MISSING)
        if st == PRIMARY:
            return primary_mark(self.threshold)
        if st == SECONDARY:
            return SECONDARY_MARK
        return MISSING_MARK

    def text(self, label: str, text: str) -> str:
        """``text`` when the cell is shown, else its mark."""
        return text if self.shown(label) else self.mark(label)

    @property
    def hidden(self) -> list[str]:
        return [k for k, s in self.status.items() if s in (PRIMARY, SECONDARY)]


def protect_series(totals: Mapping[str, float | None], threshold: int = THRESHOLD) -> SeriesCells:
    """Primary and complementary suppression of one series' grid (see the module docstring).

    Years are independent tables (each ``Y = T1 + T2 + T3``); a year whose total is missing has no
    relation and its tertials stand alone.
    """
    totals = {str(k): (None if v is None or _nan(v) else float(v)) for k, v in totals.items()}
    status: dict[str, str] = {k: MISSING for k, v in totals.items() if v is None}
    years = sorted({int(k[:4]) for k in totals})
    for y in years:
        labels = [lab for lab in grid_labels(y) if totals.get(lab) is not None]
        if not labels:
            continue
        year_cells = tuple(totals.get(lab) for lab in grid_labels(y))
        status.update({lab: st for lab, st in zip(grid_labels(y), _protect_year(year_cells, threshold), strict=True)
                       if st is not None})
    return SeriesCells(totals, status, threshold)


@lru_cache(maxsize=65536)
def _protect_year(cells: tuple[float | None, ...], threshold: int) -> tuple[str | None, ...]:
    """Status of ``(T1, T2, T3, Y)`` of one year (``None``: not available).

    Primary cells below the threshold; if the year table is then not protected
    (:func:`year_table_protected`), the year total is hidden, which always protects it (a year
    below the threshold has only small tertials; otherwise the published tertials sum to at least
    the threshold or two small ones are hidden with it). The general engine
    (:func:`reports.suppression.protect`) decides any other case and is the oracle of the unit tests.
    """
    names = ("T1", "T2", "T3", "Y")
    vals = {n: v for n, v in zip(names, cells, strict=True) if v is not None}
    status = tuple(None if v is None else (PRIMARY if v < threshold else PUBLISHED) for v in cells)
    if len(vals) < 4 or PRIMARY not in status:  # no relation, or nothing to protect
        return status
    if year_table_protected(cells, status, threshold):
        return status
    if status[3] == PUBLISHED:
        hidden_year = (*status[:3], SECONDARY)
        if year_table_protected(cells, hidden_year, threshold):
            return hidden_year
    cost = {n: (-1.0 if n == "Y" else v) for n, v in vals.items()}  # not reached; kept as a safety net
    s = protect(vals, [{"Y": 1.0, "T1": -1.0, "T2": -1.0, "T3": -1.0}], counts=set(vals),
                threshold=threshold, cost=cost)
    return tuple(s.status[n] for n in names)


def year_table_protected(cells: tuple[float, ...], status: tuple[str, ...], threshold: int) -> bool:
    """The rule of :func:`reports.suppression.strictly_protected` for every hidden cell of one year
    table ``Y = T1 + T2 + T3``, in closed form.

    With the marks a hidden cell lies in ``[0, t−1]`` (``<5``) or ``[t, ∞)`` (``..``); without them
    in ``[0, ∞)``. Year published: the hidden tertials share ``R = Y − published tertials``; each
    lies in ``[0, R]`` (so ``R ≥ t``, and never one hidden tertial alone), and a ``<5`` one can take
    0 and t−1 when the others' mark bounds allow ``R − x``. Year hidden: the tertials are free
    upwards; a ``<5`` one can take 0 and t−1 when the year's mark bounds allow the sum.
    """
    t = threshold
    tert, year = cells[:3], cells[3]
    hidden = [k for k in range(3) if status[k] != PUBLISHED]
    shown_sum = sum(tert[k] for k in range(3) if status[k] == PUBLISHED)

    def bounds(k: int) -> tuple[float, float]:
        return (0.0, t - 1.0) if status[k] == PRIMARY else (float(t), math.inf)

    def others(k: int) -> tuple[float, float]:
        return (sum(bounds(j)[0] for j in hidden if j != k), sum(bounds(j)[1] for j in hidden if j != k))

    if status[3] == PUBLISHED:
        if not hidden:
            return True
        rest = year - shown_sum
        if len(hidden) == 1 or rest < t:
            return False
        for k in hidden:
            lo, hi = others(k)
            if status[k] == PRIMARY and not (rest <= hi and rest - lo >= t - 1):
                return False
        return True
    if not hidden:  # the year is the sum of what is shown
        return False
    ylo, yhi = bounds(3)
    for k in hidden:
        lo, hi = others(k)
        if status[k] == PRIMARY and not (shown_sum + t - 1 + lo <= yhi and shown_sum + hi >= ylo):
            return False
    return True


@dataclass(frozen=True)
class AreaCells:
    """Every count series of one area on the kommun tier's grid (``{indicator: SeriesCells}``)."""

    series: Mapping[str, SeriesCells] = field(default_factory=dict)
    threshold: int = THRESHOLD

    def of(self, indicator: str) -> SeriesCells | None:
        return self.series.get(indicator)


def area_cells(monthly: pd.DataFrame, units: Mapping[str, str], last_months: Mapping[str, str | None],
               threshold: int = THRESHOLD) -> AreaCells:
    """The grid of every count indicator of an area.

    ``monthly``: the area's values (``indicator_id, month, value``) over its whole history, as the
    tier reads them (other places' series already dropped); ``last_months``: the newest month the
    verdict engine treats as registered per indicator (months after it are pending: a cell holding
    one is not available yet).
    """
    out: dict[str, SeriesCells] = {}
    if monthly is None or monthly.empty:
        return AreaCells({}, threshold)
    for ind, g in monthly.groupby("indicator_id"):
        ind = str(ind)
        if units.get(ind) != "count":
            continue
        series = dict(zip(g["month"].astype(str), g["value"], strict=True))
        last = last_months.get(ind)
        avail = [m for m in series if not last or m <= str(last)]
        out[ind] = protect_series(grid_totals(series, avail), threshold)
    return AreaCells(out, threshold)


# --------------------------------------------------------------------------- one period's figures
REF_FIELD = {"prev_year": "previous", "baseline": "baseline", "target": "target"}
STAT_REF_FIELD = {"prev_year": "previous", "baseline": "baseline", "target": "previous"}
#: never shown in the kommun tier
POLICE_ONLY_FIELDS = frozenset({"p", "p_adjusted", "p_test", "p_etest", "p_tail", "z_poisson", "z_baseline",
                                "z_all", "z_category", "z_peers", "rate_per_1000", "cum_deviation", "projection",
                                "dispersion", "cusum_signals"})


@dataclass(frozen=True)
class PeriodFigures:
    """What the kommun tier may print of one count indicator for one period: for each field
    ``shown`` or the mark that stands in for it."""

    marks: Mapping[str, str]  # field → mark ('<5', '..', '–'); a field absent here is shown

    def shown(self, field_name: str) -> bool:
        return field_name not in self.marks

    def mark(self, field_name: str) -> str:
        return self.marks.get(field_name, "")


def period_figures(cells: SeriesCells | None, period: str | Period, comparison: str,
                   ind: Mapping[str, object]) -> PeriodFigures:
    """Which figures of a count indicator (a row of the verdict object) the kommun tier may print
    for ``period``: cells from the grid, everything else only when derived from shown cells."""
    p = parse_period(period)
    marks: dict[str, str] = {}

    def from_cell(field_name: str, label: str) -> bool:
        own = ind.get(field_name)
        if cells is None or cells.status.get(label, MISSING) == MISSING:
            marks[field_name] = MISSING_MARK
            return False
        if not cells.shown(label):
            marks[field_name] = cells.mark(label)
            return False
        if own is None or _nan(own) or abs(float(own) - float(cells.values[label])) > 1e-6:
            marks[field_name] = SECONDARY_MARK if own is not None else MISSING_MARK  # not the grid's number
            return False
        return True

    value = from_cell("value", p.label)
    prev = from_cell("previous", p.same_period_last_year().label)
    base_labels = [q.label for q in p.baseline_periods(3)]
    base_ok = cells is not None and all(cells.shown(q) for q in base_labels)
    if base_ok and ind.get("baseline") is not None and not _nan(ind.get("baseline")):
        mean = sum(float(cells.values[q]) for q in base_labels) / 3
        base_ok = abs(mean - float(ind["baseline"])) < 1e-3
    if not base_ok:
        has = ind.get("baseline") is not None and not _nan(ind.get("baseline"))
        hidden = cells is not None and any(cells.status.get(q) in (PRIMARY, SECONDARY) for q in base_labels)
        marks["baseline"] = SECONDARY_MARK if has and hidden else MISSING_MARK
    shown = {"value": value, "previous": prev, "baseline": base_ok,
             "target": ind.get("target") is not None and not _nan(ind.get("target"))}
    ref = REF_FIELD.get(comparison, "previous")
    if not (shown["value"] and shown[ref]):
        marks["change"] = SECONDARY_MARK if ind.get("change") is not None else MISSING_MARK
        marks["pct_change"] = marks["change"]
    stat_ref = STAT_REF_FIELD.get(comparison, "previous")
    if not (shown["value"] and shown[stat_ref]):
        marks["verdict"] = SECONDARY_MARK
    for f in POLICE_ONLY_FIELDS:
        marks[f] = SECONDARY_MARK
    return PeriodFigures(marks)
