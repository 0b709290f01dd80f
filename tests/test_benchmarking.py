import pandas as pd
import pytest
import yaml
from shared_data import NEEDS_SHARED, SHARED
from typer.testing import CliRunner

from analysis import importing
from analysis.benchmarking import (
    MODEL_2021,
    MODEL_2025,
    OUTPUT_COLUMNS,
    benchmark_all,
    benchmark_files,
    model_for_year,
    rank_and_quartile,
)
from analysis.cli import app
from analysis.config import load_council
from analysis.errors import ConfigError

BLACKPOOL = "E06000009"


@pytest.fixture(scope="module")
def everything() -> pd.DataFrame:
    return benchmark_files(
        SHARED / importing.LAIT_FILE,
        SHARED / importing.NEIGHBOURS_FILE,
        SHARED / importing.LAIT_METADATA_FILE,
    )


def _row(frame, area, indicator, period):
    hit = frame[
        (frame.area_code == area) & (frame.indicator_id == indicator) & (frame.period == period)
    ]
    assert len(hit) == 1
    return hit.iloc[0]


@NEEDS_SHARED
def test_blackpool_cin_neighbour_mean_checked_by_hand(everything):
    # Blackpool's April 2021 neighbours, CIN rate per 10,000 at 31 March 2023 (LAIT):
    # Hartlepool 709.7, Middlesbrough 638.7, Halton 429.2, Redcar and Cleveland 577.5,
    # Stoke-on-Trent 654.8, South Tyneside 478.8, Hull 560.2, North East Lincolnshire 551.9,
    # Knowsley 355.0, Tameside 410.1: sum 5365.9, mean 536.59.
    row = _row(everything, BLACKPOOL, "CIN", "2022-23")
    assert row["value"] == 733.2
    assert row["sn_average"] == pytest.approx(536.59)
    assert row["sn_count"] == 10
    assert row["england"] == 338.7
    assert row["region_average"] == 381.1  # North West's published row


@NEEDS_SHARED
def test_blackpool_cin_series_and_direction(everything):
    rows = everything[(everything.area_code == BLACKPOOL) & (everything.indicator_id == "CIN")]
    assert rows["value"].tolist() == [663.2, 670.5, 632.5, 805.6, 733.2, 714.3, 733.3, 733.2]
    assert rows["direction"].tolist() == ["", "up", "down", "up", "down", "down", "up", "down"]
    assert set(rows["judgement"]) == {"n/a"}  # context measure: no polarity
    assert set(rows["quartile"]) == {"-"}


@NEEDS_SHARED
def test_blackpool_rereferral_rank_quartile_and_judgement(everything):
    row = _row(everything, BLACKPOOL, "ReReferral", "2022-23")
    # 23.3 equals the 75th percentile of 149 councils: LAIT's bands are closed above, so C
    assert row["quartile"] == "C"
    assert row["direction"] == "down"
    assert row["judgement"] == "better"  # low is better
    assert row["rank"] == 111


@NEEDS_SHARED
def test_output_has_exact_columns_and_one_row_per_council_indicator_year(everything):
    assert list(everything.columns[: len(OUTPUT_COLUMNS)]) == OUTPUT_COLUMNS
    assert not everything.duplicated(["area_code", "indicator_id", "period"]).any()
    assert len(everything) == 36024


def _small() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for year, values in (("2021-22", [10, 20, 30, 40, 50]), ("2022-23", [10, 25, 30, 35, 50])):
        for i, value in enumerate(values):
            rows.append(("A", f"L{i}", f"Council {i}", "LA", year, float(value)))
        rows.append(("A", "E92000001", "England", "England", year, 99.0))
    values = pd.DataFrame(
        rows, columns=["indicator_id", "area_code", "area_name", "area_type", "period", "value"]
    )
    neighbours = pd.DataFrame(
        {
            "model": MODEL_2021,
            "area_code": ["L0", "L0", "L0", "L1"],
            "sn_area_code": ["L1", "L2", "L4", "L0"],
            "region": "Nowhere",
        }
    )
    return values, neighbours


@pytest.mark.parametrize(
    ("better", "ranks", "quartiles"),
    [
        # cut points of 10,20,30,40,50: 20, 30, 40 (linear, as R's quantile)
        ("low", [1, 2, 3, 4, 5], ["A", "A", "B", "C", "D"]),
        ("high", [5, 4, 3, 2, 1], ["D", "D", "C", "B", "A"]),
        (None, [5, 4, 3, 2, 1], ["-", "-", "-", "-", "-"]),
    ],
)
def test_rank_and_quartile_on_known_table(better, ranks, quartiles):
    values, _ = _small()
    la = values[(values.area_type == "LA") & (values.period == "2021-22")].reset_index(drop=True)
    out = rank_and_quartile(la, la["indicator_id"].map({"A": better}).fillna("none"))
    assert out["rank"].tolist() == ranks
    assert out["quartile"].tolist() == quartiles


