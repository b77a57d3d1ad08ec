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
from reports.texts import L, pick

#: the footnote mark of a plain sentence whose method the footnote names
MARK = "¹"

#: a kind of place in a sentence: (one, several) per language; an unknown kind reads
#: "4 platser av typen <kind>"
PLACE_WORDS = {
    "krog": {"sv": ("krog", "krogar"), "en": ("bar", "bars")},
    "tunnelbana": {"sv": ("tunnelbaneuppgång", "tunnelbaneuppgångar"), "en": ("metro exit", "metro exits")},
    "skola": {"sv": ("skola", "skolor"), "en": ("school", "schools")},
    "station": {"sv": ("station", "stationer"), "en": ("station", "stations")},
    "butik": {"sv": ("butik", "butiker"), "en": ("shop", "shops")},
}


def places(kind: str, n: int, lang: str) -> str:
    """``'4 krogar'``, ``'1 krog'``, ``'2 tunnelbaneuppgångar'``; an unknown kind
    ``'3 platser av typen kiosk'``.

    >>> places("krog", 4, "sv"), places("krog", 1, "sv"), places("tunnelbana", 2, "en")
    ('4 krogar', '1 krog', '2 metro exits')
    >>> places("kiosk", 3, "sv")
    '3 platser av typen kiosk'
    """
    num = fmt_number(n, lang)
    words = PLACE_WORDS.get(str(kind).strip().lower())
    if words is None:
        if lang == "sv":
            return f"{num} {'plats' if n == 1 else 'platser'} av typen {kind}"
        return f"{num} {'place' if n == 1 else 'places'} of the kind {kind}"
    one, many = words[lang]
    return f"{num} {one if n == 1 else many}"


# --------------------------------------------------------------------------- sentences
def poi_sentence(t: dict, data: ReportData, plain: bool) -> str:
    """One nearness check in words, with the kommun tier's suppression of its three counts."""
    lang, sv = data.lang, data.lang == "sv"
    dist = fmt_number(t.get("distance_m"), lang)
    where = places(t.get("kind", ""), int(t.get("n_places") or 0), lang)
    inside, outside, total = t.get("events_inside"), t.get("events_outside"), t.get("events_total")
    if data.kommun:  # inside + outside = total, suppressed together (as reports.facts does)
        s = suppress({"in": inside, "out": outside, "tot": total}, [{"tot": 1, "in": -1, "out": -1}],
                     threshold=THRESHOLD)
        fin, ftot = s.display("in", fmt_number(inside, lang)), s.display("tot", fmt_number(total, lang))
        ratio_shown = s.shown("in") and s.shown("out")
    else:
        fin, ftot, ratio_shown = fmt_number(inside, lang), fmt_number(total, lang), True
    share = fmt_percent(100 * (t.get("area_share") or 0), lang, 0, signed=False)
    head = (f"Inom {dist} m från {where} inträffade {fin} av {ftot} händelser, på {share} av områdets yta"
            if sv else f"Within {dist} m of {where}, {fin} of {ftot} events occurred, on {share} of the area")
    ratio = t.get("rate_ratio")
    if not ratio_shown or ratio is None:
        return head + "."
    if not outside or not math.isfinite(ratio):  # every event near the places: no ratio to give
        dense = "inga händelser i resten av området" if sv else "none in the rest of the area"
    else:
        r = fmt_number(ratio, lang, 1)
        word = ("gånger tätare än" if ratio >= 1 else "gånger så tätt som") if sv else "times as dense as"
        dense = f"{r} {word} {'i resten av området' if sv else 'in the rest of the area'}"
    p = t.get("p_value")
    if p is not None and not math.isfinite(p):
        p = None
    if not plain:
        return f"{head}: {dense}" + ("" if p is None else f", {p_is(p, lang)}") + "."
    if p is None:
        return f"{head}: {dense}."
    sure = p < FDR_ALPHA
    words = (("en säker skillnad" if sure else "skillnaden kan vara slump (inom normal variation)") if sv else
             ("a clear difference" if sure else "the difference may be chance (within normal variation)"))
    return f"{head}: {dense} – {words}{MARK}."


