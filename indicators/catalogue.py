"""Vocabulary of the indicator engine: enums and the column contracts of the input frames.

Every function in :mod:`indicators` takes plain pandas DataFrames with the columns listed here.
The enums are ``StrEnum`` so that ``Unit.COUNT == "count"`` and values can be compared with the
strings the store returns.

>>> Unit("count") is Unit.COUNT
True
>>> Direction.UP_IS_GOOD.sign
-1
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd


class Unit(StrEnum):
    """Unit of an indicator; decides how months and areas are aggregated.

    ``count`` and ``hours`` are additive (summed over months and areas); ``share`` and ``rate`` are
    averaged (over months plainly, over areas population-weighted where possible).
    """

    COUNT = "count"
    HOURS = "hours"
    SHARE = "share"
    RATE = "rate"

    @property
    def additive(self) -> bool:
        """True when values can be summed over months and areas."""
        return self in (Unit.COUNT, Unit.HOURS)


class Direction(StrEnum):
    """Which way is bad: more is worse, more is better, or effort (neither)."""

    UP_IS_BAD = "up_is_bad"
    UP_IS_GOOD = "up_is_good"
    EFFORT = "effort"

    @property
    def sign(self) -> int:
        """+1 when a rise is a deterioration, −1 when a rise is an improvement, 0 for effort."""
        return {"up_is_bad": 1, "up_is_good": -1, "effort": 0}[self.value]


class Category(StrEnum):
    """Police category of an area."""

    SARSKILT_UTSATT = "sarskilt_utsatt"
    UTSATT = "utsatt"
    RISK = "risk"


class Comparison(StrEnum):
    """What the period is compared with."""

    PREV_YEAR = "prev_year"
    BASELINE = "baseline"
    TARGET = "target"


def parse_comparison(text: str) -> Comparison:
    """``Comparison`` from text, with a message that names the bad value.

    >>> parse_comparison("baseline")
    <Comparison.BASELINE: 'baseline'>
    """
    try:
        return Comparison(text)
    except ValueError:
        raise ValueError(
            f"comparison {text!r}: expected one of {', '.join(c.value for c in Comparison)}"
        ) from None


class Rag(StrEnum):
    """Red/amber/green rating; grey means not assessable (the reason says why)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"

    @property
    def severity(self) -> int:
        """Ordering used when two rules are combined: red 3 > amber 2 > green 1 > grey 0."""
        return {"red": 3, "amber": 2, "green": 1, "grey": 0}[self.value]


class Level(StrEnum):
    """Aggregation level; the value is the column of the areas frame that holds the unit key."""

    AREA = "area"
    KOMMUN = "kommun"
    LPO = "lpo"
    POLISOMRADE = "polisomrade"
    REGION = "region"
    NATION = "nation"


VALUE_COLUMNS = ("area_id", "indicator_id", "month", "value")
#: the per-indicator attributes that tables carry along beside the numbers
CATALOGUE_ATTRIBUTES = ("name_sv", "name_en", "unit", "direction", "proactive", "rare", "source", "synthetic")
CATALOGUE_COLUMNS = ("id", *CATALOGUE_ATTRIBUTES, "first_month", "last_month")
AREA_COLUMNS = (
    "id",
    "name",
    "category",
    "ort",
    "kommun_kod",
    "kommun",
    "lpo",
    "polisomrade",
    "region",
    "population",
    "list_year",
)
TARGET_COLUMNS = ("area_id", "indicator_id", "month", "target")


@dataclass(frozen=True)
class SeriesBreak:
    """A break in an indicator's series: from ``month`` on, the numbers are not comparable with
    those before (a source changed how it counts or places events). No verdict compares across it."""

    month: str
    note_sv: str
    note_en: str


