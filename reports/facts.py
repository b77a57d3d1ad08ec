"""The generated lägesbild: 4P facts (Framsteg, Problem, Prioriteringar, Åtgärdspunkter) and caveats.

Every sentence is built from numbers in the report's inputs and says which (``Fact.refs``). The
rules, applied to ``area_summary_json`` (its verdict fields – ``signal``, ``verdict``, ``target_state``,
``p_adjusted`` – are the list-wide verdict object's, Benjamini–Hochberg-adjusted across every
area × indicator of the list), the hotspot layers of the period and of the same period last year,
and the hypothesis checks:

* **Framsteg**: significant changes in the good direction; indicators on or better than target;
  hotspot cells of last year that are no longer hot; and, marked *not certain*, changes in the good
  direction that are within normal variation.
* **Problem**: significant changes in the bad direction; indicators worse than target; hotspot
  cells now (new and persistent); and, marked *not certain*, changes in the bad direction within
  normal variation. (CUSUM alarms are not named: the lägesbild names only what the verdict engine
  calls significant.)
* **Prioriteringar**: a ranked list of what is red or amber and of persistent hotspots, each with
  its number; significant changes of effort measures and of offences that rise with police effort
  are listed as *worth noting* (neither good nor bad).
* **Åtgärdspunkter**: targets off track with the year-end projection; the hotspot cells to follow
  up; hypothesis checks that found a concentration; indicators to watch (nominal p < 0,05 that did
  not survive the FDR correction); data to complete.
* **Förbehåll**: coverage, reporting lag, synthetic sources, location precision, the FDR family,
  and in the kommun tier the suppression rule.

A change that is not significant is only ever called "inom normal variation". In the kommun tier
every number goes through :class:`reports.numberview.Numbers` (``<5`` suppression), event counts
per hexagon are not mentioned and a verdict on a hidden count is not given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from i18n import fmt_number, fmt_p, fmt_percent
from indicators.calendar import parse_period
from indicators.rag import verdict_words
from indicators.texts import noun, same_last_year
from layers.hotspots import HOT, mark_previous
from reports.disclosure import policy
from reports.model import THRESHOLD, ReportData
from reports.numberview import STAT_REF_FIELD, Numbers
from reports.suppression import suppress
from reports.texts import SECTIONS, L, pick

FDR_ALPHA = 0.05


@dataclass(frozen=True)
class Fact:
    """One generated sentence and the numbers it is built from.

    ``refs`` holds ``(indicator id, field)`` pairs for indicator numbers, ``("hotspots", key)``,
    ``("poi:<kind>", field)`` or ``("data", key)`` for the others; ``kind`` is a machine tag
    (``sig_worse``, ``off_target``, ``hotspots_now`` …).
    """

    section: str
    text: str
    refs: tuple[tuple[str, str], ...] = ()
    kind: str = ""


# --------------------------------------------------------------------------- verdicts
def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def stat_change(ind: dict, comparison: str) -> float | None:
    """Value minus the reference the significance test used (last year, or the baseline)."""
    ref = ind.get(STAT_REF_FIELD.get(comparison, "previous"))
    v = ind.get("value")
    if _missing(ref) or _missing(v):
        return None
    return float(v) - float(ref)


def classify(ind: dict, comparison: str | None = None) -> str:
    """``untested``, ``sig_worse``, ``sig_better``, ``sig_neutral``, ``nominal`` or ``normal``:
    the verdict object's ``signal`` (:func:`indicators.summary.verdict_table`), never recomputed."""
    return ind.get("signal") or "untested"


def target_status(ind: dict) -> str | None:
    """``on_target`` / ``off_target`` (the verdict object's ``target_state``) or ``None``."""
    return ind.get("target_state")


