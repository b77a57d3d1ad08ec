"""Comparing one area with other areas: cross-sectional z-scores, peer groups, funnel limits.

Compare like with like: pass rates per 1,000 inhabitants (or shares), not raw counts, when areas
differ in size. Results that cannot be computed come back as ``None`` with a reason code
(:func:`indicators.texts.reason_text` gives their Swedish and English wording).

>>> s = pd.Series({"a": 10.0, "b": 4.0, "c": 6.0, "d": 5.0})
>>> cross_sectional_z(s, "a").z  # (10 − mean 5) / sd 1 of the others
5.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps


@dataclass(frozen=True)
class ZScore:
    """Cross-sectional z of one area against a reference group.

    ``z`` is ``None`` when not computable; ``reason`` then holds a code such as ``"no_value"``,
    ``"group_too_small"``, ``"no_spread"``.
    """

    z: float | None
    mean: float | None
    sd: float | None
    n: int
    reason: str | None = None


@dataclass(frozen=True)
class PeerGroup:
    """The ``k`` areas most similar to ``area_id`` on the DeSO profile.

    ``peers`` is empty and ``reason`` set (``"no_profile"``, ``"too_few_profiles"``) when no peer
    group can be formed.
    """

    area_id: str
    peers: tuple[str, ...]
    distances: tuple[float, ...]
    columns: tuple[str, ...]
    reason: str | None = None


def cross_sectional_z(
    values: pd.Series,
    area_id: str,
    group: Iterable[str] | None = None,
    include_self: bool = False,
    min_group: int = 3,
) -> ZScore:
    """z-score of one area's value against a group of areas (the UK "use of z-scores").

    ``z = (x − mean) / sd`` with the sample sd (ddof = 1) over the group. By default the area
    itself is left out of the group ("how far from the others"); with ``include_self=True`` the
    result equals ``scipy.stats.zscore(group_values, ddof=1)`` at the area's position.

    Parameters
    ----------
    values : pandas.Series
        One value per area, indexed by area id (NaN: unknown, left out of the group).
    area_id : str
    group : iterable of str, optional
        Area ids of the reference group (all areas in ``values`` by default; pass the areas of the
        same category, or a :class:`PeerGroup`'s ``peers``).
    min_group : int
        Fewest reference areas with a value; fewer gives ``None`` with ``"group_too_small"``.
    """
    x = values.get(area_id, np.nan)
    if x is None or not np.isfinite(x):
        return ZScore(None, None, None, 0, "no_value")
    ids = values.index if group is None else pd.Index(list(group))
    ref = values.reindex(ids)
    ref = ref[ref.notna()]
    ref = ref[ref.index != area_id]
    if include_self:
        ref = pd.concat([ref, pd.Series({area_id: x})])
    n = int(len(ref))
    if n - int(include_self) < min_group:
        return ZScore(None, None, None, n, "group_too_small")
    mean = float(ref.mean())
    sd = float(ref.std(ddof=1))
    if not sd > 0:
        return ZScore(None, mean, sd, n, "no_spread")
    return ZScore(float((x - mean) / sd), mean, sd, n)


def cross_sectional_table(
    wide: pd.DataFrame,
    area_id: str,
    group: Iterable[str] | None = None,
    include_self: bool = False,
    min_group: int = 3,
) -> pd.DataFrame:
    """:func:`cross_sectional_z` for every column of an areas × indicators frame at once.

    Returns
    -------
    pandas.DataFrame
        Indexed by the columns of ``wide``: ``z``, ``mean``, ``sd``, ``n``, ``reason``
        (``None`` when ``z`` is computed).
    """
    if area_id in wide.index:
        x = wide.loc[area_id].to_numpy(dtype=float)
    else:
        x = np.full(wide.shape[1], np.nan)
    rows = wide.index if group is None else pd.Index([g for g in group if g in wide.index])
    ref = wide.loc[rows[rows != area_id]].to_numpy(dtype=float)
    if include_self:
        ref = np.vstack([ref, x[None, :]])
    z, mean, sd, n, reason = _zscores(x, ref, include_self, min_group)
    return pd.DataFrame(
        {"z": z, "mean": mean, "sd": sd, "n": n, "reason": reason},
        index=wide.columns,
    )


def _zscores(
    x: np.ndarray, ref: np.ndarray, include_self: bool = False, min_group: int = 3
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """z, mean, sd, n and reason per column of :func:`cross_sectional_table`, from the area's
    values ``x`` and the reference rows ``ref`` (areas × columns)."""
    n = (~np.isnan(ref)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(ref, axis=0) / n
        var = np.nansum((ref - mean[None, :]) ** 2, axis=0) / (n - 1)
    sd = np.sqrt(var)
    n_others = n - int(include_self)
    reason = np.select(
        [np.isnan(x), n_others < min_group, ~(sd > 0)],
        ["no_value", "group_too_small", "no_spread"],
        "",
    ).astype(object)
    ok = reason == ""
    reason[ok] = None
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(ok, (x - mean) / sd, np.nan)
    small = n_others < min_group
    return z, np.where(small, np.nan, mean), np.where(small, np.nan, sd), n, reason


def profile_distances(
    profiles: pd.DataFrame, area_id: str, columns: Sequence[str] | None = None
) -> tuple[pd.Series, tuple[str, ...], str | None]:
    """Standardised Euclidean distance from one area to every other profiled area.

    Each column is scaled by its variance across all profiled areas (``scipy.spatial.distance``'s
    ``seuclidean`` with ``V`` = column variances, ddof 1). Columns the area lacks (NaN) are not
    used; areas lacking a used column are left out.

    Returns
    -------
    distances : pandas.Series
        Indexed by area id, ascending; empty when the area has no profile.
    columns : tuple of str
        The columns used.
    reason : str or None
        ``"no_profile"`` when the area has no profile row.
    """
    if "area_id" not in profiles.columns:
        raise ValueError("profiles: missing column 'area_id'")
    frame = profiles.set_index(profiles["area_id"].astype(str))
    numeric = [
        c
        for c in (columns or frame.columns)
        if c != "area_id" and pd.api.types.is_numeric_dtype(frame[c])
    ]
    if area_id not in frame.index:
        return pd.Series(dtype=float), tuple(numeric), "no_profile"
    me = frame.loc[area_id, numeric].astype(float)
    used = [c for c in numeric if np.isfinite(me[c])]
    if not used:
        return pd.Series(dtype=float), (), "no_profile"
    data = frame[used].astype(float)
    var = data.var(ddof=1).to_numpy()
    keep = var > 0
    used = [c for c, k in zip(used, keep, strict=True) if k]
    data = data[used].dropna()
    others = data.drop(index=area_id, errors="ignore")
    diff = others.to_numpy() - me[used].to_numpy()[None, :]
    dist = np.sqrt((diff**2 / var[keep][None, :]).sum(axis=1))
    return pd.Series(dist, index=others.index).sort_values(kind="stable"), tuple(used), None


def peer_group(
    profiles: pd.DataFrame | None, area_id: str, k: int = 5, columns: Sequence[str] | None = None
) -> PeerGroup:
    """The ``k`` most similar areas by standardised Euclidean distance on the DeSO profile.

    Returns a group with no peers and a reason (``"no_profiles"``: no profile table at all,
    ``"no_profile"``: the area's DeSOs are not known, ``"too_few_profiles"``: fewer than ``k``
    other profiled areas) instead of raising.
    """
    if profiles is None or profiles.empty:
        return PeerGroup(area_id, (), (), (), "no_profiles")
    content = _profiles_key(profiles, columns)
    key = (type(area_id), area_id, k)
    memo = _PEER_MEMO.get(content) if content is not None else None
    if memo is not None:
        try:
            hit = memo.get(key)
        except TypeError:  # unhashable arguments: no memo
            hit, memo = None, None
        if hit is not None:
            return hit
    dist, used, reason = profile_distances(profiles, area_id, columns)
    if reason:
        group = PeerGroup(area_id, (), (), used, reason)
    elif len(dist) < k:
        group = PeerGroup(area_id, (), (), used, "too_few_profiles")
    else:
        top = dist.iloc[:k]
        group = PeerGroup(area_id, tuple(top.index), tuple(float(v) for v in top), used)
    if content is not None:
        if memo is None:
            if len(_PEER_MEMO) >= 8:
                _PEER_MEMO.clear()
            memo = _PEER_MEMO.setdefault(content, {})
        try:
            memo[key] = group
        except TypeError:
            pass
    return group


# Peer groups per profile table *content* (not identity: a changed table is a new key), then per
# (area id, k). PeerGroup is frozen and holds tuples only, so sharing one is safe.
_PEER_MEMO: dict[tuple, dict[tuple, PeerGroup]] = {}


def _profiles_key(profiles: pd.DataFrame, columns: Sequence[str] | None) -> tuple | None:
    """Everything :func:`profile_distances` reads from ``profiles``: column names and dtypes,
    the area ids as text and the exact bytes of every numeric column (None: not memoisable)."""
    if "area_id" not in profiles.columns or not profiles.columns.is_unique:
        return None
    try:
        parts: list[object] = [
            tuple(profiles.columns),
            tuple(str(d) for d in profiles.dtypes),
            None if columns is None else tuple(columns),
            tuple(profiles["area_id"].astype(str).tolist()),
        ]
        for name in profiles.columns:
            col = profiles[name]
            if name == "area_id" or not pd.api.types.is_numeric_dtype(col):
                continue
            if not isinstance(col.dtype, np.dtype):
                return None  # extension arrays: no plain bytes to compare
            parts.append(np.ascontiguousarray(col.to_numpy()).tobytes())
        key = tuple(parts)
        hash(key)
        return key
    except TypeError:
        return None


# --------------------------------------------------------------------------- funnel plot
def funnel_limits(
    exposure: object,
    target_rate: float,
    levels: Sequence[float] = (0.95, 0.998),
    method: str = "poisson",
) -> pd.DataFrame:
    """Funnel-plot control limits for a rate ``count / exposure`` around ``target_rate``.

    For each exposure ``E`` the expected count is ``μ = target_rate · E``; the limits are Poisson
    quantiles of ``μ`` turned back into rates:

    * ``method="poisson"`` (Spiegelhalter 2005, exact Poisson with interpolation): for tail
      probability ``p``, ``r = poisson.ppf(p, μ)``, ``a = (F(r) − p) / (F(r) − F(r − 1))``, limit
      ``(r − a) / E``;
    * ``method="chi2"`` (the exact chi-square form used by public-health funnel tools): lower
      ``chi2.ppf(p, 2μ) / 2 / E``, upper ``chi2.ppf(1 − p, 2μ + 2) / 2 / E``.

    Exposure is e.g. inhabitants / 1,000 for a rate per 1,000 inhabitants.

    Returns
    -------
    pandas.DataFrame
        Columns ``exposure``, ``expected`` and ``lower_<L>``, ``upper_<L>`` per level, with ``<L>``
        the level in per mille, e.g. ``lower_950``, ``upper_998``.
    """
    if method not in ("poisson", "chi2"):
        raise ValueError(f"method {method!r}: expected 'poisson' or 'chi2'")
    e = np.atleast_1d(np.asarray(exposure, dtype=float))
    mu = target_rate * e
    out = {"exposure": e, "expected": mu}
    for level in levels:
        p_lo = (1.0 - level) / 2.0
        tag = f"{round(level * 1000):03d}"
        with np.errstate(invalid="ignore", divide="ignore"):
            if method == "poisson":
                lo = _interpolated_quantile(p_lo, mu)
                hi = _interpolated_quantile(1.0 - p_lo, mu)
            else:
                lo = np.where(mu > 0, sps.chi2.ppf(p_lo, np.where(mu > 0, 2 * mu, 1.0)) / 2.0, 0.0)
                hi = sps.chi2.ppf(1.0 - p_lo, 2 * mu + 2) / 2.0
            out[f"lower_{tag}"] = np.where(e > 0, lo / e, np.nan)
            out[f"upper_{tag}"] = np.where(e > 0, hi / e, np.nan)
    return pd.DataFrame(out)


def _interpolated_quantile(p: float, mu: np.ndarray) -> np.ndarray:
    r = sps.poisson.ppf(p, mu)
    f_r = sps.poisson.cdf(r, mu)
    f_r1 = sps.poisson.cdf(r - 1, mu)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(f_r > f_r1, (f_r - p) / (f_r - f_r1), 0.0)
    return np.maximum(r - a, 0.0)


def funnel_table(
    counts: pd.Series,
    exposure: pd.Series,
    target_rate: float | None = None,
    levels: tuple[float, float] = (0.95, 0.998),
    method: str = "poisson",
) -> pd.DataFrame:
    """Rates, funnel limits and a flag per area.

    ``target_rate`` defaults to the pooled rate ``Σ counts / Σ exposure`` over areas with both
    known. Areas with unknown exposure (population) get NaN limits and flag ``"no_exposure"``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``counts``: ``count``, ``exposure``, ``rate``, the limit columns of
        :func:`funnel_limits`, ``flag`` in ``above_outer``, ``above_inner``, ``within``,
        ``below_inner``, ``below_outer``, ``no_exposure``.
    """
    ex = exposure.reindex(counts.index).astype(float)
    ok = counts.notna() & ex.notna() & (ex > 0)
    if target_rate is None:
        target_rate = float(counts[ok].sum() / ex[ok].sum()) if ok.any() else np.nan
    limits = funnel_limits(ex.to_numpy(), target_rate, levels, method)
    limits.index = counts.index
    rate = counts.astype(float) / ex
    inner, outer = (f"{round(level * 1000):03d}" for level in levels)
    flag = np.select(
        [
            ~ok,
            rate > limits[f"upper_{outer}"],
            rate > limits[f"upper_{inner}"],
            rate < limits[f"lower_{outer}"],
            rate < limits[f"lower_{inner}"],
        ],
        ["no_exposure", "above_outer", "above_inner", "below_outer", "below_inner"],
        default="within",
    )
    result = pd.concat([counts.rename("count").astype(float), rate.rename("rate"), limits], axis=1)
    result["flag"] = flag
    result["target_rate"] = target_rate
    return result
