"""Pure parts of EST (issue 14): the follow-up's planned/delivered/overdue, open actions due, and the
tertial ranking's parts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from indicators.priority import HARM, priority_table
from reports.content import Row
from reports.samverkan import action_line, followup, open_actions_due, period_days
from store.ledger import Item

D = dt.date


def _items() -> list[Item]:
    return [
        Item("A", "agreement", "Avtal", kommun_kod="0180"),
        Item("P1", "problem", "Handel", "A", "0180", area_ids=("74",), indicator_ids=("narkotikabrott",)),
        Item("P2", "problem", "Otrygghet", "A", "0180", area_ids=("74",), indicator_ids=("ran",)),
        Item("L1", "promise", "Mindre handel", "P1", "0180", indicator_ids=("narkotikabrott",)),
        Item("L2", "promise", "Renare", "P1", "0180"),
        Item("H1", "action", "Kontroller", "L1", "0180", owner="KP", organisation="Polisen", due_date=D(2026, 3, 31),
             status="klar", done_date=D(2026, 3, 27)),
        Item("H2", "action", "Kamera", "L1", "0180", owner="SDF", organisation="Stad", due_date=D(2026, 4, 30),
             status="pagaende"),
        Item("H3", "action", "Lampor", "L2", "0180", owner="TK", organisation="Stad", due_date=D(2026, 6, 1),
             status="klar", done_date=D(2026, 4, 2)),
        Item("H4", "action", "Sent klar", "L2", "0180", owner="TK", organisation="Stad", due_date=D(2026, 4, 1),
             status="klar", done_date=D(2026, 5, 3)),
    ]


def _row(ind: str, rag: str = "green") -> Row:
    return Row(ind, ind.title(), False, "10", "12", "−2", "", rag, rag.title(), "inom normal variation", "")


def test_period_days() -> None:
    assert period_days("2026-T1") == (D(2026, 1, 1), D(2026, 4, 30))
    assert period_days("2026") == (D(2026, 1, 1), D(2026, 12, 31))
    assert period_days("2026-W14") == (D(2026, 3, 30), D(2026, 4, 5))


def test_planned_delivered_overdue_extra() -> None:
    first, last = period_days("2026-T1")
    it = {i.key: i for i in _items()}
    h1 = action_line(it["H1"], first, last, D(2026, 5, 10))
    assert (h1.planned, h1.delivered, h1.overdue) == (True, True, False)
    h2 = action_line(it["H2"], first, last, D(2026, 5, 10))
    assert (h2.planned, h2.delivered, h2.overdue) == (True, False, True)
    assert not action_line(it["H2"], first, last, D(2026, 4, 15)).overdue  # not yet due
    h3 = action_line(it["H3"], first, last, D(2026, 5, 10))
    assert (h3.planned, h3.extra) == (False, True)  # done in T1 though due in T2
    h4 = action_line(it["H4"], first, last, D(2026, 5, 10))
    assert (h4.planned, h4.delivered) == (True, False)  # done after the tertial: not delivered in it


def test_followup_per_promise_with_verdicts_and_not_measurable() -> None:
    rows = {"74": {"narkotikabrott": _row("narkotikabrott", "red"), "ran": _row("ran")}}
    fus = {f.key: f for f in followup(_items(), "2026-T1", rows, {"74": "Rinkeby"}, D(2026, 5, 10))}
    assert set(fus) == {"L1", "L2", "P2"}  # P2 has no promise: followed up itself
    assert (fus["L1"].planned, fus["L1"].delivered, fus["L1"].overdue) == (2, 1, 1)
    assert fus["L1"].verdicts[0].rag == "red" and fus["L1"].verdicts[0].area_name == "Rinkeby"
    assert not fus["L2"].measurable and fus["L2"].verdicts == ()
    assert fus["P2"].verdicts[0].indicator_id == "ran"
    # an indicator without a row in the tier's table is shown as "–", never computed here
    fus = {f.key: f for f in followup(_items(), "2026-T1", {}, {"74": "Rinkeby"}, D(2026, 5, 10))}
    assert fus["L1"].verdicts[0].value == "–"


def test_open_actions_due() -> None:
    due = open_actions_due(_items(), D(2026, 5, 1))
    assert [a.key for a in due] == ["H2"]


def test_priority_parts() -> None:
    rng = np.random.default_rng(1)
    areas = [f"a{i}" for i in range(10)]
    rows = []
    for k, a in enumerate(areas):
        for ind in ("skjutningar", "skadegorelse"):
            rows.append({"area_id": a, "area_name": a.upper(), "indicator_id": ind, "rate_per_1000": float(k),
                         "rag": "red" if (a == "a9" and ind == "skjutningar") else "green", "value": 1.0})
        rows.append({"area_id": a, "area_name": a.upper(), "indicator_id": "trygghet", "rate_per_1000": np.nan,
                     "rag": "green", "value": float(rng.uniform(40, 80))})
    cur = pd.DataFrame(rows)
    prev = [cur.assign(rag=np.where(cur["area_id"] == "a0", "amber", "green"))]
    t = priority_table(cur, prev, ["a0", "a9"]).set_index("area_id")
    assert t.loc["a9", "level"] == 1.0 and t.loc["a0", "level"] == 0.1
    assert t.loc["a9", "change"] == 0.5 and t.loc["a0", "change"] == 0.0
    assert t.loc["a0", "persistence"] == 1.0 and t.loc["a9", "persistence"] == 0.0
    assert 0 < t.loc["a0", "trygghet"] <= 1
    assert t.index[0] == "a9"  # most need first
    parts = t.loc["a9", ["level", "change", "persistence", "harm", "trygghet"]].to_numpy(dtype=float)
    assert np.isclose(t.loc["a9", "need"], parts.mean())
    assert "skjutningar" in HARM and HARM["skjutningar"] > HARM["skadegorelse"]
