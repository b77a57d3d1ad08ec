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
from math import comb

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
    lag, card = _space_time_sums(y, w, time_window)
    big_n = t_n * n
    total = y.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = lag / total
        mean = total / big_n
        s2 = (y**2).sum() / big_n - mean**2
        variance = card * (big_n - card) / (big_n - 1) / big_n**2 * s2 / mean**2
        z = (g - card / big_n) / np.sqrt(variance)
    return np.where(np.isfinite(z), z, np.nan)


def _space_time_sums(y: np.ndarray, w: sp.spmatrix, time_window: int) -> tuple[np.ndarray, np.ndarray]:
    """Space-time neighbourhood sums and sizes, both (T, n): the spatial neighbours (self
    included) in the same slice and the ``time_window`` previous ones."""
    t_n, n = y.shape
    w = sp.csr_matrix(w)
    spatial = (w @ y.T).T  # (T, n)
    csum = np.vstack([np.zeros((1, n)), np.cumsum(spatial, axis=0)])
    lo = np.maximum(np.arange(t_n) - time_window, 0)
    lag = csum[np.arange(t_n) + 1] - csum[lo]
    steps = (np.arange(t_n) - lo + 1)[:, None]
    card = np.asarray(w.sum(axis=1)).ravel()[None, :] * steps
    return lag, card


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


