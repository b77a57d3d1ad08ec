"""Seeded synthetic data: monthly indicator series and clustered point events inside real polygons.

Used by the demo (``python cli.py demo``) and by the national-scale benchmark generator. Every value
it makes is stored with ``synthetic = true`` and shown as synthetic in the UI and in exports.

Series: Poisson counts (mildly over-dispersed through a gamma mixture) around a rate that depends on
population and category, with seasonality, a per-area trend and, for about one series in eight, a
genuine step change in the last 20 months (returned as ``truth`` so tests can check that the
statistics find them).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

#: indicator → (monthly rate per 10,000 inhabitants in an 'utsatt' area, seasonal amplitude, peak month)
COUNT_PROFILES: dict[str, tuple[float, float, int]] = {
    "skjutningar": (0.35, 0.15, 8),
    "sprangningar": (0.15, 0.10, 1),
    "narkotikabrott": (6.0, 0.10, 4),
    "vapenbrott": (0.8, 0.10, 5),
    "ran": (1.2, 0.12, 11),
    "misshandel_utomhus": (2.5, 0.25, 7),
    "skadegorelse": (5.0, 0.20, 6),
    "hot_rattssak": (0.3, 0.0, 1),
    "medborgarkontakter": (25.0, 0.20, 6),
}
HOURS_PROFILES: dict[str, tuple[float, float, int]] = {"narvaro_timmar": (110.0, 0.15, 7)}
SHARE_PROFILES: dict[str, tuple[float, float]] = {"trygghet": (58.0, 8.0)}  # mean %, between-area sd
CATEGORY_FACTOR = {"sarskilt_utsatt": 1.6, "utsatt": 1.0, "risk": 0.75}
DEFAULT_POPULATION = {"sarskilt_utsatt": 14000.0, "utsatt": 9000.0, "risk": 7000.0}
#: indicators that are also drawn as point events (event type = indicator id)
POINT_INDICATORS = ("skjutningar", "sprangningar", "narkotikabrott", "vapenbrott", "ran",
                    "misshandel_utomhus", "skadegorelse")


def month_range(first: str, last: str) -> list[str]:
    """Inclusive list of 'YYYY-MM' months."""
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


@dataclass
class SyntheticSeries:
    values: pd.DataFrame  # area_id, indicator_id, month, value
    truth: pd.DataFrame  # area_id, indicator_id, change_month, factor


def _populations(areas: pd.DataFrame) -> np.ndarray:
    pop = pd.to_numeric(areas.get("population"), errors="coerce").to_numpy(dtype=float)
    default = areas["category"].map(DEFAULT_POPULATION).fillna(9000.0).to_numpy(dtype=float)
    return np.where(np.isfinite(pop) & (pop > 500), pop, default)


def generate_series(
    areas: pd.DataFrame,
    months: list[str],
    seed: int,
    count_profiles: dict[str, tuple[float, float, int]] | None = None,
    change_share: float = 0.125,
) -> SyntheticSeries:
    """Monthly series for every area (``id``, ``category``, ``population``) and indicator.

    Deterministic for a seed: the value of a given (area, indicator, month) does not depend on
    which other months are asked for as long as ``months`` starts at the same month.
    """
    count_profiles = COUNT_PROFILES if count_profiles is None else count_profiles
    n_a, n_t = len(areas), len(months)
    ids = areas["id"].astype(str).to_numpy()
    cat = areas["category"].map(CATEGORY_FACTOR).fillna(1.0).to_numpy()
    pop = _populations(areas)
    month_num = np.array([int(m[5:7]) for m in months])
    years = np.arange(n_t) / 12.0
    frames, truth = [], []
    for k, (ind, (base, amp, peak)) in enumerate(sorted({**count_profiles, **HOURS_PROFILES}.items())):
        rng = np.random.default_rng([seed, k, 7])
        area_effect = rng.normal(0.0, 0.35, n_a)
        trend = rng.normal(0.0, 0.04, n_a)
        season = 1.0 + amp * np.cos(2 * np.pi * (month_num - peak) / 12.0)
        lam = (base * pop[:, None] / 10000.0 * cat[:, None] * np.exp(area_effect)[:, None]
               * season[None, :] * np.exp(trend[:, None] * years[None, :]))
        step = np.ones((n_a, n_t))
        changed = rng.random(n_a) < change_share
        start = max(0, n_t - 20)
        for a in np.flatnonzero(changed):
            t0 = int(rng.integers(start, n_t)) if n_t > start else 0
            factor = float(rng.choice([0.5, 0.6, 1.7, 2.0]))
            step[a, t0:] = factor
            truth.append((ids[a], ind, months[t0], factor))
        lam = lam * step
        if ind in HOURS_PROFILES:
            values = np.round(np.maximum(0.0, rng.normal(lam, 0.12 * lam)), 1)
        else:
            mix = rng.gamma(25.0, 1.0 / 25.0, size=lam.shape)
            values = rng.poisson(lam * mix).astype(float)
        frames.append(pd.DataFrame({
            "area_id": np.repeat(ids, n_t), "indicator_id": ind,
            "month": np.tile(months, n_a), "value": values.ravel(),
        }))
    for j, (ind, (mean, sd)) in enumerate(SHARE_PROFILES.items()):
        rng = np.random.default_rng([seed, 1000 + j, 7])
        level = np.clip(rng.normal(mean, sd, n_a) - (cat - 1.0) * 10.0, 20, 90)
        drift = rng.normal(0.0, 1.0, n_a)
        respondents = 150
        p = np.clip((level[:, None] + drift[:, None] * years[None, :]) / 100.0, 0.02, 0.98)
        values = np.round(rng.binomial(respondents, p) / respondents * 100.0, 1)
        frames.append(pd.DataFrame({
            "area_id": np.repeat(ids, n_t), "indicator_id": ind,
            "month": np.tile(months, n_a), "value": values.ravel(),
        }))
    return SyntheticSeries(
        values=pd.concat(frames, ignore_index=True),
        truth=pd.DataFrame(truth, columns=["area_id", "indicator_id", "change_month", "factor"]),
    )


def generate_targets(values: pd.DataFrame, indicator_ids: tuple[str, ...], months: list[str], seed: int) -> pd.DataFrame:
    """Monthly targets for effort indicators: a round number near the area's previous-year mean."""
    rng = np.random.default_rng([seed, 99])
    v = values[values["indicator_id"].isin(indicator_ids)]
    first = months[0]
    prior_year = str(int(first[:4]) - 1)
    base = v[v["month"].str.startswith(prior_year)].groupby(["area_id", "indicator_id"])["value"].mean()
    rows = []
    for (area_id, ind), mean in base.items():
        step = 5.0 if mean >= 20 else 1.0
        target = max(step, round(mean * rng.uniform(1.0, 1.15) / step) * step)
        rows.extend((area_id, ind, m, target) for m in months)
    return pd.DataFrame(rows, columns=["area_id", "indicator_id", "month", "target"])


