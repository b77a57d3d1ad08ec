"""The report's final wording pass: plain words for the kommun reader, grammatical place names.

:func:`report_facts` is :func:`reports.facts.build_facts` followed by this pass, which rewrites a
few kinds of sentence from the same inputs (the same numbers, the same suppression):

* both tiers: the nearness checks ("Inom 200 m från 4 krogar …", never "från 4 krog"), with the
  p-value written ``p = 0,009`` or ``p < 0,001`` in the police tier (never ``p = < 0,001``);
* the kommun tier: no statistical notation in the body. The verdict object's own words ("säker
  ökning", "inom normal variation") stay; hotspots, nearness checks, the indicators to watch and
  the "säker ökning" caveat are said in plain Swedish and end with a footnote mark (¹) that points
  to :func:`method_footnote`, where the method is named.

Which numbers are shown is not decided here: every number comes from
:class:`reports.numberview.Numbers` (the kommun tier's "<5" suppression) or is a count of map
cells the kommun tier already sees.
"""

from __future__ import annotations

import math
import re

from i18n import fmt_number, fmt_percent
from indicators.texts import noun
from reports.facts import FDR_ALPHA, HOT, Fact, build_facts, p_is
from reports.model import THRESHOLD, ReportData
from reports.numberview import Numbers
from reports.suppression import suppress
from reports.texts import L
from texts import t

#: the footnote mark of a plain sentence whose method the footnote names
MARK = "¹"

#: the kinds of place a sentence names (catalogue keys ``rep.places.<kind>.one``/``.other``); an
#: unknown kind reads "4 platser av typen <kind>"
PLACE_KINDS = ("krog", "tunnelbana", "skola", "station", "butik")


def places(kind: str, n: int, lang: str) -> str:
    """``'4 krogar'``, ``'1 krog'``, ``'2 tunnelbaneuppgångar'``; an unknown kind
    ``'3 platser av typen kiosk'``.

    >>> places("krog", 4, "sv"), places("krog", 1, "sv"), places("tunnelbana", 2, "en")
    ('4 krogar', '1 krog', '2 metro exits')
    >>> places("kiosk", 3, "sv")
    '3 platser av typen kiosk'
    """
    num = fmt_number(n, lang)
    form = "one" if n == 1 else "other"
    known = str(kind).strip().lower()
    if known not in PLACE_KINDS:
        return t(f"rep.places.unknown.{form}", lang, n=num, kind=kind)
    return t(f"rep.places.{known}.{form}", lang, n=num)


# --------------------------------------------------------------------------- sentences
def poi_sentence(test: dict, data: ReportData, plain: bool) -> str:
    """One nearness check in words, with the kommun tier's suppression of its three counts."""
    lang = data.lang
    dist = fmt_number(test.get("distance_m"), lang)
    where = places(test.get("kind", ""), int(test.get("n_places") or 0), lang)
    inside, outside, total = test.get("events_inside"), test.get("events_outside"), test.get("events_total")
    if data.kommun:  # inside + outside = total, suppressed together (as reports.facts does)
        s = suppress({"in": inside, "out": outside, "tot": total}, [{"tot": 1, "in": -1, "out": -1}],
                     threshold=THRESHOLD)
        fin, ftot = s.display("in", fmt_number(inside, lang)), s.display("tot", fmt_number(total, lang))
        ratio_shown = s.shown("in") and s.shown("out")
    else:
        fin, ftot, ratio_shown = fmt_number(inside, lang), fmt_number(total, lang), True
    share = fmt_percent(100 * (test.get("area_share") or 0), lang, 0, signed=False)
    head = t("rep.plain.poi_head", lang, dist=dist, where=where, inside=fin, total=ftot, share=share)
    ratio = test.get("rate_ratio")
    if not ratio_shown or ratio is None:
        return head + "."
    if not outside or not math.isfinite(ratio):  # every event near the places: no ratio to give
        dense = t("rep.plain.none_elsewhere", lang)
    else:
        r = fmt_number(ratio, lang, 1)
        word = t("rep.plain.denser" if ratio >= 1 else "rep.plain.as_dense", lang)
        dense = f"{r} {word} {t('rep.rest_of_area', lang)}"
    p = test.get("p_value")
    if p is not None and not math.isfinite(p):
        p = None
    if not plain:
        return f"{head}: {dense}" + ("" if p is None else f", {p_is(p, lang)}") + "."
    if p is None:
        return f"{head}: {dense}."
    words = t("rep.plain.clear_difference" if p < FDR_ALPHA else "rep.plain.maybe_chance", lang)
    return f"{head}: {dense} – {words}{MARK}."