def _hot_counts(data: ReportData) -> tuple[int, int, int]:
    """(hot cells now, of them new, of them persistent) — the classes the map draws."""
    now = {f["properties"]["cell"] for f in (data.hotspots or {}).get("features", [])
           if f["properties"].get("class") in HOT}
    prev = {f["properties"]["cell"] for f in (data.hotspots_previous or {}).get("features", [])
            if f["properties"].get("class") in HOT}
    return len(now), len(now - prev), len(now & prev)


def _cells(n: int, lang: str) -> str:
    num = fmt_number(n, lang)
    return f"{num} {'ruta' if n == 1 else 'rutor'}" if lang == "sv" else f"{num} {'cell' if n == 1 else 'cells'}"


def _plain_hotspots(fact: Fact, data: ReportData) -> str:
    lang, sv = data.lang, data.lang == "sv"
    n, new, persistent = _hot_counts(data)
    if fact.kind == "hotspots_none":
        if fact.text == L("no_hotspot_data", lang):
            return fact.text
        return ("Kartan visar inga platser där händelserna är säkert fler än i omgivningen (inga hotspots) "
                f"denna period{MARK}." if sv else
                f"The map shows no place where events are clearly more frequent than around it (no hot spots) "
                f"this period{MARK}.")
    if fact.kind == "hotspots_now":
        prev = ""
        if data.hotspots_previous is not None:
            prev = (f"; {fmt_number(new, lang)} nya jämfört med samma period i fjol, "
                    f"{fmt_number(persistent, lang)} kvar sedan dess" if sv else
                    f"; {fmt_number(new, lang)} new compared with the same period last year, "
                    f"{fmt_number(persistent, lang)} still there")
        return (f"{_cells(n, lang).capitalize()} på kartan {'är hotspots' if n != 1 else 'är en hotspot'}: där är "
                f"händelserna säkert fler än i omgivningen{prev}{MARK}." if sv else
                f"{_cells(n, lang).capitalize()} on the map {'are hot spots' if n != 1 else 'is a hot spot'}: events "
                f"there are clearly more frequent than around them{prev}{MARK}.")
    # hotspots_follow (the kommun tier's point for action)
    return (f"Hotspotrutorna på kartan ({fmt_number(n, lang)}) är underlag för samverkan om platserna." if sv else
            f"The hot spot cells on the map ({fmt_number(n, lang)}) are a basis for partnership work on those places.")


_NOMINAL_TAIL = re.compile(r" – (ojusterat|unadjusted) p .*?, (bevaka|watch)")


def _plain(fact: Fact, data: ReportData, by_id: dict[str, dict]) -> str:
    """The kommun tier's words for one fact (unchanged when already plain)."""
    sv = data.lang == "sv"
    kind = fact.kind
    if kind in ("hotspots_none", "hotspots_now", "hotspots_follow"):
        return _plain_hotspots(fact, data)
    if kind == "none" and fact.section in ("framsteg", "problem"):
        if fact.section == "framsteg":
            return ("Inga säkra förbättringar och inga indikatorer på målet denna period." if sv else
                    "No clear improvements and no indicators on target this period.")
        return ("Inga säkra försämringar och inga indikatorer sämre än målet denna period." if sv else
                "No clear deteriorations and no indicators worse than target this period.")
    if kind.startswith("rag_"):
        return _NOMINAL_TAIL.sub(" – bevaka nästa period, kan vara slump" if sv else
                                 " – watch next period, may be chance", fact.text)
    if kind == "watch":
        ind = by_id.get(fact.refs[0][0]) if fact.refs else None
        name = noun(ind["name"]) if ind else ""
        syn = (" (syntetiska data)" if sv else " (synthetic data)") if ind and ind.get("synthetic") else ""
        return (f"Bevaka {name} nästa period: förändringen är större än vanligt men kan vara slump när alla "
                f"områden jämförs samtidigt{MARK}{syn}." if sv else
                f"Watch {name} next period: the change is larger than usual but may be chance when every area "
                f"is compared at once{MARK}{syn}.")
    if kind == "fdr":
        return ("”Säker ökning” eller ”säker minskning” betyder att förändringen är större än vad slumpen brukar "
                "ge, också när alla områden och indikatorer jämförs samtidigt; annars står det ”inom normal "
                f"variation”. Procent på små tal kan vilseleda{MARK}." if sv else
                "“Clear increase” or “clear decrease” means the change is larger than chance usually gives, even "
                "when every area and indicator is compared at once; otherwise it says “within normal variation”. "
                f"Percentages of small counts can mislead{MARK}.")
    return fact.text


