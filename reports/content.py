"""The report as format-free content: what every renderer (PDF, DOCX, HTML, Markdown, CSV, XLSX)
prints, built once from :class:`reports.model.ReportData`.

The same :class:`ReportContent` feeds every format, so a PDF and a DOCX of the same inputs say the
same thing, and ``numbers`` (the CSV/XLSX export) holds every number the document shows, with the
text it is shown as (``'<5'`` and ``'..'`` in the kommun tier).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from i18n import fmt_number
from indicators.calendar import parse_period
from indicators.texts import noun
from layers.areas import CATEGORY_LABELS
from layers.method_card import method_card
from reports.disclosure import policy
from reports.facts import SECTIONS, Fact, classify, rag_label, verdict
from reports.model import NoteItem, ReportData
from reports.numberview import STAT_REF_FIELD, Numbers
from reports.plain import has_marks, method_footnote, report_facts
from reports.texts import L, section_title
from texts import t

TABLE_FIELDS = ("value", "reference", "change", "p_adjusted")


@dataclass(frozen=True)
class Row:
    """One indicator line of the table."""

    id: str
    name: str
    synthetic: bool
    value: str
    reference: str
    change: str
    p: str
    rag: str  # red | amber | green | grey | hidden
    rag_text: str
    verdict: str
    reason: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    facts: tuple[Fact, ...]
    notes: tuple[NoteItem, ...]


@dataclass
class ReportContent:
    """Everything a renderer prints (plain strings, PNG bytes and one numbers table)."""

    lang: str
    tier: str
    title: str
    subtitle: str
    period_label: str
    header: str  # running header: area · period
    tier_label: str  # printed on every page
    tier_short: str
    meta: list[tuple[str, str]]
    footer: str  # created … · data version …
    synthetic_banner: str | None
    sections: list[Section]
    caveats: list[str]
    hypotheses: list[str]
    columns: list[str]
    rows: list[Row]
    hotspot_lines: list[str]
    method_rows: list[tuple[str, str]]
    sources: list[str]
    method_notes: list[str]
    numbers: pd.DataFrame
    map_png: bytes | None = None
    map_caption: str = ""
    chart_png: bytes | None = None
    chart_caption: str = ""
    chart_title: str = ""
    area_id: str = ""
    period: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    #: the kommun tier's footnote naming the method behind the plain words (¹), else None
    footnote: str | None = None
    #: indicators whose every number is hidden (kommun tier): said once under the table, not as
    #: rows of "<5 .. .." (``rows`` leaves them out)
    small_rows: list[Row] = field(default_factory=list)
    small_note: str = ""


# --------------------------------------------------------------------------- pieces
def notable(data: ReportData, numbers: Numbers, k: int = 4) -> list[dict]:
    """The indicators worth a chart: significant first, then red, amber, then the smallest p
    (only verdicts the tier may see count: the choice must not tell a hidden one)."""
    def key(ind: dict) -> tuple:
        if not numbers.shown(ind["id"], "verdict"):
            return (1, 2, 1.0, ind["name"])
        rag_rank = {"red": 0, "amber": 1}.get(ind.get("rag") or "", 2)
        p = ind.get("p_test") if numbers.shown(ind["id"], "p_test") else None
        return (0 if ind.get("significant") else 1, rag_rank, 1.0 if p is None else p, ind["name"])

    cands = [i for i in data.indicators if i.get("value") is not None and i.get("complete")]
    return sorted(cands, key=key)[:k]


def table_row(ind: dict, data: ReportData, n: Numbers) -> Row:
    """An indicator's line of the report table: the one answer the page's kommun table, the
    PDF/DOCX tables and the CSV/XLSX 'rag'/'bedömning' rows all print."""
    lang = data.lang
    cmp_ = data.summary.get("comparison", "prev_year")
    if n.shown(ind["id"], "verdict"):
        rag, words = ind.get("rag") or "grey", verdict(ind, cmp_, lang)
        if not n.kommun:
            reason = ind.get(f"reason_{lang}") or ind.get("reason") or ""
        elif classify(ind, cmp_) == "untested" and ind.get("rule") != "target":
            # the verdict column says the words; the reason line only what it adds (coverage)
            reason = ind.get("coverage_note") or ""
        else:
            reason = ""  # "Grön: 175 mot 128 (i fjol), inom normal variation." repeats the row
        rag_text = rag_label(rag, lang)
    else:  # a verdict on a hidden small count would narrow it down: none is shown
        small = any(n.text(ind["id"], f) not in ("–", "") and not n.shown(ind["id"], f)
                    for f in ("value", STAT_REF_FIELD.get(cmp_, "previous")))
        rag = "hidden"
        words = t("rep.row.small" if small else "rep.row.missing", lang)
        rag_text = t("rep.row.not_assessed", lang)
        reason = t("rep.row.small_reason" if small else "rep.row.missing_reason", lang)
    return Row(ind["id"], ind["name"], bool(ind.get("synthetic")), n.text(ind["id"], "value"),
               n.reference_text(ind["id"]), n.change_text(ind["id"]),
               n.text(ind["id"], "p_adjusted") if not n.kommun else "", rag, rag_text, words, reason)


#: a cell that shows no number (hidden, suppressed or missing)
_NO_NUMBER = frozenset({"", "–", "..", "<5"})


def is_empty_row(row: Row) -> bool:
    """A row that shows no number: every cell "<5", "..", "–" or empty (in the kommun tier: a
    suppressed small count, or a series not yet reported). Its verdict is then grey or hidden."""
    return row.rag in ("hidden", "grey") and all(v.strip() in _NO_NUMBER for v in (row.value, row.reference, row.change))


def small_counts_note(rows: list[Row], ref_label: str, lang: str) -> str:
    """One sentence for the rows :func:`is_empty_row` leaves out of the table, grouped by what
    their cells show: ``'Blåljussabotage, upplopp och våld mot polis: färre än 5 både i perioden
    och i fjol; …'``."""
    if not rows:
        return ""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for r in rows:
        name = noun(r.name) + (" *" if r.synthetic else "")
        note = r.reason if r.rag == "grey" else ""
        groups.setdefault((r.value.strip(), r.reference.strip(), note), []).append(name)
    ref = ref_label.lower()
    parts = []
    for (value, refv, note), names in groups.items():
        if value == "<5" and refv == "<5":
            what = t("rep.small.both", lang, ref=ref)
        elif value == "<5" and refv == "–":
            what = t("rep.small.nothing_to_compare", lang)
        elif value == "<5":
            what = t("rep.small.period", lang)
        elif value == "–":
            what = t("rep.small.no_figures", lang)
        else:
            what = t("rep.small.hidden", lang)
        parts.append(f"{_join(names, lang)}: {what}" + (f" ({note})" if note else ""))
    star = t("rep.synthetic_star", lang) if any(r.synthetic for r in rows) else ""
    head = t("rep.small.head", lang)
    return f"{head} – " + "; ".join(parts) + star + "."


