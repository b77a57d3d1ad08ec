"""English: the English catalogue. Every key here is in ``texts/sv.py`` too (a test checks).

One table per domain, as in ``texts/sv.py``; ``MESSAGES`` is their union.
"""

#: number and date formats (``i18n``)
FORMAT: dict[str, str] = {
    "fmt.decimal": ".",
    "fmt.thousands": ",",
    "fmt.minus": "-",
    "fmt.percent": "{value}%",
}

#: the page: layout/, callbacks/, services/, commands/, cli.py, store/, security/, geodata/
PAGE: dict[str, str] = {
}

#: indicators/ and layers/
INDICATORS: dict[str, str] = {
    # indicators/texts.py: RAG reasons
    "ind.colour.red": "Red",
    "ind.colour.amber": "Amber",
    "ind.colour.green": "Green",
    "ind.colour.grey": "Grey",
    "ind.reason.no_value": "no value",
    "ind.reason.no_population": "population unknown",
    "ind.reason.group_too_small": "too few areas to compare with",
    "ind.reason.no_spread": "no spread in the comparison group",
    "ind.reason.no_profiles": "no DeSO profiles loaded",
    "ind.reason.no_profile": "the area's DeSOs are not known, so similar areas cannot be chosen",
    "ind.reason.too_few_profiles": "too few areas with a DeSO profile",
    "ind.reason.incomplete": "incomplete period",
    "ind.reason.no_previous": "the same period last year is missing",
    "ind.reason.no_baseline": "no baseline",
    "ind.reason.no_variance": "no test possible",
    "ind.reason.no_target": "no target set",
    "ind.reason.no_history": "history too short",
    "ind.reason.break": "series break",
    "ind.same_last_year.month": "the same month last year",
    "ind.same_last_year.tertial": "the same tertial last year",
    "ind.same_last_year.year": "the previous year",
    "ind.same_last_year.r12": "the previous 12 months",
    "ind.same_last_year.ytd": "the same period last year",
    "ind.same_last_year.week": "the same week last year",
    "ind.baseline_of.month": "the same month",
    "ind.baseline_of.tertial": "the same tertial",
    "ind.baseline_of.r12": "the corresponding 12-month periods",
    "ind.baseline_of.ytd": "the same period",
    "ind.baseline_of.week": "the same week",
    "ind.years.1": "one",
    "ind.years.2": "two",
    "ind.years.3": "three",
    "ind.ref.baseline": "vs an average of {ref} in {what} of the previous {n} years",
    "ind.ref.baseline_years": "vs an average of {ref} in the previous {n} years",
    "ind.ref.previous": "vs {ref} in {same}",
    "ind.test.etest": "E-test (Poisson)",
    "ind.test.nb_etest": "E-test (negative binomial)",
    "ind.test.poisson_tail": "tail probability (Poisson)",
    "ind.test.nb_tail": "tail probability (negative binomial)",
    "ind.test.t": "t-test",
    "ind.quantity.count": "{value} {name}",
    "ind.quantity.hours": "{name} {value} hours",
    "ind.quantity.rate": "{name} {value} per 1,000 inhabitants",
    "ind.quantity.other": "{name} {value}",
    "ind.gap.unregistered_at_end": "{months} not fully registered when the series ended",
    "ind.gap.ended": "the series ended in {end}, no later data",
    "ind.gap.pending.one": "{months} not yet reported",
    "ind.gap.pending.other": "{months} not yet reported",
    "ind.gap.missing": "no data for {months}",
    "ind.gap.starts": "the series starts in {start}",
    "ind.gap.before_start": "before the series starts: {months}",
    "ind.signal.significant": "significant after FDR",
    "ind.signal.noteworthy.proactive": "significant after FDR – noteworthy, this offence rises with police effort",
    "ind.signal.noteworthy.effort": "significant after FDR – noteworthy, this is an effort measure",
    "ind.signal.nominal": "not significant after FDR (adjusted p = {q})",
    "ind.signal.normal": "within normal variation",
    # indicators/rag.py: verdicts and reasons
    "ind.verdict.clear.rise": "clear increase",
    "ind.verdict.clear.fall": "clear decrease",
    "ind.verdict.clear_noted.rise": "clear increase – worth noting",
    "ind.verdict.clear_noted.fall": "clear decrease – worth noting",
    "ind.verdict.possible.rise": "possible increase, not certain",
    "ind.verdict.possible.fall": "possible decrease, not certain",
    "ind.verdict.untested": "not assessed",
    "ind.verdict.untested_incomplete": "not assessed (incomplete period)",
    "ind.verdict.untested_ended": "not assessed – the series ended in {ended}",
    "ind.target.on": "on or better than target",
    "ind.target.off": "worse than target",
    "ind.why.ended": "{head}: {parts} – not assessed.",
    "ind.why.incomplete": "{head}: incomplete period ({parts}), not assessed.",
    "ind.why.break": "{head}: {qty}, but a series break in {month}{note}; no comparison across it.",
    "ind.why.not_on_list": "the area was not on the {list_year} list",
    "ind.why.no_previous": "{head}: {qty}, but {same} is missing ({parts}); no comparison.",
    "ind.why.no_baseline": "{head}: {qty}, but no baseline (needs {k} complete years of the same months, {have} available).",
    "ind.why.no_variance": "{head}: {qty} {ref}, but no significance test (needs at least two baseline years that vary).",
    "ind.why.target_incomplete": "{head}: incomplete period, the target cannot be assessed.",
    "ind.why.no_target": "{head}: no target set for all of {label}.",
    "ind.why.vs_target": "{head}: {qty} vs the target {target} ({dev})",
    "ind.why.missed_change_normal": "{start}, {worse}; the change is within normal variation.",
    "ind.why.missed_untestable": "{start}, {worse} (no statistical test possible against this target).",
    "ind.why.missed_normal": "{start}, {worse} but within normal variation{p}.",
}

#: reports/
REPORTS: dict[str, str] = {
}

SECTIONS = (FORMAT, PAGE, INDICATORS, REPORTS)
MESSAGES: dict[str, str] = {k: v for section in SECTIONS for k, v in section.items()}
