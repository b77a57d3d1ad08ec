"""Linear-programming audit of what the kommun tier publishes (issue 12, item 2).

A kommun account with a script can fetch the page's kommun table, the lägesbild text and every
export for any area of its kommuner, any period it can name and any comparison. Each number it gets
is a linear function of the area's monthly counts (a period total, last year's total, a baseline
mean, a change, a percent change). This module turns what was fetched into linear constraints on
the monthly counts and asks, for every count the kommun tier did **not** get (a cell shown as
``<5`` or ``..`` and every single month), how far it can still move:

    min / max  a·x   subject to   every published figure,  x ≥ 0   (integrality relaxed)

with ``scipy.optimize.linprog`` (HiGHS). A hidden cell whose feasible interval is narrower than the
threshold (5) has been given away by differencing. Nothing here trusts the policy under test: the
figures are read from what the server sent (CSV of an export, the page's table) and every
constraint is checked against the true monthly values before it is used, so a mis-modelled figure
fails loudly instead of weakening the audit.

- :class:`KommunScript` — what a kommunpartner's script does: replay the page's callbacks through a
  Flask test client (the gate, the audit log and the tier decisions all run)
- :func:`figures_from_numbers` — a report's numbers table (CSV/XLSX export) as constraints
- :func:`audit` — the intervals of the hidden cells
"""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from indicators.calendar import parse_period
from testing.harness import callback_body, layout_values

MARKS = ("<5", "..")  # what a hidden number is shown as (the primary mark follows the threshold)
#: what a report says instead of a verdict it does not give (reveals nothing)
NO_VERDICT = ("Ingen bedömning", "Not assessed")
MISSING = ("–", "-", "", "nan")
TABLE_MEASURES = ("value", "previous", "baseline", "target", "change", "pct_change")


# --------------------------------------------------------------------------- linear forms
Form = dict[str, float]  # month → coefficient


def total(period: str) -> Form:
    """The total of a period: ``{month: 1}`` over its months."""
    return {m: 1.0 for m in parse_period(period).months}


def _add(*forms: tuple[float, Form]) -> Form:
    out: Form = {}
    for k, f in forms:
        for m, c in f.items():
            out[m] = out.get(m, 0.0) + k * c
    return {m: c for m, c in out.items() if abs(c) > 1e-12}


def baseline_sum(period: str, years: int = 3) -> Form:
    """Three times the seasonal baseline: the same period in each of the previous three years."""
    p = parse_period(period)
    return _add(*((1.0, total(q.label)) for q in p.baseline_periods(years)))


def previous(period: str) -> Form:
    return total(parse_period(period).same_period_last_year().label)


def evaluate(form: Form, truth: Mapping[str, float]) -> float:
    return float(sum(c * float(truth.get(m, 0.0)) for m, c in form.items()))


# --------------------------------------------------------------------------- figures
@dataclass(frozen=True)
class Figure:
    """A published figure as a constraint ``lo ≤ Σ coeff·x ≤ hi`` on the monthly counts
    (``ratio``: a percent change, ``100·(V − R) ≈ pct·R``, written as two inequalities)."""

    indicator: str
    form: tuple[tuple[str, float], ...]
    lo: float
    hi: float
    source: str


@dataclass(frozen=True)
class Hidden:
    """A count the kommun tier did not get (shown as a mark, or never shown: a single month)."""

    indicator: str
    form: tuple[tuple[str, float], ...]
    mark: str
    source: str


def _freeze(form: Form) -> tuple[tuple[str, float], ...]:
    return tuple(sorted(form.items()))


def parse_number(text: object) -> tuple[float, int] | None:
    """``'1 193,1'`` → ``(1193.1, 1)``, ``'−16'`` → ``(-16.0, 0)``, ``'+11 %'`` → ``(11.0, 0)``;
    ``None`` for a mark, a dash or words. The second item is the number of decimals printed."""
    if text is None:
        return None
    s = str(text).strip().lstrip("'").replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    s = s.replace("%", "").replace(" ", "").replace("±", "")
    if not re.fullmatch(r"[+-]?\d+(,\d+)?", s):
        return None
    decimals = len(s.split(",")[1]) if "," in s else 0
    return float(s.replace(",", ".")), decimals


