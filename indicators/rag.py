"""RAG (red/amber/green, grey = not assessable) from two explicit rules, each with a reason.

**Statistical rule** (on the FDR-adjusted p-value of the cell's test, see :mod:`indicators.table`):

=====================================================  ======================================
situation                                              colour
=====================================================  ======================================
no test possible (incomplete period, no history, …)    grey, the reason says why
significant after FDR, effort or proactive indicator   amber ("noteworthy": more police work
                                                       raises these, so a change is neither
                                                       simply good nor bad)
significant after FDR, change in the bad direction     red (``up_is_bad``: a rise;
                                                       ``up_is_good``: a fall)
significant after FDR, change in the good direction    green
raw p < alpha but not after FDR, bad direction         amber (if ``amber_on_raw``)
otherwise                                              green, "within normal variation"
=====================================================  ======================================

**Target rule**: the period's actual against the sum of its monthly targets (mean for shares and
rates). For ``up_is_bad`` a target is a ceiling, otherwise a floor. At or better than the target:
green; worse by at most ``target_tolerance`` (relative): amber; worse by more: red; no target for
every month of the period or an incomplete period: grey.

**Precedence** (``RagRules.precedence``): the *primary* rule is the one the user asked for – the
target rule when the comparison is ``"target"``, the statistical rule otherwise; the other is
*secondary*.

* ``"worst"`` (default): the primary rule decides whether there is a colour at all (primary grey →
  grey, with its reason: the requested comparison cannot be made); otherwise the secondary rule can
  only escalate it (red > amber > green; a grey secondary is ignored; ties keep the primary).
  E.g. "within normal variation" against last year but 16 % under an effort target → red, with the
  target reason.
* ``"primary"``: the primary rule alone.

An incomplete current period makes both rules grey, so it always ends grey.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from i18n import fmt_number, fmt_percent
from indicators.calendar import Period, parse_period
from indicators.catalogue import Comparison, parse_comparison
from indicators.fdr import benjamini_hochberg
from indicators.texts import (
    COLOUR,
    gap_parts,
    p_phrase,
    quantity,
    reference_phrase,
    same_last_year,
    signal_phrase,
    tolerance_text,
)

_SEVERITY = {"grey": 0, "green": 1, "amber": 2, "red": 3}


@dataclass(frozen=True)
class RagRules:
    """Configuration of the two RAG rules.

    Attributes
    ----------
    fdr_alpha : float
        False discovery rate for the statistical rule (Benjamini–Hochberg across the table).
    amber_on_raw : bool
        Amber for a change in the bad direction with raw p < ``fdr_alpha`` that is not significant
        after FDR.
    target_tolerance : float
        Relative shortfall from the target still rated amber (0.10 = 10 %).
    precedence : {"worst", "primary"}
        How the two rules combine (module docstring).
    baseline_years : int
        Years in the seasonal baseline.
    min_baseline_years : int
        Fewest complete baseline years needed (default: all).
    k_peers : int
        Size of the peer group of most similar areas.
    """

    fdr_alpha: float = 0.05
    amber_on_raw: bool = True
    target_tolerance: float = 0.10
    precedence: str = "worst"
    baseline_years: int = 3
    min_baseline_years: int = 3
    k_peers: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.fdr_alpha < 1:
            raise ValueError(f"RagRules.fdr_alpha={self.fdr_alpha}: must be between 0 and 1")
        if self.target_tolerance < 0:
            raise ValueError(f"RagRules.target_tolerance={self.target_tolerance}: must be ≥ 0")
        if self.precedence not in ("worst", "primary"):
            raise ValueError(
                f"RagRules.precedence={self.precedence!r}: expected 'worst' or 'primary'"
            )
        if not 1 <= self.min_baseline_years <= self.baseline_years:
            raise ValueError("RagRules.min_baseline_years must be between 1 and baseline_years")
        if self.k_peers < 1:
            raise ValueError(f"RagRules.k_peers={self.k_peers}: must be ≥ 1")


def adjust(table: pd.DataFrame, p_column: str = "p_test") -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values across every non-NaN p of the table (one family)."""
    return benjamini_hochberg(table[p_column].to_numpy(dtype=float))


