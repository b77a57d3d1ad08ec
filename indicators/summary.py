"""What the CLI, the app and the reports show: one area's summary and the many-area compare table.

* :func:`area_summary` → the stable JSON shape of ``cli.py summary`` (``CONTRACT.md``), plain
  Python types only (NaN → ``None``), floats rounded for display;
* :func:`compare_table` → a long DataFrame (areas × indicators) for ``cli.py compare`` and the
  compare view, with Benjamini–Hochberg across the **whole table**.

**One verdict per question.** :func:`verdict_table` computes, for one period and comparison, the
verdict of every area of the list × every indicator (value, reference, change, % change, test, p,
dispersion, FDR-adjusted p, RAG, signal, arrow, plain words and reason): that is the FDR family.
:func:`compare_table` (any region) and :func:`area_summary` (one area) show rows of that table and
recompute none of its fields, so the card, the table, the landing list, the lägesbild, the exports
and the CLI agree.

What every area's summary of one period shares — the validated catalogue, the coverage bounds and
the areas × indicators matrix of the cross-section — is a :class:`PeriodSection`: build it once per
period and list with :func:`period_section` and hand it to :func:`area_summary` for each area (the
same result as without it, bit for bit; the service layer memoises it per data version).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from i18n import check_lang
from indicators.calendar import Period, coverage_bounds, format_month, parse_month, parse_period
from indicators.catalogue import (
    TARGET_COLUMNS,
    Comparison,
    parse_comparison,
    require_columns,
    validate_catalogue,
)
from indicators.crosssection import PeerGroup, _zscores, peer_group
from indicators.cusum import CUSUM_H, CUSUM_K, cusum_matrix, nb_residual_matrix
from indicators.dispersion import Dispersion
from indicators.frames import Coded, scatter
from indicators.rag import _REASON_INPUTS, RagRules, _assess_frame, series_ended
from indicators.table import (
    _period_matrix,
    _table_columns,
    area_meta,
    dispersion_array,
    window_months,
)
from indicators.targets import _malstyrning_arrays, _projection
from indicators.texts import gap_parts, reason_text

#: the area fields of the summary JSON (``{"area": {...}}``), in order
SUMMARY_AREA_FIELDS = ("id", "name", "category", "ort", "kommun", "kommun_kod", "lpo", "polisomrade", "region",
                       "population", "list_year")

COMPARE_COLUMNS = [
    "area_id",
    "area_name",
    "category",
    "kommun",
    "lpo",
    "region",
    "indicator_id",
    "indicator_name",
    "unit",
    "direction",
    "value",
    "previous",
    "baseline",
    "target",
    "reference",
    "change",
    "pct_change",
    "z",
    "z_poisson",
    "z_baseline",
    "p",
    "p_etest",
    "p_tail",
    "test",
    "p_adjusted",
    "significant",
    "dispersion",
    "rag",
    "rule",
    "signal",
    "arrow",
    "target_state",
    "verdict",
    "reason",
    "reason_sv",
    "reason_en",
    "synthetic",
    "complete",
    "months_reported",
    "n_months",
    "rate_per_1000",
    "status",
]
#: the columns of :func:`verdict_table` (both languages; ``compare_table`` picks one)
VERDICT_COLUMNS = [
    *(c for c in COMPARE_COLUMNS if c not in ("indicator_name", "reason", "verdict")),
    "name_sv",
    "name_en",
    "verdict_sv",
    "verdict_en",
    "proactive",
    "rare",
    "source",
]


def verdict_table(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    period: str | Period,
    comparison: str = "prev_year",
    rules: RagRules | None = None,
    targets: pd.DataFrame | None = None,
    list_year: int | None = None,
    dispersion: dict[str, Dispersion] | None = None,
    area_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The verdicts of one period and comparison for every area of the list (the FDR family).

    Parameters
    ----------
    values, catalogue, areas, targets : pandas.DataFrame
        The store's frames; ``values`` must hold every area's months of the period and of the
        same months in the baseline years.
    list_year : int, optional
        The list whose areas form the family (default: the newest).
    dispersion : dict, optional
        ``{indicator_id: Dispersion}`` for the period's length (default: estimated from ``values``).
    area_ids : sequence of str, optional
        Areas to add to the family when they are not on the list (e.g. an area of an older list).

    Returns
    -------
    pandas.DataFrame
        :data:`VERDICT_COLUMNS`, one row per area × indicator (areas in list order). Both languages:
        ``name_sv``/``name_en``, ``reason_sv``/``reason_en``, ``verdict_sv``/``verdict_en``.
    """
    rules = rules or RagRules()
    p = parse_period(period)
    cmp_ = parse_comparison(comparison)
    years, min_years = rules.baseline_years, rules.min_baseline_years
    if years < 1:
        raise ValueError(f"years={years}: the comparison needs at least one previous year")
    require_columns(values, ["area_id", "indicator_id", "month", "value"], "values")
    cat = validate_catalogue(catalogue)
    family = area_meta(areas, None, list_year)
    if area_ids is not None:
        extra = [str(a) for a in area_ids if str(a) not in set(family.index.astype(str))]
        if extra:
            family = pd.concat([family, area_meta(areas, extra)])
    bounds = coverage_bounds(cat, values)
    alpha = dispersion_array(cat, values, p, bounds, dispersion, family.index)
    cols = _table_columns(values, cat, family, areas, p, cmp_, targets, years, min_years, bounds,
                          alpha=alpha)
    table = pd.DataFrame({c: v for c, v in cols.items() if c in _COMPARE_INPUTS})
    new = _assess_frame(table, p, cmp_, rules)
    out: dict[str, object] = {}
    for col in VERDICT_COLUMNS:
        if col == "p":
            out[col] = table["p_test"]
        elif col in new:
            out[col] = new[col]
        elif col in table.columns:
            out[col] = table[col]
        else:
            out[col] = np.full(len(table), None, dtype=object)
    return round_display(pd.DataFrame(out, index=table.index))