def _tol(decimals: int) -> float:
    return 0.5 * 10.0 ** (-decimals) + 1e-9


def _raw(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_number(value)
        return None if parsed is None else parsed[0]
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _decimals_of(raw: float) -> int:
    """Decimals a raw number carries (the summary rounds to at most 3)."""
    for d in range(0, 7):
        if abs(raw - round(raw, d)) < 1e-9:
            return d
    return 6


def _is_period(text: str) -> bool:
    try:
        parse_period(str(text))
    except ValueError:
        return False
    return True


def _clean_mark(text: object) -> str:
    return str(text or "").strip().lstrip("'")


@dataclass
class Collected:
    """Everything fetched for one area: published constraints, hidden cells, refusals, and the
    page-versus-export comparisons."""

    figures: list[Figure] = field(default_factory=list)
    hidden: list[Hidden] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    served: list[str] = field(default_factory=list)  # what was answered with figures
    mismatches: list[str] = field(default_factory=list)  # page ≠ export
    verdicts_on_hidden: list[str] = field(default_factory=list)

    def extend(self, other: Collected) -> None:
        for k in ("figures", "hidden", "refused", "served", "mismatches", "verdicts_on_hidden"):
            getattr(self, k).extend(getattr(other, k))


def reference_form(measure_ref: str, period: str) -> Form | None:
    if measure_ref == "previous":
        return previous(period)
    if measure_ref == "baseline":
        return _add((1 / 3, baseline_sum(period)))
    return None  # target: a constant


REF_OF = {"prev_year": "previous", "baseline": "baseline", "target": "target"}
STAT_REF_OF = {"prev_year": "previous", "baseline": "baseline", "target": "previous"}


def figures_from_numbers(rows: Iterable[Mapping[str, Any]], period: str, comparison: str,
                         counts: set[str], targets: Mapping[str, float | None] | None = None,
                         source: str = "") -> Collected:
    """Constraints from a report's numbers table (the CSV/XLSX export: one row per printed number,
    ``indicator_id, measure, value, shown as``).

    ``counts``: the count indicators (the others are not suppressed and not audited);
    ``targets``: each indicator's target for the period (a constant: when a change against the
    target is printed, the audit assumes the reader knows the target, the stricter reading).
    """
    out = Collected()
    targets = dict(targets or {})
    by, bars = _numbers_by_indicator(rows, counts)
    for ind, fields in by.items():
        sink = _Sink(out, ind, f"{source} {period} {comparison} {ind}")
        _indicator_figures(sink, fields, period, comparison, targets.get(ind))
    for ind, items in bars.items():
        for label, raw, text in items:
            _bar_figure(out, ind, label, raw, text, f"{source} {period} {comparison} {ind} bar {label}")
    return out


def _numbers_by_indicator(
    rows: Iterable[Mapping[str, Any]], counts: set[str]
) -> tuple[dict[str, dict[str, tuple[float | None, str]]], dict[str, list[tuple[str, float | None, str]]]]:
    """The count indicators' rows: table measures by name, and the bars (one per period label)."""
    by: dict[str, dict[str, tuple[float | None, str]]] = {}
    bars: dict[str, list[tuple[str, float | None, str]]] = {}
    for r in rows:
        ind, measure = str(r["indicator_id"] or ""), str(r["measure"])
        if ind not in counts:
            continue
        raw, text = _raw(r.get("value")), _clean_mark(r.get("shown"))
        if measure in TABLE_MEASURES or measure in ("rag", "verdict", "bedömning"):
            by.setdefault(ind, {})[measure] = (raw, text)
        elif _is_period(measure):
            bars.setdefault(ind, []).append((parse_period(measure).label, raw, text))
    return by, bars


@dataclass(frozen=True)
class _Sink:
    """Where one indicator's figures of one table go, and the tag naming their source."""

    out: Collected
    ind: str
    tag: str

    def figure(self, form: Form, lo: float, hi: float, what: str) -> None:
        self.out.figures.append(Figure(self.ind, _freeze(form), lo, hi, f"{self.tag} {what}"))

    def hidden(self, form: Form, mark: str, what: str) -> None:
        self.out.hidden.append(Hidden(self.ind, _freeze(form), mark, f"{self.tag} {what}"))

    def published(self, measure: str, form: Form, raw: float | None, text: str) -> None:
        """A printed number (``raw``, or parsed from ``text``) as ``form`` within its rounding."""
        if raw is None:
            parsed = parse_number(text)
            if parsed is None:
                return
            raw, dec = parsed
        else:
            dec = _decimals_of(raw)
        self.figure(form, raw - _tol(dec), raw + _tol(dec), measure)


def _indicator_figures(sink: _Sink, fields: Mapping[str, tuple[float | None, str]], period: str,
                       comparison: str, target_given: float | None) -> None:
    """One indicator's row of the table: its levels, change, percent change and verdict."""
    forms = {"value": total(period), "previous": previous(period),
             "baseline": _add((1 / 3, baseline_sum(period)))}
    shown = _level_figures(sink, fields, forms, period)
    t_raw, _ = fields.get("target", (None, "–"))
    target = t_raw if t_raw is not None else target_given
    ref = reference_form(REF_OF.get(comparison, "previous"), period)
    _change_figures(sink, fields, forms["value"], ref, target)
    _pct_figures(sink, fields, forms["value"], ref, target)
    verdict = fields.get("rag", (None, ".."))[1]
    stat_ref = STAT_REF_OF.get(comparison, "previous")
    if (verdict not in MARKS and verdict not in MISSING and verdict not in NO_VERDICT
            and not (shown["value"] and shown.get(stat_ref, False))):
        sink.out.verdicts_on_hidden.append(f"{sink.tag}: verdict '{verdict}' with value or reference hidden")


def _level_figures(sink: _Sink, fields: Mapping[str, tuple[float | None, str]],
                   forms: Mapping[str, Form], period: str) -> dict[str, bool]:
    """The value, last year's value and the baseline: hidden cells or figures; which were shown."""
    shown: dict[str, bool] = {}
    for measure in ("value", "previous", "baseline"):
        raw, text = fields.get(measure, (None, "–"))
        shown[measure] = raw is not None or parse_number(text) is not None
        if text in MARKS or text.startswith("<"):
            sink.hidden(forms[measure] if measure != "baseline" else baseline_sum(period), text, measure)
        elif shown[measure]:
            sink.published(measure, forms[measure], raw, text)
    return shown


def _change_figures(sink: _Sink, fields: Mapping[str, tuple[float | None, str]], value: Form,
                    ref: Form | None, target: float | None) -> None:
    """The change: value − reference, or value = change + target against a (known) target."""
    c_raw, c_text = fields.get("change", (None, "–"))
    if c_raw is None and parse_number(c_text) is None:
        return
    if ref is not None:
        sink.published("change", _add((1.0, value), (-1.0, ref)), c_raw, c_text)
    elif target is not None:  # V − T = change  ⇒  V = change + T
        raw = c_raw if c_raw is not None else parse_number(c_text)[0]
        dec = _decimals_of(raw)
        sink.figure(value, raw + target - _tol(dec), raw + target + _tol(dec), "change(target)")


def _pct_figures(sink: _Sink, fields: Mapping[str, tuple[float | None, str]], value: Form,
                 ref: Form | None, target: float | None) -> None:
    """The percent change as two linear inequalities against the reference (or a range of the
    value against a known target)."""
    p_raw, p_text = fields.get("pct_change", (None, "–"))
    if p_raw is None and parse_number(p_text) is not None:
        p_raw = parse_number(p_text)[0]
        p_dec = parse_number(p_text)[1]
    else:
        p_dec = _decimals_of(p_raw) if p_raw is not None else 0
    if p_raw is None:
        return
    h = _tol(p_dec)
    if ref is not None:  # 100·V − (100 + pct ± h)·R  ≶ 0  (R ≥ 0)
        sink.figure(_add((100.0, value), (-(100.0 + p_raw + h), ref)), -math.inf, 0.0, "pct_change≤")
        sink.figure(_add((100.0, value), (-(100.0 + p_raw - h), ref)), 0.0, math.inf, "pct_change≥")
    elif target:
        lo_v, hi_v = target * (1 + (p_raw - h) / 100), target * (1 + (p_raw + h) / 100)
        sink.figure(value, lo_v, hi_v, "pct_change(target)")


def _bar_figure(out: Collected, ind: str, label: str, raw: float | None, text: str, tag: str) -> None:
    """One bar of the period chart: a hidden total or a figure."""
    if text in MARKS or text.startswith("<"):
        out.hidden.append(Hidden(ind, _freeze(total(label)), text, tag))
    elif raw is not None or parse_number(text) is not None:
        raw = raw if raw is not None else parse_number(text)[0]
        dec = _decimals_of(raw)
        out.figures.append(Figure(ind, _freeze(total(label)), raw - _tol(dec), raw + _tol(dec), tag))


def numbers_from_csv(content: bytes) -> list[dict]:
    """The rows of a report's CSV export (Swedish or English headers)."""
    text = content.decode("utf-8-sig")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    frame = pd.read_csv(io.StringIO("\n".join(lines)), sep=";", dtype=str, keep_default_na=False)
    return _rows(frame)


def numbers_from_xlsx(content: bytes) -> list[dict]:
    """The rows of a report's XLSX export (its numbers sheet: the one with a measure column)."""
    sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, dtype=object)
    for frame in sheets.values():
        cols = [str(c).strip() for c in frame.columns]
        if "mått" in cols or "measure" in cols:
            frame.columns = cols
            return _rows(frame.where(frame.notna(), None))
        # the numbers may start below a title block: find the header row
        for i in range(min(len(frame), 10)):
            row = [str(v).strip() for v in frame.iloc[i].tolist()]
            if "mått" in row or "measure" in row:
                body = frame.iloc[i + 1:].copy()
                body.columns = row
                return _rows(body.where(body.notna(), None))
    raise ValueError("no numbers sheet in the XLSX export")


