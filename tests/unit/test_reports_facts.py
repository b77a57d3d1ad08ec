"""The generated 4P lägesbild: each sentence built from its numbers, non-significant changes only
ever "inom normal variation", caveats present, the kommun tier's texts without small counts."""

from __future__ import annotations

import doctest
import re
from datetime import datetime

import pytest

import reports.facts
from reports.content import build_content
from reports.facts import SECTIONS, build_facts, classify, verdict
from reports.model import NoteItem, ReportData
from reports.numberview import Numbers


def ind(id_, name, value, previous, significant, p_adj, direction="up_is_bad", rag="green",
        rule="statistical", **kw):
    base = {"id": id_, "name": name, "unit": "count", "direction": direction, "proactive": False,
            "value": value, "previous": previous, "baseline": previous, "target": None,
            "change": None if value is None or previous is None else value - previous,
            "pct_change": None if not previous or value is None else round(100 * (value - previous) / previous, 1),
            "p_test": p_adj, "p_adjusted": p_adj, "significant": significant, "rag": rag, "rule": rule,
            "reason": f"{rag}", "reason_sv": f"Skäl {name}", "reason_en": f"Reason {name}",
            "synthetic": True, "complete": value is not None, "coverage_note": None,
            "cum_deviation": None, "projection": None, "cusum_signals": [], "z_poisson": 1.0}
    base.update(kw)
    return with_verdict(base)


def with_verdict(d: dict) -> dict:
    """The verdict object's fields for a hand-made indicator (what verdict_table gives)."""
    from indicators.rag import verdict_words

    v, ref = d.get("value"), d.get("previous")
    change = None if v is None or ref is None else v - ref
    neutral = d["direction"] == "effort" or d.get("proactive")
    sign = {"up_is_bad": 1, "up_is_good": -1}.get(d["direction"], 0)
    worse = change is not None and change * sign > 0
    if v is None or d.get("p_adjusted") is None:
        signal = "untested"
    elif d.get("significant"):
        signal = "sig_neutral" if neutral else ("sig_worse" if worse else "sig_better")
    elif (d.get("p_test") or 1) < 0.05 and worse and not neutral:
        signal = "nominal"
    else:
        signal = "normal"
    state = None
    if d.get("target") is not None and v is not None:
        gap = (v - d["target"]) if d["direction"] == "up_is_bad" else (d["target"] - v)
        state = "off_target" if gap > 0 else "on_target"
    d.setdefault("signal", signal)
    d.setdefault("target_state", state)
    d.setdefault("arrow", "" if change is None else ("▲" if change > 0 else "▼" if change < 0 else "="))
    for lang in ("sv", "en"):
        d.setdefault(f"verdict_{lang}", verdict_words(d["signal"], d["arrow"] == "▲",
                                                      bool(d.get("complete", True)), d["target_state"], lang))
    return d


def summary(lang="sv", comparison="prev_year"):
    inds = [
        ind("brand", "Anlagd brand", None, None, None, None, rag="grey", synthetic=False,
            coverage_note="2026-01–2026-04 ännu inte rapporterade", complete=False),
        ind("ran", "Rån", 13.0, 2.0, True, 0.03, rag="red"),
        ind("skjutningar", "Skjutningar", 3.0, 1.0, False, 0.44),
        ind("vapenbrott", "Vapenbrott", 4.0, 12.0, False, 0.25),
        ind("misshandel", "Misshandel utomhus", 40.0, 70.0, True, 0.001),
        ind("narkotikabrott", "Narkotikabrott", 34.0, 16.0, True, 0.02, rag="amber", proactive=True),
        ind("medborgarkontakter", "Medborgarkontakter", 104.0, 99.0, False, 1.0, direction="effort",
            rag="red", rule="target", target=140.0, cum_deviation=-82.0,
            projection={"year": 2026, "actual_to_date": 198.0, "target_to_date": 280.0,
                        "projected_total": 297.0}),
        ind("trygghet", "Trygghet (andel trygga)", 58.0, 51.0, True, 0.01, direction="up_is_good",
            unit="share"),
    ]
    return {"area": {"id": "74", "name": "Rinkeby", "category": "sarskilt_utsatt", "kommun": "Stockholm",
                     "lpo": "Järva", "region": "Stockholm", "population": 14093.0, "list_year": 2025},
            "period": "2026-T1", "period_label": "tertial 1 2026 (jan–apr)", "comparison": comparison,
            "lang": lang, "fdr_alpha": 0.05, "indicators": inds}


