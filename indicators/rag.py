"""RAG (red/amber/green, grey = not assessable): one rule set, each colour with its reason.

The rules are written once, here, and in ``METHODS.md`` (linked from every verdict on the page):

=========================================================  =====================================
situation                                                  colour
=========================================================  =====================================
no test possible (incomplete period, no history, a break   grey, the reason says why
in the series, …)
significant after FDR, effort or proactive indicator       amber ("worth noting": more police
                                                           work raises these, so a change is
                                                           neither simply good nor bad)
significant after FDR, change in the bad direction         red (``up_is_bad``: a rise;
                                                           ``up_is_good``: a fall)
significant after FDR, change in the good direction        green
raw p < alpha but not after FDR, bad direction             amber (if ``amber_on_raw``)
otherwise                                                  green, "within normal variation"
=========================================================  =====================================

* The test is the one of the comparison the user chose (:mod:`indicators.table`): the previous
  year or the seasonal baseline with the negative binomial E-test, or the **target** with the
  tail probability of a count at least as bad when the target is the mean. In the target
  comparison, "bad direction" means worse than the target: a missed target is red only when the
  miss is significant after FDR, and amber ("sämre än målet men inom normal variation") otherwise.
* In the other comparisons a missed target can only turn a green cell amber (with the target's
  reason); it never makes a cell red.
* Red and green need a test that is significant after FDR, so nothing is red on a handful of events
  unless the test says so.
* The arrow (``arrow``) shows the direction of the change (▲ rise, ▼ fall, = none); the colour and
  the words show whether that is good or bad.

``signal`` names the statistical outcome once for every view: ``sig_worse``, ``sig_better``,
``sig_neutral``, ``nominal``, ``normal`` or ``untested``; ``verdict_sv``/``verdict_en`` are its
plain words ("säker ökning", "inom normal variation" …).
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
)


@dataclass(frozen=True)
class RagRules:
    """Configuration of the RAG rules.

    Attributes
    ----------
    fdr_alpha : float
        False discovery rate (Benjamini–Hochberg across the FDR family: every area × indicator of
        the list for the period and comparison).
    amber_on_raw : bool
        Amber for a change in the bad direction with raw p < ``fdr_alpha`` that is not significant
        after FDR.
    baseline_years : int
        Years in the seasonal baseline.
    min_baseline_years : int
        Fewest complete baseline years needed (default: all).
    k_peers : int
        Size of the peer group of most similar areas.
    """

    fdr_alpha: float = 0.05
    amber_on_raw: bool = True
    baseline_years: int = 3
    min_baseline_years: int = 3
    k_peers: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.fdr_alpha < 1:
            raise ValueError(f"RagRules.fdr_alpha={self.fdr_alpha}: must be between 0 and 1")
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


def off_target(value: np.ndarray, target: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """True where the value is worse than its target: above a ceiling (``up_is_bad``), below a
    floor (``up_is_good`` and effort measures). False where either is missing."""
    up_is_bad = np.asarray(direction).astype(str) == "up_is_bad"
    with np.errstate(invalid="ignore"):
        gap = np.where(up_is_bad, value - target, target - value)
    return np.nan_to_num(gap, nan=0.0) > 0


def signal_codes(
    kind: np.ndarray, value: np.ndarray, reference: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """The statistical outcome in one word per cell (``sig_worse`` … ``untested``)."""
    sign = np.select([direction == "up_is_bad", direction == "up_is_good"], [1, -1], 0)
    with np.errstate(invalid="ignore"):
        worse = np.sign(value - reference) * sign > 0
    return np.select(
        [kind == "significant", kind == "noteworthy", kind == "nominal", kind == "normal"],
        [np.where(worse, "sig_worse", "sig_better"), "sig_neutral", "nominal", "normal"],
        "untested",
    )


def arrows(change: np.ndarray) -> np.ndarray:
    """▲ for a rise, ▼ for a fall, = for no change, '' where unknown."""
    c = np.asarray(change, dtype=float)
    return np.select([c > 0, c < 0, c == 0], ["▲", "▼", "="], "")


_VERDICT_WORDS = {
    # signal: ((rise sv, fall sv), (rise en, fall en))
    "sig_worse": (("säker ökning", "säker minskning"), ("clear increase", "clear decrease")),
    "sig_better": (("säker ökning", "säker minskning"), ("clear increase", "clear decrease")),
    "sig_neutral": (
        ("säker ökning – värd att notera", "säker minskning – värd att notera"),
        ("clear increase – worth noting", "clear decrease – worth noting"),
    ),
    "nominal": (
        ("möjlig ökning, inte säker", "möjlig minskning, inte säker"),
        ("possible increase, not certain", "possible decrease, not certain"),
    ),
}


def verdict_words(signal: str, up: bool, complete: bool, target_state: str | None, lang: str,
                  ended: str | None = None) -> str:
    """Plain words of a verdict (the card, the lägesbild and the kommun's PDF say these).
    ``ended``: the last month of a series that ended before the period did.

    >>> verdict_words("sig_worse", True, True, None, "sv")
    'säker ökning'
    >>> verdict_words("normal", False, True, "off_target", "en")
    'within normal variation; worse than target'
    >>> verdict_words("untested", False, False, None, "sv", ended="2024-03")
    'ingen bedömning – serien slutade 2024-03'
    """
    sv = lang == "sv"
    if signal == "untested":
        if not complete and ended:
            words = f"ingen bedömning – serien slutade {ended}" if sv else f"not assessed – the series ended in {ended}"
        elif not complete:
            words = "ingen bedömning (ofullständig period)" if sv else "not assessed (incomplete period)"
        else:
            words = "ingen bedömning" if sv else "not assessed"
    elif signal in _VERDICT_WORDS:
        words = _VERDICT_WORDS[signal][0 if sv else 1][0 if up else 1]
    else:
        words = "inom normal variation" if sv else "within normal variation"
    if target_state == "on_target":
        words += "; på eller bättre än målet" if sv else "; on or better than target"
    elif target_state == "off_target":
        words += "; sämre än målet" if sv else "; worse than target"
    return words


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
    "series_end",
    "series_break",
)


def series_ended(series_end, p: Period, complete: bool) -> str | None:
    """The last month of a series that ended before period ``p`` did (an incomplete period only),
    else None: the verdict then says so instead of "incomplete period"."""
    if complete or not isinstance(series_end, str) or not series_end:
        return None
    return series_end if p.last > series_end else None


def reference_column(cmp_: Comparison) -> str:
    """The column a verdict compares the value with: ``previous``, ``baseline`` or ``target``."""
    return {Comparison.BASELINE: "baseline", Comparison.TARGET: "target"}.get(cmp_, "previous")


def assess(
    table: pd.DataFrame, period: str | Period, comparison: str, rules: RagRules | None = None
) -> pd.DataFrame:
    """Add ``p_adjusted``, ``significant``, ``rag``, ``rule``, ``signal``, ``arrow``,
    ``verdict_sv``/``verdict_en`` and ``reason_sv``/``reason_en``.

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
    ref_col = reference_column(cmp_)
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
    """The columns :func:`assess` adds, from plain arrays (``reference``: what the verdict
    compares with – last year's value, the baseline or the target, see :func:`reference_column`;
    ``lists``: the columns of :data:`_REASON_INPUTS` as lists, as ``DataFrame[col].tolist()``
    gives them)."""
    p_adjusted = benjamini_hochberg(p_test)
    significant = np.where(np.isnan(p_adjusted), None, p_adjusted < rules.fdr_alpha)
    colour, kind = _statistical_codes(
        p_test, p_adjusted, value, reference, direction, proactive, status, rules
    )
    has_target = complete & ~np.isnan(target) & ~np.isnan(value)
    missed = has_target & off_target(value, target, direction)
    target_state = np.where(has_target, np.where(missed, "off_target", "on_target"), None)
    if cmp_ is Comparison.TARGET:
        # the statistical rule *is* the target rule here; a miss the test cannot call
        # significant (or cannot test at all: a target of 0) is amber, a target met is green
        untestable = (kind == "no_variance") & has_target
        kind = np.where(untestable, "normal", kind)
        colour = np.where(untestable, "green", colour)
        colour = np.where((kind == "normal") & missed, "amber", colour)
        use_target = has_target | np.isin(kind, ["no_target"])
    else:
        use_target = (colour == "green") & missed  # a missed target: at most amber
        colour = np.where(use_target, "amber", colour)
    signal = signal_codes(kind, value, reference, direction)
    with np.errstate(invalid="ignore"):
        change = np.where(complete, value - reference, np.nan)  # no direction for a partial period
    stat_cmp = {Comparison.BASELINE: "baseline", Comparison.TARGET: "target"}.get(cmp_, "prev_year")
    writer = _ReasonWriter(p, stat_cmp, rules)
    lists = dict(lists, p_adjusted=p_adjusted.tolist())
    cols = [lists[c] for c in _REASON_INPUTS]
    reasons_sv: list[str] = []
    reasons_en: list[str] = []
    verdicts_sv: list[str] = []
    verdicts_en: list[str] = []
    kind_l, use_target_l, state_l = kind.tolist(), use_target.tolist(), target_state.tolist()
    signal_l, up_l, complete_l = signal.tolist(), (change > 0).tolist(), complete.tolist()
    target_mode = cmp_ is Comparison.TARGET
    ended_l = [series_ended(e, p, c) for e, c in zip(lists["series_end"], complete_l, strict=True)]
    statistical_text, tested_pair = writer.statistical, writer.tested_pair
    for row, (colr, args) in enumerate(zip(colour.tolist(), zip(*cols, strict=True), strict=True)):
        nsv, nen, unit, val, ref, tgt, pv, qv, tst, *rest = args
        k = kind_l[row]
        if use_target_l[row]:
            for lang, name, out in (("sv", nsv, reasons_sv), ("en", nen, reasons_en)):
                out.append(writer.target(colr, k, state_l[row], name, unit, val, tgt, pv, qv, tst,
                                         target_mode, lang))
        elif k in _TESTED_KINDS:
            text_sv, text_en = tested_pair(colr, k, nsv, nen, unit, val, ref, pv, qv, tst, rest[5])
            reasons_sv.append(text_sv)
            reasons_en.append(text_en)
        else:
            reasons_sv.append(statistical_text(colr, k, nsv, unit, val, ref, pv, qv, tst, *rest, "sv"))
            reasons_en.append(statistical_text(colr, k, nen, unit, val, ref, pv, qv, tst, *rest, "en"))
        shown_state = None if target_mode else state_l[row]
        ended = ended_l[row]
        verdicts_sv.append(verdict_words(signal_l[row], up_l[row], complete_l[row], shown_state, "sv", ended))
        verdicts_en.append(verdict_words(signal_l[row], up_l[row], complete_l[row], shown_state, "en", ended))
    return {
        "p_adjusted": p_adjusted,
        "significant": significant,
        "rag": colour,
        "rule": np.where(use_target, "target", "statistical"),
        "signal": signal,
        "arrow": arrows(change),
        "target_state": target_state,
        "verdict_sv": verdicts_sv,
        "verdict_en": verdicts_en,
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

    def gaps(self, pending, missing, uncovered, lang: str, start, end=None) -> str:
        key = (pending, missing, uncovered, lang, start, end)
        try:
            return self._gaps[key]
        except KeyError:
            text = self._gaps[key] = gap_parts(pending, missing, uncovered, lang, start, end)
            return text
        except TypeError:  # unhashable month lists
            return gap_parts(pending, missing, uncovered, lang, start, end)

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
        end,
        brk,
        lang,
    ) -> str:
        head = COLOUR[lang][colour]
        sv = lang == "sv"
        if kind == "incomplete":
            parts = self.gaps(pending, missing, uncovered, lang, start, end)
            if parts.startswith(("serien slutade", "the series ended")):
                return (f"{head}: {parts} – ingen bedömning." if sv
                        else f"{head}: {parts} – not assessed.")
            return (
                f"{head}: ofullständig period ({parts}), ingen bedömning."
                if sv
                else f"{head}: incomplete period ({parts}), not assessed."
            )
        qty = self.quantity(value, name, unit, lang)
        if kind == "break":
            month, note_sv, note_en = (str(brk).split("|", 2) + ["", ""])[:3]
            note = note_sv if sv else note_en
            note = f" ({note})" if note else ""
            return (
                f"{head}: {qty}, men serieavbrott {month}{note}; ingen jämförelse över avbrottet."
                if sv
                else f"{head}: {qty}, but a series break in {month}{note}; no comparison across it."
            )
        if kind == "no_previous":
            parts = self.gaps(*prev_gaps, lang, start, end) if prev_gaps else ""
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

    def target(self, colour, kind, state, name, unit, value, target, p, q, test, target_mode,
               lang) -> str:
        """The reason of a verdict on a target: in the target comparison with the target test,
        otherwise the note that a missed target turned a green cell amber."""
        head = COLOUR[lang][colour]
        sv = lang == "sv"
        if kind == "incomplete":
            return (
                f"{head}: ofullständig period, målet kan inte bedömas."
                if sv
                else f"{head}: incomplete period, the target cannot be assessed."
            )
        if kind == "no_target" or state is None:
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
        start = (f"{head}: {qty} mot målet {tgt} ({dev})" if sv
                 else f"{head}: {qty} vs the target {tgt} ({dev})")
        tested = p == p and test is not None
        p_text = f", {self.p(test, p, lang)}" if tested else ""
        if state == "on_target":
            words = "på eller bättre än målet" if sv else "on or better than target"
            if target_mode and kind == "significant":
                words += ", " + signal_phrase("significant", lang)
            return f"{start}, {words}{p_text if target_mode else ''}."
        worse = "sämre än målet" if sv else "worse than target"
        if not target_mode:
            return (f"{start}, {worse}; förändringen är inom normal variation." if sv
                    else f"{start}, {worse}; the change is within normal variation.")
        if kind in ("significant", "noteworthy", "nominal"):
            return f"{start}, {worse}{p_text}, {signal_phrase(kind, lang, q=q, why='effort')}."
        if not tested:
            return (f"{start}, {worse} (ingen statistisk prövning möjlig mot detta mål)." if sv
                    else f"{start}, {worse} (no statistical test possible against this target).")
        return (f"{start}, {worse} men inom normal variation{p_text}." if sv
                else f"{start}, {worse} but within normal variation{p_text}.")
