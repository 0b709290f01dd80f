"""Tests for analysis.forecasting.tables: forecasts.csv, and ``outturn forecast``'s tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from forecast_series import FALLING, quarterly
from typer.testing import CliRunner

from analysis import sentences
from analysis.cli import app
from analysis.errors import DataError
from analysis.forecasting import (
    FORECAST_COLUMNS,
    ForecastError,
    forecast,
    forecast_crossing,
    forecasts_frame,
    project_year_end,
    read_series_table,
)

# --- the forecasts table ------------------------------------------------------------------------


def test_forecasts_frame_has_contract_columns_and_kinds():
    fc = forecast(FALLING, horizon=2)
    c = forecast_crossing(FALLING, 600.0, better="low", horizon=8, benchmark_name="SN average")
    ye = project_year_end(quarterly([15.1, 32.1]), measure="cumulative_ytd", target=70.0)
    out = forecasts_frame([("cin", fc), ("cin", c), ("reviews", ye)])
    assert list(out.columns) == FORECAST_COLUMNS
    assert out["kind"].tolist() == ["forecast", "forecast", "crossing", "year_end"]
    crossing = out[out.kind == "crossing"].iloc[0]
    assert (crossing.estimate, crossing.benchmark) == ("2017-18 Q3", "SN average")
    assert out[out.kind == "year_end"].iloc[0].benchmark == "target 70"


def test_forecasts_frame_notes_are_the_sentences_a_reader_sees():
    fc = forecast(FALLING, horizon=2)
    c = forecast_crossing(FALLING, 600.0, better="low", horizon=8, benchmark_name="SN average")
    ye = project_year_end(quarterly([15.1, 32.1]), measure="cumulative_ytd", target=70.0)
    notes = forecasts_frame([("cin", fc), ("cin", c), ("reviews", ye)])["note"].tolist()
    assert notes == [sentences.forecast_note(fc)] * 2 + [
        sentences.crossing_sentence(c),
        sentences.year_end_sentence(ye),
    ]
    assert notes[0].startswith("average change on 8 points; back-test MASE")


def test_forecasts_frame_refuses_anything_else():
    with pytest.raises(ForecastError, match="cannot tabulate a dict; pass Forecast"):
        forecasts_frame([("cin", {})])


# --- CLI ---------------------------------------------------------------------------------------

runner = CliRunner()


def invoke(*args: str):
    # while ``forecast`` is the only command typer runs it without its name
    name = ["forecast"] if len(app.registered_commands) > 1 else []
    return runner.invoke(app, [*name, *args])


def write(tmp_path, text: str):
    path = tmp_path / "in.csv"
    path.write_text(text)
    return path


GOOD = """area_code,indicator,period,value
E06000009,cin,2022/23 Q1,700
E06000009,cin,2022/23 Q2,690
E06000009,cin,2022/23 Q3,c
E06000009,cin,2022/23 Q4,670
E06000009,cin,2023/24 Q1,660
E06000009,cin,2023/24 Q2,650
E06000001,cin,April 2021,5
E06000001,cin,May 2021,
"""


def test_cli_writes_rows_per_series_and_period_in_input_style(tmp_path):
    out = tmp_path / "out.csv"
    result = invoke(str(write(tmp_path, GOOD)), "--horizon", "2", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "area_code", "indicator", "period", "estimate", "lower", "upper", "method", "note",
    ]  # fmt: skip
    bpl = table[table.area_code == "E06000009"]
    assert bpl["period"].tolist() == ["2023/24 Q3", "2023/24 Q4"]
    assert bpl["estimate"].tolist() == pytest.approx([640.0, 630.0])
    short = table[table.area_code == "E06000001"].iloc[0]
    assert short["period"] == "May 2021" and math.isnan(short["estimate"])
    assert short["note"] == "only 1 comparable point; at least 5 are needed"
    assert "2 series, 1 forecast, 1 with too little data" in result.output


@pytest.mark.parametrize(
    ("text", "args", "match"),
    [
        (None, ["--horizon", "2"], "file not found"),
        ("area_code,period,value\nE1,2022,1\n", ["--horizon", "2"], "missing column.*indicator"),
        (
            "area_code,indicator,period,value\nE1,a,2022,1\nE1,a,Smarch 2022,2\n",
            [],
            "row 3.*period",
        ),
        ("area_code,indicator,period,value\nE1,a,2022,1\nE1,a,2023,lots\n", [], "row 3.*'lots'"),
        (GOOD, ["--horizon", "0"], "horizon 0"),
        (GOOD, ["--level", "40"], "level 40.0 is outside 50-99"),
    ],
)
def test_cli_bad_input_gives_one_message_and_no_output(tmp_path, text, args, match):
    src = write(tmp_path, text) if text else tmp_path / "missing.csv"
    out = tmp_path / "out.csv"
    result = invoke(str(src), "--out", str(out), *args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _search(match, result.output), result.output
    assert not out.exists()


def _search(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, " ".join(text.split())) is not None


def test_read_series_table_reads_markers_and_status_as_gaps(tmp_path):
    text = (
        "area_code,indicator_id,period,value,status\n"
        "E1,a,2021-04,1,\nE1,a,2021-05,-,\nE1,a,2021-06,3,c\n"
    )
    table = read_series_table(write(tmp_path, text))
    assert table["value"].isna().tolist() == [False, True, True]
    assert "indicator_id" in table.columns


def test_cli_keeps_indicator_id_column_name_and_ignores_per_value_columns(tmp_path):
    rows = "".join(f"a,E1,{y},{y - 2016},paper,2024-01-01\n" for y in range(2016, 2022))
    src = write(tmp_path, "indicator_id,area_code,period,value,source,vintage\n" + rows)
    out = tmp_path / "out.csv"
    result = invoke(str(src), "--horizon", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns[:3]) == ["indicator_id", "area_code", "period"]
    assert table["period"].tolist() == [2022]
    assert table["estimate"].tolist() == pytest.approx([6.0])


def test_read_series_table_names_file_for_missing_path(tmp_path):
    with pytest.raises(DataError, match="nope.csv: file not found"):
        read_series_table(tmp_path / "nope.csv")
