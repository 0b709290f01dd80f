import pandas as pd
import pytest
from shared_data import NEEDS_SHARED, SHARED

from analysis import importing
from analysis.errors import DataError
from analysis.importing import (
    build_dfe_values,
    harmonise_codes,
    import_lait,
    import_lait_metadata,
    import_neighbours,
    import_population,
    import_tidy,
    read_ees,
    read_lait,
    split_markers,
)

BLACKPOOL = "E06000009"
# Blackpool CIN rate per 10,000 at 31 March 2016-2023 (DfE; README of the shared data)
BLACKPOOL_CIN = [663.2, 670.5, 632.5, 805.6, 733.2, 714.3, 733.3, 733.2]
YEARS = ["2015-16", "2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]


@pytest.fixture(scope="module")
def lait() -> pd.DataFrame:
    return read_lait(SHARED / importing.LAIT_FILE)


@pytest.fixture(scope="module")
def ees() -> pd.DataFrame:
    return read_ees(SHARED / importing.EES_FILE)


@NEEDS_SHARED
def test_lait_blackpool_cin_matches_published(lait):
    rows = lait[(lait.indicator_id == "CIN") & (lait.area_code == BLACKPOOL)].sort_values("period")
    assert rows["period"].tolist() == YEARS
    assert rows["value"].tolist() == BLACKPOOL_CIN
    assert set(rows["source"]) == {"dfe_lait_2023"}


@NEEDS_SHARED
def test_lait_england_cin_values_kept(lait):
    rows = lait[(lait.indicator_id == "CIN") & (lait.area_code == "E92000001")]
    assert rows.set_index("period")["value"].to_dict()["2022-23"] == 338.7
    assert rows.set_index("period")["value"].to_dict()["2015-16"] == 339.8


@NEEDS_SHARED
def test_import_lait_keeps_every_row_and_marks_missing(lait):
    values = import_lait(SHARED / importing.LAIT_FILE)
    assert list(values.columns) == importing.VALUE_COLUMNS
    assert len(values) == 38760
    dash = values[values["status"] == "-"]
    assert len(dash) == 2402
    assert dash["value"].isna().all()


@NEEDS_SHARED
def test_ees_suppressed_value_kept_with_marker(ees):
    row = ees[
        (ees.area_code == "E09000001")
        & (ees.period == "2012-13")
        & (ees.indicator_id == "% of CPPs starting that were a second or subsequent plan")
    ]
    assert len(row) == 1
    assert row["status"].iloc[0] == "c"
    assert pd.isna(row["value"].iloc[0])


@NEEDS_SHARED
def test_ees_rate_carries_its_count(ees):
    row = ees[
        (ees.area_code == BLACKPOOL)
        & (ees.period == "2015-16")
        & (ees.indicator_id == "Children in need rate per 10,000 children (derived)")
    ]
    assert row["value"].iloc[0] == 663.2
    assert row["count"].iloc[0] == 1889


@pytest.mark.parametrize(
    ("value", "note", "expected_status", "expected_note"),
    [
        ("12.5", "", "", ""),
        ("", "c", "c", ""),
        ("", "-", "-", ""),
        ("x", "", "x", ""),
        ("low", "", "low", ""),
        ("", "not computable (suppressed count)", "x", "not computable (suppressed count)"),
        ("", "", "x", "blank in source"),
    ],
)
def test_split_markers_never_zero(value, note, expected_status, expected_note):
    out = split_markers(pd.Series([value]), pd.Series([note]))
    assert out["status"].iloc[0] == expected_status
    assert out["note"].iloc[0] == expected_note
    if expected_status:
        assert pd.isna(out["value"].iloc[0])
    else:
        assert out["value"].iloc[0] == 12.5


@NEEDS_SHARED
def test_metadata_maps_polarity_and_units():
    entries = {e["id"]: e for e in import_lait_metadata(SHARED / importing.LAIT_METADATA_FILE)}
    assert len(entries) == 29
    assert entries["rereferral"]["better"] == "low"
    assert entries["careleavereet"]["better"] == "high"
    assert entries["cin"]["better"] is None
    assert entries["lac"]["decimals"] == 0
    assert entries["lacnum"]["unit"] == "count"
    assert entries["cpp_total_rateper10_000"]["dfe"] == {
        "lait": "CPP_Total_Rateper10,000",
        "lait_count": "CPP_Total_NumRef",
        "ees": "Referrals rate per 10,000 children (derived)",
    }
    assert entries["work_force_avgnumcase_sw"]["unit"] == "score"


@NEEDS_SHARED
def test_population_period_is_mid_year_month():
    pop = import_population(SHARED / importing.POPULATION_FILE)
    row = pop[(pop.area_code == BLACKPOOL) & (pop.period == "Jun 2022")]
    assert row["value"].iloc[0] == 28300
    assert row["source"].iloc[0] == "ons_mye_2022"


@NEEDS_SHARED
def test_neighbours_rank_and_closeness_kept():
    sn = import_neighbours(SHARED / importing.NEIGHBOURS_FILE)
    bp = sn[(sn.area_code == BLACKPOOL) & (sn.model == "DfE CSC SN model May 2025")]
    assert bp.sort_values("rank")["sn_area_name"].tolist()[:3] == [
        "Hartlepool", "Middlesbrough", "Sunderland",
    ]  # fmt: skip
    assert bp.set_index("rank").loc[5, "closeness"] == "Close"


def test_tidy_reads_council_period_forms(tmp_path):
    csv = tmp_path / "local.csv"
    csv.write_text(
        "area_code,area_name,period,indicator,value,unit\n"
        "E06000009,Blackpool,2017/18,Re-referrals %,21.6,percent\n"
        "E06000009,Blackpool,2021/22 Q1,Re-referrals %,c,percent\n"
        "E06000009,Blackpool,April 2021,Re-referrals %,19,percent\n"
        'E06000009,Blackpool,2021-04,Contacts,"1,204",count\n'
    )
    out = import_tidy(csv, source="local", vintage="2022-05-01")
    assert out["period"].tolist() == ["2017-18", "2021-22 Q1", "Apr 2021", "Apr 2021"]
    assert out["indicator_id"].tolist()[0] == "re_referrals_pct"
    assert out["status"].tolist() == ["", "c", "", ""]
    assert out["value"].tolist()[3] == 1204


@NEEDS_SHARED
def test_tidy_trafford_measures_get_distinct_ids():
    out = import_tidy(SHARED / "trafford_children_vs_stat_neighbours_to_2022-23.csv")
    ids = set(out["indicator_id"])
    assert "children_cautioned_sentenced_count" in ids
    assert "children_cautioned_sentenced_per_10k" in ids
    assert max(len(i) for i in ids) <= 40
    assert len(ids) == 15
    assert (out["status"] == "x").sum() == 55


def test_unparseable_period_names_file_line_and_column(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "area_code,area_name,period,indicator,value\n"
        "E06000009,Blackpool,2017/18,A,1\nE06000009,Blackpool,Spring 2018,A,2\n"
    )
    with pytest.raises(DataError, match=r"bad.csv, line 3, column 'period'.*Fix"):
        import_tidy(csv, source="s", vintage="2020-01-01")


def test_missing_column_named(tmp_path):
    csv = tmp_path / "short.csv"
    csv.write_text("area_code,period,value\nE06000009,2017,1\n")
    with pytest.raises(DataError, match=r"short.csv: column\(s\) indicator missing"):
        import_tidy(csv)


def test_missing_file_named(tmp_path):
    with pytest.raises(DataError, match=r"nope.csv: file not found"):
        import_lait(tmp_path / "nope.csv")


def test_harmonise_codes_moves_predecessor_rows():
    frame = pd.DataFrame(
        {
            "indicator_id": ["a", "a", "a"],
            "area_code": ["E10000002", "E10000002", "E06000060"],
            "period": ["2018-19", "2020-21", "2020-21"],
            "value": [1.0, 2.0, 3.0],
            "note": "",
        }
    )
    out = harmonise_codes(frame)
    assert out["area_code"].tolist() == ["E06000060", "E06000060"]
    assert out["value"].tolist() == [1.0, 3.0]
    assert "E10000002" in out["note"].iloc[0]


@NEEDS_SHARED
def test_build_dfe_values_prefers_ees_and_covers_areas():
    council = {
        "council": {"area_code": BLACKPOOL}, "region": {"area_code": "E12000002"},
        "england": {"area_code": "E92000001"},
        "neighbours": {"areas": [{"area_code": "E06000001"}, {"area_code": "E06000002"}]},
    }  # fmt: skip
    catalogue = [
        {"id": "cin", "dfe": {"lait": "CIN"}},
        {"id": "cla", "dfe": {"lait": "LAC", "lait_count": "LACnum"}},
        {"id": "no_dfe"},
    ]
    out = build_dfe_values(catalogue, council, SHARED)
    cin = out[(out.indicator_id == "cin") & (out.area_code == BLACKPOOL)].set_index("period")
    assert cin.loc["2012-13", "value"] == 562.7  # EES only: before LAIT's first year
    assert cin.loc["2022-23", "value"] == 733.2
    assert set(cin["source"]) == {"dfe_ees_2023"}
    cla = out[(out.indicator_id == "cla") & (out.area_code == BLACKPOOL)].set_index("period")
    assert cla.loc["2015-16", ["value", "count", "source"]].tolist() == [163, 469, "dfe_lait_2023"]
    assert cla.loc["2022-23", ["value", "count", "source"]].tolist() == [190, 539, "dfe_ees_2023"]
    assert set(out["area_code"]) == {BLACKPOOL, "E06000001", "E06000002", "E12000002",
                                     "E92000001"}  # fmt: skip


@NEEDS_SHARED
def test_build_dfe_values_unknown_code_is_explained():
    council = {"council": {"area_code": BLACKPOOL}}
    with pytest.raises(DataError, match=r"indicator 'x': lait series 'NOPE' is not in"):
        build_dfe_values([{"id": "x", "dfe": {"lait": "NOPE"}}], council, SHARED)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Children in Need rate per 10,000", "Children in Need rate per 10,000"),
        (
            "Rate of child protection plans which ceased during the year (per 10,000 children)",
            "Rate of child protection plans which ceased during the year",
        ),
        (
            "Average number of cases per children and family social worker (based on FTE "
            "counts) \nFrom this year 2017 Data, onwards, average caseload is calculated as",
            "Average number of cases per children and family social worker",
        ),
        (
            "Care leavers now aged 19 or 20 who ceased to be looked after on their 18th "
            "birthday, and remain with their former foster carers",
            "Care leavers now aged 19 or 20 who ceased to be looked after on their 18th\u2026",
        ),
    ],
)
def test_short_label_keeps_tables_readable(label, expected):
    from analysis.importing import short_label

    assert short_label(label) == expected
    assert len(short_label(label)) <= 80
