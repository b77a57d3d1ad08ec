"""The demo data set: real series where public data allows, synthetic (labelled) for the rest.

Real:
- police-recorded crimes per DeSO (car fires, arson, riots, sabotage of emergency services,
  violence against police) summed over the DeSOs that lie at least 25 % inside an area, for every
  area the DeSO→area key of the 2025 list or the Stockholm/Göteborg DeSO polygons cover
  (``geodata.deso_series``; why an area has no series is stored in ``area_real_series``);
- polisen.se events: imported as kommun/län-centre points; the monthly count of events whose text
  names an area is a real (if rough) series;
- Stockholm metro exits as places of interest.

Synthetic (seeded, ``synthetic = true``): shootings, explosions, drug and weapons offences, robbery,
assault outdoors, criminal damage, witness intimidation, presence hours, citizen contacts, the
trygghet survey share, targets for the effort indicators, point events inside the real polygons
for the last 36 months and licensed premises ("krog").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, delete, insert, select

from geodata import precision as P
from geodata.deso_series import DEFAULT_MIN_SHARE, OFFENCE_INDICATORS, build_real_series
from geodata.deso_series import coverage_start as coverage_start
from geodata.points import to_wgs84
from geodata.sources import require
from store.bulk import bulk_insert
from store.catalogue import DESO_CRIME_FILES, SYNTHETIC_SOURCE
from store.events_import import import_events, import_pois, write_events
from store.imports import (
    ImportReport,
    _update_coverage,
    already_imported,
    finish_import,
    start_import,
    write_targets,
    write_values,
)
from store.queries import area_geometries, areas_frame, latest_area_geometries
from store.revisions import record_revisions, revision_rows
from store.schema import area_real_series, events, imports, indicator_values, pois, targets
from store.synthetic import (
    POINT_INDICATORS,
    generate_points,
    generate_series,
    generate_targets,
    month_range,
)

SERIES_START = "2015-01"
POINT_MONTHS = 36


def last_complete_month(today: dt.date | None = None) -> str:
    """The month before ``today`` (the current month is never complete)."""
    today = today or dt.date.today()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.strftime("%Y-%m")


#: the demo import of the real offence series; a new rule (or threshold) is a new import that
#: replaces the values of the earlier one
REAL_SERIES_IMPORT = "deso_series:v2:min_share={:g}"


def load_real_series(engine: Engine, data_dir: Path | None, min_share: float = DEFAULT_MIN_SHARE,
                     seed: int = 20251201) -> ImportReport | None:
    """The real offence series from the DeSO crime tables (one transaction; None when this rule's
    series are in the store already). Replaces the values of an earlier rule's import."""
    name = REAL_SERIES_IMPORT.format(min_share)
    digest = hashlib.sha256(f"demo:{name}:{seed}".encode()).hexdigest()
    with engine.connect() as conn:
        if already_imported(conn, "demo", digest) is not None:
            return None
    geo = area_geometries(engine, None, "EPSG:3006").rename(columns={"id": "area_id"})
    built = build_real_series(data_dir, min_share, areas=geo)
    basis = built.basis.astype(object).where(built.basis.notna(), None)
    with engine.begin() as conn:
        import_id = _demo_import(conn, name, seed)
        if import_id is None:
            return None
        earlier = select(imports.c.id).where(imports.c.kind == "demo", imports.c.file_name.like("demo:deso_series%"),
                                             imports.c.id != import_id)
        replaced = and_(indicator_values.c.indicator_id.in_(OFFENCE_INDICATORS), indicator_values.c.import_id.in_(earlier))
        iv = indicator_values.c
        old = pd.DataFrame(conn.execute(select(iv.area_id, iv.indicator_id, iv.month, iv.value, iv.synthetic,
                                               iv.preliminary, iv.import_id).where(replaced)).fetchall(),
                           columns=["area_id", "indicator_id", "month", "value", "synthetic", "preliminary", "import_id"])
        # the earlier rule's values are kept as revisions (replaced, or removed where the new rule has none)
        record_revisions(conn, revision_rows(old, built.values, "value", import_id))
        conn.execute(delete(indicator_values).where(replaced))
        conn.execute(delete(area_real_series))
        n = write_values(conn, built.values, synthetic=False, import_id=import_id)
        conn.execute(insert(area_real_series), [dict(r, import_id=import_id) for r in basis.to_dict("records")])
        _update_coverage(conn)
        real = basis[basis["status"] == "real"]
        per_year = real.groupby("list_year").size().to_dict()
        totals = basis.groupby("list_year").size().to_dict()
        messages = [
            f"real offence series for {built.values['area_id'].nunique()} area ids; a DeSO counts when at least "
            f"{min_share:.0%} of it lies inside an area",
            "areas with a real offence series per list: "
            + ", ".join(f"{y}: {per_year.get(y, 0)} of {t}" for y, t in sorted(totals.items(), reverse=True)),
        ]
        finish_import(conn, import_id, n, 0, messages)
    return ImportReport("demo", name, "imported", n, 0, messages, import_id)