def series_breaks(catalogue: pd.DataFrame) -> dict[str, list[SeriesBreak]]:
    """Breaks per indicator from the catalogue's optional ``breaks`` column: a JSON list of
    ``{"month", "sv", "en"}`` (or such a list itself), empty where none.

    >>> cat = pd.DataFrame({"id": ["a", "b"], "breaks": ['[{"month": "2026-01", "sv": "x", "en": "y"}]', None]})
    >>> series_breaks(cat)
    {'a': [SeriesBreak(month='2026-01', note_sv='x', note_en='y')]}
    """
    if "breaks" not in catalogue.columns:
        return {}
    out: dict[str, list[SeriesBreak]] = {}
    ids = catalogue["id"] if "id" in catalogue.columns else pd.Series(catalogue.index)
    for ind, raw in zip(ids.astype(str), catalogue["breaks"], strict=True):
        if raw is None or (isinstance(raw, float) and raw != raw) or raw == "":
            continue
        items = json.loads(raw) if isinstance(raw, str) else raw
        found = [SeriesBreak(str(b["month"]), str(b.get("sv", "")), str(b.get("en", ""))) for b in items]
        if found:
            out[ind] = sorted(found, key=lambda b: b.month)
    return out


def series_end(catalogue: pd.DataFrame) -> dict[str, str]:
    """The month each ended series ends (optional ``series_end`` column): no later data will come."""
    if "series_end" not in catalogue.columns:
        return {}
    ids = catalogue["id"] if "id" in catalogue.columns else pd.Series(catalogue.index)
    return {str(i): str(e) for i, e in zip(ids, catalogue["series_end"], strict=True)
            if isinstance(e, str) and e}


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` naming the frame and the missing columns.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "values")
    Traceback (most recent call last):
    ...
    ValueError: values: missing column(s) 'b' (have 'a')
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(repr(c) for c in frame.columns)
        raise ValueError(
            f"{what}: missing column(s) {', '.join(repr(c) for c in missing)} (have {have})"
        )


def validate_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Check a catalogue frame: required columns, known units and directions, unique ids.

    Returns the catalogue indexed by ``id`` (a copy), which is how the rest of the package reads it.
    Errors name the row: ``"catalogue: row 3 (id 'x'), column 'unit': 'kg' is not one of ..."``.
    """
    require_columns(catalogue, CATALOGUE_COLUMNS, "catalogue")
    for column, enum in (("unit", Unit), ("direction", Direction)):
        allowed = {e.value for e in enum}
        bad = ~catalogue[column].isin(allowed)
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            row = catalogue.iloc[pos]
            raise ValueError(
                f"catalogue: row {pos} (id {row['id']!r}), column {column!r}: {row[column]!r} is not "
                f"one of {', '.join(sorted(allowed))}"
            )
    dup = catalogue["id"].duplicated()
    if dup.any():
        raise ValueError(f"catalogue: duplicate indicator id {catalogue['id'][dup].iloc[0]!r}")
    return catalogue.set_index("id", drop=False)


def area_set(areas: pd.DataFrame, list_year: int | None = None) -> pd.DataFrame:
    """The areas of one list year (default: the latest list year in the frame), indexed by id.

    Examples
    --------
    >>> a = pd.DataFrame({"id": ["1", "1", "2"], "list_year": [2023, 2025, 2025]})
    >>> area_set(a).index.tolist()
    ['1', '2']
    >>> area_set(a, 2023).index.tolist()
    ['1']
    """
    if "list_year" in areas.columns and len(areas):
        year = int(areas["list_year"].max()) if list_year is None else int(list_year)
        chosen = areas[areas["list_year"] == year]
        if chosen.empty:
            years = sorted({int(y) for y in areas["list_year"].unique()})
            raise ValueError(f"list year {year} is not in the areas frame (have {years})")
    else:
        chosen = areas
    if chosen["id"].duplicated().any():
        raise ValueError(
            f"areas: duplicate area id {chosen['id'][chosen['id'].duplicated()].iloc[0]!r}"
        )
    return chosen.set_index("id", drop=False)


def list_in_force(areas: pd.DataFrame, year: int) -> int | None:
    """The latest list year not after ``year`` (approximation: a list applies from its year on).

    ``None`` when the frame holds no list that old.
    """
    if "list_year" not in areas.columns:
        return None
    years = [int(y) for y in areas["list_year"].unique() if int(y) <= year]
    return max(years) if years else None
