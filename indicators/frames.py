"""Small helpers to turn long frames into dense numpy arrays quickly (factorize, then scatter).

>>> long = pd.DataFrame({"a": ["x", "y"], "m": ["2025-01", "2025-02"], "v": [1.0, 2.0]})
>>> scatter(long, ["a", "m"], "v", [pd.Index(["y", "x"]), pd.Index(["2025-01", "2025-02"])]).tolist()
[[nan, 2.0], [1.0, nan]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def codes(column: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each entry of ``column`` in ``index`` (−1 when absent).

    Factorizes the column first, so the lookup runs on its few distinct values only.
    """
    c, uniques = pd.factorize(column)
    return np.append(_positions(index, uniques), -1)[c]


def _positions(index: pd.Index | list, labels: object) -> np.ndarray:
    """``pd.Index(index).get_indexer(labels)``; for the small all-``str`` axes used here a dict
    lookup, which saves building the index's hash table on every call."""
    if isinstance(index, list) or (
        len(index) <= 4096 and (index.dtype == object or isinstance(index.dtype, pd.StringDtype))
    ):
        keys = index if isinstance(index, list) else index.tolist()
        wanted = labels.tolist() if hasattr(labels, "tolist") else list(labels)
        if (
            len(keys) <= 4096
            and all(type(k) is str for k in keys)
            and all(type(w) is str for w in wanted)
            and len(set(keys)) == len(keys)
        ):
            pos = {k: i for i, k in enumerate(keys)}
            return np.array([pos.get(w, -1) for w in wanted], dtype=np.intp)
    if isinstance(index, list):
        index = pd.Index(index)
    return index.get_indexer(labels)


class Coded:
    """A long frame's key columns factorized once, for several :func:`scatter` calls onto different
    axes (the same arrays as ``scatter(frame, keys, value, axes)``; ``rows`` keeps only some rows,
    as filtering the frame first would)."""

    def __init__(self, frame: pd.DataFrame, keys: Sequence[str], value: str) -> None:
        self.n = len(frame)
        self.codes: dict[str, np.ndarray] = {}
        self.uniques: dict[str, list] = {}
        for k in keys:
            c, u = pd.factorize(frame[k])
            self.codes[k], self.uniques[k] = c, u.tolist()
        self.values = frame[value].to_numpy(dtype=float) if self.n else np.empty(0)

    def positions(self, key: str, axis: pd.Index | list) -> np.ndarray:
        """Each row's position on ``axis`` (−1 when its key is not on it)."""
        return np.append(_positions(axis, self.uniques[key]), -1)[self.codes[key]]

    def scatter(
        self,
        keys: Sequence[str],
        axes: Sequence[pd.Index | list],
        rows: np.ndarray | None = None,
    ) -> np.ndarray:
        arr = np.full(tuple(len(ax) for ax in axes), np.nan)
        if self.n:
            pos = [self.positions(k, ax) for k, ax in zip(keys, axes, strict=True)]
            keep = np.logical_and.reduce([p >= 0 for p in pos])
            if rows is not None:
                keep &= rows
            arr[tuple(p[keep] for p in pos)] = self.values[keep]
        return arr


def scatter(
    frame: pd.DataFrame, keys: Sequence[str], value: str, axes: Sequence[pd.Index]
) -> np.ndarray:
    """Dense array of ``frame[value]`` with one axis per key column (NaN where there is no row).

    Rows whose keys are not on the axes are ignored; with duplicate keys the last row wins.
    """
    arr = np.full(tuple(len(ax) for ax in axes), np.nan)
    if len(frame):
        pos = [codes(frame[k], ax) for k, ax in zip(keys, axes, strict=True)]
        keep = np.logical_and.reduce([p >= 0 for p in pos])
        arr[tuple(p[keep] for p in pos)] = frame[value].to_numpy(dtype=float)[keep]
    return arr
