"""The fast paths give exactly what the plain composition of the public building blocks gives.

``area_summary`` and ``compare_table`` skip the intermediate frames, factorize the area's rows
once, memoise peer groups, formatted numbers and month texts, and the service layer reads only the
value rows the numbers depend on. Each test rebuilds a result the straightforward way (the way the
engine computed it before those shortcuts) and requires the same JSON text / the same frame, bit
for bit. (``bench/check_indicator_equivalence.py`` does the same against recorded outputs of the
old code on the bench and demo stores.)
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from indicators.calendar import (
    coverage_bounds,
    format_month,
    parse_month,
    parse_period,
    shift_month,
)
from indicators.catalogue import parse_comparison, validate_catalogue
from indicators.crosssection import cross_sectional_table, peer_group, profile_distances
from indicators.cusum import CUSUM_H, CUSUM_K, cusum_matrix
from indicators.frames import Coded, _positions, scatter
from indicators.rag import RagRules, assess, series_ended
from indicators.summary import (
    COMPARE_COLUMNS,
    SUMMARY_AREA_FIELDS,
    _num,
    _plain,
    _reason_text,
    area_summary,
    compare_table,
    period_section,
    round_display,
    verdict_table,
)
from indicators.table import area_meta, indicator_table, period_values
from indicators.targets import malstyrning, year_end_projection
from indicators.texts import fmt_value, gap_parts
from testing.synthetic import synthetic_frames

PERIODS = ("2025-T2", "2025-T3", "R12:2025-10", "2025-09", "YTD:2025-10", "2024")
COMPARISONS = ("prev_year", "baseline", "target")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    """Synthetic frames with every awkward case: missing rows, an open-ended series, one that
    starts late, a lagging feed, a rare count, hours, a share, effort targets, an area without
    population, two area lists."""
    f = synthetic_frames(
        n_areas=14,
        n_indicators=13,
        first_year=2019,
        last_month="2025-10",
        seed=11,
        missing_share=0.06,
    )
    cat = f["catalogue"].copy()
    cat.loc[1, "last_month"] = None  # as far as the data go
    cat.loc[2, "first_month"] = "2024-03"  # starts late
    cat.loc[3, "last_month"] = "2025-06"  # lagging feed
    cat.loc[4, "rare"] = True
    areas = f["areas"]
    old = areas.iloc[::2].copy()
    old["list_year"] = 2023
    areas = pd.concat([old, areas], ignore_index=True)
    areas.loc[len(old) + 3, "population"] = np.nan
    return {**f, "catalogue": cat, "areas": areas}


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


# --------------------------------------------------------------------------- the slow references
def reference_summary(
    values, catalogue, areas, targets, area_id, period, comparison, lang, rules=None, profiles=None
) -> dict:
    """area_summary from the public building blocks and DataFrames all the way."""
    rules = rules or RagRules()
    p = parse_period(period)
    cmp_ = parse_comparison(comparison)
    me = area_meta(areas, [area_id]).iloc[0]
    year = int(me["list_year"])
    cat = validate_catalogue(catalogue)
    bounds = coverage_bounds(cat, values)
    area_vals = values[values["area_id"] == area_id]
    own_targets = None if targets is None else targets[targets["area_id"] == area_id]
    # the FDR family: every area of the list (plus this one), dispersion from all the values
    family_ids = list(dict.fromkeys(
        [*areas.loc[areas["list_year"] == year, "id"].astype(str), str(area_id)]))
    table = indicator_table(
        values,
        catalogue,
        areas,
        p,
        cmp_,
        family_ids,
        targets,
        year,
        years=rules.baseline_years,
        min_years=rules.min_baseline_years,
        bounds=bounds,
    )
    fam = assess(table, p, cmp_, rules)
    mine = fam[fam["area_id"] == str(area_id)]
    wide = period_values(values, catalogue, areas, p, list_year=year, bounds=bounds)
    same_cat = areas.loc[
        (areas["category"] == me.get("category")) & (areas["list_year"] == year), "id"
    ]
    peers = peer_group(profiles, area_id, k=rules.k_peers)
    z_all = cross_sectional_table(wide, area_id).to_dict("index")
    z_cat = cross_sectional_table(wide, area_id, group=same_cat.astype(str)).to_dict("index")
    z_peer = (
        cross_sectional_table(wide, area_id, group=peers.peers).to_dict("index")
        if peers.peers
        else None
    )
    proj, cum_dev = {}, {}
    if targets is not None and len(targets):
        last = {i: str(v) for i, v in cat["last_month"].items() if isinstance(v, str) and v}
        through = {i: min(p.last, last.get(i, p.last)) for i in cat.index}
        ms = malstyrning(area_vals, own_targets, area_id, int(p.last[:4]), through)
        for j in range(0, len(ms), 12):
            grp = ms.iloc[j : j + 12]
            ind = grp["indicator_id"].iat[0]
            cum = grp["cum_deviation"].to_numpy()[(grp["month"] <= p.last).to_numpy()]
            cum = cum[~np.isnan(cum)]
            cum_dev[ind] = _num(cum[-1], 3) if len(cum) else None
            pr = year_end_projection(grp, cat.at[ind, "unit"], cat.at[ind, "direction"])
            proj[ind] = {
                k: (_num(v, 3) if isinstance(v, float) else _plain(v))
                for k, v in asdict(pr).items()
            }
    signals = reference_cusum(area_vals, cat, p)
    indicators = []
    for row in mine.itertuples(index=False):
        ind = row.indicator_id
        za, zc = z_all[ind], z_cat[ind]
        zp = z_peer[ind] if z_peer is not None else None
        note = za["reason"] or zc["reason"]
        if row.unit in ("count", "hours") and not (
            row.population == row.population and row.population > 0
        ):
            note = "no_population"
        coverage = None
        if not row.complete:
            coverage = gap_parts(row.pending, row.missing, row.uncovered, lang, row.series_start)
        elif not row.previous_complete and row.previous_gaps:
            coverage = gap_parts(*row.previous_gaps, lang, row.series_start)
        indicators.append(
            {
                "id": ind,
                "name": row.name_sv if lang == "sv" else row.name_en,
                "unit": row.unit,
                "direction": row.direction,
                "proactive": bool(row.proactive),
                "rare": bool(row.rare),
                "value": _num(row.value),
                "previous": _num(row.previous),
                "baseline": _num(row.baseline),
                "target": _num(row.target),
                "change": _num(row.change),
                "pct_change": _num(row.pct_change, 1),
                "z_poisson": _num(row.z_poisson),
                "z_baseline": _num(row.z_baseline),
                "p_etest": _pv(row.p_etest),
                "p_tail": _pv(row.p_tail),
                "test": _plain(row.test),
                "p": _pv(row.p_test),
                "p_test": _pv(row.p_test),
                "dispersion": _num(row.dispersion, 4),
                "p_adjusted": _pv(row.p_adjusted),
                "significant": _plain(row.significant),
                "rag": row.rag,
                "rule": row.rule,
                "signal": row.signal,
                "arrow": row.arrow,
                "target_state": _plain(row.target_state),
                "ended": series_ended(getattr(row, "series_end", None), p, bool(row.complete)),
                "verdict": row.verdict_sv if lang == "sv" else row.verdict_en,
                "verdict_sv": row.verdict_sv,
                "verdict_en": row.verdict_en,
                "reason": row.reason_sv if lang == "sv" else row.reason_en,
                "reason_sv": row.reason_sv,
                "reason_en": row.reason_en,
                "synthetic": bool(row.synthetic),
                "complete": bool(row.complete),
                "months_reported": int(row.months_reported),
                "n_months": int(row.n_months),
                "coverage_note": coverage,
                "source": _plain(row.source),
                "rate_per_1000": _num(row.rate_per_1000),
                "cum_deviation": cum_dev.get(ind),
                "projection": proj.get(ind),
                "z_all": _num(za["z"]),
                "z_category": _num(zc["z"]),
                "z_peers": _num(zp["z"]) if zp is not None else None,
                "cross_section_note": _reason_text(note, lang),
                "cusum_signals": signals.get(ind, []),
            }
        )
    area = {
        k: _plain(me.get(k))
        for k in SUMMARY_AREA_FIELDS
    }
    area["population"] = _num(area["population"], 0)
    area["peers"] = list(peers.peers)
    area["peer_note"] = _reason_text(peers.reason, lang)
    return {
        "area": area,
        "period": p.label,
        "period_label": p.label_for(lang),
        "comparison": cmp_.value,
        "lang": lang,
        "fdr_alpha": rules.fdr_alpha,
        "fdr_family": {"areas": int(fam["area_id"].nunique()), "tests": int(fam["p_test"].notna().sum())},
        "indicators": indicators,
    }


def _pv(value: object) -> float | None:
    v = _num(value, 12)
    return None if v is None else float(f"{v:.4g}")


def naive_cusum(z: np.ndarray, k: float, h: float, sides: np.ndarray) -> tuple:
    """cusum_matrix's recursion, one series and one month at a time."""
    path = np.full(z.shape, np.nan)
    crossed = np.zeros(z.shape, bool)
    for j in range(z.shape[1]):
        s, started, above = 0.0, False, False
        sign = -1.0 if sides[j] == "lower" else 1.0
        for t in range(z.shape[0]):
            v = z[t, j]
            if not np.isnan(v):
                started = True
                s = max(0.0, s + sign * v - k)
                crossed[t, j] = s > h and not above
                above = s > h
            if started:
                path[t, j] = s
    return path, crossed


