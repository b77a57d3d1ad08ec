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
from typing import NamedTuple

import numpy as np
import pandas as pd

from i18n import fmt_number, fmt_percent
from indicators.calendar import Period, parse_period
from indicators.catalogue import Comparison, parse_comparison
from indicators.fdr import benjamini_hochberg
from indicators.texts import (
    colour_word,
    gap_parts,
    p_phrase,
    quantity,
    reference_phrase,
    same_last_year,
    signal_phrase,
)
from texts import LANGS, t


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


# the verdict words of each tested signal (``ind.verdict.<words>.rise`` / ``.fall``)
_VERDICT_WORDS = {
    "sig_worse": "clear",
    "sig_better": "clear",
    "sig_neutral": "clear_noted",
    "nominal": "possible",
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
    if signal == "untested":
        if not complete and ended:
            words = t("ind.verdict.untested_ended", lang, ended=ended)
        elif not complete:
            words = t("ind.verdict.untested_incomplete", lang)
        else:
            words = t("ind.verdict.untested", lang)
    elif signal in _VERDICT_WORDS:
        words = t(f"ind.verdict.{_VERDICT_WORDS[signal]}.{'rise' if up else 'fall'}", lang)
    else:
        words = t("ind.signal.normal", lang)
    if target_state == "on_target":
        words += "; " + t("ind.target.on", lang)
    elif target_state == "off_target":
        words += "; " + t("ind.target.off", lang)
    return words


class _ReasonRow(NamedTuple):
    """The table columns the reason sentences of one cell read (``stat_reference``: what the
    verdict compares with, see :func:`reference_column`)."""

    name_sv: str
    name_en: str
    unit: str
    value: float
    stat_reference: float
    target: float
    p_test: float
    p_adjusted: float
    test: str | None
    pending: object
    missing: object
    uncovered: object
    previous_gaps: object
    baseline_years: float
    proactive: bool
    on_previous_list: object
    previous_list_year: object
    series_start: object
    series_end: object
    series_break: object


# the table columns the reason sentences read, in the order of _ReasonRow's fields
_REASON_INPUTS = _ReasonRow._fields


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
    lists = dict(lists, p_adjusted=p_adjusted.tolist())
    rows = [_ReasonRow._make(r) for r in zip(*(lists[c] for c in _REASON_INPUTS), strict=True)]
    reasons_sv, reasons_en = _reasons(
        _ReasonWriter(p, stat_cmp, rules), rows, colour.tolist(), kind.tolist(),
        use_target.tolist(), target_state.tolist(), cmp_ is Comparison.TARGET,
    )
    verdicts_sv, verdicts_en = _verdicts(
        signal.tolist(), (change > 0).tolist(), complete.tolist(),
        [None] * len(rows) if cmp_ is Comparison.TARGET else target_state.tolist(),
        [series_ended(e, p, c) for e, c in zip(lists["series_end"], complete.tolist(), strict=True)],
    )
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


def _reasons(
    writer: _ReasonWriter,
    rows: list[_ReasonRow],
    colours: list[str],
    kinds: list[str],
    use_target: list[bool],
    target_states: list[str | None],
    target_mode: bool,
) -> tuple[list[str], list[str]]:
    """The reason sentences of every cell in Swedish and in English: the target's reason where
    the target decides, a tested cell's sentence pair, or the statistical reason of the kind."""
    reasons_sv: list[str] = []
    reasons_en: list[str] = []
    statistical, tested_pair, target = writer.statistical, writer.tested_pair, writer.target
    for i, r in enumerate(rows):
        colr, k = colours[i], kinds[i]
        if use_target[i]:
            reasons_sv.append(target(colr, k, target_states[i], r.name_sv, r, target_mode, "sv"))
            reasons_en.append(target(colr, k, target_states[i], r.name_en, r, target_mode, "en"))
        elif k in _TESTED_KINDS:
            text_sv, text_en = tested_pair(colr, k, r)
            reasons_sv.append(text_sv)
            reasons_en.append(text_en)
        else:
            reasons_sv.append(statistical(colr, k, r.name_sv, r, "sv"))
            reasons_en.append(statistical(colr, k, r.name_en, r, "en"))
    return reasons_sv, reasons_en


def _verdicts(signals: list[str], up: list[bool], complete: list[bool],
              shown_states: list[str | None], ended: list[str | None]) -> tuple[list[str], list[str]]:
    """The verdict words of every cell in Swedish and in English (:func:`verdict_words`)."""
    rows = list(zip(signals, up, complete, shown_states, ended, strict=True))
    return ([verdict_words(s, u, c, st, "sv", e) for s, u, c, st, e in rows],
            [verdict_words(s, u, c, st, "en", e) for s, u, c, st, e in rows])


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
        self._heads: dict[tuple, str] = {}

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

    def statistical(self, colour: str, kind: str, name: str, r: _ReasonRow, lang: str) -> str:
        """The reason of a cell the statistical rule decides that is not tested (incomplete,
        a break, no previous period, no baseline, no variance) — or, for a tested kind, the same
        sentence :meth:`tested_pair` writes."""
        head = colour_word(colour, lang)
        if kind == "incomplete":
            end = r.series_end
            parts = self.gaps(r.pending, r.missing, r.uncovered, lang, r.series_start, end)
            if isinstance(end, str) and end and parts.startswith(t("ind.gap.ended", lang, end=end)):
                return t("ind.why.ended", lang, head=head, parts=parts)
            return t("ind.why.incomplete", lang, head=head, parts=parts)
        qty = self.quantity(r.value, name, r.unit, lang)
        if kind == "break":
            # the field is "month|Swedish note|English note" (the notes in LANGS order)
            month, *notes = (str(r.series_break).split("|", 2) + ["", ""])[:3]
            note = notes[LANGS.index(lang)]
            note = f" ({note})" if note else ""
            return t("ind.why.break", lang, head=head, qty=qty, month=month, note=note)
        if kind == "no_previous":
            return self._no_previous(head, qty, r, lang)
        if kind == "no_baseline":
            k, have = self.rules.min_baseline_years, int(r.baseline_years)
            return t("ind.why.no_baseline", lang, head=head, qty=qty, k=k, have=have)
        ref_text = self.reference(r.stat_reference, r.unit, lang)
        if kind == "no_variance":
            return t("ind.why.no_variance", lang, head=head, qty=qty, ref=ref_text)
        why = "proactive" if r.proactive else "effort"
        signal = signal_phrase(kind, lang, q=r.p_adjusted, why=why)
        return f"{head}: {qty} {ref_text}, {self.p(r.test, r.p_test, lang)}, {signal}."

    def _no_previous(self, head: str, qty: str, r: _ReasonRow, lang: str) -> str:
        prev_gaps = r.previous_gaps
        parts = self.gaps(*prev_gaps, lang, r.series_start, r.series_end) if prev_gaps else ""
        if r.on_previous_list is False:
            note = t("ind.why.not_on_list", lang, list_year=r.previous_list_year)
            parts = f"{note}; {parts}" if parts else note
        same = same_last_year(self.period, lang)
        return t("ind.why.no_previous", lang, head=head, qty=qty, same=same, parts=parts)

    def tested_pair(self, colour: str, kind: str, r: _ReasonRow) -> tuple[str, str]:
        """``(statistical(..., "sv"), statistical(..., "en"))`` of a tested cell (a kind in
        :data:`_TESTED_KINDS`), with the same memo entries, looked up once per row."""
        qty, refs, ps, signals = self._qty, self._ref, self._p, self._signal
        value, ref, unit, test, p, q = r.value, r.stat_reference, r.unit, r.test, r.p_test, r.p_adjusted
        p_key = round(p, 3) if p >= 0.001 else -1.0
        why = "proactive" if r.proactive else "effort"
        out = []
        for lang, name in (("sv", r.name_sv), ("en", r.name_en)):
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
            out.append(f"{self._head(colour, lang)}: {q_text} {r_text}, {p_text}, {signal}.")
        return out[0], out[1]

    def _head(self, colour: str, lang: str) -> str:
        key = (colour, lang)
        head = self._heads.get(key)
        if head is None:
            head = self._heads[key] = colour_word(colour, lang)
        return head

    def target(self, colour: str, kind: str, state: str | None, name: str, r: _ReasonRow,
               target_mode: bool, lang: str) -> str:
        """The reason of a verdict on a target: in the target comparison with the target test,
        otherwise the note that a missed target turned a green cell amber."""
        head = colour_word(colour, lang)
        if kind == "incomplete":
            return t("ind.why.target_incomplete", lang, head=head)
        if kind == "no_target" or state is None:
            return t("ind.why.no_target", lang, head=head, label=self.period.label_for(lang))
        value, target, p, test = r.value, r.target, r.p_test, r.test
        qty = self.quantity(value, name, r.unit, lang)
        if target > 0:
            dev = fmt_percent(100.0 * (value - target) / target, lang, 0)
        else:
            dev = ("+" if value > target else "") + fmt_number(value - target, lang, 0)
        tgt = fmt_number(target, lang, 0 if float(target).is_integer() else 1)
        start = t("ind.why.vs_target", lang, head=head, qty=qty, target=tgt, dev=dev)
        tested = p == p and test is not None
        p_text = f", {self.p(test, p, lang)}" if tested else ""
        if state == "on_target":
            words = t("ind.target.on", lang)
            if target_mode and kind == "significant":
                words += ", " + signal_phrase("significant", lang)
            return f"{start}, {words}{p_text if target_mode else ''}."
        worse = t("ind.target.off", lang)
        if not target_mode:
            return t("ind.why.missed_change_normal", lang, start=start, worse=worse)
        if kind in ("significant", "noteworthy", "nominal"):
            return f"{start}, {worse}{p_text}, {signal_phrase(kind, lang, q=r.p_adjusted, why='effort')}."
        if not tested:
            return t("ind.why.missed_untestable", lang, start=start, worse=worse)
        return t("ind.why.missed_normal", lang, start=start, worse=worse, p=p_text)