def _rows(frame: pd.DataFrame) -> list[dict]:
    names = {"indikator_id": "indicator_id", "indicator_id": "indicator_id", "mått": "measure",
             "measure": "measure", "värde": "value", "value": "value", "visas som": "shown", "shown as": "shown",
             "indikator": "name", "indicator": "name"}
    frame = frame.rename(columns={c: names[c] for c in frame.columns if c in names})
    out = []
    for r in frame.to_dict("records"):
        v = r.get("value")
        if isinstance(v, str):
            v = v.strip()
            v = None if v in MISSING else float(v.replace(",", ".").replace("\u2212", "-"))
        out.append({"indicator_id": r.get("indicator_id"), "name": r.get("name"), "measure": r.get("measure"),
                    "value": v, "shown": r.get("shown")})
    return out


# --------------------------------------------------------------------------- the LP
@dataclass(frozen=True)
class Interval:
    hidden: Hidden
    lo: float
    hi: float
    truth: float | None = None

    @property
    def width(self) -> float:
        return self.hi - self.lo


@dataclass
class AuditResult:
    threshold: float
    intervals: list[Interval]
    checked: int

    def narrow(self) -> list[Interval]:
        """Hidden cells whose feasible interval is narrower than the threshold."""
        return [iv for iv in self.intervals if iv.width < self.threshold - 1e-6]

    def exact(self) -> list[Interval]:
        """Hidden cells pinned to one value."""
        return [iv for iv in self.intervals if iv.width < 0.5]

    def describe(self, k: int = 12) -> str:
        lines = [f"{len(self.narrow())} of {self.checked} hidden cells narrower than {self.threshold:g} "
                 f"({len(self.exact())} pinned exactly)"]
        for iv in sorted(self.narrow(), key=lambda iv: iv.width)[:k]:
            lines.append(f"  {iv.hidden.source}: [{iv.lo:.2f}, {iv.hi:.2f}] (true {iv.truth}, shown "
                         f"{iv.hidden.mark!r})")
        return "\n".join(lines)