def polisen_series(engine: Engine, area_ids: list[str]) -> pd.DataFrame:
    """Monthly count of polisen.se events naming each area, over the complete months of the feed."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(events.c.area_id, events.c.month, events.c.count).where(events.c.source == "polisen.se")
        ).fetchall()
    ev = pd.DataFrame(rows, columns=["area_id", "month", "count"])
    if ev.empty:
        return pd.DataFrame(columns=["area_id", "indicator_id", "month", "value"])
    per_month = ev.groupby("month").size()
    first = coverage_start(per_month)
    last = str(per_month.index.max())
    last = (pd.Period(last, "M") - 1).strftime("%Y-%m")  # the feed's last month is cut off mid-month
    counts = ev.dropna(subset=["area_id"]).groupby(["area_id", "month"])["count"].sum()
    grid = pd.MultiIndex.from_product([sorted(area_ids), month_range(first, last)], names=["area_id", "month"])
    full = counts.reindex(grid, fill_value=0).reset_index().rename(columns={"count": "value"})
    full["indicator_id"] = "polisen_handelser"
    return full[["area_id", "indicator_id", "month", "value"]]


def mark_ended(engine: Engine, indicator_ids: list[str]) -> None:
    """Record that these series have ended at their last month with data (a one-off extract: no
    later month will be reported, so the page says "serien slutade …", never "ännu inte rapporterade")."""
    from sqlalchemy import func, update

    from store.schema import indicators

    with engine.begin() as conn:
        for ind in indicator_ids:
            last = conn.execute(select(func.max(indicator_values.c.month))
                                .where(indicator_values.c.indicator_id == ind)).scalar()
            if last:
                conn.execute(update(indicators).where(indicators.c.id == ind).values(series_end=last))


def location_break(monthly_lan_share: pd.Series, threshold: float = 0.5) -> str | None:
    """The first month from which a feed gives a län instead of a kommun for most events: the
    first month whose share reaches ``threshold`` after twelve months that all stayed below it.

    >>> s = pd.Series([0.26] * 14 + [0.56, 1.0], index=[f"m{i:02d}" for i in range(16)])
    >>> location_break(s)
    'm14'
    """
    shares = monthly_lan_share.sort_index()
    for k in range(12, len(shares)):
        if shares.iloc[k] >= threshold and (shares.iloc[k - 12:k] < threshold).all():
            return str(shares.index[k])
    return None


def record_location_break(engine: Engine) -> dict | None:
    """Measure, per month, how many polisen.se events carry only a län position, and record the
    month the feed changed (2026: from a kommun to a län for almost every event) as a break in the
    series of events naming an area: no verdict compares across it (issue 11)."""
    import json

    from sqlalchemy import update

    from store.schema import indicators

    with engine.connect() as conn:
        rows = conn.execute(select(events.c.month, events.c.precision).where(events.c.source == "polisen.se")).fetchall()
    ev = pd.DataFrame(rows, columns=["month", "precision"])
    if ev.empty:
        return None
    share = (ev["precision"] == P.LAN).groupby(ev["month"]).mean()
    month = location_break(share)
    if month is None:
        return None
    year_before = share[(share.index < month) & (share.index >= f"{int(month[:4]) - 1}{month[4:]}")]
    after = share[share.index > month]
    pct = lambda x: round(100 * float(x))  # noqa: E731
    brk = {
        "month": month,
        "sv": (f"polisen.se anger från {month} oftast bara län i stället för kommun ({pct(share[month])} % "
               f"av händelserna {month}, {pct(after.mean()) if len(after) else pct(share[month])} % därefter, "
               f"mot {pct(year_before.mean())} % året innan): händelser kan inte längre knytas till området"),
        "en": (f"from {month} polisen.se mostly gives only a county instead of a municipality "
               f"({pct(share[month])} % of events in {month}, "
               f"{pct(after.mean()) if len(after) else pct(share[month])} % after, vs "
               f"{pct(year_before.mean())} % the year before): events can no longer be tied to the area"),
    }
    with engine.begin() as conn:
        conn.execute(update(indicators).where(indicators.c.id == "polisen_handelser")
                     .values(breaks=json.dumps([brk], ensure_ascii=False)))
    return brk


def _demo_import(conn, name: str, seed: int) -> int | None:
    digest = hashlib.sha256(f"demo:{name}:{seed}".encode()).hexdigest()
    if already_imported(conn, "demo", digest) is not None:
        return None
    return start_import(conn, "demo", Path(f"demo:{name}"), digest, "demo")


def load_demo(engine: Engine, data_dir: Path | None, seed: int = 20251201,
              today: dt.date | None = None) -> list[ImportReport]:
    """Load the whole demo data set (each part one transaction; re-running is a no-op)."""
    reports: list[ImportReport] = []
    end = last_complete_month(today)
    areas_all = areas_frame(engine)
    current = areas_all[areas_all["list_year"] >= 2023].sort_values("list_year").drop_duplicates("id", keep="last")

    # 1. real series from the DeSO crime tables (a one-off extract: the series have ended)
    rep = load_real_series(engine, data_dir, seed=seed)
    if rep is not None:
        reports.append(rep)
    mark_ended(engine, sorted(set(DESO_CRIME_FILES.values())))

    # 2. DeSO crime rows as DeSO-level events, polisen.se events (kommun/län centres)
    for fname in DESO_CRIME_FILES:
        reports.append(import_events(engine, require(data_dir, "crime_deso") / fname, user="demo"))
    reports.append(import_events(engine, require(data_dir, "polisen_events"), user="demo"))
    pol = polisen_series(engine, sorted(current["id"]))
    with engine.begin() as conn:
        import_id = _demo_import(conn, "polisen_series", seed)
        if import_id is not None and len(pol):
            n = write_values(conn, pol, synthetic=False, import_id=import_id)
            finish_import(conn, import_id, n, 0, [])
            reports.append(ImportReport("demo", "polisen_series", "imported", n, 0, [], import_id))
    record_location_break(engine)

    # 3. synthetic series, targets and points
    months = month_range(SERIES_START, end)
    synth = generate_series(current.rename(columns={}), months, seed)
    year_months = [m for m in months if m >= f"{int(end[:4]) - 1}-01"]
    tg = generate_targets(synth.values, ("narvaro_timmar", "medborgarkontakter"), year_months, seed)
    polys = latest_area_geometries(engine, "EPSG:3006")
    recent = synth.values[synth.values["indicator_id"].isin(POINT_INDICATORS)
                          & (synth.values["month"] >= months[-POINT_MONTHS])]
    pts = generate_points(polys[polys["id"].isin(current["id"])], recent, seed)
    with engine.begin() as conn:
        import_id = _demo_import(conn, "synthetic", seed)
        if import_id is not None:
            n = write_values(conn, synth.values, synthetic=True, import_id=import_id)
            write_targets(conn, tg, synthetic=True, import_id=import_id)
            lon, lat = to_wgs84(pts["x"].to_numpy(), pts["y"].to_numpy())
            ev = pts.assign(ext_id=None, lon=lon, lat=lat, precision=P.EXACT, count=1,
                            kommun_kod=pts["area_id"].map(current.set_index("id")["kommun_kod"]))
            n_ev = write_events(conn, ev, "synthetic_demo", True, import_id)
            n_poi = _synthetic_pois(conn, polys[polys["id"].isin(current["id"])], pts, seed, import_id)
            _update_coverage(conn)
            finish_import(conn, import_id, n + n_ev + n_poi, 0, [
                f"{n} synthetic monthly values, {len(tg)} targets, {n_ev} synthetic point events, {n_poi} synthetic licensed premises",
                f"{len(synth.truth)} series carry a built-in genuine change",
            ])
            reports.append(ImportReport("demo", "synthetic", "imported", n + n_ev + n_poi, 0, [], import_id))
    # 4. real places of interest
    reports.append(import_pois(engine, require(data_dir, "tunnelbana"), "tunnelbana", user="demo"))
    return reports


def _synthetic_pois(conn, polys: pd.DataFrame, pts: pd.DataFrame, seed: int, import_id: int) -> int:
    """Synthetic licensed premises ('krog'): half near where events cluster, half anywhere."""
    rng = np.random.default_rng([seed, 4242])
    rows = []
    for area_id, group in pts.groupby("area_id"):
        k = int(rng.integers(2, 7))
        near = group.sample(n=min(k // 2 + 1, len(group)), random_state=int(rng.integers(0, 2**31 - 1)))
        xy = np.column_stack([near["x"] + rng.normal(0, 40, len(near)), near["y"] + rng.normal(0, 40, len(near))])
        poly = polys.set_index("id").geometry.get(area_id)
        if poly is not None:
            from store.synthetic import sample_in_polygon

            xy = np.vstack([xy, sample_in_polygon(poly, k - len(near), rng)]) if k > len(near) else xy
        lon, lat = to_wgs84(xy[:, 0], xy[:, 1])
        for i in range(len(xy)):
            rows.append(("krog", f"Krog {area_id}-{i + 1} (syntetisk)", float(xy[i, 0]), float(xy[i, 1]),
                         float(lon[i]), float(lat[i]), SYNTHETIC_SOURCE, True, import_id))
    return bulk_insert(conn, pois, ["kind", "name", "x", "y", "lon", "lat", "source", "synthetic", "import_id"], rows)


def clear_demo(engine: Engine) -> None:
    """Remove demo values, targets, events and places (reference areas stay)."""
    with engine.begin() as conn:
        for t in (area_real_series, indicator_values, targets, events, pois):
            conn.execute(delete(t))
