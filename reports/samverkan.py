"""EST samverkan documents (issue 14), as plain content: the tertial follow-up of an agreement
(planned vs delivered actions, the linked indicators' verdicts) and the kommun's lägesbild under
lag (2023:196) om kommuners ansvar för brottsförebyggande arbete, 4 § (mapping of crime, the
partners' observations, problems/promises/actions with follow-up, room for the analysis).

Pure: the verdicts come in as the report table rows (:class:`reports.content.Row`) that
:func:`reports.content.build_content` made from the engine's verdict object for the tier — the
same figures (and, in the kommun tier, the same suppression) as the area's lägesbild; nothing is
recomputed here. Renderers: :mod:`reports.samverkan_render`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

import texts
from indicators.calendar import parse_period
from store.ledger import Item


def t(key: str, lang: str = "sv", **kw: object) -> str:
    """A text of these documents in Swedish or English (catalogue key ``rep.est.<key>``)."""
    return texts.t(f"rep.est.{key}", lang, **kw)


def period_days(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period (tertial, year, month, week)."""
    p = parse_period(period)
    if p.days:
        return dt.date.fromisoformat(p.days[0]), dt.date.fromisoformat(p.days[1])
    first = dt.date.fromisoformat(p.first + "-01")
    y, m = int(p.last[:4]), int(p.last[5:])
    last = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    return first, last


@dataclass(frozen=True)
class ActionLine:
    key: str
    title: str
    owner: str
    organisation: str
    due: dt.date
    status: str
    done: dt.date | None
    planned: bool  # due within the period
    delivered: bool  # planned and done by the period's end
    overdue: bool  # planned, not done, due date passed (by ``on``)
    extra: bool  # done in the period though due later
    internal: bool = False  # police only (never in the kommun's documents)


@dataclass(frozen=True)
class VerdictLine:
    area_id: str
    area_name: str
    indicator_id: str
    indicator_name: str
    value: str
    reference: str
    change: str
    rag: str
    rag_text: str
    verdict: str


@dataclass(frozen=True)
class PromiseFollowup:
    """One medborgarlöfte (or a problem without promises) in a period's follow-up."""

    key: str
    kind: str
    title: str
    problem: str
    areas: tuple[str, ...]
    actions: tuple[ActionLine, ...]
    verdicts: tuple[VerdictLine, ...]
    measurable: bool

    @property
    def planned(self) -> int:
        return sum(a.planned for a in self.actions)

    @property
    def delivered(self) -> int:
        return sum(a.delivered for a in self.actions)

    @property
    def overdue(self) -> int:
        return sum(a.overdue for a in self.actions)


def action_line(it: Item, first: dt.date, last: dt.date, on: dt.date) -> ActionLine:
    """Where an action stands in a period: planned (due in it), delivered, overdue, beyond plan."""
    planned = first <= it.due_date <= last
    done = it.status == "klar" and it.done_date is not None
    delivered = planned and done and it.done_date <= last
    overdue = planned and not done and it.status != "installd" and it.due_date < min(on, last + dt.timedelta(days=1))
    extra = not planned and done and first <= it.done_date <= last
    return ActionLine(it.key, it.title, it.owner or "", it.organisation or "", it.due_date, it.status or "planerad",
                      it.done_date, planned, delivered, overdue, extra, it.internal)


def followup(items: Sequence[Item], period: str, rows: Mapping[str, Mapping[str, object]],
             area_names: Mapping[str, str], on: dt.date) -> list[PromiseFollowup]:
    """The follow-up of every promise (and every problem without one) for ``period``.

    Parameters
    ----------
    items : the ledger's current items (already cut to what the tier may see)
    rows : ``{area_id: {indicator_id: Row}}`` — the report table rows of the period for the tier
        (:func:`reports.content.build_content`), the one verdict object as that tier shows it.
    on : today (for "overdue")
    """
    first, last = period_days(period)
    children: dict[str, list[Item]] = {}
    for it in items:
        children.setdefault(it.parent_key or "", []).append(it)

    def actions_under(key: str) -> list[Item]:
        out = []
        for c in children.get(key, []):
            if c.kind == "action":
                out.append(c)
        return sorted(out, key=lambda a: (a.due_date, a.key))

    def verdicts(areas: tuple[str, ...], inds: tuple[str, ...]) -> tuple[VerdictLine, ...]:
        out = []
        for a in areas:
            for i in inds:
                r = rows.get(a, {}).get(i)
                if r is None:
                    out.append(VerdictLine(a, area_names.get(a, a), i, i, "–", "–", "–", "grey", "–", "–"))
                    continue
                out.append(VerdictLine(a, area_names.get(a, a), i, r.name, r.value, r.reference, r.change, r.rag,
                                       r.rag_text, r.verdict))
        return tuple(out)

    result = []
    for prob in sorted((it for it in items if it.kind == "problem"), key=lambda i: i.key):
        promises = sorted((c for c in children.get(prob.key, []) if c.kind == "promise"), key=lambda i: i.key)
        units = promises or [prob]
        for unit in units:
            areas = tuple(dict.fromkeys(unit.area_ids or prob.area_ids))
            inds = tuple(dict.fromkeys(unit.indicator_ids if unit.kind == "promise" else prob.indicator_ids))
            acts = actions_under(unit.key) + (actions_under(prob.key) if unit is not prob else [])
            lines = tuple(action_line(a, first, last, on) for a in acts)
            result.append(PromiseFollowup(unit.key, unit.kind, unit.title, prob.title, areas, lines,
                                          verdicts(areas, inds), bool(inds)))
    return result