def naive_nb_residuals(dense: np.ndarray, years: int = 3) -> np.ndarray:
    """nb_residual_matrix with α = 0, month by month."""
    out = np.full(dense.shape, np.nan)
    for t in range(12 * years, dense.shape[0]):
        for j in range(dense.shape[1]):
            base = [dense[t - 12 * y, j] for y in range(1, years + 1)]
            if any(np.isnan(b) for b in base):
                continue
            m = (sum(base) + 0.5) / years
            out[t, j] = (dense[t, j] - sum(base) / years) / np.sqrt(m * (1 + 1 / years))
    return out


def reference_cusum(area_vals, cat, p, k=CUSUM_K, h=CUSUM_H) -> dict[str, list[str]]:
    counts = pd.Index(cat.index[cat["unit"] == "count"].astype(str))
    sub = area_vals[area_vals["month"] <= p.last]
    if sub.empty or counts.empty:
        return {}
    full = np.arange(parse_month(str(sub["month"].min())), parse_month(p.last) + 1)
    dense = scatter(
        sub, ["month", "indicator_id"], "value", [pd.Index([format_month(i) for i in full]), counts]
    )
    present = ~np.isnan(dense).all(axis=0)
    dense, cols = dense[:, present], counts[present]
    resid = naive_nb_residuals(dense)
    sides = np.where(cat.loc[cols, "direction"].to_numpy() == "up_is_good", "lower", "upper")
    _, crossed = naive_cusum(resid, k, h, sides)
    in_period = np.isin([format_month(i) for i in full], p.months)
    return {
        str(ind): [format_month(full[t]) for t in np.flatnonzero(crossed[:, j] & in_period)]
        for j, ind in enumerate(cols)
    }


