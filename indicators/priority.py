"""Tertial prioritisation (EST, issue 14): which of a kommun's areas need the most, shown in parts.

Every part is a number between 0 and 1 (higher: more need) taken from the engine's verdict object
of the tertial (:func:`indicators.summary.verdict_table`, one row per area × indicator) — nothing
is re-tested here:

* ``level`` — the area's rate per 1,000 residents against the peers (every area of the list), as
  the mean percentile over the harm indicators with a rate;
* ``change`` — the share of the area's tested harm indicators whose verdict is red (amber counts
  half): significant deterioration by the engine's own tests;
* ``persistence`` — the share of the previous tertials (default three) in which the area had a red
  or amber verdict on a harm indicator;
* ``harm`` — the harm-weighted rate (:data:`HARM`: a shooting weighs more than criminal damage) as a
  percentile among the peers;
* ``trygghet`` — one minus the percentile of the area's share feeling safe (less safe: more need).

``need`` is the mean of the parts the area has. The group adds "påverkansmöjlighet" (0–3) by hand
and chooses three; the ranking only orders the table.

>>> import pandas as pd
>>> cur = pd.DataFrame({"area_id": ["a", "b"], "area_name": ["A", "B"], "indicator_id": ["ran", "ran"],
...                     "rate_per_1000": [2.0, 1.0], "rag": ["red", "green"]})
>>> priority_table(cur, [], ["a", "b"])[["area_id", "level", "change"]].values.tolist()
[['a', 1.0, 1.0], ['b', 0.5, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: harm weights of the count indicators (relative; Cambridge Crime Harm Index in spirit: violence
#: with weapons far above property damage). Indicators not listed are not harm indicators.
HARM: dict[str, float] = {
    "skjutningar": 10.0, "sprangningar": 10.0, "hot_rattssak": 6.0, "vapenbrott": 5.0, "upplopp": 5.0,
    "blaljussabotage": 5.0, "ran": 4.0, "misshandel_utomhus": 4.0, "vald_mot_polis": 4.0,
    "narkotikabrott": 3.0, "brand": 2.0, "brand_i_motorfordon": 2.0, "skadegorelse": 1.0,
}
TRYGGHET = "trygghet"
PARTS = ("level", "change", "persistence", "harm", "trygghet")


def _percentile(values: pd.Series) -> pd.Series:
    """Rank percentile in (0, 1] (ties share the highest rank); NaN stays NaN."""
    return values.rank(method="max", pct=True)


def priority_table(current: pd.DataFrame, previous: Sequence[pd.DataFrame], area_ids: Sequence[str],
                   harm: dict[str, float] | None = None) -> pd.DataFrame:
    """The kommun's areas ranked by ``need``, with every part shown.

    Parameters
    ----------
    current : the verdict rows of the tertial for every area of the list (the peers)
    previous : the verdict rows of earlier tertials (for ``persistence``)
    area_ids : the areas to rank (a kommun's)

    Returns
    -------
    pandas.DataFrame
        ``area_id, area_name, level, change, persistence, harm, trygghet, need, n_red, n_amber``,
        most need first.
    """
    w = HARM if harm is None else harm
    cur = current.copy()
    cur["area_id"] = cur["area_id"].astype(str)
    is_harm = cur["indicator_id"].isin(list(w))
    rates = cur[is_harm].pivot_table(index="area_id", columns="indicator_id", values="rate_per_1000", aggfunc="first")
    level = rates.apply(_percentile).mean(axis=1) if len(rates.columns) else pd.Series(dtype=float)
    weights = pd.Series({c: w[c] for c in rates.columns}, dtype=float)
    weighted = (rates.fillna(0.0) * weights).sum(axis=1).where(rates.notna().any(axis=1))
    harm_p = _percentile(weighted) if len(weighted) else pd.Series(dtype=float)
    tryg = pd.Series(dtype=float)
    if "value" in cur and (cur["indicator_id"] == TRYGGHET).any():
        share = cur[cur["indicator_id"] == TRYGGHET].set_index("area_id")["value"].astype(float)
        tryg = 1.0 - _percentile(share) + 1.0 / max(share.notna().sum(), 1)
    h = cur[is_harm & cur["rag"].isin(["red", "amber", "green"])]
    red = h[h["rag"] == "red"].groupby("area_id").size()
    amber = h[h["rag"] == "amber"].groupby("area_id").size()
    tested = h.groupby("area_id").size()
    change = ((red.reindex(tested.index, fill_value=0) + 0.5 * amber.reindex(tested.index, fill_value=0))
              / tested)
    flagged = []
    for prev in previous:
        p = prev[prev["indicator_id"].isin(list(w)) & prev["rag"].isin(["red", "amber"])]
        flagged.append(set(p["area_id"].astype(str)))
    names = dict(zip(cur["area_id"], cur.get("area_name", cur["area_id"]), strict=False))
    rows = []
    for a in (str(x) for x in area_ids):
        parts = {
            "level": level.get(a, np.nan), "change": change.get(a, np.nan),
            "persistence": (sum(a in f for f in flagged) / len(flagged)) if flagged else np.nan,
            "harm": harm_p.get(a, np.nan), "trygghet": tryg.get(a, np.nan),
        }
        vals = [v for v in parts.values() if v == v]
        rows.append({"area_id": a, "area_name": names.get(a, a), **{k: float(v) for k, v in parts.items()},
                     "need": float(np.mean(vals)) if vals else np.nan,
                     "n_red": int(red.get(a, 0)), "n_amber": int(amber.get(a, 0))})
    out = pd.DataFrame(rows, columns=["area_id", "area_name", *PARTS, "need", "n_red", "n_amber"])
    return out.sort_values(["need", "area_name"], ascending=[False, True], na_position="last").reset_index(drop=True)
