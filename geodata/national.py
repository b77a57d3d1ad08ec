"""Polisen's national shootings and explosions per year (``polisen_national/``): context only.

Confirmed shootings (skjutningar) and explosions (sprängningar, detonations) in the whole country
per year, as Polisen publishes them in its yearly "per polisregion" PDFs; Polisen calls the figures
preliminary. National yearly totals only: no region, area or month. The page draws them beside the
(synthetic) per-area series as real context, labelled "riket, verkliga uppgifter (preliminära)".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geodata.errors import InputError
from texts import t

COLUMNS = ("year", "skjutningar", "sprangningar", "preliminary", "source_skjutningar", "source_sprangningar")


def label(lang: str) -> str:
    """What the national figures are, in words (``riket, verkliga uppgifter …``)."""
    return t("page.national.label", lang)


def read_national_shootings(path: str | Path) -> pd.DataFrame:
    """``year, shootings, explosions, source_url_shootings, source_url_explosions, preliminary``.

    A bad value raises :class:`InputError` naming the file, row and column.
    """
    path = Path(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}", row=1)
    out = {}
    for col, name in (("year", "year"), ("skjutningar", "shootings"), ("sprangningar", "explosions")):
        vals = pd.to_numeric(raw[col], errors="coerce")
        bad = vals.isna() | (vals < 0) | (vals != vals.round())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(path, f"'{raw[col].iat[i]}' is not a whole number", row=i + 2, column=col)
        out[name] = vals.astype(int).to_numpy()
    prelim = raw["preliminary"].str.strip().str.lower()
    bad = ~prelim.isin(["true", "false"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, f"'{raw['preliminary'].iat[i]}' is not true/false", row=i + 2, column="preliminary")
    if pd.Series(out["year"]).duplicated().any():
        i = int(np.flatnonzero(pd.Series(out["year"]).duplicated().to_numpy())[0])
        raise InputError(path, f"year {out['year'][i]} appears twice", row=i + 2, column="year")
    frame = pd.DataFrame({
        "year": out["year"], "shootings": out["shootings"], "explosions": out["explosions"],
        "source_url_shootings": raw["source_skjutningar"].to_numpy(),
        "source_url_explosions": raw["source_sprangningar"].to_numpy(),
        "preliminary": (prelim == "true").to_numpy(),
    })
    return frame.sort_values("year").reset_index(drop=True)