#: decimals a verdict's descriptive numbers are stored with, the same as the summary JSON's, so
#: every view prints the same text from the same number (p-values keep full precision: they are
#: statistics checked against scipy/statsmodels; ``i18n.fmt_p`` prints them from 4 significant
#: digits, as the JSON carries them)
DISPLAY_DECIMALS = {
    "value": 3, "previous": 3, "baseline": 3, "target": 3, "reference": 3, "change": 3,
    "pct_change": 1, "rate_per_1000": 3, "z": 3, "z_poisson": 3, "z_baseline": 3, "dispersion": 4,
}


def round_display(frame: pd.DataFrame) -> pd.DataFrame:
    """The descriptive numbers of a verdict table rounded once (:data:`DISPLAY_DECIMALS`), so that
    "+156,5 %" is never "+156 %" in one view and "+157 %" in another."""
    out = frame.copy()
    for col, digits in DISPLAY_DECIMALS.items():
        if col in out.columns:
            out[col] = np.round(out[col].to_numpy(dtype=float), digits)
    return out


def compare_table(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    period: str | Period,
    comparison: str = "prev_year",
    area_ids: Sequence[str] | None = None,
    rules: RagRules | None = None,
    lang: str = "sv",
    targets: pd.DataFrame | None = None,
    list_year: int | None = None,
    family: pd.DataFrame | None = None,
    dispersion: dict[str, Dispersion] | None = None,
) -> pd.DataFrame:
    """Areas × indicators for one period: rows of :func:`verdict_table` in one language.

    Parameters
    ----------
    area_ids : sequence of str, optional
        E.g. a region's areas (default: all areas of ``list_year``'s list, the latest by default).
        The FDR family is always the whole list (plus these areas), so an area's verdict is the
        same in every region's table and on its card.
    lang : {"sv", "en"}
        Language of ``indicator_name``, ``verdict`` and ``reason`` (both languages of the reason
        are always there).
    family : pandas.DataFrame, optional
        The :func:`verdict_table` to take the rows from (computed when not given).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARE_COLUMNS`; ``p`` is the p-value of the cell's test (``test``),
        ``p_adjusted`` its Benjamini–Hochberg value across the family, ``z`` the Poisson z for
        counts and the baseline z otherwise.
    """
    if family is None:
        family = verdict_table(values, catalogue, areas, period, comparison, rules, targets,
                               list_year, dispersion, area_ids)
    if area_ids is not None:
        ids = [str(a) for a in area_ids]
        order = {a: i for i, a in enumerate(ids)}
        keep = family["area_id"].astype(str).map(order)
        rows = family[keep.notna().to_numpy()]
        rows = rows.iloc[np.argsort(keep.dropna().to_numpy(), kind="stable")]
    else:
        rows = family
    suffix = f"_{check_lang(lang)}"  # the Swedish or English column (name_sv, reason_en …)
    out: dict[str, object] = {}
    for col in COMPARE_COLUMNS:
        if col == "indicator_name":
            out[col] = rows["name" + suffix].reset_index(drop=True)
        elif col in ("reason", "verdict"):
            out[col] = rows[col + suffix].reset_index(drop=True)
        else:
            out[col] = rows[col].reset_index(drop=True)
    return pd.DataFrame(out)