def observation_summary(obs: pd.DataFrame, labels: Mapping[str, str], area_names: Mapping[str, str]
                        ) -> pd.DataFrame:
    """Observations per category: count and where (area names, free-text places), most first."""
    if obs.empty:
        return pd.DataFrame(columns=["category", "label", "count", "places"])
    rows = []
    for cat, grp in obs.groupby("category"):
        where = [area_names.get(str(a), str(a)) for a in grp["area_id"].dropna().unique()]
        where += [str(p) for p in grp["place_text"].dropna().unique()]
        rows.append({"category": cat, "label": labels.get(cat, cat), "count": len(grp),
                     "places": ", ".join(dict.fromkeys(where))})
    return pd.DataFrame(rows).sort_values(["count", "label"], ascending=[False, True]).reset_index(drop=True)


@dataclass
class EstDocument:
    """What the EST renderers print: a title block and a list of blocks.

    Blocks: ``("h2", text)``, ``("h3", text)``, ``("p", text)``, ``("table", columns, rows)``,
    ``("indicators", ReportContent)`` (an area's indicator table as its lägesbild prints it),
    ``("box", text)`` (room to write in).
    """

    lang: str
    tier: str
    title: str
    subtitle: str
    meta: list[tuple[str, str]]
    blocks: list[tuple] = field(default_factory=list)
    footer: str = ""


def status_text(status: str, lang: str) -> str:
    """An action's status in words (``'pagaende'`` → ``'pågående'``/``'ongoing'``; an unknown one as is)."""
    key = f"rep.status.{status}"
    return texts.t(key, lang) if texts.has(key) else status


def _day(d: dt.date | None) -> str:
    return d.isoformat() if d else "–"


def followup_blocks(fus: Sequence[PromiseFollowup], lang: str) -> list[tuple]:
    """Blocks of the follow-up: a summary line, then per promise its actions and verdicts."""
    blocks: list[tuple] = []
    planned = sum(f.planned for f in fus)
    delivered = sum(f.delivered for f in fus)
    overdue = sum(f.overdue for f in fus)
    blocks.append(("p", t("actions_summary", lang, planned=planned, delivered=delivered, overdue=overdue)))
    summary_rows = [[f.title, f.problem, str(f.planned), str(f.delivered),
                     ", ".join(dict.fromkeys(v.rag_text for v in f.verdicts)) if f.measurable
                     else t("not_measurable", lang)] for f in fus]
    blocks.append(("table", [t("promise_or_problem", lang), t("problem", lang), t("planned", lang), t("delivered", lang),
                             t("verdict", lang)], summary_rows))
    for f in fus:
        blocks.append(("h3", f"{t('promise' if f.kind == 'promise' else 'problem', lang)}: {f.title}"))
        if f.kind == "promise":
            blocks.append(("p", f"{t('problem', lang)}: {f.problem}"))
        blocks.append(("p", f"{t('planned', lang)} {f.planned} · {t('delivered', lang)} {f.delivered} · "
                            f"{t('overdue', lang)} {f.overdue}"))
        if f.actions:
            blocks.append(("table", [t("action", lang), t("owner", lang), t("org", lang), t("due", lang),
                                     t("status", lang), t("done", lang)],
                           [[a.title + (f" ({t('extra', lang).lower()})" if a.extra else "")
                             + (f" ({t('internal', lang)})" if a.internal else ""), a.owner, a.organisation,
                             _day(a.due), status_text(a.status, lang), _day(a.done)] for a in f.actions]))
        if f.measurable:
            blocks.append(("table", [t("area", lang), t("indicator", lang), t("value", lang), t("reference", lang),
                                     t("change", lang), t("verdict", lang)],
                           [[v.area_name, v.indicator_name, v.value, v.reference, v.change,
                             f"{v.rag_text} {v.verdict}".strip()] for v in f.verdicts]))
        else:
            blocks.append(("p", t("no_indicator", lang)))
    return blocks


def open_actions_due(items: Sequence[Item], until: dt.date) -> list[Item]:
    """Actions not done or cancelled whose due date is on or before ``until`` (overdue ones
    included), earliest first."""
    out = [it for it in items if it.kind == "action" and it.status not in ("klar", "installd")
           and it.due_date is not None and it.due_date <= until]
    return sorted(out, key=lambda i: (i.due_date, i.key))