def _permutation_counts(
    y: np.ndarray, w: sp.spmatrix, permutations: int, seed: int, chunk: int = 256
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Per observation: how many of the conditional permutations gave a Gi* ≥ and ≤ the observed
    one, and the number of off-diagonal neighbours (None: fewer than 2 observations or no
    neighbours at all)."""
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
        return None
    ids = permutation_ids(n, max_card, permutations, seed)
    ge = np.zeros(n, dtype=np.int64)
    le = np.zeros(n, dtype=np.int64)
    for k in np.unique(card):
        members = np.flatnonzero(card == k)
        draws = ids[:, :k]  # (P, k) positions in y without i
        for start in range(0, len(members), chunk):
            idx = members[start : start + chunk]
            pos = draws[None, :, :] + (draws[None, :, :] >= idx[:, None, None])
            # binary off-diagonal weights: the random lag is a plain sum
            lag = y[pos].sum(axis=2) if k else np.zeros((len(idx), permutations))
            rstat = (lag + self_w[idx, None] * y[idx, None]) / total
            ge[idx] = (rstat >= observed[idx, None]).sum(axis=1)
            le[idx] = (rstat <= observed[idx, None]).sum(axis=1)
    return ge, le, card


def permutation_p(
    y: np.ndarray, w: sp.spmatrix, permutations: int = 999, seed: int = 0, chunk: int = 256
) -> np.ndarray:
    """Conditional-randomisation pseudo p-value of Gi*, esda's 'directed' alternative.

    For each i, ``y_i`` stays and its neighbours' values are drawn at random from the other
    n − 1 observations; p = (min(#≥, #<) + 1) / (permutations + 1), folded towards the observed
    tail. Double it (capped at 1) for a two-sided p-value.

    Kept equal to esda's ``p_sim`` (tested); the layers use :func:`permutation_p_two_sided`,
    which does not count ties as evidence (see there).
    """
    counts = _permutation_counts(y, w, permutations, seed, chunk)
    if counts is None:
        return np.full(len(np.asarray(y).ravel()), np.nan)
    larger, _, card = counts
    low = (permutations - larger) < larger
    larger = np.where(low, permutations - larger, larger)
    p = (larger + 1.0) / (permutations + 1.0)
    # an isolated observation has a degenerate reference distribution: no evidence either way
    return np.where(card == 0, 1.0, p)


def permutation_p_two_sided(
    y: np.ndarray, w: sp.spmatrix, permutations: int = 999, seed: int = 0, chunk: int = 256
) -> np.ndarray:
    """Two-sided conditional-randomisation p-value of Gi* with ties on both sides:
    ``min(1, 2 · min(#≥ + 1, #≤ + 1) / (permutations + 1))``.

    esda's fold counts a permutation equal to the observed value as "larger" only, so a cell
    whose value every permutation reproduces — an empty cell among empty neighbours, the usual
    case with sparse events — gets the smallest p there is (1 / (P + 1)): a "99 % cold spot"
    that is no evidence at all. Here such a cell gets p = 1. Same draws as :func:`permutation_p`.
    """
    counts = _permutation_counts(y, w, permutations, seed, chunk)
    if counts is None:
        return np.full(len(np.asarray(y).ravel()), np.nan)
    ge, le, card = counts
    p = np.minimum(1.0, 2.0 * (np.minimum(ge, le) + 1.0) / (permutations + 1.0))
    return np.where(card == 0, 1.0, p)


def _are_counts(y: np.ndarray) -> bool:
    """Non-negative integers only (what the exact test takes)."""
    return not (np.any(y < 0) or np.any(y != np.rint(y)))


def _binary(w: sp.spmatrix, name: str) -> sp.csr_matrix:
    """``w`` as CSR, refused unless every weight is 1."""
    w = sp.csr_matrix(w)
    if w.nnz and not np.all(w.data == 1.0):
        raise ValueError(f"{name}: binary weights only")
    return w


def randomisation_sum_distributions(y: np.ndarray, sizes: Sequence[int]) -> dict[int, np.ndarray]:
    """Exact distribution of the sum of a random ``k``-subset of ``y`` (drawn without
    replacement, every subset equally likely), for every ``k`` in ``sizes``.

    Returns ``{k: prob}`` with ``prob[s] = P(sum = s)`` for ``s = 0 … k · max(y)``. ``y`` must
    hold non-negative integers (counts). Built by one pass over the distinct values (a
    multivariate hypergeometric count by dynamic programming), so it costs
    O(distinct values × k² × k · max(y)): fine for sparse counts, which is where it is used.

    >>> d = randomisation_sum_distributions(np.array([0, 0, 1, 2]), [2])[2]
    >>> (d * 6).round().astype(int).tolist()  # {0,0} {0,1}×2 {0,2}×2 {1,2}
    [1, 2, 2, 1, 0]
    """
    y = np.asarray(y, dtype=float).ravel()
    if not _are_counts(y):
        raise ValueError("randomisation_sum_distributions: y must hold non-negative integer counts")
    n = len(y)
    k_max = max(sizes) if len(sizes) else 0
    if k_max > n:
        raise ValueError(f"randomisation_sum_distributions: subsets of {k_max} from {n} values")
    s_max = k_max * (int(y.max()) if n else 0)
    values, mult = np.unique(y.astype(np.int64), return_counts=True)
    ways = np.zeros((k_max + 1, s_max + 1))  # ways[c, s]: subsets of c items with sum s
    ways[0, 0] = 1.0
    for v, m in zip(values.tolist(), mult.tolist(), strict=True):
        nxt = ways.copy()  # none of this value
        for c in range(1, min(m, k_max) + 1):
            shift = c * v
            if shift > s_max:
                break
            nxt[c:, shift:] += float(comb(m, c)) * ways[: k_max + 1 - c, : s_max + 1 - shift]
        ways = nxt
    return {int(k): ways[k] / float(comb(n, k)) for k in sizes}


def exact_p(y: np.ndarray, w: sp.spmatrix) -> np.ndarray:
    """Exact two-sided p-value of Gi* for counts under total randomisation — the null whose
    moments the analytical z uses, without the normal approximation.

    With binary weights (self included), Gi* is a monotone function of the neighbourhood sum
    ``S_i = Σ_j w_ij y_j``; under randomisation ``S_i`` is the sum of ``W_i`` values drawn without
    replacement from all n, so ``p_i = min(1, 2 · min(P(S ≥ s_i), P(S ≤ s_i)))`` exactly.
    NaN where Gi* is undefined (no events at all).
    """
    y = np.asarray(y, dtype=float).ravel()
    w = _binary(w, "exact_p")
    return _exact_from_sums(y, np.diff(w.indptr), w @ y)


def exact_p_space_time(y: np.ndarray, w: sp.spmatrix, time_window: int) -> np.ndarray:
    """:func:`exact_p` of the space-time Gi* of :func:`gi_star_space_time` (shape (T, n)): the
    neighbourhood sums of the cube against sums drawn from all T·n bins."""
    y = np.atleast_2d(np.asarray(y, dtype=float))
    w = _binary(w, "exact_p_space_time")
    lag, card = _space_time_sums(y, w, time_window)
    return _exact_from_sums(y.ravel(), card.ravel().astype(np.int64), lag.ravel()).reshape(y.shape)


def _exact_from_sums(values: np.ndarray, sizes: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """Two-sided p of each observed neighbourhood sum against the sum of ``sizes`` random draws
    (without replacement) from ``values``."""
    p = np.full(len(sizes), np.nan)
    if not len(values) or values.sum() == 0:
        return p
    observed = np.rint(sums).astype(np.int64)
    for k, prob in randomisation_sum_distributions(values, sorted(set(sizes.tolist()) - {0})).items():
        at_most = np.minimum(np.cumsum(prob), 1.0)
        at_least = np.minimum(np.cumsum(prob[::-1])[::-1], 1.0)
        idx = np.flatnonzero(sizes == k)
        s_i = observed[idx]
        p[idx] = np.minimum(1.0, 2.0 * np.minimum(at_least[s_i], at_most[s_i]))
    return p


#: Events per cell (on average over the study region) from which the analytical (normal) p-values
#: are used, as in Esri's Hot Spot Analysis. Below it the counts are too sparse for the normal
#: approximation and the p-values are the exact ones (:func:`exact_p`, the same null).
#: Simulated under complete spatial randomness on real area grids (``bench/RESULTS.md``,
#: ``tests/unit/test_layers_inference.py``): at 0.1 events per cell the analytical test marks a
#: "95 %" hot or cold spot in about half of the maps of pure chance (the nominal rate is 5 %); the
#: exact test in at most 5 %; from 10 events per cell on the analytical one stays within ~2× of it.
ANALYTICAL_MIN_MEAN = 10.0


def choose_inference(y: np.ndarray, permutations: int | None) -> tuple[str, int, str]:
    """(inference, permutations, why) for ``y``.

    ``permutations`` given: ``("permutation", N, "given")`` or, for 0, ``("analytical", 0,
    "given")``. None: ``("analytical", 0, "dense")`` when the mean count is at least
    :data:`ANALYTICAL_MIN_MEAN`, else ``("exact", 0, "sparse")`` (non-integer values, which the
    exact test does not take, stay analytical: ``"not_counts"``).
    """
    if permutations is not None:
        if permutations < 0:
            raise ValueError(f"permutations must be 0 (analytical) or more, got {permutations}")
        return ("permutation" if permutations else "analytical"), int(permutations), "given"
    y = np.asarray(y, dtype=float).ravel()
    if not len(y) or float(y.mean()) >= ANALYTICAL_MIN_MEAN:
        return "analytical", 0, "dense"
    if not _are_counts(y):
        return "analytical", 0, "not_counts"
    return "exact", 0, "sparse"


_INFERENCE_TEXT = {
    "analytical": "analytical (standard normal), two-sided",
    "exact": "exact randomisation distribution of the neighbourhood sum, two-sided",
}


def inference_method(y: np.ndarray, inference: str, permutations: int, why: str, seed: int) -> dict:
    """The inference part of a layer's ``method`` dict."""
    y = np.asarray(y, dtype=float).ravel()
    text = _INFERENCE_TEXT.get(inference) or (
        f"conditional permutation ({permutations}, seed {seed}), two-sided, ties on both sides")
    return {
        "inference": text,
        "inference_kind": inference,
        "permutations": int(permutations),
        "seed": int(seed) if permutations else None,
        "inference_choice": why,
        "mean_count": round(float(y.mean()), 3) if len(y) else None,
        "analytical_min_mean": ANALYTICAL_MIN_MEAN,
    }


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
    *,
    exact: bool = False,
) -> dict[str, np.ndarray]:
    """z, p (two-sided), BH-adjusted p and class for every observation.

    With ``permutations > 0`` the p-value is the permutation one
    (:func:`permutation_p_two_sided`); with ``exact`` the exact randomisation one
    (:func:`exact_p`); z stays analytical.
    """
    result = gi_star(y, w)
    if permutations > 0:
        p = np.where(np.isfinite(result.z), permutation_p_two_sided(y, w, permutations, seed), np.nan)
    elif exact:
        p = np.where(np.isfinite(result.z), exact_p(y, w), np.nan)
    else:
        p = result.p
    p_adj = benjamini_hochberg(p)
    return {"z": result.z, "p": p, "p_adjusted": p_adj, "class": classify(result.z, p_adj)}