# the indicator_table columns verdict_table reads (its output, the RAG rules and the reasons)
_COMPARE_INPUTS = frozenset(
    [*VERDICT_COLUMNS, *_REASON_INPUTS, "p_test", "status", "complete"]
)


# --------------------------------------------------------------------------- JSON helpers
def _num(value: object, digits: int = 3) -> float | int | None:
    """A JSON-safe rounded number; NaN/None → None; whole floats stay floats."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    v = float(value)
    if not math.isfinite(v):
        return None
    return round(v, digits)


def _pval(value: object) -> float | None:
    """p-values to four significant digits (tiny p-values stay visible, not rounded to 0)."""
    v = _num(value, 12)
    return None if v is None else float(f"{v:.4g}")


def _plain(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _reason_text(code: str | None, lang: str) -> str | None:
    if code is None:
        return None
    return reason_text(code, lang)


# --------------------------------------------------------------------------- summary
# the table columns each indicator's entry is built from, in the order they are unpacked
_ROW_FIELDS = (
    "indicator_id",
    "unit",
    "population",
    "complete",
    "pending",
    "missing",
    "uncovered",
    "series_start",
    "series_end",
    "previous_complete",
    "previous_gaps",
    "name_sv",
    "name_en",
    "direction",
    "proactive",
    "rare",
    "value",
    "previous",
    "baseline",
    "target",
    "change",
    "pct_change",
    "z_poisson",
    "z_baseline",
    "p_etest",
    "p_tail",
    "test",
    "p_test",
    "p_adjusted",
    "significant",
    "rag",
    "rule",
    "reason_sv",
    "reason_en",
    "synthetic",
    "months_reported",
    "n_months",
    "source",
    "rate_per_1000",
    "dispersion",
    "signal",
    "arrow",
    "target_state",
    "verdict_sv",
    "verdict_en",
)
#: the fields of an indicator's entry that are the verdict's: taken from the family's row
#: (:func:`verdict_table`), never recomputed for the area
VERDICT_FIELDS = (
    "value", "previous", "baseline", "target", "change", "pct_change", "z_poisson", "z_baseline",
    "p_etest", "p_tail", "test", "p_test", "p_adjusted", "significant", "rag", "rule", "reason_sv",
    "reason_en", "dispersion", "signal", "arrow", "target_state", "verdict_sv", "verdict_en",
)
# every table column area_summary reads of its own table (coverage, months, area fields)
_SUMMARY_INPUTS = tuple(dict.fromkeys([c for c in _ROW_FIELDS if c not in VERDICT_FIELDS] + ["status"]))


def area_summary(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    targets: pd.DataFrame | None,
    area_id: str,
    period: str | Period,
    comparison: str = "prev_year",
    lang: str = "sv",
    rules: RagRules | None = None,
    profiles: pd.DataFrame | None = None,
    section: PeriodSection | None = None,
    family: pd.DataFrame | None = None,
    dispersion: dict[str, Dispersion] | None = None,
    monthly_dispersion: dict[str, Dispersion] | None = None,
) -> dict:
    """Everything about one area for one period, as the stable JSON shape.

    ``values`` holds the area's rows of the history window and, unless ``section`` is given, every
    area's rows of the period (the cross-section) — the whole window of every area gives the same.
    ``section``: :func:`period_section` of the same catalogue, period and list (then the area's own
    rows are enough).

    Returns
    -------
    dict
        ``{"area": {"id", "name", "category", "ort", "kommun", "kommun_kod", "lpo",
        "polisomrade", "region", "population", "list_year", "peers", "peer_note"},
        "period", "period_label", "comparison", "lang", "fdr_alpha", "indicators": [...]}``
        with one entry per catalogue indicator: ``id``, ``name``, ``unit``, ``direction``,
        ``value``, ``previous``, ``baseline``, ``target``, ``change``, ``pct_change``,
        ``z_poisson``, ``z_baseline``, ``p_etest``, ``p_tail``, ``test``, ``p_test``,
        ``p_adjusted``, ``rag``, ``rule``, ``reason``, ``reason_sv``, ``reason_en``,
        ``synthetic``, ``complete``, ``months_reported``, ``n_months``, ``coverage_note``,
        ``source``, ``rate_per_1000``, ``cum_deviation``, ``projection``, ``z_all``,
        ``z_category``, ``z_peers``, ``cross_section_note``, ``cusum_signals``.
        Everything is JSON-serialisable; unknown numbers are ``None``.

    Raises
    ------
    ValueError
        Unknown area id, bad period or comparison, a ``section`` of another period, list or
        catalogue.
    """
    rules = rules or RagRules()
    p = parse_period(period)
    cmp_ = parse_comparison(comparison)
    area_id = str(area_id)
    meta, section = _area_and_section(values, catalogue, areas, area_id, p, section)
    me = meta.iloc[0]
    year = int(me["list_year"]) if "list_year" in me.index else None
    cat = section.catalogue

    # the area's own rows (its table, målstyrning and CUSUM); every area's values for the cross-section
    own = _OwnRows.of(area_id, values, targets, cat)
    cols = own.table_columns(meta, areas, p, cmp_, rules, section.bounds)
    lists = {k: _as_column(cols[k]) for k in _SUMMARY_INPUTS}
    if family is None:
        family = verdict_table(values, catalogue, areas, p, cmp_.value, rules, targets, year, dispersion, [area_id])
    lists.update(family_rows(family, area_id, own.ind_axis))

    peers = peer_group(profiles, area_id, k=rules.k_peers)
    cross = _area_cross_section(section, areas, me, year, area_id, peers.peers)
    cum_dev, proj = _area_malstyrning(own, targets, cat, p)
    # CUSUM of the area's monthly counts up to the period's end, watching the bad direction
    signals = _cusum_signals(own.frame, cat, p, coded=own.values, alpha=monthly_dispersion)
    indicators = [
        _indicator_entry(r, p, lang, cross, cum_dev, proj, signals)
        for r in map(_SummaryRow._make, zip(*(lists[c] for c in _ROW_FIELDS), strict=True))
    ]
    return {
        "area": _area_fields(me, peers, lang),
        "period": p.label,
        "period_label": p.label_for(lang),
        "comparison": cmp_.value,
        "lang": lang,
        "fdr_alpha": rules.fdr_alpha,
        "fdr_family": {"areas": int(family["area_id"].nunique()), "tests": int(family["p"].notna().sum())},
        "indicators": indicators,
    }


def _area_fields(me: pd.Series, peers: PeerGroup, lang: str) -> dict:
    """The ``area`` part of the summary JSON (its peers and why there are none)."""
    area = {k: _plain(me.get(k)) for k in SUMMARY_AREA_FIELDS}
    area.update(population=_num(area["population"], 0), peers=list(peers.peers),
                peer_note=_reason_text(peers.reason, lang))
    return area


def _area_and_section(values: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, area_id: str,
                      p: Period, section: PeriodSection | None) -> tuple[pd.DataFrame, PeriodSection]:
    """The area's row of its list and the period's section (built here, or checked against the
    catalogue, period and list when given)."""
    meta = section.area_row(areas, area_id) if section is not None else None
    if meta is None:
        meta = area_meta(areas, [area_id])
    me = meta.iloc[0]
    year = int(me["list_year"]) if "list_year" in me.index else None
    if section is None:
        section = period_section(values, catalogue, areas, p, year)
    else:
        section.check(catalogue, p, year)
    return meta, section


class _SummaryRow(NamedTuple):
    """One indicator's fields of the area's table and verdict (:data:`_ROW_FIELDS`)."""

    indicator_id: str
    unit: str
    population: float
    complete: bool
    pending: object
    missing: object
    uncovered: object
    series_start: object
    series_end: object
    previous_complete: bool
    previous_gaps: object
    name_sv: str
    name_en: str
    direction: str
    proactive: bool
    rare: bool
    value: float
    previous: float
    baseline: float
    target: float
    change: float
    pct_change: float
    z_poisson: float
    z_baseline: float
    p_etest: float
    p_tail: float
    test: object
    p_test: float
    p_adjusted: float
    significant: object
    rag: str
    rule: str
    reason_sv: str
    reason_en: str
    synthetic: bool
    months_reported: int
    n_months: int
    source: object
    rate_per_1000: float
    dispersion: float
    signal: str
    arrow: str
    target_state: object
    verdict_sv: str
    verdict_en: str


@dataclass(frozen=True)
class _OwnRows:
    """The area's own rows: its values (and targets) keyed (indicator, month) once for its
    table, målstyrning and CUSUM."""

    area_id: str
    frame: pd.DataFrame  # the area's value rows
    targets: pd.DataFrame | None  # the area's target rows
    values: Coded
    target_values: Coded | None
    catalogue: pd.DataFrame
    ind_axis: pd.Index

    @classmethod
    def of(cls, area_id: str, values: pd.DataFrame, targets: pd.DataFrame | None,
           cat: pd.DataFrame) -> _OwnRows:
        area_vals = values[values["area_id"] == area_id]
        own_targets = None if targets is None else targets[targets["area_id"] == area_id]
        require_columns(area_vals, ["area_id", "indicator_id", "month", "value"], "values")
        own_tg = (
            Coded(own_targets, ["indicator_id", "month"], "target")
            if own_targets is not None and all(c in own_targets.columns for c in TARGET_COLUMNS)
            else None
        )
        return cls(area_id, area_vals, own_targets, Coded(area_vals, ["indicator_id", "month"], "value"), own_tg,
                   cat, pd.Index(cat.index.astype(str)))

    def table_columns(self, meta: pd.DataFrame, areas: pd.DataFrame, p: Period, cmp_: Comparison,
                      rules: RagRules, bounds: pd.DataFrame) -> dict:
        """indicator_table(area_vals, …, [area_id], own_targets, year, bounds=bounds) + assess()
        without the DataFrames in between (columns go from arrays to the summary's rows)."""
        ind_axis, years = self.ind_axis, rules.baseline_years
        return _table_columns(
            self.frame,
            self.catalogue,
            meta,
            areas,
            p,
            cmp_,
            self.targets,
            years,
            rules.min_baseline_years,
            bounds,
            value_arr=self.values.scatter(
                ["indicator_id", "month"], [ind_axis, window_months(p, years)]
            ).reshape(1, len(ind_axis), years + 1, p.n_months),
            target_arr=None
            if self.target_values is None
            else self.target_values.scatter(["indicator_id", "month"], [ind_axis, list(p.months)]).reshape(
                1, len(ind_axis), p.n_months
            ),
        )


@dataclass(frozen=True)
class _AreaCross:
    """The area's z-scores against every area, its category and its peers (None without peers)."""

    all: dict
    category: dict
    peers: dict | None


def _area_cross_section(section: PeriodSection, areas: pd.DataFrame, me: pd.Series, year: int | None,
                        area_id: str, peers: Sequence[str]) -> _AreaCross:
    """Cross-sectional comparison on rates per 1,000 (count/hours) or the value (share/rate)."""
    same_cat = section.same_category(areas, me.get("category"))
    if same_cat is None and "category" in areas.columns and year is not None:
        same_cat = areas.loc[
            (areas["category"] == me.get("category")) & (areas["list_year"] == year), "id"
        ].astype(str)
    cross = _CrossSection(section, area_id)
    return _AreaCross(cross.table(None), cross.table(same_cat), cross.table(peers) if peers else None)


def _area_malstyrning(own: _OwnRows, targets: pd.DataFrame | None, cat: pd.DataFrame,
                      p: Period) -> tuple[dict[str, float | None], dict[str, dict]]:
    """Målstyrning for the year of the period, up to its last month (or the last reported month):
    the cumulative deviation and the year-end projection per indicator."""
    proj: dict[str, dict] = {}
    cum_dev: dict[str, float | None] = {}
    if targets is None or not len(targets):
        return cum_dev, proj
    last = {i: str(v) for i, v in cat["last_month"].items() if isinstance(v, str) and v}
    through = {i: min(p.last, last.get(i, p.last)) for i in cat.index}
    ms_ids, ms_months, ms = _malstyrning_arrays(
        own.frame,
        own.targets,
        own.area_id,
        int(p.last[:4]),
        through,
        coded=None if own.target_values is None else (own.values, own.target_values),
    )
    if ms_ids:
        ms_year = int(str(ms_months[0])[:4])
        upto = np.array([m <= p.last for m in ms_months], dtype=bool)
        ms_ok = ms["status"] == "ok"
    for r, ind in enumerate(ms_ids):
        cum = ms["cum_deviation"][r][upto]
        cum = cum[~np.isnan(cum)]
        cum_dev[ind] = _num(cum[-1], 3) if len(cum) else None
        pr = _projection(
            ms_year,
            ms["actual"][r],
            ms["target"][r],
            ms_ok[r],
            cat.at[ind, "unit"],
            cat.at[ind, "direction"],
        )
        proj[ind] = {
            k: (_num(v, 3) if isinstance(v, float) else _plain(v))
            for k, v in asdict(pr).items()
        }
    return cum_dev, proj


def _indicator_entry(r: _SummaryRow, p: Period, lang: str, cross: _AreaCross,
                     cum_dev: dict[str, float | None], proj: dict[str, dict],
                     signals: dict[str, list]) -> dict:
    """One indicator's entry of the summary JSON."""
    ind = r.indicator_id
    za, zc = cross.all[ind], cross.category[ind]
    zp = cross.peers[ind] if cross.peers is not None else None
    note_code = za["reason"] or zc["reason"]
    population = r.population
    if r.unit in ("count", "hours") and not (population == population and population > 0):
        note_code = "no_population"
    coverage = None
    if not r.complete:
        coverage = gap_parts(r.pending, r.missing, r.uncovered, lang, r.series_start, r.series_end)
    elif not r.previous_complete and r.previous_gaps:
        coverage = gap_parts(*r.previous_gaps, lang, r.series_start, r.series_end)
    own_lang = r._asdict()  # name, verdict and reason in the summary's language
    return {
        "id": ind,
        "name": own_lang[f"name_{lang}"],
        "unit": r.unit,
        "direction": r.direction,
        "proactive": bool(r.proactive),
        "rare": bool(r.rare),
        "value": _num(r.value, 3),
        "previous": _num(r.previous, 3),
        "baseline": _num(r.baseline, 3),
        "target": _num(r.target, 3),
        "change": _num(r.change, 3),
        "pct_change": _num(r.pct_change, 1),
        "z_poisson": _num(r.z_poisson, 3),
        "z_baseline": _num(r.z_baseline, 3),
        "p_etest": _pval(r.p_etest),
        "p_tail": _pval(r.p_tail),
        "test": _plain(r.test),
        "p": _pval(r.p_test),
        "p_test": _pval(r.p_test),
        "dispersion": _num(r.dispersion, 4),
        "p_adjusted": _pval(r.p_adjusted),
        "significant": _plain(r.significant),
        "rag": r.rag,
        "rule": r.rule,
        "signal": r.signal,
        "arrow": r.arrow,
        "target_state": _plain(r.target_state),
        "ended": series_ended(r.series_end, p, bool(r.complete)),
        "verdict": own_lang[f"verdict_{lang}"],
        "verdict_sv": r.verdict_sv,
        "verdict_en": r.verdict_en,
        "reason": own_lang[f"reason_{lang}"],
        "reason_sv": r.reason_sv,
        "reason_en": r.reason_en,
        "synthetic": bool(r.synthetic),
        "complete": bool(r.complete),
        "months_reported": int(r.months_reported),
        "n_months": int(r.n_months),
        "coverage_note": coverage,
        "source": _plain(r.source),
        "rate_per_1000": _num(r.rate_per_1000, 3),
        "cum_deviation": cum_dev.get(ind),
        "projection": proj.get(ind),
        "z_all": _num(za["z"], 3),
        "z_category": _num(zc["z"], 3),
        "z_peers": _num(zp["z"], 3) if zp is not None else None,
        "cross_section_note": _reason_text(note_code, lang),
        "cusum_signals": signals.get(ind, []),
    }


def _as_column(values: object) -> list:
    """``values`` as a list, exactly as a DataFrame column built from it would give it back (an
    object array of strings and ``None`` becomes a string column with NaN)."""
    if not isinstance(values, np.ndarray):
        return list(values)  # lists of tuples or strings come back as they went in
    out = values.tolist()
    if values.dtype == object and not all(type(v) is str for v in out):
        out = pd.Series(values, copy=False).tolist()  # let pandas decide, as the frame would
    return out


def family_rows(family: pd.DataFrame, area_id: str, indicators: pd.Index) -> dict[str, list]:
    """The verdict fields (:data:`VERDICT_FIELDS`) of one area's rows of a :func:`verdict_table`,
    in the order of ``indicators``; raises ``ValueError`` when the area is not in the family."""
    rows = family[family["area_id"].astype(str).to_numpy() == str(area_id)]
    if rows.empty:
        raise ValueError(f"area {area_id!r} is not in the verdict table (the FDR family)")
    pos = pd.Index(rows["indicator_id"].astype(str)).get_indexer(indicators)
    if (pos < 0).any():
        raise ValueError("the verdict table was built from another catalogue")
    out: dict[str, list] = {}
    for field in VERDICT_FIELDS:
        column = "p" if field == "p_test" else field
        out[field] = _as_column(rows[column].to_numpy()[pos])
    return out


@dataclass(frozen=True, eq=False)
class PeriodSection:
    """What the summaries of every area of one list share for one period (see the module doc)."""

    period: str
    list_year: int | None
    catalogue_ids: tuple[str, ...]
    catalogue: pd.DataFrame  # validated, indexed by id
    bounds: pd.DataFrame  # coverage_bounds of the catalogue on the values
    areas: list[str]  # the list's area ids, the rows of ``by_col``'s transpose
    area_pos: dict[str, int]  # position of each of ``areas`` (the last one when repeated)
    indicators: list[str]
    by_col: np.ndarray  # indicators × areas: period values (rates per 1,000 for counts and hours)
    # shortcuts for the areas frame the section was built from, when its list is that frame's newest
    areas_frame: pd.DataFrame | None
    meta: pd.DataFrame  # area_set of the list
    meta_pos: dict[str, int]  # row of each text id in ``meta``
    by_category: dict[str, list[str]]  # the list's area ids (as text) per category, in list order

    def check(self, catalogue: pd.DataFrame, p: Period, list_year: int | None) -> None:
        """Raise ``ValueError`` unless this section is of ``catalogue``, ``p`` and ``list_year``."""
        if self.period != p.label or self.list_year != list_year:
            raise ValueError(
                f"section of {self.period} (list {self.list_year}) used for {p.label} (list {list_year})"
            )
        if tuple(catalogue["id"].tolist()) != self.catalogue_ids:
            raise ValueError("section built from another catalogue")

    def area_row(self, areas: pd.DataFrame, area_id: str) -> pd.DataFrame | None:
        """``area_meta(areas, [area_id])`` when the section can tell it (``areas`` is the frame it
        was built from and the area is on its list, that frame's newest), else None."""
        if areas is not self.areas_frame:
            return None
        pos = self.meta_pos.get(area_id)
        return None if pos is None else self.meta.iloc[[pos]]

    def same_category(self, areas: pd.DataFrame, category: object) -> list[str] | None:
        """The list's areas of ``category`` (as text, in list order) when ``areas`` is the frame the
        section was built from and the category a text, else None."""
        if areas is not self.areas_frame or type(category) is not str:
            return None
        return self.by_category.get(category, [])


def period_section(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    period: str | Period,
    list_year: int | None,
) -> PeriodSection:
    """The shared part of :func:`area_summary` for every area of ``list_year``'s list.

    ``values`` needs every area's rows of the period's months and, for indicators without a
    ``last_month``, the rows of their latest month (their coverage is judged on it); any superset
    (the whole history) gives the same section.
    """
    p = parse_period(period)
    cat = validate_catalogue(catalogue)  # once; the helpers take the validated frame
    bounds = coverage_bounds(cat, values)
    meta = area_meta(areas, None, list_year)
    wide, wide_areas, wide_inds = _period_matrix(values, cat, meta, p, bounds)
    years = areas["list_year"] if "list_year" in areas.columns else None
    newest = (
        years is not None
        and list_year is not None
        and years.dtype.kind in "iu"
        and int(years.max()) == list_year
    )
    meta_ids = meta["id"].tolist()
    by_category: dict[str, list[str]] = {}
    if "category" in meta.columns:
        for a, c in zip(meta_ids, meta["category"].tolist(), strict=True):
            if type(c) is str:
                by_category.setdefault(c, []).append(str(a))
    # areas × indicators laid out as the frame's .loc[rows].to_numpy() is (column-major), so the
    # cross-sectional sums run in the same order and give the same bits
    area_list = wide_areas.tolist()
    return PeriodSection(
        period=p.label,
        list_year=list_year,
        catalogue_ids=tuple(catalogue["id"].tolist()),
        catalogue=cat,
        bounds=bounds,
        areas=area_list,
        area_pos={a: i for i, a in enumerate(area_list)},
        indicators=wide_inds.tolist(),
        by_col=np.ascontiguousarray(wide.T),
        areas_frame=areas if newest else None,
        meta=meta,
        meta_pos={a: i for i, a in enumerate(meta_ids) if type(a) is str},
        by_category=by_category,
    )


class _CrossSection:
    """:func:`indicators.crosssection.cross_sectional_table` of one area against groups of areas
    of a :class:`PeriodSection`, as ``{indicator: {"z", "reason"}}`` the way
    ``cross_sectional_table(...).to_dict("index")`` gives them, without the frames in between."""

    def __init__(self, section: PeriodSection, area_id: str) -> None:
        self.by_col = section.by_col
        self.ids = section.areas
        self.pos = section.area_pos
        self.inds = section.indicators
        self.area_id = area_id
        me = self.pos.get(area_id) if len(self.pos) == len(self.ids) else None
        self.x = self.by_col[:, me] if me is not None else np.full(len(self.inds), np.nan)

    def table(self, group) -> dict[str, dict]:
        if group is None:
            rows = [i for i, a in enumerate(self.ids) if a != self.area_id]
        else:
            rows = [self.pos[g] for g in group if g in self.pos and g != self.area_id]
        ref = self.by_col[:, rows].T
        z, _, _, _, reason = _zscores(self.x, ref)
        reasons = _as_column(reason)
        return {
            ind: {"z": zi, "reason": ri}
            for ind, zi, ri in zip(self.inds, z.tolist(), reasons, strict=True)
        }


def _cusum_signals(
    area_vals: pd.DataFrame,
    cat: pd.DataFrame,
    p: Period,
    k: float = CUSUM_K,
    h: float = CUSUM_H,
    coded: Coded | None = None,
    alpha: dict[str, Dispersion] | None = None,
) -> dict[str, list[str]]:
    """CUSUM signal months inside ``p`` per count indicator of one area (history up to ``p.last``),
    on residuals standardised under the negative binomial model with the indicator's monthly
    dispersion (``alpha``; Poisson where not given): see :func:`indicators.cusum.nb_residual_matrix`.

    ``coded``: ``area_vals``' (indicator, month) keys factorized (the same result, faster)."""
    is_count = (cat["unit"] == "count").to_numpy()
    counts = pd.Index(cat.index[is_count].astype(str))
    month_u = coded.uniques["month"] if coded is not None else None
    if month_u is None or not all(type(m) is str for m in month_u):
        sub = area_vals[area_vals["month"] <= p.last]
        if sub.empty or counts.empty:
            return {}
        first = str(sub["month"].min())
        rows = None
        source: pd.DataFrame | Coded = sub
    else:  # the same rows and first month, from the distinct months
        upto = [m <= p.last for m in month_u]
        if not any(upto) or counts.empty:
            return {}
        first = min(m for m, ok in zip(month_u, upto, strict=True) if ok)
        rows = np.append(np.array(upto, dtype=bool), False)[coded.codes["month"]]
        source = coded
    full = np.arange(parse_month(first), parse_month(p.last) + 1)
    full_text = [format_month(i) for i in full]
    if isinstance(source, Coded):
        dense = source.scatter(["month", "indicator_id"], [full_text, counts], rows)
    else:
        dense = scatter(source, ["month", "indicator_id"], "value", [pd.Index(full_text), counts])
    present = ~np.isnan(dense).all(axis=0)
    dense, wide_cols = dense[:, present], counts[present]
    a = np.array([alpha[str(i)].alpha if alpha and str(i) in alpha else 0.0 for i in wide_cols])
    resid = nb_residual_matrix(dense, a)
    if all(type(i) is str for i in cat.index):  # counts are the catalogue's own ids
        direction = cat["direction"].to_numpy()[is_count][present]
    else:
        direction = cat.loc[wide_cols, "direction"].to_numpy()
    sides = np.where(direction == "up_is_good", "lower", "upper")
    _, crossed = cusum_matrix(resid, k, h, sides)
    in_period = np.isin(full_text, p.months)
    return {
        str(ind): [format_month(full[t]) for t in np.flatnonzero(crossed[:, j] & in_period)]
        for j, ind in enumerate(wide_cols)
    }