def verdict(ind: dict, comparison: str | None = None, lang: str = "sv",
            with_target: bool = True) -> str:
    """The plain-words verdict of an indicator (the verdict object's ``verdict_sv``/``verdict_en``;
    without its target clause when ``with_target`` is false).

    >>> ind = {"value": 13.0, "previous": 2.0, "signal": "sig_worse", "arrow": "▲",
    ...        "complete": True, "verdict_sv": "säker ökning", "verdict_en": "clear increase"}
    >>> verdict(ind, "prev_year")
    'säker ökning'
    >>> verdict({**ind, "signal": "normal", "verdict_en": "within normal variation"}, lang="en")
    'within normal variation'
    """
    if with_target:
        words = ind.get(f"verdict_{lang}") or ind.get("verdict")
        if words:
            return words
    return verdict_words(classify(ind), ind.get("arrow") == "▲", bool(ind.get("complete", True)),
                         target_status(ind) if with_target else None, lang)


def _conf(cls: str, lang: str) -> str:
    """``'hot99'`` → ``'99 %'`` (sv) / ``'99%'`` (en)."""
    return fmt_percent(float(cls[-2:]), lang, 0, signed=False)


def p_is(p: float | None, lang: str) -> str:
    """``'p = 0,013'`` or ``'p < 0,001'`` (never ``'p = < 0,001'``)."""
    text = fmt_p(p, lang)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def rag_label(rag: str | None, lang: str) -> str:
    return L(f"rag_{rag or 'grey'}", lang)