class ModelError(AssertionError):
    """A published figure does not hold for the true values: the audit's reading of it is wrong."""


def check_against_truth(figures: Sequence[Figure], truth: Mapping[str, Mapping[str, float]]) -> None:
    """Every constraint must hold for the true monthly counts, or the audit would be unsound."""
    bad = []
    for f in figures:
        v = evaluate(dict(f.form), truth.get(f.indicator, {}))
        if v < f.lo - 1e-6 or v > f.hi + 1e-6:
            bad.append(f"{f.source}: true {v:g} outside [{f.lo:g}, {f.hi:g}]")
    if bad:
        raise ModelError("published figures that do not match the true values:\n" + "\n".join(bad[:20]))


def audit(collected: Collected, truth: Mapping[str, Mapping[str, float]] | None = None,
          threshold: float = 5, months: Iterable[str] = (), check_truth: bool = True) -> AuditResult:
    """The feasible interval of every hidden cell (and of every month in ``months``) given every
    published figure, per indicator (no figure links two indicators).

    ``truth``: ``{indicator: {month: value}}`` — the police tier's monthly counts, used to check
    the constraints (``check_truth``) and to report the true value of a narrow cell.
    """
    truth = truth or {}
    if check_truth and truth:
        check_against_truth(collected.figures, truth)
    months = tuple(months)
    indicators = sorted({f.indicator for f in collected.figures} | {h.indicator for h in collected.hidden}
                        | (set(truth) if months else set()))
    intervals: list[Interval] = []
    for ind in indicators:
        figs = [f for f in collected.figures if f.indicator == ind]
        uniq = _cells_to_bound(ind, figs, [h for h in collected.hidden if h.indicator == ind], months)
        if not uniq:
            continue
        lp = _Program.of(figs, uniq.values())
        for h in uniq.values():
            lo, hi = lp.bounds(ind, h.form)
            t = evaluate(dict(h.form), truth[ind]) if ind in truth else None
            intervals.append(Interval(h, lo, hi, t))
    return AuditResult(float(threshold), intervals, len(intervals))


