"""Swedish and English wording for RAG reasons, built from the numbers.

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

from i18n import NBSP, fmt_number, fmt_p
from indicators.calendar import Period, PeriodKind, format_month, parse_month

COLOUR = {
    "sv": {"red": "Röd", "amber": "Gul", "green": "Grön", "grey": "Grå"},
    "en": {"red": "Red", "amber": "Amber", "green": "Green", "grey": "Grey"},
}

# Reason codes of values that could not be computed, in both languages.
REASONS = {
    "no_value": ("värde saknas", "no value"),
    "no_population": ("befolkning okänd", "population unknown"),
    "group_too_small": ("för få områden att jämföra med", "too few areas to compare with"),
    "no_spread": ("ingen spridning i jämförelsegruppen", "no spread in the comparison group"),
    "no_profiles": ("inga DeSO-profiler inlästa", "no DeSO profiles loaded"),
    "no_profile": (
        "områdets DeSO-områden är inte kända, så liknande områden kan inte väljas",
        "the area's DeSOs are not known, so similar areas cannot be chosen",
    ),
    "too_few_profiles": ("för få områden med DeSO-profil", "too few areas with a DeSO profile"),
    "incomplete": ("ofullständig period", "incomplete period"),
    "no_previous": ("samma period i fjol saknas", "the same period last year is missing"),
    "no_baseline": ("baslinje saknas", "no baseline"),
    "no_variance": ("inget test möjligt", "no test possible"),
    "no_target": ("inget mål satt", "no target set"),
    "no_history": ("för kort historik", "history too short"),
    "break": ("serieavbrott", "series break"),
}

# Nouns of the phrase "the same <period> last year" per period kind.
_SAME_LAST_YEAR = {
    PeriodKind.MONTH: ("samma månad i fjol", "the same month last year"),
    PeriodKind.TERTIAL: ("samma tertial i fjol", "the same tertial last year"),
    PeriodKind.YEAR: ("året innan", "the previous year"),
    PeriodKind.R12: ("föregående tolvmånadersperiod", "the previous 12 months"),
    PeriodKind.YTD: ("samma period i fjol", "the same period last year"),
    PeriodKind.WEEK: ("samma vecka i fjol", "the same week last year"),
}
_BASELINE = {
    PeriodKind.MONTH: ("samma månad", "the same month"),
    PeriodKind.TERTIAL: ("samma tertial", "the same tertial"),
    PeriodKind.YEAR: ("", ""),
    PeriodKind.R12: ("motsvarande tolvmånadersperioder", "the corresponding 12-month periods"),
    PeriodKind.YTD: ("samma period", "the same period"),
    PeriodKind.WEEK: ("samma vecka", "the same week"),
}
TEST_NAMES = {
    "etest": ("E-test (Poisson)", "E-test (Poisson)"),
    "nb_etest": ("E-test (negativ binomial)", "E-test (negative binomial)"),
    "poisson_tail": ("svanssannolikhet (Poisson)", "tail probability (Poisson)"),
    "nb_tail": ("svanssannolikhet (negativ binomial)", "tail probability (negative binomial)"),
    "t": ("t-test", "t-test"),
}


def _i(lang: str) -> int:
    return 0 if lang == "sv" else 1


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
        return fmt_number(value, lang, 1) + (f"{NBSP}%" if lang == "sv" else "%")
    if unit == "rate":
        return fmt_number(value, lang, 2)
    decimals = 0 if float(value).is_integer() else 1
    return fmt_number(value, lang, decimals)


def quantity(value: float | None, name: str, unit: str, lang: str) -> str:
    """``'14 skjutningar'`` for counts, ``'polisnärvaro 1 234 timmar'`` for other units."""
    text = fmt_value(value, unit, lang)
    if unit == "count":
        return f"{text} {noun(name)}"
    suffix = _UNIT_SUFFIX.get(unit, ("", ""))[_i(lang)]
    return f"{noun(name)} {text}{suffix}"


_UNIT_SUFFIX = {
    "hours": (f"{NBSP}timmar", " hours"),
    "rate": (f" per 1{NBSP}000 invånare", " per 1,000 inhabitants"),
}


def same_last_year(period: Period, lang: str) -> str:
    """``'samma tertial i fjol'`` / ``'the same tertial last year'``."""
    return _SAME_LAST_YEAR[period.kind][_i(lang)]


def reference_phrase(
    period: Period, comparison: str, reference: float | None, unit: str, lang: str, years: int = 3
) -> str:
    """The "mot …" / "vs …" part of a reason."""
    ref = fmt_value(reference, unit, lang)
    if comparison == "baseline":
        if unit == "count" and reference is not None and not float(reference).is_integer():
            ref = fmt_number(reference, lang, 1)
        what = _BASELINE[period.kind][_i(lang)]
        n = {3: ("tre", "three"), 2: ("två", "two"), 1: ("ett", "one")}.get(
            years, (str(years), str(years))
        )[_i(lang)]
        if lang == "sv":
            tail = f"{what} de {n} föregående åren" if what else f"de {n} föregående åren"
            return f"mot i snitt {ref} {tail}"
        tail = f"in {what} of the previous {n} years" if what else f"in the previous {n} years"
        return f"vs an average of {ref} {tail}"
    return (
        f"mot {ref} {same_last_year(period, lang)}"
        if lang == "sv"
        else f"vs {ref} in {same_last_year(period, lang)}"
    )


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
            parts.append(f"{months_text(before)} ej slutligt registrerade när serien slutade"
                         if lang == "sv" else
                         f"{months_text(before)} not fully registered when the series ended")
        if after:
            parts.append(f"serien slutade {end}, inga senare uppgifter" if lang == "sv"
                         else f"the series ended in {end}, no later data")
        pending = ()
    if pending:
        if lang == "sv":
            parts.append(
                f"{months_text(pending)} ännu inte {'rapporterad' if len(pending) == 1 else 'rapporterade'}"
            )
        else:
            parts.append(f"{months_text(pending)} not yet reported")
    if missing:
        parts.append(
            f"data saknas för {months_text(missing)}"
            if lang == "sv"
            else f"no data for {months_text(missing)}"
        )
    if uncovered:
        if start:
            parts.append(
                f"serien börjar {start}" if lang == "sv" else f"the series starts in {start}"
            )
        else:
            parts.append(
                f"före seriens början: {months_text(uncovered)}"
                if lang == "sv"
                else f"before the series starts: {months_text(uncovered)}"
            )
    return "; ".join(parts)


def p_phrase(test: str, p: float, lang: str) -> str:
    """``'E-test p = 0,004'``, or ``'E-test p < 0,001'`` below 0.001."""
    body = fmt_p(p, lang)
    sign = "" if body.startswith("<") else "= "
    return f"{TEST_NAMES[test][_i(lang)]} p {sign}{body}"


def signal_phrase(kind: str, lang: str, q: float | None = None, why: str | None = None) -> str:
    """Significance wording: ``significant``, ``noteworthy``, ``nominal`` or ``normal``."""
    sv = lang == "sv"
    if kind == "significant":
        return "signifikant efter FDR" if sv else "significant after FDR"
    if kind == "noteworthy":
        if why == "proactive":
            return (
                "signifikant efter FDR – värd att notera, brottstypen ökar med polisens egna insatser"
                if sv
                else "significant after FDR – noteworthy, this offence rises with police effort"
            )
        return (
            "signifikant efter FDR – värd att notera, det är ett insatsmått"
            if sv
            else "significant after FDR – noteworthy, this is an effort measure"
        )
    if kind == "nominal":
        return (
            f"inte signifikant efter FDR (justerat p = {fmt_p(q, lang)})"
            if sv
            else f"not significant after FDR (adjusted p = {fmt_p(q, lang)})"
        )
    return "inom normal variation" if sv else "within normal variation"