def reference_compare(
    values, catalogue, areas, period, comparison, area_ids=None, lang="sv", targets=None, rules=None
) -> pd.DataFrame:
    rules = rules or RagRules()
    newest = int(areas["list_year"].max()) if "list_year" in areas.columns and len(areas) else None
    listed = (areas.loc[areas["list_year"] == newest, "id"].astype(str).tolist()
              if newest is not None else areas["id"].astype(str).tolist())
    family = list(dict.fromkeys([*listed, *(str(a) for a in (area_ids or []))]))
    table = indicator_table(
        values,
        catalogue,
        areas,
        period,
        comparison,
        family,
        targets,
        years=rules.baseline_years,
        min_years=rules.min_baseline_years,
    )
    out = assess(table, period, comparison, rules)
    if area_ids is not None:
        out = out.set_index("area_id", drop=False).loc[[str(a) for a in area_ids]]
    out["indicator_name"] = out["name_sv" if lang == "sv" else "name_en"]
    out["reason"] = out["reason_sv" if lang == "sv" else "reason_en"]
    out["verdict"] = out["verdict_sv" if lang == "sv" else "verdict_en"]
    out["p"] = out["p_test"]
    for col in COMPARE_COLUMNS:
        if col not in out.columns:
            out[col] = None
    return round_display(out[COMPARE_COLUMNS].reset_index(drop=True))


