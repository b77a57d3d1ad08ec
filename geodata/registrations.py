"""Offence and registration months from the police's DeSO crime tables (``crime_deso/``).

Each row of those tables is one registered offence with its offence date (``Brottsdatum``) and
registration date (``Inskrivningsdatum``): the raw material of a reporting triangle. This module
only reads and checks; the nowcast itself is :mod:`indicators.nowcast`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.errors import InputError

COLUMNS = ("Inskrivningsdatum", "Brottsdatum", "Antal")
OPTIONAL = ("DeSO.område", "Kommun")


def _months(values: pd.Series, path: Path, column: str) -> pd.Series:
    parsed = pd.to_datetime(values.astype(str).str.strip(), errors="coerce", format="%Y-%m-%d")
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        # row numbers count the header as row 1, as a spreadsheet does
        raise InputError(path, f"'{values.iloc[i]}' is not a date (YYYY-MM-DD)", row=i + 2, column=column)
    return parsed.dt.strftime("%Y-%m")


def read_registrations(path: str | Path, indicator: str) -> pd.DataFrame:
    """One DeSO crime table as ``indicator``, ``offence_month``, ``registration_month``, ``count``,
    ``deso`` (missing where the row has no DeSO) and ``kommun`` (the kommun's name).

    Raises :class:`InputError` naming the file, row and column of the first bad value.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - any reader failure is bad input
        raise InputError(path, f"cannot be read as CSV ({exc})") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}", column=missing[0])
    counts = pd.to_numeric(frame["Antal"], errors="coerce")
    bad = (counts.isna() | (counts < 0)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(path, f"'{frame['Antal'].iloc[i]}' is not a non-negative count", row=i + 2, column="Antal")
    deso = frame["DeSO.område"].str.strip() if "DeSO.område" in frame else pd.Series("", index=frame.index)
    kommun = frame["Kommun"].str.strip() if "Kommun" in frame else pd.Series("", index=frame.index)
    return pd.DataFrame({
        "indicator": indicator,
        "offence_month": _months(frame["Brottsdatum"], path, "Brottsdatum").to_numpy(),
        "registration_month": _months(frame["Inskrivningsdatum"], path, "Inskrivningsdatum").to_numpy(),
        "count": counts.to_numpy(dtype=float),
        "deso": deso.where(deso != ""),  # missing where the row has none
        "kommun": kommun.where(kommun != ""),
    })


def read_all_registrations(directory: str | Path, files: Mapping[str, str]) -> pd.DataFrame:
    """Every table of ``files`` (file name → indicator id) in ``directory``, in one frame."""
    directory = Path(directory)
    return pd.concat([read_registrations(directory / name, ind) for name, ind in files.items()], ignore_index=True)


def coverage_start(rows: pd.DataFrame, share: float = 0.5, run: int = 3) -> str:
    """First offence month that starts ``run`` months in a row each counting at least ``share`` of
    the median month. Earlier months hold only the late registrations of an extract that starts
    later (the store's real series use the same share; the run keeps an isolated early spike
    from starting the series: the riots of June 2020 are followed by half a year of nearly
    nothing in the extract, then by the regular months from April 2021).
    """
    totals = rows.groupby("offence_month")["count"].sum()
    median = float(totals.median())
    months = pd.period_range(totals.index.min(), totals.index.max(), freq="M").strftime("%Y-%m")
    ok = (totals.reindex(months, fill_value=0) >= share * median).to_numpy()
    starts = [i for i in range(len(ok) - run + 1) if ok[i : i + run].all()]
    return str(months[starts[0]]) if starts else str(totals[totals >= share * median].index.min())
