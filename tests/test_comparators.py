"""Comparator groups: council.yml parsing, catalogue references and the group averages."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.catalogue import parse_catalogue
from analysis.comparators import comparator_index, group_average, indicator_averages
from analysis.config import parse_council, project_paths
from analysis.errors import ConfigError
from analysis.validation import inspect_project

REPO = Path(__file__).resolve().parents[1]
PATH = Path("council.yml")
BASE = {
    "council": {"name": "Trafford", "area_code": "E08000009"},
    "neighbours": {
        "model": "DfE CSC SN model April 2021",
        "average": "mean",
        "areas": [{"area_code": "E09000006", "name": "Bromley"}],
        "models": [
            {"model": "April 2021", "years": {"to": "2024-25"},
             "areas": [{"area_code": "E09000006", "name": "Bromley"}, "E08000029"]},
            {"model": "May 2025", "years": {"from": "2025-26"},
             "areas": ["E10000015", {"area_code": "E08000007", "name": "Stockport"}]},
        ],
    },
}  # fmt: skip


def council(**extra):
    return parse_council({**BASE, **extra}, PATH)


def test_comparators_parse_codes_and_mappings():
    config = council(
        comparators={
            "cipfa": {
                "name": "CIPFA nearest neighbours (2024)",
                "average": "median",
                "areas": ["E08000007", {"area_code": "E06000007", "name": "Warrington"}],
            }
        }
    )
    cipfa = config.comparator("cipfa")
    assert cipfa.name == "CIPFA nearest neighbours (2024)"
    assert cipfa.average == "median"
    assert cipfa.codes_for() == ["E08000007", "E06000007"]
    assert [a.name for a in cipfa.areas] == ["E08000007", "Warrington"]
    assert list(config.comparators) == ["neighbours", "cipfa"]


@pytest.mark.parametrize(
    ("fy", "expected"),
    [(2016, ["E09000006", "E08000029"]), (2024, ["E09000006", "E08000029"]),
     (2025, ["E10000015", "E08000007"]), (None, ["E09000006"])],
)  # fmt: skip
def test_neighbours_group_uses_the_model_in_force_each_year(fy, expected):
    assert council().comparator("neighbours").codes_for(fy) == expected


@pytest.mark.parametrize(
    ("comparators", "match"),
    [
        ({"cipfa": {"name": "x", "areas": []}}, r"council.yml: comparators.cipfa has no areas"),
        ({"cipfa": {"name": "x"}}, r"comparators.cipfa has no areas"),
        ({"cipfa": {"areas": ["Stockport"]}}, r"comparators.cipfa.areas has 'Stockport'"),
        ({"cipfa": {"areas": ["E08000007"], "average": "mode"}}, r"cipfa.average is 'mode'"),
        ({"neighbours": {"areas": ["E08000007"]}}, r"comparators.neighbours: 'neighbours' is"),
    ],
)
def test_bad_group_names_file_and_key(comparators, match):
    with pytest.raises(ConfigError, match=match):
        council(comparators=comparators)


def test_unknown_group_raises_with_the_known_ids():
    with pytest.raises(ConfigError, match=r"'cipfa' is not in council.yml.*neighbours"):
        council().comparator("cipfa")


ENTRY = {"id": "x", "title": "X", "better": "high", "unit": "percent",
         "frequency": "quarterly", "measure": "snapshot"}  # fmt: skip


def test_catalogue_reads_comparator_history_source_and_bounds():
    raw = {"indicators": [
        {**ENTRY, "comparator": "cipfa", "history_source": "own"},
        {**ENTRY, "id": "y", "unit": "score", "bounds": [0, 1]},
    ]}  # fmt: skip
    catalogue, problems = parse_catalogue(raw, "indicators.yml")
    assert problems == []
    assert catalogue["x"].comparator == "cipfa"
    assert catalogue["x"].history_source == "own"
    assert catalogue["x"].value_bounds == (0.0, 100.0)  # percent: implicitly 0-100
    assert catalogue["y"].comparator == "neighbours"
    assert catalogue["y"].value_bounds == (0.0, 1.0)


@pytest.mark.parametrize("bounds", [[1, 0], [0], "0-1", [0, "high"]])
def test_bad_bounds_is_a_problem(bounds):
    _, problems = parse_catalogue({"indicators": [{**ENTRY, "bounds": bounds}]}, "i.yml")
    assert [p.location for p in problems] == ["indicator 'x', bounds"]
    assert "[low, high]" in problems[0].fix


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(REPO / "data", root / "data")
    return root


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _set_on_first_indicator(root: Path, line: str) -> None:
    path = root / "data" / "indicators.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    short_title: Opiate", f"    {line}\n    short_title: Opiate",
                                 1), encoding="utf-8")  # fmt: skip


def test_validate_flags_an_unknown_group_naming_file_and_key(project):
    _set_on_first_indicator(project, "comparator: cipfa")
    _, problems = inspect_project(project_paths(project))
    assert [(Path(p.file).name, p.location) for p in problems] == [
        ("indicators.yml", "indicator 'opiate_completions', comparator")
    ]
    assert "'cipfa' is not defined in" in problems[0].message
    _append(project / "data" / "council.yml",
            "comparators:\n  cipfa:\n    name: CIPFA\n    areas: [E08000007]\n")  # fmt: skip
    assert inspect_project(project_paths(project))[1] == []


def test_validate_flags_an_empty_group_in_council_yml(project):
    _append(project / "data" / "council.yml", "comparators:\n  cipfa:\n    areas: []\n")
    _, problems = inspect_project(project_paths(project))
    assert len(problems) == 1
    assert Path(problems[0].file).name == "council.yml"
    assert "comparators.cipfa has no areas" in problems[0].message


def test_validate_flags_an_unknown_history_source(project):
    _set_on_first_indicator(project, "history_source: nope")
    _, problems = inspect_project(project_paths(project))
    assert [p.location for p in problems] == ["indicator 'opiate_completions', history_source"]
    path = project / "data" / "indicators.yml"
    path.write_text(path.read_text().replace("history_source: nope", "history_source: "
                                             "paper_2015-16_Q2"))  # fmt: skip
    assert inspect_project(project_paths(project))[1] == []


def _values(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value"])


def test_group_average_mean_median_n_and_of():
    values = _values([
        ("a", "E08000001", "2022-23", 10.0), ("a", "E08000002", "2022-23", 20.0),
        ("a", "E08000003", "2022-23", 60.0), ("a", "E08000004", "2022-23", np.nan),
        ("a", "E99999999", "2022-23", 1000.0),  # not a member
    ])  # fmt: skip
    areas = ["E08000001", "E08000002", "E08000003", "E08000004"]
    mean = council(comparators={"g": {"areas": areas}}).comparator("g")
    median = council(comparators={"g": {"areas": areas, "average": "median"}}).comparator("g")
    out = group_average(values, mean).iloc[0]
    assert (out["value"], out["n"], out["of"], out["enough"]) == (30.0, 3, 4, True)
    assert group_average(values, median).iloc[0]["value"] == 20.0


def test_group_average_below_half_is_not_enough_and_council_excluded():
    areas = ["E08000009", "E08000001", "E08000002", "E08000003"]
    group = council(comparators={"g": {"areas": areas}}).comparator("g")
    values = _values([("a", "E08000009", "2022-23", 99.0), ("a", "E08000001", "2022-23", 5.0)])
    out = group_average(values, group, exclude="E08000009").iloc[0]
    assert (out["value"], out["n"], out["of"], out["enough"]) == (5.0, 1, 3, False)


def test_group_average_switches_neighbour_model_by_year():
    values = _values([
        ("a", "E09000006", "2024-25", 10.0), ("a", "E08000029", "2024-25", 20.0),
        ("a", "E10000015", "2024-25", 90.0),
        ("a", "E09000006", "2025-26 Q1", 10.0), ("a", "E10000015", "2025-26 Q1", 30.0),
        ("a", "E08000007", "2025-26 Q1", 50.0),
    ])  # fmt: skip
    out = group_average(values, council().comparator("neighbours")).set_index("period")
    assert out.loc["2024-25", "value"] == 15.0
    assert out.loc["2025-26 Q1", "value"] == 40.0
    assert out.loc["2025-26 Q1", "of"] == 2


def test_each_indicator_is_averaged_over_its_own_group():
    config = council(comparators={"g": {"areas": ["E08000001", "E08000002"]}})
    values = _values([
        ("a", "E09000006", "2022-23", 10.0), ("a", "E08000001", "2022-23", 50.0),
        ("b", "E09000006", "2022-23", 10.0), ("b", "E08000001", "2022-23", 50.0),
        ("b", "E08000002", "2022-23", 70.0),
    ])  # fmt: skip
    out = indicator_averages(values, {"b": "g"}, config.comparators).set_index("indicator_id")
    assert out.loc["a", ["group", "value", "n", "of"]].tolist() == ["neighbours", 10.0, 1, 2]
    assert out.loc["b", ["group", "value", "n", "of"]].tolist() == ["g", 60.0, 2, 2]
    index = comparator_index(values.assign(count=np.nan, status=""), {"b": "g"},
                             config.comparators)  # fmt: skip
    added = index[index["area_code"] == "SN"].set_index("indicator_id")
    # each indicator's own group's average takes its neighbour-average place
    assert added.loc["b", ["value", "group", "n", "of"]].tolist() == [60.0, "g", 2, 2]
    assert added.loc["a", ["value", "group"]].tolist() == [10.0, "neighbours"]
