"""Getis-Ord Gi* on a sparse binary weights matrix, as esda computes it; FDR hot/cold classes.

``gi_star`` reproduces ``esda.G_Local(y, w, transform='B', star=True).Zs`` (analytical
inference; the self weight is 1, the moments are those of all n observations):

    G_i  = Σ_j w_ij y_j / Σ_j y_j
    E    = W_i / n,   W_i = Σ_j w_ij
    Var  = W_i (n − W_i) / (n − 1) / n² · s² / ȳ²,   s² = mean(y²) − ȳ²
    z_i  = (G_i − E) / √Var

which is Esri's Gi* z-score for binary weights. ``permutation_p`` reproduces esda's conditional
randomisation (``p_sim``, alternative 'directed') draw for draw when esda runs without numba.

>>> import numpy as np, scipy.sparse as sp
>>> w = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1]], float))
>>> gi_star(np.array([0.0, 1.0, 5.0, 6.0]), w).z.round(3).tolist()
[-1.698, -1.177, 1.177, 1.698]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy import stats

from indicators.fdr import benjamini_hochberg

#: (class suffix, alpha) from strictest to loosest: 99 %, 95 %, 90 % confidence.
CONFIDENCE_LEVELS: tuple[tuple[str, float], ...] = (("99", 0.01), ("95", 0.05), ("90", 0.10))


@dataclass(frozen=True)
class GiStar:
    """Gi* statistic per observation.

    Attributes
    ----------
    g : numpy.ndarray
        Σ w y / Σ y.
    expected, variance : numpy.ndarray
        Moments of ``g`` under the null.
    z : numpy.ndarray
        Standardised Gi* (NaN where undefined: all-zero ``y`` or zero variance).
    p : numpy.ndarray
        Two-sided p-value from the standard normal.
    """

    g: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p: np.ndarray


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """Two-sided normal p-value, NaN stays NaN."""
    return 2.0 * stats.norm.sf(np.abs(np.asarray(z, dtype=float)))


def gi_star(y: np.ndarray, w: sp.spmatrix) -> GiStar:
    """Analytical Gi* for ``y`` with binary weights ``w`` whose diagonal is 1.

    Parameters
    ----------
    y : array of shape (n,)
        Counts (or any non-negative values) per observation.
    w : scipy.sparse matrix of shape (n, n)
        Binary weights including the self weight.

    Returns
    -------
    GiStar
    """
    y = np.asarray(y, dtype=float).ravel()
    n = len(y)
    w = sp.csr_matrix(w)
    if w.shape != (n, n):
        raise ValueError(f"gi_star: weights are {w.shape}, values have length {n}")
    total = y.sum()
    card = np.asarray(w.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (w @ y) / total
        mean = total / n
        s2 = (y**2).sum() / n - mean**2
        expected = card / n
        variance = card * (n - card) / (n - 1) / n**2 * s2 / mean**2
        z = (g - expected) / np.sqrt(variance)
    z = np.where(np.isfinite(z), z, np.nan)
    return GiStar(g=g, expected=expected, variance=variance, z=z, p=two_sided_p(z))


def gi_star_slices(y: np.ndarray, w: sp.spmatrix) -> np.ndarray:
    """Analytical Gi* z for each row of ``y`` (shape (T, n)), one spatial statistic per time slice.

    Equals ``gi_star(y[t], w).z`` for every t; NaN for slices without variation (e.g. no events).
    """
    y = np.atleast_2d(np.asarray(y, dtype=float))
    t, n = y.shape
    w = sp.csr_matrix(w)
    card = np.asarray(w.sum(axis=1)).ravel()
    total = y.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (w @ y.T).T / total
        mean = total / n
        s2 = (y**2).sum(axis=1, keepdims=True) / n - mean**2
        variance = card[None, :] * (n - card[None, :]) / (n - 1) / n**2 * s2 / mean**2
        z = (g - card[None, :] / n) / np.sqrt(variance)
    return np.where(np.isfinite(z), z, np.nan)


def gi_star_space_time(y: np.ndarray, w: sp.spmatrix, time_window: int) -> np.ndarray:
    """Space-time Gi* z (shape (T, n)): neighbours are the spatial neighbours (self included) in
    the same slice and the ``time_window`` previous slices; moments over the whole cube (T·n bins).

    Equals ``gi_star`` on the flattened cube with weights ``kron(B, w)``, B[t, s] = 1 for
    t − time_window ≤ s ≤ t.
    """
    y = np.atleast_2d(np.asarray(y, dtype=float))
    t_n, n = y.shape
    w = sp.csr_matrix(w)
    spatial = (w @ y.T).T  # (T, n)
    csum = np.vstack([np.zeros((1, n)), np.cumsum(spatial, axis=0)])
    lo = np.maximum(np.arange(t_n) - time_window, 0)
    lag = csum[np.arange(t_n) + 1] - csum[lo]
    steps = (np.arange(t_n) - lo + 1)[:, None]
    card = np.asarray(w.sum(axis=1)).ravel()[None, :] * steps
    big_n = t_n * n
    total = y.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = lag / total
        mean = total / big_n
        s2 = (y**2).sum() / big_n - mean**2
        variance = card * (big_n - card) / (big_n - 1) / big_n**2 * s2 / mean**2
        z = (g - card / big_n) / np.sqrt(variance)
    return np.where(np.isfinite(z), z, np.nan)


def permutation_ids(n: int, max_card: int, permutations: int, seed: int) -> np.ndarray:
    """esda's random draws: per permutation, ``max_card`` ids from ``n − 1`` without replacement.

    Same stream as ``esda.crand.vec_permutations`` without numba (``np.random.seed(seed)`` then
    ``np.random.choice``), but on a private ``RandomState``: the global state is not touched.
    """
    rs = np.random.RandomState(seed)
    out = np.empty((permutations, max_card), dtype=np.int64)
    for k in range(permutations):
        out[k] = rs.choice(n - 1, size=max_card, replace=False)
    return out


def permutation_p(
    y: np.ndarray, w: sp.spmatrix, permutations: int = 999, seed: int = 0, chunk: int = 256
) -> np.ndarray:
    """Conditional-randomisation pseudo p-value of Gi*, esda's 'directed' alternative.

    For each i, ``y_i`` stays and its neighbours' values are drawn at random from the other
    n − 1 observations; p = (min(#≥, #<) + 1) / (permutations + 1), folded towards the observed
    tail. Double it (capped at 1) for a two-sided p-value.
    """
    y = np.asarray(y, dtype=float).ravel()
    n = len(y)
    w = sp.csr_matrix(w)
    total = y.sum()
    observed = (w @ y) / total
    off = w.copy()
    off.setdiag(0)
    off.eliminate_zeros()
    card = np.diff(off.indptr)
    self_w = w.diagonal()
    max_card = int(card.max()) if n else 0
    if n < 2 or max_card == 0:
        return np.full(n, np.nan)
    ids = permutation_ids(n, max_card, permutations, seed)
    larger = np.zeros(n, dtype=np.int64)
    for k in np.unique(card):
        members = np.flatnonzero(card == k)
        draws = ids[:, :k]  # (P, k) positions in y without i
        for start in range(0, len(members), chunk):
            idx = members[start : start + chunk]
            pos = draws[None, :, :] + (draws[None, :, :] >= idx[:, None, None])
            # binary off-diagonal weights: the random lag is a plain sum
            lag = y[pos].sum(axis=2) if k else np.zeros((len(idx), permutations))
            rstat = (lag + self_w[idx, None] * y[idx, None]) / total
            larger[idx] = (rstat >= observed[idx, None]).sum(axis=1)
    low = (permutations - larger) < larger
    larger = np.where(low, permutations - larger, larger)
    p = (larger + 1.0) / (permutations + 1.0)
    # an isolated observation has a degenerate reference distribution: no evidence either way
    return np.where(card == 0, 1.0, p)


def classify(
    z: np.ndarray,
    p_adjusted: np.ndarray,
    levels: Sequence[tuple[str, float]] = CONFIDENCE_LEVELS,
) -> np.ndarray:
    """'hot99' … 'cold99' from the sign of z and the FDR-adjusted p (significant if p ≤ alpha).

    NaN z or p gives 'ns'. ``p ≤ alpha`` is the rejection rule of
    ``statsmodels.stats.multitest.multipletests(method='fdr_bh')``.
    """
    z = np.asarray(z, dtype=float)
    p = np.asarray(p_adjusted, dtype=float)
    out = np.full(z.shape, "ns", dtype=object)
    for suffix, alpha in sorted(levels, key=lambda t: -t[1]):  # loosest first, strictest wins
        sig = (p <= alpha) & np.isfinite(z)
        out[sig & (z > 0)] = f"hot{suffix}"
        out[sig & (z < 0)] = f"cold{suffix}"
    return out


def gi_star_classes(
    y: np.ndarray,
    w: sp.spmatrix,
    permutations: int = 0,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """z, p (two-sided), BH-adjusted p and class for every observation.

    With ``permutations > 0`` the p-value is the permutation one (two-sided: 2 × directed, capped
    at 1); z stays analytical.
    """
    result = gi_star(y, w)
    p = result.p
    if permutations > 0:
        p_dir = permutation_p(y, w, permutations=permutations, seed=seed)
        p = np.where(np.isfinite(result.z), np.minimum(1.0, 2.0 * p_dir), np.nan)
    p_adj = benjamini_hochberg(p)
    return {"z": result.z, "p": p, "p_adjusted": p_adj, "class": classify(result.z, p_adj)}