def hexes(cells: dict[str, str]) -> dict:
    feats = [{"type": "Feature", "id": c, "geometry": {"type": "Polygon", "coordinates": [[[18, 59], [18.001, 59],
              [18.001, 59.001], [18, 59]]]},
              "properties": {"cell": c, "class": k, "count": 7, "z": 3.2, "p": 0.001, "p_adjusted": 0.01}}
             for c, k in cells.items()]
    return {"type": "FeatureCollection", "features": feats,
            "method": {"method": "Getis-Ord Gi*", "grid": "H3", "h3_resolution": 9, "points_used": 150},
            "excluded": {"imprecise_location_kommun": 4}}


POI = {"kind": "krog", "distance_m": 200.0, "n_places": 2, "area_share": 0.23, "events_inside": 3,
       "events_outside": 147, "events_total": 150, "rate_ratio": 1.6, "p_value": 0.008,
       "sentence": {"sv": "Inom 200 m från 2 krog inträffade 3 av 150 händelser.",
                    "en": "Within 200 m of 2 krog, 3 of 150 events occurred."}}


def data(tier="police", lang="sv", **kw) -> ReportData:
    defaults = dict(
        summary=summary(lang), tier=tier,
        hotspots=hexes({"a": "hot99", "b": "hot95", "c": "ns", "d": "hot90", "e": "ns"}),
        hotspots_previous=hexes({"a": "hot99", "e": "hot95"}),
        poi_tests=(POI,),
        precision=({"precision": "exact", "count": 150, "synthetic": 150, "hotspot_eligible": True},
                   {"precision": "kommun", "count": 3, "synthetic": 0, "hotspot_eligible": False}),
        last_month={"ran": "2026-04"},
        notes=(NoteItem("problem", "Oro vid skolan", "anna", datetime(2026, 5, 2, 9, 0), False, kommun=True),
               NoteItem("atgarder", "Spaning vid torget", "bo", datetime(2026, 5, 2, 9, 5), True),
               NoteItem("framsteg", "Bra möte med skolan", "cia", datetime(2026, 5, 2, 9, 7), False)),
        period_totals={"skjutningar": [("2023-T1", 2.0), ("2024-T1", 0.0), ("2025-T1", 1.0), ("2026-T1", 3.0)]},
    )
    defaults.update(kw)
    return ReportData(**defaults)


def test_doctests():
    assert doctest.testmod(reports.facts).failed == 0


def test_verdict_words_follow_the_significance_flag():
    s = summary()
    by = {i["id"]: i for i in s["indicators"]}
    assert verdict(by["ran"], "prev_year") == "säker ökning"
    assert verdict(by["misshandel"], "prev_year") == "säker minskning"
    assert verdict(by["skjutningar"], "prev_year") == "inom normal variation"
    assert verdict(by["brand"], "prev_year") == "ingen bedömning (ofullständig period)"
    assert verdict(by["medborgarkontakter"], "prev_year").endswith("sämre än målet")
    assert verdict(by["ran"], "prev_year", "en") == "clear increase"
    assert classify(by["narkotikabrott"], "prev_year") == "sig_neutral"
    assert classify(by["trygghet"], "prev_year") == "sig_better"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_section_has_facts_and_each_sentence_names_its_numbers(lang):
    d = data(lang=lang)
    facts = build_facts(d)
    for sec in SECTIONS:
        assert facts[sec], sec
    n = Numbers(d)
    by = {i["id"]: i for i in d.indicators}
    for sec in SECTIONS:
        for f in facts[sec]:
            for ref_id, field in f.refs:
                if ref_id in by and field in ("value", "target"):
                    assert n.text(ref_id, field) in f.text, (f.text, ref_id, field)
    chance = "sannolikt inte slump" if lang == "sv" else "unlikely to be chance"
    normal = "inom normal variation" if lang == "sv" else "within normal variation"
    for sec in SECTIONS:
        for f in facts[sec]:
            ids = {r for r, _ in f.refs if r in by}
            if chance in f.text:
                assert all(by[i]["significant"] for i in ids), f.text
            if ids & {"skjutningar", "vapenbrott"}:
                assert normal in f.text and chance not in f.text, f.text