def sample_in_polygon(poly: shapely.Geometry, n: int, rng: np.random.Generator,
                      centres: np.ndarray | None = None, sigma: float = 0.0) -> np.ndarray:
    """``n`` points inside ``poly`` (EPSG:3006): around ``centres`` (Gaussian ``sigma``) or uniform."""
    out = np.empty((0, 2))
    minx, miny, maxx, maxy = poly.bounds
    shapely.prepare(poly)
    for _ in range(50):
        need = n - len(out)
        if need <= 0:
            break
        m = int(need * 1.6) + 8
        if centres is None:
            cand = np.column_stack([rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m)])
        else:
            pick = centres[rng.integers(0, len(centres), m)]
            cand = pick + rng.normal(0.0, sigma, (m, 2))
        inside = shapely.contains_xy(poly, cand[:, 0], cand[:, 1])
        out = np.vstack([out, cand[inside][:need]])
    if len(out) < n:  # a thin polygon: fall back to uniform
        extra = sample_in_polygon(poly, n - len(out), rng) if centres is not None else np.empty((0, 2))
        out = np.vstack([out, extra])
    return out[:n]


def generate_points(polygons: pd.DataFrame, counts: pd.DataFrame, seed: int,
                    clustered_share: float = 0.6) -> pd.DataFrame:
    """Point events whose monthly counts equal ``counts`` (area_id, indicator_id, month, value).

    Each area has three to five fixed hot places (one of them only active in the last 12 months, so
    emerging-hotspot analysis has something new to find); ``clustered_share`` of the events fall
    around them (σ = 90–160 m), the rest anywhere in the polygon.
    """
    geoms = dict(zip(polygons["id"].astype(str), polygons.geometry.values, strict=True))
    months_all = sorted(counts["month"].unique())
    recent = set(months_all[-12:])
    frames = []
    for area_id, group in counts[counts["value"] > 0].groupby("area_id"):
        poly = geoms.get(str(area_id))
        if poly is None:
            continue
        rng = np.random.default_rng([seed, zlib.crc32(str(area_id).encode())])
        k = int(rng.integers(3, 6))
        centres = sample_in_polygon(poly, k, rng)
        sigma = float(rng.uniform(90, 160))
        for r in group.itertuples():
            n = int(r.value)
            active = centres if r.month in recent else centres[:-1]
            n_c = int(rng.binomial(n, clustered_share))
            pts = np.vstack([sample_in_polygon(poly, n_c, rng, active, sigma), sample_in_polygon(poly, n - n_c, rng)])
            year, month = int(r.month[:4]), int(r.month[5:7])
            days = pd.Period(r.month, "M").days_in_month
            t = (pd.Timestamp(year=year, month=month, day=1)
                 + pd.to_timedelta(rng.uniform(0, days * 86400, n), unit="s")).floor("min")
            frames.append(pd.DataFrame({
                "x": pts[:, 0], "y": pts[:, 1], "occurred_at": t, "type": r.indicator_id,
                "area_id": str(area_id), "month": r.month,
            }))
    if not frames:
        return pd.DataFrame(columns=["x", "y", "occurred_at", "type", "area_id", "month"])
    return pd.concat(frames, ignore_index=True)
