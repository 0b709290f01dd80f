"""Tests for the council's national rank and quartile band (data/ranks.csv)."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from shared_data import NEEDS_SHARED, SHARED

from analysis.benchmarking import (
    RANK_COLUMNS,
    build_dfe_ranks,
    council_ranks,
    read_ranks,
    write_ranks,
)
from analysis.config import project_paths
from analysis.councils import init_project
from analysis.errors import ValidationError
from analysis.importing import VALUE_COLUMNS
from analysis.validation import inspect_project, load_project

REPO = Path(__file__).resolve().parents[1]
EES = SHARED / "dfe_ees_csc_counts_rates_2013_2023_long.csv"
BLACKPOOL = "E06000009"
COUNCILS = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005"]


def _tiny() -> pd.DataFrame:
    """Five councils on one year: 10, 20, 20, 40 and a suppressed value; region and England
    hold 5 and 99, which must not be ranked. A second year has only two councils."""
    rows = [(c, "2017-18", v) for c, v in zip(COUNCILS, [10, 20, 20, 40, np.nan], strict=True)]
    rows += [("E12000002", "2017-18", 5.0), ("E92000001", "2017-18", 99.0)]
    rows += [("E06000001", "2016-17", 30.0), ("E06000002", "2016-17", 10.0)]
    frames = []
    for indicator in ("low_one", "high_one", "context_one"):
        frame = pd.DataFrame(rows, columns=["area_code", "period", "value"])
        frames.append(frame.assign(indicator_id=indicator))
    values = pd.concat(frames, ignore_index=True)
    values["status"] = np.where(values["value"].isna(), "c", "")
    values["count"], values["note"] = np.nan, ""
    values["source"], values["vintage"] = "dfe_ees_2023", "2023-11-16"
    return values[VALUE_COLUMNS]


POLARITY = {"low_one": "low", "high_one": "high", "context_one": None}


# Quartile cut points of 10, 20, 20, 40 (linear, as R's quantile): 17.5, 20, 25.
@pytest.mark.parametrize(
    ("indicator", "ranks", "quartiles"),
    [
        ("low_one", [1, 2, 2, 4, None], ["A", "B", "B", "D", ""]),
        ("high_one", [4, 2, 2, 1, None], ["D", "C", "C", "A", ""]),
        ("context_one", [None] * 5, ["-", "-", "-", "-", ""]),
    ],
)
def test_council_ranks_tiny_table_checked_by_hand(indicator, ranks, quartiles):
    out = council_ranks(_tiny(), POLARITY, COUNCILS + ["E12000002"])
    year = out[(out["indicator_id"] == indicator) & (out["period"] == "2017-18")]
    assert year["area_code"].tolist() == COUNCILS  # region not kept, even though asked for
    got = [None if pd.isna(r) else int(r) for r in year["rank"]]
    assert got == ranks
    assert year["quartile"].tolist() == quartiles
    assert year["of"].tolist() == [4] * 5  # the suppressed value is not counted


def test_council_ranks_counts_each_year_separately():
    out = council_ranks(_tiny(), POLARITY, ["E06000001"])
    earlier = out[(out["indicator_id"] == "low_one") & (out["period"] == "2016-17")]
    assert earlier[["rank", "of"]].to_numpy().tolist() == [[2, 2]]


def test_council_ranks_columns_and_empty_input():
    assert council_ranks(_tiny(), POLARITY, COUNCILS).columns.tolist() == RANK_COLUMNS
    empty = council_ranks(_tiny().iloc[0:0], POLARITY, COUNCILS)
    assert empty.columns.tolist() == RANK_COLUMNS and empty.empty


def _raw_ees_rank(year: int) -> tuple[int, int]:
    """Blackpool's CIN-rate rank (lowest rate = 1) straight from the EES CSV, not via outturn."""
    raw = pd.read_csv(EES)
    raw = raw[
        (raw["indicator"] == "Children in need rate per 10,000 children (derived)")
        & (raw["period"] == year)
        & raw["area_code"].str[:3].isin(["E06", "E08", "E09", "E10"])
    ]
    rates = pd.to_numeric(raw["value"], errors="coerce").dropna()
    own = float(raw.loc[raw["area_code"] == BLACKPOOL, "value"].iloc[0])
    return int((rates < own).sum()) + 1, len(rates)


@pytest.fixture(scope="module")
def bundled_ranks() -> pd.DataFrame:
    catalogue = yaml.safe_load((REPO / "data" / "indicators.yml").read_text(encoding="utf-8"))
    council = yaml.safe_load((REPO / "data" / "council.yml").read_text(encoding="utf-8"))
    return build_dfe_ranks(catalogue["indicators"], council, SHARED)


