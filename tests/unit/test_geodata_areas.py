"""Reading the police's official area files in every schema and CRS, and refusing bad ones."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pytest
import shapely

from geodata.areas import read_area_file
from geodata.errors import InputError
from geodata.lineage import lineage
from geodata.reference_areas import load_reference_areas

UO = "utsatta_omraden"


def test_2023_shapefile_has_59_areas_with_categories_and_z_dropped(data_dir):
    f = read_area_file(data_dir / UO / "uo_panel" / "uso_2023.shp")
    a = f.areas
    assert len(a) == 59
    assert a["list_year"].unique().tolist() == [2023]
    assert a["category"].value_counts().to_dict() == {"utsatt": 27, "sarskilt_utsatt": 17, "risk": 15}
    assert not a.geometry.has_z.any()
    assert a.crs.to_epsg() == 3006
    assert a.geometry.is_valid.all()
    assert set(a.geometry.geom_type) == {"MultiPolygon"}
    alby = a[a["name"] == "Alby"].iloc[0]
    assert alby["area_id"] == "17" and alby["lpo"] == "Botkyrka" and alby["region"] == "Stockholm"


def test_2025_geojson_has_65_areas_and_shares_ids_with_2023(data_dir):
    a25 = read_area_file(data_dir / UO / "polisen_2025" / "uso_2025_sweref99tm.geojson").areas
    a23 = read_area_file(data_dir / UO / "uo_panel" / "uso_2023.shp").areas
    assert len(a25) == 65
    assert a25["category"].value_counts().to_dict() == {"utsatt": 46, "sarskilt_utsatt": 19}
    shared = set(a25["area_id"]) & set(a23["area_id"])
    assert len(shared) >= 50
    # the same stable id is the same place: Alby (17) overlaps itself almost entirely
    g25 = a25.set_index("area_id").geometry["17"]
    g23 = a23.set_index("area_id").geometry["17"]
    assert g25.intersection(g23).area / g23.area > 0.95


def test_wgs84_geojson_reads_to_the_same_polygons(data_dir):
    a = read_area_file(data_dir / UO / "polisen_2025" / "uso_2025_wgs84.geojson", 2025).areas
    b = read_area_file(data_dir / UO / "polisen_2025" / "uso_2025_sweref99tm.geojson").areas
    ga, gb = a.set_index("area_id").geometry, b.set_index("area_id").geometry
    for area_id in ("74", "9", "17"):
        assert ga[area_id].symmetric_difference(gb[area_id]).area / gb[area_id].area < 0.001


def test_geojson_without_crs_member_in_sweref_is_read_as_3006(tmp_path, data_dir):
    src = json.loads((data_dir / UO / "polisen_2025" / "uso_2025_sweref99tm.geojson").read_text("utf-8"))
    src.pop("crs", None)
    path = tmp_path / "uso_2025_nocrs.geojson"
    path.write_text(json.dumps(src), "utf-8")
    f = read_area_file(path)
    assert len(f.areas) == 65
    assert any("no crs member" in w for w in f.warnings)
    assert f.areas.total_bounds[1] > 6_000_000


def test_zip_of_shapefile_and_geopackage(tmp_path, data_dir):
    zpath = tmp_path / "uso_2023_shp.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            zf.write(data_dir / UO / "uo_panel" / f"uso_2023.{ext}", f"uso_2023.{ext}")
    assert len(read_area_file(zpath).areas) == 59
    gpkg = tmp_path / "areas_2025.gpkg"
    gpd.read_file(data_dir / UO / "polisen_2025" / "uso_2025_sweref99tm.geojson").to_file(gpkg, driver="GPKG")
    assert len(read_area_file(gpkg).areas) == 65


def _square_fc(coords, crs=None, **props):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"NAMN": "Testområde", "KATEGORI": "Utsatt område", "SPECIALOMRADES_ID": 999, **props},
         "geometry": {"type": "Polygon", "coordinates": [coords]}}]}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    return fc


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path):
    bowtie = [[670000, 6580000], [671000, 6581000], [671000, 6580000], [670000, 6581000], [670000, 6580000]]
    path = tmp_path / "bowtie_2025.geojson"
    path.write_text(json.dumps(_square_fc(bowtie, "urn:ogc:def:crs:EPSG::3006")))
    f = read_area_file(path)
    assert f.areas.geometry.iloc[0].is_valid
    assert f.areas.geometry.iloc[0].area == pytest.approx(500_000, rel=1e-6)
    assert any("repaired invalid polygon" in w and "Testområde" in w for w in f.warnings)


def test_wrong_crs_is_an_error_naming_the_file(tmp_path):
    # declares SWEREF 99 TM but the numbers are lon/lat degrees
    square = [[18.0, 59.3], [18.01, 59.3], [18.01, 59.31], [18.0, 59.31], [18.0, 59.3]]
    path = tmp_path / "wrong_crs_2025.geojson"
    path.write_text(json.dumps(_square_fc(square, "urn:ogc:def:crs:EPSG::3006")))
    with pytest.raises(InputError, match="wrong_crs_2025.geojson.*outside Sweden.*CRS is probably wrong"):
        read_area_file(path)


def test_truncated_and_empty_files_are_errors(tmp_path, data_dir):
    text = (data_dir / UO / "polisen_2025" / "uso_2025_sweref99tm.geojson").read_text("utf-8")
    cut = tmp_path / "uso_2025_cut.geojson"
    cut.write_text(text[: len(text) // 2], "utf-8")
    with pytest.raises(InputError, match="uso_2025_cut.geojson: cannot be read"):
        read_area_file(cut)
    empty = tmp_path / "uso_2025_empty.geojson"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_area_file(empty)


def test_unknown_category_names_row_and_column(tmp_path):
    square = [[670000, 6580000], [671000, 6580000], [671000, 6581000], [670000, 6581000], [670000, 6580000]]
    path = tmp_path / "badcat_2025.geojson"
    path.write_text(json.dumps(_square_fc(square, "urn:ogc:def:crs:EPSG::3006", KATEGORI="Lugnt område")))
    with pytest.raises(InputError, match=r"row 1, column 'KATEGORI': 'Lugnt område' is not a category"):
        read_area_file(path)


def test_reference_set_has_every_list_and_records_the_2025_split(data_dir):
    ref = load_reference_areas(data_dir)
    counts = ref.areas["list_year"].value_counts().to_dict()
    assert counts == {2015: 53, 2017: 61, 2019: 60, 2021: 61, 2023: 59, 2025: 65}
    lin = ref.lineage
    rinkeby_tensta = lin[(lin["from_id"] == "9") & (lin["from_year"] == 2023) & (lin["to_year"] == 2025)]
    successors = set(rinkeby_tensta.loc[rinkeby_tensta["share_of_to"] > 0.9, "to_id"])
    assert successors == {"9", "74", "75"}  # Tensta, Rinkeby, Hjulsta
    assert set(rinkeby_tensta["relation"]) == {"split"}
    # panel years get the police's ids through overlap; older lists note their borrowed shapes
    a2019 = ref.areas[ref.areas["list_year"] == 2019]
    assert "17" in set(a2019["area_id"])
    assert a2019["shape_note"].notna().all()
    assert ref.areas["kommun_kod"].notna().all() and ref.areas["region"].notna().all()


def test_lineage_marks_identical_shapes_same():
    sq = shapely.box(0, 0, 1000, 1000)
    gdf = gpd.GeoDataFrame({"area_id": ["1", "1"], "list_year": [2021, 2023]}, geometry=[sq, sq], crs=3006)
    lin = lineage(gdf)
    assert lin[["from_id", "to_id", "relation"]].values.tolist() == [["1", "1", "same"]]
