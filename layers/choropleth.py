"""Choropleth classes for the areas layer, as a Leaflet ``hideout`` dict and a legend.

Hideout contract (read by the style function in ``assets/``)::

    {"property": "value",             # what is shown (indicator key)
     "kind": "sequential" | "diverging",
     "method": "quantiles" | "natural_breaks" | "fixed",
     "classes": [lo_0, lo_1, ...],    # lower bounds; class i is (classes[i], classes[i+1]]
     "colors": [c_0, c_1, ...],       # one per class
     "values": {area_id: value|None},
     "class_index": {area_id: i|None},  # precomputed: no classification needed in JS
     "missing_color": "#d9d9d9"}

A value v belongs to the last class i with ``v > classes[i]`` (class 0 if none), which is
mapclassify's rule (upper bounds inclusive). ``class_index`` gives the same answer ready-made.

>>> h = choropleth_hideout({"1": 1.0, "2": 2.0, "3": 3.0, "4": 10.0}, method="fixed", fixed=[2, 5])
>>> h["classes"], h["class_index"]
([1.0, 2.0, 5.0], {'1': 0, '2': 0, '3': 1, '4': 2})
>>> [row["label"] for row in legend(h, "sv")]
['≤ 2', '3–5', '> 5']
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import mapclassify
import numpy as np
import pandas as pd

from i18n import fmt_number
from layers.palettes import MISSING_COLOR, diverging, sequential
from texts import LANGS, t

METHODS = ("quantiles", "natural_breaks", "fixed")
#: Gi*/z-score breaks at 90, 95, 99 % (two-sided).
Z_BREAKS: tuple[float, ...] = (-2.58, -1.96, -1.65, 1.65, 1.96, 2.58)

MISSING_LABEL = {lang: t("ind.missing_data", lang) for lang in LANGS}


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    return v[np.isfinite(v)]


def class_breaks(
    values: Sequence[float] | np.ndarray,
    method: str = "quantiles",
    k: int = 5,
    fixed: Sequence[float] | None = None,
) -> list[float]:
    """Upper bounds of the classes (mapclassify semantics; the last bound is the maximum).

    ``quantiles`` and ``natural_breaks`` (Fisher–Jenks) come from mapclassify; ties can give
    fewer than ``k`` classes. ``fixed`` takes the user's inner bounds and adds the maximum.
    """
    v = _finite(values)
    if method not in METHODS:
        raise ValueError(f"classification {method!r}: expected one of {METHODS}")
    if method == "fixed":
        if not fixed:
            raise ValueError("classification 'fixed' needs the break values (fixed=[...])")
        inner = sorted(float(b) for b in fixed)
        top = max(float(v.max()), inner[-1]) if len(v) else inner[-1]
        return [*inner, top] if top > inner[-1] else inner
    if len(v) == 0:
        return []
    if len(np.unique(v)) == 1:
        return [float(v[0])]
    k = min(k, len(np.unique(v)))
    if method == "quantiles":
        bins = mapclassify.Quantiles(v, k=k).bins
    elif len(v) > 1_000:
        bins = mapclassify.FisherJenksSampled(v, k=k).bins
    else:
        bins = mapclassify.FisherJenks(v, k=k).bins
    if _is_integral(v):  # counts: for integer x, x ≤ b ⟺ x ≤ ⌊b⌋, so the classes do not change
        bins = np.floor(bins)
    return sorted({float(b) for b in bins})


def diverging_breaks(
    values: Sequence[float] | np.ndarray,
    method: str = "quantiles",
    k: int = 7,
    center: float = 0.0,
    fixed: Sequence[float] | None = None,
) -> list[float]:
    """Inner class bounds symmetric around ``center`` (z-scores, change).

    With ``fixed`` the bounds are used as given (e.g. ``Z_BREAKS``). Otherwise magnitudes
    ``|v − center|`` are classified and mirrored: odd ``k`` gives a neutral middle class
    around the centre, even ``k`` splits at the centre.
    """
    if fixed is not None:
        return sorted(float(b) for b in fixed)
    mags = np.abs(_finite(values) - center)
    m = k // 2
    if len(mags) == 0 or mags.max() == 0:
        return [center] if k % 2 == 0 else []
    upper = class_breaks(mags, method, k=m + 1)[:-1][: m]
    upper = [u for u in upper if u > 0]
    left = [center - u for u in reversed(upper)]
    right = [center + u for u in upper]
    return [*left, center, *right] if k % 2 == 0 else [*left, *right]


def _classify(v: np.ndarray, lower: list[float]) -> np.ndarray:
    """Index of the last lower bound strictly below v (0 if none); −1 for NaN."""
    idx = np.searchsorted(np.asarray(lower[1:], dtype=float), v, side="left")
    return np.where(np.isfinite(v), idx, -1)


def choropleth_hideout(
    values: Mapping[str, float] | pd.Series,
    *,
    method: str = "quantiles",
    k: int = 5,
    fixed: Sequence[float] | None = None,
    kind: str = "sequential",
    palette: str = "YlOrRd",
    center: float = 0.0,
    property: str = "value",  # noqa: A002 - the hideout key is called property
) -> dict[str, Any]:
    """Classify ``values`` (area id → value) into a hideout dict for the areas layer.

    Parameters
    ----------
    values : mapping or pandas.Series
        Area id → value (NaN/None = missing).
    method : {'quantiles', 'natural_breaks', 'fixed'}
    k : int
        Number of classes (sequential 3–9; diverging 3–11).
    fixed : sequence of float, optional
        Inner class bounds for ``method='fixed'`` (diverging: e.g. ``Z_BREAKS``).
    kind : {'sequential', 'diverging'}
        Sequential for values and rates, diverging (RdBu, red = high) for z-scores and change.
    palette : str
        Sequential palette name ('YlOrRd', or 'Blues' for effort measures).
    center : float
        Centre of a diverging scale.
    property : str
        Name of what is shown, for the style function and the tooltip.

    Returns
    -------
    dict
        See the module docstring.
    """
    series = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    ids = [str(i) for i in series.index]
    v = series.to_numpy(dtype=float)
    finite = v[np.isfinite(v)]
    if kind == "diverging":
        inner = diverging_breaks(v, method, k, center, fixed if method == "fixed" else None)
        lo = float(min(finite.min(), inner[0])) if len(finite) and inner else (
            float(finite.min()) if len(finite) else center)
        lower = [lo, *inner]
        colors = list(diverging(len(lower))) if len(lower) >= 3 else _small_diverging(len(lower))
    elif kind == "sequential":
        upper = class_breaks(v, method, k, fixed)
        lo = float(finite.min()) if len(finite) else (upper[0] if upper else 0.0)
        lower = [min(lo, upper[0]) if upper else lo, *upper[:-1]]
        n = len(lower)
        colors = list(sequential(palette, n)) if n >= 3 else list(sequential(palette, 3))[-n:]
    else:
        raise ValueError(f"kind {kind!r}: expected 'sequential' or 'diverging'")
    idx = _classify(v, lower)
    return {
        "property": property,
        "kind": kind,
        "method": method,
        "classes": lower,
        "colors": colors,
        "values": {i: (float(x) if math.isfinite(x) else None) for i, x in zip(ids, v, strict=True)},
        "class_index": {i: (int(c) if c >= 0 else None) for i, c in zip(ids, idx, strict=True)},
        "missing_color": MISSING_COLOR,
    }


def _small_diverging(n: int) -> list[str]:
    three = diverging(3)
    return [three[0], three[2]] if n == 2 else [three[1]]


def _is_integral(xs: Sequence[float] | np.ndarray) -> bool:
    arr = np.asarray(xs, dtype=float)
    return bool(np.all(np.isfinite(arr) & (arr == np.floor(arr))))


def _auto_decimals(bounds: Sequence[float]) -> int:
    if _is_integral(bounds):
        return 0
    span = max(bounds) - min(bounds) if len(bounds) > 1 else abs(bounds[0])
    if span <= 0:
        return 2
    return int(min(3, max(0, 2 - math.floor(math.log10(span)))))


def legend(
    hideout: Mapping[str, Any],
    lang: str = "sv",
    decimals: int | None = None,
    integer_values: bool | None = None,
) -> list[dict[str, str]]:
    """Legend rows ``{color, label}`` for a hideout, first class first, Swedish number format.

    Integer data with integer bounds (counts) get inclusive integer ranges ("3–5"); otherwise
    classes read "≤ a", "a – b" (lower bound exclusive), "> b". A "missing" row is added when any
    value is missing.
    """
    lower = list(hideout["classes"])
    colors = list(hideout["colors"])
    vals = [x for x in hideout.get("values", {}).values() if x is not None]
    inner = lower[1:]
    if integer_values is None:
        integer_values = bool(vals) and _is_integral(vals) and _is_integral(inner)
    dec = decimals if decimals is not None else (0 if integer_values else _auto_decimals(inner or lower))

    def f(x: float) -> str:
        return fmt_number(x, lang, dec)

    rows = []
    n = len(lower)
    for i in range(n):
        if n == 1:
            label = f(lower[0])
        elif i == 0:
            label = f"≤ {f(inner[0])}"
        elif i == n - 1:
            label = f"> {f(lower[i])}"
        elif integer_values:
            a, b = int(lower[i]) + 1, int(lower[i + 1])
            label = f(a) if a == b else f"{f(a)}–{f(b)}"
        else:
            label = f"{f(lower[i])} – {f(lower[i + 1])}"
        rows.append({"color": colors[i], "label": label})
    if any(x is None for x in hideout.get("values", {}).values()):
        rows.append({"color": hideout.get("missing_color", MISSING_COLOR), "label": MISSING_LABEL[lang]})
    return rows
