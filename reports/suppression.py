"""Small-count suppression for the kommun tier: primary ``<5`` and complementary suppression.

The kommun tier (shared at samverkan meetings) shows aggregates only, and counts below
``threshold`` (5) as ``"<5"``. A suppressed count must not be recoverable from what *is* shown:
a period total, a change ``value − previous``, a baseline mean of three years whose other two
years are in a chart… :func:`suppress` takes every number a document would show as named **cells**
and the **linear relations** between them (``Σ coeff · cell = 0``) and decides what to hide:

* **primary**: a count cell below ``threshold`` (0 included) → shown as ``"<5"``;
* **secondary** (complementary): a published cell that, with the other published cells and the
  relations, would pin a primary cell down → shown as ``".."``. Differences (non-count cells such
  as a change) are hidden first, then the smallest count in a relation with the exposed cell ("the
  next smallest cell").

Protection is checked against a strong reader who knows every relation, that counts are
non-negative integers, that a ``"<5"`` cell lies in 0–4 and that a ``".."`` count is at least 5
(so the two marks need not be the same). A primary cell is protected when its feasible integer
range, from an exact integer program (scipy's HiGHS ``milp``), spans at least ``min_range + 1``
values (default: three possible values, never a single one).

>>> s = suppress({"total": 13, "a": 3, "b": 10}, [{"total": 1, "a": -1, "b": -1}])
>>> s.status["a"], s.status["b"], s.status["total"]
('primary', 'secondary', 'published')
>>> s.display("a", "3"), s.display("b", "10"), s.display("total", "13")
('<5', '..', '13')
>>> s.intervals()["a"]
(0, 4)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

PUBLISHED, PRIMARY, SECONDARY, HIDDEN = "published", "primary", "secondary", "hidden"
SECONDARY_MARK = ".."


def primary_mark(threshold: int = 5) -> str:
    """``'<5'`` for the default threshold."""
    return f"<{threshold}"


@dataclass(frozen=True)
class Suppression:
    """What to show of a set of cells.

    Attributes
    ----------
    values : dict
        Every cell's true value (``None``: not available, never shown).
    relations : tuple of dict
        ``Σ coeff · cell = 0`` per relation.
    counts : frozenset of str
        Cells that are non-negative integer counts (only these are primary-suppressed).
    status : dict
        Cell → ``published``, ``primary``, ``secondary`` or ``hidden`` (never shown: a missing
        value or a cell that is part of a relation but not of the document).
    threshold, min_range : int
    """

    values: dict[str, float | None]
    relations: tuple[dict[str, float], ...]
    counts: frozenset[str]
    status: dict[str, str]
    threshold: int = 5
    min_range: int = 2
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def shown(self, name: str) -> bool:
        """Whether the cell's number may be printed."""
        return self.status.get(name, PUBLISHED) == PUBLISHED

    def display(self, name: str, text: str) -> str:
        """``text`` when the cell is published, else its mark (``'<5'`` or ``'..'``)."""
        st = self.status.get(name, PUBLISHED)
        if st == PUBLISHED:
            return text
        if st == PRIMARY:
            return primary_mark(self.threshold)
        return SECONDARY_MARK

    def value(self, name: str) -> float | None:
        """The cell's value when published, else ``None`` (for tables of shown numbers)."""
        return self.values.get(name) if self.shown(name) else None

    def with_status(self, name: str, status: str) -> Suppression:
        """The same cells with ``name`` set to ``status`` (sharing the interval cache)."""
        return Suppression(self.values, self.relations, self.counts, {**self.status, name: status},
                           self.threshold, self.min_range, self._cache)

    @property
    def suppressed(self) -> list[str]:
        return [n for n, s in self.status.items() if s in (PRIMARY, SECONDARY)]

    def intervals(self) -> dict[str, tuple[float, float]]:
        """Feasible (min, max) of every primary cell given what is published."""
        return {n: _interval(self, n) for n, s in self.status.items() if s == PRIMARY}

    def is_protected(self) -> bool:
        """Every primary cell keeps at least ``min_range + 1`` possible integer values."""
        return all(_wide(lo, hi, self.min_range) for lo, hi in self.intervals().values())