def _cells_to_bound(ind: str, figs: Sequence[Figure], hidden: Iterable[Hidden],
                    months: Sequence[str]) -> dict[tuple, Hidden]:
    """One hidden cell per distinct form (the same cell is often fetched many times), and every
    single month in ``months`` the tier was not given."""
    uniq: dict[tuple, Hidden] = {}
    for h in hidden:
        uniq.setdefault(h.form, h)
    shown_forms = {f.form for f in figs}
    for m in months:
        if ((m, 1.0),) not in shown_forms:
            uniq.setdefault(((m, 1.0),), Hidden(ind, ((m, 1.0),), "", f"{ind} month {m} (never shown)"))
    return uniq


@dataclass(frozen=True)
class _Program:
    """One indicator's published figures as ``linprog`` constraints on its monthly counts."""

    idx: dict[str, int]  # month → variable
    kw: dict[str, Any]

    @classmethod
    def of(cls, figs: Sequence[Figure], hidden: Iterable[Hidden]) -> _Program:
        var = sorted({m for f in figs for m, _ in f.form} | {m for h in hidden for m, _ in h.form})
        idx = {m: i for i, m in enumerate(var)}
        a_ub, b_ub, a_eq, b_eq = [], [], [], []
        for f in figs:
            row = np.zeros(len(var))
            for m, c in f.form:
                row[idx[m]] += c
            if math.isfinite(f.lo) and math.isfinite(f.hi) and f.hi - f.lo < 1e-9:
                a_eq.append(row)
                b_eq.append(f.lo)
                continue
            if math.isfinite(f.hi):
                a_ub.append(row)
                b_ub.append(f.hi)
            if math.isfinite(f.lo):
                a_ub.append(-row)
                b_ub.append(-f.lo)
        kw = {"A_ub": np.array(a_ub) if a_ub else None, "b_ub": np.array(b_ub) if b_ub else None,
              "A_eq": np.array(a_eq) if a_eq else None, "b_eq": np.array(b_eq) if b_eq else None,
              "bounds": [(0, None)] * len(var), "method": "highs"}
        return cls(idx, kw)

    def bounds(self, ind: str, form: tuple[tuple[str, float], ...]) -> tuple[float, float]:
        """min and max of ``form`` over the feasible counts (±inf where unbounded)."""
        from scipy.optimize import linprog

        c = np.zeros(len(self.idx))
        for m, k in form:
            c[self.idx[m]] += k
        ends = []
        for sign in (1.0, -1.0):
            res = linprog(sign * c, **self.kw)
            if res.status == 3:  # unbounded
                ends.append(-sign * math.inf)
            elif res.status == 0:
                ends.append(sign * res.fun)
            else:
                raise ModelError(f"{ind}: the published figures are infeasible ({res.message})")
        return ends[0], ends[1]