def statistical_codes(table: pd.DataFrame, rules: RagRules) -> tuple[np.ndarray, np.ndarray]:
    """Colour and signal kind (``significant``, ``noteworthy``, ``nominal``, ``normal``, or the
    table's status code for grey) per row; needs ``p_adjusted`` in ``table``."""
    return _statistical_codes(
        table["p_test"].to_numpy(dtype=float),
        table["p_adjusted"].to_numpy(dtype=float),
        table["value"].to_numpy(dtype=float),
        table["stat_reference"].to_numpy(dtype=float),
        table["direction"].astype(str).to_numpy(),
        table["proactive"].astype(bool).to_numpy(),
        table["status"].to_numpy(dtype=object),
        rules,
    )


def _statistical_codes(
    p: np.ndarray,
    q: np.ndarray,
    value: np.ndarray,
    reference: np.ndarray,
    direction: np.ndarray,
    proactive: np.ndarray,
    status: np.ndarray,
    rules: RagRules,
) -> tuple[np.ndarray, np.ndarray]:
    change = value - reference
    sign = np.select([direction == "up_is_bad", direction == "up_is_good"], [1, -1], 0)
    neutral = (sign == 0) | proactive
    worse = np.sign(change) * sign > 0
    tested = ~np.isnan(p)
    sig = tested & (q < rules.fdr_alpha)
    nominal = tested & (p < rules.fdr_alpha) & ~sig & worse & ~neutral & rules.amber_on_raw
    colour = np.select(
        [~tested, sig & neutral, sig & worse, sig, nominal],
        ["grey", "amber", "red", "green", "amber"],
        "green",
    )
    kind = np.select(
        [~tested, sig & neutral, sig, nominal],
        [
            np.where(pd.isna(status), "no_variance", status).astype(str),
            "noteworthy",
            "significant",
            "nominal",
        ],
        "normal",
    )
    return colour, kind


def target_codes(table: pd.DataFrame, rules: RagRules) -> tuple[np.ndarray, np.ndarray]:
    """Colour and kind (``on_target``, ``within_tolerance``, ``off_target``, ``no_target``,
    ``incomplete``) of the target rule per row."""
    return _target_codes(
        table["value"].to_numpy(dtype=float),
        table["target"].to_numpy(dtype=float),
        table["complete"].astype(bool).to_numpy(),
        table["direction"].astype(str).to_numpy(),
        rules,
    )


def _target_codes(
    value: np.ndarray,
    target: np.ndarray,
    complete: np.ndarray,
    direction: np.ndarray,
    rules: RagRules,
) -> tuple[np.ndarray, np.ndarray]:
    up_is_bad = direction == "up_is_bad"
    gap = np.where(up_is_bad, value - target, target - value)  # > 0: worse than target
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(target > 0, gap / target, np.where(gap > 0, np.inf, 0.0))
    has = ~np.isnan(target)
    kind = np.select(
        [~complete, ~has, gap <= 0, rel <= rules.target_tolerance],
        ["incomplete", "no_target", "on_target", "within_tolerance"],
        "off_target",
    )
    colour = np.select(
        [
            kind == "incomplete",
            kind == "no_target",
            kind == "on_target",
            kind == "within_tolerance",
        ],
        ["grey", "grey", "green", "amber"],
        "red",
    )
    return colour, kind


def _severity(colour: np.ndarray) -> np.ndarray:
    colour = np.asarray(colour)
    sev = np.zeros(colour.shape, int)
    known = np.zeros(colour.shape, bool)
    for name, level in _SEVERITY.items():
        hit = colour == name
        sev[hit] = level
        known |= hit
    if not known.all():  # as np.vectorize(_SEVERITY.get, otypes=[int]) would
        raise TypeError(f"unknown colour(s): {sorted(set(colour[~known].tolist()))}")
    return sev


def combine(primary: np.ndarray, secondary: np.ndarray, precedence: str = "worst") -> np.ndarray:
    """Boolean mask: True where the secondary rule's colour is taken (see module docstring)."""
    s1, s2 = _severity(primary), _severity(secondary)
    if precedence == "primary":
        return np.zeros(s1.shape, bool)
    return (s1 > 0) & (s2 > s1)