def test_the_four_p_in_swedish():
    facts = build_facts(data())
    text = {s: " ".join(f.text for f in facts[s]).replace("\xa0", " ") for s in facts}
    assert "Rån ökade: 13 mot 2 samma tertial i fjol (+550 %) – säker ökning" in text["problem"]
    assert "Misshandel utomhus minskade: 40 mot 70" in text["framsteg"]
    assert "Trygghet (andel trygga) ökade" in text["framsteg"]
    assert "skjutningar * 3 mot 1" in text["problem"]  # bad direction, not significant
    assert "vapenbrott * 4 mot 12" in text["framsteg"]  # good direction, not significant
    assert "Medborgarkontakter: 104 mot målet 140 (−26 %) – sämre än målet; avvikelse från målet hittills i år −82" in text["problem"]
    assert text["prioriteringar"].startswith("1. Röd")
    assert "Narkotikabrott" in text["prioriteringar"] and "polisens egna insatser" in text["prioriteringar"]
    assert "i nuvarande takt 297 för helåret 2026" in text["atgarder"]
    # hotspots: a, b, d hot now; a also last year → 2 new, 1 persistent; e no longer hot
    assert "3 hexagonceller är hotspots" in text["problem"]
    assert "2 nya jämfört med samma period i fjol, 1 kvarstående" in text["problem"]
    assert ("1 hexagoncell som var hotspot samma period i fjol är det inte längre (streckad kant på kartan)"
            in text["framsteg"])
    assert "1 hexagoncell var hotspot både nu och samma period i fjol (svart kant på kartan)" in text["prioriteringar"]
    assert "underlag för att beställa en fördjupad analys" in text["atgarder"]
    cav = text["caveats"]
    assert "anlagd brand" in cav and "ännu inte rapporterade" in cav
    assert "syntetiska demodata" in cav and "kommun- eller länsnivå" in cav
    assert "sent registrerade" in cav  # the period ends with the last reported month of 'ran'


def test_kommun_tier_text_has_no_small_counts_no_hotspots_and_no_event_analyses():
    """Even when the inputs hold them (the policy is applied again where the text is written)."""
    facts = build_facts(data(tier="kommun"))
    text = " ".join(f.text for fs in facts.values() for f in fs).replace("\xa0", " ")
    assert "3 mot 1" not in text and "4 mot 12" not in text  # verdicts on hidden counts are not given
    assert "händelser (z =" not in text and "hexagoncell" not in text  # no hotspot layer in the kommun tier
    assert "150" not in text and "krog" not in text  # no hypothesis checks, no event counts
    assert "Lägesnoggrannhet" not in text
    assert "Tal under 5 visas som <5" in text and "tertial och hela år" in text
    assert re.search(r"\b[0-4] (skjutningar|händelser)\b", text) is None


