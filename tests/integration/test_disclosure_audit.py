"""Disclosure audit of the kommun tier (issue 12, item 2): a kommunpartner's script fetches every
figure it can for an area — the page's kommun table, the lägesbild, every export, the trend chart,
the compare tables for the region and 'alla', crafted periods (months, year to date, rolling 12
months) and older lists — and ``scipy.optimize.linprog`` bounds every count it did not get (each
cell shown as ``<5``/``..`` and each month): no feasible interval may be narrower than the threshold.

Two stores: the demo store, and the demo store with every synthetic count indicator cut to 0–2 a
month (a store where most tertials are small). The two named attacks of the issue are tests of
their own: a month backed out of two year-to-date totals, a tertial backed out of the year and the
other two tertials.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from sqlalchemy import select, text

from testing.disclosure_audit import (
    Collected,
    KommunScript,
    audit,
    compare_rows_figures,
    figures_from_numbers,
    numbers_from_csv,
    numbers_from_xlsx,
    parse_number,
)
from testing.harness import TEST_SECRET, configured, copy_sqlite, flask_login

PASSWORD = "correct horse battery staple"
ALE, BOTKYRKA = "1440", "0127"
LOVGARDET, ALBY = "12", "17"
THRESHOLD = 5
COMPARISONS = ("prev_year", "baseline", "target")


# --------------------------------------------------------------------------- stores
def _with_partner(path: Path) -> Path:
    from security.users import create_user
    from store.engine import make_engine

    eng = make_engine(f"sqlite:///{path}")
    create_user(eng, "kp1", "kommunpartner", [ALE, BOTKYRKA], password=PASSWORD)
    eng.dispose()
    return path


@pytest.fixture(scope="module")
def demo_store(demo_db_path, tmp_path_factory) -> Path:
    return _with_partner(copy_sqlite(demo_db_path, tmp_path_factory.mktemp("audit") / "demo.sqlite"))


@pytest.fixture(scope="module")
def small_store(demo_db_path, tmp_path_factory) -> Path:
    """The demo store with every synthetic count indicator cut to 0, 1 or 2 a month."""
    from store.engine import make_engine
    from store.schema import indicators

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("audit") / "small.sqlite")
    eng = make_engine(f"sqlite:///{path}")
    with eng.begin() as conn:
        ids = [r.id for r in conn.execute(select(indicators.c.id).where(indicators.c.unit == "count",
                                                                         indicators.c.synthetic.is_(True)))]
        for i in ids:
            conn.execute(text("UPDATE indicator_values SET value = CAST(value AS INTEGER) % 3 "
                              "WHERE indicator_id = :i"), {"i": i})
    eng.dispose()
    return _with_partner(path)


@contextlib.contextmanager
def partner(store: Path, data_dir: Path):
    """A kommunpartner's scripted session on ``store`` (the real app, local login)."""
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{store}", "LAGESBILD_AUTH": "local",
                     "LAGESBILD_SECRET_KEY": TEST_SECRET, "LAGESBILD_DATA_DIR": str(data_dir),
                     "LAGESBILD_REDIS_URL": None}):
        from services import warmup

        warmup._started.set()  # no background warm-up of every area's police view: not what is audited
        from app import app

        client = app.server.test_client()
        assert flask_login(client, "kp1", PASSWORD).status_code == 303
        client.get("/", headers={"Accept": "text/html"})
        yield KommunScript(client, {"X-CSRFToken": client.get_cookie("_csrf_token").value})


def truth_and_counts(store: Path, area: str) -> tuple[dict, set[str]]:
    """The police tier's monthly counts of the area (``{indicator: {month: value}}``) and the
    count indicators."""
    from store.engine import make_engine
    from store.queries import catalogue_frame, values_frame

    eng = make_engine(f"sqlite:///{store}")
    cat = catalogue_frame(eng)
    counts = set(cat.loc[cat["unit"] == "count", "id"])
    v = values_frame(eng, area_ids=[area])
    eng.dispose()
    truth = {str(i): dict(zip(g["month"], g["value"].astype(float), strict=True))
             for i, g in v.groupby("indicator_id") if i in counts}
    return truth, counts


# --------------------------------------------------------------------------- the script
def grid(years) -> list[str]:
    return [f"{y}-T{t}" for y in years for t in (1, 2, 3)] + [str(y) for y in years]