# the table columns the reason sentences read, in the order of _ReasonWriter.statistical's args
_REASON_INPUTS = (
    "name_sv",
    "name_en",
    "unit",
    "value",
    "stat_reference",
    "target",
    "p_test",
    "p_adjusted",
    "test",
    "pending",
    "missing",
    "uncovered",
    "previous_gaps",
    "baseline_years",
    "proactive",
    "on_previous_list",
    "previous_list_year",
    "series_start",
)


def assess(
    table: pd.DataFrame, period: str | Period, comparison: str, rules: RagRules | None = None
) -> pd.DataFrame:
    """Add ``p_adjusted``, ``significant``, ``rag``, ``rule`` and ``reason_sv``/``reason_en``.

    ``table`` is the output of :func:`indicators.table.indicator_table` (any subset of rows:
    the FDR family is exactly the rows given). Returns a new frame.
    """
    rules = rules or RagRules()
    new = _assess_frame(table, parse_period(period), parse_comparison(comparison), rules)
    out = table.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    for col, val in new.items():
        out[col] = val
    return out.drop(columns=["stat_reference"]) if "stat_reference" in out.columns else out


def _assess_frame(
    table: pd.DataFrame, p: Period, cmp_: Comparison, rules: RagRules
) -> dict[str, object]:
    """:func:`_assess_columns` on the columns of a table frame."""
    ref_col = "baseline" if cmp_ is Comparison.BASELINE else "previous"
    lists = {
        c: table[c].tolist() for c in _REASON_INPUTS if c not in ("stat_reference", "p_adjusted")
    }
    lists["stat_reference"] = table[ref_col].tolist()
    return _assess_columns(
        p_test=table["p_test"].to_numpy(dtype=float),
        value=table["value"].to_numpy(dtype=float),
        reference=table[ref_col].to_numpy(dtype=float),
        target=table["target"].to_numpy(dtype=float),
        direction=table["direction"].astype(str).to_numpy(),
        proactive=table["proactive"].astype(bool).to_numpy(),
        status=table["status"].to_numpy(dtype=object),
        complete=table["complete"].astype(bool).to_numpy(),
        lists=lists,
        p=p,
        cmp_=cmp_,
        rules=rules,
    )


def _assess_columns(
    *,
    p_test: np.ndarray,
    value: np.ndarray,
    reference: np.ndarray,
    target: np.ndarray,
    direction: np.ndarray,
    proactive: np.ndarray,
    status: np.ndarray,
    complete: np.ndarray,
    lists: dict[str, list],
    p: Period,
    cmp_: Comparison,
    rules: RagRules,
) -> dict[str, object]:
    """The columns :func:`assess` adds, from plain arrays (``reference``: last year's value, or
    the baseline in the baseline comparison; ``lists``: the columns of :data:`_REASON_INPUTS` as
    lists, as ``DataFrame[col].tolist()`` gives them)."""
    p_adjusted = benjamini_hochberg(p_test)
    significant = np.where(np.isnan(p_adjusted), None, p_adjusted < rules.fdr_alpha)
    s_col, s_kind = _statistical_codes(
        p_test, p_adjusted, value, reference, direction, proactive, status, rules
    )
    t_col, t_kind = _target_codes(value, target, complete, direction, rules)
    if cmp_ is Comparison.TARGET:
        take_second = combine(t_col, s_col, rules.precedence)
        colour = np.where(take_second, s_col, t_col)
        use_target = ~take_second
    else:
        take_second = combine(s_col, t_col, rules.precedence)
        colour = np.where(take_second, t_col, s_col)
        use_target = take_second
    stat_cmp = "baseline" if cmp_ is Comparison.BASELINE else "prev_year"
    writer = _ReasonWriter(p, stat_cmp, rules)
    lists = dict(lists, p_adjusted=p_adjusted.tolist())
    cols = [lists[c] for c in _REASON_INPUTS]
    reasons_sv: list[str] = []
    reasons_en: list[str] = []
    t_kind_l, s_kind_l, use_target_l = t_kind.tolist(), s_kind.tolist(), use_target.tolist()
    target_text, statistical_text = writer.target, writer.statistical
    tested_pair = writer.tested_pair
    for row, (colr, args) in enumerate(zip(colour.tolist(), zip(*cols, strict=True), strict=True)):
        nsv, nen, unit, val, ref, tgt, pv, qv, tst, *rest = args
        if use_target_l[row]:
            kind = t_kind_l[row]
            reasons_sv.append(target_text(colr, kind, nsv, unit, val, tgt, "sv"))
            reasons_en.append(target_text(colr, kind, nen, unit, val, tgt, "en"))
        else:
            kind = s_kind_l[row]
            if kind in _TESTED_KINDS:
                text_sv, text_en = tested_pair(
                    colr, kind, nsv, nen, unit, val, ref, pv, qv, tst, rest[5]
                )
                reasons_sv.append(text_sv)
                reasons_en.append(text_en)
            else:
                reasons_sv.append(
                    statistical_text(colr, kind, nsv, unit, val, ref, pv, qv, tst, *rest, "sv")
                )
                reasons_en.append(
                    statistical_text(colr, kind, nen, unit, val, ref, pv, qv, tst, *rest, "en")
                )
    return {
        "p_adjusted": p_adjusted,
        "significant": significant,
        "rag": colour,
        "rag_statistical": s_col,
        "rag_target": t_col,
        "rule": np.where(use_target, "target", "statistical"),
        "reason_sv": reasons_sv,
        "reason_en": reasons_en,
    }