def _hot_counts(data: ReportData) -> tuple[int, int, int]:
    """(hot cells now, of them new, of them persistent) — the classes the map draws."""
    now = {f["properties"]["cell"] for f in (data.hotspots or {}).get("features", [])
           if f["properties"].get("class") in HOT}
    prev = {f["properties"]["cell"] for f in (data.hotspots_previous or {}).get("features", [])
            if f["properties"].get("class") in HOT}
    return len(now), len(now - prev), len(now & prev)


def _cells(n: int, lang: str) -> str:
    return t(f"rep.plain.cells.{'one' if n == 1 else 'other'}", lang, n=fmt_number(n, lang))


def _plain_hotspots(fact: Fact, data: ReportData) -> str:
    lang = data.lang
    n, new, persistent = _hot_counts(data)
    if fact.kind == "hotspots_none":
        if fact.text == L("no_hotspot_data", lang):
            return fact.text
        return t("rep.plain.hotspots_none", lang, mark=MARK)
    if fact.kind == "hotspots_now":
        prev = ""
        if data.hotspots_previous is not None:
            prev = t("rep.plain.hot_compared", lang, new=fmt_number(new, lang),
                     persistent=fmt_number(persistent, lang))
        return t(f"rep.plain.hotspots_now.{'one' if n == 1 else 'other'}", lang,
                 cells=_cells(n, lang).capitalize(), compared=prev, mark=MARK)
    # hotspots_follow (the kommun tier's point for action)
    return t("rep.plain.hotspots_follow", lang, n=fmt_number(n, lang))


_NOMINAL_TAIL = re.compile(r" – (ojusterat|unadjusted) p .*?, (bevaka|watch)")


def _plain(fact: Fact, data: ReportData, by_id: dict[str, dict]) -> str:
    """The kommun tier's words for one fact (unchanged when already plain)."""
    lang = data.lang
    kind = fact.kind
    if kind in ("hotspots_none", "hotspots_now", "hotspots_follow"):
        return _plain_hotspots(fact, data)
    if kind == "none" and fact.section in ("framsteg", "problem"):
        return t(f"rep.plain.empty.{fact.section}", lang)
    if kind.startswith("rag_"):
        return _NOMINAL_TAIL.sub(t("rep.plain.nominal_tail", lang), fact.text)
    if kind == "watch":
        ind = by_id.get(fact.refs[0][0]) if fact.refs else None
        name = noun(ind["name"]) if ind else ""
        syn = t("rep.synthetic_note", lang) if ind and ind.get("synthetic") else ""
        return t("rep.plain.watch", lang, name=name, mark=MARK, syn=syn)
    if kind == "fdr":
        return t("rep.plain.fdr", lang, mark=MARK)
    return fact.text


def method_footnote(data: ReportData, pointer: bool = True) -> str:
    """¹ The method behind the plain words (the kommun tier's footnote): which test, which
    correction, how hotspots and nearness are found — named, without formulas or p-values.
    ``pointer`` adds where the method notes and sources are."""
    lang = data.lang
    family = data.summary.get("fdr_family") or {}
    n_tests = family.get("tests")
    n_areas = family.get("areas")
    alpha = fmt_percent(100 * float(data.summary.get("fdr_alpha") or FDR_ALPHA), lang, 0, signed=False)
    many = ""
    if n_tests:
        areas = t("rep.caveat.fdr_areas", lang, n=fmt_number(n_areas, lang)) if n_areas else ""
        many = t("rep.plain.comparisons", lang, n=fmt_number(n_tests, lang), areas=areas)
    return t("rep.plain.footnote", lang, mark=MARK, many=many, alpha=alpha) + (
        t("rep.plain.footnote_pointer", lang) if pointer else "")


# --------------------------------------------------------------------------- the pass
def report_facts(data: ReportData, numbers: Numbers | None = None) -> dict[str, list[Fact]]:
    """:func:`reports.facts.build_facts` with the report's final wording (see the module doc)."""
    facts = build_facts(data, numbers or Numbers(data))
    tests = {test.get("kind", ""): test for test in data.poi_tests if test.get("n_places")}
    by_id = {i["id"]: i for i in data.indicators}
    out: dict[str, list[Fact]] = {}
    for section, items in facts.items():
        new = []
        for f in items:
            text = f.text
            if f.kind in ("poi", "poi_concentration") and f.refs:
                test = tests.get(f.refs[0][0].removeprefix("poi:"))
                if test is not None:
                    text = poi_sentence(test, data, plain=data.kommun)
                    if f.kind == "poi_concentration":
                        text = text.rstrip(".") + t("rep.fact.poi_concentration", data.lang)
            elif data.kommun:
                text = _plain(f, data, by_id)
            new.append(Fact(f.section, text, f.refs, f.kind))
        out[section] = new
    return out


def has_marks(facts: dict[str, list[Fact]]) -> bool:
    """Whether any sentence points to the method footnote."""
    return any(MARK in f.text for items in facts.values() for f in items)
