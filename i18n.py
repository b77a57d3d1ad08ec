"""Language and number formatting shared by every layer (Swedish first, English on toggle).

>>> fmt_number(1234.5, "sv", 1)
'1\u00a0234,5'
>>> fmt_number(1234.5, "en", 1)
'1,234.5'
>>> fmt_p(0.00412, "sv")
'0,004'
"""

from __future__ import annotations

import math

from texts import t

LANGS = ("sv", "en")
NBSP = "\u00a0"


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise ``ValueError``."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: expected one of {LANGS}")
    return lang


def half_up(value: float, decimals: int = 0) -> float:
    """``value`` rounded half away from zero at ``decimals``, after rounding to 6 decimals.

    Every view formats through this, so a number rounded once for the JSON (``156.5``) and the
    same number at full precision (``156.52``) print the same (``157``), never ``156`` in one
    view and ``157`` in another (Python's own rounding is half-to-even on binary floats).

    >>> half_up(156.5), half_up(156.52), half_up(0.0105, 3), half_up(-2.5)
    (157.0, 157.0, 0.011, -3.0)
    """
    v = float(value)
    if not math.isfinite(v):
        return v
    v = round(v, 6)
    scale = 10.0**decimals
    return math.copysign(math.floor(abs(v) * scale + 0.5 + 1e-9) / scale, v)


def fmt_number(value: float | int | None, lang: str = "sv", decimals: int = 0) -> str:
    """Format a number the Swedish way (space thousands, decimal comma) or the English way.

    ``None``/NaN gives an en dash. Rounds half away from zero (:func:`half_up`).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) or not isinstance(value, int):
        value = half_up(value, decimals)
    text = f"{value:,.{decimals}f}"
    check_lang(lang)
    sep = {",": t("fmt.thousands", lang), ".": t("fmt.decimal", lang), "-": t("fmt.minus", lang)}
    return "".join(sep.get(ch, ch) for ch in text)


def fmt_percent(value: float | None, lang: str = "sv", decimals: int = 0, signed: bool = True) -> str:
    """Format a fraction-free percentage value (``12.5`` → ``'+12,5 %'``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    body = fmt_number(abs(value), lang, decimals)
    sign = ("+" if value > 0 else ("−" if value < 0 else "±")) if signed else ("−" if value < 0 else "")
    return t("fmt.percent", lang, value=f"{sign}{body}")


def fmt_p(p: float | None, lang: str = "sv") -> str:
    """Format a p-value: three decimals, ``< 0,001`` below that (from 4 significant digits, as the
    JSON carries it, so full precision and the JSON print the same)."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    p = float(f"{float(p):.4g}")
    if p < 0.001:
        return f"<{NBSP}" + fmt_number(0.001, lang, 3)
    return fmt_number(p, lang, 3)
