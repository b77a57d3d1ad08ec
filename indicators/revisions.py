"""Data versions and revisions of figures, as plain functions on frames.

A *data version* is an import id: every value row carries the import that wrote it, and every
value an import replaced is kept (``indicator_revisions``) with the import that wrote it and the
one that replaced it. From the two:

* :func:`values_as_of` rebuilds the rows as they were at any data version;
* :func:`figure_version` is the data version of a figure: the newest import among the rows it is
  computed from;
* :func:`period_revision` compares a period's value now with the value an earlier export showed.

>>> now = pd.DataFrame({"area_id": ["74"], "indicator_id": ["ran"], "month": ["2026-01"],
...                     "value": [15.0], "preliminary": [False], "import_id": [9]})
>>> rev = pd.DataFrame({"area_id": ["74"], "indicator_id": ["ran"], "month": ["2026-01"],
...                     "old_value": [12.0], "old_preliminary": [False], "old_import_id": [4],
...                     "new_value": [15.0], "import_id": [9]})
>>> values_as_of(now, rev, 5)["value"].tolist(), values_as_of(now, rev, 9)["value"].tolist()
([12.0], [15.0])
>>> values_as_of(now, rev, 3).empty
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from i18n import fmt_number
from texts import t

KEY = ["area_id", "indicator_id", "month"]
ADDITIVE_UNITS = ("count", "hours")  # a period's value is the sum of its months; otherwise the mean


def values_as_of(current: pd.DataFrame, revisions: pd.DataFrame, version: int) -> pd.DataFrame:
    """The value rows as they were at data version ``version`` (after import ``version``).

    Parameters
    ----------
    current : DataFrame
        ``area_id, indicator_id, month, value, preliminary, import_id`` (the store's rows now).
    revisions : DataFrame
        ``area_id, indicator_id, month, old_value, old_preliminary, old_import_id, import_id`` (the
        replaced values of the same keys; ``field`` = value).

    Returns
    -------
    DataFrame
        ``area_id, indicator_id, month, value, preliminary, import_id`` as of the version: a
        current row written at or before it, or the replaced value that was in force then
        (``old_import_id <= version < import_id``); keys that did not exist then are left out.
        An ``import_id`` of NULL (a row written outside an import) counts as the oldest version.
    """
    cols = [*KEY, "value", "preliminary", "import_id"]
    cur = current.reindex(columns=cols)
    written = pd.to_numeric(cur["import_id"], errors="coerce").fillna(0).to_numpy()
    now = cur[written <= version]
    if revisions is None or revisions.empty:
        return now.reset_index(drop=True)
    old_from = pd.to_numeric(revisions["old_import_id"], errors="coerce").fillna(0).to_numpy()
    until = pd.to_numeric(revisions["import_id"], errors="coerce").to_numpy()
    then = revisions[(old_from <= version) & (version < until)]
    then = pd.DataFrame({"area_id": then["area_id"], "indicator_id": then["indicator_id"], "month": then["month"],
                         "value": then["old_value"].astype(float),
                         "preliminary": then["old_preliminary"].astype(bool),
                         "import_id": then["old_import_id"]})
    # a key replaced after ``version`` shows its old value, never the current one
    later = set(map(tuple, revisions.loc[until > version, KEY].astype(str).to_numpy()))
    keep = [tuple(k) not in later for k in now[KEY].astype(str).to_numpy()] if later else slice(None)
    out = pd.concat([now[keep] if later else now, then], ignore_index=True)
    return out.drop_duplicates(KEY, keep="last").reset_index(drop=True)


def figure_version(rows: pd.DataFrame) -> int | None:
    """The data version of a figure: the newest import among the rows it is computed from (None
    when none of them came from an import)."""
    if rows is None or rows.empty or "import_id" not in rows:
        return None
    ids = pd.to_numeric(rows["import_id"], errors="coerce").dropna()
    return int(ids.max()) if len(ids) else None


def aggregate(values: Sequence[float], unit: str) -> float | None:
    """A period's value from its months' values: the sum for counts and hours, else the mean."""
    vals = [float(v) for v in values]
    if not vals:
        return None
    return float(np.sum(vals)) if unit in ADDITIVE_UNITS else float(np.mean(vals))


def period_revision(now: pd.DataFrame, then: pd.DataFrame, months: Sequence[str], unit: str) -> dict | None:
    """How the value of a period's ``months`` changed between ``then`` (the rows an earlier export
    showed, as :func:`values_as_of` rebuilds them) and ``now`` (the rows today), for one area and
    indicator (rows ``month, value, preliminary``).

    Only months that had a value then and still have one count (a month added since is new data,
    not a revision); preliminary values count (they were shown, flagged). None when no such month
    changed. Otherwise ``{"change", "previous", "value", "months": [{"month", "previous",
    "value", "was_preliminary", "preliminary"}]}`` where ``previous`` and ``value`` are the period's
    value over those months then and now (sum or mean, :func:`aggregate`) and ``change`` their
    difference.

    >>> then = pd.DataFrame({"month": ["2026-01", "2026-02"], "value": [4.0, 8.0], "preliminary": [False, True]})
    >>> now = pd.DataFrame({"month": ["2026-01", "2026-02", "2026-03"], "value": [4.0, 11.0, 2.0],
    ...                     "preliminary": [False, False, False]})
    >>> r = period_revision(now, then, ["2026-01", "2026-02", "2026-03", "2026-04"], "count")
    >>> r["change"], r["previous"], r["value"], [m["month"] for m in r["months"]]
    (3.0, 12.0, 15.0, ['2026-02'])
    """
    wanted = set(months)
    a = then[then["month"].isin(wanted)].set_index("month")
    b = now[now["month"].isin(wanted)].set_index("month")
    both = sorted(set(a.index) & set(b.index))
    changed = [m for m in both if float(a.at[m, "value"]) != float(b.at[m, "value"])]
    if not changed:
        return None
    previous = aggregate([a.at[m, "value"] for m in both], unit)
    value = aggregate([b.at[m, "value"] for m in both], unit)
    return {
        "change": _round(value - previous),
        "previous": _round(previous),
        "value": _round(value),
        "months": [{"month": m, "previous": _round(float(a.at[m, "value"])), "value": _round(float(b.at[m, "value"])),
                    "was_preliminary": bool(a.at[m, "preliminary"]), "preliminary": bool(b.at[m, "preliminary"])}
                   for m in changed],
    }


def _round(x: float) -> float:
    return float(round(x, 6))


# --------------------------------------------------------------------------- words
def text(key: str, lang: str) -> str:
    """The template ``ind.revision.<key>`` of the catalogue (its fields left for the caller)."""
    return t(f"ind.revision.{key}", lang)


def fmt_figure(value: float, lang: str, unit: str) -> str:
    """A figure in the view's number format: whole counts without decimals, otherwise one."""
    decimals = 0 if unit == "count" and float(value).is_integer() else 1
    return fmt_number(value, lang, decimals)


def signed(value: float, lang: str, unit: str = "count") -> str:
    """``+3`` / ``−2`` / ``±0`` in the view's number format."""
    if value > 0:
        return "+" + fmt_figure(value, lang, unit)
    if value < 0:
        return "−" + fmt_figure(-value, lang, unit)
    return "±0"


def revision_text(revision: dict | None, lang: str = "sv", unit: str = "count", numbers: bool = True) -> str:
    """"reviderat +3 sedan 2026-03-02 (var 12)" (without the numbers: "reviderat sedan 2026-03-02")."""
    if not revision:
        return ""
    if not numbers:
        return t("ind.revision.revised_since", lang, since=revision["since"])
    head = text("revised", lang).format(change=signed(revision["change"], lang, unit), since=revision["since"])
    return f"{head} ({text('was', lang).format(previous=fmt_figure(revision['previous'], lang, unit))})"
