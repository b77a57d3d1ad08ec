"""The compare view on the demo store: real series first by default, and the downloads read back
(Swedish headers, decimal comma, period / comparison / data version columns, the shown order,
every number equal to the verdict object's)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

PERIOD = "2023-T2"  # inside the real DeSO series
REAL = ["brand_i_motorfordon", "brand", "upplopp", "blaljussabotage", "vald_mot_polis", "polisen_handelser"]


@pytest.fixture(scope="module")
def app_env(demo_db_path, data_dir):
    from config import settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAGESBILD_DATABASE_URL", f"sqlite:///{demo_db_path}")
        mp.setenv("LAGESBILD_DATA_DIR", str(data_dir))
        mp.setenv("LAGESBILD_AUTH", "none")
        mp.delenv("LAGESBILD_REDIS_URL", raising=False)
        settings.cache_clear()
        from services.context import engine

        yield engine()
    settings.cache_clear()


def view(**kw) -> dict:
    return {"period": PERIOD, "cmp": "prev_year", "lang": "sv", "region": "Stockholm", "list": None, **kw}


def read(content: bytes, lang: str = "sv") -> pd.DataFrame:
    text = content.decode("utf-8-sig")
    return pd.read_csv(io.StringIO(text), sep=";" if lang == "sv" else ",", decimal="," if lang == "sv" else ".",
                       dtype={"Område-id": str, "Area id": str})


def test_the_real_series_are_shown_first_and_by_default(app_env):
    from callbacks.compare import chooser_state, table_props
    from services import compare

    assert compare.default_columns("sv") == REAL
    real_opts, syn_opts, real, syn = chooser_state(view(), None, None, None)
    assert [o["value"] for o in real_opts] == REAL and real == REAL and syn == []
    assert len(syn_opts) == 11
    props = table_props(view(), real, syn, 1, None)
    assert [c["id"] for c in props["columns"]][1:] == REAL  # a real indicator for 2023-T2, at once
    assert "Visar 6 av 17 indikatorer" in props["count"] and "11 dolda" in props["count"]
    # a synthetic card picked elsewhere adds its column (and says so in the count)
    *_, real2, syn2 = chooser_state(view(indicator="skjutningar", changed=["indicator"]), "compare-view-state",
                                    real, syn)
    assert syn2 == ["skjutningar"]


def test_download_as_shown_matches_the_verdict_rows(app_env):
    from callbacks.compare import download_file
    from services.context import data_version
    from services.indicators import compare_frame

    sort = [{"column_id": "brand_i_motorfordon", "direction": "desc"}]
    content, name = download_file(view(), REAL, [], 1, "shown", sort, "csv")
    assert name == f"lagesbild_jamforelse_stockholm_{PERIOD}_tabell.csv"
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Område-id;Område;Region;Period;Periodens namn;Jämförelse;Dataversion;"
                                           "Brand i motorfordon;Brand i motorfordon – förändring (%);")
    frame = read(content)
    truth = compare_frame(app_env, "Stockholm", PERIOD, "prev_year", "sv").set_index(["area_id", "indicator_id"])
    assert set(frame["Period"]) == {PERIOD} and set(frame["Jämförelse"]) == {"samma period i fjol"}
    assert set(frame["Dataversion"]) == {data_version(app_env)}
    assert len(frame) == truth.index.get_level_values(0).nunique()
    values = frame["Brand i motorfordon"].dropna().tolist()
    assert values == sorted(values, reverse=True)  # the order the table shows
    for r in frame.itertuples():
        t = truth.loc[(r[1], "brand_i_motorfordon")]
        if pd.notna(t["value"]):
            assert r[8] == round(t["value"])
        if pd.notna(t["pct_change"]):
            assert r[9] == pytest.approx(t["pct_change"], abs=0.5)
        assert str(r[10]).endswith(t["verdict"])


def test_three_periods_and_the_long_format(app_env):
    from callbacks.compare import download_file
    from services.indicators import compare_frame

    content, _ = download_file(view(), REAL, [], 3, "shown", None, "csv")
    frame = read(content)
    assert list(dict.fromkeys(frame["Period"])) == ["2022-T3", "2023-T1", PERIOD]
    content, name = download_file(view(), REAL, [], 3, "long", None, "csv")
    assert name.endswith("_lang.csv")
    long = read(content)
    n_areas = frame["Område-id"].nunique()
    assert len(long) == n_areas * 17 * 3  # every indicator (not only the shown), every period
    t1 = compare_frame(app_env, "Stockholm", "2023-T1", "prev_year", "sv").set_index(["area_id", "indicator_id"])
    row = long[(long["Period"] == "2023-T1") & (long["Indikator-id"] == "upplopp")].iloc[0]
    truth = t1.loc[(row["Område-id"], "upplopp")]
    assert row["Värde"] == pytest.approx(truth["value"]) and row["Motivering"] == truth["reason"]
    assert row["p"] == pytest.approx(truth["p"], rel=1e-3) and row["Bedömning"] == truth["verdict"]
    # decimal comma: read with decimal="," the p-values are numbers (with a point they stay text)
    assert long["p"].dtype.kind == "f" and long["Justerat p (FDR)"].dtype.kind == "f"
    assert "0,6" in content.decode("utf-8-sig") and ";0.6" not in content.decode("utf-8-sig")


def test_english_download_and_excel(app_env):
    import openpyxl

    from callbacks.compare import download_file

    content, _ = download_file(view(lang="en"), REAL, [], 1, "shown", None, "csv")
    frame = read(content, "en")
    assert list(frame.columns[:7]) == ["Area id", "Area", "Region", "Period", "Period name", "Comparison", "Data version"]
    assert "Car fires" in frame.columns
    content, name = download_file(view(), REAL, [], 2, "shown", None, "xlsx")
    assert name.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Jämförelse", "Om tabellen"]
    about = {r[0].value: r[1].value for r in wb["Om tabellen"].iter_rows()}
    assert about["Perioder"] == f"2023-T1, {PERIOD}" and "Indikatorer som inte visas" in about