# --------------------------------------------------------------------------- sentences
class _Writer:
    def __init__(self, data: ReportData, numbers: Numbers) -> None:
        self.d = data
        self.n = numbers
        self.lang = data.lang
        self.sv = data.lang == "sv"
        self.cmp = data.summary.get("comparison", "prev_year")
        self.pol = policy(data.tier)  # what the tier may be told (reports/disclosure.py)
        self.period = parse_period(data.summary["period"])
        self.facts: dict[str, list[Fact]] = {s: [] for s in (*SECTIONS, "caveats", "hypotheses")}

    def add(self, section: str, text: str, refs=(), kind: str = "") -> None:
        self.facts[section].append(Fact(section, text, tuple(refs), kind))

    # -- helpers
    def syn(self, ind: dict) -> str:
        if not ind.get("synthetic"):
            return ""
        return " (syntetiska data)" if self.sv else " (synthetic data)"

    def ref_phrase(self, ind: dict) -> str:
        """``'mot 2 samma tertial i fjol'`` with the statistical reference (tier-aware)."""
        field = STAT_REF_FIELD.get(self.cmp, "previous")
        ref = self.n.text(ind["id"], field)
        if field == "baseline":
            return (f"mot i snitt {ref} under samma period de tre föregående åren" if self.sv
                    else f"vs an average of {ref} in the same period of the previous three years")
        same = same_last_year(self.period, self.lang)
        return f"mot {ref} {same}" if self.sv else f"vs {ref} in {same}"

    def pct(self, ind: dict) -> str:
        if self.cmp == "target" or not self.n.shown(ind["id"], "pct_change"):
            return ""
        p = ind.get("pct_change")
        return "" if _missing(p) else f" ({fmt_percent(p, self.lang, 0)})"

    def q_text(self, ind: dict) -> str:
        if not self.n.shown(ind["id"], "p_adjusted"):
            return ""
        q = fmt_p(ind.get("p_adjusted"), self.lang)
        eq = "" if q.startswith("<") else "= "
        return f" ({'justerat' if self.sv else 'adjusted'} p {eq}{q})"

    def moved(self, ind: dict) -> str:
        up = ind.get("arrow") == "▲"
        return pick(("ökade", "increased") if up else ("minskade", "decreased"), self.lang)

    def change_sentence(self, ind: dict, extra: str = "") -> str:
        v = self.n.text(ind["id"], "value")
        return (f"{ind['name']} {self.moved(ind)}: {v} {self.ref_phrase(ind)}{self.pct(ind)} – "
                f"{verdict(ind, self.cmp, self.lang, with_target=False)}{self.q_text(ind)}{extra}"
                f"{self.syn(ind)}.")

    def target_sentence(self, ind: dict, status: str) -> str:
        i = ind["id"]
        v, t = self.n.text(i, "value"), self.n.text(i, "target")
        dev = ""
        if self.n.shown(i, "value") and ind["target"]:
            dev = f" ({fmt_percent(100.0 * (ind['value'] - ind['target']) / ind['target'], self.lang, 0)})"
        words = pick({"on_target": ("på eller bättre än målet", "on or better than target"),
                      "off_target": ("sämre än målet", "worse than target")}[status], self.lang)
        cum = ""
        if self.n.shown(i, "cum_deviation"):
            cum = (f"; avvikelse från målet hittills i år {self.n.text(i, 'cum_deviation')}" if self.sv
                   else f"; deviation from target so far this year {self.n.text(i, 'cum_deviation')}")
        head = ind["name"]
        return (f"{head}: {v} mot målet {t}{dev} – {words}{cum}{self.syn(ind)}." if self.sv
                else f"{head}: {v} vs the target {t}{dev} – {words}{cum}{self.syn(ind)}.")

    def cells(self, k: int, kind: str = "hexagon") -> str:
        """``'1 hexagoncell'`` / ``'3 hexagonceller'`` (``'3 hotspotceller'``, ``'3 hexagon cells'``)."""
        num = fmt_number(k, self.lang)
        if self.sv:
            return f"{num} {kind}cell" + ("" if k == 1 else "er")
        word = "hot spot" if kind == "hotspot" else "hexagon"
        return f"{num} {word} cell" + ("" if k == 1 else "s")

    def star(self, inds: list[dict]) -> str:
        if not any(i.get("synthetic") for i in inds):
            return ""
        return " (* syntetiska data)" if self.sv else " (* synthetic data)"

    def short(self, ind: dict) -> str:
        """``'rån 16 mot 19'`` for the within-normal-variation lists."""
        ref = self.n.text(ind["id"], STAT_REF_FIELD.get(self.cmp, "previous"))
        v = self.n.text(ind["id"], "value")
        star = " *" if ind.get("synthetic") else ""
        return f"{noun(ind['name'])}{star} {v} {'mot' if self.sv else 'vs'} {ref}"

    # -- sections
    def indicators(self) -> None:
        inds = self.d.indicators
        shown = [i for i in inds if self.n.shown(i["id"], "verdict")]
        kinds = {i["id"]: classify(i, self.cmp) for i in shown}
        better = [i for i in shown if kinds[i["id"]] == "sig_better"]
        worse = sorted([i for i in shown if kinds[i["id"]] == "sig_worse"],
                       key=lambda i: i.get("p_adjusted") or 1)
        neutral = [i for i in shown if kinds[i["id"]] == "sig_neutral"]
        nominal = [i for i in shown if kinds[i["id"]] == "nominal"]
        normal = [i for i in shown if kinds[i["id"]] in ("normal", "nominal")]
        on_t = [i for i in shown if target_status(i) == "on_target"]
        off_t = [i for i in shown if target_status(i) == "off_target"]
        sref = STAT_REF_FIELD.get(self.cmp, "previous")

        for i in better:
            self.add("framsteg", self.change_sentence(i),
                     [(i["id"], "value"), (i["id"], sref), (i["id"], "p_adjusted")], "sig_better")
        for i in on_t:
            self.add("framsteg", self.target_sentence(i, "on_target"),
                     [(i["id"], "value"), (i["id"], "target"), (i["id"], "cum_deviation")], "on_target")
        for i in worse:
            self.add("problem", self.change_sentence(i),
                     [(i["id"], "value"), (i["id"], sref), (i["id"], "p_adjusted")], "sig_worse")
        for i in off_t:
            self.add("problem", self.target_sentence(i, "off_target"),
                     [(i["id"], "value"), (i["id"], "target"), (i["id"], "cum_deviation")], "off_target")
        good_dir, bad_dir = [], []
        for i in normal:
            d = stat_change(i, self.cmp)
            if not d or i.get("direction") == "effort" or i.get("proactive"):
                continue
            sign = 1 if i.get("direction") == "up_is_bad" else -1
            (bad_dir if d * sign > 0 else good_dir).append(i)
        if good_dir:
            self.add("framsteg", (
                "Förändringar i önskad riktning men inom normal variation (inte säkra förändringar): "
                if self.sv else "Changes in the desired direction but within normal variation (not "
                "certain changes): ") + ", ".join(self.short(i) for i in good_dir) + self.star(good_dir) + ".",
                [(i["id"], f) for i in good_dir for f in ("value", sref, "p_adjusted")], "normal_better")
        if bad_dir:
            self.add("problem", (
                "Förändringar i oönskad riktning men inom normal variation (inte säkra förändringar): "
                if self.sv else "Changes in the undesired direction but within normal variation (not "
                "certain changes): ") + ", ".join(self.short(i) for i in bad_dir) + self.star(bad_dir) + ".",
                [(i["id"], f) for i in bad_dir for f in ("value", sref, "p_adjusted")], "normal_worse")

        # priorities: red and amber first, each with its number
        ranked: list[tuple[float, Fact]] = []
        for i in shown:
            rag = i.get("rag")
            if rag not in ("red", "amber"):
                continue
            k = kinds[i["id"]]
            if i.get("rule") == "target" and target_status(i) == "off_target":
                what = self.target_sentence(i, "off_target")
            elif k in ("sig_worse", "sig_neutral", "nominal", "sig_better"):
                extra = ""
                if k == "sig_neutral":
                    extra = (" – värd att notera: " + ("brottstypen ökar med polisens egna insatser"
                             if i.get("proactive") else "ett insatsmått, varken bra eller dåligt i sig")
                             if self.sv else " – worth noting: " + (
                             "this offence rises with police effort" if i.get("proactive")
                             else "an effort measure, neither good nor bad in itself"))
                elif k == "nominal":
                    extra = (f" – ojusterat {p_is(i.get('p_test'), self.lang)}, bevaka" if self.sv
                             else f" – unadjusted {p_is(i.get('p_test'), self.lang)}, watch")
                what = self.change_sentence(i, extra)
            else:
                what = self.target_sentence(i, "off_target") if target_status(i) == "off_target" \
                    else None
            if what is None:
                continue
            score = (3 if rag == "red" else 2) + (1 - float(i.get("p_adjusted") or 1)) / 2
            label = rag_label(rag, self.lang)
            ranked.append((score, Fact("prioriteringar", f"{label} – {what}",
                                       ((i["id"], "rag"), (i["id"], "value")), f"rag_{rag}")))
        for i in neutral:
            if i.get("rag") in ("red", "amber"):
                continue
            ranked.append((1.0, Fact("prioriteringar", self.change_sentence(i), ((i["id"], "value"),),
                                     "sig_neutral")))
        self._ranked = ranked

        # points for action
        for i in off_t:
            proj = i.get("projection") or {}
            if self.n.shown(i["id"], "projection") and proj.get("projected_total") is not None:
                a, tt = proj.get("actual_to_date"), proj.get("target_to_date")
                dec = 0 if all(float(x or 0).is_integer() for x in (a, tt)) else 1
                text = (f"{i['name']}: utfall hittills i år {fmt_number(a, self.lang, dec)} mot målet "
                        f"{fmt_number(tt, self.lang, dec)}; i nuvarande takt "
                        f"{fmt_number(proj['projected_total'], self.lang, dec)} för helåret "
                        f"{proj.get('year')}{self.syn(i)}." if self.sv else
                        f"{i['name']}: so far this year {fmt_number(a, self.lang, dec)} vs the target "
                        f"{fmt_number(tt, self.lang, dec)}; at the current pace "
                        f"{fmt_number(proj['projected_total'], self.lang, dec)} for the whole of "
                        f"{proj.get('year')}{self.syn(i)}.")
                self.add("atgarder", text, [(i["id"], "projection")], "projection")
        for i in nominal:
            text = (f"Bevaka {noun(i['name'])} nästa period: ojusterat "
                    f"{p_is(i.get('p_test'), self.lang)}, men inte signifikant efter korrektion för "
                    f"många samtidiga test{self.syn(i)}." if self.sv else
                    f"Watch {noun(i['name'])} next period: unadjusted "
                    f"{p_is(i.get('p_test'), self.lang)}, but not significant after correcting for "
                    f"multiple testing{self.syn(i)}.")
            self.add("atgarder", text, [(i["id"], "p_test"), (i["id"], "p_adjusted")], "watch")

    def hotspots(self) -> None:
        """The hotspot sentences, counted from the very layer the map draws (its classes and each
        cell's ``was_hot`` flag, ``layers.hotspots.mark_previous``): what they say is on the map."""
        fc = self.d.hotspots
        if not fc or not self.pol.allows_layer("hotspots"):
            return
        feats = fc.get("features", [])
        if self.d.hotspots_previous is not None and not any("was_hot" in f["properties"] for f in feats):
            fc = mark_previous(fc, self.d.hotspots_previous)  # report inputs built without the flags
            feats = fc["features"]
        compared = fc.get("previous") is not None
        props = [f["properties"] for f in feats]
        now = {p["cell"]: p for p in props if p["class"] in HOT}
        persistent = {c for c, p in now.items() if p.get("was_hot")}
        new = set(now) - persistent
        gone = {p["cell"] for p in props if p.get("was_hot") and p["class"] not in HOT}
        by_class = {c: sum(1 for p in now.values() if p["class"] == c) for c in HOT}
        method = fc.get("method") or {}
        used = method.get("points_used")
        of = self.hotspot_types(method.get("event_types"))
        refs = [("hotspots", "class")]
        if not now:
            text = (f"Inga hexagonceller är statistiskt säkerställda hotspots{of} denna period "
                    "(Getis-Ord Gi*, FDR)." if self.sv else "No hexagon cell is a statistically "
                    f"significant hot spot{of} this period (Getis-Ord Gi*, FDR).")
            if used == 0:
                text = L("no_hotspot_data", self.lang)
            self.add("problem", text, refs, "hotspots_none")
        else:
            parts = ", ".join(f"{fmt_number(by_class[c], self.lang)} {pick(('med', 'at'), self.lang)} "
                              f"{_conf(c, self.lang)}" for c in HOT if by_class[c])
            cmp_txt = ""
            if compared:
                cmp_txt = (f"; {fmt_number(len(new), self.lang)} nya jämfört med samma period i fjol, "
                           f"{fmt_number(len(persistent), self.lang)} kvarstående" if self.sv else
                           f"; {fmt_number(len(new), self.lang)} new compared with the same period "
                           f"last year, {fmt_number(len(persistent), self.lang)} persistent")
            text = (f"{self.cells(len(now))} {'är hotspots' if len(now) > 1 else 'är en hotspot'}{of} "
                    f"(Getis-Ord Gi*, FDR; {parts} konfidens){cmp_txt}." if self.sv else
                    f"{self.cells(len(now))} {'are hot spots' if len(now) > 1 else 'is a hot spot'}{of} "
                    f"(Getis-Ord Gi*, FDR; {parts} confidence){cmp_txt}.")
            self.add("problem", text, [*refs, ("hotspots", "new"), ("hotspots", "persistent")],
                     "hotspots_now")
            if persistent:
                self._ranked.append((2.8, Fact("prioriteringar", (
                    f"Kvarstående hotspots: {self.cells(len(persistent))} var "
                    f"{'hotspots' if len(persistent) > 1 else 'hotspot'} både nu och samma period i fjol "
                    "(svart kant på kartan)." if self.sv else
                    f"Persistent hot spots: {self.cells(len(persistent))} {'were' if len(persistent) > 1 else 'was'} "
                    "hot spots both now and in the same period last year (black outline on the map)."),
                    (("hotspots", "persistent"),), "hotspots_persistent")))
            top = max(now.values(), key=lambda p: (p.get("z") or 0))
            n99 = by_class["hot99"]
            lvl = "hot99" if n99 else ("hot95" if by_class["hot95"] else "hot90")
            n_lvl = by_class[lvl]
            conf = _conf(lvl, self.lang)
            if self.d.kommun:  # the kommun tier's page shows no hotspot map: the report's map does
                text = (f"Rapportens karta visar {self.cells(n_lvl, 'hotspot')} med {conf} "
                        "konfidens: underlag för samverkan om platserna." if self.sv else
                        f"The report's map shows {self.cells(n_lvl, 'hotspot')} at {conf} "
                        "confidence: a basis for partnership work on those places.")
                self.add("atgarder", text, [("hotspots", "class")], "hotspots_follow")
            else:
                text = (f"Följ upp {self.cells(n_lvl, 'hotspot')} med {conf} konfidens "
                        f"(kartan); den starkaste har {fmt_number(top.get('count'), self.lang)} "
                        f"händelser (z = {fmt_number(top.get('z'), self.lang, 1)})." if self.sv else
                        f"Follow up the {self.cells(n_lvl, 'hotspot')} at {conf} "
                        f"confidence (map); the strongest has {fmt_number(top.get('count'), self.lang)} "
                        f"events (z = {fmt_number(top.get('z'), self.lang, 1)}).")
                self.add("atgarder", text, [("hotspots", "class"), ("hotspots", "count"),
                                            ("hotspots", "z")], "hotspots_follow")
        if gone:
            self.add("framsteg", (
                f"{self.cells(len(gone))} som var {'hotspots' if len(gone) > 1 else 'hotspot'} samma "
                "period i fjol är det inte längre (streckad kant på kartan)." if self.sv else
                f"{self.cells(len(gone))} that {'were hot spots' if len(gone) > 1 else 'was a hot spot'} "
                f"in the same period last year {'no longer are' if len(gone) > 1 else 'no longer is'} "
                "(dashed outline on the map)."),
                [("hotspots", "gone")], "hotspots_gone")

    def hotspot_types(self, types: list[str] | None) -> str:
        """``' för narkotikabrott'`` when the layer counts one or two event types (the map's
        indicator), else ``''`` (all events)."""
        if not types or len(types) > 2:
            return ""
        names = {i["id"]: noun(i["name"]) for i in self.d.indicators}
        listed = (" och " if self.sv else " and ").join(names.get(t, t) for t in types)
        return f" för {listed}" if self.sv else f" for {listed}"

    def pois(self) -> None:
        if not self.pol.event_analyses:
            return
        for t in self.d.poi_tests:
            if not t.get("n_places"):
                continue
            if self.d.kommun and (t.get("events_total") or 0) < THRESHOLD:
                continue  # "<5 of <5 events": nothing to say without small counts
            kind = t.get("kind", "")
            sentence = self.poi_sentence(t)
            p = t.get("p_value")
            refs = [(f"poi:{kind}", f) for f in ("events_inside", "events_total", "p_value")]
            self.add("hypotheses", sentence, refs, "poi")
            ratio = t.get("rate_ratio")
            if p is not None and p < FDR_ALPHA and ratio is not None and ratio > 1:
                self.add("atgarder", sentence.rstrip(".") + (
                    ": underlag för att beställa en fördjupad analys av orsakerna." if self.sv else
                    ": a basis for commissioning an analysis of the causes."), refs, "poi_concentration")

    def poi_sentence(self, t: dict) -> str:
        if not self.d.kommun:
            s = t.get("sentence") or {}
            if s.get(self.lang):
                return s[self.lang]
        # kommun tier: inside + outside = total, suppressed together
        s = suppress({"in": t.get("events_inside"), "out": t.get("events_outside"),
                      "tot": t.get("events_total")}, [{"tot": 1, "in": -1, "out": -1}],
                     threshold=THRESHOLD)
        fin = s.display("in", fmt_number(t.get("events_inside"), self.lang))
        ftot = s.display("tot", fmt_number(t.get("events_total"), self.lang))
        kind, dist = t.get("kind", ""), fmt_number(t.get("distance_m"), self.lang)
        share = fmt_percent(100 * (t.get("area_share") or 0), self.lang, 0, signed=False)
        head = (f"Inom {dist} m från {fmt_number(t.get('n_places'), self.lang)} {kind} inträffade {fin} "
                f"av {ftot} händelser på {share} av ytan" if self.sv else
                f"Within {dist} m of {fmt_number(t.get('n_places'), self.lang)} {kind}, {fin} of {ftot} "
                f"events occurred on {share} of the area")
        if s.shown("in") and s.shown("out") and t.get("rate_ratio") is not None:
            ratio = fmt_number(t["rate_ratio"], self.lang, 1)
            dense = (("gånger tätare än", "times denser than") if t["rate_ratio"] > 1
                     else ("gånger så tätt som", "times as dense as"))
            return (f"{head}: {ratio} {pick(dense, self.lang)} "
                    f"{pick(('i resten av området', 'in the rest of the area'), self.lang)}, "
                    f"{p_is(t.get('p_value'), self.lang)}.")
        return head + "."

    def priorities(self) -> None:
        ranked = sorted(self._ranked, key=lambda sf: -sf[0])[:6]
        for k, (_, f) in enumerate(ranked, start=1):
            self.facts["prioriteringar"].append(Fact(f.section, f"{k}. {f.text}", f.refs, f.kind))

    def caveats(self) -> None:
        inds = self.d.indicators
        lang = self.lang
        incomplete: dict[str, list[str]] = {}
        for i in inds:
            if not i.get("complete") and i.get("coverage_note"):
                incomplete.setdefault(i["coverage_note"], []).append(noun(i["name"]))
        for note, names in incomplete.items():
            self.add("caveats", (f"Ofullständig period, ingen bedömning: {', '.join(names)} ({note})."
                                 if self.sv else
                                 f"Incomplete period, not assessed: {', '.join(names)} ({note})."),
                     [("data", "coverage_note")], "coverage")
        lag = [i for i in inds if i.get("complete") and self.d.last_month.get(i["id"]) == self.period.last]
        if lag:
            self.add("caveats", (
                f"Perioden slutar med den senast rapporterade månaden ({self.period.last}) för "
                f"{fmt_number(len(lag), lang)} indikatorer: sent registrerade händelser kan saknas, "
                "en nedgång den sista månaden är inte säker." if self.sv else
                f"The period ends with the latest reported month ({self.period.last}) for "
                f"{fmt_number(len(lag), lang)} indicators: late registrations may be missing, a drop in "
                "the last month is not certain."), [("data", "last_month")], "lag")
        syn = [i for i in inds if i.get("synthetic")]
        if syn:
            self.add("caveats", (
                f"{fmt_number(len(syn), lang)} av {fmt_number(len(inds), lang)} indikatorer bygger på "
                f"syntetiska demodata, inte verkliga polisdata: {', '.join(noun(i['name']) for i in syn)}."
                if self.sv else
                f"{fmt_number(len(syn), lang)} of {fmt_number(len(inds), lang)} indicators are synthetic "
                f"demo data, not real police data: {', '.join(noun(i['name']) for i in syn)}."),
                [("data", "synthetic")], "synthetic")
        prec = {p["precision"]: p for p in self.d.precision}
        coarse = sum(int(p.get("count") or 0) for p in self.d.precision if not p.get("hotspot_eligible"))
        fine = sum(int(p.get("count") or 0) for p in self.d.precision if p.get("hotspot_eligible"))
        synth_ev = sum(int(p.get("synthetic") or 0) for p in self.d.precision)
        if prec and self.pol.event_analyses:
            text = (f"Lägesnoggrannhet: {self.n.count_text(fine)} händelser har exakt position eller "
                    f"gatunivå och ingår i hotspotanalysen; {self.n.count_text(coarse)} har bara DeSO-, "
                    "kommun- eller länsnivå (t.ex. polisen.se) och ingår inte – sådana punkter skulle "
                    "skapa falska hotspots." if self.sv else
                    f"Location precision: {self.n.count_text(fine)} events have an exact or street-level "
                    f"position and are in the hotspot analysis; {self.n.count_text(coarse)} only have a "
                    "DeSO, municipality or county position (e.g. polisen.se) and are left out – such "
                    "points would create false hot spots.")
            self.add("caveats", text, [("data", "precision")], "precision")
            if synth_ev:
                self.add("caveats", (
                    "Händelsepunkterna inne i området är syntetiska demodata; hotspots och "
                    "hypotesprövningar visar metoden, inte verkliga platser." if self.sv else
                    "The event points inside the area are synthetic demo data; hot spots and "
                    "hypothesis checks show the method, not real places."), [("data", "synthetic_events")],
                    "synthetic_events")
        tested = sum(1 for i in inds if not _missing(i.get("p_adjusted")))
        if tested:
            alpha = fmt_percent(100 * float(self.d.summary.get("fdr_alpha") or FDR_ALPHA), lang, 0,
                                signed=False)
            family = self.d.summary.get("fdr_family") or {}
            n_tests = family.get("tests") or tested
            n_areas = family.get("areas")
            where = ""
            if n_areas:
                where = (f" i {fmt_number(n_areas, lang)} områden" if self.sv
                         else f" in {fmt_number(n_areas, lang)} areas")
            self.add("caveats", (
                f"\"Säker ökning/minskning\" betyder signifikant efter korrektion för "
                f"{fmt_number(n_tests, lang)} samtidiga test{where} (alla områden och indikatorer i "
                f"listan för perioden, Benjamini–Hochberg, falsk upptäcktsandel {alpha}); testet "
                "räknar med att antalen varierar mer mellan åren än ren slump (negativ "
                "binomialfördelning, se METHODS.md). Annars \"inom normal variation\". Procent på små "
                "tal vilseleder."
                if self.sv else
                f"\"Clear increase/decrease\" means significant after correcting for "
                f"{fmt_number(n_tests, lang)} simultaneous tests{where} (every area and indicator of "
                f"the list for the period, Benjamini–Hochberg, false discovery rate {alpha}); the test "
                "allows for counts varying more from year to year than chance alone (negative "
                "binomial, see METHODS.md). Otherwise \"within normal variation\". Percentages of "
                "small counts mislead."), [("data", "fdr")], "fdr")
        if self.d.kommun:
            self.add("caveats", L("suppression_note", lang) + (
                " Kommunversionen visar tertial och hela år; inga enskilda händelser, hotspotkartor eller "
                "hypotesprövningar, och bara anteckningar som polisen märkt för kommunen." if self.sv else
                " The municipality version shows tertials and whole years; no individual events, hot spot "
                "maps or hypothesis checks, and only notes the police marked for the municipality."),
                [("data", "suppression")], "suppression")

    def fill_empty(self) -> None:
        empty = {
            "framsteg": ("Inga statistiskt säkerställda förbättringar och inga indikatorer på målet denna "
                         "period.", "No statistically significant improvements and no indicators on "
                         "target this period."),
            "problem": ("Inga statistiskt säkerställda försämringar och inga indikatorer under målet "
                        "denna period.", "No statistically significant deteriorations and no indicators "
                        "worse than target this period."),
            "prioriteringar": ("Inga indikatorer är röda eller gula denna period.",
                               "No indicator is red or amber this period."),
            "atgarder": ("Inga åtgärdspunkter följer direkt av siffrorna denna period.",
                         "No points for action follow directly from the figures this period."),
        }
        decisive = {"framsteg": {"sig_better", "on_target"}, "problem": {"sig_worse", "off_target"}}
        for sec in SECTIONS:
            kinds = {f.kind for f in self.facts[sec]}
            if sec in decisive and not kinds & decisive[sec]:
                self.facts[sec].insert(0, Fact(sec, pick(empty[sec], self.lang), (), "none"))
            elif not self.facts[sec]:
                self.facts[sec].append(Fact(sec, pick(empty[sec], self.lang), (), "none"))


def build_facts(data: ReportData, numbers: Numbers | None = None) -> dict[str, list[Fact]]:
    """The generated 4P facts, the caveats and the hypothesis checks of a report.

    Returns
    -------
    dict
        ``{'framsteg': [...], 'problem': [...], 'prioriteringar': [...], 'atgarder': [...],
        'caveats': [...], 'hypotheses': [...]}`` of :class:`Fact`.
    """
    w = _Writer(data, numbers or Numbers(data))
    w.indicators()
    w.hotspots()
    w.pois()
    w.priorities()
    w.caveats()
    w.fill_empty()
    return w.facts
