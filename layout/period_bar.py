"""The period bar under the header: what the chosen period holds, in one sentence, and the clear
choice between *senaste perioden* and *senaste med verkliga data*, with the *endast verkliga data*
switch (issue 16: real data first).

Static parts here; the hub (``callbacks/view.py``) fills the sentence and the two buttons' labels.
"""

from __future__ import annotations

from dash import html

from i18n import fmt_number
from ids import Ids
from indicators.calendar import parse_period
from layout.strings import t


def _t(key: str, lang: str, **kw) -> str:
    return t(f"period_bar.{key}", lang, **kw)


def month_words(month: str | None, lang: str) -> str:
    """``'2024-03'`` → ``'mars 2024'`` / ``'March 2024'``."""
    if not month:
        return "?"
    return parse_period(month).label_for(lang)


def preset_label(which: str, period: str | None, lang: str) -> str:
    """``'Senaste med verkliga data: T2 2023'`` (the kind's own default)."""
    from services.periods import short_label

    head = _t(which, lang)
    return f"{head}: {short_label(period, lang)}" if period else head


def period_note(period: str | None, facts: dict | None, latest: str | None, real: str | None,
                real_only: bool, lang: str) -> str:
    """The sentence about what ``period`` holds (``facts``: ``services.periods.coverage_of``).

    >>> facts = {"has_data": False, "real": (), "n_real": 6, "real_last": "2024-03", "span": ("2015-01", "2026-11")}
    >>> period_note("2027-T1", facts, "2026-T2", "2023-T2", False, "sv")
    'Inga data för tertial 1 2027 (jan–apr): uppgifterna i systemet gäller januari 2015 – november 2026.'
    """
    if not period or not facts:
        return ""
    label = parse_period(period).label_for(lang)
    span = facts.get("span") or (None, None)
    if not facts.get("has_data"):
        text = _t("no_data", lang, period=label, first=month_words(span[0], lang), last=month_words(span[1], lang))
    elif facts.get("n_real", 0) == 0:
        return ""
    elif period == real:
        text = _t("is_real", lang, period=label)
    else:
        k, n = len(facts.get("real") or ()), int(facts.get("n_real") or 0)
        if k == 0:
            text = _t("no_real", lang, period=label, real_last=month_words(facts.get("real_last"), lang))
        elif k < n:
            text = _t("some_real", lang, period=label, k=fmt_number(k, lang), n=fmt_number(n, lang))
        else:
            text = _t("all_real", lang, period=label, n=fmt_number(n, lang))
    return text + (_t("hidden", lang) if real_only else "")


def build_period_bar(lang: str) -> html.Div:
    """The bar: the sentence (``period-note``, read out when it changes), the two default periods
    and the real-data switch (toggle buttons with ``aria-pressed``, reachable with Tab)."""
    return html.Div(id=Ids.PERIOD_BAR, className="period-bar", role="group", **{"aria-label": _t("bar", lang)}, children=[
        html.Span(id=Ids.PERIOD_NOTE, className="period-note", role="status", **{"aria-live": "polite"}),
        html.Div(className="period-presets", children=[
            html.Button(_t("latest", lang), id=Ids.PERIOD_LATEST, className="btn preset", n_clicks=0,
                        **{"aria-pressed": "false"}),
            html.Button(_t("real", lang), id=Ids.PERIOD_REAL, className="btn preset", n_clicks=0,
                        **{"aria-pressed": "false"}),
            html.Button(_t("real_only", lang), id=Ids.REAL_ONLY, className="btn toggle switch", n_clicks=0,
                        title=_t("real_only_title", lang), **{"aria-pressed": "false"}),
        ]),
    ])


def real_only_label(lang: str) -> str:
    return _t("real_only", lang)


def real_only_title(lang: str) -> str:
    return _t("real_only_title", lang)

