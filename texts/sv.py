"""Svenska: the Swedish catalogue. Every key here is in ``texts/en.py`` too (a test checks).

One table per domain (so that a key belongs to the code that uses it); ``MESSAGES`` is their
union, and a test checks that no key is in two of them.
"""

NBSP = "\u00a0"

#: number and date formats (``i18n``)
FORMAT: dict[str, str] = {
    "fmt.decimal": ",",
    "fmt.thousands": NBSP,
    "fmt.minus": "−",
    "fmt.percent": "{value}" + NBSP + "%",
}

#: the page: layout/, callbacks/, services/, commands/, cli.py, store/, security/, geodata/
PAGE: dict[str, str] = {
}

#: indicators/ and layers/
INDICATORS: dict[str, str] = {
    # indicators/texts.py: RAG reasons
    "ind.colour.red": "Röd",
    "ind.colour.amber": "Gul",
    "ind.colour.green": "Grön",
    "ind.colour.grey": "Grå",
    "ind.reason.no_value": "värde saknas",
    "ind.reason.no_population": "befolkning okänd",
    "ind.reason.group_too_small": "för få områden att jämföra med",
    "ind.reason.no_spread": "ingen spridning i jämförelsegruppen",
    "ind.reason.no_profiles": "inga DeSO-profiler inlästa",
    "ind.reason.no_profile": "områdets DeSO-områden är inte kända, så liknande områden kan inte väljas",
    "ind.reason.too_few_profiles": "för få områden med DeSO-profil",
    "ind.reason.incomplete": "ofullständig period",
    "ind.reason.no_previous": "samma period i fjol saknas",
    "ind.reason.no_baseline": "baslinje saknas",
    "ind.reason.no_variance": "inget test möjligt",
    "ind.reason.no_target": "inget mål satt",
    "ind.reason.no_history": "för kort historik",
    "ind.reason.break": "serieavbrott",
    "ind.same_last_year.month": "samma månad i fjol",
    "ind.same_last_year.tertial": "samma tertial i fjol",
    "ind.same_last_year.year": "året innan",
    "ind.same_last_year.r12": "föregående tolvmånadersperiod",
    "ind.same_last_year.ytd": "samma period i fjol",
    "ind.same_last_year.week": "samma vecka i fjol",
    "ind.baseline_of.month": "samma månad",
    "ind.baseline_of.tertial": "samma tertial",
    "ind.baseline_of.r12": "motsvarande tolvmånadersperioder",
    "ind.baseline_of.ytd": "samma period",
    "ind.baseline_of.week": "samma vecka",
    "ind.years.1": "ett",
    "ind.years.2": "två",
    "ind.years.3": "tre",
    "ind.ref.baseline": "mot i snitt {ref} {what} de {n} föregående åren",
    "ind.ref.baseline_years": "mot i snitt {ref} de {n} föregående åren",
    "ind.ref.previous": "mot {ref} {same}",
    "ind.test.etest": "E-test (Poisson)",
    "ind.test.nb_etest": "E-test (negativ binomial)",
    "ind.test.poisson_tail": "svanssannolikhet (Poisson)",
    "ind.test.nb_tail": "svanssannolikhet (negativ binomial)",
    "ind.test.t": "t-test",
    "ind.quantity.count": "{value} {name}",
    "ind.quantity.hours": "{name} {value}\xa0timmar",
    "ind.quantity.rate": "{name} {value} per 1\xa0000 invånare",
    "ind.quantity.other": "{name} {value}",
    "ind.gap.unregistered_at_end": "{months} ej slutligt registrerade när serien slutade",
    "ind.gap.ended": "serien slutade {end}, inga senare uppgifter",
    "ind.gap.pending.one": "{months} ännu inte rapporterad",
    "ind.gap.pending.other": "{months} ännu inte rapporterade",
    "ind.gap.missing": "data saknas för {months}",
    "ind.gap.starts": "serien börjar {start}",
    "ind.gap.before_start": "före seriens början: {months}",
    "ind.signal.significant": "signifikant efter FDR",
    "ind.signal.noteworthy.proactive": "signifikant efter FDR – värd att notera, brottstypen ökar med polisens egna insatser",
    "ind.signal.noteworthy.effort": "signifikant efter FDR – värd att notera, det är ett insatsmått",
    "ind.signal.nominal": "inte signifikant efter FDR (justerat p = {q})",
    "ind.signal.normal": "inom normal variation",
    # indicators/rag.py: verdicts and reasons
    "ind.verdict.clear.rise": "säker ökning",
    "ind.verdict.clear.fall": "säker minskning",
    "ind.verdict.clear_noted.rise": "säker ökning – värd att notera",
    "ind.verdict.clear_noted.fall": "säker minskning – värd att notera",
    "ind.verdict.possible.rise": "möjlig ökning, inte säker",
    "ind.verdict.possible.fall": "möjlig minskning, inte säker",
    "ind.verdict.untested": "ingen bedömning",
    "ind.verdict.untested_incomplete": "ingen bedömning (ofullständig period)",
    "ind.verdict.untested_ended": "ingen bedömning – serien slutade {ended}",
    "ind.target.on": "på eller bättre än målet",
    "ind.target.off": "sämre än målet",
    "ind.why.ended": "{head}: {parts} – ingen bedömning.",
    "ind.why.incomplete": "{head}: ofullständig period ({parts}), ingen bedömning.",
    "ind.why.break": "{head}: {qty}, men serieavbrott {month}{note}; ingen jämförelse över avbrottet.",
    "ind.why.not_on_list": "området fanns inte på {list_year} års lista",
    "ind.why.no_previous": "{head}: {qty}, men {same} saknas ({parts}), ingen jämförelse.",
    "ind.why.no_baseline": "{head}: {qty}, men baslinje saknas (kräver {k} hela år av samma månader, {have} finns).",
    "ind.why.no_variance": "{head}: {qty} {ref}, men inget signifikanstest (kräver minst två baslinjeår som varierar).",
    "ind.why.target_incomplete": "{head}: ofullständig period, målet kan inte bedömas.",
    "ind.why.no_target": "{head}: inget mål satt för hela {label}.",
    "ind.why.vs_target": "{head}: {qty} mot målet {target} ({dev})",
    "ind.why.missed_change_normal": "{start}, {worse}; förändringen är inom normal variation.",
    "ind.why.missed_untestable": "{start}, {worse} (ingen statistisk prövning möjlig mot detta mål).",
    "ind.why.missed_normal": "{start}, {worse} men inom normal variation{p}.",
    # indicators/calendar.py: months and period labels
    "ind.month.short.1": "jan",
    "ind.month.short.2": "feb",
    "ind.month.short.3": "mar",
    "ind.month.short.4": "apr",
    "ind.month.short.5": "maj",
    "ind.month.short.6": "jun",
    "ind.month.short.7": "jul",
    "ind.month.short.8": "aug",
    "ind.month.short.9": "sep",
    "ind.month.short.10": "okt",
    "ind.month.short.11": "nov",
    "ind.month.short.12": "dec",
    "ind.month.name.1": "januari",
    "ind.month.name.2": "februari",
    "ind.month.name.3": "mars",
    "ind.month.name.4": "april",
    "ind.month.name.5": "maj",
    "ind.month.name.6": "juni",
    "ind.month.name.7": "juli",
    "ind.month.name.8": "augusti",
    "ind.month.name.9": "september",
    "ind.month.name.10": "oktober",
    "ind.month.name.11": "november",
    "ind.month.name.12": "december",
    "ind.period.week": "vecka {week} {year} ({first}–{last})",
    "ind.period.r12": "12 månader t.o.m. {last} {year} ({first} {first_year}–{last} {year})",
    "ind.period.ytd": "{span} (hittills i år)",
    "ind.dispersion.nb": "negativ binomialfördelning med dispersion α = {alpha} skattad ur {pairs} årspar av alla områden (variansen ≈ {ratio} × Poisson)",
    "ind.dispersion.poisson": "Poissonfördelning (historiken visar ingen extra variation: {pairs} årspar)",
    "ind.revision.revised": "reviderat {change} sedan {since}",
    "ind.revision.revised_since": "reviderat sedan {since}",
    "ind.revision.was": "var {previous}",
    "ind.revision.prelim_label": "preliminär",
    "ind.revision.prelim_note": "{months} preliminär (ej slutlig): visas, testas inte",
}

#: reports/
REPORTS: dict[str, str] = {
}

SECTIONS = (FORMAT, PAGE, INDICATORS, REPORTS)
MESSAGES: dict[str, str] = {k: v for section in SECTIONS for k, v in section.items()}
