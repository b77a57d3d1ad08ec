"""The wording of RAG reasons, built from the numbers and the ``ind.`` templates of the text
catalogue (:mod:`texts`, one table per language).

Numbers go through :mod:`i18n` (Swedish: decimal comma, thin-space thousands; ``fmt_p`` for
p-values). Shares are percentages 0–100.

>>> quantity(14, "Skjutningar", "count", "sv")
'14 skjutningar'
>>> quantity(1234.0, "Police presence", "hours", "en")
'police presence 1,234 hours'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from i18n import fmt_number, fmt_p
from indicators.calendar import Period, format_month, parse_month
from texts import has, t


def colour_word(colour: str, lang: str) -> str:
    """``'Röd'`` / ``'Red'`` for a RAG colour code (red, amber, green, grey)."""
    return t(f"ind.colour.{colour}", lang)


def reason_text(code: str, lang: str) -> str | None:
    """The wording of a reason code of a value that could not be computed (``no_value``,
    ``no_population``, ``group_too_small`` …), None for a code without one.

    >>> reason_text("no_baseline", "sv"), reason_text("no_such_code", "en")
    ('baslinje saknas', None)
    """
    key = f"ind.reason.{code}"
    return t(key, lang) if has(key) else None


def noun(name: str) -> str:
    """Indicator name as a noun inside a sentence: first letter lower-cased unless an acronym."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


# Memo of formatted values (a table formats the same counts over and over). Keyed by the exact
# float (sign of zero included) and only for plain floats, so it returns what fmt_value computes.
_FORMATTED: dict[tuple, str] = {}


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    """A value in its unit's precision: counts and hours as integers when whole, shares with one
    decimal and a per cent sign, rates with two decimals."""
    if type(value) is float and value == value:
        key = (value, math.copysign(1.0, value), unit, lang)
        text = _FORMATTED.get(key)
        if text is None:
            text = _fmt_value(value, unit, lang)
            if len(_FORMATTED) >= 65536:
                _FORMATTED.clear()
            _FORMATTED[key] = text
        return text
    return _fmt_value(value, unit, lang)


def _fmt_value(value: float | None, unit: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "share":
        return t("fmt.percent", lang, value=fmt_number(value, lang, 1))
    if unit == "rate":
        return fmt_number(value, lang, 2)
    decimals = 0 if float(value).is_integer() else 1
    return fmt_number(value, lang, decimals)


def quantity(value: float | None, name: str, unit: str, lang: str) -> str:
    """``'14 skjutningar'`` for counts, ``'polisnärvaro 1 234 timmar'`` for other units."""
    key = f"ind.quantity.{unit}"
    return t(key if has(key) else "ind.quantity.other", lang, value=fmt_value(value, unit, lang), name=noun(name))


def same_last_year(period: Period, lang: str) -> str:
    """``'samma tertial i fjol'`` / ``'the same tertial last year'``."""
    return t(f"ind.same_last_year.{period.kind.value}", lang)


def reference_phrase(
    period: Period, comparison: str, reference: float | None, unit: str, lang: str, years: int = 3
) -> str:
    """The "mot …" / "vs …" part of a reason."""
    ref = fmt_value(reference, unit, lang)
    if comparison == "baseline":
        if unit == "count" and reference is not None and not float(reference).is_integer():
            ref = fmt_number(reference, lang, 1)
        n = t(f"ind.years.{years}", lang) if has(f"ind.years.{years}") else str(years)
        what = f"ind.baseline_of.{period.kind.value}"  # none for a year: every previous year
        if has(what):
            return t("ind.ref.baseline", lang, ref=ref, what=t(what, lang), n=n)
        return t("ind.ref.baseline_years", lang, ref=ref, n=n)
    return t("ind.ref.previous", lang, ref=ref, same=same_last_year(period, lang))


def months_text(months: Sequence[str]) -> str:
    """Months compressed into ranges: ``('2025-06', '2025-07', '2025-09')`` → ``'2025-06–2025-07, 2025-09'``."""
    if not months:
        return ""
    idx = sorted(parse_month(m) for m in months)
    runs: list[tuple[int, int]] = []
    for i in idx:
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return ", ".join(
        format_month(a) if a == b else f"{format_month(a)}–{format_month(b)}" for a, b in runs
    )


def gap_parts(
    pending: Sequence[str],
    missing: Sequence[str],
    uncovered: Sequence[str],
    lang: str,
    start: str | None = None,
    end: str | None = None,
) -> str:
    """Why months are not usable: not yet reported / no data / before the series starts (``start``)
    / after a series that has ended (``end``: no later data will come, so never "not yet
    reported").

    >>> gap_parts(("2026-05", "2026-06"), (), (), "sv", end="2024-03")
    'serien slutade 2024-03, inga senare uppgifter'
    >>> gap_parts(("2024-02", "2024-03"), (), (), "en", end="2024-03")
    '2024-02–2024-03 not fully registered when the series ended'
    """
    parts = []
    if not isinstance(end, str) or not end:
        end = None
    if pending and end:
        after = [m for m in pending if parse_month(m) > parse_month(end)]
        before = [m for m in pending if parse_month(m) <= parse_month(end)]
        if before:
            parts.append(t("ind.gap.unregistered_at_end", lang, months=months_text(before)))
        if after:
            parts.append(t("ind.gap.ended", lang, end=end))
        pending = ()
    if pending:
        key = "ind.gap.pending.one" if len(pending) == 1 else "ind.gap.pending.other"
        parts.append(t(key, lang, months=months_text(pending)))
    if missing:
        parts.append(t("ind.gap.missing", lang, months=months_text(missing)))
    if uncovered:
        if start:
            parts.append(t("ind.gap.starts", lang, start=start))
        else:
            parts.append(t("ind.gap.before_start", lang, months=months_text(uncovered)))
    return "; ".join(parts)


def p_phrase(test: str, p: float, lang: str) -> str:
    """``'E-test p = 0,004'``, or ``'E-test p < 0,001'`` below 0.001."""
    body = fmt_p(p, lang)
    sign = "" if body.startswith("<") else "= "
    return f"{t(f'ind.test.{test}', lang)} p {sign}{body}"


def signal_phrase(kind: str, lang: str, q: float | None = None, why: str | None = None) -> str:
    """Significance wording: ``significant``, ``noteworthy``, ``nominal`` or ``normal``."""
    if kind == "noteworthy":
        return t("ind.signal.noteworthy.proactive" if why == "proactive" else "ind.signal.noteworthy.effort", lang)
    if kind == "nominal":
        return t("ind.signal.nominal", lang, q=fmt_p(q, lang))
    return t("ind.signal.significant" if kind == "significant" else "ind.signal.normal", lang)
