"""Tests for analysis.spc_io and the ``outturn spc`` command."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.errors import DataError, SPCError
from analysis.spc_io import parse_spc_input, read_spc_csv, spc_table

runner = CliRunner()

# paper 003: % of children subject to a CP plan for a 2nd or subsequent time, Apr-Sep 2015,
# written in the order and spellings a user might paste them (Sept, ISO month, a date)
CP_CSV = """indicator,area,period,value
cp_second_plan,Blackpool,Sept 2015,17.1
cp_second_plan,Blackpool,Apr 2015,16.7
cp_second_plan,Blackpool,2015-05,17.2
cp_second_plan,Blackpool,2015-06-01,22.4
cp_second_plan,Blackpool,Jul 2015,20.4
cp_second_plan,Blackpool,Aug 2015,18.4
"""


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str):
    return runner.invoke(app, ["spc", *args])


def test_cli_writes_one_row_per_point_in_period_order(tmp_path):
    src = _write(tmp_path, CP_CSV)
    out = tmp_path / "out.csv"
    result = _run(str(src), "--out", str(out), "--improvement", "decrease", "--target", "14")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"period": str})
    assert list(table.columns) == [
        "indicator", "area", "period", "value", "mean", "lpl", "upl",
        "special_cause", "point_type", "rule", "assurance",
    ]  # fmt: skip
    assert table["period"].tolist() == [
        "Apr 2015", "2015-05", "2015-06-01", "Jul 2015", "Aug 2015", "Sept 2015",
    ]  # fmt: skip
    # mean 112.2 / 6 = 18.70; mean moving range 11.0 / 5 = 2.20; limits 18.70 -/+ 5.852
    assert table["lpl"].round(2).unique().tolist() == [12.85]
    assert table["upl"].round(2).unique().tolist() == [24.55]
    assert table["assurance"].unique().tolist() == ["hit_or_miss"]
    assert "wrote 6 points (0 special cause)" in result.output


def test_suppression_markers_are_gaps(tmp_path):
    text = "period,value\n2015-16 Q1,4\n2015-16 Q2,c\n2015-16 Q3,\n2015-16 Q4,LOW\n2016-17 Q1,6\n"
    frame = parse_spc_input(read_spc_csv(_write(tmp_path, text)), Path("in.csv"))
    table = spc_table(frame)
    assert table["point_type"].tolist() == ["common_cause", "missing", "missing", "missing",
                                            "common_cause"]  # fmt: skip
    assert table["mean"].iloc[0] == 5.0
    assert table["value"].isna().sum() == 3


def test_key_columns_make_separate_charts_and_rebase_applies_where_present(tmp_path):
    rows = ["area,period,value"]
    rows += [f"A,{p},{v}" for p, v in zip(range(2010, 2022), [1, 2] * 3 + [5, 6] * 3, strict=True)]
    rows += [f"B,{p},{v}" for p, v in zip(range(2010, 2016), [3, 4, 3, 4, 3, 4], strict=True)]
    frame = parse_spc_input(read_spc_csv(_write(tmp_path, "\n".join(rows))), Path("in.csv"))
    table = spc_table(frame, rebase=["2015-16"])  # the year ending March 2016, "2016" in A
    a, b = table[table["area"] == "A"], table[table["area"] == "B"]
    assert a["mean"].unique().tolist() == [1.5, 5.5]
    assert b["mean"].unique().tolist() == [3.5]
    assert table["period"].iloc[0] == "2010"


@pytest.mark.parametrize(
    ("text", "args", "match"),
    [
        (None, [], r"missing\.csv: file not found"),
        ("period,amount\n2015-16,1\n", [], r"no 'value' column \(found period, amount\)"),
        ("period,value\nApr 2015,1\nQ5 2015,2\n", [], r"row 3, column 'period': period 'Q5 2015'"),
        ("period,value\nApr 2015,1\nMay 2015,12a\n", [], r"row 3, column 'value': '12a' is not"),
        (CP_CSV, ["--improvement", "up"], r"--improvement 'up' is not recognised"),
        (CP_CSV, ["--rebase", "Dec 2015"], r"--rebase Dec 2015: no chart in .* has that period"),
        ("period,value\nApr 2015,1\n2015-04,2\n", [], r"rows 2, 3: period Apr 2015 appears more"),
    ],
)
def test_cli_bad_input_one_message_exit_1_no_output(tmp_path, text, args, match):
    src = tmp_path / "missing.csv" if text is None else _write(tmp_path, text)
    out = tmp_path / "out.csv"
    result = _run(str(src), "--out", str(out), *args)
    assert result.exit_code == 1
    assert "error:" in result.output
    assert pytest.importorskip("re").search(match, result.output.replace("\n", " "))
    assert "Traceback" not in result.output
    assert not out.exists()


def test_spc_table_duplicate_period_names_chart(tmp_path):
    text = "area,period,value\nA,Apr 2015,1\nA,Apr 2015,2\nB,Apr 2015,3\n"
    frame = parse_spc_input(read_spc_csv(_write(tmp_path, text)), Path("in.csv"))
    with pytest.raises(DataError, match=r"rows 2, 3: period Apr 2015 .* for area=A"):
        spc_table(frame, path="in.csv")


def test_spc_table_unreadable_rebase_raises(tmp_path):
    frame = parse_spc_input(read_spc_csv(_write(tmp_path, CP_CSV)), Path("in.csv"))
    with pytest.raises(SPCError, match=r"--rebase 'soon'"):
        spc_table(frame, rebase=["soon"])