@NEEDS_SHARED
@pytest.mark.parametrize(
    ("period", "year", "rank", "of"), [("2016-17", 2017, 147, 149), ("2022-23", 2023, 150, 151)]
)
def test_blackpool_cin_rank_matches_raw_ees(bundled_ranks, period, year, rank, of):
    row = bundled_ranks[
        (bundled_ranks["indicator_id"] == "cin")
        & (bundled_ranks["area_code"] == BLACKPOOL)
        & (bundled_ranks["period"] == period)
    ]
    assert (int(row["rank"].iloc[0]), int(row["of"].iloc[0])) == _raw_ees_rank(year)
    assert (int(row["rank"].iloc[0]), int(row["of"].iloc[0])) == (rank, of)
    assert row["quartile"].iloc[0] == "D"  # bundled catalogue: cin better low; high rate
    assert row["source"].iloc[0] == "dfe_ees_2023"


@NEEDS_SHARED
def test_count_indicator_gets_no_rank(bundled_ranks):
    counts = bundled_ranks[bundled_ranks["indicator_id"] == "cp_plans"]  # unit: count
    assert len(counts) > 0
    assert counts["rank"].isna().all()
    assert set(counts["quartile"]) <= {"-", ""}


@NEEDS_SHARED
def test_bundled_ranks_file_is_up_to_date(bundled_ranks, tmp_path):
    fresh = write_ranks(bundled_ranks, tmp_path / "ranks.csv")
    assert fresh.read_text(encoding="utf-8") == (REPO / "data" / "ranks.csv").read_text(
        encoding="utf-8"
    ), "rebuild with: .venv/bin/python scripts/build_bundled_benchmarks.py --wait 0"


def test_bundled_ranks_load_into_project_data():
    ranks = load_project(project_paths(REPO)).ranks
    assert ranks.columns.tolist() == RANK_COLUMNS
    cla = ranks[(ranks["indicator_id"] == "cla") & (ranks["area_code"] == BLACKPOOL)]
    latest = cla.set_index("period").loc["2022-23"]
    assert (latest["rank"], latest["of"], latest["quartile"]) == (151, 151, "D")
    assert str(ranks["rank"].dtype) == "Int64"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(REPO / "data", root / "data")
    return root


def test_absent_ranks_file_gives_empty_table(project):
    (project / "data" / "ranks.csv").unlink()
    ranks = load_project(project_paths(project)).ranks
    assert ranks.columns.tolist() == RANK_COLUMNS and ranks.empty


GOOD = "cla,E06000009,2022-23,151,151,D,dfe_ees_2023,2023-11-16"
BAD_ROWS = [
    (
        "cla,E06000009,2022-23,15.5,151,D,dfe_ees_2023,2023-11-16",
        ":2: [rank] '15.5' is not a whole number",
    ),
    (
        "cla,E06000009,2022-23,151,151,E,dfe_ees_2023,2023-11-16",
        ":2: [quartile] 'E' is not a quartile band",
    ),
    (
        "cla_typo,E06000009,2022-23,151,151,D,dfe_ees_2023,2023-11-16",
        ":2: [indicator_id] unknown indicator 'cla_typo'",
    ),
    (
        "cla,E06000009,2022-23 Q5,151,151,D,dfe_ees_2023,2023-11-16",
        ":2: [period] period '2022-23 Q5'",
    ),
    (
        "cla,E06000009,2022-23,160,151,D,dfe_ees_2023,2023-11-16",
        ":2: [rank] rank 160 is more than 'of' (151)",
    ),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
def test_malformed_ranks_row_names_file_line_and_fix(project, row, expected):
    path = project / "data" / "ranks.csv"
    path.write_text(",".join(RANK_COLUMNS) + f"\n{row}\n{GOOD}\n", encoding="utf-8")
    data, problems = inspect_project(project_paths(project))
    assert data is None
    messages = [str(p) for p in problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{path}{expected}")
    assert "Fix: " in messages[0]


def test_ranks_missing_column_is_a_header_problem(project):
    path = project / "data" / "ranks.csv"
    path.write_text(
        "indicator_id,area_code,period,rank,quartile,source,vintage\n"
        "cla,E06000009,2022-23,151,D,dfe_ees_2023,2023-11-16\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"ranks\.csv:1: \[header\] missing column\(s\) of\."):
        read_ranks(path)


@NEEDS_SHARED
def test_init_writes_ranks_for_the_new_council(tmp_path):
    init_project(tmp_path, "E08000009", source_dir=SHARED)  # Trafford
    ranks = load_project(project_paths(tmp_path)).ranks
    trafford = ranks[ranks["area_code"] == "E08000009"]
    # LAIT gives CIN no polarity: no rank, band "-"; re-referrals (lower is better) ranked
    cin = trafford[trafford["indicator_id"] == "cin"]
    assert len(cin) > 0 and cin["rank"].isna().all() and set(cin["quartile"]) == {"-"}
    rerefs = trafford[trafford["indicator_id"] == "rereferral"]
    assert len(rerefs) > 0 and ((rerefs["rank"] >= 1) & (rerefs["rank"] <= rerefs["of"])).all()
    assert set(ranks["area_code"]) == {  # the neighbours of both DfE models
        "E08000009",
        *load_project(project_paths(tmp_path)).council.comparator("neighbours").all_codes,
    }