# --------------------------------------------------------------------------- a kommunpartner's script
def text_of(node: Any) -> str:
    """The visible text of a Dash component tree (as JSON from a callback response)."""
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list):
        return "".join(text_of(n) for n in node)
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            return text_of(props.get("children"))
    return ""


def find_nodes(node: Any, pred) -> list[dict]:
    found = []
    if isinstance(node, list):
        for n in node:
            found.extend(find_nodes(n, pred))
    elif isinstance(node, dict):
        if "props" in node and pred(node):
            found.append(node)
        props = node.get("props")
        if isinstance(props, dict):
            found.extend(find_nodes(props.get("children"), pred))
    return found


def kommun_table_rows(tree: Any) -> list[list[str]] | None:
    """The rows of the page's kommun table (``[name, value, reference, change]``), None if absent."""
    tables = find_nodes(tree, lambda n: n.get("type") == "Table"
                        and "kommun-table" in str(n["props"].get("className") or ""))
    if not tables:
        return None
    bodies = find_nodes(tables[0], lambda n: n.get("type") == "Tbody")
    rows = []
    for tr in find_nodes(bodies[0] if bodies else tables[0], lambda n: n.get("type") == "Tr"):
        cells = [text_of(td) for td in find_nodes(tr, lambda n: n.get("type") == "Td")]
        if cells:
            rows.append(cells)
    return rows