def crafted(year: int) -> list[str]:
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    return months + [f"YTD:{m}" for m in months] + [f"R12:{m}" for m in months]


def _page_matches_export(page_rows, csv_rows, cmp_: str) -> list[str]:
    """The page's kommun table says what the export says (value, reference, change)."""
    ref = {"prev_year": "previous", "baseline": "baseline", "target": "target"}[cmp_]
    by = {}
    for r in csv_rows:
        by.setdefault(str(r.get("name") or ""), {})[r["measure"]] = str(r["shown"] or "").lstrip("'")
    out = []
    for row in page_rows or []:
        name = row[0].replace(" SYNTETISK", "").replace(" SYNTHETIC", "").strip()
        fields = by.get(name)
        if fields is None:
            out.append(f"{name}: on the page, not in the export")
            continue
        want_value, want_ref = fields.get("value", "–"), fields.get(ref, "–")
        want_change = fields.get("change", "–")
        if row[1] != want_value or row[2] != want_ref or not row[3].startswith(want_change):
            out.append(f"{name}: page {row[1:]} vs export {(want_value, want_ref, want_change)}")
    return out


def collect(script: KommunScript, area: str, year: int, counts: set[str], periods: list[str],
            comparisons=COMPARISONS, page: bool = True, extras: bool = True) -> Collected:
    """Every figure the kommun tier gets for ``area`` over ``periods`` × ``comparisons``."""
    col = Collected()
    for p in periods:
        for cmp_ in comparisons:
            status, raw, msg = script.export(area, p, cmp_, "csv")
            if raw is None:
                col.refused.append((f"csv {p} {cmp_}", f"{status} {msg}"))
            else:
                rows = numbers_from_csv(raw)
                col.extend(figures_from_numbers(rows, p, cmp_, counts, source="csv"))
                col.served.append(f"csv {p} {cmp_}")
            if page:
                status, table = script.area_table(area, p, cmp_)
                if isinstance(table, list):
                    col.served.append(f"page {p} {cmp_}")
                    if raw is None:
                        col.mismatches.append(f"page {p} {cmp_}: a table, but the export was refused")
                    else:
                        col.mismatches.extend(f"page {p} {cmp_}: {m}" for m in
                                              _page_matches_export(table, rows, cmp_))
                else:
                    col.refused.append((f"page {p} {cmp_}", f"{status} {table}"))
    if not extras:
        return col
    mine = [p for p in periods if p.startswith(str(year))]
    for p in mine:
        # the XLSX says what the CSV says
        _, xraw, _ = script.export(area, p, "prev_year", "xlsx")
        _, craw, _ = script.export(area, p, "prev_year", "csv")
        if xraw is not None:
            col.extend(figures_from_numbers(numbers_from_xlsx(xraw), p, "prev_year", counts, source="xlsx"))
            col.served.append(f"xlsx {p}")
            if craw is None or _key(numbers_from_xlsx(xraw)) != _key(numbers_from_csv(craw)):
                col.mismatches.append(f"xlsx {p}: not the CSV's numbers")
        # the lägesbild: answered exactly when the page's table is
        status, words = script.lagesbild(area, p, "prev_year")
        if status != 200 or not words:
            col.refused.append((f"lagesbild {p}", str(status)))
        # older lists give nothing new
        _, newest = script.area_table(area, p, "prev_year")
        for list_year in (2023, 2021, 2019):
            _, older = script.area_table(area, p, "prev_year", list_year)
            if isinstance(older, list) and older != newest:
                col.mismatches.append(f"list {list_year} {p}: {older} vs {newest}")
        # the trend chart: monthly points
        for ind in sorted(counts)[:3]:
            status, traces = script.trend(area, p, ind)
            for t in traces:
                for x, y in zip(t.get("x") or [], t.get("y") or [], strict=False):
                    v = parse_number(str(y).replace(".", ",")) if y is not None else None
                    if v is not None and str(x)[:7].count("-") == 1:
                        col.served.append(f"trend {ind} {x}")
                        col.extend(figures_from_numbers(
                            [{"indicator_id": ind, "measure": "value", "value": float(y), "shown": str(y)}],
                            str(x)[:7], "prev_year", counts, source="trend"))
        # the compare tables (region and 'alla'), on the page and as downloads
        for region in ("Stockholm", "Väst", "alla"):
            _, table = script.compare(region, p, "prev_year")
            if table:
                col.served.append(f"compare {region} {p}")
                col.extend(compare_rows_figures(table, area, p, "prev_year", counts, f"compare {region}"))
            _, raw = script.compare_download(region, p, "prev_year")
            if raw is not None:
                col.served.append(f"compare download {region} {p}")
                import io

                import pandas as pd

                frame = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), sep=";", decimal=",")
                col.extend(compare_rows_figures(frame.to_dict("records"), area, p, "prev_year", counts,
                                                f"compare download {region}"))
    return col