# --------------------------------------------------------------------------- the engine
@pytest.mark.parametrize("period", PERIODS)
def test_area_summary_equals_the_public_building_blocks(frames, period) -> None:
    f = frames
    ids = f["areas"].loc[f["areas"]["list_year"] == 2025, "id"].tolist()
    for cmp_ in COMPARISONS:
        for aid in ids[1::5]:
            args = (f["values"], f["catalogue"], f["areas"], f["targets"], aid, period, cmp_, "sv")
            fast = area_summary(*args, profiles=f["profiles"])
            slow = reference_summary(*args, profiles=f["profiles"])
            assert _dumps(fast) == _dumps(slow), (period, cmp_, aid)


def test_a_shared_period_section_and_the_areas_own_rows_give_the_same_summary(frames) -> None:
    """What the service does: one section per period, then only each area's own rows."""
    f = frames
    values = f["values"]
    ids = f["areas"].loc[f["areas"]["list_year"] == 2025, "id"].tolist()
    for period in ("2025-T2", "R12:2025-10", "2025-09"):
        section = period_section(values, f["catalogue"], f["areas"], period, 2025)
        families = {cmp_: verdict_table(values, f["catalogue"], f["areas"], period, cmp_,
                                        targets=f["targets"], list_year=2025)
                    for cmp_ in ("prev_year", "target")}
        for aid in ids[::3]:
            own = values[values["area_id"] == aid]
            for cmp_, areas in (("prev_year", f["areas"]), ("target", f["areas"].copy())):
                # the frame the section was built from (its shortcuts) and an equal copy (none)
                args = (f["catalogue"], areas, f["targets"], aid, period, cmp_, "sv")
                fast = area_summary(own, *args, profiles=f["profiles"], section=section,
                                    family=families[cmp_])
                assert _dumps(fast) == _dumps(area_summary(values, *args, profiles=f["profiles"]))


def test_a_section_of_another_period_list_or_catalogue_is_refused(frames) -> None:
    f = frames
    aid = f["areas"].loc[f["areas"]["list_year"] == 2025, "id"].iloc[0]
    args = (f["values"], f["catalogue"], f["areas"], None, aid, "2025-T3")
    t2 = period_section(f["values"], f["catalogue"], f["areas"], "2025-T2", 2025)
    with pytest.raises(ValueError, match="section of 2025-T2 .list 2025. used for 2025-T3"):
        area_summary(*args, section=t2)
    old_list = period_section(f["values"], f["catalogue"], f["areas"], "2025-T3", 2023)
    with pytest.raises(ValueError, match="list 2023"):
        area_summary(*args, section=old_list)
    fewer = period_section(f["values"], f["catalogue"].iloc[:-1], f["areas"], "2025-T3", 2025)
    with pytest.raises(ValueError, match="another catalogue"):
        area_summary(*args, section=fewer)