def _join(names: list[str], lang: str) -> str:
    if len(names) == 1:
        return names[0][:1].upper() + names[0][1:]
    text = ", ".join(names[:-1]) + t("rep.and", lang) + names[-1]
    return text[:1].upper() + text[1:]


def _version_notes(data: ReportData) -> tuple[list[str], str | None]:
    """What the report says about its figures' data: one caveat per indicator with preliminary
    values (never tested) or a revision since an earlier export ("Rån: reviderat +3 sedan
    2026-03-02 (var 12)"; in the kommun tier without the numbers, which may be small counts), and
    one method note giving each figure's data version (the import it came from)."""
    from indicators.revisions import revision_text

    lang, kommun = data.lang, data.kommun
    caveats, versions = [], []
    for ind in data.indicators:
        unit = ind.get("unit") or "count"
        if ind.get("preliminary"):
            months = ", ".join(m["month"] for m in ind.get("preliminary_months") or [])
            with_prelim = ind.get("value_preliminary")
            if kommun or with_prelim is None:
                caveats.append(t("rep.preliminary", lang, name=ind["name"], months=months))
            else:
                shown = fmt_number(with_prelim, lang, 0 if unit == "count" else 1)
                caveats.append(t("rep.preliminary_values", lang, name=ind["name"], months=months, shown=shown))
        if ind.get("revision"):
            caveats.append(f"{ind['name']}: {revision_text(ind['revision'], lang, unit, numbers=not kommun)}.")
        if ind.get("data_version") is not None:
            versions.append(f"{ind['name']} {ind['data_version']}")
    line = None
    if versions:
        line = t("rep.version_line", lang, versions=", ".join(versions))
    return caveats, line