# --------------------------------------------------------------------------- sentences
# statistical kinds of a tested cell: "<colour>: <quantity> <reference>, <test p>, <signal>."
_TESTED_KINDS = frozenset(("significant", "noteworthy", "nominal", "normal"))


class _ReasonWriter:
    """Builds reason sentences; memoises formatted numbers per call of :func:`assess` only."""

    def __init__(self, period: Period, comparison: str, rules: RagRules) -> None:
        self.period = period
        self.comparison = comparison
        self.rules = rules
        self._qty: dict[tuple, str] = {}
        self._ref: dict[tuple, str] = {}
        self._p: dict[tuple, str] = {}
        self._gaps: dict[tuple, str] = {}
        self._signal: dict[tuple, str] = {}

    def gaps(self, pending, missing, uncovered, lang: str, start) -> str:
        key = (pending, missing, uncovered, lang, start)
        try:
            return self._gaps[key]
        except KeyError:
            text = self._gaps[key] = gap_parts(pending, missing, uncovered, lang, start)
            return text
        except TypeError:  # unhashable month lists
            return gap_parts(pending, missing, uncovered, lang, start)

    def quantity(self, value: float, name: str, unit: str, lang: str) -> str:
        key = (value, name, unit, lang)
        if key not in self._qty:
            self._qty[key] = quantity(value, name, unit, lang)
        return self._qty[key]

    def reference(self, ref: float, unit: str, lang: str) -> str:
        key = (ref, unit, lang)
        if key not in self._ref:
            years = self.rules.baseline_years if self.comparison == "baseline" else 1
            self._ref[key] = reference_phrase(self.period, self.comparison, ref, unit, lang, years)
        return self._ref[key]

    def p(self, test: str, p: float, lang: str) -> str:
        key = (test, round(p, 3) if p >= 0.001 else -1.0, lang)
        if key not in self._p:
            self._p[key] = p_phrase(test, p, lang)
        return self._p[key]

    def statistical(
        self,
        colour,
        kind,
        name,
        unit,
        value,
        ref,
        p,
        q,
        test,
        pending,
        missing,
        uncovered,
        prev_gaps,
        n_base,
        proactive,
        on_list,
        list_year,
        start,
        lang,
    ) -> str:
        head = COLOUR[lang][colour]
        sv = lang == "sv"
        if kind == "incomplete":
            parts = self.gaps(pending, missing, uncovered, lang, start)
            return (
                f"{head}: ofullständig period ({parts}), ingen bedömning."
                if sv
                else f"{head}: incomplete period ({parts}), not assessed."
            )
        qty = self.quantity(value, name, unit, lang)
        if kind == "no_previous":
            parts = self.gaps(*prev_gaps, lang, start) if prev_gaps else ""
            if on_list is False:
                note = (
                    f"området fanns inte på {list_year} års lista"
                    if sv
                    else f"the area was not on the {list_year} list"
                )
                parts = f"{note}; {parts}" if parts else note
            same = same_last_year(self.period, lang)
            return (
                f"{head}: {qty}, men {same} saknas ({parts}), ingen jämförelse."
                if sv
                else f"{head}: {qty}, but {same} is missing ({parts}); no comparison."
            )
        if kind == "no_baseline":
            k, have = self.rules.min_baseline_years, int(n_base)
            return (
                f"{head}: {qty}, men baslinje saknas (kräver {k} hela år av samma månader, {have} finns)."
                if sv
                else f"{head}: {qty}, but no baseline (needs {k} complete years of the same months, {have} available)."
            )
        ref_text = self.reference(ref, unit, lang)
        if kind == "no_variance":
            return (
                f"{head}: {qty} {ref_text}, men inget signifikanstest (kräver minst två baslinjeår som varierar)."
                if sv
                else f"{head}: {qty} {ref_text}, but no significance test (needs at least two baseline years that vary)."
            )
        signal = signal_phrase(kind, lang, q=q, why="proactive" if proactive else "effort")
        return f"{head}: {qty} {ref_text}, {self.p(test, p, lang)}, {signal}."

    def tested_pair(
        self, colour, kind, nsv, nen, unit, value, ref, p, q, test, proactive
    ) -> tuple[str, str]:
        """``(statistical(..., "sv"), statistical(..., "en"))`` of a tested cell (a kind in
        :data:`_TESTED_KINDS`), with the same memo entries, looked up once per row."""
        qty, refs, ps, signals = self._qty, self._ref, self._p, self._signal
        p_key = round(p, 3) if p >= 0.001 else -1.0
        why = "proactive" if proactive else "effort"
        out = []
        for lang, name in (("sv", nsv), ("en", nen)):
            key = (value, name, unit, lang)
            q_text = qty.get(key)
            if q_text is None:
                q_text = qty[key] = quantity(value, name, unit, lang)
            key = (ref, unit, lang)
            r_text = refs.get(key)
            if r_text is None:
                r_text = self.reference(ref, unit, lang)
            key = (test, p_key, lang)
            p_text = ps.get(key)
            if p_text is None:
                p_text = ps[key] = p_phrase(test, p, lang)
            if kind == "nominal":  # the only wording that depends on q
                signal = signal_phrase(kind, lang, q=q, why=why)
            else:
                key = (kind, lang, why)
                signal = signals.get(key)
                if signal is None:
                    signal = signals[key] = signal_phrase(kind, lang, q=q, why=why)
            out.append(f"{COLOUR[lang][colour]}: {q_text} {r_text}, {p_text}, {signal}.")
        return out[0], out[1]

    def target(self, colour, kind, name, unit, value, target, lang) -> str:
        head = COLOUR[lang][colour]
        sv = lang == "sv"
        if kind == "incomplete":
            return (
                f"{head}: ofullständig period, målet kan inte bedömas."
                if sv
                else f"{head}: incomplete period, the target cannot be assessed."
            )
        if kind == "no_target":
            label = self.period.label_for(lang)
            return (
                f"{head}: inget mål satt för hela {label}."
                if sv
                else f"{head}: no target set for all of {label}."
            )
        qty = self.quantity(value, name, unit, lang)
        if target > 0:
            dev = fmt_percent(100.0 * (value - target) / target, lang, 0)
        else:
            dev = ("+" if value > target else "") + fmt_number(value - target, lang, 0)
        tgt = fmt_number(target, lang, 0 if float(target).is_integer() else 1)
        tol = tolerance_text(self.rules.target_tolerance, lang)
        verdict = {
            "on_target": ("på eller bättre än målet", "on or better than target"),
            "within_tolerance": (
                f"sämre än målet men inom toleransen {tol}",
                f"worse than target but within the {tol} tolerance",
            ),
            "off_target": (
                f"sämre än målet och utanför toleransen {tol}",
                f"worse than target and outside the {tol} tolerance",
            ),
        }[kind][0 if sv else 1]
        return (
            f"{head}: {qty} mot målet {tgt} ({dev}), {verdict}."
            if sv
            else f"{head}: {qty} vs the target {tgt} ({dev}), {verdict}."
        )
