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
from reports.texts import SECTIONS, L
from texts import t

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
    """The lägesbild's sentences, one writer per part: :meth:`indicators` (framsteg, problem,
    the ranking for prioriteringar and the indicators' points for action), :meth:`hotspots`,
    :meth:`pois`, :meth:`priorities`, :meth:`caveats` and :meth:`fill_empty`."""

    def __init__(self, data: ReportData, numbers: Numbers) -> None:
        self.d = data
        self.n = numbers
        self.lang = data.lang
        self.cmp = data.summary.get("comparison", "prev_year")
        self.pol = policy(data.tier)  # what the tier may be told (reports/disclosure.py)
        self.period = parse_period(data.summary["period"])
        self.facts: dict[str, list[Fact]] = {s: [] for s in (*SECTIONS, "caveats", "hypotheses")}
        self._ranked: list[tuple[float, Fact]] = []

    def add(self, section: str, text: str, refs=(), kind: str = "") -> None:
        self.facts[section].append(Fact(section, text, tuple(refs), kind))

    def t(self, key: str, **fields: object) -> str:
        """The catalogue's text ``rep.<key>`` in the report's language."""
        return t(f"rep.{key}", self.lang, **fields)

    def num(self, value: object, decimals: int = 0) -> str:
        return fmt_number(value, self.lang, decimals)

    # -- helpers
    def syn(self, ind: dict) -> str:
        return self.t("synthetic_note") if ind.get("synthetic") else ""

    def ref_phrase(self, ind: dict) -> str:
        """``'mot 2 samma tertial i fjol'`` with the statistical reference (tier-aware)."""
        field = STAT_REF_FIELD.get(self.cmp, "previous")
        ref = self.n.text(ind["id"], field)
        if field == "baseline":
            return self.t("ref.baseline", ref=ref)
        return self.t("ref.same_last_year", ref=ref, same=same_last_year(self.period, self.lang))

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
        return self.t("adjusted_p", p=f"{eq}{q}")

    def moved(self, ind: dict) -> str:
        return self.t("moved.up" if ind.get("arrow") == "▲" else "moved.down")

    def change_sentence(self, ind: dict, extra: str = "") -> str:
        v = self.n.text(ind["id"], "value")
        return (f"{ind['name']} {self.moved(ind)}: {v} {self.ref_phrase(ind)}{self.pct(ind)} – "
                f"{verdict(ind, self.cmp, self.lang, with_target=False)}{self.q_text(ind)}{extra}"
                f"{self.syn(ind)}.")

    def target_sentence(self, ind: dict, status: str) -> str:
        i = ind["id"]
        v, tv = self.n.text(i, "value"), self.n.text(i, "target")
        dev = ""
        if self.n.shown(i, "value") and ind["target"]:
            dev = f" ({fmt_percent(100.0 * (ind['value'] - ind['target']) / ind['target'], self.lang, 0)})"
        cum = ""
        if self.n.shown(i, "cum_deviation"):
            cum = self.t("target.so_far", deviation=self.n.text(i, "cum_deviation"))
        return self.t("target.sentence", name=ind["name"], value=v, target=tv, dev=dev,
                      words=self.t(f"target.{status}"), cum=cum, syn=self.syn(ind))

    def cells(self, k: int, kind: str = "hexagon") -> str:
        """``'1 hexagoncell'`` / ``'3 hexagonceller'`` (``'3 hotspotceller'``, ``'3 hexagon cells'``)."""
        return self.t(f"cells.{kind}.{'one' if k == 1 else 'other'}", n=self.num(k))

    def star(self, inds: list[dict]) -> str:
        return self.t("synthetic_star") if any(i.get("synthetic") for i in inds) else ""

    def short(self, ind: dict) -> str:
        """``'rån 16 mot 19'`` for the within-normal-variation lists."""
        ref = self.n.text(ind["id"], STAT_REF_FIELD.get(self.cmp, "previous"))
        v = self.n.text(ind["id"], "value")
        star = " *" if ind.get("synthetic") else ""
        return f"{noun(ind['name'])}{star} {v} {self.t('vs')} {ref}"

    # -- indicators: framsteg, problem, the ranking, points for action
    def indicators(self) -> None:
        shown = [i for i in self.d.indicators if self.n.shown(i["id"], "verdict")]
        kinds = {i["id"]: classify(i, self.cmp) for i in shown}
        off_t = [i for i in shown if target_status(i) == "off_target"]
        nominal = [i for i in shown if kinds[i["id"]] == "nominal"]
        self._changes(shown, kinds)
        self._within_normal([i for i in shown if kinds[i["id"]] in ("normal", "nominal")])
        self._rank(shown, kinds)
        self._projections(off_t)
        self._watch(nominal)

    def _changes(self, shown: list[dict], kinds: dict[str, str]) -> None:
        """Framsteg and problem: significant changes (worst first) and targets met or missed."""
        better = [i for i in shown if kinds[i["id"]] == "sig_better"]
        worse = sorted([i for i in shown if kinds[i["id"]] == "sig_worse"],
                       key=lambda i: i.get("p_adjusted") or 1)
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

    def _within_normal(self, normal: list[dict]) -> None:
        """Changes in the good (framsteg) or bad (problem) direction within normal variation
        (effort measures and proactive offences left out: neither good nor bad)."""
        sref = STAT_REF_FIELD.get(self.cmp, "previous")
        good_dir, bad_dir = [], []
        for i in normal:
            d = stat_change(i, self.cmp)
            if not d or i.get("direction") == "effort" or i.get("proactive"):
                continue
            sign = 1 if i.get("direction") == "up_is_bad" else -1
            (bad_dir if d * sign > 0 else good_dir).append(i)
        for section, inds, kind in (("framsteg", good_dir, "normal_better"), ("problem", bad_dir, "normal_worse")):
            if inds:
                self.add(section, self.t(f"fact.{kind}", items=", ".join(self.short(i) for i in inds),
                                         star=self.star(inds)),
                         [(i["id"], f) for i in inds for f in ("value", sref, "p_adjusted")], kind)

    def _priority_text(self, i: dict, k: str) -> str | None:
        """What a red or amber indicator's priority says (None: nothing to say)."""
        if i.get("rule") == "target" and target_status(i) == "off_target":
            return self.target_sentence(i, "off_target")
        if k in ("sig_worse", "sig_neutral", "nominal", "sig_better"):
            extra = ""
            if k == "sig_neutral":
                extra = self.t("fact.worth_noting_proactive" if i.get("proactive") else "fact.worth_noting_effort")
            elif k == "nominal":
                extra = self.t("fact.nominal_tail", p=p_is(i.get("p_test"), self.lang))
            return self.change_sentence(i, extra)
        return self.target_sentence(i, "off_target") if target_status(i) == "off_target" else None

    def _rank(self, shown: list[dict], kinds: dict[str, str]) -> None:
        """Prioriteringar's candidates: red and amber first, each with its number, then
        significant changes that are neither good nor bad (ranked in :meth:`priorities`)."""
        ranked: list[tuple[float, Fact]] = []
        for i in shown:
            rag = i.get("rag")
            if rag not in ("red", "amber"):
                continue
            what = self._priority_text(i, kinds[i["id"]])
            if what is None:
                continue
            score = (3 if rag == "red" else 2) + (1 - float(i.get("p_adjusted") or 1)) / 2
            label = rag_label(rag, self.lang)
            ranked.append((score, Fact("prioriteringar", f"{label} – {what}",
                                       ((i["id"], "rag"), (i["id"], "value")), f"rag_{rag}")))
        for i in shown:
            if kinds[i["id"]] != "sig_neutral" or i.get("rag") in ("red", "amber"):
                continue
            ranked.append((1.0, Fact("prioriteringar", self.change_sentence(i), ((i["id"], "value"),),
                                     "sig_neutral")))
        self._ranked = ranked

    def _projections(self, off_t: list[dict]) -> None:
        """Åtgärdspunkter: targets off track, with the year-end projection."""
        for i in off_t:
            proj = i.get("projection") or {}
            if self.n.shown(i["id"], "projection") and proj.get("projected_total") is not None:
                a, tt = proj.get("actual_to_date"), proj.get("target_to_date")
                dec = 0 if all(float(x or 0).is_integer() for x in (a, tt)) else 1
                text = self.t("fact.projection", name=i["name"], actual=self.num(a, dec), target=self.num(tt, dec),
                              projected=self.num(proj["projected_total"], dec), year=proj.get("year"),
                              syn=self.syn(i))
                self.add("atgarder", text, [(i["id"], "projection")], "projection")

    def _watch(self, nominal: list[dict]) -> None:
        """Åtgärdspunkter: indicators to watch (nominal p < 0,05, not significant after FDR)."""
        for i in nominal:
            text = self.t("fact.watch", name=noun(i["name"]), p=p_is(i.get("p_test"), self.lang), syn=self.syn(i))
            self.add("atgarder", text, [(i["id"], "p_test"), (i["id"], "p_adjusted")], "watch")

    # -- hotspots
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
        props = [f["properties"] for f in feats]
        now = {p["cell"]: p for p in props if p["class"] in HOT}
        gone = {p["cell"] for p in props if p.get("was_hot") and p["class"] not in HOT}
        method = fc.get("method") or {}
        of = self.hotspot_types(method.get("event_types"))
        if not now:
            text = self.t("fact.hotspots_none", of=of)
            if method.get("points_used") == 0:
                text = L("no_hotspot_data", self.lang)
            self.add("problem", text, [("hotspots", "class")], "hotspots_none")
        else:
            self._hot_now(now, of, compared=fc.get("previous") is not None)
        if gone:
            self.add("framsteg", self.t(f"fact.hotspots_gone.{'other' if len(gone) > 1 else 'one'}",
                                        cells=self.cells(len(gone))),
                     [("hotspots", "gone")], "hotspots_gone")

    def _hot_now(self, now: dict[str, dict], of: str, compared: bool) -> None:
        """Problem: the hot cells by confidence (new and persistent); prioriteringar: the
        persistent ones; åtgärdspunkter: the cells to follow up."""
        persistent = {c for c, p in now.items() if p.get("was_hot")}
        new = set(now) - persistent
        by_class = {c: sum(1 for p in now.values() if p["class"] == c) for c in HOT}
        parts = ", ".join(self.t("fact.hot_class", n=self.num(by_class[c]), conf=_conf(c, self.lang))
                          for c in HOT if by_class[c])
        cmp_txt = ""
        if compared:
            cmp_txt = self.t("fact.hot_compared", new=self.num(len(new)), persistent=self.num(len(persistent)))
        text = self.t(f"fact.hotspots_now.{'other' if len(now) > 1 else 'one'}", cells=self.cells(len(now)), of=of,
                      parts=parts, compared=cmp_txt)
        self.add("problem", text, [("hotspots", "class"), ("hotspots", "new"), ("hotspots", "persistent")],
                 "hotspots_now")
        if persistent:
            self._ranked.append((2.8, Fact("prioriteringar", self.t(
                f"fact.hotspots_persistent.{'other' if len(persistent) > 1 else 'one'}",
                cells=self.cells(len(persistent))), (("hotspots", "persistent"),), "hotspots_persistent")))
        top = max(now.values(), key=lambda p: (p.get("z") or 0))
        lvl = "hot99" if by_class["hot99"] else ("hot95" if by_class["hot95"] else "hot90")
        cells, conf = self.cells(by_class[lvl], "hotspot"), _conf(lvl, self.lang)
        if self.d.kommun:  # the kommun tier's page shows no hotspot map: the report's map does
            self.add("atgarder", self.t("fact.hotspots_follow_kommun", cells=cells, conf=conf),
                     [("hotspots", "class")], "hotspots_follow")
        else:
            text = self.t("fact.hotspots_follow", cells=cells, conf=conf, count=self.num(top.get("count")),
                          z=self.num(top.get("z"), 1))
            self.add("atgarder", text, [("hotspots", "class"), ("hotspots", "count"),
                                        ("hotspots", "z")], "hotspots_follow")

    def hotspot_types(self, types: list[str] | None) -> str:
        """``' för narkotikabrott'`` when the layer counts one or two event types (the map's
        indicator), else ``''`` (all events)."""
        if not types or len(types) > 2:
            return ""
        names = {i["id"]: noun(i["name"]) for i in self.d.indicators}
        return self.t("fact.hotspot_types", types=self.t("and").join(names.get(k, k) for k in types))

    # -- hypothesis checks
    def pois(self) -> None:
        if not self.pol.event_analyses:
            return
        for test in self.d.poi_tests:
            if not test.get("n_places"):
                continue
            if self.d.kommun and (test.get("events_total") or 0) < THRESHOLD:
                continue  # "<5 of <5 events": nothing to say without small counts
            kind = test.get("kind", "")
            sentence = self.poi_sentence(test)
            p = test.get("p_value")
            refs = [(f"poi:{kind}", f) for f in ("events_inside", "events_total", "p_value")]
            self.add("hypotheses", sentence, refs, "poi")
            ratio = test.get("rate_ratio")
            if p is not None and p < FDR_ALPHA and ratio is not None and ratio > 1:
                self.add("atgarder", sentence.rstrip(".") + self.t("fact.poi_concentration"), refs,
                         "poi_concentration")

    def poi_sentence(self, test: dict) -> str:
        if not self.d.kommun:
            s = test.get("sentence") or {}
            if s.get(self.lang):
                return s[self.lang]
        # kommun tier: inside + outside = total, suppressed together
        s = suppress({"in": test.get("events_inside"), "out": test.get("events_outside"),
                      "tot": test.get("events_total")}, [{"tot": 1, "in": -1, "out": -1}],
                     threshold=THRESHOLD)
        head = self.t("fact.poi_head", dist=self.num(test.get("distance_m")), n=self.num(test.get("n_places")),
                      kind=test.get("kind", ""), inside=s.display("in", self.num(test.get("events_inside"))),
                      total=s.display("tot", self.num(test.get("events_total"))),
                      share=fmt_percent(100 * (test.get("area_share") or 0), self.lang, 0, signed=False))
        if s.shown("in") and s.shown("out") and test.get("rate_ratio") is not None:
            dense = self.t("fact.denser" if test["rate_ratio"] > 1 else "fact.as_dense")
            return (f"{head}: {self.num(test['rate_ratio'], 1)} {dense} {self.t('rest_of_area')}, "
                    f"{p_is(test.get('p_value'), self.lang)}.")
        return head + "."

    def priorities(self) -> None:
        ranked = sorted(self._ranked, key=lambda sf: -sf[0])[:6]
        for k, (_, f) in enumerate(ranked, start=1):
            self.facts["prioriteringar"].append(Fact(f.section, f"{k}. {f.text}", f.refs, f.kind))

    # -- caveats
    def caveats(self) -> None:
        self._coverage_caveats()
        self._synthetic_caveat()
        self._precision_caveats()
        self._fdr_caveat()
        if self.d.kommun:
            self.add("caveats", L("suppression_note", self.lang) + self.t("caveat.kommun_tier"),
                     [("data", "suppression")], "suppression")

    def _coverage_caveats(self) -> None:
        """Incomplete periods (not assessed) and periods ending with the latest reported month."""
        inds = self.d.indicators
        incomplete: dict[str, list[str]] = {}
        for i in inds:
            if not i.get("complete") and i.get("coverage_note"):
                incomplete.setdefault(i["coverage_note"], []).append(noun(i["name"]))
        for note, names in incomplete.items():
            self.add("caveats", self.t("caveat.incomplete", names=", ".join(names), note=note),
                     [("data", "coverage_note")], "coverage")
        lag = [i for i in inds if i.get("complete") and self.d.last_month.get(i["id"]) == self.period.last]
        if lag:
            self.add("caveats", self.t("caveat.lag", month=self.period.last, n=self.num(len(lag))),
                     [("data", "last_month")], "lag")

    def _synthetic_caveat(self) -> None:
        inds = self.d.indicators
        syn = [i for i in inds if i.get("synthetic")]
        if syn:
            self.add("caveats", self.t("caveat.synthetic", n=self.num(len(syn)), total=self.num(len(inds)),
                                       names=", ".join(noun(i["name"]) for i in syn)),
                     [("data", "synthetic")], "synthetic")

    def _precision_caveats(self) -> None:
        """How many events the hotspot analysis uses (exact or street level) and leaves out;
        synthetic event points (tiers that see event analyses)."""
        prec = {p["precision"]: p for p in self.d.precision}
        coarse = sum(int(p.get("count") or 0) for p in self.d.precision if not p.get("hotspot_eligible"))
        fine = sum(int(p.get("count") or 0) for p in self.d.precision if p.get("hotspot_eligible"))
        synth_ev = sum(int(p.get("synthetic") or 0) for p in self.d.precision)
        if prec and self.pol.event_analyses:
            self.add("caveats", self.t("caveat.precision", fine=self.n.count_text(fine),
                                       coarse=self.n.count_text(coarse)), [("data", "precision")], "precision")
            if synth_ev:
                self.add("caveats", self.t("caveat.synthetic_events"), [("data", "synthetic_events")],
                         "synthetic_events")

    def _fdr_caveat(self) -> None:
        """What "säker ökning" means: the correction's family of tests and its false discovery rate."""
        tested = sum(1 for i in self.d.indicators if not _missing(i.get("p_adjusted")))
        if not tested:
            return
        alpha = fmt_percent(100 * float(self.d.summary.get("fdr_alpha") or FDR_ALPHA), self.lang, 0,
                            signed=False)
        family = self.d.summary.get("fdr_family") or {}
        n_tests = family.get("tests") or tested
        n_areas = family.get("areas")
        where = self.t("caveat.fdr_areas", n=self.num(n_areas)) if n_areas else ""
        self.add("caveats", self.t("caveat.fdr", tests=self.num(n_tests), where=where, alpha=alpha),
                 [("data", "fdr")], "fdr")

    def fill_empty(self) -> None:
        decisive = {"framsteg": {"sig_better", "on_target"}, "problem": {"sig_worse", "off_target"}}
        for sec in SECTIONS:
            kinds = {f.kind for f in self.facts[sec]}
            if sec in decisive and not kinds & decisive[sec]:
                self.facts[sec].insert(0, Fact(sec, self.t(f"empty.{sec}"), (), "none"))
            elif not self.facts[sec]:
                self.facts[sec].append(Fact(sec, self.t(f"empty.{sec}"), (), "none"))


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