def _hotspot_lines(data: ReportData) -> tuple[list[str], list[tuple[str, str]]]:
    fc = data.hotspots if policy(data.tier).allows_layer("hotspots") else None
    lang = data.lang
    if not fc:
        return [L("no_hotspot_data" if policy(data.tier).allows_layer("hotspots") else "hotspots_kommun", lang)], []
    method = dict(fc.get("method") or {})
    excluded = None if data.kommun else fc.get("excluded")
    rows = method_card(method, excluded, lang)
    return [], rows


#: the numbers table's columns in order (their headers: catalogue keys ``rep.numbers.<name>``)
NUMBER_COLUMNS = ("section", "indicator_id", "indicator", "measure", "value", "shown_as", "synthetic",
                  "data_version")


class _NumberRows:
    """The long numbers table as it is filled: one row per number the document shows."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.headers = {c: t(f"rep.numbers.{c}", lang) for c in NUMBER_COLUMNS}
        self.rows: list[dict] = []

    def add(self, section: str, ind_id: str, name: str, measure: str, value, text: str, synthetic=False,
            version=None) -> None:
        # the data version (import) the number came from
        cells = (section, ind_id, name, measure, value, text, bool(synthetic),
                 None if version is None else int(version))
        self.rows.append({self.headers[c]: v for c, v in zip(NUMBER_COLUMNS, cells, strict=True)})

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows)
        version_col = self.headers["data_version"]
        if version_col in frame.columns:  # import ids: whole numbers, empty where a number has none
            frame[version_col] = frame[version_col].astype("Int64")
        return frame


def _fmt_plain(v, lang: str) -> str:
    """A number with no decimals when whole, else one."""
    return fmt_number(v, lang, 0 if float(v).is_integer() else 1)


def _indicator_extras(out: _NumberRows, ind: dict, n: Numbers, section: str, ver) -> None:
    """An indicator's preliminary values, revision and year-end projection (police tier) rows."""
    lang, i = out.lang, ind["id"]
    if ind.get("preliminary") and not n.kommun:
        for m in ind.get("preliminary_months") or []:
            out.add(section, i, ind["name"], f"preliminary.{m['month']}", m["value"], _fmt_plain(m["value"], lang),
                    ind.get("synthetic"), m.get("data_version"))
        if ind.get("value_preliminary") is not None:
            out.add(section, i, ind["name"], "value_preliminary", ind["value_preliminary"],
                    _fmt_plain(ind["value_preliminary"], lang), ind.get("synthetic"), ver)
    rev = ind.get("revision")
    if rev:
        from indicators.revisions import revision_text

        unit = ind.get("unit") or "count"
        out.add(section, i, ind["name"], "revision", None if n.kommun else rev["change"],
                revision_text(rev, lang, unit, numbers=not n.kommun), ind.get("synthetic"), ver)
    proj = ind.get("projection") or {}
    if not n.kommun:
        for k in ("actual_to_date", "target_to_date", "projected_total"):
            if proj.get(k) is not None:
                out.add(section, i, ind["name"], f"projection.{k}", proj[k], fmt_number(proj[k], lang, 1),
                        ind.get("synthetic"))


def _indicator_numbers(out: _NumberRows, data: ReportData, n: Numbers, rows: list[Row]) -> None:
    """The table's numbers per indicator (tier-aware fields), its colour and verdict words."""
    lang = out.lang
    tbl = L("table", lang)
    versions = {i["id"]: i.get("data_version") for i in data.indicators}
    fields = ["value", "previous", "baseline", "target", "change", "pct_change"]
    if not n.kommun:
        fields += ["z_poisson", "z_baseline", "p_test", "p_adjusted", "rate_per_1000", "cum_deviation"]
    for ind in data.indicators:
        i = ind["id"]
        ver = versions.get(i)
        for f in fields:
            if ind.get(f) is None:
                continue
            out.add(tbl, i, ind["name"], f, n.raw(i, f), n.text(i, f), ind.get("synthetic"), ver)
        row = next(r for r in rows if r.id == i)
        out.add(tbl, i, ind["name"], "rag", None, row.rag_text, ind.get("synthetic"), ver)
        out.add(tbl, i, ind["name"], t("rep.numbers.measure_verdict", lang), None, row.verdict,
                ind.get("synthetic"), ver)
        _indicator_extras(out, ind, n, tbl, ver)