def test_ties_share_the_best_rank():
    la = pd.DataFrame({"indicator_id": "A", "period": "2022-23", "value": [5.0, 5.0, 7.0, None]})
    out = rank_and_quartile(la, pd.Series(["low"] * 4))
    assert out["rank"].tolist()[:3] == [1, 1, 3]
    assert pd.isna(out["rank"].iloc[3])
    assert out["quartile"].iloc[3] == ""


@pytest.mark.parametrize(("average", "expected"), [("mean", 100 / 3), ("median", 30.0)])
def test_small_table_neighbours_region_and_judgement(average, expected):
    values, neighbours = _small()
    out = benchmark_all(values, neighbours, {"A": "high"}, average=average)
    row = out[(out.area_code == "L0") & (out.period == "2021-22")].iloc[0]
    assert row["sn_average"] == pytest.approx(expected)  # neighbours L1 = 20, L2 = 30, L4 = 50
    assert row["sn_count"] == 3
    assert row["england"] == 99.0
    # no published region row: mean of the councils the lists place in it (L0 10, L1 20)
    assert row["region_average"] == 15.0
    assert row["region_source"] == "mean"
    later = out[(out.area_code == "L1") & (out.period == "2022-23")].iloc[0]
    assert (later["direction"], later["judgement"]) == ("up", "better")
    lonely = out[(out.area_code == "L3") & (out.period == "2022-23")].iloc[0]
    assert lonely["sn_count"] == 0
    assert pd.isna(lonely["sn_average"])


@pytest.mark.parametrize(("fy", "model"), [(2015, MODEL_2021), (2024, MODEL_2021),
                                           (2025, MODEL_2025)])  # fmt: skip
def test_model_for_year(fy, model):
    assert model_for_year(fy) == model


def test_model_for_year_outside_mapping_raises():
    with pytest.raises(ConfigError, match="no statistical-neighbour model covers 2030-31"):
        model_for_year(2030, {MODEL_2021: (2015, 2024)})


@NEEDS_SHARED
@pytest.mark.parametrize(
    ("council", "code", "first", "tenth"),
    [
        ("E08000009", "E08000009", "Hertfordshire", "Buckinghamshire"),
        ("Blackpool", BLACKPOOL, "Hartlepool", "Tameside"),
    ],
)
def test_init_writes_valid_project(tmp_path, council, code, first, tenth):
    result = CliRunner().invoke(
        app, ["init", "--council", council, "--project", str(tmp_path), "--source-dir", str(SHARED)]
    )
    assert result.exit_code == 0, result.output
    config = load_council(tmp_path / "data" / "council.yml")
    assert config.council.area_code == code
    assert config.region.area_code == "E12000002"
    assert len(config.neighbours) == 10
    assert (config.neighbours[0].name, config.neighbours[9].name) == (first, tenth)
    values = pd.read_csv(tmp_path / "data" / "values" / "dfe.csv")
    # both DfE models' neighbours: April 2021 up to 2024-25, May 2025 from 2025-26
    models = config.comparator("neighbours").all_codes
    assert set(config.neighbour_codes) < set(models)
    expected = {code, "E12000002", "E92000001", *models}
    assert set(values["area_code"]) == expected
    assert values.groupby("area_code")["indicator_id"].nunique().min() == 29
    catalogue = yaml.safe_load((tmp_path / "data" / "indicators.yml").read_text())
    assert {"id": "cin", "lait": "CIN"} == {
        "id": catalogue["indicators"][0]["id"],
        "lait": catalogue["indicators"][0]["dfe"]["lait"],
    }


@NEEDS_SHARED
def test_init_ambiguous_name_lists_candidates(tmp_path):
    result = CliRunner().invoke(
        app, ["init", "--council", "Northampton", "--project", str(tmp_path),
              "--source-dir", str(SHARED)],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "matches 3 councils" in str(result.exception)
    assert "West Northamptonshire (E06000062)" in str(result.exception)


@NEEDS_SHARED
def test_benchmark_command_writes_exact_columns(tmp_path):
    out = tmp_path / "bench.csv"
    result = CliRunner().invoke(
        app, ["benchmark", "--all", "--out", str(out), "--source-dir", str(SHARED),
              "--average", "median"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype={"quartile": str})
    assert list(frame.columns) == OUTPUT_COLUMNS
    row = frame[(frame.area_code == BLACKPOOL) & (frame.indicator_id == "CIN")
                & (frame.period == "2022-23")]  # fmt: skip
    assert row["sn_average"].iloc[0] == pytest.approx(556.05)  # median of the ten above
    assert (tmp_path / "bench.notes.csv").is_file()