def test_area_summary_without_targets_profiles_and_with_other_rules(frames) -> None:
    f = frames
    rules = RagRules(min_baseline_years=1, amber_on_raw=False, fdr_alpha=0.2)
    for aid in f["areas"]["id"].unique()[:5]:
        for kw in ({"rules": rules}, {}):
            args = (f["values"], f["catalogue"], f["areas"], None, aid, "2025-T3", "baseline", "en")
            assert _dumps(area_summary(*args, **kw)) == _dumps(reference_summary(*args, **kw))


def test_area_summary_with_duplicate_and_odd_rows(frames) -> None:
    """Duplicate keys (the last row wins) and a month text that is not YYYY-MM (never matched)."""
    f = frames
    values = pd.concat([f["values"], f["values"].iloc[:40].assign(value=99.0)], ignore_index=True)
    odd = values.copy()
    odd.loc[odd.index[-1], "month"] = "2025-5"
    aid = str(values["area_id"].iloc[0])
    for vals in (values, odd):
        args = (vals, f["catalogue"], f["areas"], f["targets"], aid, "2025-T2", "prev_year", "sv")
        try:
            want = _dumps(reference_summary(*args, profiles=f["profiles"]))
        except ValueError as exc:
            with pytest.raises(ValueError, match=str(exc)[:20]):
                area_summary(*args, profiles=f["profiles"])
            continue
        assert _dumps(area_summary(*args, profiles=f["profiles"])) == want


@pytest.mark.parametrize("period", PERIODS[1:4])
def test_compare_table_equals_indicator_table_plus_assess(frames, period) -> None:
    f = frames
    for cmp_ in COMPARISONS:
        for lang, ids in (("sv", None), ("en", f["areas"]["id"].tolist()[-5:])):
            fast = compare_table(
                f["values"],
                f["catalogue"],
                f["areas"],
                period,
                cmp_,
                ids,
                lang=lang,
                targets=f["targets"],
            )
            slow = reference_compare(
                f["values"],
                f["catalogue"],
                f["areas"],
                period,
                cmp_,
                ids,
                lang=lang,
                targets=f["targets"],
            )
            pd.testing.assert_frame_equal(fast, slow, check_exact=True)
            assert fast.dtypes.tolist() == slow.dtypes.tolist()


def test_compare_table_with_areas_missing_columns_and_no_areas(frames) -> None:
    f = frames
    bare = f["areas"].drop(columns=["kommun", "lpo", "region"])
    for ids in (None, []):
        fast = compare_table(f["values"], f["catalogue"], bare, "2025-T3", "prev_year", ids)
        slow = reference_compare(f["values"], f["catalogue"], bare, "2025-T3", "prev_year", ids)
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)


