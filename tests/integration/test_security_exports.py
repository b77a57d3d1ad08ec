"""Spreadsheet-safe exports (issue 12, item 5): an area named ``=1+1``, an indicator named
``@SUM(A1)`` and a purpose typed as ``=1+1`` reach every CSV and XLSX the app writes as text, never
as a formula; numbers (negative ones too) stay numbers. Read back with openpyxl and the csv module."""

from __future__ import annotations

import base64
import csv
import io

import pytest
from sqlalchemy import update

from testing.harness import callback_body, configured, copy_sqlite, layout_values

AREA = "74"
AREA_NAME = "=1+1"
INDICATOR_NAME = "@SUM(A1)"
PURPOSE = "=1+1"
PERIOD = "2026-T1"


@pytest.fixture(scope="module")
def hostile(demo_db_path, data_dir, tmp_path_factory):
    from store.engine import make_engine
    from store.schema import areas, indicators

    path = copy_sqlite(demo_db_path, tmp_path_factory.mktemp("formula") / "f.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(update(areas).where(areas.c.area_id == AREA).values(name=AREA_NAME, lpo="-2+3"))
        conn.execute(update(indicators).where(indicators.c.id == "skjutningar").values(
            name_sv=INDICATOR_NAME, name_en=INDICATOR_NAME))
    with configured({"LAGESBILD_DATABASE_URL": f"sqlite:///{path}", "LAGESBILD_AUTH": "none",
                     "LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_REDIS_URL": None}):
        yield engine
    engine.dispose()


def xlsx_cells(content: bytes) -> list:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def check_xlsx(content: bytes, texts: tuple[str, ...]) -> None:
    cells = xlsx_cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []  # no formula anywhere
    for text in texts:
        hits = [c for c in cells if isinstance(c.value, str) and text in c.value]
        assert hits, f"{text} not in the workbook"
        for c in hits:
            assert c.data_type == "s", (c.coordinate, c.value)
            if c.value.lstrip().startswith(text[0]):
                assert c.value.startswith("'"), (c.coordinate, c.value)
    negatives = [c for c in cells if isinstance(c.value, int | float) and not isinstance(c.value, bool)
                 and c.value < 0]
    assert all(c.data_type == "n" for c in negatives)


def csv_fields(text: str, sep: str = ";") -> list[str]:
    return [f for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep) for f in row]


def check_csv(text: str, texts: tuple[str, ...], sep: str = ";") -> None:
    from reports.spreadsheet import is_formula_like

    fields = csv_fields(text, sep)
    assert [f for f in fields if is_formula_like(f)] == []
    for t in texts:
        assert "'" + t in fields, t


def test_report_csv_and_xlsx_write_formula_like_text_as_text(hostile):
    from services.reports import export_report

    x = export_report(AREA, PERIOD, "xlsx", purpose=PURPOSE, engine=hostile)
    check_xlsx(x.content, (AREA_NAME, INDICATOR_NAME))
    from openpyxl import load_workbook

    about = load_workbook(io.BytesIO(x.content)).worksheets[1]
    assert any(c.value == "'" + PURPOSE for row in about.iter_rows() for c in row)  # the purpose, as text
    negatives = [c for c in xlsx_cells(x.content) if isinstance(c.value, float | int) and c.value < 0]
    assert negatives, "a report with a fall has negative changes: they must stay numbers"
    c = export_report(AREA, PERIOD, "csv", purpose=PURPOSE, engine=hostile)
    check_csv(c.content.decode("utf-8"), (INDICATOR_NAME,))
    # the kommun tier and English go through the same writer
    check_xlsx(export_report(AREA, PERIOD, "xlsx", tier="kommun", lang="en", engine=hostile).content,
               (AREA_NAME, INDICATOR_NAME))
    check_csv(export_report(AREA, PERIOD, "csv", tier="kommun", lang="en", engine=hostile).content.decode(),
              (INDICATOR_NAME,), sep=",")


def test_compare_downloads_write_formula_like_text_as_text(hostile):
    from app import app

    c = app.server.test_client()
    deps = c.get("/_dash-dependencies").get_json()
    values = layout_values(c.get("/_dash-layout").get_json())
    dep = next(d for d in deps if d["output"].startswith("compare-download."))
    values[("view", "data")] = {"area": None, "period": PERIOD, "cmp": "prev_year", "list": 2025,
                                "region": "Stockholm", "lang": "sv", "indicator": None, "layers": []}
    values[("compare-shape", "value")] = "long"  # every indicator, shown or not
    got = {}
    for button in ("compare-xlsx", "compare-csv"):
        values[(button, "n_clicks")] = 1
        r = c.post("/_dash-update-component", json=callback_body(dep, values, [f"{button}.n_clicks"]))
        assert r.status_code == 200, r.get_data(as_text=True)[:300]
        data = r.get_json()["response"]["compare-download"]["data"]
        got[button] = base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()
    check_xlsx(got["compare-xlsx"], (AREA_NAME, INDICATOR_NAME))
    check_csv(got["compare-csv"].decode("utf-8"), (AREA_NAME, INDICATOR_NAME))


def test_cli_compare_csv_writes_formula_like_text_as_text(hostile, capsys):
    import cli

    assert cli.main(["compare", "--region", "Stockholm", "--period", PERIOD, "--format", "csv"]) == 0
    check_csv(capsys.readouterr().out, (AREA_NAME, INDICATOR_NAME))


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("-4", "-4"), ("+1,5", "+1,5"), ("-1e3", "-1e3"), (-4.5, -4.5),
    (-3, -3), ("Rinkeby", "Rinkeby"), ("−12 %", "−12 %"), (None, None), ("", ""),
])
def test_safe_cell(value, expected):
    from reports.spreadsheet import safe_cell

    assert safe_cell(value) == expected
