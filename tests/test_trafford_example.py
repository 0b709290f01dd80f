"""The bundled Trafford example (data/examples/trafford), checked by hand against its source file.

Built only with documented commands by scripts/build_trafford_example.py: `outturn init`,
a comparator group in council.yml, `outturn import tidy` of Trafford Data Lab's file, the
stubs filled in. The figures below were read from
trafford_children_vs_stat_neighbours_to_2022-23.csv by eye.
"""

from pathlib import Path

import pandas as pd
import pytest

from analysis.comparators import group_average
from analysis.config import project_paths
from analysis.loading import select_vintage
from analysis.pack import build_pack
from analysis.periods import parse_period
from analysis.validation import load_project

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "data" / "examples" / "trafford"
SOURCE = REPO.parent / "shared" / "data" / "trafford_children_vs_stat_neighbours_to_2022-23.csv"
TRAFFORD, ENGLAND = "E08000009", "E92000001"


@pytest.fixture(scope="module")
def data():
    return load_project(project_paths(EXAMPLE))


@pytest.fixture(scope="module")
def card(data):
    return build_pack(data, parse_period("2022-23 Q4")).scorecard.set_index(
        ["indicator_id", "comparison"]
    )


# (indicator, Trafford 2022/23, Trafford 2021/22, England 2022/23) as the file prints them
HAND_CHECKED = [
    ("cla_health_assessment", 87.0, 85.0, 89.0),  # % with annual health assessment
    ("cautioned_sentenced_rate", 14.0, 14.0, 23.0),  # per 10,000 aged 10-17
]


@pytest.mark.parametrize(("indicator", "value", "previous", "england"), HAND_CHECKED)
def test_scorecard_cells_match_the_source_file(card, indicator, value, previous, england):
    year_end = card.loc[(indicator, "previous_year_end")]
    assert (year_end["period"], year_end["value"]) == ("2022-23", value)
    assert (year_end["baseline_period"], year_end["baseline_value"]) == ("2021-22", previous)
    assert card.loc[(indicator, "england"), "baseline_value"] == england


@pytest.mark.parametrize(
    ("indicator", "group_mean", "n", "dfe_mean", "dfe_n"),
    [
        # (94+95+91+89+95+86+92+71+96+87)/10; the April 2021 DfE neighbours in the file:
        # Hertfordshire 86, Bromley 94, Solihull 71, Stockport 96, Cheshire East 89,
        # Buckinghamshire 95 -> 531/6
        ("cla_health_assessment", 89.6, 10, 88.5, 6),
        # Cheshire East has no row: (18+14+26+9+26+26+11+19+13)/9; DfE: (26+18+11+19+14)/5
        ("cautioned_sentenced_rate", 18.0, 9, 17.6, 5),
    ],
)
def test_named_group_mean_differs_from_the_dfe_neighbours(data, indicator, group_mean, n,
                                                          dfe_mean, dfe_n):  # fmt: skip
    values = select_vintage(data.values)
    values = values[(values["indicator_id"] == indicator) & (values["period"] == "2022-23")]
    group = data.council.comparator("trafford_sn")
    ours = group_average(values, group, exclude=TRAFFORD).iloc[0]
    assert (round(ours["value"], 4), ours["n"], ours["of"]) == (group_mean, n, 10)
    dfe = group_average(values, data.council.comparator("neighbours"), exclude=TRAFFORD).iloc[0]
    assert (round(dfe["value"], 4), dfe["n"], dfe["of"]) == (dfe_mean, dfe_n, 10)


@pytest.mark.skipif(not SOURCE.is_file(), reason="shared data not beside the repository")
def test_every_imported_figure_is_the_source_files(data):
    raw = pd.read_csv(SOURCE)
    raw = raw[raw["indicator"] == "Children looked after who had their annual health assessment"]
    mine = data.values[data.values["indicator_id"] == "cla_health_assessment"]
    assert len(mine) == len(raw) == 72
    assert sorted(mine["value"].dropna()) == sorted(raw["value"].dropna())


def test_example_stubs_are_filled_and_ids_short(data):
    own = [i for i in data.catalogue.values() if i.comparator == "trafford_sn"]
    assert len(own) == 15
    assert all(len(i.id) <= 40 and not i.to_check for i in own)
    assert data.catalogue["progress_8"].value_bounds == (-3.0, 3.0)
    assert data.catalogue["cla_health_assessment"].value_bounds == (0.0, 100.0)
