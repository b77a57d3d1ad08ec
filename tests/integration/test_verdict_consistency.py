"""One answer per question: 200 random (area, indicator, period, comparison) cells read the same in
the summary JSON, the compare JSON, the report CSV and the indicator card (issue 11).

Value, % change, p, q (FDR-adjusted p), RAG and the verdict's words are compared as numbers (to the
rounding the summary JSON carries) and as the text every view prints (decimal comma, half away from
zero), so "+156 %" here and "+157 %" there, or "p = 0,010" on one view and "< 0,001" on another,
fail. The browser half (the card Chromium draws equals ``card_data``) is in
``tests/browser/test_verdicts_in_browser.py``.
"""

from __future__ import annotations

import csv
import io
import random

import pytest

from i18n import fmt_p, fmt_percent
from indicators.texts import fmt_value

N_CELLS = 200
PER_COMBO = 5
PERIODS = (
    [f"{y}-T{t}" for y in range(2021, 2027) for t in (1, 2, 3)]
    + ["2023-09", "2024-02", "2025-05", "2026-03", "2022", "2023", "2025",
       "R12:2023-12", "R12:2025-08", "YTD:2023-08", "YTD:2025-10"]
)
COMPARISONS = ("prev_year", "baseline", "target")


def _report_rows(engine, area, period, cmp_) -> dict[tuple[str, str], tuple[str, str]]:
    from services.reports import export_report

    out = export_report(area, period, "csv", comparison=cmp_, lang="sv", engine=engine)
    text = out.content.decode("utf-8-sig")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    # a text beginning with + or − is written with a leading ' (spreadsheet-safe): Excel shows it
    # without the quote
    return {(r["indikator_id"], r["mått"]): (r["värde"], r["visas som"].removeprefix("'"))
            for r in rows if r.get("avsnitt") and r["indikator_id"]}


def _close(a, b, digits: int) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return round(float(a), digits) == round(float(b), digits)


def _sig4(x):
    return None if x is None else float(f"{float(x):.4g}")


@pytest.fixture(scope="module")
def demo_store(demo_db_path, data_dir):
    """The demo store as the configured store (the report's layers read the configured engine)."""
    from config import settings
    from store.engine import make_engine

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAGESBILD_DATABASE_URL", f"sqlite:///{demo_db_path}")
        mp.setenv("LAGESBILD_DATA_DIR", str(data_dir))
        mp.setenv("LAGESBILD_AUTH", "none")
        mp.delenv("LAGESBILD_REDIS_URL", raising=False)
        settings.cache_clear()
        engine = make_engine(f"sqlite:///{demo_db_path}")
        yield engine
        engine.dispose()
    settings.cache_clear()


@pytest.fixture(scope="module")
def cells(demo_store):
    from services.indicators import area_summary_json, compare_json

    demo_engine = demo_store
    rng = random.Random(20261204)
    areas = [a for a in compare_json(demo_engine, "alla", "2025-T2")["rows"]]
    area_ids = sorted({r["area_id"] for r in areas})
    combos, seen = [], set()
    while len(combos) * PER_COMBO < N_CELLS:
        combo = (rng.choice(area_ids), rng.choice(PERIODS), rng.choice(COMPARISONS))
        if combo not in seen:
            seen.add(combo)
            combos.append(combo)
    compare_cache: dict[tuple[str, str], dict] = {}
    out = []
    for area, period, cmp_ in combos:
        summary = area_summary_json(demo_engine, area, period, cmp_, "sv")
        key = (period, cmp_)
        if key not in compare_cache:
            rows = compare_json(demo_engine, "alla", period, cmp_, "sv")["rows"]
            compare_cache[key] = {(r["area_id"], r["indicator_id"]): r for r in rows}
        report = _report_rows(demo_engine, area, period, cmp_)
        for ind in rng.sample(summary["indicators"], PER_COMBO):
            out.append((area, period, cmp_, ind, compare_cache[key][(area, ind["id"])], report))
    assert len(out) == N_CELLS
    return out


def test_summary_and_compare_json_give_the_same_verdict(cells):
    tested = 0
    for area, period, cmp_, s, c, _ in cells:
        where = (area, s["id"], period, cmp_)
        assert _close(s["value"], c["value"], 3), where
        assert _close(s["pct_change"], c["pct_change"], 1), where
        assert s["p"] == _sig4(c["p"]) and s["p_adjusted"] == _sig4(c["p_adjusted"]), where
        assert s["test"] == c["test"] and s["rag"] == c["rag"], where
        assert s["verdict"] == c["verdict"] and s["reason"] == c["reason"], where
        assert s["arrow"] == c["arrow"] and s["signal"] == c["signal"], where
        # what a person reads: the same text on every view
        assert fmt_p(s["p"]) == fmt_p(c["p"]) and fmt_p(s["p_adjusted"]) == fmt_p(c["p_adjusted"]), where
        assert fmt_percent(s["pct_change"]) == fmt_percent(c["pct_change"]), where
        tested += s["p"] is not None
    assert tested >= 40  # enough cells with a test for the comparison to mean something


def test_the_report_csv_shows_the_same_numbers_and_words(cells):
    for area, period, cmp_, s, _, report in cells:
        where = (area, s["id"], period, cmp_)
        if s["value"] is not None:
            assert report[(s["id"], "value")][1] == fmt_value(s["value"], s["unit"], "sv"), where
        if s["pct_change"] is not None:
            assert report[(s["id"], "pct_change")][1] == fmt_percent(s["pct_change"], "sv", 0), where
        if s["p_adjusted"] is not None:
            assert report[(s["id"], "p_adjusted")][1] == fmt_p(s["p_adjusted"]), where
            assert report[(s["id"], "p_test")][1] == fmt_p(s["p"]), where
        assert report[(s["id"], "bedömning")][1] == s["verdict_sv"], where
        rag_words = {"red": "Röd", "amber": "Gul", "green": "Grön", "grey": "Grå"}
        assert rag_words[s["rag"]] in report[(s["id"], "rag")][1], where


def test_the_card_shows_the_verdict_object(cells):
    from layout.panels import card_data

    for area, period, cmp_, s, c, _ in cells:
        card = card_data(s, cmp_, "sv", False, [])
        where = (area, s["id"], period, cmp_)
        assert card["rag"] == s["rag"] == c["rag"], where
        assert card["verdict"] == s["verdict"] == c["verdict"], where
        assert card["value"] == fmt_value(c["value"], s["unit"], "sv"), where
        if s["arrow"]:
            assert s["arrow"] in card["cmp"], where
        assert card["reason"].startswith(s["reason"]) or s.get("nowcast"), where
