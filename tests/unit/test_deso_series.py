"""Real offence series per area: the share rule, checked against sums computed directly from the
crime tables, and the reasons an area has no series."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geodata.deso_series import (
    DEFAULT_MIN_SHARE,
    OFFENCE_FILES,
    Places,
    build_real_series,
    combine_shares,
    key_shares,
    read_area_key,
    series_basis,
)
from geodata.errors import InputError
from geodata.national import read_national_shootings

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=2)
def built(data_dir: Path, min_share: float):
    return build_real_series(data_dir, min_share)


# --------------------------------------------------------------------------- the real data


def direct_monthly(data_dir: Path, desos: set[str], first: dict[str, str]) -> pd.DataFrame:
    """Offences per indicator and month (Brottsdatum) in ``desos``, straight from the gzipped CSVs."""
    rows = []
    for fname, ind in OFFENCE_FILES.items():
        raw = pd.read_csv(data_dir / "crime_deso" / fname, dtype=str)
        raw = raw[raw["DeSO.område"].isin(desos)]
        month = raw["Brottsdatum"].str[:7]
        rows.append(pd.DataFrame({"indicator_id": ind, "month": month, "n": raw["Antal"].astype(int)}))
    frame = pd.concat(rows)
    frame = frame[frame["month"] >= frame["indicator_id"].map(first)]
    frame = frame[frame["month"] <= "2024-03"]
    return frame.groupby(["indicator_id", "month"])["n"].sum()


def key_desos(data_dir: Path, area_name: str, min_share: float) -> set[str]:
    """DeSO 2018 codes of the key that reach ``min_share`` for the area: a split 2018 DeSO has the
    mean of its 2025 parts (numbered 1…n, parts not in the key count 0)."""
    key = pd.read_csv(data_dir / "deso_uso" / "deso2025_to_utsatt_omrade_2025_derived.csv", dtype=str)
    mine = key[key["area_2025"] == area_name].copy()
    mine["share"] = mine["share_of_deso_in_any_uso_pct"].astype(float) / 100
    out = set()
    for code, part in mine.groupby("deso2018_equiv"):
        if (part["code_relation"] == "same_code").all():
            share = part["share"].max()
        else:
            share = part["share"].sum() / part["deso2025"].str[-1].astype(int).max()
        if share >= min_share:
            out.add(code)
    return out


@pytest.mark.parametrize("name, area_id", [("Rosengård", "2"), ("Gottsunda", "3"), ("Vivalla", "16"),
                                           ("Araby", "1"), ("Skäggetorp", "5"), ("Råslätt", "26")])
@pytest.mark.parametrize("min_share", [DEFAULT_MIN_SHARE, 0.5])
def test_area_series_equal_sums_straight_from_the_crime_tables(data_dir, name, area_id, min_share):
    """Areas outside Stockholm and Göteborg (key only), split DeSOs included (Gottsunda, Araby,
    Råslätt): the stored series is the monthly sum over the DeSOs that reach the share."""
    rs = built(data_dir, min_share)
    desos = key_desos(data_dir, name, min_share)
    series = rs.values[rs.values["area_id"] == area_id]
    if not desos:
        assert series.empty
        return
    first = series.groupby("indicator_id")["month"].min().to_dict()
    expected = direct_monthly(data_dir, desos, first)
    got = series.set_index(["indicator_id", "month"])["value"]
    assert got.sum() > 0
    assert got[got > 0].astype(int).sort_index().equals(expected[expected > 0].sort_index().rename("value"))
    # zeros fill each indicator's window: one row per month from its first month to 2024-03
    for _ind, g in series.groupby("indicator_id"):
        assert len(g) == len(pd.period_range(g["month"].min(), "2024-03", freq="M"))
    basis = rs.basis[(rs.basis["list_year"] == 2025) & (rs.basis["area_id"] == area_id)].iloc[0]
    assert basis["status"] == "real" and basis["deso_count"] == len(desos)


def test_series_windows_are_those_of_the_extract(data_dir):
    """Offence month = Brottsdatum; each series starts where the national count reaches half the
    median month and ends with the extract (2024-03), as before."""
    v = built(data_dir, DEFAULT_MIN_SHARE).values
    first = v.groupby("indicator_id")["month"].min().to_dict()
    assert first == {"brand_i_motorfordon": "2019-06", "brand": "2019-07", "upplopp": "2020-06",
                     "blaljussabotage": "2020-01", "vald_mot_polis": "2019-05"}
    assert set(v.groupby("indicator_id")["month"].max()) == {"2024-03"}


def test_a_deso_in_two_areas_counts_by_its_share_in_each(data_dir):
    """0180C6220 lies 36 % in Tensta and 45 % in Hjulsta (Stockholm DeSO 2018 polygon, overlaid
    here with geopandas): at 25 % it counts for both, at 50 % for neither."""
    sthlm = gpd.read_file(data_dir / "deso/polygons/deso2018_stockholms_lan_simplified_wgs84.geojson").to_crs(3006)
    areas = gpd.read_file(data_dir / "utsatta_omraden/polisen_2025/uso_2025_sweref99tm.geojson").to_crs(3006)
    d = sthlm[sthlm["id"] == "0180C6220"]
    for area_id, lo, hi in (("9", 0.30, 0.40), ("75", 0.40, 0.50)):
        a = areas[areas["SPECIALOMRADES_ID"].astype(int).astype(str) == area_id]
        share = gpd.overlay(d, a, how="intersection").area.sum() / d.area.sum()
        assert lo < share < hi
        low = built(data_dir, 0.25).shares
        assert ((low["deso"] == "0180C6220") & (low["area_id"] == area_id)).any()
    for min_share, n in ((0.25, 2), (0.5, 0)):
        rs = built(data_dir, min_share)
        counted = rs.shares[(rs.shares["deso"] == "0180C6220") & (rs.shares["share"] >= min_share)]
        assert len(counted) == n


def test_real_series_for_at_least_sixty_areas_of_the_2025_list(data_dir):
    b = built(data_dir, DEFAULT_MIN_SHARE).basis
    b25 = b[b["list_year"] == 2025]
    assert len(b25) == 65
    assert (b25["status"] == "real").sum() >= 60
    none = b25[b25["status"] == "none"].set_index("area_id")["reason"].to_dict()
    # Lina, Skiftinge, Navestad: no DeSO reaches 25 %; Oxhagen and Varberga: only together
    assert none == {"80": "below_share", "42": "below_share", "33": "below_share",
                    "81": "joint_only", "58": "joint_only"}


def test_older_lists_reuse_the_series_only_for_the_same_place(data_dir):
    b = built(data_dir, DEFAULT_MIN_SHARE).basis.set_index(["area_id", "list_year"])
    assert b.loc[("7", 2023), "status"] == "real"  # Husby: the same polygon
    # Rinkeby / Tensta (2023) kept id 9, which now denotes Tensta: another place
    assert b.loc[("9", 2023), "reason"] == "other_place" and b.loc[("9", 2023), "iou"] < 0.5
    assert "Tensta" in b.loc[("9", 2023), "note_sv"]
    # the joint Oxhagen + Varberga series is the place of the 2023 area Oxhagen / Varberga (id 58)
    assert b.loc[("58", 2023), "status"] == "real" and b.loc[("58", 2023), "iou"] >= 0.5
    assert "Oxhagen" in b.loc[("58", 2025), "note_sv"] and "2023" in b.loc[("58", 2025), "note_sv"]
    # Hisings Backa before 2025 (id 28, not on the 2025 list) from the Göteborg polygons
    assert b.loc[("28", 2023), "status"] == "real" and b.loc[("28", 2023), "source"] == "polygons"
    # Andersberg (Halmstad, not on the 2025 list, no DeSO polygons)
    assert b.loc[("35", 2023), "reason"] == "no_source"


def test_fifty_percent_never_counts_more_than_twenty_five(data_dir):
    lo, hi = built(data_dir, 0.25).values, built(data_dir, 0.5).values
    t_lo = lo.groupby("area_id")["value"].sum()
    t_hi = hi.groupby("area_id")["value"].sum()
    assert set(t_hi.index) <= set(t_lo.index)
    assert (t_hi <= t_lo.reindex(t_hi.index)).all()


# --------------------------------------------------------------------------- the rule on tiny frames


def test_key_shares_average_the_2025_parts_of_a_split_deso():
    key = pd.DataFrame({
        "deso2025": ["0001C1011", "0001C1012", "0001C1022", "0001C1030", "0001C1040"],
        "deso2018": ["0001C1010", "0001C1010", "0001C1020", "0001C1030", "0001C1040"],
        "relation": ["parent_code_split_2025"] * 3 + ["same_code"] * 2,
        "area_id": ["A", "A", "A", None, None], "share": [1.0, 0.2, 0.9, 0.8, 0.5],
        "joint": [False, False, False, True, False], "area_name": ["a"] * 5,
    })
    sh = key_shares(key, joint_id="J").set_index("deso")["share"]
    assert sh["0001C1010"] == pytest.approx(0.6)  # (1.0 + 0.2) / 2
    assert sh["0001C1020"] == pytest.approx(0.45)  # part 1 is not in the key: (0 + 0.9) / 2
    assert sh["0001C1030"] == pytest.approx(0.8)  # joint row → the joint id
    assert "0001C1040" not in sh.index  # unassigned


def test_polygons_replace_the_key_only_where_they_give_more():
    key = pd.DataFrame({"deso": ["d1", "d2", "d3"], "area_id": ["A", "A", "B"], "share": [0.8, 0.7, 0.6],
                        "source": "key"})
    poly = pd.DataFrame({"deso": ["d1", "d2", "d2", "d3", "d4"], "area_id": ["A", "A", "B", "B", "A"],
                         "share": [0.78, 0.40, 0.30, 0.01, 0.9], "source": "polygons"})
    out = combine_shares(key, poly, split_2018={"d3"}).set_index(["deso", "area_id"])["share"]
    assert out[("d1", "A")] == 0.8  # the key (full resolution)
    assert out[("d2", "A")] == 0.40 and out[("d2", "B")] == 0.30  # in two areas: the polygons per area
    assert out[("d3", "B")] == 0.01  # split in 2025: the 2018 polygon itself
    assert out[("d4", "A")] == 0.9  # only the polygons know it


def _places(geoms: dict[str, object]) -> Places:
    frame = gpd.GeoDataFrame({"area_id": list(geoms), "name": list(geoms), "list_year": 2025},
                             geometry=list(geoms.values()), crs=3006)
    return Places(frame, None, (), ())


def test_basis_gives_one_reason_per_area_without_a_series():
    areas = gpd.GeoDataFrame({
        "area_id": ["A", "B", "A", "C"], "list_year": [2025, 2025, 2023, 2023], "name": ["A", "B", "A old", "C"],
    }, geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10), box(0, 0, 40, 40), box(50, 0, 60, 10)], crs=3006)
    places = _places({"A": box(0, 0, 10, 10), "B": box(20, 0, 30, 10), "C": box(50, 0, 60, 10)})
    shares = pd.DataFrame({"deso": ["d1", "d2"], "area_id": ["A", "B"], "share": [0.9, 0.1], "source": "key"})
    b = series_basis(areas, places, shares, 0.25, poly_coverage=pd.Series(dtype=float))
    b = b.set_index(["area_id", "list_year"])
    assert b.loc[("A", 2025), "status"] == "real" and b.loc[("A", 2025), "deso_count"] == 1
    assert b.loc[("B", 2025), "reason"] == "below_share"  # never a series of zeros
    assert b.loc[("A", 2023), "reason"] == "other_place"  # IoU 100/1600
    assert b.loc[("C", 2023), "reason"] == "no_source"
    assert b.loc[("B", 2025), "note_en"].startswith("No real offence series: no DeSO lies at least 25 %")


def test_min_share_out_of_range_is_refused(data_dir):
    with pytest.raises(ValueError, match="min_share"):
        build_real_series(data_dir, 0.0)


def test_a_bad_key_names_file_row_and_column(tmp_path, data_dir):
    src = (data_dir / "deso_uso" / "deso2025_to_utsatt_omrade_2025_derived.csv").read_text("utf-8").splitlines()
    src[3] = src[3].replace(",100.0,", ",1O0.0,", 1)
    (tmp_path / "deso_uso").mkdir()
    (tmp_path / "deso_uso" / "deso2025_to_utsatt_omrade_2025_derived.csv").write_text("\n".join(src) + "\n", "utf-8")
    with pytest.raises(InputError, match=r"row 4, column 'share_of_deso_in_any_uso_pct': '1O0.0'"):
        read_area_key(tmp_path)


# --------------------------------------------------------------------------- national context


def test_national_shootings_and_explosions(data_dir, tmp_path):
    frame = read_national_shootings(data_dir / "polisen_national" / "shootings_explosions_national_2018_2025.csv")
    assert list(frame["year"]) == list(range(2018, 2026))
    row = frame.set_index("year").loc[2023]
    assert (row["shootings"], row["explosions"], bool(row["preliminary"])) == (368, 159, True)
    assert row["source_url_shootings"].startswith("https://polisen.se/") and row["source_url_shootings"].endswith("2023.pdf")
    bad = tmp_path / "n.csv"
    bad.write_text("year,skjutningar,sprangningar,preliminary,source_skjutningar,source_sprangningar\n"
                   "2018,325,90,true,a,b\n2019,3x0,133,true,a,b\n", "utf-8")
    with pytest.raises(InputError, match=r"row 3, column 'skjutningar'"):
        read_national_shootings(bad)


def test_the_sources_and_the_catalogue_state_the_rule_in_force():
    from geodata.deso_series import pct
    from geodata.sources import SOURCES
    from store.catalogue import DESO_SOURCE

    rule = pct(DEFAULT_MIN_SHARE)
    assert f"minst {rule}" in SOURCES["deso_area_key"].note_sv and f"at least {rule}" in SOURCES["deso_area_key"].note_en
    assert f"minst {rule}" in DESO_SOURCE and "brottsdatum" in DESO_SOURCE