def test_content_gives_the_kommun_tier_only_notes_marked_for_it():
    police = build_content(data(), figures=False)
    kommun = build_content(data(tier="kommun"), figures=False)
    pn = [n.text for s in police.sections for n in s.notes]
    kn = [n.text for s in kommun.sections for n in s.notes]
    assert sorted(pn) == ["Bra möte med skolan", "Oro vid skolan", "Spaning vid torget"]
    assert kn == ["Oro vid skolan"]  # marked for the kommun; not the internal one, not the unmarked one
    assert not any(k.startswith("hotspot") or k == "hypoteser" for k in kommun.numbers["avsnitt"].str.lower())
    assert kommun.hotspot_lines == ["Hotspotkartor och händelser ingår inte i kommunversionen."]
    assert kommun.tier_label.startswith("KOMMUNVERSION") and police.tier_label.startswith("POLISVERSION")
    # a row with no figure to show is not a row of the table: it is named once under it
    assert "skjutningar" not in {r.id for r in kommun.rows}
    row = next(r for r in kommun.small_rows if r.id == "skjutningar")
    assert (row.value, row.reference, row.change, row.rag) == ("<5", "<5", "..", "hidden")
    assert "skjutningar" in kommun.small_note.lower() and "färre än 5" in kommun.small_note
    row = next(r for r in police.rows if r.id == "skjutningar")
    assert (row.value, row.reference, row.rag_text) == ("3", "1", "Grön")
    numbers = kommun.numbers
    counts = numbers[(numbers["indikator_id"] != "trygghet") & numbers["mått"].isin(["value", "previous"])]
    shown = counts[counts["värde"].notna()]
    assert len(shown) and (shown["värde"].astype(float) >= 5).all()
    assert set(counts.loc[counts["värde"].isna(), "visas som"]) <= {"<5", ".."}


@pytest.mark.parametrize("tier", ["police", "kommun"])
def test_a_report_without_map_events_or_series_renders_in_every_format(tier):
    from reports.markup import render_html, render_markdown
    from reports.pdf import render_pdf
    from reports.tabular import render_csv, render_xlsx
    from reports.word import render_docx

    d = ReportData(summary=summary(), tier=tier)  # no hotspots, no map, no monthly values, no notes
    content = build_content(d)
    assert content.map_png is None and content.chart_png is None
    assert render_pdf(content)[:5] == b"%PDF-"
    assert render_docx(content)[:2] == b"PK" and render_xlsx(content)[:2] == b"PK"
    assert "Rinkeby" in render_html(content) and "Rinkeby" in render_markdown(content)
    assert render_csv(content).decode("utf-8-sig").startswith("# Lägesbild")


def test_export_panel_layout():
    from dash import html

    from ids import Ids
    from layout.export_panel import build_export_panel

    def ids(component) -> list:
        found = [getattr(component, "id", None)]
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                found += ids(child)
        return [i for i in found if i is not None]

    police = ids(build_export_panel("sv", tier="police"))
    for i in (Ids.EXPORT_PDF, Ids.EXPORT_DOCX, Ids.EXPORT_CSV, Ids.EXPORT_XLSX, Ids.EXPORT_TIER,
              Ids.EXPORT_PURPOSE, Ids.EXPORT_DOWNLOAD, Ids.NOTE_SAVE):
        assert i in police
    sections = [i["section"] for i in police if isinstance(i, dict) and i.get("type") == Ids.NOTE_TEXT]
    assert sections == ["framsteg", "problem", "prioriteringar", "atgarder"]
    kommun = build_export_panel("en", tier="kommun")
    assert isinstance(kommun, html.Div)
    kids = ids(kommun)
    assert Ids.EXPORT_PDF in kids and Ids.NOTE_SAVE not in kids  # no notes editor in the kommun tier
    assert not any(isinstance(i, dict) and i.get("type") in (Ids.NOTE_TEXT, Ids.NOTE_INTERNAL) for i in kids)


def test_every_event_near_the_places_does_not_break_the_report():
    """No event outside the places' buffer: an infinite rate ratio is said in words, never printed."""
    every = {**POI, "events_inside": POI["events_total"], "events_outside": 0, "rate_ratio": float("inf")}
    police = build_content(data(poi_tests=(every,)), figures=False)
    assert any("inga händelser i resten av området" in h for h in police.hypotheses)
    ratio = police.numbers[police.numbers.iloc[:, 3] == "rate_ratio"]
    assert len(ratio) == 1 and ratio.iloc[0, 5] == "–"
    kommun = build_content(data(tier="kommun", poi_tests=(every,)), figures=False)  # 0 outside is a small count
    assert not any("gånger" in h or "inf" in h for h in kommun.hypotheses)