def _key(rows) -> list[tuple]:
    return sorted((str(r["indicator_id"]), str(r["measure"]), str(r["shown"]).lstrip("'")) for r in rows)


def months_of(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


# --------------------------------------------------------------------------- the two attacks
def test_a_month_cannot_be_backed_out_of_two_year_to_date_totals(demo_store, data_dir):
    """Alby 2023: September's count from ``YTD:2023-09`` − ``YTD:2023-08`` (and the month itself)."""
    truth, counts = truth_and_counts(demo_store, ALBY)
    with partner(demo_store, data_dir) as kp:
        col = collect(kp, ALBY, 2023, counts, ["2023-09", "YTD:2023-08", "YTD:2023-09", "2023-08"],
                      comparisons=("prev_year",), extras=False)
    result = audit(col, truth, THRESHOLD, months=["2023-08", "2023-09"])
    assert result.checked > 0
    assert not col.served or not any(p in s for s in col.served for p in ("YTD:", "2023-09", "2023-08")), \
        col.served  # the kommun tier gets no month and no year to date
    assert not result.narrow(), result.describe()
    assert not col.mismatches, col.mismatches[:5]


def test_a_tertial_cannot_be_backed_out_of_the_year_and_the_other_tertials(demo_store, data_dir):
    """Lövgärdet 2022, car fires (the real series): year 28, T1 5, T3 22 → T2 = 1 unless protected."""
    truth, counts = truth_and_counts(demo_store, LOVGARDET)
    t = {k: sum(v for m, v in truth["brand_i_motorfordon"].items() if m.startswith("2022-") and
                (int(m[5:]) - 1) // 4 + 1 == k) for k in (1, 2, 3)}
    assert t[2] < THRESHOLD <= min(t[1], t[3]), f"the demo store's case changed: {t}"
    with partner(demo_store, data_dir) as kp:
        col = collect(kp, LOVGARDET, 2022, counts, grid([2022]), comparisons=("prev_year",), extras=False)
    assert any(s.startswith("csv 2022 ") for s in col.served), col.refused
    result = audit(col, truth, THRESHOLD, months=months_of(2022))
    assert not result.narrow(), result.describe()
    assert not col.mismatches, col.mismatches[:5]


# --------------------------------------------------------------------------- the full audit
@pytest.mark.parametrize("store_name, area, year", [("demo_store", ALBY, 2023), ("small_store", LOVGARDET, 2023)])
def test_no_hidden_count_of_a_year_can_be_narrowed_below_the_threshold(store_name, area, year, request, data_dir):
    store = request.getfixturevalue(store_name)
    truth, counts = truth_and_counts(store, area)
    with partner(store, data_dir) as kp:
        col = collect(kp, area, year, counts, grid(range(year - 3, year + 4)) + crafted(year))
    result = audit(col, truth, THRESHOLD, months=months_of(year))
    hidden_of_year = [iv for iv in result.intervals if any(m.startswith(str(year)) for m, _ in iv.hidden.form)]
    assert len(hidden_of_year) >= 12 * 5, "the audit must see the year's hidden cells"
    assert any(iv.hidden.mark for iv in hidden_of_year), "the store must have suppressed cells this year"
    assert not result.narrow(), result.describe()
    assert not col.mismatches, col.mismatches[:10]
    assert not col.verdicts_on_hidden, col.verdicts_on_hidden[:5]
    served = " ".join(col.served)
    assert f"csv {year}-T1" in served and f"csv {year} " in served  # the grid is served …
    assert "trend" not in served and "compare" not in served  # … no monthly series, no cross-area tables