def _chart_numbers(out: _NumberRows, data: ReportData, charts: list[dict]) -> None:
    """The charts' values: monthly (police tier, with each month's data version) or per period."""
    lang = out.lang
    month_versions = {}
    if data.monthly is not None and "import_id" in data.monthly.columns:
        month_versions = {(str(i), str(m)): v for i, m, v in
                          zip(data.monthly["indicator_id"], data.monthly["month"], data.monthly["import_id"], strict=True)
                          if not pd.isna(v)}  # NULL: a value written outside an import
    chart = L("charts", lang)
    for c in charts:
        ind = c["ind"]
        if "months" in c:
            for m, v in zip(c["months"], c["values"], strict=True):
                if v is not None:
                    out.add(chart, ind["id"], ind["name"], m, v, _fmt_plain(v, lang),
                            ind.get("synthetic"), month_versions.get((str(ind["id"]), str(m))))
        else:
            for label, v, text in c["bars"]:
                out.add(chart, ind["id"], ind["name"], label, v, text, ind.get("synthetic"))


def _hotspot_numbers(out: _NumberRows, data: ReportData, n: Numbers) -> None:
    """Each hot or cold cell's class (and, police tier, its count, z and adjusted p)."""
    lang = out.lang
    hs = L("hotspots", lang)
    for f in ((data.hotspots or {}) if policy(data.tier).allows_layer("hotspots") else {}).get("features", []):
        p = f["properties"]
        if p.get("class") == "ns":
            continue
        out.add(hs, "", p["cell"], "class", None, p["class"])
        if not n.kommun:
            for k in ("count", "z", "p_adjusted"):
                if p.get(k) is not None:
                    out.add(hs, "", p["cell"], k, p[k], fmt_number(p[k], lang, 0 if k == "count" else 3))


def _hypothesis_numbers(out: _NumberRows, data: ReportData, n: Numbers, facts: dict[str, list[Fact]]) -> None:
    """The nearness checks: their numbers (police tier) or their sentence (kommun tier)."""
    lang = out.lang
    hyp = L("hypotheses", lang)
    sentences = {f.refs[0][0].removeprefix("poi:"): f.text for f in facts["hypotheses"] if f.refs}
    for test in data.poi_tests:
        kind = test.get("kind", "")
        if not test.get("n_places") or kind not in sentences:
            continue
        if n.kommun:  # the sentence holds the suppressed counts; no raw numbers
            out.add(hyp, "", kind, "sentence", None, sentences[kind])
            continue
        for k in ("n_places", "events_inside", "events_outside", "events_total", "area_share",
                  "rate_ratio", "p_value"):
            if test.get(k) is not None:
                if isinstance(test[k], float) and not math.isfinite(test[k]):  # e.g. no event outside: no ratio
                    out.add(hyp, "", kind, k, None, "–")
                    continue
                dec = 0 if k.startswith(("n_", "events")) else 3
                out.add(hyp, "", kind, k, test[k], fmt_number(test[k], lang, dec))


def _numbers_frame(data: ReportData, n: Numbers, rows: list[Row], charts: list[dict],
                   facts: dict[str, list[Fact]]) -> pd.DataFrame:
    """Every number the document shows, long format."""
    out = _NumberRows(data.lang)
    _indicator_numbers(out, data, n, rows)
    _chart_numbers(out, data, charts)
    _hotspot_numbers(out, data, n)
    _hypothesis_numbers(out, data, n, facts)
    return out.frame()


def _subtitle(area: dict, lang: str) -> str:
    """``'Särskilt utsatt område · Stockholm · LPO Järva · polisregion Stockholm · 12 000 invånare'``."""
    cat = CATEGORY_LABELS[lang].get(area.get("category") or "", area.get("category") or "")
    sub_parts = [cat, area.get("kommun"), f"{L('lpo', lang)} {area.get('lpo')}" if area.get("lpo") else None,
                 f"{L('region', lang)} {area.get('region')}" if area.get("region") else None]
    subtitle = " · ".join(str(s) for s in sub_parts if s)
    if area.get("population"):
        subtitle += f" · {fmt_number(area['population'], lang)} {L('population', lang)}"
    return subtitle