def _wide(lo: float, hi: float, min_range: int) -> bool:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return True
    return math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) >= min_range


def _system(s: Suppression) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Unknowns and the equality system ``A x = b`` after substituting published values."""
    unknown = [n for n, st in s.status.items() if st != PUBLISHED]
    index = {n: i for i, n in enumerate(unknown)}
    rows, rhs = [], []
    for rel in s.relations:
        row = np.zeros(len(unknown))
        const = 0.0
        for name, coeff in rel.items():
            if name in index:
                row[index[name]] += coeff
            else:
                v = s.values.get(name)
                const -= coeff * float(v if v is not None else 0.0)
        if row.any():
            rows.append(row)
            rhs.append(const)
    a = np.array(rows) if rows else np.zeros((0, len(unknown)))
    return unknown, a, np.array(rhs)


def _bounds(s: Suppression, unknown: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo = np.full(len(unknown), -np.inf)
    hi = np.full(len(unknown), np.inf)
    integer = np.zeros(len(unknown))
    for i, n in enumerate(unknown):
        if n in s.counts:
            integer[i] = 1
            st = s.status[n]
            lo[i] = 0.0
            if st == PRIMARY:
                hi[i] = s.threshold - 1
            elif st == SECONDARY:
                lo[i] = s.threshold
    return lo, hi, integer


def _interval(s: Suppression, name: str) -> tuple[float, float]:
    """Min and max of ``name`` over every integer solution consistent with what is shown."""
    key = (name, tuple(sorted(s.status.items())))
    if key in s._cache:
        return s._cache[key]
    from scipy.optimize import Bounds, LinearConstraint, milp

    unknown, a, b = _system(s)
    lo, hi, integer = _bounds(s, unknown)
    j = unknown.index(name)
    connected = a.shape[0] and np.any(a[:, j] != 0)
    if not connected:
        out: tuple[float, float] = (float(lo[j]), float(hi[j]))
    else:
        cons = LinearConstraint(a, b, b)
        res = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(unknown))
            c[j] = sign
            r = milp(c=c, constraints=cons, integrality=integer, bounds=Bounds(lo, hi))
            if r.status == 0:
                res.append(sign * r.fun)
            elif r.status == 3:  # unbounded in that direction
                res.append(-sign * np.inf)
            else:  # infeasible can only mean inconsistent input: treat as not protected
                res.append(float("nan"))
        out = (res[0], res[1])
        if any(math.isnan(v) for v in out):
            out = (0.0, 0.0)
    out = tuple(int(round(v)) if math.isfinite(v) and name in s.counts else v for v in out)
    s._cache[key] = out
    return out


def _component(s: Suppression, name: str) -> tuple[set[str], list[int]]:
    """Cells reachable from ``name`` through relations over unpublished cells, and those relations."""
    seen, todo, rels = {name}, [name], set()
    while todo:
        cur = todo.pop()
        for k, rel in enumerate(s.relations):
            if cur in rel and k not in rels:
                rels.add(k)
                for other in rel:
                    if other not in seen and s.status[other] != PUBLISHED:
                        seen.add(other)
                        todo.append(other)
    return seen, sorted(rels)


def _candidates(s: Suppression, name: str, cost: Mapping[str, float]) -> list[str]:
    _, rels = _component(s, name)
    cands = {c for k in rels for c in s.relations[k] if s.status.get(c) == PUBLISHED}
    return sorted(cands, key=lambda c: (cost.get(c, _default_cost(s, c)), c))


def _default_cost(s: Suppression, name: str) -> float:
    if name not in s.counts:
        return -1.0  # a difference or other derived number goes first
    v = s.values.get(name)
    return float(v) if v is not None else 0.0


def suppress(
    values: Mapping[str, float | None],
    relations: Sequence[Mapping[str, float]] = (),
    counts: Iterable[str] | None = None,
    hidden: Iterable[str] = (),
    threshold: int = 5,
    min_range: int = 2,
    cost: Mapping[str, float] | None = None,
    max_trials: int = 8,
    hide_derived: bool = True,
) -> Suppression:
    """Decide which cells to show.

    Parameters
    ----------
    values : mapping
        Cell → true value; ``None`` for a value that is not available (never shown).
    relations : sequence of mapping
        Linear relations ``Σ coeff · cell = 0``. A constant (e.g. a target) is a published cell.
    counts : iterable of str, optional
        Cells that are counts (default: every cell). Other cells are differences or constants.
    hidden : iterable of str
        Cells in relations that the document never shows (e.g. months outside a chart).
    threshold : int
        Counts below this are primary-suppressed (``"<5"``).
    min_range : int
        A primary cell must keep at least ``min_range + 1`` possible values.
    cost : mapping, optional
        Preference for complementary suppression (lower first); default: non-count cells, then
        counts by size.
    hide_derived : bool
        Also hide every non-count cell (a change, a difference) that shares a relation with a
        suppressed count, even where the arithmetic would leave the count a range: a difference
        between two ``"<5"`` cells says something about small counts.

    Returns
    -------
    Suppression
    """
    first = _classify(values, relations, counts, hidden, threshold, min_range)
    s = _hide_derived(first) if hide_derived else first
    cost = dict(cost or {})
    primaries = [n for n, st in first.status.items() if st == PRIMARY]
    related = {n for r in first.relations for n in r}
    for _ in range(len(first.values) + 1):
        exposed = next((n for n in primaries if n in related
                        and not _wide(*_interval(s, n), min_range)), None)
        if exposed is None:
            break
        chosen = _complement(s, exposed, cost, max_trials)
        if chosen is None:
            break  # everything around it is hidden already; nothing more to do
        s = s.with_status(chosen, SECONDARY)
        if hide_derived:
            s = _hide_derived(s)
    return s


def _classify(values: Mapping[str, float | None], relations: Sequence[Mapping[str, float]],
              counts: Iterable[str] | None, hidden: Iterable[str], threshold: int, min_range: int) -> Suppression:
    """The cells before any complementary suppression: not available or never shown → hidden,
    counts below ``threshold`` → primary, the rest published (cells named only in a relation
    are not available)."""
    vals = {str(k): (None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v))
            for k, v in values.items()}
    rels = tuple({str(k): float(c) for k, c in r.items()} for r in relations)
    for r in rels:
        for k in r:
            vals.setdefault(k, None)
    count_set = frozenset(vals if counts is None else (str(c) for c in counts))
    hidden_set = {str(h) for h in hidden}
    status = {}
    for n, v in vals.items():
        if n in hidden_set or v is None:
            status[n] = HIDDEN
        elif n in count_set and v < threshold:
            status[n] = PRIMARY
        else:
            status[n] = PUBLISHED
    return Suppression(vals, rels, count_set, status, threshold, min_range)


def _complement(s: Suppression, exposed: str, cost: Mapping[str, float], max_trials: int) -> str | None:
    """The cell to hide next for ``exposed``: the cheapest candidate that protects it on its own
    (among the first ``max_trials``), else the cheapest; None when there is none left."""
    cands = _candidates(s, exposed, cost)
    if not cands:
        return None
    for c in cands[:max_trials]:  # prefer the cheapest cell that protects on its own
        if _wide(*_interval(s.with_status(c, SECONDARY), exposed), s.min_range):
            return c
    return cands[0]


# --------------------------------------------------------------------------- strict protection
def lp_interval(s: Suppression, name: str) -> tuple[float, float]:
    """Min and max of a hidden cell given **only** what is published: the relations, counts ≥ 0,
    integrality relaxed, the marks not used (the reading of the disclosure audit,
    ``testing/disclosure_audit.py``). ``inf`` where a direction is unbounded."""
    key = ("lp", name, tuple(sorted(s.status.items())))
    if key in s._cache:
        return s._cache[key]
    from scipy.optimize import linprog

    unknown, a, b = _system(s)
    j = unknown.index(name)
    bounds = [(0.0, None) if n in s.counts else (None, None) for n in unknown]
    if not a.shape[0] or not np.any(a[:, j] != 0):
        out = (bounds[j][0] if bounds[j][0] is not None else -math.inf, math.inf)
    else:
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(unknown))
            c[j] = sign
            r = linprog(c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            if r.status == 0:
                ends.append(sign * r.fun)
            elif r.status == 3:
                ends.append(-sign * math.inf)
            else:  # inconsistent input: treat as pinned
                ends.append(float("nan"))
        out = (0.0, 0.0) if any(math.isnan(v) for v in ends) else (ends[0], ends[1])
    s._cache[key] = out
    return out


def strictly_protected(s: Suppression, name: str) -> bool:
    """The strict rule of :func:`protect` for one hidden count cell:

    * its feasible interval from the published cells alone (:func:`lp_interval`) is at least
      ``threshold`` wide, and
    * for a ``"<5"`` cell, a reader who also knows what the marks say (``"<5"`` is 0–4, ``".."`` is
      at least 5) can still not exclude any of 0 … threshold − 1: the published figures tell
      nothing beyond the mark.
    """
    if s.status.get(name) not in (PRIMARY, SECONDARY) or name not in s.counts:
        return True
    lo, hi = lp_interval(s, name)
    if not (hi - lo >= s.threshold - 1e-6):
        return False
    if s.status[name] == PRIMARY:
        mlo, mhi = _interval(s, name)
        return mlo <= 0 and mhi >= s.threshold - 1
    return True


def protect(
    values: Mapping[str, float | None],
    relations: Sequence[Mapping[str, float]] = (),
    counts: Iterable[str] | None = None,
    threshold: int = 5,
    cost: Mapping[str, float] | None = None,
    max_trials: int = 8,
) -> Suppression:
    """Primary and complementary suppression with the strict rule (:func:`strictly_protected`)
    for every hidden count: what the kommun tier uses (``reports/disclosure.py``).

    ``cost``: which published cell to hide first when one must go (lower first; default the
    smallest count). The kommun tier's grid puts year totals first: they appear together with a
    year's last tertial, so hiding one never withdraws a number shown before.

    >>> s = protect({"Y": 18, "T1": 11, "T2": 6, "T3": 1}, [{"Y": 1, "T1": -1, "T2": -1, "T3": -1}],
    ...             cost={"Y": -1})
    >>> s.status["T3"], s.status["Y"], s.status["T1"], s.status["T2"]
    ('primary', 'secondary', 'published', 'published')
    >>> lp_interval(s, "T3")
    (0.0, inf)
    """
    s = suppress(values, relations, counts=counts, threshold=threshold, min_range=threshold - 1,
                 cost=cost, max_trials=max_trials)
    # ``suppress`` has made every primary cell hold its whole mark range; now the audit's reading
    vals, rels, count_set = s.values, s.relations, s.counts
    cost = dict(cost or {})
    related = {n for r in rels for n in r}
    for _ in range(len(vals) + 1):
        hidden = [n for n, st in s.status.items() if st in (PRIMARY, SECONDARY) and n in related]
        exposed = next((n for n in hidden if not strictly_protected(s, n)), None)
        if exposed is None:
            break
        cands = _candidates(s, exposed, cost)
        if not cands:
            break
        chosen = cands[0]
        for c in cands[:max_trials]:
            trial = Suppression(vals, rels, count_set, {**s.status, c: SECONDARY}, threshold,
                                s.min_range, s._cache)
            if strictly_protected(trial, exposed):
                chosen = c
                break
        s = Suppression(vals, rels, count_set, {**s.status, chosen: SECONDARY}, threshold, s.min_range,
                        s._cache)
        s = _hide_derived(s)
    return s


def _hide_derived(s: Suppression) -> Suppression:
    """Mark published non-count cells in a relation with a suppressed count as secondary."""
    status = dict(s.status)
    changed = False
    for rel in s.relations:
        if any(status[n] in (PRIMARY, SECONDARY) and n in s.counts for n in rel):
            for n in rel:
                if n not in s.counts and status[n] == PUBLISHED and s.values.get(n) is not None:
                    status[n] = SECONDARY
                    changed = True
    if not changed:
        return s
    return Suppression(s.values, s.relations, s.counts, status, s.threshold, s.min_range, s._cache)