def method_footnote(data: ReportData, pointer: bool = True) -> str:
    """¹ The method behind the plain words (the kommun tier's footnote): which test, which
    correction, how hotspots and nearness are found — named, without formulas or p-values.
    ``pointer`` adds where the method notes and sources are."""
    lang, sv = data.lang, data.lang == "sv"
    family = data.summary.get("fdr_family") or {}
    n_tests = family.get("tests")
    n_areas = family.get("areas")
    alpha = fmt_percent(100 * float(data.summary.get("fdr_alpha") or FDR_ALPHA), lang, 0, signed=False)
    many = ""
    if n_tests:
        many = (f" ({fmt_number(n_tests, lang)} jämförelser" + (f" i {fmt_number(n_areas, lang)} områden" if n_areas else "")
                + ")") if sv else (f" ({fmt_number(n_tests, lang)} comparisons"
                                   + (f" in {fmt_number(n_areas, lang)} areas" if n_areas else "") + ")")
    if sv:
        return (f"{MARK} Om metoden: en förändring kallas säker när ett statistiskt test för antal (negativ "
                "binomialfördelning, som räknar med att antalen varierar mer mellan åren än ren slump) visar att "
                "den knappast är slump, också efter korrektion för att alla områden och indikatorer i listan "
                f"prövas samtidigt{many}; korrektionen (Benjamini–Hochberg) håller andelen falska larm under "
                f"{alpha}. Hotspots: Getis-Ord Gi* på sexkantiga rutor (H3, upplösning 9) med samma korrektion. "
                "Närhet till platser: händelser nära platserna jämförs med resten av området (ett exakt test "
                "på fördelningen av händelser)." + (" Metodanmärkningar och källor står sist i rapporten."
                                                     if pointer else ""))
    return (f"{MARK} About the method: a change is called clear when a statistical test for counts (negative "
            "binomial, which allows counts to vary more from year to year than chance alone) shows it is "
            "hardly chance, even after correcting for every area and indicator of the list being tested at "
            f"once{many}; the correction (Benjamini–Hochberg) keeps the share of false alarms below {alpha}. "
            "Hot spots: Getis-Ord Gi* on hexagonal cells (H3, resolution 9) with the same correction. Nearness "
            "to places: events near the places compared with the rest of the area (an exact test on how the "
            "events are spread)." + (" Method notes and sources are at the end of the report." if pointer else ""))


# --------------------------------------------------------------------------- the pass
def report_facts(data: ReportData, numbers: Numbers | None = None) -> dict[str, list[Fact]]:
    """:func:`reports.facts.build_facts` with the report's final wording (see the module doc)."""
    facts = build_facts(data, numbers or Numbers(data))
    tests = {t.get("kind", ""): t for t in data.poi_tests if t.get("n_places")}
    by_id = {i["id"]: i for i in data.indicators}
    out: dict[str, list[Fact]] = {}
    for section, items in facts.items():
        new = []
        for f in items:
            text = f.text
            if f.kind in ("poi", "poi_concentration") and f.refs:
                t = tests.get(f.refs[0][0].removeprefix("poi:"))
                if t is not None:
                    text = poi_sentence(t, data, plain=data.kommun)
                    if f.kind == "poi_concentration":
                        text = text.rstrip(".") + pick((
                            ": underlag för att beställa en fördjupad analys av orsakerna.",
                            ": a basis for commissioning an analysis of the causes."), data.lang)
            elif data.kommun:
                text = _plain(f, data, by_id)
            new.append(Fact(f.section, text, f.refs, f.kind))
        out[section] = new
    return out


def has_marks(facts: dict[str, list[Fact]]) -> bool:
    """Whether any sentence points to the method footnote."""
    return any(MARK in f.text for items in facts.values() for f in items)
