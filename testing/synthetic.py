"""Seeded synthetic frames in the store's shapes, for tests and benchmarks (clearly synthetic).

>>> f = synthetic_frames(n_areas=3, n_indicators=4, first_year=2023, last_month="2025-08", seed=1)
>>> sorted(f)
['areas', 'catalogue', 'profiles', 'targets', 'values']
>>> len(f["values"]) == 3 * 4 * 32
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.calendar import format_month, parse_month

REGIONS = ("Stockholm", "Väst", "Syd", "Öst", "Mitt", "Nord", "Bergslagen")
_KINDS = (
    # id, sv, en, unit, direction, proactive, rare, monthly mean per 10,000 inhabitants
    ("skjutningar", "Skjutningar", "Shootings", "count", "up_is_bad", False, True, 0.3),
    ("sprangningar", "Sprängningar", "Explosions", "count", "up_is_bad", False, True, 0.15),
    ("narkotikabrott", "Narkotikabrott", "Drug offences", "count", "up_is_bad", True, False, 12.0),
    ("vapenbrott", "Vapenbrott", "Weapons offences", "count", "up_is_bad", True, False, 1.5),
    ("skadegorelse", "Skadegörelse", "Criminal damage", "count", "up_is_bad", False, False, 15.0),
    ("bilbrand", "Brand i motorfordon", "Car fires", "count", "up_is_bad", False, False, 1.2),
    (
        "hot_rattssak",
        "Hot och övergrepp i rättssak",
        "Witness intimidation",
        "count",
        "up_is_bad",
        False,
        True,
        0.4,
    ),
    (
        "vald_polis",
        "Våld mot polis",
        "Violence against police",
        "count",
        "up_is_bad",
        False,
        False,
        0.8,
    ),
    ("ran", "Rån", "Robbery", "count", "up_is_bad", False, False, 2.0),
    (
        "misshandel_ute",
        "Misshandel utomhus",
        "Outdoor assault",
        "count",
        "up_is_bad",
        False,
        False,
        4.0,
    ),
    ("narvaro", "Polisnärvaro", "Police presence", "hours", "effort", False, False, 120.0),
    (
        "medborgarkontakter",
        "Medborgarkontakter",
        "Citizen contacts",
        "count",
        "effort",
        False,
        False,
        20.0,
    ),
    ("trygghet", "Andel trygga", "Share feeling safe", "share", "up_is_good", False, False, 60.0),
)


def synthetic_frames(
    n_areas: int = 65,
    n_indicators: int = 20,
    first_year: int = 2011,
    last_month: str = "2025-12",
    seed: int = 0,
    missing_share: float = 0.0,
) -> dict[str, pd.DataFrame]:
    """Frames ``values``, ``catalogue``, ``areas``, ``targets``, ``profiles`` with Poisson data.

    Indicators cycle through a realistic set (shootings, drug offences, presence hours, …) with
    suffixes when ``n_indicators`` exceeds it. ``missing_share`` drops that share of value rows at
    random (missing data, not zeros). Every catalogue row is marked ``synthetic``.
    """
    rng = np.random.default_rng(seed)
    first = parse_month(f"{first_year}-01")
    last = parse_month(last_month)
    months = [format_month(i) for i in range(first, last + 1)]

    catalogue = _catalogue(n_indicators, months)
    area_ids = [f"{1000 + a}" for a in range(n_areas)]
    population = rng.integers(3000, 25000, n_areas).astype(float)
    areas = _areas(area_ids, population)
    values = _values(catalogue, area_ids, population, months, rng)
    if missing_share > 0:
        values = values[rng.random(len(values)) >= missing_share].reset_index(drop=True)
    for col in ("area_id", "indicator_id", "month"):
        values[col] = values[col].astype(str)
    return {
        "values": values,
        "catalogue": catalogue.drop(columns=["_rate"]),
        "areas": areas,
        "targets": _targets(catalogue, area_ids, population, months),
        "profiles": _profiles(area_ids, population, rng),
    }


def _catalogue(n_indicators: int, months: list[str]) -> pd.DataFrame:
    """The catalogue rows, cycling through :data:`_KINDS` (``_rate``: monthly mean per 10,000)."""
    rows = []
    for j in range(n_indicators):
        base = _KINDS[j % len(_KINDS)]
        suffix = "" if j < len(_KINDS) else f"_{j // len(_KINDS) + 1}"
        rows.append(
            {
                "id": base[0] + suffix,
                "name_sv": base[1] + suffix.replace("_", " "),
                "name_en": base[2] + suffix.replace("_", " "),
                "unit": base[3],
                "direction": base[4],
                "proactive": base[5],
                "rare": base[6],
                "source": "synthetic",
                "synthetic": True,
                "first_month": months[0],
                "last_month": months[-1],
                "description_sv": "Syntetiska data",
                "description_en": "Synthetic data",
                "_rate": base[7],
            }
        )
    return pd.DataFrame(rows)


def _areas(area_ids: list[str], population: np.ndarray) -> pd.DataFrame:
    n_areas = len(area_ids)
    kommun_kod = [f"{(a % 20) * 10 + 114:04d}" for a in range(n_areas)]
    return pd.DataFrame(
        {
            "id": area_ids,
            "name": [f"Område {a}" for a in range(n_areas)],
            "category": [("sarskilt_utsatt", "utsatt", "risk")[a % 3] for a in range(n_areas)],
            "ort": [f"Ort {a % 25}" for a in range(n_areas)],
            "kommun_kod": kommun_kod,
            "kommun": [f"Kommun {k}" for k in kommun_kod],
            "lpo": [f"LPO {a % 30}" for a in range(n_areas)],
            "polisomrade": [f"PO {a % 12}" for a in range(n_areas)],
            "region": [REGIONS[a % len(REGIONS)] for a in range(n_areas)],
            "population": population,
            "list_year": 2025,
        }
    )


def _values(
    catalogue: pd.DataFrame,
    area_ids: list[str],
    population: np.ndarray,
    months: list[str],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Seasonal, trending monthly values per area and indicator (shares normal, hours gamma,
    counts Poisson), drawn from ``rng`` in catalogue order."""
    n_areas, n_m = len(area_ids), len(months)
    season = 1.0 + 0.15 * np.sin(2 * np.pi * (np.arange(n_m) % 12) / 12.0)
    trend = np.linspace(0.9, 1.1, n_m)
    blocks = []
    for _, ind in catalogue.iterrows():
        mean = ind["_rate"] * (population[:, None] / 10_000.0) * season[None, :] * trend[None, :]
        if ind["unit"] == "share":
            vals = np.clip(rng.normal(ind["_rate"], 4.0, (n_areas, n_m)), 0, 100).round(1)
        elif ind["unit"] == "hours":
            vals = rng.gamma(20.0, mean / 20.0).round(1)
        else:
            vals = rng.poisson(mean).astype(float)
        blocks.append(
            pd.DataFrame(
                {
                    "area_id": np.repeat(area_ids, n_m),
                    "indicator_id": ind["id"],
                    "month": np.tile(months, n_areas),
                    "value": vals.ravel(),
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)


def _targets(
    catalogue: pd.DataFrame, area_ids: list[str], population: np.ndarray, months: list[str]
) -> pd.DataFrame:
    """Monthly targets of the last year for the effort indicators counted or in hours."""
    n_areas = len(area_ids)
    target_months = [m for m in months if m[:4] == months[-1][:4]]
    tg = []
    for _, ind in catalogue.iterrows():
        if ind["unit"] in ("count", "hours") and ind["direction"] == "effort":
            monthly = np.round(ind["_rate"] * population / 10_000.0)
            tg.append(
                pd.DataFrame(
                    {
                        "area_id": np.repeat(area_ids, len(target_months)),
                        "indicator_id": ind["id"],
                        "month": np.tile(target_months, n_areas),
                        "target": np.repeat(monthly, len(target_months)),
                    }
                )
            )
    return (
        pd.concat(tg, ignore_index=True)
        if tg
        else pd.DataFrame(columns=["area_id", "indicator_id", "month", "target"])
    )


def _profiles(area_ids: list[str], population: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n_areas = len(area_ids)
    return pd.DataFrame(
        {
            "area_id": area_ids,
            "population": population,
            "young_share": rng.uniform(25, 45, n_areas),
            "foreign_born_share": rng.uniform(20, 70, n_areas),
            "net_income_median_tkr": rng.uniform(180, 300, n_areas),
            "low_economic_standard_pct": rng.uniform(10, 45, n_areas),
            "employment_rate_16_64": rng.uniform(45, 80, n_areas),
        }
    )


def catalogue_row(
    id: str,
    unit: str = "count",
    direction: str = "up_is_bad",
    proactive: bool = False,
    rare: bool = False,
    first_month: str | None = "2015-01",
    last_month: str | None = "2025-12",
    name_sv: str | None = None,
    name_en: str | None = None,
) -> dict:
    """One catalogue row with every contract column (for hand-made test frames)."""
    return {
        "id": id,
        "name_sv": name_sv or id,
        "name_en": name_en or id,
        "unit": unit,
        "direction": direction,
        "proactive": proactive,
        "rare": rare,
        "source": "test",
        "synthetic": True,
        "first_month": first_month,
        "last_month": last_month,
        "description_sv": "",
        "description_en": "",
    }


def area_row(
    id: str,
    list_year: int = 2025,
    population: float = 10_000.0,
    category: str = "utsatt",
    region: str = "Stockholm",
    name: str | None = None,
) -> dict:
    """One areas row with every contract column (for hand-made test frames)."""
    return {
        "id": id,
        "name": name or f"Område {id}",
        "category": category,
        "ort": "Ort",
        "kommun_kod": "0180",
        "kommun": "Stockholm",
        "lpo": "LPO",
        "polisomrade": "PO",
        "region": region,
        "population": population,
        "list_year": list_year,
    }


def monthly_rows(
    area_id: str, indicator_id: str, values: dict[str, float]
) -> list[tuple[str, str, str, float]]:
    """Value rows ``(area_id, indicator_id, month, value)`` from a ``{month: value}`` mapping."""
    return [(area_id, indicator_id, m, float(v)) for m, v in values.items()]


def spread(total: float, months: tuple[str, ...] | list[str]) -> dict[str, float]:
    """``total`` spread over ``months`` (first month takes the remainder), as ``{month: value}``."""
    n = len(months)
    base = float(total) // n
    out = {m: base for m in months}
    out[months[0]] += float(total) - base * n
    return out