def _meta(data: ReportData, period_label: str, tier_short: str) -> tuple[list[tuple[str, str]], str]:
    """The identity table under the title (area, period, comparison, version, purpose, created)
    and the footer line (created, data version)."""
    lang, area = data.lang, data.area
    cmp_ = data.summary.get("comparison", "prev_year")
    created = data.generated_at.strftime("%Y-%m-%d %H:%M")
    meta = [(L("area_id", lang).capitalize(), f"{area['name']} ({L('area_id', lang)} {area['id']}, "
                                              f"{L('list', lang)} {area.get('list_year')})"),
            (L("period", lang), period_label),
            (L("comparison", lang), L(f"cmp_{cmp_}", lang)),
            (L("tier", lang), tier_short)]
    if data.purpose:
        meta.append((L("purpose", lang), data.purpose))
    meta.append((L("generated", lang), f"{created} · {L('data_version', lang)} {data.data_version}"))
    footer = f"{L('generated', lang)} {created} · {L('data_version', lang)} {data.data_version}"
    return meta, footer


def _sections(data: ReportData, facts: dict[str, list[Fact]]) -> list[Section]:
    """The 4P sections: their generated facts and the notes the tier may see."""
    sections = []
    for key in SECTIONS:
        notes = tuple(nt for nt in data.notes
                      if nt.section == key and policy(data.tier).note_visible(nt.internal, nt.kommun))
        sections.append(Section(key, section_title(key, data.lang), tuple(facts[key]), notes))
    return sections


def _columns(data: ReportData, ref_label: str) -> list[str]:
    """The indicator table's headers (the adjusted p in the police tier only)."""
    lang = data.lang
    columns = [L("col_indicator", lang), L("col_value", lang), ref_label, L("col_change", lang)]
    if not data.kommun:
        columns.append(L("col_p", lang))
    columns.append(L("col_assessment", lang))
    return columns


def _chart_title(ind: dict, lang: str) -> str:
    return ind["name"] + (f" ({t('rep.synthetic_word', lang)})" if ind.get("synthetic") else "")


def _charts(data: ReportData, n: Numbers, period: str) -> list[dict]:
    """The notable indicators' charts: the shown period values (kommun tier, none when nothing
    is shown) or three years of months (police tier, none without a value)."""
    chart_inds = notable(data, n)
    charts = []
    if data.kommun:
        for ind in chart_inds:
            bars = n.period_series(ind["id"])
            if not bars or all(v is None for _, v, _ in bars):  # nothing shown: no empty chart
                continue
            charts.append({"ind": ind, "title": _chart_title(ind, data.lang), "bars": bars})
    elif data.monthly is not None:
        from reports.figures import monthly_panel

        for ind in chart_inds:
            panel = monthly_panel(data.monthly, data.targets, ind, period, title=_chart_title(ind, data.lang))
            if any(v is not None for v in panel["values"]):
                charts.append({"ind": ind, **panel})
    return charts


def _sources(data: ReportData, synthetic: bool) -> list[str]:
    """The data sources, the indicators' sources and (with synthetic data) the generator."""
    lang = data.lang
    src_lines = [f"{s['title']} – {s['publisher']}, {s['licence']}. {s['url']}" for s in data.sources]
    ind_src = sorted({str(i.get("source")) for i in data.indicators if i.get("source")})
    src_lines += [f"{L('indicator_sources', lang)}: {s}" for s in ind_src]
    if synthetic:
        src_lines.append(L("synthetic_source", lang))
    return src_lines