class KommunScript:
    """Replays the page's callbacks as a logged-in client (Flask test client), as a kommunpartner's
    script would: every request passes the gate, writes its audit row and runs the real callback."""

    VIEW_STORES = ("panel-view", "lagesbild-view")  # what the view hub passes on (callbacks/view.py)

    def __init__(self, client, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers
        self.deps = client.get("/_dash-dependencies", headers=headers).get_json()
        self.values = layout_values(client.get("/_dash-layout", headers=headers).get_json())

    def dep(self, output_part: str) -> dict:
        for d in self.deps:
            if output_part in d["output"]:
                return d
        raise LookupError(f"no callback writes {output_part}")

    def post(self, output_part: str, values: dict, changed: Sequence[str]) -> tuple[int, dict | None]:
        vals = {**self.values, **values}
        dep = self.dep(output_part)
        if ("view", "data") in values:  # the hub hands the view on to the panels' own view stores
            for store in self.VIEW_STORES:
                vals[(store, "data")] = values[("view", "data")]
            inputs = {x["id"] for x in dep["inputs"]}
            changed = [next((f"{s}.data" for s in self.VIEW_STORES if s in inputs), c) if c == "view.data" else c
                       for c in changed]
        body = callback_body(dep, vals, list(changed))
        r = self.client.post("/_dash-update-component", json=body, headers=self.headers)
        payload = r.get_json(silent=True) if r.status_code == 200 else None
        return r.status_code, payload

    @staticmethod
    def view(area: str, period: str, cmp_: str = "prev_year", list_year: int | None = None,
             region: str | None = None, indicator: str | None = None, lang: str = "sv") -> dict:
        return {"area": area, "period": period, "cmp": cmp_, "list": list_year, "region": region,
                "indicator": indicator, "layers": [], "lang": lang}

    def area_table(self, area: str, period: str, cmp_: str, list_year: int | None = None) -> tuple[int, Any]:
        """(status, rows of the kommun table or the panel's text)."""
        status, payload = self.post("area-head.children", {("view", "data"): self.view(area, period, cmp_, list_year)},
                                    ["view.data"])
        if payload is None:
            return status, None
        tree = (payload.get("response") or {}).get("area-head", {}).get("children")
        rows = kommun_table_rows(tree)
        return status, rows if rows is not None else text_of(tree)

    def trend(self, area: str, period: str, indicator: str) -> tuple[int, list[dict]]:
        """(status, the trend chart's traces with data)."""
        status, payload = self.post("trend.figure", {("view", "data"): self.view(area, period, indicator=indicator)},
                                    ["view.data"])
        fig = ((payload or {}).get("response") or {}).get("trend", {}).get("figure") or {}
        traces = [t for t in fig.get("data") or [] if t.get("y")]
        return status, traces

    def lagesbild(self, area: str, period: str, cmp_: str, list_year: int | None = None) -> tuple[int, str]:
        status, payload = self.post("lagesbild.children",
                                    {("view", "data"): self.view(area, period, cmp_, list_year)}, ["view.data"])
        tree = ((payload or {}).get("response") or {}).get("lagesbild", {}).get("children")
        return status, text_of(tree)

    def export(self, area: str, period: str, cmp_: str, fmt: str) -> tuple[int, bytes | None, str]:
        """(status, file bytes or None, the status message) of the export button ``fmt``."""
        button = f"export-{fmt}"
        values = {("area-search", "value"): area, ("period", "value"): period, ("comparison", "value"): cmp_,
                  ("view", "data"): self.view(area, period, cmp_), ("export-tier", "value"): "kommun",
                  ("export-purpose", "value"): "revision", (button, "n_clicks"): 1}
        status, payload = self.post("export-download.data", values, [f"{button}.n_clicks"])
        resp = (payload or {}).get("response") or {}
        data = (resp.get("export-download") or {}).get("data")
        msg = text_of((resp.get("export-status") or {}).get("children"))
        if not data:
            return status, None, msg
        raw = base64.b64decode(data["content"]) if data.get("base64") else str(data["content"]).encode()
        return status, raw, msg

    def compare(self, region: str, period: str, cmp_: str) -> tuple[int, list[dict]]:
        """(status, rows of the compare table) for a region or 'alla'."""
        view = {"period": period, "cmp": cmp_, "region": None if region == "alla" else region, "lang": "sv",
                "indicator": None, "list": None}
        # ask for as much as the page offers: every real and synthetic column, three periods
        from services.compare import indicator_columns

        cols = [c.id for c in indicator_columns("sv")]
        values = {("compare-view-state", "data"): view, ("compare-real", "value"): cols,
                  ("compare-synthetic", "value"): cols, ("compare-periods", "value"): 3}
        status, payload = self.post("compare-grid.data", values, ["compare-view-state.data"])
        grid = ((payload or {}).get("response") or {}).get("compare-grid") or {}
        return status, list(grid.get("data") or [])

    def compare_download(self, region: str, period: str, cmp_: str, fmt: str = "csv") -> tuple[int, bytes | None]:
        view = {"period": period, "cmp": cmp_, "region": None if region == "alla" else region, "lang": "sv",
                "list": None}
        button = f"compare-{fmt}"
        status, payload = self.post("compare-download.data", {("view", "data"): view, (button, "n_clicks"): 1},
                                    [f"{button}.n_clicks"])
        data = (((payload or {}).get("response") or {}).get("compare-download") or {}).get("data")
        if not data:
            return status, None
        raw = base64.b64decode(data["content"]) if data.get("base64") else str(data["content"]).encode()
        return status, raw


def compare_rows_figures(rows: Iterable[Mapping[str, Any]], area: str, period: str, comparison: str,
                         counts: set[str], source: str) -> Collected:
    """Constraints from compare-table rows (long: one per area × indicator, or wide: one per area
    with a column per indicator) for the audited area."""
    out = Collected()
    for r in rows:
        if str(r.get("area_id")) != str(area):
            continue
        if "indicator_id" in r:  # long rows (the downloads)
            ind = str(r["indicator_id"])
            if ind in counts and _raw(r.get("value")) is not None:
                v = _raw(r["value"])
                out.figures.append(Figure(ind, _freeze(total(period)), v - 1e-6, v + 1e-6, f"{source} {ind}"))
            continue
        for ind in counts:  # wide rows (the page's DataTable)
            if ind in r:
                parsed = parse_number(r[ind])
                if parsed is not None:
                    v, d = parsed
                    out.figures.append(Figure(ind, _freeze(total(period)), v - _tol(d), v + _tol(d),
                                              f"{source} {ind}"))
    return out
