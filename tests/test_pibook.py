"""The PI book import: the wide layout councils keep, and the bundled Blackpool example."""

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.config import project_paths
from analysis.errors import DataError
from analysis.imports import import_file
from analysis.pack import build_pack
from analysis.periods import parse_period
from analysis.pibook import parse_cell, parse_target, read_pibook
from analysis.validation import inspect_project, load_project

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "data" / "examples" / "blackpool-pibook.xlsx"
CARD = ["indicator_id", "comparison", "period", "value", "baseline_period", "baseline_value",
        "direction", "judgement"]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (162.8, (162.8, math.nan, "")),
        ("70%", (70.0, math.nan, "")),
        ("1,204", (1204.0, math.nan, "")),
        ("469 (162.8)", (162.8, 469.0, "")),
        ("2,291 (795.4)", (795.4, 2291.0, "")),
        ("537 (x)", (math.nan, 537.0, "x")),
        ("c", (math.nan, math.nan, "c")),
        ("-", None),
        (None, None),
        ("", None),
    ],
)
def test_cells_read_as_councils_write_them(cell, expected):
    got = parse_cell(cell)
    if expected is None:
        assert got is None
        return
    assert [(None if isinstance(x, float) and math.isnan(x) else x) for x in got] == [
        (None if isinstance(x, float) and math.isnan(x) else x) for x in expected
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (70, {"value": 70}),
        ("70%", {"value": 70, "text": "70%"}),
        ("2,291 (795.4)", {"value": 795.4, "count": 2291, "text": "2,291 (795.4)"}),
        ("Decrease on last year", {"rule": "decrease_on_last_year",
                                   "text": "Decrease on last year"}),
        ("Increase on previous year", {"rule": "increase_on_previous_year",
                                       "text": "Increase on previous year"}),
        ("No Target Set", {"rule": "none", "text": "No Target Set"}),
        ("TBC", {"rule": "tbc", "text": "TBC"}),
        ("850 a month", {"rule": "tbc", "text": "850 a month"}),
    ],
)  # fmt: skip
def test_targets_read_as_printed(cell, expected):
    assert parse_target(cell) == expected


def test_example_headers_are_read_in_every_form():
    book = read_pibook(EXAMPLE)
    periods = {parse_period(p).freq for p in book.values["period"]}
    assert periods == {"month", "quarter", "year"}
    cla = book.values[(book.values["key"] == "cla") & (book.values["area"] == "Blackpool")]
    row = cla[cla["period"] == "2015-16"].iloc[0]
    assert (row["value"], row["count"]) == (162.8, 469.0)
    assert set(book.columns) == {"id", "title", "area", "polarity"}


def empty_project(root: Path) -> Path:
    """An init-style project: council.yml, the catalogue, sources and DfE's published figures."""
    (root / "data" / "values").mkdir(parents=True)
    for name in ("council.yml", "indicators.yml", "sources.yml"):
        shutil.copy(REPO / "data" / name, root / "data" / name)
    shutil.copy(REPO / "data" / "values" / "dfe.csv", root / "data" / "values" / "dfe.csv")
    return root


@pytest.mark.slow
def test_example_pibook_rebuilds_the_bundled_scorecard(tmp_path):
    root = empty_project(tmp_path / "p")
    result = import_file("pibook", EXAMPLE, root, source="blackpool_pibook",
                         published="2018-02-08")  # fmt: skip
    assert result.stubs == [] and result.merge.added == 109
    quarter = parse_period("2017-18 Q2")
    mine = build_pack(load_project(project_paths(root)), quarter).scorecard[CARD]
    bundled = build_pack(load_project(project_paths(REPO)), quarter).scorecard[CARD]
    assert len(mine) == len(bundled) > 20
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), bundled.reset_index(drop=True))


def test_unknown_rows_become_stubs_with_the_books_polarity_and_targets(tmp_path):
    root = empty_project(tmp_path / "p")
    book = tmp_path / "book.csv"
    book.write_text(
        "Indicator,Better to be,Target 2023/24,Q1 2023/24,Q2 2023/24,Apr-23,2022/23\n"
        "% of major planning applications decided on time,High,90%,88.5,91.0,,87.2\n"
        "Missed bin collections,Low,,,,412,\n",
        encoding="utf-8",
    )
    result = import_file("pibook", book, root, source="own_pis", published="2023-11-01")
    assert result.stubs == ["pct_major_planning_applications_decided", "missed_bin_collections"]
    entries = {e["id"]: e for e in yaml.safe_load(
        (root / "data" / "indicators.yml").read_text())["indicators"]}  # fmt: skip
    planning = entries["pct_major_planning_applications_decided"]
    assert planning["better"] == "high" and "better" not in planning["to_check"]
    assert planning["targets"] == {"2023-24": {"value": 90, "text": "90%"}}
    assert (planning["unit"], planning["frequency"]) == ("percent", "quarterly")
    bins = entries["missed_bin_collections"]
    assert (bins["better"], bins["unit"], bins["frequency"], bins["measure"]) == (
        "low",
        "count",
        "monthly",
        "flow",
    )
    _, problems = inspect_project(project_paths(root))
    assert {p.location for p in problems} == {
        "indicator 'pct_major_planning_applications_decided', unit",
        "indicator 'pct_major_planning_applications_decided', frequency",
        "indicator 'pct_major_planning_applications_decided', measure",
        "indicator 'missed_bin_collections', unit",
        "indicator 'missed_bin_collections', frequency",
        "indicator 'missed_bin_collections', measure",
    }


def test_a_bad_cell_is_named_and_nothing_written(tmp_path):
    root = empty_project(tmp_path / "p")
    book = tmp_path / "book.csv"
    book.write_text("Indicator,Q1 2023/24\nBins,about 400\n", encoding="utf-8")
    before = sorted(p.name for p in (root / "data").rglob("*"))
    with pytest.raises(DataError, match=r"book.csv, cell B2 \(Bins, Q1 2023/24\): 'about 400'"):
        import_file("pibook", book, root)
    assert sorted(p.name for p in (root / "data").rglob("*")) == before


def test_sheet_is_chosen_by_name(tmp_path):
    root = empty_project(tmp_path / "p")
    with pytest.raises(DataError, match=r"no sheet 'Nope'.*Performance"):
        import_file("pibook", EXAMPLE, root, sheet="Nope")