def _method_notes(data: ReportData, facts: dict[str, list[Fact]], version_line: str | None) -> list[str]:
    """The method notes: the tier's statistics caveats, the colour rule, the hotspot method,
    the real series' coverage and the data versions."""
    lang = data.lang
    if data.kommun:  # the body's plain caveat points here: name the method itself
        method_notes = [method_footnote(data, pointer=False).removeprefix("¹ ")]
        method_notes += [f.text for f in facts["caveats"] if f.kind == "suppression"]
    else:
        method_notes = [f.text for f in facts["caveats"] if f.kind in ("fdr", "suppression")]
    res = ((data.hotspots or {}).get("method") or {}).get("h3_resolution") or 9
    method_notes += [t("rep.note.colour", lang),
                     t("rep.note.hotspots", lang, res=res,
                       buffer=fmt_number(data.map.buffer_m if data.map else 300, lang))]
    if (data.area.get("real_series") or {}).get("note"):  # which DeSOs the real offence series count, or why none
        method_notes.append(data.area["real_series"]["note"])
    if version_line:
        method_notes.append(version_line)
    return method_notes


#: the labels every renderer prints (``ReportContent.labels``)
CONTENT_LABELS = ("summary_heading", "notes", "note_by", "internal", "caveats", "map", "charts", "table",
                  "hotspots", "method", "hypotheses", "sources", "method_notes", "page", "of", "col_reason",
                  "synthetic_tag", "generated_facts")


def _add_figures(content: ReportContent, data: ReportData, charts: list[dict], period: str) -> None:
    """Render the map (when the tier may see hotspots) and the charts into ``content``."""
    from reports.figures import render_map, render_period_bars, render_trends

    if data.map is not None and policy(data.tier).allows_layer("hotspots"):
        content.map_png = render_map(data.map, data.hotspots, data.hotspots_previous, data.lang,
                                     name=data.area["name"])
    if charts:
        content.chart_png = (render_period_bars(charts, data.lang) if data.kommun
                             else render_trends(charts, period, data.lang))


# --------------------------------------------------------------------------- build
def build_content(data: ReportData, figures: bool = True) -> ReportContent:
    """Assemble the report content (and render its map and charts when ``figures``)."""
    lang = data.lang
    n = Numbers(data)
    facts = report_facts(data, n)
    area = data.area
    p = parse_period(data.summary["period"])
    period_label = data.summary.get("period_label") or p.label_for(lang)
    tier_short = L(f"tier_{data.tier}_short", lang)
    meta, footer = _meta(data, period_label, tier_short)
    synthetic = any(i.get("synthetic") for i in data.indicators)

    all_rows = [table_row(i, data, n) for i in data.indicators]
    ref_label = n.reference_label()
    small = [r for r in all_rows if data.kommun and is_empty_row(r)]
    rows = [r for r in all_rows if r not in small]
    charts = _charts(data, n, p.label)
    hotspot_lines, method_rows = _hotspot_lines(data)
    data_caveats, version_line = _version_notes(data)  # preliminary values, revisions, data versions

    content = ReportContent(
        lang=lang, tier=data.tier, title=f"{L('doc_title', lang)}: {area['name']}", subtitle=_subtitle(area, lang),
        period_label=period_label, header=f"{L('doc_title', lang)} · {area['name']} ({area['id']}) · {period_label}",
        tier_label=L(f"tier_{data.tier}", lang), tier_short=tier_short, meta=meta, footer=footer,
        synthetic_banner=L("synthetic_banner", lang) if synthetic else None, sections=_sections(data, facts),
        caveats=[f.text for f in facts["caveats"]] + data_caveats, hypotheses=[f.text for f in facts["hypotheses"]],
        columns=_columns(data, ref_label), rows=rows, hotspot_lines=hotspot_lines, method_rows=method_rows,
        sources=_sources(data, synthetic), method_notes=_method_notes(data, facts, version_line),
        numbers=_numbers_frame(data, n, all_rows, charts, facts), area_id=str(area["id"]),
        period=p.label, labels={k: L(k, lang) for k in CONTENT_LABELS},
    )
    if data.kommun and has_marks(facts):
        content.footnote = method_footnote(data)
    content.small_rows = small
    content.small_note = small_counts_note(small, ref_label, lang)
    content.chart_title = L("charts", lang)
    content.chart_caption = L("charts_caption_kommun" if data.kommun else "charts_caption_police", lang)
    buffer = fmt_number(data.map.buffer_m if data.map else 300, lang)
    content.map_caption = L("map_caption", lang, name=area["name"], period=period_label, buffer=buffer) + (
        L("map_caption_kommun", lang) if data.kommun else "")
    if figures:
        _add_figures(content, data, charts, p.label)
    return content