# --------------------------------------------------------------------------- the helpers
def test_coded_scatter_equals_scatter() -> None:
    frame = pd.DataFrame(
        {
            "k": ["a", "b", "a", "c", None, "a"],
            "m": ["2025-01", "2025-02", "2025-01", "2025-03", "2025-01", "2025-5"],
            "v": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    axes = [pd.Index(["c", "a", "x"]), pd.Index(["2025-01", "2025-02", "2025-03"])]
    coded = Coded(frame, ["k", "m"], "v")
    want = scatter(frame, ["k", "m"], "v", axes)
    np.testing.assert_array_equal(coded.scatter(["k", "m"], axes), want)  # "a"/"2025-01": 3.0
    np.testing.assert_array_equal(coded.scatter(["k", "m"], [list(a) for a in axes]), want)
    rows = np.array([True, True, False, True, True, True])
    np.testing.assert_array_equal(
        coded.scatter(["k", "m"], axes, rows), scatter(frame[rows], ["k", "m"], "v", axes)
    )


def test_positions_equal_get_indexer() -> None:
    idx = pd.Index(["b", "a", "c"])
    for labels in (
        pd.array(["a", "z", "c"], dtype="str"),
        np.array(["c", "b"], dtype=object),
        [1, "a"],
        [],
    ):
        np.testing.assert_array_equal(_positions(idx, labels), idx.get_indexer(labels))
    ints = pd.Index([1, 2, 3])
    np.testing.assert_array_equal(_positions(ints, [2, 5]), ints.get_indexer([2, 5]))
    with pytest.raises(Exception):  # noqa: B017 - like get_indexer on a non-unique index
        _positions(pd.Index(["a", "a"]), ["a"])


def test_cusum_matrix_equals_the_plain_recursion() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(0, 2, (40, 6))
    z[:15] = np.nan  # no baseline yet
    z[rng.random(z.shape) < 0.1] = np.nan
    z[:, 5] = np.nan  # a series without any residual
    sides = np.array(["upper", "lower", "upper", "lower", "upper", "upper"])
    path, crossed = cusum_matrix(z, 0.5, 2.0, sides)
    want_path, want_crossed = naive_cusum(z, 0.5, 2.0, sides)
    np.testing.assert_array_equal(path, want_path)
    np.testing.assert_array_equal(crossed, want_crossed)


def test_month_and_period_memos_return_what_is_computed() -> None:
    for text in ("2025-05", " 2025-05 ", "2024-12"):
        year, month = text.strip().split("-")
        assert parse_month(text) == parse_month(text) == int(year) * 12 + int(month) - 1
    assert format_month(24304) == format_month(np.int64(24304)) == "2025-05"
    assert shift_month("2025-01", -1) == "2024-12"
    assert parse_period("2025-T2") is parse_period("2025-T2")  # frozen, shared
    assert parse_period(" 2025-t2 ") == parse_period("2025-T2")
    for bad in ("2025-13", "2025-5", "x"):
        with pytest.raises(ValueError):
            parse_month(bad)
        with pytest.raises(ValueError):
            parse_month(bad)  # failures are not memoised
    with pytest.raises(ValueError, match="not a tertial"):
        parse_period("2025-T4")


def test_fmt_value_memo_keeps_the_sign_of_zero() -> None:
    assert fmt_value(0.0, "count", "sv") == "0"
    assert fmt_value(-0.0, "count", "sv") == "−0"
    assert fmt_value(0.0, "count", "sv") == "0"
    assert fmt_value(float("nan"), "count", "en") == "–"
    assert fmt_value(12.5, "share", "sv") == fmt_value(np.float64(12.5), "share", "sv")


def test_peer_group_memo_follows_the_profile_content(frames) -> None:
    profiles = frames["profiles"].copy()
    aid = profiles["area_id"].iloc[0]
    first = peer_group(profiles, aid, k=3)
    dist, used, _ = profile_distances(profiles, aid)
    assert first.peers == tuple(dist.index[:3]) and first.columns == used
    assert peer_group(profiles, aid, k=3) == first
    changed = profiles.copy()
    changed.loc[changed["area_id"] == first.peers[0], "young_share"] += 1000.0  # far away now
    moved = peer_group(changed, aid, k=3)
    assert first.peers[0] not in moved.peers
    profiles.loc[0, "young_share"] = profiles.loc[0, "young_share"]  # same content, same answer
    assert peer_group(profiles, aid, k=3) == first


# --------------------------------------------------------------------------- the service reads
@pytest.fixture
def small_store(sqlite_engine, frames):
    """A migrated SQLite store holding the synthetic frames (one import)."""
    from sqlalchemy import insert

    from store.schema import area_profiles, areas, imports, indicator_values, indicators, targets

    f = frames
    values = f["values"].copy()
    first_area = f["areas"].loc[f["areas"]["list_year"] == 2025, "id"].iloc[0]
    # The open-ended series has a gap in Sep–Dec 2024 and stops in March 2025 (one area already
    # in June 2024). Its coverage ends where its data end (2025-03), a month none of the tables
    # below reads; the service reads that month too, so the engine judges coverage the same.
    month, ind = values["month"], values["indicator_id"]
    drop = (ind == f["catalogue"]["id"].iloc[1]) & (
        (month > "2025-03")
        | month.between("2024-09", "2024-12")
        | ((values["area_id"] == first_area) & (month > "2024-06"))
    )
    values = values[~drop]
    cat = f["catalogue"]
    with sqlite_engine.begin() as conn:
        conn.execute(
            insert(imports),
            [
                {
                    "id": 1,
                    "kind": "test",
                    "file_name": "t",
                    "file_hash": "h",
                    "started_at": datetime(2025, 1, 1),
                    "imported_by": "test",
                }
            ],
        )
        conn.execute(
            insert(indicators),
            cat.reindex(columns=[c.name for c in indicators.columns]).astype(object)
            .where(lambda f: f.notna(), None).to_dict("records"),
        )
        conn.execute(
            insert(areas),
            [
                {
                    **{
                        k: r[k]
                        for k in (
                            "name",
                            "category",
                            "ort",
                            "kommun_kod",
                            "kommun",
                            "lpo",
                            "polisomrade",
                            "region",
                            "list_year",
                        )
                    },
                    "area_id": r["id"],
                    "population": None if math.isnan(r["population"]) else r["population"],
                    "geom_3006": b"",
                    "geom_4326": b"",
                    "import_id": 1,
                }
                for r in f["areas"].to_dict("records")
            ],
        )
        conn.execute(
            insert(indicator_values),
            [{**r, "synthetic": True, "import_id": 1} for r in values.to_dict("records")],
        )
        conn.execute(
            insert(targets),
            [{**r, "synthetic": True, "import_id": 1} for r in f["targets"].to_dict("records")],
        )
        prof = f["profiles"].rename(columns={"young_share": "share_0_24"})
        conn.execute(
            insert(area_profiles),
            [
                {
                    **{
                        k: r[k]
                        for k in (
                            "area_id",
                            "population",
                            "share_0_24",
                            "foreign_born_share",
                            "net_income_median_tkr",
                            "low_economic_standard_pct",
                            "employment_rate_16_64",
                        )
                    },
                    "list_year": 2025,
                }
                for r in prof.to_dict("records")
            ],
        )
    return sqlite_engine


@pytest.mark.parametrize("period", ("2025-T3", "R12:2025-10"))
def test_service_reads_give_the_results_of_the_whole_window(small_store, period) -> None:
    from services import indicators as svc

    svc._values.cache_clear()
    values, cat, areas, targets, profiles = svc.frames(small_store, period)
    assert cat["last_month"].isna().any()
    ids = areas["id"].tolist()
    # the dispersion is estimated once from the whole history in the store (not the window)
    disp = svc.dispersion_for(small_store, parse_period(period).n_months)
    monthly = svc.dispersion_for(small_store, 1)
    for cmp_ in COMPARISONS:
        fast = svc.compare_frame(small_store, "alla", period, cmp_)
        slow = compare_table(values, cat, areas, period, cmp_, ids, targets=targets, list_year=2025,
                             dispersion=disp)
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
        for aid in ids[::5]:
            got = svc.area_summary_json(small_store, aid, period, cmp_)
            want = area_summary(
                values,
                cat,
                areas,
                targets,
                aid,
                period,
                cmp_,
                "sv",
                profiles=profiles if len(profiles) else None,
                dispersion=disp,
                monthly_dispersion=monthly,
            )
            assert _dumps(got) == _dumps(want), (cmp_, aid)
    p = parse_period(period)
    narrow = svc._compare_values(str(small_store.url), 1, p, cat)
    assert len(narrow) < len(values)  # only the months the table uses (+ the open series' last)
    pd.testing.assert_frame_equal(coverage_bounds(cat, narrow), coverage_bounds(cat, values))
    section = svc._section(str(small_store.url), 1, p.label, 2025, svc._open_ids(cat))
    pd.testing.assert_frame_equal(section.bounds, coverage_bounds(cat, values))
